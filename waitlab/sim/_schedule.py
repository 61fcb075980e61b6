"""Schedule edits of a scenario: one desk group's counts set or changed, over the day or a window."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence
from numbers import Integral, Real
from typing import TYPE_CHECKING

import numpy as np

from waitlab._clock import clock, seconds_of_time
from waitlab.exceptions import ScenarioError

if TYPE_CHECKING:
    from waitlab.sim._scenario import Scenario

__all__ = ["with_desks"]


def with_desks(sc: Scenario, group: str, counts: int | Sequence[int] | None = None, *,
               change: int | None = None, start: str | dt.time | None = None,
               end: str | dt.time | None = None, name: str | None = None) -> Scenario:
    """See :meth:`waitlab.sim.Scenario.with_desks`."""
    names = [g.name for g in sc.desks]
    if group not in names:
        raise _fail(sc, f"there is no desk group {group!r}", f"the groups are {', '.join(names)}")
    if (counts is None) == (change is None):
        raise _fail(sc, f"desks {group!r}: give exactly one of `counts` and `change`",
                    "counts=[3, 4, 4] sets the desks open and change=2 adds two")
    i0, i1 = _window(sc, start, end)
    old = list(sc.desks[names.index(group)].open)
    if change is not None:
        if isinstance(change, bool) or not isinstance(change, Integral):
            raise _fail(sc, f"desks {group!r}: `change` must be a whole number of desks, got {change!r}",
                        "change=2 adds two desks and change=-1 removes one")
        new = [max(0, c + int(change)) for c in old[i0:i1]]
    elif isinstance(counts, Real) and not isinstance(counts, bool):
        new = [_count(sc, group, counts, i0)] * (i1 - i0)
    else:
        values = list(counts) if isinstance(counts, Sequence | np.ndarray) and not isinstance(counts, str) else None
        if values is None:
            raise _fail(sc, f"desks {group!r}: `counts` must be a count or a list of counts, got {counts!r}",
                        "give counts=4 or counts=[3, 4, 4]")
        if len(values) != i1 - i0:
            raise _fail(sc, f"desks {group!r}: `counts` has {len(values)} value(s) but "
                        f"{_label_end(sc, i0)}-{_label_end(sc, i1)} has {i1 - i0} interval(s)",
                        f"give one count per {sc.interval / 60:g}-min interval")
        new = [_count(sc, group, v, i0 + k) for k, v in enumerate(values)]
    desks = tuple(dataclasses.replace(g, open=tuple(old[:i0] + new + old[i1:])) if g.name == group else g
                  for g in sc.desks)
    return dataclasses.replace(sc, desks=desks, name=sc.name if name is None else name)


def desk_hours(sc: Scenario, group: str | None = None) -> float:
    """See :meth:`waitlab.sim.Scenario.desk_hours`."""
    names = [g.name for g in sc.desks]
    if group is not None and group not in names:
        raise _fail(sc, f"there is no desk group {group!r}", f"the groups are {', '.join(names)}")
    opened = sum(sum(g.open) for g in sc.desks if group is None or g.name == group)
    return opened * float(sc.interval) / 3600.0


def _fail(sc: Scenario, problem: str, fix: str) -> ScenarioError:
    return ScenarioError(f"{sc.source}: {problem}; {fix}.")


def _count(sc: Scenario, group: str, value: object, i: int) -> int:
    if isinstance(value, Real) and not isinstance(value, bool):
        v = float(value)
        if math.isfinite(v) and v >= 0 and v == int(v):
            return int(v)
    raise _fail(sc, f"desks {group!r}: the count for {_label_end(sc, i)} is {value!r}", "use whole numbers of desks >= 0")


def _label_end(sc: Scenario, i: int) -> str:

    return clock(seconds_of_time(sc.start) + i * float(sc.interval))


def _window(sc: Scenario, start: str | dt.time | None, end: str | dt.time | None) -> tuple[int, int]:
    """Interval indices ``[i0, i1)`` of the window from `start` to `end` (default the whole day)."""
    n = sc.n_intervals
    i0 = 0 if start is None else _boundary(sc, "start", start, range(n))
    i1 = n if end is None else _boundary(sc, "end", end, range(1, n + 1))
    if i1 <= i0:
        raise _fail(sc, f"`end` {_label_end(sc, i1)} is not after `start` {_label_end(sc, i0)}",
                    "give a window that spans at least one interval")
    return i0, i1


def _boundary(sc: Scenario, which: str, value: str | dt.time, allowed: range) -> int:

    def hint() -> str:
        return f"interval {which}s are {', '.join(_label_end(sc, i) for i in allowed)}"

    try:
        t = value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))
    except ValueError:
        raise _fail(sc, f"`{which}` {value!r} is not a time of day", f"write it as \"HH:MM\" ({hint()})") from None
    k = (seconds_of_time(t) - seconds_of_time(sc.start)) / float(sc.interval)
    if abs(k - round(k)) > 1e-9 or round(k) not in allowed:
        raise _fail(sc, f"`{which}` {value!r} is not an interval {which}", hint())
    return round(k)
