"""``waitlab network STORE_OR_LOG... -o out/``: rank the sites of a network and write its report."""

from __future__ import annotations

import argparse
import sys
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
                   help="a store folder written by `waitlab ingest --store`, or log files, folders of logs or globs "
                   "(read together; each contact's site from --site-from)")
    p.add_argument("--format", default=None, help="format of the log files [detected]")
    p.add_argument("--mapping", default=None, help="column mapping of the log files (TOML path or shipped name)")
    p.add_argument("--tz", default=None, help="IANA timezone of the logs' local times")
    p.add_argument("--site-from", default="log", metavar="log|filename|REGEX",
                   help="where each contact's site comes from: the log, the file name, or a regular "
                   "expression with one group searched in the file name [log]")
    p.add_argument("--rules", default="CABA", help="rule set name (CABA, limit15, ...), TOML path, or 'none' [CABA]")
    p.add_argument("--seats", type=int, default=None, help="seats in every waiting room (unknown: all waiting is standing)")
    interval_option(p, "interval width of the staffing plan")
    p.add_argument("--peers", type=int, default=5, help="sites nearest in volume each site is compared with [5]")
    p.add_argument("--scheduler", default=None,
                   help="run on dask: 'local' (a LocalCluster) or a scheduler address tcp://host:8786 [in process]")
    p.add_argument("--lang", choices=("es", "en"), default="es", help="report language [es]")
    p.add_argument("-o", "--out", default="out", help="output folder [out]")
    p.set_defaults(func=run)


def _is_store(path: Path) -> bool:
    """A folder `waitlab ingest --store` wrote (site=.../ or _ingest/ in it), or an empty folder."""
    return path.is_dir() and (any(path.glob("site=*")) or (path / "_ingest").is_dir() or not any(path.iterdir()))


def _source(args: argparse.Namespace) -> tuple[pd.DataFrame | Path, list[str]]:
    """The store folder, or the contacts of the logs (read with read_logs) and the files not read."""
    if len(args.sources) == 1 and _is_store(Path(args.sources[0])):
        return Path(args.sources[0]), []
    missing = [s for s in args.sources if not Path(s).exists() and not any(c in s for c in "*?[")]
    if missing:
        raise ArgumentError(f"{missing[0]!r} is neither a store folder nor a log file; check the path.")
    if args.scheduler is not None:
        raise ArgumentError("--scheduler runs the partitions of a store; ingest the logs into a store first "
                            "(waitlab ingest ... --store DIR) or leave --scheduler out.")  # fmt: skip
    from waitlab.network import read_logs

    contacts, report = read_logs(args.sources, format=args.format, mapping=args.mapping, tz=args.tz,
                                 site_from=args.site_from)  # fmt: skip
    return contacts, [why for _, why in report.failed]


def run(args: argparse.Namespace) -> int:
    """Run ``waitlab network``; 0 on success, 1 when some log files could not be read (the others are ranked)."""
    from waitlab.network import network_analysis
    from waitlab.report import write_network_report
    from waitlab.report._network import ranking_lines

    interval = interval_from_args(args)
    rules = None if str(args.rules).lower() == "none" else args.rules
    source, not_read = _source(args)
    for why in not_read:
        print(f"Not read: {why}", file=sys.stderr)
    result = network_analysis(source, rules=rules, seats=args.seats, interval=interval, peers=args.peers,
                              scheduler=args.scheduler)  # fmt: skip
    for line in ranking_lines(result, args.lang):
        print(line)
    paths = write_network_report(result, args.out, lang=args.lang)
    from waitlab.i18n import t

    print(t("net.written", args.lang, html=paths["html"], excel=paths["excel"]))
    return 1 if not_read else 0
