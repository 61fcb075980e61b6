"""One-row-per-contact logs (``kiosk``, ``acd``, ``contacts``): apply a mapping, vectorised.

The result is a candidate contacts table with one row per input row, plus one reason string
per row (``""`` when the row parsed). Schema rules are checked later, by
:func:`waitlab.schema.row_problems`, on the rows that parsed.
"""

from __future__ import annotations

import contextlib
import os
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from waitlab import _kernels
from waitlab.exceptions import LogFormatError
from waitlab.readers._fields import _codes, _constant_text, _str, _text, sql_null_note, sql_nulls
from waitlab.readers._mapping import Mapping
from waitlab.readers._parsing import (
    combine_date_time,
    infer_dayfirst,
    is_time_only,
    parse_datetimes,
    parse_numbers,
    parse_stripped,
)
from waitlab.readers._tables import RawTable
from waitlab.readers._zones import STORABLE_RANGE, localize, parse_local_iso, unstorable
from waitlab.schema import COLUMNS, MAX_DURATION_S, OUTCOMES, TIME_COLUMNS

__all__ = ["Candidates", "from_mapping", "normalise_name", "resolve_columns"]

_TEXT_COLUMNS = ("contact_id", "site", "queue", "ticket", "server", "customer_id", "channel")
_WORKERS = max(1, min(4, os.cpu_count() or 1))


@dataclass
class Candidates:
    """Candidate contacts (one per input row), a reason per row, and what was assumed.

    `reasons` holds the reason text of each row (``""`` when it parsed), or, when
    `reason_texts` is given, an integer code per row indexing `reason_texts` (whose
    code 0 is ``""``).
    """

    frame: pd.DataFrame
    reasons: np.ndarray
    assumptions: list[str] = field(default_factory=list)
    reason_texts: list[str] | None = None

    def reason_codes(self) -> tuple[np.ndarray, list[str]]:
        """An integer code per row and the reason of each code (code 0 is ``""``)."""
        if self.reason_texts is not None:
            return np.asarray(self.reasons), list(self.reason_texts)
        texts = [""]
        codes = np.zeros(len(self.reasons), dtype=np.int16)
        bad = np.asarray(self.reasons != "", dtype=bool)
        if bad.any():
            found, uniques = pd.factorize(self.reasons[bad])
            texts += [str(u) for u in uniques]
            codes[bad] = found + 1
        return codes, texts


