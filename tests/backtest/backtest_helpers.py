"""Known rates of the simulated M/M/n+M log shared by the backtest tests, and the log (12 days)."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

RATE, SERVICE, DESKS, PATIENCE, DAYS = 110.0, 300.0, 10, 200.0, 12


@pytest.fixture(scope="session", name="log")
def sim_log_fixture() -> pd.DataFrame:
    from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario, simulate_day

    sc = Scenario(
        site="Sim", channel="phone", date=dt.date(2024, 3, 4), start=dt.time(0), end=dt.time(23), interval=3600.0,
        queues=(QueueSpec(name="q", rates_per_hour=(RATE,) * 23,
                          service=Distribution(dist="exponential", mean=SERVICE),
                          patience=Distribution(dist="exponential", mean=PATIENCE)),),
        desks=(DeskGroup(name="d", serves=("q",), open=(DESKS,) * 23),),
    )
    rng = np.random.default_rng(20240304)
    days = []
    for i in range(DAYS):
        c = simulate_day(sc, rng).contacts.copy()
        for col in ("arrived_at", "called_at", "started_at", "ended_at"):
            c[col] = c[col] + pd.Timedelta(days=i)
        c["contact_id"] = c["contact_id"].astype(str) + f"-{i}"
        days.append(c)
    return pd.concat(days, ignore_index=True)


