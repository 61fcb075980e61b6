"""The fast engine: numba kernels that give exactly the SimPy engine's outcome, for every scenario.

Two kernels, one rule book (:mod:`waitlab.sim._outcome`):

* *pooled* (this module), for days where no desk serves two queues and nobody holds a
  priority ticket: any time-varying number of desks, abandonment (phone, and kiosk customers
  who leave visibly), no-shows (kiosk).
  It walks the customers of each queue in arrival order: each one takes the desk that can call
  it first, ties going to the lowest desk id, which is exactly what the SimPy engine's dispatch
  does. Desks live in two heaps: *idle* (free by the current arrival; ordered by desk id) and
  *busy* (ordered by the earliest time the desk can next call: its free time, moved to its next
  opening if it is off duty then; ties by desk id). Each customer costs O(log desks).
* *routed* (:mod:`waitlab.sim._fast_routed`), for everything else: priority classes and desk
  groups serving several queues, by an event loop that replays the SimPy engine's dispatch.

Both give identical outcome arrays to the SimPy engine on the same draws (tested over
generated scenarios in ``tests/sim/test_sim_equivalence.py``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from waitlab.exceptions import ArgumentError
from waitlab.sim._draws import Draws
from waitlab.sim._fast_heap import heap_pop, heap_push, interval_index
from waitlab.sim._outcome import DayArrays
from waitlab.sim._scenario import Scenario

__all__ = ["KERNELS", "run_fast"]

#: The fast engine's kernels; ``"auto"`` picks ``"pooled"`` whenever it applies.
KERNELS = ("auto", "pooled", "routed")


def _pooled_fits(scenario: Scenario, draws: Draws) -> bool:
    """True when no desk serves two queues and no customer holds a priority ticket."""
    return bool((scenario.serves.sum(axis=1) <= 1).all() and not (len(draws) and draws.priority.any()))


def run_fast(scenario: Scenario, draws: Draws, kernel: str = "auto") -> DayArrays:
    """Simulate one day with a numba kernel; the same outcome arrays as the SimPy engine.

    Parameters
    ----------
    scenario : Scenario
    draws : Draws
    kernel : {"auto", "pooled", "routed"}
        ``"auto"`` runs the pooled kernel when no desk serves two queues and nobody holds a
        priority ticket, the routed one otherwise; forcing ``"routed"`` on a pooled day gives the
        same outcome (the tests do, to check one kernel against the other).
    """
    if kernel not in KERNELS:
        raise ArgumentError(f"`kernel` must be one of {', '.join(KERNELS)}, got {kernel!r}.")
    pooled = _pooled_fits(scenario, draws)
    if kernel == "pooled" and not pooled:
        raise ArgumentError("`kernel=\"pooled\"` needs desks that serve one queue each and no priority "
                            "customers; use kernel=\"auto\".")
    if kernel == "routed" or not pooled:
        from waitlab.sim._fast_routed import run_routed

        out = DayArrays.empty(len(draws))
        run_routed(scenario, draws, out)
        return out
    out = DayArrays.empty(len(draws))
    bounds = scenario.boundaries
    on_duty = np.ascontiguousarray(scenario.on_duty)
    deadline = draws.arrival + draws.patience
    leaves = draws.leaves(scenario.channel == "phone")
    for qi in range(len(scenario.queues)):
        idx = np.flatnonzero(draws.queue == qi)
        if idx.size == 0:
            continue
        desks = np.flatnonzero(scenario.serves[:, qi]).astype(np.int64)
        _kernel(idx, draws.arrival, draws.service, deadline, draws.absent, leaves, desks, on_duty, bounds,
                float(scenario.no_show_seconds),
                out.called, out.started, out.ended, out.outcome, out.server)
    return out


@njit(cache=True)
def _avail(j: int, t: float, desk: int, on_duty: np.ndarray, next_open: np.ndarray,
           bounds: np.ndarray) -> float:
    """Earliest time >= t at which local desk j is on duty (inf if never again)."""
    k = interval_index(bounds, t)
    if on_duty[desk, k]:
        return t
    k2 = next_open[j, k + 1]
    if k2 < 0:
        return np.inf
    return bounds[k2]


@njit(cache=True)
def _kernel(idx, arrival, service, deadline, absent, leaves, desks, on_duty, bounds, cost,
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
            nb = heap_push(busy_k, busy_j, nb, key, j)
    for i in idx:
        a = arrival[i]
        while nb > 0 and busy_k[0] <= a:
            j = busy_j[0]
            nb = heap_pop(busy_k, busy_j, nb)
            ni = heap_push(idle_k, idle_j, ni, 0.0, j)
        k = interval_index(bounds, a)
        j = -1
        while ni > 0:
            jj = idle_j[0]
            if on_duty[desks[jj], k]:
                j = jj
                break
            ni = heap_pop(idle_k, idle_j, ni)
            key = _avail(jj, a, desks[jj], on_duty, next_open, bounds)
            if key < np.inf:
                nb = heap_push(busy_k, busy_j, nb, key, jj)
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
            if leaves[i] and limit < np.inf:
                outcome[i] = 1
                ended[i] = limit
            continue
        if leaves[i] and limit < start:  # abandoned before a desk could call: desks unchanged
            outcome[i] = 1
            ended[i] = limit
            continue
        if from_idle:
            ni = heap_pop(idle_k, idle_j, ni)
        else:
            nb = heap_pop(busy_k, busy_j, nb)
        called[i] = start
        server[i] = desks[j]
        if (not leaves[i]) and (absent[i] or limit < start):
            outcome[i] = 2
            end = start + cost
        else:
            outcome[i] = 0
            started[i] = start
            end = start + service[i]
        ended[i] = end
        key = _avail(j, end, desks[j], on_duty, next_open, bounds)
        if key < np.inf:
            nb = heap_push(busy_k, busy_j, nb, key, j)
