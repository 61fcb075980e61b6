"""Independent replications of a scenario, in parallel, with 95 % confidence intervals."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from waitlab._ci import _t_quantile, t_interval, wilson
from waitlab._random import RNG, root_seed
from waitlab.compliance import Seats
from waitlab.exceptions import ArgumentError
from waitlab.sim._day import SimulatedDay, choose_engine, simulate_day, stack_contacts
from waitlab.sim._scenario import Scenario

__all__ = ["RunResult", "replicate", "replicate_many", "run", "seed_sequences"]


def seed_sequences(seed: int | np.random.SeedSequence | None, replications: int) -> list[np.random.SeedSequence]:
    """The independent streams of `replications` days: ``SeedSequence(seed).spawn(replications)``."""
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return root.spawn(replications)


def replicate(
    scenario: Scenario,
    seed: np.random.SeedSequence,
    engine: str = "auto",
    sl_threshold: float = 20.0,
    rules: Any = None,
    seats: Seats = None,
) -> dict[str, float]:
    """KPIs (and breaches when `rules` is given) of one day drawn from `seed`."""
    from waitlab.sim._kpis import day_breaches, day_kpis

    day = simulate_day(scenario, np.random.default_rng(seed), engine=engine)
    out = day_kpis(day, sl_threshold=sl_threshold)
    if rules is not None:
        out.update(day_breaches(day.contacts, rules, seats))
    return out


def replicate_many(
    scenario: Scenario,
    seeds: list[np.random.SeedSequence],
    engine: str = "auto",
    sl_threshold: float = 20.0,
    rules: Any = None,
    seats: Seats = None,
    by_interval: tuple[str, ...] = (),
) -> list[dict[str, float]]:
    """:func:`replicate` for several seeds, all the days drawn, simulated, measured and judged together.

    Equal to ``[replicate(scenario, s, ...) for s in seeds]`` (tested) without a contacts table:
    one :class:`~waitlab.sim._fast_batch.DayBatch` (compiled draws and simulation with the fast
    engine), measured and judged from its arrays (:func:`waitlab.sim._fast_kpis.batch_kpis`,
    :func:`~waitlab.sim._fast_kpis.batch_breaches`). Each KPI named in `by_interval` is also
    reported per scenario interval, keys ``"<kpi>[<i>]"`` (:func:`waitlab.analytics.interval_stats`;
    from the arrays for :data:`waitlab.sim._fast_intervals.INTERVAL_KPIS`, else from the contacts).
    """
    from waitlab.compliance import load_rules
    from waitlab.sim._fast_batch import simulate_batch
    from waitlab.sim._fast_intervals import INTERVAL_KPIS, fast_intervals
    from waitlab.sim._fast_kpis import batch_breaches, batch_kpis, stack_batch

    batch = simulate_batch(scenario, seeds, engine=choose_engine(scenario, engine))
    out = batch_kpis(batch, sl_threshold=sl_threshold)
    if rules is not None:
        judged = batch_breaches(batch, load_rules(rules), seats)
        for kpis, breaches in zip(out, judged, strict=True):
            kpis.update(breaches)
    stacked, arrays = None, None
    for kpi in by_interval:  # in the order asked
        if kpi in INTERVAL_KPIS:
            arrays = stack_batch(batch) if arrays is None else arrays
            fast_intervals(out, scenario, arrays, (kpi,), sl_threshold)
        elif batch.n_days:
            stacked = stack_contacts([batch.day(k) for k in range(batch.n_days)]) if stacked is None else stacked
            _add_intervals(out, scenario, stacked, (kpi,), sl_threshold)
    return out


def _add_intervals(out: list[dict[str, float]], scenario: Scenario, stacked: pd.DataFrame,
                   kpis: tuple[str, ...], sl_threshold: float) -> None:
    """Add ``"<kpi>[<i>]"`` for each scenario interval ``i`` to each day's KPIs (NaN where undefined)."""
    from waitlab.analytics import interval_stats
    from waitlab.sim._kpis import SIM_ON_DUTY

    n = scenario.n_intervals
    table = interval_stats(stacked, interval=scenario.interval, by=["replication"],
                           sl_threshold=sl_threshold, on_duty=SIM_ON_DUTY)
    pos = ((table["interval_start"] - scenario.origin).dt.total_seconds() // scenario.interval).to_numpy()
    table = table[(pos >= 0) & (pos < n)].assign(_i=pos[(pos >= 0) & (pos < n)].astype(int))
    for kpi in kpis:
        grid = np.full((len(out), n), np.nan)
        grid[table["replication"].to_numpy(dtype=int), table["_i"].to_numpy()] = table[kpi].to_numpy(dtype=float)
        for k, row in enumerate(out):
            row.update({f"{kpi}[{i}]": float(grid[k, i]) for i in range(n)})


def _replicate_chunk(args: tuple[Any, ...]) -> list[dict[str, float]]:
    return replicate_many(*args)


def _chunks(tasks: list[tuple[Any, ...]], size: int) -> list[tuple[Any, ...]]:
    """Group consecutive tasks of the same scenario and options into chunks of at most `size` seeds."""
    chunks: list[tuple[Any, ...]] = []
    for task in tasks:
        last = chunks[-1] if chunks else None
        same = last is not None and len(last[1]) < size and all(
            a is b for a, b in zip(last[:1] + last[2:], task[:1] + task[2:], strict=True))
        if same:
            last[1].append(task[1])  # type: ignore[index]
        else:
            chunks.append((task[0], [task[1]], *task[2:]))
    return chunks


@dataclass(frozen=True, eq=False)
class RunResult:
    """Replications of one scenario.

    Attributes
    ----------
    scenario : Scenario
    replications : int
    seed : int
        The root seed the run used (a recorded value, not a parameter: pass it back as
        ``run(..., rng=result.seed)`` to repeat the run).
    engine : str
        Engine used (``"simpy"`` or ``"fast"``).
    per_replication : DataFrame
        One row per simulated day (``replication`` from 0), one column per KPI; with rules,
        also ``breaching_share``, ``breaches_<limit>`` and 0/1 ``breached_<limit>`` flags.
    summary : DataFrame
        One row per KPI: ``mean``, ``std``, ``ci_low``, ``ci_high`` (95 % Student-t interval
        of the mean over the replications; NaN with a single replication), ``n``.
    breach_probability : DataFrame
        One row per rule limit (and ``any``): ``probability`` that a day breaches it (the
        share of simulated days that do) with a 95 % Wilson interval ``ci_low``, ``ci_high``.
        Empty without rules.
    rules, seats, sl_threshold
        The compliance options and the service-level threshold (seconds) used.
    by_interval : DataFrame
        KPIs asked for per interval (``run(..., by_interval=...)``): one row per KPI and
        scenario interval, ``kpi``, ``interval`` (from 0), ``interval_start`` (``"HH:MM"``),
        then ``mean``, ``std``, ``ci_low``, ``ci_high`` over the replications and ``n`` (days
        where the interval had a value). Empty when none was asked for.
    """

    scenario: Scenario
    replications: int
    seed: int
    engine: str
    per_replication: pd.DataFrame
    summary: pd.DataFrame
    breach_probability: pd.DataFrame
    rules: Any = None
    seats: Seats = None
    sl_threshold: float = 20.0
    by_interval: pd.DataFrame = field(default_factory=pd.DataFrame)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def day(self, replication: int) -> SimulatedDay:
        """Re-run day `replication` (0-based) from its seed: bit for bit the day measured."""
        if not 0 <= replication < self.replications:
            raise ArgumentError(f"`replication` must be in 0..{self.replications - 1}, got {replication!r}.")
        ss = seed_sequences(self.seed, self.replications)[replication]
        return simulate_day(self.scenario, np.random.default_rng(ss), engine=self.engine)

    def contacts_of(self, replication: int) -> pd.DataFrame:
        """Contacts table of day `replication` (canonical schema)."""
        return self.day(replication).contacts

    @property
    def contacts(self) -> pd.DataFrame:
        """Contacts of every replication, stacked, with a ``replication`` column.

        ``contact_id`` is prefixed ``r<replication>-`` so it stays unique; every day has the
        scenario's date, so group by ``replication`` (not by day) to separate them.
        """
        if "contacts" not in self._cache:
            self._cache["contacts"] = stack_contacts([self.day(r) for r in range(self.replications)])
        return self._cache["contacts"]

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python summary (what ``waitlab simulate --json`` prints)."""
        def clean(x: float) -> float | None:
            return None if x is None or not math.isfinite(x) else float(x)

        return {
            "scenario": self.scenario.name,
            "source": self.scenario.source,
            "replications": self.replications,
            "seed": self.seed,
            "engine": self.engine,
            "sl_threshold_s": self.sl_threshold,
            "rules": None if self.rules is None else getattr(self.rules, "name", str(self.rules)),
            "kpis": {k: {c: clean(row[c]) for c in ("mean", "std", "ci_low", "ci_high")}
                     for k, row in self.summary.iterrows()},
            "breach_probability": {k: {c: clean(row[c]) for c in ("probability", "ci_low", "ci_high")}
                                   for k, row in self.breach_probability.iterrows()},
        }

    def __str__(self) -> str:
        from waitlab.sim._text import format_run

        return format_run(self)


def run(
    scenario: Scenario | str | Path,
    replications: int = 30,
    rng: RNG = None,
    *,
    engine: str = "auto",
    processes: int | None = None,
    progress: bool = False,
    rules: Any = None,
    seats: Seats = None,
    sl_threshold: float = 20.0,
    executor: Callable[[Callable[[tuple[Any, ...]], dict[str, float]], list[tuple[Any, ...]]],
                       Iterable[dict[str, float]]] | None = None,
    by_interval: Sequence[str] = (),
) -> RunResult:
    """Simulate `replications` independent days of `scenario`.

    Parameters
    ----------
    scenario : Scenario or path
        A scenario, or the path of a scenario file.
    replications : int
        Number of independent days, >= 1.
    rng : numpy.random.Generator, int, SeedSequence or None
        Randomness (scipy's convention): a seed reproduces every day bit for bit whatever
        the number of processes; None draws fresh entropy; a Generator gives a root seed
        drawn from it. Day ``i`` uses ``SeedSequence(s).spawn(replications)[i]`` for the root
        seed ``s``, reported as ``result.seed``.
    engine : {"auto", "simpy", "fast"}
        ``"auto"`` is the fast engine, which runs every scenario (identical results to ``"simpy"``).
    processes : int or None
        Worker processes; None uses every CPU (at most one per replication), 1 runs here.
    progress : bool
        Show a progress bar (tqdm, on stderr).
    rules : str, path, RuleSet or None
        Compliance rule set (e.g. ``"CABA"``) judged on every day; None skips compliance.
    seats : int, mapping or None
        Waiting-room seats, for the standing-time limits: one count, a mapping site -> count
        (:data:`waitlab.compliance.Seats`, see :func:`waitlab.compliance.check_compliance`).
    sl_threshold : float
        Service-level threshold, seconds.
    executor : callable, optional
        ``executor(func, tasks) -> iterable of results`` to run the tasks elsewhere (the dask
        sweep uses it); the default is a local process pool.
    by_interval : sequence of str
        KPIs of :func:`waitlab.analytics.interval_stats` (e.g. ``"wait_mean"``) to report per
        scenario interval too, in ``result.by_interval``.

    Returns
    -------
    RunResult
        Measured and judged from the engines' outcome arrays: no contacts table is built
        (``result.contacts`` and ``result.day(k).contacts`` re-run the days and build one on demand).

    Raises
    ------
    ScenarioError
        If the scenario is invalid; ValueError for a bad argument.
    """
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_toml(scenario)
    if isinstance(replications, bool) or not isinstance(replications, int | np.integer) or replications < 1:
        raise ArgumentError(f"`replications` must be an integer >= 1, got {replications!r}.")
    if processes is not None and (not isinstance(processes, int) or processes < 1):
        raise ArgumentError(f"`processes` must be an integer >= 1 or None, got {processes!r}.")
    if not (math.isfinite(sl_threshold) and sl_threshold >= 0):
        raise ArgumentError(f"`sl_threshold` must be a number of seconds >= 0, got {sl_threshold!r}.")
    if rules is not None:
        from waitlab.compliance import load_rules

        rules = load_rules(rules)
    name = choose_engine(scenario, engine)
    root = root_seed(rng)
    seeds = seed_sequences(root, replications)
    from waitlab.analytics import KPI_COLUMNS

    unknown = [k for k in by_interval if k not in KPI_COLUMNS]
    if unknown:
        raise ArgumentError(f"`by_interval` names unknown KPI(s) {unknown}; use some of {list(KPI_COLUMNS)}.")
    tasks = [(scenario, s, name, sl_threshold, rules, seats, tuple(by_interval)) for s in seeds]
    results = _execute(tasks, executor, processes, progress, scenario.name)
    return summarise(scenario, results, seed=root, engine=name, rules=rules, seats=seats,
                     sl_threshold=sl_threshold)


def _execute(tasks: list[tuple[Any, ...]], executor: Any, processes: int | None, progress: bool,
             label: str) -> list[dict[str, float]]:
    workers = 2 if executor is not None else min(processes or os.cpu_count() or 1, len(tasks))
    # a chunk is a handful of days simulated and judged together (one compliance call)
    chunks = _chunks(tasks, max(1, min(_CHUNK, math.ceil(len(tasks) / (workers * 4)))))
    if executor is not None:
        it: Iterable[list[dict[str, float]]] = executor(_replicate_chunk, chunks)
    elif workers <= 1:
        it = map(_replicate_chunk, chunks)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return _flat(_progress(pool.map(_replicate_chunk, chunks), len(chunks), progress, label))
    return _flat(_progress(it, len(chunks), progress, label))


#: Most days simulated and judged in one task.
_CHUNK = 25


def _flat(parts: Iterable[list[dict[str, float]]]) -> list[dict[str, float]]:
    return [r for part in parts for r in part]


def _progress(it: Iterable[Any], total: int, show: bool, label: str) -> Iterator[Any]:
    if not show:
        yield from it
        return
    from tqdm import tqdm

    yield from tqdm(it, total=total, desc=label, unit="day")


def summarise(scenario: Scenario, results: list[dict[str, float]], *, seed: int, engine: str,
              rules: Any = None, seats: Seats = None, sl_threshold: float = 20.0) -> RunResult:
    """Build a :class:`RunResult` from per-replication KPI dicts (in replication order)."""
    keys = list(results[0]) if results else []
    if results and all(list(r) == keys for r in results):  # one row of floats a day: one 2-D array
        values = np.array([list(r.values()) for r in results], dtype=np.float64).reshape(len(results), len(keys))
    else:
        frame = pd.DataFrame(results)
        keys, values = list(frame.columns), frame.to_numpy(dtype=np.float64)
    cells = [j for j, c in enumerate(keys) if c.endswith("]") and "[" in c]
    by_interval = _interval_summary(scenario, [keys[j] for j in cells], values[:, cells])
    rest = [j for j in range(len(keys)) if j not in set(cells)]
    per = pd.DataFrame(values[:, rest], columns=[keys[j] for j in rest])
    per.insert(0, "replication", np.arange(len(per)))
    flags = [j for j in rest if keys[j].startswith("breached_")]
    kpis = [j for j in rest if not keys[j].startswith("breached_")]
    summary = pd.DataFrame(_mean_cis(np.ascontiguousarray(values[:, kpis].T)),
                           index=pd.Index([keys[j] for j in kpis], name="kpi"))
    if flags:
        p = np.ascontiguousarray(values[:, flags].T).mean(axis=1)
        low, high = wilson(p, len(per))
        probs = pd.DataFrame({"probability": p, "ci_low": low, "ci_high": high, "n": len(per)},
                             index=pd.Index([keys[j].removeprefix("breached_") for j in flags], name="rule"))
    else:
        probs = pd.DataFrame([], index=pd.Index([], name="rule"), columns=["probability", "ci_low", "ci_high", "n"])
    return RunResult(scenario=scenario, replications=len(per), seed=seed, engine=engine, per_replication=per,
                     summary=summary, breach_probability=probs, rules=rules, seats=seats,
                     sl_threshold=sl_threshold, by_interval=by_interval)


def _mean_cis(rows: np.ndarray) -> dict[str, np.ndarray]:
    """:func:`waitlab._ci.t_interval` of every row of `rows` (one KPI a row) as columns, the same numbers (tested).

    Rows of finite values are reduced together (numpy reduces each row of a C-contiguous array
    exactly as it reduces that row alone); the others, and a single replication, one at a time.
    """
    k, n = rows.shape
    out: dict[str, np.ndarray] = {c: np.full(k, np.nan) for c in ("mean", "std", "ci_low", "ci_high")}
    out["n"] = np.zeros(k, dtype=np.int64)
    whole = np.isfinite(rows).all(axis=1) if n >= 2 else np.zeros(k, dtype=bool)
    if whole.any():
        m = rows[whole]
        mean, std = m.mean(axis=1), m.std(axis=1, ddof=1)
        half = _t_quantile(0.5 + 0.95 / 2, n - 1) * std / math.sqrt(n)
        low = np.where((m.min(axis=1) >= 0) & (mean - half < 0.0), 0.0, mean - half)  # as max(mean - half, 0.0)
        for key, col in zip(("mean", "std", "ci_low", "ci_high", "n"), (mean, std, low, mean + half, n), strict=True):
            out[key][whole] = col
    for i in np.flatnonzero(~whole):
        for key, value in zip(("mean", "ci_low", "ci_high", "std", "n"), t_interval(rows[i]), strict=True):
            out[key][i] = value
    return out


def _interval_summary(scenario: Scenario, names: list[str], values: np.ndarray) -> pd.DataFrame:
    """Long table ``kpi, interval, interval_start, mean, std, ci_low, ci_high, n`` from ``"<kpi>[<i>]"`` columns."""
    columns = ["kpi", "interval", "interval_start", "mean", "std", "ci_low", "ci_high", "n"]
    if not names:
        return pd.DataFrame([], columns=columns)
    labels = scenario.interval_labels()
    kpi, at = zip(*(c[:-1].split("[") for c in names), strict=True)
    intervals = [int(i) for i in at]
    return pd.DataFrame({"kpi": list(kpi), "interval": intervals, "interval_start": [labels[i] for i in intervals],
                         **_mean_cis(np.ascontiguousarray(values.T))}, columns=columns)
