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
