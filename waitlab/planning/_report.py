"""Write a planning run to a folder: plan, roster, curve (CSV + PNG) and a short Markdown report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from waitlab._clock import format_ranges
from waitlab.planning._pipeline import PlanResult

__all__ = ["write_plan_report"]


def _safe_csv(df: pd.DataFrame, path: Path) -> Path:
    from waitlab.report._safe import neutralize_cells  # every text cell is made formula-safe

    neutralize_cells(df).to_csv(path, index=False)
    return path


def _md_table(df: pd.DataFrame, floatfmt: str = "{:.4g}") -> str:
    def cell(v: object) -> str:
        if isinstance(v, bool | np.bool_):
            return "yes" if v else "**no**"
        if isinstance(v, float | np.floating):
            return "" if np.isnan(v) else floatfmt.format(v)
        return str(v).replace("|", "\\|")

    head = "| " + " | ".join(str(c) for c in df.columns) + " |"
    sep = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join([head, sep, *rows])


def _ci(est: float, lo: float, hi: float, pct: bool = True) -> str:
    if np.isnan(est):
        return "–"
    if pct:
        return f"{est:.2%} [{lo:.2%}, {hi:.2%}]"
    return f"{est:.3g} [{lo:.3g}, {hi:.3g}]"


def write_plan_report(result: PlanResult, out_dir: str | Path) -> dict[str, Path]:
    """Write the outputs of :func:`plan_scenario` to `out_dir` (created if needed).

    Files: ``plan.csv`` (desks per interval with every target's figure and 95 % CI),
    ``plan_day_targets.csv``, ``iterations.csv``, ``plan.png``, ``roster.csv`` and
    ``roster_coverage.csv`` (with shift templates), ``curve.csv`` and ``curve.png`` (with the
    curve), and ``report.md`` tying them together. Text cells are neutralised against
    spreadsheet formula injection.

    Returns
    -------
    dict of str to Path
        Name -> path of every file written.
    """
    from waitlab.planning._plots import plan_figure

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    plan = result.plan
    table = plan.table()
    files["plan"] = _safe_csv(table, out / "plan.csv")
    files["plan_day_targets"] = _safe_csv(plan.day_table(), out / "plan_day_targets.csv")
    files["iterations"] = _safe_csv(plan.log, out / "iterations.csv")
    labels = [s.split("–")[0] for s in table["interval"]]
    fig = plan_figure(labels, {"SIPP (Erlang)": result.sipp, "plan": plan.desks},
                      arrivals=table.get("arrivals_per_day"))
    fig.savefig(out / "plan.png", dpi=110)
    files["plan_png"] = out / "plan.png"
    if result.roster is not None:
        shifts = result.roster.shifts[["shift", "part_time", "start", "end", "break_start", "break_end", "count",
                                       "paid_hours", "cost_each", "cost"]]
        files["roster"] = _safe_csv(shifts, out / "roster.csv")
        files["roster_coverage"] = _safe_csv(result.roster.table(), out / "roster_coverage.csv")
    if result.curve is not None:
        files["curve"] = _safe_csv(result.curve.table, out / "curve.csv")
        fig = result.curve.figure(x="desk_hours")
        fig.savefig(out / "curve.png", dpi=110)
        files["curve_png"] = out / "curve.png"
    (out / "report.md").write_text(_markdown(result, files), encoding="utf-8")
    files["report"] = out / "report.md"
    return files


def _markdown(r: PlanResult, files: dict[str, Path]) -> str:
    plan, sc = r.plan, r.scenario
    a = plan.assessment
    hours = plan.interval / 3600
    lines = [f"# Staffing plan: {sc.name}", "",
             f"Site **{sc.site}**, {sc.date}, {sc.start:%H:%M}–{sc.end:%H:%M} in {plan.interval / 60:g}-minute "
             f"intervals; desk group planned: **{r.group}**.", ""]
    others = [g for g in sc.desks if g.name != r.group]
    if others:
        lines += ["Other desk groups keep the schedule they have in this run (desks per interval): "
                  + "; ".join(f"{g.name} {format_counts(g.open)}" for g in others) + ".", ""]
    lines += ["## Targets", ""]
    if r.rules:
        lines.append(f"From rule set **{r.rules}**:")
    lines += [f"- {t.describe()}" for t in r.targets] + [""]
    sipp_h = float(r.sipp.sum() * hours)
    lines += ["## Result", "",
              f"- **{plan.desk_hours:.2f} desk-hours** (stationary Erlang / SIPP plan: {sipp_h:.2f}); "
              f"{plan.message}.",
              f"- Figures verified on {a.replications} fresh simulated days ({a.customers:,} customers, seed "
              f"{r.seed}, {r.engine} engine); 95 % confidence intervals in brackets.", ""]
    for f in a.figures:
        if f.target.per == "interval":
            bad = np.flatnonzero(~f.holds)
            sig = np.flatnonzero(np.nan_to_num(f.ci_low) > f.target.bound) if f.target.is_upper else \
                np.flatnonzero(np.nan_to_num(f.ci_high, nan=1.0) < f.target.bound)
            worst = int(np.nanargmax(np.where(f.customers > 0, f.ratio, -np.inf)))
            pct = f.target.metric != "mean_wait"
            text = (f"- {f.target.describe()}: worst interval {table_label(plan, worst)} at "
                    f"{_ci(f.estimate[worst], f.ci_low[worst], f.ci_high[worst], pct)}")
            if bad.size:
                text += (f"; point estimate above the bound at {format_ranges(bad.tolist(), plan.interval, plan.day_start)}"
                         + (" (significantly at " + format_ranges(sig.tolist(), plan.interval, plan.day_start) + ")"
                            if sig.size else " (within sampling error)"))
            lines.append(text)
        else:
            lines.append(f"- {f.target.describe()}: {_ci(f.estimate[0], f.ci_low[0], f.ci_high[0])}")
    lines.append("")
    if r.curve is not None and "sipp" in r.curve.plans:
        row = r.curve.table[r.curve.table["label"] == "sipp"].iloc[0]
        if "intervals_meeting_targets" in row:
            share = float(row["intervals_meeting_targets"])
            if share < 1.0:
                lines += [f"The SIPP plan meets the per-interval targets in {share:.0%} of the intervals in "
                          "simulation: the queue a peak leaves behind is what it misses.", ""]
            else:
                lines += [f"The SIPP plan meets the per-interval targets in every interval in simulation, with "
                          f"{sipp_h - plan.desk_hours:.2f} desk-hours more than this plan.", ""]
    lines += ["![desks per interval](plan.png)", "", f"Per interval: `{files['plan'].name}`; "
              f"search log: `{files['iterations'].name}` ({len(plan.log)} simulations).", ""]
    lines += ["## Roster", ""]
    if r.roster is not None:
        ro = r.roster
        over = ro.over_coverage
        lines += [f"Cheapest roster: **{ro.staff} shifts**, {ro.paid_hours:.1f} paid hours, cost "
                  f"**{ro.cost:,.2f}**" + ("" if ro.optimal else f" (not proven optimal: {ro.message})") + "; "
                  f"over-coverage {int(over.sum()) * hours:.2f} desk-hours, at most {int(over.max(initial=0))} "
                  "extra desks in one interval.", "",
                  _md_table(ro.shifts[["shift", "start", "end", "break_start", "break_end", "count", "cost"]],
                            "{:,.2f}"), "",
                  f"Files: `{files['roster'].name}`, `{files['roster_coverage'].name}`.", ""]
    elif r.roster_error:
        lines += [f"No roster: {r.roster_error}", ""]
    else:
        lines += ["No shift templates given (`--shifts`).", ""]
    if r.curve is not None:
        t = r.curve.table
        lines += ["## Cost and benefit", "",
                  "Budgets spread over the day in the shape of the plan (nested: a larger budget never removes a "
                  "desk), all simulated on the same customers.", ""]
        cols = ["label", "desk_hours", "cost"]
        show = pd.DataFrame({c: t[c] for c in cols})
        for name in r.curve.limits:
            col = f"breaches_per_day_{name}"
            show[f"{name} per day"] = [_ci(e, lo, hi, pct=False) for e, lo, hi in
                                       zip(t[col], t[f"{col}_ci_low"], t[f"{col}_ci_high"], strict=True)]
        show["mean wait (min)"] = [_ci(e / 60, lo / 60, hi / 60, pct=False) for e, lo, hi in
                                   zip(t["mean_wait_s"], t["mean_wait_s_ci_low"], t["mean_wait_s_ci_high"], strict=True)]
        if "intervals_meeting_targets" in t:
            show["intervals meeting targets"] = [f"{v:.0%}" for v in t["intervals_meeting_targets"]]
        lines += [_md_table(show, "{:,.2f}"), "", "![cost and benefit](curve.png)", "",
                  f"File: `{files['curve'].name}`.", ""]
    lines += ["## Assumptions", "",
              "- Customers are judged by the interval in which they arrived; a kiosk no-show's wait runs until "
              "their number is called (as the compliance report reads a log).",
              "- " + ("Standing time from a waiting room of " + str(r.seats) + " seats." if r.seats is not None
                      else "Seat count unknown: every second of waiting counts as standing."),
              "- The search compares plans on the same simulated customers (common random numbers) and judges "
              "targets by point estimates; the figures above come from separate replications with fresh seeds, "
              "so a figure that sat exactly at its bound in the search may land slightly above it.",
              f"- Run time: plan {r.seconds.get('plan', 0):.1f} s, roster {r.seconds.get('roster', 0):.1f} s, "
              f"curve {r.seconds.get('curve', 0):.1f} s; {r.customers_simulated:,} customers simulated.", ""]
    return "\n".join(lines)


def format_counts(counts: tuple[int, ...]) -> str:
    """``"4 x3, 6 x2"`` style run-length text of a desks-per-interval schedule."""
    runs: list[list[int]] = []
    for c in counts:
        if runs and runs[-1][0] == c:
            runs[-1][1] += 1
        else:
            runs.append([int(c), 1])
    return ", ".join(f"{c}" if k == 1 else f"{c} x{k}" for c, k in runs)


def table_label(plan: object, i: int) -> str:
    """``"12:00–12:15"`` of interval `i` of a plan."""
    from waitlab._clock import interval_label

    return interval_label(i, plan.interval, plan.day_start)  # type: ignore[attr-defined]
