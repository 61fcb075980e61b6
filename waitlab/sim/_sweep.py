"""Many scenarios x replications, on a dask.distributed cluster or a local process pool."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from waitlab._extras import require
from waitlab._random import RNG, root_seed
from waitlab.compliance import Seats
from waitlab.exceptions import ArgumentError
from waitlab.sim._day import choose_engine
from waitlab.sim._run import RunResult, _execute, seed_sequences, summarise
from waitlab.sim._scenario import Scenario

__all__ = ["SweepResult", "dask_executor", "sweep"]

Executor = Callable[[Callable[[tuple[Any, ...]], dict[str, float]], list[tuple[Any, ...]]], Iterable[dict[str, float]]]


def dask_executor(scheduler: str | Any) -> Executor:
    """An executor for :func:`waitlab.sim.run` that runs the days on a dask.distributed cluster.

    Parameters
    ----------
    scheduler : str or dask.distributed.Client
        Scheduler address (``"tcp://host:8786"``) or an existing client. Workers need waitlab
        installed (the same version).

    Returns
    -------
    callable
        ``executor(func, tasks)`` yielding results in task order.

    Raises
    ------
    MissingExtraError
        If dask.distributed is not installed (it comes with ``waitlab[cluster]``).
    """
    Client = require("dask.distributed", "cluster", "running simulations on a dask cluster").Client

    def execute(func: Callable[[tuple[Any, ...]], dict[str, float]], tasks: list[tuple[Any, ...]]) -> Iterator[dict[str, float]]:
        own = not isinstance(scheduler, Client)
        client: Any = Client(scheduler, set_as_default=False) if own else scheduler
        try:
            futures = client.map(func, tasks, pure=False)
            for fut in futures:
                yield fut.result()
        finally:
            if own:
                client.close()

    return execute


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Replications of several scenarios.

    Attributes
    ----------
    runs : list of RunResult
        One per scenario, in the order given (each equal to ``run(scenario, replications,
        rng=seed)`` for the root seed ``seed`` of the sweep: the same seed gives every
        scenario the same customers, common random numbers that make differences between
        scenarios sharper).
    summary : DataFrame
        One row per scenario and KPI: ``scenario``, ``kpi``, ``mean``, ``ci_low``, ``ci_high``.
    """

    runs: list[RunResult]
    summary: pd.DataFrame

    def wide(self, stat: str = "mean") -> pd.DataFrame:
        """KPIs as rows, scenarios as columns (`stat` is ``mean``, ``ci_low`` or ``ci_high``)."""
        return self.summary.pivot(index="kpi", columns="scenario", values=stat).loc[
            self.runs[0].summary.index, [r.scenario.name for r in self.runs]]


def sweep(
    scenarios: Sequence[Scenario | str | Path],
    replications: int = 30,
    rng: RNG = None,
    *,
    scheduler: str | Any | None = None,
    engine: str = "auto",
    processes: int | None = None,
    rules: Any = None,
    seats: Seats = None,
    sl_threshold: float = 20.0,
    progress: bool = False,
) -> SweepResult:
    """Run every scenario for `replications` days.

    Parameters
    ----------
    scenarios : sequence of Scenario or path
        Scenario names must be distinct (they label the results).
    replications, rng, engine, rules, seats, sl_threshold, progress
        As in :func:`waitlab.sim.run`; every scenario uses the same root seed (drawn once
        from `rng`).
    scheduler : str, dask.distributed.Client or None
        Run the scenarios x replications tasks on this dask cluster; None uses a local
        process pool of `processes` workers.

    Returns
    -------
    SweepResult
    """
    scs = [s if isinstance(s, Scenario) else Scenario.from_toml(s) for s in scenarios]
    if not scs:
        raise ArgumentError("`scenarios` is empty; give at least one scenario.")
    names = [s.name for s in scs]
    if len(set(names)) != len(names):
        raise ArgumentError(f"scenario names must be distinct to label the results, got {names}; "
                         "set `name` in each [scenario] table.")
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ArgumentError(f"`replications` must be an integer >= 1, got {replications!r}.")
    if rules is not None:
        from waitlab.compliance import load_rules

        rules = load_rules(rules)
    root = root_seed(rng)
    seeds = seed_sequences(root, replications)
    engines = [choose_engine(s, engine) for s in scs]
    tasks = [(s, ss, e, sl_threshold, rules, seats) for s, e in zip(scs, engines, strict=True) for ss in seeds]
    executor = dask_executor(scheduler) if scheduler is not None else None
    results = _execute(tasks, executor, processes, progress, "sweep")
    runs = []
    for i, (s, e) in enumerate(zip(scs, engines, strict=True)):
        chunk = results[i * replications:(i + 1) * replications]
        runs.append(summarise(s, chunk, seed=root, engine=e, rules=rules, seats=seats,
                              sl_threshold=sl_threshold))
    rows = []
    for r in runs:
        for kpi, row in r.summary.iterrows():
            rows.append({"scenario": r.scenario.name, "kpi": kpi, "mean": row["mean"],
                         "ci_low": row["ci_low"], "ci_high": row["ci_high"]})
    return SweepResult(runs=runs, summary=pd.DataFrame(rows))
