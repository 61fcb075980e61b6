"""Asterisk queue_log folding, checked against hand-worked calls."""

from __future__ import annotations

import pandas as pd
from readers_helpers import identity

from waitlab.readers import read_log
from waitlab.schema import validate_contacts

T0 = 1_700_000_000  # 2023-11-14 22:13:20 UTC

LOG = f"""\
{T0}|NONE|NONE|NONE|QUEUESTART|
{T0 + 1}|NONE|ventas|SIP/101|ADDMEMBER|
{T0 + 100}|c1|ventas|NONE|ENTERQUEUE||1155550001|1
{T0 + 130}|c1|ventas|SIP/100|RINGNOANSWER|15000
{T0 + 160}|c1|ventas|SIP/101|CONNECT|60|1700000158.9|2
{T0 + 400}|c1|ventas|SIP/101|COMPLETECALLER|60|240|1
{T0 + 200}|c2|ventas|NONE|ENTERQUEUE||1155550002|2
{T0 + 290}|c2|ventas|NONE|ABANDON|1|2|90
{T0 + 300}|c3|ventas|NONE|ENTERQUEUE||1155550003|1
{T0 + 500}|c3|ventas|NONE|EXITWITHTIMEOUT|1|1|200
{T0 + 505}|c3|soporte|NONE|ENTERQUEUE||1155550003|1
{T0 + 520}|c3|soporte|SIP/102|CONNECT|15|x|1
{T0 + 580}|c3|soporte|SIP/102|TRANSFER|200|from-internal|15|60|1
{T0 + 600}|c4|ventas|NONE|ENTERQUEUE||1155550004|1
{T0 + 610}|c4|ventas|NONE|EXITWITHKEY|5|1|1|10
{T0 + 700}|c5|ventas|NONE|ENTERQUEUE||1155550005|1
{T0 + 650}|c5|ventas|NONE|ABANDON|1|1|10
{T0 + 800}|c6|ventas|SIP/101|CONNECT|5|x|1
{T0 + 900}|c6|ventas|SIP/101|COMPLETEAGENT|5|100|1
{T0 + 950}|c7|ventas|NONE|ENTERQUEUE||1155550007|1
{T0 + 960}|c7|ventas|NONE|BOGUSEVENT|1
{T0 + 990}|c7|ventas|SIP/103|COMPLETEAGENT|0|30|1
{T0 + 1000}|NONE|ventas|SIP/101|PAUSE|lunch

{T0 + 2000}|c8|ventas|NONE|ENTERQUEUE||1155550008|1
not|a|queue|log
"""


def test_folding_hand_worked(tmp_path):
    path = tmp_path / "queue_log"
    path.write_text(LOG, encoding="utf-8")
    contacts, report = read_log(path)  # format detected from the pipe lines
    validate_contacts(contacts)
    assert report.format == "asterisk"
    c = contacts.set_index("contact_id")
    assert list(c.index) == ["c1", "c2", "c3", "c3#2", "c4", "c7"]
    assert list(c["outcome"]) == ["served", "abandoned", "other", "transferred", "abandoned", "served"]
    t = {k: (v - pd.Timestamp(T0, unit="s", tz="UTC")).total_seconds() for k, v in c["arrived_at"].items()}
    assert t == {"c1": 100, "c2": 200, "c3": 300, "c3#2": 505, "c4": 600, "c7": 950}
    # c1: waited 60 s (CONNECT), talked 240 s; server is the agent who answered
    assert (c.loc["c1", "started_at"] - c.loc["c1", "arrived_at"]).total_seconds() == 60
    assert (c.loc["c1", "ended_at"] - c.loc["c1", "started_at"]).total_seconds() == 240
    assert c.loc["c1", "server"] == "SIP/101" and c.loc["c1", "customer_id"] == "1155550001"
    assert (c.loc["c2", "ended_at"] - c.loc["c2", "arrived_at"]).total_seconds() == 90
    # c7 had no CONNECT line: start = final - calltime (30 s)
    assert (c.loc["c7", "ended_at"] - c.loc["c7", "started_at"]).total_seconds() == 30
    assert c.loc["c1", "arrived_at"].tz.key == "America/Argentina/Buenos_Aires"
    # lines: 26 physical; 1 blank, 3 system lines (QUEUESTART, ADDMEMBER, PAUSE) are not rows
    assert report.not_rows == {"blank line": 1, "agent/system event QUEUESTART, not a call": 1,
                               "agent/system event ADDMEMBER, not a call": 1,
                               "agent/system event PAUSE, not a call": 1}  # fmt: skip
    assert report.rows_read == 22 and identity(report)
    q = report.quarantine.set_index("line")["reason"].to_dict()
    assert q == {
        16: "events out of order (an event before ENTERQUEUE)",
        17: "events out of order (an event before ENTERQUEUE)",
        18: "event before the call's ENTERQUEUE (call began before the log?)",
        19: "event before the call's ENTERQUEUE (call began before the log?)",
        21: "unknown event code (BOGUSEVENT)",
        25: "incomplete call: no final event (still in progress when the log ends?)",
        26: "malformed line (not epoch|callid|queue|agent|event|...)",
    }
    # used lines: c1 4, c2 2, c3 5, c4 2, c7 2 (its unknown line quarantined alone) = 15
    assert report.rows_used == 15


