"""Compiled measurement of many simulated days: every KPI of a day, from the stacked arrays, in one pass.

The contacts route (:func:`waitlab.sim._kpis.days_kpis`) builds the pandas contacts table and
measures it with :func:`waitlab.analytics.summary_by`; :func:`measure` measures the same from the
engines' arrays with numba, day by day in one call over a whole
:class:`~waitlab.sim._fast_batch.DayBatch` (the time-weighted KPIs in :mod:`waitlab.sim._fast_time`).
The numbers are the same bit for bit because every step is the same arithmetic in the same order:

* times are the contacts table's whole nanoseconds, ``rint(seconds * 1e9)``, and a duration in
  seconds is pandas' ``Timedelta.total_seconds``: ``floor(ns / 1e9) + (ns mod 1e9) / 1e9``
  (:func:`_seconds`; pandas nudges values beyond 2**53 ns, which :func:`convert` reports so the
  caller takes the contacts route);
* a mean is a sum in row order (``np.bincount`` with weights adds that way), a quantile is
  pandas' group quantile (sorted values, ``idx = int(q * (n - 1))``, then ``v + (w - v) * frac``;
  the few values read are put in place by a partition rather than a sort),
  a sum numpy would take with ``ndarray.sum`` is numpy's pairwise sum (:func:`_pairwise`);
* ratios are the :mod:`waitlab.analytics.kpis` formulas (counts divided as floats, NaN for a
  zero denominator).

The tests compare the results with the contacts route (``tests/sim/test_sim_fast_path.py``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from waitlab.sim._fast_time import time_kpis

__all__ = ["COLUMNS", "convert", "day_columns", "measure"]

NAT = np.iinfo(np.int64).min
NS = 1_000_000_000

#: The columns of :func:`measure`, in order: the KPIs of ``summary_by`` then the simulation's own.
COLUMNS = (
    "arrivals", "served", "abandoned", "no_show", "other",
    "wait_mean", "wait_p50", "wait_p90", "wait_p95", "wait_max",
    "mean_service", "asa", "sl_offered", "sl_answered", "prob_wait", "abandon_rate", "abandon_rate_excl_short",
    "waiting_mean", "waiting_max", "desks_present", "desks_on_duty", "desks_busy", "occupancy",
    "desk_hours", "occupancy_scheduled", "overrun_s",
)  # fmt: skip


@njit(cache=True, inline="always")
def _ns(x):  # pragma: no cover - compiled
    """Seconds -> whole nanoseconds as the contacts table stores them; NaN -> NaT."""
    if np.isnan(x):
        return NAT
    return np.int64(np.rint(x * 1e9))


@njit(cache=True, inline="always")
def _seconds(ns):  # pragma: no cover - compiled
    """Nanoseconds -> seconds as ``Timedelta.total_seconds`` computes them (|ns| <= 2**53)."""
    whole = ns // NS
    return whole + (ns - whole * NS) / 1e9


@njit(cache=True)
def convert(arrival, called, started, ended, lo, hi, wait, service, arrival_ns, called_ns, leave_ns, started_ns,
            ended_ns):  # pragma: no cover - compiled
    """Fill the nanosecond columns, the wait and the service (seconds, NaN when unknown or negative)
    of rows ``lo:hi`` into the output arrays (from their start).

    Returns False when a duration exceeds 2**53 ns (about 104 days): pandas then nudges the
    seconds, so the caller measures those days by the contacts route.
    """
    exact = True
    for i in range(lo, hi):
        a = _ns(arrival[i])
        c = _ns(called[i])
        s = _ns(started[i])
        e = _ns(ended[i])
        lv = c if c != NAT else e
        r = i - lo
        arrival_ns[r] = a
        called_ns[r] = c
        started_ns[r] = s
        ended_ns[r] = e
        leave_ns[r] = lv
        w, ok_w = _span(a, lv)
        v, ok_v = _span(s, e)
        wait[r] = w
        service[r] = v
        exact = exact and ok_w and ok_v
    return exact


@njit(cache=True)
def _span(lo, hi):  # pragma: no cover - compiled
    """``hi - lo`` in seconds (NaN when either end is NaT or the span is negative), and whether
    pandas would compute those seconds exactly (|span| <= 2**53 ns)."""
    if lo == NAT or hi == NAT:
        return np.nan, True
    d = hi - lo
    w = _seconds(d)
    return (w if w >= 0 else np.nan), abs(d) <= 2**53


@njit(cache=True)
def day_columns(arrival, called, started, ended, lo, hi):  # pragma: no cover - compiled
    """:func:`convert` of rows ``lo:hi`` into new arrays: ``(exact, wait, service, arrival_ns, called_ns,
    leave_ns, started_ns, ended_ns)``."""
    m = hi - lo
    wait, service = np.empty(m), np.empty(m)
    a_ns, c_ns, l_ns = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
    s_ns, e_ns = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
    exact = convert(arrival, called, started, ended, lo, hi, wait, service, a_ns, c_ns, l_ns, s_ns, e_ns)
    return exact, wait, service, a_ns, c_ns, l_ns, s_ns, e_ns


@njit(cache=True)
def _block(a, lo, n):  # pragma: no cover - compiled
    """numpy's pairwise sum of at most 128 values: eight running sums, then a tree, then the rest."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r = a[lo:lo + 8].copy()
    i = 8
    while i < n - n % 8:
        for j in range(8):
            r[j] += a[lo + i + j]
        i += 8
    res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True)
