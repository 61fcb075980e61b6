"""The HTML sections and Excel sheets of one channel's report, every table localised."""

from __future__ import annotations

from typing import Any

import pandas as pd

from waitlab._i18n import fmt_date, fmt_duration, fmt_int, fmt_pct, note_text, reason_text, strings, t
from waitlab.report import _charts as charts
from waitlab.report import _figures as figures
from waitlab.report._columns import Table, localise, weekday_names
from waitlab.report._compute import ReportData
from waitlab.report._html import Section
from waitlab.report._summary import headline, sentences, width_label
from waitlab.schema import wait_seconds

__all__ = ["KPI_COLS", "kpi_cards", "sections", "sheets"]

KPI_COLS = ["arrivals", "served", "abandon_rate", "sl_offered", "asa", "wait_mean", "wait_p90", "wait_max", "mean_service"]
_SLOT_COLS = ["slot", "arrivals_per_day", "sl_offered", "asa", "wait_mean", "wait_p90", "abandon_rate"]
_POOLED_DROP = ["span_s", "waiting_mean", "waiting_max", "desks_present", "desks_on_duty", "desks_busy",
                "occupancy"]  # time-weighted: not per slot
_DAY_COLS = ["day", "weekday", "arrivals", "served", "sl_offered", "asa", "wait_mean", "abandon_rate", "missing"]
_BREACH_COLS = ["contact_id", "rule", "day", "hour", "queue", "outcome", "observed_s", "limit_s", "excess_s"]
_TURN_COLS = ["day", "queue", "ticket", "arrived_at", "called_at", "overtaken_ticket", "overtaken_arrived_at", "delay_s"]
_STAFF_COLS = ["interval_start", "queue", "arrivals", "mean_service", "load", "desks", "desks_present", "desks_on_duty",
               "shortfall", "service_level", "asa", "prob_abandon", "occupancy", "understaffed"]


def _family(name: str, lang: str) -> str:
    """A fitted distribution's name in `lang` (exponential -> exponencial)."""
    return t(f"family.{name}", lang) if f"family.{name}" in strings() else name


def kpi_cards(data: ReportData, lang: str) -> list[tuple[str, str]]:
    k, d = data.kpis, data.defaults
    return [
        (t("kpi.arrivals", lang), fmt_int(k.get("arrivals"), lang)),
        (t("kpi.served", lang), fmt_int(k.get("served"), lang)),
        (t("kpi.abandoned", lang), fmt_int(k.get("abandoned"), lang)),
        (t("report.no_show", lang), fmt_int(k.get("no_show"), lang)),
        (t("kpi.sl", lang, s=fmt_duration(d.sl_threshold, lang)), fmt_pct(k.get("sl_offered"), lang)),
        (t("kpi.asa", lang), fmt_duration(k.get("asa"), lang)),
        (t("kpi.abandon_rate", lang), fmt_pct(k.get("abandon_rate"), lang)),
        (t("kpi.wait_mean", lang), fmt_duration(k.get("wait_mean"), lang)),
        (t("kpi.wait_p90", lang), fmt_duration(k.get("wait_p90"), lang)),
        (t("kpi.wait_max", lang), fmt_duration(k.get("wait_max"), lang)),
        (t("kpi.mean_service", lang), fmt_duration(k.get("mean_service"), lang)),
    ]


def _daily(data: ReportData, lang: str) -> pd.DataFrame:
    d = data.daily.copy()
    names = weekday_names(lang)
    d["weekday"] = [names[pd.Timestamp(v).day_of_week] for v in d["day"]]
    return d[~d["closed"]]


def _tod(data: ReportData) -> pd.DataFrame:
    tod = data.time_of_day
    return tod[tod["arrivals_per_day"] >= 0.01 * tod["arrivals_per_day"].max()] if len(tod) else tod


