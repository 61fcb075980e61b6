"""Numba kernels over the raw buffers of Arrow string arrays, for the readers' hot loops.

An Arrow string chunk is three buffers: a validity bitmap (absent when nothing is missing),
``n + 1`` offsets, and the UTF-8 bytes of all values end to end. Each kernel walks them once,
without the GIL, so a reader can run several columns side by side in threads. Each one has a
plain reference (pandas or pyarrow compute) that the tests compare it with; callers fall back
to that reference whenever a kernel says it does not apply.

Kernels are compiled on first use and cached on disk (``cache=True``).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numba import njit

__all__ = [
    "ROW_RULES",
    "count_byte",
    "decode_codes",
    "edges_clean",
    "iso19_parse",
    "integers_column",
    "known_range",
    "lone_cr",
    "plain_integers",
    "row_rules",
    "shift_by_hour",
    "small_factorize",
    "string_buffers",
    "text_from_codes",
    "strings_distinct",
    "utf8_chunks",
]

#: `iso19_parse` status of each value.
ISO_MISSING, ISO_OK, ISO_OTHER = 0, 1, 2


def utf8_chunks(values: object) -> list[pa.Array] | None:
    """The Arrow string chunks behind a pandas Series/array of Arrow strings, else None."""
    import pandas as pd

    arr = getattr(values, "array", values)
    if not isinstance(arr, pd.arrays.ArrowStringArray):
        return None
    chunked = pa.chunked_array(pa.array(arr))  # zero copy: the array's own chunks
    if chunked.type not in (pa.string(), pa.large_string()):
        return None
    return list(chunked.chunks)


def string_buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(validity bytes, offsets, data bytes, bit offset) of a string `chunk`, as numpy views.

    The validity is empty when no value is missing; the offsets are the ``len(chunk) + 1``
    offsets of this chunk's values (int32 or int64), indexing `data`.
    """
    valid_buf, off_buf, data_buf = chunk.buffers()
    width = np.int64 if chunk.type == pa.large_string() else np.int32
    offsets = np.frombuffer(off_buf, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, dtype=np.uint8)
    if valid_buf is not None and chunk.null_count:
        valid = np.frombuffer(valid_buf, dtype=np.uint8)
    else:
        valid = np.zeros(0, dtype=np.uint8)
    return valid, offsets, data, chunk.offset


@njit(cache=True, nogil=True, inline="always")
def _is_valid(valid: np.ndarray, bit0: int, i: int) -> bool:
    if len(valid) == 0:
        return True
    j = bit0 + i
    return ((valid[j >> 3] >> (j & 7)) & 1) == 1


@njit(cache=True, nogil=True)
def count_byte(buf: np.ndarray, byte: int) -> int:
    """How many times `byte` occurs in `buf`."""
    n = 0
    for i in range(len(buf)):  # a plain count, so that it vectorises
        n += buf[i] == byte
    return n


@njit(cache=True, nogil=True)
def lone_cr(buf: np.ndarray) -> bool:
    """True when a ``\\r`` in `buf` is followed by anything but ``\\n`` (a ``\\r`` at the very end is not judged)."""
    for i in range(len(buf) - 1):  # noqa: SIM110 - numba compiles loops, not generators
        if buf[i] == 13 and buf[i + 1] != 10:
            return True
    return False


@njit(cache=True, nogil=True)
def edges_clean(valid: np.ndarray, offsets: np.ndarray, data: np.ndarray, bit0: int) -> bool:
    """True when no present value is empty and each begins and ends with printable ASCII other than space.

    Such a value has nothing to strip, whatever the set of white-space characters.
    """
    for i in range(len(offsets) - 1):
        if not _is_valid(valid, bit0, i):  # a missing value may still span bytes: not looked at
            continue
        lo, hi = offsets[i], offsets[i + 1]
        if lo == hi:
            return False
        first, last = data[lo], data[hi - 1]
        if first < 0x21 or first > 0x7E or last < 0x21 or last > 0x7E:
            return False
    return True


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


@njit(cache=True, nogil=True, inline="always")
def _same(data: np.ndarray, a: int, b: int, n: int) -> bool:
    for t in range(n):  # noqa: SIM110 - numba compiles loops, not generators
        if data[a + t] != data[b + t]:
            return False
    return True


