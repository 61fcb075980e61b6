"""The report's time charts: by time of day, by weekday x hour, by day and staffing by time of day.

Time runs over business hours only: the time-of-day charts pool every day, the daily chart
leaves out the weekdays the log is never open, so no chart is mostly nights and weekends.
Every row and column of a heatmap is labelled; each series keeps its colour in both languages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import TightLayoutEngine

from waitlab._i18n import fmt_date, t
from waitlab.report._columns import weekday_names
from waitlab.report._figures import COLORS

__all__ = ["daily_trend", "profile_heatmaps", "staffing_by_slot", "time_of_day"]


def _tight() -> TightLayoutEngine:
    """Matplotlib's tight layout in one pass, as ``Figure.tight_layout()`` makes it (``rect=None``).

    The engine's default ``rect=(0, 0, 1, 1)`` measures every label twice, the second time at the
    same places, for the same margins (to rounding): the PNGs are the same, byte for byte.
    """
    return TightLayoutEngine(rect=None)  # type: ignore[arg-type]  # the stub omits None, Figure.tight_layout passes it


def _busy(tod: pd.DataFrame) -> pd.DataFrame:
    """Slots of the day carrying at least 1 % of the busiest slot's arrivals (drops stray night calls)."""
    if tod.empty:
        return tod
    return tod[tod["arrivals_per_day"] >= 0.01 * float(tod["arrivals_per_day"].max())]


def time_of_day(tod: pd.DataFrame, lang: str, unit: str, target: float, threshold_label: str) -> Figure:
    """Top: arrivals per day (bars), service level and abandonment (%); bottom: ASA and mean wait in `unit`."""
    tod = _busy(tod)
    scale = 60.0 if unit == "min" else 1.0
    x = np.arange(len(tod))
    fig = Figure(figsize=(9, 5.2), layout=_tight())
    ax, bx = fig.subplots(2, 1, sharex=True)
    ax.bar(x, tod["arrivals_per_day"], color=COLORS["arrivals"], alpha=0.35, label=t("rcol.arrivals_per_day", lang))
    ax.set_ylabel(t("rcol.arrivals_per_day", lang))
    ay = ax.twinx()
    ay.plot(x, 100 * tod["sl_offered"], color=COLORS["sl"], marker="o", ms=3,
            label=f"{t('rcol.sl', lang)} ({threshold_label})")
    ay.plot(x, 100 * tod["abandon_rate"], color=COLORS["abandon"], marker="o", ms=3, label=t("kpi.abandon_rate", lang))
    ay.axhline(100 * target, color=COLORS["sl"], linestyle="--", linewidth=1)
    ay.set_ylim(0, 105)
    ay.set_ylabel(t("rsec.share_axis", lang))
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ay.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper left", ncol=3)
    ax.set_title(t("rsec.fig_tod", lang), fontsize=10)
    bx.plot(x, tod["asa"] / scale, color=COLORS["asa"], marker="o", ms=3, label=t("rcol.asa", lang))
    bx.plot(x, tod["wait_mean"] / scale, color=COLORS["wait"], marker="o", ms=3, label=t("kpi.wait_mean", lang))
    bx.set_ylabel(t(f"rsec.unit_{unit}", lang))
    bx.set_ylim(bottom=0)
    bx.legend(fontsize=7, loc="upper left")
    step = max(1, len(x) // 24)
    bx.set_xticks(x[::step], list(tod.index[::step]), rotation=90, fontsize=7)
    bx.set_xlabel(t("rcol.slot", lang))
    return fig


def profile_heatmaps(prof: pd.DataFrame, lang: str, unit: str) -> Figure:
    """Weekday x hour: arrivals per day, service level, ASA (in `unit`) and abandonment, every cell labelled."""
    scale = 60.0 if unit == "min" else 1.0
    days = sorted(prof["weekday"].unique())
    hours = sorted(prof.loc[prof["arrivals_per_day"] >= 0.01 * prof["arrivals_per_day"].max(), "hour"].unique())
    names = weekday_names(lang)
    panels = [
        ("arrivals_per_day", 1.0, t("rcol.arrivals_per_day", lang), "Blues", "{:.0f}"),
        ("sl_offered", 0.01, t("rcol.sl", lang) + " (%)", "RdYlGn", "{:.0f}"),
        ("asa", scale, f"{t('rcol.asa', lang)} ({unit})", "Oranges", "{:.0f}" if unit == "s" else "{:.1f}"),
        ("abandon_rate", 0.01, t("kpi.abandon_rate", lang) + " (%)", "Reds", "{:.0f}"),
    ]
    fig = Figure(figsize=(10, 1.2 + 0.42 * len(days) * 2 + 1.2), layout=_tight())
    axes = fig.subplots(2, 2).ravel()
    for ax, (col, div, title, cmap, fmt) in zip(axes, panels, strict=True):
        grid = prof.pivot_table(index="weekday", columns="hour", values=col, aggfunc="first").reindex(
            index=days, columns=hours)
        values = grid.to_numpy(dtype=float) / div
        im = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=cmap)
        ax.set_yticks(range(len(days)), [names[int(d)] for d in days], fontsize=7)
        ax.set_xticks(range(len(hours)), [str(int(h)) for h in hours], fontsize=7)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(t("cmp.hour", lang), fontsize=8)
        if len(hours) <= 16:
            for (i, j), v in np.ndenumerate(values):
                if np.isfinite(v):
                    ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=6)
        fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    return fig


