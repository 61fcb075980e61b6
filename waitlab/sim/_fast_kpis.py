"""KPIs and wait limits of many simulated days straight from the engines' arrays.

The contacts route (:func:`waitlab.sim._kpis.days_kpis`, :func:`~waitlab.sim._kpis.days_breaches`)
builds a pandas contacts table and measures it; this module measures the same quantities from
the stacked arrays of the days (a :class:`~waitlab.sim._fast_batch.DayBatch`) with compiled
kernels and gives the same numbers, bit for bit: :mod:`waitlab.sim._fast_judge` measures every KPI
of :func:`waitlab.analytics.summary_by` (time-weighted ones included) and the simulation's own
(:data:`waitlab.sim._kpis.SIM_KPIS`), :mod:`waitlab.sim._fast_limits` judges every limit of a rule
set, total, standing and seated, with or without a seat count (the seat sweep of
:mod:`waitlab.sim._fast_seats`), and the turn order with its tolerance. ``waitlab.sim.run``
measures and judges its days only this way.

The functions taking a list of :class:`~waitlab.sim.SimulatedDay` (days of one scenario) stack
them first; ``run`` passes its batch directly (:func:`batch_kpis`, :func:`batch_breaches`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from waitlab.exceptions import ArgumentError

if TYPE_CHECKING:
    from waitlab.sim._day import SimulatedDay
    from waitlab.sim._fast_batch import DayBatch

__all__ = ["FAST_KPIS", "batch_breaches", "batch_kpis", "fast_breaches", "fast_days_kpis", "fast_kpis", "stack_batch"]

#: KPI columns of :func:`waitlab.analytics.summary_by` that belong to the arrival's cell
#: (counts, waits, service levels, abandonment; not the time-weighted ones, nor ``prob_wait``,
#: which a simulated day reports as the simulation's own).
FAST_KPIS = (
    "arrivals", "served", "abandoned", "no_show", "other",
    "wait_mean", "wait_p50", "wait_p90", "wait_p95", "wait_max",
    "mean_service", "asa", "sl_offered", "sl_answered", "abandon_rate", "abandon_rate_excl_short",
)  # fmt: skip


def _batch(days: Sequence[SimulatedDay]) -> DayBatch:
    from waitlab.sim._fast_batch import DayBatch

    if any(d.scenario.channel != days[0].scenario.channel or d.scenario.site != days[0].scenario.site
           for d in days):
        raise ArgumentError("`days` must be days of one scenario (one channel and site).")
    return DayBatch.from_days(days)


def stack_batch(batch: DayBatch) -> dict[str, np.ndarray]:
    """Per-customer columns of `batch`: ``day``, ``wait`` and ``service`` (seconds), ``outcome``, the
    nanosecond times (``arrival_ns``, ``called_ns``, ``leave_ns``, ``started_ns``, ``ended_ns``) and
    ``server``; what :func:`waitlab.sim._fast_intervals.fast_intervals` and the seat sweep of
    :func:`waitlab.sim._fast_seats.fast_standing` read (the compiled measures convert day by day)."""
    from waitlab.sim._fast_judge import convert

    d, a = batch.draws, batch.arrays
    n = len(d["arrival"])
    cols = {k: np.empty(n, dtype=np.int64) for k in ("arrival_ns", "called_ns", "leave_ns", "started_ns",
                                                       "ended_ns")}
    wait, service = np.empty(n), np.empty(n)
    exact = convert(d["arrival"], a["called"], a["started"], a["ended"], 0, n, wait, service, cols["arrival_ns"],
                    cols["called_ns"], cols["leave_ns"], cols["started_ns"], cols["ended_ns"])
    if not exact:  # pragma: no cover - durations of over 104 days: pandas' own rounding
        wait, service = _pandas_seconds(cols)
    return {"day": np.repeat(np.arange(batch.n_days), batch.sizes), "wait": wait, "service": service,
            "outcome": a["outcome"], **cols, "server": a["server"]}


def _pandas_seconds(cols: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
    import pandas as pd

    nat = np.iinfo(np.int64).min

    def seconds(end: np.ndarray, start: np.ndarray) -> np.ndarray:
        unknown = (end == nat) | (start == nat)
        ns = np.where(unknown, nat, end - start)
        out = np.array(pd.TimedeltaIndex(ns.view("m8[ns]")).total_seconds(), dtype=np.float64)
        out[out < 0] = np.nan
        return out

    return seconds(cols["leave_ns"], cols["arrival_ns"]), seconds(cols["ended_ns"], cols["started_ns"])


def _stack(days: Sequence[SimulatedDay]) -> dict[str, np.ndarray]:
    """:func:`stack_batch` of a list of days (of one scenario)."""
    return stack_batch(_batch(days))


def batch_kpis(batch: DayBatch, sl_threshold: float = 20.0) -> list[dict[str, float]]:
    """Every KPI of every day of `batch` (the keys of ``days_kpis``), from its arrays.

    A day without customers is measured by the contacts route (its KPIs are mostly NaN and 0),
    and so are all the days if one holds a duration too long for exact seconds (over 104 days).
    """
    from waitlab.analytics import KPI_COLUMNS, kpis
    from waitlab.sim._fast_judge import COLUMNS, measure
    from waitlab.sim._kpis import day_kpis, days_kpis

    sc = batch.scenario
    out = np.zeros((batch.n_days, len(COLUMNS)))
    if batch.n_days:
        d, a = batch.draws, batch.arrays
        exact = measure(batch.offsets, d["arrival"], a["called"], a["started"], a["ended"], a["outcome"], a["server"],
                        float(sl_threshold), round(kpis.ON_DUTY_GAP * 1_000_000_000), float(sc.horizon),
                        float(sc.on_duty.sum()) * float(sc.interval), float(sc.desk_hours()), out)
        if not exact:  # pragma: no cover - durations of over 104 days
            return days_kpis([batch.day(k) for k in range(batch.n_days)], sl_threshold)
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in out.tolist()]
    for k in np.flatnonzero(batch.sizes == 0):  # a day without customers
        sim = {c: rows[k][c] for c in COLUMNS if c not in KPI_COLUMNS or c == "prob_wait"}
        rows[k] = {c: float(v) for c, v in day_kpis(batch.day(int(k)), sl_threshold).items() if c in KPI_COLUMNS}
        rows[k].update(sim)
    return rows


def batch_breaches(batch: DayBatch, ruleset: Any, seats: Any = None) -> list[dict[str, float]]:
    """:func:`waitlab.sim._kpis.days_breaches` of every day of `batch`, from its arrays.

    Total limits judge the wait; standing and seated limits judge the standing and seated
    seconds of the seat sweep, kiosk days only.
    """
    from waitlab.sim._fast_limits import judge
    from waitlab.sim._fast_seats import day_seat_count
    from waitlab.sim._kpis import days_breaches

    cap = day_seat_count(batch.scenario.site, seats)  # checked as the contacts route checks it
    d, a = batch.draws, batch.arrays
    kinds = np.array([("total", "standing", "seated").index(lim.kind) for lim in ruleset.limits], dtype=np.int64)
    limits = np.array([lim.seconds for lim in ruleset.limits], dtype=np.float64)
    p = d["priority"]
    if len(p) and (p.min() < 0 or p.max() > 1):  # other classes: number them
        p = np.unique(p, return_inverse=True)[1].ravel()
    tol = round(ruleset.turn_order.tolerance_seconds * 1e9) if ruleset.checks_turn_order else 0
    exact, per_limit, breaching, overtaking = judge(
        batch.offsets, d["arrival"], a["called"], a["started"], a["ended"], d["queue"], p,
        batch.scenario.channel == "kiosk", -1 if cap is None else cap, bool((kinds != 0).any()), kinds, limits,
        ruleset.checks_turn_order, tol, int(p.max(initial=1)) + 1)
    if not exact:  # pragma: no cover - durations of over 104 days
        return days_breaches([batch.day(k).contacts for k in range(batch.n_days)], ruleset, seats)
    ids = [lim.id for lim in ruleset.limits]
    out = []
    for size, hits, tot, over in zip(batch.sizes.tolist(), per_limit.tolist(), breaching.tolist(),
                                     overtaking.tolist(), strict=True):
        row: dict[str, float] = {"breaching_share": tot / size if size else float("nan")}
        row.update({f"breaches_{i}": float(h) for i, h in zip(ids, hits, strict=True)})
        if ruleset.checks_turn_order:
            row["turn_order_violations"] = float(over)
        row.update({f"breached_{i}": float(h > 0) for i, h in zip(ids, hits, strict=True)})
        row["breached_any"] = float(tot > 0 or (ruleset.checks_turn_order and over > 0))
        out.append(row)
    return out


def fast_kpis(days: Sequence[SimulatedDay], sl_threshold: float = 20.0) -> list[dict[str, float]]:
    """The :data:`FAST_KPIS` of each day, equal to ``summary_by(stack_contacts(days), "replication")``."""
    rows = fast_days_kpis(days, sl_threshold)
    return [{k: row[k] for k in FAST_KPIS} for row in rows]


def fast_days_kpis(days: Sequence[SimulatedDay], sl_threshold: float = 20.0) -> list[dict[str, float]]:
    """:func:`waitlab.sim._kpis.days_kpis` from the arrays: every KPI of every day, no contacts table."""
    if not days:
        return []
    return batch_kpis(_batch(days), sl_threshold)


def fast_breaches(days: Sequence[SimulatedDay], ruleset: Any, seats: Any = None) -> list[dict[str, float]]:
    """:func:`waitlab.sim._kpis.days_breaches` from the arrays: every limit kind, with or without seats."""
    if not days:
        return []
    return batch_breaches(_batch(days), ruleset, seats)
