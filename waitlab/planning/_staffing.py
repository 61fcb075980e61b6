"""Simulation-based iterative staffing (in the spirit of Feldman, Mandelbaum, Massey & Whitt 2008).

A stationary model per interval (SIPP) ignores the queue a peak leaves behind, so it
understaffs the intervals after a peak. The iterative staffing algorithm instead simulates
the whole day with the proposed desks, measures each target for the customers *arriving* in
each interval, and corrects the plan where the target fails, until nothing changes:

1. **Raise.** Simulate the plan (``R`` days, common random numbers: the same seed in every
   iteration, so two plans are compared on the same customers). In every interval whose
   target fails, add desks (1, or 2 when the figure is more than twice its bound, 3 beyond
   eight times). A failing *per-day* target adds a desk in the interval whose arrivals carry
   most of its breaches (in the 2 or 3 such intervals when it is far off, by the same steps).
   Repeat until every target holds.
2. **Trim.** Intervals where every target holds with room to spare (figure <= ``spare`` x
   bound) are candidates for one desk less. All candidates are tried together; if a target
   then fails anywhere, the batch is halved (into earlier and later intervals) and each half
   tried, down to single intervals, which are pinned at their level when even one desk less
   breaks a target. A trial that holds is kept. When every batch of a sweep has been tried,
   the candidates are recomputed for the next sweep.
3. The **fixed point** is reached when every target holds and no candidate is left; the
   search also stops after ``max_iterations`` simulations (the plan is then feasible but
   perhaps not minimal, and the result says so).
4. **Verify.** The final plan is simulated again with fresh seeds (independent of the
   search) and those figures, with confidence intervals, are the ones reported.

Tolerance: the decisions use point estimates from ``R`` days (``decide="estimate"``) or the
conservative end of the confidence interval (``decide="upper"``). Because the search uses
common random numbers, a figure right at its bound in the search can come out a little
above it on fresh seeds; the verified figures and their intervals show by how much.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from waitlab._clock import format_ranges
from waitlab._random import RNG, root_seed
from waitlab.planning._assess import Assessment, SimulatedDays, TargetFigures, assess, check_simulable
from waitlab.planning._errors import PlanningError, interval_width
from waitlab.planning._targets import Target

__all__ = ["Evaluator", "StaffingPlan", "plan_staffing"]

#: ``evaluate(desks, seed) -> SimulatedDays``: simulate replications of a day in which
#: ``desks[i]`` desks are open in interval ``i``; the same `seed` must give the same days.
#: `seed` is an integer >= 0 that the planner derives from its own ``rng`` and passes in
#: (not an ``rng`` parameter: the planner compares plans on common random numbers by
#: passing the same integer again, which an evaluator may use as a cache key; a Generator
#: would advance between calls). Seed your draws with ``numpy.random.default_rng(seed)``.
Evaluator = Callable[[np.ndarray, int], SimulatedDays]


@dataclass(frozen=True)
class StaffingPlan:
    """Desks per interval that hold the targets, with the figures achieved and the search log.

    Attributes
    ----------
    desks : ndarray of int
        Desks open in each interval.
    initial : ndarray of int
        The starting plan (usually the stationary Erlang / SIPP plan).
    interval : float
        Interval length, seconds.
    day_start : float
        Clock time of the first interval, seconds since midnight.
    targets : tuple of Target
        The targets planned for.
    assessment : Assessment
        Figures of the final plan from the verification replications (fresh seeds), with CIs.
    search_assessment : Assessment
        Figures of the final plan in the search replications.
    log : DataFrame
        One row per simulation: ``iteration``, ``phase`` (raise / trim / verify), ``action``,
        ``desk_hours``, ``failing_intervals``, ``worst_ratio`` (largest figure / bound),
        ``holds``, ``accepted``, ``customers``, ``seconds``.
    converged : bool
        True when the fixed point was reached within the iteration budget.
    message : str
        How the search ended, in one sentence.
    """

    desks: np.ndarray
    initial: np.ndarray
    interval: float
    day_start: float
    targets: tuple[Target, ...]
    assessment: Assessment
    search_assessment: Assessment
    log: pd.DataFrame
    converged: bool
    message: str

    @property
    def desk_hours(self) -> float:
        """Desk-hours of the plan."""
        return float(self.desks.sum() * self.interval / 3600.0)

    def table(self) -> pd.DataFrame:
        """Per interval: label, start, ``initial`` and ``desks`` desks, then every target's figures and CI."""
        t = self.assessment.interval_table()
        t.insert(2, "initial", self.initial)
        t.insert(3, "desks", self.desks)
        return t

    def day_table(self) -> pd.DataFrame:
        """The per-day targets' figures (verification replications)."""
        return self.assessment.day_table()

    def __str__(self) -> str:
        a = self.assessment
        lines = [f"Staffing plan: {self.desk_hours:.2f} desk-hours (initial {self.initial.sum() * self.interval / 3600:.2f}); "
                 f"{self.message}",
                 f"verified on {a.replications} fresh simulated days ({a.customers:,} customers):"]
        for f in a.figures:
            bad = np.flatnonzero(~f.holds)
            if f.target.per == "interval":
                worst = int(np.nanargmax(np.where(f.customers > 0, f.ratio, -np.inf)))
                lines.append(f"  {f.target.describe()}: worst {f.estimate[worst]:.4g} "
                             f"[{f.ci_low[worst]:.4g}, {f.ci_high[worst]:.4g}]"
                             + (f"; broken at {format_ranges(bad.tolist(), self.interval, self.day_start)}"
                                if bad.size else "; holds everywhere"))
            else:
                lines.append(f"  {f.target.describe()}: {f.estimate[0]:.4g} [{f.ci_low[0]:.4g}, {f.ci_high[0]:.4g}]"
                             + ("" if f.holds[0] else " (broken)"))
        return "\n".join(lines)


