"""Staffing from a log: required desks per interval (Erlang C or A) against the desks observed.

This is the bridge between the analytics of a real (or simulated) day and the queueing
models: :func:`staffing_from_log` measures arrivals, handling time and desks on duty per
interval with :func:`waitlab.analytics.interval_stats`, estimates patience with
:func:`waitlab.analytics.patience` (its simple estimate) when Erlang A is asked for, solves the fewest desks with
:func:`waitlab.models.staffing_plan`, and flags the intervals where fewer desks were on duty
(time average over the interval) than required. The CLI (``waitlab staff``), the dashboard's Staffing page and the demo all call
it, so they give the same plan for the same log and options.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from waitlab._clock import parse_interval
from waitlab.analytics import interval_stats
from waitlab.analytics._patience import simple_mean_patience
from waitlab.analytics.kpis import ON_DUTY_DEFAULT
from waitlab.exceptions import ModelInputError
from waitlab.schema import service_seconds
from waitlab.targets import Target

__all__ = ["StaffingResult", "staffing_from_log"]

#: The target used when none is given: 80 % of arrivals answered within 20 s.
DEFAULT_TARGET = Target.service_level(20.0, 0.8)


@dataclass(frozen=True, eq=False)
class StaffingResult:
    """What :func:`staffing_from_log` found: the plan per interval and every assumption behind it.

    Attributes
    ----------
    table : DataFrame
        One row per interval (and `by` group): ``interval_start``, the `by` columns,
        ``arrivals``, ``mean_service`` (s, after filling), ``load`` (erlangs), ``desks`` (required),
        ``staff`` (after shrinkage), the achieved ``prob_wait``, ``asa``, ``prob_abandon``,
        ``occupancy``, ``service_level`` / ``p_wait_gt_<limit>s`` for the targets,
        ``desks_present`` (desks seen serving in the interval, as before), ``desks_on_duty``
        (time-average desks on duty, :func:`waitlab.analytics.kpis.desks_on_duty`, default
        estimator), ``shortfall`` (whole desks to add: required - on duty rounded up, >= 0) and
        ``understaffed`` (on duty < required).
    notes : tuple of str
        The model, the patience estimate, the handling-time fills, the default target and every
        other assumption made, in plain sentences.
    model : {"erlang_a", "erlang_c"}
        The queueing model used.
    mean_patience : float or None
        Mean patience used by Erlang A, seconds (None for Erlang C).
    targets : tuple of Target
        The targets every interval was staffed for (the default one if none was given).
    interval : float
        Interval width, seconds.
    """

    table: pd.DataFrame
    notes: tuple[str, ...]
    model: Literal["erlang_a", "erlang_c"]
    mean_patience: float | None
    targets: tuple[Target, ...]
    interval: float

    def summary(self) -> dict[str, int]:
        """Counts over the intervals with arrivals: intervals, understaffed ones, largest shortfall."""
        busy = self.table[self.table["arrivals"] > 0]
        return {
            "intervals": len(self.table),
            "intervals_with_arrivals": len(busy),
            "understaffed": int(busy["understaffed"].sum()),
            "max_shortfall": int(busy["shortfall"].max()) if len(busy) else 0,  # whole desks
        }

    def to_dict(self) -> dict[str, Any]:
        """The summary, model, patience, targets and notes as plain (JSON-ready) values."""
        return {
            **self.summary(),
            "model": self.model,
            "mean_patience": self.mean_patience,
            "interval": self.interval,
            "targets": [t.describe() for t in self.targets],
            "notes": list(self.notes),
        }

    def __str__(self) -> str:
        d = self.summary()
        lines = [f"- {n}" for n in self.notes]
        lines.append(f"{d['intervals_with_arrivals']} intervals with arrivals; {d['understaffed']} understaffed "
                     f"(largest shortfall {d['max_shortfall']} desks)")
        plan = self.table
        worst = plan[plan["understaffed"]].sort_values("shortfall", ascending=False, kind="stable").head(10)
        if len(worst):
            cols = [c for c in ("interval_start", "queue", "arrivals", "mean_service", "desks", "desks_present",
                                 "desks_on_duty", "shortfall")
                    if c in worst.columns]
            lines.append(worst[cols].to_string(index=False))
        return "\n".join(lines)


def staffing_from_log(
    contacts: pd.DataFrame,
    *,
    targets: Target | Sequence[Target] | None = None,
    interval: str | pd.Timedelta | float = "30min",
    by: Sequence[str] | None = None,
    mean_patience: float | str | None = "auto",
    service_time: Literal["interval", "period"] = "interval",
    service_fill: Literal["group", "period"] = "group",
    shrinkage: float = 0.0,
    on_duty: str = ON_DUTY_DEFAULT,
    sessions: pd.DataFrame | None = None,
) -> StaffingResult:
    """Required versus observed desks for every interval of a contacts table.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table.
    targets : Target or sequence of Target, optional
        What every interval must meet (see :class:`waitlab.Target`); default 80 % answered
        within 20 s (a note says so).
    interval : str, Timedelta or float, default "30min"
        Interval width: "30min", a Timedelta or seconds (see :func:`waitlab.parse_interval`).
    by : list of str, optional
        Extra grouping (e.g. ``["queue"]`` when each queue has its own desks).
    mean_patience : float, "auto" or None, default "auto"
        Mean patience in seconds for Erlang A; ``"auto"`` estimates it from the log's
        abandonments and no-shows (Erlang C when nobody left); ``None`` forces Erlang C.
    service_time : {"interval", "period"}, default "interval"
        Handling time of each interval: the one measured in it (``"interval"``; the long-run
        mean below where nobody completed a service), or the long-run mean in every interval
        (``"period"``).
    service_fill : {"group", "period"}, default "group"
        The long-run mean handling time: that of the interval's `by` group over the whole log
        (``"group"``), or that of the whole log whatever the group (``"period"``). Without `by`
        both are the mean over the whole log.
    shrinkage : float, default 0.0
        Share of paid time not available for service, in [0, 1).

    on_duty : {"available", "gaps", "presence", "log"}, default "available"
        How the desks on duty the verdict compares with are measured
        (:func:`waitlab.interval_stats`); ``"log"`` takes `sessions`.
    sessions : DataFrame, optional
        ``report.agent_sessions`` of an Asterisk ``queue_log``, for ``on_duty="log"``.

    Returns
    -------
    StaffingResult
        ``.table`` (the plan per interval), ``.notes``, ``.model``, ``.mean_patience``,
        ``.targets`` and ``.interval`` (seconds); ``str(result)`` is the text ``waitlab staff`` prints.

    Raises
    ------
    ModelInputError
        Bad options, no completed service in the log to measure handling time from, or any
        problem :func:`waitlab.models.staffing_plan` reports.
    """
    from waitlab.models import staffing_plan  # on first use: `import waitlab` does not load the models

    width = parse_interval(interval)
    if service_time not in ("interval", "period"):
        raise ModelInputError(f"`service_time` must be 'interval' or 'period', got {service_time!r}.")
    if service_fill not in ("group", "period"):
        raise ModelInputError(f"`service_fill` must be 'group' or 'period', got {service_fill!r}.")
    keys_by = list(by or [])
    stats = interval_stats(contacts, interval=width, by=keys_by or None, on_duty=on_duty, sessions=sessions)
    notes = [f"interval width {width / 60:g} min; arrivals measured per interval from the log"]
    notes += list(stats.notes)
    theta = _patience(contacts, mean_patience, notes)
    if targets is None:
        goal: tuple[Target, ...] = (DEFAULT_TARGET,)
        notes.append("no target given: 80 % of arrivals answered within 20 s")
    else:
        goal = (targets,) if isinstance(targets, Target) else tuple(targets)
    notes += _target_notes(goal)
    handle = _handling_times(stats, contacts, keys_by, service_time, service_fill, notes)
    day_arrivals = None
    if any(t.metric == "day_any_wait_over" for t in goal):
        per_day = stats.groupby([stats["interval_start"].dt.normalize(), *(stats[b] for b in keys_by)],
                                observed=True, dropna=False)["arrivals"].sum()
        day_arrivals = float(per_day.max()) if len(per_day) else 0.0
        notes.append(f"any-wait-in-a-day targets use the busiest day's {day_arrivals:.0f} arrivals: each interval "
                     "gets P(wait > limit) <= bound / arrivals (a union bound)")
    plan = staffing_plan(
        pd.Series(stats["arrivals"].to_numpy(dtype=float), index=pd.Index(stats["interval_start"])),  # errors name times
        handle,
        width,
        targets=goal,
        mean_patience=theta,
        day_arrivals=day_arrivals,
        shrinkage=shrinkage,
    )
    keys = ["interval_start", *keys_by]
    out = pd.concat([stats[keys].reset_index(drop=True), plan.reset_index(drop=True)], axis=1)
    out["desks_present"] = stats["desks_present"].fillna(0).to_numpy()
    on_duty = stats["desks_on_duty"].fillna(0).to_numpy(dtype=float)
    out["desks_on_duty"] = on_duty
    gap = out["desks"].to_numpy(dtype=float) - on_duty
    out["shortfall"] = np.ceil(np.round(gap, 9)).clip(min=0).astype(np.int64)  # whole desks to add
    out["understaffed"] = out["shortfall"] > 0
    notes.append("verdict: an interval is understaffed when the desks on duty (time average over the interval, "
                 "desks_on_duty) are fewer than the desks required; shortfall = required - on duty, rounded up "
                 "to whole desks; desks_present (desks seen serving in the interval) is shown but not used")
    return StaffingResult(out, tuple(notes), "erlang_c" if theta is None else "erlang_a", theta, goal, width)


def _patience(contacts: pd.DataFrame, mean_patience: float | str | None, notes: list[str]) -> float | None:
    """Mean patience for Erlang A (None: Erlang C), with a note saying where it came from."""
    if mean_patience is None:
        notes.append("Erlang C (no abandonment), as asked")
        return None
    if isinstance(mean_patience, str):
        if mean_patience != "auto":
            from waitlab.models import ModelInputError

            raise ModelInputError(f"`mean_patience` must be seconds, 'auto' or None, got {mean_patience!r}.")
        if contacts["outcome"].isin(["abandoned", "no_show"]).any():
            mean, (lo, hi) = simple_mean_patience(contacts)  # patience(contacts).mean_patience, without the fits
            if math.isfinite(mean):
                notes.append(f"Erlang A with mean patience {mean:.0f} s estimated from the log "
                             f"(95 % CI {lo:.0f}–{hi:.0f} s)")
                return float(mean)
        notes.append("Erlang C: the log has no abandonments to estimate patience from")
        return None
    notes.append(f"Erlang A with mean patience {float(mean_patience):.0f} s, as given")
    return float(mean_patience)


def _target_notes(targets: tuple[Target, ...]) -> list[str]:
    """How a stationary model reads targets that are not per interval of the whole wait."""
    notes = [f"target: {t.describe()}" for t in targets]
    for t in targets:
        if t.measure == "seated":
            notes.append(f"target {t.name} skipped: a stationary model has no seats, so no seated time")
        elif t.measure == "standing":
            notes.append(f"target {t.name}: standing time taken as the whole wait (no seats in the model)")
        if t.per == "day" and t.metric != "day_any_wait_over":
            notes.append(f"target {t.name} is per day: asked of every interval (stricter, and enough)")
    return notes


def _handling_times(stats: pd.DataFrame, contacts: pd.DataFrame, by: list[str], service_time: str, service_fill: str,
                    notes: list[str]) -> Any:
    """AHT per interval: measured (``service_time="interval"``) or long-run (``"period"``), gaps filled (see `service_fill`)."""
    from waitlab.models import ModelInputError

    service = service_seconds(contacts)
    overall = float(service.mean())
    if not (math.isfinite(overall) and overall > 0):
        raise ModelInputError("the log has no completed service of positive length (started_at before ended_at) to "
                              "measure the handling time from; staffing needs at least one such served contact.")
    long_run = pd.Series(overall, index=stats.index)
    if service_fill == "group" and by:
        means = service.groupby([contacts[b] for b in by], observed=True).mean()
        keys = pd.MultiIndex.from_frame(stats[by]) if len(by) > 1 else pd.Index(stats[by[0]])
        long_run = pd.Series(means.reindex(keys).to_numpy(dtype=float), index=stats.index)
        long_run = long_run.where(long_run > 0, overall)  # a group whose services all last 0 s: the overall mean
    where = "its group's mean over the log" if service_fill == "group" and by else f"the mean over the whole log ({overall:.0f} s)"
    busy = stats["arrivals"] > 0
    if service_time == "period":
        notes.append(f"handling time: in every interval {where} (service_time='period')")
        return np.where(busy, long_run.to_numpy(), np.nan)
    measured = stats["mean_service"].astype(float)
    zero = (measured <= 0) & busy  # served, but every service measured 0 s long: no measurement either
    gap = (measured.isna() & busy) | zero
    notes.append("handling time measured per interval (service_time='interval')")
    if gap.any():
        notes.append(f"{int(gap.sum())} interval(s) had arrivals but no completed service: their handling time is "
                     f"{where} (service_fill={service_fill!r})")
    if zero.any():
        notes.append(f"of these, {int(zero.sum())} interval(s) had only services measured as 0 s long (first at "
                     f"{stats.loc[zero, 'interval_start'].iloc[0]}), filled the same way")
    return measured.where(~gap, long_run).to_numpy()
