"""``read_logs``: many queue logs in (files, folders, globs), one contacts table and one report out.

Each file is read by :func:`waitlab.read_log` and keeps its own
:class:`~waitlab.readers.IngestReport`; :class:`NetworkIngestReport` adds them up file by file
(``rows_read == rows_used + rows_quarantined`` in every file and in total). A file that cannot
be read at all is reported in one sentence naming it, and the other files still go in.
"""

from __future__ import annotations

import glob as _glob
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from waitlab._cells import ID_COLUMNS, hash_ids, neutralize_cells
from waitlab.exceptions import ArgumentError, LogFormatError, WaitlabError
from waitlab.readers import IngestReport, read_log
from waitlab.schema import DEFAULT_TZ, coerce_contacts, empty_contacts

__all__ = ["NetworkIngestReport", "expand_sources", "file_digest", "read_logs", "site_rule", "stem_of"]

_GLOB_CHARS = re.compile(r"[*?\[]")
_COMPRESSED = (".gz",)


def file_digest(path: str | Path) -> str:
    """SHA-256 (hex) of the file's bytes, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def stem_of(path: str | Path) -> str:
    """The file name without its extension (and without ``.gz``): ``B001-centro.csv.gz`` -> ``B001-centro``."""
    name = Path(path).name
    for ext in _COMPRESSED:
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    return Path(name).stem


def _is_data_file(p: Path) -> bool:
    """A file a folder source contributes: not hidden, not ``_``-prefixed, not a quarantine file."""
    return p.is_file() and not p.name.startswith((".", "_")) and ".quarantine." not in p.name


def expand_sources(sources: str | Path | Iterable[str | Path]) -> list[Path]:
    """The files `sources` names: paths, folders (their files, not recursive) and globs, sorted, each once.

    Raises ArgumentError when a source matches no file.
    """
    items = [sources] if isinstance(sources, (str, Path)) else list(sources)
    if not items:
        raise ArgumentError("`sources` is empty; give a log file, a folder or a glob such as 'logs/*.csv'.")
    found: dict[Path, None] = {}
    for item in items:
        text = str(item)
        p = Path(item)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if _is_data_file(f))
            if not files:
                raise ArgumentError(f"folder {text} holds no log file; put the logs in it or give the files themselves.")
        elif p.exists() or not _GLOB_CHARS.search(text):
            files = [p]  # a missing plain path is reported by the reader, as one failed file
        else:
            files = sorted(Path(f) for f in _glob.glob(text, recursive=True) if _is_data_file(Path(f)))
            if not files:
                raise ArgumentError(f"the pattern {text!r} matches no file; check the folder and the pattern.")
        found.update(dict.fromkeys(files))
    return list(found)


def site_rule(site_from: str) -> re.Pattern[str] | None:
    """None for ``"log"``/``"filename"``; else the compiled regex (exactly one group), or ArgumentError."""
    if site_from in ("log", "filename"):
        return None
    try:
        pattern = re.compile(site_from)
    except re.error as exc:
        raise ArgumentError(
            f"`site_from` {site_from!r} is neither 'log', 'filename' nor a valid regular expression ({exc}); "
            "fix the pattern, e.g. '^(B\\d+)-'."
        ) from None
    if pattern.groups != 1:
        raise ArgumentError(
            f"`site_from` pattern {site_from!r} has {pattern.groups} groups; it needs exactly one, the site, "
            "e.g. '^(B\\d+)-'."
        )
    return pattern


@dataclass(frozen=True)
class NetworkIngestReport:
    """The ingest of many logs: each file's own report, and the totals reconciled file by file.

    Attributes
    ----------
    files : tuple of IngestReport
        One report per file read (its ``path`` is the source file), in the order read.
    failed : tuple of (str, str)
        ``(path, sentence)`` for each file that could not be read at all.
    sha256 : dict of str to str
        SHA-256 of every source file (read or failed, when it could be opened).
    rows_read, rows_used, rows_quarantined : int
        Sums over `files`; ``rows_read == rows_used + rows_quarantined`` holds in each file and in total.
    notes : tuple of str
        Files that failed, where each site came from, duplicates skipped, ids made unique.
    """

    files: tuple[IngestReport, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    sha256: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for r in self.files:
            if r.rows_read != r.rows_used + r.rows_quarantined:  # IngestReport checks it too; kept here for copies
                raise AssertionError(f"row accounting broken for {r.path}")

    @property
    def rows_read(self) -> int:
        """Rows read over all files."""
        return sum(r.rows_read for r in self.files)

    @property
    def rows_used(self) -> int:
        """Rows that became contacts, over all files."""
        return sum(r.rows_used for r in self.files)

    @property
    def rows_quarantined(self) -> int:
        """Rows set aside, over all files."""
        return sum(r.rows_quarantined for r in self.files)

    @property
    def ok(self) -> bool:
        """True when every file could be read."""
        return not self.failed

    def to_frame(self) -> pd.DataFrame:
        """One row per file: ``source``, ``status`` (read/failed), ``format``, row counts, ``error``."""
        rows: list[dict[str, Any]] = [
            {"source": r.path, "status": "read", "format": r.format, "rows_read": r.rows_read,
             "rows_used": r.rows_used, "rows_quarantined": r.rows_quarantined, "error": None}
            for r in self.files
        ]
        rows += [{"source": p, "status": "failed", "format": None, "rows_read": 0, "rows_used": 0,
                  "rows_quarantined": 0, "error": why} for p, why in self.failed]
        cols = ["source", "status", "format", "rows_read", "rows_used", "rows_quarantined", "error"]
        return pd.DataFrame(rows, columns=cols)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable values: totals, each file's report, the failures, the notes."""
        return {
            "files_read": len(self.files),
            "files_failed": len(self.failed),
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_quarantined": self.rows_quarantined,
            "files": [r.to_dict() | {"sha256": self.sha256.get(r.path)} for r in self.files],
            "failed": [{"path": p, "error": why} for p, why in self.failed],
            "notes": list(self.notes),
        }

    def quarantine(self) -> pd.DataFrame:
        """Every file's quarantined rows, with a first column ``source`` (the file)."""
        parts = [r.quarantine.assign(source=r.path) for r in self.files if len(r.quarantine)]
        if not parts:
            return pd.DataFrame({"source": [], "line": [], "reason": []})
        q = pd.concat(parts, ignore_index=True)
        return q[["source", *[c for c in q.columns if c != "source"]]]

    def write_quarantine(self, path: str | Path, *, salt: str | None = None) -> Path:
        """Write :meth:`quarantine` as UTF-8 CSV, formula-like cells neutralised, ids hashed with `salt`."""
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        table = self.quarantine()
        if salt:
            ids = dict.fromkeys((*ID_COLUMNS, *(c for r in self.files for c in r.id_fields)))
            table = hash_ids(table, salt, ids)
        neutralize_cells(table).to_csv(out, index=False, encoding="utf-8")
        return out

    def __str__(self) -> str:
        lines = [
            f"Ingest of {len(self.files) + len(self.failed)} file(s): {len(self.files)} read, {len(self.failed)} failed",
            f"  {'file':<40} {'read':>10} {'used':>10} {'quarantined':>12}",
        ]
        for r in self.files:
            lines.append(f"  {_short(r.path):<40} {r.rows_read:>10,} {r.rows_used:>10,} {r.rows_quarantined:>12,}")
        for p, _ in self.failed:
            lines.append(f"  {_short(p):<40} {'FAILED':>10}")
        lines.append(f"  {'total':<40} {self.rows_read:>10,} {self.rows_used:>10,} {self.rows_quarantined:>12,}")
        if self.notes:
            lines.append("  notes:")
            lines.extend(f"    - {n}" for n in self.notes)
        return "\n".join(lines)


