"""The time-weighted KPIs of a simulated day from its arrays: waiting, desks busy, present, on duty.

:func:`waitlab.analytics.summary_by` measures each day over its own span, from its first
arrival to its last known event, and averages over that span the number waiting
(``waiting_mean``, ``waiting_max``), the desks serving (``desks_busy``), the desks on duty by
the ``"gaps"`` estimator (``desks_on_duty``), and counts the desks seen serving
(``desks_present``; ``occupancy`` = busy / present). :func:`time_kpis` computes the same figures
for one day, compiled, from the contacts table's whole nanoseconds (see
:mod:`waitlab.sim._fast_judge`); the sums run over the same terms in the same order, so the
results are bit for bit those of the contacts route (tested).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["time_kpis"]

NAT = np.iinfo(np.int64).min
NS = 1_000_000_000


@njit(cache=True)
def time_kpis(wait, arrival_ns, called_ns, started_ns, ended_ns, server, gap, code, row):  # pragma: no cover
    """The time-weighted KPIs of one day (its rows) over its span, first arrival to last known event, into `row`.

    `code` is a scratch array of -1, one per desk id (left as it came).
    """
    lo, hi = 0, wait.size
    origin = arrival_ns[lo]
    end = arrival_ns[lo]
    for i in range(lo, hi):
        origin = min(origin, arrival_ns[i])
        last = arrival_ns[i]
        for v in (called_ns[i], started_ns[i], ended_ns[i]):
            if v != NAT:
                last = max(last, v)
        end = max(end, last)
    end = max(end, origin + 1)
    span = end - origin
    length = span / NS
    # number waiting: spans [arrived, arrived + wait), the wait rounded back to ns
    starts = np.empty(hi - lo, dtype=np.int64)
    ends = np.empty(hi - lo, dtype=np.int64)
    m = 0
    waited = 0.0
    for i in range(lo, hi):
        if np.isfinite(wait[i]):
            s = arrival_ns[i] - origin
            e = s + np.int64(np.rint(wait[i] * NS))
            starts[m] = s
            ends[m] = e
            m += 1
            waited += max(min(e, span) - max(s, 0), 0) / NS
    row[17] = waited / length
    row[18] = _waiting_max(starts, ends, m)
    # desks: services [started, ended)
    busy = 0.0
    rows = np.empty(hi - lo, dtype=np.int64)
    nr = 0
    n_code = 0
    present = 0
    seen = np.zeros(code.size, dtype=np.bool_)
    for i in range(lo, hi):
        st, en = started_ns[i], ended_ns[i]
        if st == NAT or en == NAT or en < st:
            continue
        busy += (en - st) / NS
        d = server[i]
        if d < 0:
            continue
        if (en > st or st - origin < span) and not seen[d]:
            seen[d] = True
            present += 1
        rows[nr] = i
        nr += 1
        if code[d] < 0:
            code[d] = n_code
            n_code += 1
    on = _on_duty(rows[:nr], server, started_ns, ended_ns, code, n_code, origin, span, gap)
    for j in range(nr):
        code[server[rows[j]]] = -1
    row[19] = present
    row[20] = on / length
    row[21] = busy / length
    row[22] = row[21] / present if present > 0 else np.nan  # occupancy


@njit(cache=True)
def _waiting_max(starts, ends, m):  # pragma: no cover - compiled
    """Largest number waiting: the level just after each instant a wait starts (0 if nobody waited).

    The level after the events of instant ``t`` is (waits started by ``t``) - (waits ended by
    ``t``), read with two pointers over the sorted starts (they come in arrival order) and ends
    (`starts` and `ends` hold `m` values; sorted in place).
    """
    for j in range(1, m):
        if starts[j] < starts[j - 1]:
            starts[:m] = np.sort(starts[:m])
            break
    _nearly_sorted(ends, m)
    top = 0
    e = 0
    s = 0
    for j in range(m):
        t = starts[j]
        while s < m and starts[s] <= t:
            s += 1
        while e < m and ends[e] <= t:
            e += 1
        top = max(top, s - e)
    return float(top)


@njit(cache=True)
def _nearly_sorted(v, m):  # pragma: no cover - compiled
    """Sort ``v[:m]`` in place: an insertion sort while the values are nearly in order (the ends of
    the waits mostly follow the arrivals), numpy's sort once that costs more than a few moves a value."""
    budget = 8 * m
    for j in range(1, m):
        x = v[j]
        q = j - 1
        while q >= 0 and v[q] > x:
            v[q + 1] = v[q]
            q -= 1
        v[q + 1] = x
        budget -= j - 1 - q
        if budget < 0:
            v[:m] = np.sort(v[:m])
            return


@njit(cache=True)
def _on_duty(rows, server, started_ns, ended_ns, code, n_code, origin, span, gap):  # pragma: no cover - compiled
    """Seconds on duty by the ``"gaps"`` estimator, summed desk by desk (first seen first), services by (start, end)."""
    first = np.zeros(n_code + 1, dtype=np.int64)
    for j in range(rows.size):
        first[code[server[rows[j]]] + 1] += 1
    for c in range(n_code):
        first[c + 1] += first[c]
    fill = first[:-1].copy()
    order = np.empty(rows.size, dtype=np.int64)
    for j in range(rows.size):
        c = code[server[rows[j]]]
        order[fill[c]] = rows[j]
        fill[c] += 1
    total = 0.0
    for c in range(n_code):
        a, b = first[c], first[c + 1]
        for j in range(a + 1, b):  # by (start, end): the services of a desk come nearly in order
            r = order[j]
            k = j - 1
            while k >= a and (started_ns[order[k]] > started_ns[r]
                              or (started_ns[order[k]] == started_ns[r] and ended_ns[order[k]] > ended_ns[r])):
                order[k + 1] = order[k]
                k -= 1
            order[k + 1] = r
        reach = ended_ns[order[a]]
        for j in range(a, b):
            st = started_ns[order[j]]
            reach = max(reach, ended_ns[order[j]])
            hi = reach
            if j + 1 < b and started_ns[order[j + 1]] - reach < gap:
                hi = started_ns[order[j + 1]]
            hi = min(hi - origin, span)
            lo = max(st - origin, 0)
            total += max(hi - lo, 0) / NS
    return total