def _pairwise(a, lo, n):  # pragma: no cover - compiled
    """numpy's pairwise sum of ``a[lo:lo + n]`` (what ``ndarray.sum`` returns, bit for bit).

    Above 128 values numpy adds the sums of two halves (the first a multiple of 8 long); the
    recursion runs here on an explicit stack (a recursive function does not load from numba's cache).
    """
    if n <= 128:
        return _block(a, lo, n)
    at = np.empty(64, dtype=np.int64)  # frames: start (-1 - start once the left half is summed), length
    size = np.empty(64, dtype=np.int64)
    left = np.empty(64)  # the left half's sum
    at[0], size[0] = lo, n
    sp = 1
    ret = 0.0
    back = False  # True when `ret` is the sum of the top frame's child
    while sp > 0:
        f = sp - 1
        half = size[f] // 2
        half -= half % 8
        if back:
            if at[f] >= 0:  # the left half came back: now the right half
                left[f] = ret
                at[sp], size[sp] = at[f] + half, size[f] - half
                at[f] = -1 - at[f]  # mark: waiting for the right half
                sp += 1
                back = False
            else:
                ret = left[f] + ret
                sp -= 1
            continue
        if size[f] <= 128:
            ret = _block(a, at[f], size[f])
            sp -= 1
            back = True
            continue
        at[sp], size[sp] = at[f], half
        sp += 1
    return ret


@njit(cache=True, inline="always")
def _ratio(num, den):  # pragma: no cover - compiled
    return num / den if den > 0 else np.nan


@njit(cache=True)
def _select(v, n, zeros):  # pragma: no cover - compiled
    """`v` partitioned so that the values :func:`_quantile` reads for p50, p90 and p95 are in place.

    The known waits are `zeros` values 0 and the values `v` (`n` in all); a partition around the
    few positions read is cheaper than a sort (and than numba's quicksort on many equal values).
    """
    if v.size < 2:
        return v
    at = np.empty(6, dtype=np.int64)
    m = 0
    for q in (0.5, 0.9, 0.95):
        idx = int(q * (n - 1))
        for k in (idx - zeros, idx + 1 - zeros):
            if 0 <= k < v.size:
                at[m] = k
                m += 1
    if m == 0:
        return v
    return np.partition(v, np.unique(at[:m]))


@njit(cache=True)
def _quantile(v, zeros, q):  # pragma: no cover - compiled
    """pandas' group quantile (linear) of `zeros` values 0 followed by the sorted `v` (or `v`
    partitioned around the positions read, :func:`_select`)."""
    n = zeros + v.size
    if n == 0:
        return np.nan
    qi = q * (n - 1)
    idx = int(qi)
    frac = qi % 1
    lo = 0.0 if idx < zeros else v[idx - zeros]
    if frac == 0.0:
        return lo
    hi = 0.0 if idx + 1 < zeros else v[idx + 1 - zeros]
    return lo + (hi - lo) * frac


