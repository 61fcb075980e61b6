"""The whole planning run for a scenario: targets, SIPP start, iterative plan, roster, cost curve."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from waitlab._random import RNG, root_seed
from waitlab.compliance import Seats
from waitlab.planning._curve import CostCurve, cost_curve
from waitlab.planning._errors import RosterInfeasibleError
from waitlab.planning._roster import Roster, solve_roster
from waitlab.planning._simeval import scenario_evaluator, scenario_sipp_plan
from waitlab.planning._staffing import StaffingPlan, plan_staffing
from waitlab.planning._targets import Target, targets_from_rules
from waitlab.planning._templates import ShiftTemplates, load_shifts
from waitlab.sim import Scenario

__all__ = ["PlanResult", "plan_scenario"]


@dataclass(frozen=True)
class PlanResult:
    """Everything :func:`plan_scenario` produced.

    Attributes
    ----------
    scenario : Scenario
    group : str
        The desk group planned.
    rules : str
        Rule set name or path the targets came from ("" when targets were given).
    targets : tuple of Target
    sipp : ndarray of int
        The stationary Erlang plan the search started from.
    plan : StaffingPlan
        The iterative plan, with verified figures and the iteration log.
    roster : Roster or None
        Cheapest roster covering the plan (None without shift templates).
    roster_error : str
        Why no roster could be built ("" when it was, or when no templates were given).
    curve : CostCurve or None
        The cost and benefit curve (None when not asked for).
    replications : int
    seed : int
        The root seed the run used (a recorded value, not a parameter: pass it back as
        ``plan_scenario(..., rng=result.seed)`` to repeat the run).
    engine : str
    seats : Seats
    customers_simulated : int
        Simulated customers over the whole run.
    seconds : dict of str to float
        Wall time of each stage: ``plan``, ``roster``, ``curve``.
    simulation_seconds : float
        Of that, the time spent drawing and simulating days (the rest is judging targets,
        the search itself and the roster solver).
    """

    scenario: Scenario
    group: str
    rules: str
    targets: tuple[Target, ...]
    sipp: np.ndarray
    plan: StaffingPlan
    roster: Roster | None
    roster_error: str
    curve: CostCurve | None
    replications: int
    seed: int
    engine: str
    seats: Seats
    customers_simulated: int
    seconds: dict[str, float] = field(default_factory=dict)
    simulation_seconds: float = 0.0

    @property
    def planned(self) -> Scenario:
        """The scenario with the planned group open as planned."""
        return self.scenario.with_desks(self.group, self.plan.desks.tolist())

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python summary of the group's plan (an entry of ``waitlab plan --json``'s ``groups``).

        Keys: ``group``, ``engine``, ``desk_hours`` and ``sipp_desk_hours`` (scheduled desk time
        of the plan and of the SIPP start, :meth:`waitlab.sim.Scenario.desk_hours`), ``converged``,
        ``message``, ``simulations``, ``desks`` (runs of intervals with their plan and SIPP
        counts), ``figures`` (each target at its worst interval, with the 95 % CI), ``roster``
        (cost, staff, paid hours, over-coverage) or ``roster_error``, ``abandon_rate`` and
        ``curve_points`` when the curve was computed, ``customers_simulated``, ``seconds``.
        """
        from waitlab.planning._summary import group_summary

        return group_summary(self)

    def __str__(self) -> str:
        from waitlab.planning._summary import group_lines, head_line

        head = {"scenario": self.scenario.name, "source": str(self.scenario.source), "rules": self.rules,
                "replications": self.replications}
        return "\n".join([head_line(head), "", *group_lines(self.to_dict())])


