"""The contacts table's row rules in one pass over int64 times and int8 codes."""

from __future__ import annotations

import numpy as np
from numba import njit

from waitlab._kernels.times import _NAT

__all__ = ["ROW_RULES", "row_rules"]


#: The row rules of :func:`row_rules`, in the order they are judged (index 0: no rule broken).
ROW_RULES = (
    "",
    "missing contact_id",
    "missing queue",
    "missing channel",
    "missing arrived_at",
    "missing outcome",
    "unknown outcome",
    "unknown channel",
    "events out of order (called_at before arrived_at)",
    "events out of order (started_at before arrived_at)",
    "events out of order (ended_at before arrived_at)",
    "events out of order (started_at before called_at)",
    "events out of order (ended_at before called_at)",
    "events out of order (ended_at before started_at)",
    "absurd duration (over 24 h)",
    "served without called/started/ended time",
    "abandoned without the time they left",
    "abandoned but service started",
    "no-show without the time it was called",
    "no-show but service started",
    "transferred without service start",
)


@njit(cache=True, nogil=True)
def row_rules(
    missing: np.ndarray, outcome: np.ndarray, channel: np.ndarray, arrived: np.ndarray, called: np.ndarray,
    started: np.ndarray, ended: np.ndarray, limit: int, rule: np.ndarray,
) -> None:
    """The first of :data:`ROW_RULES` that each contact breaks, into `rule` (0: none).

    `missing` holds a bit per required text column (1 contact_id, 2 queue, 4 channel, 8
    outcome); `outcome` and `channel` are positions in ``OUTCOMES`` / ``CHANNELS`` (-1:
    unknown); the times are int64 instants in one unit (NaT: the int64 minimum); `limit` is
    the longest allowed span from arrival to the last known event, in that unit.
    """
    top = np.iinfo(np.int64).max
    for i in range(len(rule)):
        m = missing[i]
        t = (arrived[i], called[i], started[i], ended[i])
        r = 0
        if m & 1:
            r = 1
        elif m & 2:
            r = 2
        elif m & 4:
            r = 3
        elif t[0] == _NAT:
            r = 4
        elif m & 8:
            r = 5
        elif outcome[i] < 0:
            r = 6
        elif channel[i] < 0:
            r = 7
        else:
            k = 8
            for a in range(4):
                for b in range(a + 1, 4):
                    if r == 0 and t[a] != _NAT and t[b] != _NAT and t[a] > t[b]:
                        r = k
                    k += 1
        if r == 0:
            last = t[3] if t[3] != _NAT else (t[2] if t[2] != _NAT else t[1])
            if last != _NAT and t[0] <= top - limit and last > t[0] + limit:
                r = 14
        if r == 0:
            o = outcome[i]
            has_called, has_started, has_ended = t[1] != _NAT, t[2] != _NAT, t[3] != _NAT
            if o == 0 and not (has_called and has_started and has_ended):
                r = 15
            elif o == 1 and not has_ended:
                r = 16
            elif o == 1 and has_started:
                r = 17
            elif o == 2 and not has_called:
                r = 18
            elif o == 2 and has_started:
                r = 19
            elif o == 3 and not has_started:
                r = 20
        rule[i] = r
