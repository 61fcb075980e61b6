"""Kernels over times: ``yyyy-mm-dd HH:MM:SS`` text to microseconds, local times to UTC hour by hour."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numba import njit

from waitlab._kernels._arrow import _is_valid, string_buffers

__all__ = ["ISO_MISSING", "ISO_OK", "ISO_OTHER", "iso19_column", "iso19_parse", "known_range", "shift_by_hour"]


#: `iso19_parse` status of each value.
ISO_MISSING, ISO_OK, ISO_OTHER = 0, 1, 2


_NAT = np.iinfo(np.int64).min


@njit(cache=True, nogil=True, inline="always")
def _d(data: np.ndarray, at: int) -> int:
    """The digit at `at` (0-9), or more than 9 when the byte is not a digit (uint8 wraps below '0')."""
    return int(np.uint8(data[at] - np.uint8(48)))


@njit(cache=True, nogil=True)
def iso19_parse(
    valid: np.ndarray, offsets: np.ndarray, data: np.ndarray, bit0: int, out: np.ndarray, status: np.ndarray
) -> None:
    """Parse ``YYYY-MM-DD HH:MM:SS`` (or ``T`` between date and time) into microseconds since 1970.

    Writes ``out[i]`` and ``status[i]``: :data:`ISO_OK` for a valid date-time in exactly that
    layout (year 1 to 9999; the calendar checked: no 30 February, no hour 24, no second 60),
    :data:`ISO_MISSING` for a missing value, :data:`ISO_OTHER` for anything else (another
    layout, or that layout with an impossible date), which the caller parses some other way.
    """
    last_key = -1  # the date of the last value parsed, and its day number: logs come in runs
    days = 0
    for i in range(len(offsets) - 1):
        out[i] = 0
        if not _is_valid(valid, bit0, i):
            status[i] = ISO_MISSING
            continue
        lo = offsets[i]
        status[i] = ISO_OTHER
        if offsets[i + 1] - lo != 19:
            continue
        sep = data[lo + 10]
        if data[lo + 4] != 45 or data[lo + 7] != 45 or (sep != 32 and sep != 84) or data[lo + 13] != 58 or data[lo + 16] != 58:
            continue
        d0, d1, d2, d3 = _d(data, lo), _d(data, lo + 1), _d(data, lo + 2), _d(data, lo + 3)
        m0, m1, e0, e1 = _d(data, lo + 5), _d(data, lo + 6), _d(data, lo + 8), _d(data, lo + 9)
        h0, h1, n0, n1 = _d(data, lo + 11), _d(data, lo + 12), _d(data, lo + 14), _d(data, lo + 15)
        s0, s1 = _d(data, lo + 17), _d(data, lo + 18)
        if max(d0, d1, d2, d3, m0, m1, e0, e1, h0, h1, n0, n1, s0, s1) > 9:
            continue
        y = ((d0 * 10 + d1) * 10 + d2) * 10 + d3
        mo, d, h, mi, s = m0 * 10 + m1, e0 * 10 + e1, h0 * 10 + h1, n0 * 10 + n1, s0 * 10 + s1
        if y < 1 or mo < 1 or mo > 12 or d < 1 or h > 23 or mi > 59 or s > 59:
            continue
        if mo == 2:
            dim = 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28
        else:
            dim = 30 if mo == 4 or mo == 6 or mo == 9 or mo == 11 else 31
        if d > dim:
            continue
        key = (y * 100 + mo) * 100 + d
        if key != last_key:  # days from 1970-01-01 (H. Hinnant's days_from_civil; years here are >= 1)
            yy = y - 1 if mo <= 2 else y
            era = yy // 400
            yoe = yy - era * 400
            doy = (153 * (mo + (-3 if mo > 2 else 9)) + 2) // 5 + d - 1
            doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
            days = era * 146097 + doe - 719468
            last_key = key
        out[i] = (((days * 24 + h) * 60 + mi) * 60 + s) * 1_000_000
        status[i] = ISO_OK


@njit(cache=True, nogil=True)
def known_range(values: np.ndarray) -> tuple[int, int, int]:
    """(smallest, largest, how many) of the int64 `values` that are not NaT (the int64 minimum)."""
    lo, hi, n = np.iinfo(np.int64).max, _NAT, 0
    for v in values:
        if v != _NAT:
            n += 1
            lo = min(lo, v)
            hi = max(hi, v)
    return lo, hi, n


@njit(cache=True, nogil=True)
def shift_by_hour(
    values: np.ndarray, per_hour: int, first_hour: int, offset: np.ndarray, clean: np.ndarray, scale: int,
    out: np.ndarray, odd: np.ndarray,
) -> None:
    """Local times to UTC through the offset of each local hour, then times `scale` (a unit change).

    ``h = values[i] // per_hour - first_hour`` indexes `offset` (local minus UTC) and `clean`
    (the hour holds no clock change). NaT stays NaT; a value in an unclean hour is marked in
    `odd` and its `out` is not written (for the caller to fill). `out` may be `values` itself.
    """
    for i in range(len(values)):
        v = values[i]
        odd[i] = False
        if v == _NAT:
            out[i] = _NAT
            continue
        h = v // per_hour - first_hour
        if clean[h]:
            out[i] = (v - offset[h]) * scale
        else:
            odd[i] = True


def iso19_column(chunks: list[pa.Array]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`iso19_parse` of a whole column: microseconds (int64) and the status of each value."""
    n = sum(len(c) for c in chunks)
    out = np.empty(n, dtype=np.int64)
    status = np.empty(n, dtype=np.int8)
    at = 0
    for c in chunks:
        if len(c) == c.null_count:  # possibly without buffers at all
            out[at : at + len(c)] = 0
            status[at : at + len(c)] = ISO_MISSING
        else:
            iso19_parse(*string_buffers(c), out[at : at + len(c)], status[at : at + len(c)])
        at += len(c)
    return out, status
