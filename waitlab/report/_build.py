"""Build the consultant's report: an HTML page and an Excel workbook from one contacts table."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from waitlab._clock import parse_interval
from waitlab._i18n import fmt_date, fmt_duration, fmt_number, fmt_pct, t
from waitlab.analytics import PatienceResult, interval_stats, patience, summary_kpis
from waitlab.compliance import Seats, check_compliance
from waitlab.report import _figures as figures
from waitlab.report._excel import write_workbook
from waitlab.report._html import Section, render_page
from waitlab.report._safe import ID_COLUMNS, hash_ids, new_salt
from waitlab.schema import validate_contacts, wait_seconds

__all__ = ["ReportData", "compute_report", "write_report"]

_BREACH_COLUMNS = ("contact_id", "rule", "day", "hour", "queue", "outcome", "observed_s", "limit_s", "excess_s")


@dataclass
class ReportData:
    """Everything the report shows, computed once (the dashboard reuses it)."""

    contacts: pd.DataFrame
    kpis: dict[str, Any]
    intervals: pd.DataFrame
    hourly: pd.DataFrame
    compliance: Any
    patience: Any | None
    notes: list[str] = field(default_factory=list)
    ingest: Any | None = None


def compute_report(
    contacts: pd.DataFrame,
    *,
    ingest: Any | None = None,
    rules: str | Path = "CABA",
    seats: Seats = None,
    interval: str | pd.Timedelta | float = "30min",
    sl_threshold: float = 20.0,
) -> ReportData:
    """Compute the tables of the report (no files written).

    `interval` is the width of the per-queue interval table ("30min", a Timedelta or
    seconds; see :func:`waitlab.parse_interval`). The notes of the analytics (what could not be computed, and why) become the report's
    notes; the compliance notes stay with the compliance section.
    """
    width = parse_interval(interval)
    validate_contacts(contacts)
    kpis = summary_kpis(contacts, sl_threshold=sl_threshold)
    intervals = interval_stats(contacts, interval=width, by=["queue"], sl_threshold=sl_threshold)
    hourly = interval_stats(contacts, interval="1h", sl_threshold=sl_threshold)
    comp = check_compliance(contacts, rules=rules, seats=seats)
    notes = [*kpis.notes, *intervals.notes, *hourly.notes]
    pat: PatienceResult | None = None
    try:
        pat = patience(contacts)
        notes.extend(pat.notes)
    except ValueError as exc:  # e.g. no waits at all to learn from
        notes.append(f"patience: {exc}")
    return ReportData(contacts, kpis, intervals, hourly, comp, pat, list(dict.fromkeys(notes)), ingest)


def _kpi_cards(k: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    return [
        (t("kpi.arrivals", lang), fmt_number(k.get("arrivals"), lang, 0)),
        (t("kpi.served", lang), fmt_number(k.get("served"), lang, 0)),
        (t("kpi.abandoned", lang), fmt_number(k.get("abandoned"), lang, 0)),
        (t("report.no_show", lang), fmt_number(k.get("no_show"), lang, 0)),
        (t("kpi.wait_mean", lang), fmt_duration(k.get("wait_mean"), lang)),
        (t("kpi.wait_p90", lang), fmt_duration(k.get("wait_p90"), lang)),
        (t("kpi.wait_max", lang), fmt_duration(k.get("wait_max"), lang)),
        (t("kpi.asa", lang), fmt_duration(k.get("asa"), lang)),
        (t("kpi.mean_service", lang), fmt_duration(k.get("mean_service"), lang)),
        (t("kpi.sl_offered", lang), fmt_pct(k.get("sl_offered"), lang)),
        (t("kpi.abandon_rate", lang), fmt_pct(k.get("abandon_rate"), lang)),
    ]


def _tables(data: ReportData, salt: str | None) -> dict[str, pd.DataFrame]:
    comp = data.compliance
    sheets: dict[str, pd.DataFrame] = {
        "summary": pd.DataFrame({"kpi": list(data.kpis), "value": [data.kpis[k] for k in data.kpis]}),
        "intervals": data.intervals,
    }
    sheets.update({f"compliance_{k}": v for k, v in comp.to_frames().items()})
    if data.patience is not None and hasattr(data.patience, "to_frame"):
        sheets["patience"] = data.patience.to_frame()
    if data.ingest is not None and len(getattr(data.ingest, "quarantine", ())):
        sheets["quarantine"] = data.ingest.quarantine
    sheets["contacts"] = data.contacts
    tz = str(data.contacts["arrived_at"].dt.tz)
    sheets["notes"] = pd.DataFrame({"note": [f"times are local wall time in {tz}", *data.notes, *comp.notes]})
    if salt:
        # the quarantine: the file's own id fields too, under the file's names (each column hashed once)
        own = tuple(dict.fromkeys((*ID_COLUMNS, *getattr(data.ingest, "id_fields", ()))))
        sheets = {k: hash_ids(v, salt, own if k == "quarantine" else ID_COLUMNS) for k, v in sheets.items()}
    return sheets


def write_report(
    contacts: pd.DataFrame,
    out_dir: str | Path,
    *,
    ingest: Any | None = None,
    rules: str | Path = "CABA",
    seats: Seats = None,
    hash_ids: bool = False,
    salt: str | None = None,
    lang: str = "es",
    interval: str | pd.Timedelta | float = "30min",
    sl_threshold: float = 20.0,
) -> dict[str, Path]:
    """Write ``report.html`` and ``report.xlsx`` for `contacts` into `out_dir`.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table (from a reader or the simulator).
    out_dir : path
        Folder to write into (created when missing).
    ingest : IngestReport, optional
        The reader's report; its row accounting, notes and quarantined rows are shown.
    rules, seats
        Passed to :func:`waitlab.compliance.check_compliance` (`seats`: one count for every
        site, a mapping site -> count, or None; see :data:`waitlab.compliance.Seats`).
    hash_ids : bool
        Replace customer and contact ids by salted hashes in every table (salt random unless
        `salt` is given).
    lang : {"es", "en"}
        Language of the report.
    interval : str, Timedelta or float, default "30min"
        Width of the per-queue interval table: "30min", a Timedelta or seconds.
    sl_threshold : float, default 20.0
        Service-level target T, seconds.

    Returns
    -------
    dict
        ``{"html": path, "excel": path}``.
    """
    t("report.title", lang)  # validates lang and interval before any work
    width = parse_interval(interval)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    data = compute_report(contacts, ingest=ingest, rules=rules, seats=seats, interval=width, sl_threshold=sl_threshold)
    use_salt = (salt or new_salt()) if hash_ids else None
    sheets = _tables(data, use_salt)
    paths = {"excel": write_workbook(out / "report.xlsx", sheets)}
    html_text = render_page(t("report.title", lang), _sections(data, sheets, lang, hashed=use_salt is not None), lang,
                            footer=t("report.generated", lang))
    paths["html"] = out / "report.html"
    paths["html"].write_text(html_text, encoding="utf-8")
    return paths


def _sections(data: ReportData, sheets: dict[str, pd.DataFrame], lang: str, hashed: bool) -> list[Section]:
    c = data.contacts
    comp = data.compliance
    first, last = c["arrived_at"].min(), c["arrived_at"].max()
    summary = Section(t("report.summary", lang))
    summary.text(f"{t('report.period', lang)}: {fmt_date(first, lang)} – {fmt_date(last, lang)} ({first.tz})")
    summary.text(f"{t('report.sites', lang)}: {', '.join(sorted(c['site'].dropna().unique()))} · "
                 f"{t('report.queues', lang)}: {', '.join(sorted(c['queue'].dropna().unique()))}")
    summary.kpis(_kpi_cards(data.kpis, lang))
    if hashed:
        summary.text(t("rep.hashed", lang))
    sections = [summary]
    if data.ingest is not None:
        ing = data.ingest
        s = Section(t("report.ingest", lang)).kpis([
            (t("report.rows_read", lang), fmt_number(ing.rows_read, lang, 0)),
            (t("report.rows_used", lang), fmt_number(ing.rows_used, lang, 0)),
            (t("report.rows_quarantined", lang), fmt_number(ing.rows_quarantined, lang, 0)),
        ])
        if ing.reasons:
            s.table(pd.DataFrame({t("report.reasons", lang): list(ing.reasons), "n": list(ing.reasons.values())}))
        s.bullets(list(ing.notes))
        sections.append(s)
    hourly = figures.arrivals_vs_desks(data.hourly, lang)
    sections.append(Section(t("report.fig_arrivals", lang)).figure(figures.to_png(hourly), t("report.fig_arrivals", lang)))
    limits = [float(lim.minutes) for lim in getattr(comp.rules, "limits", [])]
    waits = figures.wait_distribution(wait_seconds(c), limits, lang)
    sections.append(Section(t("report.fig_waits", lang)).figure(figures.to_png(waits), t("report.fig_waits", lang)))
    cs = Section(f"{t('cmp.title', lang)}: {comp.rules.name}")
    cs.text(f"{t('cmp.source', lang)}: {comp.rules.source}")
    cs.figure(figures.to_png(figures.breach_heatmap(comp.breaches, lang)), t("report.fig_heatmap", lang))
    shown = {
        "compliance_daily": (t("report.breach_days", lang), None, 60),
        "compliance_summary": (t("report.breaches", lang), None, 60),
        "compliance_turn_order": (t("report.turn_order", lang), None, 30),
        "compliance_breaches": (t("report.breaches", lang), _BREACH_COLUMNS, 30),
    }
    for key, (title, cols, rows) in shown.items():
        table = sheets.get(key)
        if table is not None and len(table):
            cs.text(title)
            cs.table(table[[c for c in cols if c in table.columns]] if cols else table, max_rows=rows)
    cs.bullets(list(comp.notes))
    sections.append(cs)
    if data.patience is not None:
        ps = Section(t("report.patience", lang))
        pat = data.patience
        if pat.enough_data:  # the guarded choice (the same one the simulation draws from)
            lo, hi = pat.chosen_mean_ci
            ps.text(f"{t('report.mean_patience', lang)}: {fmt_duration(pat.chosen_mean, lang)} "
                    f"({fmt_pct(0.95, lang, 0)}: {fmt_duration(lo, lang)} – {fmt_duration(hi, lang)}; "
                    f"{t('report.patience_fit', lang, family=pat.choice)})")
            lo, hi = pat.mean_patience_ci
            ps.text(f"{t('report.patience_simple', lang)}: {fmt_duration(pat.mean_patience, lang)} "
                    f"({fmt_pct(0.95, lang, 0)}: {fmt_duration(lo, lang)} – {fmt_duration(hi, lang)})")
        else:
            ps.text(f"{t('report.mean_patience', lang)}: "
                    f"{t('report.patience_not_enough', lang, n=pat.n_exact + pat.n_left, k=pat.min_abandons)}")
        ps.figure(figures.to_png(figures.patience_curve(data.patience, lang)), t("report.fig_patience", lang))
        sections.append(ps)
    if data.notes:
        sections.append(Section(t("report.notes", lang)).bullets(data.notes))
    return sections
