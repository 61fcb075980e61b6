"""The backtest's picture: observed and predicted KPIs by hour of day (matplotlib object API, no backend)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from waitlab._i18n import t
from waitlab.exceptions import ArgumentError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from waitlab._backtest import ModelBacktestResult

__all__ = ["backtest_figure", "by_hour", "kpi_label"]

_COLOURS = {"erlang_c": "tab:orange", "erlang_a": "tab:blue", "simulation": "tab:green"}


def by_hour(result: ModelBacktestResult, kpi: str) -> pd.DataFrame:
    """``hour``, ``observed`` and one column per model: means over the test cells of each hour of day.

    Observed is the mean over the cells any model was scored on (each model's own cells can
    differ: Erlang C leaves unstable hours out)."""
    tab = result.table
    kpis = list(dict.fromkeys(tab["kpi"]))
    if kpi not in kpis:
        raise ArgumentError(f"`kpi` must be one of {', '.join(kpis)}, got {kpi!r}.")
    k = tab[tab["kpi"] == kpi].assign(hour=pd.to_datetime(tab["interval_start"]).dt.hour)
    first = k[k["model"] == k["model"].iloc[0]]
    out = first.groupby("hour")["observed"].mean().to_frame()
    for model, g in k.groupby("model", sort=False):
        out[str(model)] = g.groupby("hour")["predicted"].mean()
    return out.reset_index()


def backtest_figure(result: ModelBacktestResult, kpi: str = "abandon", lang: str = "en") -> Figure:
    """Observed `kpi` by hour of day (black) and each model's prediction (one line each)."""
    from matplotlib.figure import Figure

    h = by_hour(result, kpi)
    secs = result.in_seconds(kpi)  # seconds; the other KPIs are shares, drawn in %
    fig = Figure(figsize=(7.5, 4.0), layout="constrained")
    ax = fig.subplots()
    x = h["hour"].to_numpy(dtype=float)
    ax.plot(x, h["observed"].to_numpy(dtype=float) * (1 if secs else 100), color="black", marker="o", lw=2,
            label=t("backtest.observed", lang))
    for model in [c for c in h.columns if c not in ("hour", "observed")]:
        ax.plot(x, h[model].to_numpy(dtype=float) * (1 if secs else 100), marker=".",
                color=_COLOURS.get(model), label=t(f"backtest.model_{model}", lang))
    ax.set_xlabel(t("backtest.hour", lang))
    ax.set_ylabel(t("backtest.unit_s" if secs else "backtest.unit_pct", lang, kpi=kpi_label(kpi, lang)))
    ax.set_title(t("backtest.figure_title", lang, kpi=kpi_label(kpi, lang)), fontsize=10)
    ax.set_xticks(np.unique(x))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def kpi_label(kpi: str, lang: str = "en") -> str:
    """The KPI's name in `lang` (``sl_20`` -> "service level (20 s)")."""
    if kpi.startswith("sl_"):
        return t("backtest.kpi_sl", lang, threshold=kpi[3:])
    return t(f"backtest.kpi_{kpi}", lang)
