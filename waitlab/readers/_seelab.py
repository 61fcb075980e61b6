"""The Technion SEELab "Anonymous Bank" call-center format (one tab-separated line per call).

Fields: ``vru+line call_id customer_id priority type date vru_entry vru_exit vru_time q_start
q_exit q_time outcome ser_start ser_exit ser_time server``; dates ``yymmdd``, times
``h:mm:ss``, ``0:00:00`` meaning "did not happen". Outcomes ``AGENT`` (served), ``HANG``
(hung up) and ``PHANTOM`` (a virtual call to ignore).

How a line becomes a contact
----------------------------
* ``contact_id`` = ``<vru+line>-<call_id>``; ``site`` = ``"Anonymous Bank"``; ``channel`` =
  ``phone``; ``queue`` = ``type``; ``server`` = ``server`` (``NO_SERVER`` → null);
  ``customer_id`` = ``customer_id`` (``0``, not identified → null); ``priority``: 0 and 1
  are both regular → 0, 2 (high) → 1.
* ``arrived_at`` = ``q_start`` for calls that queued, ``vru_exit`` for calls that did not
  (they were answered at once: wait 0).
* ``AGENT`` → ``served``. The VRU/queue clock and the agents' clock (``ser_*``) are not
  synchronised (``ser_start`` is typically 1 s before ``q_exit``), so all times are put on
  the queue clock: ``called_at = started_at = q_exit`` (``vru_exit`` if it never queued),
  ``ended_at = started_at + (ser_exit - ser_start)``. Waits then equal ``q_time`` and service
  times equal ``ser_time`` exactly.
* ``HANG`` after queueing → ``abandoned`` at ``q_exit`` (any service fields on such a line
  are ignored and counted in the report).
* Quarantined, with their reason: ``PHANTOM`` lines; ``HANG`` lines that never queued (they
  hung up in the VRU: not queue contacts); lines whose VRU times run backwards
  (``vru_exit`` before ``vru_entry``); served lines without service times; unparseable
  fields; plus the schema rules of :func:`waitlab.schema.row_problems`.
* A time earlier than ``vru_entry`` by more than 12 h is on the next day (calls crossing
  midnight). ``0:00:00`` in both fields of a pair (``q_start``/``q_exit``,
  ``ser_start``/``ser_exit``) means the step did not happen; in one field only, it is midnight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from waitlab.exceptions import LogFormatError
from waitlab.readers._core import finalize
from waitlab.readers._report import IngestReport
from waitlab.readers._tables import RawTable
from waitlab.readers._tabular import _Flags, _text
from waitlab.readers._zones import localize
from waitlab.schema import COLUMNS

__all__ = ["SEELAB_FIELDS", "read_seelab"]

SEELAB_FIELDS = (
    "vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry", "vru_exit", "vru_time",
    "q_start", "q_exit", "q_time", "outcome", "ser_start", "ser_exit", "ser_time", "server",
)  # fmt: skip
_TIMES = ("vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit")
_DAY = 86400.0


def _seconds(s: pd.Series) -> pd.Series:
    parts = s.str.extract(r"^(\d{1,2}):(\d{2}):(\d{2})$").astype("float64")
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def read_seelab(raw: RawTable, *, path: str, tz: str, notes: list[str]) -> tuple[pd.DataFrame, IngestReport]:
    """Read a SEELab table already loaded by :func:`waitlab.readers._tables.load_table`."""
    f = raw.frame
    f = f.rename(columns={c: c.strip().lower() for c in f.columns})
    missing = [c for c in SEELAB_FIELDS if c not in f.columns]
    if missing:
        raise LogFormatError(
            f"{path}: a seelab log needs column(s) {missing}; found {list(raw.frame.columns)}. "
            "Check that it is the tab-separated SEELab export with its header line."
        )
    n = len(f)
    flag = _Flags(n)
    t = {c: _text(f[c]) for c in SEELAB_FIELDS}
    outcome = t["outcome"].str.upper()
    flag((outcome == "PHANTOM").fillna(False).to_numpy(), "phantom call (SEELab: a virtual call, to ignore)")
    day = pd.to_datetime(t["date"], format="%y%m%d", errors="coerce")
    flag((day.isna() & t["date"].notna()).to_numpy(), "unparseable time (date)")
    flag(day.isna().to_numpy(), "missing required value (date)")
    sec: dict[str, pd.Series] = {}
    for c in _TIMES:
        s = _seconds(t[c])
        flag((s.isna() & t[c].notna()).to_numpy(), f"unparseable time ({c})")
        flag(s.isna().to_numpy(), f"missing required value ({c})")
        sec[c] = s
    flag(~outcome.isin(["AGENT", "HANG", "PHANTOM"]).fillna(False).to_numpy(), "unknown outcome code (outcome)")
    entry = sec["vru_entry"]
    rolled = np.zeros(n, dtype=bool)
    # 0:00:00 in both fields of a pair means "did not happen"; alone, it is midnight
    absent = {"q": (sec["q_start"] == 0) & (sec["q_exit"] == 0), "ser": (sec["ser_start"] == 0) & (sec["ser_exit"] == 0)}
    for c in _TIMES[1:]:
        s = sec[c] if c == "vru_exit" else sec[c].where(~absent[c.split("_")[0]])
        late = (s < entry - _DAY / 2).to_numpy()
        rolled |= late
        sec[c] = s + np.where(late, _DAY, 0.0)
    flag((sec["vru_exit"] < entry).to_numpy(), "events out of order (vru_exit before vru_entry)")
    queued = sec["q_start"].notna().to_numpy()
    agent = (outcome == "AGENT").fillna(False).to_numpy()
    hang = (outcome == "HANG").fillna(False).to_numpy()
    flag(hang & ~queued, "hung up in the VRU, never queued (not a queue contact)")
    served_times = (sec["ser_start"].notna() & sec["ser_exit"].notna()).to_numpy()
    flag(agent & ~served_times, "missing required value (served call without ser_start/ser_exit)")
    flag(queued & sec["q_exit"].isna().to_numpy(), "missing required value (q_exit of a queued call)")
    flag((sec["q_exit"] < sec["q_start"]).to_numpy(), "events out of order (q_exit before q_start)")
    flag((sec["ser_exit"] < sec["ser_start"]).to_numpy(), "events out of order (ser_exit before ser_start)")

    arrive = sec["q_start"].where(queued, sec["vru_exit"])
    offered = sec["q_exit"].where(queued, sec["vru_exit"])
    service = sec["ser_exit"] - sec["ser_start"]
    nat = pd.Series(np.nan, index=f.index)
    called = offered.where(agent, nat)
    ended = (offered + service).where(agent, offered.where(hang & queued, nat))

    repeated = [0]  # times in the hour when clocks went back, as the kiosk reader counts them

    def stamp(s: pd.Series, name: str) -> pd.Series:
        aware, gap, n_ambiguous = localize(day + pd.to_timedelta(s, unit="s"), tz)
        flag(gap, f"time in a DST gap ({name}: no such local time in {tz})")
        repeated[0] += n_ambiguous
        return aware

    out = pd.DataFrame(index=f.index)
    out["contact_id"] = t["vru+line"] + "-" + t["call_id"]
    out["site"] = "Anonymous Bank"
    out["queue"] = t["type"]
    out["channel"] = "phone"
    out["ticket"] = pd.Series(pd.NA, index=f.index, dtype="object")
    prio = pd.to_numeric(t["priority"], errors="coerce")
    flag(~prio.isin([0, 1, 2]).to_numpy(), "unknown priority code (priority)")
    out["priority"] = pd.array(np.where(prio == 2, 1, 0), dtype="Int64")
    out["arrived_at"] = stamp(arrive, "arrived_at")
    out["called_at"] = stamp(called, "called_at")
    out["started_at"] = out["called_at"]
    out["ended_at"] = stamp(ended, "ended_at")
    out["outcome"] = np.where(agent, "served", np.where(hang, "abandoned", "other"))
    out["server"] = t["server"].where(t["server"].str.upper() != "NO_SERVER")
    out["customer_id"] = t["customer_id"].where(t["customer_id"] != "0")

    ok = flag.free.copy()
    gap = (sec["ser_start"] - offered)[agent & ok]
    if repeated[0]:
        notes.append(
            f"{repeated[0]} time(s) fell in the repeated hour when clocks went back in {tz}; "
            "taken as the first (daylight-saving) occurrence."
        )
    notes.extend(
        [
            "Every line is one call; rows read = lines after the header.",
            "site 'Anonymous Bank', channel phone, queue = type, contact_id = vru+line-call_id.",
            "priority 0 and 1 (both regular) -> 0, priority 2 (high) -> 1; customer_id 0 (not identified) -> null.",
            f"{int((agent & ~queued & ok).sum()):,} served calls never queued: arrived_at = vru_exit, wait 0.",
            "Times are on the queue clock: served calls have called_at = started_at = q_exit (vru_exit if not "
            "queued) and ended_at = that + (ser_exit - ser_start), so waits equal q_time and service times ser_time; "
            f"the agents' clock differs from it (ser_start - q_exit median {gap.median() if len(gap) else 0:+.0f} s, "
            f"more than 5 s apart on {int((gap.abs() > 5).sum()):,} served calls).",
            f"{int((agent & ok & t['server'].str.upper().eq('NO_SERVER').fillna(False).to_numpy()).sum()):,} served "
            "calls have server NO_SERVER: server left null.",
            f"{int((hang & queued & served_times & ok).sum()):,} HANG calls carry service times: taken as abandoned "
            "at q_exit, their service fields ignored.",
            f"{int((rolled & ok).sum()):,} calls cross midnight: times earlier than vru_entry by over 12 h are on the "
            "next day.",
        ]
    )
    cand = flag.candidates(out[list(COLUMNS)])
    return finalize(
        cand, raw.frame, raw.lines, path=path, fmt="seelab", tz=tz, assumptions=raw.assumptions + notes,
        malformed=raw.malformed, not_rows=raw.not_rows, row_unit="one call (a line after the header)",
        id_fields=tuple(c for c in raw.frame.columns if c in ("call_id", "customer_id")),
    )
