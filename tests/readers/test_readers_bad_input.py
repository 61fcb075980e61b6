"""One hand-made file per kind of bad row, and per kind of unusable file."""

from __future__ import annotations

import pandas as pd
import pytest
from readers_helpers import ACD_HEADER, acd_row, identity, write_text

from waitlab.exceptions import ArgumentError, LogFormatError
from waitlab.readers import read_log

GOOD = acd_row("g1", "2024-05-13 09:00:00", "2024-05-13 09:01:00", "2024-05-13 09:05:00", "answered")


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (acd_row("b", "2024-05-13 9h", "", "2024-05-13 09:05:00", "abandoned"), "unparseable time (entered_at)"),
        (acd_row("b", "2024-05-13 09:00:00", "2024-05-13 09:10:00", "2024-05-13 09:05:00", "answered"),
         "events out of order (ended_at before called_at)"),
        (acd_row("b", "2024-05-13 09:10:00", "2024-05-13 09:01:00", "2024-05-13 09:15:00", "answered"),
         "events out of order (called_at before arrived_at)"),
        (acd_row("b", "2024-05-13 09:00:00", "2024-05-14 09:30:00", "2024-05-14 09:35:00", "answered"),
         "absurd duration (over 24 h)"),
        (acd_row("g1", "2024-05-13 09:02:00", "2024-05-13 09:03:00", "2024-05-13 09:04:00", "answered"),
         "duplicate contact_id"),
        (acd_row("b", "2024-05-13 09:00:00", "", "2024-05-13 09:05:00", "hung_up"), "unknown outcome code (outcome)"),
        (acd_row("b", "2024-05-13 09:00:00", "", "", "abandoned"), "abandoned without the time they left"),
        (acd_row("b", "", "", "2024-05-13 09:05:00", "abandoned"), "missing arrived_at"),
        (acd_row("b", "2024-05-13 09:00:00", "", "2024-05-13 09:05:00", "abandoned", queue=""), "missing queue"),
        (acd_row("b", "2024-05-13 09:00:00", "", "2024-05-13 09:05:00", "abandoned", priority="urgent"),
         "unknown priority code (priority)"),
        (acd_row("b", "2024-05-13 09:00:00", "", "2024-05-13 09:05:00", "abandoned", priority="1E100"),
         "unknown priority code (priority)"),  # a whole number, but no priority class (hypothesis found it)
    ],
)  # fmt: skip
def test_each_bad_row_is_quarantined_with_its_reason_and_line(tmp_path, bad, reason):
    last = acd_row("g2", "2024-05-13 10:00:00", "", "2024-05-13 10:01:00", "abandoned")
    path = write_text(tmp_path / "acd.csv", [ACD_HEADER, GOOD, bad, last])
    contacts, report = read_log(path, format="acd")
    assert report.rows_read == 3 and report.rows_used == 2 and report.rows_quarantined == 1 and identity(report)
    assert report.reasons == {reason: 1}
    q = report.quarantine.iloc[0]
    assert q["line"] == 3 and q["reason"] == reason
    entered = q["entered_at"] if isinstance(q["entered_at"], str) else ""
    assert q["call_id"] == bad[0] and entered == bad[3]  # the original fields, as text
    assert set(contacts["contact_id"]) == {"g1", "g2"}


def test_dst_gap_is_quarantined(tmp_path):
    # Madrid skipped 02:00-03:00 on 31 March 2024; 02:30 does not exist there.
    rows = [ACD_HEADER, GOOD,
            acd_row("b", "2024-03-31 02:30:00", "", "2024-03-31 03:10:00", "abandoned"),
            acd_row("c", "2024-03-31 01:50:00", "", "2024-03-31 03:10:00", "abandoned")]  # fmt: skip
    contacts, report = read_log(write_text(tmp_path / "a.csv", rows), format="acd", tz="Europe/Madrid")
    assert report.reasons == {"time in a DST gap (entered_at: no such local time in Europe/Madrid)": 1}
    # 01:50 CET to 03:10 CEST is 20 minutes of real time
    c = contacts.set_index("contact_id")
    assert (c.loc["c", "ended_at"] - c.loc["c", "arrived_at"]).total_seconds() == 1200.0


