"""``waitlab plan SCENARIO.toml --rules CABA --shifts shifts.toml -o out/``: desks, roster, cost curve, report."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from waitlab.commands._options import scenario_path
from waitlab.exceptions import ArgumentError, ShiftTemplateError

__all__ = ["register", "run"]

_EPILOG = """\
Several desk groups: without --group every group is planned, one after another in the order of the
scenario file, each with the groups before it at their new plan and the later ones at the file's
schedule; then the whole day is simulated again with every group at its plan (the joint check). A group
that shares a queue with another (e.g. cajas that also serve pensioners) and fails a target there is
planned once more from its plan, the others at theirs; every group's figures come from the last check. Each group gets its own folder in OUT (plan, roster,
curve, report) and OUT/report.md and OUT/plan.csv give the overview. --group plans only the groups
named (repeat it), the others keep their schedule.

Exit status: 0 when the plan (and the roster, if asked for) was made; 2 with one line on stderr
when an input is wrong, or when the plan was made but no roster covers it (the other files are
still written and the report says which interval cannot be covered).
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "plan",
        help="plan desks per interval to a rule set by simulation, roster them, and price the alternatives",
        description="Plan the desks of a scenario so that a rule set's wait limits hold in every interval "
        "(simulation-based iterative staffing from the stationary Erlang plan), find the cheapest roster of "
        "shifts covering it, and simulate a range of budgets (cost and benefit curve). Writes the plan, the "
        "roster, the curve and a short report to OUT.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("scenario", help="scenario file (TOML), or the name of a bundled example: branch, branch12h, mmc")
    p.add_argument("--rules", default="CABA", help="rule set whose limits are the targets (CABA, limit15, ... "
                   "or a TOML path) [CABA]")
    p.add_argument("--shifts", default=None, help="shift templates (TOML) for the roster; without it, no roster")
    p.add_argument("-o", "--out", required=True, help="folder for the plan, roster, curve and report")
    p.add_argument("-n", "--replications", type=int, default=200, help="simulated days per evaluation [200]")
    p.add_argument("--seed", type=int, default=None, help="root seed; the same seed repeats the run exactly")
    p.add_argument("--seats", type=int, default=None,
                   help="seats in the waiting room (standing-time limits); default: all waiting is standing")
    p.add_argument("--group", action="append", default=None,
                   help="desk group to plan (repeatable); default: every group, one after another")
    p.add_argument("--engine", choices=("auto", "simpy", "fast"), default="auto",
                   help="simulation engine; auto uses the fast one where the scenario fits it [auto]")
    p.add_argument("--max-share", type=float, default=0.05,
                   help="largest share of an interval's arrivals breaking a limit [0.05]")
    p.add_argument("--max-day-prob", type=float, default=0.01,
                   help="largest probability that a day has any breach of the longest limit [0.01]")
    p.add_argument("--max-abandon", type=float, default=None,
                   help="also: largest share of an interval's arrivals leaving unserved, e.g. 0.1 (the rule "
                   "sets do not limit it, and on the phone abandoning callers never wait 30 min)")
    p.add_argument("--max-iterations", type=int, default=200, help="most simulations in each group's search [200]")
    p.add_argument("--no-curve", action="store_true", help="skip the cost and benefit curve")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    p.set_defaults(func=run)


def _check_args(args: argparse.Namespace) -> None:
    if args.replications < 2:
        raise ArgumentError(f"--replications must be at least 2 (confidence intervals need two days), "
                         f"got {args.replications}.")
    for flag, v in (("--max-share", args.max_share), ("--max-day-prob", args.max_day_prob),
                    ("--max-abandon", args.max_abandon)):
        if v is not None and not (0 < v < 1):
            raise ArgumentError(f"{flag} must be a share between 0 and 1 (e.g. 0.05), got {v}.")
    if args.seats is not None and args.seats < 0:
        raise ArgumentError(f"--seats must be a whole number >= 0, got {args.seats}.")
    if args.shifts is not None and not Path(args.shifts).is_file():
        raise ShiftTemplateError(f"shift templates file {args.shifts!r} does not exist; check the path.")