@njit(cache=True, nogil=True)
def small_factorize(
    valid: np.ndarray, offsets: np.ndarray, data: np.ndarray, bit0: int, codes: np.ndarray, max_uniques: int
) -> tuple[int, np.ndarray, np.ndarray]:
    """Codes of a column with few distinct values, in order of first appearance (-1: missing).

    Returns ``(k, starts, lengths)``: the `k` distinct values are ``data[starts[j]:starts[j] +
    lengths[j]]``. ``k == -1`` when there are more than `max_uniques` of them (then `codes`
    is incomplete and the caller hashes instead).
    """
    starts = np.zeros(max_uniques, dtype=np.int64)
    lengths = np.zeros(max_uniques, dtype=np.int64)
    k = 0
    last = -1
    for i in range(len(offsets) - 1):
        if not _is_valid(valid, bit0, i):
            codes[i] = -1
            continue
        lo = offsets[i]
        n = offsets[i + 1] - lo
        if last >= 0 and lengths[last] == n and _same(data, starts[last], lo, n):  # logs come in runs
            codes[i] = last
            continue
        found = -1
        for j in range(k):
            if j != last and lengths[j] == n and _same(data, starts[j], lo, n):
                found = j
                break
        if found < 0:
            if k == max_uniques:
                return -1, starts, lengths
            starts[k] = lo
            lengths[k] = n
            found = k
            k += 1
        codes[i] = found
        last = found
    return k, starts, lengths



_NAT = np.iinfo(np.int64).min


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



@njit(cache=True, nogil=True)
def id_numbers(
    valid: np.ndarray, offsets: np.ndarray, data: np.ndarray, bit0: int, prefix: np.ndarray, out: np.ndarray, at: int
) -> tuple[int, int, int, bool]:
    """Read ids of the form `prefix` + decimal digits as numbers, into ``out[at:]`` (missing ids skipped).

    Returns ``(next at, shortest digit run, longest digit run, a run has a leading zero)``; ``next
    at == -1`` when an id is not of that form or has more than 18 digits. Distinct ids give
    distinct numbers when no run has a leading zero, or when all runs are equally long.
    """
    p = len(prefix)
    shortest, longest, zero = 99, 0, False
    for i in range(len(offsets) - 1):
        if not _is_valid(valid, bit0, i):
            continue
        lo, hi = offsets[i], offsets[i + 1]
        digits = hi - lo - p
        if digits < 1 or digits > 18:
            return -1, shortest, longest, zero
        for k in range(p):
            if data[lo + k] != prefix[k]:
                return -1, shortest, longest, zero
        v = 0
        for k in range(lo + p, hi):
            d = int(data[k]) - 48
            if d < 0 or d > 9:
                return -1, shortest, longest, zero
            v = v * 10 + d
        if digits > 1 and data[lo + p] == 48:
            zero = True
        shortest = min(shortest, digits)
        longest = max(longest, digits)
        out[at] = v
        at += 1
    return at, shortest, longest, zero


@njit(cache=True, nogil=True)
def distinct_in_range(values: np.ndarray, lo: int, hi: int) -> bool:
    """True when the int64 `values`, all within ``[lo, hi]``, are distinct (one byte per possible value)."""
    seen = np.zeros(hi - lo + 1, dtype=np.uint8)
    for v in values:
        j = v - lo
        if seen[j]:
            return False
        seen[j] = 1
    return True


@njit(cache=True, nogil=True)
def hash_strings(valid: np.ndarray, offsets: np.ndarray, data: np.ndarray, bit0: int, out: np.ndarray, at: int) -> int:
    """64-bit FNV-1a hash of each present value (length mixed in) into ``out[at:]``; returns the next `at`."""
    for i in range(len(offsets) - 1):
        if not _is_valid(valid, bit0, i):
            continue
        h = np.uint64(0xCBF29CE484222325)
        for k in range(offsets[i], offsets[i + 1]):
            h = (h ^ np.uint64(data[k])) * np.uint64(0x100000001B3)
        out[at] = h ^ np.uint64(offsets[i + 1] - offsets[i])
        at += 1
    return at



#: The row rules of :func:`row_rules`, in the order they are judged (index 0: no rule broken).
ROW_RULES = (
    "",
    "missing contact_id",
    "missing queue",
    "missing channel",
    "missing arrived_at",
    "missing outcome",
    "unknown outcome",
    "unknown channel",
    "events out of order (called_at before arrived_at)",
    "events out of order (started_at before arrived_at)",
    "events out of order (ended_at before arrived_at)",
    "events out of order (started_at before called_at)",
    "events out of order (ended_at before called_at)",
    "events out of order (ended_at before started_at)",
    "absurd duration (over 24 h)",
    "served without called/started/ended time",
    "abandoned without the time they left",
    "abandoned but service started",
    "no-show without the time it was called",
    "no-show but service started",
    "transferred without service start",
)


