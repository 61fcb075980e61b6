"""A two-desk morning worked out on paper: every interval KPI and the idle gaps.

Desks A and B, queue "caja", Monday 2024-03-04, 30-minute intervals I1 = [09:00, 09:30),
I2 = [09:30, 10:00). Waits are arrived -> called (or -> left, for the abandonments).

  id outcome    arrived   called    started   ended     desk  wait   service
  1  served     09:00:00  09:00:00  09:00:00  09:10:00  A        0   600
  2  served     09:02:00  09:02:10  09:02:10  09:12:10  B       10   600
  3  served     09:05:00  09:10:00  09:10:00  09:20:00  A      300   600
  4  abandoned  09:06:00  -         -         09:06:05  -        5     -   (short for tau = 10)
  5  no_show    09:06:02  09:12:10  -         -         B      368     -
  6  served     09:20:00  09:25:00  09:25:00  09:40:00  B      300   900   (service crosses 09:30)
  7  served     09:25:00  09:35:00  09:35:00  09:45:00  A      600   600   (wait crosses 09:30)
  8  abandoned  09:40:00  -         -         09:41:40  -      100     -
  9  other      09:50:00  -         -         -         -      NaN     -
"""

import numpy as np
import pytest
from analytics_helpers import build, stamp

from waitlab.analytics import idle_gaps, interval_stats, summary_kpis

ROWS = [
    ("1", "served", "09:00:00", "09:00:00", "09:00:00", "09:10:00", "A"),
    ("2", "served", "09:02:00", "09:02:10", "09:02:10", "09:12:10", "B"),
    ("3", "served", "09:05:00", "09:10:00", "09:10:00", "09:20:00", "A"),
    ("4", "abandoned", "09:06:00", None, None, "09:06:05", None),
    ("5", "no_show", "09:06:02", "09:12:10", None, None, "B"),
    ("6", "served", "09:20:00", "09:25:00", "09:25:00", "09:40:00", "B"),
    ("7", "served", "09:25:00", "09:35:00", "09:35:00", "09:45:00", "A"),
    ("8", "abandoned", "09:40:00", None, None, "09:41:40", None),
    ("9", "other", "09:50:00", None, None, None, None),
]


@pytest.fixture
def morning():
    return build(ROWS)


def test_volumes_and_waits_per_interval(morning):
    t = interval_stats(morning, interval="30min")
    # Intervals listed from the one holding the first arrival (09:00) to the last event (09:50).
    assert t["interval_start"].tolist() == [stamp("09:00:00"), stamp("09:30:00")]
    i1, i2 = t.iloc[0], t.iloc[1]
    # I1 arrivals 1..7: served 1,2,3,6,7; abandoned 4; no-show 5.  I2: 8 abandoned, 9 other.
    assert (i1.arrivals, i1.served, i1.abandoned, i1.no_show, i1.other) == (7, 5, 1, 1, 0)
    assert (i2.arrivals, i2.served, i2.abandoned, i2.no_show, i2.other) == (2, 0, 1, 0, 1)
    # I1 waits sorted: 0, 5, 10, 300, 300, 368, 600; sum 1583.
    assert i1.wait_mean == pytest.approx(1583 / 7)
    assert i1.wait_p50 == 300
    assert i1.wait_p90 == pytest.approx(368 + 0.4 * 232)  # position 6*0.9 = 5.4 -> 460.8
    assert i1.wait_p95 == pytest.approx(368 + 0.7 * 232)  # position 5.7 -> 530.4
    assert i1.wait_max == 600
    # AHT over services of the I1 arrivals: (600+600+600+900+600)/5 = 660.
    assert i1.mean_service == pytest.approx(660)
    # ASA over answered waits 0, 10, 300, 300, 600: 1210/5 = 242.
    assert i1.asa == pytest.approx(242)
    # I2: only contact 8 has a wait (100); nobody answered.
    assert (i2.wait_mean, i2.wait_p50, i2.wait_max) == (100, 100, 100)
    assert np.isnan(i2.mean_service) and np.isnan(i2.asa)


def test_service_level_both_variants(morning):
    t = interval_stats(morning, sl_threshold=20)
    i1, i2 = t.iloc[0], t.iloc[1]
    # answered within 20 s: contacts 1 (0 s) and 2 (10 s).
    assert i1.sl_answered == pytest.approx(2 / 5)  # over answered
    assert i1.sl_offered == pytest.approx(2 / 7)  # over all arrivals
    assert np.isnan(i2.sl_answered)  # nobody answered: no rate, not 0
    assert i2.sl_offered == 0.0  # 2 offered, 0 answered in time
    t10 = interval_stats(morning, sl_threshold=20, short_abandon=10)
    # contact 4 (5 s) is a short abandon: out of the denominator of sl_offered.
    assert t10.iloc[0].sl_offered == pytest.approx(2 / 6)
    assert t10.iloc[0].sl_answered == pytest.approx(2 / 5)


