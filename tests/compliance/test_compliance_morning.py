"""A two-desk morning worked out on paper: standing time with 3 seats, breaches, one turn-order swap.

The morning (fixture ``morning`` in conftest.py; minutes after 09:00, site Centro, 3 seats).
Waiting-room stays [arrived, left): left = called_at, or ended_at for the abandonment C11.

    C01 [0, 0)   C02 [2, 2)    zero waits: never in the room
    C03 [4, 20)  C04 [5, 30)   C05 [6, 45)   C06 [7, 55)   C07 [8, 70)   C08 [9, 80)
    C12 [12, 105) (no-show in "consultas", taken to wait until called)
    C09 [40, 100) C10 [46, 95) C11 [50, 85) (abandoned)

Seat sweep (departures before arrivals at the same instant):
    t=4,5,6   C03, C04, C05 sit (3 seats full)
    t=7,8,9   C06, C07, C08 stand;  t=12 C12 stands
    t=20  C03 leaves -> seat to the longest standing, C06 (arr 7): stood 20-7 = 13
    t=30  C04 leaves -> C07 (arr 8): stood 30-8 = 22
    t=40  C09 arrives, stands
    t=45  C05 leaves -> C08 (arr 9): stood 45-9 = 36.  Standing then: C12 (arr 12), C09 (arr 40);
          "most recent first" would seat C09 instead.
    t=46  C10 arrives just after the seat freed; it must stand (a "free seat goes to the next one
          through the door" rule would seat C10 here and leave C08 standing).
    t=50  C11 arrives, stands
    t=55  C06 leaves -> C12 (arr 12): stood 55-12 = 43
    t=70  C07 leaves -> C09 (arr 40): stood 70-40 = 30 (exactly the limit: not a breach)
    t=80  C08 leaves -> C10 (arr 46): stood 80-46 = 34
    t=85  C11 leaves standing: stood 85-50 = 35
    t=95  C10 called: seated 95-80 = 15;  t=100 C09: seated 30;  t=105 C12: seated 105-55 = 50

Seated: C03 20-4 = 16, C04 25, C05 39, C06 55-20 = 35, C07 70-30 = 40, C08 80-45 = 35.
Total waits: C03 16, C04 25, C05 39, C06 48, C07 62, C08 71, C09 60, C10 49, C11 35, C12 93.

CABA breaches (strictly over the limit):
    standing_30: C08 36-30 = 6 min, C10 34-30 = 4, C11 35-30 = 5, C12 43-30 = 13
    total_90:    C12 93-90 = 3 min (an upper bound: a no-show)
Turn order in "caja": tickets by issue time are called 0,2,20,30,45,55,70,80,100,95 -> only
C10 (issued 46, called 95) overtakes C09 (issued 40, called 100), by 5 min; C11 was never called.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from compliance_helpers import TZ, at

from waitlab.compliance import check_compliance, standing_times

MIN = 60.0
STANDING_MIN = {
    "C01": 0,
    "C02": 0,
    "C03": 0,
    "C04": 0,
    "C05": 0,
    "C06": 13,
    "C07": 22,
    "C08": 36,
    "C09": 30,
    "C10": 34,
    "C11": 35,
    "C12": 43,
}
SEATED_MIN = {
    "C01": 0,
    "C02": 0,
    "C03": 16,
    "C04": 25,
    "C05": 39,
    "C06": 35,
    "C07": 40,
    "C08": 35,
    "C09": 30,
    "C10": 15,
    "C11": 0,
    "C12": 50,
}
SEATED_AT = {"C03": 4, "C04": 5, "C05": 6, "C06": 20, "C07": 30, "C08": 45, "C09": 70, "C10": 80, "C12": 55}
TOTAL_MIN = {
    "C01": 0,
    "C02": 0,
    "C03": 16,
    "C04": 25,
    "C05": 39,
    "C06": 48,
    "C07": 62,
    "C08": 71,
    "C09": 60,
    "C10": 49,
    "C11": 35,
    "C12": 93,
}


def test_standing_and_seated_seconds_with_three_seats(morning):
    st = standing_times(morning, seats=3).set_index("contact_id")
    assert st["standing_s"].to_dict() == {k: v * MIN for k, v in STANDING_MIN.items()}
    assert st["seated_s"].to_dict() == {k: v * MIN for k, v in SEATED_MIN.items()}
    seated_at = st["seated_at"].dropna()
    assert dict(seated_at.items()) == {k: at(v).tz_localize(TZ) for k, v in SEATED_AT.items()}
    # standing + seated is the whole wait
    assert (st["standing_s"] + st["seated_s"]).to_dict() == {k: v * MIN for k, v in TOTAL_MIN.items()}
    assert any("no-show" in n for n in st.notes)


def test_caja_breaches_with_exact_excess(morning):
    r = check_compliance(morning, "CABA", seats=3)
    got = r.breaches[["contact_id", "rule", "limit_s", "observed_s", "excess_s", "outcome", "upper_bound"]]
    expected = pd.DataFrame(
        [
            ("C08", "standing_30", 1800.0, 36 * MIN, 6 * MIN, "served", False),
            ("C12", "standing_30", 1800.0, 43 * MIN, 13 * MIN, "no_show", True),
            ("C12", "total_90", 5400.0, 93 * MIN, 3 * MIN, "no_show", True),
            ("C10", "standing_30", 1800.0, 34 * MIN, 4 * MIN, "served", False),
            ("C11", "standing_30", 1800.0, 35 * MIN, 5 * MIN, "abandoned", False),
        ],
        columns=got.columns,
    )
    # ordered by arrival (C08 at 9, C12 at 12, C10 at 46, C11 at 50), then by rule order in the file
    pd.testing.assert_frame_equal(got.astype(object), expected.astype(object))
    assert r.breaches.columns[:10].tolist() == [
        "contact_id",
        "rule",
        "limit_s",
        "observed_s",
        "excess_s",
        "outcome",
        "site",
        "queue",
        "day",
        "hour",
    ]
    assert set(r.breaches["hour"]) == {9}
    assert set(r.breaches["day"].astype(str)) == {"2024-03-04"}
    # C09 stood exactly 30 minutes: not "more than 30 minutes"
    assert "C09" not in set(r.breaches["contact_id"])
    assert r.standing_seconds["C09"] == 1800.0


def test_left_after_limit_lists_the_abandonment_and_the_no_show(morning):
    r = check_compliance(morning, "CABA", seats=3)
    left = r.left_after_limit
    assert list(zip(left["contact_id"], left["rule"], strict=True)) == [
        ("C12", "standing_30"),
        ("C12", "total_90"),
        ("C11", "standing_30"),
    ]
    assert any("upper_bound" in n for n in r.notes)


def test_exactly_one_turn_order_swap(morning):
    r = check_compliance(morning, "CABA", seats=3)
    t = r.turn_order
    assert len(t) == 1
    row = t.iloc[0]
    assert (row["contact_id"], row["ticket"], row["overtaken_contact_id"], row["overtaken_ticket"]) == (
        "C10",
        "T010",
        "C09",
        "T009",
    )
    assert row["overtaken"] == 1
    assert row["delay_s"] == 5 * MIN
    assert (row["site"], row["queue"], row["priority"]) == ("Centro", "caja", 0)


def test_summary_shares_and_daily_flags(morning):
    r = check_compliance(morning, "CABA", seats=3)
    s = r.summary.set_index(["by", "group"])
    # queue caja: 11 contacts, C08, C10, C11 breach -> 3/11; consultas: C12 alone -> 1/1
    assert s.loc[("queue", "caja"), "contacts"] == 11
    assert s.loc[("queue", "caja"), "breaching"] == 3
    assert s.loc[("queue", "caja"), "share"] == pytest.approx(3 / 11)
    assert s.loc[("queue", "consultas"), "share"] == 1.0
    assert s.loc[("queue", "consultas"), "breaching_total_90"] == 1
    # everything arrived between 09:00 and 09:50: one hour, one day, one site, 4 of 12 breach
    for key in [("hour", "9"), ("day", "2024-03-04"), ("site", "Centro")]:
        assert s.loc[key, "contacts"] == 12
        assert s.loc[key, "breaching"] == 4
        assert s.loc[key, "share"] == pytest.approx(1 / 3)
        assert s.loc[key, "breaching_standing_30"] == 4
        assert s.loc[key, "share_total_90"] == pytest.approx(1 / 12)
    d = r.daily.iloc[0]
    assert len(r.daily) == 1
    assert (d["contacts"], d["breaching"], d["turn_order_violations"]) == (12, 4, 1)
    assert bool(d["breached_standing_30"]) and bool(d["breached_total_90"]) and bool(d["breached"])
    assert not r.compliant
    assert r.breaching_contacts == 4


def test_unknown_seats_make_every_wait_standing(morning):
    r = check_compliance(morning, "CABA", seats=None)
    assert r.standing_seconds.to_dict() == {k: v * MIN for k, v in TOTAL_MIN.items()}
    assert (r.seated_seconds == 0).all()
    assert any("Seat count unknown" in n for n in r.notes)
    standing = r.breaches[r.breaches["rule"] == "standing_30"].set_index("contact_id")["excess_s"]
    # every wait over 30 min: C05 39, C06 48, C07 62, C08 71, C09 60, C10 49, C11 35, C12 93
    assert standing.to_dict() == {
        k: (TOTAL_MIN[k] - 30) * MIN for k in ["C05", "C06", "C07", "C08", "C12", "C09", "C10", "C11"]
    }


def test_seats_per_site_mapping_and_missing_site(morning):
    by_map = check_compliance(morning, "CABA", seats={"Centro": 3})
    by_int = check_compliance(morning, "CABA", seats=3)
    pd.testing.assert_frame_equal(by_map.breaches, by_int.breaches)
    other = check_compliance(morning, "CABA", seats={"Norte": 10})
    assert any("unknown for site(s) ['Centro']" in n for n in other.notes)
    assert other.standing_seconds["C07"] == 62 * MIN


def test_no_shows_can_be_excluded(morning):
    r = check_compliance(morning, "CABA", seats=3, no_shows="exclude")
    assert sorted(r.breaches["contact_id"]) == ["C08", "C10", "C11"]
    # C12 still occupied the room: the others' standing times are unchanged
    assert r.standing_seconds["C10"] == 34 * MIN
    assert any("not judged" in n for n in r.notes)


def test_other_rule_sets_on_the_same_morning(morning):
    # 45 standing / 60 seated: the longest standing is 43 (C12), the longest seated 50 (C12)
    assert check_compliance(morning, "standing45_seated60", seats=3).breaches.empty
    # 15 minutes in all: every total wait above 15 breaches (C03 by 1 min, ... C12 by 78 min)
    r = check_compliance(morning, "limit15", seats=3)
    got = r.breaches.set_index("contact_id")["excess_s"].to_dict()
    assert got == {k: (v - 15) * MIN for k, v in TOTAL_MIN.items() if v > 15}
    assert r.turn_order.empty  # limit15 does not require turn order
    assert "turn_order_violations" not in r.daily.columns


def test_turn_order_tolerance_absorbs_the_swap(tmp_path, morning):
    text = (
        'name = "tol"\nsource = "test"\njurisdiction = "test"\n'
        '[[limit]]\nid = "total_90"\nkind = "total"\nminutes = 90\n'
        "[turn_order]\nrequired = true\ntolerance_seconds = 300\n"
    )
    p = tmp_path / "tol.toml"
    p.write_text(text, encoding="utf-8")
    assert check_compliance(morning, p, seats=3).turn_order.empty  # C09 called exactly 300 s after C10
    p.write_text(text.replace("300", "299"), encoding="utf-8")
    assert len(check_compliance(morning, p, seats=3).turn_order) == 1


def test_phone_contacts_have_no_standing_time(morning):
    phone = morning.copy()
    phone["channel"] = phone["channel"].where(phone["contact_id"] != "C12", "phone")
    r = check_compliance(phone, "CABA", seats=3)
    assert math.isnan(r.standing_seconds["C12"])
    assert any("phone contact" in n for n in r.notes)
    # C12 no longer holds a place in the branch: it is not seated at 55, so C09 (arr 40) sits then
    assert r.standing_seconds["C09"] == 15 * MIN
    # its total wait is still judged
    assert r.breaches.loc[r.breaches["contact_id"] == "C12", "rule"].tolist() == ["total_90"]


def test_str_and_frames(morning):
    r = check_compliance(morning, "CABA", seats=3)
    text = str(r)
    assert "Compliance with CABA" in text
    assert "standing_30" in text and "4 contact(s)" in text
    assert "worst by 13 min 00 s" in text
    assert "turn order: 1 ticket(s)" in text
    assert "abandoned 1, no-show 1" in text
    assert "2024-03-04" in text
    frames = r.to_frames(tz_naive=True)
    assert set(frames) == {
        "breaches",
        "left_after_limit",
        "summary",
        "daily",
        "turn_order",
        "standing",
        "rules",
        "notes",
    }
    for df in frames.values():
        assert not any(isinstance(dt, pd.DatetimeTZDtype) for dt in df.dtypes)
    assert frames["turn_order"]["called_at"].iloc[0] == pd.Timestamp("2024-03-04 10:35")
    assert frames["rules"]["rule"].tolist() == ["standing_30", "total_90", "turn_order"]
    assert len(frames["standing"]) == 12
    # the original frames keep their timezone
    assert isinstance(r.turn_order["called_at"].dtype, pd.DatetimeTZDtype)


def test_clean_morning_is_compliant():
    from compliance_helpers import build, served

    df = build([served("A", "T1", 0, 1, 5, "D1"), served("B", "T2", 2, 5, 9, "D1")])
    r = check_compliance(df, "CABA", seats=0)  # nobody can sit, but nobody waits long
    assert r.compliant and r.breaches.empty and r.turn_order.empty and r.left_after_limit.empty
    assert r.summary["share"].eq(0).all()
    assert "no day with a breach" in str(r)
    assert np.array_equal(r.standing_seconds.to_numpy(), [60.0, 180.0])


def test_seat_notes_only_when_a_rule_needs_seats(morning):
    notes = check_compliance(morning, "limit15", seats=None).notes
    assert not any("Seat count unknown" in n for n in notes)
    assert any("seat count does not matter" in n for n in notes)


def test_public_names():
    import importlib

    import waitlab
    import waitlab.compliance

    wc = importlib.import_module("waitlab.compliance")
    assert waitlab.compliance is wc  # the subpackage, not hidden by a function of the same name
    assert waitlab.compliance.load_rules is wc.load_rules

    promised = {
        "check_compliance",
        "load_rules",
        "RuleSet",
        "ComplianceResult",
        "standing_times",
        "turn_order_violations",
    }
    assert promised <= set(wc.__all__)
    assert wc.__all__ == sorted(wc.__all__)
    for name in wc.__all__:
        assert getattr(wc, name) is not None
        assert name in wc.__doc__  # the module docstring lists every public name
