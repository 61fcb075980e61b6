"""SEELab "Anonymous Bank" format: hand-made lines, and the real February 1999 month when present."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from readers_helpers import identity

from waitlab.readers import read_log
from waitlab.schema import validate_contacts

HEADER = ("vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit"
          "\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver")  # fmt: skip
LINES = [
    # served without queueing; the agents' clock is 1 s behind the VRU's
    "AA0101\t1\t0\t0\tPS\t990201\t7:02:47\t7:02:56\t9\t0:00:00\t0:00:00\t0\tAGENT\t7:02:55\t7:05:41\t166\tDORIT",
    # queued 60 s, served 100 s by NO_SERVER, priority 2 (high)
    "AA0101\t2\t23317894\t2\tNE\t990201\t8:00:00\t8:00:10\t10\t8:00:10\t8:01:10\t60\tAGENT\t8:01:09\t8:02:49\t100"
    "\tNO_SERVER",
    # hung up after 45 s in the queue
    "AA0102\t3\t0\t1\tPS\t990201\t9:00:00\t9:00:05\t5\t9:00:05\t9:00:50\t45\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
    # hung up in the VRU, never queued
    "AA0102\t4\t0\t0\tPS\t990201\t9:10:00\t9:10:20\t20\t0:00:00\t0:00:00\t0\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
    # phantom
    "AA0103\t5\t0\t0\tPS\t990201\t9:20:00\t9:20:05\t5\t9:20:05\t9:20:30\t25\tPHANTOM\t9:20:29\t9:20:35\t6"
    "\tNO_SERVER",
    # VRU times run backwards
    "AA0103\t6\t0\t0\tPS\t990201\t9:30:00\t9:29:00\t-60\t9:29:00\t9:31:00\t120\tAGENT\t9:30:59\t9:32:00\t61\tAVI",
    # crosses midnight: queued at 23:59:30, served from 00:00:29 to 00:02:09 next day
    "AA0104\t7\t0\t0\tPS\t990201\t23:59:00\t23:59:30\t30\t23:59:30\t0:00:30\t60\tAGENT\t0:00:29\t0:02:09\t100\tEDI",
]  # fmt: skip


def test_hand_made_lines(tmp_path):
    path = tmp_path / "month.txt"
    path.write_bytes(("\r\n".join([HEADER, *LINES]) + "\r\n").encode())
    contacts, report = read_log(path)
    validate_contacts(contacts)
    assert report.format == "seelab" and report.rows_read == 7 and identity(report)
    c = contacts.set_index("contact_id")
    assert list(c.index) == ["AA0101-1", "AA0101-2", "AA0102-3", "AA0104-7"]
    assert list(c["outcome"]) == ["served", "served", "abandoned", "served"]
    wait = (c["called_at"].fillna(c["ended_at"]) - c["arrived_at"]).dt.total_seconds()
    assert list(wait) == [0.0, 60.0, 45.0, 60.0]
    service = (c["ended_at"] - c["started_at"]).dt.total_seconds()
    assert service.iloc[0] == 166 and service.iloc[1] == 100 and service.iloc[3] == 100
    assert c.loc["AA0101-1", "arrived_at"] == pd.Timestamp("1999-02-01 07:02:56", tz="Asia/Jerusalem")
    assert c.loc["AA0104-7", "ended_at"] == pd.Timestamp("1999-02-02 00:02:10", tz="Asia/Jerusalem")
    assert list(c["priority"]) == [0, 1, 0, 0] and pd.isna(c.loc["AA0101-2", "server"])
    assert pd.isna(c.loc["AA0101-1", "customer_id"]) and c.loc["AA0101-2", "customer_id"] == "23317894"
    q = report.quarantine.set_index("line")["reason"].to_dict()
    assert q == {
        5: "hung up in the VRU, never queued (not a queue contact)",
        6: "phantom call (SEELab: a virtual call, to ignore)",
        7: "events out of order (vru_exit before vru_entry)",
    }
    assert any("Asia/Jerusalem" in a for a in report.notes)


def _shared() -> Path | None:
    for root in (Path(__file__).resolve().parents[2] / ".." / "shared", Path("/work/shared")):
        f = root / "datasets" / "anonymous_bank" / "february.txt"
        if f.exists():
            return f
    return None


REAL = _shared()


@pytest.mark.skipif(REAL is None, reason="the SEELab month (../shared/datasets/anonymous_bank/february.txt) is absent")
def test_real_february_month_accounts_for_every_line():
    assert REAL is not None
    # direct count of the lines, without waitlab
    with REAL.open(encoding="ascii", newline="") as fh:
        next(fh)
        direct = Counter(line.rstrip("\r\n").split("\t")[12] for line in fh if line.strip())
    assert direct == {"AGENT": 27_162, "HANG": 5_904, "PHANTOM": 278}

    contacts, report = read_log(REAL, format="seelab")
    validate_contacts(contacts)
    assert report.rows_read == 33_344 == report.rows_used + report.rows_quarantined
    assert identity(report)
    used = Counter(contacts["outcome"])
    quarantined = Counter(report.quarantine["outcome"])
    assert used["served"] + quarantined["AGENT"] == direct["AGENT"]
    assert used["abandoned"] + quarantined["HANG"] == direct["HANG"]
    assert quarantined["PHANTOM"] == direct["PHANTOM"] and set(used) == {"served", "abandoned"}
    assert report.reasons["phantom call (SEELab: a virtual call, to ignore)"] == 278
    assert contacts["contact_id"].is_unique
    assert report.quarantine["line"].between(2, 33_345).all()

    # waits and service times equal the file's own q_time and ser_time fields
    raw = pd.read_csv(REAL, sep="\t", dtype=str)
    raw["contact_id"] = raw["vru+line"] + "-" + raw["call_id"]
    raw = raw.set_index("contact_id").loc[contacts["contact_id"]]
    served = (contacts["outcome"] == "served").to_numpy()
    wait = (contacts["called_at"].fillna(contacts["ended_at"]) - contacts["arrived_at"]).dt.total_seconds()
    assert (wait.to_numpy() == raw["q_time"].astype(float).to_numpy()).all()
    service = (contacts["ended_at"] - contacts["started_at"]).dt.total_seconds().to_numpy()
    assert (service[served] == raw["ser_time"].astype(float).to_numpy()[served]).all()
