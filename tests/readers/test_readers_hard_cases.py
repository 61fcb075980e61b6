"""Issue 14, items 1 and 7: hand-made files whose right answer is known, one per hard case of real exports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from readers_helpers import ACD_HEADER, acd_row, identity, write_text

from waitlab.exceptions import LogFormatError
from waitlab.readers import load_mapping, read_log

ROOT = Path(__file__).resolve().parents[2]
GOOD = acd_row("c1", "2024-05-13 09:00:00", "2024-05-13 09:00:30", "2024-05-13 09:05:00", "answered")
ABANDONED = acd_row("c2", "2024-05-13 09:01:00", "", "2024-05-13 09:02:00", "abandoned", agent="")

DURATION_MAPPING = (
    '[mapping]\nformat = "kiosk"\n[read]\nsep = ";"\n[columns]\ndate = "Fecha"\nticket = "Turno"\n'
    'queue = "Servicio"\narrived_at = "Emision"\ncalled_at = "Llamado"\nstarted_at = "Llamado"\n'
    'service_seconds = "Dur"\n'
)


def _durations(tmp_path: Path, values: list[str]) -> tuple[pd.DataFrame, object]:
    (tmp_path / "m.toml").write_text(DURATION_MAPPING, encoding="utf-8")
    rows = [["Fecha", "Turno", "Servicio", "Emision", "Llamado", "Dur"]]
    rows += [["13/05/2024", f"C{i}", "Caja", "08:00:00", "08:02:00", v] for i, v in enumerate(values)]
    return read_log(write_text(tmp_path / "t.csv", rows, sep=";"), mapping=tmp_path / "m.toml")


# --- item 1: huge, infinite and nan durations ------------------------------------------------------------


def test_huge_and_non_finite_durations_are_quarantined_and_the_rest_kept(tmp_path):
    values = ["90", "1e308", "1E400", "inf", "nan", "-inf", "Infinity", "NaN", "120", "90000"]
    contacts, report = _durations(tmp_path, values)
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (10, 2, 8) and identity(report)
    service = (contacts["ended_at"] - contacts["started_at"]).dt.total_seconds().tolist()
    assert service == [90.0, 120.0]  # lines 2 and 10 (C0, C8)
    q = report.quarantine.set_index("line")["reason"].to_dict()
    not_finite = "not a finite number (Dur: inf, nan or beyond 1e308)"
    assert q == {3: "absurd duration (over 24 h)", 4: not_finite, 5: not_finite, 6: not_finite, 7: not_finite,
                 8: not_finite, 9: not_finite, 11: "absurd duration (over 24 h)"}  # fmt: skip


def test_asterisk_call_time_of_1e308_is_quarantined_not_a_crash(tmp_path):
    log = tmp_path / "queue_log"
    log.write_text(
        "1715600000|c1|ventas|NONE|ENTERQUEUE||5551234|1\n"
        "1715600100|c1|ventas|SIP/ag1|COMPLETECALLER|10|1e308|1\n"  # no CONNECT: the start would be 1e308 s back
        "1715600000|c2|ventas|NONE|ENTERQUEUE||5551235|1\n"
        "1715600100|c2|ventas|SIP/ag1|COMPLETEAGENT|10|inf|1\n"
        "1715600000|c3|ventas|NONE|ENTERQUEUE||5551236|1\n"
        "1715600100|c3|ventas|SIP/ag1|COMPLETEAGENT|10|60|1\n",
        encoding="utf-8",
    )
    contacts, report = read_log(log, format="asterisk")
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (6, 2, 4) and identity(report)
    assert report.reasons == {"absurd duration (over 24 h)": 4}
    assert contacts["contact_id"].tolist() == ["c3"]
    assert (contacts["ended_at"] - contacts["started_at"]).dt.total_seconds().tolist() == [60.0]


# --- item 7 ----------------------------------------------------------------------------------------------

SEELAB_HEADER = ("vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start"
                 "\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver")  # fmt: skip


def test_seelab_times_in_the_repeated_hour_are_said(tmp_path):
    # Israel set clocks back from 02:00 to 01:00 on 27 October 2024: 01:30 happened twice
    lines = [
        "AA01\t1\t0\t0\tPS\t241027\t1:30:00\t1:30:10\t10\t1:30:10\t1:31:10\t60\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
        "AA01\t2\t0\t0\tPS\t241027\t9:00:00\t9:00:10\t10\t9:00:10\t9:01:10\t60\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
    ]  # fmt: skip
    path = tmp_path / "month.txt"
    path.write_text("\n".join([SEELAB_HEADER, *lines]) + "\n", encoding="utf-8")
    contacts, report = read_log(path)
    assert report.rows_used == 2 and identity(report)
    # the first call's arrived_at (01:30:10) and ended_at (01:31:10) are in the repeated hour; called_at is empty
    said = [a for a in report.notes if "repeated hour" in a]
    assert said == ["2 time(s) fell in the repeated hour when clocks went back in Asia/Jerusalem; "
                    "taken as the first (daylight-saving) occurrence."]  # fmt: skip
    assert str(contacts["arrived_at"].iloc[0]) == "2024-10-27 01:30:10+03:00"  # the first, summer-time, instant


def test_mapping_saved_with_a_byte_order_mark_is_read(tmp_path):
    text = '[mapping]\nformat = "acd"\n[columns]\narrived_at = "entered_at"\nqueue = "queue"\n'
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "plain.toml").write_text(text, encoding="utf-8")
    bom, plain = load_mapping(tmp_path / "bom.toml"), load_mapping(tmp_path / "plain.toml")
    assert (bom.format, bom.columns) == (plain.format, plain.columns) == ("acd", {"arrived_at": "entered_at", "queue": "queue"})


@pytest.mark.parametrize("trail", [";", ";;"])
def test_lines_ending_with_the_separator_drop_the_empty_unnamed_column(tmp_path, trail):
    rows = [ACD_HEADER, GOOD, ABANDONED]
    path = tmp_path / "t.csv"
    path.write_text("".join(";".join(r) + trail + "\n" for r in rows), encoding="utf-8")
    contacts, report = read_log(path, format="acd")
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (2, 2, 0) and identity(report)
    assert contacts["contact_id"].tolist() == ["c1", "c2"]
    assert any(a.startswith("Every line ends with the separator: the empty, unnamed last column") for a in report.notes)


def test_an_unnamed_column_with_values_is_refused_naming_it(tmp_path):
    rows = [ACD_HEADER + [""], GOOD + ["note"], ABANDONED + [""]]
    with pytest.raises(LogFormatError, match=r"t\.csv: column 11 has no name in the header line but holds values on 1 "
                                             r"line\(s\); give it a name in the header line\."):  # fmt: skip
        read_log(write_text(tmp_path / "t.csv", rows), format="acd")
    middle = [ACD_HEADER[:2] + [""] + ACD_HEADER[2:], GOOD[:2] + ["x"] + GOOD[2:]]
    with pytest.raises(LogFormatError, match=r"m\.csv: the header line has no name for column\(s\) \[3\]"):
        read_log(write_text(tmp_path / "m.csv", middle), format="acd")


def test_one_nul_byte_quarantines_its_line_only(tmp_path):
    bad = acd_row("c3", "2024-05-13 09:03:00", "", "2024-05-13 09:04:00", "abandoned", agent="")
    bad[1] = "Cen\x00tro"
    contacts, report = read_log(write_text(tmp_path / "t.csv", [ACD_HEADER, GOOD, bad, ABANDONED]), format="acd")
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (3, 2, 1) and identity(report)
    assert contacts["contact_id"].tolist() == ["c1", "c2"]
    q = report.quarantine.iloc[0]
    assert (q["line"], q["reason"]) == (3, "NUL byte in a field (site): the line is damaged")
    assert "\x00" not in q["raw"] and "Cen\\x00tro" in q["raw"]


def test_a_mostly_binary_file_is_still_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n" + bytes(range(256)) * 64)
    with pytest.raises(LogFormatError, match=r"x\.csv is not a text table \(\d+% of its first bytes are binary\); export"):
        read_log(path, format="acd")


def test_sql_null_spellings_are_missing_values_in_time_and_number_columns(tmp_path):
    rows = [
        ACD_HEADER,
        GOOD,
        acd_row("c2", "2024-05-13 09:01:00", "NULL", "2024-05-13 09:02:00", "abandoned", priority="NULL"),
        acd_row("c3", "2024-05-13 09:02:00", "\\N", "2024-05-13 09:03:00", "abandoned", priority="null"),
        acd_row("c4", "2024-05-13 09:03:00", "None", "2024-05-13 09:04:00", "abandoned"),
        acd_row("c5", "2024-05-13 09:04:00", "NULLx", "2024-05-13 09:05:00", "abandoned"),  # not a null spelling
    ]
    contacts, report = read_log(write_text(tmp_path / "t.csv", rows), format="acd")
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (5, 4, 1) and identity(report)
    assert contacts["outcome"].tolist() == ["served", "abandoned", "abandoned", "abandoned"]
    assert contacts["called_at"].iloc[1:].isna().all() and contacts["priority"].iloc[1:3].isna().all()
    assert report.quarantine.set_index("line")["reason"].to_dict() == {6: "unparseable time (answered_at)"}
    assert ("5 value(s) written NULL, \\N or None in time or number columns (as SQL exports write a missing value) "
            "were read as missing.") in report.notes  # fmt: skip


def test_sql_null_in_a_service_seconds_column_is_missing(tmp_path):
    contacts, report = _durations(tmp_path, ["90", "NULL", "x"])
    assert (report.rows_used, report.rows_quarantined) == (2, 1) and identity(report)
    assert report.quarantine.set_index("line")["reason"].to_dict() == {4: "unparseable number (Dur)"}
    assert pd.isna(contacts["ended_at"].iloc[1])


def test_quarantine_lines_are_physical_lines_with_values_spanning_lines(tmp_path):
    text = (
        ",".join(ACD_HEADER) + "\n"                                                                   # line 1
        + ",".join(GOOD) + "\n"                                                                       # line 2
        + 'c2,"Centro\nnorte\nedificio B",ventas,2024-05-13 09:01:00,,2024-05-13 09:02:00,,weird,x2,0\n'  # 3-5
        + "\n"                                                                                        # line 6
        + "c3,Centro,ventas,2024-05-13 09:01:00,,2024-05-13 09:02:00,,weird,x3,0\n"                  # line 7
        + "c4,Centro,ventas,2024-05-13 09:01:00\n"                                                    # line 8
    )  # fmt: skip
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    contacts, report = read_log(tmp_path / "t.csv", format="acd")
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (4, 1, 3) and identity(report)
    assert report.quarantine["line"].tolist() == [3, 7, 8]
    assert report.not_rows == {"blank line": 1}
    assert any("quarantine line numbers are the line where each row starts" in a for a in report.notes)


def test_ingest_json_into_a_closed_pipe_exits_quietly(tmp_path):
    log = write_text(tmp_path / "acd.csv", [ACD_HEADER, GOOD, ABANDONED])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "waitlab", "ingest", str(log), "-o", str(tmp_path / "c.parquet"), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    proc.stdout.close()  # the reader is gone before waitlab writes a byte (as `| head` that has read enough)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141  # as a process stopped by SIGPIPE
    assert err == ""  # no traceback, no "Broken pipe" sentence
