"""The network store: contacts as Parquet, one folder per site and month, one part per source file.

Layout (the contract every network analysis relies on)::

    STORE/
      site=<quote(site, safe="")>/month=<YYYY-MM>/part-<source_id>.parquet
      _ingest/<source_id>.json             the source's ingest report, its sha256 and its parts
      _ingest/<source_id>.quarantine.csv   its quarantined rows (when there are any)

``source_id`` is the first 12 hex digits of the SHA-256 of the source file's bytes; the month
is the month of ``arrived_at`` in the table's own timezone. Each part holds every canonical
contacts column (``site`` included), so ``coerce_contacts(pd.read_parquet(part))`` is the
contacts of one site and month. Ingesting the same file again replaces its parts (the store is
unchanged: idempotent) and skips the work when the options are the same; a new file (a new
month) adds part files and rewrites none of the others. Only Parquet and JSON are read back:
no pickle, nothing evaluated.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

from waitlab.exceptions import ArgumentError, SchemaError, WaitlabError
from waitlab.network._many import (
    NetworkIngestReport,
    distinct_files,
    expand_sources,
    failure_sentence,
    file_digest,
    read_one,
    site_rule,
)
from waitlab.readers import IngestReport
from waitlab.schema import COLUMNS, DEFAULT_TZ, coerce_contacts, empty_contacts

__all__ = ["Partition", "ingest_to_store", "read_partition", "read_store", "store_partitions", "write_store"]

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_INGEST = "_ingest"


@dataclass(frozen=True)
class Partition:
    """One (site, month) folder of a store: the unit of work of a network analysis.

    Attributes
    ----------
    site : str
        The site, as in the contacts' ``site`` column.
    month : str
        ``YYYY-MM``.
    files : tuple of pathlib.Path
        Its part files, sorted; read each with ``pandas.read_parquet``.
    """

    site: str
    month: str
    files: tuple[Path, ...]


def _source_id(digest: str) -> str:
    return digest[:12]


def _atomic_write(path: Path, write: Any) -> None:
    """Call ``write(tmp_path)`` then move the result onto `path` (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _months(arrived: pd.Series) -> np.ndarray:
    """``YYYY-MM`` of each arrival in the column's own timezone (as an object array)."""
    ym = arrived.dt.year.to_numpy(dtype="int64") * 100 + arrived.dt.month.to_numpy(dtype="int64")
    uniq, inv = np.unique(ym, return_inverse=True)
    labels = np.array([f"{u // 100:04d}-{u % 100:02d}" for u in uniq], dtype=object)
    return labels[inv]


def _write_parts(contacts: pd.DataFrame, store: Path, source_id: str) -> list[Path]:
    """Replace the parts of `source_id` by those of `contacts`; return the paths written."""
    table = coerce_contacts(contacts)[list(COLUMNS)]
    if table["site"].isna().any():
        n = int(table["site"].isna().sum())
        raise SchemaError(f"{n:,} contact(s) have no site, so they fit no store partition; give them one "
                          "(read_logs(..., site_from='filename') names them after their file).")
    if table["arrived_at"].isna().any():
        raise SchemaError("some contacts have no arrived_at, so they fit no month partition; coerce and "
                          "validate the table (waitlab.validate_contacts) before writing it.")
    for old in store.glob(f"site=*/month=*/part-{source_id}.parquet"):
        old.unlink()
    written: list[Path] = []
    if not len(table):
        return written
    keys = pd.DataFrame({"site": table["site"].to_numpy(dtype=object), "month": _months(table["arrived_at"])})
    for (site, month), rows in keys.groupby(["site", "month"], sort=True).indices.items():
        out = store / f"site={quote(str(site), safe='')}" / f"month={month}" / f"part-{source_id}.parquet"
        part = table.take(rows).reset_index(drop=True)
        _atomic_write(out, lambda tmp, part=part: part.to_parquet(tmp, index=False))
        written.append(out)
    return written


def _write_ingest(store: Path, source_id: str, report: IngestReport, digest: str, parts: list[Path],
                  options: dict[str, Any]) -> None:
    record = report.to_dict() | {
        "source": report.path, "sha256": digest, "source_id": source_id, "options": options,
        "parts": [p.relative_to(store).as_posix() for p in parts],
    }
    folder = store / _INGEST
    text = json.dumps(record, indent=2, ensure_ascii=False, sort_keys=True)
    _atomic_write(folder / f"{source_id}.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
    q = folder / f"{source_id}.quarantine.csv"
    if report.rows_quarantined:
        _atomic_write(q, lambda tmp: report.write_quarantine(tmp))
    else:
        q.unlink(missing_ok=True)


def write_store(contacts: pd.DataFrame, store: str | Path, *,
                report: IngestReport | NetworkIngestReport | None = None) -> list[Path]:
    """Write a contacts table into the store, one part per (site, month) and source file.

    Parameters
    ----------
    contacts : pandas.DataFrame
        A contacts table (every row with a ``site``), as :func:`read_logs` or
        :func:`waitlab.read_log` returned it.
    store : str or pathlib.Path
        The store folder (created when missing).
    report : IngestReport or NetworkIngestReport, optional
        The report of the read that produced `contacts`. With it, each source file gets its
        own parts (``part-<first 12 hex of its sha256>``) and its ingest report in
        ``_ingest/``; a NetworkIngestReport's files are taken from `contacts` in order, so the
        table must be unchanged. Without it, the table is one source whose id is a hash of
        its content.

    Returns
    -------
    list of pathlib.Path
        The part files written.
    """
    root = Path(store)
    if root.exists() and not root.is_dir():
        raise ArgumentError(f"store {root} is a file; give a folder for the store.")
    if report is None:
        digest = format(int(pd.util.hash_pandas_object(contacts, index=False).sum()) & (2**64 - 1), "016x")
        return _write_parts(contacts, root, digest[:12])
    reports = report.files if isinstance(report, NetworkIngestReport) else (report,)
    if len(contacts) != sum(r.rows_used for r in reports) or not contacts.index.equals(pd.RangeIndex(len(contacts))):
        raise ArgumentError(
            f"`contacts` ({len(contacts):,} rows) is not the table `report` describes "
            f"({sum(r.rows_used for r in reports):,} rows used); pass the table unchanged, or drop report=."
        )
    written: list[Path] = []
    start = 0
    for r in reports:
        known = report.sha256.get(r.path) if isinstance(report, NetworkIngestReport) else None
        digest = known or file_digest(r.path)
        part = contacts.iloc[start : start + r.rows_used]
        start += r.rows_used
        parts = _write_parts(part, root, _source_id(digest))
        _write_ingest(root, _source_id(digest), r, digest, parts, {})
        written += parts
    return written


def _stored_report(store: Path, source_id: str, options: dict[str, Any]) -> IngestReport | None:
    """The stored report of `source_id` when it was ingested with `options` and all its parts exist."""
    try:
        record = json.loads((store / _INGEST / f"{source_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("options") != options or not all((store / p).is_file() for p in record.get("parts", [])):
        return None
    keys = ("path", "format", "rows_read", "rows_used", "rows_quarantined", "reasons", "not_rows", "row_unit")
    if not all(k in record for k in keys):
        return None
    return IngestReport(**{k: record[k] for k in keys}, notes=tuple(record.get("notes", ())))


def ingest_to_store(sources: str | Path | Iterable[str | Path], store: str | Path, *,
                    site_from: str = "log", **read_opts: Any) -> NetworkIngestReport:
    """Read many logs, one file at a time, into the store; return the combined report.

    Memory is bounded by the largest file, not by the network. A file already in the store
    with the same bytes and options is skipped (its stored report is reused); the same file
    read with other options replaces its parts. Files that cannot be read are reported and
    the others still go in.

    Parameters
    ----------
    sources
        As in :func:`read_logs` (paths, folders, globs).
    store : str or pathlib.Path
        The store folder (created when missing).
    site_from : {"log", "filename"} or str
        As in :func:`read_logs`.
    **read_opts
        ``format``, ``mapping``, ``tz``, ``encoding``, ``sep``, ``dayfirst`` of :func:`waitlab.read_log`.

    Returns
    -------
    NetworkIngestReport
        Every file's report (stored ones included) and the failures, as :func:`read_logs` gives.
    """
    unknown = sorted(set(read_opts) - {"format", "mapping", "tz", "encoding", "sep", "dayfirst"})
    if unknown:
        raise ArgumentError(f"ingest_to_store() got unknown option(s) {unknown}; use format, mapping, tz, "
                            "encoding, sep, dayfirst or site_from.")
    rule = site_rule(site_from)
    root = Path(store)
    if root.exists() and not root.is_dir():
        raise ArgumentError(f"store {root} is a file; give a folder for the store.")
    root.mkdir(parents=True, exist_ok=True)
    options = {k: (str(v) if v is not None else None) for k, v in sorted(read_opts.items())} | {"site_from": site_from}
    reports: list[IngestReport] = []
    failed: list[tuple[str, str]] = []
    digests: dict[str, str] = {}
    notes: list[str] = []
    skipped = 0
    for path, digest in distinct_files(expand_sources(sources), failed, digests, notes, "stored"):
        sid = _source_id(digest)
        stored = _stored_report(root, sid, options)
        if stored is not None:
            reports.append(stored)
            skipped += 1
            continue
        try:
            contacts, report = read_one(path, site_from, rule, read_opts, notes)
            parts = _write_parts(contacts, root, sid)
        except (WaitlabError, OSError, UnicodeError) as exc:
            failed.append((str(path), failure_sentence(path, exc)))
            continue
        _write_ingest(root, sid, report, digest, parts, options)
        reports.append(report)
    if skipped:
        notes.append(f"{skipped} file(s) were already in the store with the same bytes and options; not read again.")
    notes += [f"Not read: {why}" for _, why in failed]
    return NetworkIngestReport(tuple(reports), tuple(failed), digests, tuple(notes))


def _as_set(values: str | Iterable[str] | None) -> set[str] | None:
    return None if values is None else {values} if isinstance(values, str) else {str(v) for v in values}


def store_partitions(store: str | Path, *, sites: str | Iterable[str] | None = None,
                     months: str | Iterable[str] | None = None) -> list[Partition]:
    """The (site, month) partitions of a store, sorted by site then month.

    Parameters
    ----------
    store : str or pathlib.Path
        A store written by :func:`ingest_to_store` or :func:`write_store`.
    sites, months : str or iterable of str, optional
        Keep only these sites / these ``YYYY-MM`` months. A site or month the store does not
        hold at all is an error (the message lists what it holds).

    Returns
    -------
    list of Partition
    """
    root = Path(store)
    if not root.is_dir():
        raise ArgumentError(f"store {root} does not exist; write one with `waitlab ingest LOGS --store {root}`.")
    want_sites, want_months = _as_set(sites), _as_set(months)
    for m in sorted(want_months or ()):
        if not _MONTH.match(m):
            raise ArgumentError(f"month {m!r} is not YYYY-MM; write it like '2025-03'.")
    found: list[Partition] = []
    all_sites: set[str] = set()
    all_months: set[str] = set()
    for site_dir in sorted(root.glob("site=*")):
        site = unquote(site_dir.name[len("site="):])
        all_sites.add(site)
        for month_dir in sorted(site_dir.glob("month=*")):
            month = month_dir.name[len("month="):]
            all_months.add(month)
            files = tuple(sorted(month_dir.glob("part-*.parquet")))
            if files and (want_sites is None or site in want_sites) and (want_months is None or month in want_months):
                found.append(Partition(site, month, files))
    if not all_sites and not (root / _INGEST).is_dir():
        raise ArgumentError(f"{root} is not a waitlab store (no site=... folders); write one with "
                            f"`waitlab ingest LOGS --store {root}`.")
    for label, wanted, held in (("site", want_sites, all_sites), ("month", want_months, all_months)):
        missing = sorted((wanted or set()) - held)
        if missing:
            listed = ", ".join(sorted(held)[:10]) + (" ..." if len(held) > 10 else "")
            raise ArgumentError(f"{label} {missing[0]!r} is not in store {root}; it holds: {listed or 'nothing'}.")
    return sorted(found, key=lambda p: (p.site, p.month))


def read_partition(partition: Partition, *, tz: str | None = None) -> pd.DataFrame:
    """The contacts of one partition (its part files, in name order) as one canonical table.

    `tz` is the timezone of the result; None keeps the first part's own timezone.
    """
    frames = [pd.read_parquet(f) for f in partition.files]
    if not frames:
        return empty_contacts(tz or DEFAULT_TZ)
    zone = tz or str(frames[0]["arrived_at"].dt.tz)
    tables = [coerce_contacts(f, tz=zone) for f in frames]
    return pd.concat(tables, ignore_index=True) if len(tables) > 1 else tables[0]


def read_store(store: str | Path, *, sites: str | Iterable[str] | None = None,
               months: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The contacts of a store (or of some sites and months of it), as one table.

    Parameters
    ----------
    store : str or pathlib.Path
        A store written by :func:`ingest_to_store` or :func:`write_store`.
    sites, months : str or iterable of str, optional
        As in :func:`store_partitions`.

    Returns
    -------
    pandas.DataFrame
        The canonical contacts table, partition by partition (site, then month, then part),
        in the timezone of the first part.
    """
    frames = [pd.read_parquet(f) for p in store_partitions(store, sites=sites, months=months) for f in p.files]
    if not frames:
        return empty_contacts(DEFAULT_TZ)
    zone = str(frames[0]["arrived_at"].dt.tz)
    return pd.concat([coerce_contacts(f, tz=zone) for f in frames], ignore_index=True)
