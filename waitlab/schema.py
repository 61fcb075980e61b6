"""The contacts table: one row per ticket (kiosk) or call (phone), one schema end to end.

Every reader returns it, the simulator returns it, and every analytic consumes it, so a
real day and a simulated day are judged by exactly the same code.

Columns
-------
==============  ==========================  ====================================================
column          dtype                       meaning (units)
==============  ==========================  ====================================================
contact_id      string                      unique id of the ticket or call within the table
site            string                      branch / call center name
queue           string                      service, transaction type or call queue
channel         string                      ``"kiosk"`` (turn terminal) or ``"phone"`` (ACD)
ticket          string, nullable            printed ticket number (kiosk); null for calls
priority        Int64                       0 = regular; higher is served first (e.g. 1 = priority)
arrived_at      datetime64[ns, tz]          ticket issued / call entered the queue
called_at       datetime64[ns, tz], null    ticket called / call offered to an agent
started_at      datetime64[ns, tz], null    service began
ended_at        datetime64[ns, tz], null    service ended, or the moment a caller hung up
outcome         string                      one of :data:`OUTCOMES` (below)
server          string, nullable            desk or agent that called / served the contact
customer_id     string, nullable            customer identifier (hashed on export on request)
==============  ==========================  ====================================================

All timestamps are timezone-aware and share one timezone (a reader option, stated in its
ingest report). Durations derived from them are in **seconds** (float).

Outcomes
--------
``served``
    Called and served: ``called_at``, ``started_at`` and ``ended_at`` are all known.
``abandoned``
    Left the queue before being served, and we know when: ``ended_at`` is the moment
    they left (a caller hanging up); ``started_at`` is null.
``no_show``
    Called but absent (kiosk): they left at some unknown moment before ``called_at``;
    ``called_at`` is known, ``started_at`` is null (``ended_at``, if present, is when
    the desk gave up waiting for them).
``transferred``
    Served and passed on to another queue or agent; ``started_at`` is known.
``other``
    Anything else a log reports (e.g. cancelled by staff); only ordering is checked.

Ordering: ``arrived_at <= called_at <= started_at <= ended_at`` wherever both sides are
known.

Derived quantities are defined once, here: :func:`wait_seconds` (time until called, or
until leaving for abandonments) and :func:`service_seconds`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa

from waitlab import _kernels
from waitlab.exceptions import SchemaError

__all__ = [
    "CHANNELS",
    "COLUMNS",
    "DEFAULT_TZ",
    "MAX_DURATION_S",
    "OUTCOMES",
    "TIME_COLUMNS",
    "coerce_contacts",
    "empty_contacts",
    "row_problems",
    "service_seconds",
    "validate_contacts",
    "wait_seconds",
]

#: Default timezone of readers that are not told one (stated in every ingest report).
DEFAULT_TZ: Final = "America/Argentina/Buenos_Aires"

#: Any wait or service longer than this (seconds) is treated as absurd (24 h).
MAX_DURATION_S: Final = 24 * 3600.0

OUTCOMES: Final = ("served", "abandoned", "no_show", "transferred", "other")
CHANNELS: Final = ("kiosk", "phone")
TIME_COLUMNS: Final = ("arrived_at", "called_at", "started_at", "ended_at")

#: Canonical columns in order, with their dtype ("datetime" means tz-aware datetime64[ns]).
COLUMNS: Final[dict[str, str]] = {
    "contact_id": "string",
    "site": "string",
    "queue": "string",
    "channel": "string",
    "ticket": "string",
    "priority": "Int64",
    "arrived_at": "datetime",
    "called_at": "datetime",
    "started_at": "datetime",
    "ended_at": "datetime",
    "outcome": "string",
    "server": "string",
    "customer_id": "string",
}

_REQUIRED_NOT_NULL: Final = ("contact_id", "queue", "channel", "arrived_at", "outcome")


def empty_contacts(tz: str = DEFAULT_TZ) -> pd.DataFrame:
    """Return an empty contacts table with the canonical columns and dtypes."""
    return coerce_contacts(pd.DataFrame({c: [] for c in COLUMNS}), tz=tz)


def coerce_contacts(df: pd.DataFrame, *, tz: str | None = None) -> pd.DataFrame:
    """Return `df` with the canonical columns, order and dtypes.

    Missing optional columns are added as nulls (``site`` defaults to ``""`` is *not*
    invented: it stays null). Naive timestamps are localised to `tz`; aware ones are
    converted to `tz` (when given). Extra columns are kept after the canonical ones.

    Raises
    ------
    SchemaError
        If ``tz`` is None and a timestamp column is naive, or a column cannot be converted.
    """
    return coerce_columns(df, tz=tz)


def categories_as_text(s: pd.Series) -> pd.Series:
    """A categorical of texts as the table's string dtype, through Arrow (``astype`` goes value by value)."""
    text = _kernels.text_from_codes(s.cat.codes.to_numpy(), [str(c) for c in s.cat.categories])
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([text])), index=s.index, name=s.name, copy=False)


