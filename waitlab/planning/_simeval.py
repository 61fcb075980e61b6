"""Plug the simulator into the planner: a scenario becomes an ``evaluate(desks, seed)`` function."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence

import numpy as np

from waitlab._clock import seconds_of_time
from waitlab.compliance import Seats
from waitlab.exceptions import ArgumentError
from waitlab.planning._assess import SimulatedDays
from waitlab.planning._errors import PlanningError
from waitlab.planning._sipp import sipp_plan
from waitlab.planning._targets import Target
from waitlab.sim import Draws, Scenario, choose_engine, draw, simulate_day

__all__ = ["ScenarioEvaluator", "component", "planned_group", "scenario_evaluator", "scenario_sipp_plan"]


def planned_group(scenario: Scenario, group: str | None = None) -> str:
    """Name of the desk group whose schedule the planner sets (the only one, or `group`)."""
    names = [g.name for g in scenario.desks]
    if group is None:
        if len(names) != 1:
            raise PlanningError(f"{scenario.source}: the scenario has {len(names)} desk groups ({', '.join(names)}); "
                                "say which one to plan (`group=` / --group).")
        return names[0]
    if group not in names:
        raise PlanningError(f"{scenario.source}: there is no desk group {group!r}; the groups are "
                            f"{', '.join(names)}.")
    return group


def component(scenario: Scenario, group: str) -> Scenario:
    """The part of `scenario` that desk group `group` interacts with (`scenario` itself when that is all of it).

    Queues and desk groups are linked when a group serves a queue; the connected part holding
    `group` is simulated on its own, since no customer or desk outside it can change what happens
    inside it. Queue order and desk order are kept.
    """
    names = {group}
    queues: set[str] = set()
    while True:
        queues |= {q for g in scenario.desks if g.name in names for q in g.serves}
        more = {g.name for g in scenario.desks if set(g.serves) & queues}
        if more <= names:
            break
        names |= more
    if len(names) == len(scenario.desks) and len(queues) == len(scenario.queues):
        return scenario
    return dataclasses.replace(scenario, queues=tuple(q for q in scenario.queues if q.name in queues),
                               desks=tuple(g for g in scenario.desks if g.name in names))


class ScenarioEvaluator:
    """``evaluate(desks, seed) -> SimulatedDays`` for a simulation scenario.

    Each call simulates `replications` days of the scenario with the planned desk group's
    schedule replaced by `desks`. Day ``r`` of seed ``s`` draws its customers from
    ``SeedSequence(s).spawn(replications)[r]``; the draws do not depend on the desks, so every
    plan evaluated with the same seed meets the same customers (common random numbers), and the
    draws of the last seeds are kept in memory to save drawing them again.

    Parameters
    ----------
    scenario : waitlab.sim.Scenario
        The day to simulate.
    replications : int
        Days per evaluation.
    group : str, optional
        Desk group to plan (default: the scenario's only group).
    engine : {"auto", "fast", "simpy"}
        Simulation engine (see :func:`waitlab.sim.choose_engine`).
    seats : int, mapping or None
        Seats in the waiting room (kiosk scenarios, :data:`waitlab.compliance.Seats`): with a
        count, standing and seated times come from the seat sweep of
        :func:`waitlab.compliance.standing_times` (run on the arrays, :meth:`SimulatedDay.standing`); None counts every second of waiting as standing, as the compliance module
        does when the seat count is unknown. A mapping site -> count is read at the scenario's
        site (it must name it; its value may be None).

    Without a seat count only the planned group's part of the scenario is simulated (see
    :func:`component`: the queues and desk groups linked to it by ``serves``); with one, the
    whole scenario is, because every customer in the branch takes a seat in the same room.

    Attributes
    ----------
    simulated : Scenario
        The scenario actually simulated (`scenario`, or the planned group's part of it).
    customers_simulated : int
        Customers simulated so far, over all calls.
    seconds : float
        Time spent simulating so far (drawing included), seconds.
    n_intervals, interval, day_start : int, float, float
        The scenario's intervals: count, length (seconds) and the opening time (seconds since
        midnight), to pass on to :func:`plan_staffing`.

    Notes
    -----
    A customer's wait runs from arrival until being called (served, or a kiosk no-show found
    missing when called: the compliance reading of a log) or, on the phone, until abandoning;
    a customer never called counts as an infinite wait. Only customers of the queues the
    planned group serves are measured.
    """

    def __init__(self, scenario: Scenario, replications: int, *, group: str | None = None, engine: str = "auto",
                 seats: Seats = None) -> None:
        seats = _site_seats(seats, scenario.site)
        if isinstance(replications, bool) or not isinstance(replications, int | np.integer) or replications < 2:
            raise PlanningError(f"`replications` must be an integer >= 2 (confidence intervals need two days), "
                                f"got {replications!r}.")
        if seats is not None and (isinstance(seats, bool) or not isinstance(seats, int) or seats < 0):
            raise PlanningError(f"`seats` must be an integer >= 0 or None, got {seats!r}.")
        self.scenario = scenario
        self.replications = int(replications)
        self.group = planned_group(scenario, group)
        self.seats = seats
        self.simulated = scenario if seats is not None else component(scenario, self.group)
        self.engine = choose_engine(self.simulated, engine)
        g = next(g for g in scenario.desks if g.name == self.group)
        self.queues = np.array([self.simulated.queue_index(q) for q in g.serves], dtype=np.int64)
        self.n_intervals = int(scenario.n_intervals)
        self.interval = float(scenario.interval)
        self.day_start = seconds_of_time(scenario.start)
        self.customers_simulated = 0
        self.seconds = 0.0
        self._draws: dict[int, list[Draws]] = {}

    def draws(self, seed: int) -> list[Draws]:
        """The days' random inputs for `seed` (cached for the last few seeds)."""
        if seed not in self._draws:
            children = np.random.SeedSequence(seed).spawn(self.replications)
            if len(self._draws) >= 4:
                self._draws.pop(next(iter(self._draws)))
            self._draws[seed] = [draw(self.simulated, np.random.default_rng(c)) for c in children]
        return self._draws[seed]

    def __call__(self, desks: np.ndarray, seed: int) -> SimulatedDays:
        s = np.asarray(desks)
        if s.shape != (self.n_intervals,):
            raise PlanningError(f"the plan has {s.size} interval(s) but the scenario has {self.n_intervals}.")
        t0 = time.perf_counter()
        sc = self.simulated.with_desks(self.group, s.tolist())
        reps, arr, wait, aband, stand, seat = [], [], [], [], [], []
        n_total = 0
        for r, d in enumerate(self.draws(seed)):
            day = simulate_day(sc, draws=d, engine=self.engine)
            n_total += len(d)
            mine = np.isin(d.queue, self.queues)
            w = day.waits
            reps.append(np.full(int(mine.sum()), r, dtype=np.int64))
            arr.append(d.arrival[mine])
            wait.append(np.where(np.isnan(w), np.inf, w)[mine])  # never called: an endless wait
            aband.append(day.left_unserved[mine])
            if self.seats is not None and self.scenario.channel == "kiosk":
                standing, seated = day.standing(self.seats)  # the seat sweep, from the arrays
                stand.append(standing[mine])
                seat.append(seated[mine])
        self.customers_simulated += n_total
        self.seconds += time.perf_counter() - t0
        return SimulatedDays(
            replication=np.concatenate(reps), arrival=np.concatenate(arr), wait=np.concatenate(wait),
            abandoned=np.concatenate(aband), replications=self.replications,
            standing=np.concatenate(stand) if stand else None, seated=np.concatenate(seat) if seat else None,
        )


