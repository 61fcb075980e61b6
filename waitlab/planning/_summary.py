"""Plain-Python summaries and text of plan results (what ``waitlab plan`` prints, with or without --json)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from waitlab.planning._assess import Assessment, TargetFigures
    from waitlab.planning._branch import BranchPlan
    from waitlab.planning._pipeline import PlanResult

__all__ = ["branch_summary", "branch_text", "group_lines", "group_summary", "head_line"]


def group_summary(r: PlanResult, check: Assessment | None = None) -> dict[str, Any]:
    """One desk group's plan: desks per interval against SIPP, the target figures, roster and curve.

    The figures come from `check` (the joint check of a branch) or else the plan's own verification.
    """
    plan = r.plan
    labels = list(plan.table()["interval"])
    check = plan.assessment if check is None else check
    g: dict[str, Any] = {
        "group": r.group, "engine": r.engine, "desk_hours": r.planned.desk_hours(r.group),
        "sipp_desk_hours": r.scenario.with_desks(r.group, r.sipp.tolist()).desk_hours(r.group),
        "converged": bool(plan.converged), "message": plan.message, "simulations": len(plan.log),
        "desks": [{"intervals": k, "sipp": v[0], "plan": v[1]} for k, v in _runs(labels, r.sipp, plan.desks)],
        "figures": [_figure(f, labels) for f in check.figures],
        "customers_simulated": r.customers_simulated, "seconds": dict(r.seconds),
        "roster": None, "roster_error": r.roster_error or None,
    }
    if r.curve is not None:  # abandonment of the plan, shown even when it is not a target
        row = r.curve.table[r.curve.table["label"] == r.curve.reference]
        if len(row) and "abandon_rate" in row:
            g["abandon_rate"] = {k: _num(row[c].iloc[0]) for k, c in
                                 (("estimate", "abandon_rate"), ("ci_low", "abandon_rate_ci_low"),
                                  ("ci_high", "abandon_rate_ci_high"))}
    if r.roster is not None:
        ro = r.roster
        over = ro.over_coverage
        g["roster"] = {"cost": ro.cost, "staff": ro.staff, "paid_hours": ro.paid_hours, "optimal": ro.optimal,
                       "over_coverage_desk_hours": float(over.sum() * plan.interval / 3600),
                       "max_over": int(over.max(initial=0))}
    if r.curve is not None:
        g["curve_points"] = len(r.curve.table)
    missed = [f for f in g["figures"] if not f["holds"] and f["significant"]]
    g["meets_targets"] = not missed
    g["missed"] = [f["target"] for f in missed]
    g["fix"] = _smallest_fix(r, g["desk_hours"], missed) if missed else None
    return g


def _smallest_fix(r: PlanResult, desk_hours: float, missed: list[dict[str, Any]]) -> str:
    """The smallest change found that meets the missed targets, in one plain sentence.

    The cost curve's cheapest budget above the plan whose every interval meets the per-interval
    targets, when there is one and only per-interval targets are missed; else more desks where
    the worst missed figure is, or a longer search.
    """
    per_interval = all(f["worst_at"] != "day" for f in missed)
    if r.curve is not None and per_interval and "intervals_meeting_targets" in r.curve.table:
        tb = r.curve.table
        ok = tb[(tb["desk_hours"] > desk_hours + 1e-9) & (tb["intervals_meeting_targets"] >= 1.0 - 1e-12)]
        if len(ok):
            row = ok.sort_values("desk_hours", kind="stable").iloc[0]
            labels = list(r.plan.table()["interval"])
            desks = ", ".join(f"{k} {v[0]}" for k, v in _runs(labels, r.curve.plans[row["label"]]))
            return (f"the cost curve's plan of {row['desk_hours']:g} desk-hours (+{row['desk_hours'] - desk_hours:g} "
                    f"over this one) met every per-interval target in its simulation, with desks {desks}")
    worst = missed[0]
    where = "the busiest intervals" if worst["worst_at"] == "day" else worst["worst_at"]
    return (f"at least one more desk at {where}, then plan again (with a larger --max-iterations if the search "
            "stopped early, or more --replications if the figures are close to the bound)")


def branch_summary(bp: BranchPlan) -> dict[str, Any]:
    """Every planned group of a branch, with the figures of the joint check (one group: its own)."""
    seconds = bp.seconds["total"]
    first = bp.results[0]
    joint = len(bp.results) > 1
    groups = [group_summary(r, bp.check[r.group] if joint else None) for r in bp.results]
    return {"scenario": bp.scenario.name, "source": str(bp.scenario.source), "rules": first.rules,
            "replications": first.replications, "seed": bp.seed,
            "groups": groups,
            "joint_check": joint, "seconds": seconds,
            "meets_targets": all(g["meets_targets"] for g in groups),
            "customers_simulated": bp.customers_simulated,
            "customers_per_second": bp.customers_simulated / seconds if seconds > 0 else None}


def head_line(s: dict[str, Any]) -> str:
    """``Plan for <scenario> (<source>), rule set <rules>, <n> simulated days per evaluation.``"""
    rules = f"rule set {s['rules']}" if s["rules"] else "explicit targets"
    return f"Plan for {s['scenario']} ({s['source']}), {rules}, {s['replications']} simulated days per evaluation."


def group_lines(g: dict[str, Any]) -> list[str]:
    """The text of one group's summary (:func:`group_summary`)."""
    lines = [f"Desk group {g['group']} ({g['engine']} engine): {g['desk_hours']:.2f} desk-hours "
             f"(SIPP {g['sipp_desk_hours']:.2f}); {g['message']}.", "  desks per interval:  plan (SIPP)"]
    for d in g["desks"]:
        lines.append(f"    {d['intervals']:<13} {d['plan']:>3} ({d['sipp']})")
    lines.append("  achieved (worst interval, 95 % CI):")
    for f in g["figures"]:
        where = "" if f["worst_at"] == "day" else f" at {f['worst_at']}"
        above = "" if f["holds"] else "  <- above the bound" + (" (significantly)" if f["significant"]
                                                                else " (within sampling error)")
        lines.append(f"    {f['target']}: {_ci(f)}{where}{above}")
    if g.get("abandon_rate") and g["abandon_rate"]["estimate"] is not None:
        a = g["abandon_rate"]
        lines.append(f"    (not a target) leaving unserved over the day: {a['estimate']:.2%} "
                     f"[{a['ci_low']:.2%}, {a['ci_high']:.2%}]"
                     + ("  <- consider --max-abandon" if a["estimate"] > 0.1 else ""))
    if g["roster"] is not None:
        ro = g["roster"]
        lines.append(f"  roster: {ro['staff']} shifts, {ro['paid_hours']:.1f} paid hours, cost {ro['cost']:,.2f}"
                     + ("" if ro["optimal"] else " (not proven optimal)")
                     + f"; over-coverage {ro['over_coverage_desk_hours']:.2f} desk-hours "
                     f"(at most {ro['max_over']} extra desks in one interval)")
    elif g["roster_error"]:
        lines.append(f"  roster: none: {g['roster_error']}")
    if not g.get("meets_targets", True):
        lines.append(f"  THIS PLAN MISSES ITS TARGET (significantly): {'; '.join(g['missed'])}.")
        lines.append(f"  Smallest change found: {g['fix']}.")
    return lines


