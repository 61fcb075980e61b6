"""The ``waitlab`` command line.

Each sub-command lives in its own module under :mod:`waitlab.commands` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to the function that runs
it (``func(args) -> int``). Every error a user can cause is a :class:`WaitlabError`
(input files that are missing or unreadable included: the library wraps them where it opens
them); it is printed as one plain sentence on stderr with exit status 2, never as a traceback.
The one other case caught is an ``OSError``: an output that cannot be written (no such folder,
a file in the way, no permission, disk full) or a scheduler that cannot be reached. Those
happen inside pandas, openpyxl, matplotlib and dask at many places, and the error already
names the file, so it is reported here in one line rather than wrapped at each place.
Output piped into a program that stops reading early (``waitlab ingest --json | head``) ends
the command quietly, with the status of a process stopped by SIGPIPE (141), as ``cat`` does.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from waitlab import commands
from waitlab.exceptions import WaitlabError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every sub-command of :mod:`waitlab.commands`."""
    parser = argparse.ArgumentParser(
        prog="waitlab",
        description="Queue and wait-time analytics, compliance, staffing and simulation.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        status = int(args.func(args) or 0)
        sys.stdout.flush()  # output still buffered meets a closed pipe here, not at exit
        return status
    except WaitlabError as exc:
        print(f"waitlab {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader of our output went away (| head): stop quietly
        _silence_stdout()
        return 141
    except OSError as exc:  # an output that cannot be written (see the module docstring)
        what = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        print(f"waitlab {args.command}: {what}; check the path and its permissions.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    """Point stdout at the null device, so that flushing it at exit cannot fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (stdout replaced, e.g. under a test harness)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
