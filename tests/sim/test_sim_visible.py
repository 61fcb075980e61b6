"""Visible kiosk abandonment: a kiosk customer who leaves when their patience runs out, seen leaving.

Checked against hand-traced days (the answer worked out on paper), against the phone rules (a
kiosk day where everybody impatient leaves visibly is, rule for rule, a phone day, and the phone
engine is checked against Erlang A in test_sim_theory.py), against counts of a hand-built log
(Scenario.from_log), and against the draws the simulator made before the option existed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from test_sim_from_log import make_log, served

from waitlab.exceptions import ScenarioError
from waitlab.sim import (
    DeskGroup,
    Distribution,
    Draws,
    QueueSpec,
    Scenario,
    example_path,
    scenario_from_log,
    simulate_day,
)
from waitlab.sim._engine_fast import run_fast
from waitlab.sim._engine_simpy import run_simpy
from waitlab.sim._fast_kpis import fast_days_kpis
from waitlab.sim._toml import parse_scenario

INF = float("inf")
RUNS = {
    "simpy": run_simpy,
    "pooled": lambda sc, d: run_fast(sc, d, "pooled"),
    "routed": lambda sc, d: run_fast(sc, d, "routed"),
}


def _busy_desk_day(visible_abandon: float, no_show_seconds: float = 60.0) -> Scenario:
    """10:00-11:00, one desk; the first customer (at 0 s) holds it 5000 s; then one arrival every
    100 s up to 3500 s, each with patience 300 s: all of them run out before the desk is free."""
    arrivals = tuple(float(t) for t in range(0, 3600, 100))
    return Scenario(
        site="Hand", channel="kiosk", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(11),
        interval=3600.0, no_show_seconds=no_show_seconds,
        queues=(QueueSpec(name="caja", arrival_times=arrivals, service=Distribution(dist="deterministic", mean=5000.0),
                          patience=Distribution(dist="deterministic", mean=300.0),
                          visible_abandon=visible_abandon),),
        desks=(DeskGroup(name="caja", serves=("caja",), open=(1,)),),
    )


@pytest.mark.parametrize("run", list(RUNS))
def test_one_busy_desk_everybody_impatient_leaves_visibly_at_arrival_plus_patience(run):
    sc = _busy_desk_day(visible_abandon=1.0)
    draws = sc.draw(1)
    assert draws.visible.all()
    a = RUNS[run](sc, draws)
    # the first customer: served 0..5000 by desk 0; everybody else gone at arrival + 300, never called
    assert a.outcome.tolist() == [0] + [1] * 35
    assert a.called[0] == 0.0 and a.ended[0] == 5000.0 and a.server[0] == 0
    assert np.isnan(a.called[1:]).all() and np.isnan(a.started[1:]).all()
    np.testing.assert_array_equal(a.ended[1:], draws.arrival[1:] + 300.0)
    assert (a.server[1:] == -1).all()  # no desk time lost on them


@pytest.mark.parametrize("run", list(RUNS))
def test_one_busy_desk_nobody_visible_gives_the_no_show_chain(run):
    # the same day with visible_abandon = 0: each impatient customer is called at 5000 + 60 k and costs 60 s
    sc = _busy_desk_day(visible_abandon=0.0)
    draws = sc.draw(1)
    a = RUNS[run](sc, draws)
    assert a.outcome.tolist() == [0] + [2] * 35
    np.testing.assert_array_equal(a.called[1:], 5000.0 + 60.0 * np.arange(35))
    np.testing.assert_array_equal(a.ended[1:], 5060.0 + 60.0 * np.arange(35))


def test_visible_leavers_in_the_contacts_and_the_array_kpis():
    day = simulate_day(_busy_desk_day(visible_abandon=1.0), rng=1)
    c = day.contacts
    assert c["outcome"].tolist() == ["served"] + ["abandoned"] * 35
    waits = (c["ended_at"] - c["arrived_at"]).dt.total_seconds()[1:]
    assert (waits == 300.0).all() and c["called_at"][1:].isna().all() and c["server"][1:].isna().all()
    np.testing.assert_array_equal(day.waits[1:], 300.0)
    k = fast_days_kpis([day])[0]
    assert (k["served"], k["abandoned"], k["no_show"], k["wait_mean"]) == (1.0, 35.0, 0.0, 35 * 300.0 / 36)


@pytest.mark.parametrize("run", list(RUNS))
def test_hand_traced_mixed_kiosk_day(run):
    # one desk, kiosk, no-show cost 60 s; worked out on paper (seconds after 10:00):
    #  c0 t=0    served 0..1000 (the desk is busy until 1000)
    #  c1 t=10   patience 100, visible          -> abandoned at 110, never called
    #  c2 t=20   patience 100, unseen           -> called at 1000, no_show, desk free at 1060
    #  c3 t=30   patience 2000, visible         -> still there at 1060 (2030 > 1060): served 1060..1110
    #  c4 t=40   patience 500, visible, absent  -> absent wins: called at 1110, no_show until 1170
    #  c5 t=50   patience 1120, visible         -> deadline exactly 1170 = when called: still there, served
    #  c6 t=60   patience 1000, visible         -> deadline 1060 < 1175: abandoned at 1060 (found late)
    #  c7 t=70   patience inf, visible          -> never leaves: served 1175..1185
    sc = Scenario(site="Hand", channel="kiosk", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(11),
                  interval=3600.0, no_show_seconds=60.0,
                  queues=(QueueSpec(name="caja", rates_per_hour=(0.0,), service=Distribution(dist="exponential",
                                                                                              mean=60.0)),),
                  desks=(DeskGroup(name="caja", serves=("caja",), open=(1,)),))
    draws = Draws(arrival=np.arange(0.0, 80.0, 10.0), queue=np.zeros(8, int),
                  service=np.array([1000.0, 5.0, 5.0, 50.0, 5.0, 5.0, 5.0, 10.0]),
                  patience=np.array([INF, 100.0, 100.0, 2000.0, 500.0, 1120.0, 1000.0, INF]),
                  priority=np.zeros(8, int), absent=np.array([0, 0, 0, 0, 1, 0, 0, 0], bool),
                  visible=np.array([0, 1, 0, 1, 1, 1, 1, 1], bool))
    a = RUNS[run](sc, draws)
    assert a.outcome.tolist() == [0, 1, 2, 0, 2, 0, 1, 0]
    np.testing.assert_array_equal(a.called, [0, np.nan, 1000, 1060, 1110, 1170, np.nan, 1175])
    np.testing.assert_array_equal(a.ended, [1000, 110, 1060, 1110, 1170, 1175, 1060, 1185])


def _no_no_shows(sc: Scenario, **change: object) -> Scenario:
    queues = tuple(dataclasses.replace(q, no_show=0.0, **change) for q in sc.queues)  # type: ignore[arg-type]
    return dataclasses.replace(sc, queues=queues)


@pytest.mark.parametrize("name", ["branch", "branch12h"])
def test_a_kiosk_day_where_everybody_leaves_visibly_is_a_phone_day(name):
    # the phone engine is checked against Erlang A; a kiosk with visible_abandon = 1 and no absences
    # follows the very same rules, so on the same draws the two channels give identical outcomes
    kiosk = _no_no_shows(Scenario.from_toml(example_path(name)), visible_abandon=1.0)
    phone = dataclasses.replace(_no_no_shows(Scenario.from_toml(example_path(name))), channel="phone")
    for seed in range(3):
        draws = kiosk.draw(seed)
        assert draws.visible.all()
        ref = run_simpy(phone, draws)
        assert (ref.outcome == 1).sum() > 0  # somebody did leave
        for run in ("simpy", "routed"):
            assert RUNS[run](kiosk, draws).equals(ref), (seed, run)


def test_draws_without_visible_abandonment_are_those_made_before_the_option():
    # pinned from the draws of the commit before visible_abandon existed (branch.toml, one Generator, two days)
    sc = Scenario.from_toml(example_path("branch"))
    g = np.random.default_rng(5)
    pinned = [(738, [482, 144, 112], 72, 6, 6425465.939, 222153.267, 1863783.63),
              (751, [475, 159, 117], 55, 14, 6270768.594, 227977.354, 1981578.468)]
    for want in pinned:
        d = sc.draw(g)
        fin = np.isfinite(d.patience)
        got = (len(d), np.bincount(d.queue).tolist(), int(d.priority.sum()), int(d.absent.sum()),
               float(d.arrival.sum()), float(d.service.sum()), float(d.patience[fin].sum()))
        assert got[:4] == want[:4]
        np.testing.assert_allclose(got[4:], want[4:], rtol=0, atol=1e-3)  # pinned to 3 decimals
        assert not d.visible.any()


def test_visible_abandonment_keeps_the_same_customers():
    # the flags are drawn last: every other column is the same with or without the option
    base = Scenario.from_toml(example_path("branch"))
    vis = _no_no_shows(base, visible_abandon=0.4)
    vis = dataclasses.replace(vis, queues=tuple(dataclasses.replace(q, no_show=p.no_show)
                                                for q, p in zip(vis.queues, base.queues, strict=True)))
    a, b = base.draw(9), vis.draw(9)
    for f in ("arrival", "queue", "service", "patience", "priority", "absent"):
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f), err_msg=f)
    share = b.visible.mean()
    assert 0.34 < share < 0.46  # 0.4 of ~740 customers: 4 standard deviations either side


def test_visible_abandon_is_validated_and_round_trips_through_toml():
    sc = _busy_desk_day(visible_abandon=0.25)
    assert parse_scenario(sc.to_toml(), source="again.toml").queues[0].visible_abandon == 0.25
    assert "visible_abandon" not in _busy_desk_day(visible_abandon=0.0).to_toml()  # old files unchanged
    with pytest.raises(ScenarioError, match="key `visible_abandon`.*in \\[0, 1\\]"):
        _busy_desk_day(visible_abandon=1.5)
    with pytest.raises(ScenarioError, match="key `visible_abandon`.*phone"):
        dataclasses.replace(_busy_desk_day(visible_abandon=0.5), channel="phone")


def test_from_log_takes_the_share_of_visible_leavers_per_queue():
    # caja: 3 abandoned (seen leaving) and 1 no_show -> 0.75; jub: nobody left -> 0
    rows = [
        served("caja", "10:01:00", "10:05:00", "10:20:00", "C1"),
        served("caja", "10:20:00", "10:21:00", "10:40:00", "C1"),
        ("caja", "10:02:00", None, None, "10:12:00", "abandoned", None, 0),
        ("caja", "10:03:00", None, None, "10:30:00", "abandoned", None, 0),
        ("caja", "10:04:00", None, None, "10:09:00", "abandoned", None, 0),
        ("caja", "10:06:00", "10:40:00", None, "10:41:00", "no_show", "C1", 0),
        served("jub", "10:00:00", "10:02:00", "10:20:00", "J1"),
    ]
    sc = scenario_from_log(make_log(rows))
    shares = {q.name: q.visible_abandon for q in sc.queues}
    assert shares == {"caja": 0.75, "jub": 0.0}
    assert any("visible abandonment" in n and "'caja' 0.75" in n for n in sc.notes)
    phone = scenario_from_log(make_log(rows, channel="phone"))
    assert all(q.visible_abandon == 0.0 for q in phone.queues)
