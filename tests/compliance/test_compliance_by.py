"""``check_compliance(..., by=...)``: two simulated days of one site judged apart, worked out by hand.

Both replications are the same site and date, 1 seat, CABA (standing 30 min, total 90 min, turn
order), times in minutes after 09:00:

    replication 0: R0A ticket T001 arrives 0, called 35;  R0B ticket T002 arrives 1, called 45
    replication 1: R1A ticket T001 arrives 0, called 10;  R1B ticket T002 arrives 2, called 5

Day 0: R0A takes the seat at 0; R0B stands from 1 until R0A leaves at 35, 34 min > 30: one
standing breach of 4 min (240 s). Called in ticket order. Day 1: R1A sits at 0; R1B stands
from 2 until called at 5 (3 min); R1B is called before R1A though issued later: one turn-order
violation, R1A called 5 min (300 s) after it. Judged as one day instead, R1A would stand
waiting for R0A's seat and R1B would overtake three tickets.
"""

from __future__ import annotations

import pandas as pd
import pytest
from compliance_helpers import build, served

from waitlab.compliance import check_compliance


@pytest.fixture
def two_days() -> pd.DataFrame:
    table = build([
        served("R0A", "T001", 0, 35, 40, "D1"),
        served("R0B", "T002", 1, 45, 50, "D1"),
        served("R1A", "T001", 0, 10, 15, "D1"),
        served("R1B", "T002", 2, 5, 8, "D2"),
    ])
    return table.assign(replication=[0, 0, 1, 1])


def test_each_replication_is_judged_on_its_own(two_days):
    res = check_compliance(two_days, "CABA", seats=1, by="replication")
    b = res.breaches
    assert b[["contact_id", "rule", "excess_s", "replication"]].to_dict("records") == [
        {"contact_id": "R0B", "rule": "standing_30", "excess_s": 240.0, "replication": 0}]
    assert res.standing_seconds.to_dict() == {"R0A": 0.0, "R0B": 34 * 60.0, "R1A": 0.0, "R1B": 3 * 60.0}
    t = res.turn_order
    assert t[["contact_id", "overtaken_contact_id", "overtaken", "delay_s", "replication"]].to_dict("records") == [
        {"contact_id": "R1B", "overtaken_contact_id": "R1A", "overtaken": 1, "delay_s": 300.0, "replication": 1}]
    daily = res.daily
    assert list(daily.columns[:2]) == ["replication", "day"]
    assert daily["replication"].tolist() == [0, 1]
    assert daily["contacts"].tolist() == [2, 2]
    assert daily["breaching"].tolist() == [1, 0]
    assert daily["breached_standing_30"].tolist() == [True, False]
    assert daily["turn_order_violations"].tolist() == [0, 1]
    assert daily["breached"].tolist() == [True, True]
    by_rep = res.summary[res.summary["by"] == "replication"]
    assert by_rep[["group", "contacts", "breaching"]].to_dict("records") == [
        {"group": "0", "contacts": 2, "breaching": 1}, {"group": "1", "contacts": 2, "breaching": 0}]
    assert any("Each group of replication is judged on its own" in n for n in res.notes)


def test_by_equals_checking_each_replication_alone(two_days):
    together = check_compliance(two_days, "CABA", seats=1, by="replication")
    for k in (0, 1):
        alone = check_compliance(two_days[two_days["replication"] == k].drop(columns="replication"), "CABA", seats=1)
        mine = together.breaches[together.breaches["replication"] == k].drop(columns="replication")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone.breaches)
        ids = alone.standing_seconds.index
        assert together.standing_seconds[ids].tolist() == alone.standing_seconds.tolist()


def test_without_by_the_two_days_mix(two_days):
    # the same rows as one day: R1A waits standing for R0A's seat, R1B overtakes three tickets
    res = check_compliance(two_days, "CABA", seats=1)
    assert res.standing_seconds["R1A"] == 10 * 60.0
    assert res.turn_order.loc[res.turn_order["contact_id"] == "R1B", "overtaken"].tolist() == [3]
    assert "replication" not in res.breaches.columns and len(res.daily) == 1


def test_by_must_name_a_new_column(two_days):
    with pytest.raises(ValueError, match="`by` names column 'rep', which `contacts` does not have; add the "
                                         "column or leave it out of `by`."):
        check_compliance(two_days, "CABA", by="rep")
    with pytest.raises(ValueError, match="`by` names column 'site', which the check already uses"):
        check_compliance(two_days, "CABA", by=["replication", "site"])
