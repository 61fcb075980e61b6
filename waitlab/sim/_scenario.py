"""The scenario: one site's day of queues, desks and schedules, checked before anything runs."""

from __future__ import annotations

import datetime as dt
import math
import numbers
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from waitlab._clock import clock, parse_width, seconds_of_time
from waitlab.exceptions import ArgumentError, ScenarioError
from waitlab.schema import CHANNELS, DEFAULT_TZ
from waitlab.sim._distributions import Distribution

if TYPE_CHECKING:
    from waitlab.sim._draws import Draws

__all__ = ["DeskGroup", "QueueSpec", "Scenario"]


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueSpec:
    """One service (queue) of the site.

    Parameters
    ----------
    name : str
        Queue name as it appears in the contacts table (e.g. ``"caja"``).
    service : Distribution
        Service (handle) time, seconds.
    rates_per_hour : tuple of float
        Arrival rate in **customers per hour** for each interval of the day: a
        non-homogeneous Poisson process whose rate is constant within an interval.
        Leave empty when `arrival_times` is given.
    arrival_times : tuple of float, optional
        The real arrival times of a log, seconds after the day start (trace-driven arrivals,
        the same every replication). Mutually exclusive with `rates_per_hour`.
    patience : Distribution or None
        Time a customer is willing to wait, seconds; None means nobody leaves. On the phone
        an impatient caller abandons (``abandoned``, leaving time known); at a kiosk the
        customer leaves unseen and is found missing when called (``no_show``).
    priority_share : float
        Share of customers holding a priority ticket (priority 1), in [0, 1].
    no_show : float
        Probability a kiosk customer is absent when called whatever the wait, in [0, 1).
    """

    name: str
    service: Distribution
    rates_per_hour: tuple[float, ...] = ()
    arrival_times: tuple[float, ...] | None = None
    patience: Distribution | None = None
    priority_share: float = 0.0
    no_show: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskGroup:
    """Desks of one kind (e.g. the cajas) with the queues they serve and their schedule.

    Parameters
    ----------
    name : str
        Group name; desk ``j`` (from 1) of the group appears as server ``"<name>-<j>"``.
    serves : tuple of str
        Names of the queues these desks can serve.
    open : tuple of int
        Number of desks open in each interval of the day. Desk ``j`` is on duty in an interval
        when ``j <= open``, so a lower count closes the highest-numbered desks first.
    """

    name: str
    serves: tuple[str, ...]
    open: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A simulated day at one site: queues, desk groups and their schedules.

    Parameters
    ----------
    site : str
        Site (branch or call center) name, written to the ``site`` column.
    queues : tuple of QueueSpec
        The services; their order breaks arrival-time ties.
    desks : tuple of DeskGroup
        The desk groups; desk ids run through the groups in this order, and when several
        desks are free at the same moment the lowest id calls first.
    date : datetime.date
        Calendar date of the simulated day.
    start, end : datetime.time
        Opening and closing time (local to `timezone`). Customers arrive in ``[start, end)``;
        those still waiting at `end` are served by the desks open in the last interval
        (the doors close, the branch empties).
    interval : float, str or Timedelta, default 1800.0 (30 min)
        Length of a schedule interval: seconds, or a length such as ``"30min"`` or a
        Timedelta (read as :func:`waitlab.parse_interval` reads it); stored as seconds
        (a float). It must divide the opening hours exactly.
    timezone : str
        IANA timezone of the site (default Buenos Aires).
    channel : {"kiosk", "phone"}
        Written to the ``channel`` column; decides whether impatient customers are seen
        leaving (phone: ``abandoned``) or found missing when called (kiosk: ``no_show``).
    no_show_seconds : float
        Call-and-wait time a desk loses calling an absent kiosk customer, seconds.
    name : str
        Scenario label for reports (defaults to `site`).
    source : str
        Where the scenario came from (a file name); quoted in every error message.
    notes : tuple of str
        The assumptions made building it (:meth:`from_log` fills them). Not part of the
        scenario's identity: scenarios differing only in notes compare equal, and
        :meth:`to_toml` does not write them.

    Raises
    ------
    ScenarioError
        If anything is inconsistent; the message names `source`, the key and the fix.

    Notes
    -----
    Routing: FIFO within a queue and priority class; a free desk calls, among the queues it
    serves, the highest priority class first and then the customer who has waited longest.
    A desk whose interval closes while it is busy finishes its customer, then closes.
    """

    site: str
    queues: tuple[QueueSpec, ...]
    desks: tuple[DeskGroup, ...]
    date: dt.date
    start: dt.time
    end: dt.time
    interval: float = 1800.0
    timezone: str = DEFAULT_TZ
    channel: str = "kiosk"
    no_show_seconds: float = 60.0
    name: str = ""
    source: str = field(default="<scenario>", compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "interval", _interval_width(self))
        object.__setattr__(self, "queues", tuple(self.queues))
        object.__setattr__(self, "notes", tuple(str(n) for n in self.notes))
        object.__setattr__(self, "desks", tuple(self.desks))
        if not self.name:
            object.__setattr__(self, "name", self.site)
        _validate(self)

    # -- geometry of the day --------------------------------------------------------------
    @property
    def horizon(self) -> float:
        """Length of the opening hours, seconds."""
        return seconds_of_time(self.end) - seconds_of_time(self.start)

    @property
    def n_intervals(self) -> int:
        """Number of schedule intervals in the day."""
        return round(self.horizon / self.interval)

    @property
    def boundaries(self) -> np.ndarray:
        """Start of each interval, seconds after the day start (float64)."""
        return np.arange(self.n_intervals, dtype=np.float64) * float(self.interval)

    @property
    def origin(self) -> pd.Timestamp:
        """The day start as a timezone-aware timestamp."""
        naive = pd.Timestamp(dt.datetime.combine(self.date, self.start))
        return naive.tz_localize(self.timezone)

    def interval_labels(self) -> list[str]:
        """``"HH:MM"`` of each interval start (local time)."""
        start = seconds_of_time(self.start)
        return [clock(start + b) for b in self.boundaries]

    # -- desks ----------------------------------------------------------------------------
    @cached_property
    def desk_names(self) -> tuple[str, ...]:
        """Server name of every desk, in desk-id order."""
        return tuple(f"{g.name}-{j + 1}" for g in self.desks for j in range(max(g.open, default=0)))

    @cached_property
    def desk_group(self) -> np.ndarray:
        """Group index of every desk (int64)."""
        return np.repeat(np.arange(len(self.desks)), [max(g.open, default=0) for g in self.desks])

    @cached_property
    def desk_rank(self) -> np.ndarray:
        """Index of every desk within its group, from 0 (int64)."""
        return np.concatenate(
            [np.arange(max(g.open, default=0)) for g in self.desks] or [np.zeros(0, dtype=np.int64)]
        ).astype(np.int64)

    @cached_property
    def on_duty(self) -> np.ndarray:
        """Boolean table (desks x intervals): is the desk open in that interval."""
        counts = np.array([g.open for g in self.desks], dtype=np.int64).reshape(len(self.desks), -1)
        return self.desk_rank[:, None] < counts[self.desk_group]

    @cached_property
    def serves(self) -> np.ndarray:
        """Boolean table (desks x queues): can the desk serve the queue."""
        names = [q.name for q in self.queues]
        table = np.array([[n in g.serves for n in names] for g in self.desks], dtype=bool)
        return table.reshape(len(self.desks), len(names))[self.desk_group]

    # -- constructors and helpers ---------------------------------------------------------
    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Read a scenario file (see the README section *Scenario files*).

        Raises
        ------
        ScenarioError
            Naming the file, the key and the fix (also when the file is missing or unreadable).
        """
        from waitlab.sim._toml import read_scenario

        return read_scenario(path)

    def to_toml(self) -> str:
        """Return the scenario as TOML text that :meth:`from_toml` reads back unchanged."""
        from waitlab.sim._toml import write_scenario

        return write_scenario(self)

    @classmethod
    def from_log(cls, contacts: pd.DataFrame, **options: Any) -> Scenario:
        """Build a scenario from a contacts log (see :func:`waitlab.sim.scenario_from_log`).

        The assumptions made are in the scenario's ``notes``.
        """
        from waitlab.sim._from_log import scenario_from_log

        return scenario_from_log(contacts, **options)

    def draw(self, rng: np.random.Generator | int | None = None) -> Draws:
        """Draw one day's random inputs (see :func:`waitlab.sim.draw`)."""
        from waitlab.sim._draws import draw

        return draw(self, rng)

    def with_desks(self, group: str, counts: int | Sequence[int] | None = None, *, change: int | None = None,
                   start: str | dt.time | None = None, end: str | dt.time | None = None,
                   name: str | None = None) -> Scenario:
        """This scenario with desk group `group`'s schedule set or changed (validated again).

        Give `counts` (desks open: one count for the whole window, or one per interval of it)
        or `change` (desks added, or removed when negative, never below 0). `start` and `end`
        (``"HH:MM"`` on the interval grid) limit the edit to a window; `name` renames the
        scenario. Raises ScenarioError naming the group, count or time at fault, or a queue
        the new schedule leaves unserved.

        >>> from waitlab.sim import example_path
        >>> sc = Scenario.from_toml(example_path("branch"))
        >>> sc.with_desks("caja", change=2, start="12:00", end="14:00").desks[0].open[4:8]
        (7, 7, 10, 10)
        """
        from waitlab.sim._schedule import with_desks

        return with_desks(self, group, counts, change=change, start=start, end=end, name=name)

    def desk_hours(self, group: str | None = None) -> float:
        """Scheduled desk time in hours (desks open x interval length, summed), of `group` or of all; KPI ``desk_hours``."""
        from waitlab.sim._schedule import desk_hours

        return desk_hours(self, group)

    def queue_index(self, name: str) -> int:
        """Position of the queue called `name`; ScenarioError listing the queues if there is none."""
        for i, q in enumerate(self.queues):
            if q.name == name:
                return i
        raise ScenarioError(f"no queue {name!r} in scenario {self.name!r}; "
                            f"its queues are {', '.join(q.name for q in self.queues)}.")


def _fail(sc: Scenario, where: str, problem: str, fix: str) -> ScenarioError:
    return ScenarioError(f"{sc.source}: {where}: {problem}; {fix}.")


def _interval_width(sc: Scenario) -> Any:
    """`sc.interval` in seconds: numbers as they are (checked by :func:`_validate`), lengths read."""
    value: Any = sc.interval
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    try:
        return parse_width(value, "interval")
    except ArgumentError as exc:
        raise ScenarioError(f"{sc.source}: [scenario]: {exc}") from None


def _validate(sc: Scenario) -> None:
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
    if not (0.0 <= q.priority_share <= 1.0):
        raise _fail(sc, f"{where}, key `priority_share`", f"got {q.priority_share!r}",
                    "give the share of priority tickets between 0 and 1")
    if not (0.0 <= q.no_show < 1.0):
        raise _fail(sc, f"{where}, key `no_show`", f"got {q.no_show!r}",
                    "give the probability of being absent when called, in [0, 1)")
    if q.no_show > 0 and sc.channel == "phone":
        raise _fail(sc, f"{where}, key `no_show`", "phone calls cannot be no-shows",
                    "set no_show = 0, or channel = \"kiosk\"")


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
