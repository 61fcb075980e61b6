"""Idle gaps: the time a desk spends between the end of one service and the start of the next."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from waitlab.analytics._prepare import NS, interval_ns, read_contacts, split_spans, to_ns
from waitlab.exceptions import ArgumentError

__all__ = ["IdleGaps", "idle_gaps"]


@dataclass(frozen=True)
class IdleGaps:
    """Result of :func:`idle_gaps`.

    Attributes
    ----------
    gaps : DataFrame
        One row per gap: ``site`` (when the table has sites), ``server``, ``gap_start``
        (end of a service), ``gap_end`` (start of the desk's next service), ``seconds``.
    summary : DataFrame
        Per desk and interval: ``interval_start``, ``gaps`` (gaps starting in the interval),
        ``idle_s`` (idle seconds inside the interval, gaps split exactly at its borders),
        ``longest_gap_s`` (longest gap starting in the interval; NaN when none).
    overlaps : int
        Consecutive services of one desk that overlap in time (multitasking or log errors);
        they give no gap.
    notes : tuple of str
        What was left out and why.
    """

    gaps: pd.DataFrame
    summary: pd.DataFrame
    overlaps: int = 0
    notes: tuple[str, ...] = ()


def idle_gaps(
    contacts: pd.DataFrame, interval: str | pd.Timedelta | float = "30min", *, max_gap: float | None = None
) -> IdleGaps:
    """Gaps between consecutive services of the same desk, and a summary per desk and interval.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table with ``server``, ``started_at`` and ``ended_at``; contacts without
        all three are ignored. A desk is ``(site, server)`` when the table has sites.
    interval : str, Timedelta or float, default "30min"
        Interval length of the summary ("15min", a Timedelta or seconds; it must divide a
        day). Intervals start at local midnight of the first service's day, as in
        :func:`~waitlab.analytics.interval_stats`.
    max_gap : float, optional
        Gaps longer than this many seconds are treated as the desk being closed (a break or
        the end of a shift) and left out. Gaps that cross local midnight are always left out.

    Returns
    -------
    IdleGaps

    Notes
    -----
    For services sorted by start, the gap after service *k* is
    ``started_at[k+1] - ended_at[k]`` when positive. Zero gaps (back-to-back services) are
    not listed.
    """
    bin_ns = interval_ns(interval)
    if max_gap is not None and not (np.isfinite(max_gap) and max_gap > 0):
        raise ArgumentError(f"`max_gap` must be a positive number of seconds, got {max_gap!r}.")
    has_site = (
        isinstance(contacts, pd.DataFrame) and "site" in contacts.columns and contacts["site"].notna().any()
    )
    work = read_contacts(contacts, ["site"] if has_site else [], who="idle_gaps")
    f = work.frame
    desk_cols = ["site", "server"] if has_site else ["server"]
    notes = list(work.notes)
    for col in ("server", "started_at", "ended_at"):
        if col in work.unusable:
            notes.append(f"idle_gaps: column `{col}` is {work.unusable[col]}, so there are no idle gaps to compute.")
    tz = work.tz
    ok = f["server"].notna() & f["started_at"].notna() & f["ended_at"].notna()
    s = f.loc[ok, [*desk_cols, "started_at", "ended_at"]].sort_values([*desk_cols, "started_at", "ended_at"])
    same_desk = np.ones(len(s), dtype=bool)
    for col in desk_cols:
        v = s[col].astype(object).to_numpy()
        same_desk[1:] &= v[1:] == v[:-1]
    same_desk[:1] = False
    start_ns, _ = to_ns(s["started_at"])
    end_ns, _ = to_ns(s["ended_at"])
    # latest end so far within the desk: a long service may cover several short ones
    cum_end = pd.Series(end_ns).groupby(np.cumsum(~same_desk)).cummax().to_numpy(dtype=np.int64)
    prev_end = np.r_[cum_end[:1], cum_end[:-1]]
    gap = start_ns - prev_end
    valid = same_desk & (gap > 0)
    overlaps = int((same_desk & (gap < 0)).sum())
    if overlaps:
        notes.append(
            f"{overlaps} service(s) start before the same desk's previous service ended; no gap there."
        )
    local_day = _local_days(prev_end, tz)
    crosses = local_day != _local_days(start_ns, tz)
    if (valid & crosses).any():
        notes.append(
            f"{int((valid & crosses).sum())} gap(s) crossing midnight left out (desk closed overnight)."
        )
    valid &= ~crosses
    if max_gap is not None:
        long = valid & (gap > max_gap * NS)
        if long.any():
            notes.append(f"{int(long.sum())} gap(s) longer than max_gap={max_gap:g} s left out as breaks.")
        valid &= ~long
    gaps = s.loc[valid, desk_cols].reset_index(drop=True)
    gaps["gap_start"] = _stamps(prev_end[valid], tz)
    gaps["gap_end"] = _stamps(start_ns[valid], tz)
    gaps["seconds"] = gap[valid] / NS
    return IdleGaps(gaps=gaps, summary=_summary(gaps, desk_cols, bin_ns, tz), overlaps=overlaps,
                    notes=tuple(notes))


def _stamps(ns: np.ndarray, tz: object) -> pd.DatetimeIndex:
    """tz-aware timestamps from int64 UTC nanoseconds."""
    return (
        pd.DatetimeIndex(np.asarray(ns, dtype=np.int64).view("datetime64[ns]"))
        .tz_localize("UTC")
        .tz_convert(tz)
    )


def _local_days(ns: np.ndarray, tz: object) -> np.ndarray:
    """Local calendar day of each instant, as int64 ns of its midnight."""
    return np.asarray(_stamps(ns, tz).normalize().asi8)


def _summary(gaps: pd.DataFrame, desk_cols: list[str], bin_ns: int, tz: object) -> pd.DataFrame:
    """Per desk and interval: gap count, idle seconds split at borders, longest gap."""
    cols = [*desk_cols, "interval_start", "gaps", "idle_s", "longest_gap_s"]
    if gaps.empty:
        return pd.DataFrame({c: [] for c in cols})
    g_start, _ = to_ns(gaps["gap_start"])
    g_end, _ = to_ns(gaps["gap_end"])
    origin = int(pd.Timestamp(gaps["gap_start"].min()).normalize().as_unit("ns").value)
    n_bins = int((g_end.max() - origin - 1) // bin_ns) + 1
    desk = gaps.groupby(desk_cols, dropna=False, sort=True).ngroup().to_numpy(dtype=np.int64)
    keys = gaps.groupby(desk_cols, dropna=False, sort=True).size().index.to_frame(index=False)
    row, b, ov = split_spans(g_start - origin, g_end - origin, bin_ns, n_bins)
    cell = desk[row] * n_bins + b
    first_bin = (g_start - origin) // bin_ns
    start_cell = desk * n_bins + first_bin
    frame = pd.DataFrame({"cell": cell, "idle_s": ov / NS})
    idle = frame.groupby("cell")["idle_s"].sum()
    counts = pd.Series(start_cell).value_counts()
    longest = pd.Series(gaps["seconds"].to_numpy()).groupby(start_cell).max()
    cells = idle.index.to_numpy()
    out = keys.iloc[cells // n_bins].reset_index(drop=True)
    starts = origin + (cells % n_bins) * bin_ns
    out["interval_start"] = _stamps(starts, tz)
    out["gaps"] = counts.reindex(cells, fill_value=0).to_numpy(dtype=np.int64)
    out["idle_s"] = idle.to_numpy()
    out["longest_gap_s"] = longest.reindex(cells).to_numpy(dtype=float)
    return out[cols]
