"""Asterisk ``queue_log``: pipe-separated events folded into one contact per queue visit.

Each line is ``epoch|callid|queue|agent|EVENT|data1|data2|...`` (Asterisk's "Queue Logs"
documentation). Call events and their data fields:

=================  ==========================================  ==============================
event              data fields                                  contact
=================  ==========================================  ==============================
ENTERQUEUE         url, callerid                                starts a visit: ``arrived_at``
CONNECT            holdtime, bridged channel id, ringtime       ``called_at = started_at``
COMPLETEAGENT      holdtime, calltime, origposition            ``served``, ``ended_at``
COMPLETECALLER     holdtime, calltime, origposition            ``served``, ``ended_at``
SYSCOMPAT          holdtime, calltime, origposition            ``served``, ``ended_at``
TRANSFER           extension, context, holdtime, calltime, ..   ``transferred``, ``ended_at``
BLIND/ATTENDED...  (as TRANSFER)                                ``transferred``, ``ended_at``
ABANDON            position, origposition, waittime            ``abandoned`` (caller hung up)
EXITWITHKEY        key, position, origposition, waittime       ``abandoned`` (caller chose to leave)
EXITWITHTIMEOUT    position, origposition, waittime            ``other`` (the queue removed them)
EXITEMPTY          position, origposition, waittime            ``other`` (no agents left)
AGENTDUMP          --                                           ``other``
FULL, JOINEMPTY,   --                                           ``other``: could not join;
JOINUNAVAIL                                                     ``arrived_at = ended_at``
RINGNOANSWER,      ringtime (ms)                                informational, part of the call
RINGCANCELED, DID,
INFO
=================  ==========================================  ==============================

``EXITWITHTIMEOUT`` and ``EXITEMPTY`` are *not* abandonments: the caller's patience did not
run out, the queue's rules removed them; counting them as abandoned would bias patience
estimates down. ``EXITWITHKEY`` is the caller's own choice, at a known time: abandoned.

Rows and accounting: a row is one *call event line* (a line with a call id). Agent and
system lines (``QUEUESTART``, ``CONFIGRELOAD``, ``ADDMEMBER``, ``REMOVEMEMBER``, ``PAUSE``,
``UNPAUSE``, ``AGENTLOGIN``, ``AGENTLOGOFF``, ..., or call id ``NONE``) are read but are not
calls: they are counted in ``report.not_rows``, not in ``rows_read``. So are the lines of
outbound calls that dialers and ``QueueUpdate`` write (``OUTDIAL``, ``OUTANSWER``,
``OUTCANCEL``, ``OUTCHANUNAVAIL``, ``OUTCONGESTION``, ``OUTTRANSFER``, ``OUTFAIL``, ...: every
event named ``OUT...``): known events, but not inbound queue calls. Only unknown event codes
are quarantined. Every call line is either *used* (it belongs to a visit that became a
contact) or *quarantined* with a reason: its visit's reason (no final event, two final
events, events out of order, several ``CONNECT`` lines, a ``CONNECT`` then an unanswered end,
schema rules), or its own (malformed line, unparseable epoch, unknown event, an event before
the call's ``ENTERQUEUE``, an exact repeat of an earlier line). An epoch the contacts table
cannot store (epoch milliseconds, say) quarantines every line of its call, the rest of the
file is kept. A call id that enters queues several times yields one contact per visit,
``<callid>``, ``<callid>#2``, ... Epochs are UTC seconds, converted to the timezone asked for.

Agent sessions: the member lines among the agent lines (``ADDMEMBER``, ``REMOVEMEMBER``,
``PAUSE``, ``UNPAUSE``, ``PAUSEALL``, ``UNPAUSEALL``, ``AGENTLOGIN``, ``AGENTLOGOFF``,
``AGENTCALLBACKLOGIN``, ``AGENTCALLBACKLOGOFF``) stay not-rows of the contacts table, and are
also folded into :attr:`IngestReport.agent_sessions` (who was logged in to which queue, and
when paused; rules in :mod:`waitlab.readers._agent_sessions`), the input of
``interval_stats(..., on_duty="log", sessions=report.agent_sessions)``. A log without member
lines gives an empty table.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import numpy as np
import pandas as pd

from waitlab.readers._agent_sessions import MEMBER_EVENTS, agent_sessions
from waitlab.readers._report import IngestReport
from waitlab.readers._tables import _check_path, _detect_encoding, _raw_bytes
from waitlab.schema import COLUMNS, coerce_contacts, row_problems

__all__ = ["CALL_EVENTS", "OUTBOUND_EVENTS", "SYSTEM_EVENTS", "read_asterisk"]

_START = {"ENTERQUEUE"}
_BLOCKED = {"FULL", "JOINEMPTY", "JOINUNAVAIL"}
_FINAL_OUTCOME = {
    "COMPLETEAGENT": "served", "COMPLETECALLER": "served", "SYSCOMPAT": "served",
    "TRANSFER": "transferred", "BLINDTRANSFER": "transferred", "ATTENDEDTRANSFER": "transferred",
    "ABANDON": "abandoned", "EXITWITHKEY": "abandoned",
    "EXITWITHTIMEOUT": "other", "EXITEMPTY": "other", "AGENTDUMP": "other",
}  # fmt: skip
#: Data field holding the talk time (seconds) of each final event of a call that was answered.
_CALLTIME_FIELD = {"COMPLETEAGENT": "d2", "COMPLETECALLER": "d2", "SYSCOMPAT": "d2",
                   "TRANSFER": "d4", "BLINDTRANSFER": "d4", "ATTENDEDTRANSFER": "d4"}  # fmt: skip
_INFO = {"CONNECT", "RINGNOANSWER", "RINGCANCELED", "DID", "INFO", "ENTERQUEUE"}
CALL_EVENTS = frozenset(_START | _BLOCKED | set(_FINAL_OUTCOME) | _INFO)
SYSTEM_EVENTS = frozenset(
    {"QUEUESTART", "CONFIGRELOAD", "ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE", "PAUSEALL", "UNPAUSEALL",
     "AGENTLOGIN", "AGENTLOGOFF", "AGENTCALLBACKLOGIN", "AGENTCALLBACKLOGOFF", "PENALTY", "RINGINUSE"}
)  # fmt: skip
#: Events of outbound calls, written by dialers and by ``QueueUpdate`` (any event named ``OUT...``
#: is one of them): known, but not inbound queue calls.
OUTBOUND_EVENTS = frozenset(
    {"OUTDIAL", "OUTANSWER", "OUTCANCEL", "OUTCHANUNAVAIL", "OUTCONGESTION", "OUTBUSY", "OUTNOANSWER",
     "OUTTRANSFER", "OUTFAIL", "OUTCOMPLETE", "OUTCALL", "OUTBOUND"}
)  # fmt: skip
_ROW_UNIT = "one call event line (agent/system lines are not rows)"
#: Epoch seconds the contacts table (datetime64[ns]) can store, a day inside its limits.
_EPOCH_LO = (pd.Timestamp.min + pd.Timedelta(days=1)).value / 1e9
_EPOCH_HI = (pd.Timestamp.max - pd.Timedelta(days=1)).value / 1e9


def _lines(path: Path, encoding: str | None, notes: list[str]) -> list[str]:
    _check_path(path)
    data, gz = _raw_bytes(path)
    if gz:
        notes.append("The file is gzip-compressed; read it decompressed.")
    enc = _detect_encoding(path, data, encoding, notes)
    return codecs.decode(data, enc, errors="replace").lstrip("\ufeff").splitlines()


def read_asterisk(
    path: Path, *, tz: str, encoding: str | None = None, notes: list[str] | None = None
) -> tuple[pd.DataFrame, IngestReport]:
    """Read an Asterisk ``queue_log`` (see the module docstring for the rules)."""
    notes = list(notes or [])
    text = _lines(path, encoding, notes)
    if not any(t.strip() for t in text):
        from waitlab.exceptions import LogFormatError

        raise LogFormatError(f"{path} is empty; point to the Asterisk queue_log (usually /var/log/asterisk/queue_log).")
    raw = pd.Series(text, dtype="str")
    line_no = np.arange(1, len(raw) + 1)
    blank = raw.str.strip().eq("").to_numpy()
    parts = raw.str.split("|", expand=True, regex=False)
    width = parts.shape[1]
    for i in range(width, 10):
        parts[i] = None
    parts = parts.apply(lambda c: c.str.strip())
    epoch = pd.to_numeric(parts[0], errors="coerce")
    callid, queue, agent = parts[1], parts[2], parts[3]
    event = parts[4].str.upper()
    reasons = np.full(len(raw), "", dtype=object)

    def flag(mask: np.ndarray, reason: str | np.ndarray) -> None:
        m = np.asarray(mask, dtype=bool) & (reasons == "")
        reasons[m] = reason[m] if isinstance(reason, np.ndarray) else reason

    system = ~blank & (event.isin(SYSTEM_EVENTS) | callid.isin(["NONE", "REALTIME"])).fillna(False).to_numpy()
    outbound = ~blank & ~system & (event.isin(OUTBOUND_EVENTS) | event.fillna("").str.startswith("OUT")).to_numpy()
    nonrow = system | outbound
    row = ~blank & ~nonrow
    repeat = np.zeros(len(raw), dtype=bool)
    repeat[row] = raw[row].str.strip().duplicated(keep="first").to_numpy()
    flag(repeat, "duplicate line (an exact repeat of an earlier line)")
    flag(row & event.isna().to_numpy(), "malformed line (not epoch|callid|queue|agent|event|...)")
    flag(row & callid.fillna("").eq("").to_numpy(), "missing required value (callid)")
    flag(row & epoch.isna().to_numpy(), "unparseable time (epoch)")
    far = row & epoch.notna().to_numpy() & ~epoch.between(_EPOCH_LO, _EPOCH_HI).to_numpy()
    flag(far & (epoch / 1000).between(_EPOCH_LO, _EPOCH_HI).to_numpy(),
         "time out of range (epoch in milliseconds? queue_log times are Unix seconds)")  # fmt: skip
    flag(far, "time out of range (epoch: not a date the contacts table can store, years 1678-2261)")
    flag(row & callid.isin(callid[far]).to_numpy(), "call with a time out of range on another of its lines (epoch)")
    known = event.isin(CALL_EVENTS).fillna(False).to_numpy()
    flag(row & ~known, ("unknown event code (" + event.fillna("?") + ")").to_numpy(dtype=object))

    ok = row & (reasons == "")
    ev = pd.DataFrame({"line": line_no, "epoch": epoch, "callid": callid, "queue": queue, "agent": agent,
                       "event": event})[ok]  # fmt: skip
    for i in range(5, 10):
        ev[f"d{i - 4}"] = parts[i][ok]
    starts = ev["event"].isin(_START | _BLOCKED)
    ev["visit"] = starts.astype(int).groupby(ev["callid"]).cumsum()
    orphan = ev["visit"] == 0
    flag(np.isin(line_no, ev.loc[orphan, "line"]), "event before the call's ENTERQUEUE (call began before the log?)")
    ev = ev[~orphan]
    key = ev["callid"] + np.where(ev["visit"] > 1, "#" + ev["visit"].astype(str), "")
    ev["key"] = key
    g = ev.groupby("key", sort=False)
    first = g.head(1).set_index("key")
    is_final = ev["event"].isin(set(_FINAL_OUTCOME)) | ev["event"].isin(_BLOCKED)
    finals = ev[is_final]
    n_final = finals.groupby("key").size().reindex(first.index, fill_value=0)
    last = finals.groupby("key").head(1).set_index("key").reindex(first.index)
    conn = ev[ev["event"] == "CONNECT"].groupby("key").head(1).set_index("key").reindex(first.index)
    vreason = pd.Series("", index=first.index, dtype=object)

    def vflag(mask: pd.Series, reason: str) -> None:
        m = mask.fillna(False).to_numpy(dtype=bool) & (vreason == "").to_numpy()
        vreason[m] = reason

    vflag(n_final == 0, "incomplete call: no final event (still in progress when the log ends?)")
    vflag(n_final > 1, "duplicate id (the call has several final events)")
    vflag(g["epoch"].min() < first["epoch"], "events out of order (an event before ENTERQUEUE)")
    vflag(conn["epoch"] > last["epoch"], "events out of order (CONNECT after the final event)")
    n_conn = (ev["event"] == "CONNECT").groupby(ev["key"]).sum().reindex(first.index, fill_value=0)
    vflag(n_conn > 1, "inconsistent call: several CONNECT lines in one queue visit")
    outcome = last["event"].map(lambda e: "other" if e in _BLOCKED else _FINAL_OUTCOME.get(e))
    ct_idx = last["event"].map(_CALLTIME_FIELD)
    calltime = pd.Series(np.nan, index=first.index)
    for field in ("d2", "d4"):
        sel = ct_idx == field
        calltime[sel] = pd.to_numeric(last.loc[sel, field], errors="coerce")
    vflag(calltime > 24 * 3600.0, "absurd duration (over 24 h)")  # 1e308 and inf too (schema.MAX_DURATION_S)
    vflag(calltime < 0, "negative duration (call time)")
    calltime = calltime.where(calltime.abs() <= 24 * 3600.0)  # the flagged ones: no time lies that far back
    talked = outcome.isin(["served", "transferred"])
    vflag(conn["epoch"].notna() & ~talked, "inconsistent call: answered (CONNECT) but ended unanswered")
    start_epoch = conn["epoch"].where(conn["epoch"].notna(), last["epoch"] - calltime)
    vflag(talked & start_epoch.isna(), "missing required value (no CONNECT and no call time)")
    storable = start_epoch.between(_EPOCH_LO, _EPOCH_HI)
    vflag(talked & ~storable, "time out of range (final time minus call time)")
    start_epoch = start_epoch.where(storable)  # the flagged visits are built too, then dropped

    def stamp(s: pd.Series) -> pd.Series:
        return pd.to_datetime(s, unit="s", utc=True).dt.tz_convert(tz)

    blocked = first["event"].isin(_BLOCKED)
    agent_name = conn["agent"].where(conn["agent"].notna(), last["agent"])
    cand = pd.DataFrame(
        {
            "contact_id": first.index.astype(str),
            "site": pd.NA,
            "queue": first["queue"].where(first["queue"] != "", None),
            "channel": "phone",
            "ticket": pd.NA,
            "priority": pd.NA,
            "arrived_at": stamp(first["epoch"]),
            "called_at": stamp(start_epoch.where(talked)),
            "started_at": stamp(start_epoch.where(talked)),
            "ended_at": stamp(last["epoch"]),
            "outcome": outcome.where(vreason == ""),
            "server": agent_name.where(talked & ~agent_name.isin(["NONE", ""])),
            "customer_id": first["d2"].where(~blocked & first["d2"].notna() & (first["d2"] != "")),
        },
        index=first.index,
    )
    good = (vreason == "").to_numpy()
    if good.any():
        rp = row_problems(coerce_contacts(cand[good].reset_index(drop=True), tz=tz)).to_numpy()
        vreason[good] = rp
    line_reason = ev["key"].map(vreason).to_numpy(dtype=object)
    reasons[ev["line"].to_numpy() - 1] = line_reason
    used_visits = vreason == ""
    contacts = coerce_contacts(cand[used_visits.to_numpy()][list(COLUMNS)].reset_index(drop=True), tz=tz)

    bad = row & (reasons != "")
    q = pd.DataFrame({"line": line_no[bad], "reason": reasons[bad].astype(str), "callid": callid[bad].to_numpy(),
                      "event": event[bad].to_numpy(), "raw": raw[bad].to_numpy()})  # fmt: skip
    not_rows: dict[str, int] = {}
    if blank.any():
        not_rows["blank line"] = int(blank.sum())
    for name, count in event[system].fillna("?").value_counts().items():
        not_rows[f"agent/system event {name}, not a call"] = int(count)
    for name, count in event[outbound].value_counts().items():
        not_rows[f"outbound event {name}, not an inbound queue call"] = int(count)
    rows_read = int(row.sum())
    notes.append(
        f"Asterisk epochs (UTC seconds) converted to {tz}. A row is a call event line: {rows_read:,} call lines "
        f"folded into {int(used_visits.sum()):,} contacts (one per queue visit); {int(system.sum()):,} agent/system "
        f"lines and {int(outbound.sum()):,} outbound-call lines (events OUT...) are not inbound calls and not rows."
    )
    notes.append("A call line repeated verbatim is quarantined as a duplicate (it would make a second visit); a "
                 "visit with several CONNECT lines, or answered but ended by ABANDON/EXIT..., is quarantined: "
                 "which agent served it, and when, cannot be told.")
    if far.any():
        notes.append(f"{int(far.sum()):,} line(s) carry a time the contacts table cannot store (the first at line "
                     f"{int(line_no[far][0])}); their calls' lines are quarantined, the rest of the file is kept.")
    notes.append("EXITWITHKEY counts as abandoned (the caller chose to leave); EXITWITHTIMEOUT, EXITEMPTY, "
                 "AGENTDUMP and FULL/JOINEMPTY/JOINUNAVAIL as other (the queue, not the caller, ended the wait).")
    member = system & event.isin(MEMBER_EVENTS).fillna(False).to_numpy()
    member &= epoch.between(_EPOCH_LO, _EPOCH_HI).fillna(False).to_numpy()
    timed = epoch[~blank & epoch.between(_EPOCH_LO, _EPOCH_HI).fillna(False).to_numpy()]
    sessions, s_notes = agent_sessions(
        epoch[member], queue[member], agent[member], event[member],
        first=float(timed.min()) if len(timed) else 0.0, last=float(timed.max()) if len(timed) else 0.0, tz=tz,
    )  # fmt: skip
    notes.extend(s_notes)
    counts = q["reason"].value_counts()
    report = IngestReport(
        path=str(path), format="asterisk", rows_read=rows_read, rows_used=int(rows_read - len(q)),
        rows_quarantined=len(q), reasons={str(k): int(v) for k, v in counts.items()}, notes=tuple(notes),
        quarantine=q, not_rows=not_rows, row_unit=_ROW_UNIT,
        id_fields=("callid", "raw"), agent_sessions=sessions,
    )  # fmt: skip
    return contacts, report
