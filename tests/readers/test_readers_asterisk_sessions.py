"""Agent sessions of an Asterisk queue_log, checked against a hand-built log."""

from __future__ import annotations

import pandas as pd

from waitlab.readers import read_log

T = 1_709_542_800  # 2024-03-04 09:00:00 UTC


def _at(minute: float) -> int:
    return T + round(60 * minute)


#: Two agents (SIP/1001 by ADDMEMBER, with a pause; Agent/1002 by AGENTLOGIN without a queue), one
#: logged in until after the log ends (SIP/1003) and one logging off without a login (SIP/1004).
MEMBER = [
    f"{_at(0)}|NONE|sales|SIP/1001|ADDMEMBER|",
    f"{_at(10)}|NONE|NONE|Agent/1002|AGENTLOGIN|SIP/1002",
    f"{_at(10)}|NONE|sales|SIP/1004|REMOVEMEMBER|",
    f"{_at(20)}|NONE|sales|SIP/1001|PAUSE|lunch",
    f"{_at(30)}|NONE|sales|SIP/1001|UNPAUSE|",
    f"{_at(40)}|NONE|NONE|Agent/1002|AGENTLOGOFF|SIP/1002|1800",
    f"{_at(45)}|NONE|sales|SIP/1003|ADDMEMBER|",
    f"{_at(50)}|NONE|sales|SIP/1001|REMOVEMEMBER|",
]
CALLS = [
    f"{_at(1)}|c1|sales|NONE|ENTERQUEUE||5550001|1",
    f"{_at(2)}|c1|sales|SIP/1001|CONNECT|60|x|1",
    f"{_at(6)}|c1|sales|SIP/1001|COMPLETEAGENT|60|240|1",
    f"{_at(12)}|c2|support|NONE|ENTERQUEUE||5550002|1",
    f"{_at(13)}|c2|support|Agent/1002|CONNECT|60|x|1",
    f"{_at(16)}|c2|support|Agent/1002|COMPLETEAGENT|60|180|1",
    f"{_at(22)}|c3|sales|NONE|ENTERQUEUE||5550003|1",
    f"{_at(23)}|c3|sales|Agent/1002|CONNECT|60|x|1",
    f"{_at(25)}|c3|sales|Agent/1002|COMPLETECALLER|60|120|1",
    f"{_at(52)}|c4|sales|NONE|ENTERQUEUE||5550004|1",
    f"{_at(53)}|c4|sales|SIP/1003|CONNECT|60|x|1",
    f"{_at(58)}|c4|sales|SIP/1003|COMPLETEAGENT|60|300|1",
]


def write_log(tmp_path, lines: list[str], name: str = "queue_log"):
    def when(line: str) -> int:
        return int(line.split("|")[0])

    path = tmp_path / name
    path.write_text("\n".join(sorted(lines, key=when)) + "\n", encoding="utf-8")
    return path


def test_sessions_table_matches_the_hand_built_log(tmp_path):
    _, report = read_log(write_log(tmp_path, MEMBER + CALLS), format="asterisk", tz="UTC")
    s = report.agent_sessions
    assert list(s.columns) == ["agent", "queue", "start", "end", "paused"]
    got = [(r.agent, None if pd.isna(r.queue) else r.queue, (r.start - pd.Timestamp(T, unit="s", tz="UTC")) / pd.Timedelta("1min"),
            (r.end - pd.Timestamp(T, unit="s", tz="UTC")) / pd.Timedelta("1min"), bool(r.paused)) for r in s.itertuples()]  # fmt: skip
    assert got == [
        ("Agent/1002", None, 10, 40, False),  # AGENTLOGIN names no queue
        ("SIP/1001", "sales", 0, 20, False),
        ("SIP/1001", "sales", 20, 30, True),  # the pause
        ("SIP/1001", "sales", 30, 50, False),
        ("SIP/1003", "sales", 45, 58, False),  # still logged in: ends at the log's last time (minute 58)
        ("SIP/1004", "sales", 0, 10, False),  # logoff without login: from the log's first time
    ]
    text = " ".join(report.notes)
    assert "ended at the log's last time" in text and "logged in from the log's first time" in text


def test_contacts_and_row_accounting_do_not_change(tmp_path):
    contacts, report = read_log(write_log(tmp_path, MEMBER + CALLS), format="asterisk", tz="UTC")
    bare, bare_report = read_log(write_log(tmp_path, CALLS, "bare_log"), format="asterisk", tz="UTC")
    pd.testing.assert_frame_equal(contacts, bare)
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (12, 12, 0)
    assert (bare_report.rows_read, bare_report.rows_used) == (12, 12)
    assert sum(report.not_rows.values()) == len(MEMBER)  # agent lines stay not-rows
    assert bare_report.agent_sessions is not None and bare_report.agent_sessions.empty


def test_other_formats_have_no_sessions(tmp_path):
    from waitlab.readers import IngestReport

    assert IngestReport(path="x", format="kiosk").agent_sessions is None
