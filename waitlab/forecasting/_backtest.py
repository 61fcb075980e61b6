"""``waitlab.forecast_backtest``: a rolling-origin backtest of :func:`waitlab.forecast` against seasonal-naive."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from waitlab._clock import parse_interval
from waitlab._notes import NotedFrame
from waitlab.exceptions import ArgumentError
from waitlab.forecasting._calendar import calendar
from waitlab.forecasting._forecast import Model, forecast
from waitlab.forecasting._series import history

__all__ = ["BacktestResult", "forecast_backtest", "mae", "wape"]


def wape(actual: np.ndarray | Sequence[float], predicted: np.ndarray | Sequence[float]) -> float:
    """Weighted absolute percentage error: ``sum |actual - predicted| / sum actual`` (NaN when no arrivals).

    >>> wape([10, 0, 30], [12, 1, 27])
    0.15
    """
    a, p = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    total = a.sum()
    return float(np.abs(a - p).sum() / total) if total > 0 else float("nan")


def mae(actual: np.ndarray | Sequence[float], predicted: np.ndarray | Sequence[float]) -> float:
    """Mean absolute error per interval: ``mean |actual - predicted|``.

    >>> mae([10, 0, 30], [12, 1, 27])
    2.0
    """
    a, p = np.asarray(actual, dtype=float), np.asarray(predicted, dtype=float)
    return float(np.abs(a - p).mean()) if len(a) else float("nan")


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """What :func:`forecast_backtest` measured.

    Attributes
    ----------
    table : NotedFrame
        One row per horizon day (1 = the first day forecast) and a last row ``"all"``:
        ``horizon_day``, ``intervals``, ``arrivals`` (actual), ``wape`` and ``mae`` of the
        forecast, ``baseline_wape`` and ``baseline_mae`` of seasonal-naive, and
        ``wape_reduction`` (1 - wape / baseline_wape).
    folds : NotedFrame
        The same measures per origin (``origin``: the first day forecast).
    notes : tuple of str
        The folds, the days counted, the models chosen, and which won overall.
    """

    table: NotedFrame
    folds: NotedFrame
    notes: tuple[str, ...]

    def __str__(self) -> str:
        fmt = dict.fromkeys(("wape", "baseline_wape", "wape_reduction"), "{:.1%}".format)
        return "\n".join([*(f"- {n}" for n in self.notes), self.table.to_string(index=False, formatters=fmt),
                          self.folds.to_string(index=False, formatters=fmt)])


def _measures(frame: pd.DataFrame) -> dict[str, float]:
    a, f, b = frame["actual"].to_numpy(), frame["forecast"].to_numpy(), frame["baseline"].to_numpy()
    w, bw = wape(a, f), wape(a, b)
    return {"intervals": len(frame), "arrivals": float(a.sum()), "wape": w, "mae": mae(a, f),
            "baseline_wape": bw, "baseline_mae": mae(a, b), "wape_reduction": 1 - w / bw if bw > 0 else float("nan")}


def forecast_backtest(
    contacts: pd.DataFrame,
    *,
    horizon: str | pd.Timedelta | float = "7D",
    interval: str | pd.Timedelta | float = "30min",
    by: Sequence[str] | None = ("queue",),
    country: str | None = "AR",
    folds: int = 2,
    days: Literal["all", "working"] = "all",
    model: Model = "auto",
) -> BacktestResult:
    """Forecast each of the log's last `folds` horizons from the days before it, and score it.

    The origins step back one horizon at a time from the day after the log's last arrival, so
    with ``horizon="7D", folds=2`` the last two weeks are forecast, each from everything before
    it; every interval of the day counts (an interval left out as closed is forecast zero).

    Parameters
    ----------
    contacts, horizon, interval, by, country, model
        As in :func:`waitlab.forecast`.
    folds : int, default 2
        How many horizons to forecast, >= 1.
    days : {"all", "working"}, default "all"
        Score every day, or only the working week's days (``"working"``: not the country's
        weekend; Sunday to Thursday for "IL").

    Returns
    -------
    BacktestResult
        ``.table`` by horizon day, ``.folds`` by origin, ``.notes``.
    """
    if not isinstance(folds, int) or folds < 1:
        raise ArgumentError(f"`folds` must be a whole number >= 1, got {folds!r}.")
    if days not in ("all", "working"):
        raise ArgumentError(f"`days` must be 'all' or 'working', got {days!r}.")
    width = parse_interval(interval)
    keys = list(by or [])
    full = history(contacts, width, keys)
    n_days = int(pd.Timedelta(horizon) / pd.Timedelta(days=1)) if not isinstance(horizon, int | float) else int(horizon)
    end = full.days[-1] + pd.Timedelta(days=1)
    origins = [end - pd.Timedelta(days=n_days * k) for k in range(folds, 0, -1)]
    cal = calendar(country, full.days)
    rows, notes = [], []
    for origin in origins:
        res = forecast(contacts, horizon=horizon, interval=width, by=keys or None, country=country,
                       level=(80,), start=origin, model=model)
        notes.append(f"origin {origin.date()}: {res.model.replace('_', '-')} used; " + res.notes[-4 if len(res.notes) > 4 else 0])
        fdays = pd.date_range(origin, periods=n_days, freq="D")
        first = full.days.get_loc(fdays[0])
        for g in full.groups:
            actual = full.counts[g][first:first + n_days]
            fc = _matrix(res.table, keys, g, fdays, full.slots, width)
            base = _matrix(res.baseline, keys, g, fdays, full.slots, width)
            for i, day in enumerate(fdays):
                if days == "working" and day.day_of_week in cal.weekend:
                    continue
                rows.append(pd.DataFrame({"origin": origin.date(), "horizon_day": i + 1, "actual": actual[i],
                                          "forecast": fc[i], "baseline": base[i]}))
    data = pd.concat(rows, ignore_index=True)
    by_day = [{"horizon_day": str(d), **_measures(f)} for d, f in data.groupby("horizon_day")]
    by_day.append({"horizon_day": "all", **_measures(data)})
    by_fold = [{"origin": str(o), **_measures(f)} for o, f in data.groupby("origin")]
    overall = _measures(data)
    won = "the forecast" if overall["wape"] < overall["baseline_wape"] else "seasonal-naive"
    notes.insert(0, f"{folds} fold(s) of {n_days} day(s), {width / 60:g}-min intervals, "
                 f"{'working days only' if days == 'working' else 'every day'}, calendar {country}")
    notes.append(f"overall WAPE {overall['wape']:.1%} against seasonal-naive's {overall['baseline_wape']:.1%}: "
                 f"{won} won ({overall['wape_reduction']:.0%} reduction)")
    return BacktestResult(NotedFrame(pd.DataFrame(by_day), notes=notes), NotedFrame(pd.DataFrame(by_fold), notes=notes),
                          tuple(notes))


def _matrix(table: pd.DataFrame, keys: list[str], group: tuple[object, ...], fdays: pd.DatetimeIndex, slots: int,
            width: float) -> np.ndarray:
    """The `arrivals` column of `table` for `group` as a ``[day, slot]`` matrix (missing rows: 0)."""
    out = np.zeros((len(fdays), slots))
    t = table
    for k, col in enumerate(keys):
        t = t[t[col].astype(object) == group[k]]
    start = t["interval_start"]
    if getattr(start.dt, "tz", None) is not None:
        start = start.dt.tz_localize(None)
    day = (start.dt.normalize() - fdays[0]).dt.days.to_numpy()
    slot = ((start - start.dt.normalize()).dt.total_seconds() // width).astype(int).to_numpy()
    ok = (day >= 0) & (day < len(fdays))
    out[day[ok], slot[ok]] = t["arrivals"].to_numpy(dtype=float)[ok]
    return out
