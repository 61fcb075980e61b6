"""One row per site and day: volume, waits, SL, abandonment, compliance and desks against need.

Every number comes from the library's own functions, run on one *partition* (one site and one
calendar month of ``arrived_at``, the unit of the store and of the dask path):

* volume, waits, SL and abandonment: :func:`waitlab.summary_by` with a ``day`` key (each day over
  its own span, as :func:`waitlab.summary_kpis` of that day alone), at the channel's default
  service-level threshold (:func:`waitlab.defaults_for`) unless a `target` is given;
* breaches per rule and turn-order violations: the numbers of :func:`waitlab.check_compliance`
  (its ``summary`` by day and its ``daily`` table), counted by its per-day core
  (``waitlab.compliance._check.breaches_by_day``, which skips the breach list and other summaries);
* desks on duty against desks needed: :func:`waitlab.staffing_from_log` per interval, summed to
  desk-hours per day (``desk_hours_needed = sum(desks) * width``, ``desk_hours_on_duty =
  sum(desks_on_duty) * width``, ``understaffed_hours`` = hours of the understaffed intervals,
  ``desk_hours_to_comply = sum(shortfall) * width``: the whole desks to add, times the hours).

Handling time and patience are estimated per partition, so a site's month gives the same answer
whether it is computed alone, in a network table or on a dask worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from waitlab._clock import parse_interval
from waitlab._defaults import defaults_for
from waitlab._notes import NotedFrame
from waitlab.analytics import interval_stats, summary_by
from waitlab.compliance import load_rules
from waitlab.compliance._check import breaches_by_day
from waitlab.compliance._rules import RuleSet
from waitlab.exceptions import ArgumentError, ModelInputError
from waitlab.schema import validate_contacts
from waitlab.staffing import staffing_from_log
from waitlab.targets import Target

__all__ = ["DAY_COLUMNS", "Options", "combine_days", "notes_for", "partition_days", "partitions_of", "site_days",
           "site_intervals"]

#: Columns of :func:`site_days` before the per-rule ``breaches_<id>`` columns.
DAY_COLUMNS = (
    "site", "day", "volume", "served", "abandoned", "no_show", "wait_mean", "wait_p90", "sl", "abandon_rate",
    "breaching", "breach_share",
)  # fmt: skip
#: Columns of :func:`site_days` after the per-rule ``breaches_<id>`` columns.
DESK_COLUMNS = (
    "turn_order_violations", "desks_on_duty", "desk_hours_on_duty", "desk_hours_needed", "understaffed_hours",
    "desk_hours_to_comply",
)  # fmt: skip


@dataclass(frozen=True)
class Options:
    """Checked options of the network analysis (picklable: sent to every dask task)."""

    rules: RuleSet | None
    seats: int | Mapping[str, int] | None
    target: Target | None
    interval: float

    @classmethod
    def read(cls, rules: str | Path | RuleSet | None, seats: Any, target: Target | None,
             interval: str | pd.Timedelta | float) -> Options:  # fmt: skip
        if target is not None and not isinstance(target, Target):
            raise ArgumentError(f"`target` must be a waitlab.Target (e.g. Target.service_level(900, 0.8)) or None, "
                                f"got {target!r}.")  # fmt: skip
        return cls(None if rules is None else load_rules(rules), seats, target, parse_interval(interval))

    def columns(self) -> list[str]:
        """The columns of a site-days table under these options."""
        ids = [f"breaches_{lim.id}" for lim in self.rules.limits] if self.rules is not None else []
        return [*DAY_COLUMNS, *ids, *DESK_COLUMNS]


def partitions_of(contacts: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """Split a contacts table into partitions ``(site, month, rows)``, sorted by site then month.

    The month is ``YYYY-MM`` of ``arrived_at`` in the table's own timezone (the store's layout).
    """
    validate_contacts(contacts)
    if contacts["site"].isna().any():
        raise ArgumentError(f"`contacts` has {int(contacts['site'].isna().sum())} row(s) with no `site`; a network "
                            "analysis needs a site on every row (read the logs with site_from=... or fill the column).")  # fmt: skip
    arrived = contacts["arrived_at"]
    month = (arrived.dt.year * 100 + arrived.dt.month).to_numpy()
    keys = pd.DataFrame({"site": contacts["site"].astype(str).to_numpy(), "month": month})
    out = []
    for (site, ym), idx in keys.groupby(["site", "month"], sort=True).indices.items():
        out.append((str(site), f"{int(ym) // 100:04d}-{int(ym) % 100:02d}", contacts.iloc[idx]))
    return out


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """The partition in one fixed order (arrival, then id), whatever order its rows came in."""
    return rows.sort_values(["arrived_at", "contact_id"], kind="stable").reset_index(drop=True)


def _target(rows: pd.DataFrame, opt: Options) -> Target:
    if opt.target is not None:
        return opt.target
    d = defaults_for(rows)
    return Target.service_level(d.sl_threshold, d.sl_share)


def _staffing(rows: pd.DataFrame, opt: Options, goal: Target, notes: list[str], site: str, month: str) -> pd.DataFrame | None:
    """The staffing plan per interval, or None (with a note) when the partition has nothing to measure it from."""
    try:
        return staffing_from_log(rows, targets=goal, interval=opt.interval).table
    except ModelInputError as exc:
        notes.append(f"Site {site}, {month}: desks needed not computed ({exc})")
        return None


def partition_days(rows: pd.DataFrame, opt: Options, site: str, month: str) -> tuple[pd.DataFrame, list[str]]:
    """Site-days of one partition (one site, one month) and the notes it raised."""
    rows = _ordered(rows)
    notes: list[str] = []
    goal = _target(rows, opt)
    sl_t = goal.limit if goal.metric in ("service_level", "share_wait_over") else defaults_for(rows).sl_threshold
    day = rows["arrived_at"].dt.date
    kpi = summary_by(rows.assign(day=day), "day", sl_threshold=float(sl_t))
    days = pd.Index(kpi.index, name="day")
    out = pd.DataFrame({
        "site": site, "day": pd.to_datetime(pd.Series(days)).to_numpy(dtype="datetime64[ns]"),
        "volume": kpi["arrivals"].to_numpy(dtype=np.int64), "served": kpi["served"].to_numpy(dtype=np.int64),
        "abandoned": kpi["abandoned"].to_numpy(dtype=np.int64), "no_show": kpi["no_show"].to_numpy(dtype=np.int64),
        "wait_mean": kpi["wait_mean"].to_numpy(float), "wait_p90": kpi["wait_p90"].to_numpy(float),
        "sl": kpi["sl_offered"].to_numpy(float), "abandon_rate": kpi["abandon_rate"].to_numpy(float),
    })  # fmt: skip
    if opt.rules is not None:
        by_day = breaches_by_day(rows, opt.rules, opt.seats).reindex(list(days), fill_value=0)
        out["breaching"] = by_day["breaching"].to_numpy(dtype=np.int64)
        out["breach_share"] = out["breaching"] / out["volume"]
        for lim in opt.rules.limits:
            out[f"breaches_{lim.id}"] = by_day[f"breaching_{lim.id}"].to_numpy(dtype=np.int64)
        out["turn_order_violations"] = by_day["turn_order_violations"].to_numpy(dtype=np.int64)
    else:
        out["breaching"], out["breach_share"], out["turn_order_violations"] = 0, np.nan, 0
    out["desks_on_duty"] = kpi["desks_on_duty"].to_numpy(float)
    plan = _staffing(rows, opt, goal, notes, site, month)
    hours = opt.interval / 3600.0
    if plan is None:
        for c in ("desk_hours_on_duty", "desk_hours_needed", "understaffed_hours", "desk_hours_to_comply"):
            out[c] = np.nan
    else:
        g = plan.groupby(plan["interval_start"].dt.date)
        per = pd.DataFrame({
            "desk_hours_on_duty": g["desks_on_duty"].sum() * hours, "desk_hours_needed": g["desks"].sum() * hours,
            "understaffed_hours": g["understaffed"].sum() * hours, "desk_hours_to_comply": g["shortfall"].sum() * hours,
        }).reindex(list(days), fill_value=0.0)  # fmt: skip
        for c in per.columns:
            out[c] = per[c].to_numpy(dtype=float)
    return out[opt.columns()], notes


def notes_for(opt: Options) -> list[str]:
    """The sentences every site-days table carries under these options."""
    goal = goal_text(opt)
    width = f"{opt.interval / 60:g} min"
    notes = [
        "One row per site and day (local date of arrived_at); each site-month is computed on its own "
        "(handling time and patience are estimated per site and month).",
        f"Service level sl: share of arrivals called within the threshold of {goal}.",
        f"Desks needed: waitlab.staffing_from_log per {width} interval for {goal}, all desks of a site as one "
        "pool; desk-hours are the interval values times its width, summed over the day.",
        "desks_on_duty is the time average over the day's span (first arrival to last event), from summary_by.",
    ]
    if opt.rules is None:
        notes.append("No rule set: breaches and turn order were not checked.")
    else:
        notes.append(f"Compliance: rule set {opt.rules.name}; breaches_<rule> counts the contacts over that limit, "
                     "breaching those over at least one.")  # fmt: skip
        if opt.seats is None:
            notes.append("Seats unknown: every second of waiting counts as standing.")
    return notes


def goal_text(opt: Options) -> str:
    """The target every partition is staffed for, as words (the channel default when none was given)."""
    if opt.target is not None:
        return opt.target.describe()
    return "the channel default (waitlab.defaults_for: kiosk 80 % called within 15 min, phone 80 % within 20 s)"


def site_days(
    contacts: pd.DataFrame,
    *,
    rules: str | Path | RuleSet | None = "CABA",
    seats: int | Mapping[str, int] | None = None,
    target: Target | None = None,
    interval: str | pd.Timedelta | float = "30min",
) -> NotedFrame:
    """One row per site and day: volume, waits, SL, abandonment, breaches, turn order, desks.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table (:mod:`waitlab.schema`) with a ``site`` on every row.
    rules : str, Path, RuleSet or None, default "CABA"
        Rule set for the breach counts (see :func:`waitlab.check_compliance`); None skips compliance.
    seats : int, mapping site -> int, or None
        Waiting-room seats (None: unknown, every second of waiting counts as standing).
    target : Target, optional
        What every interval is staffed for and the SL threshold; default the channel's
        (:func:`waitlab.defaults_for`: kiosk 80 % within 15 min, phone 80 % within 20 s).
    interval : str, Timedelta or float, default "30min"
        Interval of the staffing plan (:func:`waitlab.parse_interval`).

    Returns
    -------
    NotedFrame
        ``site``, ``day`` (local date, as a naive timestamp), ``volume`` (arrivals), ``served``,
        ``abandoned``, ``no_show``, ``wait_mean``, ``wait_p90`` (seconds), ``sl`` (share of
        arrivals called within the threshold), ``abandon_rate``, ``breaching`` (contacts over at
        least one limit), ``breach_share``, ``breaches_<rule>`` per limit,
        ``turn_order_violations``, ``desks_on_duty`` (time average), ``desk_hours_on_duty``,
        ``desk_hours_needed``, ``understaffed_hours`` and ``desk_hours_to_comply``; sorted by site
        and day.

    Examples
    --------
    A site whose only customer waited 95 minutes shows one breach of the 90-minute limit:

    >>> from waitlab.schema import coerce_contacts
    >>> df = coerce_contacts(pd.DataFrame({
    ...     "contact_id": ["a"], "site": "s", "queue": "q", "channel": "kiosk", "outcome": "served",
    ...     "arrived_at": ["2024-03-04 10:00"], "called_at": ["2024-03-04 11:35"], "server": "d1",
    ...     "started_at": ["2024-03-04 11:35"], "ended_at": ["2024-03-04 11:40"]}), tz="UTC")
    >>> int(site_days(df)["breaches_total_90"].iloc[0])
    1
    """
    opt = Options.read(rules, seats, target, interval)
    parts = partitions_of(contacts)
    frames, notes = [], notes_for(opt)
    for site, month, rows in parts:
        frame, more = partition_days(rows, opt, site, month)
        frames.append(frame)
        notes += more
    return combine_days(frames, opt, notes)


def combine_days(frames: list[pd.DataFrame], opt: Options, notes: list[str]) -> NotedFrame:
    """The partitions' site-days as one table sorted by site and day (an empty table keeps the columns)."""
    cols = opt.columns()
    if not frames:
        return NotedFrame(pd.DataFrame({c: [] for c in cols}), notes=notes)
    table = pd.concat(frames, ignore_index=True).sort_values(["site", "day"], kind="stable").reset_index(drop=True)
    return NotedFrame(table[cols], notes=notes)


