"""Many simulated days of one scenario in stacked arrays: drawn, simulated and measured together.

``waitlab.sim.run`` measures and judges days by the hundred; one :class:`DayBatch` holds a
chunk of them, day after day in one set of arrays (the columns of :class:`~waitlab.sim.Draws`
and :class:`~waitlab.sim.DayArrays`, day ``k`` in rows ``offsets[k]:offsets[k + 1]``). With the
fast engine the days are drawn by :func:`waitlab.sim._fast_draws.draw_days` and simulated by
one compiled call over every day (:func:`_simulate`: the pooled or the routed kernel, chosen
day by day as :func:`waitlab.sim._engine_fast.run_fast` chooses it), so a day is exactly
``simulate_day(scenario, np.random.default_rng(seed))``; with the SimPy engine each day is
simulated on its own and stacked (:meth:`DayBatch.from_days`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit

from waitlab.exceptions import ArgumentError
from waitlab.sim._day import SimulatedDay, simulate_day
from waitlab.sim._draws import Draws
from waitlab.sim._engine_fast import _kernel as _pooled_queue
from waitlab.sim._fast_routed import route_day, routing_tables
from waitlab.sim._outcome import OTHER, DayArrays
from waitlab.sim._scenario import Scenario

__all__ = ["DRAW_FIELDS", "OUTCOME_FIELDS", "DayBatch", "simulate_batch"]

DRAW_FIELDS = ("arrival", "queue", "service", "patience", "priority", "absent", "visible")
OUTCOME_FIELDS = ("called", "started", "ended", "outcome", "server")
_DTYPES = {"arrival": np.float64, "queue": np.int64, "service": np.float64, "patience": np.float64,
           "priority": np.int64, "absent": np.bool_, "visible": np.bool_, "called": np.float64,
           "started": np.float64, "ended": np.float64, "outcome": np.int8, "server": np.int64}


@dataclass(frozen=True, eq=False)
class DayBatch:
    """Days of one scenario, stacked.

    Attributes
    ----------
    scenario : Scenario
    offsets : ndarray of int64
        Day ``k`` is rows ``offsets[k]:offsets[k + 1]`` of every column.
    draws : dict of str to ndarray
        The :data:`DRAW_FIELDS` of every day.
    arrays : dict of str to ndarray
        The :data:`OUTCOME_FIELDS` of every day.
    engine : str
    """

    scenario: Scenario
    offsets: np.ndarray
    draws: dict[str, np.ndarray]
    arrays: dict[str, np.ndarray]
    engine: str

    @property
    def n_days(self) -> int:
        return len(self.offsets) - 1

    @property
    def sizes(self) -> np.ndarray:
        """Customers of each day."""
        return np.diff(self.offsets)

    def day(self, k: int) -> SimulatedDay:
        """Day `k` as a :class:`SimulatedDay` (views of the stacked arrays)."""
        lo, hi = int(self.offsets[k]), int(self.offsets[k + 1])
        draws = Draws(**{f: self.draws[f][lo:hi] for f in DRAW_FIELDS})
        return SimulatedDay(self.scenario, draws, DayArrays(**{f: self.arrays[f][lo:hi] for f in OUTCOME_FIELDS}),
                            self.engine)

    @classmethod
    def from_days(cls, days: Sequence[SimulatedDay], scenario: Scenario | None = None,
                  engine: str = "fast") -> DayBatch:
        """Stack simulated days of one scenario (by default the first day's, and its engine)."""
        offsets = np.concatenate([[0], np.cumsum([len(d.draws) for d in days])]).astype(np.int64)

        def cat(parts: list[np.ndarray], field: str) -> np.ndarray:
            return np.concatenate(parts) if parts else np.zeros(0, dtype=_DTYPES[field])

        draws = {f: cat([getattr(d.draws, f) for d in days], f) for f in DRAW_FIELDS}
        arrays = {f: cat([getattr(d.arrays, f) for d in days], f) for f in OUTCOME_FIELDS}
        if days:
            scenario, engine = scenario or days[0].scenario, days[0].engine
        if scenario is None:
            raise ArgumentError("`days` is empty; give the `scenario` of the batch.")
        return cls(scenario, offsets, draws, arrays, engine)


def simulate_batch(scenario: Scenario, seeds: Sequence[np.random.SeedSequence], engine: str = "fast") -> DayBatch:
    """One day of `scenario` per seed, stacked: day ``k`` is ``simulate_day(scenario, default_rng(seeds[k]))``."""
    if engine != "fast":
        return DayBatch.from_days([simulate_day(scenario, np.random.default_rng(s), engine=engine) for s in seeds],
                                  scenario, engine)
    from waitlab.sim._fast_draws import draw_days

    offsets, draws = draw_days(scenario, seeds)
    n = len(draws["arrival"])
    out = DayArrays(np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan), np.full(n, OTHER, dtype=np.int8),
                    np.full(n, -1, dtype=np.int64))
    pooled = bool((scenario.serves.sum(axis=1) <= 1).all())
    desk_queues, desk_start, queue_desks, queue_start, on_duty, bounds, openings = routing_tables(scenario)
    _simulate(offsets, draws["arrival"], draws["queue"], draws["priority"], draws["service"], draws["patience"],
              draws["absent"], draws["visible"], scenario.channel == "phone", len(scenario.queues), desk_queues,
              desk_start, queue_desks, queue_start, on_duty, bounds, openings, float(scenario.no_show_seconds), pooled,
              out.called, out.started, out.ended, out.outcome, out.server)
    return DayBatch(scenario, offsets, draws, {f: getattr(out, f) for f in OUTCOME_FIELDS}, "fast")


@njit(cache=True)
def _simulate(offsets, arrival, queue, priority, service, patience, absent, visible, phone, nq, desk_queues,
              desk_start, queue_desks, queue_start, on_duty, bounds, openings, cost, pooled,
              called, started, ended, outcome, server):  # pragma: no cover - compiled
    """Every day of the batch, each by the kernel :func:`waitlab.sim._engine_fast.run_fast` would pick."""
    for day in range(offsets.size - 1):
        lo, hi = offsets[day], offsets[day + 1]
        use_pooled = pooled
        for i in range(lo, hi):
            if priority[i] != 0:
                use_pooled = False
                break
        if not use_pooled:
            route_day(arrival[lo:hi], queue[lo:hi], priority[lo:hi], service[lo:hi], patience[lo:hi],
                      absent[lo:hi], visible[lo:hi], phone, nq, desk_queues, desk_start, queue_desks, queue_start,
                      on_duty, bounds, openings, cost, called[lo:hi], started[lo:hi], ended[lo:hi], outcome[lo:hi],
                      server[lo:hi])
            continue
        a = arrival[lo:hi]
        deadline = a + patience[lo:hi]
        leaves = np.ones(hi - lo, dtype=np.bool_)
        if not phone:
            for i in range(hi - lo):
                leaves[i] = visible[lo + i] and not absent[lo + i]
        q = queue[lo:hi]
        for qi in range(nq):
            idx = np.flatnonzero(q == qi)
            if idx.size == 0:
                continue
            _pooled_queue(idx, a, service[lo:hi], deadline, absent[lo:hi], leaves,
                          queue_desks[queue_start[qi]:queue_start[qi + 1]], on_duty, bounds, cost,
                          called[lo:hi], started[lo:hi], ended[lo:hi], outcome[lo:hi], server[lo:hi])

