"""``waitlab.sim.compare``: paired differences of two runs, against scipy's Student-t computed here."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from waitlab.sim import DeskGroup, Distribution, QueueSpec, RunResult, Scenario, compare, run

SCENARIO = Scenario(
    site="S", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(12), interval=1800.0,
    queues=(QueueSpec(name="caja", rates_per_hour=(30, 40, 40, 30), service=Distribution(dist="exponential", mean=240.0),
                      patience=Distribution(dist="exponential", mean=1800.0)),),
    desks=(DeskGroup(name="caja", serves=("caja",), open=(2, 2, 2, 2)),),
)


def _result(per_day: dict[str, list[float]], seed: int = 7) -> RunResult:
    """A run made by hand: its per-day KPI values, and a summary holding only their means."""
    per = pd.DataFrame(per_day)
    per.insert(0, "replication", np.arange(len(per)))
    summary = pd.DataFrame({"mean": [float(np.nanmean(v)) for v in per_day.values()]},
                           index=pd.Index(list(per_day), name="kpi"))
    return RunResult(scenario=SCENARIO, replications=len(per), seed=seed, engine="fast", per_replication=per,
                     summary=summary, breach_probability=pd.DataFrame())


def _scipy_interval(d: np.ndarray, level: float) -> tuple[float, float, float]:
    mean = float(np.mean(d))
    low, high = stats.t.interval(level, df=len(d) - 1, loc=mean, scale=stats.sem(d))
    return mean, float(low), float(high)


@pytest.mark.parametrize("level", [0.95, 0.9])
def test_interval_equals_scipy_student_t(level):
    base = _result({"wait_mean": [600.0, 300.0, 900.0, 420.0, 510.0], "served": [80, 75, 90, 70, 85]})
    alt = _result({"wait_mean": [450.0, 310.0, 600.0, 300.0, 500.0], "served": [81, 75, 92, 71, 85]})
    table = compare(base, alt, level=level).table
    for kpi in ("wait_mean", "served"):
        d = np.asarray(alt.per_replication[kpi], dtype=float) - np.asarray(base.per_replication[kpi], dtype=float)
        mean, low, high = _scipy_interval(d, level)
        row = table.loc[kpi]
        assert row["difference"] == pytest.approx(mean, rel=1e-12)
        assert row["ci_low"] == pytest.approx(low, rel=1e-12)
        assert row["ci_high"] == pytest.approx(high, rel=1e-12)
        assert row["n"] == 5
    assert table.loc["wait_mean", "base"] == pytest.approx(546.0)  # (600+300+900+420+510) / 5
    assert table.loc["wait_mean", "alt"] == pytest.approx(432.0)
    assert list(table.columns) == ["base", "alt", "difference", "ci_low", "ci_high", "std", "n"]


def test_a_difference_is_not_clipped_at_zero():
    # every day's difference is >= 0, yet the mean difference may well be negative: no clipping
    base = _result({"served": [10.0, 10.0, 10.0, 10.0]})
    alt = _result({"served": [10.0, 10.0, 10.0, 30.0]})
    row = compare(base, alt).table.loc["served"]
    mean, low, high = _scipy_interval(np.array([0.0, 0.0, 0.0, 20.0]), 0.95)
    assert low < 0
    assert (row["difference"], row["ci_low"], row["ci_high"]) == pytest.approx((mean, low, high), rel=1e-12)


def test_days_missing_a_value_are_left_out_of_the_pairs():
    base = _result({"wait_p90": [100.0, np.nan, 300.0, 200.0]})
    alt = _result({"wait_p90": [90.0, 50.0, 250.0, np.nan]})
    row = compare(base, alt).table.loc["wait_p90"]
    mean, low, high = _scipy_interval(np.array([-10.0, -50.0]), 0.95)
    assert row["n"] == 2
    assert (row["difference"], row["ci_low"], row["ci_high"]) == pytest.approx((mean, low, high), rel=1e-12)


def test_runs_must_be_paired():
    base = _result({"wait_mean": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="the runs are not paired: `base` has 3 replication.s. with seed 7 and "
                                         "`alt` 3 with seed 8; run `alt` with rng=base.seed and the same replications."):
        compare(base, _result({"wait_mean": [1.0, 2.0, 3.0]}, seed=8))
    with pytest.raises(ValueError, match="`alt` 2 with seed 7"):
        compare(base, _result({"wait_mean": [1.0, 2.0]}))
    with pytest.raises(ValueError, match="`level` must be a confidence level between 0 and 1"):
        compare(base, base, level=95)


def test_two_simulated_runs_share_their_customers():
    # common random numbers: the arrivals are the same days in both runs, so their difference is exactly 0
    base = run(SCENARIO, replications=4, rng=3, processes=1)
    alt = run(SCENARIO.with_desks("caja", change=1, start="10:30", end="11:30"), replications=4, rng=3, processes=1)
    table = compare(base, alt).table
    assert table.loc["arrivals", ["difference", "ci_low", "ci_high", "std"]].tolist() == [0.0, 0.0, 0.0, 0.0]
    # one more desk for two half-hours: exactly 1 desk-hour more every day
    assert table.loc["desk_hours", ["difference", "ci_low", "ci_high"]].tolist() == [1.0, 1.0, 1.0]
    assert "desk_hours" in str(compare(base, alt))