def site_intervals(rows: pd.DataFrame, opt: Options) -> NotedFrame:
    """One site's interval table: observed KPIs next to the desks needed, partition by partition."""
    frames: list[pd.DataFrame] = []
    notes: list[str] = []
    for site, month, part in partitions_of(rows):
        part = _ordered(part)
        goal = _target(part, opt)
        sl_t = goal.limit if goal.metric in ("service_level", "share_wait_over") else defaults_for(part).sl_threshold
        obs = interval_stats(part, interval=opt.interval, sl_threshold=float(sl_t))
        keep = ["interval_start", "arrivals", "served", "abandoned", "no_show", "wait_mean", "wait_p90", "sl_offered",
                "abandon_rate", "desks_on_duty"]  # fmt: skip
        table = obs[keep].rename(columns={"sl_offered": "sl"})
        plan = _staffing(part, opt, goal, notes, site, month)
        if plan is not None:
            need = plan[["interval_start", "desks", "shortfall", "understaffed"]].rename(columns={"desks": "desks_needed"})
            table = table.merge(need, on="interval_start", how="left")
        table.insert(0, "site", site)
        frames.append(table)
    if not frames:
        return NotedFrame(pd.DataFrame(), notes=notes)
    return NotedFrame(pd.concat(frames, ignore_index=True), notes=notes)
