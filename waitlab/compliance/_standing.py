"""Standing and seated time in a branch waiting room, from the contacts log and the seat count.

The seat rule
-------------
A site has ``S`` seats. A customer is in the waiting room from ``arrived_at`` until they
leave it: ``called_at`` when called (served, transferred, no-show), ``ended_at`` when they
abandoned (the same end point as :func:`waitlab.schema.wait_seconds`). A customer who
arrives while a seat is free sits down; otherwise they stand. When a seated customer leaves,
the seat goes to whoever has stood longest, which is the standing customer who arrived
earliest (everyone starts standing on arrival). Nobody gives up a seat once seated.

Consequence used in the documentation and the tests: every seated customer arrived before
every standing one, so at any instant the seated customers are the ``S`` earliest arrivals
among those present. Hence extra occupants (or longer stays) can only lengthen other
people's standing, and extra seats can only shorten it.

The sweep is one pass over the sorted arrival and departure events with a heap of standing
customers keyed by arrival time: O(n log n).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from numbers import Integral
from typing import TypeAlias

import numpy as np
import pandas as pd

from waitlab._notes import NotedFrame
from waitlab.exceptions import ArgumentError, SchemaError
from waitlab.schema import coerce_contacts

__all__ = ["Seats", "standing_times"]

#: Seats per site: one count for every site, a mapping site -> count, or None (unknown).
Seats: TypeAlias = int | Mapping[str, int | None] | None

_NO_SITE = "<no site>"
_NAT = np.iinfo(np.int64).min


def standing_times(contacts: pd.DataFrame, seats: Seats = None) -> NotedFrame:
    """Seconds each contact spent standing and seated in the waiting room.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table (see :mod:`waitlab.schema`); needs ``contact_id``, ``site``,
        ``channel``, ``outcome``, ``arrived_at``, ``called_at`` and ``ended_at``.
    seats : int, mapping of site to int, or None
        Seats in each site's waiting room (>= 0). An int applies to every site; a mapping
        gives one count per site (a site missing from it, or mapped to None, has an unknown
        count). None: unknown everywhere, so every second of waiting counts as standing.

    Returns
    -------
    NotedFrame
        Indexed like `contacts`, with columns ``contact_id``, ``standing_s`` and
        ``seated_s`` (seconds, float) and ``seated_at`` (when the customer sat down; NaT if
        never). Phone contacts are not in a waiting room: NaN in both. Contacts whose
        departure from the room is unknown (no ``called_at`` and no ``ended_at``) are NaN
        too and do not take part in the sweep. ``.notes`` (a tuple of str) lists the
        assumptions made, in plain sentences.

    Raises
    ------
    ValueError
        If `seats` is negative, not an integer, or a mapping with a bad value.

    Notes
    -----
    No-shows are taken to stay in the room until ``called_at`` (they left at some unknown
    earlier moment). That can only lengthen other customers' standing time, so breaches of
    a standing limit are never understated by it. Customers arriving at the same instant
    take seats in row order; at equal times departures happen before arrivals.

    Examples
    --------
    >>> from waitlab.schema import coerce_contacts
    >>> df = coerce_contacts(pd.DataFrame({
    ...     "contact_id": ["a", "b"], "site": "s", "channel": "kiosk", "queue": "q",
    ...     "outcome": "served",
    ...     "arrived_at": ["2024-03-04 10:00", "2024-03-04 10:01"],
    ...     "called_at": ["2024-03-04 10:10", "2024-03-04 10:20"],
    ...     "started_at": ["2024-03-04 10:10", "2024-03-04 10:20"],
    ...     "ended_at": ["2024-03-04 10:15", "2024-03-04 10:25"]}), tz="UTC")
    >>> standing_times(df, seats=1)[["contact_id", "standing_s", "seated_s"]]
      contact_id  standing_s  seated_s
    0          a         0.0     600.0
    1          b       540.0     600.0
    """
    frame, notes = _sweep(contacts, seats)
    return NotedFrame(frame, notes=notes)


def _sweep(contacts: pd.DataFrame, seats: Seats, by: Sequence[str] = ()) -> tuple[pd.DataFrame, list[str]]:
    """Run the seat sweep (one room per site and value of the `by` columns); return the per-contact frame and notes."""
    needed = ["contact_id", "channel", "arrived_at", "called_at", "ended_at"]
    missing = [c for c in needed if c not in contacts.columns]
    if missing:
        raise SchemaError(
            f"`contacts` is missing column(s) {missing} needed for standing time; "
            "build it with waitlab.schema.coerce_contacts()."
        )
    if not isinstance(contacts["arrived_at"].dtype, pd.DatetimeTZDtype):
        contacts = coerce_contacts(contacts)
    n = len(contacts)
    site = contacts["site"] if "site" in contacts.columns else pd.Series(pd.NA, index=contacts.index)
    site = site.astype("string").fillna(_NO_SITE).to_numpy(dtype=object)
    per_site = _seats_per_site(seats, sorted(set(site)))

    arrive = _ns(contacts["arrived_at"])
    leave_ts = contacts["called_at"].where(contacts["called_at"].notna(), contacts["ended_at"])
    leave = _ns(leave_ts)
    kiosk = (contacts["channel"] == "kiosk").fillna(False).to_numpy(dtype=bool)
    known = (arrive != _NAT) & (leave != _NAT)
    in_room = kiosk & known

    standing = np.full(n, np.nan)
    seated = np.full(n, np.nan)
    seat_at = np.full(n, _NAT, dtype=np.int64)
    if by:
        keys = pd.DataFrame({"_site": site, **{c: contacts[c].to_numpy() for c in by}})
        room = keys.groupby(list(keys.columns), dropna=False, sort=True).ngroup().to_numpy()
    else:
        room = pd.factorize(site, sort=True)[0]
    rows = np.flatnonzero(in_room)
    rows = rows[np.argsort(room[rows], kind="stable")]  # by room, then row order
    unknown: set[str] = set()
    for idx in np.split(rows, np.flatnonzero(np.diff(room[rows])) + 1) if len(rows) else []:
        s = site[idx[0]]
        cap = per_site[s]
        if cap is None:
            unknown.add(s)
            standing[idx] = (leave[idx] - arrive[idx]) / 1e9
            seated[idx] = 0.0
            continue
        got = _sweep_site(arrive[idx], leave[idx], cap)
        seat_at[idx] = got
        sat = got != _NAT
        end_standing = np.where(sat, got, leave[idx])
        standing[idx] = (end_standing - arrive[idx]) / 1e9
        seated[idx] = np.where(sat, leave[idx] - got, 0) / 1e9

    tz = contacts["arrived_at"].dt.tz
    seated_at = (
        pd.Series(seat_at.view("M8[ns]"), index=contacts.index).dt.tz_localize("UTC").dt.tz_convert(tz)
    )
    frame = pd.DataFrame(
        {
            "contact_id": contacts["contact_id"].to_numpy(),
            "standing_s": standing,
            "seated_s": seated,
            "seated_at": seated_at,
        },
        index=contacts.index,
    )
    return frame, _notes(seats, per_site, sorted(unknown), kiosk, known, contacts)


def _sweep_site(arrive: np.ndarray, leave: np.ndarray, seats: int) -> np.ndarray:
    """Seat time (ns, or the NaT sentinel if never seated) of each customer of one site."""
    n = len(arrive)
    out = np.full(n, _NAT, dtype=np.int64)
    stays = leave > arrive  # a zero-length stay never occupies the room
    rank = np.empty(n, dtype=np.int64)  # arrival order, ties broken by row order
    rank[np.argsort(arrive, kind="stable")] = np.arange(n)
    ids = np.flatnonzero(stays)
    times = np.concatenate([leave[ids], arrive[ids]])
    kinds = np.concatenate([np.zeros(len(ids), np.int8), np.ones(len(ids), np.int8)])  # 0 leave, 1 arrive
    who = np.concatenate([ids, ids])
    order = np.lexsort((rank[who], kinds, times))
    free = seats
    standing: list[tuple[int, int]] = []  # heap of (arrival rank, row) of standing customers
    is_seated = np.zeros(n, dtype=bool)
    for t, kind, i in zip(times[order].tolist(), kinds[order].tolist(), who[order].tolist(), strict=True):
        if kind == 1:
            if free > 0:
                free -= 1
                is_seated[i] = True
                out[i] = t
            else:
                heapq.heappush(standing, (int(rank[i]), i))
        elif is_seated[i]:
            while standing:
                _, j = heapq.heappop(standing)
                if leave[j] > t:  # still here (people leaving now do not take the seat)
                    is_seated[j] = True
                    out[j] = t
                    break
            else:
                free += 1
    return out


def _seats_per_site(seats: Seats, sites: list[str]) -> dict[str, int | None]:
    """Validate `seats` and return the count (or None) for each site."""
    if seats is None:
        return dict.fromkeys(sites)
    if isinstance(seats, Mapping):
        out: dict[str, int | None] = {}
        for k, v in seats.items():
            if v is not None:
                _check_count(f"seats[{k!r}]", v)
        for s in sites:
            v = seats.get(s)
            out[s] = None if v is None else int(v)
        return out
    _check_count("seats", seats)
    return dict.fromkeys(sites, int(seats))


def _check_count(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, Integral) or int(value) < 0:
        raise ArgumentError(
            f"`{name}` must be a whole number of seats >= 0 (or None when unknown), got {value!r}."
        )


def _ns(s: pd.Series) -> np.ndarray:
    """Timestamps as int64 nanoseconds since the epoch, NaT as the int64 minimum."""
    values: np.ndarray = s.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]").to_numpy()
    return values.view(np.int64)


def _notes(
    seats: Seats,
    per_site: dict[str, int | None],
    unknown_sites: list[str],
    kiosk: np.ndarray,
    known: np.ndarray,
    contacts: pd.DataFrame,
) -> list[str]:
    """Plain-sentence assumptions of the sweep."""
    notes = []
    if seats is None:
        notes.append("Seat count unknown: every second of waiting counts as standing (seated time is 0).")
    else:
        counted = {s: c for s, c in per_site.items() if c is not None}
        if isinstance(seats, Mapping):
            shown = (
                ", ".join(f"{s}: {c}" for s, c in sorted(counted.items())) or "none of the sites in the log"
            )
            notes.append(f"Seats per site: {shown}.")
        else:
            notes.append(f"Seats: {int(seats)} at every site.")
        if unknown_sites:
            notes.append(
                f"Seat count unknown for site(s) {unknown_sites}: every second of waiting there "
                "counts as standing."
            )
        notes.append(
            "Standing time: a customer who arrives while a seat is free sits; otherwise they stand until a "
            "seat frees, which goes to whoever has stood longest (the earliest arrival among those standing)."
        )
    notes.append(
        "The waiting room holds a kiosk customer from arrived_at until called_at, or until ended_at for "
        "abandonments."
    )
    no_show = (
        (contacts["outcome"] == "no_show").fillna(False).to_numpy(dtype=bool) & kiosk
        if "outcome" in contacts.columns
        else np.zeros(len(contacts), dtype=bool)
    )
    if no_show.any():
        notes.append(
            f"{int(no_show.sum())} no-show(s) are treated as waiting in the room until they were called "
            "(they left at some unknown earlier moment); this can only lengthen other people's standing time."
        )
    phone = ~kiosk
    if phone.any():
        notes.append(
            f"{int(phone.sum())} phone contact(s) have no waiting room: standing and seated time do "
            "not apply to them."
        )
    lost = kiosk & ~known
    if lost.any():
        notes.append(
            f"{int(lost.sum())} kiosk contact(s) have neither called_at nor ended_at, so when they left "
            "is unknown; they are left out of the seat sweep."
        )
    return notes
