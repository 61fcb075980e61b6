"""The stationary (SIPP) starting plan: an Erlang model per interval, each interval on its own."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from waitlab.planning._errors import PlanningError
from waitlab.planning._targets import Target

__all__ = ["sipp_plan"]


def _model_kwargs(t: Target, arrivals_per_day: float, has_patience: bool) -> dict[str, Any] | None:
    """The `required_servers` keyword for one target, or None when a stationary model cannot break it."""
    if t.metric == "share_wait_over":
        if t.measure == "seated":  # no seats in a stationary model: seated time never exceeds the wait
            return None
        return {"wait_limits": [(t.limit, t.bound)]}
    if t.metric == "service_level":
        return {"service_level": (t.bound, t.limit)}
    if t.metric == "abandon_rate":
        return {"abandon": t.bound} if has_patience else None
    if t.metric == "mean_wait":
        return {"asa": t.bound}
    if t.measure == "seated":
        return None
    # day_any_wait_over: P(some breach in the day) <= E[breaches] = sum_i lambda_i T P_i(W > L); asking
    # each interval for P_i(W > L) <= bound / (expected arrivals in the day) keeps the sum within the bound
    return {"wait_limits": [(t.limit, t.bound / max(arrivals_per_day, 1.0))]}


def sipp_plan(arrival_rate: ArrayLike, mean_service: ArrayLike, targets: list[Target] | tuple[Target, ...], *,
              interval: float, mean_patience: ArrayLike | None = None, min_servers: int = 1,
              max_servers: int = 100_000) -> np.ndarray:
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
        Per-interval targets are applied to each interval; a per-day share target is applied to
        each interval (a stricter, sufficient condition); ``day_any_wait_over`` becomes
        ``P(wait > limit) <= bound / expected arrivals per day`` in every interval (a union bound).
    interval : float
        Interval length, seconds.
    mean_patience : float, array_like or None
        Mean patience, seconds (Erlang A); None for customers who never leave (Erlang C).
    min_servers : int
        Fewest desks in any interval.
    max_servers : int
        Search limit; an interval needing more raises :class:`PlanningError`.

    Returns
    -------
    ndarray of int
        Desks per interval.
    """
    from waitlab.models import required_servers

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
    servers = np.zeros(lam.size, dtype=np.int64)
    for t in targets:  # each target is monotone in the servers: the max of the minima meets them all
        kw = _model_kwargs(t, per_day, pat is not None)
        if kw is None:
            continue
        try:
            need = required_servers(lam, svc, mean_patience=pat, max_servers=max_servers, **kw).servers
        except ValueError as exc:
            raise PlanningError(f"the Erlang plan for target {t.describe()!r} failed: {exc}") from None
        servers = np.maximum(servers, np.asarray(need, dtype=np.int64))
    return np.maximum(servers, min_servers)
