"""The fast engine against the SimPy engine (the readable reference) on generated days.

Hypothesis builds scenarios with several queues, desk groups whose ``serves`` overlap, priority
tickets, schedules with zeros and changes, patience or none, kiosk no-shows, kiosk customers
who leave visibly (``visible``; set on phone days too, where it must change nothing) and arrivals that
tie (whole seconds), and draws made by hand for them; on the same draws both engines must give
identical outcome arrays, bit for bit (NaN equal to NaN). The SimPy engine is an independent
implementation of the rules (events and a SimPy clock instead of a compiled event loop).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sim_helpers import random_fcfs_scenario

from waitlab.exceptions import ArgumentError
from waitlab.sim import DeskGroup, Distribution, Draws, QueueSpec, Scenario, example_path, simulate_day
from waitlab.sim._engine_fast import run_fast
from waitlab.sim._engine_simpy import run_simpy

INF = float("inf")
FIELDS = ("called", "started", "ended", "outcome", "server")
# whole seconds make completions, arrivals and openings coincide; tenths test float sums (0.1 + 0.2 != 0.3)
SERVICE = st.one_of(st.integers(0, 400).map(float), st.sampled_from([0.1, 0.2, 0.3, 12.7, 99.9]))
PATIENCE = st.one_of(st.just(INF), st.integers(0, 600).map(float), st.sampled_from([0.3, 50.1]))


@st.composite
def days(draw: st.DrawFn, max_customers: int = 80) -> tuple[Scenario, Draws]:
    """A scenario (rates 0: the customers are the hand-made draws) and one day of draws for it."""
    channel = draw(st.sampled_from(["phone", "kiosk"]))
    nq = draw(st.integers(1, 4))
    k = draw(st.integers(1, 5))
    length = draw(st.sampled_from([60.0, 300.0, 600.0]))
    names = [f"q{q}" for q in range(nq)]
    groups = []
    for _ in range(draw(st.integers(1, 4))):
        serves = draw(st.sets(st.sampled_from(names), min_size=1, max_size=nq))
        counts = draw(st.lists(st.integers(0, 3), min_size=k, max_size=k))
        groups.append([sorted(serves, key=names.index), counts])
    for q, name in enumerate(names):  # every queue needs a group; some open desk somewhere
        if not any(name in s for s, _ in groups):
            groups[q % len(groups)][0] = sorted({*groups[q % len(groups)][0], name}, key=names.index)
    if not any(c for _, counts in groups for c in counts):
        groups[0][1][draw(st.integers(0, k - 1))] = 1
    horizon = int(k * length)
    n = draw(st.integers(0, max_customers))
    arrival = sorted(draw(st.lists(st.integers(0, horizon - 1), min_size=n, max_size=n)))
    cols = {
        "queue": draw(st.lists(st.integers(0, nq - 1), min_size=n, max_size=n)),
        "service": draw(st.lists(SERVICE, min_size=n, max_size=n)),
        "patience": draw(st.lists(PATIENCE, min_size=n, max_size=n)),
        "priority": draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)),
        "absent": draw(st.lists(st.booleans(), min_size=n, max_size=n)) if channel == "kiosk" else [False] * n,
        "visible": draw(st.lists(st.booleans(), min_size=n, max_size=n)),
    }
    end = (dt.datetime(2024, 3, 4, 10) + dt.timedelta(seconds=horizon)).time()
    svc = Distribution(dist="exponential", mean=100.0)
    sc = Scenario(site="Gen", channel=channel, date=dt.date(2024, 3, 4), start=dt.time(10), end=end,
                  interval=length, no_show_seconds=draw(st.sampled_from([0.0, 30.0, 60.0])),
                  queues=tuple(QueueSpec(name=q, service=svc, rates_per_hour=(0.0,) * k) for q in names),
                  desks=tuple(DeskGroup(name=f"g{i}", serves=tuple(s), open=tuple(c))
                              for i, (s, c) in enumerate(groups)))
    return sc, Draws(arrival=np.array(arrival, dtype=float), **{c: np.array(v) for c, v in cols.items()})


def assert_identical(sc: Scenario, draws: Draws, kernel: str = "auto") -> None:
    slow, fast = run_simpy(sc, draws), run_fast(sc, draws, kernel)
    for f in FIELDS:
        np.testing.assert_array_equal(getattr(slow, f), getattr(fast, f), err_msg=f)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days())
def test_both_engines_identical_on_generated_routed_days(day):
    sc, draws = day
    assert_identical(sc, draws)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(days(max_customers=400))
def test_both_engines_identical_on_generated_busy_days(day):
    # many customers for few desks: long lines, closings with people waiting, the after-hours tail
    sc, draws = day
    assert_identical(sc, draws)


@st.composite
def drawn_days(draw: st.DrawFn) -> tuple[Scenario, Draws]:
    """A scenario with rates, real distributions, patience, priority shares, no-shows and visible kiosk
    abandonment, and its own draws."""
    sc, _ = draw(days(max_customers=0))
    k = sc.n_intervals
    queues = []
    for q in sc.queues:
        rates = tuple(draw(st.lists(st.sampled_from([0.0, 30.0, 120.0, 400.0]), min_size=k, max_size=k)))
        if not any(c for g in sc.desks if q.name in g.serves for c in g.open):
            rates = (0.0,) * k  # nobody ever serves it: no demand allowed
        patience = draw(st.sampled_from([None, Distribution(dist="exponential", mean=120.0),
                                         Distribution(dist="lognormal", mean=300.0, cv=0.8)]))
        queues.append(QueueSpec(name=q.name, rates_per_hour=rates, patience=patience,
                                service=Distribution(dist="gamma", mean=float(draw(st.sampled_from([30, 120, 400]))),
                                                     cv=0.9),
                                priority_share=draw(st.sampled_from([0.0, 0.1, 0.5])),
                                no_show=draw(st.sampled_from([0.0, 0.1])) if sc.channel == "kiosk" else 0.0,
                                visible_abandon=draw(st.sampled_from([0.0, 0.3, 1.0])) if sc.channel == "kiosk"
                                else 0.0))
    sc = Scenario(site="Gen", channel=sc.channel, date=sc.date, start=sc.start, end=sc.end, interval=sc.interval,
                  no_show_seconds=sc.no_show_seconds, queues=tuple(queues), desks=sc.desks)
    return sc, sc.draw(draw(st.integers(0, 2**32 - 1)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn_days())
def test_both_engines_identical_on_drawn_days(day):
    sc, draws = day
    assert_identical(sc, draws)


@pytest.mark.parametrize("channel", ["phone", "kiosk"])
def test_routed_kernel_equals_simpy_on_pooled_days_too(channel):
    # the pooled kernel's own domain, through the routed kernel: both must still match SimPy
    rng = np.random.default_rng(16 + (channel == "kiosk"))
    for integer in (False, True):
        for _ in range(25):
            sc = random_fcfs_scenario(rng, channel=channel, integer=integer)
            assert_identical(sc, sc.draw(rng), kernel="routed")


@pytest.mark.parametrize("name", ["branch", "branch12h", "mmc"])
def test_bundled_examples_identical_and_auto_is_fast(name):
    sc = Scenario.from_toml(example_path(name))
    for seed in range(3):
        day = simulate_day(sc, rng=seed)
        assert day.engine == "fast"
        slow = simulate_day(sc, draws=day.draws, engine="simpy")
        assert slow.arrays.equals(day.arrays)
        assert slow.contacts.equals(day.contacts)


def test_unknown_or_unfit_kernel_is_refused():
    sc = Scenario.from_toml(example_path("branch"))
    draws = sc.draw(1)
    with pytest.raises(ArgumentError, match="`kernel` must be one of auto, pooled, routed"):
        run_fast(sc, draws, "turbo")
    with pytest.raises(ArgumentError, match="desks that serve one queue each"):
        run_fast(sc, draws, "pooled")