def coerce_columns(df: pd.DataFrame, *, tz: str | None = None, keep_categories: bool = False) -> pd.DataFrame:
    """:func:`coerce_contacts`; with `keep_categories`, text columns held as categoricals stay so
    (a reader turns them into text after dropping its bad rows; the row rules read them as they are)."""
    out = pd.DataFrame(index=df.index)
    for col, kind in COLUMNS.items():
        values = df[col] if col in df.columns else pd.Series(pd.NA, index=df.index, dtype="object")
        try:
            if kind == "datetime":
                s = pd.to_datetime(values) if not isinstance(values.dtype, pd.DatetimeTZDtype) else values
                if not isinstance(s.dtype, pd.DatetimeTZDtype):
                    if tz is None:
                        raise SchemaError(
                            f"`{col}` has timezone-naive timestamps; pass `tz=` to say which timezone they are in."
                        )
                    s = s.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
                elif tz is not None:
                    s = s.dt.tz_convert(tz)
                out[col] = s.astype(f"datetime64[ns, {s.dt.tz}]")
            elif kind == "Int64":
                out[col] = values if values.dtype == "Int64" else pd.to_numeric(values, errors="raise").astype("Int64")
            elif isinstance(values.dtype, pd.CategoricalDtype) and values.cat.categories.inferred_type in ("string", "empty"):
                out[col] = values if keep_categories else categories_as_text(values)
            else:
                out[col] = values.astype("string")
        except SchemaError:
            raise
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"column `{col}` cannot be converted to {kind}: {exc}") from exc
    extra = [c for c in df.columns if c not in COLUMNS]
    for c in extra:
        out[c] = df[c]
    return out


def wait_seconds(contacts: pd.DataFrame) -> pd.Series:
    """Time waited in queue, seconds.

    ``called_at - arrived_at`` when the contact was called (served, no-show, transferred),
    else ``ended_at - arrived_at`` (abandoned: the moment they gave up). NaN when unknown.
    For no-shows this is an upper bound of the time they actually waited.
    """
    end = contacts["called_at"].where(contacts["called_at"].notna(), contacts["ended_at"])
    return (end - contacts["arrived_at"]).dt.total_seconds()


def service_seconds(contacts: pd.DataFrame) -> pd.Series:
    """Service (handle) time ``ended_at - started_at``, seconds; NaN when not served."""
    return (contacts["ended_at"] - contacts["started_at"]).dt.total_seconds()


def row_problems(contacts: pd.DataFrame) -> pd.Series:
    """One reason string per row that breaks the schema's row rules, ``""`` for good rows.

    The rules: required fields present; known ``outcome`` and ``channel``; timestamps in
    order (``arrived_at <= called_at <= started_at <= ended_at``); no duration over 24 h;
    outcome consistent with the timestamps (served needs called/started/ended, abandoned
    needs ended and no start, no-show needs called and no start); unique ``contact_id``
    (every repeat after the first is flagged). Readers use this to quarantine rows.
    """
    return row_problem_codes(contacts).astype(object)


def row_problem_codes(contacts: pd.DataFrame, ids_unique: Callable[[], bool] | None = None) -> pd.Series:
    """:func:`row_problems` as a categorical Series (category ``""`` for good rows); `ids_unique`, if
    given, answers ``contacts["contact_id"].is_unique`` (or True for a superset of the rows), so a
    reader can compute it while the other rules run."""
    codes, texts = _row_problem_codes(contacts, ids_unique)
    cat = pd.Categorical.from_codes(codes, categories=pd.Index(texts, dtype=object), validate=False)
    return pd.Series(cat, index=contacts.index, copy=False)


