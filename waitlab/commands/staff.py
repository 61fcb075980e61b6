"""``waitlab staff LOG``: required vs observed desks per interval, understaffed intervals flagged."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from waitlab.commands._options import (
    interval_from_args,
    interval_option,
    log_options,
    on_duty_from_args,
    on_duty_option,
    read_log_from_args,
)
from waitlab.exceptions import ArgumentError, TargetError
from waitlab.targets import Target

__all__ = ["register", "run"]


def _pair(text: str) -> tuple[float, float]:
    try:
        a, b = text.split(":")
        return float(a), float(b)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected two numbers as SECONDS:SHARE, e.g. 20:0.8, got {text!r}") from None


def _seconds_share(flag: str, pair: tuple[float, float], example: str) -> tuple[float, float]:
    """`pair` as (seconds, share), refusing the share written first (e.g. 0.8:20)."""
    seconds, share = pair
    if seconds <= 1 < share:
        raise TargetError(f"{flag} takes SECONDS:SHARE, e.g. {example}; got {seconds:g}:{share:g}")
    return seconds, share


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "staff",
        parents=[log_options(optional=True)],
        help="required vs observed desks per interval (Erlang C/A) from a log, or for a forecast",
        description="Measure arrivals and handling time per interval in a log, solve the fewest desks that "
        "meet every target (Erlang A with the log's patience, or Erlang C), and flag understaffed intervals.",
    )
    interval_option(p, "interval width")
    p.add_argument("--by", default=None, help="comma-separated grouping, e.g. queue")
    p.add_argument("--sl", type=_pair, default=None, metavar="SECONDS:SHARE",
                   help="service level: SHARE of arrivals answered within SECONDS, e.g. 20:0.8")
    p.add_argument("--asa", type=float, default=None, help="max mean wait, seconds")
    p.add_argument("--abandon", type=float, default=None, help="max probability of abandoning (Erlang A)")
    p.add_argument("--wait-limit", type=_pair, action="append", default=None,
                   metavar="SECONDS:SHARE",
                   help="regulatory form: at most SHARE wait over SECONDS; repeatable, e.g. 1800:0.05 5400:0.001")
    p.add_argument("--max-occupancy", type=float, default=None, help="occupancy cap in (0, 1]")
    p.add_argument("--shrinkage", type=float, default=0.0, help="share of paid time not available [0]")
    p.add_argument("--patience", default="auto", help="mean patience seconds, 'auto' (from the log) or 'none' (Erlang C)")
    p.add_argument("--service-time", choices=("interval", "period"), default="interval",
                   help="handling time of each interval: its own, or the long-run mean in every interval [interval]")
    p.add_argument("--service-fill", choices=("group", "period"), default="group",
                   help="long-run handling time (fills intervals with arrivals but no completed service): "
                   "the --by group's mean, or the whole log's [group]")
    p.add_argument("--forecast", default=None, metavar="CSV",
                   help="plan the forecast week of this file (written by `waitlab forecast -o`) instead of a log")
    p.add_argument("--quantile", type=int, default=None, metavar="LEVEL",
                   help="with --forecast: plan for the upper bound of the LEVEL %% prediction interval, e.g. 95")
    on_duty_option(p)
    p.add_argument("-o", "--out", default=None, help="write the plan to this CSV or .xlsx")
    p.set_defaults(func=run)


def _targets(args: argparse.Namespace) -> list[Target] | None:
    """The targets asked for on the command line (None: the library's default)."""
    out: list[Target] = []
    if args.sl is not None:
        out.append(Target.service_level(*_seconds_share("--sl", args.sl, "20:0.8")))
    out += [Target.wait_exceeds(*_seconds_share("--wait-limit", p, "1800:0.05")) for p in args.wait_limit or ()]
    if args.asa is not None:
        out.append(Target.mean_wait(args.asa))
    if args.abandon is not None:
        out.append(Target.abandon_rate(args.abandon))
    if args.max_occupancy is not None:
        out.append(Target.max_occupancy(args.max_occupancy))
    return out or None


def run(args: argparse.Namespace) -> int:
    from waitlab.staffing import staffing_from_log

    targets = _targets(args)  # a target written the wrong way round fails before the log is read
    interval = interval_from_args(args)  # and so does a bad width
    if args.forecast is not None:
        return _run_forecast(args, targets)
    if args.log is None:
        raise ArgumentError("staff needs a LOG, or --forecast FILE to plan a forecast week; give one of them.")
    if args.quantile is not None:
        raise ArgumentError("--quantile applies to a forecast only; add --forecast FILE or drop --quantile.")
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
    result = staffing_from_log(
        contacts, targets=targets, interval=interval, by=args.by.split(",") if args.by else None,
        mean_patience=pat, service_time=args.service_time, service_fill=args.service_fill, shrinkage=args.shrinkage,
        **on_duty_from_args(args, ingest),  # type: ignore[arg-type]
    )
    print(result)
    _write(result.table, args.out)
    return 0


def _run_forecast(args: argparse.Namespace, targets: list[Target] | None) -> int:
    """``staff --forecast FILE``: the desks the forecast week needs (Erlang C, or A with --patience SECONDS)."""
    import waitlab
    from waitlab.forecasting._staff import read_forecast

    if args.log is not None:
        raise ArgumentError("give either a LOG or --forecast FILE, not both.")
    if args.patience not in ("auto", "none"):
        try:
            pat: float | None = float(args.patience)
        except ValueError:
            raise ArgumentError(f"--patience must be a number of seconds, 'auto' or 'none', "
                                f"got {args.patience!r}.") from None
    else:
        pat = None  # a forecast has no abandonments to estimate patience from
    table = read_forecast(args.forecast)
    result = waitlab.staffing_from_forecast(table, targets=targets, quantile=args.quantile, mean_patience=pat,
                                            shrinkage=args.shrinkage)
    print("\n".join(f"- {n}" for n in result.notes))
    cols = [c for c in ("interval_start", "queue", "arrivals", "mean_service", "desks", "staff") if c in result.table]
    print(result.table[cols].to_string(index=False, max_rows=40))
    _write(result.table, args.out)
    return 0


def _write(plan: pd.DataFrame, out_arg: str | None) -> None:
    from waitlab.report._excel import write_workbook
    from waitlab.report._safe import neutralize_cells

    if out_arg:
        out = Path(out_arg)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".xlsx":
            write_workbook(out, {"staffing": plan})
        else:
            neutralize_cells(plan).to_csv(out, index=False)
        print(f"plan written to {out}")
