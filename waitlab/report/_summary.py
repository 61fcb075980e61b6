"""The report's opening: what happened, was it legal, what staffing would fix it, in plain sentences."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from waitlab._i18n import fmt_date, fmt_duration, fmt_int, fmt_number, fmt_pct, t
from waitlab.report._compute import ReportData

__all__ = ["headline", "sentences", "width_label"]


def width_label(seconds: float, lang: str) -> str:
    """An interval width as shown: ``30 min``, ``1 h``."""
    return f"{fmt_number(seconds / 3600, lang, 0)} h" if seconds % 3600 == 0 else f"{fmt_number(seconds / 60, lang, 0)} min"


def headline(data: ReportData) -> float:
    """Mean patience as reported (s): the chosen fit, or the simple estimate when the fit is implausible."""
    pat = data.patience
    if pat is None or not pat.enough_data:
        return math.nan
    return float(pat.mean_patience if data.patience_simple else pat.chosen_mean)


def _what(data: ReportData, lang: str) -> list[str]:
    c, k = data.contacts, data.kpis
    n = int(k.get("arrivals") or 0)
    left = int(k.get("abandoned") or 0) + int(k.get("no_show") or 0)
    served = int(k.get("served") or 0)
    sites = ", ".join(sorted(str(s) for s in c["site"].dropna().unique())) or "–"
    out = [t("rsum.what", lang, start=fmt_date(c["arrived_at"].min(), lang), end=fmt_date(c["arrived_at"].max(), lang),
             n=fmt_int(n, lang), sites=sites, served=fmt_int(served, lang), served_share=fmt_pct(served / n if n else None, lang),
             left=fmt_int(left, lang), left_share=fmt_pct(left / n if n else None, lang))]
    d = data.defaults
    sl = k.get("sl_offered")
    if sl is not None and sl == sl:
        key = "rsum.sl_met" if sl >= d.sl_share else "rsum.sl_missed"
        out.append(t(key, lang, sl=fmt_pct(sl, lang), s=fmt_duration(d.sl_threshold, lang), target=fmt_pct(d.sl_share, lang, 0)))
    out.append(t("rsum.waits", lang, asa=fmt_duration(k.get("asa"), lang), max=fmt_duration(k.get("wait_max"), lang)))
    tod = data.time_of_day
    if len(tod):
        busy = tod[tod["arrivals_per_day"] >= 0.25 * tod["arrivals_per_day"].max()]
        if len(busy) and busy["sl_offered"].notna().any():
            worst = busy["sl_offered"].idxmin()
            out.append(t("rsum.worst_slot", lang, slot=str(worst), sl=fmt_pct(busy.loc[worst, "sl_offered"], lang),
                         wait=fmt_duration(busy.loc[worst, "wait_mean"], lang)))
    return out


def _legal(data: ReportData, lang: str) -> list[str]:
    comp = data.compliance
    if comp is None:
        return [t("rsum.legal_none", lang)] if data.defaults.channel == "phone" else []
    name = data.defaults.rules_name or ""
    days = len(comp.daily)
    if comp.compliant:
        return [t("rsum.legal_ok", lang, name=name, days=fmt_int(days, lang))]
    daily = comp.daily
    bad = int(daily["breached"].sum()) if "breached" in daily else 0
    worst = daily.sort_values("breaching", ascending=False, kind="stable").iloc[0] if days else None
    n = comp.breaching_contacts
    return [t("rsum.legal_bad", lang, n=fmt_int(n, lang), share=fmt_pct(n / max(comp.n_contacts, 1), lang), name=name,
              bad=fmt_int(bad, lang), days=fmt_int(days, lang),
              worst=fmt_date(worst["day"], lang) if worst is not None else "–",
              worst_n=fmt_int(worst["breaching"], lang) if worst is not None else "–")]


def staffing_numbers(plan: Any) -> dict[str, float]:
    """Desk-hours required, present and short, and interval counts, from a StaffingResult."""
    tb: pd.DataFrame = plan.table
    hours = plan.interval / 3600.0
    busy = tb[tb["arrivals"] > 0]
    return {
        "required": float(tb["desks"].sum() * hours),
        "present": float(tb["desks_present"].sum() * hours),
        "short": float(tb["shortfall"].sum() * hours),
        "busy": len(busy),
        "under": int(busy["understaffed"].sum()),
        "max": int(busy["shortfall"].max()) if len(busy) else 0,
    }


def _staffing(data: ReportData, lang: str) -> list[str]:
    plan = data.staffing
    if plan is None:
        return []
    s = staffing_numbers(plan)
    req, obs = fmt_number(s["required"], lang, 0), fmt_number(s["present"], lang, 0)
    if s["under"]:
        line = t("rsum.staff_short", lang, req=req, obs=obs, short=fmt_int(s["under"], lang), busy=fmt_int(s["busy"], lang),
                 max=fmt_int(s["max"], lang), add=fmt_number(s["short"], lang, 0))
    else:
        line = t("rsum.staff_ok", lang, req=req, obs=obs)
    method = t("rsum.staff_method", lang, model=t(f"stf.{plan.model}", lang), width=width_label(plan.interval, lang))
    return [line, method]


def sentences(data: ReportData, lang: str) -> list[str]:
    """The plain-words summary of one channel's data, in `lang`."""
    if len(data.contacts) == 0:
        return [t("common.empty", lang)]
    out = _what(data, lang) + _legal(data, lang) + _staffing(data, lang)
    mean = headline(data)
    if math.isfinite(mean):
        out.append(t("rsum.patience", lang, mean=fmt_duration(mean, lang)))
    return out
