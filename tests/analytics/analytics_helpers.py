"""Builders of small contacts tables for the analytics tests."""

from __future__ import annotations

import pandas as pd

from waitlab.schema import coerce_contacts

TZ = "America/Argentina/Buenos_Aires"
DAY = "2024-03-04"  # a Monday


def at(hms: str | None) -> str | None:
    """'09:02:10' -> '2024-03-04 09:02:10' (None stays None)."""
    return None if hms is None else f"{DAY} {hms}"


def build(rows: list[tuple], *, channel: str = "kiosk", queue: str = "caja") -> pd.DataFrame:
    """Rows (id, outcome, arrived, called, started, ended, server) with times 'HH:MM:SS'."""
    recs = [
        {"contact_id": r[0], "outcome": r[1], "arrived_at": at(r[2]), "called_at": at(r[3]),
         "started_at": at(r[4]), "ended_at": at(r[5]), "server": r[6], "queue": queue,
         "channel": channel, "site": "Centro"}
        for r in rows
    ]  # fmt: skip
    return coerce_contacts(pd.DataFrame(recs), tz=TZ)


def stamp(hms: str) -> pd.Timestamp:
    return pd.Timestamp(f"{DAY} {hms}", tz=TZ)
