"""Simulated days in, target figures with confidence intervals out.

Estimators (``R`` independent simulated days; for day ``r`` and interval ``i``, ``X[r, i]``
customers arrived and ``Y[r, i]`` of them count for the metric):

* shares and the mean wait are ratio estimators ``p = sum_r Y / sum_r X`` over the days; their
  variance is the delta-method (cluster) variance
  ``sum_r (Y_r - p X_r)^2 / (R (R - 1) Xbar^2)``, which accounts for the customers of one day
  not being independent. For shares, the interval is Wilson's score interval at the effective
  sample size ``p (1 - p) / var`` (capped at the number of customers), so that an interval
  with no breach seen still gets a non-zero upper bound; for the mean wait it is normal.
* ``day_any_wait_over`` is a share of days: Wilson's interval with ``R`` trials.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from waitlab._ci import wilson
from waitlab._clock import interval_label
from waitlab.planning._errors import PlanningError, interval_width
from waitlab.planning._targets import Target

__all__ = ["Assessment", "SimulatedDays", "TargetFigures", "assess"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulatedDays:
    """Per-customer outcomes of `replications` simulated days, as flat arrays of equal length.

    Parameters
    ----------
    replication : ndarray of int
        Day (replication) index of each customer, ``0 .. replications - 1``.
    arrival : ndarray of float
        Arrival time, seconds since the start of the plan's first interval.
    wait : ndarray of float
        Seconds from arrival until being called (served) or leaving (abandon / no-show).
    abandoned : ndarray of bool
        True for customers who left without service.
    replications : int
        Number of simulated days (days with no customer still count).
    standing, seated : ndarray of float or None
        Seconds spent standing / seated in the waiting room; None when the seat count is
        unknown, in which case every second of waiting counts as standing (as in
        :func:`waitlab.compliance.standing_times`).
    """

    replication: np.ndarray
    arrival: np.ndarray
    wait: np.ndarray
    abandoned: np.ndarray
    replications: int
    standing: np.ndarray | None = None
    seated: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.arrival)
        for name in ("replication", "wait", "abandoned", "standing", "seated"):
            v = getattr(self, name)
            if v is not None and len(v) != n:
                raise PlanningError(f"SimulatedDays: `{name}` has {len(v)} values but `arrival` has {n}.")
        if self.replications < 1:
            raise PlanningError(f"SimulatedDays: `replications` must be >= 1, got {self.replications!r}.")
        if n and (self.replication.min() < 0 or self.replication.max() >= self.replications):
            raise PlanningError("SimulatedDays: `replication` values must lie in 0 .. replications - 1.")

    @property
    def customers(self) -> int:
        """Number of simulated customers over all days."""
        return int(len(self.arrival))

    def measured(self, measure: str) -> np.ndarray:
        """The per-customer seconds compared with a limit for `measure`."""
        if measure == "wait":
            return self.wait
        if measure == "standing":
            return self.wait if self.standing is None else self.standing
        return np.zeros_like(self.wait) if self.seated is None else self.seated


@dataclass(frozen=True, slots=True)
class TargetFigures:
    """Estimate and confidence interval of one target, per interval (arrays) or for the day (length 1)."""

    target: Target
    estimate: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    customers: np.ndarray  # customers (or days) behind each estimate

    @property
    def holds(self) -> np.ndarray:
        """Whether the point estimate meets the bound (intervals without customers hold)."""
        ok = self.estimate <= self.target.bound if self.target.is_upper else self.estimate >= self.target.bound
        return ok | (self.customers == 0)

    @property
    def ratio(self) -> np.ndarray:
        """How far from the bound: > 1 breaks it (estimate / bound, or shortfall ratio for service level)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.target.is_upper:
                r = self.estimate / self.target.bound
            else:
                r = (1.0 - self.estimate) / (1.0 - self.target.bound)
        return np.where(self.customers == 0, 0.0, r)


@dataclass(frozen=True)
class Assessment:
    """Figures of every target for one staffing plan (see :func:`assess`)."""

    figures: tuple[TargetFigures, ...]
    n_intervals: int
    interval: float
    day_start: float
    replications: int
    customers: int

    @property
    def interval_figures(self) -> tuple[TargetFigures, ...]:
        """Figures of the per-interval targets."""
        return tuple(f for f in self.figures if f.target.per == "interval")

    @property
    def day_figures(self) -> tuple[TargetFigures, ...]:
        """Figures of the per-day targets."""
        return tuple(f for f in self.figures if f.target.per == "day")

    @property
    def failing_intervals(self) -> np.ndarray:
        """Boolean mask: intervals where some per-interval target is broken."""
        bad = np.zeros(self.n_intervals, dtype=bool)
        for f in self.interval_figures:
            bad |= ~f.holds
        return bad

    @property
    def holds(self) -> bool:
        """True when every target holds (point estimates)."""
        return all(bool(f.holds.all()) for f in self.figures)

    def interval_table(self) -> pd.DataFrame:
        """Per interval: label, start (s), arrivals per day, and estimate / CI / holds of each target."""
        n = self.n_intervals
        out: dict[str, object] = {
            "interval": [interval_label(i, self.interval, self.day_start) for i in range(n)],
            "start_s": self.day_start + self.interval * np.arange(n),
        }
        figs = self.interval_figures
        if figs:
            out["arrivals_per_day"] = figs[0].customers / self.replications
        for f in figs:
            k = f.target.name
            out[k], out[f"{k}_ci_low"], out[f"{k}_ci_high"] = f.estimate, f.ci_low, f.ci_high
            out[f"{k}_holds"] = f.holds
        return pd.DataFrame(out)

    def day_table(self) -> pd.DataFrame:
        """One row per per-day target: ``target``, ``description``, ``bound``, ``estimate``, CI, ``holds``."""
        rows = [{"target": f.target.name, "description": f.target.describe(), "bound": f.target.bound,
                 "estimate": float(f.estimate[0]), "ci_low": float(f.ci_low[0]), "ci_high": float(f.ci_high[0]),
                 "holds": bool(f.holds[0])} for f in self.day_figures]
        return pd.DataFrame(rows, columns=["target", "description", "bound", "estimate", "ci_low", "ci_high", "holds"])


