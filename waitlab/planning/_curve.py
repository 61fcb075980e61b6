"""Cost and benefit: what each budget of desk-hours buys in breaches and waits.

For a range of budgets, the desks are spread over the day in the shape of a reference plan
(usually the iterative plan) by Webster's highest-averages method: starting from the minimum,
each further desk-interval goes to the interval with the largest ``plan_i / (s_i + 1/2)``.
That method is *house-monotone*: a larger budget never takes a desk away from any interval,
so the plans along the curve are nested, and at the reference plan's own budget it gives the
reference plan exactly. Every plan is simulated with the same seed (common random numbers),
so the differences between points are not blurred by sampling noise.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from waitlab._ci import t_interval
from waitlab._random import RNG, root_seed
from waitlab.planning._assess import SimulatedDays, assess
from waitlab.planning._errors import PlanningError, interval_width
from waitlab.planning._staffing import Evaluator
from waitlab.planning._targets import Target

__all__ = ["CostCurve", "cost_curve", "nested_allocations"]


def nested_allocations(shape: ArrayLike, totals: Sequence[int], *, minimum: ArrayLike = 0) -> list[np.ndarray]:
    """Desks per interval for each total, spread like `shape` (Webster's method; nested in the total).

    Parameters
    ----------
    shape : array_like of float
        Reference desks per interval (>= 0); the allocation follows its proportions.
    totals : sequence of int
        Total desk-intervals wanted; each must be >= the sum of `minimum`.
    minimum : int or array_like of int
        Fewest desks in each interval.

    Returns
    -------
    list of ndarray of int
        One allocation per total, in the order given. An allocation for a larger total is
        >= one for a smaller total in every interval; ``shape`` itself is returned for
        ``total == sum(shape)`` when `shape` holds integers >= `minimum`.
    """
    w = np.asarray(shape, dtype=float)
    lo = np.broadcast_to(np.asarray(minimum, dtype=np.int64), w.shape).copy()
    if w.ndim != 1 or np.any(w < 0) or not np.any(w > 0):
        raise PlanningError("`shape` must be a 1-D array of desks >= 0 with at least one positive value.")
    want = [int(t) for t in totals]
    if any(t < lo.sum() for t in want):
        raise PlanningError(f"budgets must allow the minimum of {int(lo.sum())} desk-intervals; got {min(want)}.")
    order = sorted(range(len(want)), key=lambda k: want[k])
    s = lo.copy()
    heap = [(-w[i] / (s[i] + 0.5), i) for i in range(w.size) if w[i] > 0]
    heapq.heapify(heap)
    out: list[np.ndarray] = [np.empty(0)] * len(want)
    total = int(s.sum())
    for k in order:
        while total < want[k]:
            _, i = heapq.heappop(heap)
            s[i] += 1
            total += 1
            heapq.heappush(heap, (-w[i] / (s[i] + 0.5), i))
        out[k] = s.copy()
    return out


@dataclass(frozen=True)
class CostCurve:
    """Expected breaches and waits for a range of budgets.

    Attributes
    ----------
    table : DataFrame
        One row per plan: ``label``, ``desk_hours``, ``cost`` (NaN when no cost model was
        given), ``customers_per_day``, then for each wait limit ``share_<name>``,
        ``breaches_per_day_<name>`` and ``p_day_any_<name>`` with ``_ci_low``/``_ci_high``,
        ``mean_wait_s`` with its CI, ``abandon_rate`` with its CI, and
        ``intervals_meeting_targets`` (share of intervals where every per-interval target holds).
    plans : dict of str to ndarray
        Desks per interval of each row, by label.
    limits : dict of str to (float, str)
        Wait limits in the table: name -> (seconds, measure).
    reference : str
        Label of the reference plan.
    """

    table: pd.DataFrame
    plans: dict[str, np.ndarray]
    limits: dict[str, tuple[float, str]]
    reference: str

    def figure(self, x: str = "desk_hours", lang: str = "en"):  # type: ignore[no-untyped-def]
        """Matplotlib figure (object API, no backend needed): breaches per day and mean wait against the budget, with 95 % CIs."""
        from waitlab.planning._plots import curve_figure

        return curve_figure(self, x=x, lang=lang)


def _mean_ci(per_day: np.ndarray, confidence: float) -> tuple[float, float, float]:
    """Mean over days with a Student-t interval (the mean itself with a single day)."""
    m, lo, hi, _, r = t_interval(per_day, confidence)
    return (m, m, m) if r < 2 else (m, lo, hi)


def _row(days: SimulatedDays, targets: Sequence[Target], limits: Mapping[str, tuple[float, str]], n: int,
         interval: float, confidence: float) -> dict[str, float]:
    R = days.replications
    row: dict[str, float] = {"customers_per_day": days.customers / R}
    day_targets = []
    for name, (limit, measure) in limits.items():
        day_targets.append(Target(metric="share_wait_over", bound=0.5, limit=limit, per="day", measure=measure,  # type: ignore[arg-type]
                                  name=f"share_{name}"))
        day_targets.append(Target(metric="day_any_wait_over", bound=0.5, limit=limit, measure=measure,  # type: ignore[arg-type]
                                  name=f"p_day_any_{name}"))
        over = (days.measured(measure) > limit).astype(float)
        m, lo, hi = _mean_ci(np.bincount(days.replication, weights=over, minlength=R), confidence)
        row[f"breaches_per_day_{name}"], row[f"breaches_per_day_{name}_ci_low"] = m, lo
        row[f"breaches_per_day_{name}_ci_high"] = hi
    day_targets.append(Target(metric="mean_wait", bound=1.0, per="day", name="mean_wait_s"))
    day_targets.append(Target(metric="abandon_rate", bound=0.5, per="day", name="abandon_rate"))
    a = assess(days, day_targets, n_intervals=n, interval=interval, confidence=confidence)
    for f in a.figures:
        k = f.target.name
        row[k], row[f"{k}_ci_low"], row[f"{k}_ci_high"] = float(f.estimate[0]), float(f.ci_low[0]), float(f.ci_high[0])
    per_interval = [t for t in targets if t.per == "interval"]
    if per_interval:
        b = assess(days, per_interval, n_intervals=n, interval=interval, confidence=confidence)
        ok = np.ones(n, dtype=bool)
        for f in b.figures:
            ok &= f.holds
        row["intervals_meeting_targets"] = float(ok.mean())
    return row


def cost_curve(evaluate: Evaluator, reference: ArrayLike, targets: Sequence[Target], *, interval: str | pd.Timedelta | float,
               budgets: Sequence[float] | None = None, scales: Sequence[float] = (0.75, 0.8, 0.85, 0.9, 0.95, 1.0,
                                                                              1.05, 1.1, 1.2),
               min_desks: ArrayLike = 1, rng: RNG = None, confidence: float = 0.95,
               extra_plans: Mapping[str, ArrayLike] | None = None,
               cost: Callable[[np.ndarray], float] | None = None, reference_label: str = "plan",
               progress: Callable[[str], None] | None = None) -> CostCurve:
    """Simulate a range of budgets spread like `reference` and tabulate breaches and waits.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(desks, seed) -> SimulatedDays`` (see :func:`plan_staffing`).
    reference : array_like of int
        Desks per interval whose shape the budgets follow (e.g. ``StaffingPlan.desks``).
    targets : sequence of Target
        The targets; every wait limit among them gets breach columns, and the per-interval
        targets give ``intervals_meeting_targets``.
    interval : str, Timedelta or float
        Interval length: "30min", a Timedelta or seconds.
    budgets : sequence of float, optional
        Desk-hours of each point. Default: `scales` times the reference's desk-hours.
    scales : sequence of float
        Used when `budgets` is None.
    min_desks : int or array_like
        Fewest desks per interval in every plan.
    rng : numpy.random.Generator, int, SeedSequence or None
        Randomness of the simulations (scipy's convention); one integer seed is derived from
        it and passed to `evaluate` for every point (common random numbers).
    confidence : float
        Confidence level of the intervals.
    extra_plans : mapping of str to array_like, optional
        Other plans to simulate and add as labelled rows (e.g. ``{"sipp": sipp_plan(...)}``).
    cost : callable, optional
        ``cost(desks) -> float`` for the ``cost`` column (e.g. the cost of the cheapest roster).
        It may raise ``ValueError`` for a plan it cannot price; the cost is then NaN.
    reference_label : str
        Label of the reference row.
    progress : callable, optional
        Called with one line of text after each simulated point.

    Returns
    -------
    CostCurve
    """
    interval = interval_width(interval)
    ref = np.asarray(reference)
    if ref.ndim != 1 or ref.size == 0 or np.any(ref < 0) or np.any(ref != np.round(ref)):
        raise PlanningError("`reference` must be a 1-D plan of whole desks >= 0 per interval.")
    ref = ref.astype(np.int64)
    n = ref.size
    per_hour = 3600.0 / interval
    lo = np.broadcast_to(np.asarray(min_desks, dtype=np.int64), (n,))
    if budgets is None:
        totals = sorted({max(int(round(ref.sum() * s)), int(lo.sum())) for s in scales} | {int(ref.sum())})
    else:
        if any(not (b > 0) for b in budgets):
            raise PlanningError("`budgets` must be positive desk-hours.")
        totals = sorted({max(int(round(b * per_hour)), int(lo.sum())) for b in budgets})
    allocations = nested_allocations(ref, totals, minimum=np.minimum(lo, ref))
    plans: dict[str, np.ndarray] = {}
    for tot, alloc in zip(totals, allocations, strict=True):
        label = reference_label if tot == int(ref.sum()) else f"{tot / per_hour:g} desk-hours"
        plans[label] = alloc
    if reference_label in plans:
        plans[reference_label] = ref.copy()
    for k, v in (extra_plans or {}).items():
        plans[k] = np.asarray(v, dtype=np.int64)
    limits: dict[str, tuple[float, str]] = {}
    for t in targets:
        if t.metric in ("share_wait_over", "day_any_wait_over"):
            key = f"{t.measure}_over_{t.limit / 60:g}min"
            limits.setdefault(key, (t.limit, t.measure))
    seed_int = int(np.random.SeedSequence(root_seed(rng)).generate_state(1, np.uint32)[0])
    rows = []
    for label, plan in plans.items():
        days = evaluate(plan.copy(), seed_int)
        row: dict[str, object] = {"label": label, "desk_hours": float(plan.sum() / per_hour)}
        c = np.nan
        if cost is not None:
            try:
                c = float(cost(plan))
            except ValueError:
                c = np.nan
        row["cost"] = c
        row.update(_row(days, targets, limits, n, interval, confidence))
        rows.append(row)
        if progress is not None:
            progress(f"[curve] {label}: {row['desk_hours']:.2f} desk-hours simulated")
    table = pd.DataFrame(rows).sort_values(["desk_hours", "label"], ignore_index=True)
    return CostCurve(table=table, plans=plans, limits=limits, reference=reference_label)
