"""The checks a :class:`~waitlab.sim.Scenario` passes before anything runs (one sentence per problem)."""

from __future__ import annotations

import math
import numbers
import zoneinfo
from typing import TYPE_CHECKING, Any

import numpy as np

from waitlab._clock import parse_width
from waitlab.exceptions import ArgumentError, ScenarioError
from waitlab.schema import CHANNELS
from waitlab.sim._distributions import Distribution

if TYPE_CHECKING:
    from waitlab.sim._scenario import DeskGroup, QueueSpec, Scenario

__all__ = ["interval_width", "validate"]

def _fail(sc: Scenario, where: str, problem: str, fix: str) -> ScenarioError:
    return ScenarioError(f"{sc.source}: {where}: {problem}; {fix}.")


def interval_width(sc: Scenario) -> Any:
    """`sc.interval` in seconds: numbers as they are (checked by :func:`_validate`), lengths read."""
    value: Any = sc.interval
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    try:
        return parse_width(value, "interval")
    except ArgumentError as exc:
        raise ScenarioError(f"{sc.source}: [scenario]: {exc}") from None


def validate(sc: Scenario) -> None:
    where = "[scenario]"
    if not isinstance(sc.site, str) or not sc.site.strip():
        raise _fail(sc, where, "`site` is empty", 'name the site, e.g. site = "Sucursal Palermo"')
    if sc.channel not in CHANNELS:
        raise _fail(sc, where, f"`channel` is {sc.channel!r}", f"use one of {', '.join(CHANNELS)}")
    try:
        zoneinfo.ZoneInfo(sc.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise _fail(sc, where, f"`timezone` {sc.timezone!r} is not an IANA timezone",
                    'use a name such as "America/Argentina/Buenos_Aires"') from None
    if not (isinstance(sc.interval, int | float) and math.isfinite(sc.interval) and sc.interval > 0):
        raise _fail(sc, where, f"`interval_minutes` must be positive, got {sc.interval!r} s",
                    "use e.g. interval_minutes = 30")
    if sc.horizon <= 0:
        raise _fail(sc, where, f"`end` ({sc.end}) is not after `start` ({sc.start})",
                    "set end later than start on the same day")
    k = sc.horizon / sc.interval
    if abs(k - round(k)) > 1e-9:
        raise _fail(sc, where, f"the day ({sc.horizon / 60:g} min) is not a whole number of "
                    f"{sc.interval / 60:g}-min intervals", "change start, end or interval_minutes")
    if not (math.isfinite(sc.no_show_seconds) and sc.no_show_seconds >= 0):
        raise _fail(sc, where, f"`no_show_seconds` must be >= 0, got {sc.no_show_seconds!r}",
                    "give the seconds a desk loses calling an absent customer, e.g. 60")
    if not sc.queues:
        raise _fail(sc, "[[queue]]", "the scenario has no queues", "add at least one [[queue]] table")
    if not sc.desks:
        raise _fail(sc, "[[desks]]", "the scenario has no desks", "add at least one [[desks]] table")
    _unique(sc, [q.name for q in sc.queues], "queue")
    _unique(sc, [g.name for g in sc.desks], "desks")
    for q in sc.queues:
        _validate_queue(sc, q)
    for g in sc.desks:
        _validate_desks(sc, g)
    _validate_coverage(sc)


def _unique(sc: Scenario, names: list[str], table: str) -> None:
    seen: set[str] = set()
    for n in names:
        if not isinstance(n, str) or not n.strip():
            raise _fail(sc, f"[[{table}]]", "a table has an empty `name`", "give every one a name")
        if n in seen:
            raise _fail(sc, f"[[{table}]] {n!r}", "the name is used twice", "give each one its own name")
        seen.add(n)


def _validate_queue(sc: Scenario, q: QueueSpec) -> None:
    where = f"queue {q.name!r}"
    k = sc.n_intervals
    if not isinstance(q.service, Distribution):
        raise _fail(sc, where, "`service` is missing", 'add service = { dist = "exponential", mean = 300 }')
    if q.patience is not None and not isinstance(q.patience, Distribution):
        raise _fail(sc, where, "`patience` is not a distribution", 'use { dist = "exponential", mean = 900 }')
    if q.arrival_times is not None:
        if q.rates_per_hour:
            raise _fail(sc, where, "both `rates_per_hour` and `arrival_times` are given", "keep only one")
        t = np.asarray(q.arrival_times, dtype=float)
        bad = ~np.isfinite(t) | (t < 0) | (t >= sc.horizon)
        if bad.any():
            raise _fail(sc, f"{where}, key `arrival_times`",
                        f"{int(bad.sum())} time(s) fall outside the opening hours (first: {t[bad][0]!r} s)",
                        f"give seconds in [0, {sc.horizon:g}) after the start")
        if np.any(np.diff(t) < 0):
            object.__setattr__(q, "arrival_times", tuple(np.sort(t).tolist()))
    else:
        rates = np.asarray(q.rates_per_hour, dtype=float)
        if rates.size != k:
            raise _fail(sc, f"{where}, key `rates_per_hour`",
                        f"the list has {rates.size} value(s) but the day has {k} interval(s)",
                        f"give one rate per {sc.interval / 60:g}-min interval from {sc.start} to {sc.end}")
        bad = ~np.isfinite(rates) | (rates < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise _fail(sc, f"{where}, key `rates_per_hour`",
                        f"interval {sc.interval_labels()[i]} has rate {rates[i]!r}",
                        "rates are customers per hour and must be >= 0")
    if q.service_scale:
        scale = np.asarray(q.service_scale, dtype=float)
        if scale.size != k or not (np.isfinite(scale) & (scale > 0)).all():
            raise _fail(sc, f"{where}, key `service_scale`",
                        f"got {scale.size} value(s) (the day has {k} interval(s)), all must be finite and > 0",
                        "give one factor > 0 per interval, or leave it out")
    if not (0.0 <= q.priority_share <= 1.0):
        raise _fail(sc, f"{where}, key `priority_share`", f"got {q.priority_share!r}",
                    "give the share of priority tickets between 0 and 1")
    if not (0.0 <= q.no_show < 1.0):
        raise _fail(sc, f"{where}, key `no_show`", f"got {q.no_show!r}",
                    "give the probability of being absent when called, in [0, 1)")
    if q.no_show > 0 and sc.channel == "phone":
        raise _fail(sc, f"{where}, key `no_show`", "phone calls cannot be no-shows",
                    "set no_show = 0, or channel = \"kiosk\"")
    if not (0.0 <= q.visible_abandon <= 1.0):
        raise _fail(sc, f"{where}, key `visible_abandon`", f"got {q.visible_abandon!r}",
                    "give the share of impatient kiosk customers who leave visibly, in [0, 1]")
    if q.visible_abandon > 0 and sc.channel == "phone":
        raise _fail(sc, f"{where}, key `visible_abandon`", "phone callers always abandon visibly",
                    "set visible_abandon = 0, or channel = \"kiosk\"")


def _validate_desks(sc: Scenario, g: DeskGroup) -> None:
    where = f"desks {g.name!r}"
    names = {q.name for q in sc.queues}
    if isinstance(g.serves, str) or not g.serves:
        raise _fail(sc, f"{where}, key `serves`", "must be a non-empty list of queue names",
                    f'e.g. serves = ["{next(iter(names))}"]')
    for s in g.serves:
        if s not in names:
            raise _fail(sc, f"{where}, key `serves`", f"queue {s!r} does not exist",
                        f"use one of {', '.join(sorted(names))}")
    counts = list(g.open)
    if len(counts) != sc.n_intervals:
        raise _fail(sc, f"{where}, key `open`",
                    f"the schedule covers {len(counts)} interval(s) but the day has {sc.n_intervals}",
                    f"give one count per {sc.interval / 60:g}-min interval from {sc.start} to {sc.end}")
    for i, c in enumerate(counts):
        if isinstance(c, bool) or not isinstance(c, int | np.integer) or c < 0:
            raise _fail(sc, f"{where}, key `open`",
                        f"interval {sc.interval_labels()[i]} has {c!r} desks", "use whole numbers >= 0")


def _validate_coverage(sc: Scenario) -> None:
    for q in sc.queues:
        demand = bool(q.arrival_times) if q.arrival_times is not None else any(r > 0 for r in q.rates_per_hour)
        groups = [g for g in sc.desks if q.name in g.serves]
        if not groups:
            raise _fail(sc, f"queue {q.name!r}", "no desk group can serve it",
                        f'add "{q.name}" to `serves` of a [[desks]] group')
        if demand and not any(c > 0 for g in groups for c in g.open):
            names = ", ".join(repr(g.name) for g in groups)
            raise _fail(sc, f"queue {q.name!r}", f"its desk group(s) {names} are never open",
                        "open at least one of them in some interval (key `open`)")
