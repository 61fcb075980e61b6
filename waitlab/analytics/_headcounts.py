r"""Mean wait from manual headcounts, by Little's law.

Where a branch has no turn terminal, staff note every few minutes how many people are
waiting and how many desks are open, and tally arrivals per hour. Little's law
:math:`L = \lambda W` then gives the mean wait of each hour: :math:`W = L / \lambda`, with
:math:`L` the time-average number waiting (estimated from the counts) and :math:`\lambda`
the arrival rate (arrivals / seconds in the hour).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from waitlab.analytics._prepare import NS, interval_ns
from waitlab.exceptions import LogFormatError

__all__ = ["HeadcountResult", "from_headcounts"]

#: Accepted column names for each field (Spanish sheet first); a `mapping` overrides them.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "time": ("hora", "time", "hour"),
    "date": ("fecha", "date", "dia", "day"),
    "waiting": ("personas_esperando", "waiting", "people_waiting", "en_espera"),
    "desks_open": ("puestos_abiertos", "desks_open", "desks", "cajas_abiertas"),
    "arrivals": ("llegadas", "arrivals", "count"),
}

_HHMM = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?\s*(?:-.*)?$")


@dataclass(frozen=True)
class HeadcountResult:
    """Little's-law estimates from a headcount sheet.

    Attributes
    ----------
    table : DataFrame
        One row per hour (or `interval`): ``date`` (only when the sheet has dates), ``hour``
        (``"HH:MM"`` start), ``snapshots`` (counts taken), ``mean_waiting`` (L), ``arrivals``,
        ``arrival_rate`` (per second, :math:`\\lambda`), ``desks_open_mean``,
        ``est_mean_wait_s`` (W = L / :math:`\\lambda`, seconds).
    overall_mean_wait_s : float
        Little's law over all hours with both counts and arrivals:
        :math:`\\sum_h L_h T_h / \\sum_h A_h` (T_h the hour length), seconds.
    notes : tuple of str
        What the estimate takes for granted (stationarity within an interval, snapshot
        counts, ...), then the data issues found (hours without counts or arrivals, uneven
        spacing), one plain sentence each.
    """

    table: pd.DataFrame
    overall_mean_wait_s: float
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = ["Mean wait by hour from headcounts (Little's law, W = L / lambda):"]
        for _, r in self.table.iterrows():
            day = f"{r['date']} " if "date" in self.table.columns else ""
            lines.append(
                f"  {day}{r['hour']}  L = {r['mean_waiting']:.2f} waiting, {r['arrivals']:.0f} arrivals, "
                f"{r['desks_open_mean']:.1f} desks open -> W = {r['est_mean_wait_s'] / 60:.1f} min"
            )
        lines.append(f"Overall mean wait: {self.overall_mean_wait_s / 60:.1f} min")
        if self.notes:
            lines.append("Notes:")
            lines += [f"  - {n}" for n in self.notes]
        return "\n".join(lines)


def _read(table: pd.DataFrame | str | PathLike[str], name: str) -> tuple[pd.DataFrame, str]:
    if isinstance(table, pd.DataFrame):
        return table.copy(), f"`{name}`"
    path = Path(table)
    if not path.is_file():
        raise LogFormatError(f"{name} file {str(path)!r} does not exist; pass a CSV path or a DataFrame.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:  # no permission, removed meanwhile, ...
        raise LogFormatError(f"{name} file {str(path)!r} cannot be read ({exc.strerror}).") from None
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise LogFormatError(
            f"{name} file {str(path)!r} is empty; it needs a header line and one row per count."
        )
    sep = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    df = pd.read_csv(
        path, sep=sep, dtype=str, keep_default_na=True, encoding="utf-8-sig", skipinitialspace=True
    )
    df.columns = [str(c).strip() for c in df.columns]
    return df, f"file {path.name!r}"


def _column(df: pd.DataFrame, field_: str, mapping: dict[str, str], where: str, required: bool) -> str | None:
    if field_ in mapping and mapping[field_] in df.columns:
        return mapping[field_]
    lower = {c.lower(): c for c in df.columns}
    for alias in COLUMN_ALIASES[field_]:
        if alias in lower:
            return lower[alias]
    if required:
        raise LogFormatError(
            f"{where} has no column for {field_!r} (expected one of {list(COLUMN_ALIASES[field_])}"
            f"{' or the mapped ' + repr(mapping[field_]) if field_ in mapping else ''}); "
            f"found {list(df.columns)}. Pass mapping={{'{field_}': '<your column>'}}."
        )
    return None


def _times(df: pd.DataFrame, time_col: str, date_col: str | None, where: str) -> tuple[pd.Series, pd.Series]:
    """(date or NaT, seconds since midnight) per row."""
    raw = df[time_col].astype(str).str.strip()
    seconds = np.full(len(df), np.nan)
    dates = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    for i, v in enumerate(raw):
        m = _HHMM.match(v)
        if m:
            h, mi, se = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
            if h < 24 and mi < 60 and se < 60:
                seconds[i] = h * 3600 + mi * 60 + se
                continue
        try:
            ts = pd.Timestamp(v)
        except ValueError:
            ts = pd.NaT
        if ts is pd.NaT or pd.isna(ts):
            raise LogFormatError(
                f"{where}, row {i + 2}, column {time_col!r}: {v!r} is not a time; write it as HH:MM "
                "(or a full date and time)."
            )
        dates.iloc[i] = ts.normalize().tz_localize(None) if ts.tzinfo else ts.normalize()
        seconds[i] = (ts - ts.normalize()).total_seconds()
    if date_col is not None:
        text = df[date_col].astype(str).str.strip()
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
        other = parsed.isna()
        if other.any():  # Spanish sheets write 13/01/2024
            parsed[other] = pd.to_datetime(text[other], format="mixed", dayfirst=True, errors="coerce")
        bad = parsed.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise LogFormatError(
                f"{where}, row {i + 2}, column {date_col!r}: {df[date_col].iloc[i]!r} is not a date."
            )
        dates = parsed.dt.normalize()
    return dates, pd.Series(seconds, index=df.index)


def _numbers(df: pd.DataFrame, col: str, where: str) -> pd.Series:
    raw = df[col].astype(str).str.strip().str.replace(",", ".", regex=False)
    vals = pd.to_numeric(raw, errors="coerce")
    bad = vals.isna() | (vals < 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise LogFormatError(
            f"{where}, row {i + 2}, column {col!r}: {df[col].iloc[i]!r} is not a count >= 0; "
            "write a whole number (0 when nobody)."
        )
    return vals.astype(float)


def from_headcounts(
    sheet: pd.DataFrame | str | PathLike[str],
    arrivals: pd.DataFrame | str | PathLike[str],
    interval: str | pd.Timedelta | float = "1h",
    *,
    mapping: dict[str, str] | None = None,
) -> HeadcountResult:
    """Estimate the mean wait per hour from manual headcounts and an arrival tally.

    Parameters
    ----------
    sheet : DataFrame or path
        The counts: a time (``hora``: ``HH:MM``, or a full date and time), the number of
        people waiting (``personas_esperando``) and of desks open (``puestos_abiertos``);
        optionally a date (``fecha``). CSV files may be ``;``- or ``,``-separated. English
        names (``time, waiting, desks_open, date``) are accepted too.
    arrivals : DataFrame or path
        Arrivals per interval: ``hora`` (start of the hour) and ``llegadas`` (or ``time``,
        ``arrivals``), optionally ``fecha``.
    interval : str, Timedelta or float, default "1h"
        Length of the tally intervals ("1h", a Timedelta or seconds; it must divide a day);
        counts are grouped into the same intervals. Unlike the reporting width of the other
        functions (30 min), this describes the data: the default is the hourly tally of the
        usual sheet, and a shorter width would split each hour's arrivals wrongly.
    mapping : dict, optional
        Field -> column name for non-standard sheets, fields ``time``, ``date``,
        ``waiting``, ``desks_open`` (sheet) and ``arrivals`` (tally).

    Returns
    -------
    HeadcountResult
        Per-hour table, overall estimate and the notes: the assumptions made and the data
        issues found (``print(result)`` shows them).

    Raises
    ------
    LogFormatError
        A file is missing or empty, a column is missing, or a cell is not a time / count,
        named with its row and column.

    Notes
    -----
    For each interval h of length :math:`T_h` seconds, :math:`L_h` = mean of the counts
    taken in it, :math:`\\lambda_h = A_h / T_h`, and :math:`W_h = L_h / \\lambda_h`
    (NaN when :math:`A_h = 0`).
    """
    mapping = dict(mapping or {})
    step = interval_ns(interval) / NS
    counts, where_s = _read(sheet, "headcount sheet")
    tally, where_a = _read(arrivals, "arrivals tally")
    t_col = _column(counts, "time", mapping, where_s, True)
    w_col = _column(counts, "waiting", mapping, where_s, True)
    d_col = _column(counts, "desks_open", mapping, where_s, False)
    date_s = _column(counts, "date", mapping, where_s, False)
    ta_col = _column(tally, "time", mapping, where_a, True)
    a_col = _column(tally, "arrivals", mapping, where_a, True)
    date_a = _column(tally, "date", mapping, where_a, False)
    assert t_col and w_col and ta_col and a_col  # required columns are never None
    c_day, c_sec = _times(counts, t_col, date_s, where_s)
    a_day, a_sec = _times(tally, ta_col, date_a, where_a)
    dated = c_day.notna().any() or a_day.notna().any()
    c = pd.DataFrame({
        "date": c_day, "slot": np.floor(c_sec / step).astype(int), "sec": c_sec,
        "waiting": _numbers(counts, w_col, where_s),
        "desks": _numbers(counts, d_col, where_s) if d_col else np.nan,
    })  # fmt: skip
    a = pd.DataFrame({"date": a_day, "slot": np.floor(a_sec / step).astype(int),
                      "arrivals": _numbers(tally, a_col, where_a)})  # fmt: skip
    keys = ["date", "slot"]
    per = c.groupby(keys, dropna=False).agg(
        snapshots=("waiting", "size"), mean_waiting=("waiting", "mean"), desks_open_mean=("desks", "mean")
    )
    arr = a.groupby(keys, dropna=False)["arrivals"].sum()
    table = per.join(arr, how="outer").reset_index().sort_values(keys, na_position="first")
    notes = _notes(table, c)
    table["snapshots"] = table["snapshots"].fillna(0).astype(int)
    table["arrival_rate"] = table["arrivals"] / step
    table["est_mean_wait_s"] = table["mean_waiting"] / table["arrival_rate"].where(table["arrival_rate"] > 0)
    secs = table["slot"] * step
    table["hour"] = [f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}" for s in secs]
    both = table["mean_waiting"].notna() & (table["arrivals"] > 0)
    total_arr = float(table.loc[both, "arrivals"].sum())
    overall = (
        float((table.loc[both, "mean_waiting"] * step).sum() / total_arr) if total_arr > 0 else float("nan")
    )
    cols = [
        "hour",
        "snapshots",
        "mean_waiting",
        "arrivals",
        "arrival_rate",
        "desks_open_mean",
        "est_mean_wait_s",
    ]
    if dated:
        table["date"] = table["date"].dt.date
        cols = ["date", *cols]
    spacing = _typical_spacing(c)
    return HeadcountResult(table=table[cols].reset_index(drop=True), overall_mean_wait_s=overall,
                           notes=(*_assumptions(step, spacing), *notes))  # fmt: skip


def _typical_spacing(c: pd.DataFrame) -> float:
    gaps = c.sort_values(["date", "sec"]).groupby("date", dropna=False)["sec"].diff().dropna()
    return float(gaps.median()) if len(gaps) else float("nan")


def _notes(table: pd.DataFrame, c: pd.DataFrame) -> list[str]:
    notes = []
    no_counts = int(table["snapshots"].isna().sum())
    if no_counts:
        notes.append(f"{no_counts} interval(s) have arrivals but no headcount; their wait is NaN.")
    no_arr = int(table["arrivals"].isna().sum())
    if no_arr:
        notes.append(f"{no_arr} interval(s) have headcounts but no arrival tally; their wait is NaN.")
    zero = int(((table["arrivals"] == 0) & (table["mean_waiting"] > 0)).sum())
    if zero:
        notes.append(
            f"{zero} interval(s) have people waiting but 0 arrivals; W = L / lambda is undefined there."
        )
    gaps = c.sort_values(["date", "sec"]).groupby("date", dropna=False)["sec"].diff().dropna()
    if len(gaps) and gaps.max() > 1.5 * gaps.min():
        notes.append(
            f"counts are unevenly spaced ({gaps.min() / 60:.0f} to {gaps.max() / 60:.0f} min apart); "
            "each count is weighted equally within its interval."
        )
    return notes


def _assumptions(step: float, spacing: float) -> list[str]:
    every = f"about every {spacing / 60:.0f} min" if np.isfinite(spacing) else "at the times noted"
    return [
        f"Stationarity within each {step / 3600:g} h interval: arrivals and queue are steady inside it, "
        "so Little's law L = lambda W holds for its averages; a queue that builds up or drains "
        "during the interval biases the estimate (longer intervals shrink this edge effect).",
        f"Counts are snapshots ({every}): the time-average number waiting L is estimated by the "
        "mean of the counts in the interval, each count standing for an equal share of it.",
        "Only people waiting are counted, not those being served; if the sheet counts everyone in "
        "the branch, W includes service time.",
        "Everyone who arrives is in the tally and is counted while waiting, including people who "
        "leave without service, so W is the mean wait of all arrivals (served and those who left).",
        "Arrivals are tallied in the interval in which they join the queue; lambda = arrivals / "
        f"{step:.0f} s.",
    ]
