"""Builders for the compliance tests: contacts tables made by hand, times in minutes after 09:00."""

from __future__ import annotations

import pandas as pd

from waitlab.schema import coerce_contacts

TZ = "America/Argentina/Buenos_Aires"
BASE = pd.Timestamp("2024-03-04 09:00")  # a Monday morning


def at(minutes: float | None) -> pd.Timestamp | None:
    """Wall-clock time `minutes` after 09:00 on the test day (None stays None)."""
    return None if minutes is None else BASE + pd.Timedelta(minutes=minutes)


def build(rows: list[dict]) -> pd.DataFrame:
    """Contacts table from dicts whose times are minutes after 09:00 (keys arr, call, start, end)."""
    recs = []
    for r in rows:
        recs.append(
            {
                "contact_id": r["id"],
                "site": r.get("site", "Centro"),
                "queue": r.get("queue", "caja"),
                "channel": r.get("channel", "kiosk"),
                "ticket": r.get("ticket"),
                "priority": r.get("priority", 0),
                "arrived_at": at(r["arr"]),
                "called_at": at(r.get("call")),
                "started_at": at(r.get("start")),
                "ended_at": at(r.get("end")),
                "outcome": r.get("outcome", "served"),
                "server": r.get("desk"),
            }
        )
    return coerce_contacts(pd.DataFrame(recs), tz=TZ)


def served(cid: str, ticket: str, arr: float, call: float, end: float, desk: str, **kw: object) -> dict:
    return {
        "id": cid,
        "ticket": ticket,
        "arr": arr,
        "call": call,
        "start": call,
        "end": end,
        "desk": desk,
        **kw,
    }
