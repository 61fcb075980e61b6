"""One simulated day: pick an engine, run it, and turn the outcome into a contacts table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from waitlab.exceptions import ArgumentError
from waitlab.schema import coerce_contacts
from waitlab.sim._draws import Draws, draw
from waitlab.sim._outcome import ABANDONED, CODES, NO_SHOW, DayArrays
from waitlab.sim._scenario import Scenario

__all__ = ["ENGINES", "SimulatedDay", "choose_engine", "simulate_day", "stack_contacts", "to_contacts"]

ENGINES = ("auto", "simpy", "fast")


def choose_engine(scenario: Scenario, engine: str = "auto", draws: Draws | None = None) -> str:
    """Resolve `engine` to ``"simpy"`` or ``"fast"`` for `scenario`.

    ``"auto"`` is the fast (numba) engine, which runs every scenario: priority tickets, desk
    groups serving several queues, schedules, patience and no-shows. The SimPy engine is the
    readable reference; both give identical outcomes on the same draws.

    Raises
    ------
    ArgumentError
        If `engine` is unknown.
    """
    if engine not in ENGINES:
        raise ArgumentError(f"`engine` must be one of {', '.join(ENGINES)}, got {engine!r}.")
    return "fast" if engine == "auto" else engine


@dataclass(frozen=True, eq=False)
class SimulatedDay:
    """A simulated day: its scenario, its random inputs and what happened.

    Attributes
    ----------
    scenario : Scenario
    draws : Draws
        The random inputs (same order as the contacts).
    arrays : DayArrays
        Outcome arrays (seconds after the day start).
    engine : str
        ``"simpy"`` or ``"fast"``.
    """

    scenario: Scenario
    draws: Draws
    arrays: DayArrays
    engine: str
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def contacts(self) -> pd.DataFrame:
        """The day as a contacts table in the canonical schema (built once, then cached)."""
        if "contacts" not in self._cache:
            self._cache["contacts"] = to_contacts(self.scenario, self.draws, self.arrays)
        return self._cache["contacts"]

    @property
    def waits(self) -> np.ndarray:
        """Wait of each customer (in the order of the draws), seconds.

        From arrival until called (served, or a kiosk no-show found missing when called) or, for a
        customer who abandoned (phone, or a visible kiosk leaver), until leaving; NaN for a customer
        neither called nor seen leaving.
        """
        a = self.arrays
        return np.where(np.isnan(a.called), a.ended, a.called) - self.draws.arrival

    @property
    def left_unserved(self) -> np.ndarray:
        """True for each customer who left without service (``abandoned`` or ``no_show``)."""
        return np.isin(self.arrays.outcome, (ABANDONED, NO_SHOW))

    def standing(self, seats: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """Standing and seated seconds of each customer (in the order of the draws), NaN off the waiting room.

        The seat sweep of :func:`waitlab.compliance.standing_times` with `seats` (one count, a
        mapping site -> count, or None: unknown, all waiting is standing), computed from the
        arrays: equal to ``standing_times(day.contacts, seats)`` (tested) without building the table.
        """
        from waitlab.sim._fast_kpis import _stack
        from waitlab.sim._fast_seats import fast_standing

        return fast_standing([self], _stack([self]), seats)

    def kpis(self, sl_threshold: float = 20.0) -> dict[str, float]:
        """Day KPIs (see :func:`waitlab.sim.day_kpis`)."""
        from waitlab.sim._kpis import day_kpis

        return day_kpis(self, sl_threshold=sl_threshold)


def simulate_day(
    scenario: Scenario,
    rng: np.random.Generator | int | None = None,
    *,
    draws: Draws | None = None,
    engine: str = "auto",
) -> SimulatedDay:
    """Simulate one day of `scenario`.

    Parameters
    ----------
    scenario : Scenario
    rng : numpy.random.Generator, int or None
        Seeds the draws (ignored when `draws` is given).
    draws : Draws, optional
        Pre-drawn inputs, e.g. a hand-made day or the same draws run through both engines.
    engine : {"auto", "simpy", "fast"}
        See :func:`choose_engine`.

    Returns
    -------
    SimulatedDay
        ``.contacts`` is the canonical contacts table.

    Examples
    --------
    >>> from waitlab.sim import Scenario, example_path
    >>> day = simulate_day(Scenario.from_toml(example_path("mmc")), rng=1)
    >>> day.contacts["outcome"].isin(["served", "abandoned"]).all()
    np.True_
    """
    if draws is None:
        draws = draw(scenario, rng)
    else:
        draws.check(scenario)
    name = choose_engine(scenario, engine, draws)
    if name == "fast":
        from waitlab.sim._engine_fast import run_fast

        arrays = run_fast(scenario, draws)
    else:
        from waitlab.sim._engine_simpy import run_simpy

        arrays = run_simpy(scenario, draws)
    return SimulatedDay(scenario, draws, arrays, name)


def _stamps(origin: pd.Timestamp, seconds: np.ndarray) -> pd.Series:
    ns = np.round(seconds * 1e9)
    td = pd.to_timedelta(np.where(np.isnan(ns), np.nan, ns), unit="ns")
    return pd.Series(origin + td)


def to_contacts(scenario: Scenario, draws: Draws, arrays: DayArrays, prefix: str = "") -> pd.DataFrame:
    """Build the canonical contacts table of a simulated day.

    ``contact_id`` is ``<prefix><n>`` in arrival order; kiosk tickets are numbered per queue
    (first letter of the queue and a running number, e.g. ``C012``); ``server`` is the desk
    name (``"<group>-<j>"``); timestamps are the scenario date and timezone.
    """
    return coerce_contacts(_raw_contacts(scenario, draws, arrays, prefix), tz=scenario.timezone)


def stack_contacts(days: list[SimulatedDay], key: str = "replication") -> pd.DataFrame:
    """Contacts of several days of one scenario in one table, with the day's index in `key`.

    Row for row equal to ``to_contacts(..., prefix=f"r{k}-")`` of each day ``k`` (so ids stay
    unique), built as numpy columns day by day and turned into one table, converted to the
    canonical dtypes once rather than once a day.
    """
    if not days:
        raise ArgumentError("`days` is empty; give at least one simulated day.")
    origin = days[0].scenario.origin
    if any(d.scenario.origin != origin for d in days):  # days of different dates: one frame each
        frames = [_raw_contacts(d.scenario, d.draws, d.arrays, f"r{k}-").assign(**{key: k})
                  for k, d in enumerate(days)]
        return coerce_contacts(pd.concat(frames, ignore_index=True), tz=days[0].scenario.timezone)
    parts = [_columns(d.scenario, d.draws, d.arrays, f"r{k}-") for k, d in enumerate(days)]
    cols = {c: np.concatenate([p[c] for p in parts]) for c in parts[0]}
    frame = _frame(origin, cols)
    frame[key] = np.repeat(np.arange(len(days)), [len(d.draws) for d in days])
    return coerce_contacts(frame, tz=days[0].scenario.timezone)


def _raw_contacts(scenario: Scenario, draws: Draws, arrays: DayArrays, prefix: str) -> pd.DataFrame:
    """The columns of :func:`to_contacts` before their conversion to the canonical dtypes."""
    return _frame(scenario.origin, _columns(scenario, draws, arrays, prefix))


_TIMES = ("arrived_at", "called_at", "started_at", "ended_at")


def _columns(scenario: Scenario, draws: Draws, arrays: DayArrays, prefix: str) -> dict[str, np.ndarray]:
    """The contacts columns of one day as numpy arrays, times still in seconds after the day start."""
    n = len(draws)
    qnames = np.array([q.name for q in scenario.queues], dtype=object)
    width = max(len(str(n)), 1)
    ids = np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), width)).astype(object) \
        if n else np.array([], dtype=object)
    tickets = np.full(n, None, dtype=object)
    if scenario.channel == "kiosk" and n:
        seq = np.zeros(n, dtype=np.int64)
        for qi in range(len(scenario.queues)):
            mask = draws.queue == qi
            seq[mask] = np.arange(1, int(mask.sum()) + 1)
        letters = np.array([(q.name[:1] or "T").upper() for q in scenario.queues], dtype=object)
        tickets = letters[draws.queue] + np.char.zfill(seq.astype(str), 3).astype(object)
    desk_names = np.array(list(scenario.desk_names) + [None], dtype=object)
    return {
        "contact_id": ids,
        "site": np.full(n, scenario.site, dtype=object),
        "queue": qnames[draws.queue] if n else np.array([], dtype=object),
        "channel": np.full(n, scenario.channel, dtype=object),
        "ticket": tickets,
        "priority": draws.priority,
        "arrived_at": draws.arrival,
        "called_at": arrays.called,
        "started_at": arrays.started,
        "ended_at": arrays.ended,
        "outcome": np.array(CODES, dtype=object)[arrays.outcome],
        "server": desk_names[np.where(arrays.server >= 0, arrays.server, len(scenario.desk_names))],
    }


def _frame(origin: pd.Timestamp, cols: dict[str, np.ndarray]) -> pd.DataFrame:
    """The contacts table of :func:`_columns`' arrays, seconds turned into timestamps from `origin`."""
    return pd.DataFrame({c: _stamps(origin, v) if c in _TIMES else v for c, v in cols.items()})
