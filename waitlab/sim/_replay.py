"""Trace-driven replay: the real customers of a day of the log against another desk schedule.

Nothing is random. Each customer of the day keeps what the log says about them:

* arrival time, queue and priority class;
* desk time: served and transferred contacts keep ``ended_at - called_at`` (the walk to the
  desk included, as in :func:`~waitlab.sim.scenario_from_log`) and, in the replayed table,
  their walk ``started_at - called_at`` too, so the AHT of an unchanged schedule is the real
  one; customers the log never saw served (no-shows, abandonments) get the median desk time
  of their queue that day if the replay serves them;
* patience: answered customers never leave (``inf``: they stayed at least their real wait,
  and with the same or more desks they wait about as long or less; with fewer desks this
  understates leaving). Abandonments leave after their observed wait. A no-show left at an
  unknown moment before being called; they are taken to stay until just before their real
  call (the latest moment the log allows), so a replay that calls them sooner serves them --
  the optimistic end for no-shows.
* At a kiosk the engine can only turn an impatient customer into a no-show when called (the
  desk loses ``no_show_seconds``), while a logged ``abandoned`` ticket told the kiosk and
  cost no desk time. So a kiosk abandonment the replay does not reach in time is taken out
  and the day replayed again (until no such customer is left); it keeps its logged row.
* ``other`` contacts (e.g. cancelled by staff) used no desk: they keep their logged rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from waitlab._clock import parse_interval, time_of_day
from waitlab.compliance import Seats
from waitlab.exceptions import ScenarioError
from waitlab.schema import coerce_contacts
from waitlab.sim._day import simulate_day
from waitlab.sim._draws import Draws
from waitlab.sim._from_log import scenario_from_log
from waitlab.sim._kpis import day_breaches
from waitlab.sim._log_day import pick_day, site_log
from waitlab.sim._outcome import NO_SHOW
from waitlab.sim._scenario import Scenario

__all__ = ["ReplayResult", "replay"]

_SHOWN = ("arrivals", "served", "abandoned", "no_show", "other", "wait_mean", "wait_p90", "wait_max", "mean_service",
          "sl_offered", "abandon_rate")  # fmt: skip


@dataclass(frozen=True, eq=False)
class ReplayResult:
    """A day of the log as it happened and as replayed against another desk schedule.

    Attributes
    ----------
    scenario : Scenario
        The replayed day (arrival trace, desk schedule after the overrides).
    baseline, replayed : dict of str to float
        KPIs of :func:`waitlab.summary_kpis` plus the compliance counts of
        :func:`waitlab.compliance` (``breaching_share``, ``breaches_<rule>``, ...), of the
        log's day and of the replayed day. Times in seconds, shares in [0, 1].
    comparison : DataFrame
        Columns ``kpi, actual, replayed, difference`` (replayed - actual).
    contacts : DataFrame
        The replayed day in the canonical schema (the log's ``contact_id`` and tickets).
    actual : DataFrame
        The log's contacts of that day.
    notes : tuple of str
        Assumptions made.
    """

    scenario: Scenario
    baseline: dict[str, float]
    replayed: dict[str, float]
    comparison: pd.DataFrame
    contacts: pd.DataFrame
    actual: pd.DataFrame
    notes: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        head = f"Replay of {self.scenario.site}, {self.scenario.date} ({self.scenario.horizon / 3600:g} h)"
        table = self.comparison.to_string(index=False, float_format=lambda x: f"{x:.4g}")
        return "\n".join([head, table, *(f"Note: {n}" for n in self.notes)])


def replay(
    contacts: pd.DataFrame,
    desks: Mapping[str, Any] | None = None,
    *,
    date: Any = None,
    site: str | None = None,
    rules: str | Path | Any = "CABA",
    seats: Seats = None,
    engine: str = "auto",
    sl_threshold: float = 20.0,
    interval: str | pd.Timedelta | float = "30min",
) -> ReplayResult:
    """Replay the real arrivals and service times of a day of the log against a desk schedule.

    Parameters
    ----------
    contacts : DataFrame
        A contacts log (:mod:`waitlab.schema`) with ``server``.
    desks : mapping of group name to schedule, optional
        Overrides of the desk groups of :func:`~waitlab.sim.scenario_from_log` (one group per
        pool of desks, :func:`waitlab.analytics.pools`; the error for an unknown name lists them). A
        schedule is an int (that many desks all day), ``"+n"`` / ``"-n"`` (n more / fewer than
        the log had in every interval, never below 0), a list with one count per interval,
        or ``{"HH:MM": n}`` (n desks from that time on; earlier intervals keep the log's).
        None replays the day as it was staffed.
    date, site
        The day and site (see :func:`~waitlab.sim.scenario_from_log`; default the busiest day).
    rules, seats
        Compliance rule set and waiting-room seats (:func:`waitlab.compliance.check_compliance`,
        :data:`waitlab.compliance.Seats`); rules None skips compliance.
    engine : {"auto", "simpy", "fast"}
    sl_threshold : float
        Service-level threshold, seconds.
    interval : str, Timedelta or float, default "30min"
        Schedule interval: a length such as ``"30min"``, a Timedelta or seconds (see
        :func:`waitlab.parse_interval`; it must divide a day). The day runs from the first
        arrival (floored) until the last call or service end of the day (ceiled), so the
        desks that stayed after hours are replayed too.

    Returns
    -------
    ReplayResult

    Notes
    -----
    With the schedule the day had, one queue, FIFO and desks that really were open all of
    each interval, the replay reproduces the real waits exactly. It cannot when desks came or
    went inside an interval (a desk at work for part of an interval counts as open for all of
    it), when staff called out of turn, or for no-shows (whose desk loss is the log's median).
    """
    interval = parse_interval(interval, "interval")
    log, site = site_log(contacts, site)
    notes: list[str] = []
    day, when = pick_day(log, date, notes)
    tz = str(log["arrived_at"].dt.tz)
    midnight = pd.Timestamp(when).tz_localize(tz)
    last = day[["arrived_at", "called_at", "ended_at"]].max().max()
    first = (day["arrived_at"].min() - midnight).total_seconds()
    t0 = math.floor(first / interval) * interval
    t1 = min((math.floor((last - midnight).total_seconds() / interval) + 1) * interval, 86400.0)
    sc = scenario_from_log(
        log, date=when, interval=interval, arrivals="trace", patience=None, start=time_of_day(t0),
        end=time_of_day(t1) if t1 < 86400 else "24:00", _open="present",
    )  # fmt: skip
    notes += [n for n in sc.notes if n.startswith(("date:", "no_show_seconds", "desk groups"))]
    if desks:
        sc = _override(sc, desks)
    actual = day.sort_values("arrived_at", kind="stable").reset_index(drop=True)
    replayed = _run(sc, actual, engine, notes)
    base = _kpis(actual, rules, seats, sl_threshold)
    new = _kpis(replayed, rules, seats, sl_threshold)
    keys = [k for k in (*_SHOWN, *base) if k in new]
    keys = list(dict.fromkeys(keys))
    comparison = pd.DataFrame(
        {"kpi": keys, "actual": [base[k] for k in keys], "replayed": [new[k] for k in keys]}
    )
    comparison["difference"] = comparison["replayed"] - comparison["actual"]
    return ReplayResult(sc, base, new, comparison, replayed, actual, tuple(notes))


def _override(sc: Scenario, desks: Mapping[str, Any]) -> Scenario:
    names = [g.name for g in sc.desks]
    unknown = [n for n in desks if n not in names]
    if unknown:
        raise ScenarioError(
            f"replay: no desk group {unknown[0]!r} in the log; the groups are {', '.join(names)}."
        )
    name = f"{sc.name}, desks changed"
    for group, spec in desks.items():
        if isinstance(spec, str) and spec.strip()[:1] in "+-" and spec.strip()[1:].isdigit():
            sc = sc.with_desks(group, change=int(spec), name=name)
        elif isinstance(spec, int | np.integer) and not isinstance(spec, bool) and spec >= 0:
            sc = sc.with_desks(group, int(spec), name=name)
        elif isinstance(spec, Mapping):
            for hhmm, n in sorted(spec.items()):  # n desks from that time on
                sc = sc.with_desks(group, n, start=hhmm, name=name)
        elif isinstance(spec, list | tuple):
            sc = sc.with_desks(group, spec, name=name)
        else:
            raise ScenarioError(
                f'replay: desks {group!r} = {spec!r} is not a schedule; give a count, "+n", '
                f'"-n", {sc.n_intervals} counts (one per interval) or {{"HH:MM": n}}.'
            )
    return sc


def _seconds(s: pd.Series, origin: pd.Timestamp) -> np.ndarray:
    return (s - origin).dt.total_seconds().to_numpy(dtype=float, na_value=np.nan)


def _run(sc: Scenario, actual: pd.DataFrame, engine: str, notes: list[str]) -> pd.DataFrame:
    origin = sc.origin
    names = [q.name for q in sc.queues]
    outcome = actual["outcome"].astype(str).to_numpy(dtype=object)
    keep = actual["queue"].isin(names).to_numpy(dtype=bool) & (outcome != "other")
    arrival = _seconds(actual["arrived_at"], origin)
    called = _seconds(actual["called_at"], origin)
    held = _seconds(actual["ended_at"], origin) - called
    walk = np.nan_to_num(_seconds(actual["started_at"], origin) - called, nan=0.0)
    answered = np.isin(outcome, ["served", "transferred"]) & (held >= 0)
    queue = np.array([names.index(q) if q in names else -1 for q in actual["queue"]], dtype=np.int64)
    typical = np.zeros(len(names))
    for i, q in enumerate(sc.queues):
        own = answered & (queue == i)
        typical[i] = float(np.median(held[own])) if own.any() else q.service.expected
    service = np.where(answered, held, typical[queue])
    wait = called - arrival
    patience = np.full(len(actual), np.inf)
    ns = outcome == "no_show"
    patience[ns] = np.maximum(wait[ns] - np.minimum(0.5, wait[ns] / 2), 0.0)
    ab = outcome == "abandoned"
    patience[ab] = _seconds(actual["ended_at"], origin)[ab] - arrival[ab]
    keep &= np.isfinite(arrival) & np.isfinite(service) & ~(ab & ~(patience >= 0))
    priority = (pd.to_numeric(actual["priority"], errors="coerce").fillna(0).to_numpy() > 0).astype(np.int64)
    kiosk_abandons = ab if sc.channel == "kiosk" else np.zeros(len(actual), dtype=bool)
    while True:
        idx = np.flatnonzero(keep)
        idx = idx[np.lexsort((queue[idx], arrival[idx]))]
        draws = Draws(arrival[idx], queue[idx], service[idx], patience[idx], priority[idx],
                      np.zeros(len(idx), dtype=bool))  # fmt: skip
        day = simulate_day(sc, draws=draws, engine=engine)
        missed = idx[(day.arrays.outcome == NO_SHOW) & kiosk_abandons[idx]]
        if not len(missed):
            break
        keep[missed] = False
    unreached = int(kiosk_abandons.sum() - kiosk_abandons[idx].sum())
    if unreached:
        notes.append(f"{unreached} kiosk abandonment(s) not reached in time keep their logged row.")
    out = day.contacts.copy()
    for col in ("contact_id", "ticket", "customer_id"):
        out[col] = actual[col].to_numpy()[idx] if col in actual.columns else out[col]
    served = out["outcome"].eq("served").to_numpy(dtype=bool)
    out.loc[served, "started_at"] = out.loc[served, "called_at"] + pd.to_timedelta(
        walk[idx][served], unit="s"
    )
    out.loc[served & (outcome[idx] == "transferred"), "outcome"] = "transferred"
    rest = actual.iloc[np.flatnonzero(~keep)]
    if len(rest):
        notes.append(
            f"{len(rest)} contact(s) that used no desk (other, unreached abandonments, queues without "
            "service data) keep their logged rows."
        )
    both = pd.concat([out, coerce_contacts(rest, tz=sc.timezone)[out.columns]], ignore_index=True)
    return coerce_contacts(
        both.sort_values("arrived_at", kind="stable").reset_index(drop=True), tz=sc.timezone
    )


def _kpis(contacts: pd.DataFrame, rules: Any, seats: Seats, sl_threshold: float) -> dict[str, float]:
    from waitlab.analytics import KPI_COLUMNS, summary_kpis

    summary = summary_kpis(contacts, sl_threshold=sl_threshold)
    out = {k: float(summary[k]) for k in KPI_COLUMNS}
    if rules is not None:
        out.update(day_breaches(contacts, rules, seats))
    return out
