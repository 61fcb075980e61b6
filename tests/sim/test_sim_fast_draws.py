"""The compiled draws of many days equal numpy's, bit for bit.

``waitlab.sim.run`` draws a chunk of days in one compiled call (:mod:`waitlab.sim._fast_random`:
numpy's PCG64 and distributions ported to numba; :func:`waitlab.sim._fast_draws.draw_days`). The
reference is numpy itself: ``PCG64(seed).random_raw``, the ``Generator`` methods, and
:func:`waitlab.sim.draw` (the readable numpy definition of a day), on many seeds, parameters
and generated scenarios of every distribution family. Then the batch simulation
(:func:`waitlab.sim._fast_batch.simulate_batch`) against ``simulate_day`` day by day.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numba import njit

from waitlab.exceptions import SimulationError
from waitlab.sim import (
    DeskGroup,
    Distribution,
    QueueSpec,
    Scenario,
    _fast_draws,
    _fast_random,
    draw,
    example_path,
    simulate_day,
)
from waitlab.sim._fast_batch import DRAW_FIELDS, DayBatch, simulate_batch
from waitlab.sim._run import seed_sequences

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = st.one_of(st.integers(0, 2**128), st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=5))


@njit
def _raw(pool, n):  # pragma: no cover - compiled
    st_ = np.zeros(6, dtype=np.uint64)
    _fast_random.seed_state(pool, st_)
    out = np.empty(n, dtype=np.uint64)
    for i in range(n):
        out[i] = _fast_random.next64(st_)
    return out


@njit
def _mixed(pool, n, lam, shape, cv_a, mean, sigma, k):  # pragma: no cover - compiled
    """The draws of one of each kind, interleaved (the buffered 32-bit halves included)."""
    st_ = np.zeros(6, dtype=np.uint64)
    _fast_random.seed_state(pool, st_)
    out = np.empty((n, 8))
    for i in range(n):
        out[i, 0] = _fast_random.next_double(st_)
        out[i, 1] = _fast_random.poisson(st_, lam)
        out[i, 2] = _fast_random.lognormal(st_, mean, sigma)
        out[i, 3] = _fast_random.gamma(st_, shape, 7.0)
        out[i, 4] = _fast_random.exponential(st_, 300.0)
        out[i, 5] = _fast_random.weibull(st_, cv_a)
        out[i, 6] = _fast_random.bounded(st_, k)
        out[i, 7] = _fast_random.bounded(st_, k // 3)
    return out


def _numpy_mixed(seq, n, lam, shape, cv_a, mean, sigma, k):
    g = np.random.default_rng(seq)
    out = np.empty((n, 8))
    for i in range(n):
        out[i] = (g.random(), g.poisson(lam), g.lognormal(mean, sigma), g.gamma(shape, 7.0), g.exponential(300.0),
                  g.weibull(cv_a), g.integers(0, k + 1), g.integers(0, k // 3 + 1))
    return out


@SETTINGS
@given(SEEDS, st.integers(0, 3))
def test_pcg64_outputs_equal_numpy(entropy, spawn):
    seq = np.random.SeedSequence(entropy)
    for s in [seq, *seq.spawn(spawn)]:
        assert np.array_equal(_raw(s.pool, 300), np.random.PCG64(s).random_raw(300))


@SETTINGS
@given(SEEDS, st.sampled_from([0.0, 1e-9, 0.3, 5.0, 9.999, 10.0, 37.5, 1e4]),
       st.sampled_from([1e-3, 0.05, 0.5, 0.999, 1.0, 1.0001, 4.0, 1e3]), st.sampled_from([0.0, 0.2, 1.0, 3.7]),
       st.floats(-5, 8), st.floats(1e-3, 4), st.sampled_from([0, 1, 2, 36, 1000, 2**31 + 7, 2**32 - 2]))
def test_distributions_equal_numpy_generator(entropy, lam, shape, a, mean, sigma, k):
    seq = np.random.SeedSequence(entropy)
    got = _mixed(seq.pool, 200, lam, shape, a, mean, sigma, k)
    want = _numpy_mixed(seq, 200, lam, shape, a, mean, sigma, k)
    np.testing.assert_array_equal(got, want)


@st.composite
def distributions(draw: st.DrawFn) -> Distribution:
    kind = draw(st.sampled_from(["exponential", "deterministic", "lognormal", "gamma", "weibull", "empirical"]))
    if kind == "empirical":
        return Distribution(dist=kind, values=tuple(draw(st.lists(st.floats(0, 900), min_size=1, max_size=40))))
    mean = draw(st.sampled_from([0.5, 30.0, 240.0, 3600.0]))
    if kind in ("exponential", "deterministic"):
        return Distribution(dist=kind, mean=mean)
    cv = draw(st.sampled_from([0.02, 0.3, 1.0, 2.5]))  # gamma shapes above, at and below 1
    return Distribution(dist=kind, mean=mean, cv=cv)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """1-3 queues of any distribution family, rates small and large (Poisson below and above 10 per
    interval), service scales, patience or none, shares, log arrival times; one desk group serves all."""
    k = draw(st.integers(1, 4))
    length = draw(st.sampled_from([60.0, 1800.0, 3600.0]))
    channel = draw(st.sampled_from(["phone", "kiosk"]))
    queues = []
    for q in range(draw(st.integers(1, 3))):
        spec: dict[str, object] = {}
        if draw(st.booleans()) and q:
            times = draw(st.lists(st.floats(0, k * length, exclude_max=True), max_size=30))
            spec["arrival_times"] = tuple(sorted(times))
        else:
            spec["rates_per_hour"] = tuple(draw(st.lists(st.sampled_from([0.0, 3.0, 19.0, 150.0]), min_size=k,
                                                          max_size=k)))
        if draw(st.booleans()):
            spec["service_scale"] = tuple(draw(st.lists(st.sampled_from([0.5, 1.0, 1.7]), min_size=k, max_size=k)))
        queues.append(QueueSpec(
            name=f"q{q}", service=draw(distributions()), patience=draw(st.one_of(st.none(), distributions())),
            priority_share=draw(st.sampled_from([0.0, 0.1, 1.0])),
            no_show=draw(st.sampled_from([0.0, 0.2])) if channel == "kiosk" else 0.0,
            visible_abandon=draw(st.sampled_from([0.0, 0.4])) if channel == "kiosk" else 0.0, **spec))
    end = (dt.datetime(2024, 3, 4, 10) + dt.timedelta(seconds=k * length)).time()
    return Scenario(site="S", channel=channel, date=dt.date(2024, 3, 4), start=dt.time(10), end=end, interval=length,
                    queues=tuple(queues), desks=(DeskGroup(name="g", serves=tuple(q.name for q in queues),
                                                           open=(2,) * k),))


def assert_days_equal_draw(sc: Scenario, seeds: list) -> None:
    offsets, cols = _fast_draws.draw_days(sc, seeds)
    assert len(offsets) == len(seeds) + 1
    for day, seed in enumerate(seeds):
        ref = draw(sc, np.random.default_rng(seed))
        lo, hi = offsets[day], offsets[day + 1]
        for f in DRAW_FIELDS:
            np.testing.assert_array_equal(cols[f][lo:hi], getattr(ref, f), err_msg=f"day {day}, {f}")


@SETTINGS
@given(scenarios(), st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_draw_days_equal_draw_on_generated_scenarios(sc, root, n):
    assert_days_equal_draw(sc, seed_sequences(root, n))


@pytest.mark.parametrize("name", ["branch", "mmc", "branch12h"])
def test_draw_days_equal_draw_on_examples(name):
    assert_days_equal_draw(Scenario.from_toml(example_path(name)), seed_sequences(5, 6))


def test_buffers_grow_and_other_seeds_are_drawn_by_draw(monkeypatch):
    sc = Scenario.from_toml(example_path("branch"))
    monkeypatch.setattr(_fast_draws, "_capacity", lambda expected: 10)  # every day overflows the buffers
    assert_days_equal_draw(sc, seed_sequences(2, 3))
    # seeds the compiled path does not take (a pool of 8 words, plain integers): numpy draws those days
    assert_days_equal_draw(sc, [np.random.SeedSequence(3, pool_size=8), *seed_sequences(3, 2)])
    assert_days_equal_draw(sc, [7, 8])


def test_a_numpy_that_draws_otherwise_gets_numpy_draws(monkeypatch):
    # This numpy draws what the compiled sampler draws (the probe of every family agrees); should a
    # numpy release change an algorithm, the probe fails and every day comes from draw() instead.
    assert _fast_draws.same_as_numpy()
    sc = Scenario.from_toml(example_path("branch"))
    seeds = seed_sequences(4, 3)
    fast = _fast_draws.draw_days(sc, seeds)
    monkeypatch.setattr(_fast_draws, "same_as_numpy", lambda: False)
    calls = []
    real_draw = _fast_draws.draw
    monkeypatch.setattr(_fast_draws, "draw", lambda *a: calls.append(1) or real_draw(*a))
    slow = _fast_draws.draw_days(sc, seeds)
    assert len(calls) == 3  # every day by numpy
    np.testing.assert_array_equal(fast[0], slow[0])
    for f in DRAW_FIELDS:
        np.testing.assert_array_equal(fast[1][f], slow[1][f])


def test_a_value_draws_refuses_raises_as_draw_does():
    # exp() of a normal around 709 overflows to inf for about half the customers
    huge = Distribution(dist="lognormal", mean=1e308, cv=1.0)
    sc = Scenario(site="S", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(11), interval=3600.0,
                  queues=(QueueSpec(name="q", service=huge, rates_per_hour=(50.0,)),),
                  desks=(DeskGroup(name="g", serves=("q",), open=(1,)),))
    seeds = seed_sequences(1, 2)
    with pytest.raises(SimulationError, match="finite durations") as ref:
        draw(sc, np.random.default_rng(seeds[0]))
    with pytest.raises(SimulationError) as got:
        _fast_draws.draw_days(sc, seeds)
    assert str(got.value) == str(ref.value)


@pytest.mark.parametrize("name", ["branch", "mmc", "branch12h"])
def test_batch_days_equal_simulated_days(name):
    sc = Scenario.from_toml(example_path(name))
    seeds = seed_sequences(9, 5)
    for engine in ("fast", "simpy"):
        batch = simulate_batch(sc, seeds, engine=engine)
        for k, seed in enumerate(seeds):
            day = simulate_day(sc, np.random.default_rng(seed), engine=engine)
            assert batch.day(k).arrays.equals(day.arrays)
            for f in DRAW_FIELDS:
                np.testing.assert_array_equal(batch.draws[f][batch.offsets[k]:batch.offsets[k + 1]],
                                              getattr(day.draws, f))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_batch_days_equal_simulated_days_on_generated_scenarios(sc, root):
    seeds = seed_sequences(root, 3)
    batch = simulate_batch(sc, seeds)
    stacked = DayBatch.from_days([simulate_day(sc, np.random.default_rng(s)) for s in seeds])
    np.testing.assert_array_equal(batch.offsets, stacked.offsets)
    for f, v in batch.arrays.items():
        np.testing.assert_array_equal(v, stacked.arrays[f], err_msg=f)
