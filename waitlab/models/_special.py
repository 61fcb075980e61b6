"""Numerically careful building blocks for the Erlang formulas (private).

Everything works on float arrays and is vectorised.  Three ideas keep the formulas exact at
100,000 desks and loads of 1e5:

* ``log_g(x, z) = log(z**x * exp(-z) / Gamma(x + 1))``, the (continuous) Poisson probability, is
  computed with Loader's saddle-point form ``-stirlerr(x) - bd0(x, z) - log(2 pi x) / 2`` instead of
  ``x log z - z - lgamma(x + 1)``, which loses ~7 digits to cancellation at x = 1e5.
* ratios such as ``1 / ErlangB`` or ``A(x, z) = P(x, z) / g(x, z)`` come from scipy's regularised
  incomplete gamma functions where those are comfortably representable, and otherwise from
  their convergent power series, which are then fast (deep tails).
* differences that cancel (Erlang-A's ``1 - (1 - rho) A``) are summed as positive series instead.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import special

FArray = NDArray[np.float64]

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
_TINY = 1e-280  # below this an incomplete-gamma value is treated as lost to underflow
_CHUNK = 128
_MAX_TERMS = 2_000_000
_QUARTER_ULP = 2.0**-54  # x <= this * s implies x is below half an ulp of s (round-to-nearest keeps s)


def stirlerr(x: FArray) -> FArray:
    """``log Gamma(x + 1) - (x + 1/2) log x + x - log sqrt(2 pi)`` for x >= 10 (Stirling series)."""
    xx = x * x
    return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - (1 / 1188) / xx) / xx) / xx) / xx) / x


def bd0(x: FArray, z: FArray) -> FArray:
    """Loader's deviance ``x log(x / z) + z - x`` (>= 0) without cancellation; x > 0, z > 0."""
    out = np.empty(np.broadcast(x, z).shape)
    x, z = np.broadcast_arrays(x, z)
    near = np.abs(x - z) < 0.1 * (x + z)
    xf, zf = x[~near], z[~near]
    out[~near] = xf * np.log(xf / zf) + zf - xf
    if np.any(near):
        xn, zn = x[near], z[near]
        v = (xn - zn) / (xn + zn)
        s = (xn - zn) * v
        ej = 2 * xn * v
        v2 = v * v
        for j in range(1, 40):  # |v| < 0.1, so each term is below 1/100 of the one before
            ej = ej * v2
            term = ej / (2 * j + 1)
            s = s + term
            # stop once every term is below half an ulp of its sum: later, smaller ones cannot change it
            if j % 4 == 0 and np.all(np.abs(term) <= _QUARTER_ULP * s):
                break
        out[near] = s
    return out


def log_g(x: FArray, z: FArray) -> FArray:
    """``log(z**x exp(-z) / Gamma(x + 1))`` for x >= 0, z >= 0 (-inf when z = 0 < x)."""
    x, z = np.broadcast_arrays(np.asarray(x, float), np.asarray(z, float))
    out = np.empty(x.shape)
    small = x < 10
    with np.errstate(divide="ignore", invalid="ignore"):
        xs, zs = x[small], z[small]
        out[small] = special.xlogy(xs, zs) - zs - special.gammaln(xs + 1)
        big = ~small
        xb, zb = x[big], z[big]
        pos = zb > 0
        vals = np.full(xb.shape, -np.inf)
        vals[pos] = -_LOG_SQRT_2PI - 0.5 * np.log(xb[pos]) - stirlerr(xb[pos]) - bd0(xb[pos], zb[pos])
        out[big] = vals
    return out


def kummer_series(x: FArray, z: FArray) -> tuple[FArray, FArray]:
    """Sums ``A = sum_j t_j`` and ``S1 = sum_j j t_j`` with ``t_j = prod_{k<=j} z / (x + k)``.

    ``A = 1F1(1; x + 1; z) = P(x, z) / g(x, z)``.  Needs ``z < x + 1`` for the terms to decrease
    from the start; converges geometrically, faster the smaller ``z / x``.
    """
    x = np.asarray(x, float).ravel()
    z = np.asarray(z, float).ravel()
    a_sum = np.ones_like(x)
    s1 = np.zeros_like(x)
    last = np.ones_like(x)
    active = np.arange(x.size)
    j0 = 0
    steps = np.arange(1, _CHUNK + 1, dtype=float)
    while active.size and j0 < _MAX_TERMS:
        xa, za = x[active], z[active]
        k = j0 + steps
        terms = last[active, None] * np.cumprod(za[:, None] / (xa[:, None] + k), axis=1)
        a_sum[active] += terms.sum(axis=1)
        s1[active] += (terms * k).sum(axis=1)
        last[active] = terms[:, -1]
        j0 += _CHUNK
        r = np.minimum(za / (xa + j0 + 1), 0.999999)
        # tails beyond term J are below last * r / (1-r) (for A) and last * (J+1) r / (1-r)**2 (for S1)
        tail_a = last[active] * r / (1 - r)
        tail_s1 = tail_a * (j0 + 1) / (1 - r)
        done = (tail_a <= 1e-17 * a_sum[active]) & (tail_s1 <= 1e-17 * s1[active])
        done |= last[active] == 0
        active = active[~done]
    return a_sum, s1


