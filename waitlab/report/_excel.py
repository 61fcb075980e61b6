"""Excel workbook export: every sheet neutralised, timestamps written as local wall time."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from waitlab.report._safe import neutralize_cells

__all__ = ["excel_ready", "write_workbook"]

EXCEL_MAX_ROWS = 1_048_575  # one row is the header


def _naive(x: object) -> object:
    if isinstance(x, pd.Timestamp) and x.tzinfo is not None:
        return x.tz_localize(None)
    return x


def excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` as Excel can store it: tz-aware timestamps become local wall time, text neutralised.

    Excel has no timezone type; the workbook's ``notes`` sheet states the timezone instead.
    """
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
        elif out[col].dtype == object:
            out[col] = out[col].map(_naive)
    if isinstance(out.index, pd.DatetimeIndex) and out.index.tz is not None:
        out.index = out.index.tz_localize(None)
    return neutralize_cells(out)


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write `sheets` (name -> table) to one .xlsx file; tables over Excel's row limit are cut, said in the sheet name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in sheets.items():
            table = df
            sheet = name[:31]
            if len(table) > EXCEL_MAX_ROWS:
                table = table.iloc[:EXCEL_MAX_ROWS]
                sheet = (name[:22] + " (cut)")[:31]
            excel_ready(table).to_excel(writer, sheet_name=sheet, index=False)
    return path