def _broken(f: TargetFigures, decide: str) -> np.ndarray:
    if decide == "estimate":
        return ~f.holds
    t = f.target
    edge = f.ci_high if t.is_upper else f.ci_low
    bad = edge > t.bound if t.is_upper else edge < t.bound
    return np.asarray(bad & (f.customers > 0))


def _step(ratio: float) -> int:
    return 1 if ratio <= 2.0 else (2 if ratio <= 8.0 else 3)


def _burden(days: SimulatedDays, t: Target, n: int, interval: float) -> np.ndarray:
    """Per arrival interval, how much of a per-day target's breach comes from its customers."""
    if t.metric in ("share_wait_over", "day_any_wait_over"):
        w = (days.measured(t.measure) > t.limit).astype(float)
    elif t.metric == "service_level":
        w = (days.abandoned | (days.wait > t.limit)).astype(float)
    elif t.metric == "abandon_rate":
        w = days.abandoned.astype(float)
    else:
        w = days.wait.astype(float)
    idx = np.floor(days.arrival / interval).astype(np.int64)
    ok = (idx >= 0) & (idx < n)
    return np.bincount(idx[ok], weights=w[ok], minlength=n)


def _as_int_array(name: str, value: ArrayLike, n: int) -> np.ndarray:
    a = np.broadcast_to(np.asarray(value), (n,))
    if not np.issubdtype(a.dtype, np.number) or np.any(~np.isfinite(a)) or np.any(a != np.round(a)) or np.any(a < 0):
        raise PlanningError(f"`{name}` must hold integers >= 0 (one per interval, or one for all).")
    return a.astype(np.int64).copy()


