"""A file read with the wrong format is refused in one sentence naming the format that fits."""

from __future__ import annotations

import pytest
from readers_helpers import ACD_HEADER, acd_row, identity, write_text

from waitlab.cli import main
from waitlab.exceptions import LogFormatError
from waitlab.readers import read_log
from waitlab.readers._sniff import MIN_USED_SHARE

T0 = 1_700_000_000
SEELAB_HEADER = [
    "vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry", "vru_exit", "vru_time", "q_start",
    "q_exit", "q_time", "outcome", "ser_start", "ser_exit", "ser_time", "server",
]  # fmt: skip
SEELAB_ROWS = [
    ["AA0101", "1", "0", "0", "PS", "990201", "7:02:47", "7:02:56", "9", "7:02:56", "7:03:56", "60", "AGENT",
     "7:03:55", "7:05:41", "106", "DORIT"],
    ["AA0101", "2", "0", "0", "PS", "990201", "7:10:00", "7:10:10", "10", "7:10:10", "7:11:00", "50", "HANG",
     "0:00:00", "0:00:00", "0", "NO_SERVER"],
]  # fmt: skip
ASTERISK = f"""\
{T0}|NONE|NONE|NONE|QUEUESTART|
{T0 + 1}|NONE|ventas|SIP/101|ADDMEMBER|
{T0 + 100}|c1|ventas|NONE|ENTERQUEUE||1155550001|1
{T0 + 160}|c1|ventas|SIP/101|CONNECT|60|x|2
{T0 + 400}|c1|ventas|SIP/101|COMPLETECALLER|60|240|1
"""


@pytest.fixture
def seelab(tmp_path):
    return write_text(tmp_path / "february.txt", [SEELAB_HEADER, *SEELAB_ROWS], sep="\t", newline="\r\n")


@pytest.fixture
def asterisk(tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(ASTERISK, encoding="utf-8")
    return path


def _one_sentence(message: str) -> None:
    assert "\n" not in message and message.endswith(".") and message.count(". ") == 0


def test_the_hand_made_files_read_with_their_own_format(seelab, asterisk):
    contacts, report = read_log(seelab)
    assert report.format == "seelab" and list(contacts["outcome"]) == ["served", "abandoned"] and identity(report)
    contacts, report = read_log(asterisk)
    assert report.format == "asterisk" and list(contacts["contact_id"]) == ["c1"]


def test_seelab_read_as_asterisk_names_seelab(seelab):
    with pytest.raises(LogFormatError) as err:
        read_log(seelab, format="asterisk")
    msg = str(err.value)
    assert msg.startswith(f"{seelab}: only 0 of its 3 rows could be used as format asterisk")
    assert "from line 1: malformed line" in msg and "at least 1% of them" in msg
    assert msg.endswith("this looks like a SEELab file (its header has the SEELab columns vru+line, call_id, "
                        "customer_id, priority, type, date, vru_entry, vr...); use format seelab (--format seelab).")  # fmt: skip
    _one_sentence(msg)


@pytest.mark.parametrize("fmt, what", [("seelab", "a SEELab file"), ("acd", "an ACD call log"),
                                       ("kiosk", "a kiosk (turn-terminal) export"),
                                       ("contacts", "a canonical contacts file")])  # fmt: skip
def test_asterisk_read_as_a_table_names_asterisk(asterisk, fmt, what):
    with pytest.raises(LogFormatError) as err:
        read_log(asterisk, format=fmt)
    msg = str(err.value)
    assert msg == (f"{asterisk}: this is not {what}; it looks like an Asterisk queue_log (its lines are "
                   f"'epoch|callid|queue|agent|EVENT|...', line 1 reads '{T0}|NONE|NONE|NONE|QUEUESTART|'); "
                   "use format asterisk (--format asterisk).")  # fmt: skip
    assert "['NONE']" not in msg
    _one_sentence(msg)


def test_acd_read_as_asterisk_or_seelab_names_acd(tmp_path):
    log = write_text(tmp_path / "acd.csv", [ACD_HEADER, acd_row("g1", "2024-05-13 09:00:00", "2024-05-13 09:01:00",
                                                                 "2024-05-13 09:05:00", "answered")])  # fmt: skip
    for fmt in ("asterisk", "seelab"):
        with pytest.raises(LogFormatError, match=r"acd.csv: .*use format acd \(--format acd\)\.$"):
            read_log(log, format=fmt)


def test_a_file_no_format_fits_is_refused_without_a_guess(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\nthis is not a log\n", encoding="utf-8")
    with pytest.raises(LogFormatError) as err:
        read_log(path, format="asterisk")
    msg = str(err.value)
    assert "only 0 of its 2 rows" in msg and msg.endswith("; check the format (--format), or fix those values.")
    assert "looks like" not in msg


def test_the_threshold_is_one_percent_of_the_rows(tmp_path):
    assert MIN_USED_SHARE == 0.01

    def junk(n: int) -> str:  # distinct malformed lines (a repeated line would be a duplicate)
        return "".join(f"not|a|queue|log {i}\n" for i in range(n))

    path = tmp_path / "queue_log"
    path.write_text(ASTERISK + junk(297), encoding="utf-8")  # 3 call lines used of 300: exactly 1 %, kept
    _, report = read_log(path, format="asterisk")
    assert (report.rows_read, report.rows_used) == (300, 3) and identity(report)
    path.write_text(ASTERISK + junk(298), encoding="utf-8")  # 3 of 301: under 1 %, refused
    with pytest.raises(LogFormatError, match=r"only 3 of its 301 rows .* on 298 rows from line 6: malformed line"):
        read_log(path, format="asterisk")


def test_a_log_with_no_call_lines_is_not_refused(tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(ASTERISK.splitlines(keepends=True)[0] * 3, encoding="utf-8")
    contacts, report = read_log(path)  # only system lines: nothing to use, nothing wrong
    assert len(contacts) == 0 and report.rows_read == 0


@pytest.mark.parametrize("command", [["report"], ["staff", "--sl", "20:0.8"]])
def test_cli_report_and_staff_refuse_a_wrong_format(seelab, asterisk, tmp_path, capsys, command):
    out = tmp_path / "out"
    argv = [command[0], str(seelab), "--format", "asterisk", *command[1:], "-o", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "NaTType" not in err and "0 intervals" not in err
    assert err.startswith(f"waitlab {command[0]}: {seelab}: only 0 of its 3 rows") and "--format seelab" in err
    assert not out.exists() or not any(out.iterdir())
    argv = [command[0], str(asterisk), "--format", "seelab", *command[1:], "-o", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "this is not a SEELab file; it looks like an Asterisk queue_log" in err


def test_asterisk_detected_when_its_first_line_is_damaged(tmp_path):
    path = tmp_path / "queue_log"
    path.write_text("garbage|first|line\n" + ASTERISK, encoding="utf-8")
    contacts, report = read_log(path)  # 5 of 6 lines are queue_log lines: the format is asterisk
    assert report.format == "asterisk" and list(contacts["contact_id"]) == ["c1"]
    assert report.quarantine.set_index("line")["reason"].to_dict() == {
        1: "malformed line (not epoch|callid|queue|agent|event|...)"
    }
