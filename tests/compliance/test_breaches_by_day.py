"""breaches_by_day: check_compliance's per-day counts, without the breach list (the network analysis' core)."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from waitlab.compliance import check_compliance
from waitlab.compliance._check import breaches_by_day
from waitlab.schema import coerce_contacts


def _log() -> pd.DataFrame:
    # Monday: t0 waits 95 min (over 30 standing and 90 in all), t1 39 min (over 30 standing),
    # t2 8 min; t1 was called before t0 (issued earlier) and t2 before both: 2 overtaking tickets.
    # Tuesday: one ticket waits 5 min.
    rows = []
    for day, n, arr, call in (("2025-03-10", 0, 0, 95), ("2025-03-10", 1, 1, 40), ("2025-03-10", 2, 2, 10),
                              ("2025-03-11", 0, 0, 5)):
        base = pd.Timestamp(f"{day} 09:00")
        at, called = base + pd.Timedelta(minutes=arr), base + pd.Timedelta(minutes=call)
        rows.append({"contact_id": f"{day}-{n}", "site": "S", "queue": "caja", "channel": "kiosk",
                     "ticket": f"C{n:03d}", "priority": 0, "arrived_at": at, "called_at": called,
                     "started_at": called, "ended_at": called + pd.Timedelta(minutes=5), "outcome": "served",
                     "server": "D1"})
    return coerce_contacts(pd.DataFrame(rows), tz="America/Argentina/Buenos_Aires")


def test_counts_of_a_hand_built_log_when_everybody_stands():
    out = breaches_by_day(_log(), "CABA", None)
    assert list(out.index) == [dt.date(2025, 3, 10), dt.date(2025, 3, 11)]
    assert out["contacts"].tolist() == [3, 1]
    assert out["breaching"].tolist() == [2, 0]
    assert out["breaching_standing_30"].tolist() == [2, 0]
    assert out["breaching_total_90"].tolist() == [1, 0]
    assert out["turn_order_violations"].tolist() == [2, 0]


@pytest.mark.parametrize("rules", ["CABA", "limit15", "standing45_seated60"])
@pytest.mark.parametrize("seats", [None, 1, 10])
def test_same_numbers_as_check_compliance(rules, seats):
    log = _log()
    lean, full = breaches_by_day(log, rules, seats), check_compliance(log, rules, seats)
    by_day = full.summary[full.summary["by"] == "day"].set_index("group")
    assert by_day.index.tolist() == [str(d) for d in lean.index]
    for col in ["contacts", "breaching", *(f"breaching_{lim.id}" for lim in full.rules.limits)]:
        assert lean[col].tolist() == by_day[col].astype(np.int64).tolist(), col
    daily = full.daily.set_index("day")
    turn = daily["turn_order_violations"].tolist() if "turn_order_violations" in daily else [0] * len(daily)
    assert lean["turn_order_violations"].tolist() == turn
