"""Erlang B and C, and the ErlangC model, against hand computations, tables and mpmath."""

from __future__ import annotations

from fractions import Fraction
from math import factorial

import numpy as np
import pytest
from models_reference import erlang_b_mp, erlang_c_mp

from waitlab.models import ErlangC, erlang_b, erlang_c


def _erlang_c_fraction(n: int, a: Fraction) -> Fraction:
    top = a**n / factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**k / factorial(k) for k in range(n)) + top)


def test_hand_computed_small_cases():
    # B(1, a) = a / (1 + a); B(2, 1) = (1/2) / (1 + 1 + 1/2) = 1/5
    assert float(erlang_b(1, 3.0)) == pytest.approx(0.75, rel=1e-14)
    assert float(erlang_b(2, 1.0)) == pytest.approx(0.2, rel=1e-14)
    # C(2, 1): top = 1/2 * 2/(2-1) = 1, so C = 1 / (1 + 1 + 1) = 1/3
    assert float(erlang_c(2, 1.0)) == pytest.approx(1 / 3, rel=1e-14)
    # no desks: everything is blocked; no load: nothing is
    assert float(erlang_b(0, 2.5)) == 1.0
    assert float(erlang_b(3, 0.0)) == 0.0
    assert float(erlang_c(3, 0.0)) == 0.0


def test_published_erlang_b_table_1_percent():
    # Erlang B table, grade of service 1 %: capacity (erlangs) for n circuits, as printed
    # (rounded to the digits shown), e.g. 10 circuits carry 4.46 erlangs at 1 % blocking.
    table = [(1, 0.0101, 5e-5), (2, 0.153, 5e-4), (3, 0.455, 5e-4), (4, 0.869, 5e-4), (5, 1.36, 5e-3),
             (10, 4.46, 5e-3), (20, 12.03, 5e-3), (50, 37.90, 5e-3), (100, 84.06, 5e-3)]
    for n, load, half_digit in table:
        assert erlang_b(n, load - half_digit) < 0.01 < erlang_b(n, load + half_digit), n


def test_erlang_b_textbook_value():
    # B(10, 5) = 0.018385 (tables print 0.01838)
    assert float(erlang_b(10, 5.0)) == pytest.approx(0.018385, abs=5e-7)


@pytest.mark.parametrize(
    ("n", "a"),
    [(1, 0.5), (3, 2.9), (10, 5.0), (12, 10.0), (50, 45.0), (100, 100.0), (100, 150.0), (1000, 950.0),
     (1000, 2000.0), (10_000, 9_900.0), (100_000, 99_000.0), (100_000, 100_000.0), (100_000, 1e5 + 3e3),
     (5, 1e5), (100_000, 1.0), (100_000, 80_000.0)],
)
def test_erlang_b_matches_mpmath(n, a):
    ref = erlang_b_mp(n, a)
    got = float(erlang_b(n, a))
    if ref < 1e-300:
        assert got == 0.0 or got == pytest.approx(float(ref), rel=1e-9)
    else:
        assert got == pytest.approx(float(ref), rel=1e-11)


@pytest.mark.parametrize(
    ("n", "a"),
    [(1, 0.5), (2, 1.0), (12, 10.0), (50, 49.5), (100, 90.0), (1000, 999.0), (10_000, 9_800.0),
     (100_000, 99_500.0), (100_000, 99_999.0), (100_000, 50_000.0)],
)
def test_erlang_c_matches_mpmath(n, a):
    ref = erlang_c_mp(n, a)
    got = float(erlang_c(n, a))
    if ref < 1e-300:
        assert got < 1e-290
    else:
        assert got == pytest.approx(float(ref), rel=1e-11)


def test_erlang_c_matches_exact_fractions():
    for n, a in [(2, Fraction(1)), (12, Fraction(10)), (7, Fraction(13, 2)), (20, Fraction(31, 2))]:
        assert float(erlang_c(n, float(a))) == pytest.approx(float(_erlang_c_fraction(n, a)), rel=1e-13)


