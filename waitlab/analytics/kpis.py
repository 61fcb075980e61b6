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
* Three desk counts answer three questions: :func:`desks_present` (desks *seen* serving in the
  interval: grows with the interval length), :func:`desks_on_duty` (time-average number of desks
  *staffed*: the input of a staffing model, independent of the interval length) and
  :func:`desks_busy` (time-average number *serving*: an outcome of the queue).
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
    "desks_on_duty",
    "desks_present",
    "on_duty_spans_gaps",
    "on_duty_spans_presence",
    "no_show",
    "occupancy",
    "other",
    "prob_wait",
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

#: Waits up to this many seconds count as "answered at once" in :func:`prob_wait`.
WAIT_EPSILON = 0.5

#: Default break threshold of the "available" and "gaps" estimators of :func:`desks_on_duty`, seconds.
ON_DUTY_GAP = 900.0
#: Default estimator of :func:`desks_on_duty`.
ON_DUTY_DEFAULT = "available"


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


def prob_wait(c: Cells, epsilon: float = WAIT_EPSILON) -> np.ndarray:
    r"""Share of contacts that waited: :math:`\#\{i : W_i > \varepsilon\} / n_W`.

    Over every contact with a known wait (answered, abandoned and no-shows, as
    :func:`wait_mean`), :math:`\varepsilon` = `epsilon` seconds (default 0.5 s): whole-second
    logs record a call put straight through as 0 s and one that queued as at least 1 s, and a
    sub-second delay of the switch is not a wait. This is the observed counterpart of a model's
    P(wait > 0).
    """
    ok = np.isfinite(c.wait)
    return _ratio(_count(c, ok & (c.wait > epsilon)), _count(c, ok))


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

    A desk seen once counts as present for the whole interval, so the count grows with the
    interval length; :func:`desks_on_duty` is the time average. A service ``[s, e)`` overlaps when ``s < b`` and ``e > a`` (a zero-length service counts
    in the interval holding ``s``). Services without a named server are not counted.
    """
    return np.asarray(distinct_servers, dtype=float)


def desks_on_duty(on_duty_seconds_in_interval: np.ndarray, length_s: float | np.ndarray) -> np.ndarray:
    r"""Desks on duty: time-average number of desks staffed, :math:`\frac{1}{b-a}\int_a^b D(t)\,dt`.

    :math:`D(t)` is the number of desks on duty at instant :math:`t`; the integral is the sum
    over desks of the overlap (seconds) of their on-duty spans with ``[a, b)``. Because it is an
    integral of one step function, the value of an hour is exactly the mean of its four
    15-minute values (any interval length; fractional, unlike :func:`desks_present`). A log of
    services does not record when a desk is staffed, so :math:`D(t)` is *estimated* from its
    activity (services without a named server are not counted):

    ``"available"`` (default)
        As ``"gaps"`` below, except that an idle gap does not count while a contact of one of
        the desk's main queues (``queues`` of :func:`waitlab.analytics.pools`) was waiting:
        :math:`D(t) = \#\{d : t \in [c_{d,k}, e_{d,k})\} + \#\{d : t` in a bridged idle gap
        of :math:`d` and :math:`Q_{q(d)}(t) = 0\}`, where :math:`Q_{q(d)}(t)` is the number of
        contacts of the main queues of :math:`d` waiting at :math:`t` and a service counts from
        its call :math:`c_{d,k}` (a no-show without a recorded end, until the desk's next call).
        A desk on duty and idle would have taken a waiting contact (work conservation), so an
        idle desk while its contacts wait was not available (after-call work, a break, another
        task). This is the capacity the queue actually had, which the Erlang models and the
        simulator take as desks.
    ``"gaps"`` (:func:`on_duty_spans_gaps`)
        A desk is on duty from the start of each service until the start of its next service
        when the idle gap between them is shorter than the break threshold :math:`g`
        (``on_duty_gap``, default :data:`ON_DUTY_GAP` = 15 min), else until the end of the
        service: :math:`D(t) = \#\{d : s_{d,k} \le t < s_{d,k+1},\ s_{d,k+1} - e_{d,k} < g\}
        + \#\{d : t \in [s_{d,k}, e_{d,k})\}`. A desk idle for :math:`g` or longer is taken
        to be on a break or off shift.
    ``"presence"`` (:func:`on_duty_spans_presence`)
        The day is cut into fine bins of width :math:`\delta` (``on_duty_bin``, default
        5 min) from local midnight; a desk is on duty for the whole of every fine bin in which
        one of its services runs (the :func:`desks_present` rule at width :math:`\delta`).

    ``"log"`` (:func:`waitlab.analytics._on_duty.log_spans`)
        Not estimated but measured, when the log records logins: :math:`D(t)` is the number
        of agents logged in and not paused at :math:`t`, from the agent sessions of an
        Asterisk ``queue_log`` (``ADDMEMBER``/``REMOVEMEMBER``, ``AGENTLOGIN``/``AGENTLOGOFF``,
        ``PAUSE``/``UNPAUSE``; :attr:`waitlab.readers.IngestReport.agent_sessions`). A
        stretch belongs to the group of its queue's contacts (with no queue, to each group
        the agent served); an agent logged in to several queues of one group counts once.

    Per group, each on-duty span belongs to the group of the contact whose service opens it
    (``"available"``, ``"gaps"``: the gap after a service goes with that service, so a desk's time is split
    among groups without double counting), or to each group it served in that fine bin
    (``"presence"``).
    """
    return np.asarray(on_duty_seconds_in_interval, dtype=float) / np.asarray(length_s, dtype=float)


def on_duty_spans_gaps(
    desk: np.ndarray, start: np.ndarray, end: np.ndarray, gap: int, idle: bool = False
) -> tuple[np.ndarray, ...]:
    """On-duty spans of the ``"gaps"`` estimator of :func:`desks_on_duty`.

    `desk` (int codes), `start`, `end` (int64, one unit, e.g. ns) describe services; `gap` is
    the break threshold in the same unit (> 0). Returns ``(row, lo, hi)``: one span
    ``[lo, hi)`` per service, opened by service `row`; the spans of a desk are disjoint and
    their union is its on-duty time. Overlapping services of one desk count once. With
    `idle`, also the start of each span's idle part (``hi`` when it has none; the
    ``"available"`` estimator removes waiting time from it).
    """
    order = np.lexsort((end, start, desk))
    d, s, e = desk[order], start[order], end[order]
    reach = pd.Series(e).groupby(d).cummax().to_numpy(dtype=np.int64)  # latest end so far
    same = np.r_[d[1:] == d[:-1], False]
    nxt = np.r_[s[1:], 0]
    bridged = same & (nxt - reach < gap)  # also true when the next service starts before `reach`
    hi = np.where(bridged, nxt, reach)
    if idle:
        return order, s, hi, np.minimum(np.maximum(reach, s), hi)
    return order, s, hi


def on_duty_spans_presence(
    desk: np.ndarray, group: np.ndarray, start: np.ndarray, end: np.ndarray, bin_width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """On-duty spans of the ``"presence"`` estimator of :func:`desks_on_duty`.

    Times are int64 counted from local midnight (>= 0); a service ``[s, e)`` marks its desk
    present in every bin of `bin_width` it overlaps (a zero-length one, in the bin holding
    ``s``). Returns ``(row, lo, hi)``: one span per (desk, group, bin) present, with `row` one
    of the services that mark it.
    """
    first = np.floor_divide(start, bin_width)
    last = np.where(end > start, np.floor_divide(end - 1, bin_width), first)
    counts = (last - first + 1).astype(np.int64)
    row = np.repeat(np.arange(len(start), dtype=np.int64), counts)
    b = first[row] + np.arange(len(row), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    keys = pd.DataFrame({"d": desk[row], "g": group[row], "b": b})
    keep = ~keys.duplicated().to_numpy()
    row, b = row[keep], b[keep]
    return row, b * bin_width, (b + 1) * bin_width


def desks_busy(service_seconds_in_interval: np.ndarray, length_s: float | np.ndarray) -> np.ndarray:
    r"""Time-average number of busy desks :math:`\frac{1}{b-a}\sum_i |[s_i, e_i) \cap [a, b)|`.

    One desk serving two contacts at once (multitasking, or a log error) counts twice.
    """
    return np.asarray(service_seconds_in_interval, dtype=float) / np.asarray(length_s, dtype=float)


def occupancy(busy: np.ndarray, present: np.ndarray) -> np.ndarray:
    r"""Occupancy :math:`\rho = \text{desks\_busy} / \text{desks\_present}`; NaN with no desk."""
    return _ratio(busy, present)
