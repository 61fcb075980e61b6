"""Vectorised parsing of log fields: date-times, date order, decimal numbers, timezones.

Nothing here loops over rows in Python: formats are inferred from a sample, applied to the
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

from waitlab._kernels import (
    ISO_MISSING,
    ISO_OK,
    ISO_OTHER,
    iso19_column,
    known_range,
    shift_by_hour,
    utf8_chunks,
)

__all__ = [
    "STORABLE_RANGE",
    "DateOrder",
    "combine_date_time",
    "infer_dayfirst",
    "is_time_only",
    "localize",
    "parse_datetimes",
    "parse_local_iso",
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
    chunks = utf8_chunks(text)
    if chunks is None or not len(text):
        return None
    micros, status = iso19_column(chunks)
    if not (status == ISO_OK).any():
        return None
    others = status == ISO_OTHER
    micros[status == ISO_MISSING] = np.iinfo(np.int64).min  # NaT
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
    if layout == "iso-offset":
        return pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True), layout
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


def localize(s: pd.Series, tz: str) -> tuple[pd.Series, np.ndarray, int]:
    """Make timestamps aware in `tz`.

    Naive values are local times in `tz`. A local time that does not exist (the hour skipped
    when clocks go forward) becomes NaT and is flagged in the returned mask; an ambiguous one
    (the repeated hour when clocks go back) is taken as the first, daylight-saving, instant.
    Aware values are converted.

    Returns
    -------
    aware : pandas.Series
    in_gap : numpy.ndarray of bool
        Values that fell in a DST gap.
    n_ambiguous : int
        Values that fell in the repeated hour.
    """
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return s.dt.tz_convert(tz), np.zeros(len(s), dtype=bool), 0
    fast = _localize_by_hour(s, tz)
    if fast is not None:
        return fast
    return _localize_values(s, tz)


def _localize_values(s: pd.Series, tz: str) -> tuple[pd.Series, np.ndarray, int]:
    """:func:`localize` of naive `s`, value by value (pandas' ``tz_localize``)."""
    first = s.dt.tz_localize(tz, nonexistent="NaT", ambiguous="NaT")
    lost = (first.isna() & s.notna()).to_numpy()
    if not lost.any():
        return first, lost, 0
    dst = s.dt.tz_localize(tz, nonexistent="NaT", ambiguous=np.ones(len(s), dtype=bool))
    in_gap = (dst.isna() & s.notna()).to_numpy()
    return dst, in_gap, int(lost.sum() - in_gap.sum())


_PER_HOUR = {"s": 3600, "ms": 3_600_000, "us": 3_600_000_000, "ns": 3_600_000_000_000}
#: Local times a contacts table can store (nanoseconds since 1970 in int64), with a day to spare
#: for the shift to UTC.
STORABLE_RANGE = (np.datetime64("1677-09-23"), np.datetime64("2262-04-10"))


def _localize_by_hour(s: pd.Series, tz: str) -> tuple[pd.Series, np.ndarray, int] | None:
    """:func:`localize` of naive `s` through the UTC offset of each local hour; None when it does not apply.

    An hour whose first and last instant both exist once, with the same UTC offset, holds no
    clock change (the tz database never changes a zone's offset twice within an hour), so every
    value in it converts with that offset (:func:`_shift_by_hour`). Values in any other hour (a
    DST gap or repeated hour touches it) go through :func:`_localize_values`, as do columns
    spanning too many hours. The result is in nanoseconds when they can hold it.
    """
    if not isinstance(s.dtype, np.dtype) or s.dtype.kind != "M":
        return None
    values = s.to_numpy().view(np.int64)
    shifted = _shift_by_hour(values, np.datetime_data(s.dtype)[0], tz, np.empty(len(values), dtype=np.int64))
    if shifted is None:
        return None
    out, unit, odd = shifted
    return _aware(out, unit, odd, s[odd] if odd.any() else None, s.index, tz)


def _aware(
    out: np.ndarray, unit: str, odd: np.ndarray, local_odd: pd.Series | None, index: pd.Index, tz: str
) -> tuple[pd.Series, np.ndarray, int]:
    """The aware Series of UTC instants `out` (int64 in `unit`), its `odd` values (naive local
    times `local_odd`) placed one by one by :func:`_localize_values`; as :func:`localize` returns."""
    gap = np.zeros(len(out), dtype=bool)
    n_ambiguous = 0
    if local_odd is not None:
        part, gap[odd], n_ambiguous = _localize_values(local_odd, tz)
        out[odd] = part.dt.as_unit(unit).array.asi8
    utc = pd.DatetimeIndex(out, dtype=pd.DatetimeTZDtype(unit, "UTC"), copy=False)  # int64 instants: no copy
    return pd.Series(utc.tz_convert(tz).array, index=index, copy=False), gap, n_ambiguous


def _shift_by_hour(values: np.ndarray, unit: str, tz: str, out: np.ndarray) -> tuple[np.ndarray, str, np.ndarray] | None:
    """Local int64 times in `unit` to UTC instants in `out` (which may be `values`), in nanoseconds
    when they can hold them. Returns ``(out, its unit, odd)``, `odd` marking the values in an hour
    with a clock change, which `out` leaves as they were; None when it does not apply."""
    per_hour = _PER_HOUR.get(unit)
    smallest, largest, n_known = known_range(values)
    if per_hour is None or not n_known:
        return None
    lo, hi = smallest // per_hour, largest // per_hour
    n = hi - lo + 1
    if n > max(len(values), 10_000):  # the table of hours must stay small next to the column
        return None
    starts = np.arange(lo, hi + 1, dtype=np.int64) * per_hour
    edges = pd.DatetimeIndex(np.concatenate([starts, starts + (per_hour - 1)]).view(f"datetime64[{unit}]"))
    aware = edges.tz_localize(tz, nonexistent="NaT", ambiguous="NaT")  # first and last instant of each hour
    offset = edges.asi8 - aware.asi8  # local minus UTC, in `unit`; garbage where NaT, masked by `clean`
    exists = ~aware.isna()
    clean = exists[:n] & exists[n:] & (offset[:n] == offset[n:])
    scale = _PER_HOUR["ns"] // per_hour
    limit = np.iinfo(np.int64).max // scale - per_hour  # an offset is under an hour
    if not (-limit < smallest and largest < limit):
        scale = 1
    odd = np.empty(len(values), dtype=bool)
    shift_by_hour(values, per_hour, lo, offset[:n], clean, scale, out, odd)
    return out, "ns" if scale > 1 else unit, odd


def parse_local_iso(text: pd.Series, tz: str) -> tuple[np.ndarray, pd.Series, np.ndarray, int] | None:
    """Stripped text of local ISO date-times straight to aware nanoseconds in `tz`.

    What :func:`parse_stripped`, then making unstorable times missing, then :func:`localize`
    give, over one array: :func:`_iso_micros`, then :func:`_shift_by_hour` in place. None (take
    the general route) unless the column's layout is ISO without offsets.
    Returns ``(unparseable, aware, in_gap, n_ambiguous)``.
    """
    if _layout(_sample(text)) != "iso":
        return None
    parsed = _iso_micros(text)
    if parsed is None:
        return None
    micros, others = parsed
    nat = np.iinfo(np.int64).min
    unparseable = others & (micros == nat)
    lo, hi = (int(t.astype("datetime64[us]").astype(np.int64)) for t in STORABLE_RANGE)
    smallest, largest, _ = known_range(micros)
    if smallest < lo or largest > hi:  # times a contacts table cannot store: unparseable
        beyond = (micros != nat) & ((micros < lo) | (micros > hi))
        micros[beyond] = nat
        unparseable |= beyond
    shifted = _shift_by_hour(micros, "us", tz, micros)  # in place: the local times become UTC instants
    if shifted is None:
        return None
    out, unit, odd = shifted
    local_odd = pd.Series(out[odd].view("datetime64[us]")) if odd.any() else None  # left as they were
    return (unparseable, *_aware(out, unit, odd, local_odd, text.index, tz))


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