def plan_staffing(evaluate: Evaluator, initial: ArrayLike, targets: list[Target] | tuple[Target, ...], *,
                  interval: str | pd.Timedelta | float, day_start: float = 0.0, rng: RNG = None,
                  min_desks: ArrayLike = 1, max_desks: ArrayLike | None = None, max_iterations: int = 200,
                  spare: float = 0.5, decide: Literal["estimate", "upper"] = "estimate",
                  confidence: float = 0.95, verify: bool = True,
                  progress: Callable[[str], None] | None = None) -> StaffingPlan:
    """Desks per interval that hold every target through the day, found by simulation.

    Parameters
    ----------
    evaluate : callable
        ``evaluate(desks, seed) -> SimulatedDays``: simulates replications of the day with
        ``desks[i]`` desks in interval ``i``; equal seeds must give equal days (see
        :func:`scenario_evaluator` for the simulation engine).
    initial : array_like of int
        Starting plan, one value per interval (e.g. :func:`sipp_plan`).
    targets : list of Target
        What must hold (see :class:`Target`, :func:`targets_from_rules`).
    interval : str, Timedelta or float
        Interval length: "30min", a Timedelta or seconds.
    day_start : float
        Clock time of the first interval, seconds since midnight (labels only).
    rng : numpy.random.Generator, int, SeedSequence or None
        Randomness of the search and verification replications (scipy's convention: a seed
        repeats the plan, None draws fresh entropy); the integer seeds passed to `evaluate`
        are derived from it.
    min_desks, max_desks : int or array_like of int
        Bounds on the desks per interval (``max_desks=None``: no upper bound).
    max_iterations : int
        Most search simulations (raise and trim together).
    spare : float
        An interval is a candidate for one desk less when all its figures are at most
        ``spare`` times their bound (0 < spare <= 1).
    decide : {"estimate", "upper"}
        Judge a target by its point estimate, or by the pessimistic end of its CI.
    confidence : float
        Confidence level of the reported intervals.
    verify : bool
        Simulate the final plan again with fresh seeds and report those figures.
    progress : callable or None
        Called with one line of text after each simulation.

    Returns
    -------
    StaffingPlan

    Raises
    ------
    PlanningError
        On invalid arguments, or if the targets still fail with every interval at
        `max_desks`.
    """
    interval = interval_width(interval)
    if not targets:
        raise PlanningError("`targets` is empty; give at least one Target (see targets_from_rules).")
    check_simulable(targets)
    s = np.asarray(initial)
    if s.ndim != 1 or s.size == 0:
        raise PlanningError(f"`initial` must be a 1-D plan with one value per interval, got shape {s.shape}.")
    n = s.size
    s = _as_int_array("initial", s, n)
    lo = _as_int_array("min_desks", min_desks, n)
    hi = None if max_desks is None else _as_int_array("max_desks", max_desks, n)
    if hi is not None and np.any(hi < lo):
        raise PlanningError("`max_desks` is below `min_desks` in some interval.")
    if not (0 < spare <= 1):
        raise PlanningError(f"`spare` must be in (0, 1], got {spare!r}.")
    if decide not in ("estimate", "upper"):
        raise PlanningError(f"`decide` must be 'estimate' or 'upper', got {decide!r}.")
    if max_iterations < 1:
        raise PlanningError(f"`max_iterations` must be >= 1, got {max_iterations!r}.")
    initial_arr = s.copy()
    s = np.maximum(s, lo) if hi is None else np.clip(s, lo, hi)
    search_seed, verify_seed = (int(ss.generate_state(1, np.uint32)[0])
                                for ss in np.random.SeedSequence(root_seed(rng)).spawn(2))
    targets = tuple(targets)
    rows: list[dict[str, object]] = []

    def run(plan: np.ndarray, phase: str, action: str, sd: int) -> tuple[Assessment, SimulatedDays, bool]:
        t0 = time.perf_counter()
        days = evaluate(plan.copy(), sd)
        a = assess(days, targets, n_intervals=n, interval=interval, day_start=day_start, confidence=confidence)
        fail = np.zeros(n, dtype=bool)
        day_fail = False
        for f in a.figures:
            b = _broken(f, decide)
            if f.target.per == "interval":
                fail |= b
            else:
                day_fail |= bool(b.any())
        ok = not fail.any() and not day_fail
        worst = max((float(np.nanmax(f.ratio)) for f in a.figures if f.ratio.size), default=0.0)
        rows.append({"iteration": len(rows) + 1, "phase": phase, "action": action,
                     "desk_hours": float(plan.sum() * interval / 3600), "failing_intervals": int(fail.sum()),
                     "worst_ratio": worst, "holds": ok, "accepted": True, "customers": days.customers,
                     "seconds": time.perf_counter() - t0})
        if progress is not None:
            progress(f"[{phase} {len(rows)}] {action}: {rows[-1]['desk_hours']:.2f} desk-hours, "
                     f"{int(fail.sum())} failing interval(s){', day target failing' if day_fail else ''}")
        return a, days, ok

    def failing(a: Assessment) -> tuple[np.ndarray, list[TargetFigures], np.ndarray]:
        fail = np.zeros(n, dtype=bool)
        ratio = np.zeros(n)
        for f in a.interval_figures:
            b = _broken(f, decide)
            fail |= b
            ratio = np.where(b, np.maximum(ratio, np.nan_to_num(f.ratio)), ratio)
        return fail, [f for f in a.day_figures if _broken(f, decide).any()], ratio

    # phase 1: raise until every target holds
    a, days, ok = run(s, "raise", "initial plan", search_seed)
    converged, message = False, ""
    while not ok:
        if len(rows) >= max_iterations:
            message = (f"targets still broken after {max_iterations} simulations; raise `max_iterations` "
                       "or check that the targets are reachable")
            break
        fail, day_bad, ratio = failing(a)
        add = np.zeros(n, dtype=np.int64)
        for i in np.flatnonzero(fail):
            add[i] = _step(float(ratio[i]))
        for f in day_bad:
            burden = _burden(days, f.target, n, interval)
            room = np.ones(n, dtype=bool) if hi is None else s < hi
            ranked = np.argsort(-np.where(room, burden, -1.0), kind="stable")
            k = _step(float(np.nanmax(f.ratio)))  # the further off, the more intervals get a desk
            for j in ranked[:k]:
                if room[j] and burden[j] > 0:
                    add[j] = max(add[j], 1)
        new = s + add if hi is None else np.minimum(s + add, hi)
        if np.array_equal(new, s):
            raise PlanningError(
                "the targets cannot be met: they still fail at "
                f"{format_ranges(np.flatnonzero(fail).tolist(), interval, day_start) or 'the day level'} "
                "with every failing interval at `max_desks`; raise `max_desks` or relax the targets."
            )
        changed = np.flatnonzero(new != s)
        s = new
        a, days, ok = run(s, "raise", f"+desks at {format_ranges(changed.tolist(), interval, day_start)}", search_seed)

    # phase 2: trim where there is room to spare, halving batches that break a target
    if ok:
        pinned = np.zeros(n, dtype=bool)

        def candidates(a: Assessment) -> list[int]:
            room = np.ones(n, dtype=bool)
            for f in a.interval_figures:
                room &= np.nan_to_num(f.ratio) <= spare
            return np.flatnonzero(room & ~pinned & (s > lo)).tolist()  # in time order: halves are blocks

        out_of_budget = False
        while not out_of_budget:  # sweeps: try every candidate once, then look for new ones
            cand = candidates(a)
            if not cand:
                converged = True
                message = f"fixed point reached after {len(rows)} simulations"
                break
            batches: deque[list[int]] = deque([cand])
            while batches:
                batch = [i for i in batches.popleft() if not pinned[i] and s[i] > lo[i]]
                if not batch:
                    continue
                if len(rows) >= max_iterations:
                    out_of_budget = True
                    message = (f"every target holds; stopped trimming after {max_iterations} simulations, so a "
                               "cheaper plan may exist (raise `max_iterations`)")
                    break
                trial = s.copy()
                trial[batch] -= 1
                a2, d2, ok2 = run(trial, "trim", f"-1 desk at {format_ranges(batch, interval, day_start)}",
                                  search_seed)
                if ok2:
                    s, a, days = trial, a2, d2
                else:
                    rows[-1]["accepted"] = False
                    if len(batch) == 1:
                        pinned[batch[0]] = True  # fewer desks elsewhere can only make it worse: keep it
                    else:
                        half = len(batch) // 2
                        batches.appendleft(batch[half:])
                        batches.appendleft(batch[:half])

    search_assessment = a
    if verify:
        a, _, vok = run(s, "verify", "fresh seeds", verify_seed)
        if not vok:
            message += "; on fresh seeds some figures are above their bound (see the verified CIs)"
    return StaffingPlan(desks=s.copy(), initial=initial_arr, interval=float(interval), day_start=float(day_start),
                        targets=targets, assessment=a, search_assessment=search_assessment,
                        log=pd.DataFrame(rows), converged=converged, message=message)
