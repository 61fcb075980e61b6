"""The scenario: one site's day of queues, desks and schedules, checked before anything runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from waitlab._clock import clock, end_seconds, seconds_of_time
from waitlab.exceptions import ScenarioError
from waitlab.schema import DEFAULT_TZ
from waitlab.sim._distributions import Distribution
from waitlab.sim._validate import interval_width, validate

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
        customer leaves unseen and is found missing when called (``no_show``), or leaves
        visibly (see `visible_abandon`).
    priority_share : float
        Share of customers holding a priority ticket (priority 1), in [0, 1].
    no_show : float
        Probability a kiosk customer is absent when called whatever the wait, in [0, 1).
    service_scale : tuple of float, optional
        One factor (> 0) per interval of the day multiplying the service time of the
        customers who arrive in it (service is slower at some hours); empty means 1.
    visible_abandon : float
        Kiosk only: share of the customers, in [0, 1], who leave *visibly* when their patience
        runs out (``abandoned`` at ``arrival + patience``, never called, no desk time), as a
        kiosk log records when a ticket is cancelled; the others leave unseen and are
        ``no_show`` when called. 0 (default) keeps every impatient kiosk customer a no-show.
    """

    name: str
    service: Distribution
    rates_per_hour: tuple[float, ...] = ()
    arrival_times: tuple[float, ...] | None = None
    patience: Distribution | None = None
    priority_share: float = 0.0
    no_show: float = 0.0
    service_scale: tuple[float, ...] = ()
    visible_abandon: float = 0.0


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
        (the doors close, the branch empties). An `end` of ``00:00`` is midnight, the end of the
        day (``"24:00"`` in scenario TOML).
    interval : float, str or Timedelta, default 1800.0 (30 min)
        Length of a schedule interval: seconds, or a length such as ``"30min"`` or a
        Timedelta (read as :func:`waitlab.parse_interval` reads it); stored as seconds
        (a float). It must divide the opening hours exactly.
    timezone : str
        IANA timezone of the site (default Buenos Aires).
    channel : {"kiosk", "phone"}
        Written to the ``channel`` column; decides whether impatient customers are seen
        leaving (phone: ``abandoned``) or found missing when called (kiosk: ``no_show``, unless
        they leave visibly: :attr:`QueueSpec.visible_abandon`).
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
        object.__setattr__(self, "interval", interval_width(self))
        object.__setattr__(self, "queues", tuple(self.queues))
        object.__setattr__(self, "notes", tuple(str(n) for n in self.notes))
        object.__setattr__(self, "desks", tuple(self.desks))
        if not self.name:
            object.__setattr__(self, "name", self.site)
        validate(self)

    # -- geometry of the day --------------------------------------------------------------
    @property
    def horizon(self) -> float:
        """Length of the opening hours, seconds (an `end` of 00:00 is midnight, the end of the day)."""
        return end_seconds(self.end) - seconds_of_time(self.start)

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