@njit(cache=True)
def measure(offsets, arrival, called, started, ended, outcome, server, sl, gap, horizon, desk_seconds, desk_hours,
            out):  # pragma: no cover - compiled
    """Every column of :data:`COLUMNS` for each day, into the rows of `out`; False if a duration
    is too long for the exact seconds (see :func:`convert`)."""
    n_desks = 1
    for i in range(server.size):
        n_desks = max(n_desks, server[i] + 1)
    code = np.full(n_desks, -1, dtype=np.int64)
    exact = True
    for day in range(offsets.size - 1):
        lo, hi = offsets[day], offsets[day + 1]
        ok, wait, service, a_ns, c_ns, _, s_ns, e_ns = day_columns(arrival, called, started, ended, lo, hi)
        exact = exact and ok
        row = out[day]
        _counts(0, hi - lo, outcome[lo:hi], wait, service, sl, row)
        if hi > lo:
            time_kpis(wait, a_ns, c_ns, s_ns, e_ns, server[lo:hi], gap, code, row)
        _sim_kpis(lo, hi, arrival, called, ended, horizon, desk_seconds, row)
        row[23] = desk_hours
    return exact


@njit(cache=True)
def _counts(lo, hi, outcome, wait, service, sl, row):  # pragma: no cover - compiled
    """Counts, waits, service levels and abandonment (the KPIs of the arrival's cell)."""
    served = abandoned = no_show = 0
    n_wait = n_service = n_asa = within = short = 0
    sum_wait = sum_service = sum_asa = 0.0
    top = -np.inf
    waits = np.empty(hi - lo)  # the known waits above 0, after `zeros` waits of 0
    zeros = 0
    for i in range(lo, hi):
        o = outcome[i]
        w = wait[i]
        served += o == 0
        abandoned += o == 1
        no_show += o == 2
        if np.isfinite(w):
            if w == 0.0:
                zeros += 1
            else:
                waits[n_wait - zeros] = w
            n_wait += 1
            sum_wait += w
            top = max(top, w)
            if o == 0:
                n_asa += 1
                sum_asa += w
        if o == 0 and w <= sl:
            within += 1
        if o == 1 and w < 0.0:
            short += 1
        if np.isfinite(service[i]):
            n_service += 1
            sum_service += service[i]
    arrivals = hi - lo
    waits = _select(waits[:n_wait - zeros], n_wait, zeros)
    row[0] = arrivals
    row[1] = served
    row[2] = abandoned
    row[3] = no_show
    row[4] = arrivals - served - abandoned - no_show
    row[5] = _ratio(sum_wait, n_wait)
    row[6] = _quantile(waits, zeros, 0.5)
    row[7] = _quantile(waits, zeros, 0.9)
    row[8] = _quantile(waits, zeros, 0.95)
    row[9] = top if n_wait else np.nan
    row[10] = _ratio(sum_service, n_service)
    row[11] = _ratio(sum_asa, n_asa)
    row[12] = _ratio(within, arrivals - short)
    row[13] = _ratio(within, served)
    row[15] = _ratio(abandoned + no_show, arrivals)
    row[16] = _ratio(abandoned + no_show - short, arrivals - short)


@njit(cache=True)
def _sim_kpis(lo, hi, arrival, called, ended, horizon, desk_seconds, row):  # pragma: no cover - compiled
    """What only a simulation knows: P(wait > 0) of the float waits, scheduled occupancy, overrun."""
    known = positive = 0
    work = np.empty(hi - lo)
    m = 0
    last = -np.inf
    any_end = False
    for i in range(lo, hi):
        c, e = called[i], ended[i]
        w = (e if np.isnan(c) else c) - arrival[i]
        if not np.isnan(w):
            known += 1
            positive += w > 0
        if not np.isnan(c):
            x = (e if e < horizon else horizon) if not np.isnan(e) else np.nan
            x -= c if c < horizon else horizon
            work[m] = 0.0 if x < 0 else x
            m += 1
        if not np.isnan(e):
            any_end = True
            last = max(last, e)
    row[14] = positive / known if known else np.nan
    busy = _pairwise(work, 0, m)
    row[24] = busy / desk_seconds if desk_seconds else np.nan
    over = (last if any_end else horizon) - horizon
    row[25] = over if over > 0.0 else 0.0
