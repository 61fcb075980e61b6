"""Reading one site's day out of a contacts log: the pieces that from_log and replay share."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from waitlab.exceptions import ScenarioError
from waitlab.schema import CHANNELS

__all__ = ["NEEDED", "desk_seconds", "log_channel", "no_show_seconds", "pick_day", "site_log"]

#: Columns a log needs to become a scenario.
NEEDED = ("queue", "arrived_at", "called_at", "ended_at", "outcome", "server")


def site_log(contacts: Any, site: str | None) -> tuple[pd.DataFrame, str]:
    if not isinstance(contacts, pd.DataFrame):
        raise ScenarioError(
            f"from_log: `contacts` must be a contacts DataFrame, got {type(contacts).__name__}."
        )
    missing = [c for c in NEEDED if c not in contacts.columns]
    if missing:
        raise ScenarioError(
            f"from_log: the contacts table lacks column(s) {missing}; read the log with "
            "waitlab.read_log so it follows waitlab.schema."
        )
    log = contacts[contacts["arrived_at"].notna().to_numpy(dtype=bool)]
    if log.empty:
        raise ScenarioError(
            "from_log: the contacts table has no contact with an arrival time; "
            "a scenario needs at least one day of arrivals."
        )
    if not isinstance(log["arrived_at"].dtype, pd.DatetimeTZDtype):
        raise ScenarioError(
            "from_log: `arrived_at` is timezone-naive; coerce the table with "
            "waitlab.schema.coerce_contacts(df, tz=...)."
        )
    sites = sorted(map(str, log["site"].dropna().unique())) if "site" in log.columns else []
    if site is None:
        if len(sites) > 1:
            raise ScenarioError(
                f"from_log: the log holds {len(sites)} sites ({', '.join(sites)}); choose one with site=."
            )
        return log, sites[0] if sites else "site"
    if site not in sites:
        raise ScenarioError(
            f"from_log: site {site!r} is not in the log; it holds {', '.join(sites) or 'no site'}."
        )
    return log[(log["site"] == site).to_numpy(dtype=bool)], site


def pick_day(log: pd.DataFrame, date: Any, notes: list[str]) -> tuple[pd.DataFrame, dt.date]:
    days = log["arrived_at"].dt.date
    counts = days.value_counts().sort_index()
    if date is None:
        when = counts.idxmax()
        notes.append(
            f"date: {when}, the busiest of {len(counts)} day(s) in the log ({int(counts.max())} arrivals)."
        )
    else:
        try:
            when = pd.Timestamp(date).date()
        except (TypeError, ValueError):
            raise ScenarioError(
                f'from_log: `date` must be a date such as "2025-03-25", got {date!r}.'
            ) from None
        if when not in counts.index:
            raise ScenarioError(
                f"from_log: date {when} is not in the log, which runs from {counts.index[0]} to "
                f"{counts.index[-1]} ({len(counts)} days); pick one of those days."
            )
    return log[(days == when).to_numpy(dtype=bool)], when


def desk_seconds(log: pd.DataFrame) -> np.ndarray:
    """Desk time ``ended_at - called_at`` of served/transferred contacts (NaN for the rest)."""
    ok = log["outcome"].isin(["served", "transferred"]).fillna(False).to_numpy(dtype=bool)
    held = (log["ended_at"] - log["called_at"]).dt.total_seconds().to_numpy(dtype=float, na_value=np.nan)
    return np.where(ok & (held >= 0), held, np.nan)


def log_channel(day: pd.DataFrame, notes: list[str]) -> str:
    seen = day["channel"].dropna().astype(str).value_counts() if "channel" in day.columns else pd.Series()
    if seen.empty or seen.index[0] not in CHANNELS:
        notes.append('channel unknown in the log: taken as "kiosk".')
        return "kiosk"
    if len(seen) > 1:
        notes.append(
            f"the day mixes channels {', '.join(seen.index)}: taken as {seen.index[0]!r} (the most common)."
        )
    return str(seen.index[0])


def no_show_seconds(log: pd.DataFrame, notes: list[str]) -> float:
    """Median desk time lost on a no-show (ended - called, else the gap to that desk's next call)."""
    ns = log["outcome"].eq("no_show").fillna(False).to_numpy(dtype=bool)
    if not ns.any():
        return 60.0
    lost = (log["ended_at"] - log["called_at"]).dt.total_seconds()[ns].dropna().to_numpy(dtype=float)
    if not len(lost):
        calls = log[log["called_at"].notna() & log["server"].notna()].sort_values("called_at", kind="stable")
        nxt = calls.groupby(calls["server"].astype(str))[["called_at", "arrived_at"]].shift(-1)
        gap = (nxt["called_at"] - calls["called_at"]).dt.total_seconds()
        waiting = (
            nxt["arrived_at"] <= calls["called_at"]
        )  # someone was already waiting: the desk moved on at once
        pick = calls["outcome"].eq("no_show").fillna(False) & waiting.fillna(False) & gap.notna()
        lost = gap[pick.to_numpy(dtype=bool)].to_numpy(dtype=float)
    if not len(lost):
        notes.append("no_show_seconds: cannot be measured in the log; 60 s assumed.")
        return 60.0
    value = float(round(np.median(lost)))
    notes.append(f"no_show_seconds = {value:g}: median desk time lost on {len(lost)} no-show(s) of the log.")
    return value
