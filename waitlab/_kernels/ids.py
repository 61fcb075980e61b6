"""Kernels that prove ids distinct: as numbers when they are one prefix and digits, else by hashes."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numba import njit

from waitlab._kernels._arrow import _is_valid, string_buffers
from waitlab._kernels.times import known_range

__all__ = ["distinct_in_range", "hash_strings", "id_numbers", "strings_distinct"]


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
