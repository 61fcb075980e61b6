"""Backtest of the queueing models against a log: do Erlang C and Erlang A reproduce what happened?

:func:`backtest` fits patience (per group, the simple estimate: abandonments / time waited) on
a training period and, for every interval and group of a test period, predicts from that
interval's own observed arrivals, mean service and desks on duty (``interval_stats``) the
abandonment share, the ASA of answered calls, the mean wait of all calls, P(wait > 0) and the
service level at each threshold; it sets them beside the observed values and summarises the errors per model and
KPI. It sits after models and staffing (it imports :mod:`waitlab.models` inside the function)
and before the simulator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from waitlab._backtest_noise import binomial_mad, cell_counts, mean_se_mad
from waitlab._clock import parse_interval
from waitlab._notes import NotedFrame
from waitlab.analytics import contact_pools, interval_stats, patience
from waitlab.analytics.kpis import ON_DUTY_DEFAULT
from waitlab.exceptions import ArgumentError, SchemaError

__all__ = ["MODELS", "SECONDS_KPIS", "ModelBacktestResult", "backtest"]

#: The models :func:`backtest` knows, by name ("simulation" needs ``simulate=``).
MODELS = ("erlang_c", "erlang_a", "simulation")
#: Observed column of each KPI (``sl_<T>`` uses ``sl_offered_<T>``).
_OBSERVED = {"abandon": "abandon_rate", "asa": "asa", "wait_mean": "wait_mean", "prob_wait": "prob_wait"}
#: KPIs in seconds (the others are shares in [0, 1]).
SECONDS_KPIS = ("asa", "wait_mean")

Period = tuple[Any, Any]


@dataclass(frozen=True)
class ModelBacktestResult:
    """Observed against predicted KPIs per test interval, and the errors per model and KPI.

    Attributes
    ----------
    table : NotedFrame
        One row per interval, group, KPI and model: ``interval_start``, the `by` columns,
        ``kpi``, ``model``, ``observed``, ``predicted``, ``error`` (predicted - observed) and
        the inputs ``arrivals``, ``mean_service``, ``desks_on_duty``, ``mean_patience``, then
        ``noise``: the absolute error a model exactly right would still make in that cell
        from sampling alone (:mod:`waitlab._backtest_noise`).
    errors : NotedFrame
        One row per model and KPI: ``mae``, ``bias`` (mean of predicted - observed),
        ``noise_mae`` (mean ``noise`` over the same cells: the MAE sampling noise alone
        gives) and ``intervals`` (interval-group cells with both values finite).
    notes : tuple of str
        What was assumed and what was left out.
    """

    table: NotedFrame
    errors: NotedFrame
    notes: tuple[str, ...] = field(default=())

    def to_frame(self) -> NotedFrame:
        """The long table (``.table``)."""
        return self.table

    def to_csv(self, path: str | Path) -> Path:
        """Write ``.table`` to a CSV file, cells neutralised (:func:`waitlab.report.neutralize_cells`)."""
        from waitlab._cells import write_csv

        return write_csv(self.table, path)

    def to_excel(self, path: str | Path, lang: str = "en") -> Path:
        """Write an Excel workbook: sheets ``errors``, ``backtest`` (the long table) and ``notes``.

        Written by the report layer's safe workbook writer (cells neutralised, local wall times).
        """
        from waitlab.report._excel import write_workbook  # the one safe xlsx writer, loaded on use

        notes = pd.DataFrame({"note": list(self.notes)})
        return write_workbook(Path(path), {"errors": self.errors, "backtest": self.table, "notes": notes}, lang=lang)

    @staticmethod
    def in_seconds(kpi: str) -> bool:
        """True for the KPIs measured in seconds (``asa``, ``wait_mean``); the others are shares in [0, 1]."""
        return kpi in SECONDS_KPIS

    def by_hour(self, kpi: str) -> pd.DataFrame:
        """Observed and predicted `kpi` by hour of day: the mean over the test cells of each hour, per model."""
        from waitlab._backtest_plot import by_hour

        return by_hour(self, kpi)

    def plot(self, kpi: str = "abandon", lang: str = "en"):  # type: ignore[no-untyped-def]
        """Matplotlib figure (object API, no backend): observed and each model's predicted `kpi` by hour of day."""
        from waitlab._backtest_plot import backtest_figure

        return backtest_figure(self, kpi, lang=lang)

    def __str__(self) -> str:
        lines = ["Backtest: hourly errors per model and KPI (predicted - observed)"]
        e = self.errors
        lines.append(f"{'model':<10} {'kpi':<10} {'MAE':>9} {'bias':>9} {'noise MAE':>9} {'intervals':>9}")
        for r in e.itertuples(index=False):
            lines.append(f"{r.model:<10} {r.kpi:<10} {r.mae:>9.4g} {r.bias:>9.4g} {r.noise_mae:>9.4g} "
                         f"{r.intervals:>9d}")
        lines += [f"- {n}" for n in self.notes]
        return "\n".join(lines)


