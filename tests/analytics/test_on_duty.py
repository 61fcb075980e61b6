"""desks_on_duty, prob_wait and several SL thresholds, against a log counted by hand."""

import numpy as np
import pandas as pd
import pytest
from analytics_helpers import build, stamp

from waitlab.analytics import interval_stats, kpis, summary_by, summary_kpis
from waitlab.exceptions import ArgumentError


@pytest.fixture
def shift():
    """Desk A serves 09:00-09:10, 09:12-09:21 (2-min gap) and, after a 29-min gap, 09:50-10:05.

    Desk B serves two calls at once, 09:31-09:40 and 09:35-09:44. Each call arrives 1 min before
    it starts (call 2 waits 0 s). By hand, with the 15-min break threshold: A is on duty
    [09:00, 09:21) and [09:50, 10:05), B [09:31, 09:44).
    """
    return build([
        ("1", "served", "09:00:00", "09:00:00", "09:00:00", "09:10:00", "A"),
        ("2", "served", "09:11:00", "09:12:00", "09:12:00", "09:21:00", "A"),
        ("3", "served", "09:49:00", "09:50:00", "09:50:00", "10:05:00", "A"),
        ("4", "served", "09:30:00", "09:31:00", "09:31:00", "09:40:00", "B"),
        ("5", "served", "09:34:00", "09:35:00", "09:35:00", "09:44:00", "B"),
        ("6", "abandoned", "09:36:00", None, None, "09:36:10", None),
    ])  # fmt: skip


def test_gaps_estimator_matches_the_hand_count(shift):
    t = interval_stats(shift, interval="1h", on_duty="gaps")
    # hour 9: A 21 + 10 min, B 13 min (its two calls overlap: counted once); hour 10: A 5 min
    assert t["desks_on_duty"].tolist() == pytest.approx([44 / 60, 5 / 60], abs=1e-12)
    assert t["desks_present"].tolist() == [2, 1]  # seen serving: the whole hour each
    assert t["desks_busy"].iloc[0] == pytest.approx((10 + 9 + 10 + 9 + 9) / 60)
    assert any(n.startswith("desks_on_duty: estimator 'gaps'") for n in t.notes)


def test_available_estimator_drops_idle_time_while_the_pool_waited(shift):
    # As 'gaps', except A's idle [09:10, 09:12) while call 2 waited 09:11-09:12: A was not
    # available then (an idle desk on duty would have taken it). Call 6 waits 09:36:00-09:36:10
    # while B is busy: nothing to drop. Hour 9: A 20 + 10, B 13 min.
    t = interval_stats(shift, interval="1h")
    assert t["desks_on_duty"].tolist() == pytest.approx([43 / 60, 5 / 60], abs=1e-12)
    assert any(n.startswith("desks_on_duty: estimator 'available' (the default)") for n in t.notes)
    # a wait of another pool's contact (a queue A never serves, served by desk C) changes nothing
    other = pd.concat([shift, build([
        ("7", "served", "09:14:00", "09:20:00", "09:20:00", "09:25:00", "C"),
    ]).assign(queue="otra")], ignore_index=True)  # fmt: skip
    t2 = interval_stats(other, interval="1h")
    assert t2["desks_on_duty"].iloc[0] == pytest.approx((43 + 5) / 60, abs=1e-12)  # + C's 5 busy minutes
    # a long wait in A's pool during A's 2-min gap removes the whole gap
    long = shift.copy()
    long.loc[long["contact_id"] == "2", "arrived_at"] = long.loc[long["contact_id"] == "1", "arrived_at"].to_numpy()
    t3 = interval_stats(long, interval="1h")
    assert t3["desks_on_duty"].iloc[0] == pytest.approx(42 / 60, abs=1e-12)


