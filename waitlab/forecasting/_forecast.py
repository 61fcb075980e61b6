"""``waitlab.forecast``: next week's arrivals and handling time per interval, with the baseline beside them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from waitlab._clock import parse_interval
from waitlab._notes import NotedFrame
from waitlab.exceptions import ArgumentError
from waitlab.forecasting._calendar import Calendar, calendar
from waitlab.forecasting._model import Fit, fit_predict, seasonal_naive
from waitlab.forecasting._series import History, history, horizon_days

__all__ = ["ForecastResult", "forecast"]

Model = Literal["auto", "profile", "seasonal_naive"]


@dataclass(frozen=True, eq=False)
class ForecastResult:
    """What :func:`forecast` found.

    Attributes
    ----------
    table : NotedFrame
        One row per business-hours interval of the horizon (and `by` group): ``interval_start``
        (local time), the `by` columns, ``day_kind`` ("holiday", "after_holiday",
        "before_holiday" or ""), ``arrivals`` (expected arrivals in the interval),
        ``arrivals_lo_<L>`` / ``arrivals_hi_<L>`` (bounds of the L % prediction interval) and
        ``mean_service`` (expected handling time, seconds).
    baseline : NotedFrame
        The seasonal-naive forecast on the same rows: ``arrivals`` is the same interval one week
        earlier.
    model : {"profile", "seasonal_naive"}
        The model behind ``table["arrivals"]``.
    notes : tuple of str
        The model, the calendar (country, holidays in the horizon), what was learned, and which
        model won on the last held-out week and by how much.
    interval : float
        Interval width, seconds.
    levels : tuple of int
        The prediction-interval levels, percent.
    country : str or None
        The holiday calendar's country.
    """

    table: NotedFrame
    baseline: NotedFrame
    model: str
    notes: tuple[str, ...]
    interval: float
    levels: tuple[int, ...]
    country: str | None

    def __str__(self) -> str:
        t = self.table
        per_day = t.groupby(t["interval_start"].dt.date)["arrivals"].sum()
        base = self.baseline.groupby(self.baseline["interval_start"].dt.date)["arrivals"].sum()
        lines = [f"- {n}" for n in self.notes]
        lines.append(pd.DataFrame({"forecast": per_day.round(0), "seasonal_naive": base.round(0)}).to_string())
        return "\n".join(lines)


def _levels(level: int | Sequence[int]) -> tuple[int, ...]:
    levels = (level,) if isinstance(level, int | float) else tuple(level)
    for lv in levels:
        if not (isinstance(lv, int | float) and 0 < lv < 100 and float(lv) == int(lv)):
            raise ArgumentError(f"`level` must be whole percentages between 0 and 100 such as (80, 95), got {level!r}.")
    return tuple(sorted({int(lv) for lv in levels}))


def _wape(actual: np.ndarray, fc: np.ndarray) -> float:
    total = float(np.abs(actual).sum())
    return float(np.abs(actual - fc).sum()) / total if total > 0 else float("nan")


def _fit_all(hist: History, cal: Calendar, fdays: pd.DatetimeIndex, levels: tuple[int, ...],
             upto: int | None = None) -> dict[tuple[object, ...], Fit]:
    days = hist.days[:upto] if upto else hist.days
    kinds, fkinds = cal.kinds(days), cal.kinds(fdays)
    return {g: fit_predict(hist.counts[g][: len(days)], days, kinds, cal.weekend, fdays, fkinds, levels)
            for g in hist.groups}


def _select(hist: History, cal: Calendar, model: str, notes: list[str]) -> str:
    """The model to use: the one given, or (auto) the better on the history's last week held out."""
    if len(hist.days) < 14:
        notes.append("fewer than two weeks of history: no held-out week to compare the models on; "
                     f"{'the profile model' if model == 'auto' else model} used")
        return "profile" if model == "auto" else model
    held = hist.days[-7:]
    fits = _fit_all(hist, cal, held, (80,), upto=len(hist.days) - 7)
    actual = np.concatenate([hist.counts[g][-7:] for g in hist.groups])
    prof = np.concatenate([fits[g].mean for g in hist.groups])
    naive = np.concatenate([seasonal_naive(hist.counts[g][:-7], 7) for g in hist.groups])
    w_prof, w_naive = _wape(actual, prof), _wape(actual, naive)
    winner = "profile" if not w_naive < w_prof else "seasonal_naive"
    gain = (w_naive - w_prof) / w_naive if w_naive > 0 else 0.0
    notes.append(f"held-out week {held[0].date()} to {held[-1].date()}: WAPE {w_prof:.1%} for the profile model "
                 f"against {w_naive:.1%} for seasonal-naive, so {winner.replace('_', '-')} won "
                 f"({abs(gain):.0%} {'lower' if gain >= 0 else 'higher'} error for the profile model)")
    return winner if model == "auto" else model


