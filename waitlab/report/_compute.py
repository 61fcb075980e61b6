"""The numbers of the report, computed once per channel with the library's public functions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from waitlab._clock import parse_interval
from waitlab._defaults import ChannelDefaults, defaults_for
from waitlab.analytics import interval_stats, patience, summary_by, summary_kpis
from waitlab.compliance import Seats, check_compliance
from waitlab.exceptions import WaitlabError
from waitlab.schema import validate_contacts, wait_seconds

__all__ = ["ReportData", "compute_report"]


@dataclass
class ReportData:
    """Everything the report shows, computed once (the dashboard reuses it).

    For a log with both channels, ``parts`` holds one ReportData per channel and the other
    tables are those of the whole log.
    """

    contacts: pd.DataFrame
    defaults: ChannelDefaults
    kpis: dict[str, Any]
    by_site: pd.DataFrame
    by_queue: pd.DataFrame
    intervals: pd.DataFrame  # whole log, per interval
    intervals_by_queue: pd.DataFrame
    time_of_day: pd.DataFrame  # per interval of the day, every day pooled
    profile: pd.DataFrame  # per weekday and hour
    daily: pd.DataFrame  # every calendar day, with ``missing`` and ``closed``
    compliance: Any | None
    staffing: Any | None
    patience: Any | None
    patience_simple: bool = False  # the headline is the simple estimate (abandonments / time waited)
    interval: float = 1800.0
    notes: list[str] = field(default_factory=list)
    ingest: Any | None = None
    parts: dict[str, ReportData] = field(default_factory=dict)


def _with(contacts: pd.DataFrame, name: str, values: pd.Series) -> pd.DataFrame:
    out = contacts.copy(deep=False)
    out[name] = values
    return out


def _by_site(c: pd.DataFrame, kpis: Any, sl: float) -> pd.DataFrame:
    """``summary_by(c, "site")``; for a log of one site, its row is the log's `kpis` (the same computation)."""
    site = c["site"]
    if not site.notna().any():
        return pd.DataFrame()
    codes, names = pd.factorize(site, use_na_sentinel=False)
    if len(names) > 1:
        return pd.DataFrame(summary_by(c, "site", sl_threshold=sl))
    cols = [k for k in kpis if k not in ("first_arrival", "last_event")]  # summary_by's columns, span_s last
    return pd.DataFrame({k: [kpis[k]] for k in cols}, index=pd.Index(names, name="site"))