@njit(cache=True, nogil=True)
def row_rules(
    missing: np.ndarray, outcome: np.ndarray, channel: np.ndarray, arrived: np.ndarray, called: np.ndarray,
    started: np.ndarray, ended: np.ndarray, limit: int, rule: np.ndarray,
) -> None:
    """The first of :data:`ROW_RULES` that each contact breaks, into `rule` (0: none).

    `missing` holds a bit per required text column (1 contact_id, 2 queue, 4 channel, 8
    outcome); `outcome` and `channel` are positions in ``OUTCOMES`` / ``CHANNELS`` (-1:
    unknown); the times are int64 instants in one unit (NaT: the int64 minimum); `limit` is
    the longest allowed span from arrival to the last known event, in that unit.
    """
    top = np.iinfo(np.int64).max
    for i in range(len(rule)):
        m = missing[i]
        t = (arrived[i], called[i], started[i], ended[i])
        r = 0
        if m & 1:
            r = 1
        elif m & 2:
            r = 2
        elif m & 4:
            r = 3
        elif t[0] == _NAT:
            r = 4
        elif m & 8:
            r = 5
        elif outcome[i] < 0:
            r = 6
        elif channel[i] < 0:
            r = 7
        else:
            k = 8
            for a in range(4):
                for b in range(a + 1, 4):
                    if r == 0 and t[a] != _NAT and t[b] != _NAT and t[a] > t[b]:
                        r = k
                    k += 1
        if r == 0:
            last = t[3] if t[3] != _NAT else (t[2] if t[2] != _NAT else t[1])
            if last != _NAT and t[0] <= top - limit and last > t[0] + limit:
                r = 14
        if r == 0:
            o = outcome[i]
            has_called, has_started, has_ended = t[1] != _NAT, t[2] != _NAT, t[3] != _NAT
            if o == 0 and not (has_called and has_started and has_ended):
                r = 15
            elif o == 1 and not has_ended:
                r = 16
            elif o == 1 and has_started:
                r = 17
            elif o == 2 and not has_called:
                r = 18
            elif o == 2 and has_started:
                r = 19
            elif o == 3 and not has_started:
                r = 20
        rule[i] = r



@njit(cache=True, nogil=True)
def plain_integers(
    valid: np.ndarray, offsets: np.ndarray, data: np.ndarray, bit0: int, out: np.ndarray, missing: np.ndarray
) -> bool:
    """Read values made of 1 to 9 decimal digits (nothing else) into `out`; `missing` marks missing
    ones. False as soon as a present value is anything else (then `out` is incomplete)."""
    for i in range(len(offsets) - 1):
        out[i] = 0
        missing[i] = not _is_valid(valid, bit0, i)
        if missing[i]:
            continue
        lo, hi = offsets[i], offsets[i + 1]
        if hi - lo < 1 or hi - lo > 9:
            return False
        v = 0
        for k in range(lo, hi):
            d = int(data[k]) - 48
            if d < 0 or d > 9:
                return False
            v = v * 10 + d
        out[i] = v
    return True



