"""``scenario_from_forecast``: one forecast day as a scenario, so the planning pipeline plans it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from waitlab.exceptions import ArgumentError, ScenarioError
from waitlab.forecasting import ForecastResult
from waitlab.sim import Distribution, Scenario

__all__ = ["forecast_days", "scenario_from_forecast"]


def _table(fc: ForecastResult | pd.DataFrame) -> pd.DataFrame:
    table = fc.table if isinstance(fc, ForecastResult) else fc
    if not isinstance(table, pd.DataFrame) or "interval_start" not in table or "arrivals" not in table:
        raise ArgumentError("`fc` must be a ForecastResult or a forecast table with `interval_start` and "
                            "`arrivals` columns (waitlab.forecast, or read_forecast of a CSV).")
    return table


def _local(starts: pd.Series, tz: str) -> pd.Series:
    """Interval starts as naive local times of `tz` (a forecast written by the CLI carries its UTC offset)."""
    s = pd.to_datetime(starts, utc=False, format="ISO8601") if not pd.api.types.is_datetime64_any_dtype(starts) \
        else starts
    if getattr(s.dt, "tz", None) is not None:
        return s.dt.tz_convert(tz).dt.tz_localize(None)
    if s.dtype == object:  # mixed offsets (a DST change): go through UTC
        return pd.to_datetime(starts, utc=True).dt.tz_convert(tz).dt.tz_localize(None)
    return s


def forecast_days(fc: ForecastResult | pd.DataFrame, tz: str = "America/Argentina/Buenos_Aires") -> list[dt.date]:
    """The days a forecast covers, in order (local to `tz`)."""
    return sorted(set(_local(_table(fc)["interval_start"], tz).dt.date))


def scenario_from_forecast(fc: ForecastResult | pd.DataFrame, base: Scenario | pd.DataFrame, *,
                           day: str | dt.date | None = None, quantile: int | None = None) -> Scenario:
    """The base scenario with its arrival rates and mean handling times taken from one forecast day.

    Parameters
    ----------
    fc : ForecastResult or DataFrame
        A :func:`waitlab.forecast` result, or its table (e.g. ``read_forecast("forecast.csv")``).
    base : Scenario or DataFrame
        Desks, schedules, opening hours, interval, patience and service-time shape come from
        it; its queues are matched to the forecast's ``queue`` column by name (a forecast
        without a ``queue`` column fits a one-queue scenario). A contacts table (the log the
        forecast came from) gives ``Scenario.from_log`` of its last day with the forecast day's
        weekday (else its busiest day), on the forecast's intervals and the forecast day's hours.
    day : str or date, optional
        The forecast day to plan (local date); default the first day of the forecast.
    quantile : int, optional
        Plan for the upper bound of the forecast's `quantile` % prediction interval (column
        ``arrivals_hi_<quantile>``) instead of the expected arrivals: a robust plan.

    Returns
    -------
    Scenario
        Dated `day`; each queue's ``rates_per_hour`` is the forecast arrivals of each interval
        divided by the interval length in hours (0 where the forecast has no row, e.g. a closed
        interval); its service distribution keeps the base's family and cv with the
        arrivals-weighted mean of the forecast's ``mean_service`` over the day. The choices
        made are in ``notes``.

    Raises
    ------
    ArgumentError
        No such day or quantile in the forecast, or an interval width different from the base's.
    ScenarioError
        A forecast queue the base scenario has no queue for (or the reverse).
    """
    table = _table(fc).copy()
    tz = base.timezone if isinstance(base, Scenario) else _log_tz(base)
    table["_start"] = _local(table["interval_start"], tz)
    days = sorted(set(table["_start"].dt.date))
    if not days:
        raise ArgumentError("the forecast has no rows; write one with `waitlab forecast LOG -o forecast.csv`.")
    want = days[0] if day is None else _date(day)
    if want not in days:
        raise ArgumentError(f"day {want} is not in the forecast, which covers {days[0]} to {days[-1]}; "
                            "give --day within it.")
    col = "arrivals" if quantile is None else f"arrivals_hi_{int(quantile)}"
    if col not in table:
        levels = sorted(c.removeprefix("arrivals_hi_") for c in table.columns if c.startswith("arrivals_hi_"))
        raise ArgumentError(f"the forecast has no {quantile} % bound (column {col!r}); its levels are "
                            f"{', '.join(levels) or 'none'}; give --quantile one of them.")
    if not isinstance(base, Scenario):
        base = _base_from_log(base, table, want)
    _check_width(table, base)
    rows = table[table["_start"].dt.date == want]
    names = [q.name for q in base.queues]
    if "queue" in rows.columns:
        fq = {str(q) for q in table["queue"].unique()}
        if fq - set(names) or set(names) - fq:
            raise ScenarioError(f"the forecast's queues ({', '.join(sorted(fq))}) do not match scenario "
                                f"{base.name!r}'s ({', '.join(names)}); forecast with --by queue the log whose "
                                "queues the scenario names, or give a scenario with the forecast's queues.")
        per_queue = {n: rows[rows["queue"].astype(str) == n] for n in names}
    elif len(names) == 1:
        per_queue = {names[0]: rows}
    else:
        raise ScenarioError(f"the forecast has no `queue` column but scenario {base.name!r} has "
                            f"{len(names)} queues; forecast with --by queue or give a one-queue scenario.")
    origin = pd.Timestamp.combine(want, base.start)
    hours = base.interval / 3600.0
    queues, notes, outside = [], [], 0.0
    for q in base.queues:
        part = per_queue[q.name]
        slot = np.floor((part["_start"] - origin).dt.total_seconds().to_numpy() / base.interval).astype(np.int64)
        inside = (slot >= 0) & (slot < base.n_intervals)
        values = part[col].to_numpy(dtype=float)
        outside += float(values[~inside].sum())
        counts = np.bincount(slot[inside], weights=values[inside], minlength=base.n_intervals)
        service = q.service
        if "mean_service" in part and values[inside].sum() > 0:
            ms = part["mean_service"].to_numpy(dtype=float)[inside]
            ok = np.isfinite(ms)
            if ok.any():
                mean = float(np.average(ms[ok], weights=np.maximum(values[inside][ok], 1e-12)))
                service = _with_mean(q.service, mean)
        queues.append(dataclasses.replace(q, rates_per_hour=tuple(float(c) / hours for c in counts),
                                          arrival_times=None, service=service))
        notes.append(f"queue {q.name!r}: {counts.sum():.1f} arrivals forecast on {want} "
                     f"({'expected' if quantile is None else f'upper bound of the {quantile} % interval'}), "
                     f"mean service {service.mean if service.mean is not None else float('nan'):.0f} s "
                     f"(forecast, {q.service.dist} shape of the base)")
    if outside > 0:
        notes.append(f"{outside:.1f} forecast arrivals fall outside the scenario's hours "
                     f"{base.start:%H:%M}-{base.end:%H:%M} and are left out")
    notes.insert(0, f"rates from the forecast of {want}; desks, hours, patience and service shape from "
                 f"scenario {base.name!r}")
    return dataclasses.replace(base, queues=tuple(queues), date=want,
                               name=f"{base.name} - forecast {want}" + ("" if quantile is None else f" (P{quantile})"),
                               notes=(*base.notes, *notes))


def _log_tz(contacts: pd.DataFrame) -> str:
    if not isinstance(contacts, pd.DataFrame) or "arrived_at" not in contacts:
        raise ArgumentError("`base` must be a Scenario or a contacts table with `arrived_at` (waitlab.read_log).")
    tz = getattr(contacts["arrived_at"].dt, "tz", None)
    return str(tz) if tz is not None else "America/Argentina/Buenos_Aires"


def _base_from_log(contacts: pd.DataFrame, table: pd.DataFrame, want: dt.date) -> Scenario:
    """``Scenario.from_log`` of the log's last day with `want`'s weekday, on the forecast day's grid and hours."""
    rows = table[table["_start"].dt.date == want].sort_values("_start")
    width = _width(table, 1800.0)
    local = contacts["arrived_at"].dt.tz_localize(None) if contacts["arrived_at"].dt.tz is not None \
        else contacts["arrived_at"]
    same = sorted({d for d in local.dt.date.dropna() if d.weekday() == want.weekday()})
    first = rows["_start"].iloc[0]
    last = rows["_start"].iloc[-1] + pd.Timedelta(seconds=width)
    end = "23:59" if last.date() > want else f"{last:%H:%M}"
    if end == "23:59":
        end = f"{(pd.Timestamp('2000-01-01') + pd.Timedelta(seconds=86400 - width)):%H:%M}"
    return Scenario.from_log(contacts, date=same[-1] if same else None, interval=width,
                             start=f"{first:%H:%M}", end=end)