def test_the_hour_is_the_mean_of_its_quarters(shift):
    for opts in ({}, {"on_duty": "gaps"}, {"on_duty": "presence"}, {"on_duty_gap": 60}):
        hour = interval_stats(shift, interval="1h", **opts)["desks_on_duty"].to_numpy()
        q = interval_stats(shift, interval="15min", **opts)["desks_on_duty"].to_numpy()
        assert len(q) == 5  # the table ends with the quarter of the last event (10:05); later ones are 0
        q = np.r_[q, 0.0, 0.0, 0.0]
        assert q.reshape(2, 4).mean(axis=1) == pytest.approx(hour, abs=1e-12)
    q = interval_stats(shift, interval="15min", on_duty="gaps")["desks_on_duty"].to_numpy()
    assert q[:4] == pytest.approx([15 / 15, 6 / 15, 13 / 15, 10 / 15], abs=1e-12)
    q = interval_stats(shift, interval="15min")["desks_on_duty"].to_numpy()  # available: 09:11-09:12 out
    assert q[:4] == pytest.approx([14 / 15, 6 / 15, 13 / 15, 10 / 15], abs=1e-12)


def test_break_threshold_and_presence_estimator(shift):
    # a 30-min threshold bridges A's 29-min gap: A is on duty 09:00-10:05
    wide = interval_stats(shift, interval="1h", on_duty="gaps", on_duty_gap="30min")
    assert wide["desks_on_duty"].tolist() == pytest.approx([(60 + 13) / 60, 5 / 60], abs=1e-12)
    # 1-min threshold: A's 2-min gap is a break too
    narrow = interval_stats(shift, interval="1h", on_duty="gaps", on_duty_gap=60)
    assert narrow["desks_on_duty"].tolist() == pytest.approx([(10 + 9 + 10 + 13) / 60, 5 / 60], abs=1e-12)
    # presence: 5-min bins with a service. A: 09:00, 09:05, 09:10, 09:15, 09:20, 09:50, 09:55 | 10:00;
    # B: 09:30, 09:35, 09:40
    p = interval_stats(shift, interval="1h", on_duty="presence")
    assert p["desks_on_duty"].tolist() == pytest.approx([50 / 60, 5 / 60], abs=1e-12)
    assert any(n.startswith("desks_on_duty: estimator 'presence'") for n in p.notes)


def test_a_desks_time_is_split_among_groups_without_double_counting(shift):
    shift.loc[shift["contact_id"] == "2", "queue"] = "otra"
    t = interval_stats(shift, interval="1h", by="queue", on_duty="gaps").set_index(["queue", "interval_start"])
    # the gap after a service goes with that service: A's [09:00, 09:12) is caja, [09:12, 09:21) otra
    assert t.loc["otra", "desks_on_duty"].tolist() == pytest.approx([9 / 60, 0.0], abs=1e-12)
    assert t.loc["caja", "desks_on_duty"].tolist() == pytest.approx([35 / 60, 5 / 60], abs=1e-12)


def test_summary_kpis_and_summary_by_average_over_the_span(shift):
    # span 09:00 -> 10:05 = 65 min; on duty A 21 + 15, B 13 desk-minutes
    k = summary_kpis(shift, on_duty="gaps")
    assert k["desks_on_duty"] == pytest.approx((21 + 15 + 13) / 65, abs=1e-12)
    assert summary_by(shift, "queue", on_duty="gaps").loc["caja", "desks_on_duty"] == pytest.approx(k["desks_on_duty"])
    assert any(n.startswith("desks_on_duty: estimator 'gaps'") for n in k.notes)
    assert summary_kpis(shift)["desks_on_duty"] == pytest.approx((20 + 15 + 13) / 65, abs=1e-12)


def test_prob_wait_counts_waits_over_half_a_second(shift):
    # waits: 0, 60, 60, 60, 60 s (answered) and 10 s (abandoned): 5 of 6 waited
    assert kpis.WAIT_EPSILON == 0.5
    assert summary_kpis(shift)["prob_wait"] == pytest.approx(5 / 6)
    t = interval_stats(shift, interval="1h")
    assert t["prob_wait"].tolist() == pytest.approx([5 / 6, np.nan], nan_ok=True)