def test_asterisk_tz_and_gzip(tmp_path):
    import gzip

    path = tmp_path / "queue_log.gz"
    path.write_bytes(gzip.compress(LOG.encode()))
    contacts, report = read_log(path, format="asterisk", tz="UTC")
    assert contacts["arrived_at"].iloc[0] == pd.Timestamp(T0 + 100, unit="s", tz="UTC")
    assert any("gzip" in a for a in report.notes)


def _read(tmp_path, text, **kw):
    path = tmp_path / "queue_log"
    path.write_text(text, encoding="utf-8")
    return read_log(path, **kw)


def test_a_call_stamped_in_milliseconds_is_quarantined_alone(tmp_path):
    ms = (T0 + 50) * 1000
    log = f"""\
{ms}|m1|ventas|NONE|ENTERQUEUE||1155550009|1
{ms + 30_000}|m1|ventas|NONE|ABANDON|1|1|30
{T0 + 100}|c1|ventas|NONE|ENTERQUEUE||1155550001|1
{T0 + 160}|c1|ventas|SIP/101|CONNECT|60|x|2
{T0 + 400}|c1|ventas|SIP/101|COMPLETECALLER|60|240|1
{T0 + 200}|c2|ventas|NONE|ENTERQUEUE||1155550002|1
{(T0 + 260) * 1000}|c2|ventas|SIP/101|CONNECT|60|x|2
{T0 + 500}|c2|ventas|SIP/101|COMPLETEAGENT|60|240|1
{T0 + 300}|c3|ventas|NONE|ENTERQUEUE||1155550003|1
{T0 + 400}|c3|ventas|SIP/101|COMPLETEAGENT|100|1e308|1
{T0 + 600}|c4|ventas|NONE|ENTERQUEUE||1155550004|1
{T0 + 690}|c4|ventas|NONE|ABANDON|1|1|90
"""
    contacts, report = _read(tmp_path, log)  # detected although line 1 is in milliseconds
    assert report.format == "asterisk"
    assert list(contacts["contact_id"]) == ["c1", "c4"]
    assert (contacts["ended_at"].iloc[1] - contacts["arrived_at"].iloc[1]).total_seconds() == 90
    ms_reason = "time out of range (epoch in milliseconds? queue_log times are Unix seconds)"
    other_line = "call with a time out of range on another of its lines (epoch)"
    assert report.quarantine.set_index("line")["reason"].to_dict() == {
        1: ms_reason, 2: ms_reason, 6: other_line, 7: ms_reason, 8: other_line,
        9: "absurd duration (over 24 h)", 10: "absurd duration (over 24 h)",  # call time 1e308
    }  # fmt: skip
    # 12 call lines: c1 3 + c4 2 used, 7 quarantined
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (12, 5, 7) and identity(report)
    assert any("cannot store (the first at line 1)" in a for a in report.notes)


def test_a_call_block_repeated_verbatim_is_not_a_second_visit(tmp_path):
    block = f"""\
{T0 + 100}|c1|ventas|NONE|ENTERQUEUE||1155550001|1
{T0 + 160}|c1|ventas|SIP/101|CONNECT|60|x|2
{T0 + 400}|c1|ventas|SIP/101|COMPLETECALLER|60|240|1
"""
    log = block + block + f"""\
{T0 + 500}|c4|ventas|NONE|ENTERQUEUE||1155550004|1
{T0 + 520}|c4|ventas|NONE|EXITWITHTIMEOUT|1|1|20
{T0 + 530}|c4|ventas|NONE|ENTERQUEUE||1155550004|1
{T0 + 540}|c4|ventas|NONE|ABANDON|1|1|10
""" + block.splitlines(keepends=True)[1]
    contacts, report = _read(tmp_path, log)
    assert list(contacts["contact_id"]) == ["c1", "c4", "c4#2"]  # a real second visit stays one
    assert list(contacts["outcome"]) == ["served", "other", "abandoned"]
    dup = "duplicate line (an exact repeat of an earlier line)"
    assert report.quarantine.set_index("line")["reason"].to_dict() == {4: dup, 5: dup, 6: dup, 11: dup}
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (11, 7, 4) and identity(report)


