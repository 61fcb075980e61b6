"""Interval analytics: KPIs per interval and group, and for the whole period.

The formulas are in :mod:`waitlab.analytics.kpis`; this module only sorts contacts into
cells (interval x group), splits waits and services exactly over interval borders, and lays
the results out as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from waitlab._notes import KpiSummary, NotedFrame
from waitlab.analytics import kpis
from waitlab.analytics._prepare import (
    KPI_NEEDS,
    NS,
    Work,
    group_codes,
    interval_ns,
    note_unavailable,
    outcome_flags,
    read_contacts,
    split_spans,
    to_ns,
    waits_and_services,
)
from waitlab.exceptions import ArgumentError

__all__ = ["KPI_COLUMNS", "interval_stats", "summary_by", "summary_kpis"]

#: The KPI columns of :func:`interval_stats`, in order (after ``interval_start`` and `by`).
KPI_COLUMNS = (
    "arrivals", "served", "abandoned", "no_show", "other",
    "wait_mean", "wait_p50", "wait_p90", "wait_p95", "wait_max",
    "mean_service", "asa", "sl_offered", "sl_answered", "abandon_rate", "abandon_rate_excl_short",
    "waiting_mean", "waiting_max", "desks_present", "desks_busy", "occupancy",
)  # fmt: skip


def _check_thresholds(sl_threshold: float, short_abandon: float) -> None:
    for name, v in (("sl_threshold", sl_threshold), ("short_abandon", short_abandon)):
        if not (isinstance(v, int | float) and np.isfinite(v) and v >= 0):
            raise ArgumentError(f"`{name}` must be a finite number of seconds >= 0, got {v!r}.")


def _compute(
    work: Work, codes: np.ndarray, n_groups: int, origin: int | np.ndarray, bin_ns: int, n_bins: int,
    sl_threshold: float, short_abandon: float, length_ns: np.ndarray | None = None,
) -> dict[str, np.ndarray]:  # fmt: skip
    """All KPI columns for cells ``group * n_bins + bin`` (arrays of length groups*bins).

    `origin` is one instant or one per row (each group's own time zero); `length_ns`, one per
    cell, replaces `bin_ns` as the length the time averages divide by (a group's own span).
    """
    f = work.frame
    n_cells = n_groups * n_bins
    arr_ns, _ = to_ns(f["arrived_at"])
    origin = np.broadcast_to(np.asarray(origin, dtype=np.int64), arr_ns.shape)
    rel = arr_ns - origin
    a_bin = np.clip(np.floor_divide(rel, bin_ns), 0, n_bins - 1)
    wait, service = waits_and_services(f)
    flags = outcome_flags(f["outcome"])
    c = kpis.Cells(cell=codes * n_bins + a_bin, n=n_cells, wait=wait, service=service, **flags)
    length_s: float | np.ndarray = bin_ns / NS if length_ns is None else length_ns / NS
    out: dict[str, np.ndarray] = {
        "arrivals": kpis.arrivals(c),
        "served": kpis.served(c),
        "abandoned": kpis.abandoned(c),
        "no_show": kpis.no_show(c),
        "other": kpis.other(c),
        "wait_mean": kpis.wait_mean(c),
        "wait_p50": kpis.wait_quantile(c, 0.50),
        "wait_p90": kpis.wait_quantile(c, 0.90),
        "wait_p95": kpis.wait_quantile(c, 0.95),
        "wait_max": kpis.wait_max(c),
        "mean_service": kpis.mean_service(c),
        "asa": kpis.asa(c),
        "sl_offered": kpis.sl_offered(c, sl_threshold, short_abandon),
        "sl_answered": kpis.sl_answered(c, sl_threshold),
        "abandon_rate": kpis.abandon_rate(c),
        "abandon_rate_excl_short": kpis.abandon_rate_excl_short(c, short_abandon),
    }
    # Number waiting: spans [arrived, arrived + W) split exactly over the bins.
    ok = np.isfinite(wait)
    w_start = rel[ok]
    w_end = w_start + np.round(wait[ok] * NS).astype(np.int64)
    w_group = codes[ok]
    row, b, ov = split_spans(w_start, w_end, bin_ns, n_bins)
    waited = np.bincount(w_group[row] * n_bins + b, weights=ov / NS, minlength=n_cells)
    out["waiting_mean"] = kpis.waiting_mean(waited, length_s)
    level, peak = _level_and_peak(w_start, w_end, w_group, n_groups, bin_ns, n_bins)
    out["waiting_max"] = kpis.waiting_max(level, peak)
    # Desks: service spans [started, ended).
    s_ns, s_ok = to_ns(f["started_at"])
    e_ns, e_ok = to_ns(f["ended_at"])
    ok = s_ok & e_ok & (e_ns >= s_ns)
    row, b, ov = split_spans(s_ns[ok] - origin[ok], e_ns[ok] - origin[ok], bin_ns, n_bins)
    cell = codes[ok][row] * n_bins + b
    busy = kpis.desks_busy(np.bincount(cell, weights=ov / NS, minlength=n_cells), length_s)
    server = f["server"].to_numpy(dtype=object, na_value=None)[ok][row]
    named = pd.notna(server)
    s_code = pd.factorize(server[named])[0].astype(np.int64)
    pairs = np.unique(cell[named] * (int(s_code.max(initial=0)) + 1) + s_code)
    distinct = np.bincount(pairs // (int(s_code.max(initial=0)) + 1), minlength=n_cells)
    out["desks_present"] = kpis.desks_present(distinct)
    out["desks_busy"] = busy
    out["occupancy"] = kpis.occupancy(busy, out["desks_present"])
    return out


def _level_and_peak(
    start: np.ndarray, end: np.ndarray, group: np.ndarray, n_groups: int, bin_ns: int, n_bins: int
) -> tuple[np.ndarray, np.ndarray]:
    """Number waiting at each cell's start, and its peak over the event times inside the cell."""
    n_cells = n_groups * n_bins
    t = np.concatenate([start, end])
    sign = np.concatenate([np.ones(len(start), np.int64), -np.ones(len(end), np.int64)])
    g = np.concatenate([group, group])
    order = np.lexsort((sign, t, g))  # by group, then time, departures first at ties
    t, sign, g = t[order], sign[order], g[order]
    level = np.cumsum(sign)  # each group nets to zero, so one running sum serves all groups
    # keep the level after the last event at each (group, time): intermediate values are not real
    last = np.r_[(g[1:] != g[:-1]) | (t[1:] != t[:-1]), True] if len(t) else np.zeros(0, bool)
    t, g, level = t[last], g[last], level[last]
    b = np.floor_divide(t, bin_ns)
    flat = g * n_bins + np.clip(b, -1, n_bins)  # non-decreasing along the sorted events
    cells = np.arange(n_cells, dtype=np.int64)
    # level carried in: after the last event time before the cell starts (0 at a group's start)
    pos = np.searchsorted(flat, cells, side="left") - 1
    safe = np.clip(pos, 0, None)
    carried = (pos >= 0) & (g[safe] == cells // n_bins) if len(t) else np.zeros(n_cells, bool)
    at_start = np.where(carried, level[safe] if len(t) else 0, 0).astype(float)
    peak = np.full(n_cells, np.nan)
    inside = (b >= 0) & (b < n_bins)
    if inside.any():
        fi, li, ti = flat[inside], level[inside], t[inside]
        first = np.flatnonzero(np.r_[True, fi[1:] != fi[:-1]])
        peak[fi[first]] = np.maximum.reduceat(li, first)
        on_border = ti[first] == (fi[first] % n_bins) * bin_ns  # an event exactly at the start
        at_start[fi[first][on_border]] = li[first][on_border]
    return at_start, peak


def _blank_unavailable(work: Work, out: dict[str, np.ndarray], who: str) -> None:
    note_unavailable(work, list(KPI_NEEDS), who=who)
    for kpi in KPI_NEEDS:
        if work.kpi_unavailable(kpi):
            out[kpi] = np.full(len(out[kpi]), np.nan)


def _span_end(work: Work) -> int:
    """Latest known timestamp of the table, ns."""
    latest = []
    for col in ("arrived_at", "called_at", "started_at", "ended_at"):
        ns, ok = to_ns(work.frame[col])
        if ok.any():
            latest.append(int(ns[ok].max()))
    return max(latest)


def _period(
    work: Work, codes: np.ndarray, n_groups: int, sl_threshold: float, short_abandon: float
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
    out = _compute(work, codes, n_groups, origin[codes], int(span.max()), 1, sl_threshold, short_abandon,
                   length_ns=span)  # fmt: skip
    return out, origin, end


def summary_by(
    contacts: pd.DataFrame, by: str, sl_threshold: float = 20.0, short_abandon: float = 0.0
) -> NotedFrame:
    """:func:`summary_kpis` of each group of `by`, each over its own period, as one table.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table.
    by : str
        Column whose values form the groups (e.g. ``"site"``, or a day or replication key).
        Unlike ``interval_stats(interval="1D")``, the time-weighted KPIs of a group (waiting,
        desks busy, occupancy) are averaged over that group's own span, from its first
        arrival to its last event, exactly as :func:`summary_kpis` of the group alone.
    sl_threshold, short_abandon : float
        As in :func:`interval_stats`, seconds.

    Returns
    -------
    NotedFrame
        One row per group (index: the `by` values, in order of first appearance), the
        columns of :data:`KPI_COLUMNS`, then ``span_s``; ``.notes`` says what could not be
        computed and why.
    """
    _check_thresholds(sl_threshold, short_abandon)
    who = "summary_by"
    work = read_contacts(contacts, [by], who=who)
    if work.frame.empty:
        return NotedFrame(columns=[*KPI_COLUMNS, "span_s"], notes=work.notes)
    codes, groups = pd.factorize(work.frame[by], use_na_sentinel=False)
    out, origin, end = _period(work, codes.astype(np.int64), len(groups), sl_threshold, short_abandon)
    _blank_unavailable(work, out, who)
    table = NotedFrame({k: out[k] for k in KPI_COLUMNS}, index=pd.Index(groups, name=by), notes=work.notes)
    table["span_s"] = (end - origin) / NS
    return table


def interval_stats(
    contacts: pd.DataFrame,
    interval: str | pd.Timedelta | float = "30min",
    by: Sequence[str] | str | None = None,
    sl_threshold: float = 20.0,
    short_abandon: float = 0.0,
) -> NotedFrame:
    """KPIs per interval (and per group): volumes, waits, service levels, queue and desks.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table (:mod:`waitlab.schema`). Only ``arrived_at`` is required; a KPI whose
        column is absent or entirely null comes out NaN, and a note says so.
    interval : str, Timedelta or float, default "30min"
        Interval length: a fixed length ("15min", "1h", "1D"), a Timedelta or seconds
        (read by :func:`waitlab.parse_interval`; it must divide a day). Intervals are aligned on local
        midnight; every interval from the one holding the first arrival to the one holding
        the last event is listed, empty ones with ``arrivals == 0``.
    by : str or list of str, optional
        Grouping columns, e.g. ``["site", "queue"]``, ``"channel"``, ``"server"``, and
        ``"dow"`` (day of week of the interval start, 0 = Monday). Each observed combination
        gets every interval. Null keys form their own group.
    sl_threshold : float, default 20.0
        Service-level target T, seconds: answered with wait <= T counts as within target.
    short_abandon : float, default 0.0
        Abandons with wait < this (seconds) are dropped from both sides of
        ``abandon_rate_excl_short`` and from the denominator of ``sl_offered``.

    Returns
    -------
    NotedFrame
        ``interval_start`` (tz-aware), the `by` columns, then :data:`KPI_COLUMNS`; times in
        seconds, shares in [0, 1]. See :mod:`waitlab.analytics.kpis` for every formula.
        ``.notes`` (a tuple of str) says what could not be computed and why.

    Raises
    ------
    SchemaError
        If ``arrived_at`` is missing or naive, or a `by` column does not exist.
    ValueError
        If `interval`, `sl_threshold` or `short_abandon` is invalid.

    Notes
    -----
    Volumes, waits, AHT, ASA, SL and abandonment belong to the interval of ``arrived_at``.
    ``waiting_*`` and ``desks_*`` are time-weighted over the interval with exact overlaps,
    so a wait or service that crosses a border is split between intervals.
    """
    by_list = [by] if isinstance(by, str) else list(by or [])
    _check_thresholds(sl_threshold, short_abandon)
    bin_ns = interval_ns(interval)
    who = "interval_stats"
    work = read_contacts(contacts, by_list, who=who)
    tz = work.tz
    key_cols = [c for c in by_list if c != "dow"]
    f = work.frame
    if f.empty:
        cols: dict[str, Any] = {"interval_start": pd.Series(dtype=f"datetime64[ns, {tz}]")}
        cols.update({c: pd.Series(dtype="int64" if c == "dow" else object) for c in by_list})
        cols.update({k: pd.Series(dtype=float) for k in KPI_COLUMNS})
        return NotedFrame(cols, notes=work.notes)
    codes, keys = group_codes(f, key_cols)
    arr_ns = to_ns(f["arrived_at"])[0]
    midnight = int(pd.Timestamp(f["arrived_at"].min()).normalize().as_unit("ns").value)
    origin = midnight + (int(arr_ns.min()) - midnight) // bin_ns * bin_ns  # bins aligned on local midnight
    last_arrival = int(arr_ns.max())
    n_bins = max((last_arrival - origin) // bin_ns, (_span_end(work) - origin - 1) // bin_ns) + 1
    out = _compute(work, codes, len(keys), origin, bin_ns, n_bins, sl_threshold, short_abandon)
    _blank_unavailable(work, out, who)
    starts_ns = np.tile(origin + np.arange(n_bins, dtype=np.int64) * bin_ns, len(keys))
    starts = pd.DatetimeIndex(starts_ns.view("datetime64[ns]")).tz_localize("UTC").tz_convert(tz)
    table = NotedFrame({"interval_start": starts})
    for col in by_list:
        if col == "dow":
            table["dow"] = table["interval_start"].dt.day_of_week.astype("int64")
        else:
            table[col] = np.repeat(keys[col].to_numpy(), n_bins)
            table[col] = table[col].astype(f[col].dtype)
    for k in KPI_COLUMNS:
        table[k] = out[k]
    table.notes = tuple(work.notes)
    return table


def summary_kpis(
    contacts: pd.DataFrame, sl_threshold: float = 20.0, short_abandon: float = 0.0
) -> KpiSummary:
    """The same KPIs as :func:`interval_stats` over the whole period, as one mapping.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table.
    sl_threshold, short_abandon : float
        As in :func:`interval_stats`, seconds.

    Returns
    -------
    KpiSummary
        A dict with every key of :data:`KPI_COLUMNS` (the time-weighted ones averaged over the
        span from the first arrival to the last event), plus ``first_arrival``,
        ``last_event`` and ``span_s`` (seconds). Counts are ints, the rest floats (NaN when a
        KPI cannot be computed). ``.notes`` (a tuple of str) says what could not be computed
        and why.
    """
    _check_thresholds(sl_threshold, short_abandon)
    who = "summary_kpis"
    work = read_contacts(contacts, [], who=who)
    if work.frame.empty:
        res: dict[str, Any] = {k: (0 if k in ("arrivals", "served", "abandoned", "no_show", "other") else np.nan)
                               for k in KPI_COLUMNS}  # fmt: skip
        res.update(first_arrival=pd.NaT, last_event=pd.NaT, span_s=0.0)
        return KpiSummary(res, notes=work.notes)
    codes = np.zeros(len(work.frame), dtype=np.int64)
    out, origins, ends = _period(work, codes, 1, sl_threshold, short_abandon)
    origin, end = int(origins[0]), int(ends[0])
    _blank_unavailable(work, out, who)
    res = {}
    for k in KPI_COLUMNS:
        v = out[k][0]
        res[k] = (
            int(v)
            if k in ("arrivals", "served", "abandoned", "no_show", "other") and np.isfinite(v)
            else float(v)
        )
    tz = work.tz
    res["first_arrival"] = pd.Timestamp(origin, tz="UTC").tz_convert(tz)
    res["last_event"] = pd.Timestamp(end, tz="UTC").tz_convert(tz)
    res["span_s"] = (end - origin) / NS
    return KpiSummary(res, notes=work.notes)
