"""The fast engine's general kernel: priority classes and desks serving several queues.

An event loop in numba that follows the SimPy engine's dispatch step for step (rules in
:mod:`waitlab.sim._outcome`): at each moment ``t`` (an arrival, a completion or a desk
opening) everything due at ``t`` happens first, then the free on-duty desks call in desk-id
order; each takes, among the queues it serves, the priority class first and then the lowest
arrival index (the longest wait; equal arrival times keep queue order). A zero-length service
(or no-show cost) leaves the desk free to call again at once, as in SimPy.

The draws are known up front, so each (queue, class) line is a slice of one array of customer
indices in arrival order: the customers from ``head`` to ``tail`` are waiting; an arrival moves
``tail`` by one, a call or a (lazily found) visible abandonment moves ``head``. Completions sit in
a (time, desk) heap. A dispatch scans the desks, so a moment costs O(desks); the branch
scenarios have a few dozen desks at most.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from waitlab.sim._draws import Draws
from waitlab.sim._fast_heap import heap_pop, heap_push, interval_index
from waitlab.sim._outcome import DayArrays
from waitlab.sim._scenario import Scenario

__all__ = ["run_routed"]


def run_routed(scenario: Scenario, draws: Draws, out: DayArrays) -> None:
    """Simulate `draws` with the general kernel, writing the outcome into `out`."""
    nq = len(scenario.queues)
    line = draws.queue * 2 + draws.priority.clip(0, 1)  # line of (queue, class)
    members = np.argsort(line, kind="stable").astype(np.int64)
    start = np.searchsorted(line[members], np.arange(2 * nq + 1)).astype(np.int64)
    serves = scenario.serves
    desk_queues = np.flatnonzero(serves.ravel()) % max(nq, 1)  # served queues, desk by desk
    desk_start = np.concatenate([[0], np.cumsum(serves.sum(axis=1))]).astype(np.int64)
    on_duty = np.ascontiguousarray(scenario.on_duty)
    bounds = scenario.boundaries
    rises = on_duty[:, 1:] & ~on_duty[:, :-1]
    openings = bounds[1:][rises.any(axis=0)] if bounds.size > 1 else bounds[:0]
    _routed(draws.arrival, line, members, start, draws.service, draws.arrival + draws.patience, draws.absent,
            draws.leaves(scenario.channel == "phone"), desk_queues.astype(np.int64), desk_start, on_duty, bounds,
            openings, float(scenario.no_show_seconds),
            out.called, out.started, out.ended, out.outcome, out.server)


@njit(cache=True)
def _best(d, t, leaves, desk_queues, desk_start, members, head, tail, deadline, outcome, ended):
    """Customer desk `d` calls at `t` (-1: none) and how many visible abandonments it found."""
    gone = 0
    for cls in (1, 0):
        pick = -1
        pick_line = -1
        for p in range(desk_start[d], desk_start[d + 1]):
            ln = desk_queues[p] * 2 + cls
            while head[ln] < tail[ln] and leaves[members[head[ln]]] and deadline[members[head[ln]]] < t:  # left
                j = members[head[ln]]
                outcome[j] = 1
                ended[j] = deadline[j]
                head[ln] += 1
                gone += 1
            if head[ln] < tail[ln]:
                cand = members[head[ln]]
                if pick < 0 or cand < pick:
                    pick = cand
                    pick_line = ln
        if pick_line >= 0:
            head[pick_line] += 1
            return pick, gone
    return -1, gone


@njit(cache=True)
def _routed(arrival, line, members, start, service, deadline, absent, leaves, desk_queues, desk_start, on_duty,
            bounds, openings, cost, called, started, ended, outcome, server):  # pragma: no cover
    n = arrival.size
    nd = on_duty.shape[0]
    head = start[:-1].copy()
    tail = start[:-1].copy()
    free = np.ones(nd, dtype=np.bool_)
    nfree = nd
    done_t = np.empty(nd, dtype=np.float64)  # completion heap: (time, desk)
    done_d = np.empty(nd, dtype=np.int64)
    nb = 0
    waiting = 0  # customers in the lines, including visible leavers already gone but not yet found
    i = 0
    o = 0
    while i < n or nb > 0 or o < openings.size:
        t = np.inf
        if i < n:
            t = arrival[i]
        if nb > 0 and done_t[0] < t:
            t = done_t[0]
        if o < openings.size and openings[o] < t:
            t = openings[o]
        while i < n and arrival[i] == t:
            tail[line[i]] += 1
            waiting += 1
            i += 1
        while nb > 0 and done_t[0] == t:
            free[done_d[0]] = True
            nfree += 1
            nb = heap_pop(done_t, done_d, nb)
        while o < openings.size and openings[o] == t:
            o += 1
        if waiting == 0 or nfree == 0:
            continue
        k = interval_index(bounds, t)
        for d in range(nd):
            if waiting == 0:
                break
            if not free[d] or not on_duty[d, k]:
                continue
            while waiting > 0:
                c, gone = _best(d, t, leaves, desk_queues, desk_start, members, head, tail, deadline, outcome, ended)
                waiting -= gone
                if c < 0:
                    break
                waiting -= 1
                called[c] = t
                server[c] = d
                if (not leaves[c]) and (absent[c] or deadline[c] < t):
                    outcome[c] = 2
                    end = t + cost
                else:
                    outcome[c] = 0
                    started[c] = t
                    end = t + service[c]
                ended[c] = end
                if end != t:
                    free[d] = False
                    nfree -= 1
                    nb = heap_push(done_t, done_d, nb, end, d)
                    break
    for ln in range(head.size):  # never called: visible leavers abandoned at their deadline when they had one
        for p in range(head[ln], tail[ln]):
            j = members[p]
            if leaves[j] and deadline[j] != np.inf:
                outcome[j] = 1
                ended[j] = deadline[j]