def _date(day: str | dt.date) -> dt.date:
    if isinstance(day, dt.date):
        return day
    try:
        return pd.Timestamp(day).date()
    except (ValueError, TypeError):
        raise ArgumentError(f"`day` must be a date such as '2025-03-24', got {day!r}.") from None


def _width(table: pd.DataFrame, default: float) -> float:
    """The forecast's interval width, seconds: the smallest step between a queue's interval starts."""
    key = table["queue"] if "queue" in table else pd.Series(0, index=table.index)
    gaps = table.groupby(key.to_numpy())["_start"].diff().dt.total_seconds()
    gaps = gaps[gaps > 0]
    return float(gaps.min()) if len(gaps) else default


def _check_width(table: pd.DataFrame, base: Scenario) -> None:
    width = _width(table, base.interval)
    if abs(width - base.interval) > 1e-6:
        raise ArgumentError(f"the forecast's intervals are {width / 60:g} min but scenario {base.name!r}'s are "
                            f"{base.interval / 60:g} min; forecast with --interval {base.interval / 60:g}min.")


def _with_mean(d: Distribution, mean: float) -> Distribution:
    if d.dist == "empirical" and d.values:
        old = float(np.mean(d.values))
        return dataclasses.replace(d, values=tuple(float(v) * mean / old for v in d.values)) if old > 0 else d
    return dataclasses.replace(d, mean=mean)