def test_single_server_prob_wait_is_rho():
    rho = np.linspace(0.01, 0.99, 50)
    np.testing.assert_allclose(ErlangC(arrival_rate=rho / 30.0, mean_service=30.0, desks=1).prob_wait, rho,
                               rtol=1e-13)


def test_mm1_waiting_time_distribution():
    # M/M/1: P(W > t) = rho exp(-(mu - lambda) t), W_q = rho / (mu - lambda)
    lam, mu = 0.8, 1.0
    m = ErlangC(arrival_rate=lam, mean_service=1 / mu, desks=1)
    t = np.array([0.0, 1.0, 5.0, 30.0])
    np.testing.assert_allclose(m.prob_wait_exceeds(t), 0.8 * np.exp(-0.2 * t), rtol=1e-12)
    np.testing.assert_allclose(m.service_level(t), 1 - 0.8 * np.exp(-0.2 * t), rtol=1e-12)
    assert float(m.mean_wait) == pytest.approx(0.8 / 0.2, rel=1e-12)
    assert float(m.mean_queue_length) == pytest.approx(0.8**2 / 0.2, rel=1e-12)  # L_q = rho^2/(1-rho)
    assert float(m.occupancy) == pytest.approx(0.8)


def test_erlang_c_model_hand_values():
    # 100 calls in 30 min, AHT 180 s -> 10 erlangs; 14 agents: C from exact fractions
    c14 = float(_erlang_c_fraction(14, Fraction(10)))
    m = ErlangC(arrival_rate=100 / 1800, mean_service=180.0, desks=14)
    assert float(m.prob_wait) == pytest.approx(c14, rel=1e-12)
    assert float(m.mean_wait) == pytest.approx(c14 * 180 / 4, rel=1e-12)
    assert float(m.service_level(20.0)) == pytest.approx(1 - c14 * np.exp(-4 * 20 / 180), rel=1e-12)
    assert float(m.load) == pytest.approx(10.0)


def test_overload_is_not_an_error():
    m = ErlangC(arrival_rate=[2.0, 3.0], mean_service=1.0, desks=2)  # load == desks, load > desks
    np.testing.assert_array_equal(m.prob_wait, [1.0, 1.0])
    np.testing.assert_array_equal(m.mean_wait, [np.inf, np.inf])
    np.testing.assert_array_equal(m.mean_queue_length, [np.inf, np.inf])
    np.testing.assert_array_equal(m.service_level(20.0), [0.0, 0.0])
    np.testing.assert_array_equal(m.prob_wait_exceeds(np.inf), [1.0, 1.0])
    np.testing.assert_array_equal(m.occupancy, [1.0, 1.0])


def test_broadcasting_like_scipy_stats():
    m = ErlangC(arrival_rate=np.array([[0.01], [0.02]]), mean_service=180.0, desks=[3, 4, 5])
    assert np.shape(m.prob_wait) == (2, 3)
    assert np.shape(m.service_level(np.array([10.0, 20.0, 30.0]))) == (2, 3)
    assert isinstance(ErlangC(arrival_rate=0.01, mean_service=180.0, desks=3).prob_wait, np.floating)
    # each element equals the scalar computation
    assert m.prob_wait[1, 2] == ErlangC(arrival_rate=0.02, mean_service=180.0, desks=5).prob_wait


def test_huge_sizes_stay_finite_and_in_range():
    n = np.array([1, 10, 1_000, 100_000, 100_000, 100_000])
    a = np.array([1e5, 1e5, 1e5, 1e5, 99_999.0, 1.0])
    for f in (erlang_b, erlang_c):
        out = f(n, a)
        assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    assert float(erlang_b(1, 1e5)) == pytest.approx(1e5 / (1 + 1e5), rel=1e-13)


def test_zero_arrivals():
    m = ErlangC(arrival_rate=0.0, mean_service=100.0, desks=1)
    assert float(m.prob_wait) == 0.0 and float(m.mean_wait) == 0.0 and float(m.mean_queue_length) == 0.0
    assert float(m.service_level(0.0)) == 1.0
