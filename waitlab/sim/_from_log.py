"""A scenario of one day of one site built from a contacts log: "the branch as it is".

What is taken from where (every choice is also written to the notes):

* arrivals -- the chosen day: counts per interval (``arrivals="rates"``) or the real times
  (``arrivals="trace"``); priority share -- the day's tickets of the queue;
* service and patience -- the queue's contacts over the **whole log** of the site (a day is
  too few services to estimate a spread; service times vary less from day to day than
  arrivals do). Service is the desk time ``ended_at - called_at`` of served and transferred
  contacts: the simulator has no walk-to-the-desk phase, so the walk is part of the service;
* desks -- desks grouped by their main queues (``queues`` of :func:`waitlab.analytics.pools`,
  over the whole log: the queues that make at least 10 % of a desk's services); a group's ``open`` count in an
  interval is its desks on duty that day (``desks_on_duty`` of
  :func:`waitlab.analytics.interval_stats`, default estimator), a time average rounded to the
  nearest whole desk (halves up), and at least one desk in an interval in which one of its desks
  called a contact and no group sharing its queues had a desk (a sparse queue's desk idles longer
  than the break threshold between calls, yet the log shows it at work). A pool with no desk on duty all day is left out when
  other groups serve its queues;
* visible abandonment (kiosk) -- per queue, abandoned / (abandoned + no_show) of its kiosk
  contacts over the whole log (0 when nobody left): the share of impatient customers who
  leave visibly rather than being found missing when called;
* ``no_show_seconds`` -- the median time a desk lost on a no-show (``ended_at - called_at``,
  or the gap to the desk's next call when someone was already waiting).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from waitlab._clock import clock, parse_clock, parse_interval, time_of_day
from waitlab.exceptions import ArgumentError, ScenarioError
from waitlab.sim._distributions import Distribution
from waitlab.sim._log_day import desk_seconds, log_channel, no_show_seconds, pick_day, site_log
from waitlab.sim._log_desks import ensure_cover, open_counts, pool_groups
from waitlab.sim._scenario import QueueSpec, Scenario

__all__ = ["scenario_from_log"]

_SERVICE = ("auto", "lognormal", "gamma", "empirical")


def scenario_from_log(
    contacts: pd.DataFrame,
    *,
    date: dt.date | str | None = None,
    interval: str | pd.Timedelta | float = "30min",
    service: str | Distribution = "auto",
    patience: str | float | Distribution | None = "auto",
    arrivals: str = "rates",
    site: str | None = None,
    start: dt.time | str | None = None,
    end: dt.time | str | None = None,
    name: str = "",
    service_profile: bool = True,
    _open: str = "on_duty",
) -> Scenario:
    """Scenario of one day of one site of a contacts log, "the site as it is".

    ``Scenario.from_log`` calls this. The assumptions made are the scenario's ``notes``.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table (:mod:`waitlab.schema`) with tz-aware timestamps and ``server``.
    date : datetime.date or "YYYY-MM-DD", optional
        Day of the log (local to the log's timezone); default the day with most arrivals.
    interval : str, Timedelta or float, default "30min"
        Schedule interval: a length such as ``"30min"``, a Timedelta or seconds (see
        :func:`waitlab.parse_interval`); it must divide a day.
    service : {"auto", "lognormal", "gamma", "empirical"} or Distribution
        ``auto`` and ``lognormal``: lognormal with the data's mean and coefficient of
        variation; ``gamma`` likewise; ``empirical``: resample the observed desk times.
        A queue whose times are all equal gets a deterministic service.
    patience : "auto", float, Distribution or None
        ``auto``: of the censored fits of :func:`waitlab.patience` over the queue's contacts
        (exponential, Weibull, lognormal), the one with the lowest AIC, None for a queue
        where nobody left; a number: exponential with that mean, seconds; None: nobody
        leaves.
    arrivals : {"rates", "trace"}
        Arrival counts per interval as rates per hour, or the real arrival times.
    site : str, optional
        Required when the log holds several sites.
    start, end : datetime.time or "HH:MM", optional
        Opening hours; default the day's first arrival floored and last arrival ceiled to
        `interval` (local time). Arrivals outside are left out (a note counts them).
    name : str
        Scenario name; default ``"<site> <date> (from log)"``.
    service_profile : bool, default True
        Scale each interval's service times by that day's own pace: the ratio of the desk
        time observed in the interval to what the queues' whole-log means predict for the
        same contacts, shrunk toward 1 by :data:`PROFILE_PSEUDO` contacts (service is often
        slower at some hours than at others). False keeps the whole-log service all day.
    _open : {"on_duty", "present"}
        Private (replay): ``"present"`` opens every desk with work overlapping the interval.

    Returns
    -------
    Scenario
        Its ``source`` reads ``"log of <site>, <date>"``; its ``notes`` give every assumption
        and estimate, one sentence each.

    Raises
    ------
    ScenarioError
        Empty table, missing columns, several sites without `site`, a date not in the log,
        bad options, or a queue with arrivals that no server ever called.
    """
    notes: list[str] = []
    log, site = site_log(contacts, site)
    tz = str(log["arrived_at"].dt.tz)
    day, when = pick_day(log, date, notes)
    length = _interval(interval)
    if arrivals not in ("rates", "trace"):
        raise ScenarioError(f'from_log: `arrivals` must be "rates" or "trace", got {arrivals!r}.')
    midnight = pd.Timestamp(when).tz_localize(tz)
    t_day = (day["arrived_at"] - midnight).dt.total_seconds().to_numpy()
    t0 = _time_arg(start, "start") if start is not None else math.floor(t_day.min() / length) * length
    t1 = _time_arg(end, "end") if end is not None else (math.floor(t_day.max() / length) + 1) * length
    if t1 > 86400 or t1 <= t0:  # 86400 ("24:00") is a center open until midnight
        raise ScenarioError(
            f"from_log: the day would run from {clock(t0)} to {clock(t1)}; "
            "give `start` and `end` within one day, end after start."
        )
    inside = (t_day >= t0) & (t_day < t1)
    if not inside.all():
        notes.append(f"{int((~inside).sum())} arrival(s) outside {clock(t0)}-{clock(t1)} left out.")
    day = day[inside]
    t_rel = t_day[inside] - t0
    k = round((t1 - t0) / length)
    if abs((t1 - t0) / length - k) > 1e-9:
        raise ScenarioError(
            f"from_log: {clock(t0)}-{clock(t1)} is not a whole number of "
            f"{length / 60:g}-min intervals; change `start`, `end` or `interval`."
        )
    desk = desk_seconds(log)
    channel = log_channel(day, notes)
    qnames = sorted(set(log["queue"].dropna().astype(str)))
    scale = _service_scale(log, desk, day, t_rel, length, k) if service_profile else ()
    groups = pool_groups(log, qnames)
    covered = {q for qs, _ in groups.values() for q in qs}
    queues: list[QueueSpec] = []
    for q in qnames:
        in_q = (day["queue"] == q).to_numpy(dtype=bool)
        values = desk[(log["queue"] == q).to_numpy(dtype=bool)]
        values = values[np.isfinite(values)]
        if not len(values) or q not in covered:
            if in_q.any():
                if q not in covered:
                    raise ScenarioError(
                        f"from_log: queue {q!r} has {int(in_q.sum())} arrival(s) on {when} but "
                        "no server ever called it (column `server`); fill `server` or build the "
                        "scenario in code."
                    )
                notes.append(
                    f"queue {q!r} left out: no served contact in the log to estimate its service time "
                    f"({int(in_q.sum())} arrival(s) on {when} dropped)."
                )
            continue
        t_q = np.sort(t_rel[in_q])
        spec: dict[str, Any]
        if arrivals == "trace":
            spec = {"arrival_times": tuple(float(x) for x in t_q)}
        else:
            counts = np.bincount((t_q // length).astype(np.int64), minlength=k)[:k]
            spec = {"rates_per_hour": tuple(float(c) * 3600.0 / length for c in counts)}
        prio = (
            pd.to_numeric(day.loc[in_q, "priority"], errors="coerce").fillna(0).to_numpy() > 0
            if "priority" in day.columns
            else np.zeros(int(in_q.sum()), dtype=bool)
        )
        queues.append(QueueSpec(
            name=q, service=_service(values, service, q), patience=_patience(log[log["queue"] == q], patience, q, notes),
            priority_share=float(prio.mean()) if len(prio) else 0.0, service_scale=scale,
            visible_abandon=_visible_share(log[log["queue"] == q]) if channel == "kiosk" else 0.0, **spec,
        ))  # fmt: skip
    kept = {q.name for q in queues}
    desks = open_counts(day, groups, kept, midnight + pd.Timedelta(seconds=t0), length, k, rule=_open)
    ensure_cover(queues, desks, length, notes)
    ns = no_show_seconds(log, notes) if channel == "kiosk" else 60.0
    notes += [
        f"arrivals: {'real arrival times' if arrivals == 'trace' else 'counts per interval as rates'} of "
        f"{when}, {clock(t0)}-{clock(t1)} ({str(tz)}).",
        "service: desk time ended_at - called_at of served/transferred contacts over the whole log "
        f"({'empirical' if service == 'empirical' else service if isinstance(service, str) else 'as given'}); "
        "the walk to the desk is part of it.",
        "patience: per queue over the whole log, waitlab.patience's guarded choice (the exponential MLE unless a "
        "Weibull or lognormal fit is clearly better and supported by the observed waits; None where nobody left)."
        if patience == "auto"
        else f"patience: {patience!r} for every queue.",
        "desk groups: desks grouped by their main queues over the whole log (the queues that make at least 10% of "
        "a desk's services, waitlab.analytics.pools); open = "
        + ("the group's desks on duty that day (desks_on_duty, estimator 'available': on duty through idle gaps "
           "shorter than 15 min, except while contacts of its main queues waited), a time average per interval rounded "
           "to the nearest whole desk (halves up), and at least 1 where one of its desks called a contact and no "
           "group sharing its queues had a desk."
           if _open == "on_duty" else "the pool's desks with work overlapping each interval that day."),
        "no_show = 0: kiosk no-shows come from patience (customers who left before being called).",
    ]
    if channel == "kiosk":
        notes.append("visible abandonment: per queue, the share of its kiosk leavers over the whole log that the log "
                     "records as abandoned (seen leaving) rather than no_show: "
                     + ", ".join(f"{q.name!r} {q.visible_abandon:.2f}" for q in queues)
                     + "; those leave at the end of their patience and cost no desk time.")
    if scale:
        notes.append(f"service pace: each interval's service times scaled by that day's observed desk time over the "
                     f"queues' whole-log means (from {min(scale):.2f} to {max(scale):.2f}; shrunk toward 1 by "
                     f"{PROFILE_PSEUDO} contacts per interval).")  # fmt: skip
    sc = Scenario(
        site=site,
        queues=tuple(queues),
        desks=tuple(desks),
        date=when,
        start=time_of_day(t0),
        end=time_of_day(t1) if t1 < 86400 else dt.time(0),  # 00:00 = midnight, the end of the day
        interval=length,
        timezone=tz,
        channel=channel,
        no_show_seconds=ns,
        name=name or f"{site} {when} (from log)",
        source=f"log of {site}, {when}",
        notes=tuple(notes),
    )
    return sc


def _visible_share(qlog: pd.DataFrame) -> float:
    """abandoned / (abandoned + no_show) of the queue's kiosk contacts (0 when none left)."""
    kiosk = qlog["channel"].astype("string").fillna("kiosk").eq("kiosk") if "channel" in qlog.columns else True
    outcome = qlog.loc[kiosk, "outcome"].astype("string")
    gone = int(outcome.eq("abandoned").sum()) + int(outcome.eq("no_show").sum())
    return int(outcome.eq("abandoned").sum()) / gone if gone else 0.0


def _interval(interval: Any) -> float:
    try:
        return parse_interval(interval, "interval")
    except ArgumentError:
        raise ScenarioError(
            f"from_log: `interval` must be seconds (or a length such as '30min') that divide a day, "
            f"got {interval!r}; e.g. 1800."
        ) from None


def _time_arg(value: Any, key: str) -> float:
    try:
        return parse_clock(value, f"`{key}`")
    except ArgumentError as exc:
        raise ScenarioError(f"from_log: {exc}") from None


def _service(values: np.ndarray, how: Any, queue: str) -> Distribution:
    if isinstance(how, Distribution):
        return how
    if how not in _SERVICE:
        raise ScenarioError(
            f"from_log: `service` must be one of {', '.join(_SERVICE)} or a Distribution, got {how!r}."
        )
    if how == "empirical":
        return Distribution(dist="empirical", values=tuple(float(v) for v in values))
    mean = float(values.mean())
    cv = float(values.std(ddof=1)) / mean if len(values) > 1 and mean > 0 else 0.0
    if mean <= 0:
        raise ScenarioError(
            f'from_log: queue {queue!r} has a mean desk time of 0 s; use service="empirical".'
        )
    if not cv > 0:
        return Distribution(dist="deterministic", mean=mean)
    return Distribution(dist="gamma" if how == "gamma" else "lognormal", mean=mean, cv=cv)


def _patience(qlog: pd.DataFrame, how: Any, queue: str, notes: list[str]) -> Distribution | None:
    if how is None or isinstance(how, Distribution):
        return how
    if isinstance(how, int | float) and not isinstance(how, bool):
        if not (how > 0 and math.isfinite(how)):
            raise ScenarioError(f"from_log: `patience` must be a positive number of seconds, got {how!r}.")
        return Distribution(dist="exponential", mean=float(how))
    if how != "auto":
        raise ScenarioError(
            f'from_log: `patience` must be "auto", seconds, a Distribution or None, got {how!r}.'
        )
    if not qlog["outcome"].isin(["abandoned", "no_show"]).fillna(False).any():
        return None
    from waitlab.analytics import patience as estimate

    return _best_fit(estimate(qlog), queue, notes)


def _best_fit(result: Any, queue: str, notes: list[str]) -> Distribution | None:
    """The guarded choice of :func:`waitlab.patience` (exponential unless a Weibull or lognormal
    fit is clearly better and its mean is supported by the observed waits) as a Distribution."""
    if not result.enough_data:  # too few leavers for any choice: the exponential MLE, said so
        mean = float(result.mean_patience)
        if not 0 < mean < math.inf:
            return None
        notes.append(f"patience of {queue!r}: exponential with the MLE mean {mean / 60:.1f} min (too few "
                     "leavers to choose a fit).")
        return Distribution(dist="exponential", mean=mean)
    family, mean, cv = result.choice, float(result.chosen_mean), float(result.chosen_cv)
    if family == "exponential" or not 0 < cv < math.inf:
        dist = Distribution(dist="exponential", mean=mean)
    else:
        dist = Distribution(dist=family, mean=mean, cv=min(max(cv, 0.003), 300.0))
    notes.append(f"patience of {queue!r}: {family} (mean {mean / 60:.1f} min, cv {cv:.2f}), the guarded choice "
                 f"of waitlab.patience (simple estimate {float(result.mean_patience) / 60:.1f} min).")
    return dist


#: Pseudo-contacts at the whole-log pace added to each interval of the service profile.
PROFILE_PSEUDO = 10


def _service_scale(
    log: pd.DataFrame, desk: np.ndarray, day: pd.DataFrame, t_rel: np.ndarray, length: float, k: int
) -> tuple[float, ...]:
    """Per interval, the day's desk time over the queues' whole-log means, shrunk toward 1."""
    means = pd.Series(desk).groupby(log["queue"].astype("string").to_numpy()).mean()
    own = desk_seconds(day)
    expect = day["queue"].astype("string").map(means).to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(own) & np.isfinite(expect)
    if not ok.any():
        return ()
    at = np.clip((t_rel[ok] // length).astype(np.int64), 0, k - 1)
    seen = np.bincount(at, weights=own[ok], minlength=k)
    exp = np.bincount(at, weights=expect[ok], minlength=k)
    n = np.bincount(at, minlength=k)
    pace = np.where(n > 0, exp / np.maximum(n, 1), float(np.mean(expect[ok])))  # mean expected time per contact
    return tuple(float(x) for x in (seen + PROFILE_PSEUDO * pace) / (exp + PROFILE_PSEUDO * pace))
