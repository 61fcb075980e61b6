"""The ingest report: what a reader read, used, quarantined, and assumed.

Every reader of :mod:`waitlab.readers` returns ``(contacts, report)``. The report keeps the
row accounting exact: ``rows_read == rows_used + rows_quarantined`` always. What a *row* is
depends on the format and is stated in :attr:`IngestReport.row_unit`:

* CSV, Excel, Parquet (``kiosk``, ``acd``, ``seelab``, ``contacts``): one data record, i.e.
  every non-blank line after the header. Blank lines are not rows (they are counted in
  :attr:`IngestReport.not_rows`).
* ``asterisk``: one *call event line* (a line with a call id). Agent and system lines
  (``QUEUESTART``, ``ADDMEMBER``, ``PAUSE``, ``AGENTLOGIN``, ...) are read but are not calls,
  so they are not rows either; they are counted in :attr:`IngestReport.not_rows` by event.
  Their member events (logins, logoffs, pauses) are kept apart, as the agent sessions table
  :attr:`IngestReport.agent_sessions`; the contacts table and the row accounting do not change.

Quarantined rows keep ``line``: the 1-based physical line of the file, header included (so
the first data line of a CSV with a header is line 2). For Excel it is the worksheet row
number; for Parquet, which has no lines, it is the 1-based record number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from waitlab._cells import ID_COLUMNS, hash_ids, neutralize_cells

__all__ = ["IngestReport"]


@dataclass
class IngestReport:
    """Row accounting and notes of one ingest.

    Attributes
    ----------
    path : str
        The file that was read.
    format : str
        The log format used (``kiosk``, ``acd``, ``asterisk``, ``seelab`` or ``contacts``).
    rows_read, rows_used, rows_quarantined : int
        Rows read from the file; rows that became contacts (or, for ``asterisk``, event lines
        folded into a contact); rows set aside. ``rows_read == rows_used + rows_quarantined``.
    reasons : dict of str to int
        Quarantined rows per reason, most frequent first.
    notes : tuple of str
        Everything the reader inferred or decided (encoding, separator, date order, decimal
        mark, timezone, format, how codes were mapped), one plain sentence each: the
        assumptions of the ingest, as ``.notes`` like on every other result.
    quarantine : pandas.DataFrame
        One row per quarantined row: ``line``, ``reason``, then the row's original fields
        (as text).
    not_rows : dict of str to int
        Lines read that are not rows and so are outside the identity (blank lines; asterisk
        agent/system events), by kind.
    row_unit : str
        What one row is for this format.
    id_fields : tuple of str
        Columns of `quarantine` that carry contact or customer identifiers as the file had
        them (the fields mapped to ``contact_id`` and ``customer_id``, and ``raw`` lines), so
        that an export with hashed ids hashes them too.
    agent_sessions : pandas.DataFrame or None
        ``asterisk`` only (None for formats that do not record logins): one row per stretch
        of time an agent was logged in, ``agent``, ``queue`` (missing: all its queues),
        ``start``, ``end`` (tz-aware) and ``paused``, from the log's member events
        (:mod:`waitlab.readers._agent_sessions`; empty when the log has none). Pass it to
        ``interval_stats(..., on_duty="log", sessions=report.agent_sessions)`` to measure
        desks on duty from the log instead of estimating it.
    """

    path: str
    format: str
    rows_read: int = 0
    rows_used: int = 0
    rows_quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    quarantine: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"line": [], "reason": []}))
    not_rows: dict[str, int] = field(default_factory=dict)
    row_unit: str = "one data record (a non-blank line after the header)"
    id_fields: tuple[str, ...] = ()
    agent_sessions: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if self.rows_read != self.rows_used + self.rows_quarantined:
            raise AssertionError(  # a reader bug, never the user's input
                f"row accounting broken for {self.path}: read {self.rows_read} != used "
                f"{self.rows_used} + quarantined {self.rows_quarantined}"
            )

    def write_quarantine(self, path: str | Path, *, salt: str | None = None) -> Path:
        """Write the quarantined rows (``line``, ``reason``, original fields) as CSV (UTF-8).

        Cells and column names that a spreadsheet would run as a formula (``=HYPERLINK(...)``,
        ``+cmd|...``, ``@SUM(...)``) are written with a leading ``'``
        (:func:`waitlab.report.neutralize_cells`), so the file is safe to open.

        Parameters
        ----------
        path : str or pathlib.Path
            The CSV to write; its folder is created when missing.
        salt : str, optional
            When given, the identifier fields (:attr:`id_fields`, and canonical id columns)
            are replaced by salted hashes (:func:`waitlab.report.hash_ids`); use the salt of
            the rest of the export so that the files still join.

        Returns
        -------
        pathlib.Path
            The path written.
        """
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        table = self.quarantine
        if salt:
            table = hash_ids(table, salt, dict.fromkeys((*ID_COLUMNS, *self.id_fields)))  # each column once
        neutralize_cells(table).to_csv(out, index=False, encoding="utf-8")
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON-serialisable values (without the quarantine rows)."""
        return {
            "path": self.path,
            "format": self.format,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_quarantined": self.rows_quarantined,
            "reasons": dict(self.reasons),
            "notes": list(self.notes),
            "not_rows": dict(self.not_rows),
            "row_unit": self.row_unit,
        }

    def __str__(self) -> str:
        lines = [
            f"Ingest of {self.path} (format {self.format}; a row is {self.row_unit})",
            f"  rows read         {self.rows_read:>10,}",
            f"  rows used         {self.rows_used:>10,}",
            f"  rows quarantined  {self.rows_quarantined:>10,}",
        ]
        for reason, count in self.reasons.items():
            lines.append(f"    {count:>10,}  {reason}")
        if self.not_rows:
            lines.append("  lines read that are not rows:")
            for kind, count in self.not_rows.items():
                lines.append(f"    {count:>10,}  {kind}")
        if self.notes:
            lines.append("  notes:")
            lines.extend(f"    - {a}" for a in self.notes)
        return "\n".join(lines)