def _short(path: str, width: int = 40) -> str:
    return path if len(path) <= width else "..." + path[-(width - 3):]


def _set_site(contacts: pd.DataFrame, path: Path, site_from: str, rule: re.Pattern[str] | None,
              notes: list[str]) -> pd.DataFrame:
    """Give `contacts` its site by `site_from`; LogFormatError when a regex does not match the name."""
    stem = stem_of(path)
    if rule is not None:
        m = rule.search(stem)
        if m is None or not m.group(1):
            raise LogFormatError(
                f"{path}: the site pattern {rule.pattern!r} does not match the file name {stem!r}; "
                "rename the file or change --site-from."
            )
        site = m.group(1)
    elif site_from == "filename":
        site = stem
    else:
        missing = contacts["site"].isna()
        if missing.any():
            contacts = contacts.assign(site=contacts["site"].fillna(stem))
            notes.append(f"{path}: {int(missing.sum()):,} row(s) have no site in the log; their site is the "
                         f"file name {stem!r}.")
        return contacts
    return contacts.assign(site=pd.Series(site, index=contacts.index, dtype="string"))


def read_one(path: Path, site_from: str, rule: re.Pattern[str] | None, read_opts: dict[str, Any],
             notes: list[str]) -> tuple[pd.DataFrame, IngestReport]:
    """One file through :func:`waitlab.read_log` and the site rule (errors propagate)."""
    contacts, report = read_log(path, **read_opts)
    return _set_site(contacts, path, site_from, rule, notes), report


def distinct_files(
    paths: Iterable[Path], failed: list[tuple[str, str]], digests: dict[str, str], notes: list[str], verb: str
) -> Iterator[tuple[Path, str]]:
    """Each readable file once, with its digest; an unreadable one goes to `failed`, a repeat to `notes`."""
    seen: dict[str, str] = {}
    for path in paths:
        try:
            digest = file_digest(path)
        except OSError as exc:
            failed.append((str(path), failure_sentence(path, exc)))
            continue
        digests[str(path)] = digest
        if digest in seen:
            notes.append(f"{path} has the same bytes as {seen[digest]}; it was {verb} once.")
            continue
        seen[digest] = str(path)
        yield path, digest