def _row_problem_codes(
    contacts: pd.DataFrame, ids_unique: Callable[[], bool] | None = None
) -> tuple[np.ndarray, list[str]]:
    """The rules of :func:`row_problems` as an int16 code per row and the reason of each code (0: ``""``)."""
    outcome = _positions(contacts["outcome"], OUTCOMES)
    ns = _times_ns(contacts)
    if ns is not None:  # int64 nanoseconds: every rule in one pass
        codes, texts = _rules_in_one_pass(contacts, outcome, ns)
    else:
        codes, texts = _rules_column_by_column(contacts, outcome)
    ids = contacts["contact_id"]
    if (codes == 0).any() and not (ids_unique() if ids_unique is not None else ids.is_unique):
        dup = ids.duplicated(keep="first").to_numpy() & (codes == 0)  # is_unique: one hash pass, cheaper
        if dup.any():
            texts.append("duplicate contact_id")
            codes[dup] = len(texts) - 1
    return codes, texts


def _rules_in_one_pass(
    contacts: pd.DataFrame, outcome: np.ndarray, ns: dict[str, np.ndarray]
) -> tuple[np.ndarray, list[str]]:
    """The rules before "duplicate contact_id", by :func:`waitlab._kernels.row_rules`."""
    missing = np.zeros(len(contacts), dtype=np.uint8)
    for bit, col in ((1, "contact_id"), (2, "queue"), (4, "channel"), (8, "outcome")):
        missing |= contacts[col].isna().to_numpy(dtype=bool).view(np.uint8) * np.uint8(bit)
    rule = np.empty(len(contacts), dtype=np.uint8)
    channel = _positions(contacts["channel"], CHANNELS)
    limit = int(MAX_DURATION_S * 1e9)
    _kernels.row_rules(missing, outcome, channel, ns["arrived_at"], ns["called_at"], ns["started_at"], ns["ended_at"], limit, rule)
    fired = np.flatnonzero(np.bincount(rule, minlength=len(_kernels.ROW_RULES))[1:]) + 1  # rules broken somewhere
    remap = np.zeros(len(_kernels.ROW_RULES), dtype=np.int16)
    remap[fired] = np.arange(1, len(fired) + 1)  # codes in rule order, as the column-by-column route gives
    return remap[rule], ["", *(_kernels.ROW_RULES[r] for r in fired)]


