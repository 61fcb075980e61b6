"""The forecast against series whose answer is known: a planted weekly x intraday pattern, the
seasonal-naive baseline counted by hand, WAPE and MAE by hand, and the branch's post-holiday surge."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import waitlab as wl
from waitlab.exceptions import ArgumentError, MissingExtraError
from waitlab.forecasting._backtest import mae, wape

pytest.importorskip("statsmodels", reason="the forecast extra (statsmodels) is not installed")
pytest.importorskip("holidays", reason="the forecast extra (holidays) is not installed")

TZ = "America/Argentina/Buenos_Aires"
DATASETS = Path(__file__).resolve().parents[2] / "datasets"
# the planted pattern: 10:00-15:00 in 30-min slots, Monday busiest, a lunch peak
PROFILE = np.array([0.08, 0.08, 0.09, 0.10, 0.13, 0.14, 0.13, 0.10, 0.08, 0.07])
WEEKDAY = {0: 1.3, 1: 1.0, 2: 0.9, 3: 0.9, 4: 1.1}
LEVEL = 400.0


def _contacts(counts: dict[pd.Timestamp, list[int]], service: float = 300.0) -> pd.DataFrame:
    """A contacts table with counts[day][slot] arrivals in the 30-min slots from 10:00, each served `service` s."""
    rows = []
    for day, per_slot in counts.items():
        for s, n in enumerate(per_slot):
            for k in range(int(n)):
                t = day + pd.Timedelta(hours=10, minutes=30 * s) + pd.Timedelta(seconds=(k * 1799) // max(n, 1))
                rows.append(t)
    arrived = pd.DatetimeIndex(rows).tz_localize(TZ)
    return pd.DataFrame({"arrived_at": arrived, "started_at": arrived, "ended_at": arrived + pd.Timedelta(seconds=service),
                         "queue": "Caja"})


def _planted(weeks: int, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    days = pd.date_range("2024-06-03", periods=7 * weeks, freq="D")  # a Monday
    counts = {d: list(rng.poisson(LEVEL * WEEKDAY[d.day_of_week] * PROFILE)) for d in days if d.day_of_week < 5}
    return _contacts(counts), days


def test_forecast_recovers_the_planted_weekly_by_intraday_pattern():
    contacts, days = _planted(4, np.random.default_rng(20240603))
    res = wl.forecast(contacts, horizon="7D", interval="30min", by=None, country=None)
    t = res.table
    assert t["interval_start"].min() == pd.Timestamp("2024-07-01 10:00", tz=TZ)  # the Monday after the log
    assert len(t) == 5 * len(PROFILE)  # business hours only: no weekend rows, no night rows
    local = t["interval_start"].dt.tz_localize(None)
    truth = np.array([LEVEL * WEEKDAY[ts.day_of_week] * PROFILE[(ts.hour - 10) * 2 + ts.minute // 30] for ts in local])
    # expected arrivals within 10 % of the planted means, interval by interval on the whole (WAPE)
    assert wape(truth, t["arrivals"].to_numpy()) < 0.10
    # the day totals keep the weekday pattern (Monday the busiest, Wednesday below Tuesday)
    per_day = t.groupby(local.dt.day_of_week)["arrivals"].sum()
    assert per_day.idxmax() == 0
    assert per_day[0] == pytest.approx(LEVEL * 1.3, rel=0.10)
    # bounds bracket the mean, and the 95 % band is the wider one
    assert (t["arrivals_lo_95"] <= t["arrivals_lo_80"]).all() and (t["arrivals_lo_80"] <= t["arrivals"]).all()
    assert (t["arrivals"] <= t["arrivals_hi_80"]).all() and (t["arrivals_hi_80"] <= t["arrivals_hi_95"]).all()
    assert t["mean_service"].to_numpy() == pytest.approx(300.0)
    assert any("won" in n for n in res.notes) and res.model in ("profile", "seasonal_naive")


def test_prediction_bounds_cover_the_next_week_at_about_their_level():
    # four weeks of history; 40 fresh draws of the next week from the planted means
    rng = np.random.default_rng(7)
    contacts, _ = _planted(4, rng)
    res = wl.forecast(contacts, by=None, country=None, level=95, model="profile")
    local = res.table["interval_start"].dt.tz_localize(None)
    truth = np.array([LEVEL * WEEKDAY[ts.day_of_week] * PROFILE[(ts.hour - 10) * 2 + ts.minute // 30] for ts in local])
    draws = rng.poisson(truth, size=(40, len(truth)))
    inside = (draws >= res.table["arrivals_lo_95"].to_numpy()) & (draws <= res.table["arrivals_hi_95"].to_numpy())
    assert 0.88 <= inside.mean() <= 1.0


def test_baseline_is_the_same_interval_one_week_earlier_by_hand():
    # two weeks, Monday to Friday, 10 slots; Monday 10:30 of the second week had 7 arrivals,
    # Friday 14:30 had 2: next Monday 10:30 and next Friday 14:30 must be 7 and 2
    base = [3] * 10
    counts = {d: list(base) for d in pd.date_range("2024-06-03", periods=14, freq="D") if d.day_of_week < 5}
    counts[pd.Timestamp("2024-06-10")][1] = 7
    counts[pd.Timestamp("2024-06-14")][9] = 2
    res = wl.forecast(_contacts(counts), by=None, country=None)
    b = res.baseline.set_index(res.baseline["interval_start"].dt.tz_localize(None))["arrivals"]
    assert b[pd.Timestamp("2024-06-17 10:30")] == 7
    assert b[pd.Timestamp("2024-06-21 14:30")] == 2
    assert b[pd.Timestamp("2024-06-18 12:00")] == 3
    assert b.sum() == 5 * 10 * 3 + (7 - 3) + (2 - 3)


def test_wape_and_mae_by_hand():
    actual, predicted = [10, 0, 30, 20], [12, 1, 27, 20]
    assert wape(actual, predicted) == pytest.approx((2 + 1 + 3 + 0) / 60)
    assert mae(actual, predicted) == pytest.approx(6 / 4)
    assert np.isnan(wape([0, 0], [1, 1]))


def test_backtest_scores_by_horizon_day_against_the_baseline():
    contacts, _ = _planted(5, np.random.default_rng(11))
    bt = wl.forecast_backtest(contacts, by=None, country=None, folds=2, days="working")
    t = bt.table
    # the log ends on a Friday, so days 1 and 2 of each horizon are the weekend, not scored
    assert list(t["horizon_day"]) == ["3", "4", "5", "6", "7", "all"]
    assert len(bt.folds) == 2
    # the planted pattern is stationary: pooling weeks beats repeating one noisy week
    assert t.iloc[-1]["wape"] < t.iloc[-1]["baseline_wape"]
    assert t.iloc[-1]["intervals"] == 2 * 5 * 48


def _branch() -> pd.DataFrame:
    contacts, _ = wl.read_log(DATASETS / "branch_kiosk.csv", format="kiosk", mapping="vendor_a_es")
    return contacts


def test_branch_day_after_the_holiday_is_forecast_as_a_surge():
    contacts = _branch()
    with_cal = wl.forecast(contacts, start="2025-03-24", by=None, country="AR")
    without = wl.forecast(contacts, start="2025-03-24", by=None, country=None)

    def per_day(res: wl.ForecastResult) -> pd.Series:
        t = res.table
        return t.groupby(t["interval_start"].dt.strftime("%m-%d"))["arrivals"].sum()

    a, b = per_day(with_cal), per_day(without)
    assert a["03-24"] == 0  # Día de la Memoria: closed (no rows in the log)
    kinds = with_cal.table.groupby(with_cal.table["interval_start"].dt.strftime("%m-%d"))["day_kind"].first()
    assert kinds["03-24"] == "holiday" and kinds["03-25"] == "after_holiday"
    # the Tuesday after: at least 1.3 times the rest of the week's mean, and well above the plain forecast
    assert a["03-25"] > 1.3 * a[["03-26", "03-27", "03-28"]].mean()
    assert a["03-25"] > 1.3 * b["03-25"]
    assert any("Remembrance" in n for n in with_cal.notes)


def test_options_are_checked():
    contacts, _ = _planted(2, np.random.default_rng(1))
    with pytest.raises(ArgumentError, match="`country`"):
        wl.forecast(contacts, country="XX")
    with pytest.raises(ArgumentError, match="`horizon`"):
        wl.forecast(contacts, horizon="36h", country=None)
    with pytest.raises(ArgumentError, match="at least one week"):
        wl.forecast(contacts, start="2024-06-05", country=None)
    with pytest.raises(ArgumentError, match="`level`"):
        wl.forecast(contacts, level=150, country=None)


def test_missing_extra_is_one_sentence(monkeypatch):
    contacts, _ = _planted(2, np.random.default_rng(1))
    monkeypatch.setitem(sys.modules, "statsmodels", None)
    monkeypatch.setitem(sys.modules, "statsmodels.tsa.exponential_smoothing.ets", None)
    with pytest.raises(MissingExtraError, match=r"waitlab\[forecast\]"):
        wl.forecast(contacts, country=None, model="profile")
