"""ErlangA against a 50-digit mpmath chain sum, a numerically solved CTMC and identities."""

from __future__ import annotations

import numpy as np
import pytest
from models_reference import erlang_a_ctmc, erlang_a_mp

from waitlab.models import ErlangA, ErlangC

# (arrival_rate /s, mean_service s, mean_patience s, desks): under, near and over load,
# patience shorter and longer than service, up to 100,000 desks and loads of 1e5.
MP_CASES = [
    (0.05, 240.0, 300.0, 14),
    (1.0, 1.0, 1.0, 1),
    (10.0, 1.0, 0.1, 5),
    (2.0, 100.0, 50.0, 150),
    (2.0, 100.0, 50.0, 250),
    (2.0, 100.0, 1000.0, 190),
    (3.0, 1000.0, 500.0, 2950),
    (0.5, 300.0, 60.0, 100),
    (0.05, 240.0, 3e9, 13),  # nearly infinite patience
    (1.0, 100.0, 1.0, 50),  # very impatient, overloaded
]
MP_BIG = [
    (100.0, 1000.0, 1000.0, 100_000),
    (100.0, 1000.0, 100.0, 99_000),
    (100.0, 1000.0, 600.0, 101_000),
    pytest.param((100.0, 1000.0, 5000.0, 60_000), marks=pytest.mark.slow),  # load 1e5 on 60,000 desks
]


def _check_against_mp(case, rel):
    lam, s, pat, n = case
    ref = erlang_a_mp(lam, s, pat, n)
    m = ErlangA(arrival_rate=lam, mean_service=s, mean_patience=pat, desks=n)
    for name in ("prob_wait", "prob_abandon", "mean_wait"):
        assert float(getattr(m, name)) == pytest.approx(float(ref[name]), rel=rel), name


@pytest.mark.parametrize("case", MP_CASES)
def test_matches_mpmath_chain(case):
    _check_against_mp(case, rel=1e-11)


@pytest.mark.parametrize("case", MP_BIG)
def test_matches_mpmath_chain_at_100k_desks(case):
    _check_against_mp(case, rel=1e-10)


@pytest.mark.parametrize(
    "case", [(0.05, 240.0, 300.0, 14), (10.0, 1.0, 0.1, 5), (2.0, 100.0, 50.0, 150), (0.5, 300.0, 60.0, 100),
             (1.0, 1.0, 2.0, 1)]
)
def test_matches_numerical_ctmc_including_wait_distribution(case):
    lam, s, pat, n = case
    ts = [0.0, 5.0, 20.0, 60.0]
    ref = erlang_a_ctmc(lam, s, pat, n, ts)
    m = ErlangA(arrival_rate=lam, mean_service=s, mean_patience=pat, desks=n)
    for name in ("prob_wait", "prob_abandon", "mean_wait"):
        assert float(getattr(m, name)) == pytest.approx(ref[name], rel=1e-8), name
    # expm is accurate to ~1e-14 absolute: compare tails relatively where they are not tiny
    exceed = m.prob_wait_exceeds(np.array(ts))
    np.testing.assert_allclose(exceed, ref["prob_wait_exceeds"], rtol=1e-8, atol=1e-13)
    np.testing.assert_allclose(m.service_level(np.array(ts)), ref["service_level"], rtol=1e-9, atol=1e-13)


def test_single_server_hand_computed():
    # n = 1 and lambda = mu = theta = 1: the chain's weights are p_0 = p_1 = c, p_(1+j) = c / (j+1)!,
    # i.e. N ~ Poisson(1).  So P(wait) = P(N >= 1) = 1 - 1/e, E[Q] = E[(N-1)^+] = E[N] - 1 + P(N=0) = 1/e,
    # P(abandon) = theta E[Q] / lambda = 1/e, E[W] = E[Q] / lambda = 1/e, occupancy = P(N >= 1).
    m = ErlangA(arrival_rate=1.0, mean_service=1.0, mean_patience=1.0, desks=1)
    e = np.e
    assert float(m.prob_wait) == pytest.approx(1 - 1 / e, rel=1e-14)
    assert float(m.prob_abandon) == pytest.approx(1 / e, rel=1e-14)
    assert float(m.mean_wait) == pytest.approx(1 / e, rel=1e-14)
    assert float(m.occupancy) == pytest.approx(1 - 1 / e, rel=1e-14)


