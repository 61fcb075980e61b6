"""A small discrete-event simulation of a multi-queue, multi-server waiting line.

Used only by ``make_datasets.py`` to produce the sample logs (it deliberately does not
import :mod:`waitlab.sim`). Everything random is drawn *before* the run and handed in, so
the run itself is deterministic.

Model
-----
Contacts arrive at known times into queues ``q`` with priority ``prio`` (higher first).
Servers (desks, agents) work in shifts and serve a set of queues. When a server is free
and on shift it calls the best waiting contact among its queues: highest priority first,
then the earliest arrival (FIFO), except at the moments listed in ``out_of_turn_after``,
where it calls the second one in line of the same queue and priority (a deliberate
out-of-turn call). A server never starts a new contact after its shift ends but finishes
the current one; a shift ending at ``inf`` lasts until nothing is left to serve.

Each contact has a patience. If not called within it, the contact leaves:

* a *visible* leaver is removed from the queue at ``arrival + patience`` (a caller hanging
  up, a customer cancelling the ticket at the kiosk): outcome ``"left"``;
* a *silent* leaver stays in the system's queue; when called it is absent, the server waits
  ``hold`` seconds for it and moves on: outcome ``"no_show"``.

A contact flagged ``ring_fail`` is not picked up the first time it is offered: the server
rings for ``ring_timeout`` seconds, the contact goes back to its place in line and the
server pauses ``autopause`` seconds (Asterisk's RINGNOANSWER and autopause).

All times are seconds (float) from midnight of the simulated day.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from dataclasses import dataclass, field

import numpy as np

WAITING, CALLED, LEFT = 0, 1, 2


@dataclass
class Server:
    """One desk or agent: a name, the queues it serves, and its shifts ``[(start, end), ...]``."""

    name: str
    skills: tuple[int, ...]
    shifts: list[tuple[float, float]]


@dataclass
class Result:
    """Per-contact results of :func:`simulate` (arrays in the input order) plus event lists."""

    called: np.ndarray
    started: np.ndarray
    ended: np.ndarray
    server: np.ndarray  # server index, -1 if never called
    outcome: np.ndarray  # "served", "no_show" or "left"
    ring_failures: list[tuple[int, int, float]] = field(default_factory=list)  # (server, contact, t)
    out_of_turn: list[tuple[int, int]] = field(default_factory=list)  # (called contact, skipped contact)
    shift_log: list[tuple[int, float, float]] = field(default_factory=list)  # (server, on, off) worked


def simulate(
    arrival: np.ndarray,
    queue: np.ndarray,
    prio: np.ndarray,
    patience: np.ndarray,
    service: np.ndarray,
    visible: np.ndarray,
    servers: list[Server],
    *,
    walk: np.ndarray | None = None,
    wrap: np.ndarray | None = None,
    hold: np.ndarray | None = None,
    ring_fail: np.ndarray | None = None,
    ring_timeout: float = 15.0,
    autopause: np.ndarray | None = None,
    out_of_turn_after: tuple[float, ...] = (),
) -> Result:
    """Run the day; see the module docstring for the rules. Arrays have one entry per contact."""
    n = len(arrival)
    zeros = np.zeros(n)
    walk = zeros if walk is None else walk
    wrap = zeros if wrap is None else wrap
    hold = zeros if hold is None else hold
    autopause = zeros if autopause is None else autopause
    ring_fail = np.zeros(n, dtype=bool) if ring_fail is None else ring_fail.copy()

    leave_at = arrival + patience
    state = np.full(n, WAITING)
    blocked = np.zeros(n)
    called = np.full(n, np.nan)
    started = np.full(n, np.nan)
    ended = np.full(n, np.nan)
    who = np.full(n, -1)
    outcome = np.full(n, "", dtype=object)
    res = Result(called, started, ended, who, outcome)

    lists: dict[tuple[int, int], list[int]] = {}
    for i in np.argsort(arrival, kind="stable"):
        lists.setdefault((int(queue[i]), int(prio[i])), []).append(int(i))
    arr_of = {k: [float(arrival[i]) for i in v] for k, v in lists.items()}
    head = dict.fromkeys(lists, 0)
    prios = sorted({p for _, p in lists}, reverse=True)
    ooo = sorted(out_of_turn_after)

    def gone(i: int, t: float) -> bool:
        if state[i] == WAITING and visible[i] and leave_at[i] <= t:
            state[i], ended[i], outcome[i] = LEFT, leave_at[i], "left"
        return state[i] != WAITING

    def candidates(key: tuple[int, int], t: float, want: int) -> list[int]:
        lst = lists[key]
        h = head[key]
        while h < len(lst) and gone(lst[h], t):
            h += 1
        head[key] = h
        found = []
        for i in lst[h:]:
            if arrival[i] > t:
                break
            if not gone(i, t) and blocked[i] <= t:
                found.append(i)
                if len(found) == want:
                    break
        return found

    def next_event(skills: tuple[int, ...], t: float) -> float:
        nxt = math.inf
        for q in skills:
            for p in prios:
                key = (q, p)
                if key not in lists:
                    continue
                j = bisect_right(arr_of[key], t)
                if j < len(lists[key]):
                    nxt = min(nxt, arr_of[key][j])
                for i in lists[key][head[key]:j]:
                    if state[i] == WAITING and blocked[i] > t:
                        nxt = min(nxt, blocked[i])
        return nxt

    shift_idx = [0] * len(servers)
    on_since: list[float | None] = [None] * len(servers)
    heap = [(s.shifts[0][0], k) for k, s in enumerate(servers) if s.shifts]
    heapq.heapify(heap)
    while heap:
        t, k = heapq.heappop(heap)
        srv = servers[k]
        while shift_idx[k] < len(srv.shifts) and t >= srv.shifts[shift_idx[k]][1]:
            if on_since[k] is not None:
                res.shift_log.append((k, on_since[k], srv.shifts[shift_idx[k]][1]))
                on_since[k] = None
            shift_idx[k] += 1
        if shift_idx[k] == len(srv.shifts):
            continue
        start, end = srv.shifts[shift_idx[k]]
        if t < start:
            heapq.heappush(heap, (start, k))
            continue
        if on_since[k] is None:
            on_since[k] = start
        best: tuple[int, int] | None = None
        for q in srv.skills:
            for p in prios:
                if (q, p) in lists:
                    c = candidates((q, p), t, 1)
                    if c and (best is None or (-p, arrival[c[0]]) < (-best[1], arrival[best[0]])):
                        best = (c[0], p)
        if best is None:
            nxt = next_event(srv.skills, t)
            if math.isinf(nxt):  # nothing will ever come for this server
                res.shift_log.append((k, on_since[k], t if math.isinf(end) else end))
                on_since[k] = None
                shift_idx[k] = len(srv.shifts)
                continue
            heapq.heappush(heap, (nxt, k))
            continue
        i = best[0]
        if ooo and t >= ooo[0]:
            pair = candidates((int(queue[i]), best[1]), t, 2)
            if len(pair) == 2 and min(leave_at[pair[0]], leave_at[pair[1]]) > t:  # both present
                ooo.pop(0)
                res.out_of_turn.append((pair[1], pair[0]))
                i = pair[1]
        if ring_fail[i]:
            ring_fail[i] = False
            blocked[i] = t + ring_timeout
            res.ring_failures.append((k, i, t + ring_timeout))
            heapq.heappush(heap, (t + ring_timeout + autopause[i], k))
            continue
        state[i], called[i], who[i] = CALLED, t, k
        if leave_at[i] <= t:  # silently gone: the desk calls, waits, gives up
            outcome[i] = "no_show"
            heapq.heappush(heap, (t + hold[i], k))
            continue
        outcome[i] = "served"
        started[i] = t + walk[i]
        ended[i] = started[i] + service[i]
        heapq.heappush(heap, (ended[i] + wrap[i], k))
    for i in np.flatnonzero(state == WAITING):  # no server ever came for them
        if visible[i]:
            state[i], ended[i], outcome[i] = LEFT, leave_at[i], "left"
    return res


def piecewise_poisson(rng: np.random.Generator, start: float, slot: float, counts_mean: np.ndarray) -> np.ndarray:
    """Sorted arrival times of a Poisson process with a constant rate in each slot.

    Slot ``k`` covers ``[start + k*slot, start + (k+1)*slot)`` and receives on average
    ``counts_mean[k]`` arrivals.
    """
    counts = rng.poisson(counts_mean)
    lo = start + slot * np.repeat(np.arange(len(counts)), counts)
    return np.sort(lo + rng.uniform(0.0, slot, size=len(lo)))


def lognormal(rng: np.random.Generator, mean: float, cv: float, size: int) -> np.ndarray:
    """Lognormal draws with the given mean and coefficient of variation."""
    sigma2 = math.log1p(cv * cv)
    return rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), size=size)
