"""Interval analytics: KPIs per interval and group, and for the whole period.

The formulas are in :mod:`waitlab.analytics.kpis`; this module only sorts contacts into
cells (interval x group), splits waits and services exactly over interval borders, and lays
the results out as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from waitlab._notes import NotedFrame
from waitlab.analytics import kpis
from waitlab.analytics._on_duty import OnDuty, log_spans, on_duty_options, on_duty_spans
from waitlab.analytics._pools import contact_pools
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

__all__ = ["KPI_COLUMNS", "interval_stats"]

#: The KPI columns of :func:`interval_stats`, in order (after ``interval_start`` and `by`).
KPI_COLUMNS = (
    "arrivals", "served", "abandoned", "no_show", "other",
    "wait_mean", "wait_p50", "wait_p90", "wait_p95", "wait_max",
    "mean_service", "asa", "sl_offered", "sl_answered", "prob_wait", "abandon_rate", "abandon_rate_excl_short",
    "waiting_mean", "waiting_max", "desks_present", "desks_on_duty", "desks_busy", "occupancy",
)  # fmt: skip

SlThreshold = float | Sequence[float]


@dataclass(frozen=True, slots=True)
class Options:
    """Checked options shared by interval_stats, summary_kpis and summary_by."""

    thresholds: tuple[float, ...]
    listed: bool  # sl_threshold given as a list: one suffixed SL column pair per threshold
    short_abandon: float
    on_duty: OnDuty

    def columns(self) -> list[str]:
        """The KPI columns, with ``sl_offered_<T>``, ``sl_answered_<T>`` per threshold when listed."""
        if not self.listed:
            return list(KPI_COLUMNS)
        sl = [f"{k}_{t:g}" for t in self.thresholds for k in ("sl_offered", "sl_answered")]
        i = KPI_COLUMNS.index("sl_offered")
        return [*KPI_COLUMNS[:i], *sl, *KPI_COLUMNS[i + 2 :]]


def read_options(
    sl_threshold: SlThreshold, short_abandon: float, on_duty: str, on_duty_gap: str | pd.Timedelta | float,
    on_duty_bin: str | pd.Timedelta | float, sessions: pd.DataFrame | None = None,
) -> Options:  # fmt: skip
    listed = not isinstance(sl_threshold, int | float | np.number)
    if listed and (not isinstance(sl_threshold, Sequence) or isinstance(sl_threshold, str) or not sl_threshold):
        raise ArgumentError(f"`sl_threshold` must be seconds or a non-empty list of seconds, got {sl_threshold!r}.")
    values: list[Any] = list(sl_threshold) if isinstance(sl_threshold, Sequence) else [sl_threshold]
    for name, v in [*(("sl_threshold", t) for t in values), ("short_abandon", short_abandon)]:
        if isinstance(v, bool) or not (isinstance(v, int | float | np.integer | np.floating) and np.isfinite(v) and v >= 0):
            raise ArgumentError(f"`{name}` must be a finite number of seconds >= 0, got {v!r}.")
    if len({f"{t:g}" for t in values}) < len(values):
        raise ArgumentError(f"`sl_threshold` lists the same threshold twice ({values!r}); list each once.")
    return Options(tuple(float(t) for t in values), listed, float(short_abandon),
                   on_duty_options(on_duty, on_duty_gap, on_duty_bin, sessions))  # fmt: skip


def compute_cells(
    work: Work, codes: np.ndarray, n_groups: int, origin: int | np.ndarray, bin_ns: int, n_bins: int,
    opt: Options, length_ns: np.ndarray | None = None,
) -> dict[str, np.ndarray]:  # fmt: skip
    """All KPI columns for cells ``group * n_bins + bin`` (arrays of length groups*bins).

    `origin` is one instant or one per row (each group's own time zero); `length_ns`, one per
    cell, replaces `bin_ns` as the length the time averages divide by (a group's own span).
    """
    f = work.frame
    n_cells = n_groups * n_bins
    arr_ns, _ = to_ns(f["arrived_at"])
    origin = np.asarray(np.broadcast_to(np.asarray(origin, dtype=np.int64), arr_ns.shape))
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
        "prob_wait": kpis.prob_wait(c),
        "abandon_rate": kpis.abandon_rate(c),
        "abandon_rate_excl_short": kpis.abandon_rate_excl_short(c, opt.short_abandon),
    }
    for t in opt.thresholds:
        sfx = f"_{t:g}" if opt.listed else ""
        out["sl_offered" + sfx] = kpis.sl_offered(c, t, opt.short_abandon)
        out["sl_answered" + sfx] = kpis.sl_answered(c, t)
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
    if opt.on_duty.estimator == "log" and opt.on_duty.sessions is not None:
        grp, lo, hi = log_spans(f, codes, n_groups, opt.on_duty.sessions, work.notes)
        g_origin = np.zeros(n_groups, dtype=np.int64)
        g_origin[codes] = origin  # each group's own time zero
        lo, hi = lo - g_origin[grp], hi - g_origin[grp]
    else:
        row, lo, hi = on_duty_spans(f, codes, opt.on_duty, per_group=length_ns is not None)
        grp, lo, hi = codes[row], lo - origin[row], hi - origin[row]
    if length_ns is not None:  # a group's own period: a presence bin may run past its last event
        hi = np.minimum(hi, length_ns[grp])
        lo = np.maximum(lo, 0)
    part, b, ov = split_spans(lo, hi, bin_ns, n_bins)
    duty = np.bincount(grp[part] * n_bins + b, weights=ov / NS, minlength=n_cells)
    out["desks_on_duty"] = kpis.desks_on_duty(duty, length_s)
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


def blank_unavailable(work: Work, out: dict[str, np.ndarray], opt: Options, who: str) -> None:
    note_unavailable(work, list(KPI_NEEDS), who=who)
    for col in opt.columns():
        base = "sl_" + col.split("_")[1] if col.startswith("sl_") else col  # sl_offered_20 -> sl_offered
        if work.kpi_unavailable(base):
            out[col] = np.full(len(out[col]), np.nan)
    if not work.kpi_unavailable("desks_on_duty"):
        work.notes.append(opt.on_duty.note())


def _span_end(work: Work) -> int:
    """Latest known timestamp of the table, ns."""
    latest = []
    for col in ("arrived_at", "called_at", "started_at", "ended_at"):
        ns, ok = to_ns(work.frame[col])
        if ok.any():
            latest.append(int(ns[ok].max()))
    return max(latest)


def with_pool(contacts: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """`contacts` with a ``pool`` column (:func:`contact_pools`) when `by` asks for one it lacks."""
    if "pool" in by and isinstance(contacts, pd.DataFrame) and "pool" not in contacts.columns:
        return contacts.assign(pool=contact_pools(contacts))
    return contacts


def interval_stats(
    contacts: pd.DataFrame,
    interval: str | pd.Timedelta | float = "30min",
    by: Sequence[str] | str | None = None,
    sl_threshold: SlThreshold = 20.0,
    short_abandon: float = 0.0,
    *,
    on_duty: str = kpis.ON_DUTY_DEFAULT,
    on_duty_gap: str | pd.Timedelta | float = kpis.ON_DUTY_GAP,
    on_duty_bin: str | pd.Timedelta | float = "5min",
    sessions: pd.DataFrame | None = None,
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
        Grouping columns, e.g. ``["site", "queue"]``, ``"channel"``, ``"server"``, ``"dow"``
        (day of week of the interval start, 0 = Monday) and ``"pool"``: when the table has no
        ``pool`` column, each contact gets the pool of its queue,
        :func:`~waitlab.analytics.contact_pools` with ``min_share=0.1`` (for another share, add
        the column yourself: ``contacts.assign(pool=contact_pools(contacts, min_share=0.2))``).
        Each observed combination gets every interval. Null keys form their own group.
    sl_threshold : float or list of float, default 20.0
        Service-level target T, seconds: answered with wait <= T counts as within target. One
        number gives the columns ``sl_offered`` and ``sl_answered``; a list such as
        ``[20, 60]`` gives ``sl_offered_20``, ``sl_answered_20``, ``sl_offered_60``, ... in
        their place.
    short_abandon : float, default 0.0
        Abandons with wait < this (seconds) are dropped from both sides of
        ``abandon_rate_excl_short`` and from the denominator of ``sl_offered``.
    on_duty : {"available", "gaps", "presence", "log"}, default "available"
        Estimator of ``desks_on_duty`` (:func:`waitlab.analytics.kpis.desks_on_duty`): a desk
        is on duty through idle gaps shorter than `on_duty_gap` between its services, except
        while contacts of its main queues were waiting ("available"), through those gaps whatever
        happened ("gaps"), or for every `on_duty_bin` bin in which it served ("presence");
        "log" measures it from `sessions` (logged in and not paused). With "log" and no
        `sessions` or an empty one (a log without member events), "available" is used and a
        note says so.
    on_duty_gap : float, str or Timedelta, default 900 (15 min)
        Break threshold of "available" and "gaps": an idle gap this long or longer is a break.
    on_duty_bin : str, Timedelta or float, default "5min"
        Bin width of the "presence" estimator (it must divide a day).
    sessions : DataFrame, optional
        Agent sessions for ``on_duty="log"``: ``report.agent_sessions`` of an Asterisk
        ``queue_log`` read with :func:`waitlab.read_log` (columns ``agent``, ``queue``,
        ``start``, ``end``, ``paused``). A stretch counts for the group of its queue's
        contacts (with no queue: of every group the agent served).

    Returns
    -------
    NotedFrame
        ``interval_start`` (tz-aware), the `by` columns, then :data:`KPI_COLUMNS` (SL columns
        per threshold when `sl_threshold` is a list); times in seconds, shares in [0, 1]. See
        :mod:`waitlab.analytics.kpis` for every formula. ``.notes`` (a tuple of str) states the
        desks-on-duty estimator and says what could not be computed and why.

    Raises
    ------
    SchemaError
        If ``arrived_at`` is missing or naive, or a `by` column does not exist.
    ArgumentError
        If `interval`, `sl_threshold`, `short_abandon` or an ``on_duty*`` option is invalid.

    Notes
    -----
    Volumes, waits, AHT, ASA, SL, ``prob_wait`` and abandonment belong to the interval of
    ``arrived_at``. ``waiting_*`` and ``desks_*`` are time-weighted over the interval with
    exact overlaps, so a wait or service that crosses a border is split between intervals;
    ``desks_on_duty`` of an hour is exactly the mean of its four 15-minute values.
    """
    by_list = [by] if isinstance(by, str) else list(by or [])
    opt = read_options(sl_threshold, short_abandon, on_duty, on_duty_gap, on_duty_bin, sessions)
    bin_ns = interval_ns(interval)
    who = "interval_stats"
    work = read_contacts(with_pool(contacts, by_list), by_list, who=who)
    tz = work.tz
    key_cols = [c for c in by_list if c != "dow"]
    f = work.frame
    columns = opt.columns()
    if f.empty:
        cols: dict[str, Any] = {"interval_start": pd.Series(dtype=f"datetime64[ns, {tz}]")}
        cols.update({c: pd.Series(dtype="int64" if c == "dow" else object) for c in by_list})
        cols.update({k: pd.Series(dtype=float) for k in columns})
        return NotedFrame(cols, notes=work.notes)
    codes, keys = group_codes(f, key_cols)
    arr_ns = to_ns(f["arrived_at"])[0]
    midnight = int(pd.Timestamp(f["arrived_at"].min()).normalize().as_unit("ns").value)
    origin = midnight + (int(arr_ns.min()) - midnight) // bin_ns * bin_ns  # bins aligned on local midnight
    last_arrival = int(arr_ns.max())
    n_bins = max((last_arrival - origin) // bin_ns, (_span_end(work) - origin - 1) // bin_ns) + 1
    out = compute_cells(work, codes, len(keys), origin, bin_ns, n_bins, opt)
    blank_unavailable(work, out, opt, who)
    starts_ns = np.tile(origin + np.arange(n_bins, dtype=np.int64) * bin_ns, len(keys))
    starts = pd.DatetimeIndex(starts_ns.view("datetime64[ns]")).tz_localize("UTC").tz_convert(tz)
    table = NotedFrame({"interval_start": starts})
    for col in by_list:
        if col == "dow":
            table["dow"] = table["interval_start"].dt.day_of_week.astype("int64")
        else:
            table[col] = np.repeat(keys[col].to_numpy(), n_bins)
            table[col] = table[col].astype(f[col].dtype)
    for k in columns:
        table[k] = out[k]
    table.notes = tuple(work.notes)
    return table
