"""The time-weighted KPIs of simulated days from the engines' arrays: waiting, desks busy, present, on duty.

:func:`waitlab.analytics.summary_by` measures each day over its own span, from its first
arrival to its last known event, and averages over that span the number waiting
(``waiting_mean``, ``waiting_max``), the desks serving (``desks_busy``), the desks on duty by
the ``"gaps"`` estimator (``desks_on_duty``), and counts the desks seen serving
(``desks_present``; ``occupancy`` = busy / present). This module computes the same figures for
many days at once from the stacked arrays of :func:`waitlab.sim._fast_kpis._stack`: every time
is the contacts table's whole nanoseconds, the sums run over the same terms in the same order
(so the float results are bit for bit those of the contacts route, tested), and the
definitions are those of :mod:`waitlab.analytics.kpis`, called here for the final ratios.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from waitlab.sim._day import SimulatedDay

__all__ = ["TIME_KPIS", "fast_time_kpis", "spans"]

#: KPI columns of :func:`waitlab.analytics.summary_by` measured here.
TIME_KPIS = ("waiting_mean", "waiting_max", "desks_present", "desks_on_duty", "desks_busy", "occupancy")

_NAT = np.iinfo(np.int64).min
NS = 1_000_000_000


def spans(s: dict[str, np.ndarray], n_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Each day's origin (first arrival) and span (to its last known event, at least 1 ns), int64 ns."""
    day = s["day"]
    origin = np.full(n_days, np.iinfo(np.int64).max)
    np.minimum.at(origin, day, s["arrival_ns"])
    latest = s["arrival_ns"].copy()
    for col in ("called_ns", "started_ns", "ended_ns"):
        v = s[col]
        latest = np.where(v != _NAT, np.maximum(latest, v), latest)
    end = np.full(n_days, np.iinfo(np.int64).min)
    np.maximum.at(end, day, latest)
    end = np.maximum(end, origin + 1)
    return origin, end - origin


def fast_time_kpis(days: list[SimulatedDay], s: dict[str, np.ndarray],
                   gap_s: float | None = None) -> dict[str, np.ndarray]:
    """:data:`TIME_KPIS` of each day (arrays of one value per day), as ``summary_by(..., "replication")``.

    `gap_s` is the break threshold of the ``"gaps"`` estimator (default
    :data:`waitlab.analytics.kpis.ON_DUTY_GAP`). Days without customers get 0 / NaN as the
    arrays give them; the caller measures those by the contacts route.
    """
    from waitlab.analytics import kpis

    n_days = len(days)
    gap = round((kpis.ON_DUTY_GAP if gap_s is None else gap_s) * NS)
    day = s["day"]
    origin, span = spans(s, n_days)
    length_s = span / NS
    rel = s["arrival_ns"] - origin[day]
    # number waiting: spans [arrived, arrived + W), the wait rounded back to ns as the contacts route does
    ok = np.isfinite(s["wait"])
    w_start = rel[ok]
    w_end = w_start + np.round(s["wait"][ok] * NS).astype(np.int64)
    w_day = day[ok]
    ov = np.maximum(np.minimum(w_end, span[w_day]) - np.maximum(w_start, 0), 0)
    waited = np.bincount(w_day, weights=ov / NS, minlength=n_days)
    out = {"waiting_mean": kpis.waiting_mean(waited, length_s),
           "waiting_max": _waiting_max(w_day, w_start, w_end, n_days)}
    # desks: service spans [started, ended) of the served
    st, en = s["started_ns"], s["ended_ns"]
    ok = (st != _NAT) & (en != _NAT) & (en >= st)
    sday = day[ok]
    busy = kpis.desks_busy(np.bincount(sday, weights=(en[ok] - st[ok]) / NS, minlength=n_days), length_s)
    server = s["server"][ok]
    named = server >= 0
    kept = named & ((en[ok] > st[ok]) | (st[ok] - origin[sday] < span[sday]))  # a 0-length one at the very end is out
    width = int(server.max(initial=0)) + 1
    distinct = np.bincount(np.unique(sday[kept] * width + server[kept]) // width, minlength=n_days)
    out["desks_present"] = kpis.desks_present(distinct)
    out["desks_on_duty"] = kpis.desks_on_duty(
        _on_duty_seconds(sday[named], server[named], st[ok][named], en[ok][named], origin, span, gap, n_days),
        length_s)
    out["desks_busy"] = busy
    out["occupancy"] = kpis.occupancy(busy, out["desks_present"])
    return out


def _waiting_max(day: np.ndarray, start: np.ndarray, end: np.ndarray, n_days: int) -> np.ndarray:
    """Largest number waiting in each day: the level just after each instant an arrival happens.

    The level after every event at instant ``t`` is (#waits started at or before ``t``) -
    (#waits ended at or before ``t``); it can only rise at an arrival instant, so its maximum is
    reached at one. Days are kept apart by a day offset in one int64 key (the counts of earlier
    days cancel: each day has as many starts as ends). 0 for a day nobody waited in.
    """
    out = np.zeros(n_days)
    if not len(day):
        return out
    top = int(max(start.max(), end.max())) + 1
    if n_days * top >= 2**62:  # pragma: no cover - days of centuries
        raise OverflowError("simulated days too long to key in int64")
    ks = np.sort(day * top + start)
    ke = np.sort(day * top + end)
    level = np.searchsorted(ks, ks, side="right") - np.searchsorted(ke, ks, side="right")
    np.maximum.at(out, ks // top, level.astype(float))
    return out


def _on_duty_seconds(day: np.ndarray, server: np.ndarray, start: np.ndarray, end: np.ndarray,
                     origin: np.ndarray, span: np.ndarray, gap: int, n_days: int) -> np.ndarray:
    """Seconds on duty per day by the ``"gaps"`` estimator, summed in the contacts route's order.

    A desk is (day, server), numbered by first appearance; its services sorted by (start, end);
    each opens a span to the next start when the idle gap is shorter than `gap`, else to the
    latest end so far (:func:`waitlab.analytics.kpis.on_duty_spans_gaps`), cut to the day's span.
    """
    import pandas as pd

    if not len(day):
        return np.zeros(n_days)
    width = int(server.max()) + 1
    desk = pd.factorize(day * width + server)[0].astype(np.int64)
    order = np.lexsort((end, start, desk))
    d, st, en = desk[order], start[order], end[order]
    # running max of the end within each desk (desks sorted ascending, keyed apart by an offset)
    base = int(en.min())
    top = int(en.max()) - base + 1
    if int(d.max()) * top < 2**62:
        reach = np.maximum.accumulate(d * top + (en - base)) - d * top + base
    else:  # pragma: no cover - thousands of long days in one call
        reach = pd.Series(en).groupby(d).cummax().to_numpy(dtype=np.int64)
    same = np.r_[d[1:] == d[:-1], False]
    nxt = np.r_[st[1:], 0]
    hi = np.where(same & (nxt - reach < gap), nxt, reach)
    g = day[order]
    hi = np.minimum(hi - origin[g], span[g])
    lo = np.maximum(st - origin[g], 0)
    ov = np.maximum(hi - lo, 0)
    return np.bincount(g, weights=ov / NS, minlength=n_days)