def _rules_column_by_column(contacts: pd.DataFrame, outcome: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """The rules before "duplicate contact_id", with pandas comparisons (any datetime dtypes)."""
    n = len(contacts)
    codes = np.zeros(n, dtype=np.int16)
    texts = [""]
    free = np.ones(n, dtype=bool)  # rows without a reason yet

    def flag(mask: pd.Series | np.ndarray, reason: str) -> None:
        m = np.asarray(mask, dtype=bool) & free
        if m.any():  # most rules flag nothing: skip the two scatters
            if reason not in texts:
                texts.append(reason)
            codes[m] = texts.index(reason)
            free[m] = False

    for col in _REQUIRED_NOT_NULL:
        flag(contacts[col].isna().to_numpy(), f"missing {col}")
    flag(outcome < 0, "unknown outcome")
    flag(_positions(contacts["channel"], CHANNELS) < 0, "unknown channel")
    has = {c: contacts[c].notna().to_numpy() for c in TIME_COLUMNS}
    t = [contacts[c] for c in TIME_COLUMNS]
    for i in range(len(t)):
        for j in range(i + 1, len(t)):
            bad = (t[i] > t[j]).fillna(False).to_numpy(dtype=bool)
            flag(bad, f"events out of order ({TIME_COLUMNS[j]} before {TIME_COLUMNS[i]})")
    last = contacts["ended_at"].fillna(contacts["started_at"]).fillna(contacts["called_at"])
    span = (last - contacts["arrived_at"]).dt.total_seconds()
    flag((span > MAX_DURATION_S).fillna(False).to_numpy(dtype=bool), "absurd duration (over 24 h)")

    served = outcome == OUTCOMES.index("served")
    flag(served & ~(has["called_at"] & has["started_at"] & has["ended_at"]),
         "served without called/started/ended time")
    abandoned = outcome == OUTCOMES.index("abandoned")
    flag(abandoned & ~has["ended_at"], "abandoned without the time they left")
    flag(abandoned & has["started_at"], "abandoned but service started")
    no_show = outcome == OUTCOMES.index("no_show")
    flag(no_show & ~has["called_at"], "no-show without the time it was called")
    flag(no_show & has["started_at"], "no-show but service started")
    transferred = outcome == OUTCOMES.index("transferred")
    flag(transferred & ~has["started_at"], "transferred without service start")
    return codes, texts


def _positions(values: pd.Series, allowed: tuple[str, ...]) -> np.ndarray:
    """Position (int8) of each value in `allowed`, -1 where missing or not in it."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        where = np.array([allowed.index(v) if v in allowed else -1 for v in values.cat.categories] + [-1], np.int8)
        return where[values.cat.codes.to_numpy()]  # code -1 (missing) picks the trailing -1
    chunks = _kernels.utf8_chunks(values)
    few = _kernels.factorize_few(chunks) if chunks is not None else None
    if few is not None:  # a few distinct values (the usual case): compared byte by byte, not hashed
        codes, distinct = few
        where = np.array([allowed.index(v) if v in allowed else -1 for v in distinct] + [-1], dtype=np.int8)
        return where[codes]  # code -1 (missing) picks the trailing -1
    if chunks is not None:  # one hash pass
        import pyarrow.compute as pc

        arr = pa.array(values.array)
        found = pc.index_in(arr, value_set=pa.array(list(allowed), type=arr.type))
        return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int8)
    found = pd.Index(list(allowed), dtype=object).get_indexer(values.astype(object).where(values.notna(), None))
    return found.astype(np.int8)


def _times_ns(contacts: pd.DataFrame) -> dict[str, np.ndarray] | None:
    """The four time columns as int64 nanoseconds (UTC for aware ones), or None if their dtypes differ."""
    dtypes = {contacts[c].dtype for c in TIME_COLUMNS}
    if len(dtypes) != 1:
        return None
    dtype = dtypes.pop()
    if not (isinstance(dtype, pd.DatetimeTZDtype) or (isinstance(dtype, np.dtype) and dtype.kind == "M")):
        return None
    arrays = {c: contacts[c].array for c in TIME_COLUMNS}
    return {c: np.asarray((a if a.unit == "ns" else a.as_unit("ns")).asi8) for c, a in arrays.items()}


def validate_contacts(contacts: pd.DataFrame) -> pd.DataFrame:
    """Check that `contacts` follows the canonical schema; return it unchanged if so.

    Checks columns and dtypes (timestamps tz-aware and in one timezone) and every row rule of
    :func:`row_problems`.

    Raises
    ------
    SchemaError
        Naming the first broken rule, the column and (for row rules) how many rows and the
        first offending ``contact_id``.
    """
    missing = [c for c in COLUMNS if c not in contacts.columns]
    if missing:
        raise SchemaError(
            f"contacts table is missing column(s) {missing}; use waitlab.schema.coerce_contacts() "
            "to add optional ones."
        )
    zones = set()
    for col, kind in COLUMNS.items():
        dtype = contacts[col].dtype
        if kind == "datetime":
            if not isinstance(dtype, pd.DatetimeTZDtype):
                raise SchemaError(f"`{col}` must be timezone-aware datetime64, got {dtype}.")
            zones.add(str(dtype.tz))
        elif kind == "Int64":
            if str(dtype) != "Int64":
                raise SchemaError(f"`{col}` must be Int64, got {dtype}.")
        elif not isinstance(dtype, pd.StringDtype):
            raise SchemaError(f"`{col}` must be a string dtype, got {dtype}.")
    if len(zones) > 1:
        raise SchemaError(f"timestamp columns use different timezones {sorted(zones)}; convert them to one.")
    problems = row_problems(contacts)
    bad = problems != ""
    if bad.any():
        first = problems[bad].iloc[0]
        count = int((problems == first).sum())
        cid = contacts.loc[bad, "contact_id"].iloc[0]
        raise SchemaError(
            f"{count} row(s) break the rule '{first}' (first: contact_id={cid!r}); "
            f"{int(bad.sum())} row(s) break some rule in all."
        )
    return contacts
