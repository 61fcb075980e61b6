"""``waitlab report LOG -o out/``: read a log and write the HTML report and Excel workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from waitlab.commands._options import interval_from_args, interval_option, log_options, read_log_from_args

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "report",
        parents=[log_options()],
        help="read a log and write an HTML report and an Excel workbook",
        description="Read a turn-terminal or call-center log and write report.html and report.xlsx "
        "(volumes, waits, service level, abandonment, compliance with wait-limit rules, patience).",
    )
    p.add_argument("--rules", default="auto",
                   help="rule set name (CABA, limit15, ...), TOML path, or 'none' [auto: CABA for branch logs, "
                        "none for phone logs]")
    p.add_argument("--seats", type=int, default=None, help="seats in the waiting room (unknown: every wait counts as standing)")
    p.add_argument("--lang", choices=("es", "en"), default="es", help="report language [es]")
    interval_option(p, "interval width of the tables")
    p.add_argument("--sl-threshold", type=float, default=None,
                   help="service-level threshold T in seconds [20 for phone logs, 900 for branch logs]")
    p.add_argument("--sl-share", type=float, default=None, help="service-level target share, e.g. 0.8 [0.8]")
    p.add_argument("--contacts-sheet", action="store_true",
                   help="also put the contacts table in the workbook (slow for a month; default: contacts.csv)")
    p.add_argument("--hash-ids", action="store_true", help="replace customer and contact ids by salted hashes")
    p.add_argument("-o", "--out", default="out", help="output folder [out]")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from waitlab.report import new_salt, write_report

    interval = interval_from_args(args)  # a bad width fails before the log is read
    contacts, ingest = read_log_from_args(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(ingest)
    salt = new_salt() if args.hash_ids else None  # one salt for the quarantine and the workbook
    if ingest.rows_quarantined:
        ingest.write_quarantine(out / "quarantine.csv", salt=salt)
        print(f"quarantined rows written to {out / 'quarantine.csv'}")
    from waitlab import defaults_for

    rules = None if str(args.rules).lower() == "none" else args.rules
    defaults = defaults_for(contacts, rules=rules, sl_threshold=args.sl_threshold, sl_share=args.sl_share)
    for sentence in defaults.sentences(args.lang):
        print(sentence)
    paths = write_report(contacts, out, ingest=ingest, rules=rules, seats=args.seats, hash_ids=args.hash_ids,
                         salt=salt, lang=args.lang, interval=interval, sl_threshold=args.sl_threshold, sl_share=args.sl_share,
                         contacts_sheet=args.contacts_sheet)
    print(f"report: {paths['html']}\nworkbook: {paths['excel']}")
    if "contacts" in paths:
        print(f"contacts: {paths['contacts']}")
    return 0
