r"""Every KPI of waitlab, defined once, with its formula.

Each function takes the contacts already sorted into *cells* (one cell = one interval of one
group, or the whole period for :func:`waitlab.analytics.summary_kpis`) and returns one value
per cell as a NumPy array. Both :func:`~waitlab.analytics.interval_stats` and
:func:`~waitlab.analytics.summary_kpis` call these and nothing else, so the two can never
disagree.

Conventions (all times in seconds)
----------------------------------
* A contact belongs to the cell of its ``arrived_at``; its wait :math:`W_i` is
  :func:`waitlab.schema.wait_seconds` and its service :math:`S_i` is
  :func:`waitlab.schema.service_seconds`.
* *Answered* (counted as ``served``) means outcome ``served`` or ``transferred``. *Left* means
  ``abandoned`` (leaving time known) or ``no_show`` (left some time before being called).
* A *short abandon* is an ``abandoned`` contact with :math:`W_i < \tau` (``short_abandon``).
  No-shows are never short abandons: when they left is unknown.
* A ratio whose denominator is 0 is NaN (no contacts, no rate), never 0.
* Time-weighted figures (``waiting_*``, ``desks_*``) use the exact overlap of each span with the
  interval, so waits and services crossing interval borders are split, not sampled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "Cells",
    "abandon_rate",
    "abandon_rate_excl_short",
    "abandoned",
    "mean_service",
    "answered_within",
    "arrivals",
    "asa",
    "desks_busy",
    "desks_present",
    "no_show",
    "occupancy",
    "other",
    "served",
    "short_abandons",
    "sl_answered",
    "sl_offered",
    "wait_max",
    "wait_mean",
    "wait_quantile",
    "waiting_max",
    "waiting_mean",
]


@dataclass(frozen=True, slots=True)
class Cells:
    """Per-contact arrays plus the cell each contact belongs to.

    Attributes
    ----------
    cell : ndarray of int64
        Cell index of each contact, ``0 <= cell < n``.
    n : int
        Number of cells.
    wait, service : ndarray of float
        :math:`W_i` and :math:`S_i`, seconds; NaN when unknown.
    answered, abandoned, no_show : ndarray of bool
        Outcome flags (``answered`` = served or transferred).
    """

    cell: np.ndarray
    n: int
    wait: np.ndarray
    service: np.ndarray
    answered: np.ndarray
    abandoned: np.ndarray
    no_show: np.ndarray


def _count(c: Cells, mask: np.ndarray | None = None) -> np.ndarray:
    cells = c.cell if mask is None else c.cell[mask]
    return np.bincount(cells, minlength=c.n).astype(np.int64)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _mean(c: Cells, x: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    ok = np.isfinite(x) if mask is None else (mask & np.isfinite(x))
    total = np.bincount(c.cell[ok], weights=x[ok], minlength=c.n)
    return _ratio(total, np.bincount(c.cell[ok], minlength=c.n))


def arrivals(c: Cells) -> np.ndarray:
    """Arrivals :math:`A`: contacts whose ``arrived_at`` falls in the cell."""
    return _count(c)


def served(c: Cells) -> np.ndarray:
    """Answered contacts :math:`N_{ans}`: outcome ``served`` or ``transferred``."""
    return _count(c, c.answered)


def abandoned(c: Cells) -> np.ndarray:
    """Abandoned contacts :math:`N_{ab}` (left the queue at a known moment)."""
    return _count(c, c.abandoned)


def no_show(c: Cells) -> np.ndarray:
    """No-shows :math:`N_{ns}` (called, absent)."""
    return _count(c, c.no_show)


def other(c: Cells) -> np.ndarray:
    """Every other outcome: :math:`A - N_{ans} - N_{ab} - N_{ns}` (``other``, unknown)."""
    return _count(c, ~(c.answered | c.abandoned | c.no_show))


def wait_mean(c: Cells) -> np.ndarray:
    r"""Mean wait over every contact with a known wait: :math:`\bar W = \sum_i W_i / n_W`.

    Includes abandonments (time until they left) and no-shows (time until called, an upper
    bound). Compare :func:`asa`, which counts answered contacts only.
    """
    return _mean(c, c.wait)


def wait_quantile(c: Cells, q: float) -> np.ndarray:
    """Quantile `q` (0..1) of the known waits (linear interpolation, NumPy's default)."""
    ok = np.isfinite(c.wait)
    s = pd.Series(c.wait[ok]).groupby(c.cell[ok]).quantile(q)
    out = np.full(c.n, np.nan)
    out[s.index.to_numpy(dtype=np.int64)] = s.to_numpy()
    return out


def wait_max(c: Cells) -> np.ndarray:
    """Longest known wait :math:`\\max_i W_i`."""
    ok = np.isfinite(c.wait)
    out = np.full(c.n, -np.inf)
    np.maximum.at(out, c.cell[ok], c.wait[ok])
    out[np.isinf(out)] = np.nan
    return out


def mean_service(c: Cells) -> np.ndarray:
    r"""Average handle time :math:`\sum_i S_i / n_S` over contacts with a service time."""
    return _mean(c, c.service)


def asa(c: Cells) -> np.ndarray:
    r"""Average speed of answer: mean wait of answered contacts, :math:`\sum_{ans} W_i / N_{ans}`."""
    return _mean(c, c.wait, c.answered)


def answered_within(c: Cells, threshold: float) -> np.ndarray:
    """Answered contacts with :math:`W_i \\le T` (`threshold`, seconds)."""
    return _count(c, c.answered & (c.wait <= threshold))


def short_abandons(c: Cells, short_abandon: float) -> np.ndarray:
    r"""Abandoned contacts with :math:`W_i < \tau` (`short_abandon`, seconds)."""
    return _count(c, c.abandoned & (c.wait < short_abandon))


def sl_offered(c: Cells, threshold: float, short_abandon: float = 0.0) -> np.ndarray:
    r"""Service level over offered: :math:`N_{ans}(W \le T) / (A - N_{short})`.

    Every arrival counts against the target except short abandons; an abandonment or
    no-show counts as a miss. This is the usual call-centre "80/20" figure.
    """
    return _ratio(answered_within(c, threshold), arrivals(c) - short_abandons(c, short_abandon))


def sl_answered(c: Cells, threshold: float) -> np.ndarray:
    r"""Service level over answered: :math:`N_{ans}(W \le T) / N_{ans}`.

    Ignores everyone who left, so it is never below :func:`sl_offered` when there are no
    short abandons; reports that quote it without saying so flatter the operation.
    """
    return _ratio(answered_within(c, threshold), served(c))


def abandon_rate(c: Cells) -> np.ndarray:
    r"""Share of arrivals who left unserved: :math:`(N_{ab} + N_{ns}) / A`."""
    return _ratio(abandoned(c) + no_show(c), arrivals(c))


def abandon_rate_excl_short(c: Cells, short_abandon: float) -> np.ndarray:
    r"""Abandonment without short abandons on both sides.

    :math:`(N_{ab} + N_{ns} - N_{short}) / (A - N_{short})`, with :math:`N_{short}` the
    abandons with :math:`W_i < \tau`. Equals :func:`abandon_rate` when :math:`\tau = 0`.
    """
    short = short_abandons(c, short_abandon)
    return _ratio(abandoned(c) + no_show(c) - short, arrivals(c) - short)


def waiting_mean(waiting_seconds: np.ndarray, length_s: float | np.ndarray) -> np.ndarray:
    r"""Time-average number waiting :math:`\bar L = \frac{1}{b-a}\int_a^b L(t)\,dt`.

    :math:`L(t)` counts contacts with :math:`t \in [\text{arrived}_i, \text{arrived}_i + W_i)`,
    so the integral is the sum over contacts of the overlap (seconds) of their wait with the
    interval ``[a, b)``: `waiting_seconds`, divided by the interval length `length_s`.
    """
    return np.asarray(waiting_seconds, dtype=float) / np.asarray(length_s, dtype=float)


def waiting_max(level_at_start: np.ndarray, peak_in_interval: np.ndarray) -> np.ndarray:
    r"""Largest number waiting :math:`\max_{t \in [a,b)} L(t)`.

    :math:`L` is a right-continuous step function that changes only at arrivals and
    departures, so its maximum over ``[a, b)`` is the larger of :math:`L(a)` and its values
    just after each event time inside the interval (all events at one instant applied
    together: someone called at the instant another arrives never makes a spurious peak).
    `peak_in_interval` is NaN where no event falls in the interval.
    """
    return np.fmax(np.asarray(level_at_start, dtype=float), peak_in_interval)


def desks_present(distinct_servers: np.ndarray) -> np.ndarray:
    """Desks present: distinct desks with a service overlapping ``[a, b)``.

    A service ``[s, e)`` overlaps when ``s < b`` and ``e > a`` (a zero-length service counts
    in the interval holding ``s``). Services without a named server are not counted.
    """
    return np.asarray(distinct_servers, dtype=float)


def desks_busy(service_seconds_in_interval: np.ndarray, length_s: float | np.ndarray) -> np.ndarray:
    r"""Time-average number of busy desks :math:`\frac{1}{b-a}\sum_i |[s_i, e_i) \cap [a, b)|`.

    One desk serving two contacts at once (multitasking, or a log error) counts twice.
    """
    return np.asarray(service_seconds_in_interval, dtype=float) / np.asarray(length_s, dtype=float)


def occupancy(busy: np.ndarray, present: np.ndarray) -> np.ndarray:
    r"""Occupancy :math:`\rho = \text{desks\_busy} / \text{desks\_present}`; NaN with no desk."""
    return _ratio(busy, present)
