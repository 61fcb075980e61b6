"""Local times to aware instants: the hour-by-hour shift to UTC, and the one-array route for ISO text.

A naive local time is placed in the timezone of the log: the hour when clocks go forward has
no such time (the value is flagged), the hour when they go back holds it twice (the first,
daylight-saving instant is taken).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from waitlab import _kernels
from waitlab.readers._parsing import _iso_micros, _layout, _sample

__all__ = ["STORABLE_RANGE", "localize", "parse_local_iso", "unstorable"]


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


def unstorable(values: np.ndarray, unit: str) -> np.ndarray | None:
    """Which naive int64 times in `unit` lie outside :data:`STORABLE_RANGE` (NaT does not), or
    None when none does."""
    lo, hi = (int(t.astype(f"datetime64[{unit}]").astype(np.int64)) for t in STORABLE_RANGE)
    smallest, largest, _ = _kernels.known_range(values)
    if lo <= smallest and largest <= hi:
        return None
    return (values != np.iinfo(np.int64).min) & ((values < lo) | (values > hi))


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
    smallest, largest, n_known = _kernels.known_range(values)
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
    _kernels.shift_by_hour(values, per_hour, lo, offset[:n], clean, scale, out, odd)
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
    beyond = unstorable(micros, "us")
    if beyond is not None:  # times a contacts table cannot store: unparseable
        micros[beyond] = nat
        unparseable |= beyond
    shifted = _shift_by_hour(micros, "us", tz, micros)  # in place: the local times become UTC instants
    if shifted is None:
        return None
    out, unit, odd = shifted
    local_odd = pd.Series(out[odd].view("datetime64[us]")) if odd.any() else None  # left as they were
    return (unparseable, *_aware(out, unit, odd, local_odd, text.index, tz))
