"""Both engines: hand-traced days, identical outputs on the same draws, seeds, schema, Little."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sim_helpers import assert_little, random_fcfs_scenario

from waitlab.exceptions import ArgumentError, ScenarioError, SimulationError
from waitlab.schema import validate_contacts, wait_seconds
from waitlab.sim import DeskGroup, Distribution, Draws, QueueSpec, Scenario, example_path, simulate_day
from waitlab.sim._engine_fast import run_fast
from waitlab.sim._engine_simpy import run_simpy

INF = np.inf
SVC = Distribution(dist="exponential", mean=100.0)


def _two_desk_day() -> tuple[Scenario, Draws]:
    # 10:00-10:30 in 10-min intervals; two desks, then one from 10:20 (desk 2 closes).
    sc = Scenario(site="Hand", channel="phone", date=dt.date(2024, 3, 4), start=dt.time(10, 0),
                  end=dt.time(10, 30), interval=600.0,
                  queues=(QueueSpec(name="caja", service=SVC, rates_per_hour=(1.0, 1.0, 1.0)),),
                  desks=(DeskGroup(name="caja", serves=("caja",), open=(2, 2, 1)),))
    draws = Draws(
        arrival=np.array([0.0, 60.0, 120.0, 200.0, 300.0, 1250.0]),
        queue=np.zeros(6, dtype=int),
        service=np.array([300.0, 1200.0, 200.0, 100.0, 900.0, 100.0]),
        patience=np.array([INF, INF, 180.0, 50.0, INF, INF]),
        priority=np.zeros(6, dtype=int),
        absent=np.zeros(6, dtype=bool),
    )
    return sc, draws


@pytest.mark.parametrize("engine", ["simpy", "fast"])
def test_hand_traced_six_customers_two_desks(engine):
    # Worked out on paper (seconds after 10:00; desk ids 0 = caja-1, 1 = caja-2):
    #  t=0     C1 arrives, both desks free -> lowest id, caja-1, busy until 300.      wait 0
    #  t=60    C2 arrives -> caja-2, busy until 60+1200 = 1260 (it closes at 1200,
    #          so it finishes C2 at 1260 and then closes).                               wait 0
    #  t=120   C3 waits (patience 180: still there at exactly 300).
    #  t=200   C4 waits (patience 50); nobody frees up before 250 -> abandons at 250.  wait 50
    #  t=300   caja-1 frees AND C5 arrives at the same instant: dispatch runs after both,
    #          caja-1 calls the longest-waiting C3 (deadline 300 is not < 300) until 500.  wait 180
    #  t=500   caja-1 calls C5 until 500+900 = 1400.                                    wait 200
    #  t=1250  C6 arrives: caja-1 busy until 1400; caja-2 busy until 1260 and off duty
    #          after it (interval 10:20 has one desk) -> C6 waits for caja-1 at 1400.   wait 150
    sc, draws = _two_desk_day()
    day = simulate_day(sc, draws=draws, engine=engine)
    a = day.arrays
    np.testing.assert_array_equal(a.called, [0, 60, 300, np.nan, 500, 1400])
    np.testing.assert_array_equal(a.started, [0, 60, 300, np.nan, 500, 1400])
    np.testing.assert_array_equal(a.ended, [300, 1260, 500, 250, 1400, 1500])
    np.testing.assert_array_equal(a.server, [0, 1, 0, -1, 0, 0])
    c = validate_contacts(day.contacts)
    assert c["outcome"].tolist() == ["served", "served", "served", "abandoned", "served", "served"]
    assert c["server"].tolist()[:3] == ["caja-1", "caja-2", "caja-1"] and pd.isna(c["server"].iloc[3])
    assert wait_seconds(c).tolist() == [0, 0, 180, 50, 200, 150]
    assert str(c["called_at"].iloc[5]) == "2024-03-04 10:23:20-03:00"
    assert_little(c)


def test_hand_traced_priority_shared_desks_and_no_show():
    # One desk "mixta" serving queues x and y at a kiosk; call-and-wait 60 s.
    #  t=0   C1 (x) served 0-100.   t=10 C2 (x, regular, absent).   t=20 C3 (x, priority).
    #  t=30  C4 (y, regular).
    #  t=100 the desk calls the priority class first: C3, 100-150.
    #  t=150 regular heads: C2 (arrived 10) vs C4 (arrived 30): longest wait -> C2; absent ->
    #        no_show, the desk waits 60 s: 150-210.
    #  t=210 C4, 210-250.
    svc = Distribution(dist="exponential", mean=60.0)
    sc = Scenario(site="Hand", channel="kiosk", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(11),
                  interval=3600.0, no_show_seconds=60.0,
                  queues=(QueueSpec(name="x", service=svc, rates_per_hour=(1.0,), priority_share=0.1),
                          QueueSpec(name="y", service=svc, rates_per_hour=(1.0,))),
                  desks=(DeskGroup(name="mixta", serves=("x", "y"), open=(1,)),))
    draws = Draws(arrival=np.array([0.0, 10.0, 20.0, 30.0]), queue=np.array([0, 0, 0, 1]),
                  service=np.array([100.0, 80.0, 50.0, 40.0]), patience=np.full(4, INF),
                  priority=np.array([0, 0, 1, 0]), absent=np.array([False, True, False, False]))
    assert simulate_day(sc, draws=draws).engine == "fast"
    for engine in ("simpy", "fast"):
        day = simulate_day(sc, draws=draws, engine=engine)
        a = day.arrays
        np.testing.assert_array_equal(a.called, [0, 150, 100, 210])
        np.testing.assert_array_equal(a.ended, [100, 210, 150, 250])
        c = validate_contacts(day.contacts)
        assert c["outcome"].tolist() == ["served", "no_show", "served", "served"]
        assert c["ticket"].tolist() == ["X001", "X002", "X003", "Y001"]
        assert c["priority"].tolist() == [0, 0, 1, 0]


def test_kiosk_impatient_customers_are_found_missing_when_called():
    # One desk; C1 served 0-500; C2 (patience 100) left unseen at 110 -> called at 500: no_show,
    # desk loses 60 s; C3 (patient) called at 560.
    sc = Scenario(site="Hand", channel="kiosk", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(11),
                  interval=3600.0, no_show_seconds=60.0,
                  queues=(QueueSpec(name="caja", service=SVC, rates_per_hour=(1.0,)),),
                  desks=(DeskGroup(name="caja", serves=("caja",), open=(1,)),))
    draws = Draws(arrival=np.array([0.0, 10.0, 20.0]), queue=np.zeros(3, int), service=np.array([500.0, 9.0, 30.0]),
                  patience=np.array([INF, 100.0, INF]), priority=np.zeros(3, int), absent=np.zeros(3, bool))
    for engine in ("simpy", "fast"):
        a = simulate_day(sc, draws=draws, engine=engine).arrays
        np.testing.assert_array_equal(a.called, [0, 500, 560])
        np.testing.assert_array_equal(a.ended, [500, 560, 590])
        assert a.outcome.tolist() == [0, 2, 0]


@pytest.mark.parametrize("channel", ["phone", "kiosk"])
@pytest.mark.parametrize("integer", [False, True])
def test_engines_give_identical_outcomes_on_the_same_draws(channel, integer):
    rng = np.random.default_rng(2024 + integer * 7 + (channel == "kiosk"))
    for _ in range(40):
        sc = random_fcfs_scenario(rng, channel=channel, integer=integer)
        draws = sc.draw(rng)
        slow, fast = run_simpy(sc, draws), run_fast(sc, draws)
        for f in ("called", "started", "ended", "outcome", "server"):
            np.testing.assert_array_equal(getattr(slow, f), getattr(fast, f), err_msg=f)


def test_engines_identical_on_a_busy_call_center_day_and_auto_picks_fast():
    sc = Scenario.from_toml(example_path("mmc"))
    day = simulate_day(sc, rng=11)
    assert day.engine == "fast"
    slow = simulate_day(sc, draws=day.draws, engine="simpy")
    assert slow.arrays.equals(day.arrays)
    assert slow.contacts.equals(day.contacts)
    assert (day.arrays.outcome == 1).sum() > 20  # abandonment really happens
    assert len(np.unique(day.arrays.server[day.arrays.server >= 0])) == 48


def test_a_seed_reproduces_a_day_bit_for_bit():
    sc = Scenario.from_toml(example_path("branch"))
    one, two = simulate_day(sc, rng=7), simulate_day(sc, rng=np.random.default_rng(7))
    assert one.contacts.equals(two.contacts)
    other = simulate_day(sc, rng=8)
    assert not other.contacts["arrived_at"].equals(one.contacts["arrived_at"])


@pytest.mark.parametrize("name", ["branch", "mmc"])
def test_simulated_days_pass_the_schema_validator_and_littles_law(name):
    sc = Scenario.from_toml(example_path(name))
    for seed in range(3):
        c = validate_contacts(simulate_day(sc, rng=seed, engine="simpy").contacts)
        assert str(c["arrived_at"].dt.tz) == sc.timezone
        assert set(c["channel"]) == {sc.channel}
        assert c["arrived_at"].min() >= sc.origin
        assert_little(c)


def test_branch_routing_uses_every_desk_kind_and_priority_jumps_the_line():
    sc = Scenario.from_toml(example_path("branch"))
    c = simulate_day(sc, rng=3).contacts
    assert {s.split("-")[0] for s in c["server"].dropna()} == {"caja", "jubilados", "comercial"}
    # comercial desks only ever serve atención comercial; jubilados desks only jubilados
    assert set(c.loc[c["server"].str.startswith("comercial").fillna(False), "queue"]) == {"atención comercial"}
    assert set(c.loc[c["server"].str.startswith("jubilados").fillna(False), "queue"]) == {"jubilados"}
    caja = c[(c["queue"] == "caja") & c["called_at"].notna()]
    w = wait_seconds(caja)
    assert w[caja["priority"] == 1].mean() < w[caja["priority"] == 0].mean() / 2


def test_desk_closing_at_a_boundary_does_not_call_and_reopening_desks_do():
    # One queue, one desk open only in the 2nd interval: everybody waits for 10:10.
    sc = Scenario(site="Hand", channel="phone", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(10, 30),
                  interval=600.0, queues=(QueueSpec(name="q", service=SVC, rates_per_hour=(1.0, 1.0, 1.0)),),
                  desks=(DeskGroup(name="d", serves=("q",), open=(0, 1, 0)),))
    draws = Draws(arrival=np.array([5.0, 10.0]), queue=np.zeros(2, int), service=np.array([400.0, 300.0]),
                  patience=np.full(2, INF), priority=np.zeros(2, int), absent=np.zeros(2, bool))
    for engine in ("simpy", "fast"):
        a = simulate_day(sc, draws=draws, engine=engine).arrays
        # C1 600-1000; the desk closes at 1200 but is free at 1000, so it calls C2 at 1000.
        np.testing.assert_array_equal(a.called, [600, 1000])
        np.testing.assert_array_equal(a.ended, [1000, 1300])
    late = Draws(arrival=np.array([5.0, 1100.0, 1250.0]), queue=np.zeros(3, int),
                 service=np.array([400.0, 300.0, 10.0]), patience=np.array([INF, INF, 30.0]),
                 priority=np.zeros(3, int), absent=np.zeros(3, bool))
    for engine in ("simpy", "fast"):
        a = simulate_day(sc, draws=late, engine=engine).arrays
        # C2 called at 1100, served past closing until 1400; C3 arrives at 1250 with the desk
        # closed for good: never called, abandons at 1280. C-last left "other" if patient.
        np.testing.assert_array_equal(a.called, [600, 1100, np.nan])
        np.testing.assert_array_equal(a.ended, [1000, 1400, 1280])
        assert a.outcome.tolist() == [0, 0, 1]


def test_draws_that_do_not_fit_the_scenario_are_refused():
    sc, draws = _two_desk_day()
    bad = Draws(arrival=draws.arrival + 1000, queue=draws.queue, service=draws.service,
                patience=draws.patience, priority=draws.priority, absent=draws.absent)
    with pytest.raises(ScenarioError, match=r"arrivals outside \[0, 1800\) s"):
        simulate_day(sc, draws=bad)
    with pytest.raises(SimulationError, match="`arrival` must be finite and sorted"):
        Draws(arrival=np.array([2.0, 1.0]), queue=np.zeros(2), service=np.ones(2), patience=np.ones(2),
              priority=np.zeros(2), absent=np.zeros(2))
    with pytest.raises(ArgumentError, match="`engine` must be one of auto, simpy, fast"):
        simulate_day(sc, draws=draws, engine="turbo")
