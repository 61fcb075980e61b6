"""``waitlab staff LOG``: required vs observed desks per interval, understaffed intervals flagged."""

from __future__ import annotations

import argparse
from pathlib import Path

from waitlab.commands._options import log_options, read_log_from_args
from waitlab.exceptions import ArgumentError

__all__ = ["register", "run"]


def _pair(text: str) -> tuple[float, float]:
    try:
        a, b = text.split(":")
        return float(a), float(b)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected two numbers as A:B, got {text!r}") from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "staff",
        parents=[log_options()],
        help="required vs observed desks per interval (Erlang C/A) from a log",
        description="Measure arrivals and handling time per interval in a log, solve the fewest desks that "
        "meet every target (Erlang A with the log's patience, or Erlang C), and flag understaffed intervals.",
    )
    p.add_argument("--freq", default="30min", help="interval width [30min]")
    p.add_argument("--by", default=None, help="comma-separated grouping, e.g. queue")
    p.add_argument("--sl", type=_pair, default=None, metavar="TARGET:SECONDS", help="service level, e.g. 0.8:20")
    p.add_argument("--asa", type=float, default=None, help="max mean wait, seconds")
    p.add_argument("--abandon", type=float, default=None, help="max probability of abandoning (Erlang A)")
    p.add_argument("--wait-limit", type=_pair, action="append", default=None, metavar="SECONDS:P",
                   help="regulatory form P(wait > SECONDS) <= P; repeatable, e.g. 1800:0.05 5400:0.001")
    p.add_argument("--max-occupancy", type=float, default=None, help="occupancy cap in (0, 1]")
    p.add_argument("--shrinkage", type=float, default=0.0, help="share of paid time not available [0]")
    p.add_argument("--patience", default="auto", help="mean patience seconds, 'auto' (from the log) or 'none' (Erlang C)")
    p.add_argument("-o", "--out", default=None, help="write the plan to this CSV or .xlsx")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from waitlab.report._excel import write_workbook
    from waitlab.report._safe import neutralize_cells
    from waitlab.staffing import _describe, staffing_from_log

    contacts, ingest = read_log_from_args(args)
    print(ingest)
    pat: float | str | None = args.patience
    if args.patience == "none":
        pat = None
    elif args.patience != "auto":
        try:
            pat = float(args.patience)
        except ValueError:
            raise ArgumentError(f"--patience must be a number of seconds, 'auto' or 'none', "
                                f"got {args.patience!r}.") from None
    plan, notes = staffing_from_log(
        contacts, freq=args.freq, by=args.by.split(",") if args.by else None, mean_patience=pat,
        service_level=args.sl, asa=args.asa, abandon=args.abandon, wait_limits=args.wait_limit,
        max_occupancy=args.max_occupancy, shrinkage=args.shrinkage,
    )
    for n in notes:
        print(f"- {n}")
    d = _describe(plan)
    print(f"{d['intervals_with_arrivals']} intervals with arrivals; {d['understaffed']} understaffed "
          f"(largest shortfall {d['max_shortfall']} desks)")
    worst = plan[plan["understaffed"]].sort_values("shortfall", ascending=False).head(10)
    if len(worst):
        cols = [c for c in ("interval_start", "queue", "arrivals", "aht", "servers", "observed_desks", "shortfall")
                if c in worst.columns]
        print(worst[cols].to_string(index=False))
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".xlsx":
            write_workbook(out, {"staffing": plan})
        else:
            neutralize_cells(plan).to_csv(out, index=False)
        print(f"plan written to {out}")
    return 0