def sections(data: ReportData, lang: str, hashed: bool, raw: dict[str, pd.DataFrame] | None = None) -> list[Section]:
    """The sections of one channel (no channel heading); `raw` holds the (maybe hashed) id-bearing tables."""
    d, c, unit = data.defaults, data.contacts, data.defaults.time_unit
    first, last = c["arrived_at"].min(), c["arrived_at"].max()
    top = Section(t("rsum.title", lang)).lead(sentences(data, lang))
    top.text(f"{t('report.period', lang)}: {fmt_date(first, lang)} – {fmt_date(last, lang)} ({first.tz})")
    top.kpis(kpi_cards(data, lang))
    if hashed:
        top.text(t("rep.hashed", lang))
    out = [top, Section(t("rsec.defaults", lang)).bullets(list(d.sentences(lang)))]
    if len(c) == 0:
        return out
    if len(data.by_site) > 1:
        out.append(Section(t("rsec.kpis_site", lang)).ltable(localise(data.by_site, lang, unit, ["site", *KPI_COLS], True)))
    out.append(Section(t("rsec.kpis_queue", lang)).ltable(localise(data.by_queue, lang, unit, ["queue", *KPI_COLS], True)))
    width = width_label(data.interval, lang)
    s = Section(t("rsec.by_interval", lang, width=width))
    s.figure(figures.to_png(charts.time_of_day(data.time_of_day, lang, unit, d.sl_share, fmt_duration(d.sl_threshold, lang))),
             t("rsec.fig_tod", lang))
    s.text(t("rsec.by_interval_help", lang)).ltable(localise(_tod(data), lang, unit, _SLOT_COLS, True), max_rows=60)
    out.append(s)
    out.append(Section(t("rsec.profile", lang)).text(t("rsec.profile_help", lang))
               .figure(figures.to_png(charts.profile_heatmaps(data.profile, lang, unit)), t("rsec.fig_profile", lang)))
    out.append(_daily_section(data, lang))
    limits = [float(lim.minutes) for lim in getattr(getattr(data.compliance, "rules", None), "limits", [])]
    waits = figures.wait_distribution(wait_seconds(c), limits, lang, unit=unit, threshold_s=d.sl_threshold)
    out.append(Section(t("report.fig_waits", lang)).figure(figures.to_png(waits), t("report.fig_waits", lang)))
    if data.compliance is not None:
        out.append(_compliance(data, lang, raw or {}))
    out.append(_staffing(data, lang))
    out.append(_patience(data, lang))
    out.append(_quality(data, lang))
    return out


def _daily_section(data: ReportData, lang: str) -> Section:
    s = Section(t("rsec.daily", lang))
    s.figure(figures.to_png(charts.daily_trend(data.daily, lang, data.defaults.sl_share)), t("rsec.fig_daily", lang))
    miss = data.daily[data.daily["missing"]]
    s.text(t("rsec.missing_days", lang, days=", ".join(fmt_date(v, lang) for v in miss["day"])) if len(miss)
           else t("rsec.no_missing", lang))
    closed = data.daily[data.daily["closed"]]
    if len(closed):
        names = weekday_names(lang)
        dows = sorted({pd.Timestamp(v).day_of_week for v in closed["day"]})
        s.text(t("rsec.closed_days", lang, days=", ".join(names[i] for i in dows)))
    s.ltable(localise(_daily(data, lang), lang, data.defaults.time_unit, _DAY_COLS), max_rows=62)
    return s


