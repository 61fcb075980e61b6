"""Per-interval staffing plan: arrivals and handling times in, required desks and metrics out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from waitlab._clock import parse_interval
from waitlab.exceptions import ArgumentError
from waitlab.models._staffing import goals, required_desks
from waitlab.models._validate import ModelInputError, as_float, check_nonnegative
from waitlab.targets import Target

__all__ = ["staffing_plan"]


def staffing_plan(
    arrivals: ArrayLike,
    mean_service: ArrayLike,
    interval: str | pd.Timedelta | float = "30min",
    *,
    targets: Target | Sequence[Target],
    mean_patience: ArrayLike | None = None,
    day_arrivals: float | None = None,
    shrinkage: float = 0.0,
    max_desks: int = 1_000_000,
) -> pd.DataFrame:
    """Required desks and staff for each interval, with the metrics they achieve.

    Parameters
    ----------
    arrivals : array_like or pandas.Series
        Arrivals (calls, tickets) per interval, >= 0.  A Series keeps its index.
    mean_service : array_like or pandas.Series
        Average handling time per interval, seconds, > 0; may be NaN where `arrivals` is 0
        (as `interval_stats` reports for empty intervals).
    interval : str, Timedelta or float, default "30min"
        Interval length: "30min", a Timedelta or seconds (see :func:`waitlab.parse_interval`);
        `arrivals` are counted over it.
    targets : Target or sequence of Target
        What every interval must meet, exactly as in `required_desks`.
    mean_patience : float or array_like, optional
        Mean patience, seconds: plan with Erlang A; omitted: Erlang C.
    day_arrivals : float, optional
        Expected arrivals in a day, for ``Target.day_any_wait_exceeds`` only; default: the sum
        of `arrivals` (the plan is taken to be one day).
    shrinkage, max_desks
        Options exactly as in `required_desks`.

    Returns
    -------
    pandas.DataFrame
        One row per interval with ``arrivals``, ``mean_service``, ``load`` (erlangs), ``desks``,
        ``staff``, then the achieved ``prob_wait``, ``asa`` (mean wait over all arrivals, s), ``asa_answered`` (mean wait
        of answered calls, s: ASA as call centers report it; equal to ``asa`` without patience),
        ``prob_abandon``, ``occupancy``, ``service_level`` (only with a service-level target,
        at its time; ``service_level_<t>s`` for each time when there are several) and
        ``p_wait_gt_<limit>s`` for each wait limit the model checks.  Empty intervals get 0
        desks and the metrics of an idle system (no waits, service level 1, occupancy 0).

    Raises
    ------
    ModelInputError
        Mismatched lengths, negative or NaN arrivals, a missing AHT where there are arrivals,
        an `interval` that is not a width dividing a day, or any problem `required_desks` reports.

    Examples
    --------
    >>> from waitlab import Target
    >>> plan = staffing_plan([100, 0], [180.0, float("nan")], 1800, targets=Target.service_level(20.0, 0.8))
    >>> plan["desks"].tolist()
    [14, 0]
    """
    index = arrivals.index if isinstance(arrivals, pd.Series) else None
    calls = check_nonnegative("arrivals", np.asarray(arrivals, dtype=float).ravel(), unit=" (per interval)")
    handle = as_float("mean_service", np.asarray(mean_service, dtype=float).ravel())
    if handle.size != calls.size:
        raise ModelInputError(f"`mean_service` must have one value per interval ({calls.size}), got {handle.size} values.")
    try:
        length = parse_interval(interval)
    except ArgumentError as exc:
        raise ModelInputError(str(exc)) from None
    busy = calls > 0
    bad = busy & ~(np.isfinite(handle) & (handle > 0))
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        where = f"the interval starting {index[i]}" if index is not None else f"interval number {i + 1} of {calls.size}"
        raise ModelInputError(
            f"`mean_service` must be a positive number of seconds wherever there are arrivals, got {float(handle[i]):g} "
            f"in {where} ({int(np.count_nonzero(bad))} such interval(s)), which has {calls[i]:g} arrivals: give a "
            "positive mean handling time there, or leave it NaN only where there are no arrivals."
        )
    handle_used = np.where(busy, handle, 1.0)  # any positive value: no arrivals means no load
    rate = calls / length
    per_day = float(calls.sum()) if day_arrivals is None else day_arrivals
    wanted = goals(targets, has_patience=mean_patience is not None, day_arrivals=per_day)
    result = required_desks(
        rate,
        handle_used,
        targets=targets,
        mean_patience=mean_patience,
        day_arrivals=per_day,
        shrinkage=shrinkage,
        max_desks=max_desks,
    )
    m = result.model
    cols: dict[str, Any] = {
        "arrivals": calls,
        "mean_service": np.where(busy, handle, np.nan),
        "load": rate * handle_used,
        "desks": np.atleast_1d(result.desks),
        "staff": np.atleast_1d(result.staff),
        "prob_wait": np.atleast_1d(m.prob_wait),
        "asa": np.atleast_1d(m.mean_wait),
        "asa_answered": np.atleast_1d(m.mean_wait_answered),
        "prob_abandon": np.atleast_1d(m.prob_abandon),
        "occupancy": np.atleast_1d(m.occupancy),
    }
    for t, _share in wanted.service_level:
        name = "service_level" if len(wanted.service_level) == 1 else f"service_level_{t:g}s"
        cols[name] = np.atleast_1d(m.service_level(t))
    for lim, _p in wanted.wait_limits:
        cols[f"p_wait_gt_{lim:g}s"] = np.atleast_1d(m.prob_wait_exceeds(lim))
    return pd.DataFrame(cols, index=index)