def _ratio(y: np.ndarray, x: np.ndarray, z: float, share: bool) -> tuple[np.ndarray, ...]:
    """Ratio estimator over days (axis 0) with the delta-method CI; y, x: (R, k)."""
    r = y.shape[0]
    sx, sy = x.sum(axis=0), y.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(sx > 0, sy / np.maximum(sx, 1e-300), 0.0)
        xbar = sx / r
        resid = y - p[None, :] * x
        var = (resid**2).sum(axis=0) / (r * max(r - 1, 1) * np.maximum(xbar, 1e-300) ** 2)
    if share:
        with np.errstate(divide="ignore", invalid="ignore"):
            n_eff = np.where(var > 0, p * (1 - p) / np.maximum(var, 1e-300), sx)
        n_eff = np.minimum(np.where(n_eff > 0, n_eff, sx), sx)
        lo, hi = wilson(p, n_eff, z)
        lo, hi = np.minimum(lo, p), np.maximum(hi, p)
    else:
        half = z * np.sqrt(var)
        lo, hi = np.maximum(p - half, 0.0), p + half
    none = sx == 0
    return (np.where(none, np.nan, p), np.where(none, np.nan, lo), np.where(none, np.nan, hi), sx)


def check_simulable(targets: list[Target] | tuple[Target, ...]) -> None:
    """Refuse targets that simulated days cannot judge (occupancy: no desk busy time is kept)."""
    for t in targets:
        if t.metric == "occupancy":
            raise PlanningError(f"target {t.name!r} cannot be judged from simulated days (they carry no desk busy "
                                "time); use it with waitlab.models.required_desks or staffing_from_log.")


def assess(days: SimulatedDays, targets: list[Target] | tuple[Target, ...], *, n_intervals: int,
           interval: str | pd.Timedelta | float, day_start: float = 0.0, confidence: float = 0.95) -> Assessment:
    """Estimate every target, with confidence intervals, from simulated days.

    Customers are attributed to the interval in which they *arrived*; arrivals outside
    ``[0, n_intervals * interval)`` count for per-day targets only.

    Parameters
    ----------
    days : SimulatedDays
        Simulated customers.
    targets : list of Target
        Targets to estimate.
    n_intervals : int
        Number of intervals of the plan.
    interval : str, Timedelta or float
        Interval length: "30min", a Timedelta or seconds.
    day_start : float
        Clock time of the first interval's start, seconds since midnight (labels only).
    confidence : float
        Confidence level of the intervals.

    Returns
    -------
    Assessment
    """
    interval = interval_width(interval)
    if not (0 < confidence < 1):
        raise PlanningError(f"`confidence` must be in (0, 1), got {confidence!r}.")
    check_simulable(targets)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    R = days.replications
    idx = np.floor(days.arrival / interval).astype(np.int64)
    inside = (idx >= 0) & (idx < n_intervals)
    cell = days.replication * n_intervals + np.where(inside, idx, 0)

    def per_cell(w: np.ndarray) -> np.ndarray:
        return np.bincount(cell[inside], weights=w[inside], minlength=R * n_intervals).reshape(R, n_intervals)

    def per_day(w: np.ndarray) -> np.ndarray:
        return np.bincount(days.replication, weights=w, minlength=R).reshape(R, 1)

    ones = np.ones(days.customers)
    x_cell, x_day = per_cell(ones), per_day(ones)
    served = ~days.abandoned
    figures = []
    for t in targets:
        if t.metric == "day_any_wait_over":
            over = (days.measured(t.measure) > t.limit).astype(float)
            any_day = (per_day(over)[:, 0] > 0).astype(float)
            p = np.array([any_day.mean()])
            lo, hi = wilson(p, np.array([float(R)]), z)
            figures.append(TargetFigures(t, p, np.minimum(lo, p), np.maximum(hi, p), np.array([R])))
            continue
        if t.metric == "share_wait_over":
            w = (days.measured(t.measure) > t.limit).astype(float)
        elif t.metric == "service_level":
            w = (served & (days.wait <= t.limit)).astype(float)
        elif t.metric == "abandon_rate":
            w = days.abandoned.astype(float)
        else:
            w = days.wait.astype(float)
        share = t.metric != "mean_wait"
        if t.per == "interval":
            est, lo, hi, n = _ratio(per_cell(w), x_cell, z, share)
        else:
            est, lo, hi, n = _ratio(per_day(w), x_day, z, share)
        figures.append(TargetFigures(t, est, lo, hi, n))
    return Assessment(tuple(figures), n_intervals, float(interval), float(day_start), R, days.customers)
