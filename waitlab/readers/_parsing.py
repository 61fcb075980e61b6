"""Vectorised parsing of log fields: date-times, date order, decimal numbers (timezones:
:mod:`waitlab.readers._zones`).

Nothing here loops over all rows in Python: formats are inferred from a sample, applied to the
whole column at once, and only the values that fail are retried with the other candidate
formats. A value that no candidate parses becomes ``NaT`` / ``NaN``; the caller turns that
into a quarantine reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from waitlab import _kernels

__all__ = [
    "DateOrder",
    "combine_date_time",
    "infer_dayfirst",
    "is_time_only",
    "parse_datetimes",
    "parse_numbers",
    "parse_stripped",
]

_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$")
_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?$")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%H:%M:%S.%f")
_SAMPLE = 2000


def _sample(s: pd.Series) -> list[str]:
    """Up to _SAMPLE distinct non-null values from the start and the end of the column."""
    half = _SAMPLE // 2
    head, tail = s.iloc[: 8 * _SAMPLE].dropna(), s.iloc[-8 * _SAMPLE :].dropna()
    if len(s) <= 8 * _SAMPLE or len(head) < half or len(tail) < half:  # short or sparse: look at it all
        vals = s.dropna()
        if len(vals) > _SAMPLE:
            vals = pd.concat([vals.iloc[:half], vals.iloc[-half:]])
    else:  # the same values, without copying the whole column
        vals = pd.concat([head.iloc[:half], tail.iloc[-half:]])
    return [str(v).strip() for v in vals.unique()]


class DateOrder:
    """Day-first or month-first decision for a file, with the sentence that explains it."""

    def __init__(self, dayfirst: bool, reason: str) -> None:
        self.dayfirst = dayfirst
        self.reason = reason


def infer_dayfirst(columns: Sequence[pd.Series], given: bool | None, source: str) -> DateOrder | None:
    """Decide the date order of ``dd/mm`` vs ``mm/dd`` dates from the values.

    A first field above 12 proves day-first, a second field above 12 proves month-first.
    When the values cannot tell, `given` (from the caller or the mapping, named by `source`)
    decides; failing that, day-first is assumed (the Spanish convention). Returns None when
    no column holds slash-style dates.
    """
    firsts: list[np.ndarray] = []
    seconds: list[np.ndarray] = []
    for s in columns:
        if not any(_DMY.match(v) for v in _sample(s)[:50]):
            continue
        head = pd.Series(s.dropna().astype("str").str.strip().str.slice(0, 10).unique())
        parts = head.str.extract(r"^(\d{1,2})[/.-](\d{1,2})[/.-]").dropna().astype(int)
        firsts.append(parts[0].to_numpy())
        seconds.append(parts[1].to_numpy())
    if not firsts:
        return None
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    day_proof, month_proof = int((first > 12).sum()), int((second > 12).sum())
    if given is not None:
        order = "day-first (dd/mm/yyyy)" if given else "month-first (mm/dd/yyyy)"
        clash = month_proof if given else day_proof
        proof = day_proof if given else month_proof
        extra = f"; note {clash} date(s) contradict it and will not parse" if clash else ""
        seen = f" and shown by the values ({proof} date(s) have a field > 12)" if proof and not clash else ""
        return DateOrder(given, f"Date order {order}, as given by {source}{seen}{extra}.")
    if day_proof and not month_proof:
        return DateOrder(True, f"Date order day-first (dd/mm/yyyy), inferred: {day_proof} date(s) have a first field > 12.")
    if month_proof and not day_proof:
        return DateOrder(
            False, f"Date order month-first (mm/dd/yyyy), inferred: {month_proof} date(s) have a second field > 12."
        )
    if day_proof and month_proof:
        return DateOrder(
            True,
            f"Date order is inconsistent ({day_proof} dates look day-first, {month_proof} month-first); "
            "assumed day-first, so the others will not parse; pass dayfirst= to choose.",
        )
    return DateOrder(
        True, "Date order day-first (dd/mm/yyyy) assumed: no date has a field > 12; pass dayfirst=False if wrong."
    )


def is_time_only(s: pd.Series) -> bool:
    """True when the column's values look like times of day without a date (``HH:MM[:SS]``)."""
    sample = _sample(s)[:200]
    return bool(sample) and sum(bool(_TIME.match(v)) for v in sample) > len(sample) / 2


def combine_date_time(date: pd.Series, time: pd.Series) -> pd.Series:
    """Join a date column and a time-of-day column into ``"<date> <time>"`` text (null if either is)."""
    d = date.astype("str").str.strip()
    t = time.astype("str").str.strip()
    out = d + " " + t
    return out.where(date.notna() & time.notna())


