"""Compiled judgement of many simulated days: wait limits (total, standing, seated) and turn order.

The same rules as :func:`waitlab.compliance.check_compliance` on the contacts table, applied to
the stacked arrays of a :class:`~waitlab.sim._fast_batch.DayBatch` (see
:mod:`waitlab.sim._fast_judge` for the time conventions) in one call:

* a limit is breached by a wait strictly longer than it: the total wait, or the standing or
  seated seconds of the waiting room (kiosk days; :func:`waitlab.sim._fast_seats.batch_room_times`);
* a kiosk ticket overtakes when it was called more than the tolerance before a ticket of the
  same day, queue and priority issued strictly earlier. A day's customers come in issue order,
  so one pass per day keeps, for each (queue, priority) line, the latest call among the earlier
  issue times.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from waitlab.sim._fast_judge import day_columns
from waitlab.sim._fast_seats import room_day

__all__ = ["judge"]

NAT = np.iinfo(np.int64).min
TOTAL, STANDING, SEATED = 0, 1, 2


@njit(cache=True)
def judge(offsets, arrival, called, started, ended, queue, priority, kiosk, seats, room, kinds, seconds, turns, tol,
          n_classes):  # pragma: no cover - compiled
    """Per day: breaches of each limit, customers breaching any, overtaking tickets; False in `exact`
    when a duration is too long for the exact seconds (:func:`waitlab.sim._fast_judge.convert`).

    Returns ``(exact, per_limit, breaching, overtaking)``. The standing and seated seconds are
    computed (`room`) on kiosk days with `seats` (< 0: unknown); a (queue, priority) line is
    ``queue * n_classes + priority``; `turns` is False when the turn order is not checked (or the
    day is not at a kiosk), `tol` its tolerance in ns.
    """
    n_days = offsets.size - 1
    per_limit = np.zeros((n_days, kinds.size), dtype=np.int64)
    breaching = np.zeros(n_days, dtype=np.int64)
    overtaking = np.zeros(n_days, dtype=np.int64)
    n_lines = n_classes
    for i in range(queue.size):
        n_lines = max(n_lines, (queue[i] + 1) * n_classes)
    best = np.empty(n_lines, dtype=np.int64)  # latest call among the earlier issue times of the line
    has_best = np.zeros(n_lines, dtype=np.bool_)
    block_at = np.empty(n_lines, dtype=np.int64)  # issue time of the line's current block, its latest call
    block_max = np.empty(n_lines, dtype=np.int64)
    has_block = np.zeros(n_lines, dtype=np.bool_)
    exact = True
    for day in range(n_days):
        lo, hi = offsets[day], offsets[day + 1]
        ok, wait, _, a_ns, c_ns, l_ns, _, _ = day_columns(arrival, called, started, ended, lo, hi)
        exact = exact and ok
        standing = np.full(hi - lo, np.nan)
        seated = np.full(hi - lo, np.nan)
        if kiosk and room:
            room_day(a_ns, l_ns, seats, standing, seated)
        for r in range(hi - lo):
            hit = False
            for j in range(kinds.size):
                x = wait[r] if kinds[j] == TOTAL else standing[r] if kinds[j] == STANDING else seated[r]
                if x > seconds[j]:  # NaN never breaches
                    per_limit[day, j] += 1
                    hit = True
            breaching[day] += hit
        if not (kiosk and turns):
            continue
        has_best[:] = False
        has_block[:] = False
        for r in range(hi - lo):
            c = c_ns[r]
            if c == NAT:
                continue
            ln, a = queue[lo + r] * n_classes + priority[lo + r], a_ns[r]
            if not has_block[ln] or a != block_at[ln]:  # a later issue time: the block before it is earlier
                if has_block[ln]:
                    best[ln] = max(best[ln], block_max[ln]) if has_best[ln] else block_max[ln]
                    has_best[ln] = True
                has_block[ln] = True
                block_at[ln] = a
                block_max[ln] = c
            else:
                block_max[ln] = max(block_max[ln], c)
            if has_best[ln] and best[ln] - c > tol:
                overtaking[day] += 1
    return exact, per_limit, breaching, overtaking