def daily_trend(daily: pd.DataFrame, lang: str, target: float) -> Figure:
    """Arrivals per day (bars; days without data hatched) and service level (line); closed weekdays left out."""
    d = daily[~daily["closed"]].reset_index(drop=True)
    x = np.arange(len(d))
    fig = Figure(figsize=(9, 3.6), layout=_tight())
    ax = fig.add_subplot()
    ax.bar(x, d["arrivals"], color=COLORS["arrivals"], alpha=0.5, label=t("kpi.arrivals", lang))
    miss = d.index[d["missing"]]
    top = float(d["arrivals"].max() or 1)
    if len(miss):
        ax.bar(miss, [top] * len(miss), color="none", edgecolor=COLORS["missing"], hatch="//",
               label=t("rsec.missing_mark", lang))
    ax.set_ylabel(t("kpi.arrivals", lang))
    ay = ax.twinx()
    sl = 100 * d["sl_offered"].where(d["arrivals"] > 0)
    ay.plot(x, sl, color=COLORS["sl"], marker="o", ms=3, label=t("rcol.sl", lang))
    ay.axhline(100 * target, color=COLORS["sl"], linestyle="--", linewidth=1)
    ay.set_ylim(0, 105)
    ay.set_ylabel(t("rsec.share_axis", lang))
    names = weekday_names(lang)
    labels = [f"{names[pd.Timestamp(v).day_of_week]} {fmt_date(v, lang)[:5] if lang == 'es' else fmt_date(v, lang)[5:]}"
              for v in d["day"]]
    ax.set_xticks(x, labels, rotation=90, fontsize=7)
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ay.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, fontsize=7, loc="lower left", ncol=3)
    ax.set_title(t("rsec.fig_daily", lang), fontsize=10)
    return fig


def staffing_by_slot(table: pd.DataFrame, lang: str, width_s: float) -> Figure:
    """Mean desks required and present per interval of the day, over the days with arrivals."""
    day = table["interval_start"].dt.normalize()
    active = table.groupby(day)["arrivals"].transform("sum") > 0
    tb = table[active]
    start = tb["interval_start"]
    slot = (start.dt.hour * 60 + start.dt.minute).rename("slot")
    g = tb.groupby(slot).agg(required=("desks", "mean"), present=("desks_present", "mean"), arrivals=("arrivals", "mean"))
    g = g[(g["arrivals"] > 0.01 * g["arrivals"].max()) | (g["present"] > 0)]
    x = np.arange(len(g))
    fig = Figure(figsize=(9, 3.2), layout=_tight())
    ax = fig.add_subplot()
    ax.step(x, g["required"], where="mid", color=COLORS["required"], label=t("rcol.desks_required", lang))
    ax.step(x, g["present"], where="mid", color=COLORS["present"], label=t("rcol.desks_present", lang))
    ax.fill_between(x, g["present"], g["required"], where=g["required"] > g["present"], step="mid",
                    color=COLORS["required"], alpha=0.2)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(t("stf.desks", lang))
    step = max(1, len(x) // 24)
    ax.set_xticks(x[::step], [f"{int(m) // 60:02d}:{int(m) % 60:02d}" for m in g.index[::step]], rotation=90, fontsize=7)
    ax.set_xlabel(t("rcol.slot", lang))
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(t("rsec.fig_staffing", lang), fontsize=10)
    return fig