def test_abandon_equals_theta_times_mean_wait():
    lam = np.array([0.01, 0.5, 2.0, 50.0])
    m = ErlangA(arrival_rate=lam, mean_service=200.0, mean_patience=[30.0, 300.0, 900.0, 60.0], desks=[3, 90, 420, 9000])
    np.testing.assert_allclose(m.prob_abandon, m.mean_wait / np.array([30.0, 300.0, 900.0, 60.0]), rtol=1e-13)
    np.testing.assert_allclose(m.mean_queue_length, lam * m.mean_wait, rtol=1e-13)


def test_infinite_patience_limit_is_erlang_c():
    lam, s = 0.05, 240.0
    for n in (13, 14, 20, 60):
        a = ErlangA(arrival_rate=lam, mean_service=s, mean_patience=1e12, desks=n)
        c = ErlangC(arrival_rate=lam, mean_service=s, desks=n)
        assert float(a.prob_wait) == pytest.approx(float(c.prob_wait), rel=1e-8)
        assert float(a.mean_wait) == pytest.approx(float(c.mean_wait), rel=1e-8)
        for t in (0.0, 20.0, 120.0):
            assert float(a.service_level(t)) == pytest.approx(float(c.service_level(t)), rel=1e-8)
            assert float(a.prob_wait_exceeds(t)) == pytest.approx(float(c.prob_wait_exceeds(t)), rel=1e-8)


def test_patience_equal_to_service_is_infinite_server_queue():
    # theta = mu: every customer leaves at rate mu whether waiting or served, so N ~ Poisson(a)
    from scipy import stats

    a, n = 37.5, 30
    m = ErlangA(arrival_rate=a / 60.0, mean_service=60.0, mean_patience=60.0, desks=n)
    assert float(m.prob_wait) == pytest.approx(stats.poisson.sf(n - 1, a), rel=1e-12)
    # E[(N - n)^+] for Poisson(a)
    k = np.arange(n, 400)
    eq = np.sum((k - n) * stats.poisson.pmf(k, a))
    assert float(m.mean_queue_length) == pytest.approx(eq, rel=1e-10)


def test_service_level_limits():
    m = ErlangA(arrival_rate=[0.05, 5.0], mean_service=240.0, mean_patience=120.0, desks=[14, 900])
    np.testing.assert_allclose(m.service_level(0.0) + m.prob_wait, 1.0, rtol=1e-14)
    np.testing.assert_allclose(m.service_level(np.inf) + m.prob_abandon, 1.0, rtol=1e-12)
    np.testing.assert_allclose(m.prob_wait_exceeds(0.0), m.prob_wait, rtol=1e-14)
    np.testing.assert_array_equal(m.prob_wait_exceeds(np.inf), [0.0, 0.0])


def test_overload_and_huge_inputs_are_finite():
    m = ErlangA(arrival_rate=100.0, mean_service=1000.0, mean_patience=[1.0, 100.0, 1e4, 1e6],
                desks=[1, 10, 50_000, 100_000])
    for v in (m.prob_wait, m.prob_abandon, m.mean_wait, m.occupancy, m.service_level(20.0),
              m.prob_wait_exceeds(20.0), m.mean_queue_length):
        assert np.all(np.isfinite(v)) and np.all(np.asarray(v) >= 0)
    # one server facing 1e5 erlangs: it serves mu (1 - p_0) per second with p_0 <= 1e-5, the rest abandon
    assert float(m.prob_abandon[0]) == pytest.approx(1 - 1e-5, abs=1e-9)


def test_zero_arrivals():
    m = ErlangA(arrival_rate=0.0, mean_service=100.0, mean_patience=60.0, desks=1)
    assert float(m.prob_wait) == 0.0 and float(m.prob_abandon) == 0.0 and float(m.mean_wait) == 0.0
    assert float(m.service_level(20.0)) == 1.0 and float(m.prob_wait_exceeds(20.0)) == 0.0