def _slash_formats(sample: list[str], dayfirst: bool) -> list[str]:
    counts: dict[str, int] = {}
    for v in sample:
        m = _DMY.match(v)
        if not m:
            continue
        sep, year = m.group(2), m.group(4)
        date = f"%d{sep}%m{sep}" if dayfirst else f"%m{sep}%d{sep}"
        date += "%Y" if len(year) == 4 else "%y"
        rest = v[m.end(4) :].strip()
        if not rest:
            fmt = date
        else:
            n = rest.count(":")
            fmt = date + " " + ("%H:%M" if n == 1 else "%H:%M:%S") + (".%f" if ("." in rest or "," in rest) else "")
        counts[fmt] = counts.get(fmt, 0) + 1
    ordered = sorted(counts, key=lambda f: -counts[f])
    base = {f.split(" ")[0] for f in ordered}
    for b in sorted(base):  # every time precision for every date layout seen
        for t in ("", *(" " + x for x in _TIME_FORMATS)):
            if b + t not in ordered:
                ordered.append(b + t)
    return ordered


def _strptime(s: pd.Series, fmt: str) -> pd.Series:
    """Parse with one strftime format; unparseable values (30 February, second 60 too) become NaT."""
    if "%f" not in fmt and "%y" not in fmt:
        if isinstance(s.array, pd.arrays.ArrowStringArray):  # Arrow strings already: no copy
            arr = pa.array(s.array)
        else:
            arr = pa.array(s.astype("str").where(s.notna(), None), type=pa.string(), from_pandas=True)
        parsed = pc.strptime(arr, format=fmt, unit="us", error_is_null=True)
        vals = parsed.to_numpy(zero_copy_only=False)
        out = pd.Series(vals, index=s.index, copy=not vals.flags.writeable).astype("datetime64[us]")
    else:
        out = pd.to_datetime(s, format=fmt, errors="coerce")
    return _not_rolled(s, out, fmt)


def _not_rolled(text: pd.Series, parsed: pd.Series, fmt: str) -> pd.Series:
    """`parsed` without the values strptime rolled over (30 February read as 1 or 2 March, second
    60 as the next minute): they are unparseable.

    A rolled value lands on day 1 to 3 or on second 0, so only those are read again, by Python's
    ``datetime.strptime``, which refuses impossible dates and times.
    """
    suspect = np.zeros(len(parsed), dtype=bool)
    if "%d" in fmt:
        suspect |= (parsed.dt.day <= 3).to_numpy(dtype=bool, na_value=False)
    if "%S" in fmt:
        suspect |= (parsed.dt.second == 0).to_numpy(dtype=bool, na_value=False)
    if not suspect.any():
        return parsed
    rolled = np.zeros(len(parsed), dtype=bool)
    for i, value in zip(np.flatnonzero(suspect), text.iloc[suspect].astype(str), strict=True):
        try:
            dt.datetime.strptime(value.strip(), fmt)
        except ValueError:
            rolled[i] = True
    return parsed.where(~rolled) if rolled.any() else parsed


def _layout(sample: list[str]) -> str:
    """``"iso-offset"``, ``"iso"``, ``"slash"`` or ``"unknown"``: the layout most of the sample follows."""
    n_iso = sum(bool(_ISO.match(v)) for v in sample)
    n_dmy = sum(bool(_DMY.match(v)) for v in sample)
    if n_iso >= n_dmy and n_iso:
        return "iso-offset" if any(_OFFSET.search(v) for v in sample if _ISO.match(v)) else "iso"
    return "slash" if n_dmy else "unknown"


def _parse_iso(text: pd.Series) -> pd.Series:
    """Local ISO date-times as datetime64[us]: strptime, then pandas' ISO 8601 parser for the rest.

    A value with a UTC offset cannot be placed among local times: it is unparseable (NaT).
    """
    out = _strptime(text, "%Y-%m-%d %H:%M:%S")
    rest = (out.isna() & text.notna()).to_numpy()
    if rest.any():  # the few values in another ISO layout (or none)
        odd = text[rest]
        odd = odd.where(~odd.str.contains(_OFFSET.pattern, regex=True).fillna(False).astype(bool))
        fix = pd.to_datetime(odd, format="ISO8601", errors="coerce")
        if isinstance(fix.dtype, np.dtype):  # naive, like `out`: patch those rows only
            vals = out.to_numpy(copy=True)
            vals[rest] = fix.astype("datetime64[us]").to_numpy()
            out = pd.Series(vals, index=text.index, copy=False)
        else:
            out = out.where(~rest, fix)
    return out.astype("datetime64[us]")


