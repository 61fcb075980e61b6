"""Standing and seated time of simulated days from the engines' arrays (no contacts table).

The same seat rule and the same sweep as :func:`waitlab.compliance.standing_times` (read its
module docstring: a customer sits on arrival when a seat is free, otherwise stands until a seat
frees, which goes to the earliest arrival among those standing), compiled with numba and run
over every day at once, one waiting room per day. Times are the contacts table's whole
nanoseconds (``round(seconds * 1e9)``) and the seconds are computed with the same integer
differences and the same division, so the figures equal those of the contacts route exactly
(tested in ``tests/sim/test_sim_fast_path.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit

from waitlab.sim._fast_heap import heap_pop, heap_push

if TYPE_CHECKING:
    from waitlab.sim._day import SimulatedDay
    from waitlab.sim._fast_batch import DayBatch

__all__ = ["batch_room_times", "day_seat_count", "fast_standing", "room_day"]

_NAT = np.iinfo(np.int64).min


def day_seat_count(site: str | None, seats: Any) -> int | None:
    """The seat count of `site` under `seats` (validated as the contacts route does; None: unknown)."""
    from waitlab.compliance._standing import _NO_SITE, _seats_per_site

    name = _NO_SITE if site is None else str(site)
    return _seats_per_site(seats, [name])[name]


def fast_standing(days: list[SimulatedDay], s: dict[str, np.ndarray], seats: Any) -> tuple[np.ndarray, np.ndarray]:
    """Standing and seated seconds of every customer of the stacked `days` (NaN off the waiting room).

    `s` is :func:`waitlab.sim._fast_kpis._stack` of `days` (days of one scenario); the result is
    aligned with it. Phone customers, and customers whose departure from the room is unknown, get
    NaN in both.
    """
    from waitlab.sim._fast_batch import DayBatch

    n = len(s["day"])
    if not days or days[0].scenario.channel != "kiosk":
        return np.full(n, np.nan), np.full(n, np.nan)
    return batch_room_times(DayBatch.from_days(days), s, seats)


def batch_room_times(batch: DayBatch, s: dict[str, np.ndarray], seats: Any) -> tuple[np.ndarray, np.ndarray]:
    """Standing and seated seconds of every customer of a kiosk `batch` (NaN when the departure is unknown)."""
    n = len(s["day"])
    standing = np.full(n, np.nan)
    seated = np.full(n, np.nan)
    cap = day_seat_count(batch.scenario.site, seats)
    _room_times(batch.offsets, s["arrival_ns"], s["leave_ns"], -1 if cap is None else cap, standing, seated)
    return standing, seated


@njit(cache=True)
def _room_times(offsets, arrival_ns, leave_ns, seats, standing, seated):  # pragma: no cover - compiled
    """:func:`room_day` of every day (rows ``offsets[k]:offsets[k + 1]``)."""
    for day in range(offsets.size - 1):
        lo, hi = offsets[day], offsets[day + 1]
        room_day(arrival_ns[lo:hi], leave_ns[lo:hi], seats, standing[lo:hi], seated[lo:hi])


@njit(cache=True)
def room_day(arrival_ns, leave_ns, seats, standing, seated):  # pragma: no cover - compiled
    """Standing and seated seconds of each customer of one room whose departure is known (others left as they are).

    `seats` < 0 is an unknown count: every second of waiting is standing.
    """
    idx = np.empty(arrival_ns.size, dtype=np.int64)
    m = 0
    for i in range(arrival_ns.size):
        if leave_ns[i] != _NAT:
            idx[m] = i
            m += 1
    idx = idx[:m]
    if seats < 0:
        for i in idx:
            standing[i] = (leave_ns[i] - arrival_ns[i]) / 1e9
            seated[i] = 0.0
        return
    got = np.full(m, _NAT, dtype=np.int64)
    _sweep(arrival_ns[idx], leave_ns[idx], seats, got)
    for j in range(m):
        i = idx[j]
        if got[j] != _NAT:
            standing[i] = (got[j] - arrival_ns[i]) / 1e9
            seated[i] = (leave_ns[i] - got[j]) / 1e9
        else:
            standing[i] = (leave_ns[i] - arrival_ns[i]) / 1e9
            seated[i] = 0 / 1e9


@njit(cache=True)
def _sweep(arrive, leave, seats, out):  # pragma: no cover - compiled
    """Seat time (ns) of each customer of one room, `out` left at the NaT sentinel if never seated.

    `arrive` is non-decreasing (the draws' order, which is also the rank at equal arrivals);
    events are taken by time, departures before arrivals at one instant, then by arrival rank.
    """
    n = arrive.size
    stay = np.empty(n, dtype=np.int64)  # rows with leave > arrive, in arrival order
    m = 0
    for i in range(n):
        if leave[i] > arrive[i]:
            stay[m] = i
            m += 1
    stay = stay[:m]
    by_leave = stay[np.argsort(leave[stay], kind="mergesort")]  # ties keep the arrival rank
    is_seated = np.zeros(n, dtype=np.bool_)
    keys = np.empty(m, dtype=np.float64)
    ids = np.empty(m, dtype=np.int64)
    nh = 0
    free = seats
    a = 0
    b = 0
    while a < m or b < m:
        if b < m and (a >= m or leave[by_leave[b]] <= arrive[stay[a]]):
            i = by_leave[b]
            b += 1
            if not is_seated[i]:
                continue
            t = leave[i]
            found = False
            while nh > 0:
                j = ids[0]
                nh = heap_pop(keys, ids, nh)
                if leave[j] > t:  # still here (people leaving now do not take the seat)
                    is_seated[j] = True
                    out[j] = t
                    found = True
                    break
            if not found:
                free += 1
        else:
            i = stay[a]
            a += 1
            if free > 0:
                free -= 1
                is_seated[i] = True
                out[i] = arrive[i]
            else:
                nh = heap_push(keys, ids, nh, float(i), i)
