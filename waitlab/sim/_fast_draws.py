"""The draws of many days, compiled: the very numbers of :func:`waitlab.sim.draw`, day after day.

:func:`waitlab.sim.draw` is the readable definition of a day's randomness (numpy calls on the
day's own generator, queue after queue). :func:`draw_days` makes the same draws for all the days
of a chunk in one compiled call: each day's PCG64 generator is seeded from its SeedSequence and
sampled by :mod:`waitlab.sim._fast_random` (numpy's algorithms), asked for the same numbers in the
same order (per queue: the Poisson count of each interval, the uniform times, service, patience,
priority and absence; then the visible flags), so every day is bit for bit the day
``draw(scenario, np.random.default_rng(seed))`` gives (tested over generated scenarios of every
distribution family). The day's customers are then put in arrival order by merging the queues
(each already in time order; equal times keep queue order, as the stable sort of ``draw``
does), and written one day after the other into stacked arrays. A day the compiled path cannot
draw (another kind of seed, an out-of-order time, a value :class:`~waitlab.sim.Draws` refuses)
is drawn by :func:`draw` itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence

import numpy as np
from numba import njit

from waitlab.sim._draws import draw
from waitlab.sim._fast_random import (
    bounded,
    exponential,
    gamma,
    lognormal,
    next_double,
    poisson,
    seed_state,
    weibull,
)
from waitlab.sim._scenario import Scenario

__all__ = ["draw_days"]

# distribution codes of the compiled sampler
_NONE, _EXP, _DET, _LOGN, _GAMMA, _WEIB, _EMP = range(7)


def _dist(d: object, values: list[np.ndarray], at: int) -> tuple[int, float, float, int, int]:
    """``(code, a, b, values offset, values count)`` of a :class:`Distribution` (None: no patience)."""
    if d is None:
        return _NONE, 0.0, 0.0, 0, 0
    kind, mean, cv = d.dist, d.mean, d.cv  # type: ignore[attr-defined]
    if kind == "exponential":
        return _EXP, float(mean), 0.0, 0, 0
    if kind == "deterministic":
        return _DET, float(mean), 0.0, 0, 0
    if kind == "lognormal":  # the parameters exactly as Distribution.sample computes them
        s2 = math.log1p(cv**2)
        return _LOGN, math.log(mean) - s2 / 2, math.sqrt(s2), 0, 0
    if kind == "gamma":
        shape = 1.0 / cv**2
        return _GAMMA, shape, mean / shape, 0, 0
    if kind == "weibull":
        from waitlab.sim._distributions import weibull_shape

        k = weibull_shape(float(cv))
        return _WEIB, k, float(mean) / math.gamma(1.0 + 1.0 / k), 0, 0
    vals = np.asarray(d.values, dtype=np.float64)  # type: ignore[attr-defined]
    values.append(vals)
    return _EMP, 0.0, 0.0, at, vals.size


def _params(scenario: Scenario) -> tuple[np.ndarray, ...]:
    """The scenario as flat arrays for :func:`_draw_day` (computed once per call of :func:`draw_days`)."""
    nq, k = len(scenario.queues), scenario.n_intervals
    length = float(scenario.interval)
    lam = np.zeros((nq, k))
    qf = np.zeros((nq, 7))  # service a, b; patience a, b; priority share, no-show, visible share
    qi = np.zeros((nq, 9), dtype=np.int64)  # codes, value offsets and counts, scale count, fixed offset and count
    width = max([len(q.service_scale) for q in scenario.queues] + [1])
    scale = np.ones((nq, width))
    values: list[np.ndarray] = []
    fixed: list[np.ndarray] = []
    at = fat = 0
    for j, q in enumerate(scenario.queues):
        sc, sa, sb, so, sn = _dist(q.service, values, at)
        at += sn
        pc, pa, pb, po, pn = _dist(q.patience, values, at)
        at += pn
        qf[j] = (sa, sb, pa, pb, q.priority_share, q.no_show, q.visible_abandon)
        qi[j, :7] = (sc, pc, so, sn, po, pn, len(q.service_scale))
        scale[j, :len(q.service_scale)] = q.service_scale
        if q.arrival_times is not None:
            t = np.asarray(q.arrival_times, dtype=np.float64)
            fixed.append(t)
            qi[j, 7:] = (fat, t.size)
            fat += t.size
        else:
            lam[j] = np.asarray(q.rates_per_hour, dtype=np.float64) * (length / 3600.0)
            qi[j, 7:] = (0, -1)
    cat = np.concatenate
    return (lam, qf, qi, scale, cat(values) if values else np.zeros(0), cat(fixed) if fixed else np.zeros(0),
            scenario.boundaries)


def draw_days(scenario: Scenario, seeds: Sequence[np.random.SeedSequence]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The draws of one day per seed, stacked: ``(offsets, columns)``.

    `columns` maps each field of :class:`Draws` to one array of every day's values; day ``k``
    is rows ``offsets[k]:offsets[k + 1]`` and equals ``draw(scenario,
    np.random.default_rng(seeds[k]))`` bit for bit (``queue`` and ``priority`` as int16).
    """
    lam, qf, qi, scale, values, fixed, bounds = _params(scenario)
    length = float(scenario.interval)
    clamp = float(np.nextafter(scenario.horizon, 0.0))
    per_day = float(lam.sum()) + float(fixed.size)
    cap = _capacity(len(seeds) * per_day)
    f = np.empty((3, cap))  # arrival, service, patience
    g = np.empty((2, cap), dtype=np.int16)  # queue, priority
    b = np.empty((2, cap), dtype=np.bool_)  # absent, visible
    offsets = np.zeros(len(seeds) + 1, dtype=np.int64)
    compiled = all(isinstance(s, np.random.SeedSequence) and s.pool_size == 4 for s in seeds) and \
        not (qi[:, 3] > 2**32 - 1).any() and not (qi[:, 5] > 2**32 - 1).any() and same_as_numpy()
    pools = np.array([s.pool for s in seeds] if compiled else [], dtype=np.uint32).reshape(-1, 4)
    day = 0
    while day < len(seeds):
        if compiled:
            day, n = _draw_days(pools, day, lam, qf, qi, scale, values, fixed, bounds, length, clamp, f, g, b, offsets)
            if day == len(seeds):
                break
        else:
            n = _REFER
        off = offsets[day]
        if n == _REFER:  # a value Draws refuses, times out of order, another seed: the reference raises or draws
            d = draw(scenario, np.random.default_rng(seeds[day]))
            n = -(off + len(d))
            if off + len(d) <= f.shape[1]:
                f[:, off:off + len(d)] = (d.arrival, d.service, d.patience)
                g[:, off:off + len(d)] = (d.queue, d.priority)
                b[:, off:off + len(d)] = (d.absent, d.visible)
                offsets[day + 1] = off + len(d)
                day += 1
                continue
        cap = 2 * max(cap, -n)  # n = -(rows needed): grow, then draw the day again
        f = np.concatenate([f, np.empty((3, cap - f.shape[1]))], axis=1)
        g = np.concatenate([g, np.empty((2, cap - g.shape[1]), dtype=np.int16)], axis=1)
        b = np.concatenate([b, np.empty((2, cap - b.shape[1]), dtype=np.bool_)], axis=1)
    off = offsets[-1]
    cols: dict[str, np.ndarray] = {"arrival": f[0, :off], "queue": g[0, :off], "service": f[1, :off],
                                   "patience": f[2, :off], "priority": g[1, :off], "absent": b[0, :off],
                                   "visible": b[1, :off]}
    return offsets, cols


