"""Small helpers shared by the reader tests: write hand-made logs whose answers are known."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

VENDOR_A_HEADER = [
    "Sucursal", "Fecha", "Nro Turno", "Servicio", "Prioridad", "Hora Emisión", "Hora Llamado",
    "Hora Inicio", "Hora Fin", "Puesto", "Estado", "DNI",
]  # fmt: skip

ACD_HEADER = ["call_id", "site", "queue", "entered_at", "answered_at", "ended_at", "agent", "outcome",
              "customer_id", "priority"]  # fmt: skip


def write_text(path: Path, rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8",
               bom: bool = False, newline: str = "\n") -> Path:  # fmt: skip
    """Write rows (first one the header) as delimited text, byte for byte."""
    text = newline.join(sep.join(r) for r in rows) + newline
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


def acd_row(cid: str, entered: str, answered: str, ended: str, outcome: str, *, queue: str = "ventas",
            agent: str = "ag1", priority: str = "0") -> list[str]:  # fmt: skip
    """One line of the default acd layout."""
    return [cid, "Centro", queue, entered, answered, ended, agent, outcome, "c" + cid, priority]


def seconds(s: pd.Series) -> list[float]:
    """Timedeltas (or tz-aware differences) as a list of float seconds."""
    return [float(x) for x in s.dt.total_seconds()]


def identity(report) -> bool:  # noqa: ANN001
    """The accounting identity every report must satisfy, recomputed from its parts."""
    return (
        report.rows_read == report.rows_used + report.rows_quarantined
        and report.rows_quarantined == len(report.quarantine)
        and sum(report.reasons.values()) == report.rows_quarantined
    )