def test_an_inconsistent_visit_is_quarantined_whole(tmp_path):
    log = f"""\
{T0 + 100}|c1|ventas|NONE|ENTERQUEUE||1155550001|1
{T0 + 160}|c1|ventas|SIP/101|CONNECT|60|x|2
{T0 + 170}|c1|ventas|SIP/102|CONNECT|70|y|2
{T0 + 400}|c1|ventas|SIP/101|COMPLETECALLER|60|240|1
{T0 + 200}|c2|ventas|NONE|ENTERQUEUE||1155550002|1
{T0 + 230}|c2|ventas|SIP/101|CONNECT|30|x|2
{T0 + 260}|c2|ventas|NONE|ABANDON|1|1|60
{T0 + 300}|c3|ventas|NONE|ENTERQUEUE||1155550003|1
{T0 + 330}|c3|ventas|SIP/103|CONNECT|30|z|2
{T0 + 390}|c3|ventas|SIP/103|COMPLETEAGENT|30|60|1
"""
    contacts, report = _read(tmp_path, log)
    assert list(contacts["contact_id"]) == ["c3"]
    q = report.quarantine.set_index("line")["reason"].to_dict()
    assert q == {**dict.fromkeys(range(1, 5), "inconsistent call: several CONNECT lines in one queue visit"),
                 **dict.fromkeys(range(5, 8), "inconsistent call: answered (CONNECT) but ended unanswered")}
    assert (report.rows_read, report.rows_used) == (10, 3) and identity(report)
    assert any("several CONNECT lines" in a for a in report.notes)


#: Asterisk's documented queue_log events ("Queue Logs", docs.asterisk.org), and outbound events.
DOCUMENTED = [
    "ABANDON", "ADDMEMBER", "AGENTCALLBACKLOGIN", "AGENTCALLBACKLOGOFF", "AGENTDUMP", "AGENTLOGIN", "AGENTLOGOFF",
    "ATTENDEDTRANSFER", "BLINDTRANSFER", "COMPLETEAGENT", "COMPLETECALLER", "CONFIGRELOAD", "CONNECT", "ENTERQUEUE",
    "EXITEMPTY", "EXITWITHKEY", "EXITWITHTIMEOUT", "PAUSE", "PAUSEALL", "QUEUESTART", "REMOVEMEMBER", "RINGNOANSWER",
    "RINGCANCELED", "SYSCOMPAT", "TRANSFER", "UNPAUSE", "UNPAUSEALL",
]  # fmt: skip
OUTBOUND = ["OUTDIAL", "OUTANSWER", "OUTCANCEL", "OUTCHANUNAVAIL", "OUTCONGESTION", "OUTTRANSFER", "OUTFAIL"]


def test_outbound_events_are_counted_not_quarantined(tmp_path):
    head = f"""\
{T0 + 100}|c1|ventas|NONE|ENTERQUEUE||1155550001|1
{T0 + 160}|c1|ventas|SIP/101|CONNECT|60|x|2
{T0 + 400}|c1|ventas|SIP/101|COMPLETECALLER|60|240|1
"""
    outbound = "".join(f"{T0 + 500 + i}|o{i}|ventas|SIP/101|{e}|1155559999\n" for i, e in enumerate(OUTBOUND * 2))
    log = head + outbound + f"{T0 + 600}|o9|ventas|SIP/101|OUTDIAL|1155559999\n{T0 + 700}|c1|ventas|NONE|BOGUS|1\n"
    contacts, report = _read(tmp_path, log)
    assert list(contacts["contact_id"]) == ["c1"]
    assert report.reasons == {"unknown event code (BOGUS)": 1}
    assert report.not_rows == {f"outbound event {e}, not an inbound queue call": 3 if e == "OUTDIAL" else 2
                               for e in OUTBOUND}  # fmt: skip
    assert (report.rows_read, report.rows_used) == (4, 3) and identity(report)
    assert any("15 outbound-call lines" in a for a in report.notes)


def test_every_documented_event_is_known(tmp_path):
    log = "".join(f"{T0 + i}|k{i}|ventas|SIP/101|{e}|1|2|3\n" for i, e in enumerate(DOCUMENTED + OUTBOUND))
    good = f"{T0 + 100}|g|ventas|NONE|ENTERQUEUE||1|1\n{T0 + 130}|g|ventas|NONE|ABANDON|1|1|30\n"
    _, report = _read(tmp_path, log + good + f"{T0 + 99}|z|ventas|NONE|NOTANEVENT|1\n")
    unknown = [r for r in report.reasons if r.startswith("unknown event code")]
    assert unknown == ["unknown event code (NOTANEVENT)"]
