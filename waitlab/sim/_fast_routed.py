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
a (time, desk) binary heap. After a moment every free on-duty desk has empty lines (it would
have called otherwise), so at the next moment only the desks that may have something new to do
call, in desk-id order: those freed or coming on duty then, and the free on-duty desks of the
queues someone joins then.

The loop is one function with no calls inside it: a call from one compiled function to another
that passes arrays costs a reference-count increment and decrement per array (atomic
operations), which made the line search and the heap, called thousands of times a day, six times
slower than the loop itself.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from waitlab.sim._draws import Draws
from waitlab.sim._outcome import DayArrays
from waitlab.sim._scenario import Scenario

__all__ = ["route_day", "routing_tables", "run_routed"]


def routing_tables(scenario: Scenario) -> tuple[np.ndarray, ...]:
    """The scenario's desks for the kernel: ``desk_queues, desk_start, queue_desks, queue_start, on_duty,
    bounds, openings``.

    Desk ``d`` serves the queues ``desk_queues[desk_start[d]:desk_start[d + 1]]``, queue ``q`` is
    served by the desks ``queue_desks[queue_start[q]:queue_start[q + 1]]`` (in id order);
    ``openings`` are the interval starts at which some desk comes on duty.
    """
    nq = len(scenario.queues)
    serves = scenario.serves
    desk_queues = (np.flatnonzero(serves.ravel()) % max(nq, 1)).astype(np.int64)  # served queues, desk by desk
    desk_start = np.concatenate([[0], np.cumsum(serves.sum(axis=1))]).astype(np.int64)
    queue_desks = (np.flatnonzero(serves.T.ravel()) % max(serves.shape[0], 1)).astype(np.int64)
    queue_start = np.concatenate([[0], np.cumsum(serves.sum(axis=0))]).astype(np.int64)
    on_duty = np.ascontiguousarray(scenario.on_duty)
    bounds = scenario.boundaries
    rises = on_duty[:, 1:] & ~on_duty[:, :-1]
    openings = bounds[1:][rises.any(axis=0)] if bounds.size > 1 else bounds[:0]
    return desk_queues, desk_start, queue_desks, queue_start, on_duty, bounds, np.ascontiguousarray(openings)


def run_routed(scenario: Scenario, draws: Draws, out: DayArrays) -> None:
    """Simulate `draws` with the general kernel, writing the outcome into `out`."""
    desk_queues, desk_start, queue_desks, queue_start, on_duty, bounds, openings = routing_tables(scenario)
    route_day(draws.arrival, draws.queue, draws.priority, draws.service, draws.patience, draws.absent,
              draws.visible, scenario.channel == "phone", len(scenario.queues), desk_queues, desk_start, queue_desks,
              queue_start, on_duty, bounds, openings, float(scenario.no_show_seconds),
              out.called, out.started, out.ended, out.outcome, out.server)


@njit(cache=True)
def route_day(arrival, queue, priority, service, patience, absent, visible, phone, nq, desk_queues, desk_start,
              queue_desks, queue_start, on_duty, bounds, openings, cost, called, started, ended, outcome,
              server):  # pragma: no cover
    """One day through the routed kernel: sort the customers into lines, then run the event loop."""
    n = arrival.size
    # lines of (queue, class), customers in arrival order within each (a stable counting sort)
    nl = 2 * nq
    line = np.empty(n, dtype=np.int64)
    start = np.zeros(nl + 1, dtype=np.int64)
    for i in range(n):
        p = priority[i]
        ln = queue[i] * 2 + (0 if p <= 0 else 1)
        line[i] = ln
        start[ln + 1] += 1
    for ln in range(nl):
        start[ln + 1] += start[ln]
    fill = start[:-1].copy()
    members = np.empty(n, dtype=np.int64)
    for i in range(n):
        members[fill[line[i]]] = i
        fill[line[i]] += 1
    deadline = arrival + patience
    leaves = np.ones(n, dtype=np.bool_)
    if not phone:
        for i in range(n):
            leaves[i] = visible[i] and not absent[i]
    _routed(arrival, line, members, start, service, deadline, absent, leaves, desk_queues, desk_start, on_duty,
            bounds, openings, cost, called, started, ended, outcome, server, queue, queue_desks, queue_start)


