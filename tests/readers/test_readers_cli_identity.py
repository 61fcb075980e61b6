"""`waitlab ingest` exit codes and messages; the row identity on random junk (hypothesis)."""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from readers_helpers import ACD_HEADER, acd_row, identity, write_text

from waitlab.cli import main
from waitlab.readers import read_log

GOOD = acd_row("g1", "2024-05-13 09:00:00", "2024-05-13 09:01:00", "2024-05-13 09:05:00", "answered")
BAD = acd_row("b1", "2024-05-13 09:00:00", "", "2024-05-13 09:05:00", "weird")


def test_cli_writes_contacts_and_quarantine(tmp_path, capsys):
    log = write_text(tmp_path / "acd.csv", [ACD_HEADER, GOOD, BAD])
    out = tmp_path / "out" / "contacts.parquet"
    assert main(["ingest", str(log), "--format", "acd", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "rows read                  2" in text and "unknown outcome code (outcome)" in text
    assert list(pd.read_parquet(out)["contact_id"]) == ["g1"]
    q = pd.read_csv(tmp_path / "out" / "contacts.quarantine.csv")
    assert list(q["line"]) == [3] and list(q["call_id"]) == ["b1"]


def test_cli_csv_output_json_report_and_explicit_quarantine(tmp_path, capsys):
    log = write_text(tmp_path / "acd.csv", [ACD_HEADER, GOOD, BAD])
    out, bad = tmp_path / "c.csv", tmp_path / "bad.csv"
    assert main(["ingest", str(log), "-o", str(out), "--quarantine", str(bad), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["rows_read"] == 2 and d["format"] == "acd" and bad.exists() and out.exists()
    # what the reader decided comes back as notes, the one name for them (the format was detected)
    assert "assumptions" not in d and any(n.startswith("Format acd") and "detected" in n for n in d["notes"])


def _run_fail(argv, capsys) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    return err


def test_cli_unusable_files_exit_2_with_one_sentence(tmp_path, capsys):
    out = str(tmp_path / "c.parquet")
    assert "no such file" in _run_fail(["ingest", str(tmp_path / "nope.csv"), "-o", out], capsys)
    (tmp_path / "e.csv").write_text("")
    assert "is empty" in _run_fail(["ingest", str(tmp_path / "e.csv"), "--format", "acd", "-o", out], capsys)
    log = write_text(tmp_path / "acd.csv", [ACD_HEADER, GOOD])
    err = _run_fail(["ingest", str(log), "--mapping", "vendor_zz", "-o", out], capsys)
    assert "neither a file nor a shipped mapping" in err
    err = _run_fail(["ingest", str(log), "--mapping", "vendor_a_es", "-o", out], capsys)
    assert "'Sucursal'" in err
    assert "must end in .parquet, .csv or .xlsx" in _run_fail(["ingest", str(log), "-o", str(tmp_path / "c.txt")], capsys)
    assert "IANA timezone" in _run_fail(["ingest", str(log), "--tz", "Nowhere/City", "-o", out], capsys)


_cell = st.one_of(
    st.sampled_from(["", "answered", "abandoned", "2024-05-13 09:00:00", "2024-05-13 09:05:00", "13/05/2024",
                     "x", "-1", "1e9", "2024-02-30 10:00:00", "00:00"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=',"'), max_size=8),
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(_cell, min_size=10, max_size=10), min_size=1, max_size=15))
def test_identity_holds_on_random_junk(tmp_path, rows):
    path = write_text(tmp_path / "junk.csv", [ACD_HEADER, GOOD, *rows])
    contacts, report = read_log(path, format="acd")
    assert identity(report)
    assert report.rows_read == len(rows) + 1
    assert report.rows_used == len(contacts)
    # every junk line is either used or quarantined, never both, with a valid line number
    assert set(report.quarantine["line"]) <= set(range(2, len(rows) + 3))
    assert report.quarantine["line"].is_unique
    assert "g1" in set(contacts["contact_id"]) or report.quarantine["line"].min() == 2
