"""Confidence intervals shared by the simulation and planning layers (one formula each)."""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

__all__ = ["t_interval", "wilson"]


def t_interval(x: ArrayLike, confidence: float = 0.95, *,
               clip_nonnegative: bool = True) -> tuple[float, float, float, float, int]:
    """Mean, Student-t interval, standard deviation and count of the finite values of `x`.

    ``mean -+ t(1 - alpha/2, n - 1) s / sqrt(n)``. NaN bounds (and std) with fewer than two
    values. A quantity that is never negative (every value >= 0) keeps a lower bound >= 0,
    unless `clip_nonnegative` is False (a difference can be negative even when every one
    observed is not).
    """
    v = np.asarray(x, dtype=float)
    v = v[np.isfinite(v)]
    n = int(v.size)
    if n == 0:
        return math.nan, math.nan, math.nan, math.nan, 0
    mean = float(v.mean())
    if n < 2:
        return mean, math.nan, math.nan, math.nan, 1
    std = float(v.std(ddof=1))
    half = float(_t_quantile(0.5 + confidence / 2, n - 1) * std / math.sqrt(n))
    low = max(mean - half, 0.0) if clip_nonnegative and v.min() >= 0 else mean - half
    return mean, low, mean + half, std, n


@functools.lru_cache(maxsize=256)
def _t_quantile(q: float, df: int) -> float:
    """``stats.t.ppf(q, df)``, remembered: a run asks it once per KPI with the same arguments."""
    return float(stats.t.ppf(q, df))


def wilson(p: ArrayLike, n: ArrayLike, z: float = 1.959963984540054) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion `p` observed on `n` trials (vectorised), clipped to [0, 1]."""
    q = np.asarray(p, dtype=float)
    m = np.maximum(np.asarray(n, dtype=float), 1e-12)
    denom = 1 + z * z / m
    centre = (q + z * z / (2 * m)) / denom
    half = z * np.sqrt(np.maximum(q * (1 - q) / m + z * z / (4 * m * m), 0.0)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
