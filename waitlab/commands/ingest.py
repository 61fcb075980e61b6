"""``waitlab ingest``: read queue logs into a contacts table (Parquet or CSV) or a network store, and report."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from waitlab.commands._options import log_options
from waitlab.exceptions import ArgumentError
from waitlab.readers import read_log

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``ingest`` sub-command."""
    p = subparsers.add_parser(
        "ingest",
        parents=[log_options()],
        help="read queue logs (kiosk, acd, asterisk, seelab) into a contacts table or a network store",
        description=(
            "Read a queue log into the canonical contacts table and print the ingest report "
            "(rows read = used + quarantined, reasons, notes). Quarantined rows are written "
            "next to the output as <output>.quarantine.csv unless --quarantine says otherwise. "
            "CSV and Excel files are safe to open: cells a spreadsheet would run as a formula get a leading '. "
            "Several files, a folder or a glob are read one by one, each with its own report, and either "
            "concatenated into -o or written into a partitioned Parquet store with --store DIR (by site and "
            "month; adding a month rewrites nothing else). A file that cannot be read is reported and the "
            "others still go in; the exit status is then 1."
        ),
    )
    p.add_argument("more_logs", nargs="*", default=[], metavar="LOG",
                   help="more log files, folders or globs (LOG itself may be a folder or a glob too)")
    p.add_argument("-o", "--output", default=None, help="contacts file to write (.parquet, .csv or .xlsx)")
    p.add_argument("--store", default=None, metavar="DIR",
                   help="write a network store (Parquet by site and month) into DIR instead of one file")
    p.add_argument("--site-from", default=None, metavar="log|filename|REGEX",
                   help="where each contact's site comes from: the log, the file name, or a regular "
                   "expression with one group searched in the file name [log]")
    p.add_argument("--quarantine", default=None, help="CSV for quarantined rows (default: next to the output)")
    p.add_argument("--hash-ids", action="store_true",
                   help="replace contact and customer ids (also in the quarantine) by salted hashes")
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of text")
    p.set_defaults(func=run)


def _sources(args: argparse.Namespace) -> list[str]:
    return [args.log, *args.more_logs]


def _one_plain_file(args: argparse.Namespace) -> bool:
    """True for the single-file form ``ingest LOG -o OUT`` (kept exactly as it always was)."""
    log = Path(args.log)
    return (not args.more_logs and args.store is None and args.site_from is None and not log.is_dir()
            and (log.exists() or not any(c in args.log for c in "*?[")))


def run(args: argparse.Namespace) -> int:
    """Run ``waitlab ingest``; return the exit status (0 on success, 1 when a file of many could not be read)."""
    if (args.output is None) == (args.store is None):
        raise ArgumentError("give either -o FILE (a contacts file) or --store DIR (a network store), not both nor neither.")
    if args.store is not None:
        return _run_store(args)
    out = Path(args.output)
    if out.suffix.lower() not in (".parquet", ".csv", ".xlsx"):
        raise ArgumentError(f"-o {out}: the output must end in .parquet, .csv or .xlsx.")
    if _one_plain_file(args):
        return _run_one(args, out)
    return _run_many(args, out)


def _read_opts(args: argparse.Namespace) -> dict[str, Any]:
    return {"format": args.format, "mapping": args.mapping, "tz": args.tz, "encoding": args.encoding,
            "sep": args.sep, "dayfirst": args.dayfirst}


def _run_one(args: argparse.Namespace, out: Path) -> int:
    contacts, report = read_log(args.log, **_read_opts(args))
    _write(args, out, contacts, report, "", "")
    return 0


def _write(args: argparse.Namespace, out: Path, contacts: Any, report: Any, rows_from: str, q_extra: str) -> None:
    """The contacts file, the quarantine beside it, and the report printed (text or JSON)."""
    from waitlab.report import new_salt, write_table

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
        print(f"contacts: {out} ({len(contacts):,} rows{rows_from}{', ids hashed' if salt else ''})")
        if wrote_q:
            print(f"quarantine: {qpath} ({report.rows_quarantined:,} rows{q_extra})")


def _run_many(args: argparse.Namespace, out: Path) -> int:
    from waitlab.network import read_logs

    contacts, report = read_logs(_sources(args), site_from=args.site_from or "log", **_read_opts(args))
    _write(args, out, contacts, report, f" from {len(report.files)} file(s)", ", with their source file")
    return 0 if report.ok else 1


def _run_store(args: argparse.Namespace) -> int:
    from waitlab.network import ingest_to_store

    if args.hash_ids or args.quarantine:
        raise ArgumentError("--hash-ids and --quarantine apply to -o files; a --store keeps its quarantine in "
                            "DIR/_ingest/ and its ids as read, so drop them (or use -o).")
    report = ingest_to_store(_sources(args), args.store, site_from=args.site_from or "log", **_read_opts(args))
    if args.json:
        print(json.dumps(report.to_dict() | {"store": str(args.store)}, indent=2, ensure_ascii=False))
    else:
        print(report)
        print(f"store: {args.store} ({report.rows_used:,} contacts from {len(report.files)} file(s); "
              f"reports and quarantines in {Path(args.store) / '_ingest'})")
    return 0 if report.ok else 1