_REFER = -(2**62)


@functools.cache
def same_as_numpy() -> bool:
    """Whether the compiled draws equal this numpy's, checked once per process on a probe day.

    The compiled sampler follows numpy's algorithms, which numpy does not promise to keep from
    version to version; if a probe day of every family (arrivals, priority, no-shows, visible
    leavers, exponential, log-normal, gamma, Weibull, deterministic and empirical times) differs
    from :func:`draw`, every day is drawn by :func:`draw` instead: slower, never different.
    """
    from waitlab.sim._distributions import Distribution
    from waitlab.sim._fast_random import HAVE_TABLES
    from waitlab.sim._scenario import DeskGroup, QueueSpec

    if not HAVE_TABLES:
        return False
    dists = [Distribution(dist="exponential", mean=90.0), Distribution(dist="lognormal", mean=200.0, cv=0.8),
             Distribution(dist="gamma", mean=150.0, cv=0.5), Distribution(dist="weibull", mean=300.0, cv=1.3),
             Distribution(dist="deterministic", mean=60.0), Distribution(dist="empirical", values=(30.0, 45.0, 400.0))]
    queues = tuple(QueueSpec(name=f"q{i}", rates_per_hour=(40.0, 0.0, 400.0), service=d, patience=dists[-1 - i],
                             priority_share=0.3, no_show=0.1, visible_abandon=0.5) for i, d in enumerate(dists))
    probe = Scenario(site="probe", channel="kiosk", date=dt.date(2024, 1, 1), start=dt.time(9), end=dt.time(10, 30),
                     interval=1800.0, queues=queues,
                     desks=(DeskGroup(name="d", serves=tuple(q.name for q in queues), open=(1, 1, 1)),))
    seeds = np.random.SeedSequence(20261206).spawn(2)
    lam, qf, qi, scale, values, fixed, bounds = _params(probe)
    f, g, b = np.empty((3, 4096)), np.empty((2, 4096), dtype=np.int16), np.empty((2, 4096), dtype=np.bool_)
    offsets = np.zeros(3, dtype=np.int64)
    pools = np.array([s.pool for s in seeds], dtype=np.uint32)
    day, _ = _draw_days(pools, 0, lam, qf, qi, scale, values, fixed, bounds, float(probe.interval),
                        float(np.nextafter(probe.horizon, 0.0)), f, g, b, offsets)
    if day != 2:
        return False
    for k, seed in enumerate(seeds):
        ref, rows = draw(probe, np.random.default_rng(seed)), slice(offsets[k], offsets[k + 1])
        got = (f[0, rows], f[1, rows], f[2, rows], g[0, rows], g[1, rows], b[0, rows], b[1, rows])
        want = (ref.arrival, ref.service, ref.patience, ref.queue, ref.priority, ref.absent, ref.visible)
        if not all(np.array_equal(x, y) for x, y in zip(got, want, strict=True)):
            return False
    return True


