"""Cached wrappers around :mod:`waitlab.sim` for the What-if page.

A scenario travels as ``(toml, _scenario)``: its TOML text (:meth:`waitlab.sim.Scenario.to_toml`)
is the cache key and the object itself is not hashed, like ``(key, _contacts)`` in ``_data.py``.

Replications run in this process (``processes=1``). A process pool has to start, import
waitlab and receive the scenario before it simulates anything; on a branch day at 100
replications that costs more than it saves on a small machine (measured on 2 cores: 3.8 s
in-process against 11 s with a warm pool of 2 workers). Baseline and what-if use the same
seed, so day ``i`` of both draws the same customers (common random numbers) and their
difference is measured with far less noise than either alone.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

if TYPE_CHECKING:
    from waitlab import Seats


@st.cache_resource(show_spinner=False)
def _simulated_once() -> dict[str, bool]:
    return {"done": False}


def first_simulation() -> bool:
    """True until this server has finished a simulation: the first one loads (or, right after
    installing, compiles) the fast engine; ``make dashboard`` compiles it before the server starts."""
    return not _simulated_once()["done"]


def simulated() -> None:
    """Record that this server has run a simulation."""
    _simulated_once()["done"] = True


@dataclass(frozen=True)
class SimRun:
    """Replications of one scenario, as the What-if page shows them."""

    engine: str
    replications: int
    seed: int
    summary: pd.DataFrame  # one row per KPI: mean, std, ci_low, ci_high, n
    result: Any  # the waitlab.sim.RunResult (for waitlab.sim.compare)
    breach_probability: pd.DataFrame  # one row per rule limit: probability, ci_low, ci_high
    by_interval: pd.DataFrame  # interval_start (naive local time), mean, ci_low, ci_high of the mean wait
    seconds: float  # wall time of the run, the interval waits included


@st.cache_data(show_spinner=False, max_entries=16)
def baseline(key: str, _contacts: pd.DataFrame, date: dt.date, interval: str) -> tuple[Any, str]:
    """The day `date` of the log as a scenario (:meth:`waitlab.sim.Scenario.from_log`; notes in ``.notes``) and its TOML."""
    from waitlab.sim import Scenario

    scenario = Scenario.from_log(_contacts, date=date, interval=interval)
    return scenario, scenario.to_toml()


def schedule(scenario: Any) -> pd.DataFrame:
    """Desks open per group (columns) and interval (rows, ``time`` = ``"HH:MM"``)."""
    table = pd.DataFrame({g.name: pd.Series(g.open, dtype="int64") for g in scenario.desks})
    table.insert(0, "time", pd.Series(scenario.interval_labels(), dtype="string"))
    return table


def engine(scenario: Any) -> str:
    """The engine :func:`waitlab.sim.run` will use (``"fast"`` or ``"simpy"``)."""
    from waitlab.sim import choose_engine

    return choose_engine(scenario)


def _interval_waits(result: Any) -> pd.DataFrame:
    """Mean wait of the customers arriving in each interval, with its 95 % band over the replications."""
    sc = result.scenario
    waits = result.by_interval[result.by_interval["kpi"] == "wait_mean"].sort_values("interval")
    starts = sc.origin.tz_localize(None) + pd.to_timedelta(sc.boundaries, unit="s")
    return pd.DataFrame({
        "interval_start": starts[waits["interval"].to_numpy()],
        "mean": waits["mean"].to_numpy(),
        "ci_low": waits["ci_low"].to_numpy(),
        "ci_high": waits["ci_high"].to_numpy(),
    })


@st.cache_data(show_spinner=False, max_entries=16)
def simulate(
    toml: str, _scenario: Any, replications: int, rng: int, rules: str | None, seats: Seats,
    sl_threshold: float,
) -> SimRun:
    """:func:`waitlab.sim.run` in this process, plus the mean wait by interval."""
    from waitlab.sim import run

    t0 = time.perf_counter()
    result = run(_scenario, replications, rng=rng, processes=1, rules=rules, seats=seats, sl_threshold=sl_threshold,
                 by_interval=("wait_mean",))
    bands = _interval_waits(result)
    out = SimRun(
        engine=result.engine, replications=result.replications, seed=result.seed, summary=result.summary,
        result=result, breach_probability=result.breach_probability,
        by_interval=bands, seconds=time.perf_counter() - t0,
    )
    return out
