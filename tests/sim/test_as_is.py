"""waitlab.sim.as_is: the logged day beside the spread of its simulated as-is days.

Two independent checks. A log that *is* a day of a known M/M/10+M queue (simulated with its own
seed): the as-is days must hold the logged hours inside their 2.5-97.5 % spread about 95 % of
the time, and the error against the log must be about the noise the simulated days measure
among themselves. And the bundled branch's breach day (issue 13's check): the logged mean wait
inside the spread in at least 80 % of the hours with more than 20 arrivals, and the simulated
day's mean wait within 15 % of the logged one.
"""

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import waitlab
from waitlab.cli import main
from waitlab.exceptions import ArgumentError
from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario, as_is, simulate_day
from waitlab.sim._day import stack_contacts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", name="mm10_log")
def mm10_log_fixture() -> pd.DataFrame:
    sc = Scenario(
        site="Sim", channel="phone", date=dt.date(2024, 3, 4), start=dt.time(8), end=dt.time(20), interval=3600.0,
        queues=(QueueSpec(name="q", rates_per_hour=(110.0,) * 12, service=Distribution(dist="exponential", mean=300.0),
                          patience=Distribution(dist="exponential", mean=200.0)),),
        desks=(DeskGroup(name="d", serves=("q",), open=(10,) * 12),),
    )  # fmt: skip
    rng = np.random.default_rng(20261206)
    days = [simulate_day(dataclasses.replace(sc, date=sc.date + dt.timedelta(days=i)), rng) for i in range(4)]
    return stack_contacts(days).drop(columns="replication")  # ids r<day>-<n>, each day on its own date


def test_a_day_of_the_model_itself_falls_inside_the_spread(mm10_log: pd.DataFrame) -> None:
    res = as_is(mm10_log, ["2024-03-05", "2024-03-06", "2024-03-07"], replications=60, rng=2)
    e = res.errors.set_index("kpi")
    assert e.loc["wait_mean", "intervals"] == 3 * 12
    for kpi in ("wait_mean", "abandon_rate"):
        # 36 hours, each inside with probability 0.95 when the model is right: 30 or more of 36
        # has probability > 0.99 (binomial); the simulated days' service is a lognormal with the
        # exponential's mean and cv, so the spread is, if anything, a little wide.
        assert e.loc[kpi, "inside_share"] >= 30 / 36, kpi
        assert 0.6 < e.loc[kpi, "mae"] / e.loc[kpi, "noise_mae"] < 1.45, kpi
    t = res.table
    assert set(t["kpi"]) == {"wait_mean", "abandon_rate"} and len(t) == 3 * 12 * 2
    assert (t["low"] <= t["simulated"]).all() and (t["simulated"] <= t["high"]).all()
    # the logged column is the log's own hourly KPI
    hour = t[(t["kpi"] == "wait_mean")].iloc[5]
    start = pd.Timestamp(hour["interval_start"])
    cell = mm10_log[(mm10_log["arrived_at"] >= start) & (mm10_log["arrived_at"] < start + pd.Timedelta(hours=1))]
    waits = (cell["called_at"].fillna(cell["ended_at"]) - cell["arrived_at"]).dt.total_seconds()
    assert hour["logged"] == pytest.approx(waits.mean(), rel=1e-9) and hour["arrivals"] == len(cell)
    assert len(res.scenarios) == 3 and len(res.days) == 3 * 2


def test_branch_breach_day_is_reproduced() -> None:
    c, _ = waitlab.read_log(ROOT / "datasets" / "branch_kiosk.csv")
    res = as_is(c, "2025-03-25", replications=200, rng=1, min_arrivals=21)  # "more than 20 arrivals"
    e = res.errors.set_index("kpi")
    assert e.loc["wait_mean", "intervals"] >= 4
    assert e.loc["wait_mean", "inside_share"] >= 0.8
    day = res.days.set_index("kpi")
    assert abs(day.loc["wait_mean", "ratio"] - 1) <= 0.15
    assert "inside the spread" in str(res) or "outside the spread" in str(res)


@pytest.mark.parametrize(("kw", "word"), [({"replications": 1}, "`replications`"), ({"kpis": ["nonsense"]}, "`kpis`"),
                                           ({"min_arrivals": 0}, "`min_arrivals`"), ({"by": "7min"}, "`by`")])
def test_option_errors_are_one_sentence(mm10_log: pd.DataFrame, kw: dict, word: str) -> None:
    with pytest.raises(ArgumentError, match=word):
        as_is(mm10_log, **kw)


def test_a_quiet_log_says_there_are_no_errors(mm10_log: pd.DataFrame) -> None:
    res = as_is(mm10_log, "2024-03-05", replications=3, min_arrivals=1000)
    assert (res.errors["intervals"] == 0).all() and res.errors["mae"].isna().all()
    assert any(n.startswith("no interval had 1000 or more") for n in res.notes)
    assert "      -" in str(res) and "nan" not in str(res).split("- as-is")[0]


def test_cli_prints_and_writes_a_neutralised_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "asis.csv"
    code = main(["asis", str(ROOT / "datasets" / "branch_kiosk.csv"), "--date", "2025-03-25", "-n", "20",
                 "-o", str(out)])  # fmt: skip
    text = capsys.readouterr().out
    assert code == 0 and "As-is check" in text and "wait_mean" in text
    table = pd.read_csv(out)
    assert {"logged", "simulated", "low", "high", "inside", "noise"} <= set(table.columns)
    assert main(["asis", str(ROOT / "datasets" / "branch_kiosk.csv"), "-n", "1"]) == 2
    assert "at least 2" in capsys.readouterr().err
