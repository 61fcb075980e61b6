"""Localised tables: every column of the report gets a header from the catalogue, a unit and a kind.

A :class:`Table` is what both writers take: the values (waits already in the report's time
unit, shares in [0, 1]), one header per column in the report's language with its unit, and one
*kind* per column that tells the HTML writer how to print a cell and the Excel writer which
number format to give it. No snake_case name, True/False or raw share reaches the reader.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from waitlab._i18n import t

__all__ = ["KINDS", "SPEC", "Table", "localise"]

#: Kinds of column: how a cell is printed (HTML) and formatted (Excel).
KINDS = ("int", "num", "pct", "dur", "date", "datetime", "bool", "text")

#: Column name -> (catalogue key of its header, kind). Durations are stored in seconds.
SPEC: dict[str, tuple[str, str]] = {
    "site": ("col.site", "text"), "queue": ("col.queue", "text"), "channel": ("col.channel", "text"),
    "arrivals": ("kpi.arrivals", "int"), "served": ("kpi.served", "int"), "abandoned": ("kpi.abandoned", "int"),
    "no_show": ("kpi.no_show", "int"), "other": ("kpi.other", "int"),
    "wait_mean": ("kpi.wait_mean", "dur"), "wait_p50": ("kpi.wait_p50", "dur"), "wait_p90": ("kpi.wait_p90", "dur"),
    "wait_p95": ("kpi.wait_p95", "dur"), "wait_max": ("kpi.wait_max", "dur"), "asa": ("rcol.asa", "dur"),
    "mean_service": ("rcol.mean_service", "dur"), "sl_offered": ("rcol.sl", "pct"),
    "sl_answered": ("kpi.sl_answered", "pct"), "abandon_rate": ("kpi.abandon_rate", "pct"),
    "abandon_rate_excl_short": ("kpi.abandon_rate_excl_short", "pct"),
    "waiting_mean": ("kpi.waiting_mean", "num"), "waiting_max": ("kpi.waiting_max", "num"),
    "desks_present": ("rcol.desks_present", "num"), "desks_on_duty": ("rcol.desks_on_duty", "num"),
    "desks_busy": ("kpi.desks_busy", "num"),
    "occupancy": ("kpi.occupancy", "pct"), "span_s": ("rcol.span", "dur"),
    "interval_start": ("col.interval_start", "datetime"), "day": ("col.day", "date"), "hour": ("col.hour", "int"),
    "slot": ("rcol.slot", "text"), "weekday": ("rcol.weekday", "text"), "missing": ("rcol.missing", "bool"),
    "closed": ("rcol.closed", "bool"), "arrivals_per_day": ("rcol.arrivals_per_day", "num"),
    "load": ("col.load", "num"), "desks": ("rcol.desks_required", "int"), "staff": ("col.staff", "int"),
    "shortfall": ("rcol.shortfall", "int"), "understaffed": ("col.understaffed", "bool"),
    "prob_wait": ("col.prob_wait", "pct"), "prob_abandon": ("col.prob_abandon", "pct"),
    "service_level": ("col.service_level", "pct"),
    "contacts": ("col.contacts", "int"), "breaching": ("col.breaching", "int"), "share": ("rcol.share_breaching", "pct"),
    "breached": ("rcol.breached", "bool"), "turn_order_violations": ("col.turn_order_violations", "int"),
    "contact_id": ("col.contact_id", "text"), "rule": ("col.rule", "text"), "outcome": ("col.outcome", "text"),
    "observed_s": ("col.observed_s", "dur"), "limit_s": ("col.limit_s", "dur"), "excess_s": ("col.excess_s", "dur"),
    "upper_bound": ("col.upper_bound", "bool"), "kind": ("col.kind", "text"),
    "ticket": ("col.ticket", "text"), "priority": ("col.priority", "text"), "arrived_at": ("col.arrived_at", "datetime"),
    "called_at": ("col.called_at", "datetime"), "started_at": ("col.started_at", "datetime"),
    "ended_at": ("col.ended_at", "datetime"), "server": ("col.server", "text"), "customer_id": ("col.customer_id", "text"),
    "line": ("col.line", "text"), "overtaken_contact_id": ("col.overtaken_contact_id", "text"),
    "overtaken_ticket": ("col.overtaken_ticket", "text"), "overtaken_arrived_at": ("col.overtaken_arrived_at", "datetime"),
    "overtaken_called_at": ("col.overtaken_called_at", "datetime"), "delay_s": ("col.delay_s", "dur"),
    "method": ("rcol.method", "text"), "mean_s": ("rcol.mean_patience", "dur"), "ci_lo_s": ("rcol.ci_lo", "dur"),
    "ci_hi_s": ("rcol.ci_hi", "dur"), "aic": ("rcol.aic", "num"),
    "reason": ("col.reason", "text"), "count": ("col.count", "int"), "note": ("rcol.note", "text"),
    "kpi": ("col.kpi", "text"), "value": ("col.value", "text"),
}


_VALUES = {"outcome": "out_", "kind": "kind_", "channel": "ch_"}
_KNOWN = {"outcome": ("served", "abandoned", "no_show", "transferred", "other"),
          "kind": ("standing", "seated", "total", "turn_order"), "channel": ("phone", "kiosk")}


@dataclass
class Table:
    """A table ready for a reader: values in display units, localised headers, a kind per column."""

    frame: pd.DataFrame  # columns are the localised headers
    kinds: list[str]
    time_unit: str = "s"

    def __len__(self) -> int:
        return len(self.frame)


def _header(col: str, kind: str, lang: str, unit: str) -> str:
    if col in SPEC:
        text = t(SPEC[col][0], lang)
    elif col.startswith("breached_"):
        text = t("rcol.breached_rule", lang, rule=col.removeprefix("breached_"))
    elif col.startswith("share_"):
        text = t("rcol.share_rule", lang, rule=col.removeprefix("share_"))
    else:
        text = col.replace("_", " ")  # a column the report does not know: still no snake_case
    return f"{text} ({unit})" if kind == "dur" else text


def _kind(col: str, s: pd.Series) -> str:
    if col in SPEC:
        return SPEC[col][1]
    if col.startswith("breached_"):
        return "bool"
    if col.startswith("share_"):
        return "pct"
    if pd.api.types.is_bool_dtype(s):
        return "bool"
    if pd.api.types.is_integer_dtype(s):
        return "int"
    if pd.api.types.is_float_dtype(s):
        return "num"
    if isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(s):
        return "datetime"
    return "text"


def localise(df: pd.DataFrame, lang: str, time_unit: str = "s", columns: list[str] | None = None,
             index: bool = False, verbatim: tuple[str, ...] = ()) -> Table:
    """`df` as a :class:`Table` in `lang`: chosen `columns` (default all), durations in `time_unit`.

    `index=True` keeps the index as the first column (named by its ``name``). Columns in
    `verbatim` (a log file's own fields, as in the quarantine) keep their name and text.
    """
    if index:
        df = df.reset_index()
    cols = [c for c in (columns or list(df.columns)) if c in df.columns]
    scale = 60.0 if time_unit == "min" else 1.0
    data: dict[str, pd.Series] = {}
    kinds: list[str] = []
    for col in cols:
        s = df[col]
        if col in verbatim:
            data[str(col)] = s.astype(object).where(s.notna(), None).reset_index(drop=True)
            kinds.append("text")
            continue
        kind = _kind(str(col), s)
        if kind == "dur":
            s = pd.to_numeric(s, errors="coerce").astype(float) / scale
        elif kind in ("int", "num", "pct"):
            s = pd.to_numeric(s, errors="coerce")
        elif kind == "bool":
            s = s.astype("boolean")
        elif kind == "text":
            s = s.astype(object).where(s.notna(), None)
            if col in _VALUES:
                words = {v: t(f"rcol.{_VALUES[col]}{v}", lang) for v in _KNOWN[col]}
                s = s.map(lambda v, w=words: w.get(v, v))
            s = s.map(lambda v: v if v is None or isinstance(v, str) else str(v))
        header = _header(str(col), kind, lang, time_unit)
        while header in data:
            header += " "
        data[header] = s.reset_index(drop=True)
        kinds.append(kind)
    frame = pd.DataFrame(data) if data else pd.DataFrame()
    return Table(frame, kinds, time_unit)


def weekday_names(lang: str) -> list[str]:
    """Monday..Sunday, abbreviated, in `lang`."""
    return [t(f"rcol.dow{i}", lang) for i in range(7)]


def finite(x: object) -> bool:
    """True for a finite number."""
    try:
        return bool(np.isfinite(float(x)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