def test_repeated_hour_is_kept_and_stated(tmp_path):
    rows = [ACD_HEADER, acd_row("a", "2024-10-27 02:30:00", "", "2024-10-27 02:40:00", "abandoned")]
    contacts, report = read_log(write_text(tmp_path / "a.csv", rows), format="acd", tz="Europe/Madrid")
    assert len(contacts) == 1 and contacts["arrived_at"].iloc[0].utcoffset().total_seconds() == 7200
    assert any("repeated hour" in a for a in report.notes)


def test_malformed_line_and_blank_lines_keep_physical_line_numbers(tmp_path):
    text = (",".join(ACD_HEADER) + "\n" + ",".join(GOOD) + "\n\n" + "oops,too,few\n\n"
            + ",".join(acd_row("x", "2024-05-13 09:00:00", "", "2024-05-13 09:05:00", "nope")) + "\n")  # fmt: skip
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    contacts, report = read_log(tmp_path / "a.csv", format="acd")
    assert identity(report) and report.rows_read == 3 and report.rows_used == 1
    q = report.quarantine.set_index("line")["reason"].to_dict()
    assert q == {4: "malformed line (3 fields, header has 10)", 6: "unknown outcome code (outcome)"}
    assert report.not_rows == {"blank line": 2}


def test_bad_rows_never_stop_good_ones(tmp_path):
    rows = [ACD_HEADER] + [acd_row(f"j{i}", "junk", "junk", "junk", "junk") for i in range(50)] + [GOOD]
    contacts, report = read_log(write_text(tmp_path / "a.csv", rows), format="acd")
    assert list(contacts["contact_id"]) == ["g1"] and report.rows_quarantined == 50


# --- unusable files -------------------------------------------------------------------------

