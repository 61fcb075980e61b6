"""``waitlab ingest``: read a queue log into a contacts table (Parquet or CSV) and report."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from waitlab.commands._options import log_options, read_log_from_args
from waitlab.exceptions import ArgumentError

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``ingest`` sub-command."""
    p = subparsers.add_parser(
        "ingest",
        parents=[log_options()],
        help="read a queue log (kiosk, acd, asterisk, seelab) into a contacts table",
        description=(
            "Read a queue log into the canonical contacts table and print the ingest report "
            "(rows read = used + quarantined, reasons, notes). Quarantined rows are written "
            "next to the output as <output>.quarantine.csv unless --quarantine says otherwise. "
            "CSV and Excel files are safe to open: cells a spreadsheet would run as a formula get a leading '."
        ),
    )
    p.add_argument("-o", "--output", required=True, help="contacts file to write (.parquet, .csv or .xlsx)")
    p.add_argument("--quarantine", default=None, help="CSV for quarantined rows (default: next to the output)")
    p.add_argument("--hash-ids", action="store_true",
                   help="replace contact and customer ids (also in the quarantine) by salted hashes")
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``waitlab ingest``; return the exit status (0 on success)."""
    from waitlab.report import new_salt, write_table

    out = Path(args.output)
    if out.suffix.lower() not in (".parquet", ".csv", ".xlsx"):
        raise ArgumentError(f"-o {out}: the output must end in .parquet, .csv or .xlsx.")
    contacts, report = read_log_from_args(args)
    salt = new_salt() if args.hash_ids else None  # one salt for both files, so that they still join
    write_table(contacts, out, salt=salt, sheet="contacts")
    qpath = Path(args.quarantine) if args.quarantine else out.with_name(out.stem + ".quarantine.csv")
    wrote_q = report.rows_quarantined > 0 or args.quarantine is not None
    if wrote_q:
        report.write_quarantine(qpath, salt=salt)
    if args.json:
        d = report.to_dict() | {"output": str(out), "quarantine_file": str(qpath) if wrote_q else None}
        print(json.dumps(d, indent=2, ensure_ascii=False))
    else:
        print(report)
        print(f"contacts: {out} ({len(contacts):,} rows{', ids hashed' if salt else ''})")
        if wrote_q:
            print(f"quarantine: {qpath} ({report.rows_quarantined:,} rows)")
    return 0
