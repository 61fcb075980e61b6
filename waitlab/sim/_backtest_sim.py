"""The simulator as a third model of :func:`waitlab.backtest`: replications of each test day as it was.

:func:`waitlab.backtest` sits before the simulator in the layer order, so it never imports it;
it takes a ``simulate=`` callable instead, and this module makes one
(:func:`as_is_simulator`). For each test day and site the callable builds the as-is scenario
of the day (:func:`waitlab.sim.scenario_from_log`: the day's arrivals, its desk groups with
their desks on duty per interval rounded to whole desks) and swaps in service and patience
fitted on the **training** part only (per queue: service lognormal with the training desk
times' mean and cv, patience the guarded choice of :func:`waitlab.patience` on the training
contacts), so the simulator, like the Erlang models, predicts the test period from what was
known before it. It simulates `replications` days and, per interval and group, takes the
mean over the replications of each KPI (``abandon_rate``, ``asa``, ``wait_mean``, ``prob_wait``,
``sl_offered_<T>``; a replication whose cell has no value, e.g. no answered call for ASA,
is left out of that cell's mean).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from waitlab._random import RNG, root_seed
from waitlab.exceptions import ArgumentError
from waitlab.sim._day import simulate_day, stack_contacts
from waitlab.sim._from_log import _patience, _service, scenario_from_log
from waitlab.sim._log_day import desk_seconds
from waitlab.sim._log_desks import pool_groups
from waitlab.sim._run import seed_sequences

__all__ = ["AsIsSimulator", "as_is_simulator", "mean_and_spread"]

#: Columns of simulated contacts that a backtest group may use.
_GROUPABLE = ("queue", "pool", "site")


@dataclass(frozen=True)
class AsIsSimulator:
    """``simulate=`` for :func:`waitlab.backtest`: the as-is day, replicated (see :func:`as_is_simulator`)."""

    replications: int = 20
    seed: int = 0
    arrivals: str = "trace"
    engine: str = "auto"

    def __call__(self, contacts: pd.DataFrame, train: pd.DataFrame, cells: pd.DataFrame, *, by: Sequence[str],
                 interval: float, sl_thresholds: Sequence[float]) -> tuple[pd.DataFrame, list[str]]:
        """Predicted KPIs per test cell.

        Parameters
        ----------
        contacts : DataFrame
            The log holding the test days (with a ``pool`` column when `by` names it).
        train : DataFrame
            The training contacts (service and patience are fitted on them).
        cells : DataFrame
            The test cells: ``interval_start`` and the `by` columns.
        by : list of str
            Group columns, among ``queue``, ``pool`` and ``site``.
        interval : float
            Interval width, seconds.
        sl_thresholds : list of float
            Service-level thresholds, seconds.

        Returns
        -------
        (DataFrame, list of str)
            ``interval_start``, the `by` columns, then ``abandon``, ``asa``, ``wait_mean``,
            ``prob_wait`` and ``sl_<T>`` (means over the replications) and ``noise_<kpi>`` for
            each (the mean distance of one replication from that mean); and the notes.
        """
        from waitlab.analytics import interval_stats

        bad = [b for b in by if b not in _GROUPABLE]
        if bad:
            raise ArgumentError(f"`by`: the simulation model groups only by {', '.join(_GROUPABLE)}, not {bad}; "
                                "drop 'simulation' from `models` or group by one of those.")
        by = list(by)
        pool_of = (contacts.dropna(subset=["queue"]).groupby("queue")["pool"].first()
                   if "pool" in by else None)  # fmt: skip
        starts = pd.to_datetime(cells["interval_start"])
        days = sorted(set(starts.dt.date))
        sites = sorted(map(str, contacts["site"].dropna().unique())) if "site" in contacts.columns else [None]
        notes: list[str] = []
        contacts = _covered(contacts, notes)
        fits = _TrainFits(train)
        root = root_seed(self.seed)
        frames = []
        for k, (site, day) in enumerate((s, d) for s in sites for d in days):
            sc = scenario_from_log(contacts, date=day, interval=interval, site=site, arrivals=self.arrivals,
                                   patience=None, name="as-is")  # fmt: skip
            sc = dataclasses.replace(sc, queues=tuple(fits.queue(q) for q in sc.queues))
            seeds = seed_sequences(np.random.SeedSequence([root, k]), self.replications)
            sims = [simulate_day(sc, np.random.default_rng(s), engine=self.engine) for s in seeds]
            stacked = stack_contacts(sims)
            if pool_of is not None:
                stacked = stacked.assign(pool=stacked["queue"].map(pool_of).astype("string"))
            st = interval_stats(stacked, interval=interval, by=["replication", *by], sl_threshold=list(sl_thresholds))
            frames.append(st)
        st = pd.concat(frames, ignore_index=True)
        cols = {"abandon": "abandon_rate", "asa": "asa", "wait_mean": "wait_mean", "prob_wait": "prob_wait"}
        cols.update({f"sl_{t:g}": f"sl_offered_{t:g}" for t in sl_thresholds})
        st = st.rename(columns={v: k for k, v in cols.items()})
        pred = mean_and_spread(st, ["interval_start", *by], list(cols))
        notes.insert(0, f"simulation: {self.replications} replications (seed {self.seed}) of each test day as it was "
                     f"(Scenario.from_log: the day's {'arrival times' if self.arrivals == 'trace' else 'arrival counts'}, "
                     "desk groups by main queues, desks on duty per interval rounded to whole desks); service and "
                     "patience per queue fitted on the training period only (service lognormal with the training "
                     "mean and cv, patience the guarded choice of waitlab.patience); per interval the mean KPI over "
                     "the replications.")  # fmt: skip
        notes += fits.notes
        return pred, notes


def mean_and_spread(st: pd.DataFrame, keys: list[str], kpis: list[str]) -> pd.DataFrame:
    """Per cell, each KPI's mean over the replications and ``noise_<kpi>``: how far one simulated
    day falls from the mean on average, ``E|X - mu|`` estimated by the replications' mean absolute
    deviation from their own mean times ``sqrt(R / (R - 1))`` (NaN with fewer than two values).
    """
    g = st.groupby(keys, dropna=False, observed=True)[kpis]
    mean = g.transform("mean")
    dev = (st[kpis] - mean).abs()
    n = st[kpis].notna().groupby([st[k] for k in keys], dropna=False, observed=True).transform("sum")
    spread = (dev * np.sqrt(n / (n - 1).where(n > 1))).groupby([st[k] for k in keys], dropna=False,
                                                                 observed=True).mean()  # fmt: skip
    out = g.mean().join(spread.add_prefix("noise_"))
    return out.reset_index()


def _covered(contacts: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """`contacts` without the queues no desk group of the log serves (from_log cannot build them)."""
    out = []
    for _site, log in (contacts.groupby("site", observed=True) if "site" in contacts.columns else [(None, contacts)]):
        qnames = sorted(set(log["queue"].dropna().astype(str)))
        covered = {q for qs, _ in pool_groups(log, qnames).values() for q in qs}
        lost = [q for q in qnames if q not in covered]
        if lost:
            n = int(log["queue"].isin(lost).sum())
            notes.append(f"simulation: queue(s) {', '.join(lost)} ({n} contacts) are served by no desk group of the "
                         "log (their desks mainly serve other queues), so they were left out of the simulated days "
                         "and have no simulated prediction.")  # fmt: skip
            log = log[~log["queue"].isin(lost).fillna(False).to_numpy(dtype=bool)]
        out.append(log)
    return pd.concat(out) if len(out) > 1 else out[0]


class _TrainFits:
    """Service and patience per queue from the training contacts (each queue fitted once)."""

    def __init__(self, train: pd.DataFrame) -> None:
        self.train = train
        self.desk = desk_seconds(train)
        self.cache: dict[str, Any] = {}
        self.notes: list[str] = []

    def queue(self, spec: Any) -> Any:
        if spec.name not in self.cache:
            in_q = (self.train["queue"] == spec.name).fillna(False).to_numpy(dtype=bool)
            values = self.desk[in_q]
            values = values[np.isfinite(values)]
            if len(values) < 2:
                self.notes.append(f"simulation: queue {spec.name!r} has fewer than 2 services in the training "
                                  "period; its service and patience come from the whole log.")  # fmt: skip
                self.cache[spec.name] = None
            else:
                fit_notes: list[str] = []
                pat = _patience(self.train[in_q], "auto", spec.name, fit_notes)
                self.cache[spec.name] = (_service(values, "auto", spec.name), pat)
        fit = self.cache[spec.name]
        if fit is None:
            return spec
        return dataclasses.replace(spec, service=fit[0], patience=fit[1])


def as_is_simulator(replications: int = 20, rng: RNG = 0, *, arrivals: str = "trace",
                    engine: str = "auto") -> AsIsSimulator:
    """The simulator as a backtest model: pass it as ``waitlab.backtest(..., simulate=...)``.

    Parameters
    ----------
    replications : int, default 20
        Simulated days per test day.
    rng : Generator, int or None, default 0
        Randomness (a fixed seed by default, so a backtest repeats exactly).
    arrivals : {"trace", "rates"}, default "trace"
        The day's real arrival times (every replication sees the arrivals the Erlang models
        are given) or its counts per interval as Poisson rates.
    engine : {"auto", "simpy", "fast"}

    Returns
    -------
    AsIsSimulator
        A callable :func:`waitlab.backtest` calls for the ``"simulation"`` model.
    """
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ArgumentError(f"`replications` must be a whole number >= 1, got {replications!r}.")
    if arrivals not in ("trace", "rates"):
        raise ArgumentError(f'`arrivals` must be "trace" or "rates", got {arrivals!r}.')
    return AsIsSimulator(replications=replications, seed=root_seed(rng), arrivals=arrivals, engine=engine)