def _slot_frames(c: pd.DataFrame, width: float, sl: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """KPIs per interval of the day (all days pooled) and per weekday x hour, from summary_by.

    A slot pooled over the days spans the whole log, so its time-weighted KPIs (people waiting,
    desks) mean nothing and the report shows none: the tables are computed without desk names,
    which skips the desk estimators (every other KPI is the same).
    """
    arr = c["arrived_at"]
    c = _with(c, "server", pd.Series(pd.NA, index=c.index, dtype="string"))
    minutes = arr.dt.hour * 60 + arr.dt.minute
    step = max(1, int(round(width / 60)))
    slot_min = (minutes // step) * step
    codes, starts = pd.factorize(slot_min)  # each slot's label written once, not once per contact
    names = pd.Series([f"{int(m) // 60:02d}:{int(m) % 60:02d}" for m in starts])
    labels = pd.Series(names.to_numpy()[codes], index=slot_min.index, dtype=names.dtype)
    day = arr.dt.normalize()
    days = max(1, day.nunique())
    tod = summary_by(_with(c, "slot", labels), "slot", sl_threshold=sl)
    tod = tod.sort_index()
    tod.insert(0, "arrivals_per_day", tod["arrivals"] / days)
    key = arr.dt.day_of_week * 100 + arr.dt.hour
    prof = summary_by(_with(c, "dow_hour", key), "dow_hour", sl_threshold=sl)
    idx = prof.index.to_numpy(dtype=int)
    prof = pd.DataFrame(prof)
    prof["weekday"], prof["hour"] = idx // 100, idx % 100
    n_weekdays = day.drop_duplicates().dt.day_of_week.value_counts()
    prof["arrivals_per_day"] = prof["arrivals"] / prof["weekday"].map(n_weekdays).astype(float)
    return pd.DataFrame(tod), prof.sort_values(["weekday", "hour"])


def _daily(c: pd.DataFrame, sl: float) -> pd.DataFrame:
    """One row per calendar day from the first to the last; days without contacts flagged."""
    d = pd.DataFrame(interval_stats(c, interval="1D", sl_threshold=sl))
    d = d[d["interval_start"] <= c["arrived_at"].max()].copy()
    d.insert(0, "day", d["interval_start"].dt.date)
    dow = d["interval_start"].dt.day_of_week
    open_dows = set(dow[d["arrivals"] > 0])
    empty = d["arrivals"] == 0
    d["closed"] = empty & ~dow.isin(open_dows)  # a weekday never open in the log (e.g. Sundays)
    d["missing"] = empty & dow.isin(open_dows)  # a weekday open on other weeks: data missing, or closed that day
    return d.drop(columns=["interval_start"]).reset_index(drop=True)


def _patience(c: pd.DataFrame, notes: list[str]) -> tuple[Any | None, bool]:
    if not c["outcome"].isin(["abandoned", "no_show"]).any():
        notes.append("patience: nobody left without service, so there is no patience to estimate")
        return None, False
    try:
        pat = patience(c)
    except (WaitlabError, ValueError) as exc:
        notes.append(f"patience: {exc}")
        return None, False
    notes.extend(pat.notes)
    longest = float(np.nanmax(wait_seconds(c).to_numpy(dtype=float))) if len(c) else math.nan
    mean = float(pat.chosen_mean) if pat.enough_data else math.nan  # waitlab.patience's guarded choice
    # a Weibull or lognormal whose mean lies beyond every observed wait is not shown as the headline
    # (the guard of waitlab.patience makes it rare); the exponential MLE is the simple estimate itself
    simple = (pat.enough_data and pat.choice != "exponential"
              and (not math.isfinite(mean) or (math.isfinite(longest) and mean > longest)))
    return pat, simple and math.isfinite(float(pat.mean_patience))


def _staffing(c: pd.DataFrame, d: ChannelDefaults, width: float, theta: float | None, notes: list[str]) -> Any | None:
    from waitlab.staffing import staffing_from_log
    from waitlab.targets import Target

    try:  # the patience the report shows (estimated once), so staffing and the patience section agree
        return staffing_from_log(c, targets=Target.service_level(d.sl_threshold, d.sl_share), interval=width,
                                 mean_patience=theta)
    except WaitlabError as exc:
        notes.append(f"staffing: {exc}")
        return None


def compute_report(
    contacts: pd.DataFrame,
    *,
    ingest: Any | None = None,
    rules: Any = "auto",
    seats: Seats = None,
    interval: str | pd.Timedelta | float = "30min",
    sl_threshold: float | None = None,
    sl_share: float | None = None,
    staffing: bool = True,
) -> ReportData:
    """Compute the tables of the report (no files written).

    `rules`, `sl_threshold` and `sl_share` default to the channel's (see :func:`waitlab.defaults_for`);
    a log with both channels is split, one part per channel. `interval` is the width of the
    interval tables ("30min", a Timedelta or seconds). `staffing=False` skips the staffing section.
    """
    width = parse_interval(interval)
    validate_contacts(contacts)
    d = defaults_for(contacts, rules=rules, sl_threshold=sl_threshold, sl_share=sl_share)
    if d.parts:
        parts = {ch: compute_report(contacts[contacts["channel"] == ch], ingest=None, rules=rules, seats=seats,
                                    interval=width, sl_threshold=sl_threshold, sl_share=sl_share, staffing=staffing)
                 for ch in d.parts}
        first = next(iter(parts.values()))
        whole = _one(contacts, first.defaults, width, seats, ingest, staffing=False, compliance=False)
        whole.defaults, whole.parts = d, parts
        return whole
    return _one(contacts, d, width, seats, ingest, staffing=staffing, compliance=True)


def _one(c: pd.DataFrame, d: ChannelDefaults, width: float, seats: Seats, ingest: Any | None, *,
         staffing: bool, compliance: bool) -> ReportData:
    sl = d.sl_threshold
    kpis = summary_kpis(c, sl_threshold=sl)
    notes: list[str] = [*kpis.notes]
    if len(c) == 0:
        empty = pd.DataFrame()
        return ReportData(c, d, dict(kpis), empty, empty, empty, empty, empty, empty, empty, None, None, None,
                          interval=width, notes=notes, ingest=ingest)
    by_site = _by_site(c, kpis, sl)
    by_queue = summary_by(c, "queue", sl_threshold=sl)
    intervals = interval_stats(c, interval=width, sl_threshold=sl)
    by_q = interval_stats(c, interval=width, by=["queue"], sl_threshold=sl)
    notes += [*intervals.notes, *by_q.notes]
    tod, prof = _slot_frames(c, width, sl)
    comp = check_compliance(c, rules=d.rules, seats=seats) if compliance and d.rules is not None else None
    pat, simple = _patience(c, notes)
    theta = None
    if pat is not None:
        theta = float(pat.mean_patience)  # Erlang A assumes exponential patience: its MLE, the simple estimate
        theta = theta if math.isfinite(theta) and theta > 0 else None
    plan = _staffing(c, d, width, theta, notes) if staffing else None
    return ReportData(c, d, dict(kpis), by_site, pd.DataFrame(by_queue), pd.DataFrame(intervals),
                      pd.DataFrame(by_q), tod, prof, _daily(c, sl), comp, plan, pat, simple, width,
                      list(dict.fromkeys(notes)), ingest)