def _compliance(data: ReportData, lang: str, raw: dict[str, pd.DataFrame]) -> Section:
    comp: Any = data.compliance
    name = data.defaults.rules_name
    s = Section(f"{t('cmp.title', lang)}: {name}")
    desc = comp.rules.text("description", lang)  # the rule set's own texts in the report's language
    s.text(comp.rules.text("jurisdiction", lang) + (f". {desc}" if desc else ""))
    s.text(f"{t('cmp.source', lang)}: {comp.rules.text('source', lang)}")
    if comp.compliant:
        s.text(t("rsec.compliance_ok", lang, name=name))
        detail = Section("", collapsed=t("rsec.compliance_detail", lang))
    else:
        detail = s
        s.figure(figures.to_png(figures.breach_heatmap(comp.breaches, lang)), t("report.fig_heatmap", lang))
    detail.ltable(localise(comp.daily, lang, "min"), max_rows=62)
    breaches, turns = raw.get("breaches", comp.breaches), raw.get("turn_order", comp.turn_order)
    if len(breaches):
        detail.text(t("report.breaches", lang)).ltable(localise(breaches, lang, "min", _BREACH_COLS), max_rows=30)
    if len(turns):
        detail.text(t("report.turn_order", lang)).ltable(localise(turns, lang, "min", _TURN_COLS), max_rows=30)
    detail.bullets([note_text(n, lang) for n in comp.notes])
    if detail is not s:
        s.blocks.append(("raw", detail))
    return s


def _staffing(data: ReportData, lang: str) -> Section:
    s = Section(t("rsec.staffing", lang))
    plan = data.staffing
    if plan is None:
        return s.text(t("rsec.staffing_none", lang))
    d = data.defaults
    target = f"{fmt_pct(d.sl_share, lang, 0)} ≤ {fmt_duration(d.sl_threshold, lang)}"
    s.text(t("rsec.staffing_help", lang, target=target, model=t(f"stf.{plan.model}", lang)))
    s.figure(figures.to_png(charts.staffing_by_slot(plan.table, lang, plan.interval)), t("rsec.fig_staffing", lang))
    return s


def _patience(data: ReportData, lang: str) -> Section:
    s = Section(t("report.patience", lang))
    pat = data.patience
    if pat is None:
        return s.text(t("rsec.patience_none", lang))
    if not pat.enough_data:
        s.text(f"{t('report.mean_patience', lang)}: "
               f"{t('report.patience_not_enough', lang, n=pat.n_exact + pat.n_left, k=pat.min_abandons)}")
    elif data.patience_simple:
        longest = float(wait_seconds(data.contacts).max())
        s.text(t("rsec.patience_simple", lang, fit=fmt_duration(pat.chosen_mean, lang),
                 longest=fmt_duration(longest, lang), simple=fmt_duration(headline(data), lang)))
    else:
        lo, hi = pat.chosen_mean_ci
        s.text(t("rsec.patience_fit", lang, mean=fmt_duration(pat.chosen_mean, lang), lo=fmt_duration(lo, lang),
                 hi=fmt_duration(hi, lang)) + " " + t("report.patience_fit", lang, family=_family(pat.choice, lang)) + ".")
        lo, hi = pat.mean_patience_ci  # the simple estimate, always beside the chosen fit
        s.text(f"{t('report.patience_simple', lang)}: {fmt_duration(pat.mean_patience, lang)} "
               f"({fmt_duration(lo, lang)} – {fmt_duration(hi, lang)}).")
    s.figure(figures.to_png(figures.patience_curve(pat, lang)), t("report.fig_patience", lang))
    return s


def _quality(data: ReportData, lang: str) -> Section:
    s = Section(t("rsec.quality", lang))
    ing = data.ingest
    if ing is not None:
        s.kpis([(t("report.rows_read", lang), fmt_int(ing.rows_read, lang)),
                (t("report.rows_used", lang), fmt_int(ing.rows_used, lang)),
                (t("report.rows_quarantined", lang), fmt_int(ing.rows_quarantined, lang))])
        if ing.reasons:
            s.ltable(localise(pd.DataFrame({"reason": [reason_text(r, lang) for r in ing.reasons],
                                            "count": list(ing.reasons.values())}), lang))
        elif not ing.rows_quarantined:
            s.text(t("rsec.quality_ok", lang))
        s.bullets([note_text(n, lang) for n in ing.notes])
    s.text(t("rsec.tz", lang, tz=str(data.contacts["arrived_at"].dt.tz)))
    if data.notes:
        s.text(t("report.notes", lang)).bullets([note_text(n, lang) for n in data.notes])
    return s


