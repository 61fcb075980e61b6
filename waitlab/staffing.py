"""Staffing from a log: required desks per interval (Erlang C or A) against the desks observed.

This is the bridge between the analytics of a real (or simulated) day and the queueing
models: :func:`staffing_from_log` measures arrivals and handling time per interval with
:func:`waitlab.analytics.interval_stats`, estimates patience with
:func:`waitlab.analytics.patience` when Erlang A is asked for, solves the fewest servers with
:func:`waitlab.models.staffing_plan`, and flags the intervals where fewer desks were present
than required.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from waitlab.analytics import interval_stats, patience
from waitlab.schema import service_seconds

__all__ = ["staffing_from_log"]


def staffing_from_log(
    contacts: pd.DataFrame,
    *,
    freq: str = "30min",
    by: Sequence[str] | None = None,
    mean_patience: float | str | None = "auto",
    service_level: Sequence[float] | None = None,
    asa: float | None = None,
    abandon: float | None = None,
    wait_limits: Iterable[Sequence[float]] | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> tuple[pd.DataFrame, list[str]]:
    """Required versus observed desks for every interval of a contacts table.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table.
    freq : str, default "30min"
        Interval width (a pandas offset alias).
    by : list of str, optional
        Extra grouping (e.g. ``["queue"]`` when each queue has its own desks).
    mean_patience : float, "auto" or None, default "auto"
        Mean patience in seconds for Erlang A; ``"auto"`` estimates it from the log's
        abandonments (Erlang C when the log has none); ``None`` forces Erlang C.
    service_level, asa, abandon, wait_limits, max_occupancy, shrinkage
        Targets as in :func:`waitlab.models.required_servers`.

    Returns
    -------
    plan : DataFrame
        ``interval_start``, the `by` columns, ``arrivals``, ``aht`` (s), ``load`` (erlangs),
        ``servers`` (required), ``staff`` (after shrinkage), the achieved metrics,
        ``observed_desks`` (desks present in the log), ``shortfall`` (required − observed, >= 0)
        and ``understaffed`` (observed < required).
    notes : list of str
        The model used and every estimate made (patience with its interval, interval width).
    """
    from waitlab.models import staffing_plan  # on first use: `import waitlab` does not load the models

    stats = interval_stats(contacts, freq=freq, by=list(by) if by else None)
    notes = [f"interval width {freq}; arrivals and mean handling time measured per interval from the log"]
    theta: float | None = None
    if mean_patience == "auto":
        if (contacts["outcome"] == "abandoned").any():
            pat = patience(contacts)
            if math.isfinite(pat.mean_patience):
                theta = float(pat.mean_patience)
                lo, hi = pat.mean_patience_ci
                notes.append(f"Erlang A with mean patience {theta:.0f} s estimated from the log "
                             f"(95 % CI {lo:.0f}–{hi:.0f} s)")
        if theta is None:
            notes.append("Erlang C: the log has no abandonments to estimate patience from")
    elif mean_patience is None:
        notes.append("Erlang C (no abandonment), as asked")
    else:
        theta = float(mean_patience)
        notes.append(f"Erlang A with mean patience {theta:.0f} s, as given")
    if not any(x is not None for x in (service_level, asa, abandon, wait_limits, max_occupancy)):
        service_level = (0.8, 20.0)
        notes.append("no target given: 80 % of arrivals answered within 20 s")
    interval_s = pd.Timedelta(freq).total_seconds()
    aht = _fill_aht(stats, contacts, list(by or []), notes)
    plan = staffing_plan(
        stats["arrivals"].to_numpy(dtype=float),
        aht,
        interval_s,
        mean_patience=theta,
        service_level=service_level,
        asa=asa,
        abandon=abandon,
        wait_limits=wait_limits,
        max_occupancy=max_occupancy,
        shrinkage=shrinkage,
    )
    keys = ["interval_start", *(by or [])]
    out = pd.concat([stats[keys].reset_index(drop=True), plan.reset_index(drop=True)], axis=1)
    observed = stats["desks_present"].fillna(0).to_numpy()
    out["observed_desks"] = observed
    out["shortfall"] = (out["servers"] - observed).clip(lower=0)
    out["understaffed"] = out["servers"] > observed
    return out, notes


def _fill_aht(stats: pd.DataFrame, contacts: pd.DataFrame, by: list[str], notes: list[str]) -> Any:
    """AHT per interval; where nobody was served (all abandoned) use the group's mean over the log."""
    aht = stats["aht"].astype(float).copy()
    gap = aht.isna() & (stats["arrivals"] > 0)
    if gap.any():
        service = service_seconds(contacts)
        if by:
            means = service.groupby([contacts[b] for b in by]).mean()
            keys = pd.MultiIndex.from_frame(stats.loc[gap, by]) if len(by) > 1 else stats.loc[gap, by[0]]
            aht[gap] = means.reindex(keys).to_numpy()
        aht[gap & aht.isna()] = float(service.mean())
        notes.append(f"{int(gap.sum())} interval(s) had arrivals but no completed service: their handling time "
                     "is the mean over the whole log")
    return aht.to_numpy()


def _describe(plan: pd.DataFrame) -> dict[str, Any]:
    busy = plan[plan["arrivals"] > 0]
    return {
        "intervals": len(plan),
        "intervals_with_arrivals": len(busy),
        "understaffed": int(busy["understaffed"].sum()),
        "max_shortfall": int(busy["shortfall"].max()) if len(busy) else 0,
    }
