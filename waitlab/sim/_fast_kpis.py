"""KPIs and wait limits of many simulated days straight from the engines' arrays.

The contacts route (:func:`waitlab.sim._kpis.days_kpis`, :func:`~waitlab.sim._kpis.days_breaches`)
builds a pandas contacts table and measures it; this module measures the same quantities from
the :class:`~waitlab.sim.DayArrays` of every day at once, with numpy, and gives the same
numbers: times are first rounded to whole nanoseconds exactly as the contacts table stores them
(``round(seconds * 1e9)``), waits are nanosecond differences turned into seconds by
``TimedeltaIndex.total_seconds`` as the contacts route does, and the per-day KPIs are computed by the very functions of
:mod:`waitlab.analytics.kpis` with one cell per day.

Covered: the counts and wait KPIs of :data:`FAST_KPIS` (:func:`fast_kpis`), every KPI of a
day with the time-weighted ones of :mod:`waitlab.sim._fast_time` (:func:`fast_days_kpis`), and
every limit of a rule set, total, standing and seated, with or without a seat count (the seat
sweep of :mod:`waitlab.sim._fast_seats`), plus the turn order with its tolerance
(:func:`fast_breaches`). ``waitlab.sim.run`` measures and judges its days only this way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from waitlab.sim._outcome import ABANDONED, NO_SHOW, SERVED

if TYPE_CHECKING:
    from waitlab.sim._day import SimulatedDay

__all__ = ["FAST_KPIS", "fast_breaches", "fast_days_kpis", "fast_kpis"]

#: KPI columns of :func:`waitlab.analytics.summary_by` measured here (the time-weighted ones,
#: waiting and desks, are not; ``prob_wait`` of a simulated day is the simulation's own, from
#: :func:`waitlab.sim._kpis._sim_kpis`).
FAST_KPIS = (
    "arrivals", "served", "abandoned", "no_show", "other",
    "wait_mean", "wait_p50", "wait_p90", "wait_p95", "wait_max",
    "mean_service", "asa", "sl_offered", "sl_answered", "abandon_rate", "abandon_rate_excl_short",
)  # fmt: skip


def _ns(seconds: np.ndarray) -> np.ndarray:
    """Seconds after the day start -> int64 ns as the contacts table stores them (NaN -> min int64)."""
    ns = np.round(seconds * 1e9)
    return np.where(np.isnan(ns), np.iinfo(np.int64).min, ns).astype(np.int64)


def _seconds(ns: np.ndarray, unknown: np.ndarray) -> np.ndarray:
    """Nanosecond durations -> seconds exactly as ``Series.dt.total_seconds`` computes them (NaN where unknown)."""
    import pandas as pd

    ns = np.where(unknown, np.iinfo(np.int64).min, ns)  # NaT
    return np.array(pd.TimedeltaIndex(ns.view("m8[ns]")).total_seconds(), dtype=np.float64)


def _stack(days: list[SimulatedDay]) -> dict[str, np.ndarray]:
    cat = np.concatenate
    n = [len(d.draws) for d in days]
    called = cat([d.arrays.called for d in days]) if days else np.zeros(0)
    ended = cat([d.arrays.ended for d in days]) if days else np.zeros(0)
    started = cat([d.arrays.started for d in days]) if days else np.zeros(0)
    arrival = cat([d.draws.arrival for d in days]) if days else np.zeros(0)
    leave = np.where(np.isnan(called), ended, called)
    wait = _seconds(_ns(leave) - _ns(arrival), np.isnan(leave))
    service = _seconds(_ns(ended) - _ns(started), np.isnan(ended) | np.isnan(started))
    wait[wait < 0] = np.nan
    service[service < 0] = np.nan
    return {
        "day": np.repeat(np.arange(len(days)), n), "wait": wait, "service": service,
        "outcome": cat([d.arrays.outcome for d in days]) if days else np.zeros(0, np.int8),
        "arrival_ns": _ns(arrival), "called_ns": _ns(called), "called_known": ~np.isnan(called),
        "leave_ns": _ns(leave), "started_ns": _ns(started), "ended_ns": _ns(ended),
        "server": cat([d.arrays.server for d in days]) if days else np.zeros(0, np.int64),
        "queue": cat([d.draws.queue for d in days]) if days else np.zeros(0, np.int64),
        "priority": cat([d.draws.priority for d in days]) if days else np.zeros(0, np.int64),
    }


def fast_kpis(days: list[SimulatedDay], sl_threshold: float = 20.0,
              stacked: dict[str, np.ndarray] | None = None) -> list[dict[str, float]]:
    """The :data:`FAST_KPIS` of each day, equal to ``summary_by(stack_contacts(days), "replication")``."""
    from waitlab.analytics import kpis

    s = _stack(days) if stacked is None else stacked
    o = s["outcome"]
    c = kpis.Cells(cell=s["day"], n=len(days), wait=s["wait"], service=s["service"], answered=o == SERVED,
                   abandoned=o == ABANDONED, no_show=o == NO_SHOW)
    out = {
        "arrivals": kpis.arrivals(c), "served": kpis.served(c), "abandoned": kpis.abandoned(c),
        "no_show": kpis.no_show(c), "other": kpis.other(c), "wait_mean": kpis.wait_mean(c),
        "wait_p50": kpis.wait_quantile(c, 0.50), "wait_p90": kpis.wait_quantile(c, 0.90),
        "wait_p95": kpis.wait_quantile(c, 0.95), "wait_max": kpis.wait_max(c),
        "mean_service": kpis.mean_service(c), "asa": kpis.asa(c),
        "abandon_rate": kpis.abandon_rate(c), "abandon_rate_excl_short": kpis.abandon_rate_excl_short(c, 0.0),
        "sl_offered": kpis.sl_offered(c, sl_threshold, 0.0), "sl_answered": kpis.sl_answered(c, sl_threshold),
    }
    return [{k: float(out[k][i]) for k in FAST_KPIS} for i in range(len(days))]


def fast_breaches(days: list[SimulatedDay], ruleset: Any, seats: Any = None,
                  stacked: dict[str, np.ndarray] | None = None) -> list[dict[str, float]]:
    """:func:`waitlab.sim._kpis.days_breaches` from the arrays: every limit kind, with or without seats.

    Total limits judge the wait; standing and seated limits judge the standing and seated
    seconds of the seat sweep (:func:`waitlab.sim._fast_seats.fast_standing`), kiosk days only.
    """
    from waitlab.sim._fast_seats import fast_standing

    s = _stack(days) if stacked is None else stacked
    n_days = len(days)
    day, wait = s["day"], s["wait"]
    kiosk = np.concatenate([np.full(len(d.draws), d.scenario.channel == "kiosk") for d in days]) \
        if days else np.zeros(0, bool)
    observed = {"total": wait}
    if seats is not None:  # checked as the contacts route checks it, whatever the limits
        from waitlab.sim._fast_seats import day_seat_count

        for d in days[:1]:
            day_seat_count(d.scenario.site, seats)
    if any(lim.kind != "total" for lim in ruleset.limits):
        observed["standing"], observed["seated"] = fast_standing(days, s, seats)
    any_hit = np.zeros(len(day), bool)
    per_rule = {}
    for lim in ruleset.limits:
        hit = np.nan_to_num(observed[lim.kind], nan=-np.inf) > lim.seconds
        any_hit |= hit
        per_rule[lim.id] = np.bincount(day[hit], minlength=n_days)
    breaching = np.bincount(day[any_hit], minlength=n_days)
    sizes = np.bincount(day, minlength=n_days)
    violations = _turn_order(s, kiosk, n_days, ruleset) if ruleset.checks_turn_order else np.zeros(n_days)
    out = []
    for k in range(n_days):
        row: dict[str, float] = {"breaching_share": float(breaching[k]) / sizes[k] if sizes[k] else float("nan")}
        for lim in ruleset.limits:
            row[f"breaches_{lim.id}"] = float(per_rule[lim.id][k])
        if ruleset.checks_turn_order:
            row["turn_order_violations"] = float(violations[k])
        for lim in ruleset.limits:
            row[f"breached_{lim.id}"] = float(row[f"breaches_{lim.id}"] > 0)
        row["breached_any"] = float(breaching[k] > 0 or (ruleset.checks_turn_order and violations[k] > 0))
        out.append(row)
    return out


def _turn_order(s: dict[str, np.ndarray], kiosk: np.ndarray, n_days: int, ruleset: Any) -> np.ndarray:
    """Overtaking tickets per day: called more than the tolerance before an earlier-issued ticket
    of the same day, queue and priority (kiosk tickets that were called)."""
    keep = kiosk & s["called_known"]
    day, arr, call = s["day"][keep], s["arrival_ns"][keep], s["called_ns"][keep]
    if not len(day):
        return np.zeros(n_days)
    q, p = s["queue"][keep], s["priority"][keep]
    nq = int(q.max()) + 1
    key = (day.astype(np.int64) * nq + q) * 2 + np.clip(p, 0, 1)  # orders as (day, queue, class)
    if p.min() < 0 or p.max() > 1:  # other classes: rank the triples
        key = np.unique(np.stack([day, q, p]), axis=1, return_inverse=True)[1].ravel()
    group = np.unique(key, return_inverse=True)[1].ravel()
    order = np.lexsort((arr, group))
    g, a, c = group[order], arr[order], call[order]
    base = c.min()
    rel = c - base  # >= 0, < 2**47 for a day
    acc = np.maximum.accumulate(g.astype(np.int64) * (1 << 48) + rel)
    # the running max before each row's block of equal (group, arrival): earlier-issued tickets only
    block_start = np.flatnonzero(np.r_[True, (g[1:] != g[:-1]) | (a[1:] != a[:-1])])
    first = block_start[np.cumsum(np.r_[True, (g[1:] != g[:-1]) | (a[1:] != a[:-1])]) - 1]
    prev = first - 1
    valid = (prev >= 0) & (g[np.clip(prev, 0, None)] == g)
    before = acc[np.clip(prev, 0, None)] - g.astype(np.int64) * (1 << 48)
    tol = int(round(ruleset.turn_order.tolerance_seconds * 1e9))
    over = valid & (before - rel > tol)
    return np.bincount(day[order][over], minlength=n_days).astype(float)


def fast_days_kpis(days: list[SimulatedDay], sl_threshold: float = 20.0,
                   stacked: dict[str, np.ndarray] | None = None) -> list[dict[str, float]]:
    """:func:`waitlab.sim._kpis.days_kpis` from the arrays: every KPI of every day, no contacts table.

    The :data:`FAST_KPIS` (:func:`fast_kpis`), the time-weighted ones
    (:func:`waitlab.sim._fast_time.fast_time_kpis`) and the simulation's own
    (:data:`waitlab.sim._kpis.SIM_KPIS`), keys in the order of ``days_kpis``; a day without
    customers is measured by the contacts route (its KPIs are mostly NaN and 0).
    """
    from waitlab.analytics import KPI_COLUMNS
    from waitlab.sim._fast_time import fast_time_kpis
    from waitlab.sim._kpis import _sim_kpis, day_kpis

    s = _stack(days) if stacked is None else stacked
    base = fast_kpis(days, sl_threshold, stacked=s)
    timed = fast_time_kpis(days, s)
    out = []
    for k, day in enumerate(days):
        if not len(day.draws):
            row = {c: float(v) for c, v in day_kpis(day, sl_threshold).items() if c in KPI_COLUMNS}
        else:
            row = {c: base[k][c] if c in base[k] else float(timed[c][k]) if c in timed else float("nan")
                   for c in KPI_COLUMNS}
        row.update(_sim_kpis(day))
        out.append(row)
    return out
