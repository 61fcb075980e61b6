"""Refuse a log read with the wrong format, and say which format fits.

:func:`refuse_unusable` wraps :func:`waitlab.readers.read_log`:

* an error of the format asked for (missing columns, a header repeating a name, ...; without a
  mapping, whose own message names the missing column) on a file that another format fits becomes "this is not a SEELab file; it looks like an Asterisk
  queue_log; use format asterisk";
* a read that uses fewer than :data:`MIN_USED_SHARE` (1 %) of a non-empty file's rows is
  refused: nothing downstream can be computed from it (reports would end in empty intervals
  or missing times). The message names the file, how many rows were used, the most common
  reason with its first line, and the format that fits when one does.

Only the failing path sniffs the file; a good read costs nothing more.
"""

from __future__ import annotations

import csv
import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from waitlab.exceptions import LogFormatError
from waitlab.readers._report import IngestReport
from waitlab.readers._tables import _sniff_sep, load_table, read_head_text

__all__ = ["MIN_USED_SHARE", "asterisk_like", "guess_format", "refuse_unusable"]

#: A read must use at least this share of a non-empty file's rows (0.01: 1 %).
MIN_USED_SHARE = 0.01
_SEELAB_COLUMNS = {"vru+line", "call_id", "q_start", "outcome"}
_WHAT = {
    "asterisk": "an Asterisk queue_log",
    "seelab": "a SEELab file",
    "contacts": "a canonical contacts file",
    "kiosk": "a kiosk (turn-terminal) export",
    "acd": "an ACD call log",
}
F = TypeVar("F", bound=Callable[..., object])


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _by_columns(columns: list[str]) -> tuple[str, str] | None:
    """(format, evidence) that a table with these column names fits, as read_log's detection sees it."""
    from waitlab.readers._core import _CONTACTS_REQUIRED, _fits
    from waitlab.readers._mapping import load_mapping, shipped_mappings
    from waitlab.readers._tabular import normalise_name

    names = {normalise_name(c) for c in columns}
    shown = _short(", ".join(str(c) for c in columns))
    if names >= _SEELAB_COLUMNS:
        return "seelab", f"its header has the SEELab columns {shown}"
    if set(_CONTACTS_REQUIRED) <= names:
        return "contacts", f"its header has the canonical columns {shown}"
    for name in shipped_mappings():
        m = load_mapping(name)
        if _fits(m, columns):
            return m.format, f"its header has every column of the shipped mapping {name}: {shown}"
    return None


def asterisk_like(head: list[str]) -> bool:
    """Whether the first text lines of a file are queue_log lines: the first one, or most of them."""
    from waitlab.readers._core import _ASTERISK_LINE

    hits = [bool(_ASTERISK_LINE.match(line)) for line in head]
    return bool(hits) and (hits[0] or sum(hits) * 2 > len(hits))


def guess_format(path: Path, encoding: str | None = None) -> tuple[str, str] | None:
    """``(format, evidence)`` that the content of `path` fits, or None when no format does."""
    try:
        kind, head = read_head_text(path, encoding)
        if kind != "csv":
            return _by_columns([str(c) for c in load_table(path, encoding=encoding).frame.columns])
        if not head:
            return None
        if asterisk_like(head):
            return "asterisk", f"its lines are 'epoch|callid|queue|agent|EVENT|...', line 1 reads {_short(head[0])!r}"
        sep = _sniff_sep(path, head[:20], None, [])
        return _by_columns([h.strip() for h in next(csv.reader([head[0]], delimiter=sep))])
    except (LogFormatError, UnicodeError, csv.Error, StopIteration):
        return None


def _fix(guess: tuple[str, str] | None, used: str) -> str:
    if guess is None or guess[0] == used:
        return ""
    return f"; this looks like {_WHAT[guess[0]]} ({guess[1]}); use format {guess[0]} (--format {guess[0]})"


def _check_share(path: Path, report: IngestReport, encoding: str | None) -> None:
    """Refuse `report`'s read when it used under :data:`MIN_USED_SHARE` of a non-empty file's rows."""
    read, used, fmt = report.rows_read, report.rows_used, report.format
    if read == 0 or used >= MIN_USED_SHARE * read:
        return
    top, count = max(report.reasons.items(), key=lambda kv: kv[1]) if report.reasons else ("?", 0)
    lines = report.quarantine.loc[report.quarantine["reason"] == top, "line"]
    first = f" from line {int(lines.min())}" if len(lines) else ""
    options = "--format, --mapping" if fmt in ("kiosk", "acd") else "--format"
    fix = _fix(guess_format(path, encoding), fmt) or f"; check the format ({options}), or fix those values"
    raise LogFormatError(
        f"{path}: only {used:,} of its {read:,} rows could be used as format {fmt}, and a read must use at least "
        f"{MIN_USED_SHARE:.0%} of them (commonest reason, on {count:,} rows{first}: {top}){fix}."
    )


def refuse_unusable(read: F) -> F:
    """Wrap ``read_log``: upgrade a format error when another format fits; refuse an unusable read."""
    signature = inspect.signature(read)

    @functools.wraps(read)
    def wrapper(*args: object, **kwargs: object) -> object:
        bound = signature.bind(*args, **kwargs)
        path = Path(str(bound.arguments["path"]))
        encoding = bound.arguments.get("encoding")
        encoding = encoding if isinstance(encoding, str) else None
        asked = bound.arguments.get("format")
        try:
            result = read(*args, **kwargs)
        except LogFormatError as exc:
            if asked not in _WHAT or bound.arguments.get("mapping") is not None or not path.is_file():
                raise  # no format asked (detection failed alike), or a mapping: its message names the column
            guess = guess_format(path, encoding)
            if guess is None or guess[0] == asked:
                raise
            raise LogFormatError(
                f"{path}: this is not {_WHAT[str(asked)]}; it looks like "
                f"{_WHAT[guess[0]]} ({guess[1]}); use format {guess[0]} (--format {guess[0]})."
            ) from exc
        if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], IngestReport):
            _check_share(path, result[1], encoding)
        return result

    return wrapper  # type: ignore[return-value]