def normalise_name(name: str) -> str:
    """Column name for loose matching: no accents, case or surrounding/double spaces."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().split())


def resolve_columns(m: Mapping, available: list[str], path: str, notes: list[str] | None = None) -> dict[str, str]:
    """Map each canonical name of `m` to the file's actual column (accent/case-insensitive).

    Raises
    ------
    LogFormatError
        Naming the first mapped column that the file lacks and how to fix it.
    """
    loose = {normalise_name(c): c for c in available}
    out: dict[str, str] = {}
    for canon, vendor in m.columns.items():
        if vendor in available:
            out[canon] = vendor
        elif normalise_name(vendor) in loose:
            out[canon] = loose[normalise_name(vendor)]
            if notes is not None:
                notes.append(f"Column {vendor!r} of the mapping matched the file's {out[canon]!r} (ignoring accents/case).")
        else:
            where = f"by mapping {m.source}" if m.format != "contacts" else "by the contacts format"
            fix = (
                f"fix [columns] {canon} in the mapping or pick the mapping that fits this export"
                if m.format != "contacts"
                else "add the column or read the file with another format"
            )
            raise LogFormatError(
                f"{path}: column {vendor!r} (needed for {canon} {where}) is not in the file, which has "
                f"columns {available}; {fix}."
            )
    return out


class _Flags:
    """The first reason of each row, as an int16 code into `texts` (0: ``""``, no reason)."""

    def __init__(self, n: int) -> None:
        self.codes = np.zeros(n, dtype=np.int16)
        self.texts = [""]
        self.free = np.ones(n, dtype=bool)  # rows without a reason yet

    def __call__(self, mask: np.ndarray | pd.Series, reason: str) -> None:
        m = np.asarray(mask, dtype=bool) & self.free
        if m.any():
            if reason not in self.texts:
                self.texts.append(reason)
            self.codes[m] = self.texts.index(reason)
            self.free[m] = False

    @property
    def reasons(self) -> np.ndarray:
        """The reason text of each row (``""`` when none), as an object array."""
        return np.asarray(self.texts, dtype=object)[self.codes]

    def candidates(self, frame: pd.DataFrame, assumptions: list[str] | None = None) -> Candidates:
        return Candidates(frame=frame, reasons=self.codes, assumptions=assumptions or [], reason_texts=list(self.texts))


def from_mapping(
    raw: RawTable,
    m: Mapping,
    *,
    path: str,
    tz: str,
    dayfirst: bool | None = None,
    decimal: str | None = None,
) -> Candidates:
    """Turn `raw` into candidate contacts with `m` (see :mod:`waitlab.readers._mapping`)."""
    notes: list[str] = []
    cols = resolve_columns(m, list(raw.frame.columns), path, notes)
    with ThreadPoolExecutor(_WORKERS) as pool:  # columns are independent: work on them side by side
        return _build(raw, m, cols, pool, notes, path=path, tz=tz, dayfirst=dayfirst, decimal=decimal)


def _text_of(texts_of: dict[str, Future[pd.Series]], frame: pd.DataFrame, vendor: str) -> pd.Series:
    return texts_of[vendor].result() if vendor in texts_of else _text(frame[vendor])


def _parse_local(
    s: pd.Series, dayfirst: bool, tz: str, stripped: bool
) -> tuple[np.ndarray, str, pd.Series, np.ndarray, int]:
    """Parse and localise one time column (in a worker thread); nanoseconds, as the schema wants."""
    fast = parse_local_iso(s, tz) if stripped else None
    if fast is not None:  # ISO local times: parsed and localised in place, in one array
        unparseable, aware, gap, amb = fast
        return unparseable, "iso", aware, gap, amb
    p, layout = parse_stripped(s, dayfirst=dayfirst) if stripped else parse_datetimes(s, dayfirst=dayfirst)
    p = _storable(p)
    aware, gap, amb = localize(p, tz)
    with contextlib.suppress(pd.errors.OutOfBoundsDatetime):  # a value near the edge may still move past it
        aware = aware.dt.as_unit("ns")
    return (p.isna() & s.notna()).to_numpy(), layout, aware, gap, amb


def _storable(p: pd.Series) -> pd.Series:
    """`p` with times the schema cannot store (e.g. "-1" read as year -1) made missing: unparseable."""
    if isinstance(p.dtype, np.dtype) and p.dtype.kind == "M":  # naive: compare the int64 values
        beyond = unstorable(p.to_numpy().view(np.int64), np.datetime_data(p.dtype)[0])
    else:
        naive = p.dt.tz_localize(None) if isinstance(p.dtype, pd.DatetimeTZDtype) else p
        beyond = ((naive < STORABLE_RANGE[0]) | (naive > STORABLE_RANGE[1])).to_numpy()
    return p.where(~beyond) if beyond is not None and beyond.any() else p


def _priority(raw: pd.Series, m: Mapping, decimal: str | None) -> tuple[pd.Series | pd.api.extensions.ExtensionArray, np.ndarray]:
    """Priorities (Int64) through the mapping's codes, else as whole numbers >= 0; and the unknown ones."""
    if m.priorities:
        mapped, unknown = _codes(_text(raw), dict(m.priorities))
        return pd.array(mapped.where(mapped.notna(), None).tolist(), dtype="Int64"), unknown
    chunks = _kernels.utf8_chunks(raw)
    plain = _kernels.integers_column(chunks) if chunks is not None else None
    if plain is not None:  # digits only (the usual 0 / 1): nothing to convert, nothing bad
        whole, null = plain
        return pd.Series(pd.arrays.IntegerArray(whole, null), index=raw.index, copy=False), np.zeros(len(raw), dtype=bool)
    num, _ = parse_numbers(raw, decimal or m.decimal)
    v = num.to_numpy(dtype=np.float64)
    missing = np.isnan(v)
    with np.errstate(invalid="ignore"):
        fraction = ~np.isfinite(v) | (v != np.floor(v))  # ``num % 1 != 0``, without the division
        bad = (missing & raw.notna().to_numpy()) | fraction | (v < 0) | (v > 2**31)  # no class is numbered 1E100
    null = bad | missing  # ``num.where(~bad).round().astype("Int64")``, in numpy
    whole = np.where(null, 0.0, v).astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(whole, null), index=num.index, copy=False), bad