def sheets(data: ReportData, lang: str, raw: dict[str, pd.DataFrame], prefix: str = "") -> dict[str, Table]:
    """The workbook's sheets of one channel, localised; `raw` holds the (maybe hashed) id-bearing tables."""
    d, unit = data.defaults, data.defaults.time_unit
    name = {k: prefix + t(f"rsec.sheet_{k}", lang) for k in (
        "summary", "defaults", "site", "queue", "tod", "profile", "daily", "intervals", "intervals_queue", "cmp_daily",
        "breaches", "turn", "staffing", "patience", "quarantine", "contacts", "notes")}
    cards = kpi_cards(data, lang)
    out: dict[str, Table] = {
        name["summary"]: Table(pd.DataFrame({t("col.kpi", lang): [t("rsum.title", lang)] + [k for k, _ in cards],
                                             t("col.value", lang): [" ".join(sentences(data, lang))] + [v for _, v in cards]}),
                               ["text", "text"]),
        name["defaults"]: Table(pd.DataFrame({t("rcol.setting", lang): list(d.sentences(lang))}), ["text"]),
    }
    if len(data.contacts):
        if len(data.by_site):
            out[name["site"]] = localise(data.by_site.drop(columns=["span_s"], errors="ignore"), lang, unit, index=True)
        out[name["queue"]] = localise(data.by_queue.drop(columns=["span_s"], errors="ignore"), lang, unit, index=True)
        out[name["tod"]] = localise(data.time_of_day.drop(columns=_POOLED_DROP, errors="ignore"), lang, unit, index=True)
        prof = data.profile.copy()
        prof["weekday"] = [weekday_names(lang)[int(i)] for i in prof["weekday"]]
        out[name["profile"]] = localise(prof.drop(columns=_POOLED_DROP, errors="ignore"), lang, unit,
                                        ["weekday", "hour", *[c for c in prof.columns if c not in ("weekday", "hour", *_POOLED_DROP)]])
        out[name["daily"]] = localise(_daily(data, lang).drop(columns=["closed"]), lang, unit,
                                      ["day", "weekday", *[c for c in data.daily.columns if c not in ("day", "closed")]])
        for key, tb in (("intervals", data.intervals), ("intervals_queue", data.intervals_by_queue)):
            keep = tb["arrivals"] > 0
            if key == "intervals":  # the whole log: also the open intervals nobody came in
                keep |= tb["desks_present"].fillna(0) > 0
            busy = tb[keep]
            out[name[key]] = localise(busy, lang, unit)
    comp = data.compliance
    if comp is not None:
        out[name["cmp_daily"]] = localise(comp.daily, lang, "min")
        out[name["breaches"]] = localise(raw["breaches"], lang, "min")
        if len(comp.turn_order):
            out[name["turn"]] = localise(raw["turn_order"], lang, "min")
    if data.staffing is not None:
        out[name["staffing"]] = localise(data.staffing.table, lang, unit, _STAFF_COLS)
    if data.patience is not None:
        pf = data.patience.to_frame().drop(columns=["params", "loglik"], errors="ignore")
        out[name["patience"]] = localise(pf, lang, unit)
    if "quarantine" in raw and len(raw["quarantine"]):
        q = raw["quarantine"]  # line and reason are waitlab's; the rest are the file's own fields, as written
        out[name["quarantine"]] = localise(q, lang, unit, verbatim=tuple(c for c in q.columns if c not in ("line", "reason")))
    if "contacts" in raw:
        out[name["contacts"]] = localise(raw["contacts"], lang, unit)
    notes = [t("rsec.tz", lang, tz=str(data.contacts["arrived_at"].dt.tz)),
             *(note_text(n, lang) for n in (*data.notes, *(comp.notes if comp is not None else ())))]
    out[name["notes"]] = Table(pd.DataFrame({t("rcol.note", lang): notes}), ["text"])
    return out