def test_abandonment_both_variants(morning):
    t = interval_stats(morning, short_abandon=0)
    # left unserved in I1: abandoned 4 + no-show 5 = 2 of 7.
    assert t.iloc[0].abandon_rate == pytest.approx(2 / 7)
    assert t.iloc[0].abandon_rate_excl_short == pytest.approx(2 / 7)
    t10 = interval_stats(morning, short_abandon=10)
    assert t10.iloc[0].abandon_rate == pytest.approx(2 / 7)
    assert t10.iloc[0].abandon_rate_excl_short == pytest.approx((2 - 1) / (7 - 1))
    assert t10.iloc[1].abandon_rate_excl_short == pytest.approx(1 / 2)  # 8 waited 100 s: not short


def test_number_waiting_time_weighted(morning):
    t = interval_stats(morning)
    # I1 wait overlaps: 2: 10, 3: 300, 4: 5, 5: 368, 6: 300, 7: 09:25-09:30 = 300 -> 1283 s.
    assert t.iloc[0].waiting_mean == pytest.approx(1283 / 1800)
    # Peak 3 during 09:06:02-09:06:05 (contacts 3, 4, 5).
    assert t.iloc[0].waiting_max == 3
    # I2: 7 waits 09:30-09:35 (300 s), 8 waits 100 s -> 400 s; at 09:30 one (7) is waiting.
    assert t.iloc[1].waiting_mean == pytest.approx(400 / 1800)
    assert t.iloc[1].waiting_max == 1


def test_desks(morning):
    t = interval_stats(morning)
    # I1 services: 1 A 600, 2 B 600, 3 A 600, 6 B 09:25-09:30 = 300 -> 2100 s; desks A, B.
    assert t.iloc[0].desks_present == 2
    assert t.iloc[0].desks_busy == pytest.approx(2100 / 1800)
    assert t.iloc[0].occupancy == pytest.approx(2100 / 1800 / 2)
    # I2: 6 B 09:30-09:40 = 600, 7 A 09:35-09:45 = 600 -> 1200 s.  The no-show call by B is no service.
    assert t.iloc[1].desks_present == 2
    assert t.iloc[1].desks_busy == pytest.approx(1200 / 1800)
    assert t.iloc[1].occupancy == pytest.approx(1 / 3)


def test_by_server_splits_desks(morning):
    t = interval_stats(morning, by=["server"]).set_index(["server", "interval_start"])
    a1 = t.loc[("A", stamp("09:00:00"))]
    # A in I1: services 1 and 3 -> 1200 s busy; arrivals whose row names A: 1, 3, 7.
    assert a1.desks_present == 1 and a1.desks_busy == pytest.approx(1200 / 1800)
    assert a1.arrivals == 3
    assert t.loc[("B", stamp("09:30:00"))].desks_busy == pytest.approx(600 / 1800)


def test_idle_gaps(morning):
    r = idle_gaps(morning, interval="30min")
    g = r.gaps.set_index("server")
    # A: 09:10 back to back (no gap), 09:20 -> 09:35 = 900 s.  B: 09:12:10 -> 09:25:00 = 770 s.
    assert g.loc["A", "seconds"] == 900 and g.loc["B", "seconds"] == 770
    assert g.loc["A", "gap_start"] == stamp("09:20:00") and g.loc["A", "gap_end"] == stamp("09:35:00")
    assert r.overlaps == 0
    s = r.summary.set_index(["server", "interval_start"])
    # A's gap is split at 09:30: 600 s in I1, 300 s in I2; it starts (and is counted) in I1.
    assert s.loc[("A", stamp("09:00:00")), "idle_s"] == 600
    assert s.loc[("A", stamp("09:00:00")), "gaps"] == 1
    assert s.loc[("A", stamp("09:30:00")), "idle_s"] == 300
    assert s.loc[("A", stamp("09:30:00")), "gaps"] == 0
    assert np.isnan(s.loc[("A", stamp("09:30:00")), "longest_gap_s"])
    assert s.loc[("B", stamp("09:00:00")), "idle_s"] == 770


def test_summary_matches_the_whole_morning(morning):
    k = summary_kpis(morning, sl_threshold=20, short_abandon=10)
    assert (k["arrivals"], k["served"], k["abandoned"], k["no_show"], k["other"]) == (9, 5, 2, 1, 1)
    # waits 0, 5, 10, 100, 300, 300, 368, 600: sum 1683; p90 at position 7*0.9 = 6.3.
    assert k["wait_mean"] == pytest.approx(1683 / 8)
    assert k["wait_p90"] == pytest.approx(368 + 0.3 * 232)
    assert k["wait_max"] == 600 and k["asa"] == pytest.approx(242) and k["mean_service"] == pytest.approx(660)
    assert k["sl_answered"] == pytest.approx(2 / 5)
    assert k["sl_offered"] == pytest.approx(2 / 8)  # 9 arrivals less 1 short abandon
    assert k["abandon_rate"] == pytest.approx(3 / 9)
    assert k["abandon_rate_excl_short"] == pytest.approx(2 / 8)
    # span 09:00 -> 09:50 = 3000 s: waiting (1283 + 400) s, services 3300 s.
    assert k["span_s"] == 3000
    assert k["waiting_mean"] == pytest.approx(1683 / 3000) and k["waiting_max"] == 3
    assert k["desks_present"] == 2 and k["desks_busy"] == pytest.approx(1.1)
