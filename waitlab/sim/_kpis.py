"""KPIs of one simulated day: the analytics' own KPIs plus what only a simulation knows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from waitlab.compliance import RuleSet
    from waitlab.sim._day import SimulatedDay

__all__ = ["SIM_KPIS", "day_kpis", "day_breaches"]

#: KPIs computed here from the schedule and the outcome arrays (analytics cannot know them).
SIM_KPIS = {
    "prob_wait": "share of arrivals who waited at all (wait > 0)",
    "desk_hours": "scheduled desk time, hours",
    "occupancy_scheduled": "busy desk time within opening hours / scheduled desk time",
    "overrun_s": "time from closing until the last customer leaves, seconds",
}


def day_kpis(day: SimulatedDay, sl_threshold: float = 20.0) -> dict[str, float]:
    """KPIs of one simulated day.

    The KPIs of :func:`waitlab.analytics.summary_kpis` (so a simulated day is measured
    exactly like a real one: ``arrivals``, ``served``, ``wait_mean``, ``wait_p90``, ``asa``,
    ``aht``, ``sl_offered``, ``abandon_rate``, ``occupancy``, ...) plus :data:`SIM_KPIS`.
    Times in seconds, shares in [0, 1].
    """
    from waitlab.analytics import KPI_COLUMNS, summary_kpis

    summary = summary_kpis(day.contacts, sl_threshold=sl_threshold)
    out: dict[str, float] = {k: float(summary[k]) for k in KPI_COLUMNS}
    out.update(_sim_kpis(day))
    return out


def _sim_kpis(day: SimulatedDay) -> dict[str, float]:
    sc, a, d = day.scenario, day.arrays, day.draws
    horizon = sc.horizon
    called = np.where(np.isnan(a.called), a.ended, a.called)
    wait = called - d.arrival
    known = ~np.isnan(wait)
    desk_seconds = float(sc.on_duty.sum()) * float(sc.interval)
    work_start = a.called[~np.isnan(a.called)]
    work_end = a.ended[~np.isnan(a.called)]
    busy = np.clip(np.minimum(work_end, horizon) - np.minimum(work_start, horizon), 0, None).sum()
    last = np.nanmax(a.ended) if np.any(~np.isnan(a.ended)) else horizon
    return {
        "prob_wait": float(np.mean(wait[known] > 0)) if known.any() else float("nan"),
        "desk_hours": desk_seconds / 3600.0,
        "occupancy_scheduled": float(busy / desk_seconds) if desk_seconds else float("nan"),
        "overrun_s": float(max(0.0, last - horizon)),
    }


def day_breaches(contacts: pd.DataFrame, rules: str | Path | RuleSet, seats: Any) -> dict[str, float]:
    """Compliance of one day: breach counts per limit, the breaching share, and 0/1 flags.

    Keys: ``breaching_share`` (contacts breaching any limit / contacts), ``breaches_<id>``
    (contacts breaching limit ``<id>``), ``breached_<id>`` and ``breached_any`` (1.0 when the
    day breaches, else 0.0), and ``turn_order_violations`` when the rule set checks it.
    """
    from waitlab.compliance import compliance

    res = compliance(contacts, rules=rules, seats=seats)
    out: dict[str, float] = {}
    daily = res.daily
    n = len(contacts)
    breaching = float(daily["breaching"].sum()) if len(daily) else 0.0
    out["breaching_share"] = breaching / n if n else float("nan")
    ids = [c.removeprefix("breached_") for c in daily.columns if c.startswith("breached_")]
    for rid in ids:
        out[f"breaches_{rid}"] = float((res.breaches["rule"] == rid).sum()) if len(res.breaches) else 0.0
    if "turn_order_violations" in daily.columns:
        out["turn_order_violations"] = float(daily["turn_order_violations"].sum())
    for rid in ids:
        out[f"breached_{rid}"] = float(bool(daily[f"breached_{rid}"].any())) if len(daily) else 0.0
    out["breached_any"] = float(bool(daily["breached"].any())) if len(daily) else 0.0
    return out