def failure_sentence(path: Path, exc: BaseException) -> str:
    """One sentence naming the file and why it could not be read."""
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, OSError) and exc.strerror:
        text = f"{exc.strerror}; check that the file exists and can be read."
    return text if str(path) in text else f"{path}: {text}"


def read_logs(
    sources: str | Path | Iterable[str | Path],
    *,
    format: str | None = None,  # noqa: A002 - the name read_log uses
    mapping: Any = None,
    tz: str | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    dayfirst: bool | None = None,
    site_from: str = "log",
) -> tuple[pd.DataFrame, NetworkIngestReport]:
    """Read many queue logs into one contacts table, with each file's report and the totals.

    Parameters
    ----------
    sources : path, folder, glob, or a list of them
        Log files; a folder contributes its files (not recursive; names starting with ``.``
        or ``_`` and ``*.quarantine.*`` files are skipped); a glob (``logs/2025-*/*.csv``)
        its matches. Each file is read once, in sorted order; a file with the same bytes as
        one already read is skipped (stated in the notes).
    format, mapping, tz, encoding, sep, dayfirst
        As in :func:`waitlab.read_log`, for every file.
    site_from : {"log", "filename"} or str
        Where each contact's site comes from: ``"log"`` (the log's site column; rows without
        one get the file name), ``"filename"`` (the file name without extension), or a
        regular expression with one group, searched in the file name without extension
        (``r"^(B\\d+)-"`` gives ``B001`` for ``B001-centro.csv``).

    Returns
    -------
    contacts : pandas.DataFrame
        The contacts of every file read, in file order (file k's rows follow file k-1's).
    report : NetworkIngestReport
        Each file's :class:`~waitlab.readers.IngestReport`, the files that failed, the totals.

    Raises
    ------
    ArgumentError
        When a source matches no file, or `site_from` is not a valid pattern.
    LogFormatError
        When no file at all could be read (the message gives the first file's reason).
    """
    rule = site_rule(site_from)
    paths = expand_sources(sources)
    read_opts = {"format": format, "mapping": mapping, "tz": tz, "encoding": encoding, "sep": sep,
                 "dayfirst": dayfirst}
    frames: list[pd.DataFrame] = []
    reports: list[IngestReport] = []
    failed: list[tuple[str, str]] = []
    digests: dict[str, str] = {}
    notes: list[str] = []
    for path, _ in distinct_files(paths, failed, digests, notes, "read"):
        try:
            contacts, report = read_one(path, site_from, rule, read_opts, notes)
        except (WaitlabError, OSError, UnicodeError) as exc:
            failed.append((str(path), failure_sentence(path, exc)))
            continue
        frames.append(contacts)
        reports.append(report)
    for _, why in failed:
        notes.append(f"Not read: {why}")
    if site_from == "filename":
        notes.insert(0, "Site of every contact: its file name without extension (site_from='filename').")
    elif rule is not None:
        notes.insert(0, f"Site of every contact: the group of {rule.pattern!r} in its file name.")
    if not frames:
        first = failed[0][1] if failed else "no file"
        raise LogFormatError(f"none of the {len(paths)} file(s) could be read; the first: {first}")
    contacts = _concat(frames, [Path(r.path) for r in reports], tz, notes)
    return contacts, NetworkIngestReport(tuple(reports), tuple(failed), digests, tuple(notes))


def _concat(frames: list[pd.DataFrame], paths: list[Path], tz: str | None, notes: list[str]) -> pd.DataFrame:
    """The files' tables one after the other, in one timezone, contact ids unique across files."""
    zones = [str(f["arrived_at"].dt.tz) for f in frames]
    zone = tz or zones[0]
    if len(set(zones)) > 1:
        notes.append(f"The files are in different timezones ({', '.join(sorted(set(zones)))}); all times are "
                     f"shown in {zone}.")
    if len(frames) == 1:
        return frames[0]
    ids = pd.concat([f["contact_id"] for f in frames], ignore_index=True)
    which = np.repeat(np.arange(len(frames)), [len(f) for f in frames])
    repeated = ids.duplicated(keep=False).to_numpy() & ids.notna().to_numpy()  # unique within each file
    clash = {int(k) for k in np.unique(which[repeated])}
    for k in sorted(clash):
        frames[k] = frames[k].assign(contact_id=stem_of(paths[k]) + ":" + frames[k]["contact_id"])
    if clash:
        names = ", ".join(str(paths[k].name) for k in sorted(clash))
        notes.append(f"Contact ids repeat across files ({names}); in those files each id is prefixed with the "
                     "file name and ':' so that ids stay unique.")
    out = pd.concat([coerce_contacts(f, tz=zone) for f in frames], ignore_index=True)
    return out if len(out) else empty_contacts(zone or DEFAULT_TZ)