def falling_series(n: FArray, a: FArray) -> FArray:
    """``sum_{j>=1} x (x-1) ... (x-j+1) / a**j`` = ``Q(x, a) / g(x, a) = 1 / ErlangB(x, a) - 1``, for a >> x.

    Finite (j <= x) for whole x.  For fractional x it is the asymptotic series of
    ``Q(x, a) / g(x, a)``: past j = x its terms alternate in sign and shrink while j < a + x, and
    the error is below the first term left out.  It is used only where ``Q(x, a)`` underflows
    (a > 600, a well above x), so the terms fall below 1e-17 of the sum long before they could grow.
    """
    n = np.asarray(n, float).ravel()
    a = np.asarray(a, float).ravel()
    total = np.zeros_like(n)
    last = np.ones_like(n)
    active = np.arange(n.size)
    j0 = 0
    steps = np.arange(_CHUNK, dtype=float)
    while active.size and j0 < _MAX_TERMS:
        na, aa = n[active], a[active]
        factors = (na[:, None] - (j0 + steps)) / aa[:, None]
        terms = last[active, None] * np.cumprod(factors, axis=1)
        total[active] += terms.sum(axis=1)
        last[active] = terms[:, -1]
        j0 += _CHUNK
        ratio = np.abs(na - j0) / aa
        bound = np.abs(last[active]) * ratio / (1 - np.minimum(ratio, 0.999999))
        done = (bound <= 1e-17 * total[active]) | (last[active] == 0) | ((j0 > na) & (ratio >= 1))
        active = active[~done]
    return total


