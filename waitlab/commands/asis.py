"""``waitlab asis LOG``: does the simulated as-is day reproduce the log? Logged beside simulated, per hour."""

from __future__ import annotations

import argparse

from waitlab.commands._options import interval_from_args, interval_option, log_options, read_log_from_args
from waitlab.exceptions import ArgumentError

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "asis",
        parents=[log_options()],
        help="simulate days of a log as they were and set the logged KPIs beside the simulated spread",
        description="Build the as-is scenario of each chosen day (its arrivals, its desk groups with their desks on "
        "duty, service and patience from the log), simulate it many times and print, per day and per interval, the "
        "logged mean wait and abandonment beside the simulated days' mean and 2.5-97.5 %% spread, and the mean "
        "absolute error against the error a model exactly right would still make (noise). Times in seconds, "
        "shares in [0, 1].",
    )
    p.add_argument("--date", action="append", default=[], metavar="YYYY-MM-DD",
                   help="a day to check (repeat for several) [the busiest day]")
    p.add_argument("--site", default=None, help="site to check (needed when the log holds several)")
    p.add_argument("-n", "--replications", type=int, default=100, help="simulated days per logged day [100]")
    p.add_argument("--seed", type=int, default=0, help="root seed; the same seed repeats the check exactly [0]")
    interval_option(p, "schedule interval of the as-is scenario")
    p.add_argument("--by", default="1h", metavar="WIDTH", help="width of the compared intervals [1h]")
    p.add_argument("--min-arrivals", type=int, default=20,
                   help="the errors are over intervals with at least this many logged arrivals [20]")
    p.add_argument("-o", "--out", default=None, metavar="PATH", help="write the per-interval table to this CSV file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from waitlab.sim import as_is

    interval = interval_from_args(args)
    if args.replications < 2:
        raise ArgumentError(f"--replications {args.replications} must be at least 2 (a spread needs two days), e.g. 100.")
    contacts, ingest = read_log_from_args(args)
    print(ingest)
    res = as_is(contacts, args.date or None, site=args.site, replications=args.replications, rng=args.seed,
                interval=interval, by=args.by, min_arrivals=args.min_arrivals)  # fmt: skip
    print(res)
    if args.out:
        print(f"as-is table written to {res.to_csv(args.out)}")
    return 0