def _capacity(expected: float) -> int:
    """Rows to allocate for `expected` customers: 8 standard deviations more (the buffers grow if short)."""
    return int(expected + 8 * math.sqrt(expected) + 64)


@njit(cache=True)
def _draw_days(pools, day, lam, qf, qi, scale, values, fixed, bounds, length, clamp, f, g, b,
               offsets):  # pragma: no cover - compiled
    """Draw the days from `day` on, each from its seed's pool; ``(day, code)`` where the first day not
    drawn stops (``day == len(pools)`` when all are), its code from :func:`_draw_day`."""
    st = np.zeros(6, dtype=np.uint64)
    while day < pools.shape[0]:
        seed_state(pools[day], st)
        n = _draw_day(st, lam, qf, qi, scale, values, fixed, bounds, length, clamp, f, g, b, offsets[day])
        if n < 0:
            return day, n
        offsets[day + 1] = offsets[day] + n
        day += 1
    return day, 0


@njit(cache=True)
def _sample(st, code, a, b, values, vo, vn, n, out):  # pragma: no cover - compiled
    """`n` draws of a distribution into `out` (Distribution.sample's numbers, in its order)."""
    if code == _NONE:
        out[:n] = np.inf
    elif code == _EXP:
        for i in range(n):
            out[i] = exponential(st, a)
    elif code == _DET:
        out[:n] = a
    elif code == _LOGN:
        for i in range(n):
            out[i] = lognormal(st, a, b)
    elif code == _GAMMA:
        for i in range(n):
            out[i] = gamma(st, a, b)
    elif code == _WEIB:
        for i in range(n):
            out[i] = weibull(st, a) * b
    else:
        for i in range(n):
            out[i] = values[vo + bounded(st, vn - 1)]


