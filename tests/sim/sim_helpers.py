"""Independent checks shared by the simulation tests (no waitlab analytics used here)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario


def assert_little(contacts: pd.DataFrame) -> None:
    """Little's law L = lambda W over the whole day, for the queue and for the system.

    L is the time average of a step function integrated from the event times (+1 when a
    customer arrives, -1 when they leave the queue / the site), which is a different route
    from the mean of the per-customer waits. Over a day that starts and ends empty the two
    agree up to rounding.
    """
    t0 = contacts["arrived_at"].min()
    arrive = (contacts["arrived_at"] - t0).dt.total_seconds().to_numpy()
    leave_q = contacts["called_at"].fillna(contacts["ended_at"])
    assert leave_q.notna().all(), "Little's law needs every customer to leave the queue"
    leave_q = (leave_q - t0).dt.total_seconds().to_numpy()
    leave_s = (contacts["ended_at"] - t0).dt.total_seconds().to_numpy()
    for leave in (leave_q, leave_s):
        times = np.concatenate([arrive, leave])
        steps = np.concatenate([np.ones_like(arrive), -np.ones_like(leave)])
        order = np.argsort(times, kind="stable")
        times, level = times[order], np.cumsum(steps[order])
        span = times[-1] - times[0]
        area = float(np.sum(level[:-1] * np.diff(times)))
        big_l = area / span
        lam = len(arrive) / span
        w = float(np.mean(leave - arrive))
        assert abs(big_l - lam * w) <= 1e-9 * max(1.0, big_l), (big_l, lam * w)


def random_fcfs_scenario(rng: np.random.Generator, *, channel: str, integer: bool) -> Scenario:
    """A random scenario the pooled kernel of the fast engine covers: 1-3 queues, own desk groups, changing schedules.

    With ``integer=True`` every time is a whole second, so completions, arrivals and
    openings often fall on the same instant (the tie-breaking rules get exercised).
    """
    k, length = int(rng.integers(1, 6)), 600.0
    queues, groups = [], []
    for q in range(int(rng.integers(1, 4))):
        if integer:
            svc = Distribution(dist="empirical", values=tuple(rng.integers(0, 400, 5).astype(float)))
            pat = Distribution(dist="empirical", values=tuple(rng.integers(0, 600, 5).astype(float)))
            times = tuple(np.sort(rng.integers(0, int(k * length), int(rng.integers(1, 60)))).astype(float))
            spec = {"arrival_times": times}
        else:
            svc = Distribution(dist="exponential", mean=float(rng.uniform(60, 500)))
            pat = Distribution(dist="exponential", mean=300.0)
            spec = {"rates_per_hour": tuple(rng.uniform(0, 60, k))}
        queues.append(QueueSpec(name=f"q{q}", service=svc, patience=None if rng.random() < 0.3 else pat,
                                no_show=0.1 if channel == "kiosk" else 0.0,
                                visible_abandon=float(rng.choice([0.0, 0.5, 1.0])) if channel == "kiosk" else 0.0,
                                **spec))
        for g in range(int(rng.integers(1, 3))):
            counts = [int(x) for x in rng.integers(0, 4, k)]
            counts[0] = max(counts[0], 1)
            groups.append(DeskGroup(name=f"g{q}{g}", serves=(f"q{q}",), open=tuple(counts)))
    end = (dt.datetime(2024, 3, 4, 10) + dt.timedelta(seconds=k * length)).time()
    return Scenario(site="Test", queues=tuple(queues), desks=tuple(groups), date=dt.date(2024, 3, 4),
                    start=dt.time(10), end=end, interval=length, channel=channel,
                    no_show_seconds=float(rng.choice([0.0, 60.0])))
