"""Sampling noise of a backtest cell: the error a model that is exactly right would still make.

An interval's observed KPI is a sample: even a model that knew the true probability would
miss it. For a share (abandonment, P(wait > 0), service level) over ``n`` contacts whose
true probability is the prediction ``p``, the observed share is ``X / n`` with
``X ~ Binomial(n, p)``, and the expected absolute error is

.. math:: E|X/n - p| = \\sum_{k=0}^{n} \\binom{n}{k} p^k (1-p)^{n-k} \\, |k/n - p|,

computed exactly (``scipy.stats.binom``). For the ASA (mean wait of the ``n`` answered calls
of the cell, with standard deviation ``s``) and the mean wait (of the ``n`` calls with a known
wait), the normal approximation of the sample mean gives
:math:`E|\\bar W - \\mu| = \\sqrt{2/\\pi}\\, s / \\sqrt{n}` (NaN with fewer than two calls).
These treat the calls of an interval as independent, so they are lower bounds: the waits of
one busy hour rise and fall together. The simulation model measures its own noise instead:
per cell, how far one simulated day falls from the mean of the replications
(:func:`waitlab.sim.as_is_simulator`), which keeps that dependence. A model's ``noise_mae`` is
the mean of these over the cells its MAE is taken on: an MAE near ``noise_mae`` is all the
accuracy the log can show.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from waitlab.schema import wait_seconds

__all__ = ["binomial_mad", "cell_counts", "mean_se_mad"]


def binomial_mad(n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """``E|X/n - p|`` for ``X ~ Binomial(n, p)``, elementwise (NaN where ``n < 1`` or ``p`` is not finite)."""
    from scipy.stats import binom

    n = np.asarray(n, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), 0.0, 1.0)
    out = np.full(n.shape, np.nan)
    ok = np.isfinite(n) & (n >= 1) & np.isfinite(p)
    for m in np.unique(n[ok]).astype(int):
        sel = ok & (n == m)
        k = np.arange(m + 1, dtype=float)
        pk = p[sel][:, None]
        out[sel] = (binom.pmf(k[None, :], m, pk) * np.abs(k[None, :] / m - pk)).sum(axis=1)
    return out


def mean_se_mad(sd: np.ndarray, n: np.ndarray) -> np.ndarray:
    """``sqrt(2/pi) * sd / sqrt(n)``: the expected absolute error of a mean of ``n`` values (NaN for ``n < 2``)."""
    sd, n = np.asarray(sd, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n >= 2, math.sqrt(2 / math.pi) * sd / np.sqrt(n), np.nan)


def cell_counts(test: pd.DataFrame, width: float, by: list[str]) -> pd.DataFrame:
    """Per interval (local wall time) and group: ``n_offered``, ``n_waits`` (known waits),
    ``sd_waits`` (their standard deviation), ``n_answered`` and ``sd_answered`` (standard
    deviation of the answered calls' waits)."""
    w = wait_seconds(test).to_numpy(dtype=float, na_value=np.nan)
    answered = test["outcome"].isin(["served", "transferred"]).fillna(False).to_numpy(dtype=bool)
    frame = pd.DataFrame({
        "interval_start": test["arrived_at"].dt.floor(pd.Timedelta(seconds=width), ambiguous="NaT",
                                                       nonexistent="shift_backward"),
        **{b: test[b].astype("string").to_numpy() for b in by},
        "_known": np.isfinite(w), "_ans": answered & np.isfinite(w),
        "_w": np.where(answered, w, np.nan), "_all": w,
    })  # fmt: skip
    g = frame.groupby(["interval_start", *by], dropna=False, observed=True)
    out = g.agg(n_offered=("_known", "size"), n_waits=("_known", "sum"), sd_waits=("_all", "std"),
                n_answered=("_ans", "sum"), sd_answered=("_w", "std"))  # fmt: skip
    return out.reset_index()
