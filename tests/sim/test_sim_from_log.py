"""Scenario.from_log: exact counts on hand-built logs, parameters recovered from a simulated day, errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import waitlab
from waitlab.exceptions import ScenarioError
from waitlab.schema import coerce_contacts, validate_contacts
from waitlab.sim import Scenario, example_path, scenario_from_log, simulate_day
from waitlab.sim._toml import parse_scenario

TZ = "America/Argentina/Buenos_Aires"


def make_log(rows, day="2024-03-04", site="Centro", channel="kiosk"):
    """rows: (queue, arrived, called, started, ended, outcome, server[, priority]) with "HH:MM:SS" times."""
    recs = []
    for i, r in enumerate(rows):
        q, a, c, s, e, o, srv, *p = r

        def ts(x):
            return pd.Timestamp(f"{day} {x}") if x else pd.NaT

        recs.append({"contact_id": f"{day}/{i}", "site": site, "queue": q, "channel": channel, "ticket": None,
                         "priority": p[0] if p else 0, "arrived_at": ts(a), "called_at": ts(c), "started_at": ts(s),
                         "ended_at": ts(e), "outcome": o, "server": srv})  # fmt: skip
    return coerce_contacts(pd.DataFrame(recs), tz=TZ)


def served(q, a, c, e, srv, p=0):
    return (q, a, c, c, e, "served", srv, p)


# Arrivals per 30-min interval from 10:00: caja 3, 1, 0, 2; jub 1, 0, 1, 0.
# Desk work (call..end): C1 caja 10:05-10:20 and 11:35-11:50; C2 caja 10:40-11:10 (two intervals);
# M1 caja+jub 10:02-10:10 (caja) and 11:02-11:06 (jub); J1 jub 11:12-11:20 (no other day).
ROWS = [
    served("caja", "10:01:00", "10:05:00", "10:20:00", "C1", 1),
    served("caja", "10:02:00", "10:02:00", "10:10:00", "M1"),
    served("caja", "10:29:59", "10:40:00", "11:10:00", "C2"),
    served("caja", "10:45:00", "11:35:00", "11:50:00", "C1"),
    served("caja", "11:30:00", "11:50:00", "11:51:00", "C1"),
    ("caja", "11:45:00", None, None, "11:55:00", "abandoned", None, 0),
    served("jub", "10:00:00", "11:02:00", "11:06:00", "M1", 1),
    served("jub", "11:10:00", "11:12:00", "11:20:00", "J1"),
]


def test_rates_per_interval_are_the_counts_exactly():
    sc = scenario_from_log(make_log(ROWS))
    notes = sc.notes
    assert (sc.start, sc.end, sc.interval) == (dt.time(10), dt.time(12), 1800.0)
    rates = {q.name: q.rates_per_hour for q in sc.queues}
    assert rates == {"caja": (6.0, 2.0, 0.0, 4.0), "jub": (2.0, 0.0, 2.0, 0.0)}  # count * 3600 / 1800
    assert sc.queues[0].priority_share == pytest.approx(1 / 6) and sc.queues[1].priority_share == 0.5
    assert (
        sc.site == "Centro" and sc.channel == "kiosk" and sc.timezone == TZ and sc.date == dt.date(2024, 3, 4)
    )
    assert any(n.startswith("date: 2024-03-04, the busiest") for n in notes)


def test_open_counts_are_desks_on_duty_of_each_pool_rounded_to_nearest():
    # groups: C1, C2 serve only caja -> "caja"; M1 serves caja and jub once each -> "caja+jub"; J1 -> "jub".
    # On duty (gaps of 15 min or more are breaks; no shorter idle gap here): C1 10:05-10:20 and 11:35-11:51
    # (11:50 follows at once), C2 10:40-11:10; per 30 min: caja 15/30, 20/30, 10/30, 16/30 = 0.5, 0.67,
    # 0.33, 0.53; M1 8/30 and 4/30 (intervals 1 and 3), J1 8/30 (interval 3). The three groups share
    # queues, so they are rounded together: totals 0.77, 0.67, 0.73, 0.53 -> 1 desk each interval, given
    # to the largest remainder, caja every time. In interval 3 J1 called a jub customer while neither
    # group serving jub (caja+jub, jub) had a desk: jub keeps 1 desk there (the log shows it at work),
    # so jub is served that day and caja+jub, with no desk all day, is left out.
    sc = scenario_from_log(make_log(ROWS))
    opened = {g.name: (g.serves, g.open) for g in sc.desks}
    assert opened == {
        "caja": (("caja",), (1, 1, 1, 1)),
        "jub": (("jub",), (0, 0, 1, 0)),
    }
    assert any("rounded to the nearest whole desk" in n for n in sc.notes)


def test_a_sparse_queue_keeps_a_desk_where_the_log_shows_it_at_work():
    # One desk answers a call at once every 40 min (5-min calls): idle 35 min between them, longer
    # than the 15-min break threshold, so it is on duty 5/30 = 0.17 of each half hour with a call,
    # which rounds to 0. The log shows it at work there (it called the customer), so each of
    # those intervals keeps 1 desk; the half hour without a call keeps 0.
    rows = [served("web", "10:00:00", "10:00:00", "10:05:00", "W1"), served("web", "10:40:00", "10:40:00", "10:45:00", "W1"),
            served("web", "11:50:00", "11:50:00", "11:55:00", "W1")]  # fmt: skip
    sc = scenario_from_log(make_log(rows))
    assert [g.open for g in sc.desks] == [(1, 1, 0, 1)]
    assert any("at least 1 where one of its desks called a contact" in n for n in sc.notes)


def test_service_is_the_desk_time_with_mean_and_cv_of_the_data():
    # desk time = ended - called (the walk included): 15, 8, 30, 15, 1 min for caja; 4, 8 min for jub
    sc = scenario_from_log(make_log(ROWS))
    caja = np.array([15, 8, 30, 15, 1]) * 60.0
    assert sc.queues[0].service.dist == "lognormal"
    assert sc.queues[0].service.mean == pytest.approx(caja.mean())  # 13.8 min
    assert sc.queues[0].service.cv == pytest.approx(caja.std(ddof=1) / caja.mean())
    gamma = scenario_from_log(make_log(ROWS), service="gamma").queues[1].service
    assert (gamma.dist, gamma.mean, gamma.cv) == (
        "gamma",
        360.0,
        pytest.approx(math.sqrt(2 * 120.0**2) / 360.0),
    )
    emp = scenario_from_log(make_log(ROWS), service="empirical").queues[1].service
    assert sorted(emp.values) == [240.0, 480.0]


def test_walk_time_counts_as_desk_time():
    rows = [("caja", "10:00:00", "10:00:00", "10:01:00", "10:05:00", "served", "C1")] * 2
    assert scenario_from_log(make_log(rows)).queues[0].service.to_dict() == {
        "dist": "deterministic",
        "mean": 300.0,
    }


def test_patience_choices():
    sc = scenario_from_log(make_log(ROWS))
    assert sc.queues[1].patience is None  # nobody left the jub queue
    expected = waitlab.patience(make_log(ROWS)[lambda d: d["queue"] == "caja"]).mean_patience
    assert sc.queues[0].patience.dist == "exponential" and sc.queues[0].patience.mean == pytest.approx(
        expected
    )
    assert scenario_from_log(make_log(ROWS), patience=900).queues[1].patience.mean == 900.0
    assert scenario_from_log(make_log(ROWS), patience=None).queues[0].patience is None


def test_trace_keeps_the_real_arrival_times():
    sc = scenario_from_log(make_log(ROWS), arrivals="trace", start="09:30", end="12:30")
    assert sc.queues[0].arrival_times == (1860.0, 1920.0, 3599.0, 4500.0, 7200.0, 8100.0)
    assert sc.queues[1].arrival_times == (1800.0, 6000.0)


def test_a_group_idle_all_day_gets_one_desk_where_its_queue_has_arrivals():
    other_day = [served("jub", "10:00:00", "10:01:00", "10:09:00", "J1")]
    log = pd.concat([make_log(ROWS[:6]), make_log(other_day, day="2024-03-05")], ignore_index=True)
    log = pd.concat([log, make_log([("jub", "10:40:00", None, None, "10:50:00", "abandoned", None)])])
    sc = scenario_from_log(log, date="2024-03-04")
    notes = sc.notes
    assert {g.name: g.open for g in sc.desks}["jub"] == (0, 1, 0, 0)
    assert any("1 desk opened" in n for n in notes)


@pytest.mark.parametrize("arrivals", ["rates", "trace"])
def test_round_trips_through_toml(arrivals):
    sc = scenario_from_log(make_log(ROWS), arrivals=arrivals)
    assert parse_scenario(sc.to_toml(), source="again.toml") == sc
    assert Scenario.from_log(make_log(ROWS), arrivals=arrivals) == sc


def test_notes_travel_on_the_scenario_but_not_in_its_toml():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the assumptions are notes, never warnings
        sc = Scenario.from_log(make_log(ROWS))
    assert isinstance(sc.notes, tuple) and sc.notes
    assert "rates" in next(n for n in sc.notes if n.startswith("arrivals:"))  # one of the notes written by hand
    again = parse_scenario(sc.to_toml(), source="again.toml")
    assert again.notes == () and again == sc  # notes are not part of what the scenario is
    assert "arrivals: counts per interval" not in sc.to_toml()
    assert dataclasses.replace(sc, name="edited").notes == sc.notes


def test_bad_input_is_refused_by_name():
    with pytest.raises(ScenarioError, match="no contact with an arrival time"):
        scenario_from_log(make_log([]))
    with pytest.raises(ScenarioError, match=r"date 2024-03-09 is not in the log, which runs from 2024-03-04"):
        scenario_from_log(make_log(ROWS), date="2024-03-09")
    two = pd.concat([make_log(ROWS), make_log(ROWS, site="Norte")], ignore_index=True)
    with pytest.raises(ScenarioError, match=r"2 sites \(Centro, Norte\); choose one with site="):
        scenario_from_log(two)
    assert scenario_from_log(two, site="Norte").site == "Norte"
    with pytest.raises(ScenarioError, match="site 'Sur' is not in the log; it holds Centro, Norte"):
        scenario_from_log(two, site="Sur")
    with pytest.raises(ScenarioError, match="`interval` must be seconds"):
        scenario_from_log(make_log(ROWS), interval=0)
    with pytest.raises(ScenarioError, match="`arrivals` must be"):
        scenario_from_log(make_log(ROWS), arrivals="poisson")
    with pytest.raises(ScenarioError, match="lacks column"):
        scenario_from_log(make_log(ROWS).drop(columns=["server"]))
    nobody = make_log([("caja", "10:00:00", None, None, "10:05:00", "abandoned", None)])
    with pytest.raises(ScenarioError, match="queue 'caja' has 1 arrival"):
        scenario_from_log(nobody)


def test_parameters_of_a_simulated_day_are_recovered():
    """M/M/48+M at 540/h, service 300 s, patience 600 s (examples/mmc.toml), 12 one-hour intervals.

    Tolerances are 4 standard errors (each check fails by chance with probability < 1e-4):
    the day's count is Poisson(6480), sd 80.5; a served customer's service is an independent
    exponential(300) draw, so the mean of n of them has sd 300/sqrt(n) and the sample cv of
    an exponential has sd about sqrt(2/n) (kurtosis 9); the patience mean must lie in the
    99.9 % likelihood-ratio interval of waitlab.patience, which from_log uses.
    """
    truth = Scenario.from_toml(example_path("mmc"))
    contacts = simulate_day(truth, rng=20240304).contacts
    sc = scenario_from_log(contacts, interval=3600.0)
    q = sc.queues[0]
    assert (sc.start, sc.end, sc.channel, len(q.rates_per_hour)) == (dt.time(8), dt.time(20), "phone", 12)
    assert abs(sum(q.rates_per_hour) - 540 * 12) <= 4 * math.sqrt(540 * 12)
    n = int(contacts["outcome"].eq("served").sum())
    assert abs(q.service.mean - 300.0) <= 4 * 300.0 / math.sqrt(n)
    assert abs(q.service.cv - 1.0) <= 4 * math.sqrt(2 / n)
    lo, hi = waitlab.patience(contacts, confidence=0.999).mean_patience_ci
    assert lo <= 600.0 <= hi and lo <= q.patience.mean <= hi
    # desks on duty, estimated from activity: never more than the 48 desks, and at ~94 % occupancy
    # nearly all of them every hour (the first hour loses the minutes before each desk's first call:
    # at least 48 * 49 / 2 / 9 min ~ 2 desk-hours at 9 calls a minute, more as the queue builds)
    opened = sc.desks[0].open
    assert max(opened) <= 48 and min(opened[1:]) >= 45 and opened[0] >= 40
    assert sc.no_show_seconds == 60.0 and q.priority_share == 0.0


def test_bundled_branch_log_gives_a_scenario_that_simulates():
    contacts, _ = waitlab.read_log("datasets/branch_kiosk.csv", format="kiosk", mapping="vendor_a_es")
    sc = scenario_from_log(contacts)
    assert sc.date == dt.date(2025, 3, 25) and (sc.start, sc.end) == (dt.time(10), dt.time(15))  # breach day
    assert [q.name for q in sc.queues] == sorted(contacts["queue"].unique())
    # Box 5, the only desk of pool "Atención Comercial+Jubilados y Pensionados", is absent: no empty group
    assert "Atención Comercial+Jubilados y Pensionados" not in {g.name for g in sc.desks}
    assert all(any(g.open) for g in sc.desks)
    assert (
        60 <= sc.no_show_seconds <= 150
    )  # the desk waits 1-2.5 min for an absent customer (datasets/README)
    day = simulate_day(sc, rng=7)
    validate_contacts(day.contacts)
    assert len(day.contacts) > 0 and day.contacts["queue"].isin(contacts["queue"].unique()).all()


def test_weibull_draws_have_the_mean_and_cv_asked_for():
    from waitlab.sim import Distribution
    from waitlab.sim._distributions import weibull_shape

    assert weibull_shape(1.0) == pytest.approx(1.0, rel=1e-10)  # cv 1: the exponential
    # k = 2 (Rayleigh): cv^2 = Gamma(2) / Gamma(1.5)^2 - 1 = 4 / pi - 1
    assert weibull_shape(math.sqrt(4 / math.pi - 1)) == pytest.approx(2.0, rel=1e-10)
    x = Distribution(dist="weibull", mean=600.0, cv=0.4).sample(np.random.default_rng(5), 400_000)
    # 4 standard errors: sd of the mean 240 / sqrt(n); of the sample cv about cv * sqrt((kurt - 1) / 4n)
    assert abs(x.mean() - 600.0) <= 4 * 240 / math.sqrt(x.size)
    assert abs(x.std() / x.mean() - 0.4) <= 0.004
    with pytest.raises(ScenarioError, match="`cv` of a weibull"):
        Distribution(dist="weibull", mean=600.0, cv=1000.0)


def test_patience_family_of_the_guarded_choice_is_used():
    # a loaded phone day whose callers' patience is Weibull (mean 600 s, cv 0.4): thousands leave
    truth = Scenario.from_toml(example_path("mmc"))
    q = truth.queues[0]
    truth = dataclasses.replace(truth, queues=(dataclasses.replace(
        q, patience=waitlab.sim.Distribution(dist="weibull", mean=600.0, cv=0.4)),),
        desks=(dataclasses.replace(truth.desks[0], open=(40,) * 12),))
    contacts = simulate_day(truth, rng=7).contacts
    left = int(contacts["outcome"].eq("abandoned").sum())
    sc = scenario_from_log(contacts, interval=3600.0)
    notes = sc.notes
    p = sc.queues[0].patience
    assert left > 500 and p.dist == "weibull"
    assert any("guarded choice" in n for n in notes)
    # the fit sees each leaver's patience and a lower bound for everyone answered: within 10 %
    assert p.mean == pytest.approx(600.0, rel=0.10) and p.cv == pytest.approx(0.4, rel=0.2)


def test_a_desk_with_one_call_of_another_queue_stays_in_its_pool():
    # P1 serves 10 PS calls and 1 IN call (9 % of its work): pool "PS", not "IN+PS"; I1 serves IN only.
    # P1 works 10:00-11:50 without a break (10-min calls back to back, the IN call among them): on duty
    # all of 10:00-11:00 and 50 of 60 min of 11:00-12:00 -> 1 and 0.83 -> 1 desk each hour.
    # I1 serves IN 10:00-10:20 only: 20/60 = 0.33 desk -> 0 in 10:00, but IN arrives then, and the
    # pools serving IN (pool "IN") would have no desk all day, so one is opened in that hour.
    rows = [served("PS", f"{10 + i // 6}:{i % 6 * 10:02d}:00", f"{10 + i // 6}:{i % 6 * 10:02d}:00",
                   f"{10 + (i + 1) // 6}:{(i + 1) % 6 * 10:02d}:00", "P1") for i in range(11)]  # fmt: skip
    rows[5] = ("IN",) + rows[5][1:]
    rows.append(served("IN", "10:00:00", "10:00:00", "10:20:00", "I1"))
    sc = scenario_from_log(make_log(rows, channel="phone"), interval=3600.0)
    opened = {g.name: (g.serves, g.open) for g in sc.desks}
    assert opened == {"IN": (("IN",), (1, 0)), "PS": (("PS",), (1, 1))}


def test_a_center_open_until_midnight():
    # calls until 23:50, the last one ending at 23:59:59: the day is 22:00-24:00 (4 x 30 min)
    rows = [served("Q", "22:00:00", "22:00:00", "22:40:00", "A1"), served("Q", "22:40:00", "22:40:00", "23:20:00", "A1"),
            served("Q", "23:20:00", "23:20:00", "23:45:00", "A1"), served("Q", "23:50:00", "23:50:00", "23:59:59", "A1")]  # fmt: skip
    log = make_log(rows, channel="phone")
    sc = scenario_from_log(log)
    assert (sc.start, sc.end, sc.n_intervals, sc.horizon) == (dt.time(22), dt.time(0), 4, 7200.0)
    assert sc.queues[0].rates_per_hour == (2.0, 2.0, 2.0, 2.0)  # one arrival in each half hour
    assert sc.desks[0].open == (1, 1, 1, 1)  # A1 on duty all evening (gaps of 5 min or less)
    same = scenario_from_log(log, end="24:00")
    assert same.end == dt.time(0) and same.n_intervals == 4
    assert 'end = "24:00"' in sc.to_toml() and parse_scenario(sc.to_toml()).horizon == 7200.0
    assert len(simulate_day(sc, rng=1).contacts) > 0
    earlier = scenario_from_log(log, start="23:00", end="24:00")
    assert earlier.n_intervals == 2
