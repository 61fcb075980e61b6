"""The block row writer against xlsxwriter's own cell-by-cell writing: the same workbook XML, byte for byte."""

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from waitlab.report import _excel
from waitlab.report._columns import Table
from waitlab.report._excel import write_workbook
from waitlab.report._xlsx_rows import can_write_rows

TZ = "America/Argentina/Buenos_Aires"


def _sheets() -> dict[str, object]:
    n = 40
    rng = np.random.default_rng(7)
    num = rng.normal(size=n) * 10.0 ** rng.integers(-8, 12, size=n)
    num[[3, 17]] = np.nan
    num[5] = np.inf
    texts = ["plain", " leading", "trailing ", "a & b < c > d \"q\"", "tab\tinside", "line\nbreak", "\x01ctl\x1f",
             "_x0041_ literal", "\r carriage", "ñandú ✓ 漢字", "", "=1+1", "<r>rich?</r>", "x\ufffey", "\x0b "]
    col = [texts[i % len(texts)] if i % 7 else None for i in range(n)]
    late = [None] * (n - 1) + [0.25]  # a format first met in the last row: xlsxwriter indexes it on closing
    when = pd.Series(pd.date_range("2025-03-03 08:00", periods=n, freq="37min", tz=TZ))
    when[9] = pd.NaT
    frame = pd.DataFrame({"Texto": col, "Número": num, "Tarde": late, "Cuándo": when,
                          "Día": when.dt.normalize(), "Entero": np.arange(n, dtype=float),
                          "Sí": pd.array([i % 3 == 0 for i in range(n)], dtype="boolean")})
    frame.loc[11, :] = None  # a row without any cell
    table = Table(frame, ["text", "num", "pct", "datetime", "date", "int", "bool"], "min")
    tail = frame.copy()
    tail.loc[n - 3:, :] = None  # trailing empty rows
    return {
        "one": Table(frame.head(1), table.kinds, "s"),
        "many": table,
        "tail": Table(tail, table.kinds, "s"),
        "none": Table(frame.iloc[:0], table.kinds, "s"),
        "guessed": pd.DataFrame({"a": [1.5, 2.5, None], "b": ["x", None, "z"], "c": [True, False, None]}),
    }


def _xml(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:  # docProps/core.xml holds the creation time
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_block_rows_are_byte_for_byte_what_xlsxwriter_writes_cell_by_cell(tmp_path, monkeypatch, lang):
    written = []
    block = _excel.write_rows
    monkeypatch.setattr(_excel, "write_rows", lambda ws, columns: written.append(block(ws, columns)) or written[-1])
    fast = write_workbook(tmp_path / "fast.xlsx", _sheets(), lang)
    assert written == [0, 39, 36, 0, 2]  # one row: nothing to block; trailing empty rows; no row
    monkeypatch.setattr(_excel, "write_rows", lambda ws, columns: 0)  # xlsxwriter's write_number / write_string
    slow = write_workbook(tmp_path / "slow.xlsx", _sheets(), lang)
    a, b = _xml(fast), _xml(slow)
    assert a.keys() == b.keys()
    for name in a:
        assert a[name] == b[name], name


def test_block_rows_read_back_as_the_values_written(tmp_path):
    sheets = _sheets()
    book = openpyxl.load_workbook(write_workbook(tmp_path / "b.xlsx", sheets, "en"))
    frame = sheets["many"].frame
    rows = list(book["many"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(frame)
    # as stored (openpyxl does not undo the _xHHHH_ escapes of OOXML strings; Excel shows the characters)
    stored = {"\x01ctl\x1f": "_x0001_ctl_x001F_", "_x0041_ literal": "_x005F_x0041_ literal",
              "\r carriage": "'_x000D_ carriage", "x\ufffey": "x_xFFFE_y", "\x0b ": "_x000B_ ", "=1+1": "'=1+1",
              "<r>rich?</r>": "'<r>rich?</r>"}
    for i, row in enumerate(rows):
        want = frame.iloc[i]
        text = want["Texto"]
        if text is None or text != text:
            assert row[0] is None
        else:
            assert row[0] == stored.get(text, text), i
        v = want["Número"]
        assert row[1] == (pytest.approx(v, rel=1e-15) if np.isfinite(v) else None)


def test_a_rich_text_lookalike_cannot_add_a_formula(tmp_path):
    evil = '<r><t>x</t></r></is></c><c r="C3"><f>HYPERLINK("http://evil","x")</f></c><c r="D3" t="inlineStr"><is><r><t>y</t></r>'
    frame = pd.DataFrame({evil: ["a", evil, evil, "b"], "n": [1, 2, 3, 4]})
    path = write_workbook(tmp_path / "e.xlsx", {"S": frame}, "en")
    assert b"<f>" not in _xml(path)["xl/worksheets/sheet1.xml"]
    values = [list(r) for r in openpyxl.load_workbook(path)["S"].iter_rows(values_only=True)]
    assert values == [["'" + evil, "n"], ["a", 1], ["'" + evil, 2], ["'" + evil, 3], ["b", 4]]


def test_block_rows_need_a_constant_memory_sheet_with_only_its_header(tmp_path):
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))  # not constant-memory: cell by cell
    assert not can_write_rows(wb.add_worksheet())
    wb.close()
    wb = xlsxwriter.Workbook(str(tmp_path / "y.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet()
    assert can_write_rows(ws)
    ws.write_number(1, 0, 1.0)
    ws.write_number(2, 0, 1.0)
    assert not can_write_rows(ws)  # rows below the header already written
    wb.close()


def test_a_text_longer_than_excel_keeps_leaves_the_sheet_to_xlsxwriter(tmp_path, monkeypatch):
    written = []
    block = _excel.write_rows
    monkeypatch.setattr(_excel, "write_rows", lambda ws, columns: written.append(block(ws, columns)) or written[-1])
    frame = pd.DataFrame({"t": ["a", "x" * 40_000, "b"], "n": [1.0, 2.0, 3.0]})
    path = write_workbook(tmp_path / "l.xlsx", {"S": frame}, "en")
    assert written == [0]  # cell by cell: xlsxwriter cuts the text at Excel's 32,767 characters
    values = [list(r) for r in openpyxl.load_workbook(path)["S"].iter_rows(values_only=True)]
    assert values[2] == ["x" * 32_767, 2] and values[3] == ["b", 3]
