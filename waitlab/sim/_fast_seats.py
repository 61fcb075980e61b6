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

__all__ = ["day_seat_count", "fast_standing"]

_NAT = np.iinfo(np.int64).min


def day_seat_count(site: str | None, seats: Any) -> int | None:
    """The seat count of `site` under `seats` (validated as the contacts route does; None: unknown)."""
    from waitlab.compliance._standing import _NO_SITE, _seats_per_site

    name = _NO_SITE if site is None else str(site)
    return _seats_per_site(seats, [name])[name]


def fast_standing(days: list[SimulatedDay], s: dict[str, np.ndarray], seats: Any) -> tuple[np.ndarray, np.ndarray]:
    """Standing and seated seconds of every customer of the stacked `days` (NaN off the waiting room).

    `s` is :func:`waitlab.sim._fast_kpis._stack` of `days`; the result is aligned with it.
    Phone customers, and customers whose departure from the room is unknown, get NaN in both.
    """
    n = len(s["day"])
    standing = np.full(n, np.nan)
    seated = np.full(n, np.nan)
    arrive, leave = s["arrival_ns"], s["leave_ns"]
    bounds = np.concatenate([[0], np.cumsum([len(d.draws) for d in days])])
    for k, d in enumerate(days):
        if d.scenario.channel != "kiosk":
            continue
        cap = day_seat_count(d.scenario.site, seats)
        lo, hi = int(bounds[k]), int(bounds[k + 1])
        idx = lo + np.flatnonzero(leave[lo:hi] != _NAT)
        if not len(idx):
            continue
        if cap is None:
            standing[idx] = (leave[idx] - arrive[idx]) / 1e9
            seated[idx] = 0.0
            continue
        got = np.full(len(idx), _NAT, dtype=np.int64)
        _sweep(arrive[idx], leave[idx], cap, got)
        sat = got != _NAT
        end_standing = np.where(sat, got, leave[idx])
        standing[idx] = (end_standing - arrive[idx]) / 1e9
        seated[idx] = np.where(sat, leave[idx] - got, 0) / 1e9
    return standing, seated


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
