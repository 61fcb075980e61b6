"""Reports and safe exports: HTML page, Excel workbook, formula neutralising, id hashing.

``write_report(contacts, out_dir, ...)`` writes both files; ``compute_report`` returns the
tables without writing (the dashboard shows them). ``waitlab.report._safe`` holds the
export safety functions every export goes through; ``write_table`` writes one table as CSV,
Excel (both neutralised) or Parquet, ids hashed on request. ``write_network_report(result, out_dir)``
writes the network report (``network.html``, ``network.xlsx``) of a ``waitlab.network.NetworkResult``.
"""

from __future__ import annotations

from typing import Any

from waitlab.report._safe import hash_ids, neutralize_cells, new_salt
from waitlab.report._table import write_table

__all__ = ["ReportData", "compute_report", "hash_ids", "network_tables", "neutralize_cells", "new_salt", "write_network_report",
           "write_report", "write_table"]


def __getattr__(name: str) -> Any:  # the builder pulls in analytics and compliance: load on first use
    if name in {"ReportData", "compute_report", "write_report"}:
        from waitlab.report import _build as build

        return getattr(build, name)
    if name in {"network_tables", "write_network_report"}:
        from waitlab.report import _network

        return getattr(_network, name)
    raise AttributeError(f"module 'waitlab.report' has no attribute {name!r}")
