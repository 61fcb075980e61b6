"""Options shared by the commands: the log options (``ingest``, ``report``, ``staff``, ``replay``), the scenario, the interval.

:func:`log_options` is an argparse *parent*: every command that reads a log gets the same
``LOG`` positional and the same ``--format``, ``--mapping``, ``--tz``, ``--encoding``, ``--sep``
and ``--dayfirst``/``--monthfirst`` options, with the same names, defaults and checks;
:func:`read_log_from_args` reads the log they describe. (cli.py skips this module when it
looks for sub-commands: its name starts with ``_``.) :func:`scenario_path` resolves the
SCENARIO argument of ``simulate`` and ``plan``. :func:`interval_option` adds the one
``--interval WIDTH`` option (``report``, ``staff``, ``replay``), read with
:func:`waitlab.parse_interval` by :func:`interval_from_args`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from waitlab import parse_interval
from waitlab.exceptions import ArgumentError, ScenarioError
from waitlab.readers import FORMATS, IngestReport, read_log, shipped_mappings

__all__ = ["interval_from_args", "interval_option", "log_options", "read_log_from_args", "scenario_path"]


def log_options(optional: bool = False) -> argparse.ArgumentParser:
    """A parent parser with the log positional and the options of :func:`waitlab.read_log`.

    `optional` makes the LOG positional optional (``staff --forecast FILE`` reads no log).
    """
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("log", nargs="?" if optional else None, default=None,
                   help="the log file: CSV, .xlsx, Parquet, Asterisk queue_log or SEELab text, "
                   "or any of them .gz")
    p.add_argument("--format", choices=FORMATS, default=None, help="log format [detected]")
    p.add_argument("--mapping", default=None, help="column mapping: a TOML path or a shipped name "
                   f"({', '.join(shipped_mappings())})")
    p.add_argument("--tz", default=None, help="IANA timezone of the log's local times [stated in the ingest report]")
    p.add_argument("--encoding", default=None, help="text encoding [inferred]")
    p.add_argument("--sep", default=None, help="field separator [inferred]")
    day = p.add_mutually_exclusive_group()
    day.add_argument("--dayfirst", dest="dayfirst", action="store_true", default=None, help="dates are dd/mm/yyyy")
    day.add_argument("--monthfirst", dest="dayfirst", action="store_false", help="dates are mm/dd/yyyy")
    return p


def read_log_from_args(args: argparse.Namespace) -> tuple[pd.DataFrame, IngestReport]:
    """``(contacts, ingest report)`` of the log that the :func:`log_options` of `args` describe."""
    return read_log(args.log, format=args.format, mapping=args.mapping, tz=args.tz,
                    encoding=args.encoding, sep=args.sep, dayfirst=args.dayfirst)


def on_duty_option(p: argparse.ArgumentParser) -> None:
    """Add ``--on-duty ESTIMATOR`` (the desks-on-duty estimator of :func:`waitlab.interval_stats`)."""
    p.add_argument("--on-duty", choices=("available", "gaps", "presence", "log"), default="available",
                   help="how desks on duty are measured: 'available' (default: through idle gaps under 15 min, "
                   "except while the desk's contacts waited), 'gaps', 'presence' (5-min bins) or 'log' (an "
                   "Asterisk queue_log's logins and pauses)")


def on_duty_from_args(args: argparse.Namespace, ingest: IngestReport) -> dict[str, object]:
    """Keyword arguments ``on_duty`` and ``sessions`` from ``--on-duty`` and the log's ingest report."""
    if args.on_duty != "log":
        return {"on_duty": args.on_duty}
    return {"on_duty": "log", "sessions": ingest.agent_sessions}


def interval_option(p: argparse.ArgumentParser, what: str) -> None:
    """Add ``--interval WIDTH`` (default 30min) to `p`; `what` says what the width is for."""
    p.add_argument("--interval", default="30min", metavar="WIDTH",
                   help=f"{what}: a width with its unit, e.g. 15min, 1h or 900s; it must divide a day [30min]")


def interval_from_args(args: argparse.Namespace) -> float:
    """Seconds of ``--interval``; ArgumentError for a bare number ("give a unit, e.g. 30min") or a bad width."""
    return parse_interval(args.interval, "--interval")


def scenario_path(text: str) -> Path:
    """The scenario file `text`, or the bundled example of that name (:func:`waitlab.sim.example_path`)."""
    from waitlab.sim import example_path  # lazy: waitlab.sim loads the simulation engines

    path = Path(text)
    if not path.exists() and path.suffix == "":
        try:
            return example_path(text)
        except ArgumentError:
            pass
    if not path.is_file():
        raise ScenarioError(f"scenario file {str(path)!r} does not exist; give the path of a TOML scenario "
                            "or the name of a bundled example (branch, branch12h, mmc).")
    return path