@njit(cache=True)
def _routed(arrival, line, members, start, service, deadline, absent, leaves, desk_queues, desk_start, on_duty,
            bounds, openings, cost, called, started, ended, outcome, server, queue, queue_desks,
            queue_start):  # pragma: no cover
    n = arrival.size
    nd = on_duty.shape[0]
    nk = bounds.size
    head = start[:-1].copy()
    tail = start[:-1].copy()
    free = np.ones(nd, dtype=np.bool_)
    done_t = np.empty(nd, dtype=np.float64)  # completion heap: (time, desk), earliest first, ties by desk id
    done_d = np.empty(nd, dtype=np.int64)
    nb = 0
    waiting = 0  # customers in the lines, including visible leavers already gone but not yet found
    i = 0
    o = 0
    k = 0  # interval of t: the last interval start <= t (t never decreases)
    mark = np.zeros(nd, dtype=np.bool_)  # the desks that may call at t, in `cands`
    cands = np.empty(nd, dtype=np.int64)
    while i < n or nb > 0 or o < openings.size:
        t = np.inf
        if i < n:
            t = arrival[i]
        if nb > 0 and done_t[0] < t:
            t = done_t[0]
        if o < openings.size and openings[o] < t:
            t = openings[o]
        while k + 1 < nk and bounds[k + 1] <= t:
            k += 1
        nc = 0
        while i < n and arrival[i] == t:
            tail[line[i]] += 1
            waiting += 1
            q = queue[i]
            for p in range(queue_start[q], queue_start[q + 1]):
                d = queue_desks[p]
                if free[d] and not mark[d] and on_duty[d, k]:
                    mark[d] = True
                    cands[nc] = d
                    nc += 1
            i += 1
        while nb > 0 and done_t[0] == t:  # pop the heap's top
            d = done_d[0]
            free[d] = True
            if not mark[d] and on_duty[d, k]:
                mark[d] = True
                cands[nc] = d
                nc += 1
            nb -= 1
            done_t[0] = done_t[nb]
            done_d[0] = done_d[nb]
            q = 0
            while True:
                c = 2 * q + 1
                if c >= nb:
                    break
                if c + 1 < nb and (done_t[c + 1] < done_t[c] or (done_t[c + 1] == done_t[c]
                                                                 and done_d[c + 1] < done_d[c])):
                    c += 1
                if done_t[c] < done_t[q] or (done_t[c] == done_t[q] and done_d[c] < done_d[q]):
                    done_t[q], done_t[c] = done_t[c], done_t[q]
                    done_d[q], done_d[c] = done_d[c], done_d[q]
                    q = c
                else:
                    break
        while o < openings.size and openings[o] == t:
            o += 1
            for d in range(nd):
                if free[d] and not mark[d] and on_duty[d, k]:
                    mark[d] = True
                    cands[nc] = d
                    nc += 1
        for a in range(1, nc):  # desk-id order
            v = cands[a]
            b = a - 1
            while b >= 0 and cands[b] > v:
                cands[b + 1] = cands[b]
                b -= 1
            cands[b + 1] = v
        for a in range(nc):
            mark[cands[a]] = False
        if waiting == 0 or nc == 0:
            continue
        for a in range(nc):
            d = cands[a]
            if waiting == 0:
                break
            while waiting > 0:
                # the customer desk d calls at t: priority class first, then the lowest arrival index;
                # visible leavers whose patience ran out before t are found gone on the way
                pick = -1
                pick_line = -1
                cls = 1
                while cls >= 0 and pick_line < 0:
                    for p in range(desk_start[d], desk_start[d + 1]):
                        ln = desk_queues[p] * 2 + cls
                        h = head[ln]
                        while h < tail[ln] and leaves[members[h]] and deadline[members[h]] < t:  # left
                            j = members[h]
                            outcome[j] = 1
                            ended[j] = deadline[j]
                            h += 1
                            waiting -= 1
                        head[ln] = h
                        if h < tail[ln] and (pick < 0 or members[h] < pick):
                            pick = members[h]
                            pick_line = ln
                    cls -= 1
                if pick < 0:
                    break
                head[pick_line] += 1
                waiting -= 1
                c = pick
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
                    q = nb  # push (end, d)
                    done_t[q] = end
                    done_d[q] = d
                    nb += 1
                    while q > 0:
                        par = (q - 1) // 2
                        if done_t[q] < done_t[par] or (done_t[q] == done_t[par] and done_d[q] < done_d[par]):
                            done_t[q], done_t[par] = done_t[par], done_t[q]
                            done_d[q], done_d[par] = done_d[par], done_d[q]
                            q = par
                        else:
                            break
                    break
    for ln in range(head.size):  # never called: visible leavers abandoned at their deadline when they had one
        for p in range(head[ln], tail[ln]):
            j = members[p]
            if leaves[j] and deadline[j] != np.inf:
                outcome[j] = 1
                ended[j] = deadline[j]
