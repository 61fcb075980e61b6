"""Per-interval KPIs of simulated days from the engines' arrays (``run(..., by_interval=...)``).

The contacts route (:func:`waitlab.sim._run._add_intervals`) measures the stacked contacts
with :func:`waitlab.analytics.interval_stats` (``by=["replication"]``, the scenario's interval)
and reads each value back into the scenario interval its bin starts in. This module does the
same for the KPIs that belong to the interval of the arrival (:data:`INTERVAL_KPIS`: counts,
waits, service levels, abandonment, ``prob_wait``): the same bins (aligned on local midnight,
from the bin of the first arrival to the bin of the last event of the days measured together),
the same cells and the very functions of :mod:`waitlab.analytics.kpis`, so the values are equal
(tested). The time-weighted KPIs per interval still go through the contacts route.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from waitlab.sim._fast_kpis import FAST_KPIS
from waitlab.sim._outcome import ABANDONED, NO_SHOW, SERVED

if TYPE_CHECKING:
    from waitlab.sim._scenario import Scenario

__all__ = ["INTERVAL_KPIS", "fast_intervals"]

#: KPIs of ``by_interval`` measured here (the others need the contacts route).
INTERVAL_KPIS = (*FAST_KPIS, "prob_wait")

_NAT = np.iinfo(np.int64).min


def fast_intervals(out: list[dict[str, float]], scenario: Scenario, s: dict[str, np.ndarray],
                   names: tuple[str, ...], sl_threshold: float) -> None:
    """Add ``"<kpi>[<i>]"`` for each scenario interval ``i`` to each day's KPIs (NaN where undefined).

    `s` is :func:`waitlab.sim._fast_kpis.stack_batch` of the days of `out` (all of one scenario);
    every name must be in :data:`INTERVAL_KPIS`.
    """
    import pandas as pd

    from waitlab.analytics import kpis

    n_days, n = len(out), scenario.n_intervals
    grids = {kpi: np.full((n_days, n), np.nan) for kpi in names}
    day = s["day"]
    if len(day):
        bin_ns = round(float(scenario.interval) * 1e9)
        o_ns = int(scenario.origin.as_unit("ns").value)
        arr = s["arrival_ns"] + o_ns  # absolute UTC ns, as the contacts table holds them
        first = int(arr.min())
        midnight = int(pd.Timestamp(first, tz="UTC").tz_convert(scenario.timezone).normalize().as_unit("ns").value)
        origin = midnight + (first - midnight) // bin_ns * bin_ns
        last = max(int(v[v != _NAT].max()) for v in (s["arrival_ns"], s["called_ns"], s["started_ns"],
                                                      s["ended_ns"]) if (v != _NAT).any()) + o_ns
        n_bins = max((int(arr.max()) - origin) // bin_ns, (last - origin - 1) // bin_ns) + 1
        seen, code = np.unique(day, return_inverse=True)  # the days with customers, in order
        b = np.clip((arr - origin) // bin_ns, 0, n_bins - 1)
        o = s["outcome"]
        c = kpis.Cells(cell=code.ravel() * n_bins + b, n=len(seen) * n_bins, wait=s["wait"], service=s["service"],
                       answered=o == SERVED, abandoned=o == ABANDONED, no_show=o == NO_SHOW)
        starts = origin + np.arange(n_bins, dtype=np.int64) * bin_ns
        pos = np.asarray(pd.TimedeltaIndex((starts - o_ns).view("m8[ns]")).total_seconds()) // scenario.interval
        inside = (pos >= 0) & (pos < n)
        cols = np.asarray(pos[inside], dtype=int)
        for kpi in names:
            values = _kpi(c, kpi, sl_threshold).reshape(len(seen), n_bins).astype(float)
            grids[kpi][np.ix_(seen, cols)] = values[:, inside]
    for kpi in names:
        grid = grids[kpi]
        for k, row in enumerate(out):
            row.update({f"{kpi}[{i}]": float(grid[k, i]) for i in range(n)})


def _kpi(c: object, name: str, sl: float) -> np.ndarray:
    """One KPI column over the cells, by the analytics' own function."""
    from waitlab.analytics import kpis

    if name.startswith("wait_p"):
        return kpis.wait_quantile(c, int(name[6:]) / 100)  # type: ignore[arg-type]
    extra = {"abandon_rate_excl_short": (0.0,), "sl_offered": (sl, 0.0), "sl_answered": (sl,)}.get(name, ())
    return np.asarray(getattr(kpis, name)(c, *extra))