def _msg(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert "\n" not in text and text.endswith(".")
    return text


def test_missing_file(tmp_path):
    with pytest.raises(LogFormatError, match="no such file") as e:
        read_log(tmp_path / "nope.csv", format="acd")
    assert "nope.csv" in _msg(e)


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file(tmp_path, content):
    (tmp_path / "e.csv").write_bytes(content)
    with pytest.raises(LogFormatError, match="e.csv is empty") as e:
        read_log(tmp_path / "e.csv", format="acd")
    _msg(e)


def test_not_a_table(tmp_path):
    (tmp_path / "n.csv").write_text("just some words\nno separators here\n", encoding="utf-8")
    with pytest.raises(LogFormatError, match="does not look like a table"):
        read_log(tmp_path / "n.csv", format="acd")
    (tmp_path / "b.csv").write_bytes(bytes(range(256)) * 10)
    with pytest.raises(LogFormatError, match="binary"):
        read_log(tmp_path / "b.csv", format="acd")


def test_missing_required_column_names_it_and_the_fix(tmp_path):
    header = [h for h in ACD_HEADER if h != "entered_at"]
    path = write_text(tmp_path / "a.csv", [header, ["c1", "x", "q", "", "", "ag", "answered", "1", "0"]])
    with pytest.raises(LogFormatError) as e:
        read_log(path, format="acd")
    msg = _msg(e)
    assert "'entered_at'" in msg and "arrived_at" in msg and "a.csv" in msg and "[columns]" in msg


def test_unknown_format(tmp_path):
    path = write_text(tmp_path / "a.csv", [ACD_HEADER, GOOD])
    with pytest.raises(LogFormatError, match=r"format 'genesys' .* is unknown; use one of kiosk, acd"):
        read_log(path, format="genesys")


def test_undetectable_format(tmp_path):
    path = write_text(tmp_path / "a.csv", [["x", "y"], ["1", "2"]])
    with pytest.raises(LogFormatError, match="cannot tell the log format"):
        read_log(path)


def test_wrong_mapping_for_the_file(tmp_path):
    path = write_text(tmp_path / "a.csv", [ACD_HEADER, GOOD])
    with pytest.raises(LogFormatError, match=r"'Sucursal' \(needed for site by mapping vendor_a_es\)"):
        read_log(path, mapping="vendor_a_es")
    with pytest.raises(LogFormatError, match="mapping acd_default is for format acd, not kiosk"):
        read_log(path, format="kiosk", mapping="acd_default")


def test_bad_timezone_is_a_value_error(tmp_path):
    path = write_text(tmp_path / "a.csv", [ACD_HEADER, GOOD])
    with pytest.raises(ArgumentError, match="`tz` must be an IANA timezone name"):
        read_log(path, format="acd", tz="Mars/Olympus")


@pytest.mark.parametrize("when", ["-1", "0001-01-01 00:00:00", "2999-01-01 10:00:00"])
def test_a_time_the_table_cannot_store_is_quarantined_not_fatal(tmp_path, when):
    # "-1" reads as year -1: beyond what a timestamp column holds; it costs its row, not the file
    bad = acd_row("b", when, "", "2024-05-13 09:05:00", "abandoned")
    path = write_text(tmp_path / "acd.csv", [ACD_HEADER, GOOD, bad])
    contacts, report = read_log(path, format="acd")
    assert identity(report) and report.rows_used == 1
    assert report.reasons == {"unparseable time (entered_at)": 1}
    assert list(contacts["contact_id"]) == ["g1"]


def test_a_stray_utc_offset_in_a_column_of_local_times_costs_its_row(tmp_path):
    # 6,000 rows: the column sample (head and tail) sees only local times; one value in the middle
    # carries an offset, which cannot be placed among local times
    rows = [acd_row(f"r{i}", "2024-05-13 09:00:00" if i != 3001 else "2024-05-13 09:00:00+03:00",
                    "2024-05-13 09:01:00", "2024-05-13 09:05:00", "answered") for i in range(6000)]
    contacts, report = read_log(write_text(tmp_path / "acd.csv", [ACD_HEADER, *rows]), format="acd")
    assert identity(report) and report.rows_used == 5999
    assert report.reasons == {"unparseable time (entered_at)": 1}
    assert report.quarantine["line"].tolist() == [3003]  # header is line 1, r0 line 2


def test_a_time_without_offset_in_a_column_of_offset_times_costs_its_row(tmp_path):
    """Not read as UTC, nor as local time: which one it meant cannot be told."""
    rows = [acd_row(f"r{i}", f"2024-05-13T09:00:0{i}+02:00" if i != 2 else "2024-05-13 09:00:02",
                    "", f"2024-05-13T09:05:00{'Z' if i % 2 else '+02:00'}", "abandoned") for i in range(5)]
    contacts, report = read_log(write_text(tmp_path / "acd.csv", [ACD_HEADER, *rows]), format="acd", tz="UTC")
    assert identity(report) and report.reasons == {"unparseable time (entered_at)": 1}
    assert report.quarantine["line"].tolist() == [4]
    c = contacts.set_index("contact_id")
    assert c.loc["r0", "arrived_at"] == pd.Timestamp("2024-05-13 07:00:00", tz="UTC")
    assert c.loc["r1", "ended_at"] == pd.Timestamp("2024-05-13 09:05:00", tz="UTC")  # Z is an offset
    assert any("UTC offsets" in a for a in report.notes)


def test_a_file_that_fails_while_being_read_gets_one_plain_message(tmp_path, monkeypatch):
    import waitlab.readers._tables as tables

    path = write_text(tmp_path / "acd.csv", [ACD_HEADER, GOOD])

    def vanished(p):  # noqa: ANN001, ANN202 - the file is gone between the sniff and the read
        raise FileNotFoundError(2, "No such file or directory", str(p))

    monkeypatch.setattr(tables, "_CountingFile", vanished)
    with pytest.raises(LogFormatError, match=r"acd\.csv could not be read to its end \(.*No such file"):
        read_log(path, format="acd")
