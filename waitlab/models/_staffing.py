"""Fewest desks meeting service targets, vectorised over many intervals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from waitlab.models._erlang import ErlangC
from waitlab.models._erlang_a import ErlangA
from waitlab.models._guess import qed_guess
from waitlab.models._protocol import QueueModel
from waitlab.models._validate import (
    ModelInputError,
    as_float,
    check_int_at_least,
    check_nonnegative,
    check_positive,
)
from waitlab.targets import Target

__all__ = ["Goals", "Staffing", "goals", "required_desks", "square_root_staffing"]

IArray = NDArray[np.int64]
FArray = NDArray[np.float64]


class Staffing(NamedTuple):
    """Result of `required_desks`.

    Attributes
    ----------
    desks : int or ndarray of int
        Fewest desks (agents on the phones / desks open) meeting every target; 0 where there
        are no arrivals.
    staff : int or ndarray of int
        Staff to schedule, ``ceil(desks / (1 - shrinkage))``.
    model : QueueModel
        The model evaluated at ``max(desks, 1)``, to read the achieved metrics.
    """

    desks: Any
    staff: Any
    model: QueueModel


@dataclass(frozen=True, slots=True)
class Goals:
    """What a stationary model must meet, read from Target objects (times in seconds)."""

    service_level: tuple[tuple[float, float], ...] = ()  # (within seconds, min share)
    asa: float | None = None
    abandon: float | None = None
    wait_limits: tuple[tuple[float, float], ...] = ()  # (limit seconds, max share), sorted by limit
    max_occupancy: float | None = None

    def met(self, model: QueueModel) -> NDArray[np.bool_]:
        """Elementwise: does `model` meet every target?"""
        ok = np.ones(np.shape(model.load), dtype=bool)
        for t, share in self.service_level:
            ok &= np.asarray(model.service_level(t)) >= share
        if self.asa is not None:
            ok &= np.asarray(model.mean_wait) <= self.asa
        if self.abandon is not None:
            ok &= np.asarray(model.prob_abandon) <= self.abandon
        for lim, p in self.wait_limits:
            ok &= np.asarray(model.prob_wait_exceeds(lim)) <= p
        if self.max_occupancy is not None:
            ok &= np.asarray(model.occupancy) <= self.max_occupancy
        return ok


def _as_targets(targets: Target | Sequence[Target]) -> tuple[Target, ...]:
    items = (targets,) if isinstance(targets, Target) else targets
    if isinstance(items, str | bytes) or not isinstance(items, Sequence) or not items:
        raise ModelInputError(
            f"no staffing target given: pass `targets` as a Target or a list of them, e.g. "
            f"targets=Target.service_level(20, 0.8) (80 % within 20 s); got {targets!r}."
        )
    for i, t in enumerate(items):
        if not isinstance(t, Target):
            raise ModelInputError(
                f"`targets[{i}]` must be a waitlab.Target such as Target.wait_exceeds(1800, 0.05), got {t!r}; "
                "the keyword targets service_level=, asa=, abandon=, wait_limits= and max_occupancy= are gone."
            )
    return tuple(items)


def goals(targets: Target | Sequence[Target], *, has_patience: bool, day_arrivals: float | None = None) -> Goals:
    """What a stationary (one interval, for ever) Erlang model must meet for `targets`.

    The one place that reads Targets for the models: a per-day target is asked of every interval
    (a stricter, sufficient condition); a standing-time limit is a wait limit (a stationary model
    has no seats, so all waiting is standing); a seated-time target is skipped (seated time is 0
    without a waiting room); ``day_any_wait_over`` becomes ``P(wait > limit) <= bound / N`` in
    every interval, N the day's expected arrivals (a union bound: P(any breach) <= E[breaches]).
    Two targets of the same kind with different bounds are contradictory; translations that land
    on the same limit keep the strictest bound.
    """
    items = _as_targets(targets)
    seen: dict[tuple[str, float, str, str], float] = {}
    for t in items:
        key = (t.metric, t.limit, t.per, t.measure)
        if key in seen and seen[key] != t.bound:
            raise ModelInputError(
                f"`targets` is contradictory: {t.name} appears with bounds {seen[key]!r} and {t.bound!r}; keep one."
            )
        seen[key] = t.bound
    sl: dict[float, float] = {}
    limits: dict[float, float] = {}
    asa = abandon = occ = None
    skipped = []
    for t in items:
        if t.measure == "seated":
            skipped.append(t)
            continue
        if t.metric == "service_level":
            sl[t.limit] = max(sl.get(t.limit, 0.0), t.bound)
        elif t.metric == "share_wait_over":
            limits[t.limit] = min(limits.get(t.limit, 1.0), t.bound)
        elif t.metric == "day_any_wait_over":
            if day_arrivals is None:
                raise ModelInputError(
                    f"target {t.name!r} (any wait over {t.limit:g} s in a day) needs the day's expected arrivals: "
                    "pass `day_arrivals`, or use Target.wait_exceeds for a per-interval share."
                )
            n = float(as_float("day_arrivals", day_arrivals))
            if not (n >= 0 and np.isfinite(n)):
                raise ModelInputError(f"`day_arrivals` must be a number of customers >= 0, got {day_arrivals!r}.")
            limits[t.limit] = min(limits.get(t.limit, 1.0), t.bound / max(n, 1.0))
        elif t.metric == "mean_wait":
            asa = t.bound if asa is None else min(asa, t.bound)
        elif t.metric == "abandon_rate":
            if not has_patience:
                raise ModelInputError(
                    f"target {t.name!r} ({t.describe()}) needs `mean_patience`: without patience (Erlang C) nobody "
                    "abandons, so an abandonment target cannot steer staffing. Pass mean_patience=<seconds> or "
                    "drop the target."
                )
            abandon = t.bound if abandon is None else min(abandon, t.bound)
        else:  # occupancy
            occ = t.bound if occ is None else min(occ, t.bound)
    if len(skipped) == len(items):
        raise ModelInputError(
            f"every target ({', '.join(t.name for t in skipped)}) measures seated time, which a stationary Erlang "
            "model does not have (no waiting room); use measure='wait' or 'standing', or plan with waitlab.planning."
        )
    return Goals(tuple(sorted(sl.items())), asa, abandon, tuple(sorted(limits.items())), occ)


def _too_small(cap: int, failed: IArray, origin: IArray, load: FArray) -> ModelInputError:
    """The error for intervals that miss the targets even at `cap` desks (`failed` indexes `load`)."""
    first = int(failed[0])
    return ModelInputError(
        f"`max_desks`={cap} is too small: {failed.size} interval(s) need more desks to meet the targets "
        f"(first: index {int(origin[first])}, load {load[first]:.6g} erlangs). Raise max_desks or relax the targets."
    )


def _search(
    ok: Callable[[IArray, IArray], NDArray[np.bool_]],
    start: IArray,
    guess: IArray,
    cap: int,
    *,
    origin: IArray,
    load: FArray,
) -> IArray:
    """Fewest n in [start, cap] with ``ok`` true, knowing ``ok(start - 1)`` is false (or start - 1 == 0).

    Round 1 evaluates the guess g and g - 1 together, which settles every element whose guess is
    right.  The others gallop from g (steps 1, 2, 4, ... upwards if g fails, downwards if g - 1
    meets the targets) until the answer is bracketed, then bisect.  Every round evaluates only
    the still-open elements, all at once.  Relies on ``ok`` being monotone in n; `origin` and
    `load` only serve the error message.
    """
    size = start.size
    g = np.clip(guess, start, cap)
    below = np.flatnonzero(g > start)  # g - 1 is worth checking
    res = ok(np.concatenate([np.arange(size), below]), np.concatenate([g, g[below] - 1]))
    good = res[:size]
    good_below = np.zeros(size, dtype=bool)
    good_below[below] = res[size:]
    lo = np.where(good, np.where(good_below, start - 1, g - 1), g)  # known to fail (or 0)
    hi = np.where(good, np.where(good_below, g - 1, g), cap + 1)  # known to meet (cap + 1: not yet)
    failed = np.flatnonzero(~good & (g == cap))
    if failed.size:
        raise _too_small(cap, failed, origin, load)
    down = good_below.copy()  # galloping downwards until a failure is found
    step = np.ones(size, dtype=np.int64)
    todo = np.flatnonzero(hi - lo > 1)
    while todo.size:
        lo_t, hi_t, step_t, down_t = lo[todo], hi[todo], step[todo], down[todo]
        up_t = hi_t > cap
        probe = (lo_t + hi_t) // 2
        probe = np.where(up_t, np.minimum(lo_t + step_t, cap), probe)
        probe = np.where(down_t, np.maximum(hi_t - step_t, lo_t + 1), probe)
        good = ok(todo, probe)
        failed = todo[up_t & ~good & (probe == cap)]
        if failed.size:
            raise _too_small(cap, failed, origin, load)
        hi[todo[good]] = probe[good]
        lo[todo[~good]] = probe[~good]
        step[todo] = 2 * step_t
        down[todo[down_t & ~good]] = False
        todo = todo[hi[todo] - lo[todo] > 1]
    return hi


def _solve(targets: Goals, lam: FArray, s: FArray, pat: FArray | None, cap: int, origin: IArray) -> IArray:
    """Fewest desks for validated arrays with ``lam > 0`` (`origin`: their flat indices, for messages)."""
    load = lam * s
    start = np.ones(load.shape, dtype=np.int64)
    if pat is None:
        start = np.maximum(start, np.floor(load).astype(np.int64) + 1)  # stability: n > load
        if targets.max_occupancy is not None:  # occupancy is exactly load / n
            start = np.maximum(start, np.ceil(load / targets.max_occupancy * (1 - 1e-12)).astype(np.int64))
    if np.any(start > cap):
        first = int(np.flatnonzero(start > cap)[0])
        raise ModelInputError(
            f"`max_desks`={cap} is below the load: index {int(origin[first])} has load {load[first]:.6g} erlangs. "
            "Raise max_desks."
        )
    tails = (*((t, 1.0 - share) for t, share in targets.service_level), *targets.wait_limits)
    guess = start
    if tails or targets.asa is not None:  # Erlang C's answer; with abandonment it is just a guess
        guess = np.maximum(guess, qed_guess(load, s, tails=tails, asa=targets.asa))
    if pat is not None:
        if targets.abandon is not None:  # fluid limit: a share 1 - n / a of the arrivals abandons
            guess = np.maximum(guess, np.ceil(load * (1.0 - targets.abandon)).astype(np.int64))
        if targets.max_occupancy is not None:  # occupancy is at most load / n
            guess = np.maximum(guess, np.ceil(load / targets.max_occupancy).astype(np.int64))

    def ok(idx: IArray, n: IArray) -> NDArray[np.bool_]:
        nf = n.astype(np.float64)
        model: QueueModel
        if pat is None:
            model = ErlangC._from_checked(lam[idx], s[idx], nf)
        else:
            model = ErlangA._from_checked(lam[idx], s[idx], pat[idx], nf)
        return targets.met(model)

    return _search(ok, start, guess, cap, origin=origin, load=load)


def required_desks(
    arrival_rate: ArrayLike,
    mean_service: ArrayLike,
    *,
    targets: Target | Sequence[Target],
    mean_patience: ArrayLike | None = None,
    day_arrivals: float | None = None,
    shrinkage: float = 0.0,
    max_desks: int = 1_000_000,
) -> Staffing:
    """Fewest desks meeting ALL the given targets, for each interval at once.

    Parameters
    ----------
    arrival_rate : float or array_like
        Arrival rate per interval, customers per second, >= 0.
    mean_service : float or array_like
        Mean handling time, seconds, > 0.
    targets : Target or sequence of Target
        What every interval must meet, e.g. ``Target.service_level(20, 0.8)`` (80 % answered
        within 20 s), ``[Target.wait_exceeds(1800, 0.05), Target.wait_exceeds(5400, 0.001)]``
        (regulatory limits), ``Target.mean_wait(30)``, ``Target.abandon_rate(0.05)`` (needs
        `mean_patience`), ``Target.max_occupancy(0.85)``.  Per-day targets are asked of every
        interval; standing time counts as the wait; seated-time targets are skipped (see `goals`).
    mean_patience : float or array_like, optional
        Mean patience, seconds.  Given: Erlang A (`ErlangA`, customers abandon); omitted:
        Erlang C (`ErlangC`).
    day_arrivals : float, optional
        Expected arrivals in the day; needed only by ``Target.day_any_wait_exceeds(limit, p)``,
        which becomes ``P(wait > limit) <= p / day_arrivals`` in every interval (union bound).
    shrinkage : float, default 0.0
        Share of paid time not available for service, in [0, 1).
    max_desks : int, default 1,000,000
        Search limit; an interval needing more raises `ModelInputError`.

    Returns
    -------
    Staffing
        ``desks`` (0 where the arrival rate is 0), ``staff = ceil(desks / (1 - shrinkage))``
        and the `model` at those desks (numpy scalars for scalar inputs).

    Raises
    ------
    ModelInputError
        Missing targets, contradictory targets (an abandonment target without patience, one
        wait limit with two shares), invalid rates, or `max_desks` too small.

    Notes
    -----
    Every metric is monotone in the number of desks, so n is the answer exactly when n meets
    every target and n - 1 does not.  The search guesses n by square-root staffing (Halfin-Whitt:
    ``n = load + beta sqrt(load)``, ``beta`` solved per target), checks the guess and the guess
    minus one in one vectorised round, which settles 83-93 % of the intervals at 80/20, and
    gallops then bisects from the guess for the rest, evaluating only the open intervals; the
    guess sets the number of rounds, never the answer.  Arguments are checked once, here; the
    search evaluates the models through the `QueueModel` interface.  With Erlang C,
    ``desks > load`` is always required (a stable queue).

    Examples
    --------
    >>> from waitlab import Target
    >>> r = required_desks(100 / 1800, 180.0, targets=Target.service_level(20.0, 0.8))
    >>> int(r.desks), int(r.staff)
    (14, 14)
    """
    lam = check_nonnegative("arrival_rate", arrival_rate, unit=" (customers per second)")
    s = check_positive("mean_service", mean_service, unit=" (seconds)")
    pat = None if mean_patience is None else check_positive("mean_patience", mean_patience, unit=" (seconds)")
    wanted = goals(targets, has_patience=pat is not None, day_arrivals=day_arrivals)
    shr = float(as_float("shrinkage", shrinkage))
    if not (0.0 <= shr < 1.0):
        raise ModelInputError(f"`shrinkage` must be in [0, 1), got {shrinkage!r}. Write 30 % as 0.3.")
    cap = int(check_int_at_least("max_desks", max_desks, 1))
    arrays = np.broadcast_arrays(lam, s, *(() if pat is None else (pat,)))
    shape = arrays[0].shape
    lam_f, s_f = arrays[0].ravel(), arrays[1].ravel()
    pat_f = None if pat is None else arrays[2].ravel()
    load = lam_f * s_f

    busy = np.flatnonzero(lam_f > 0)
    desks = np.zeros(load.shape, dtype=np.int64)
    if busy.size:
        desks[busy] = _solve(wanted, lam_f[busy], s_f[busy], None if pat_f is None else pat_f[busy], cap, busy)
    staff = np.ceil(np.round(desks / (1.0 - shr), 9)).astype(np.int64)
    n_final = np.maximum(desks, 1).reshape(shape)
    final: QueueModel
    if pat_f is None:
        final = ErlangC(arrival_rate=arrays[0], mean_service=arrays[1], desks=n_final)
    else:
        final = ErlangA(arrival_rate=arrays[0], mean_service=arrays[1], mean_patience=arrays[2], desks=n_final)
    return Staffing(desks.reshape(shape)[()], staff.reshape(shape)[()], final)


def square_root_staffing(load: ArrayLike, beta: ArrayLike) -> Any:
    """Square-root staffing ``ceil(load + beta sqrt(load))`` (Halfin-Whitt), for comparison.

    Parameters
    ----------
    load : float or array_like
        Offered load in erlangs, >= 0.
    beta : float or array_like
        Quality-of-service parameter (about 0.5 to 2 for Erlang C; may be negative with
        abandonment).

    Returns
    -------
    int or ndarray of int
        Servers, at least 1 where the load is positive and 0 where it is 0.

    Examples
    --------
    >>> int(square_root_staffing(100.0, 1.0))
    110
    """
    a = check_nonnegative("load", load, unit=" (erlangs)")
    b = as_float("beta", beta)
    if not np.all(np.isfinite(b)):
        raise ModelInputError(f"`beta` must be a finite number, got {beta!r}.")
    n = np.ceil(np.round(a + b * np.sqrt(a), 9))
    n = np.where(a > 0, np.maximum(n, 1), 0).astype(np.int64)
    return n[()]

