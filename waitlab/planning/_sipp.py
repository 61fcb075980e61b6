"""The stationary (SIPP) starting plan: an Erlang model per interval, each interval on its own."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from waitlab.planning._errors import PlanningError, interval_width
from waitlab.planning._targets import Target

__all__ = ["sipp_plan"]


def sipp_plan(arrival_rate: ArrayLike, mean_service: ArrayLike, targets: list[Target] | tuple[Target, ...], *,
              interval: str | pd.Timedelta | float, mean_patience: ArrayLike | None = None, min_desks: int = 1,
              max_desks: int = 100_000) -> np.ndarray:
    """Fewest desks per interval meeting every target in a stationary Erlang model of that interval.

    This is the usual "stationary independent period by period" (SIPP) plan: Erlang C (or
    Erlang A when `mean_patience` is given) with each interval's own arrival rate, as if
    the interval started empty and lasted for ever. It is the starting point of
    :func:`plan_staffing`, and it understaffs after a peak because it ignores the queue the
    peak leaves behind.

    Parameters
    ----------
    arrival_rate : array_like
        Arrival rate of each interval, customers per second (>= 0).
    mean_service : float or array_like
        Mean service time, seconds.
    targets : list of Target
        Passed to :func:`waitlab.models.required_desks`, which reads them for a stationary
        model: per-day targets are applied to each
        interval; ``day_any_wait_over`` becomes ``P(wait > limit) <= bound / expected arrivals
        per day`` in every interval (a union bound, with this plan's arrivals as the day's).
        Without patience nobody leaves, so an abandonment target holds and is not modelled.
    interval : str, Timedelta or float
        Interval length: "30min", a Timedelta or seconds.
    mean_patience : float, array_like or None
        Mean patience, seconds (Erlang A); None for customers who never leave (Erlang C).
    min_desks : int
        Fewest desks in any interval.
    max_desks : int
        Search limit; an interval needing more raises :class:`PlanningError`.

    Returns
    -------
    ndarray of int
        Desks per interval.
    """
    from waitlab.models import required_desks

    interval = interval_width(interval)
    lam = np.asarray(arrival_rate, dtype=float)
    if lam.ndim != 1 or lam.size == 0 or np.any(~np.isfinite(lam)) or np.any(lam < 0):
        raise PlanningError("`arrival_rate` must be a non-empty 1-D array of finite rates >= 0 (customers per second).")
    svc = np.broadcast_to(np.asarray(mean_service, dtype=float), lam.shape)
    if np.any(~(svc > 0)) or np.any(~np.isfinite(svc)):
        raise PlanningError("`mean_service` must be positive and finite (seconds).")
    pat = None
    if mean_patience is not None:
        pat = np.broadcast_to(np.asarray(mean_patience, dtype=float), lam.shape)
        if np.any(~(pat > 0)):
            raise PlanningError("`mean_patience` must be positive (seconds), or None for no abandonment.")
        if np.all(np.isinf(pat)):
            pat = None
    per_day = float(lam.sum() * interval)
    modelled = [t for t in targets if pat is not None or t.metric != "abandon_rate"]  # nobody leaves: it holds
    if not modelled:
        return np.full(lam.size, min_desks, dtype=np.int64)
    try:
        need = required_desks(lam, svc, targets=modelled, mean_patience=pat, day_arrivals=per_day,
                                max_desks=max_desks).desks
    except ValueError as exc:
        what = "; ".join(t.describe() for t in modelled)
        raise PlanningError(f"the Erlang plan for the targets ({what}) failed: {exc}") from None
    return np.maximum(np.asarray(need, dtype=np.int64), min_desks)
