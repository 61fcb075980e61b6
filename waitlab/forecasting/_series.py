"""From a contacts table to count matrices: arrivals per day and interval of the day, per group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from waitlab._clock import parse_interval
from waitlab.exceptions import ArgumentError, SchemaError
from waitlab.schema import service_seconds

__all__ = ["History", "history", "horizon_days"]


@dataclass
class History:
    """Arrivals of each group as a ``[day, slot]`` matrix over the same calendar days."""

    days: pd.DatetimeIndex  # naive local midnights, every calendar day from the first to the last
    width: float  # interval width, seconds
    groups: list[tuple[object, ...]]  # values of the `by` columns (() without `by`)
    counts: dict[tuple[object, ...], np.ndarray]
    service: dict[tuple[object, ...], np.ndarray]  # arrivals-weighted mean service per slot (NaN: none)
    service_mean: dict[tuple[object, ...], float]
    tz: object
    by: list[str]

    @property
    def slots(self) -> int:
        return int(round(86400 / self.width))


def history(contacts: pd.DataFrame, width: float, by: Sequence[str], until: pd.Timestamp | None = None) -> History:
    """Count the arrivals of `contacts` per local day, interval and `by` group (days before `until` only)."""
    for col in ("arrived_at", *by):
        if col not in contacts.columns:
            raise SchemaError(f"the contacts table has no column {col!r}; forecast needs `arrived_at` and the "
                              "`by` columns (read the log with waitlab.read_log).")
    if 86400 % width:
        raise ArgumentError(f"`interval` must divide a day into whole intervals, got {width:g} s; use e.g. 30min or 1h.")
    arrived = contacts["arrived_at"]
    tz = getattr(arrived.dt, "tz", None)
    local = arrived.dt.tz_localize(None) if tz is not None else arrived
    keep = local.notna()
    if until is not None:
        keep &= local < until
    local = local[keep]
    if local.empty:
        raise ArgumentError("the contacts table has no arrivals to forecast from (before the forecast start); "
                            "give a log with at least one week of arrivals.")
    day = local.dt.normalize()
    days = pd.date_range(day.min(), day.max(), freq="D")
    slot = ((local - day).dt.total_seconds() // width).astype(int).to_numpy()
    row = ((day - days[0]).dt.days).to_numpy()
    sub = contacts.loc[keep]
    serv = service_seconds(sub).to_numpy(dtype=float)
    if by:
        frame = sub[list(by)].astype(object).reset_index(drop=True)
        codes = frame.groupby(list(by), sort=True, dropna=False).ngroup().to_numpy()
        firsts = frame.groupby(codes).head(1)
        groups = [tuple(r) for r in firsts.sort_index().itertuples(index=False)]
        order = [int(codes[i]) for i in firsts.sort_index().index]
        groups = [g for _, g in sorted(zip(order, groups, strict=True))]
    else:
        codes, groups = np.zeros(len(sub), dtype=int), [()]
    slots = int(round(86400 / width))
    counts, service, service_mean = {}, {}, {}
    for code, g in enumerate(groups):
        m = codes == code
        mat = np.zeros((len(days), slots))
        np.add.at(mat, (row[m], slot[m]), 1.0)
        counts[g] = mat
        ok = m & np.isfinite(serv)
        tot = np.bincount(slot[ok], weights=serv[ok], minlength=slots)
        num = np.bincount(slot[ok], minlength=slots).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            service[g] = np.where(num > 0, tot / np.where(num > 0, num, 1.0), np.nan)
        service_mean[g] = float(serv[ok].mean()) if ok.any() else float("nan")
    return History(days, width, groups, counts, service, service_mean, tz, list(by))


def horizon_days(horizon: str | pd.Timedelta | float, start: pd.Timestamp) -> pd.DatetimeIndex:
    """The calendar days of a horizon of whole days starting at `start`."""
    try:
        span = pd.Timedelta(horizon) if not isinstance(horizon, int | float) else pd.Timedelta(days=horizon)
    except (ValueError, TypeError):
        raise ArgumentError(f"`horizon` must be whole days such as '7D' or 7, got {horizon!r}.") from None
    n = span / pd.Timedelta(days=1)
    if n < 1 or n != int(n):
        raise ArgumentError(f"`horizon` must be a whole number of days, at least one, such as '7D', got {horizon!r}.")
    return pd.date_range(start, periods=int(n), freq="D")


def interval_width(interval: str | pd.Timedelta | float) -> float:
    """Seconds of `interval` (see :func:`waitlab.parse_interval`)."""
    return parse_interval(interval)