def forecast(
    contacts: pd.DataFrame,
    *,
    horizon: str | pd.Timedelta | float = "7D",
    interval: str | pd.Timedelta | float = "30min",
    by: Sequence[str] | None = ("queue",),
    country: str | None = "AR",
    level: int | Sequence[int] = (80, 95),
    start: str | pd.Timestamp | None = None,
    model: Model = "auto",
) -> ForecastResult:
    """Forecast arrivals and handling time per interval for the days after a log.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table (:func:`waitlab.read_log`); only ``arrived_at``, the service times
        and the `by` columns are used.
    horizon : str, Timedelta or float, default "7D"
        How far ahead, in whole days ("7D", or a number of days).
    interval : str, Timedelta or float, default "30min"
        Interval width (see :func:`waitlab.parse_interval`); it must divide a day.
    by : sequence of str or None, default ("queue",)
        Columns whose groups are forecast separately; None for the total.
    country : str or None, default "AR"
        ISO code of the public-holiday calendar (the `holidays` package) and working week;
        None for no holidays and a Monday-Friday week.
    level : int or sequence of int, default (80, 95)
        Prediction-interval levels, percent.
    start : str or Timestamp, optional
        First day forecast (local date); the history is every arrival before it. Default: the
        day after the log's last arrival.
    model : {"auto", "profile", "seasonal_naive"}, default "auto"
        ``"profile"``: day totals by ETS(A,N,N) (statsmodels) times the intraday profile, with the
        holiday effects (see :mod:`waitlab.forecasting._model`); ``"seasonal_naive"``: the same
        interval one week earlier; ``"auto"``: the better of the two on the history's last week
        held out (the profile model when the history is shorter than two weeks).

    Returns
    -------
    ForecastResult
        ``.table``, ``.baseline``, ``.model``, ``.notes``, ``.interval``, ``.levels``, ``.country``.

    Raises
    ------
    ArgumentError
        A bad option, or less than one week of history before `start`.
    MissingExtraError
        statsmodels or holidays is not installed (``pip install "waitlab[forecast]"``).
    """
    if model not in ("auto", "profile", "seasonal_naive"):
        raise ArgumentError(f"`model` must be 'auto', 'profile' or 'seasonal_naive', got {model!r}.")
    width = parse_interval(interval)
    levels = _levels(level)
    keys = list(by or [])
    until = None if start is None else _day(start)
    hist = history(contacts, width, keys, until)
    if len(hist.days) < 7:
        raise ArgumentError(f"forecast needs at least one week of history before the forecast start, got "
                            f"{len(hist.days)} day(s); give a longer log or a later `start`.")
    first = until if until is not None else hist.days[-1] + pd.Timedelta(days=1)
    fdays = horizon_days(horizon, first)
    cal = calendar(country, hist.days.union(fdays))
    notes = [f"history {hist.days[0].date()} to {hist.days[-1].date()} ({len(hist.days)} days); "
             f"forecast {fdays[0].date()} to {fdays[-1].date()}, {width / 60:g}-min intervals"]
    if country is None:
        notes.append("no holiday calendar (country=None); working week Monday to Friday")
    else:
        named = cal.holiday_names(fdays)
        past = cal.holiday_names(hist.days)
        notes.append(f"holiday calendar {country} (holidays package): "
                     f"{'; '.join(named) if named else 'no holiday'} in the horizon, "
                     f"{len(past)} in the history")
    chosen = _select(hist, cal, model, notes)
    fits = _fit_all(hist, cal, fdays, levels)
    table, baseline = _tables(hist, cal, fdays, fits, chosen, levels)
    facts = fits[hist.groups[0]].facts if len(hist.groups) == 1 else {}
    notes.append("profile model: day totals of ordinary working days by ETS(A,N,N) (statsmodels) over "
                 "weekday factors, times the working days' pooled intraday profile; weekend days that open "
                 "keep their weekday's mean" + (f"; weekday factors {facts['weekday_factors']}" if facts else ""))
    if any((cal.kinds(fdays) != "").to_numpy()):
        f0 = fits[hist.groups[0]].facts
        notes.append(f"holiday effects (first group): a holiday keeps {float(f0['holiday_share']):.0%} of its usual "
                     f"demand ({f0['holiday_share_source']}); the next working day adds "
                     f"{float(f0['carryover']):.0%} of what the holiday lost ({f0['carryover_source']}); "
                     f"the day before x{float(f0['before_ratio']):.2f} ({f0['before_source']})")
    notes.append("business hours only: intervals with no arrival in any week of the history are left out "
                 "(forecast zero); handling time: the mean of the interval's slot of day over the history")
    notes.append(f"model used: {chosen.replace('_', '-')}")
    return ForecastResult(NotedFrame(table, notes=notes), NotedFrame(baseline, notes=notes), chosen, tuple(notes),
                          width, levels, country)


