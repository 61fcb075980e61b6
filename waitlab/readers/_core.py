"""``read_log``: detect the format, read, quarantine, and account for every row."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from waitlab import _kernels
from waitlab.exceptions import ArgumentError, LogFormatError, SchemaError
from waitlab.readers._mapping import Mapping, load_mapping, shipped_mappings
from waitlab.readers._report import IngestReport
from waitlab.readers._sniff import asterisk_like, refuse_unusable
from waitlab.readers._tables import RawTable, load_table, read_head_text
from waitlab.readers._tabular import Candidates, from_mapping, id_fields, normalise_name
from waitlab.schema import COLUMNS, DEFAULT_TZ, categories_as_text, coerce_columns, row_problem_codes

__all__ = ["FORMATS", "SEELAB_TZ", "finalize", "read_log"]

FORMATS = ("kiosk", "acd", "asterisk", "seelab", "contacts")
#: Timezone of the SEELab "Anonymous Bank" call center (Israel).
SEELAB_TZ = "Asia/Jerusalem"
_ASTERISK_LINE = re.compile(r"^\d{9,19}(?:\.\d+)?\|[^|]*\|[^|]*\|[^|]*\|[A-Z_]+")  # epoch s (or ms, by mistake)
_CONTACTS_REQUIRED = ("contact_id", "queue", "channel", "arrived_at", "outcome")


def _check_tz(tz: str) -> str:
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ArgumentError(
            f"`tz` must be an IANA timezone name such as 'America/Argentina/Buenos_Aires', got {tz!r}."
        ) from None
    return tz


def _fits(m: Mapping, columns: list[str]) -> bool:
    have = {normalise_name(c) for c in columns}
    return all(normalise_name(v) in have for v in m.columns.values())


def _contacts_mapping(columns: list[str]) -> Mapping:
    """The identity mapping of an already-canonical contacts file."""
    return Mapping(name="canonical contacts", format="contacts", source="contacts", columns={c: c for c in columns})


def _detect(path: Path, raw: RawTable, notes: list[str]) -> tuple[str, Mapping | None]:
    cols = list(raw.frame.columns)
    names = {normalise_name(c) for c in cols}
    if {"vru+line", "call_id", "q_start", "outcome"} <= names:
        notes.append("Format seelab, detected from the header (vru+line, call_id, q_start, ...).")
        return "seelab", None
    if set(_CONTACTS_REQUIRED) <= names:
        notes.append("Format contacts (already canonical), detected from the header.")
        return "contacts", None
    for name in shipped_mappings():
        m = load_mapping(name)
        if _fits(m, cols):
            notes.append(f"Format {m.format} with shipped mapping {name}, detected: the file has all its columns.")
            return m.format, m
    raise LogFormatError(
        f"{path}: cannot tell the log format from its columns {cols}; pass format= (kiosk, acd, asterisk, "
        "seelab, contacts) and, for a kiosk export, a mapping file."
    )


def _problems(
    coerced: pd.DataFrame, among: np.ndarray, ids_unique: Callable[[], bool], texts: list[str]
) -> np.ndarray:
    """:func:`row_problems` of the rows marked `among`, computed on all rows of `coerced`.

    Returns an int16 code per row indexing `texts` (0: no problem); new reasons are appended
    to `texts`. Every rule but "duplicate contact_id" looks at one row only; a repeat must
    repeat a row `among` the others, so that rule is redone on those rows when it fired.
    """
    if not len(coerced):
        return np.zeros(0, dtype=np.int16)
    found = row_problem_codes(coerced, ids_unique)
    if isinstance(found.dtype, pd.CategoricalDtype):
        codes, names = found.cat.codes.to_numpy(), [str(c) for c in found.cat.categories]
    else:  # row_problems' strings
        codes, uniques = pd.factorize(found.to_numpy(dtype=object))
        names = [str(u) for u in uniques]
    for name in names:
        if name not in texts:
            texts.append(name)
    remap = np.array([texts.index(name) for name in names], dtype=np.int16)
    problems = remap[codes]
    dup_code = texts.index("duplicate contact_id") if "duplicate contact_id" in texts else -1
    dup = problems == dup_code
    if dup.any() and not among.all():
        problems[dup] = 0
        again = np.zeros(len(problems), dtype=bool)
        again[among] = coerced["contact_id"][among].duplicated(keep="first").to_numpy()
        problems[again & (problems == 0)] = dup_code
    return problems


def _ids_unique(ids: pd.Series) -> bool:
    """``ids.is_unique``, faster for Arrow strings (:func:`waitlab._kernels.strings_distinct`)."""
    chunks = _kernels.utf8_chunks(ids)
    if chunks is None or len(ids) < 2:
        return bool(ids.is_unique)
    if sum(c.null_count for c in chunks) > 1:  # two missing ids repeat each other
        return False
    distinct = _kernels.strings_distinct(chunks)
    return bool(ids.is_unique) if distinct is None else distinct


def _select(s: pd.Series, keep: np.ndarray) -> pd.Series:
    """``s[keep]`` with a fresh RangeIndex.

    Arrow strings are filtered chunk by chunk: Arrow's filter or take of a whole chunked array
    first joins its chunks, copying every value (a second time, for the rows kept).
    """
    if isinstance(s.dtype, pd.DatetimeTZDtype):  # the int64 instants (pandas' own mask indexing is slower)
        utc = pd.DatetimeIndex(s.array.asi8[keep], dtype=pd.DatetimeTZDtype(s.dtype.unit, "UTC"), copy=False)
        return pd.Series(utc.tz_convert(s.dtype.tz).array, name=s.name, copy=False)
    if not isinstance(s.array, pd.arrays.ArrowStringArray):  # the array itself: no index to take from
        return pd.Series(s.array[keep], name=s.name, copy=False)
    chunked = pa.chunked_array(pa.array(s.array))
    pieces, start = [], 0
    for chunk in chunked.chunks:
        part = keep[start : start + len(chunk)]
        start += len(chunk)
        if part.all():
            pieces.append(chunk)
        elif part.any():
            pieces.append(chunk.filter(pa.array(part)))
    values = pd.arrays.ArrowStringArray(pa.chunked_array(pieces, type=chunked.type), dtype=s.dtype)
    return pd.Series(values, name=s.name, copy=False)


def _rows(frame: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """``frame.loc[keep]`` with a fresh RangeIndex, for a few rows (the quarantined ones).

    Arrow strings are taken chunk by chunk by position (see :func:`_select`).
    """
    at = np.flatnonzero(keep)
    if not len(frame.columns):
        return frame.iloc[at].reset_index(drop=True)
    return pd.DataFrame({c: _pick(frame[c], at) for c in frame.columns}, copy=False)


def _pick(s: pd.Series, at: np.ndarray) -> pd.Series:
    """``s.iloc[at]`` (`at` increasing) with a fresh RangeIndex; Arrow strings chunk by chunk."""
    if not isinstance(s.array, pd.arrays.ArrowStringArray):
        return pd.Series(s.array.take(at), name=s.name, copy=False)
    chunked = pa.chunked_array(pa.array(s.array))
    starts = np.cumsum([0] + [len(c) for c in chunked.chunks])
    cuts = np.searchsorted(at, starts)
    pieces = [
        chunk.take(pa.array(at[lo:hi] - start))
        for chunk, start, lo, hi in zip(chunked.chunks, starts, cuts[:-1], cuts[1:], strict=False)
        if hi > lo
    ]
    values = pd.arrays.ArrowStringArray(pa.chunked_array(pieces, type=chunked.type), dtype=s.dtype)
    return pd.Series(values, name=s.name, copy=False)


def _categorical(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]


def _take(frame: pd.DataFrame, keep: np.ndarray, pool: ThreadPoolExecutor) -> pd.DataFrame:
    """``frame.loc[keep]`` with a fresh RangeIndex, copying the columns side by side.

    Columns holding the very same times (a log that stamps called and started alike) are
    copied once and share the copy.
    """
    first: dict[tuple[int, str], str] = {}  # (address of the times, dtype) -> first column holding them
    same: dict[str, str] = {}  # column -> the column whose copy it shares
    for c in frame.columns:
        if isinstance(frame[c].dtype, pd.DatetimeTZDtype):
            key = (frame[c].array.asi8.__array_interface__["data"][0], str(frame[c].dtype))
            same[c] = first.setdefault(key, c)
    copied = [c for c in frame.columns if same.get(c, c) == c]
    columns = dict(zip(copied, pool.map(lambda c: _select(frame[c], keep), copied), strict=True))
    out = {c: columns[same.get(c, c)].rename(c) for c in frame.columns}
    return pd.DataFrame(out, copy=False)  # the columns are fresh


def finalize(
    cand: Candidates,
    raw_fields: pd.DataFrame,
    lines: np.ndarray,
    *,
    path: str,
    fmt: str,
    tz: str,
    assumptions: list[str],
    malformed: pd.DataFrame | None = None,
    not_rows: dict[str, int] | None = None,
    row_unit: str | None = None,
    id_fields: tuple[str, ...] = (),
) -> tuple[pd.DataFrame, IngestReport]:
    """Apply the schema rules after the parse reasons; split into contacts and quarantine.

    `raw_fields` holds the original fields of each candidate row (same index), `lines` its
    file line. `malformed` rows (``line``, ``reason``, ``raw``) were never parsed at all.
    `id_fields` names the raw fields holding contact or customer ids (hashed by exports).
    """
    reasons, texts = cand.reason_codes()
    reasons = reasons.astype(np.int16, copy=True)
    parsed = reasons == 0
    with ThreadPoolExecutor(2) as pool:  # unique ids in all rows means unique in any of them
        unique = pool.submit(_ids_unique, cand.frame["contact_id"])
        try:  # the schema rules on every row, so that the table is copied once, at the end
            coerced, rows = coerce_columns(cand.frame, tz=tz, keep_categories=True), np.ones(len(parsed), dtype=bool)
        except SchemaError:  # a row that did not parse holds a value the schema cannot even store
            coerced, rows = coerce_columns(cand.frame.loc[parsed], tz=tz, keep_categories=True), parsed
        problems = _problems(coerced, parsed[rows], unique.result, texts)
        reasons[parsed] = problems[parsed[rows]]
        good = reasons == 0
        bad = ~good
        quarantined = pool.submit(_rows, raw_fields, bad)  # the bad rows' fields, beside the copy of the good
        contacts = coerced.reset_index(drop=True) if good[rows].all() else _take(coerced, good[rows], pool)
        texts_of = {c: pool.submit(categories_as_text, contacts[c]) for c in _categorical(contacts)}
        for c, text in texts_of.items():  # text for the rows kept only
            contacts[c] = text.result()
        fields = quarantined.result()
    why = np.asarray(texts, dtype=object)[reasons[bad]].astype(str)  # text for the quarantined rows only
    q = pd.DataFrame({"line": np.asarray(lines)[bad].astype(np.int64), "reason": why})
    fields = fields.rename(columns={c: f"field:{c}" if c in ("line", "reason") else c for c in fields.columns})
    q = pd.concat([q, fields.astype("str").where(fields.notna(), None)], axis=1)
    if malformed is not None and len(malformed):
        q = pd.concat([q, malformed], ignore_index=True)
    q = q.sort_values("line", kind="stable").reset_index(drop=True)
    counts = q["reason"].value_counts()
    report = IngestReport(
        path=path,
        format=fmt,
        rows_read=len(cand.frame) + (len(malformed) if malformed is not None else 0),
        rows_used=len(contacts),
        rows_quarantined=len(q),
        reasons={str(k): int(v) for k, v in counts.items()},
        notes=(*assumptions, *cand.assumptions),
        quarantine=q,
        not_rows=dict(not_rows or {}),
        id_fields=tuple(c for c in (*id_fields, "raw") if c in q.columns),
        **({"row_unit": row_unit} if row_unit else {}),
    )
    return contacts, report


@refuse_unusable
def read_log(
    path: str | Path,
    format: str | None = None,  # noqa: A002 - the public name the CLI and docs use
    mapping: str | Path | Mapping | None = None,
    tz: str | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    dayfirst: bool | None = None,
) -> tuple[pd.DataFrame, IngestReport]:
    """Read a queue log into the contacts table, with an exact ingest report.

    Parameters
    ----------
    path : str or pathlib.Path
        The log: CSV (any separator), ``.xlsx``, Parquet, or any of them gzip-compressed.
    format : {"kiosk", "acd", "asterisk", "seelab", "contacts"}, optional
        Log format. Detected when omitted and unambiguous (asterisk by its pipe-separated
        event lines, seelab and contacts by their headers, kiosk/acd by a shipped mapping
        whose columns are all present, or from `mapping`); the report says so.
    mapping : str, pathlib.Path or Mapping, optional
        For ``kiosk`` and ``acd``: a mapping TOML path or the name of a shipped mapping
        (``vendor_a_es``, ``vendor_b_en``, ``acd_default``; see
        :mod:`waitlab.readers._mapping`). ``acd`` defaults to ``acd_default``.
    tz : str, optional
        IANA timezone of the log's local times. Default
        :data:`waitlab.schema.DEFAULT_TZ` (``seelab``: ``Asia/Jerusalem``). Asterisk epoch
        seconds are converted to it.
    encoding, sep : str, optional
        Text encoding and field separator; inferred when omitted (or taken from the mapping).
    dayfirst : bool, optional
        Order of ``dd/mm`` dates when the values cannot tell (a first field > 12 proves
        day-first); default from the mapping, else day-first is assumed and stated.

    Returns
    -------
    contacts : pandas.DataFrame
        The canonical contacts table (:mod:`waitlab.schema`) of the rows that passed.
    report : IngestReport
        ``rows_read == rows_used + rows_quarantined``; reasons, quarantined rows with their
        file line, and every assumption made.

    Raises
    ------
    LogFormatError
        When the file cannot be used at all (missing, empty, not a table, a required column
        missing, unknown format, wrong or invalid mapping), or when fewer than 1 % of a non-empty
        file's rows could be used (a wrong format, most often); when another format fits the
        file, the message names it. Bad *rows* otherwise never raise: they are quarantined with
        a reason.
    ValueError
        When `tz` is not a timezone name.

    Examples
    --------
    A three-row export of a Spanish turn terminal (the shipped ``vendor_a_es`` mapping); the
    third ticket was called before it was issued, so it is quarantined:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "branch.csv"
    >>> _ = path.write_text(
    ...     "Sucursal;Fecha;Nro Turno;Servicio;Prioridad;Hora Emision;Hora Llamado;Hora Inicio;Hora Fin;"
    ...     "Puesto;Estado;DNI\\n"
    ...     "Centro;10/03/2025;C001;Caja;Normal;10:01:32;10:01:32;10:02:23;10:07:47;Caja 1;ATENDIDO;3331\\n"
    ...     "Centro;10/03/2025;C002;Caja;Normal;10:03:17;10:09:00;;;Caja 2;AUSENTE;2982\\n"
    ...     "Centro;10/03/2025;C003;Caja;Normal;10:04:00;09:59:00;;;Caja 2;ATENDIDO;2983\\n",
    ...     encoding="cp1252")
    >>> contacts, report = read_log(path, mapping="vendor_a_es")
    >>> report.rows_read, report.rows_used, report.rows_quarantined
    (3, 2, 1)
    >>> contacts["outcome"].tolist(), str(contacts["arrived_at"].iloc[0])
    (['served', 'no_show'], '2025-03-10 10:01:32-03:00')
    >>> path.unlink(); path.parent.rmdir()
    """
    p = Path(path)
    if format is not None and format not in FORMATS:
        raise LogFormatError(f"format {format!r} (for {p}) is unknown; use one of {', '.join(FORMATS)}.")
    m = load_mapping(mapping) if mapping is not None else None
    if m is not None and format in ("asterisk", "seelab", "contacts"):
        raise LogFormatError(f"format {format} takes no mapping, but mapping {m.source} was given; drop it.")
    if m is not None and format is not None and format != m.format:
        raise LogFormatError(
            f"mapping {m.source} is for format {m.format}, not {format}; pass format={m.format} or another mapping."
        )
    notes: list[str] = []
    if format is None and m is None:
        _, head = read_head_text(p, encoding)
        if asterisk_like(head):
            format = "asterisk"
            notes.append("Format asterisk, detected: lines are 'epoch|callid|queue|agent|EVENT|...'.")
    if format == "asterisk":
        from waitlab.readers._asterisk import read_asterisk

        return read_asterisk(p, tz=_check_tz(tz or DEFAULT_TZ), encoding=encoding, notes=notes)
    raw = load_table(p, encoding=encoding, sep=sep if sep else (m.sep if m else None), encoding_hint=m.encoding if m else None)
    if format is None:
        if m is not None:
            format = m.format
            notes.append(f"Format {format}, from mapping {m.source}.")
        else:
            format, m = _detect(p, raw, notes)
    if format == "seelab":
        from waitlab.readers._seelab import read_seelab

        zone = _check_tz(tz or SEELAB_TZ)
        if tz is None:
            notes.append(f"Timezone {zone} (the SEELab Anonymous Bank is in Israel), default.")
        return read_seelab(raw, path=str(p), tz=zone, notes=notes)
    zone = _check_tz(tz or DEFAULT_TZ)
    notes.append(f"Timezone {zone}" + (" (as given)." if tz else ", the default (pass tz= if the log is elsewhere)."))
    if format == "contacts":
        missing = [c for c in _CONTACTS_REQUIRED if c not in raw.frame.columns]
        if missing:
            raise LogFormatError(
                f"{p}: a contacts file needs column(s) {missing}, found {list(raw.frame.columns)}; add them or "
                "use format kiosk/acd with a mapping."
            )
        m = _contacts_mapping([c for c in COLUMNS if c in raw.frame.columns])
    elif m is None and format == "acd":
        m = load_mapping("acd_default")
        notes.append("Mapping acd_default (the default acd layout).")
    elif m is None:
        fitting = [n for n in shipped_mappings() if load_mapping(n).format == "kiosk" and _fits(load_mapping(n), list(raw.frame.columns))]
        if not fitting:
            raise LogFormatError(
                f"{p}: a kiosk export needs a mapping and no shipped one ({', '.join(shipped_mappings())}) fits its "
                f"columns {list(raw.frame.columns)}; write a mapping TOML (see waitlab.readers._mapping) and pass it."
            )
        m = load_mapping(fitting[0])
        notes.append(f"Mapping {fitting[0]}, chosen because the file has all its columns.")
    assert m is not None
    cand = from_mapping(raw, m, path=str(p), tz=zone, dayfirst=dayfirst)
    return finalize(
        cand,
        raw.frame,
        raw.lines,
        path=str(p),
        fmt=format,
        tz=zone,
        assumptions=raw.assumptions + notes,
        malformed=raw.malformed,
        not_rows=raw.not_rows,
        id_fields=id_fields(m, list(raw.frame.columns)),
    )
