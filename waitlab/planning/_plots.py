"""Figures of the planning layer, drawn with matplotlib's object API (no pyplot state, no backend).

Each function returns a :class:`matplotlib.figure.Figure`; ``fig.savefig(path)`` renders it with
no display and no backend choice, and it is freed like any object (no ``plt.close``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from waitlab._i18n import fmt_pct, t  # noqa: E402

if TYPE_CHECKING:
    from waitlab.planning._curve import CostCurve

__all__ = ["curve_figure", "plan_figure"]


def curve_figure(curve: CostCurve, x: str = "desk_hours", lang: str = "en") -> Figure:
    """Breaches per day (one line per wait limit) and mean wait against the budget, with CI bars."""
    tab = curve.table
    if x == "cost" and tab["cost"].isna().all():
        x = "desk_hours"
    fig = Figure(figsize=(7.5, 6.5), layout="constrained")
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    xs = tab[x].to_numpy(dtype=float)
    order = np.argsort(xs)
    for name in curve.limits:
        col = f"breaches_per_day_{name}"
        y = tab[col].to_numpy(dtype=float)[order]
        err = np.vstack([y - tab[f"{col}_ci_low"].to_numpy(dtype=float)[order],
                         tab[f"{col}_ci_high"].to_numpy(dtype=float)[order] - y])
        ax1.errorbar(xs[order], y, yerr=np.maximum(err, 0), marker="o", capsize=3, label=name.replace("_", " "))
    ax1.set_ylabel(t("plan.breaches", lang))
    ax1.set_yscale("symlog", linthresh=0.1)
    ax1.legend(loc="upper right", fontsize=8)
    ax1.set_title(t("plan.title", lang, level=fmt_pct(0.95, lang, 0)), fontsize=10)
    y = tab["mean_wait_s"].to_numpy(dtype=float)[order] / 60
    err = np.vstack([y - tab["mean_wait_s_ci_low"].to_numpy(dtype=float)[order] / 60,
                     tab["mean_wait_s_ci_high"].to_numpy(dtype=float)[order] / 60 - y])
    ax2.errorbar(xs[order], y, yerr=np.maximum(err, 0), marker="o", capsize=3, color="tab:gray")
    ax2.set_ylabel(t("plan.mean_wait", lang))
    ax2.set_xlabel(t("plan.cost", lang) if x == "cost" else t("plan.desk_hours", lang))
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        for _, row in tab.iterrows():
            if row["label"] == curve.reference or not str(row["label"]).endswith("desk-hours"):
                ax.axvline(float(row[x]), color="tab:green" if row["label"] == curve.reference else "tab:red",
                           ls="--", lw=0.8)
                if ax is ax1:
                    ax.annotate(str(row["label"]), (float(row[x]), 1), xycoords=("data", "axes fraction"),
                                rotation=90, va="top", ha="right", fontsize=8)
    return fig


def plan_figure(labels: list[str], plans: dict[str, np.ndarray], arrivals: Any = None, lang: str = "en") -> Figure:
    """Desks per interval of several plans (steps), with the arrivals per interval as bars behind."""
    fig = Figure(figsize=(9, 4), layout="constrained")
    ax = fig.subplots()
    x = np.arange(len(labels))
    if arrivals is not None:
        ax2 = ax.twinx()
        ax2.bar(x, np.asarray(arrivals, dtype=float), color="tab:blue", alpha=0.15, width=1.0)
        ax2.set_ylabel(t("plan.arrivals", lang))
    for name, p in plans.items():
        ax.step(x, p, where="mid", label=name, lw=1.8)
    ax.set_ylabel(t("plan.desks", lang))
    step = max(1, len(labels) // 12)
    ax.set_xticks(x[::step], [labels[i] for i in range(0, len(labels), step)], rotation=45, fontsize=8)
    ax.set_xlabel(t("plan.time", lang))
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    return fig
