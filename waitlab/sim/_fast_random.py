"""numpy's PCG64 generator and the distributions the draws use, compiled: the same numbers.

A day is drawn from ``np.random.default_rng(SeedSequence)``, a :class:`numpy.random.Generator` on
a PCG64 bit generator. Passing a new Generator into numba for every day costs more than drawing
the day (its bit generator's ctypes interface is built and unboxed each time), so the days of a
chunk are drawn in one compiled call from this module instead, which implements the same
algorithms as numpy's C code (``numpy/random/src``; numba's own Generator support follows the
same code):

* :func:`seed_state`: ``SeedSequence.generate_state(4, uint64)`` from the sequence's pool, then
  PCG64's seeding (``pcg64_set_seed``): a 128-bit LCG stepped twice;
* :func:`next64`: one LCG step, then the XSL-RR output; :func:`next_double` its top 53 bits;
  :func:`next32` the halves of a 64-bit output, low first (PCG64's own buffer);
* the ziggurat normal and exponential (numpy's tables, as numba ships them), gamma
  (Marsaglia and Tsang; shape < 1 by Johnk's rejection), Poisson (PTRS from 10, else
  multiplication), log-normal, Weibull and Lemire's bounded integers.

A state is a uint64 array ``[state_hi, state_lo, inc_hi, inc_lo, has_uint32, uinteger]``.
The tests compare every function with numpy on many seeds and parameters, bit for bit.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

try:  # numpy's ziggurat tables as numba ships them (a private module: a numba that moves it loses the compiled draws)
    from numba.np.random._constants import (
        fe_double,
        fi_double,
        ke_double,
        ki_double,
        we_double,
        wi_double,
        ziggurat_exp_r,
        ziggurat_nor_inv_r,
        ziggurat_nor_r,
    )

    HAVE_TABLES = True
except ImportError:  # pragma: no cover - depends on the numba release
    ki_double = ke_double = np.zeros(256, dtype=np.uint64)  # type: ignore[misc]
    wi_double = fi_double = we_double = fe_double = np.zeros(256)  # type: ignore[misc]
    ziggurat_exp_r = ziggurat_nor_r = ziggurat_nor_inv_r = 1.0
    HAVE_TABLES = False  # waitlab.sim._fast_draws.same_as_numpy() is then False: numpy draws every day

__all__ = ["HAVE_TABLES", "bounded", "exponential", "gamma", "lognormal", "next32", "next64", "next_double", "poisson",
           "seed_state", "weibull"]

_U = np.uint64
_M32 = _U(0xFFFFFFFF)
_MUL_HI = _U(2549297995355413924)
_MUL_LO = _U(4865540595714422341)
_S32, _S11, _S58, _S63, _S1, _S3, _S8, _S16 = (_U(k) for k in (32, 11, 58, 63, 1, 3, 8, 16))
_INIT_B = _U(0x8B51F9DD)
_MULT_B = _U(0x58F38DED)
_KI, _WI, _FI = (np.ascontiguousarray(t) for t in (ki_double, wi_double, fi_double))
_KE, _WE, _FE = (np.ascontiguousarray(t) for t in (ke_double, we_double, fe_double))


@njit(cache=True)
def _mulhi(a, b):  # pragma: no cover - compiled
    """High 64 bits of the 128-bit product of two uint64."""
    a0, a1 = a & _M32, a >> _S32
    b0, b1 = b & _M32, b >> _S32
    p0, p1, p2 = a0 * b0, a0 * b1, a1 * b0
    mid = (p0 >> _S32) + (p1 & _M32) + (p2 & _M32)
    return a1 * b1 + (p1 >> _S32) + (p2 >> _S32) + (mid >> _S32)


@njit(cache=True)
def _step(st):  # pragma: no cover - compiled
    """state = state * multiplier + inc (mod 2**128)."""
    sh, sl = st[0], st[1]
    lo = sl * _MUL_LO
    hi = _mulhi(sl, _MUL_LO) + sl * _MUL_HI + sh * _MUL_LO
    lo2 = lo + st[3]
    st[0] = hi + st[2] + (_U(1) if lo2 < lo else _U(0))
    st[1] = lo2


@njit(cache=True)
def seed_state(pool, st):  # pragma: no cover - compiled
    """Seed the state `st` as ``PCG64(seq)`` does, from ``seq.pool`` (4 uint32 words)."""
    words = np.empty(8, dtype=np.uint64)
    h = _INIT_B
    for i in range(8):  # SeedSequence.generate_state(8, uint32), in uint32 arithmetic
        v = _U(pool[i % 4]) ^ h
        h = (h * _MULT_B) & _M32
        v = (v * h) & _M32
        words[i] = v ^ (v >> _S16)
    w = np.empty(4, dtype=np.uint64)
    for i in range(4):  # the uint64 words, little-endian pairs
        w[i] = words[2 * i] | (words[2 * i + 1] << _S32)
    # pcg_setseq_128_srandom_r(state=(w0, w1), seq=(w2, w3))
    st[0], st[1] = _U(0), _U(0)
    st[2] = (w[2] << _S1) | (w[3] >> _S63)
    st[3] = (w[3] << _S1) | _U(1)
    _step(st)
    lo = st[1] + w[1]
    st[0] = st[0] + w[0] + (_U(1) if lo < st[1] else _U(0))
    st[1] = lo
    _step(st)
    st[4], st[5] = _U(0), _U(0)


@njit(cache=True)
def next64(st):  # pragma: no cover - compiled
    _step(st)
    x = st[0] ^ st[1]
    rot = st[0] >> _S58
    return (x >> rot) | (x << ((_U(64) - rot) & _S63))


@njit(cache=True)
def next_double(st):  # pragma: no cover - compiled
    return np.float64(next64(st) >> _S11) * (1.0 / 9007199254740992.0)


@njit(cache=True)
def next32(st):  # pragma: no cover - compiled
    if st[4]:
        st[4] = _U(0)
        return st[5]
    x = next64(st)
    st[4] = _U(1)
    st[5] = x >> _S32
    return x & _M32


@njit(cache=True)
def _std_normal(st):  # pragma: no cover - compiled
    while True:
        r = next64(st)
        idx = r & _U(0xFF)
        r >>= _S8
        sign = r & _S1
        rabs = (r >> _S1) & _U(0x000FFFFFFFFFFFFF)
        x = np.float64(rabs) * _WI[idx]
        if sign:
            x = -x
        if rabs < _KI[idx]:
            return x
        if idx == 0:
            while True:
                xx = -ziggurat_nor_inv_r * np.log1p(-next_double(st))
                yy = -np.log1p(-next_double(st))
                if yy + yy > xx * xx:
                    if (rabs >> _S8) & _S1:
                        return -(ziggurat_nor_r + xx)
                    return ziggurat_nor_r + xx
        elif (_FI[idx - 1] - _FI[idx]) * next_double(st) + _FI[idx] < np.exp(-0.5 * x * x):
            return x


@njit(cache=True)
def _std_exponential(st):  # pragma: no cover - compiled
    while True:
        ri = next64(st) >> _S3
        idx = ri & _U(0xFF)
        ri >>= _S8
        x = np.float64(ri) * _WE[idx]
        if ri < _KE[idx]:
            return x
        if idx == 0:
            return ziggurat_exp_r - np.log1p(-next_double(st))
        if (_FE[idx - 1] - _FE[idx]) * next_double(st) + _FE[idx] < np.exp(-x):
            return x


@njit(cache=True)
def exponential(st, scale):  # pragma: no cover - compiled
    return scale * _std_exponential(st)


@njit(cache=True)
def lognormal(st, mean, sigma):  # pragma: no cover - compiled
    return np.exp(mean + sigma * _std_normal(st))


@njit(cache=True)
def weibull(st, a):  # pragma: no cover - compiled
    if a == 0.0:
        return 0.0
    return math.pow(_std_exponential(st), 1.0 / a)


@njit(cache=True)
def gamma(st, shape, scale):  # pragma: no cover - compiled
    return scale * _std_gamma(st, shape)


@njit(cache=True)
def _std_gamma(st, shape):  # pragma: no cover - compiled
    if shape == 1.0:
        return _std_exponential(st)
    if shape == 0.0:
        return 0.0
    if shape < 1.0:
        while True:
            u = next_double(st)
            v = _std_exponential(st)
            if u <= 1.0 - shape:
                x = math.pow(u, 1.0 / shape)
                if x <= v:
                    return x
            else:
                y = -math.log((1 - u) / shape)
                x = math.pow(1.0 - shape + shape * y, 1.0 / shape)
                if x <= v + y:
                    return x
    b = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9 * b)
    while True:
        while True:
            x = _std_normal(st)
            v = 1.0 + c * x
            if v > 0.0:
                break
        v = v * v * v
        u = next_double(st)
        if u < 1.0 - 0.0331 * (x * x) * (x * x):
            return b * v
        if math.log(u) < 0.5 * x * x + b * (1.0 - v + math.log(v)):
            return b * v


_LOGGAM = np.array([8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
                    8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
                    1.796443723688307e-01, -1.39243221690590e+00])


@njit(cache=True)
def _loggam(x):  # pragma: no cover - compiled
    if x == 1.0 or x == 2.0:
        return 0.0
    n = int(7 - x) if x < 7.0 else 0
    x0 = x + n
    x2 = (1.0 / x0) * (1.0 / x0)
    gl0 = _LOGGAM[9]
    for k in range(8, -1, -1):
        gl0 *= x2
        gl0 += _LOGGAM[k]
    gl = gl0 / x0 + 0.5 * 1.8378770664093453e00 + (x0 - 0.5) * math.log(x0) - x0
    if x < 7.0:
        for _ in range(n):
            gl -= math.log(x0 - 1.0)
            x0 -= 1.0
    return gl


@njit(cache=True)
def poisson(st, lam):  # pragma: no cover - compiled
    if lam >= 10:  # PTRS (transformed rejection with squeeze)
        slam = math.sqrt(lam)
        loglam = math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = next_double(st) - 0.5
            v = next_double(st)
            us = 0.5 - abs(u)
            k = int(math.floor((2 * a / us + b) * u + lam + 0.43))
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            if math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b) <= -lam + k * loglam - _loggam(k + 1):
                return k
    if lam == 0:
        return 0
    enlam = math.exp(-lam)
    x = 0
    prod = 1.0
    while True:
        prod *= next_double(st)
        if prod > enlam:
            x += 1
        else:
            return x


@njit(cache=True)
def bounded(st, rng):  # pragma: no cover - compiled
    """An integer in ``0..rng`` (``integers(0, rng + 1)``), for ``rng < 2**32 - 1`` (Lemire's rejection)."""
    if rng == 0:
        return 0
    excl = _U(rng) + _U(1)
    m = next32(st) * excl
    left = m & _M32
    if left < excl:
        threshold = (_M32 - _U(rng)) % excl
        while left < threshold:
            m = next32(st) * excl
            left = m & _M32
    return np.int64(m >> _S32)
