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

From a forecast: --forecast FILE.csv (written by `waitlab forecast -o`) plans one of its days (--day,
default the first) with the forecast arrivals per interval and handling times in place of the scenario's
rates; --quantile 95 plans for the upper bound of the 95 % prediction interval (a robust plan).

Exit status: 0 when the plan (and the roster, if asked for) was made and meets its targets; 2 with
one line on stderr when an input is wrong, or when the plan was made but no roster covers it (the
other files are still written and the report says which interval cannot be covered); 3 when the
plan was made but misses a target significantly (its 95 % CI lies beyond the bound at the worst
interval, on fresh seeds or in the joint check): the files are written, and the output and one
line on stderr name the target and the smallest change found that meets it.
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
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario file (TOML), or the name of a bundled example: branch, branch12h, mmc "
                   "(with --forecast it may be left out for --log)")
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
                   help="simulation engine; auto is the fast one, which runs every scenario [auto]")
    p.add_argument("--max-share", type=float, default=0.05,
                   help="largest share of an interval's arrivals breaking a limit [0.05]")
    p.add_argument("--max-day-prob", type=float, default=0.01,
                   help="largest probability that a day has any breach of the longest limit [0.01]")
    p.add_argument("--max-abandon", type=float, default=None,
                   help="also: largest share of an interval's arrivals leaving unserved, e.g. 0.1 (the rule "
                   "sets do not limit it, and on the phone abandoning callers never wait 30 min)")
    p.add_argument("--max-iterations", type=int, default=200, help="most simulations in each group's search [200]")
    p.add_argument("--no-curve", action="store_true", help="skip the cost and benefit curve")
    p.add_argument("--forecast", default=None, metavar="CSV",
                   help="plan a day of this forecast (written by `waitlab forecast -o`): its arrivals and handling "
                   "times replace the scenario's, whose desks, hours and patience are kept")
    p.add_argument("--day", default=None, metavar="YYYY-MM-DD",
                   help="with --forecast: the forecast day to plan [the first day of the forecast]")
    p.add_argument("--quantile", type=int, default=None, metavar="LEVEL",
                   help="with --forecast: plan for the upper bound of the LEVEL %% prediction interval, e.g. 95")
    p.add_argument("--log", default=None, metavar="LOG",
                   help="with --forecast and no scenario: the log the forecast came from; its last day with the "
                   "forecast day's weekday gives the desks, hours and patience")
    p.add_argument("--format", default=None, help="with --log: the log's format [detected]")
    p.add_argument("--mapping", default=None, help="with --log: column mapping (TOML path or shipped name)")
    p.add_argument("--tz", default=None, help="with --log: IANA timezone of the log's local times")
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
    if args.forecast is None and (args.day is not None or args.quantile is not None or args.log is not None):
        raise ArgumentError("--day, --quantile and --log apply to a forecast only; add --forecast FILE or drop them.")
    one_base = (args.scenario is None) != (args.log is None)  # exactly one of SCENARIO and --log
    if not one_base:
        raise ArgumentError("plan needs a SCENARIO, or with --forecast either a SCENARIO or --log LOG (not both); "
                            "give one of them.")
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
    scenario: Any = None if args.scenario is None else Scenario.from_toml(scenario_path(args.scenario))
    if args.forecast is not None:
        from waitlab.forecasting._staff import read_forecast
        from waitlab.planning import scenario_from_forecast

        if scenario is None:
            from waitlab import read_log

            scenario, _ = read_log(args.log, format=args.format, mapping=args.mapping, tz=args.tz)
        scenario = scenario_from_forecast(read_forecast(args.forecast), scenario, day=args.day,
                                          quantile=args.quantile)
    targets = targets_from_rules(args.rules, max_share=args.max_share, max_day_prob=args.max_day_prob)
    if args.max_abandon is not None:
        targets.append(Target.abandon_rate(args.max_abandon))
    shifts = load_shifts(args.shifts) if args.shifts else None
    t0 = time.perf_counter()

    def progress(line: str) -> None:
        print(f"[{time.perf_counter() - t0:6.1f} s] {line}", file=sys.stderr, flush=True)

    bp = plan_groups(scenario, groups=args.group, targets=targets, shifts=shifts, replications=args.replications,
                     rng=args.seed, engine=args.engine, seats=args.seats, max_iterations=args.max_iterations,
                     curve=not args.no_curve, progress=None if (args.quiet or args.json) else progress)
    bp = _with_rules_name(bp, args.rules)
    out = Path(args.out)
    files = write_plan_report(bp.results[0], out) if len(bp.results) == 1 else write_branch_report(bp, out)
    if args.json:
        print(json.dumps({**bp.to_dict(), "files": {k: str(v) for k, v in files.items()}}, indent=2,
                         ensure_ascii=False))
    else:
        print("\n".join([str(bp), "", "Files:", *(f"  {key:<26} {path}" for key, path in files.items())]))
    errors = [f"desk group {r.group!r}: {r.roster_error}" if len(bp.results) > 1 else r.roster_error
              for r in bp.results if r.roster_error]
    if errors:
        print(f"waitlab plan: no roster covers the plan (the plan and the report are in {out}): "
              f"{'; '.join(errors)}", file=sys.stderr)
        return 2
    missed = [g for g in bp.to_dict()["groups"] if not g["meets_targets"]]
    if missed:
        print("waitlab plan: the plan misses its target significantly ("
              + "; ".join(f"desk group {g['group']!r}: {', '.join(g['missed'])}; smallest change found: {g['fix']}"
                          for g in missed) + f"); the plan and the report are in {out}.", file=sys.stderr)
        return 3
    return 0


def _with_rules_name(bp: Any, rules: str) -> Any:
    import dataclasses

    return dataclasses.replace(bp, results=tuple(dataclasses.replace(r, rules=str(rules)) for r in bp.results))
