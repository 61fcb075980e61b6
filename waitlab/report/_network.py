"""The network report: ranking, per-site totals, peers and site-days as one HTML page and one workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from waitlab._i18n import fmt_int, fmt_number, fmt_pct, note_text, t
from waitlab.report._columns import Table, localise
from waitlab.report._excel import write_workbook
from waitlab.report._html import Section, render_page

__all__ = ["network_tables", "ranking_lines", "write_network_report"]

_PCT = ("sl", "breach_share", "noncompliance", "abandon_rate")
_NUM = ("desk_hours_on_duty", "desk_hours_needed", "understaffed_hours", "understaffed_hours_per_day",
        "desk_hours_to_comply", "desks_on_duty")  # fmt: skip
_OWN = ("volume", "sl", "days", "breach_share", "noncompliance", "desk_hours_on_duty", "desk_hours_needed",
        "understaffed_hours", "understaffed_hours_per_day", "desk_hours_to_comply", "wait_p90_worst_day",
        "rank_compliance", "rank_understaffed", "rank_to_comply", "peers", "desks_needed")  # fmt: skip


#: Columns of the per-site totals in the report's first table (volume and waits); the rest go in the second.
_SITE_VOLUME = ("site", "days", "volume", "served", "abandoned", "no_show", "wait_mean", "wait_p90_worst_day", "sl",
                "abandon_rate")  # fmt: skip


def _header(col: str, lang: str) -> str | None:
    if col in _OWN:
        return t(f"net.col_{col}", lang)
    if col.startswith("breaches_"):
        rule = col.removeprefix("breaches_")
        kind, _, minutes = rule.rpartition("_")
        if kind in ("standing", "seated", "total") and minutes.isdigit():  # a rule limit's id: its words
            rule = t(f"dash.limit_{kind}", lang, m=minutes)
        return t("net.col_breaches", lang, rule=rule)
    for prefix, key in (("peers_", "net.col_peers_of"),):
        if col.startswith(prefix):
            return t(key, lang, what=_header(col.removeprefix(prefix), lang) or t(f"kpi.{col.removeprefix(prefix)}", lang))
    if col.endswith("_vs_peers"):
        base = col.removesuffix("_vs_peers")
        return t("net.col_vs_peers", lang, what=_header(base, lang) or t(f"kpi.{base}", lang))
    return None


def _kind(col: str) -> str | None:
    base = col.removeprefix("peers_").removesuffix("_vs_peers")
    if base in _PCT:
        return "pct"
    if base in _NUM:
        return "num"
    if base == "wait_p90_worst_day" or base == "wait_mean":
        return "dur"
    return None


def _table(df: pd.DataFrame, lang: str, unit: str) -> Table:
    frame = pd.DataFrame(df)
    cols = [str(c) for c in frame.columns]
    scale = 60.0 if unit == "min" else 1.0
    for c in cols:  # durations the catalogue does not know: into the shown unit here
        if c not in ("wait_mean", "wait_p90") and _kind(c) == "dur":
            frame[c] = pd.to_numeric(frame[c], errors="coerce") / scale
    table = localise(frame, lang, unit, columns=cols)
    heads = list(table.frame.columns)
    for i, c in enumerate(cols):
        head, kind = _header(c, lang), _kind(c)
        if kind is not None and not (kind == "dur" and c in ("wait_mean", "wait_p90")):
            table.kinds[i] = kind
        if head is not None:
            heads[i] = f"{head} ({unit})" if table.kinds[i] == "dur" else head
    table.frame.columns = heads
    return table


def network_tables(result: Any, lang: str = "es", unit: str = "min") -> dict[str, Table]:
    """The result's tables localised for a reader: ranking, per-site totals, peers, site-days."""
    return {
        t("net.ranking", lang): _table(result.ranking, lang, unit),
        t("net.sites", lang): _table(result.sites, lang, unit),
        t("net.peers", lang): _table(result.peers, lang, unit),
        t("net.site_days", lang): _table(result.site_days, lang, unit),
    }


def ranking_lines(result: Any, lang: str = "es", top: int = 10) -> list[str]:
    """The short ranking printed by ``waitlab network``: one line per site, worst first."""
    lines = [t("net.ranking_head", lang)]
    for r in result.ranking.head(top).itertuples(index=False):
        lines.append("  " + t("net.ranking_line", lang, rank=int(r.rank_compliance), site=r.site,
                              share=fmt_pct(float(r.noncompliance), lang, 1),
                              hours=fmt_number(float(r.understaffed_hours), lang, 1),
                              dh=fmt_number(float(r.desk_hours_to_comply), lang, 1)))  # fmt: skip
    return lines


def write_network_report(result: Any, out_dir: str | Path, *, lang: str = "es", unit: str = "min") -> dict[str, Path]:
    """Write ``network.html`` and ``network.xlsx`` into `out_dir`; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = network_tables(result, lang, unit)
    names = list(tables)
    head = t("net.summary", lang, sites=fmt_int(len(result.sites), lang), days=fmt_int(len(result.site_days), lang),
             contacts=fmt_int(int(result.sites["volume"].sum()) if len(result.sites) else 0, lang))  # fmt: skip
    notes = [note_text(n, lang) for n in result.notes]
    sites = pd.DataFrame(result.sites)
    volume = [c for c in _SITE_VOLUME if c in sites.columns]
    comply = ["site", *(c for c in sites.columns if c not in volume)]
    peers = pd.DataFrame(result.peers)
    who = [f"{s}: {p.replace('; ', ', ')}" for s, p in zip(peers["site"], peers["peers"], strict=True)]
    shown = [c for c in peers.columns if c != "peers" and not c.startswith("peers_")]  # the medians: in the workbook
    sections = [Section(t("net.ranking", lang)).text(head).ltable(tables[names[0]]),
                Section(names[1]).ltable(_table(sites[volume], lang, unit))
                .ltable(_table(sites[comply], lang, unit)),
                Section(names[2]).ltable(_table(peers[shown], lang, unit))
                .text(t("net.col_peers", lang) + ":").bullets(who),
                Section(names[3], collapsed=names[3]).ltable(tables[names[3]], max_rows=500),
                Section(t("net.notes", lang)).bullets(notes)]  # fmt: skip
    html_path = out / "network.html"
    html_path.write_text(render_page(t("net.title", lang), sections, lang), encoding="utf-8")
    xlsx = write_workbook(out / "network.xlsx", {**tables, t("net.notes", lang): pd.DataFrame({"note": notes})}, lang)
    return {"html": html_path, "excel": xlsx}
