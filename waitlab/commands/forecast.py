"""``waitlab forecast LOG``: next week's arrivals and handling time per interval, or a backtest of them."""

from __future__ import annotations

import argparse
from pathlib import Path

from waitlab.commands._options import interval_from_args, interval_option, log_options, read_log_from_args
from waitlab.exceptions import ArgumentError

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "forecast",
        parents=[log_options()],
        help="forecast the next days' arrivals and handling time per interval (or backtest the forecast)",
        description="Forecast arrivals (with prediction bounds) and handling time per interval for the days after "
        "the log, with public holidays and the days around them, and compare with the seasonal-naive baseline "
        "(the same interval one week earlier). --backtest forecasts the log's last weeks from the days before "
        "each and reports WAPE and MAE by horizon day.",
    )
    interval_option(p, "interval width")
    p.add_argument("--horizon", default="7D", help="days ahead, e.g. 7D [7D]")
    p.add_argument("--by", default="queue", help="comma-separated grouping, or 'none' for the total [queue]")
    p.add_argument("--country", default="AR", help="holiday calendar: ISO country code, or 'none' [AR]")
    p.add_argument("--level", type=int, action="append", default=None, metavar="PERCENT",
                   help="prediction-interval level, repeatable [80 and 95]")
    p.add_argument("--start", default=None, help="first day forecast, YYYY-MM-DD [the day after the log]")
    p.add_argument("--model", choices=("auto", "profile", "seasonal_naive"), default="auto",
                   help="the model: the better on the last held-out week, or the one named [auto]")
    p.add_argument("--backtest", action="store_true", help="score the forecast on the log's last weeks instead")
    p.add_argument("--folds", type=int, default=2, help="backtest: how many horizons to forecast [2]")
    p.add_argument("--working-days", action="store_true", help="backtest: score the working week's days only")
    p.add_argument("-o", "--out", default=None, help="write the forecast (or the backtest table) to this CSV")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import waitlab
    from waitlab.report._safe import neutralize_cells

    interval = interval_from_args(args)
    if args.folds < 1:
        raise ArgumentError(f"--folds must be a whole number >= 1, got {args.folds}.")
    by = None if args.by.lower() == "none" else args.by.split(",")
    country = None if args.country.lower() == "none" else args.country
    contacts, ingest = read_log_from_args(args)
    print(ingest)
    if args.backtest:
        bt = waitlab.forecast_backtest(contacts, horizon=args.horizon, interval=interval, by=by, country=country,
                                       folds=args.folds, days="working" if args.working_days else "all",
                                       model=args.model)
        print(bt)
        table = bt.table
    else:
        fc = waitlab.forecast(contacts, horizon=args.horizon, interval=interval, by=by, country=country,
                              level=tuple(args.level or (80, 95)), start=args.start, model=args.model)
        print(fc)
        table = fc.table
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        neutralize_cells(table).to_csv(out, index=False)
        print(f"{'backtest' if args.backtest else 'forecast'} written to {out}")
    return 0