def branch_text(s: dict[str, Any]) -> str:
    """The text of a branch's summary (:func:`branch_summary`)."""
    lines = [head_line(s)]
    if s["joint_check"]:
        lines.append(f"{len(s['groups'])} desk groups planned in turn ({', '.join(g['group'] for g in s['groups'])}); "
                     "figures below are from the joint check with every group at its plan.")
    for g in s["groups"]:
        lines += ["", *group_lines(g)]
    if not s.get("meets_targets", True):
        bad = [g["group"] for g in s["groups"] if not g["meets_targets"]]
        lines += ["", f"The plan misses its target significantly in desk group(s) {', '.join(bad)}: see "
                  "'Smallest change found' above (exit status 3)."]
    rate = s["customers_per_second"]
    lines += ["", f"Time {s['seconds']:.1f} s; {s['customers_simulated']:,} customers simulated"
              + (f" ({rate:,.0f} per second)." if rate else ".")]
    return "\n".join(lines)


def _runs(labels: list[str], *columns: Any) -> list[tuple[str, tuple[int, ...]]]:
    """Consecutive intervals with the same values collapsed into ``("08:00–09:30", values)``."""
    out: list[tuple[str, tuple[int, ...]]] = []
    start = 0
    n = len(labels)
    for i in range(1, n + 1):
        if i == n or any(int(c[i]) != int(c[start]) for c in columns):
            a, b = labels[start].split("–")[0], labels[i - 1].split("–")[1]
            out.append((f"{a}–{b}", tuple(int(c[start]) for c in columns)))
            start = i
    return out


def _figure(f: TargetFigures, labels: list[str]) -> dict[str, Any]:
    if f.target.per == "interval":
        has = f.customers > 0
        i = int(np.nanargmax(np.where(has, f.ratio, -np.inf))) if has.any() else 0
        where = labels[i]
    else:
        i, where = 0, "day"
    edge = f.ci_low[i] > f.target.bound if f.target.is_upper else f.ci_high[i] < f.target.bound
    return {"target": f.target.describe(), "bound": f.target.bound, "worst_at": where,
            "significant": bool(edge and not f.holds.all()),
            "estimate": _num(f.estimate[i]), "ci_low": _num(f.ci_low[i]), "ci_high": _num(f.ci_high[i]),
            "holds": bool(f.holds.all())}


def _num(x: Any) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _ci(d: dict[str, Any]) -> str:
    if d["estimate"] is None:
        return "no customers"
    pct = "share" in d["target"] or "P(" in d["target"] or "abandon" in d["target"]
    fmt = (lambda x: f"{x:.2%}") if pct else (lambda x: f"{x:.3g}")  # noqa: E731
    return f"{fmt(d['estimate'])} [{fmt(d['ci_low'])}, {fmt(d['ci_high'])}]"