def _day(start: str | pd.Timestamp) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(start)
    except (ValueError, TypeError):
        raise ArgumentError(f"`start` must be a date such as '2025-03-24', got {start!r}.") from None
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def _tables(hist: History, cal: Calendar, fdays: pd.DatetimeIndex, fits: dict[tuple[object, ...], Fit],
            chosen: str, levels: tuple[int, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The forecast and baseline tables over the business-hours rows."""
    kinds = cal.kinds(fdays)
    hist_working = ~np.isin(np.asarray(hist.days.day_of_week), list(cal.weekend))
    parts, base_parts = [], []
    for g in hist.groups:
        counts, fit = hist.counts[g], fits[g]
        naive = seasonal_naive(counts, len(fdays))
        mean = naive if chosen == "seasonal_naive" else fit.mean
        open_work = counts[hist_working].sum(axis=0) > 0
        rows = []
        for i, day in enumerate(fdays):
            dow = day.day_of_week
            if dow in cal.weekend:
                mask = counts[np.asarray(hist.days.day_of_week) == dow].sum(axis=0) > 0
            else:
                mask = open_work
            for s in np.flatnonzero(mask):
                rows.append((i, s))
        if not rows:
            continue
        ii, ss = (np.array(x) for x in zip(*rows, strict=True))
        start = pd.DatetimeIndex(fdays[ii]) + pd.to_timedelta(ss * hist.width, unit="s")
        if hist.tz is not None:
            start = start.tz_localize(hist.tz, ambiguous="NaT", nonexistent="shift_forward")
        frame = pd.DataFrame({"interval_start": start})
        for k, col in enumerate(hist.by):
            frame[col] = g[k]
        frame["day_kind"] = kinds.to_numpy()[ii]
        base = frame.copy()
        frame["arrivals"] = mean[ii, ss]
        for lv in levels:
            if chosen == "seasonal_naive":  # bounds around the baseline: the same spread as the profile model's
                half_lo, half_hi = fit.mean - fit.lower[lv], fit.upper[lv] - fit.mean
                frame[f"arrivals_lo_{lv}"] = np.clip(mean - half_lo, 0, None)[ii, ss]
                frame[f"arrivals_hi_{lv}"] = (mean + half_hi)[ii, ss]
            else:
                frame[f"arrivals_lo_{lv}"] = fit.lower[lv][ii, ss]
                frame[f"arrivals_hi_{lv}"] = fit.upper[lv][ii, ss]
        service = np.where(np.isfinite(hist.service[g]), hist.service[g], hist.service_mean[g])
        frame["mean_service"] = service[ss]
        base["arrivals"] = naive[ii, ss]
        parts.append(frame)
        base_parts.append(base)
    return pd.concat(parts, ignore_index=True), pd.concat(base_parts, ignore_index=True)
