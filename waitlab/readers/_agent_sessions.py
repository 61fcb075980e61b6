"""Agent sessions from the member events of an Asterisk ``queue_log``.

The agent lines of a ``queue_log`` are not calls (they are not rows of the contacts table,
see :mod:`waitlab.readers._asterisk`), but they record when each agent was logged in to a
queue and when it was paused. They are folded into one table,
:attr:`waitlab.readers.IngestReport.agent_sessions`, with one row per stretch of time in one
state:

============  ==================================================================
column        meaning
============  ==================================================================
``agent``     the member as the log names it (``SIP/1001``, ``Agent/1001``, ...)
``queue``     the queue the stretch belongs to; missing when the event names none
              (``AGENTLOGIN``, ``PAUSEALL``, queue ``NONE``): all the agent's queues
``start``     start of the stretch (tz-aware)
``end``       end of the stretch (tz-aware), ``start < end``
``paused``    True while paused (logged in but not taking calls)
============  ==================================================================

Events: ``ADDMEMBER``, ``AGENTLOGIN``, ``AGENTCALLBACKLOGIN`` open a session of the agent in
the line's queue; ``REMOVEMEMBER`` closes it (``AGENTLOGOFF`` and ``AGENTCALLBACKLOGOFF``, and
any logoff without a queue, close every open session of the agent); ``PAUSE`` / ``UNPAUSE``
switch the agent's session in that queue (without a queue, and ``PAUSEALL`` /
``UNPAUSEALL``: every open session of the agent). A session still open when the log ends
ends at the log's last time; a logoff, pause or unpause without an earlier login means the
agent was logged in before the log began, so its session starts at the log's first time (an
unpause without a pause: paused from that first time). A second login of an open session is
ignored. Each of these assumptions is counted in the notes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["LOGINS", "LOGOFFS", "PAUSES", "UNPAUSES", "SESSION_COLUMNS", "agent_sessions"]

LOGINS = frozenset({"ADDMEMBER", "AGENTLOGIN", "AGENTCALLBACKLOGIN"})
LOGOFFS = frozenset({"REMOVEMEMBER", "AGENTLOGOFF", "AGENTCALLBACKLOGOFF"})
PAUSES = frozenset({"PAUSE", "PAUSEALL"})
UNPAUSES = frozenset({"UNPAUSE", "UNPAUSEALL"})
MEMBER_EVENTS = LOGINS | LOGOFFS | PAUSES | UNPAUSES
SESSION_COLUMNS = ("agent", "queue", "start", "end", "paused")
_QUEUE_ALL = {"", "NONE"}


def agent_sessions(
    epoch: pd.Series, queue: pd.Series, agent: pd.Series, event: pd.Series, *, first: float, last: float, tz: str
) -> tuple[pd.DataFrame, list[str]]:
    """Fold member event lines into the sessions table (module docstring); returns it and its notes.

    `epoch`, `queue`, `agent`, `event` are the member lines' fields (file order); `first` and
    `last` are the first and last times of the whole log (epoch seconds).
    """
    order = np.argsort(epoch.to_numpy(dtype=float), kind="stable")
    ep = epoch.to_numpy(dtype=float)[order]
    qs = queue.fillna("").to_numpy(dtype=object)[order]
    ags = agent.fillna("").to_numpy(dtype=object)[order]
    evs = event.fillna("").to_numpy(dtype=object)[order]
    open_: dict[tuple[str, str | None], list] = {}  # key -> [stretch start, paused]
    rows: list[tuple[str, str | None, float, float, bool]] = []
    implied = unclosed = relogin = 0

    def close(key: tuple[str, str | None], t: float) -> None:
        start, paused = open_[key]
        rows.append((key[0], key[1], start, t, paused))

    for t, q_raw, a, e in zip(ep, qs, ags, evs, strict=True):
        if not np.isfinite(t) or a in ("", "NONE"):
            continue
        q = None if str(q_raw).upper() in _QUEUE_ALL else str(q_raw)
        mine = [k for k in open_ if k[0] == a and (q is None or k[1] == q)]
        if not mine and q is not None and (a, None) in open_:  # logged in to all queues at once
            mine = [(a, None)]
        if e in LOGINS:
            if (a, q) in open_:
                relogin += 1
            else:
                open_[(a, q)] = [t, False]
            continue
        if not mine:  # no login seen: the agent was logged in (and, for UNPAUSE, paused) from the start
            implied += 1
            open_[(a, q)] = [first, e in UNPAUSES]
            mine = [(a, q)]
        for k in mine:
            if e in LOGOFFS:
                close(k, t)
                del open_[k]
            elif (e in PAUSES) != open_[k][1]:  # a switch; a repeated PAUSE changes nothing
                close(k, t)
                open_[k] = [t, e in PAUSES]
    for k in list(open_):
        unclosed += 1
        close(k, last)
    df = pd.DataFrame(rows, columns=list(SESSION_COLUMNS))
    df = df[df["end"] > df["start"]]
    notes: list[str] = []
    if len(ep):
        notes.append(
            f"Agent sessions: {len(ep):,} member lines (ADDMEMBER/REMOVEMEMBER, PAUSE/UNPAUSE, AGENTLOGIN/"
            f"AGENTLOGOFF, ...) folded into {len(df):,} logged-in stretches in report.agent_sessions (paused or not)."
        )
    if unclosed:
        notes.append(f"Agent sessions: {unclosed:,} session(s) still open when the log ends were ended at the "
                     "log's last time.")  # fmt: skip
    if implied:
        notes.append(f"Agent sessions: {implied:,} logoff/pause/unpause line(s) without an earlier login; those "
                     "agents are taken as logged in from the log's first time.")  # fmt: skip
    if relogin:
        notes.append(f"Agent sessions: {relogin:,} login line(s) for a session already open were ignored.")

    def stamp(s: pd.Series) -> pd.Series:
        return pd.to_datetime(s.astype(float), unit="s", utc=True).dt.tz_convert(tz)

    out = pd.DataFrame({
        "agent": df["agent"].astype("string"),
        "queue": df["queue"].astype("string"),
        "start": stamp(df["start"]),
        "end": stamp(df["end"]),
        "paused": df["paused"].astype(bool),
    })  # fmt: skip
    return out.sort_values(["agent", "queue", "start"], na_position="first").reset_index(drop=True), notes