def _iso_micros(text: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Microseconds (int64, NaT where missing or unparseable) of ISO-layout text, and which
    values were not in ``yyyy-mm-dd[ T]HH:MM:SS``; None when no value is.

    Those values go through :func:`waitlab._kernels.iso19_parse`; the others (another layout,
    30 February, second 60) through :func:`_parse_iso`.
    """
    chunks = _kernels.utf8_chunks(text)
    if chunks is None or not len(text):
        return None
    micros, status = _kernels.iso19_column(chunks)
    if not (status == _kernels.ISO_OK).any():
        return None
    others = status == _kernels.ISO_OTHER
    micros[status == _kernels.ISO_MISSING] = np.iinfo(np.int64).min  # NaT
    if others.any():
        micros[others] = _parse_iso(text[others]).to_numpy().view(np.int64)
    return micros, others


def _iso_seconds(text: pd.Series) -> pd.Series | None:
    """:func:`_parse_iso`, faster (:func:`_iso_micros`); None when this shortcut does not apply."""
    parsed = _iso_micros(text)
    if parsed is None:
        return None
    return pd.Series(parsed[0].view("datetime64[us]"), index=text.index, copy=False)


def parse_datetimes(s: pd.Series, *, dayfirst: bool = True) -> tuple[pd.Series, str]:
    """Parse a column of date-times given as text (or already typed).

    Parameters
    ----------
    s : pandas.Series
        Text such as ``2024-05-06 08:01:02``, ``06/05/2024 08:01``, ``2024-05-06T08:01:02-03:00``,
        or a datetime64 column (returned as is).
    dayfirst : bool
        Order of slash-style dates (see :func:`infer_dayfirst`).

    Returns
    -------
    parsed : pandas.Series
        datetime64 (naive, or tz-aware in UTC when the text carries UTC offsets); NaT where a
        value is missing or cannot be parsed.
    layout : str
        ``"iso"``, ``"iso-offset"``, ``"slash"``, ``"typed"`` or ``"unknown"``.
    """
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s, "typed"
    text = s.astype("str").str.strip()
    if not isinstance(s.dtype, pd.StringDtype):  # a str column keeps its missing values as missing
        text = text.where(s.notna())
    return parse_stripped(text, dayfirst=dayfirst)


def parse_stripped(text: pd.Series, *, dayfirst: bool = True) -> tuple[pd.Series, str]:
    """:func:`parse_datetimes` of str-dtype text that is already stripped (missing as missing)."""
    s = text
    sample = _sample(text)
    layout = _layout(sample)
    if layout == "iso-offset":  # a value without an offset among them cannot be placed: unparseable
        has_offset = text.str.contains(_OFFSET.pattern, regex=True).fillna(False).astype(bool)
        return pd.to_datetime(text.where(has_offset), format="ISO8601", errors="coerce", utc=True), layout
    if layout == "iso":
        out = _iso_seconds(text)
        return (out if out is not None else _parse_iso(text)), layout
    if layout == "unknown":
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]"), layout
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    rest = text.notna()
    for fmt in _slash_formats(sample, dayfirst):
        if not rest.any():
            break
        parsed = _strptime(text[rest], fmt)
        out.loc[parsed.index] = out.loc[parsed.index].fillna(parsed)
        rest = out.isna() & text.notna()
    return out, "slash"


def parse_numbers(s: pd.Series, decimal: str | None) -> tuple[pd.Series, str]:
    """Parse numbers that may use a decimal comma; returns (float Series, decimal mark used).

    With ``decimal=None`` the mark is inferred: values like ``12,5`` (and none like ``12.5``)
    mean a decimal comma, and then ``.`` is read as a thousands separator.
    """
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.astype("float64"), "."
    if decimal == "." and isinstance(s.array, pd.arrays.ArrowStringArray) and len(s):
        # every value a plain number as it is (so stripping it would change nothing): cast, no copy of the text
        try:
            arr = pc.cast(pa.chunked_array(pa.array(s.array)), pa.float64())
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            pass
        else:
            vals = arr.to_numpy()
            return pd.Series(vals, index=s.index, dtype="float64", copy=not vals.flags.writeable), decimal
    text = s.astype("str").str.strip().where(s.notna())
    if decimal is None:
        sample = _sample(text)
        comma = sum(bool(re.match(r"^-?[\d.]*\d,\d+$", v)) for v in sample)
        point = sum(bool(re.match(r"^-?\d*\.\d+$", v)) for v in sample)
        decimal = "," if comma > point else "."
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    try:  # fast path: every value is a plain number
        arr = pc.cast(pa.array(text, type=pa.string(), from_pandas=True), pa.float64())
        vals = arr.to_numpy(zero_copy_only=False)
        return pd.Series(vals, index=s.index, dtype="float64", copy=not vals.flags.writeable), decimal
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.to_numeric(text, errors="coerce").astype("float64"), decimal
