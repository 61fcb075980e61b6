"""KPIs of one simulated day: the analytics' own KPIs plus what only a simulation knows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from waitlab.compliance import RuleSet, Seats
    from waitlab.sim._day import SimulatedDay

__all__ = ["SIM_KPIS", "day_breaches", "day_kpis", "days_breaches", "days_kpis"]

#: KPIs computed here from the schedule and the outcome arrays (analytics cannot know them).
SIM_KPIS = {
    "prob_wait": "share of arrivals who waited at all (wait > 0)",
    "desk_hours": "scheduled desk time, hours",
    "occupancy_scheduled": "busy desk time within opening hours / scheduled desk time",
    "overrun_s": "time from closing until the last customer leaves, seconds",
}


#: Estimator of ``desks_on_duty`` for simulated days (the array path computes the same).
SIM_ON_DUTY = "gaps"


def day_kpis(day: SimulatedDay, sl_threshold: float = 20.0) -> dict[str, float]:
    """KPIs of one simulated day.

    The KPIs of :func:`waitlab.analytics.summary_kpis` (so a simulated day is measured
    exactly like a real one: ``arrivals``, ``served``, ``wait_mean``, ``wait_p90``, ``asa``,
    ``mean_service``, ``sl_offered``, ``abandon_rate``, ``occupancy``, ...) plus :data:`SIM_KPIS`.
    Times in seconds, shares in [0, 1]. ``desks_on_duty`` of a simulated day uses the
    ``"gaps"`` estimator (:data:`SIM_ON_DUTY`): a simulated desk is open by its schedule, so
    its idle time is never absence; the scheduled desk time is ``desk_hours``.
    """
    from waitlab.analytics import KPI_COLUMNS, summary_kpis

    summary = summary_kpis(day.contacts, sl_threshold=sl_threshold, on_duty=SIM_ON_DUTY)
    out: dict[str, float] = {k: float(summary[k]) for k in KPI_COLUMNS}
    out.update(_sim_kpis(day))
    return out


def days_kpis(days: list[SimulatedDay], sl_threshold: float = 20.0,
              stacked: pd.DataFrame | None = None) -> list[dict[str, float]]:
    """:func:`day_kpis` of several days, measured in one pass over their stacked contacts.

    Equal to ``[day_kpis(d) for d in days]`` (tested): :func:`waitlab.analytics.summary_by`
    measures each day over its own span, exactly as ``summary_kpis`` measures one day.
    `stacked` is ``stack_contacts(days)`` when the caller has it already.
    """
    from waitlab.analytics import KPI_COLUMNS, summary_by
    from waitlab.sim._day import stack_contacts

    if not days:
        return []
    table = summary_by(stack_contacts(days) if stacked is None else stacked, "replication",
                       sl_threshold=sl_threshold, on_duty=SIM_ON_DUTY)
    rows = table[list(KPI_COLUMNS)].astype(np.float64).to_dict("index")  # one conversion, not one .at per cell
    out = []
    for k, day in enumerate(days):
        if k in rows:
            row = {c: float(rows[k][c]) for c in KPI_COLUMNS}
        else:  # a day without customers
            row = {c: float(v) for c, v in day_kpis(day, sl_threshold).items() if c in KPI_COLUMNS}
        row.update(_sim_kpis(day))
        out.append(row)
    return out


def _sim_kpis(day: SimulatedDay) -> dict[str, float]:
    sc, a = day.scenario, day.arrays
    horizon = sc.horizon
    wait = day.waits
    known = ~np.isnan(wait)
    desk_seconds = float(sc.on_duty.sum()) * float(sc.interval)
    work_start = a.called[~np.isnan(a.called)]
    work_end = a.ended[~np.isnan(a.called)]
    busy = np.clip(np.minimum(work_end, horizon) - np.minimum(work_start, horizon), 0, None).sum()
    last = np.nanmax(a.ended) if np.any(~np.isnan(a.ended)) else horizon
    return {
        "prob_wait": float(np.mean(wait[known] > 0)) if known.any() else float("nan"),
        "desk_hours": sc.desk_hours(),  # desk_seconds / 3600
        "occupancy_scheduled": float(busy / desk_seconds) if desk_seconds else float("nan"),
        "overrun_s": float(max(0.0, last - horizon)),
    }


def day_breaches(contacts: pd.DataFrame, rules: str | Path | RuleSet, seats: Seats) -> dict[str, float]:
    """Compliance of one day: breach counts per limit, the breaching share, and 0/1 flags.

    Keys: ``breaching_share`` (contacts breaching any limit / contacts), ``breaches_<id>``
    (contacts breaching limit ``<id>``), ``breached_<id>`` and ``breached_any`` (1.0 when the
    day breaches, else 0.0), and ``turn_order_violations`` when the rule set checks it.
    """
    from waitlab.compliance import check_compliance

    res = check_compliance(contacts, rules=rules, seats=seats)
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


def days_breaches(days: list[pd.DataFrame] | pd.DataFrame, rules: str | Path | RuleSet,
                  seats: Seats) -> list[dict[str, float]]:
    """:func:`day_breaches` of several days at once, from a single compliance call.

    `days` is a list of contacts tables, or one table with the day's index (0, 1, ...) in a
    ``replication`` column (:func:`waitlab.sim._day.stack_contacts`). The check groups by
    ``replication`` (``check_compliance(..., by="replication")``), so the waiting-room sweep,
    the turn order and every count stay within a day, and the figures of day ``k`` are read
    back from the breach and turn-order rows of replication ``k``.
    """
    from waitlab.compliance import check_compliance, load_rules

    if isinstance(days, pd.DataFrame):
        stacked, n_days = days, int(days["replication"].max()) + 1 if len(days) else 0
    else:
        stacked = pd.concat([d.assign(replication=k, contact_id=f"r{k}-" + d["contact_id"].astype("string"))
                             for k, d in enumerate(days)], ignore_index=True)
        n_days = len(days)
    if not n_days:
        return []
    ruleset = load_rules(rules)
    key = stacked["replication"].to_numpy(dtype=np.int64)
    res = check_compliance(stacked, rules=ruleset, seats=seats, by="replication")
    b, turn = res.breaches, res.turn_order
    bday = b["replication"].to_numpy(dtype=np.int64)
    tday = turn["replication"].to_numpy(dtype=np.int64)
    sizes = np.bincount(key, minlength=n_days)
    # counts per day by bincount (one pass each) rather than one filter of the breach table per day
    first = ~b[["replication", "contact_id"]].duplicated().to_numpy(dtype=bool)
    breaching_per_day = np.bincount(bday[first], minlength=n_days)
    rule = b["rule"].to_numpy(dtype=object)
    per_rule = {lim.id: np.bincount(bday[rule == lim.id], minlength=n_days) for lim in ruleset.limits}
    violations_per_day = np.bincount(tday, minlength=n_days)
    out = []
    for k in range(n_days):
        breaching = float(breaching_per_day[k])
        row: dict[str, float] = {"breaching_share": breaching / sizes[k] if sizes[k] else float("nan")}
        for lim in ruleset.limits:
            row[f"breaches_{lim.id}"] = float(per_rule[lim.id][k])
        violations = float(violations_per_day[k])
        if ruleset.checks_turn_order:
            row["turn_order_violations"] = violations
        for lim in ruleset.limits:
            row[f"breached_{lim.id}"] = float(row[f"breaches_{lim.id}"] > 0)
        row["breached_any"] = float(breaching > 0 or (ruleset.checks_turn_order and violations > 0))
        out.append(row)
    return out
