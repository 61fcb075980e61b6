"""Kernels over text: line counts, nothing-to-strip checks, few-valued codes, plain integers,
and codes turned back into text."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numba import njit

from waitlab._kernels._arrow import _is_valid, string_buffers

__all__ = ["clean_text", "count_byte", "decode_codes", "edges_clean", "factorize_few", "integers_column", "lone_cr", "plain_integers", "small_factorize", "text_from_codes"]


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


def clean_text(chunks: list[pa.Array]) -> bool:
    """:func:`edges_clean` of every chunk: nothing to strip and no empty value in the column."""
    return all(len(c) == c.null_count or edges_clean(*string_buffers(c)) for c in chunks)


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