@njit(cache=True)
def _sort_times(t, counts, bounds, length):  # pragma: no cover - compiled
    """Sort the uniform times `t` in place, interval by interval (``counts`` of them in each).

    Interval ``m`` holds ``bounds[m] + u * length`` with ``0 <= u < 1``, so sorting each interval
    sorts the whole (checked: should rounding ever break it, the whole is sorted); within an
    interval a counting sort into as many buckets as times, then an insertion sort of the nearly
    sorted result, takes O(times). The values come out exactly those of ``np.sort(t)``.
    """
    lo = 0
    tmp = np.empty(t.size)
    for m in range(counts.size):
        c = counts[m]
        if c > 1:
            start = np.zeros(c + 1, dtype=np.int64)
            bucket = np.empty(c, dtype=np.int64)
            scale = c / length
            for p in range(c):
                b = min(max(int((t[lo + p] - bounds[m]) * scale), 0), c - 1)
                bucket[p] = b
                start[b + 1] += 1
            for q in range(c):
                start[q + 1] += start[q]
            for p in range(c):
                tmp[start[bucket[p]]] = t[lo + p]
                start[bucket[p]] += 1
            for p in range(1, c):
                v = tmp[p]
                q = p - 1
                while q >= 0 and tmp[q] > v:
                    tmp[q + 1] = tmp[q]
                    q -= 1
                tmp[q + 1] = v
            t[lo:lo + c] = tmp[:c]
        lo += c
    for p in range(1, t.size):
        if t[p] < t[p - 1]:
            t[:] = np.sort(t)
            break


@njit(cache=True)
def _draw_day(st, lam, qf, qi, scale, values, fixed, bounds, length, clamp, f, g, b, off):  # pragma: no cover
    """Draw one day into ``f[:, off:]``, ``g[:, off:]`` and ``b[:, off:]``; the number of customers, or
    ``-(off + customers)`` when the buffers are too short, or ``_REFER`` (draw the day with
    :func:`draw`) for a service or patience that :class:`Draws` refuses or times out of order."""
    nq, k = lam.shape
    ts = []
    svc = []
    pat = []
    pri = []
    ab = []
    for j in range(nq):
        if qi[j, 8] >= 0:  # the log's own arrival times (sorted by the scenario's validation)
            t = fixed[qi[j, 7]:qi[j, 7] + qi[j, 8]].copy()
            for p in range(1, t.size):
                if t[p] < t[p - 1]:
                    return _REFER
        else:
            counts = np.empty(k, dtype=np.int64)
            for m in range(k):
                counts[m] = poisson(st, lam[j, m])
            t = np.empty(counts.sum())
            p = 0
            for m in range(k):
                for _ in range(counts[m]):
                    t[p] = bounds[m] + next_double(st) * length
                    p += 1
            _sort_times(t, counts, bounds, length)
            for p in range(t.size):
                t[p] = min(t[p], clamp)
        n = t.size
        s = np.empty(n)
        _sample(st, qi[j, 0], qf[j, 0], qf[j, 1], values, qi[j, 2], qi[j, 3], n, s)
        ns = qi[j, 6]
        if ns:
            for p in range(n):
                at = min(max(int(t[p] // length), 0), ns - 1)  # numba's float // is Python's (and numpy's)
                s[p] = s[p] * scale[j, at]
        pt = np.empty(n)
        _sample(st, qi[j, 1], qf[j, 2], qf[j, 3], values, qi[j, 4], qi[j, 5], n, pt)
        pr = np.empty(n, dtype=np.int64)
        for p in range(n):
            pr[p] = 1 if next_double(st) < qf[j, 4] else 0
        a = np.empty(n, dtype=np.int64)
        for p in range(n):
            a[p] = 1 if next_double(st) < qf[j, 5] else 0
        ts.append(t)
        svc.append(s)
        pat.append(pt)
        pri.append(pr)
        ab.append(a)
    total = 0
    for j in range(nq):
        total += ts[j].size
    if off + total > f.shape[1]:
        return -(off + total)
    vis = []
    for j in range(nq):
        v = np.zeros(ts[j].size, dtype=np.int64)
        if qf[j, 6] > 0:
            for p in range(v.size):
                v[p] = 1 if next_double(st) < qf[j, 6] else 0
        vis.append(v)
    # merge the queues by time, equal times in queue order
    pos = np.zeros(nq, dtype=np.int64)
    for r in range(off, off + total):
        best = -1
        for j in range(nq):
            if pos[j] < ts[j].size and (best < 0 or ts[j][pos[j]] < ts[best][pos[best]]):
                best = j
        p = pos[best]
        pos[best] += 1
        s_ = svc[best][p]
        pt_ = pat[best][p]
        if not (s_ >= 0.0 and s_ != np.inf and pt_ >= 0.0):
            return _REFER
        f[0, r] = ts[best][p]
        f[1, r] = s_
        f[2, r] = pt_
        g[0, r] = best
        g[1, r] = pri[best][p]
        b[0, r] = ab[best][p] != 0
        b[1, r] = vis[best][p] != 0
    return total
