"""The M/M/n+M queue with exponential patience (Palm's queue, Erlang A)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from waitlab.models._erlang import _out, inv_erlang_b_minus_1
from waitlab.models._special import abandon_given_wait, log_kummer_a, queue_sums
from waitlab.models._validate import check_desks, check_nonnegative, check_positive, check_times

__all__ = ["ErlangA"]

FArray = NDArray[np.float64]


def _log_a_minus_1(x: FArray, z: FArray) -> FArray:
    """``log(A(x, z) - 1) = log(z / (x + 1)) + log A(x + 1, z)`` (-inf at z = 0)."""
    with np.errstate(divide="ignore"):
        return np.log(z) - np.log1p(x) + log_kummer_a(x + 1, z)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class ErlangA:
    """M/M/n+M queue: Poisson arrivals, exponential service and exponential patience (Erlang A).

    Parameters
    ----------
    arrival_rate : float or array_like
        Poisson arrival rate, customers per second, >= 0.
    mean_service : float or array_like
        Mean (exponential) service time, seconds, > 0.
    mean_patience : float or array_like
        Mean (exponential) patience, seconds, > 0 and finite (for infinite patience use `ErlangC`).
        A waiting customer abandons at rate ``1 / mean_patience``.
    desks : float or array_like
        Number of desks, >= 1.  Fractions are allowed: measured staffing is a time-average of
        desks on duty, e.g. 7.5 (see "Fractional desks" below).

    Notes
    -----
    With ``mu = 1 / mean_service``, ``theta = 1 / mean_patience``, ``x = n mu / theta``,
    ``y = arrival_rate / theta``, ``rho = y / x``, ``q = exp(-theta t)``,
    ``g(x, z) = z**x e**-z / Gamma(x + 1)`` and ``A(x, z) = P(x, z) / g(x, z)`` (``P`` the
    regularised lower incomplete gamma; ``A = 1F1(1; x + 1; z)``), Mandelbaum and Zeltyn give::

        P(wait > 0)       = A B / (1 + (A - 1) B),       B = erlang_b(n, arrival_rate / mu)
        P(ab | wait > 0)  = 1 / (rho A) + 1 - 1 / rho
        P(W > t)          = P(wait > 0) q A(x, y q) g(x, y q) / (A(x, y) g(x, y))
        SL(t)             = 1 - P(wait > 0)
                            + P(wait > 0) / (rho A(x, y)) [(A(x, y) - 1) - (A(x, y q) - 1) g(x, y q) / g(x, y)]

    ``W`` is the time spent waiting, which ends at service or at abandonment, so
    ``P(abandon) = theta E[W]`` (`mean_wait` is over all arrivals).  `prob_wait` is exactly
    ``P(W > 0)``: an arrival who finds every desk busy waits a positive time, since patience
    is continuous.

    Answered and abandoning calls.  Given a wait, the arrival sees ``m >= 0`` customers ahead
    with probability ``w_m = g(x + m, y) / P(x, y)`` (PASTA; ``sum_m w_m = 1``).  Its wait passes
    through stages with ``j = m, ..., 0`` customers ahead; stage ``j`` lasts an exponential time
    of rate ``theta (x + j + 1)`` and is survived (no abandonment) with probability
    ``(x + j) / (x + j + 1)``.  Summing over the stages::

        E[W; answered | m] = x h_{m+1} / (theta (x + m + 1)),    h_j = sum_{i<=j} 1 / (x + i)
        E[W; abandoned | m] = k_{m+1} / (theta (x + m + 1)),     k_j = sum_{i<=j} i / (x + i)

    so ``mean_wait_answered = P(W > 0) x S_h / (theta (1 - P(abandon)))`` and
    ``mean_wait_abandoned = S_k / (theta (x S_h + S_k))`` with ``S_h = sum_m w_m h_{m+1} / (x + m + 1)``
    and ``S_k = sum_m w_m k_{m+1} / (x + m + 1)``; ``x S_h + S_k = P(ab | wait > 0)``.  The
    same quantities follow from Mandelbaum and Zeltyn's waiting-time law (the offered wait
    ``V`` has ``y exp(-theta V)`` distributed as a Gamma(x) truncated to (0, y), and
    ``W = min(V, patience)``): ``E[W; answered] = E[V exp(-theta V)]`` and
    ``E[W; abandoned] = theta E[W**2] / 2``.  The sums have positive terms only and start a
    few standard deviations below the mode of ``w``, so they are exact and take O(sqrt(y)) terms.

    Fractional desks.  Every formula above depends on ``n`` only through ``x = n mu / theta``
    (real already) and ``B = erlang_b(n, a)``; with Jagerman's continuous Erlang B (see
    `waitlab.models.erlang_b`) they define the model for real ``n >= 1``: equal to M/M/n+M at
    whole ``n``, continuous and monotone in between.  ``SL(t)`` counts arrivals
    answered within ``t`` among *all* arrivals, abandoners included (the bracket is the
    integral of the density of entering service after a positive wait of at most ``t``).
    ``g(x, y q) / g(x, y) = exp(-x theta t - y expm1(-theta t))`` is exact in log space; the
    ``A`` values come from ``scipy.special.gammainc`` and Loader's saddle-point form of ``g``,
    or from the convergent ``1F1`` series where the gamma form would underflow or cancel
    (``1 - (1 - rho) A`` in underload).  Results are accurate to ~1e-12 relative for desks
    up to 1e5 and loads up to 1e5, in overload too (the queue is always stable thanks to
    abandonment, so ``load >= desks`` is no error).

    References
    ----------
    A. Mandelbaum and S. Zeltyn, "The impact of customers' patience on delay and abandonment:
    some empirically-driven experiments with the M/M/n+G queue", OR Spectrum 26 (2004).
    A. Mandelbaum and S. Zeltyn, "Service Engineering in Action: the Palm/Erlang-A queue, with
    applications to call centers" (2007).
    O. Garnett, A. Mandelbaum and M. Reiman, "Designing a call center with impatient
    customers", Manufacturing & Service Operations Management 4 (2002) 208-227.
    D. L. Jagerman, "Some properties of the Erlang loss function", Bell System Technical
    Journal 53 (1974) 525-551.

    Examples
    --------
    >>> m = ErlangA(arrival_rate=0.05, mean_service=240.0, mean_patience=300.0, desks=14)
    >>> round(float(m.prob_abandon), 6) == round(float(m.mean_wait) / 300.0, 6)
    True
    """

    arrival_rate: ArrayLike
    mean_service: ArrayLike
    mean_patience: ArrayLike
    desks: ArrayLike
    _lam: FArray = field(init=False, repr=False)
    _s: FArray = field(init=False, repr=False)
    _p: FArray = field(init=False, repr=False)
    _n: FArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lam = check_nonnegative("arrival_rate", self.arrival_rate, unit=" (customers per second)")
        s = check_positive("mean_service", self.mean_service, unit=" (seconds)")
        p = check_positive(
            "mean_patience", self.mean_patience, unit=" (seconds; use ErlangC for customers who never abandon)"
        )
        n = check_desks("desks", self.desks, 1)
        lam, s, p, n = np.broadcast_arrays(lam, s, p, n)
        for name, arr in (("_lam", lam), ("_s", s), ("_p", p), ("_n", n)):
            object.__setattr__(self, name, arr)

    @classmethod
    def _from_checked(
        cls, arrival_rate: FArray, mean_service: FArray, mean_patience: FArray, desks: FArray
    ) -> ErlangA:
        """Build from float arrays of one shape that are already valid, skipping the checks (staffing search)."""
        self = object.__new__(cls)
        pairs = (("arrival_rate", "_lam", arrival_rate), ("mean_service", "_s", mean_service),
                 ("mean_patience", "_p", mean_patience), ("desks", "_n", desks))
        for public, private, arr in pairs:
            object.__setattr__(self, public, arr)
            object.__setattr__(self, private, arr)
        return self

    # -- internal pieces -------------------------------------------------------------------
    def _xy(self) -> tuple[FArray, FArray]:
        """``x = n mu / theta`` and ``y = lambda / theta``."""
        return self._n * self._p / self._s, self._lam * self._p

    def _core(self) -> tuple[FArray, FArray, FArray, FArray]:
        """``x, y, log A(x, y)`` and the probability of waiting."""
        x, y, log_a, pw, _ = self._core_full()
        return x, y, log_a, pw

    def _core_full(self) -> tuple[FArray, FArray, FArray, FArray, FArray]:
        """As `_core`, plus ``1 - P(wait > 0)`` computed without cancellation."""
        x, y = self._xy()
        log_a = log_kummer_a(x, y)
        with np.errstate(all="ignore"):
            r = inv_erlang_b_minus_1(self._n, self._lam * self._s) * np.exp(-log_a)
            pw = np.where(self._lam == 0, 0.0, 1.0 / (1.0 + r))
            no_wait = np.where(self._lam == 0, 1.0, np.where(np.isinf(r), 1.0, r / (1.0 + r)))
        return x, y, log_a, pw, no_wait

    def _prob_served(self) -> FArray:
        """``1 - P(abandon) = P(no wait) + P(wait) (1 - P(ab | wait))`` without cancellation."""
        x, y, log_a, pw, no_wait = self._core_full()
        with np.errstate(all="ignore"):
            rho = y / x
            # in overload 1 - P(ab | wait) = (1 - 1/A) / rho exactly
            over = np.where(y > 0, -np.expm1(-log_a) / rho, 1.0)
            served_after_wait = np.where(rho >= 1, over, 1.0 - abandon_given_wait(x, y, log_a))
        return np.clip(no_wait + pw * served_after_wait, 0.0, 1.0)

    # -- metrics ----------------------------------------------------------------------------
    @property
    def load(self) -> Any:
        """Offered load in erlangs, ``arrival_rate * mean_service``."""
        return _out(self._lam * self._s)

    @property
    def prob_wait(self) -> Any:
        """Probability that an arrival finds all desks busy and has to wait."""
        return _out(self._core()[3])

    @property
    def prob_abandon(self) -> Any:
        """Probability that an arrival abandons before being served."""
        x, y, log_a, pw = self._core()
        return _out(pw * abandon_given_wait(x, y, log_a))

    @property
    def mean_wait(self) -> Any:
        """Mean wait over all arrivals, seconds (a wait ends at service or abandonment)."""
        return _out(np.asarray(self.prob_abandon) * self._p)

    def _wait_sums(self) -> tuple[FArray, FArray, FArray, FArray]:
        """``x, P(wait > 0)`` and the queue sums ``S_h, S_k`` (see the class Notes)."""
        x, y, log_a, pw = self._core()
        s_h, s_k = queue_sums(x, y, log_a)
        return x, pw, s_h, s_k

    @property
    def mean_wait_answered(self) -> Any:
        """Mean wait of answered calls (ASA as call centers report it), seconds, zero waits included.

        ``E[W | answered] = P(W > 0) x S_h mean_patience / (1 - P(abandon))`` (class Notes).
        """
        x, pw, s_h, _ = self._wait_sums()
        with np.errstate(all="ignore"):
            out = pw * x * s_h * self._p / self._prob_served()
        return _out(np.where(pw == 0, 0.0, out))

    @property
    def mean_wait_abandoned(self) -> Any:
        """Mean time abandoning calls waited before leaving, seconds.

        ``E[W | abandoned] = mean_patience S_k / (x S_h + S_k)`` (class Notes); it does not
        depend on ``P(W > 0)``.  With no arrivals it is the limit as the arrival rate tends to 0,
        ``1 / (1 / mean_patience + desks / mean_service)`` (the arrival finds nobody ahead).
        """
        x, _, s_h, s_k = self._wait_sums()
        return _out(self._p * s_k / (x * s_h + s_k))

    @property
    def occupancy(self) -> Any:
        """Server utilisation ``load (1 - prob_abandon) / desks`` (served load per server)."""
        return _out(np.minimum(self._lam * self._s * self._prob_served() / self._n, 1.0))

    @property
    def mean_queue_length(self) -> Any:
        """Mean number of customers waiting, ``arrival_rate * mean_wait``."""
        return _out(self._lam * np.asarray(self.mean_wait))

    def _tail_pieces(self, t: ArrayLike) -> tuple[FArray, ...]:
        """Broadcast ``t``; return ``x, y, log A(x, y), P(wait>0), 1 - P(wait>0), u = theta t, y q``."""
        tt = check_times("t", t)
        x, y, log_a, pw, no_wait = self._core_full()
        x, y, log_a, pw, no_wait, tt, p = np.broadcast_arrays(x, y, log_a, pw, no_wait, tt, self._p)
        u = tt / p
        with np.errstate(under="ignore"):
            yq = y * np.exp(-u)
        return x, y, log_a, pw, no_wait, u, yq

    def prob_wait_exceeds(self, t: ArrayLike) -> Any:
        """Probability that an arrival is still waiting after `t` seconds (not served, not gone).

        Parameters
        ----------
        t : float or array_like
            Time in seconds, >= 0 (``inf`` allowed); broadcast against the parameters.
        """
        x, y, log_a, pw, _, u, yq = self._tail_pieces(t)
        with np.errstate(all="ignore"):
            # log of e^{-u} g(x, yq) / g(x, y) = -u - x u + y (1 - q)
            expo = np.array(-u - x * u - y * np.expm1(-u) + log_kummer_a(x, yq) - log_a, dtype=np.float64)
            # in overload the terms above are huge (~ y) and cancel; there the same quantity is
            # e**-u P(x, y q) / P(x, y), a ratio of regularised incomplete gammas near 1
            over = (y >= x + 1) & np.isfinite(u)
            if np.any(over):
                p_yq = special.gammainc(x[over], yq[over])
                direct = np.where(p_yq >= 1e-280, -u[over] + np.log(p_yq / special.gammainc(x[over], y[over])), np.nan)
                expo[over] = np.where(np.isnan(direct), expo[over], direct)
            out = pw * np.exp(expo)
        # never above P(wait > 0): at t near 0 the two log-Kummer terms cancel to rounding (1e-10)
        return _out(np.where(np.isinf(u) | (pw == 0), 0.0, np.minimum(out, pw)))

    def service_level(self, t: ArrayLike) -> Any:
        """Share of ALL arrivals (abandoners included) answered within `t` seconds.

        Parameters
        ----------
        t : float or array_like
            Time in seconds, >= 0 (``inf`` gives ``1 - prob_abandon``).

        Notes
        -----
        ``1 - P(wait > 0) + P(wait > 0) / (rho A) [(A(x, y) - 1) - (A(x, y q) - 1) g(x, y q) / g(x, y)]``
        where ``g(x, z) = z**x e**-z / Gamma(x + 1)``: the bracket is ``y`` times the integral of the
        density of entering service after a positive wait of at most ``t``.
        """
        x, y, log_a, pw, no_wait, u, yq = self._tail_pieces(t)
        with np.errstate(all="ignore"):
            log_ratio = -x * u - y * np.expm1(-u)  # log g(x, yq) / g(x, y)
            first = np.exp(_log_a_minus_1(x, y) - log_a)
            second = np.exp(_log_a_minus_1(x, yq) + log_ratio - log_a)
            second = np.where(np.isinf(u), 0.0, second)
            frac = np.array(first - second, dtype=np.float64)  # = (P(x+1, y) - P(x+1, y q)) / P(x, y)
            # where both P(x+1, .) are close to 1, subtract the small upper tails instead
            upper = yq >= x + 1
            if np.any(upper):
                xu, yu, yqu = x[upper], y[upper], yq[upper]
                frac[upper] = (special.gammaincc(xu + 1, yqu) - special.gammaincc(xu + 1, yu)) / special.gammainc(
                    xu, yu
                )
            answered_after_wait = pw * (x / y) * np.maximum(frac, 0.0)
            sl = no_wait + answered_after_wait
        return _out(np.where(y == 0, 1.0, np.clip(sl, 0.0, 1.0)))

    def with_desks(self, desks: ArrayLike) -> ErlangA:
        """The same queue with `desks` desks."""
        return replace(self, desks=desks)
