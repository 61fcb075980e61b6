"""Simulation of a site's day: scenarios, a SimPy engine, a numba fast engine, replications.

Contents
--------
Scenario, QueueSpec, DeskGroup, Distribution
    A day of queues and desk schedules, read from TOML (``Scenario.from_toml``), built from a
    log (``Scenario.from_log``) or in code; validated before anything runs. Schedule edits:
    ``Scenario.with_desks``; scheduled desk time: ``Scenario.desk_hours``.
draw, Draws
    All the randomness of a day, drawn up front from a ``numpy.random.Generator``.
simulate_day, SimulatedDay
    One day through the SimPy engine or the fast engine (identical outcomes); ``.contacts``
    is the canonical contacts table.
run, RunResult
    Independent replications (``SeedSequence.spawn``) in parallel processes: every KPI with
    a 95 % confidence interval, and the probability that a day breaches each rule.
sweep, SweepResult, dask_executor
    Scenarios x replications on a dask.distributed cluster (or a local process pool).
compare, Comparison
    Two runs with the same seed compared day by day: per-KPI mean difference with a
    Student-t interval over the paired replications.
day_kpis
    KPIs of one simulated day (the analytics' KPIs plus simulation-only ones, e.g. ``desk_hours``).
scenario_from_log
    The scenario of one day of one site of a contacts log ("the branch as it is"); the
    assumptions made are its ``notes``.
replay, ReplayResult
    A real day of a log (its arrivals and service times) replayed against another desk
    schedule; KPIs and breaches as it was and as replayed, side by side.
as_is, AsIsResult
    Does the simulated as-is day reproduce the log? Each logged day beside the mean and the
    2.5-97.5 % spread of its simulated days, per interval and per day, with the error a model
    exactly right would still make (``waitlab asis``).
as_is_simulator, AsIsSimulator
    The simulator as the third model of :func:`waitlab.backtest` (``simulate=``): replications
    of each test day as it was, service and patience fitted on the training period.
warm_up
    Compile the fast engine's kernels now (numba caches them on disk): a long-lived process
    pays the first-run compile before anyone waits for a simulation.
example_path
    Path of a bundled example scenario (``"branch"``, ``"mmc"``).
"""

from __future__ import annotations

from pathlib import Path

from waitlab.exceptions import ArgumentError
from waitlab.sim._as_is import AsIsResult, as_is
from waitlab.sim._backtest_sim import AsIsSimulator, as_is_simulator
from waitlab.sim._compare import Comparison, compare
from waitlab.sim._day import SimulatedDay, choose_engine, simulate_day
from waitlab.sim._distributions import Distribution
from waitlab.sim._draws import Draws, draw
from waitlab.sim._from_log import scenario_from_log
from waitlab.sim._kpis import day_kpis
from waitlab.sim._outcome import DayArrays
from waitlab.sim._replay import ReplayResult, replay
from waitlab.sim._run import RunResult, run
from waitlab.sim._scenario import DeskGroup, QueueSpec, Scenario
from waitlab.sim._sweep import SweepResult, dask_executor, sweep
from waitlab.sim._warm import warm_up

__all__ = [
    "AsIsResult",
    "AsIsSimulator",
    "Comparison",
    "DayArrays",
    "DeskGroup",
    "Distribution",
    "Draws",
    "QueueSpec",
    "ReplayResult",
    "RunResult",
    "Scenario",
    "SimulatedDay",
    "SweepResult",
    "as_is",
    "as_is_simulator",
    "choose_engine",
    "compare",
    "dask_executor",
    "day_kpis",
    "draw",
    "example_path",
    "replay",
    "run",
    "scenario_from_log",
    "simulate_day",
    "sweep",
    "warm_up",
]


def example_path(name: str) -> Path:
    """Path of the bundled example scenario `name` (``"branch"``, ``"branch12h"`` or ``"mmc"``)."""
    path = Path(__file__).parent / "examples" / f"{name}.toml"
    if not path.exists():
        names = sorted(p.stem for p in path.parent.glob("*.toml"))
        raise ArgumentError(f"`name` must be one of {', '.join(names)}, got {name!r}.")
    return path