def run(args: argparse.Namespace) -> int:
    from waitlab.planning import (
        Target,
        load_shifts,
        plan_groups,
        targets_from_rules,
        write_branch_report,
        write_plan_report,
    )
    from waitlab.sim import Scenario

    _check_args(args)
    path = scenario_path(args.scenario)
    scenario = Scenario.from_toml(path)
    targets = targets_from_rules(args.rules, max_share=args.max_share, max_day_prob=args.max_day_prob)
    if args.max_abandon is not None:
        targets.append(Target.abandon_rate(args.max_abandon))
    shifts = load_shifts(args.shifts) if args.shifts else None
    t0 = time.perf_counter()

    def progress(line: str) -> None:
        print(f"[{time.perf_counter() - t0:6.1f} s] {line}", file=sys.stderr, flush=True)

    bp = plan_groups(scenario, groups=args.group, targets=targets, shifts=shifts, replications=args.replications,
                     seed=args.seed, engine=args.engine, seats=args.seats, max_iterations=args.max_iterations,
                     curve=not args.no_curve, progress=None if (args.quiet or args.json) else progress)
    bp = _with_rules_name(bp, args.rules)
    out = Path(args.out)
    files = write_plan_report(bp.results[0], out) if len(bp.results) == 1 else write_branch_report(bp, out)
    summary = _summary(bp, files, args)
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        print(_text(bp, files, summary))
    errors = [f"desk group {r.group!r}: {r.roster_error}" if len(bp.results) > 1 else r.roster_error
              for r in bp.results if r.roster_error]
    if errors:
        print(f"waitlab plan: no roster covers the plan (the plan and the report are in {out}): "
              f"{'; '.join(errors)}", file=sys.stderr)
        return 2
    return 0


def _with_rules_name(bp: Any, rules: str) -> Any:
    import dataclasses

    return dataclasses.replace(bp, results=tuple(dataclasses.replace(r, rules=str(rules)) for r in bp.results))


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


def _figure(f: Any, labels: list[str]) -> dict[str, Any]:
    import numpy as np

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
    import math

    x = float(x)
    return x if math.isfinite(x) else None


def _summary(bp: Any, files: dict[str, Path], args: argparse.Namespace) -> dict[str, Any]:
    seconds = bp.seconds["total"]
    groups = []
    for r in bp.results:
        plan = r.plan
        labels = list(plan.table()["interval"])
        check = bp.check[r.group] if len(bp.results) > 1 else plan.assessment
        g: dict[str, Any] = {
            "group": r.group, "engine": r.engine, "desk_hours": plan.desk_hours,
            "sipp_desk_hours": float(r.sipp.sum() * plan.interval / 3600),
            "converged": bool(plan.converged), "message": plan.message, "simulations": len(plan.log),
            "desks": [{"intervals": k, "sipp": v[0], "plan": v[1]} for k, v in _runs(labels, r.sipp, plan.servers)],
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
        groups.append(g)
    return {"scenario": bp.scenario.name, "source": str(bp.scenario.source), "rules": args.rules,
            "replications": args.replications, "seed": args.seed, "groups": groups,
            "joint_check": len(bp.results) > 1, "seconds": seconds,
            "customers_simulated": bp.customers_simulated,
            "customers_per_second": bp.customers_simulated / seconds if seconds > 0 else None,
            "files": {k: str(v) for k, v in files.items()}}


def _ci(d: dict[str, Any]) -> str:
    if d["estimate"] is None:
        return "no customers"
    pct = "share" in d["target"] or "P(" in d["target"] or "abandon" in d["target"]
    fmt = (lambda x: f"{x:.2%}") if pct else (lambda x: f"{x:.3g}")  # noqa: E731
    return f"{fmt(d['estimate'])} [{fmt(d['ci_low'])}, {fmt(d['ci_high'])}]"


def _text(bp: Any, files: dict[str, Path], s: dict[str, Any]) -> str:
    lines = [f"Plan for {s['scenario']} ({s['source']}), rule set {s['rules']}, {s['replications']} simulated days "
             "per evaluation."]
    if s["joint_check"]:
        lines.append(f"{len(s['groups'])} desk groups planned in turn ({', '.join(g['group'] for g in s['groups'])}); "
                     "figures below are from the joint check with every group at its plan.")
    for g in s["groups"]:
        lines += ["", f"Desk group {g['group']} ({g['engine']} engine): {g['desk_hours']:.2f} desk-hours "
                  f"(SIPP {g['sipp_desk_hours']:.2f}); {g['message']}.", "  desks per interval:  plan (SIPP)"]
        for d in g["desks"]:
            lines.append(f"    {d['intervals']:<13} {d['plan']:>3} ({d['sipp']})")
        lines.append("  achieved (worst interval, 95 % CI):")
        for f in g["figures"]:
            where = "" if f["worst_at"] == "day" else f" at {f['worst_at']}"
            lines.append(f"    {f['target']}: {_ci(f)}{where}" + ("" if f["holds"] else "  <- above the bound" + (" (significantly)" if f["significant"]
                                                                     else " (within sampling error)")))
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
    rate = s["customers_per_second"]
    lines += ["", f"Time {s['seconds']:.1f} s; {s['customers_simulated']:,} customers simulated"
              + (f" ({rate:,.0f} per second)." if rate else "."), "", "Files:"]
    for key, path in files.items():
        lines.append(f"  {key:<26} {path}")
    return "\n".join(lines)
