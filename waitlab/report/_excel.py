"""Excel workbook export, written by xlsxwriter: localised sheets, frozen headers, widths, number formats.

Every text cell is neutralised (:func:`waitlab.report._safe.neutralize_cells`) and written as a
string, never as a formula; timestamps are local wall time (the notes sheet names the
timezone); waits are numbers in the report's time unit, shares numbers formatted as %.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from waitlab.report._columns import Table
from waitlab.report._safe import neutralize_cells
from waitlab.report._xlsx_rows import write_rows

__all__ = ["excel_ready", "sheet_name", "write_workbook"]

EXCEL_MAX_ROWS = 1_048_575  # one row is the header
_EPOCH = np.datetime64("1899-12-30T00:00:00", "ns")
_DAY_NS = 86_400 * 10**9
_FORMATS = {
    "es": {"int": "#,##0", "num": "#,##0.0", "pct": "0.0%", "dur_s": "#,##0", "dur_min": "#,##0.0",
           "date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm"},
    "en": {"int": "#,##0", "num": "#,##0.0", "pct": "0.0%", "dur_s": "#,##0", "dur_min": "#,##0.0",
           "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"},
}  # Excel shows , and . by the reader's own locale; only the date order is ours


def _naive(x: object) -> object:
    if isinstance(x, pd.Timestamp) and x.tzinfo is not None:
        return x.tz_localize(None)
    return x


def excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Return `df` as Excel can store it: tz-aware timestamps become local wall time, text neutralised."""
    out = df.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
        elif out[col].dtype == object:
            out[col] = out[col].map(_naive)
    if isinstance(out.index, pd.DatetimeIndex) and out.index.tz is not None:
        out.index = out.index.tz_localize(None)
    return neutralize_cells(out)


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name (31 characters, none of ``[]:*?/\\``)."""
    base = re.sub(r"[\[\]:*?/\\]", "-", name).strip("'")[:31] or "-"
    out, n = base, 2
    while out.lower() in used:
        out = f"{base[:27]} ({n})"
        n += 1
    used.add(out.lower())
    return out


def _serial(s: pd.Series) -> np.ndarray:
    """Datetimes (aware: local wall time) as Excel serial days; NaN when missing."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
    v = pd.to_datetime(s, errors="coerce").astype("datetime64[ns]").to_numpy()
    out = (v - _EPOCH).astype("timedelta64[ns]").astype(np.int64) / _DAY_NS
    out[np.isnat(v)] = np.nan
    return out


def _column(col: pd.Series, kind: str, fmts: dict[str, Any], unit: str) -> tuple[list[Any], Any, bool]:
    """(cell values with None for blanks, format, numeric?) of one column."""
    if kind in ("int", "num", "pct", "dur", "date", "datetime"):
        values = _serial(col) if kind in ("date", "datetime") else pd.to_numeric(col, errors="coerce").to_numpy(float)
        cells = values.astype(object)  # Python floats, as tolist() gives them
        cells[~np.isfinite(values)] = None
        return cells.tolist(), fmts[f"dur_{unit}" if kind == "dur" else kind], True
    if kind == "bool":
        yes, no = fmts["yes"], fmts["no"]
        return [None if v is None or v is pd.NA else (yes if v else no) for v in col.tolist()], None, False
    return [None if v is None or v is pd.NA or v is pd.NaT or v != v else _text(str(v)) for v in col.tolist()], None, False


def _text(s: str) -> str:
    """`s` as Excel text: xlsxwriter's constant-memory mode copies a text ``<r>...</r>`` into the sheet's
    XML unescaped (as rich text), where it could close its cell and add a formula; a leading ``'``
    keeps it text, as for the formula prefixes :func:`neutralize_cells` neutralises."""
    return "'" + s if s.startswith("<r>") and s.endswith("</r>") else s


def _write_table(ws: Any, table: Table, fmts: dict[str, Any]) -> None:
    """Header, then rows in order (the workbook streams rows: constant memory)."""
    frame = neutralize_cells(table.frame)
    columns = [_column(frame.iloc[:, j], k, fmts, table.time_unit) for j, k in enumerate(table.kinds)]
    for j, (header, kind, (cells, _, numeric)) in enumerate(zip(frame.columns, table.kinds, columns, strict=True)):
        width = min(40.0, max(8.0, len(str(header)) * 0.55 + 2))
        if numeric:
            width = max(width, {"date": 11.0, "datetime": 16.0}.get(kind, 9.0))
        else:
            width = max(width, min(60, max((len(v) for v in cells[:500] if v is not None), default=0) + 2))
        ws.set_column(j, j, width)
    ws.set_row(0, None, fmts["head"])
    for j, header in enumerate(frame.columns):
        ws.write_string(0, j, _text(str(header)), fmts["head"])
    ws.freeze_panes(1, 0)
    if len(frame.columns):
        ws.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    start = write_rows(ws, columns)  # the XML of the rows but the last, in one block
    # the unwrapped writers: the public ones only add A1-notation parsing, and rows/columns here are numbers
    number = getattr(ws, "_write_number", ws.write_number)
    string = getattr(ws, "_write_string", ws.write_string)
    plan = [(j, cells, f, numeric) for j, (cells, f, numeric) in enumerate(columns)]
    for i in range(start, len(frame)):
        row = i + 1
        for j, cells, f, numeric in plan:
            v = cells[i]
            if v is not None:
                if numeric:
                    number(row, j, v, f)
                else:
                    string(row, j, v)


def write_workbook(path: str | Path, sheets: Mapping[str, Table | pd.DataFrame], lang: str = "es") -> Path:
    """Write `sheets` (shown name -> table) to one .xlsx file; a table over Excel's row limit is cut, said in its name."""
    import xlsxwriter

    from waitlab._i18n import t

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False, "nan_inf_to_errors": True,
                                        "constant_memory": True})
    fmts: dict[str, Any] = {k: wb.add_format({"num_format": v}) for k, v in _FORMATS[lang].items()}
    fmts["head"] = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F2F2F2", "bottom": 1})
    fmts["yes"], fmts["no"] = t("common.yes", lang), t("common.no", lang)
    used: set[str] = set()
    try:
        for name, table in sheets.items():
            tab = table if isinstance(table, Table) else Table(excel_ready(table), _guess_kinds(table))
            label = name
            if len(tab.frame) > EXCEL_MAX_ROWS:
                tab = Table(tab.frame.iloc[:EXCEL_MAX_ROWS], tab.kinds, tab.time_unit)
                label = name[:22] + " (" + t("rsec.cut", lang) + ")"
            ws = wb.add_worksheet(sheet_name(label, used))
            _write_table(ws, tab, fmts)
    finally:
        wb.close()
    return path


def _guess_kinds(df: pd.DataFrame) -> list[str]:
    kinds = []
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_bool_dtype(s):
            kinds.append("bool")
        elif pd.api.types.is_integer_dtype(s):
            kinds.append("int")
        elif pd.api.types.is_float_dtype(s):
            kinds.append("num")
        elif isinstance(s.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(s):
            kinds.append("datetime")
        else:
            kinds.append("text")
    return kinds
