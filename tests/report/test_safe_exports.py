"""Issue 14, item 6: every CSV or Excel file a person may open is neutralised, headers too; Parquet keeps
the true values; ids can be hashed in every export of `waitlab ingest` and `waitlab report`."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "readers"))
from readers_helpers import acd_row  # noqa: E402

from waitlab.cli import main  # noqa: E402
from waitlab.report import neutralize_cells, write_table  # noqa: E402

HEADER = ["call_id", "site", "queue", "entered_at", "answered_at", "ended_at", "agent", "outcome",
          "customer_id", "priority", "=HYPERLINK(\"http://evil\")"]  # fmt: skip
GOOD = [*acd_row("c1", "2024-05-13 09:00:00", "2024-05-13 09:00:30", "2024-05-13 09:05:00", "answered",
                 queue="=1+1", agent="+cmd|' /C calc'!A0"), "ok"]  # fmt: skip
BAD = [*acd_row("c2", "2024-05-13 09:01:00", "", "2024-05-13 09:02:00", "weird"), "@SUM(A1)"]
DUP = [*acd_row("c1", "2024-05-13 09:02:00", "", "2024-05-13 09:03:00", "abandoned", agent="-2+3"), "\t=cmd"]
HEX16 = re.compile(r"^[0-9a-f]{16}$")


def _log(tmp_path: Path) -> Path:
    path = tmp_path / "acd.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, GOOD, BAD, DUP])
    return path


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _formula_like(text: str) -> bool:
    """What a spreadsheet would run: = + - @ first, or after white space; a tab or CR first (an independent rule)."""
    return bool(text) and (text[0] in "\t\r" or text.lstrip()[:1] in ("=", "+", "-", "@"))


def test_neutralizer_covers_tab_cr_leading_space_categoricals_and_headers():
    df = pd.DataFrame({
        "\t=x": ["\r=1", " =1+1", "\n@x", "-5", "+54", "-1.5e3", "a-b"],
        "cat": pd.Categorical(["=A", "b", "=A", "b", "c", "c", "c"]),
    })  # fmt: skip
    out = neutralize_cells(df)
    assert list(out.columns) == ["'\t=x", "cat"]
    assert out.iloc[:, 0].tolist() == ["'\r=1", "' =1+1", "'\n@x", "-5", "+54", "-1.5e3", "a-b"]  # numbers are data
    assert out["cat"].tolist() == ["'=A", "b", "'=A", "b", "c", "c", "c"]


def test_ingest_csv_output_and_quarantine_are_neutralised_parquet_true(tmp_path, capsys):
    log = _log(tmp_path)
    assert main(["ingest", str(log), "--format", "acd", "-o", str(tmp_path / "c.csv")]) == 0
    assert main(["ingest", str(log), "--format", "acd", "-o", str(tmp_path / "c.parquet")]) == 0
    capsys.readouterr()
    contacts = _cells(tmp_path / "c.csv")
    quarantine = _cells(tmp_path / "c.quarantine.csv")
    for table in (contacts, quarantine):  # no cell and no header a spreadsheet would run
        assert not [cell for row in table for cell in row if _formula_like(cell)]
    header = quarantine[0]
    assert "'=HYPERLINK(\"http://evil\")" in header
    rows = {r[header.index("call_id")]: r for r in quarantine[1:]}
    assert rows["c2"][header.index("'=HYPERLINK(\"http://evil\")")] == "'@SUM(A1)"
    assert rows["c1"][header.index("agent")] == "'-2+3"
    assert contacts[1][contacts[0].index("queue")] == "'=1+1"
    assert contacts[1][contacts[0].index("server")] == "'+cmd|' /C calc'!A0"
    true = pd.read_parquet(tmp_path / "c.parquet")  # Parquet keeps the true values
    assert true["queue"].tolist() == ["=1+1"] and true["server"].tolist() == ["+cmd|' /C calc'!A0"]


def test_ingest_xlsx_output_is_neutralised_and_states_the_timezone(tmp_path, capsys):
    log = _log(tmp_path)
    assert main(["ingest", str(log), "--format", "acd", "-o", str(tmp_path / "c.xlsx")]) == 0
    capsys.readouterr()
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    sheet = book["contacts"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "'=1+1" in values and "'+cmd|' /C calc'!A0" in values
    assert not [v for v in values if isinstance(v, str) and _formula_like(v)]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)  # no formula cell at all
    assert book["notes"]["A2"].value == "times are local wall time in America/Argentina/Buenos_Aires"


def test_ingest_hash_ids_hashes_contacts_and_quarantine_with_one_salt(tmp_path, capsys):
    log = _log(tmp_path)
    out = tmp_path / "c.csv"
    assert main(["ingest", str(log), "--format", "acd", "-o", str(out), "--hash-ids"]) == 0
    assert "ids hashed" in capsys.readouterr().out
    contacts = pd.read_csv(out, dtype=str)
    quarantine = pd.read_csv(tmp_path / "c.quarantine.csv", dtype=str)
    assert all(HEX16.match(v) for v in [*contacts["contact_id"], *contacts["customer_id"]])
    assert all(HEX16.match(v) for v in [*quarantine["call_id"], *quarantine["customer_id"]])
    assert not {"c1", "c2", "cc1", "cc2"} & {*contacts["contact_id"], *quarantine["call_id"], *quarantine["customer_id"]}
    # c1 is used once and quarantined once (a repeated id): the same hash in both files, so they still join
    dup = quarantine.loc[quarantine["reason"] == "duplicate contact_id", "call_id"].tolist()
    assert dup == contacts["contact_id"].tolist()


def test_report_hash_ids_hashes_the_quarantine_csv_too(tmp_path, capsys):
    log = _log(tmp_path)
    assert main(["report", str(log), "--format", "acd", "-o", str(tmp_path / "out"), "--hash-ids"]) == 0
    capsys.readouterr()
    quarantine = pd.read_csv(tmp_path / "out" / "quarantine.csv", dtype=str)
    assert all(HEX16.match(v) for v in quarantine["call_id"])
    assert not [c for row in _cells(tmp_path / "out" / "quarantine.csv") for c in row if _formula_like(c)]
    sheet = pd.read_excel(tmp_path / "out" / "report.xlsx", sheet_name="Cuarentena", dtype=str)  # Spanish by default; the file's own fields keep their names
    assert sorted(sheet["call_id"]) == sorted(quarantine["call_id"])  # one salt for the CSV and the workbook


def test_write_table_refuses_an_unknown_suffix_in_one_sentence(tmp_path):
    from waitlab.exceptions import ArgumentError

    with pytest.raises(ArgumentError, match=r"x\.txt: the file must end in \.csv, \.xlsx, \.parquet; rename it\."):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.txt")
