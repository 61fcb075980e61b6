"""``waitlab simulate SCENARIO.toml``: replicate a simulated day and report KPIs with 95 % CIs."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from waitlab.commands._options import scenario_path
from waitlab.exceptions import ArgumentError

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "simulate",
        help="simulate a scenario file: KPIs with 95%% confidence intervals and rule-breach probabilities",
        description="Simulate N independent days of a scenario (TOML) and print every KPI's mean with a 95%% "
        "confidence interval, and the probability that a day breaches each compliance rule. "
        "Times are in seconds, shares in percent.",
    )
    p.add_argument("scenario", help="scenario file (TOML), or the name of a bundled example: branch, branch12h, mmc")
    p.add_argument("-n", "--replications", type=int, default=30, help="independent simulated days [30]")
    p.add_argument("--seed", type=int, default=None, help="root seed; the same seed repeats the run exactly")
    p.add_argument("--engine", choices=("auto", "simpy", "fast"), default="auto",
                   help="auto is the fast engine, which runs every scenario (identical results to simpy) [auto]")
    p.add_argument("--rules", default=None, help="judge each day with a rule set (CABA, limit15, ... or a TOML path)")
    p.add_argument("--seats", type=int, default=None, help="seats in the waiting room (for standing-time limits)")
    p.add_argument("--sl-threshold", type=float, default=20.0, help="service-level threshold in seconds [20]")
    p.add_argument("--processes", type=int, default=None, help="worker processes [all CPUs]")
    p.add_argument("--scheduler", default=None,
                   help="run the replications on a dask.distributed scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.add_argument("--save-contacts", default=None, metavar="PATH",
                   help="also write the contacts of the first simulated day (.csv or .parquet)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from waitlab.sim import Scenario
    from waitlab.sim import run as simulate

    path = scenario_path(args.scenario)
    if args.replications < 1:
        raise ArgumentError(f"--replications must be at least 1, got {args.replications}.")
    scenario = Scenario.from_toml(path)
    executor = None
    if args.scheduler:
        from waitlab.sim import dask_executor

        executor = dask_executor(args.scheduler)
    result = simulate(
        scenario, args.replications, rng=args.seed, engine=args.engine, processes=args.processes,
        progress=not args.no_progress and not args.json and sys.stderr.isatty(), rules=args.rules,
        seats=args.seats, sl_threshold=args.sl_threshold, executor=executor,
    )
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(result)
    if args.save_contacts:
        out = Path(args.save_contacts)
        contacts = result.contacts_of(0)
        if out.suffix.lower() == ".parquet":
            contacts.to_parquet(out, index=False)
        else:
            from waitlab.report import neutralize_cells  # queue and desk names come from the scenario file

            neutralize_cells(contacts).to_csv(out, index=False)
        if not args.json:
            print(f"\ncontacts of day 0 written to {out}")
    return 0
