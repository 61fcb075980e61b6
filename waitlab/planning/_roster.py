"""The cheapest set of shifts covering a desks-per-interval requirement (integer programme).

Each column of the programme is one way to work: a shift type, a start time and (if the type
has one) a break start. Its coverage vector has a 1 for every interval during which a person
on that column is present *for the whole interval* (a break or a shift edge inside an
interval removes the person from it). With integer counts ``x`` per column::

    minimise    cost @ x
    subject to  A @ x >= requirement                (every interval covered)
                sum of x over a type <= its max_staff
                sum of x <= overall max_staff
                x integer >= 0

solved with :func:`scipy.optimize.milp` (HiGHS branch and bound, relative gap 0 by default).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from waitlab._clock import clock, format_ranges, interval_label
from waitlab.planning._errors import PlanningError, RosterInfeasibleError, interval_width
from waitlab.planning._templates import ShiftTemplates

__all__ = ["Roster", "roster_columns", "solve_roster"]


@dataclass(frozen=True, slots=True)
class _Columns:
    kind: np.ndarray  # template index per column
    start: np.ndarray  # seconds since midnight
    break_start: np.ndarray  # seconds since midnight, nan without a break
    cover: sparse.csr_array  # (intervals, columns) 0/1
    cost: np.ndarray


def roster_columns(templates: ShiftTemplates, n_intervals: int, interval: float, day_start: float) -> _Columns:
    """Every (type, start, break start) column and the intervals it covers fully."""
    kinds, starts, breaks = [], [], []
    for k, t in enumerate(templates.shifts):
        offsets = t.meal_break.starts() if t.meal_break else [np.nan]
        for s in t.starts():
            for b in offsets:
                kinds.append(k)
                starts.append(s)
                breaks.append(s + b)
    kind = np.asarray(kinds, dtype=np.int64)
    start = np.asarray(starts, dtype=float)
    brk = np.asarray(breaks, dtype=float)
    length = np.array([t.length for t in templates.shifts])[kind]
    blen = np.array([t.meal_break.length if t.meal_break else 0.0 for t in templates.shifts])[kind]
    a = day_start + interval * np.arange(n_intervals)[:, None]  # interval starts (rows)
    e = a + interval
    eps = 1e-6
    inside = (start[None, :] <= a + eps) & (e <= start[None, :] + length[None, :] + eps)
    on_break = ~np.isnan(brk)[None, :] & (a < brk[None, :] + blen[None, :] - eps) & (e > brk[None, :] + eps)
    cover = sparse.csr_array((inside & ~on_break).astype(np.float64))
    cost = np.array([t.cost for t in templates.shifts])[kind]
    return _Columns(kind, start, brk, cover, cost)


@dataclass(frozen=True)
class Roster:
    """A roster: how many people work each (shift type, start, break) and what it covers.

    Attributes
    ----------
    shifts : DataFrame
        One row per chosen column: ``shift``, ``part_time``, ``start``, ``end``, ``break_start``,
        ``break_end`` (``"HH:MM"``), the same in seconds since midnight (``start_s``, ``end_s``,
        ``break_start_s``, ``break_end_s``; NaN without a break), ``count``, ``paid_hours``
        (per shift), ``cost_each`` and ``cost``.
    requirement : ndarray of int
        Desks required per interval.
    coverage : ndarray of int
        People present per interval.
    interval : float
        Interval length, seconds.
    day_start : float
        Start of the first interval, seconds since midnight.
    cost : float
        Total cost.
    optimal : bool
        Whether the solver proved optimality (False after a time limit with a feasible roster).
    message : str
        The solver's status message.
    """

    shifts: pd.DataFrame
    requirement: np.ndarray
    coverage: np.ndarray
    interval: float
    day_start: float
    cost: float
    optimal: bool
    message: str = field(default="")

    @property
    def over_coverage(self) -> np.ndarray:
        """People present beyond the requirement, per interval."""
        return self.coverage - self.requirement

    @property
    def staff(self) -> int:
        """Number of people (shifts) on the roster."""
        return int(self.shifts["count"].sum()) if len(self.shifts) else 0

    @property
    def paid_hours(self) -> float:
        """Paid hours of the whole roster."""
        return float((self.shifts["paid_hours"] * self.shifts["count"]).sum()) if len(self.shifts) else 0.0

    def table(self) -> pd.DataFrame:
        """Per interval: ``interval``, ``start_s``, ``required``, ``present``, ``over``."""
        n = len(self.requirement)
        return pd.DataFrame({
            "interval": [interval_label(i, self.interval, self.day_start) for i in range(n)],
            "start_s": self.day_start + self.interval * np.arange(n),
            "required": self.requirement,
            "present": self.coverage,
            "over": self.over_coverage,
        })

    def __str__(self) -> str:
        over = self.over_coverage
        lines = [
            f"Roster: {self.staff} shifts, {self.paid_hours:.1f} paid hours, cost {self.cost:,.2f}"
            + ("" if self.optimal else f" (not proven optimal: {self.message})"),
            f"over-coverage: {int(over.sum())} desk-intervals in total, at most {int(over.max(initial=0))} "
            "in one interval",
        ]
        cols = ["shift", "start", "end", "break_start", "break_end", "count", "cost"]
        if len(self.shifts):
            lines.append(self.shifts[cols].to_string(index=False))
        return "\n".join(lines)


def _validate_requirement(requirement: ArrayLike, interval: float) -> np.ndarray:
    req = np.asarray(requirement)
    if req.ndim != 1 or req.size == 0:
        raise PlanningError(f"`requirement` must be a non-empty 1-D array of desks per interval, got shape {req.shape}.")
    if not np.issubdtype(req.dtype, np.number) or not np.all(np.isfinite(req)):
        raise PlanningError("`requirement` must hold finite numbers of desks per interval.")
    if np.any(req < 0) or np.any(req != np.round(req)):
        bad = int(np.flatnonzero((req < 0) | (req != np.round(req)))[0])
        raise PlanningError(f"`requirement` must hold integers >= 0; interval {bad} has {req[bad].item()!r}.")
    if not (interval > 0 and np.isfinite(interval)):
        raise PlanningError(f"`interval` must be a positive number of seconds, got {interval!r}.")
    return req.astype(np.int64)


def _precheck(req: np.ndarray, cols: _Columns, templates: ShiftTemplates, interval: float, day_start: float) -> None:
    covered_by = cols.cover.toarray() > 0  # (intervals, columns)
    need = req > 0
    none = np.flatnonzero(need & ~covered_by.any(axis=1))
    if none.size:
        first = min(t.start_earliest for t in templates.shifts)
        last = max(t.start_latest + t.length for t in templates.shifts)
        where = format_ranges(none.tolist(), interval, day_start)
        raise RosterInfeasibleError(
            f"no shift template covers {where} (requirement {int(req[none[0]])} at {clock(day_start + none[0] * interval)}): "
            f"shifts start from {clock(first)} and end by {clock(last)}, and a person counts only if present for "
            "the whole interval (breaks included); add a template or widen the start window.",
            intervals=none.tolist(), shortfall=req[none].tolist(),
        )
    # most people that can be present in each interval
    n_types = len(templates.shifts)
    type_covers = np.zeros((len(req), n_types), dtype=bool)
    for k in range(n_types):
        type_covers[:, k] = covered_by[:, cols.kind == k].any(axis=1)
    caps = np.array([np.inf if t.max_staff is None else t.max_staff for t in templates.shifts], dtype=float)
    bound = np.where(type_covers, caps[None, :], 0.0).sum(axis=1)  # inf * False would be nan
    if templates.max_staff is not None:
        bound = np.minimum(bound, templates.max_staff)
    short = np.flatnonzero(req > bound)
    if short.size:
        i = int(short[0])
        parts = [f"{t.name} <= {t.max_staff}" for k, t in enumerate(templates.shifts)
                 if type_covers[i, k] and t.max_staff is not None]
        if templates.max_staff is not None:
            parts.append(f"all shifts <= {templates.max_staff}")
        raise RosterInfeasibleError(
            f"max staff too low at {format_ranges(short.tolist(), interval, day_start)}: "
            f"{int(req[i])} desks required at {interval_label(i, interval, day_start)} but at most {int(bound[i])} "
            f"people can be present then ({', '.join(parts)}); raise max_staff.",
            intervals=short.tolist(), shortfall=(req[short] - bound[short]).astype(int).tolist(),
        )


def _limit_constraints(cols: _Columns, templates: ShiftTemplates) -> list[LinearConstraint]:
    out = []
    n = cols.kind.size
    for k, t in enumerate(templates.shifts):
        if t.max_staff is not None:
            out.append(LinearConstraint((cols.kind == k).astype(float)[None, :], -np.inf, t.max_staff))
    if templates.max_staff is not None:
        out.append(LinearConstraint(np.ones((1, n)), -np.inf, templates.max_staff))
    return out


def _explain_infeasible(req: np.ndarray, cols: _Columns, templates: ShiftTemplates, interval: float,
                        day_start: float, time_limit: float) -> RosterInfeasibleError:
    """Solve the elastic programme (minimise total shortfall) to name the intervals that cannot be met."""
    n_int, n_col = cols.cover.shape
    a = sparse.hstack([cols.cover, sparse.eye_array(n_int)], format="csr")
    limits = []
    for lc in _limit_constraints(cols, templates):
        limits.append(LinearConstraint(np.hstack([np.atleast_2d(lc.A), np.zeros((1, n_int))]), lc.lb, lc.ub))
    c = np.concatenate([np.zeros(n_col), np.ones(n_int)])
    res = milp(c, integrality=np.ones(n_col + n_int), bounds=Bounds(0, np.inf),
               constraints=[LinearConstraint(a, req, np.inf), *limits], options={"time_limit": time_limit})
    caps = ", ".join(f"{t.name} <= {t.max_staff}" for t in templates.shifts if t.max_staff is not None)
    if templates.max_staff is not None:
        caps = (caps + ", " if caps else "") + f"all shifts <= {templates.max_staff}"
    if res.x is None:
        return RosterInfeasibleError(f"no roster covers the requirement within the staff limits ({caps}).")
    short = np.round(res.x[n_col:]).astype(int)
    bad = np.flatnonzero(short > 0)
    detail = ", ".join(f"{int(short[i])} at {interval_label(int(i), interval, day_start)}" for i in bad[:6])
    return RosterInfeasibleError(
        f"the staff limits ({caps}) cannot cover {format_ranges(bad.tolist(), interval, day_start)} together with "
        f"the rest of the day: the best roster is short by {detail}{' ...' if bad.size > 6 else ''}; "
        "raise max_staff or widen the start/break windows.",
        intervals=bad.tolist(), shortfall=short[bad].tolist(),
    )


def solve_roster(requirement: ArrayLike, templates: ShiftTemplates, *, interval: str | pd.Timedelta | float = "30min",
                 day_start: float = 0.0, time_limit: float = 60.0, mip_rel_gap: float = 0.0) -> Roster:
    """Cheapest set of shifts whose presence covers `requirement` in every interval.

    Parameters
    ----------
    requirement : array_like of int
        Desks required in each interval of the day.
    templates : ShiftTemplates
        Shift types (see :func:`load_shifts`).
    interval : str, Timedelta or float, default "30min"
        Interval length: "30min", a Timedelta or seconds. It must be the interval of
        `requirement` (``requirement[i]`` covers ``day_start + i * interval`` to the next
        one): pass the width the requirement was planned in (``StaffingPlan.interval``),
        since nothing here can tell a 15-minute requirement from a 30-minute one.
    day_start : float
        Start of the first interval, seconds since midnight (e.g. ``8 * 3600``).
    time_limit : float
        Solver time limit, seconds. If it is reached with a feasible roster, that roster is
        returned with ``optimal=False``.
    mip_rel_gap : float
        Relative optimality gap accepted by the solver (0: proven optimum).

    Returns
    -------
    Roster

    Raises
    ------
    RosterInfeasibleError
        If no roster covers the requirement; the message names the interval(s) and the reason
        (no template present then, or the staff limits too low).
    PlanningError
        If `requirement` or `interval` are invalid.
    """
    interval = interval_width(interval)
    req = _validate_requirement(requirement, interval)
    cols = roster_columns(templates, req.size, interval, day_start)
    _precheck(req, cols, templates, interval, day_start)
    n_col = cols.kind.size
    res = milp(cols.cost, integrality=np.ones(n_col), bounds=Bounds(0, np.inf),
               constraints=[LinearConstraint(cols.cover, req, np.inf), *_limit_constraints(cols, templates)],
               options={"time_limit": time_limit, "mip_rel_gap": mip_rel_gap})
    if res.status == 2 or res.x is None:
        if res.status == 2:
            raise _explain_infeasible(req, cols, templates, interval, day_start, time_limit)
        raise PlanningError(f"the roster solver stopped without a roster ({res.message}); raise `time_limit`.")
    x = np.round(res.x).astype(np.int64)
    chosen = np.flatnonzero(x > 0)
    t = templates.shifts
    rows = []
    for j in chosen:
        tpl = t[cols.kind[j]]
        s, b = cols.start[j], cols.break_start[j]
        be = b + tpl.meal_break.length if tpl.meal_break else np.nan
        rows.append({
            "shift": tpl.name, "part_time": tpl.part_time,
            "start": clock(s), "end": clock(s + tpl.length),
            "break_start": "" if np.isnan(b) else clock(b), "break_end": "" if np.isnan(b) else clock(be),
            "start_s": s, "end_s": s + tpl.length, "break_start_s": b, "break_end_s": be,
            "count": int(x[j]), "paid_hours": tpl.paid_hours, "cost_each": tpl.cost, "cost": tpl.cost * x[j],
        })
    shifts = pd.DataFrame(rows, columns=["shift", "part_time", "start", "end", "break_start", "break_end", "start_s",
                                         "end_s", "break_start_s", "break_end_s", "count", "paid_hours", "cost_each",
                                         "cost"])
    shifts = shifts.sort_values(["start_s", "shift", "break_start_s"], ignore_index=True)
    coverage = np.round(cols.cover @ x.astype(float)).astype(np.int64)
    return Roster(shifts=shifts, requirement=req, coverage=coverage, interval=float(interval),
                  day_start=float(day_start), cost=float(cols.cost @ x), optimal=res.status == 0,
                  message=str(res.message))
