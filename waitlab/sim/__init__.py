"""Simulation of a site's day: scenarios, a SimPy engine, a numba fast engine, replications.

Contents
--------
Scenario, QueueSpec, DeskGroup, Distribution
    A day of queues and desk schedules, read from TOML (``Scenario.from_toml``), built from a
    log (``Scenario.from_log``) or in code; validated before anything runs.
draw, Draws
    All the randomness of a day, drawn up front from a ``numpy.random.Generator``.
simulate_day, SimulatedDay
    One day through the SimPy engine or the fast engine (identical outcomes); ``.contacts``
    is the canonical contacts table.
example_path
    Path of a bundled example scenario (``"branch"``, ``"mmc"``).
"""

from __future__ import annotations

from pathlib import Path

from waitlab.sim._day import SimulatedDay, choose_engine, simulate_day
from waitlab.sim._distributions import Distribution
from waitlab.sim._draws import Draws, draw
from waitlab.sim._outcome import DayArrays
from waitlab.sim._scenario import DeskGroup, QueueSpec, Scenario

__all__ = [
    "DayArrays",
    "DeskGroup",
    "Distribution",
    "Draws",
    "QueueSpec",
    "Scenario",
    "SimulatedDay",
    "choose_engine",
    "draw",
    "example_path",
    "simulate_day",
]


def example_path(name: str) -> Path:
    """Path of the bundled example scenario `name` (``"branch"`` or ``"mmc"``)."""
    path = Path(__file__).parent / "examples" / f"{name}.toml"
    if not path.exists():
        names = sorted(p.stem for p in path.parent.glob("*.toml"))
        raise ValueError(f"`name` must be one of {', '.join(names)}, got {name!r}.")
    return path