def plan_scenario(scenario: Scenario | str | Path, *, rules: str | Path = "CABA",
                  targets: list[Target] | None = None, shifts: ShiftTemplates | str | Path | None = None,
                  replications: int = 200, rng: RNG = None, group: str | None = None,
                  engine: str = "auto", seats: Seats = None, max_share: float = 0.05,
                  max_day_prob: float = 0.01, max_iterations: int = 200, curve: bool = True,
                  initial: np.ndarray | None = None, progress: Callable[[str], None] | None = None) -> PlanResult:
    """Plan a scenario's desks to a rule set, roster them, and price the alternatives.

    Parameters
    ----------
    scenario : Scenario, str or Path
        The day to plan (a TOML path is read with ``Scenario.from_toml``).
    rules : str or Path
        Rule set for the targets (see :func:`targets_from_rules`); ignored when `targets` is given.
    targets : list of Target, optional
        Explicit targets instead of a rule set.
    shifts : ShiftTemplates, str, Path or None
        Shift templates for the roster (and the ``cost`` column of the curve).
    replications : int
        Simulated days per evaluation.
    rng : numpy.random.Generator, int, SeedSequence or None
        Randomness of everything in the run (scipy's convention: a seed repeats the run,
        None draws fresh entropy, a Generator gives a root seed drawn from it); the root seed
        is reported as ``result.seed``.
    group : str, optional
        Desk group to plan (default: the scenario's only group).
    engine : {"auto", "fast", "simpy"}
        Simulation engine.
    seats : int or None
        Waiting-room seats (standing time); None: every second of waiting is standing.
    max_share, max_day_prob : float
        See :func:`targets_from_rules`.
    max_iterations : int
        Search budget of :func:`plan_staffing`.
    curve : bool
        Also compute the cost and benefit curve.
    initial : array_like of int, optional
        Plan the search starts from (default: the SIPP plan, which is computed and reported either way).
    progress : callable, optional
        Called with one line of text as the run advances.

    Returns
    -------
    PlanResult

    Raises
    ------
    RosterInfeasibleError
        Before any simulation, when the shift templates cannot staff even one desk in every
        interval (the message names the intervals); a roster that fails only for the final plan
        is reported in ``PlanResult.roster_error`` instead, so the plan is not lost.
    PlanningError, ScenarioError, RuleError
        For invalid inputs (the message names the problem).
    """
    sc = scenario if isinstance(scenario, Scenario) else Scenario.from_toml(scenario)
    tg = tuple(targets) if targets else tuple(targets_from_rules(rules, max_share=max_share,
                                                                max_day_prob=max_day_prob))
    templates = shifts if (shifts is None or isinstance(shifts, ShiftTemplates)) else load_shifts(shifts)
    ev = scenario_evaluator(sc, replications, group=group, engine=engine, seats=seats)
    if templates is not None:  # fail before simulating when the templates cannot even staff one desk all day
        solve_roster(np.ones(ev.n_intervals, dtype=np.int64), templates, interval=ev.interval,
                     day_start=ev.day_start, time_limit=20.0)
    seed = root_seed(rng)
    seeds = np.random.SeedSequence(seed)
    plan_seed, curve_seed = (int(s.generate_state(1, np.uint32)[0]) for s in seeds.spawn(2))
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    sipp = scenario_sipp_plan(sc, tg, group=ev.group)
    start = sipp if initial is None else np.asarray(initial, dtype=np.int64)
    plan = plan_staffing(ev, start, tg, interval=ev.interval, day_start=ev.day_start, rng=plan_seed,
                         max_iterations=max_iterations, progress=progress)
    times["plan"] = time.perf_counter() - t0

    roster, roster_error = None, ""
    t0 = time.perf_counter()
    if templates is not None:
        try:
            roster = solve_roster(plan.desks, templates, interval=ev.interval, day_start=ev.day_start)
        except RosterInfeasibleError as exc:
            roster_error = str(exc)
    times["roster"] = time.perf_counter() - t0

    cc = None
    if curve:
        t0 = time.perf_counter()
        price = None
        if templates is not None:
            def price(desks: np.ndarray) -> float:
                return solve_roster(desks, templates, interval=ev.interval, day_start=ev.day_start,
                                    time_limit=20.0).cost

        cc = cost_curve(ev, plan.desks, tg, interval=ev.interval, rng=curve_seed, cost=price,
                        extra_plans={"sipp": sipp}, progress=progress)
        times["curve"] = time.perf_counter() - t0
    return PlanResult(scenario=sc, group=ev.group, rules="" if targets else str(rules), targets=tg, sipp=sipp,
                      plan=plan, roster=roster, roster_error=roster_error, curve=cc, replications=replications,
                      seed=seed, engine=ev.engine, seats=seats, customers_simulated=ev.customers_simulated,
                      seconds=times, simulation_seconds=ev.seconds)
