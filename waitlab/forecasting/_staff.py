"""``waitlab.staffing_from_forecast``: the desks a forecast week needs, interval by interval."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from waitlab.exceptions import ArgumentError, SchemaError
from waitlab.forecasting._forecast import ForecastResult
from waitlab.staffing import DEFAULT_TARGET, StaffingResult
from waitlab.targets import Target

__all__ = ["read_forecast", "staffing_from_forecast"]


def read_forecast(path: str | Path) -> pd.DataFrame:
    """A forecast table written by ``waitlab forecast -o FILE.csv``, with ``interval_start`` parsed."""
    p = Path(path)
    if not p.is_file():
        raise ArgumentError(f"forecast file {str(p)!r} does not exist; write one with `waitlab forecast LOG -o {p.name}`.")
    fix = "give a CSV written by `waitlab forecast LOG -o FILE.csv`"
    try:  # waitlab writes UTF-8 CSV; anything else is not one of its forecasts
        table = pd.read_csv(p, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SchemaError(f"forecast file {str(p)!r} is not a forecast table ({type(exc).__name__}); {fix}.") from None
    if "interval_start" not in table.columns or "arrivals" not in table.columns:
        raise SchemaError(f"forecast file {str(p)!r} has no `interval_start` and `arrivals` columns; {fix}.")
    try:
        table["interval_start"] = pd.to_datetime(table["interval_start"], utc=False, format="ISO8601")
    except (ValueError, TypeError):
        raise SchemaError(f"forecast file {str(p)!r}: `interval_start` holds values that are not times; {fix}.") from None
    return table


def staffing_from_forecast(
    fc: ForecastResult | pd.DataFrame,
    *,
    targets: Target | Sequence[Target] | None = None,
    quantile: int | None = None,
    mean_patience: float | None = None,
    shrinkage: float = 0.0,
    interval: float | None = None,
) -> StaffingResult:
    """Required desks per interval of a forecast, with :func:`waitlab.models.staffing_plan`.

    Parameters
    ----------
    fc : ForecastResult or DataFrame
        A forecast (or its table, e.g. read back with ``read_forecast``): ``interval_start``,
        ``arrivals``, ``mean_service`` and the bounds ``arrivals_hi_<L>``.
    targets : Target or sequence of Target, optional
        What every interval must meet; default 80 % answered within 20 s.
    quantile : int, optional
        Plan for the upper bound of the `quantile` % prediction interval (``arrivals_hi_<q>``,
        a robust plan) rather than the expected arrivals.
    mean_patience : float, optional
        Mean patience, seconds: Erlang A; omitted: Erlang C.
    shrinkage : float, default 0.0
        Share of paid time not available for service.
    interval : float, optional
        Interval width in seconds; default ``fc.interval``, or the spacing of ``interval_start``.

    Returns
    -------
    StaffingResult
        As :func:`waitlab.staffing_from_log`; ``desks_present`` is 0 (a forecast has no desks).
    """
    from waitlab.models import staffing_plan  # lazy: `import waitlab` does not load the models

    table = fc.table if isinstance(fc, ForecastResult) else fc
    width = interval if interval is not None else (fc.interval if isinstance(fc, ForecastResult) else _spacing(table))
    column = "arrivals" if quantile is None else f"arrivals_hi_{quantile}"
    if column not in table.columns:
        have = sorted(c.removeprefix("arrivals_hi_") for c in table.columns if str(c).startswith("arrivals_hi_"))
        raise ArgumentError(f"the forecast has no {column!r} column for quantile {quantile}; use one of its levels "
                            f"({', '.join(have) or 'none'}) or forecast with that level.")
    goal: tuple[Target, ...] = (DEFAULT_TARGET,) if targets is None else (
        (targets,) if isinstance(targets, Target) else tuple(targets))
    notes = [f"arrivals from the forecast ({'expected values' if quantile is None else f'upper bound of the {quantile} % prediction interval'}); "
             f"handling time: its `mean_service`; interval width {width / 60:g} min"]
    if targets is None:
        notes.append("no target given: 80 % of arrivals answered within 20 s")
    notes += [f"target: {t.describe()}" for t in goal]
    notes.append("Erlang C (no abandonment)" if mean_patience is None else f"Erlang A with mean patience {mean_patience:.0f} s")
    arrivals = table[column].to_numpy(dtype=float)
    service = table["mean_service"].to_numpy(dtype=float)
    service = np.where(arrivals > 0, service, np.nan)
    plan = staffing_plan(arrivals, service, width, targets=goal, mean_patience=mean_patience, shrinkage=shrinkage)
    keys = [c for c in table.columns if c in ("interval_start", "day_kind") or not str(c).startswith(("arrivals", "mean_service"))]
    out = pd.concat([table[keys].reset_index(drop=True), plan.reset_index(drop=True)], axis=1)
    out["desks_present"] = 0
    out["shortfall"] = 0
    out["understaffed"] = False
    return StaffingResult(out, tuple(notes), "erlang_c" if mean_patience is None else "erlang_a", mean_patience,
                          goal, float(width))


def _spacing(table: pd.DataFrame) -> float:
    start = pd.DatetimeIndex(table["interval_start"]).unique().sort_values()
    if len(start) < 2:
        raise ArgumentError("cannot tell the interval width from a forecast with one interval; pass `interval`.")
    return float(pd.Series(start).diff().dropna().min().total_seconds())
