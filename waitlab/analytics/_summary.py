"""KPIs over a whole period: for the whole table (:func:`summary_kpis`) or per group (:func:`summary_by`).

The same computation as :func:`~waitlab.analytics.interval_stats` with one interval per group,
running from the group's first arrival to its last known event.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from waitlab._notes import KpiSummary, NotedFrame
from waitlab.analytics import kpis
from waitlab.analytics._intervals import (
    Options,
    SlThreshold,
    blank_unavailable,
    compute_cells,
    read_options,
    with_pool,
)
from waitlab.analytics._prepare import NS, Work, read_contacts, to_ns

__all__ = ["summary_by", "summary_kpis"]

_COUNTS = ("arrivals", "served", "abandoned", "no_show", "other")


def _period(
    work: Work, codes: np.ndarray, n_groups: int, opt: Options
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """KPIs of each group over its own period, from its first arrival to its last known event.

    Returns the KPI columns (one value per group) and each group's start and end, int64 ns.
    """
    arrived, _ = to_ns(work.frame["arrived_at"])
    latest = arrived.copy()
    for col in ("called_at", "started_at", "ended_at"):
        ns, ok = to_ns(work.frame[col])
        latest = np.where(ok, np.maximum(latest, ns), latest)
    origin = np.full(n_groups, np.iinfo(np.int64).max)
    np.minimum.at(origin, codes, arrived)
    end = np.full(n_groups, np.iinfo(np.int64).min)
    np.maximum.at(end, codes, latest)
    end = np.maximum(end, origin + 1)
    span = end - origin
    out = compute_cells(work, codes, n_groups, origin[codes], int(span.max()), 1, opt, length_ns=span)
    return out, origin, end


def summary_by(
    contacts: pd.DataFrame,
    by: str,
    sl_threshold: SlThreshold = 20.0,
    short_abandon: float = 0.0,
    *,
    on_duty: str = kpis.ON_DUTY_DEFAULT,
    on_duty_gap: str | pd.Timedelta | float = kpis.ON_DUTY_GAP,
    on_duty_bin: str | pd.Timedelta | float = "5min",
    sessions: pd.DataFrame | None = None,
) -> NotedFrame:
    """:func:`summary_kpis` of each group of `by`, each over its own period, as one table.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table.
    by : str
        Column whose values form the groups (e.g. ``"site"``, ``"pool"``, or a day or
        replication key). Unlike ``interval_stats(interval="1D")``, the time-weighted KPIs of a
        group (waiting, desks on duty and busy, occupancy) are averaged over that group's own
        span, from its first arrival to its last event, exactly as :func:`summary_kpis` of the
        group alone.
    sl_threshold, short_abandon, on_duty, on_duty_gap, on_duty_bin, sessions
        As in :func:`~waitlab.analytics.interval_stats`.

    Returns
    -------
    NotedFrame
        One row per group (index: the `by` values, in order of first appearance), the
        columns of :data:`KPI_COLUMNS` (SL per threshold when `sl_threshold` is a list), then
        ``span_s``; ``.notes`` states the desks-on-duty estimator and what could not be
        computed and why.
    """
    opt = read_options(sl_threshold, short_abandon, on_duty, on_duty_gap, on_duty_bin, sessions)
    who = "summary_by"
    work = read_contacts(with_pool(contacts, [by]), [by], who=who)
    if work.frame.empty:
        return NotedFrame(columns=[*opt.columns(), "span_s"], notes=work.notes)
    codes, groups = pd.factorize(work.frame[by], use_na_sentinel=False)
    out, origin, end = _period(work, codes.astype(np.int64), len(groups), opt)
    blank_unavailable(work, out, opt, who)
    table = NotedFrame({k: out[k] for k in opt.columns()}, index=pd.Index(groups, name=by), notes=work.notes)
    table["span_s"] = (end - origin) / NS
    return table


def summary_kpis(
    contacts: pd.DataFrame,
    sl_threshold: SlThreshold = 20.0,
    short_abandon: float = 0.0,
    *,
    on_duty: str = kpis.ON_DUTY_DEFAULT,
    on_duty_gap: str | pd.Timedelta | float = kpis.ON_DUTY_GAP,
    on_duty_bin: str | pd.Timedelta | float = "5min",
    sessions: pd.DataFrame | None = None,
) -> KpiSummary:
    """The same KPIs as :func:`~waitlab.analytics.interval_stats` over the whole period, as one mapping.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table.
    sl_threshold, short_abandon, on_duty, on_duty_gap, on_duty_bin, sessions
        As in :func:`~waitlab.analytics.interval_stats`.

    Returns
    -------
    KpiSummary
        A dict with every key of :data:`KPI_COLUMNS` (SL per threshold when `sl_threshold`
        is a list; the time-weighted ones averaged over the span from the first arrival to the
        last event), plus ``first_arrival``, ``last_event`` and ``span_s`` (seconds). Counts
        are ints, the rest floats (NaN when a KPI cannot be computed). ``.notes`` (a tuple of
        str) states the desks-on-duty estimator and what could not be computed and why.
    """
    opt = read_options(sl_threshold, short_abandon, on_duty, on_duty_gap, on_duty_bin, sessions)
    who = "summary_kpis"
    work = read_contacts(contacts, [], who=who)
    if work.frame.empty:
        res: dict[str, Any] = {k: (0 if k in _COUNTS else np.nan) for k in opt.columns()}
        res.update(first_arrival=pd.NaT, last_event=pd.NaT, span_s=0.0)
        return KpiSummary(res, notes=work.notes)
    codes = np.zeros(len(work.frame), dtype=np.int64)
    out, origins, ends = _period(work, codes, 1, opt)
    origin, end = int(origins[0]), int(ends[0])
    blank_unavailable(work, out, opt, who)
    res = {}
    for k in opt.columns():
        v = out[k][0]
        res[k] = int(v) if k in _COUNTS and np.isfinite(v) else float(v)
    tz = work.tz
    res["first_arrival"] = pd.Timestamp(origin, tz="UTC").tz_convert(tz)
    res["last_event"] = pd.Timestamp(end, tz="UTC").tz_convert(tz)
    res["span_s"] = (end - origin) / NS
    return KpiSummary(res, notes=work.notes)