def _build(
    raw: RawTable,
    m: Mapping,
    cols: dict[str, str],
    pool: ThreadPoolExecutor,
    notes: list[str],
    *,
    path: str,
    tz: str,
    dayfirst: bool | None,
    decimal: str | None,
) -> Candidates:
    frame = raw.frame
    n = len(frame)
    flag = _Flags(n)
    out = pd.DataFrame(index=frame.index)
    wanted = [cols[c] for c in (*_TEXT_COLUMNS, "date", *TIME_COLUMNS, "outcome") if c in cols]
    texts_of = {
        v: pool.submit(_text, frame[v])
        for v in dict.fromkeys(wanted)
        if not pd.api.types.is_datetime64_any_dtype(frame[v].dtype)
    }

    for c in _TEXT_COLUMNS:
        if c in cols:
            out[c] = texts_of[cols[c]].result()
        elif c in m.constants:
            out[c] = _constant_text(str(m.constants[c]), frame.index)
    if "channel" not in out:
        channel = "kiosk" if m.format == "kiosk" else "phone"
        out["channel"] = _constant_text(channel, frame.index)
        notes.append(f"Channel {channel if n else ''} for every row (format {m.format}).")
    elif m.format == "contacts":
        out["channel"] = out["channel"].str.lower()

    # --- times -----------------------------------------------------------------------------
    date = _text_of(texts_of, frame, cols["date"]) if "date" in cols else None
    texts: dict[str, pd.Series] = {}
    stripped: set[str] = set()  # vendor columns that are _text output as they are
    n_null = 0  # SQL spellings of a missing value (NULL, \N, None) in time and number columns
    for c in TIME_COLUMNS:
        if c not in cols or cols[c] in texts:
            continue
        s = frame[cols[c]]
        if not pd.api.types.is_datetime64_any_dtype(s.dtype):
            s = texts_of[cols[c]].result()
            stripped.add(cols[c])
            if is_time_only(s):
                stripped.discard(cols[c])
                if date is None:
                    raise LogFormatError(
                        f"{path}: column {cols[c]!r} holds times of day without a date; map the date column "
                        'in the mapping ([columns] date = "<column>").'
                    )
                s = combine_date_time(date, s)
        texts[cols[c]] = s
    given = dayfirst if dayfirst is not None else m.dayfirst
    source = "the dayfirst argument" if dayfirst is not None else f"mapping {m.source}"
    order = infer_dayfirst(list(texts.values()) + ([date] if date is not None else []), given, source)
    if order is not None:
        notes.append(order.reason)
    parsed: dict[str, pd.Series] = {}
    offsets = False
    n_ambiguous = 0
    first = order.dayfirst if order else True
    jobs = {v: pool.submit(_parse_local, s, first, tz, v in stripped) for v, s in texts.items()}
    # the codes are independent of the times: map them while the times parse
    outcome_job = None
    if "outcome" in cols:
        table: dict[str, object] = dict(m.outcomes) if m.outcomes else {o.upper(): o for o in OUTCOMES}
        outcome_job = pool.submit(_codes, _text_of(texts_of, frame, cols["outcome"]), table, text=True)
    priority_job = pool.submit(_priority, frame[cols["priority"]], m, decimal) if "priority" in cols else None
    for vendor in texts:  # flags in column order, whichever job finished first
        unparsed, layout, aware, gap, amb = jobs[vendor].result()
        if unparsed.any():  # NULL (or a NULL date joined to the time) is a missing time: its value is NaT already
            null = sql_nulls(_text_of(texts_of, frame, vendor), unparsed)
            if date is not None and vendor not in stripped and vendor in texts_of:
                null |= sql_nulls(date, unparsed)
            n_null += int(null.sum())
            unparsed = unparsed & ~null
        offsets |= layout == "iso-offset"
        flag(unparsed, f"unparseable time ({vendor})")
        flag(gap, f"time in a DST gap ({vendor}: no such local time in {tz})")
        n_ambiguous += amb
        parsed[vendor] = aware
    if offsets:
        notes.append(f"Timestamps carry UTC offsets; converted to {tz}.")
    if n_ambiguous:
        notes.append(
            f"{n_ambiguous} time(s) fell in the repeated hour when clocks went back in {tz}; "
            "taken as the first (daylight-saving) occurrence."
        )
    empty_times = pd.Series(pd.NaT, index=frame.index, dtype=f"datetime64[ns, {tz}]")
    for c in TIME_COLUMNS:
        out[c] = parsed[cols[c]] if c in cols else empty_times
    if "service_seconds" in cols:
        secs, mark = parse_numbers(frame[cols["service_seconds"]], decimal or m.decimal)
        raw_secs = frame[cols["service_seconds"]]
        null = sql_nulls(raw_secs, (secs.isna() & raw_secs.notna()).to_numpy())
        n_null += int(null.sum())
        raw_secs = raw_secs.where(~null)
        v = secs.to_numpy(dtype=np.float64)
        nan_text = np.isnan(v) & _text(raw_secs).str.casefold().isin(("nan", "-nan", "+nan")).to_numpy(dtype=bool)
        flag(np.isinf(v) | nan_text, f"not a finite number ({cols['service_seconds']}: inf, nan or beyond 1e308)")
        flag((secs.isna() & raw_secs.notna()).to_numpy(), f"unparseable number ({cols['service_seconds']})")
        flag((secs < 0).to_numpy(), f"negative duration ({cols['service_seconds']})")
        flag((secs > MAX_DURATION_S).to_numpy(), "absurd duration (over 24 h)")
        if "ended_at" not in cols:  # only durations a timedelta holds (1e308 s does not): the others are flagged
            with np.errstate(invalid="ignore"):
                usable = secs.where((v >= 0) & (v <= MAX_DURATION_S))
            out["ended_at"] = out["started_at"] + pd.to_timedelta(usable, unit="s")
            notes.append(f"ended_at = started_at + {cols['service_seconds']} (seconds, decimal mark {mark!r}).")

    # --- codes -----------------------------------------------------------------------------
    if outcome_job is not None:
        mapped, unknown = outcome_job.result()
        flag(unknown, f"unknown outcome code ({cols['outcome']})")
        out["outcome"] = mapped
    else:
        has = {c: out[c].notna().to_numpy() for c in TIME_COLUMNS}
        inferred = np.select(
            [has["started_at"] & has["ended_at"], has["called_at"] & ~has["started_at"], has["ended_at"]],
            ["served", "no_show", "abandoned"],
            default="other",
        )
        out["outcome"] = pd.Series(inferred, index=frame.index, dtype="str")
        notes.append(
            "No outcome column: outcome inferred from the times (start and end: served; called, no start: "
            "no_show; only an end: abandoned; else other)."
        )
    if priority_job is not None:
        values, unknown = priority_job.result()
        if not m.priorities and unknown.any():  # a number column: NULL is a missing priority
            null = sql_nulls(frame[cols["priority"]], unknown)
            n_null += int(null.sum())
            unknown = unknown & ~null
        flag(unknown, f"unknown priority code ({cols['priority']})")
        out["priority"] = values
    elif "priority" in m.constants:
        out["priority"] = pd.array(np.full(n, int(m.constants["priority"])), dtype="Int64")

    # --- ids -------------------------------------------------------------------------------
    if "contact_id" not in out:
        if "ticket" in out:
            day = out["arrived_at"].dt.strftime("%Y-%m-%d")
            site = _str(out["site"]).fillna("") if "site" in out else ""
            queue, ticket = _str(out["queue"]).fillna(""), _str(out["ticket"]).fillna("?")
            out["contact_id"] = site + "/" + day.fillna("?") + "/" + queue + "/" + ticket
            notes.append("No id column: contact_id = site/date/queue/ticket (a repeat of it is a duplicate id).")
        else:
            out["contact_id"] = "line-" + pd.Series(raw.lines, index=frame.index).astype("str")
            notes.append("No id or ticket column: contact_id = 'line-<file line>'.")
    for c, kind in COLUMNS.items():
        if c in out:
            continue
        if kind == "string":  # all missing: a categorical without categories, text only for the rows kept
            out[c] = _constant_text(None, frame.index)
        else:
            out[c] = pd.Series(pd.NA, index=frame.index, dtype="object")
    notes.extend(sql_null_note(n_null))
    return flag.candidates(out[list(COLUMNS)], notes)


def id_fields(m: Mapping, columns: list[str]) -> tuple[str, ...]:
    """The file's columns that the mapping turns into ``contact_id`` or ``customer_id``."""
    wanted = {normalise_name(m.columns[c]) for c in ("contact_id", "customer_id") if c in m.columns}
    return tuple(c for c in columns if normalise_name(c) in wanted)
