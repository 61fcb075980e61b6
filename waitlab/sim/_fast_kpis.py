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
    """The per-customer columns the measures read: nanosecond times, waits and services in seconds, ..."""
    from waitlab.sim._fast_judge import convert

    d, a = batch.draws, batch.arrays
    n = len(d["arrival"])
    cols = {k: np.empty(n, dtype=np.int64) for k in ("arrival_ns", "called_ns", "leave_ns", "started_ns",
                                                       "ended_ns")}
    wait, service = np.empty(n), np.empty(n)
    exact = convert(d["arrival"], a["called"], a["started"], a["ended"], wait, service, cols["arrival_ns"],
                    cols["called_ns"], cols["leave_ns"], cols["started_ns"], cols["ended_ns"])
    if not exact:  # pragma: no cover - durations of over 104 days: pandas' own rounding
        wait, service = _pandas_seconds(cols)
    return {"day": np.repeat(np.arange(batch.n_days), batch.sizes), "wait": wait, "service": service,
            "outcome": a["outcome"], "called_known": cols["called_ns"] != np.iinfo(np.int64).min, **cols,
            "server": a["server"], "queue": d["queue"], "priority": d["priority"]}


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


def batch_kpis(batch: DayBatch, s: dict[str, np.ndarray], sl_threshold: float = 20.0) -> list[dict[str, float]]:
    """Every KPI of every day of `batch` (the keys of ``days_kpis``); `s` is :func:`stack_batch` of it.

    A day without customers is measured by the contacts route (its KPIs are mostly NaN and 0).
    """
    from waitlab.analytics import KPI_COLUMNS, kpis
    from waitlab.sim._fast_judge import COLUMNS, measure
    from waitlab.sim._kpis import day_kpis

    sc = batch.scenario
    out = np.zeros((batch.n_days, len(COLUMNS)))
    if batch.n_days:
        a = batch.arrays
        measure(batch.offsets, s["outcome"], s["wait"], s["service"], s["arrival_ns"], s["called_ns"],
                s["started_ns"], s["ended_ns"], s["server"], batch.draws["arrival"], a["called"], a["ended"],
                float(sl_threshold), round(kpis.ON_DUTY_GAP * 1_000_000_000), float(sc.horizon),
                float(sc.on_duty.sum()) * float(sc.interval), float(sc.desk_hours()), out)
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in out.tolist()]
    for k in np.flatnonzero(batch.sizes == 0):  # a day without customers
        sim = {c: rows[k][c] for c in COLUMNS if c not in KPI_COLUMNS or c == "prob_wait"}
        rows[k] = {c: float(v) for c, v in day_kpis(batch.day(int(k)), sl_threshold).items() if c in KPI_COLUMNS}
        rows[k].update(sim)
    return rows


def batch_breaches(batch: DayBatch, s: dict[str, np.ndarray], ruleset: Any, seats: Any = None) -> list[dict[str, float]]:
    """:func:`waitlab.sim._kpis.days_breaches` of every day of `batch`; `s` is :func:`stack_batch` of it.

    Total limits judge the wait; standing and seated limits judge the standing and seated
    seconds of the seat sweep, kiosk days only.
    """
    from waitlab.sim._fast_limits import judge
    from waitlab.sim._fast_seats import batch_room_times, day_seat_count

    if seats is not None:  # checked as the contacts route checks it, whatever the limits
        day_seat_count(batch.scenario.site, seats)
    n = len(s["day"])
    kiosk = batch.scenario.channel == "kiosk"
    if kiosk and any(lim.kind != "total" for lim in ruleset.limits):
        standing, seated = batch_room_times(batch, s, seats)
    else:
        standing = seated = np.full(n, np.nan)
    kinds = np.array([("total", "standing", "seated").index(lim.kind) for lim in ruleset.limits], dtype=np.int64)
    limits = np.array([lim.seconds for lim in ruleset.limits], dtype=np.float64)
    q, p = s["queue"], s["priority"]
    if n and (p.min() < 0 or p.max() > 1):  # other classes: number them
        p = np.unique(p, return_inverse=True)[1].ravel()
    classes = int(p.max()) + 1 if n else 1
    line = q * classes + p
    turns = bool(kiosk and ruleset.checks_turn_order)
    tol = round(ruleset.turn_order.tolerance_seconds * 1e9) if ruleset.checks_turn_order else 0
    per_limit, breaching, overtaking = judge(batch.offsets, s["wait"], standing, seated, kinds, limits, turns, tol,
                                             line, max(int(line.max(initial=0)) + 1, 1), s["arrival_ns"],
                                             s["called_ns"])
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


def fast_kpis(days: Sequence[SimulatedDay], sl_threshold: float = 20.0,
              stacked: dict[str, np.ndarray] | None = None) -> list[dict[str, float]]:
    """The :data:`FAST_KPIS` of each day, equal to ``summary_by(stack_contacts(days), "replication")``."""
    rows = fast_days_kpis(days, sl_threshold, stacked)
    return [{k: row[k] for k in FAST_KPIS} for row in rows]


def fast_days_kpis(days: Sequence[SimulatedDay], sl_threshold: float = 20.0,
                   stacked: dict[str, np.ndarray] | None = None) -> list[dict[str, float]]:
    """:func:`waitlab.sim._kpis.days_kpis` from the arrays: every KPI of every day, no contacts table."""
    if not days:
        return []
    batch = _batch(days)
    return batch_kpis(batch, stack_batch(batch) if stacked is None else stacked, sl_threshold)


def fast_breaches(days: Sequence[SimulatedDay], ruleset: Any, seats: Any = None,
                  stacked: dict[str, np.ndarray] | None = None) -> list[dict[str, float]]:
    """:func:`waitlab.sim._kpis.days_breaches` from the arrays: every limit kind, with or without seats."""
    if not days:
        return []
    batch = _batch(days)
    return batch_breaches(batch, stack_batch(batch) if stacked is None else stacked, ruleset, seats)
