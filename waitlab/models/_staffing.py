"""Fewest servers meeting service targets, vectorised over many intervals."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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
    check_probability,
    check_time,
)

__all__ = ["Staffing", "Targets", "required_servers", "square_root_staffing"]

IArray = NDArray[np.int64]
FArray = NDArray[np.float64]


class Staffing(NamedTuple):
    """Result of `required_servers`.

    Attributes
    ----------
    servers : int or ndarray of int
        Fewest servers (agents on the phones / desks open) meeting every target; 0 where there
        are no arrivals.
    staff : int or ndarray of int
        Staff to schedule, ``ceil(servers / (1 - shrinkage))``.
    model : QueueModel
        The model evaluated at ``max(servers, 1)``, to read the achieved metrics.
    """

    servers: Any
    staff: Any
    model: QueueModel


@dataclass(frozen=True, slots=True)
class Targets:
    """Validated staffing targets (all optional, at least one present); times in seconds."""

    service_level: tuple[float, float] | None = None
    asa: float | None = None
    abandon: float | None = None
    wait_limits: tuple[tuple[float, float], ...] = ()
    max_occupancy: float | None = None

    @classmethod
    def build(
        cls,
        *,
        service_level: Sequence[float] | None,
        asa: float | None,
        abandon: float | None,
        wait_limits: Iterable[Sequence[float]] | None,
        max_occupancy: float | None,
        has_patience: bool,
    ) -> Targets:
        """Check every target and their combination."""
        sl = None
        if service_level is not None:
            if isinstance(service_level, str | bytes) or np.ndim(service_level) != 1 or len(service_level) != 2:
                raise ModelInputError(
                    "`service_level` must be a pair (target, seconds) such as (0.8, 20.0), "
                    f"got {service_level!r}."
                )
            sl = (
                check_probability("service_level[0] (target share)", service_level[0]),
                check_time("service_level[1] (answer-within seconds)", service_level[1]),
            )
        asa_v = None if asa is None else check_time("asa", asa, positive=True)
        ab = None if abandon is None else check_probability("abandon", abandon)
        if ab is not None and not has_patience:
            raise ModelInputError(
                f"`abandon`={abandon!r} needs `mean_patience`: without patience (Erlang C) nobody abandons, "
                "so an abandonment target cannot steer staffing. Pass mean_patience=<seconds> or drop `abandon`."
            )
        limits: dict[float, float] = {}
        for i, pair in enumerate(wait_limits or ()):
            if isinstance(pair, str | bytes) or np.ndim(pair) != 1 or len(pair) != 2:
                raise ModelInputError(
                    f"`wait_limits[{i}]` must be a pair (limit_seconds, max_share) such as (1800, 0.05), got {pair!r}."
                )
            lim = check_time(f"wait_limits[{i}][0] (limit seconds)", pair[0])
            p = check_probability(f"wait_limits[{i}][1] (max share waiting longer)", pair[1])
            if lim in limits and limits[lim] != p:
                raise ModelInputError(
                    f"`wait_limits` is contradictory: limit {lim:g} s appears with shares {limits[lim]!r} and {p!r}; "
                    "keep one."
                )
            limits[lim] = p
        occ = None
        if max_occupancy is not None:
            occ = float(as_float("max_occupancy", max_occupancy))
            if not (0.0 < occ <= 1.0):
                raise ModelInputError(f"`max_occupancy` must be in (0, 1], got {max_occupancy!r}. Write 85 % as 0.85.")
        out = cls(sl, asa_v, ab, tuple(sorted(limits.items())), occ)
        if sl is None and asa_v is None and ab is None and not limits and occ is None:
            raise ModelInputError(
                "no staffing target given: pass at least one of `service_level=(share, seconds)`, `asa`, "
                "`abandon`, `wait_limits=[(seconds, share), ...]` or `max_occupancy`."
            )
        return out

    def met(self, model: QueueModel) -> NDArray[np.bool_]:
        """Elementwise: does `model` meet every target?"""
        ok = np.ones(np.shape(model.load), dtype=bool)
        if self.service_level is not None:
            ok &= np.asarray(model.service_level(self.service_level[1])) >= self.service_level[0]
        if self.asa is not None:
            ok &= np.asarray(model.mean_wait) <= self.asa
        if self.abandon is not None:
            ok &= np.asarray(model.prob_abandon) <= self.abandon
        for lim, p in self.wait_limits:
            ok &= np.asarray(model.prob_wait_exceeds(lim)) <= p
        if self.max_occupancy is not None:
            ok &= np.asarray(model.occupancy) <= self.max_occupancy
        return ok


def _too_small(cap: int, failed: IArray, origin: IArray, load: FArray) -> ModelInputError:
    """The error for intervals that miss the targets even at `cap` servers (`failed` indexes `load`)."""
    first = int(failed[0])
    return ModelInputError(
        f"`max_servers`={cap} is too small: {failed.size} interval(s) need more servers to meet the targets "
        f"(first: index {int(origin[first])}, load {load[first]:.6g} erlangs). Raise max_servers or relax the targets."
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


def _solve(targets: Targets, lam: FArray, s: FArray, pat: FArray | None, cap: int, origin: IArray) -> IArray:
    """Fewest servers for validated arrays with ``lam > 0`` (`origin`: their flat indices, for messages)."""
    load = lam * s
    start = np.ones(load.shape, dtype=np.int64)
    if pat is None:
        start = np.maximum(start, np.floor(load).astype(np.int64) + 1)  # stability: n > load
        if targets.max_occupancy is not None:  # occupancy is exactly load / n
            start = np.maximum(start, np.ceil(load / targets.max_occupancy * (1 - 1e-12)).astype(np.int64))
    if np.any(start > cap):
        first = int(np.flatnonzero(start > cap)[0])
        raise ModelInputError(
            f"`max_servers`={cap} is below the load: index {int(origin[first])} has load {load[first]:.6g} erlangs. "
            "Raise max_servers."
        )
    tails = targets.wait_limits
    if targets.service_level is not None:
        tails = ((targets.service_level[1], 1.0 - targets.service_level[0]), *tails)
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


def required_servers(
    arrival_rate: ArrayLike,
    mean_service: ArrayLike,
    *,
    mean_patience: ArrayLike | None = None,
    service_level: Sequence[float] | None = None,
    asa: float | None = None,
    abandon: float | None = None,
    wait_limits: Iterable[Sequence[float]] | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    max_servers: int = 1_000_000,
) -> Staffing:
    """Fewest servers meeting ALL the given targets, for each interval at once.

    Parameters
    ----------
    arrival_rate : float or array_like
        Arrival rate per interval, customers per second, >= 0.
    mean_service : float or array_like
        Mean handling time, seconds, > 0.
    mean_patience : float or array_like, optional
        Mean patience, seconds.  Given: Erlang A (`ErlangA`, customers abandon); omitted:
        Erlang C (`ErlangC`).
    service_level : (float, float), optional
        ``(target, t)``: at least `target` of all arrivals answered within `t` seconds,
        e.g. ``(0.8, 20.0)`` for 80/20.
    asa : float, optional
        Maximum mean wait over all arrivals, seconds.
    abandon : float, optional
        Maximum probability of abandoning (needs `mean_patience`).
    wait_limits : list of (float, float), optional
        Regulatory limits ``(limit_s, p)``: P(wait > limit_s) <= p for each pair, e.g.
        ``[(1800, 0.05), (5400, 0.001)]``.
    max_occupancy : float, optional
        Occupancy cap in (0, 1].
    shrinkage : float, default 0.0
        Share of paid time not available for service, in [0, 1).
    max_servers : int, default 1,000,000
        Search limit; an interval needing more raises `ModelInputError`.

    Returns
    -------
    Staffing
        ``servers`` (0 where the arrival rate is 0), ``staff = ceil(servers / (1 - shrinkage))``
        and the `model` at those servers (numpy scalars for scalar inputs).

    Raises
    ------
    ModelInputError
        Invalid or missing targets, contradictory targets (`abandon` without patience, one
        wait limit with two shares), invalid rates, or `max_servers` too small.

    Notes
    -----
    Every metric is monotone in the number of servers, so n is the answer exactly when n meets
    every target and n - 1 does not.  The search guesses n by square-root staffing (Halfin-Whitt:
    ``n = load + beta sqrt(load)``, ``beta`` solved per target), checks the guess and the guess
    minus one in one vectorised round, which settles 83-93 % of the intervals at 80/20, and
    gallops then bisects from the guess for the rest, evaluating only the open intervals; the
    guess sets the number of rounds, never the answer.  Arguments are checked once, here; the
    search evaluates the models through the `QueueModel` interface.  With Erlang C,
    ``servers > load`` is always required (a stable queue).

    Examples
    --------
    >>> r = required_servers(100 / 1800, 180.0, service_level=(0.8, 20.0))
    >>> int(r.servers), int(r.staff)
    (14, 14)
    """
    lam = check_nonnegative("arrival_rate", arrival_rate, unit=" (customers per second)")
    s = check_positive("mean_service", mean_service, unit=" (seconds)")
    pat = None if mean_patience is None else check_positive("mean_patience", mean_patience, unit=" (seconds)")
    targets = Targets.build(
        service_level=service_level,
        asa=asa,
        abandon=abandon,
        wait_limits=wait_limits,
        max_occupancy=max_occupancy,
        has_patience=pat is not None,
    )
    shr = float(as_float("shrinkage", shrinkage))
    if not (0.0 <= shr < 1.0):
        raise ModelInputError(f"`shrinkage` must be in [0, 1), got {shrinkage!r}. Write 30 % as 0.3.")
    cap = int(check_int_at_least("max_servers", max_servers, 1))
    arrays = np.broadcast_arrays(lam, s, *(() if pat is None else (pat,)))
    shape = arrays[0].shape
    lam_f, s_f = arrays[0].ravel(), arrays[1].ravel()
    pat_f = None if pat is None else arrays[2].ravel()
    load = lam_f * s_f

    busy = np.flatnonzero(lam_f > 0)
    servers = np.zeros(load.shape, dtype=np.int64)
    if busy.size:
        servers[busy] = _solve(targets, lam_f[busy], s_f[busy], None if pat_f is None else pat_f[busy], cap, busy)
    staff = np.ceil(np.round(servers / (1.0 - shr), 9)).astype(np.int64)
    n_final = np.maximum(servers, 1).reshape(shape)
    final: QueueModel
    if pat_f is None:
        final = ErlangC(arrival_rate=arrays[0], mean_service=arrays[1], servers=n_final)
    else:
        final = ErlangA(arrival_rate=arrays[0], mean_service=arrays[1], mean_patience=arrays[2], servers=n_final)
    return Staffing(servers.reshape(shape)[()], staff.reshape(shape)[()], final)


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

