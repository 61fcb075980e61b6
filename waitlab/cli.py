"""The ``waitlab`` command line.

Each sub-command lives in its own module under :mod:`waitlab.commands` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to the function that runs
it (``func(args) -> int``). Errors that waitlab raises on purpose (:class:`WaitlabError`,
and the ``ValueError`` of a bad argument) are printed as one plain sentence on stderr with
exit status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
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
        return int(args.func(args) or 0)
    except (WaitlabError, FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        print(f"waitlab {args.command}: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # bad argument values (models validate with ValueError)
        print(f"waitlab {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