def _bound(value: Any, tz: Any, name: str, end: bool) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ArgumentError(f"`{name}`: {value!r} is not a date or time; give e.g. '2024-03-01' or "
                            "'2024-03-01 07:00'.") from exc  # fmt: skip
    if ts is pd.NaT:
        raise ArgumentError(f"`{name}`: {value!r} is not a date or time; give e.g. '2024-03-01'.")
    if ts.tzinfo is None and tz is not None:
        ts = ts.tz_localize(tz)
    if end and isinstance(value, str) and len(value.strip()) <= 10:  # a date alone: through that day
        ts = ts + pd.Timedelta(days=1)
    return ts


def _period(period: Any, tz: Any, name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if isinstance(period, str) or not isinstance(period, Sequence) or len(period) != 2:
        raise ArgumentError(f"`{name}` must be a (start, end) pair, e.g. ('2024-03-01', '2024-03-14'), got {period!r}.")
    lo, hi = _bound(period[0], tz, name, False), _bound(period[1], tz, name, True)
    if not lo < hi:
        raise ArgumentError(f"`{name}`: the start {period[0]!r} is not before the end {period[1]!r}; swap them.")
    return lo, hi


def _within(contacts: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.DataFrame:
    t = contacts["arrived_at"]
    return contacts[((t >= lo) & (t < hi)).fillna(False).to_numpy(dtype=bool)]


def _check_args(models: Sequence[str], sl_thresholds: Sequence[float], hours: Any, weekdays: Any) -> None:
    if isinstance(models, str) or not models or any(m not in MODELS for m in models):
        raise ArgumentError(f"`models` must be a non-empty list drawn from {list(MODELS)}, got {models!r}.")
    if isinstance(sl_thresholds, str) or not isinstance(sl_thresholds, Sequence):
        raise ArgumentError(f"`sl_thresholds` must be a list of seconds, e.g. (20,), got {sl_thresholds!r}.")
    for t in sl_thresholds:
        if isinstance(t, bool) or not isinstance(t, int | float) or not math.isfinite(t) or t < 0:
            raise ArgumentError(f"`sl_thresholds` must hold finite seconds >= 0, got {t!r}.")
    if hours is not None and (len(hours) != 2 or not all(isinstance(h, int) and 0 <= h <= 24 for h in hours)
                              or hours[0] >= hours[1]):  # fmt: skip
        raise ArgumentError(f"`hours` must be (first, last) whole hours with 0 <= first < last <= 24, e.g. (7, 23), got {hours!r}.")
    if weekdays is not None and not all(isinstance(d, int) and 0 <= d <= 6 for d in weekdays):
        raise ArgumentError(f"`weekdays` must list days 0 (Monday) to 6 (Sunday), got {weekdays!r}.")


def backtest(
    contacts: pd.DataFrame, *, train: Period | pd.DataFrame, test: Period, interval: str | pd.Timedelta | float = "1h",
    by: str | Sequence[str] | None = None, sl_thresholds: Sequence[float] = (20,),
    models: Sequence[str] = ("erlang_c", "erlang_a"), hours: tuple[int, int] | None = None,
    weekdays: Sequence[int] | None = None, min_arrivals: int = 1, on_duty: str = ON_DUTY_DEFAULT,
    sessions: pd.DataFrame | None = None,
    simulate: Callable[..., tuple[pd.DataFrame, list[str]]] | None = None,
) -> ModelBacktestResult:  # fmt: skip
    """Erlang C and Erlang A predictions of a test period's interval KPIs against what the log shows.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table (:mod:`waitlab.schema`) holding the test period (and the training
        period unless `train` is a table).
    train : (start, end) or DataFrame
        The training period of `contacts` (patience and the fallback mean service are fitted
        on it), or another contacts table to fit them on. A date alone as the end means
        through the end of that day; ends are otherwise exclusive.
    test : (start, end)
        The test period of `contacts`, read the same way.
    interval : str, Timedelta or float, default "1h"
        Interval width (:func:`waitlab.parse_interval`).
    by : str or list of str, optional
        Groups, e.g. ``"queue"`` or ``"pool"`` (each contact gets its queue's pool,
        :func:`waitlab.analytics.contact_pools`, computed over train and test together, unless
        the table has a ``pool`` column). Patience is fitted per group.
    sl_thresholds : list of float, default (20,)
        Service-level thresholds T, seconds: the KPI ``sl_<T>`` is the share of arrivals
        answered within T (``sl_offered_<T>``), which both models predict.
    models : list of {"erlang_c", "erlang_a", "simulation"}
        ``"simulation"`` needs `simulate` (and is added when `simulate` is given).
    hours : (first, last), optional
        Only intervals starting at or after ``first`` and before ``last`` o'clock (local).
    weekdays : list of int, optional
        Only intervals on these days (0 = Monday ... 6 = Sunday).
    min_arrivals : int, default 1
        Intervals with fewer arrivals are left out.
    on_duty : {"available", "gaps", "presence", "log"}, default "available"
        Estimator of ``desks_on_duty`` (:func:`waitlab.interval_stats`); the notes state it.
    sessions : DataFrame, optional
        ``report.agent_sessions`` of an Asterisk ``queue_log``, for ``on_duty="log"``.
    simulate : callable, optional
        The simulator as a model, e.g. ``waitlab.sim.as_is_simulator(replications=20)``:
        called as ``simulate(contacts, train, cells, by=, interval=, sl_thresholds=)`` it
        returns the predicted KPIs per test cell and its notes. The backtest sits before the
        simulator in the layer order, so the simulator is handed in rather than imported.

    Returns
    -------
    ModelBacktestResult
        ``.table`` (long: interval, group, KPI, model, observed, predicted), ``.errors``
        (model, KPI, MAE, bias, intervals), ``.notes``.

    Notes
    -----
    Inputs of each test cell: arrival rate = arrivals / interval length; mean service = the
    cell's observed mean handling time (the training group's mean where the cell has no
    answered call); desks = the cell's ``desks_on_duty`` (default estimator, fractional).
    Cells with fewer than one desk on duty are left out (the models need at least one desk);
    Erlang C predicts nothing where the load reaches the desks (its queue is unstable), and
    its errors are over the cells it can predict (``intervals`` says how many).
    """
    from waitlab.models import ErlangA, ErlangC  # lazy: import waitlab must not load the models

    if simulate is not None and "simulation" not in models:
        models = (*models, "simulation")
    _check_args(models, sl_thresholds, hours, weekdays)
    if "simulation" in models and simulate is None:
        raise ArgumentError("`models` names 'simulation' but no `simulate` was given; pass "
                            "simulate=waitlab.sim.as_is_simulator(replications=20).")
    if isinstance(min_arrivals, bool) or not isinstance(min_arrivals, int) or min_arrivals < 1:
        raise ArgumentError(f"`min_arrivals` must be a whole number >= 1, got {min_arrivals!r}.")
    width = parse_interval(interval, "interval")
    if not isinstance(contacts, pd.DataFrame) or "arrived_at" not in contacts.columns:
        raise SchemaError("backtest: the contacts table has no `arrived_at` column; read the log with waitlab.read_log.")
    tz = getattr(contacts["arrived_at"].dt, "tz", None)
    by_list = [by] if isinstance(by, str) else list(by or [])
    te_lo, te_hi = _period(test, tz, "test")
    if isinstance(train, pd.DataFrame):
        train_df, train_text = train, "the training table"
    else:
        tr_lo, tr_hi = _period(train, tz, "train")
        if tr_lo < te_hi and te_lo < tr_hi:
            raise ArgumentError(f"`train` {train!r} overlaps `test` {test!r}; give periods that do not overlap.")
        train_df, train_text = _within(contacts, tr_lo, tr_hi), f"{tr_lo} to {tr_hi}"
    if "pool" in by_list and "pool" not in contacts.columns:
        both = pd.concat([contacts, train_df], ignore_index=True) if isinstance(train, pd.DataFrame) else contacts
        pool_of = both.assign(pool=contact_pools(both)).groupby("queue", dropna=True)["pool"].first()
        contacts = contacts.assign(pool=contacts["queue"].map(pool_of).astype("string"))
        train_df = train_df.assign(pool=train_df["queue"].map(pool_of).astype("string"))
    if not len(train_df):
        raise ArgumentError(f"`train`: no contact arrived in {train_text}; give a period the log covers.")
    test_df = _within(contacts, te_lo, te_hi)
    if not len(test_df):
        raise ArgumentError(f"`test`: no contact arrived from {te_lo} to {te_hi}; give a period the log covers.")
    notes: list[str] = []
    # Patience and fallback service from the training part.
    if by_list:
        pt = patience(train_df, by=by_list)
        pat = pt.mean_by_group("simple")
        pooled_pat = float(pt.overall.mean_patience)
    else:
        pooled_pat = float(patience(train_df).mean_patience)
        pat = None
    train_stats = interval_stats(train_df, interval=width, by=by_list or None, sl_threshold=list(sl_thresholds))
    served = train_stats["served"].to_numpy(dtype=float)
    ms = np.nan_to_num(train_stats["mean_service"].to_numpy(dtype=float)) * served
    if by_list:
        g = train_stats.assign(_w=ms, _n=served).groupby(by_list, dropna=False)[["_w", "_n"]].sum()
        svc_train = g["_w"] / g["_n"].where(g["_n"] > 0)
    pooled_svc = float(ms.sum() / served.sum()) if served.sum() > 0 else math.nan
    # Observed test cells.
    st = interval_stats(test_df, interval=width, by=by_list or None, sl_threshold=list(sl_thresholds), on_duty=on_duty,
                        sessions=sessions)
    notes += [n for n in st.notes if n.startswith("desks_on_duty")]
    start = pd.to_datetime(st["interval_start"])
    keep = (start >= te_lo) & (start < te_hi) & (st["arrivals"] >= min_arrivals)
    if hours is not None:
        keep &= (start.dt.hour >= hours[0]) & (start.dt.hour < hours[1])
    if weekdays is not None:
        keep &= start.dt.day_of_week.isin(list(weekdays))
    cells = pd.DataFrame(st[keep.to_numpy(dtype=bool)]).reset_index(drop=True)
    if by_list:
        key = pd.MultiIndex.from_frame(cells[by_list]) if len(by_list) > 1 else pd.Index(cells[by_list[0]])
        mp = pat.reindex(key).to_numpy(dtype=float) if pat is not None else np.full(len(cells), math.nan)
        mp = np.where(np.isfinite(mp), mp, pooled_pat)
        fb = svc_train.reindex(key).to_numpy(dtype=float)
        fb = np.where(np.isfinite(fb), fb, pooled_svc)
    else:
        mp = np.full(len(cells), pooled_pat)
        fb = np.full(len(cells), pooled_svc)
    svc = cells["mean_service"].to_numpy(dtype=float)
    n_fallback = int((~np.isfinite(svc)).sum())
    svc = np.where(np.isfinite(svc) & (svc > 0), svc, fb)
    desks = cells["desks_on_duty"].to_numpy(dtype=float)
    ok = np.isfinite(desks) & (desks >= 1) & np.isfinite(svc) & (svc > 0)
    n_few = int((~ok).sum())
    cells = cells[ok].reset_index(drop=True)
    svc, desks, mp = svc[ok], desks[ok], mp[ok]
    lam = cells["arrivals"].to_numpy(dtype=float) / width
    if not len(cells):
        raise ArgumentError("`test`: no interval has arrivals and at least one desk on duty; widen the period, `hours` or `weekdays`.")
    notes.append(f"Patience fitted on {train_text} ({'per ' + ', '.join(by_list) if by_list else 'pooled'}, simple "
                 f"estimate: abandonments / time waited; pooled {pooled_pat:.0f} s); groups with too few "
                 "abandonments take the pooled value.")  # fmt: skip
    notes.append("Inputs per test interval: its arrivals / interval length, its observed mean service and its "
                 "desks_on_duty; observed KPIs: abandon_rate, asa (answered calls), wait_mean (all calls), prob_wait, "
                 "sl_offered_<T>.")  # fmt: skip
    if n_fallback:
        notes.append(f"{n_fallback} interval(s) had no answered call: their mean service is the training mean.")
    if n_few:
        notes.append(f"{n_few} interval(s) with arrivals but fewer than 1 desk on duty were left out.")
    if not np.isfinite(mp).all():
        raise ArgumentError(f"`train`: nobody abandoned in {train_text}, so patience cannot be fitted; give a longer training period.")
    kpis: list[tuple[str, str]] = list(_OBSERVED.items())
    kpis += [(f"sl_{t:g}", f"sl_offered_{t:g}") for t in sl_thresholds]
    preds: dict[str, dict[str, np.ndarray]] = {}
    for name in [m for m in MODELS if m in models and m != "simulation"]:
        m = (ErlangC(arrival_rate=lam, mean_service=svc, desks=desks) if name == "erlang_c" else
             ErlangA(arrival_rate=lam, mean_service=svc, mean_patience=mp, desks=desks))  # fmt: skip
        unstable = np.zeros(len(cells), dtype=bool) if name == "erlang_a" else (lam * svc >= desks)
        if name == "erlang_c" and unstable.any():
            notes.append(f"Erlang C: {int(unstable.sum())} interval(s) with load >= desks on duty (unstable) "
                         "have no prediction.")  # fmt: skip
        preds[name] = {}
        for kpi, _ in kpis:
            if kpi == "abandon":
                p = np.asarray(m.prob_abandon, dtype=float)
            elif kpi == "asa":
                p = np.asarray(m.mean_wait_answered, dtype=float)
            elif kpi == "wait_mean":
                p = np.asarray(m.mean_wait, dtype=float)
            elif kpi == "prob_wait":
                p = np.asarray(m.prob_wait, dtype=float)
            else:
                p = np.asarray(m.service_level(float(kpi[3:])), dtype=float)
            preds[name][kpi] = np.where(unstable, np.nan, np.broadcast_to(p, lam.shape))
    if "simulation" in models and simulate is not None:
        preds["simulation"] = _simulated(simulate, contacts, train_df, cells, by_list, width, sl_thresholds,
                                         [k for k, _ in kpis], notes)  # fmt: skip
    counts = cell_counts(test_df, width, by_list)
    counts = _align(cells, counts, by_list)
    frames = []
    base = cells[["interval_start", *by_list, "arrivals", "mean_service", "desks_on_duty"]].assign(
        mean_service=svc, mean_patience=mp)
    for name, pk in preds.items():
        for kpi, col in kpis:
            p, obs = pk[kpi], cells[col].to_numpy(dtype=float)
            if f"noise_{kpi}" in pk:  # the simulator's own spread: how far one of its days falls from their mean
                noise = pk[f"noise_{kpi}"]
            elif kpi == "asa":
                noise = mean_se_mad(counts["sd_answered"], counts["n_answered"])
            elif kpi == "wait_mean":
                noise = mean_se_mad(counts["sd_waits"], counts["n_waits"])
            else:
                noise = binomial_mad(counts["n_waits" if kpi == "prob_wait" else "n_offered"], p)
            frames.append(base.assign(kpi=kpi, model=name, observed=obs, predicted=p, error=p - obs, noise=noise))
    table = pd.concat(frames, ignore_index=True)
    cols = ["interval_start", *by_list, "kpi", "model", "observed", "predicted", "error",
            "arrivals", "mean_service", "desks_on_duty", "mean_patience", "noise"]  # fmt: skip
    table = table[cols]
    fin = table.dropna(subset=["error"])
    fin = fin[np.isfinite(fin["error"].to_numpy(dtype=float))]
    order = {k: i for i, (k, _) in enumerate(kpis)}
    err = (fin.assign(abs_error=fin["error"].abs()).groupby(["model", "kpi"], sort=False)
           .agg(mae=("abs_error", "mean"), bias=("error", "mean"), noise_mae=("noise", "mean"),
                intervals=("error", "size")).reset_index())  # fmt: skip
    err = err.sort_values(["model", "kpi"], key=lambda s: s.map(order) if s.name == "kpi" else s).reset_index(drop=True)
    err["intervals"] = err["intervals"].astype(int)
    notes.append("noise_mae: the MAE a model exactly right would still score from sampling alone (shares: "
                 "E|X/n - p| with X ~ Binomial(n, predicted p) per interval; ASA and mean wait: sqrt(2/pi) x the "
                 "standard error of the interval's mean wait, a lower bound; the simulation: the mean distance of "
                 "one simulated day from the mean of the replications); an MAE near it is all the log can "
                 "resolve.")  # fmt: skip
    return ModelBacktestResult(NotedFrame(table, notes=notes), NotedFrame(err, notes=notes), tuple(notes))


def _keys(frame: pd.DataFrame, by: list[str]) -> pd.MultiIndex:
    parts = [pd.to_datetime(frame["interval_start"]).astype("int64")] + [frame[b].astype("string") for b in by]
    return pd.MultiIndex.from_arrays(parts)


def _align(cells: pd.DataFrame, other: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Rows of `other` (keyed by interval_start and `by`) in the order of `cells`; NaN where missing."""
    return other.set_axis(_keys(other, by)).reindex(_keys(cells, by)).reset_index(drop=True)


def _simulated(simulate: Callable[..., tuple[pd.DataFrame, list[str]]], contacts: pd.DataFrame,
               train: pd.DataFrame, cells: pd.DataFrame, by: list[str], width: float,
               sl_thresholds: Sequence[float], kpis: list[str], notes: list[str]) -> dict[str, np.ndarray]:
    pred, sim_notes = simulate(contacts, train, cells[["interval_start", *by]], by=by, interval=width,
                               sl_thresholds=list(sl_thresholds))
    notes += sim_notes
    got = _align(cells, pred, by)
    return {k: got[k].to_numpy(dtype=float) for k in (*kpis, *(f"noise_{k}" for k in kpis)) if k in got.columns}
