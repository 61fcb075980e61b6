"""Private helpers: read a contacts table into plain arrays, bin time, split spans over bins.

Everything here is mechanics; the KPI *definitions* live in :mod:`waitlab.analytics.kpis`.
Timestamps become int64 nanoseconds since an origin, so splitting a wait or a service over
interval borders is exact integer arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from waitlab._clock import parse_interval
from waitlab.exceptions import SchemaError
from waitlab.schema import TIME_COLUMNS, service_seconds, wait_seconds

#: Columns the interval KPIs read; any of them may be absent from a user's table.
USED_COLUMNS = (*TIME_COLUMNS, "outcome", "server")

#: What each KPI needs: a KPI whose column is absent or entirely null comes out NaN.
KPI_NEEDS: dict[str, tuple[str, ...]] = {
    "served": ("outcome",),
    "abandoned": ("outcome",),
    "no_show": ("outcome",),
    "other": ("outcome",),
    "wait_mean": ("called_at",),
    "wait_p50": ("called_at",),
    "wait_p90": ("called_at",),
    "wait_p95": ("called_at",),
    "wait_max": ("called_at",),
    "mean_service": ("started_at", "ended_at"),
    "asa": ("outcome", "called_at"),
    "sl_offered": ("outcome", "called_at"),
    "sl_answered": ("outcome", "called_at"),
    "prob_wait": ("called_at",),
    "abandon_rate": ("outcome",),
    "abandon_rate_excl_short": ("outcome", "ended_at"),
    "waiting_mean": ("called_at",),
    "waiting_max": ("called_at",),
    "desks_present": ("server", "started_at", "ended_at"),
    "desks_on_duty": ("server", "started_at", "ended_at"),
    "desks_busy": ("started_at", "ended_at"),
    "occupancy": ("server", "started_at", "ended_at"),
}

NS = 1_000_000_000


def to_ns(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return (int64 UTC nanoseconds, validity mask) of a datetime Series; NaT -> invalid."""
    idx = pd.DatetimeIndex(values).as_unit("ns")
    valid = ~np.asarray(idx.isna())
    return idx.asi8.copy(), valid


def interval_ns(interval: str | pd.Timedelta | float, name: str = "interval") -> int:
    """:func:`waitlab._clock.parse_interval` in whole nanoseconds (ArgumentError naming `name`)."""
    return round(parse_interval(interval, name) * NS)


@dataclass
class Work:
    """A contacts table read into arrays, with a record of what is unusable."""

    frame: pd.DataFrame
    tz: object
    unusable: dict[str, str] = field(default_factory=dict)  # column -> "missing" / "all null"
    notes: list[str] = field(default_factory=list)

    def kpi_unavailable(self, kpi: str) -> list[str]:
        """Columns that stop `kpi` from being computed (empty when it can be)."""
        return [c for c in KPI_NEEDS.get(kpi, ()) if c in self.unusable]