def _site_seats(seats: Seats, site: str) -> int | None:
    """The seat count of `site` from `seats` (one count, a mapping site -> count, or None).

    A mapping must name `site` (a scenario is one site, so a mapping without it is a mistake,
    not an unknown count); other values pass through unchanged to be validated by the caller.
    """
    if not isinstance(seats, Mapping):
        return seats
    if site not in seats:
        raise ArgumentError(f"`seats` has no entry for the scenario's site {site!r} (it has {sorted(seats)}); "
                            f"add one, e.g. seats={{{site!r}: 20}}, or pass a single count.")
    return seats[site]


def scenario_evaluator(scenario: Scenario, replications: int, *, group: str | None = None, engine: str = "auto",
                       seats: Seats = None) -> ScenarioEvaluator:
    """An ``evaluate(desks, seed)`` for :func:`plan_staffing` from a simulation scenario.

    See :class:`ScenarioEvaluator` for the parameters.
    """
    return ScenarioEvaluator(scenario, replications, group=group, engine=engine, seats=seats)


def scenario_sipp_plan(scenario: Scenario, targets: Sequence[Target], *, group: str | None = None,
                       min_desks: int = 1) -> np.ndarray:
    """The stationary Erlang (SIPP) plan for the planned desk group of a scenario.

    Arrival rates are the group's queues' rates per interval (trace-driven queues: their
    arrivals counted per interval); the mean service time is the arrival-weighted mean of the
    queues' means; the mean patience likewise (Erlang A), or Erlang C when some queue's
    customers never leave.
    """
    name = planned_group(scenario, group)
    sc = scenario
    g = next(g for g in sc.desks if g.name == name)
    n = int(sc.n_intervals)
    interval = float(sc.interval)
    lam_q, svc_q, pat_q = [], [], []
    for qname in g.serves:
        q = sc.queues[sc.queue_index(qname)]
        if q.arrival_times is not None:
            counts = np.bincount(np.floor(np.asarray(q.arrival_times) / interval).astype(np.int64), minlength=n)[:n]
            lam_q.append(counts / interval)
        else:
            lam_q.append(np.asarray(q.rates_per_hour, dtype=float) / 3600.0)
        svc_q.append(q.service.expected)
        pat_q.append(np.inf if q.patience is None else q.patience.expected)
    lam = np.sum(lam_q, axis=0)
    weights = np.array(lam_q)  # (queues, intervals)
    wsum = np.where(lam > 0, lam, 1.0)
    svc = (weights * np.array(svc_q)[:, None]).sum(axis=0) / wsum
    svc = np.where(lam > 0, svc, np.mean(svc_q))
    patience = None
    if all(np.isfinite(p) for p in pat_q):
        pat = (weights * np.array(pat_q)[:, None]).sum(axis=0) / wsum
        patience = np.where(lam > 0, pat, np.mean(pat_q))
    return sipp_plan(lam, svc, list(targets), interval=interval, mean_patience=patience, min_desks=min_desks)
