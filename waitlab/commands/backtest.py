"""``waitlab backtest LOG --train START:END --test START:END``: Erlang C and Erlang A against the log."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from waitlab._backtest import ModelBacktestResult
from waitlab.commands._options import (
    interval_from_args,
    log_options,
    on_duty_from_args,
    on_duty_option,
    read_log_from_args,
)
from waitlab.exceptions import ArgumentError
from waitlab.i18n import t

__all__ = ["register", "run"]

_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "backtest",
        parents=[log_options()],
        help="check Erlang C and Erlang A against the log: predicted vs observed KPIs per interval",
        description="Fit patience on a training period and, for every interval of a test period, predict the "
        "abandonment share, the ASA of answered calls, the mean wait, P(wait > 0) and the service level from that interval's "
        "arrivals, mean service and desks on duty, with Erlang C and Erlang A; print the errors per model and KPI.",
    )
    p.add_argument("--train", required=True, metavar="START:END|FILE",
                   help="training period, e.g. 2024-03-01:2024-03-14 (end day included), or another log file "
                   "(read with the same options)")
    p.add_argument("--test", required=True, metavar="START:END", help="test period, e.g. 2024-03-15:2024-03-28")
    p.add_argument("--interval", default="1h", metavar="WIDTH", help="interval width, e.g. 30min or 1h [1h]")
    p.add_argument("--by", default=None, help="comma-separated grouping, e.g. pool or queue [none]")
    p.add_argument("--sl", default="20", metavar="SECONDS", help="comma-separated SL thresholds, seconds [20]")
    p.add_argument("--hours", default=None, metavar="FIRST-LAST", help="only intervals from FIRST to LAST o'clock, e.g. 7-23")
    p.add_argument("--days", default=None, metavar="DAYS", help="only these weekdays, e.g. sun,mon,tue,wed,thu")
    p.add_argument("--models", default="erlang_c,erlang_a", metavar="LIST",
                   help="comma-separated models: erlang_c, erlang_a, simulation [erlang_c,erlang_a]")
    p.add_argument("--simulate", type=int, default=None, metavar="REPS",
                   help="add the simulator as a model: REPS replications of each test day as it was [off; 20 with "
                   "--models ...,simulation]")
    on_duty_option(p)
    p.add_argument("--seed", type=int, default=0, help="seed of the simulator's replications [0]")
    p.add_argument("-o", "--out", default=None, metavar="DIR",
                   help="write backtest.csv, backtest.xlsx and backtest_<kpi>.png to this folder (or only the table "
                   "to a path ending in .csv or .xlsx)")
    p.add_argument("--lang", choices=("es", "en"), default="es", help="language of the figures and workbook [es]")
    p.set_defaults(func=run)


def _period(text: str, flag: str) -> tuple[str, str]:
    parts = text.split(":") if text.count(":") == 1 else []
    if len(parts) != 2 or not all(parts):
        raise ArgumentError(f"{flag} {text!r} is not START:END; give two dates, e.g. 2024-03-01:2024-03-14.")
    return parts[0], parts[1]


def run(args: argparse.Namespace) -> int:
    import waitlab

    interval = interval_from_args(args)
    try:
        sl = tuple(float(x) for x in args.sl.split(","))
    except ValueError:
        raise ArgumentError(f"--sl {args.sl!r} must be seconds separated by commas, e.g. 20,60.") from None
    hours = None
    if args.hours:
        try:
            lo, hi = (int(x) for x in args.hours.split("-"))
        except ValueError:
            raise ArgumentError(f"--hours {args.hours!r} must be FIRST-LAST whole hours, e.g. 7-23.") from None
        hours = (lo, hi)
    days = None
    if args.days:
        bad = [d for d in args.days.lower().split(",") if d not in _DAYS]
        if bad:
            raise ArgumentError(f"--days: {bad[0]!r} is not a weekday; use mon,tue,wed,thu,fri,sat,sun.")
        days = [_DAYS[d] for d in args.days.lower().split(",")]
    test = _period(args.test, "--test")
    contacts, ingest = read_log_from_args(args)
    print(ingest)
    train: tuple[str, str] | pd.DataFrame
    if Path(args.train).is_file():
        train, train_ingest = waitlab.read_log(args.train, format=args.format, mapping=args.mapping, tz=args.tz,
                                               encoding=args.encoding, sep=args.sep, dayfirst=args.dayfirst)
        print(train_ingest)
    else:
        train = _period(args.train, "--train")
    by = None if not args.by or args.by.lower() == "none" else args.by.split(",")
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    if args.simulate is not None and args.simulate < 1:
        raise ArgumentError(f"--simulate {args.simulate} must be a number of replications >= 1, e.g. 20.")
    simulate = None
    if args.simulate is not None or "simulation" in models:
        from waitlab.sim import as_is_simulator

        simulate = as_is_simulator(args.simulate or 20, rng=args.seed)
    res = waitlab.backtest(contacts, train=train, test=test, interval=interval, by=by, sl_thresholds=sl,
                           hours=hours, weekdays=days, models=models, simulate=simulate,
                           **on_duty_from_args(args, ingest))  # type: ignore[arg-type]
    print(res)
    if args.out:
        for path in _write(res, Path(args.out), args.lang):
            print(t("backtest.written", args.lang, path=path))
    return 0


def _write(res: ModelBacktestResult, out: Path, lang: str) -> list[Path]:
    """The table (CSV), the workbook and one figure per KPI in folder `out`; or one table file."""
    if out.suffix.lower() == ".xlsx":
        return [res.to_excel(out, lang=lang)]
    if out.suffix.lower() == ".csv":
        return [res.to_csv(out)]
    out.mkdir(parents=True, exist_ok=True)
    paths = [res.to_csv(out / "backtest.csv"), res.to_excel(out / "backtest.xlsx", lang=lang)]
    for kpi in dict.fromkeys(res.table["kpi"]):
        png = out / f"backtest_{kpi}.png"
        res.plot(str(kpi), lang=lang).savefig(png, dpi=110)
        paths.append(png)
    return paths
