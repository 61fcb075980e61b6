"""Mechanics of :func:`waitlab.analytics.kpis.desks_on_duty`: options, spans per contact, the note.

The definition (both estimators, with formulas) is in :mod:`waitlab.analytics.kpis`; this module
reads the options, finds each desk's services in a contacts table and returns its on-duty spans
in absolute nanoseconds, each tagged with the contact whose group it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from waitlab._clock import parse_width
from waitlab.analytics import kpis
from waitlab.analytics._prepare import NS, interval_ns, to_ns
from waitlab.exceptions import ArgumentError

ESTIMATORS = ("gaps", "presence")


@dataclass(frozen=True, slots=True)
class OnDuty:
    """The checked options of the desks-on-duty estimator."""

    estimator: str = "gaps"
    gap_ns: int = round(kpis.ON_DUTY_GAP * NS)
    bin_ns: int = 300 * NS

    def note(self) -> str:
        """One sentence stating the estimator in use and the default."""
        gap, width = self.gap_ns / NS / 60, self.bin_ns / NS / 60
        default = kpis.ON_DUTY_GAP / 60
        if self.estimator == "gaps":
            which = "the default" if self.gap_ns == round(kpis.ON_DUTY_GAP * NS) else f"the default is {default:g}"
            return (
                f"desks_on_duty: estimator 'gaps' ({which}): a desk counts as on duty from the start of a "
                f"service through idle gaps shorter than {gap:g} min to its next service (on_duty_gap); "
                "on_duty='presence' counts the desks serving in each 5-min bin instead."
            )
        return (
            f"desks_on_duty: estimator 'presence': a desk counts as on duty for each {width:g}-min bin "
            f"(on_duty_bin) in which it served; the default is on_duty='gaps' with idle gaps shorter "
            f"than {default:g} min bridged."
        )


def on_duty_options(on_duty: str, on_duty_gap: str | pd.Timedelta | float, on_duty_bin: str | pd.Timedelta | float) -> OnDuty:
    """Check the options; ArgumentError naming the one that is wrong."""
    if on_duty not in ESTIMATORS:
        raise ArgumentError(f"`on_duty` must be one of {list(ESTIMATORS)}, got {on_duty!r}.")
    gap = parse_width(on_duty_gap, "on_duty_gap")
    return OnDuty(on_duty, round(gap * NS), interval_ns(on_duty_bin, "on_duty_bin"))


def on_duty_spans(
    frame: pd.DataFrame, codes: np.ndarray, opt: OnDuty, *, per_group: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """On-duty spans ``(row, lo, hi)`` in absolute ns; `row` is the contact whose group gets the span.

    A desk is ``server`` within its ``site`` and, in stacked simulated days, its
    ``replication`` (when the frame has those columns), and within its group when `per_group`
    (each group measured as if alone, as :func:`summary_by` promises); only services with a
    named server and ``started_at <= ended_at`` count.
    """
    s_ns, s_ok = to_ns(frame["started_at"])
    e_ns, e_ok = to_ns(frame["ended_at"])
    server = frame["server"]
    ok = s_ok & e_ok & (e_ns >= s_ns) & server.notna().to_numpy(dtype=bool)
    idx = np.flatnonzero(ok)
    if not len(idx):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    keys = [server.to_numpy(dtype=object)[idx]]
    for col in ("site", "replication"):
        if col in frame.columns:
            keys.append(frame[col].astype("string").fillna("").to_numpy(dtype=object)[idx])
    if per_group:
        keys.append(codes[idx])
    desk = pd.MultiIndex.from_arrays(keys).factorize()[0].astype(np.int64)
    start, end = s_ns[idx], e_ns[idx]
    if opt.estimator == "gaps":
        row, lo, hi = kpis.on_duty_spans_gaps(desk, start, end, opt.gap_ns)
        return idx[row], lo, hi
    first = pd.Timestamp(int(start.min()), tz="UTC").tz_convert(frame["started_at"].dt.tz)
    origin = int(first.normalize().as_unit("ns").value)  # local midnight before the first service
    row, lo, hi = kpis.on_duty_spans_presence(desk, codes[idx], start - origin, end - origin, opt.bin_ns)
    return idx[row], lo + origin, hi + origin
