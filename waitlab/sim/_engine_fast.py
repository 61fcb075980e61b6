"""The fast engine: a numba kernel for FCFS queues with their own desks.

It covers the common case: one pooled queue, or several queues each with its own desk
groups (no desk serving two queues), first come first served (no priority tickets), any
time-varying number of desks, abandonment (phone), no-shows (kiosk). It walks the customers
of each queue in arrival order: each one takes the desk that can call it first, ties going
to the lowest desk id, which is exactly what the SimPy engine's dispatch does (rules in
:mod:`waitlab.sim._outcome`), so both engines give identical outcomes on the same draws.

Desks live in two heaps: *idle* (free by the current arrival; ordered by desk id) and
*busy* (ordered by the earliest time the desk can next call: its free time, moved to its
next opening if it is off duty then; ties by desk id). Each customer costs O(log desks).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from waitlab.exceptions import SimulationError
from waitlab.sim._draws import Draws
from waitlab.sim._outcome import DayArrays
from waitlab.sim._scenario import Scenario

__all__ = ["fast_engine_reason", "run_fast"]


def fast_engine_reason(scenario: Scenario, draws: Draws | None = None) -> str | None:
    """Why `scenario` needs the SimPy engine, or None when the fast engine covers it."""
    for g in scenario.desks:
        if len(g.serves) > 1:
            return f"desk group {g.name!r} serves several queues ({', '.join(g.serves)})"
    for q in scenario.queues:
        if q.priority_share > 0:
            return f"queue {q.name!r} has priority tickets (priority_share > 0)"
    if draws is not None and len(draws) and draws.priority.any():
        return "the draws contain priority customers"
    return None


def run_fast(scenario: Scenario, draws: Draws) -> DayArrays:
    """Simulate one day with the numba kernel; same outcome arrays as the SimPy engine.

    Raises
    ------
    ValueError
        If the scenario is outside what the fast engine covers (see :func:`fast_engine_reason`).
    """
    reason = fast_engine_reason(scenario, draws)
    if reason is not None:
        raise SimulationError(f"the fast engine cannot run this scenario: {reason}; use engine=\"simpy\".")
    out = DayArrays.empty(len(draws))
    bounds = scenario.boundaries
    on_duty = np.ascontiguousarray(scenario.on_duty)
    deadline = draws.arrival + draws.patience
    for qi in range(len(scenario.queues)):
        idx = np.flatnonzero(draws.queue == qi)
        if idx.size == 0:
            continue
        desks = np.flatnonzero(scenario.serves[:, qi]).astype(np.int64)
        _kernel(idx, draws.arrival, draws.service, deadline, draws.absent, desks, on_duty, bounds,
                scenario.channel == "phone", float(scenario.no_show_seconds),
                out.called, out.started, out.ended, out.outcome, out.server)
    return out


@njit(cache=True)
def _interval(bounds: np.ndarray, t: float) -> int:
    """Index of the last interval start <= t (bisect_right - 1)."""
    lo, hi = 0, bounds.size
    while lo < hi:
        mid = (lo + hi) // 2
        if bounds[mid] <= t:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


@njit(cache=True)
def _avail(j: int, t: float, desk: int, on_duty: np.ndarray, next_open: np.ndarray,
           bounds: np.ndarray) -> float:
    """Earliest time >= t at which local desk j is on duty (inf if never again)."""
    k = _interval(bounds, t)
    if on_duty[desk, k]:
        return t
    k2 = next_open[j, k + 1]
    if k2 < 0:
        return np.inf
    return bounds[k2]


@njit(cache=True)
def _less(ka: float, ja: int, kb: float, jb: int) -> bool:
    return ka < kb or (ka == kb and ja < jb)


@njit(cache=True)
def _push(keys: np.ndarray, ids: np.ndarray, n: int, key: float, j: int) -> int:
    i = n
    keys[i] = key
    ids[i] = j
    while i > 0:
        p = (i - 1) // 2
        if _less(keys[i], ids[i], keys[p], ids[p]):
            keys[i], keys[p] = keys[p], keys[i]
            ids[i], ids[p] = ids[p], ids[i]
            i = p
        else:
            break
    return n + 1


@njit(cache=True)
def _pop(keys: np.ndarray, ids: np.ndarray, n: int) -> int:
    n -= 1
    keys[0] = keys[n]
    ids[0] = ids[n]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= n:
            break
        c = left
        if left + 1 < n and _less(keys[left + 1], ids[left + 1], keys[left], ids[left]):
            c = left + 1
        if _less(keys[c], ids[c], keys[i], ids[i]):
            keys[i], keys[c] = keys[c], keys[i]
            ids[i], ids[c] = ids[c], ids[i]
            i = c
        else:
            break
    return n


@njit(cache=True)
def _kernel(idx, arrival, service, deadline, absent, desks, on_duty, bounds, phone, cost,
            called, started, ended, outcome, server):  # pragma: no cover - compiled
    m = desks.size
    nk = bounds.size
    next_open = np.full((m, nk + 1), -1, dtype=np.int64)
    for j in range(m):
        nxt = -1
        for k in range(nk - 1, -1, -1):
            if on_duty[desks[j], k]:
                nxt = k
            next_open[j, k] = nxt
    busy_k = np.empty(m, dtype=np.float64)
    busy_j = np.empty(m, dtype=np.int64)
    idle_k = np.zeros(m, dtype=np.float64)  # idle heap orders by id only (key 0)
    idle_j = np.empty(m, dtype=np.int64)
    nb = 0
    ni = 0
    for j in range(m):
        key = _avail(j, 0.0, desks[j], on_duty, next_open, bounds)
        if key < np.inf:
            nb = _push(busy_k, busy_j, nb, key, j)
    for i in idx:
        a = arrival[i]
        while nb > 0 and busy_k[0] <= a:
            j = busy_j[0]
            nb = _pop(busy_k, busy_j, nb)
            ni = _push(idle_k, idle_j, ni, 0.0, j)
        k = _interval(bounds, a)
        j = -1
        while ni > 0:
            jj = idle_j[0]
            if on_duty[desks[jj], k]:
                j = jj
                break
            ni = _pop(idle_k, idle_j, ni)
            key = _avail(jj, a, desks[jj], on_duty, next_open, bounds)
            if key < np.inf:
                nb = _push(busy_k, busy_j, nb, key, jj)
        from_idle = j >= 0
        if from_idle:
            start = a
        elif nb > 0:
            start = busy_k[0]
            j = busy_j[0]
        else:
            start = np.inf
        limit = deadline[i]
        if start == np.inf:  # never called
            if phone and limit < np.inf:
                outcome[i] = 1
                ended[i] = limit
            continue
        if phone and limit < start:  # abandoned before a desk could call: desks unchanged
            outcome[i] = 1
            ended[i] = limit
            continue
        if from_idle:
            ni = _pop(idle_k, idle_j, ni)
        else:
            nb = _pop(busy_k, busy_j, nb)
        called[i] = start
        server[i] = desks[j]
        if (not phone) and (absent[i] or limit < start):
            outcome[i] = 2
            end = start + cost
        else:
            outcome[i] = 0
            started[i] = start
            end = start + service[i]
        ended[i] = end
        key = _avail(j, end, desks[j], on_duty, next_open, bounds)
        if key < np.inf:
            nb = _push(busy_k, busy_j, nb, key, j)