@njit(cache=True, nogil=True)
def decode_codes(codes: np.ndarray, cat_offsets: np.ndarray, cat_data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The offsets (int64, ``len(codes) + 1``) and bytes of the texts that `codes` pick among the
    categories (``cat_data[cat_offsets[k]:cat_offsets[k + 1]]``); a negative code gives an empty
    (missing) value."""
    n = len(codes)
    offsets = np.empty(n + 1, dtype=np.int64)
    offsets[0] = 0
    total = 0
    for i in range(n):
        k = codes[i]
        if k >= 0:
            total += cat_offsets[k + 1] - cat_offsets[k]
        offsets[i + 1] = total
    data = np.empty(total, dtype=np.uint8)
    for i in range(n):
        k = codes[i]
        if k >= 0:
            a = cat_offsets[k]
            at = offsets[i]
            for j in range(cat_offsets[k + 1] - a):
                data[at + j] = cat_data[a + j]
    return offsets, data


# --- over whole columns (chunk by chunk) -----------------------------------------------------


def clean_text(chunks: list[pa.Array]) -> bool:
    """:func:`edges_clean` of every chunk: nothing to strip and no empty value in the column."""
    return all(len(c) == c.null_count or edges_clean(*string_buffers(c)) for c in chunks)


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


def factorize_few(chunks: list[pa.Array], max_uniques: int = 64) -> tuple[np.ndarray, list[str]] | None:
    """Codes (int32, -1 for missing) and distinct values of a column with few of them; None when it has more.

    Same codes and order (first appearance) as ``pandas.factorize``.
    """
    n = sum(len(c) for c in chunks)
    codes = np.empty(n, dtype=np.int32)
    uniques: dict[str, int] = {}
    at = 0
    for c in chunks:
        part = codes[at : at + len(c)]
        at += len(c)
        if len(c) == c.null_count:
            part[:] = -1
            continue
        valid, offsets, data, bit0 = string_buffers(c)
        k, starts, lengths = small_factorize(valid, offsets, data, bit0, part, max_uniques)
        if k < 0:
            return None
        remap = np.empty(k, dtype=np.int32)
        for j in range(k):
            text = data[starts[j] : starts[j] + lengths[j]].tobytes().decode("utf-8")
            remap[j] = uniques.setdefault(text, len(uniques))
        if len(uniques) > max_uniques:
            return None
        if not (remap == np.arange(k)).all():
            present = part >= 0
            part[present] = remap[part[present]]
    return codes, list(uniques)


def strings_distinct(chunks: list[pa.Array]) -> bool | None:
    """Whether the present values of a string column are all distinct (True/False), or None when
    this cannot tell (two values hash alike; the caller compares the strings then).

    Ids such as ``c1042`` or ``20240513001`` (one prefix, then digits) are compared as numbers,
    exactly; other values by a 64-bit hash, which can only prove them distinct.
    """
    n = sum(len(c) - c.null_count for c in chunks)
    if n < 2:
        return True
    present = [c for c in chunks if len(c) > c.null_count]
    first = present[0].drop_null()[0].as_py().encode("utf-8")
    prefix = np.frombuffer(first.rstrip(b"0123456789"), dtype=np.uint8)
    numbers = np.empty(n, dtype=np.int64)
    at, shortest, longest, zero = 0, 99, 0, False
    for c in present:
        at, lo_len, hi_len, z = id_numbers(*string_buffers(c), prefix, numbers, at)
        if at < 0:
            break
        shortest, longest, zero = min(shortest, lo_len), max(longest, hi_len), zero or z
    if at == n and (not zero or shortest == longest):
        lo, hi, _ = known_range(numbers)
        if hi - lo < 8 * n:
            return bool(distinct_in_range(numbers, lo, hi))
        numbers.sort()
        return not bool((numbers[1:] == numbers[:-1]).any())
    keys = np.empty(n, dtype=np.uint64)
    at = 0
    for c in present:
        at = hash_strings(*string_buffers(c), keys, at)
    keys.sort()
    return True if not (keys[1:] == keys[:-1]).any() else None


def integers_column(chunks: list[pa.Array]) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`plain_integers` of a whole column: (int64 values, missing mask), or None."""
    n = sum(len(c) for c in chunks)
    out = np.empty(n, dtype=np.int64)
    missing = np.empty(n, dtype=bool)
    at = 0
    for c in chunks:
        part, gone = out[at : at + len(c)], missing[at : at + len(c)]
        at += len(c)
        if len(c) == c.null_count:
            part[:] = 0
            gone[:] = True
        elif not plain_integers(*string_buffers(c), part, gone):
            return None
    return out, missing


def text_from_codes(codes: np.ndarray, categories: list[str]) -> pa.Array:
    """A large_string array of ``categories[code]`` (missing where the code is negative)."""
    missing = codes < 0
    nulls = int(missing.sum())
    if nulls == len(codes):  # all missing: zeroed offsets and validity (calloc: untouched pages cost nothing)
        zeros = np.zeros(len(codes) + 1, dtype=np.int64)
        validity = pa.py_buffer(np.zeros((len(codes) + 7) // 8, dtype=np.uint8))
        empty = pa.py_buffer(b"")
        return pa.Array.from_buffers(pa.large_string(), len(codes), [validity, pa.py_buffer(zeros), empty], null_count=nulls)
    encoded = [c.encode("utf-8") for c in categories]
    cat_offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    cat_offsets[1:] = np.cumsum([len(e) for e in encoded])
    cat_data = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, dtype=np.uint8)
    offsets, data = decode_codes(codes, cat_offsets, cat_data)
    validity = pa.py_buffer(np.packbits(~missing, bitorder="little")) if nulls else None
    return pa.Array.from_buffers(
        pa.large_string(), len(codes), [validity, pa.py_buffer(offsets), pa.py_buffer(data)], null_count=nulls
    )