def log_kummer_a(x: FArray, z: FArray) -> FArray:
    """``log A(x, z)``, ``A = 1F1(1; x + 1; z) = P(x, z) / g(x, z) >= 1``, for x > 0, z >= 0."""
    x, z = np.broadcast_arrays(np.asarray(x, float), np.asarray(z, float))
    out = np.zeros(x.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        p = special.gammainc(x, z)
        use_series = (z > 0) & (z < x + 1) & ((z <= 0.8 * (x + 1)) | (p < _TINY))
        use_gamma = (z > 0) & ~use_series
        if np.any(use_series):
            a_sum, _ = kummer_series(x[use_series], z[use_series])
            out[use_series] = np.log(a_sum)
        out[use_gamma] = np.log(p[use_gamma]) - log_g(x[use_gamma], z[use_gamma])
    return out


def abandon_given_wait(x: FArray, z: FArray, log_a: FArray) -> FArray:
    """``D / (rho A)`` with ``rho = z / x`` and ``D = 1 - (1 - rho) A`` (Erlang-A's P(abandon | wait)).

    In overload ``1 - 1/rho + 1/(rho A)`` has no cancellation.  In underload ``D`` would cancel, so
    it is taken from the series ``x D = sum_j j t_j`` unless the direct form is well conditioned.
    """
    x, z, log_a = np.broadcast_arrays(np.asarray(x, float), np.asarray(z, float), np.asarray(log_a, float))
    out = np.zeros(x.shape)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        rho = z / x
        inv_a = np.exp(-log_a)
        over = (rho >= 1) & (z > 0)
        out[over] = 1 - 1 / rho[over] + inv_a[over] / rho[over]
        under = (rho < 1) & (z > 0)
        a = np.exp(log_a)
        d_direct = 1 - (1 - rho) * a
        cond = (1 - rho) * a / d_direct
        direct = under & (z >= 0.8 * (x + 1)) & (d_direct > 0) & (cond < 1e3)
        out[direct] = d_direct[direct] / (rho[direct] * a[direct])
        series = under & ~direct
        if np.any(series):
            a_sum, s1 = kummer_series(x[series], z[series])
            out[series] = s1 / (z[series] * a_sum)
    return out


def harmonic_shift(x: FArray, m: FArray) -> FArray:
    """``sum_{i=1..m} 1 / (x + i) = psi(x + m + 1) - psi(x + 1)`` for x >= 0 and whole m >= 0.

    For ``x + 1 >= 30`` the difference of the digamma asymptotic series is taken term by term
    (``log1p`` for the logarithms), so nothing cancels when m is small beside x.
    """
    x, m = np.broadcast_arrays(np.asarray(x, float), np.asarray(m, float))
    a, b = x + 1, x + m + 1
    out = np.asarray(special.digamma(b) - special.digamma(a), dtype=np.float64)
    big = a >= 30
    if np.any(big):
        ab, bb, mb = a[big], b[big], m[big]
        ia, ib = 1 / (ab * ab), 1 / (bb * bb)
        out[big] = (np.log1p(mb / ab) + mb / (2 * ab * bb) + mb * (ab + bb) * ia * ib / 12
                    + (ib**2 - ia**2) / 120 - (ib**3 - ia**3) / 252 + (ib**4 - ia**4) / 240)
    return out


def queue_sums(x: FArray, y: FArray, log_a: FArray) -> tuple[FArray, FArray]:
    """Erlang-A sums ``S_h = sum_m w_m h_{m+1} / (x+m+1)`` and ``S_k = sum_m w_m k_{m+1} / (x+m+1)``.

    ``w_m = g(x + m, y) / P(x, y)`` is the law of the number of customers ahead seen by an
    arrival who waits, ``h_j = sum_{i<=j} 1 / (x + i)`` and ``k_j = sum_{i<=j} i / (x + i)``:
    theta E[W; served | wait] = x S_h and theta E[W; abandoned | wait] = S_k.  Every term is
    positive.  The sum starts 12 standard deviations below the mode of ``w`` (0 unless
    y > x + 12 sqrt(y)), so it takes O(sqrt(y)) terms at most, and stops once the tail is
    below 1e-17 of the sum.
    """
    shape = np.broadcast(x, y, log_a).shape
    x, y, log_a = (np.broadcast_to(np.asarray(v, float), shape).ravel() for v in (x, y, log_a))
    m0 = np.floor(np.maximum(0.0, y - x - 12.0 * np.sqrt(y)))
    with np.errstate(divide="ignore", under="ignore"):
        w = np.exp(-log_a)  # w_0 = 1 / A(x, y)
        deep = m0 > 0  # here P(x, y) is close to 1: no underflow
        if np.any(deep):
            xd, yd = x[deep], y[deep]
            w[deep] = np.exp(log_g(xd + m0[deep], yd) - np.log(special.gammainc(xd, yd)))
    h = harmonic_shift(x, m0)
    k = np.where(m0 > 0, m0 - x * h, 0.0)
    s_h, s_k = np.zeros_like(x), np.zeros_like(x)
    active = np.arange(x.size)
    steps = np.arange(_CHUNK, dtype=float)
    count = 0
    while active.size and count < _MAX_TERMS:
        xa, ya = x[active], y[active]
        m = m0[active, None] + steps
        denom = xa[:, None] + m + 1
        ratio = np.cumprod(ya[:, None] / denom, axis=1)  # w_{m+1} / w_{m_first}
        wm = w[active, None] * np.concatenate([np.ones((active.size, 1)), ratio[:, :-1]], axis=1)
        hh = h[active, None] + np.cumsum(1 / denom, axis=1)  # h_{m+1}
        kk = k[active, None] + np.cumsum((m + 1) / denom, axis=1)  # k_{m+1}
        s_h[active] += (wm * hh / denom).sum(axis=1)
        s_k[active] += (wm * kk / denom).sum(axis=1)
        w[active] = w[active] * ratio[:, -1]
        h[active], k[active] = hh[:, -1], kk[:, -1]
        m0[active] += _CHUNK
        count += _CHUNK
        r = ya / (xa + m0[active] + 1)
        # remaining weights sum to at most w r^0 / (1 - r) once r < 1; k/(x+m+1) < 1, h/(x+m+1) < 1/(x+1)
        tail = w[active] / (1 - np.minimum(r, 0.999999))
        done = (r < 1) & (tail <= 1e-17 * s_k[active]) & (tail <= 1e-17 * (xa + 1) * s_h[active])
        done |= w[active] == 0
        active = active[~done]
    return s_h.reshape(shape), s_k.reshape(shape)
