"""The general engine: a SimPy discrete-event model of a day.

An arrival process and a schedule process drive the day; desks are free-lists; every
completion, opening and arrival asks for one *dispatch* at the current moment, which runs
after all other events of that moment and lets the free desks call in desk-id order (the
rules are in :mod:`waitlab.sim._outcome`). Only SimPy's public API is used: timeouts for
arrivals, openings and completions, and for a dispatch a timeout of 0. That dispatch runs
after every other event of its moment because those were all scheduled earlier (a completion
when its service began, an arrival or opening at the previous one) and SimPy processes the
events of one moment and priority in the order they were scheduled. When nothing else is due
at the moment (``env.peek() > env.now``), the dispatch runs at once instead, with no event:
the same result (what the rest of that callback does only schedules later events, whose
state changes commute), for half the events.
The clock takes exactly the values the fast engine computes: a completion's delay is the
service time itself (SimPy adds it to the same ``now``), and an arrival's or opening's delay
is chosen so that ``now + delay`` lands on its absolute time (:func:`_until`).

Impatient customers who leave visibly (phone callers, visible kiosk leavers) are removed
lazily: nobody schedules an abandonment event; such a customer whose ``arrival + patience``
has passed is found gone when reaching the head of its line as a desk looks (or at the end of
the day); an unseen kiosk leaver stays in line to be called as a no-show. Their leaving time is exact, and the dynamics are identical to
scheduling it, for about a third of the events.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import deque
from collections.abc import Generator
from heapq import heappop, heappush
from typing import Any

import numpy as np
import simpy
from simpy.events import Event

from waitlab.sim._draws import Draws
from waitlab.sim._outcome import ABANDONED, NO_SHOW, OTHER, SERVED, DayArrays
from waitlab.sim._scenario import Scenario

__all__ = ["run_simpy"]


def _until(env: simpy.Environment, time: float) -> Generator[Event, Any, None]:
    """Timeouts that take SimPy's clock from ``env.now`` to exactly `time` (``time >= env.now``).

    SimPy schedules at ``now + delay``, and ``now + (time - now)`` can round off `time` (by one
    unit in the last place, or a tie that no delay can break). So the first timeout lands at or
    just below `time`; from there (at least ``time / 2``) the difference is exact, and a second
    timeout, when needed, lands on `time` itself.

    >>> env = simpy.Environment(11.6)
    >>> 11.6 + (28.3 - 11.6) == 28.3
    False
    >>> _ = env.process(_until(env, 28.3)); env.run(); env.now == 28.3
    True
    """
    delay = time - env.now
    while env.now + delay > time:
        delay = math.nextafter(delay, 0.0)
    yield env.timeout(delay)
    if env.now < time:
        yield env.timeout(time - env.now)


class _Day:
    def __init__(self, scenario: Scenario, draws: Draws) -> None:
        n = len(draws)
        self.env = simpy.Environment()
        self.phone = scenario.channel == "phone"
        self.cost = float(scenario.no_show_seconds)
        self.bounds = scenario.boundaries.tolist()
        self.on_duty = [tuple(row) for row in scenario.on_duty.tolist()]
        self.arrival = draws.arrival.tolist()
        self.queue = draws.queue.tolist()
        self.service = draws.service.tolist()
        self.deadline = (draws.arrival + draws.patience).tolist()
        self.priority = draws.priority.tolist()
        self.absent = draws.absent.tolist()
        self.leaves = draws.leaves(self.phone).tolist()  # patience ran out: abandoned (else a kiosk no-show)
        nq = len(scenario.queues)
        # one FIFO line per (queue, class); a desk scans its lines, priority class first
        self.lines: list[list[deque[int]]] = [[deque(), deque()] for _ in range(nq)]
        serves = scenario.serves
        self.lines_of = [
            ([self.lines[q][1] for q in range(nq) if serves[d, q]],
             [self.lines[q][0] for q in range(nq) if serves[d, q]])
            for d in range(len(scenario.desk_names))
        ]
        self.free = list(range(len(scenario.desk_names)))  # a heap of desk ids (sorted = heap)
        self.waiting = 0
        self.pending = False
        nan = float("nan")
        self.called = [nan] * n
        self.started = [nan] * n
        self.ended = [nan] * n
        self.outcome = [OTHER] * n
        self.server = [-1] * n
        self.openings = [
            k for k in range(1, len(self.bounds))
            if any(row[k] and not row[k - 1] for row in self.on_duty)
        ]

    # -- processes ------------------------------------------------------------------------
    def arrivals(self) -> Generator[Event, Any, None]:
        arrival, queue, priority, lines = self.arrival, self.queue, self.priority, self.lines
        env = self.env
        i, n = 0, len(arrival)
        while i < n:
            t = arrival[i]
            delay = t - env.now
            if env.now + delay == t:  # nearly always: one timeout lands on t
                yield env.timeout(delay)
            else:
                yield from _until(env, t)
            while i < n and arrival[i] == t:
                lines[queue[i]][1 if priority[i] else 0].append(i)
                self.waiting += 1
                i += 1
            self.request_dispatch()

    def openings_process(self) -> Generator[Event, Any, None]:
        env = self.env
        for k in self.openings:
            yield from _until(env, self.bounds[k])
            self.request_dispatch()

    # -- callbacks ------------------------------------------------------------------------
    def request_dispatch(self) -> None:
        if self.pending:
            return
        env = self.env
        if env.peek() > env.now:  # nothing else is due at this moment: dispatch at once
            self.dispatch(None)
        else:  # a timeout of 0 runs after every event already due at this moment
            self.pending = True
            env.timeout(0).callbacks.append(self.dispatch)  # type: ignore[union-attr]

    def done(self, event: Event) -> None:
        heappush(self.free, event.value)  # type: ignore[misc]  # the desk, the completion's value
        self.request_dispatch()

    def dispatch(self, _event: Event | None) -> None:
        self.pending = False
        if not self.waiting or not self.free:
            return
        now = self.env.now
        k = bisect_right(self.bounds, now) - 1
        free, on_duty = self.free, self.on_duty
        skipped = []
        while self.waiting and free:
            d = heappop(free)
            if not on_duty[d][k]:
                skipped.append(d)
                continue
            i = self.best(d, now)
            if i < 0:
                skipped.append(d)
                continue
            if self.assign(d, i, now):
                heappush(free, d)  # zero-length service: free again at once
        for d in skipped:
            heappush(free, d)

    def best(self, d: int, now: float) -> int:
        for lines in self.lines_of[d]:
            pick = -1
            pick_line = None
            for line in lines:
                while line and self.leaves[line[0]] and self.deadline[line[0]] < now:  # gone before now
                    j = line.popleft()
                    self.outcome[j] = ABANDONED
                    self.ended[j] = self.deadline[j]
                    self.waiting -= 1
                if line and (pick < 0 or line[0] < pick):
                    pick, pick_line = line[0], line
            if pick_line is not None:
                pick_line.popleft()
                self.waiting -= 1
                return pick
        return -1

    def assign(self, d: int, i: int, now: float) -> bool:
        self.called[i] = now
        self.server[i] = d
        if not self.phone and (self.absent[i] or self.deadline[i] < now):  # (a visible leaver is gone)
            self.outcome[i] = NO_SHOW
            delay = self.cost
        else:
            self.outcome[i] = SERVED
            self.started[i] = now
            delay = self.service[i]
        end = now + delay  # the sum SimPy makes, so the completion happens at exactly `end`
        self.ended[i] = end
        if end == now:
            return True
        self.env.timeout(delay, d).callbacks.append(self.done)  # type: ignore[union-attr]
        return False

    def finish(self) -> DayArrays:
        for per_queue in self.lines:
            for line in per_queue:
                for j in line:  # never called
                    if self.leaves[j] and self.deadline[j] != float("inf"):
                        self.outcome[j] = ABANDONED
                        self.ended[j] = self.deadline[j]
        return DayArrays(
            np.array(self.called), np.array(self.started), np.array(self.ended),
            np.array(self.outcome, dtype=np.int8), np.array(self.server, dtype=np.int64),
        )


def run_simpy(scenario: Scenario, draws: Draws) -> DayArrays:
    """Simulate one day of `scenario` on `draws` with SimPy; return the outcome arrays."""
    day = _Day(scenario, draws)
    day.env.process(day.arrivals())
    if day.openings:
        day.env.process(day.openings_process())
    day.env.run()
    return day.finish()