def test_several_sl_thresholds_in_one_call(shift):
    many = interval_stats(shift, interval="1h", sl_threshold=[0, 60])
    assert "sl_offered" not in many.columns and "prob_wait" in many.columns
    cols = [c for c in many.columns if c.startswith("sl_")]
    assert cols == ["sl_offered_0", "sl_answered_0", "sl_offered_60", "sl_answered_60"]
    # hour 9: 6 arrivals, 5 answered; within 0 s: call 1 only; within 60 s: all 5 answered
    assert many["sl_offered_0"].iloc[0] == pytest.approx(1 / 6)
    assert many["sl_answered_0"].iloc[0] == pytest.approx(1 / 5)
    assert many["sl_offered_60"].iloc[0] == pytest.approx(5 / 6)
    for t in (0, 60):  # the single-threshold form keeps its column names and agrees
        one = interval_stats(shift, interval="1h", sl_threshold=t)
        assert one["sl_offered"].equals(many[f"sl_offered_{t}"].rename("sl_offered"))
    k = summary_kpis(shift, sl_threshold=(20, 60.5))
    assert k["sl_offered_20"] == pytest.approx(1 / 6) and k["sl_answered_60.5"] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"on_duty": "shifts"}, "`on_duty` must be one of"),
        ({"on_duty_gap": 0}, "on_duty_gap"),
        ({"on_duty_gap": "soon"}, "on_duty_gap"),
        ({"on_duty_bin": "7min"}, "on_duty_bin"),
        ({"sl_threshold": []}, "`sl_threshold` must be seconds or a non-empty list"),
        ({"sl_threshold": [20, 20.0]}, "same threshold twice"),
        ({"sl_threshold": [20, -1]}, "`sl_threshold` must be a finite number"),
        ({"sl_threshold": "20"}, "`sl_threshold` must be seconds"),
    ],
)
def test_bad_options_are_argument_errors_naming_the_option(shift, kwargs, match):
    with pytest.raises(ArgumentError, match=match):
        interval_stats(shift, **kwargs)


def test_groups_measured_alone_and_replications_keep_their_desks_apart(shift):
    # two copies of the same day: the same desk names at the same times are different desks
    two = pd.concat([shift.assign(day=0), shift.assign(day=1)], ignore_index=True)
    alone = summary_kpis(shift)["desks_on_duty"]
    assert summary_by(two, "day")["desks_on_duty"].tolist() == pytest.approx([alone, alone], abs=1e-12)
    one_day = interval_stats(shift, interval="1h")["desks_on_duty"].to_numpy()
    stacked = interval_stats(two.rename(columns={"day": "replication"}), interval="1h", by="replication")
    assert stacked["desks_on_duty"].to_numpy() == pytest.approx(np.r_[one_day, one_day], abs=1e-12)


def test_a_no_show_keeps_its_desk_engaged_until_the_next_call():
    # Desk A: serves 09:00-09:10; calls a no-show at 09:10 (the log has no end: the desk waited for the
    # absent customer); calls the next ticket at 09:13 and serves it to 09:20. Tickets 3 and 4 wait all
    # the while (arrived 09:05). By hand, 'available': A is engaged 09:00-09:20 without a break = 20 min;
    # were the no-show's 3 minutes idle time they would be dropped (someone was waiting): 17 min.
    c = build([
        ("1", "served", "09:00:00", "09:00:00", "09:00:00", "09:10:00", "A"),
        ("2", "no_show", "08:55:00", "09:10:00", None, None, "A"),
        ("3", "served", "09:05:00", "09:13:00", "09:13:00", "09:20:00", "A"),
        ("4", "abandoned", "09:05:00", None, None, "09:25:00", None),
    ])  # fmt: skip
    t = interval_stats(c, interval="1h").set_index("interval_start")["desks_on_duty"]
    assert t.loc[stamp("09:00:00")] == pytest.approx(20 / 60, abs=1e-12)
    assert interval_stats(c, interval="1h", on_duty="gaps").set_index("interval_start").loc[
        stamp("09:00:00"), "desks_on_duty"] == pytest.approx(20 / 60, abs=1e-12)  # gaps: the same, idle or not
