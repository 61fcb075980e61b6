"""Erlang B, Erlang C and the M/M/n queue (`ErlangC`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from waitlab.models._special import _TINY, falling_series, log_g
from waitlab.models._validate import check_desks, check_nonnegative, check_positive, check_times

__all__ = ["ErlangC", "erlang_b", "erlang_c"]

FArray = NDArray[np.float64]


def _out(arr: FArray) -> Any:
    """Return numpy scalars for scalar input (``arr[()]``), arrays otherwise."""
    return np.asarray(arr, dtype=np.float64)[()]


def inv_erlang_b_minus_1(n: FArray, a: FArray) -> FArray:
    """``1 / B(x, a) - 1`` (>= 0, ``inf`` when a = 0 < x) for real x >= 0, without overflow or cancellation.

    Jagerman's ``1 / B(x, a) = a * int_0^inf exp(-a t) (1 + t)**x dt = Q(x + 1, a) / g(x, a)`` and
    ``Gamma(x + 1, a) = x Gamma(x, a) + a**x exp(-a)`` give ``1 / B - 1 = Q(x, a) / g(x, a)``
    (``Q`` the regularised upper incomplete gamma, ``g(x, a) = a**x exp(-a) / Gamma(x + 1)``):
    a ratio of positive numbers, nothing subtracted.  Where ``Q(x, a)`` underflows (a > 600 and
    a well above x) its asymptotic series is summed instead (`falling_series`).
    """
    n, a = np.broadcast_arrays(np.asarray(n, float), np.asarray(a, float))
    out = np.zeros(n.shape)
    with np.errstate(all="ignore"):
        pos = (n > 0) & (a > 0)
        out[(n > 0) & (a == 0)] = np.inf
        q = special.gammaincc(n, a)  # Q(x, a)
        ratio = np.exp(np.log(q) - log_g(n, a))
        gamma_ok = pos & (q >= _TINY)
        out[gamma_ok] = ratio[gamma_ok]
        series = pos & ~gamma_ok  # deep overload: a >> x, the series converges fast
        if np.any(series):
            out[series] = falling_series(n[series], a[series])
    return out


def erlang_b(desks: ArrayLike, load: ArrayLike) -> Any:
    """Erlang B blocking probability of an M/M/n/n loss system.

    Parameters
    ----------
    desks : float or array_like
        Number of desks, >= 0.  Fractions are allowed (a time-average of desks on duty, such
        as 7.5): see Notes.
    load : float or array_like
        Offered load in erlangs (arrival rate times mean service time), >= 0.

    Returns
    -------
    float or ndarray
        ``B(n, a) = (a**n / n!) / sum_{k<=n} a**k / k!``, broadcast over the inputs.

    Raises
    ------
    ModelInputError
        If `desks` is below 0, NaN or infinite, or `load` is negative, NaN or infinite.

    Notes
    -----
    For real ``x >= 0`` desks this is Jagerman's continuous extension::

        1 / B(x, a) = a * integral_0^inf exp(-a t) (1 + t)**x dt = e**a a**-x Gamma(x + 1, a),

    which equals the integer formula at whole ``x`` (expand ``(1 + t)**n``), satisfies the
    same recursion ``1 / B(x, a) = 1 + (x / a) / B(x - 1, a)`` and is smooth and strictly
    decreasing in ``x`` (the integrand grows with ``x``).  It is computed as
    ``1 / B - 1 = Q(x, a) / g(x, a)`` with ``Q = scipy.special.gammaincc`` and Loader's
    saddle-point form of the Poisson-like ``g(x, a) = a**x e**-a / Gamma(x + 1)`` (no
    factorials, no cancellation), accurate to ~1e-13 relative for ``x`` and ``a`` up to 1e5 and
    beyond.  Where ``Q`` underflows (``a`` far above ``x``) the series
    ``1 / B - 1 = sum_j x (x-1) ... (x-j+1) / a**j`` is summed instead.

    References
    ----------
    D. L. Jagerman, "Some properties of the Erlang loss function", Bell System Technical
    Journal 53 (1974) 525-551.

    Examples
    --------
    >>> round(float(erlang_b(10, 5.0)), 6)
    0.018385
    """
    n = check_desks("desks", desks, 0)
    a = check_nonnegative("load", load, unit=" (erlangs)")
    with np.errstate(all="ignore"):
        return _out(1.0 / (1.0 + inv_erlang_b_minus_1(n, a)))


def _erlang_c(n: FArray, a: FArray) -> FArray:
    """Erlang C on validated arrays; 1 when ``a >= n``."""
    n, a = np.broadcast_arrays(n, a)
    with np.errstate(all="ignore"):
        rho = a / n
        c = 1.0 / (1.0 + (1.0 - rho) * inv_erlang_b_minus_1(n, a))
    return np.where(rho >= 1, 1.0, c)


def erlang_c(desks: ArrayLike, load: ArrayLike) -> Any:
    """Erlang C probability of waiting in an M/M/n queue.

    Parameters
    ----------
    desks : float or array_like
        Number of desks, >= 1; fractions are allowed (see Notes).
    load : float or array_like
        Offered load in erlangs, >= 0.

    Returns
    -------
    float or ndarray
        ``C(n, a) = n B / (n - a (1 - B))`` with ``B = erlang_b(n, a)``; 1 when ``a >= n``
        (the queue is unstable and every arrival waits).

    Raises
    ------
    ModelInputError
        If `desks` is below 1 (or NaN, infinite) or `load` is negative, NaN or infinite.

    Notes
    -----
    Fractional desks use the same formula with Jagerman's continuous Erlang B (see
    `erlang_b`): ``C(x, a) = x B(x, a) / (x - a (1 - B(x, a)))``, equal to the M/M/n value at
    whole ``x``, continuous and decreasing in ``x``.  Fewer than one desk is refused: an
    interval with less than one desk on duty on average is not an M/M/x queue.  Written as
    ``1 / (1 + (1 - rho) (1/B - 1))`` with ``1/B - 1`` computed directly (see `erlang_b`), so
    there is no cancellation anywhere.

    Examples
    --------
    >>> round(float(erlang_c(2, 1.0)), 12)
    0.333333333333
    """
    n = check_desks("desks", desks, 1)
    a = check_nonnegative("load", load, unit=" (erlangs)")
    return _out(_erlang_c(n, a))


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ErlangC:
    """M/M/n queue with an infinite waiting room and no abandonment (Erlang C).

    Parameters
    ----------
    arrival_rate : float or array_like
        Poisson arrival rate, customers per second, >= 0.
    mean_service : float or array_like
        Mean (exponential) service time, seconds, > 0.
    desks : float or array_like
        Number of desks, >= 1.  Fractions are allowed: measured staffing is a time-average of
        desks on duty, e.g. 7.5 (see `erlang_c` for the continuous extension).

    Notes
    -----
    With load ``a = arrival_rate * mean_service`` and ``C = erlang_c(desks, a)``::

        P(wait > t) = C exp(-(n - a) t / mean_service),   mean wait = C mean_service / (n - a).

    If ``load >= desks`` the queue is unstable: `prob_wait` is 1, the waits are ``inf`` and the
    service level is 0 rather than an error, so a staffing search can evaluate such points.
    Parameters broadcast like ``scipy.stats``; use ``dataclasses.replace`` or `with_desks`
    for what-ifs.

    Examples
    --------
    >>> m = ErlangC(arrival_rate=1.0, mean_service=1.0, desks=2)
    >>> round(float(m.prob_wait), 12), round(float(m.mean_wait), 12)
    (0.333333333333, 0.333333333333)
    """

    arrival_rate: ArrayLike
    mean_service: ArrayLike
    desks: ArrayLike
    _lam: FArray = field(init=False, repr=False)
    _s: FArray = field(init=False, repr=False)
    _n: FArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lam = check_nonnegative("arrival_rate", self.arrival_rate, unit=" (customers per second)")
        s = check_positive("mean_service", self.mean_service, unit=" (seconds)")
        n = check_desks("desks", self.desks, 1)
        lam, s, n = np.broadcast_arrays(lam, s, n)
        object.__setattr__(self, "_lam", lam)
        object.__setattr__(self, "_s", s)
        object.__setattr__(self, "_n", n)

    @classmethod
    def _from_checked(cls, arrival_rate: FArray, mean_service: FArray, desks: FArray) -> ErlangC:
        """Build from float arrays of one shape that are already valid, skipping the checks (staffing search)."""
        self = object.__new__(cls)
        for name, arr in (("arrival_rate", arrival_rate), ("mean_service", mean_service), ("desks", desks)):
            object.__setattr__(self, name, arr)
        for name, arr in (("_lam", arrival_rate), ("_s", mean_service), ("_n", desks)):
            object.__setattr__(self, name, arr)
        return self

    @property
    def load(self) -> Any:
        """Offered load in erlangs, ``arrival_rate * mean_service``."""
        return _out(self._lam * self._s)

    @property
    def prob_wait(self) -> Any:
        """Probability that an arrival waits (Erlang C); 1 when ``load >= desks``."""
        return _out(_erlang_c(self._n, self._lam * self._s))

    @property
    def prob_abandon(self) -> Any:
        """Always 0: nobody abandons in Erlang C (kept so the models share one interface)."""
        return _out(np.zeros(self._n.shape))

    def _gap(self) -> FArray:
        """``n - a`` (desks minus load)."""
        return self._n - self._lam * self._s

    @property
    def mean_wait(self) -> Any:
        """Mean wait in queue over all arrivals, seconds; ``inf`` when ``load >= desks``."""
        gap = self._gap()
        with np.errstate(all="ignore"):
            w = _erlang_c(self._n, self._lam * self._s) * self._s / gap
        return _out(np.where(gap <= 0, np.inf, w))

    @property
    def mean_wait_answered(self) -> Any:
        """Mean wait of answered calls, seconds: equal to `mean_wait`, since everyone is answered."""
        return self.mean_wait

    @property
    def mean_wait_abandoned(self) -> Any:
        """NaN: nobody abandons in Erlang C (kept so tables of both models have the same columns)."""
        return _out(np.full(self._n.shape, np.nan))

    def prob_wait_exceeds(self, t: ArrayLike) -> Any:
        """Probability that the wait exceeds `t` seconds, ``C exp(-(n - a) t / mean_service)``.

        Parameters
        ----------
        t : float or array_like
            Time in seconds, >= 0 (``inf`` allowed); broadcast against the parameters.
        """
        tt = check_times("t", t)
        gap = self._gap()
        with np.errstate(all="ignore"):
            p = _erlang_c(self._n, self._lam * self._s) * np.exp(-gap * tt / self._s)
        return _out(np.where(gap <= 0, 1.0, p))

    def service_level(self, t: ArrayLike) -> Any:
        """Share of arrivals answered within `t` seconds, ``1 - prob_wait_exceeds(t)``.

        Parameters
        ----------
        t : float or array_like
            Time in seconds, >= 0 (``inf`` allowed).
        """
        return _out(1.0 - np.asarray(self.prob_wait_exceeds(t)))

    @property
    def occupancy(self) -> Any:
        """Server utilisation ``min(load / desks, 1)``."""
        return _out(np.minimum(self._lam * self._s / self._n, 1.0))

    @property
    def mean_queue_length(self) -> Any:
        """Mean number waiting, ``arrival_rate * mean_wait`` (``inf`` when unstable, 0 with no arrivals)."""
        w = np.asarray(self.mean_wait)
        with np.errstate(all="ignore"):
            q = self._lam * w
        return _out(np.where(self._lam == 0, 0.0, q))

    def with_desks(self, desks: ArrayLike) -> ErlangC:
        """The same queue with `desks` desks."""
        return replace(self, desks=desks)
