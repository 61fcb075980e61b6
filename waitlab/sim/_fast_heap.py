"""Compiled helpers shared by the fast engine's kernels: interval lookup and a (key, id) binary heap.

The heap lives in two preallocated arrays (``keys``, ``ids``) and a size the caller keeps; it
orders by key, then by id, so equal keys come out lowest id first.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["heap_pop", "heap_push", "interval_index"]


@njit(cache=True)
def interval_index(bounds: np.ndarray, t: float) -> int:
    """Index of the last interval start <= t (bisect_right - 1)."""
    lo, hi = 0, bounds.size
    while lo < hi:
        mid = (lo + hi) // 2
        if bounds[mid] <= t:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


@njit(cache=True)
def _less(ka: float, ja: int, kb: float, jb: int) -> bool:
    return ka < kb or (ka == kb and ja < jb)


@njit(cache=True)
def heap_push(keys: np.ndarray, ids: np.ndarray, n: int, key: float, j: int) -> int:
    i = n
    keys[i] = key
    ids[i] = j
    while i > 0:
        p = (i - 1) // 2
        if _less(keys[i], ids[i], keys[p], ids[p]):
            keys[i], keys[p] = keys[p], keys[i]
            ids[i], ids[p] = ids[p], ids[i]
            i = p
        else:
            break
    return n + 1


@njit(cache=True)
def heap_pop(keys: np.ndarray, ids: np.ndarray, n: int) -> int:
    n -= 1
    keys[0] = keys[n]
    ids[0] = ids[n]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= n:
            break
        c = left
        if left + 1 < n and _less(keys[left + 1], ids[left + 1], keys[left], ids[left]):
            c = left + 1
        if _less(keys[c], ids[c], keys[i], ids[i]):
            keys[i], keys[c] = keys[c], keys[i]
            ids[i], ids[c] = ids[c], ids[i]
            i = c
        else:
            break
    return n
