"""``waitlab network STORE_OR_LOG... -o out/``: rank the sites of a network and write its report."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from waitlab.commands._options import interval_from_args, interval_option
from waitlab.exceptions import ArgumentError

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "network",
        help="rank the sites of a network (a store or several logs) and write its report",
        description="Per site and day: volume, waits, service level, abandonment, breaches by rule, turn order and "
        "desks on duty against desks needed; a ranking of the sites (worst compliance, most understaffed hours, most "
        "desk-hours needed to comply), each site against peers of similar volume; network.html and network.xlsx.",
    )
    p.add_argument("sources", nargs="+", metavar="STORE_OR_LOG",
                   help="a store folder written by `waitlab ingest`, or one or more log files with several sites")
    p.add_argument("--format", default=None, help="format of the log files [detected]")
    p.add_argument("--mapping", default=None, help="column mapping of the log files (TOML path or shipped name)")
    p.add_argument("--tz", default=None, help="IANA timezone of the logs' local times")
    p.add_argument("--rules", default="CABA", help="rule set name (CABA, limit15, ...), TOML path, or 'none' [CABA]")
    p.add_argument("--seats", type=int, default=None, help="seats in every waiting room (unknown: all waiting is standing)")
    interval_option(p, "interval width of the staffing plan")
    p.add_argument("--peers", type=int, default=5, help="sites nearest in volume each site is compared with [5]")
    p.add_argument("--scheduler", default=None,
                   help="run on dask: 'local' (a LocalCluster) or a scheduler address tcp://host:8786 [in process]")
    p.add_argument("--lang", choices=("es", "en"), default="es", help="report language [es]")
    p.add_argument("-o", "--out", default="out", help="output folder [out]")
    p.set_defaults(func=run)


def _source(args: argparse.Namespace) -> pd.DataFrame | Path:
    paths = [Path(s) for s in args.sources]
    if len(paths) == 1 and paths[0].is_dir():
        return paths[0]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ArgumentError(f"{missing[0]!r} is neither a store folder nor a log file; check the path.")
    if args.scheduler is not None:
        raise ArgumentError("--scheduler runs the partitions of a store; ingest the logs into a store first "
                            "(waitlab ingest ... ) or leave --scheduler out.")  # fmt: skip
    from waitlab import read_log

    frames = [read_log(p, format=args.format, mapping=args.mapping, tz=args.tz)[0] for p in paths]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def run(args: argparse.Namespace) -> int:
    from waitlab.network import network_analysis
    from waitlab.report import write_network_report
    from waitlab.report._network import ranking_lines

    interval = interval_from_args(args)
    rules = None if str(args.rules).lower() == "none" else args.rules
    result = network_analysis(_source(args), rules=rules, seats=args.seats, interval=interval, peers=args.peers,
                              scheduler=args.scheduler)  # fmt: skip
    for line in ranking_lines(result, args.lang):
        print(line)
    paths = write_network_report(result, args.out, lang=args.lang)
    from waitlab.i18n import t

    print(t("net.written", args.lang, html=paths["html"], excel=paths["excel"]))
    return 0
