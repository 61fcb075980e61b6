"""Does the simulated as-is day reproduce the log? The logged day beside the spread of its simulated days.

:func:`as_is` builds the as-is scenario of each chosen day (:func:`~waitlab.sim.scenario_from_log`:
the day's arrivals, its desk groups with their desks on duty, service and patience from the
log), simulates it `replications` times and sets, per interval and for the whole day, the
logged KPI beside the mean of the simulated days and their spread (2.5-97.5 % of the days, the
range a single real day falls in when the model is right, not the interval of their mean).
The same analytics (:func:`waitlab.interval_stats`, :func:`waitlab.summary_by`) judge both.

Its ``errors`` put each KPI's mean absolute error against the log beside ``noise_mae``: the mean
distance of one simulated day from the mean of the days (their mean absolute deviation times
``sqrt(R / (R - 1))``), the error a model exactly right would still make against one real day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from waitlab._clock import parse_interval
from waitlab._notes import NotedFrame
from waitlab._random import RNG, root_seed
from waitlab.exceptions import ArgumentError
from waitlab.sim._backtest_sim import mean_and_spread
from waitlab.sim._day import simulate_day, stack_contacts
from waitlab.sim._from_log import scenario_from_log
from waitlab.sim._log_day import site_log
from waitlab.sim._run import seed_sequences
from waitlab.sim._scenario import Scenario

__all__ = ["AsIsResult", "as_is"]

#: KPIs :func:`as_is` compares by default (columns of :func:`waitlab.interval_stats`).
AS_IS_KPIS = ("wait_mean", "abandon_rate")


@dataclass(frozen=True, eq=False)
class AsIsResult:
    """The logged days beside their simulated as-is days.

    Attributes
    ----------
    scenarios : tuple of Scenario
        The as-is scenario of each day (its ``notes`` give every assumption).
    table : NotedFrame
        One row per day, interval and KPI: ``date``, ``interval_start``, ``arrivals`` (logged),
        ``kpi``, ``logged``, ``simulated`` (mean over the simulated days), ``low`` and ``high``
        (2.5 and 97.5 % of the simulated days), ``inside`` (``low <= logged <= high``), ``noise``
        (mean distance of one simulated day from ``simulated``) and ``days`` (simulated days
        with a value in that interval).
    days : NotedFrame
        The same columns over each whole day (no ``interval_start``), plus ``ratio``
        (simulated / logged).
    errors : NotedFrame
        One row per KPI over the intervals with at least `min_arrivals` logged arrivals:
        ``mae``, ``bias`` (mean of simulated - logged), ``noise_mae``, ``inside_share`` (share
        of those intervals whose logged value lies inside the spread) and ``intervals``.
    notes : tuple of str
    """

    scenarios: tuple[Scenario, ...]
    table: NotedFrame
    days: NotedFrame
    errors: NotedFrame
    notes: tuple[str, ...] = ()

    def to_csv(self, path: str | Path) -> Path:
        """Write ``.table`` (per interval) to a CSV file, cells neutralised (:func:`waitlab.report.neutralize_cells`)."""
        from waitlab._cells import write_csv

        return write_csv(self.table, path)

    def __str__(self) -> str:
        lines = [f"As-is check: {len(self.scenarios)} day(s), each simulated as it was "
                 f"(logged beside the mean and the 2.5-97.5 % spread of the simulated days)"]  # fmt: skip
        for r in self.days.itertuples(index=False):
            where = "inside" if r.inside else "outside"
            lines.append(f"{r.date} {r.kpi:<13} logged {_num(r.logged)}, simulated {_num(r.simulated)} "
                         f"[{_num(r.low)}, {_num(r.high)}]: {where} the spread, ratio {r.ratio:.2f}")  # fmt: skip
        lines.append(f"{'kpi':<13} {'MAE':>9} {'bias':>9} {'noise MAE':>9} {'inside':>7} {'intervals':>9}")
        for r in self.errors.itertuples(index=False):
            inside = f"{r.inside_share:.0%}" if np.isfinite(r.inside_share) else "-"
            lines.append(f"{r.kpi:<13} {_num(r.mae):>9} {_num(r.bias):>9} {_num(r.noise_mae):>9} "
                         f"{inside:>7} {r.intervals:>9d}")  # fmt: skip
        lines += [f"- {n}" for n in self.notes]
        return "\n".join(lines)


def _num(x: float) -> str:
    return f"{x:.4g}" if np.isfinite(x) else "-"


def as_is(
    contacts: pd.DataFrame, dates: Any = None, *, site: str | None = None, replications: int = 100, rng: RNG = 0,
    interval: str | pd.Timedelta | float = "30min", by: str | pd.Timedelta | float = "1h",
    kpis: Sequence[str] = AS_IS_KPIS, min_arrivals: int = 20, arrivals: str = "trace", engine: str = "auto",
) -> AsIsResult:  # fmt: skip
    """The logged days against replications of their as-is simulation, per interval and per day.

    Parameters
    ----------
    contacts : DataFrame
        A contacts log (:mod:`waitlab.schema`) with ``server``.
    dates : date, "YYYY-MM-DD" or a list of them, optional
        The days to check; default the busiest day of the log.
    site : str, optional
        Required when the log holds several sites.
    replications : int, default 100
        Simulated days per logged day.
    rng : Generator, int or None, default 0
        Randomness (a fixed seed by default, so a check repeats exactly).
    interval : str, Timedelta or float, default "30min"
        The scenario's schedule interval (:func:`~waitlab.sim.scenario_from_log`).
    by : str, Timedelta or float, default "1h"
        Width of the compared intervals.
    kpis : list of str, default ("wait_mean", "abandon_rate")
        Columns of :func:`waitlab.interval_stats` to compare.
    min_arrivals : int, default 20
        ``errors`` are over the intervals with at least this many logged arrivals.
    arrivals : {"trace", "rates"}, default "trace"
        The day's real arrival times, or its counts per interval as Poisson rates.
    engine : {"auto", "simpy", "fast"}

    Returns
    -------
    AsIsResult
    """
    from waitlab.analytics import KPI_COLUMNS, interval_stats, summary_by, summary_kpis

    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        raise ArgumentError(f"`replications` must be a whole number >= 2 (a spread needs two days), got {replications!r}.")
    bad = [k for k in kpis if k not in KPI_COLUMNS]
    if bad or not len(kpis):
        raise ArgumentError(f"`kpis` must name KPIs of waitlab.interval_stats (e.g. wait_mean, abandon_rate), got {bad or kpis!r}.")
    if isinstance(min_arrivals, bool) or not isinstance(min_arrivals, int) or min_arrivals < 1:
        raise ArgumentError(f"`min_arrivals` must be a whole number >= 1, got {min_arrivals!r}.")
    kpis = list(kpis)
    by = parse_interval(by, "by")
    log, site = site_log(contacts, site)
    days = [None] if dates is None else list(dates) if isinstance(dates, list | tuple) else [dates]
    root = root_seed(rng)
    scenarios, cells, whole = [], [], []
    for k, day in enumerate(days):
        sc = scenario_from_log(log, date=day, interval=interval, arrivals=arrivals)
        scenarios.append(sc)
        names = {q.name for q in sc.queues}
        local = log["arrived_at"]
        on_day = (local >= sc.origin) & (local < sc.origin + pd.Timedelta(seconds=sc.horizon))
        logged = log[(on_day & log["queue"].isin(names)).to_numpy(dtype=bool)]
        sims = [simulate_day(sc, np.random.default_rng(s), engine=engine)
                for s in seed_sequences(np.random.SeedSequence([root, k]), replications)]  # fmt: skip
        stacked = stack_contacts(sims)
        obs = interval_stats(logged, interval=by)
        sim = interval_stats(stacked, interval=by, by="replication")
        cells.append(_compare(obs, sim, "interval_start", kpis).assign(date=sc.date))
        logged_day = summary_kpis(logged)
        day_obs = pd.DataFrame([{k2: logged_day[k2] for k2 in ("arrivals", *kpis)}]).assign(day_key=0)
        day_sim = summary_by(stacked, "replication").assign(day_key=0)
        whole.append(_compare(day_obs, day_sim, "day_key", kpis).drop(columns="day_key").assign(date=sc.date))
    table = pd.concat(cells, ignore_index=True)
    table = table[(table["arrivals"] > 0) | (table["days"] > 0)].reset_index(drop=True)  # intervals nobody arrived in
    table = table[["date", "interval_start", "arrivals", "kpi", "logged", "simulated", "low", "high", "inside",
                   "noise", "days"]]  # fmt: skip
    per_day = pd.concat(whole, ignore_index=True)
    per_day = per_day[["date", "arrivals", "kpi", "logged", "simulated", "low", "high", "inside", "noise", "days"]]
    per_day = per_day.assign(ratio=per_day["simulated"] / per_day["logged"].where(per_day["logged"] != 0))
    busy = table[(table["arrivals"] >= min_arrivals) & table["logged"].notna() & table["simulated"].notna()]
    err = (busy.assign(error=busy["simulated"] - busy["logged"], abs_error=(busy["simulated"] - busy["logged"]).abs(),
                       inside_f=busy["inside"].astype(float))
           .groupby("kpi", sort=False)
           .agg(mae=("abs_error", "mean"), bias=("error", "mean"), noise_mae=("noise", "mean"),
                inside_share=("inside_f", "mean"), intervals=("error", "size"))
           .reindex(kpis).reset_index())  # fmt: skip
    err["intervals"] = err["intervals"].fillna(0).astype(int)
    if not len(busy):
        notes_busy = [f"no interval had {min_arrivals} or more logged arrivals, so there are no errors; lower "
                      "min_arrivals (--min-arrivals) to compare quieter intervals."]  # fmt: skip
    else:
        notes_busy = []
    notes = [
        f"as-is: {replications} simulated days (seed {root}) of each of {len(days)} logged day(s) "
        f"(Scenario.from_log, {'real arrival times' if arrivals == 'trace' else 'arrival counts as rates'}; "
        "its notes give every assumption); the same analytics judge the log and the simulated days.",
        f"spread: 2.5-97.5 % of the simulated days; noise: the mean distance of one simulated day from their mean, "
        f"the error a model exactly right would still make against one real day; errors over the intervals with "
        f"at least {min_arrivals} logged arrivals.",
        *notes_busy,
    ]  # fmt: skip
    return AsIsResult(tuple(scenarios), NotedFrame(table, notes=notes), NotedFrame(per_day, notes=notes),
                      NotedFrame(err, notes=notes), tuple(notes))  # fmt: skip


def _compare(obs: pd.DataFrame, sim: pd.DataFrame, key: str, kpis: list[str]) -> pd.DataFrame:
    """Per `key` value and KPI: the logged value, and the simulated days' mean, spread and noise.

    A simulated day with no value in a cell (no contact in that interval) is left out of it;
    ``days`` counts the ones with a value.
    """
    stats = mean_and_spread(sim, [key], kpis).set_index(key)
    g = sim.groupby(key, sort=False)[kpis]
    low, high, n = g.quantile(0.025), g.quantile(0.975), g.count()  # linear interpolation, as np.percentile
    at = pd.Index(obs[key])
    parts = []
    for kpi in kpis:
        logged = obs[kpi].to_numpy(dtype=float, na_value=np.nan)
        lo, hi = low[kpi].reindex(at).to_numpy(dtype=float), high[kpi].reindex(at).to_numpy(dtype=float)
        parts.append(pd.DataFrame({
            key: obs[key].to_numpy(), "arrivals": obs["arrivals"].to_numpy(dtype=np.int64), "kpi": kpi,
            "logged": logged, "simulated": stats[kpi].reindex(at).to_numpy(dtype=float), "low": lo, "high": hi,
            "inside": (lo <= logged) & (logged <= hi), "noise": stats[f"noise_{kpi}"].reindex(at).to_numpy(dtype=float),
            "days": n[kpi].reindex(at).fillna(0).to_numpy(dtype=np.int64),
        }))  # fmt: skip
    return pd.concat(parts, ignore_index=True).sort_values(key, kind="stable", ignore_index=True)
