"""The forecast model of one series: day totals (ETS, statsmodels) times an intraday profile.

The series is a matrix ``counts[day, slot]`` of arrivals, one row per calendar day of the
history and one column per interval of the day. The model is the top-down forecast that
workforce planners use, with each part estimated in the plainest robust way:

* **Day level.** The totals of the ordinary working days (no holiday, not next to one) are
  divided by their weekday factor and forecast by ETS(A,N,N) (simple exponential smoothing with
  additive errors, ``statsmodels``' ``ETSModel``), so a level that
  drifts over the month is followed. Weekday factors (Monday busier than Wednesday, ...) are
  the weekday's mean over the working-day mean, shrunk towards 1 by an empirical-Bayes weight
  ``w = max(0, 1 - mean(noise variance) / variance between weekdays)``: weekdays that differ
  only by noise are pooled.
* **Intraday profile.** The share of a working day's arrivals in each interval, pooled over
  all ordinary working days (their shapes are alike, and pooling five days a week divides the
  noise by five). Weekend days that open (a call centre's Friday) keep the mean of their own
  weekday, interval by interval.
* **Holidays and the days around them** (:mod:`._calendar`): a holiday in the horizon gets
  the share of its usual demand that the history's holidays had (0, closed, when the history
  has none); the first working day after it gets its usual demand plus a `carryover` share of
  the demand the holiday lost (learned from the history's days-after when it has one, 0.5
  otherwise); the day before, the ratio the history shows (1 when it has none).
* **Prediction intervals.** Normal bounds with variance ``phi * m + p**2 * var(T)``: the
  arrivals' own noise (``phi`` >= 1, the over-dispersion measured around the fitted profile
  in the history) plus the day total's uncertainty from the ETS interval, ``p`` being the
  interval's share of the day.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from waitlab._extras import require

__all__ = ["Fit", "fit_predict", "seasonal_naive"]

DEFAULT_CARRYOVER = 0.5
_Z = {80: 1.2815515655446004, 90: 1.6448536269514722, 95: 1.959963984540054, 99: 2.5758293035489004}


@dataclass
class Fit:
    """A forecast matrix with its bounds and what was learned (for the notes)."""

    mean: np.ndarray
    lower: dict[int, np.ndarray]
    upper: dict[int, np.ndarray]
    facts: dict[str, float | str] = field(default_factory=dict)


def seasonal_naive(counts: np.ndarray, horizon_days: int) -> np.ndarray:
    """The same interval one week earlier (the last observed week repeated beyond seven days)."""
    week = counts[-7:]
    reps = -(-horizon_days // 7)
    return np.tile(week, (reps, 1))[:horizon_days].astype(float)


def _z(level: int) -> float:
    from scipy.stats import norm  # lazy: `import waitlab` does not load scipy

    return _Z.get(level) or float(norm.ppf(0.5 + level / 200))


def _ets(totals: np.ndarray, h: int) -> tuple[np.ndarray, np.ndarray]:
    """ETS(A,N,N) level forecast of `totals` for `h` steps and its standard deviation per step.

    Simple exponential smoothing with additive errors, fitted by maximum likelihood with
    statsmodels' ``ETSModel``; its prediction intervals are analytic (no simulation).
    """
    ets = require("statsmodels.tsa.exponential_smoothing.ets", "forecast", "forecasting")
    if len(totals) < 3 or np.all(totals == totals[0]):
        mean = np.full(h, float(np.mean(totals)) if len(totals) else 0.0)
        sd = np.full(h, float(np.std(totals)) if len(totals) > 1 else 0.0)
        return mean, sd
    y = pd.Series(totals.astype(float))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            fit = ets.ETSModel(y, error="add", trend=None, seasonal=None).fit(disp=False)
            frame = fit.get_prediction(start=len(y), end=len(y) + h - 1).summary_frame(alpha=0.05)
        except (np.linalg.LinAlgError, ValueError):  # too few or degenerate days: their mean
            n = len(totals)
            return np.full(h, float(totals.mean())), np.full(h, float(totals.std(ddof=1)) * np.sqrt(1 + 1 / n))
    mean = frame["mean"].to_numpy(dtype=float)
    sd = (frame["pi_upper"].to_numpy(dtype=float) - mean) / _Z[95]
    return mean, np.nan_to_num(np.abs(sd))


def _weekday_factors(totals: np.ndarray, dows: np.ndarray) -> dict[int, float]:
    """Weekday factor of each working weekday, shrunk towards 1 (empirical Bayes)."""
    mean = totals.mean()
    if mean <= 0:
        return {int(d): 1.0 for d in np.unique(dows)}
    raw, noise = {}, []
    for d in np.unique(dows):
        r = totals[dows == d] / mean
        raw[int(d)] = float(r.mean())
        if len(r) > 1:
            noise.append(float(r.var(ddof=1)) / len(r))
    between = float(np.var(list(raw.values()), ddof=1)) if len(raw) > 1 else 0.0
    w = max(0.0, 1.0 - float(np.mean(noise)) / between) if between > 0 and noise else 0.0
    return {d: 1.0 + w * (f - 1.0) for d, f in raw.items()}


def fit_predict(counts: np.ndarray, days: pd.DatetimeIndex, kinds: pd.Series, weekend: frozenset[int],
                fdays: pd.DatetimeIndex, fkinds: pd.Series, levels: tuple[int, ...]) -> Fit:
    """Forecast the matrix of `fdays` from the history `counts` (one row per day of `days`)."""
    dows = np.asarray(days.day_of_week)
    kind = np.asarray(kinds.reindex(days).fillna(""), dtype=object)
    working = ~np.isin(dows, list(weekend))
    usual = working & (kind == "")
    if not usual.any():
        usual = working & (kind != "holiday")
    totals = counts.sum(axis=1).astype(float)
    slots = counts.shape[1]
    facts: dict[str, float | str] = {}
    # intraday profile of working days, and weekday factors
    pooled = counts[usual].sum(axis=0).astype(float)
    profile = pooled / pooled.sum() if pooled.sum() > 0 else np.zeros(slots)
    factors = _weekday_factors(totals[usual], dows[usual]) if usual.any() else {}
    adj = np.array([totals[i] / factors.get(int(dows[i]), 1.0) for i in np.flatnonzero(usual)])
    fdows = np.asarray(fdays.day_of_week)
    fkind = np.asarray(fkinds.reindex(fdays).fillna(""), dtype=object)
    fworking = ~np.isin(fdows, list(weekend))
    n_work = int(fworking.sum())
    level, level_sd = _ets(adj, max(n_work, 1)) if len(adj) else (np.zeros(max(n_work, 1)), np.zeros(max(n_work, 1)))
    # over-dispersion of the arrivals around the fitted profile (each day's own total)
    fitted = np.outer(totals[usual], profile)
    phi = float(((counts[usual] - fitted) ** 2).sum() / fitted.sum()) if fitted.sum() > 0 else 1.0
    phi = max(phi, 1.0)
    facts["dispersion"] = phi
    facts["weekday_factors"] = ", ".join(f"{pd.Timestamp(2024, 1, 1 + d).day_name()[:3]} {f:.2f}"
                                         for d, f in sorted(factors.items()))
    # usual expectation of every history day, to learn the holiday effects from
    hist_level = float(adj.mean()) if len(adj) else 0.0

    def usual_total(dow: int) -> float:
        return hist_level * factors.get(dow, 1.0)

    ratios = _holiday_effects(totals, dows, kind, working, usual_total, facts)
    mean = np.zeros((len(fdays), slots))
    tvar = np.zeros(len(fdays))
    step = 0
    for i, dow in enumerate(fdows):
        if fworking[i] or fkind[i] == "holiday":
            k = min(step, len(level) - 1)
            total = float(level[k]) * factors.get(int(dow), 1.0)
            sd = float(level_sd[k]) * factors.get(int(dow), 1.0)
            mean[i], tvar[i] = total * profile, sd**2
            step += 1
        else:  # weekend day: the mean of that weekday in the history, interval by interval
            same = (dows == dow) & (kind == "")
            if same.any():
                mean[i] = counts[same].mean(axis=0)
                tvar[i] = float(totals[same].var(ddof=1)) if same.sum() > 1 else 0.0
    usual_mean = mean.copy()
    for i in range(len(fdays)):
        if fkind[i] == "holiday":
            mean[i] *= ratios["holiday"]
            tvar[i] *= ratios["holiday"] ** 2
        elif fkind[i] == "before_holiday":
            mean[i] *= ratios["before_holiday"]
        elif fkind[i] == "after_holiday":
            lost, j = 0.0, i - 1
            while j >= 0 and (fkind[j] == "holiday" or not fworking[j]):
                lost += usual_mean[j].sum() - mean[j].sum() if fkind[j] == "holiday" else 0.0
                j -= 1
            if j < 0 and lost == 0.0:  # the holiday was the history's last working day
                lost = ratios["lost_before_horizon"] * usual_mean[i].sum()
            mean[i] += ratios["carryover"] * lost * profile
    shares = mean / np.where(mean.sum(axis=1, keepdims=True) > 0, mean.sum(axis=1, keepdims=True), 1.0)
    var = phi * mean + shares**2 * tvar[:, None]
    lower, upper = {}, {}
    for lv in levels:
        z = _z(lv)
        lower[lv] = np.clip(mean - z * np.sqrt(var), 0.0, None)
        upper[lv] = mean + z * np.sqrt(var)
    return Fit(mean, lower, upper, facts)


def _holiday_effects(totals: np.ndarray, dows: np.ndarray, kind: np.ndarray, working: np.ndarray,
                     usual_total, facts: dict[str, float | str]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Holiday share, day-before ratio and day-after carry-over: from the history, or the defaults."""
    hol = [i for i in range(len(kind)) if kind[i] == "holiday"]
    ratio_h = [totals[i] / usual_total(int(dows[i])) for i in hol if usual_total(int(dows[i])) > 0]
    before = [totals[i] / usual_total(int(dows[i])) for i in range(len(kind))
              if kind[i] == "before_holiday" and usual_total(int(dows[i])) > 0]
    share = float(np.mean(ratio_h)) if ratio_h else 0.0
    carry = []
    for i in range(len(kind)):
        if kind[i] != "after_holiday" or usual_total(int(dows[i])) <= 0:
            continue
        lost = sum(usual_total(int(dows[j])) - totals[j] for j in hol if 0 < i - j <= 4)
        if lost > 0:
            carry.append((totals[i] - usual_total(int(dows[i]))) / lost)
    out = {
        "holiday": share,
        "before_holiday": float(np.mean(before)) if before else 1.0,
        "carryover": float(np.clip(np.mean(carry), 0.0, 3.0)) if carry else DEFAULT_CARRYOVER,
        "lost_before_horizon": 1.0 - share,
    }
    facts["holiday_share"] = out["holiday"]
    facts["holiday_share_source"] = f"{len(ratio_h)} holiday(s) in the history" if ratio_h else "default (closed)"
    facts["before_ratio"] = out["before_holiday"]
    facts["before_source"] = f"{len(before)} day(s) in the history" if before else "default (no change)"
    facts["carryover"] = out["carryover"]
    facts["carryover_source"] = f"{len(carry)} day(s) after a holiday in the history" if carry else "default"
    return out
