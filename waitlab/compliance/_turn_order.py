"""Turn order: tickets of the same site, day, queue and priority must be called in issue order.

A ticket *overtakes* an earlier one when it was issued strictly later (``arrived_at``) but
called strictly earlier (``called_at``, beyond an optional tolerance). Within each group the
tickets are sorted by issue time; a ticket overtook someone exactly when the running maximum
of the earlier tickets' call times exceeds its own call time, and the first position where
that running maximum does so is the earliest-issued ticket it overtook. How many it overtook
is counted by a vectorised merge count over the call-time ranks. O(n log^2 n) in all, no
Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from waitlab.exceptions import ArgumentError, SchemaError

__all__ = ["TURN_ORDER_COLUMNS", "turn_order_violations"]

TURN_ORDER_COLUMNS = [
    "site",
    "day",
    "queue",
    "priority",
    "contact_id",
    "ticket",
    "arrived_at",
    "called_at",
    "overtaken_contact_id",
    "overtaken_ticket",
    "overtaken_arrived_at",
    "overtaken_called_at",
    "overtaken",
    "delay_s",
]


def turn_order_violations(contacts: pd.DataFrame, tolerance_s: float = 0.0, *,
                          by: Sequence[str] = ()) -> pd.DataFrame:
    """Tickets called before a ticket of the same site, day, queue and priority issued earlier.

    Only kiosk contacts that were called (``called_at`` known) are compared; phone calls have
    no printed turn. The day is the local date of ``arrived_at``.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table (see :mod:`waitlab.schema`).
    tolerance_s : float
        An earlier ticket called at most this many seconds after the later one is not a
        violation (e.g. two desks pressing "next" almost together), seconds, >= 0.
    by : sequence of str
        Extra grouping columns of `contacts` (e.g. ``"replication"``): tickets are compared only
        within the same values of them too; they are added to the returned table.

    Returns
    -------
    DataFrame
        One row per overtaking ticket, ordered by site, day, queue, priority and issue time:
        the grouping keys; ``contact_id``, ``ticket``, ``arrived_at``, ``called_at`` of the
        overtaking ticket; the same four fields (prefixed ``overtaken_``) of the
        earliest-issued ticket it overtook; ``overtaken``, how many earlier tickets it
        overtook; ``delay_s``, how long after the overtaking ticket that earliest overtaken
        ticket was called (seconds).

    Raises
    ------
    ValueError
        If `tolerance_s` is negative or not finite.

    Examples
    --------
    >>> from waitlab.schema import coerce_contacts
    >>> df = coerce_contacts(pd.DataFrame({
    ...     "contact_id": ["a", "b"], "ticket": ["A001", "A002"], "site": "s", "queue": "q",
    ...     "channel": "kiosk", "outcome": "no_show", "priority": 0,
    ...     "arrived_at": ["2024-03-04 10:00", "2024-03-04 10:01"],
    ...     "called_at": ["2024-03-04 10:20", "2024-03-04 10:15"]}), tz="UTC")
    >>> v = turn_order_violations(df)
    >>> v[["ticket", "overtaken_ticket", "overtaken", "delay_s"]].to_dict("records")
    [{'ticket': 'A002', 'overtaken_ticket': 'A001', 'overtaken': 1, 'delay_s': 300.0}]
    """
    if not (np.isfinite(tolerance_s) and tolerance_s >= 0):
        raise ArgumentError(f"`tolerance_s` must be a finite number of seconds >= 0, got {tolerance_s!r}.")
    needed = ["contact_id", "channel", "arrived_at", "called_at", "queue", *by]
    missing = [c for c in needed if c not in contacts.columns]
    if missing:
        raise SchemaError(f"`contacts` is missing column(s) {missing} needed for the turn-order check.")
    mask = (
        (contacts["channel"] == "kiosk").fillna(False)
        & contacts["called_at"].notna()
        & contacts["arrived_at"].notna()
    )
    df = pd.DataFrame(
        {
            "site": _col(contacts, "site")[mask],
            "day": contacts.loc[mask, "arrived_at"].dt.date,
            "queue": contacts.loc[mask, "queue"],
            "priority": _col(contacts, "priority", "Int64")[mask],
            "contact_id": contacts.loc[mask, "contact_id"],
            "ticket": _col(contacts, "ticket")[mask],
            "arrived_at": contacts.loc[mask, "arrived_at"],
            "called_at": contacts.loc[mask, "called_at"],
            **{c: contacts.loc[mask, c] for c in by},
        }
    )
    empty = _empty(contacts, by)
    if df.empty:
        return empty
    keys = [*by, "site", "day", "queue", "priority"]
    df["_g"] = df.groupby(keys, dropna=False, sort=True).ngroup()
    df = df.sort_values(["_g", "arrived_at", "called_at"], kind="stable").reset_index(drop=True)
    g = df["_g"].to_numpy()
    called = df["called_at"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().view(np.int64)
    tol = int(round(tolerance_s * 1e9))
    runmax = pd.Series(called).groupby(g).cummax().to_numpy()
    prev = np.r_[np.iinfo(np.int64).min, runmax[:-1]]
    first_of_group = np.r_[True, g[1:] != g[:-1]]
    prev[first_of_group] = np.iinfo(np.int64).min
    viol = np.flatnonzero(prev > called + tol)
    if len(viol) == 0:
        return empty
    values = np.sort(called)
    values = values[np.r_[True, values[1:] != values[:-1]]]  # distinct call times (faster than np.unique)
    rank = np.searchsorted(values, called)  # dense rank of each call time, 0-based
    below = np.searchsorted(values, called + tol, side="right")  # ranks <= called + tol are not "later"
    # earliest-issued ticket overtaken: first position of the group whose running max exceeds the
    # threshold; (group, rank of running max) is non-decreasing along the sorted table
    width = len(values) + 1
    key = g * width + np.searchsorted(values, runmax)
    first_over = np.searchsorted(key, g[viol] * width + below[viol], side="left")
    counts = _count_later_called_before(g, rank, below, viol)
    out = df.loc[viol, keys + ["contact_id", "ticket", "arrived_at", "called_at"]].reset_index(drop=True)
    over = df.loc[first_over, ["contact_id", "ticket", "arrived_at", "called_at"]].reset_index(drop=True)
    for c in over.columns:
        out[f"overtaken_{c}"] = over[c]
    out["overtaken"] = counts
    out["delay_s"] = (out["overtaken_called_at"] - out["called_at"]).dt.total_seconds()
    return out[TURN_ORDER_COLUMNS + list(by)]


def _count_later_called_before(
    g: np.ndarray, rank: np.ndarray, below: np.ndarray, wanted: np.ndarray
) -> np.ndarray:
    """For each position j in `wanted`: #{i < j : g[i] == g[j] and rank[i] >= below[j]}.

    Bottom-up merge counting, vectorised: at each level, positions are cut into blocks of
    ``2 * width``; every pair (i, j) with i < j is counted exactly once, at the level where i is
    in the left half and j in the right half of the same block. The left halves are sorted by
    (block and group label, rank) so each count is two binary searches. O(n log^2 n).
    """
    n = len(rank)
    out = np.zeros(len(wanted), dtype=np.int64)
    pos = np.arange(n)
    span = np.int64(rank.max() + 2 if n else 1)
    width = 1
    while width < n:
        block = pos // (2 * width)
        changed = np.r_[True, (block[1:] != block[:-1]) | (g[1:] != g[:-1])]
        label = np.cumsum(changed).astype(np.int64)  # one label per (block, group)
        left = (pos // width) % 2 == 0
        sorted_left = np.sort(label[left] * span + rank[left])
        j = wanted[~left[wanted]]
        hi = np.searchsorted(sorted_left, label[j] * span + (span - 1), side="left")
        lo = np.searchsorted(sorted_left, label[j] * span + below[j], side="left")
        out[~left[wanted]] += hi - lo
        width *= 2
    return out


def _col(contacts: pd.DataFrame, name: str, dtype: str = "string") -> pd.Series:
    if name in contacts.columns:
        return contacts[name]
    return pd.Series(pd.NA, index=contacts.index, dtype=dtype)


def _empty(contacts: pd.DataFrame, by: Sequence[str] = ()) -> pd.DataFrame:
    tz = (
        contacts["arrived_at"].dt.tz
        if isinstance(contacts["arrived_at"].dtype, pd.DatetimeTZDtype)
        else "UTC"
    )
    ts = pd.Series([], dtype=f"datetime64[ns, {tz}]")
    text = pd.Series([], dtype="string")
    return pd.DataFrame(
        {
            "site": text,
            "day": pd.Series([], dtype=object),
            "queue": text,
            "priority": pd.Series([], dtype="Int64"),
            "contact_id": text,
            "ticket": text,
            "arrived_at": ts,
            "called_at": ts,
            "overtaken_contact_id": text,
            "overtaken_ticket": text,
            "overtaken_arrived_at": ts,
            "overtaken_called_at": ts,
            "overtaken": pd.Series([], dtype=np.int64),
            "delay_s": pd.Series([], dtype=float),
            **{c: contacts[c].iloc[0:0].reset_index(drop=True) for c in by},
        }
    )
