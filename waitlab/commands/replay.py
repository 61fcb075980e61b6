"""``waitlab replay LOG``: a real day of a log replayed against another desk schedule."""

from __future__ import annotations

import argparse
import json
import math

from waitlab.commands._options import interval_from_args, interval_option, log_options, read_log_from_args
from waitlab.exceptions import ArgumentError

__all__ = ["parse_desks", "register", "run"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "replay",
        parents=[log_options()],
        help="replay a real day of a log with more or fewer desks: KPIs as it was and as replayed",
        description="Replay the real arrivals and service times of one day of a log against another desk "
        "schedule and print the KPIs side by side (actual, replayed, difference). Desk groups are the "
        "pools of desks that share a main queue (waitlab.analytics.pools); an unknown group name lists them. "
        "Times are in seconds, shares in [0, 1].",
    )
    p.add_argument("--date", default=None, help="day to replay, YYYY-MM-DD [the busiest day]")
    p.add_argument("--site", default=None, help="site to replay (needed when the log holds several)")
    p.add_argument(
        "--desks",
        action="append",
        default=[],
        metavar="GROUP=N",
        help="change a desk group: GROUP=+2 adds 2 desks in every interval, GROUP=-1 removes one, GROUP=8 "
        'keeps 8 open all day (repeat for several groups; quote names with spaces: --desks "Caja=+2")',
    )
    interval_option(p, "schedule interval")
    p.add_argument(
        "--rules", default="CABA", help="compliance rule set (CABA, limit15, ... or a TOML path) [CABA]"
    )
    p.add_argument(
        "--seats", type=int, default=None, help="seats in the waiting room (for standing-time limits)"
    )
    p.add_argument("--sl-threshold", type=float, default=20.0, help="service-level threshold in seconds [20]")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.set_defaults(func=run)


def parse_desks(items: list[str]) -> dict[str, str | int]:
    """``["Caja=+2", "Box=8"]`` -> ``{"Caja": "+2", "Box": 8}``; ValueError naming a bad item."""
    out: dict[str, str | int] = {}
    for item in items:
        name, sep, value = item.rpartition("=")
        value = value.strip()
        body = value[1:] if value[:1] in "+-" else value
        if not sep or not name.strip() or not body.isdigit():
            raise ArgumentError(
                f'--desks {item!r} is not GROUP=+N, GROUP=-N or GROUP=N; e.g. --desks "Caja=+2".'
            )
        out[name.strip()] = value if value[:1] in "+-" else int(value)
    return out


def run(args: argparse.Namespace) -> int:
    from waitlab.sim import replay

    desks = parse_desks(args.desks)
    interval = interval_from_args(args)
    contacts, _report = read_log_from_args(args)
    result = replay(
        contacts, desks or None, date=args.date, site=args.site, rules=args.rules, seats=args.seats,
        sl_threshold=args.sl_threshold, interval=interval,
    )  # fmt: skip
    if args.json:
        sc = result.scenario
        doc = {
            "site": sc.site,
            "date": sc.date.isoformat(),
            "desks": {g.name: dict(zip(sc.interval_labels(), g.open, strict=True)) for g in sc.desks},
            "comparison": [
                {k: (v if not isinstance(v, float) or math.isfinite(v) else None) for k, v in row.items()}
                for row in result.comparison.to_dict(orient="records")
            ],
            "notes": list(result.notes),
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(result)
    return 0