def read_contacts(contacts: pd.DataFrame, by: list[str], *, who: str) -> Work:
    """Check and copy the columns the KPIs read; absent ones become nulls and are recorded.

    Raises
    ------
    SchemaError
        If `arrived_at` is absent or not tz-aware, a time column is not datetime, or a `by`
        column does not exist.
    """
    if not isinstance(contacts, pd.DataFrame):
        raise SchemaError(f"`contacts` must be a pandas DataFrame, got {type(contacts).__name__}.")
    if "arrived_at" not in contacts.columns:
        raise SchemaError(
            f"{who}: the contacts table has no `arrived_at` column; every KPI needs it "
            "(build the table with waitlab.schema.coerce_contacts or a reader)."
        )
    for col in by:
        if col != "dow" and col not in contacts.columns:
            raise SchemaError(
                f"{who}: `by` names column {col!r}, which the contacts table does not have; "
                f"use one of {sorted(contacts.columns)} or 'dow'."
            )
    arrived = contacts["arrived_at"]
    if not isinstance(arrived.dtype, pd.DatetimeTZDtype):
        raise SchemaError(
            f"{who}: `arrived_at` must be timezone-aware datetime64, got {arrived.dtype}; "
            "use waitlab.schema.coerce_contacts(df, tz=...)."
        )
    tz = arrived.dtype.tz
    out = pd.DataFrame(index=pd.RangeIndex(len(contacts)))
    unusable: dict[str, str] = {}
    for col in TIME_COLUMNS:
        if col not in contacts.columns:
            out[col] = pd.Series(pd.NaT, index=out.index, dtype=f"datetime64[ns, {tz}]")
            unusable[col] = "missing"
            continue
        s = contacts[col].reset_index(drop=True)
        if not isinstance(s.dtype, pd.DatetimeTZDtype):
            if s.isna().all():
                s = pd.Series(pd.NaT, index=out.index, dtype=f"datetime64[ns, {tz}]")
            else:
                raise SchemaError(
                    f"{who}: `{col}` must be timezone-aware datetime64, got {s.dtype}; "
                    "use waitlab.schema.coerce_contacts(df, tz=...)."
                )
        out[col] = s.dt.tz_convert(tz).astype(f"datetime64[ns, {tz}]")
    for col in ("outcome", "server"):
        if col not in contacts.columns:
            out[col] = pd.Series(pd.NA, index=out.index, dtype="string")
            unusable[col] = "missing"
        else:
            out[col] = contacts[col].reset_index(drop=True).astype("string")
    # A column is unusable when it is null on every row that should have it (an all-abandoned
    # table rightly has no called_at; a table with services but no server name has a gap).
    flags = outcome_flags(out["outcome"])
    known = "outcome" not in unusable and out["outcome"].notna().any()
    if not known and len(out):
        unusable["outcome"] = unusable.get("outcome", "all null")
    needs = {
        "called_at": flags["answered"] | flags["no_show"],
        "started_at": flags["answered"],
        "ended_at": flags["answered"] | flags["abandoned"],
        "server": out["started_at"].notna().to_numpy(),
    }
    for col, rows in needs.items():
        if col in unusable:
            continue
        rows = rows if known or col == "server" else np.ones(len(out), dtype=bool)
        if rows.any() and out.loc[rows, col].isna().all():
            unusable[col] = "null on every contact that needs it"
    for col in by:
        if col != "dow" and col not in out.columns:
            out[col] = contacts[col].reset_index(drop=True)
    for col in ("site", "replication"):  # a desk is (replication, site, server)
        if col in contacts.columns and col not in out.columns:
            out[col] = contacts[col].reset_index(drop=True)
    work = Work(frame=out, tz=tz, unusable=unusable)
    n_bad = int(out["arrived_at"].isna().sum())
    if n_bad:
        work.notes.append(f"{who}: {n_bad} contact(s) have no `arrived_at` and are left out of every KPI.")
        work.frame = out[out["arrived_at"].notna()].reset_index(drop=True)
    return work


def note_unavailable(work: Work, kpis: list[str], *, who: str) -> None:
    """One note per unusable column, naming the KPIs it blocks."""
    for col, why in work.unusable.items():
        blocked = [k for k in kpis if col in KPI_NEEDS.get(k, ())]
        if not blocked:
            continue
        msg = (
            f"{who}: column `{col}` is {why}, so {', '.join(blocked)} "
            f"{'is' if len(blocked) == 1 else 'are'} NaN; the other KPIs are computed."
        )
        work.notes.append(msg)


def outcome_flags(outcome: pd.Series) -> dict[str, np.ndarray]:
    """Boolean arrays: answered (served or transferred), abandoned, no_show."""

    def isin(*values: str) -> np.ndarray:
        return outcome.isin(values).fillna(False).to_numpy(dtype=bool)

    return {
        "answered": isin("served", "transferred"),
        "abandoned": isin("abandoned"),
        "no_show": isin("no_show"),
    }


def waits_and_services(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Wait and service seconds from the schema's single definitions; negatives become NaN."""
    w = wait_seconds(frame).to_numpy(dtype=float, na_value=np.nan, copy=True)
    s = service_seconds(frame).to_numpy(dtype=float, na_value=np.nan, copy=True)
    w[w < 0] = np.nan
    s[s < 0] = np.nan
    return w, s


def group_codes(frame: pd.DataFrame, cols: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code per row and one row of key values per group (sorted, nulls kept)."""
    if not cols:
        return np.zeros(len(frame), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    g = frame.groupby(cols, dropna=False, sort=True, observed=True)
    codes = g.ngroup().to_numpy(dtype=np.int64)
    keys = g.size().index.to_frame(index=False)
    return codes, keys


def split_spans(
    start: np.ndarray, end: np.ndarray, bin_ns: int, n_bins: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split half-open spans [start, end) (ns from the origin) over bins of `bin_ns`.

    Returns (row index, bin index, overlap ns), one entry per (span, bin) it touches. A span
    of zero length gives one entry of zero overlap in the bin holding it. Bins outside
    ``0 .. n_bins - 1`` are dropped.
    """
    first = np.floor_divide(start, bin_ns)
    last = np.where(end > start, np.floor_divide(end - 1, bin_ns), first)
    first_c = np.clip(first, 0, None)
    last_c = np.clip(last, None, n_bins - 1)
    counts = np.where(last_c >= first_c, last_c - first_c + 1, 0)
    total = int(counts.sum())
    row = np.repeat(np.arange(len(start), dtype=np.int64), counts)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    b = first_c[row] + offset
    lo = np.maximum(start[row], b * bin_ns)
    hi = np.minimum(end[row], (b + 1) * bin_ns)
    return row, b, np.maximum(hi - lo, 0)
