"""``waitlab ingest``: read a queue log into a contacts table (Parquet or CSV) and report."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from waitlab.exceptions import ArgumentError
from waitlab.readers import FORMATS, read_log

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``ingest`` sub-command."""
    p = subparsers.add_parser(
        "ingest",
        help="read a queue log (kiosk, acd, asterisk, seelab) into a contacts table",
        description=(
            "Read a queue log into the canonical contacts table and print the ingest report "
            "(rows read = used + quarantined, reasons, assumptions). Quarantined rows are written "
            "next to the output as <output>.quarantine.csv unless --quarantine says otherwise."
        ),
    )
    p.add_argument("log", help="the log file: CSV, .xlsx, Parquet, Asterisk queue_log, or any of them .gz")
    p.add_argument("--format", choices=FORMATS, default=None, help="log format (detected when omitted)")
    p.add_argument("--mapping", default=None, help="mapping TOML path or shipped name (vendor_a_es, vendor_b_en, acd_default)")
    p.add_argument("--tz", default=None, help="IANA timezone of the log's local times (default stated in the report)")
    p.add_argument("--encoding", default=None, help="text encoding (inferred when omitted)")
    p.add_argument("--sep", default=None, help="field separator (inferred when omitted)")
    day = p.add_mutually_exclusive_group()
    day.add_argument("--dayfirst", dest="dayfirst", action="store_true", default=None, help="dates are dd/mm/yyyy")
    day.add_argument("--monthfirst", dest="dayfirst", action="store_false", help="dates are mm/dd/yyyy")
    p.add_argument("-o", "--output", required=True, help="contacts file to write (.parquet, or .csv)")
    p.add_argument("--quarantine", default=None, help="CSV for quarantined rows (default: next to the output)")
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``waitlab ingest``; return the exit status (0 on success)."""
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise ArgumentError(f"-o {out}: the output must end in .parquet or .csv.")
    contacts, report = read_log(
        args.log, format=args.format, mapping=args.mapping, tz=args.tz,
        encoding=args.encoding, sep=args.sep, dayfirst=args.dayfirst,
    )  # fmt: skip
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        contacts.to_parquet(out, index=False)
    else:
        contacts.to_csv(out, index=False, date_format="%Y-%m-%d %H:%M:%S%z")
    qpath = Path(args.quarantine) if args.quarantine else out.with_name(out.stem + ".quarantine.csv")
    wrote_q = report.rows_quarantined > 0 or args.quarantine is not None
    if wrote_q:
        report.write_quarantine(qpath)
    if args.json:
        d = report.to_dict() | {"output": str(out), "quarantine_file": str(qpath) if wrote_q else None}
        print(json.dumps(d, indent=2, ensure_ascii=False))
    else:
        print(report)
        print(f"contacts: {out} ({len(contacts):,} rows)")
        if wrote_q:
            print(f"quarantine: {qpath} ({report.rows_quarantined:,} rows)")
    return 0
