"""The data rows of a worksheet in one block: the XML xlsxwriter writes, without its cost per cell.

xlsxwriter stores each cell, then writes it as ``<c r="B2" s="3"><v>1.5</v></c>`` (or an inline
string in constant-memory mode), about 5 µs of Python per cell: 0.7 s for the 154,000 cells of a
month's workbook. :func:`write_rows` writes the same ``<row>`` elements column by column with one
format string each, into the worksheet's own row file, and leaves everything else (styles, widths,
frozen header, filter, sheet names, the zip) to xlsxwriter. It writes what xlsxwriter's
``write_number`` and ``write_string`` would, byte for byte (tests/report/test_xlsx_rows.py
compares the two), except that a text ``<r>...</r>`` stays escaped text, where xlsxwriter's
constant-memory mode copies it into the XML unescaped (the report's writer quotes such texts
before they get here: :func:`waitlab.report._excel._text`).

It needs a constant-memory worksheet on which only the header row (row 0) has been written;
:func:`can_write_rows` says whether this xlsxwriter offers what it uses, else the caller writes
cell by cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

__all__ = ["can_write_rows", "write_rows"]

_STRMAX = 32767  # Excel's longest text, UTF-16 units
_ESCAPE = re.compile(r'[&<>"\n\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$')
_CONTROL_ESCAPED = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_SPACE = re.compile(r"^\s|\s$")


def can_write_rows(ws: Any) -> bool:
    """True when `ws` is a constant-memory xlsxwriter worksheet with nothing written below row 0."""
    needs = ("constant_memory", "previous_row", "table", "fh", "row_info", "comments", "excel_version",
             "_check_dimensions", "_write_single_row")
    return (all(hasattr(ws, n) for n in needs) and bool(ws.constant_memory) and ws.previous_row == 0
            and ws.excel_version == 2007 and not any(r > 0 for r in ws.row_info) and not ws.comments)


def _text(v: str) -> str:
    """A string cell's ``<is>`` content: control characters as ``_xHHHH_``, XML escaped, whitespace kept."""
    if not _ESCAPE.search(v):
        return f"<t>{v}</t>"
    s = _CONTROL_ESCAPED.sub(r"_x005F\1", v)
    s = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", s)
    s = s.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    keep = _SPACE.search(s)  # after the control characters became _xHHHH_, as xlsxwriter checks
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<t xml:space="preserve">{s}</t>' if keep else f"<t>{s}</t>"


def _last(cells: list[Any]) -> int:
    """Index of the last cell that is not None (-1 when none is)."""
    for i in range(len(cells) - 1, -1, -1):
        if cells[i] is not None:
            return i
    return -1


def _letters(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        name = chr(65 + rem) + name
    return name


def write_rows(ws: Any, columns: Sequence[tuple[list[Any], Any, bool]]) -> int:
    """Write the data rows of `ws` but the last one holding a cell; return how many rows were written.

    `columns` holds, per column, the cell values (None for a blank; floats when numeric, else
    str), the format (or None) and whether it is numeric. The caller writes rows from the
    returned index on cell by cell: xlsxwriter keeps the last row until the workbook closes,
    and formats first met there get their index then. Returns 0, writing nothing, when a text
    is longer than Excel keeps (xlsxwriter cuts it) or `ws` cannot take the block.
    """
    if not columns or not can_write_rows(ws):
        return 0
    for cells, _, numeric in columns:
        if not numeric and max(map(len, filter(None, cells)), default=0) > _STRMAX // 2:
            return 0
    last = max(_last(cells) for cells, _, _ in columns)
    if last <= 0:
        return 0
    ws._write_single_row(last + 1)  # writes the header row; the sheet's rows 1..last are ours
    # the cells' formats get their index in the order xlsxwriter's row-major writing first meets them
    first = []
    for j, (cells, fmt, numeric) in enumerate(columns):
        if numeric and fmt is not None:
            i = next((i for i, v in enumerate(cells[:last]) if v is not None), None)
            if i is not None:
                first.append((i, j, fmt))
    style = {j: fmt._get_xf_index() for _, j, fmt in sorted(first, key=lambda x: x[:2])}
    rows = range(2, last + 2)  # Excel's row numbers of data rows 0..last-1
    parts: list[list[str]] = []
    for j, (cells, _, numeric) in enumerate(columns):
        ref = _letters(j)
        if numeric:
            attr = f' s="{style[j]}"' if j in style else ""
            parts.append([f'<c r="{ref}{r}"{attr}><v>{v:.16G}</v></c>' if v is not None else ""
                          for r, v in zip(rows, cells, strict=False)])
        else:
            parts.append([f'<c r="{ref}{r}" t="inlineStr"><is>{_text(v)}</is></c>' if v is not None else ""
                          for r, v in zip(rows, cells, strict=False)])
    body = []
    for r, cs in zip(rows, zip(*parts, strict=True), strict=True):
        row = "".join(cs)
        if row:  # a row without a cell is not written, as in xlsxwriter
            body.append(f'<row r="{r}">{row}</row>')
    ws.fh.write("".join(body))
    return last
