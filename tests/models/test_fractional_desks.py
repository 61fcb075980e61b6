"""Fractional desks: Jagerman's continuous Erlang B, and Erlang C and A built on it.

References are independent of the code: mpmath quadrature of Jagerman's integral
``1 / B(x, a) = a int_0^inf e^(-a t) (1 + t)^x dt`` and of Mandelbaum and Zeltyn's waiting-time
law (`models_reference`), 50-digit chain sums at whole desks, and the recursion
``1 / B(x, a) = 1 + (x / a) / B(x - 1, a)``.
"""

from __future__ import annotations

import numpy as np
import pytest
from models_reference import erlang_a_law_mp, erlang_b_mp, erlang_c_jagerman_mp, jagerman_inv_b_mp

from waitlab.exceptions import ModelInputError
from waitlab.models import ErlangA, ErlangC, erlang_b, erlang_c

# (x desks, a erlangs): under, near and over load, below one desk, deep overload (series branch)
B_CASES = [(0.5, 0.3), (1.5, 3.0), (2.5, 0.1), (7.3, 5.2), (10.5, 40.0), (100.25, 90.0), (1000.7, 950.0),
           (3.5, 1000.0), (50.5, 2000.0), (20_000.5, 19_500.0)]


@pytest.mark.parametrize(("x", "a"), B_CASES)
def test_erlang_b_matches_jagerman_quadrature(x, a):
    assert float(erlang_b(x, a)) == pytest.approx(float(1 / jagerman_inv_b_mp(x, a)), rel=1e-12)


@pytest.mark.parametrize(("x", "a"), [(1.5, 0.7), (7.3, 5.2), (100.25, 90.0), (1000.7, 950.0), (12.9, 12.8)])
def test_erlang_c_matches_jagerman_quadrature(x, a):
    assert float(erlang_c(x, a)) == pytest.approx(float(erlang_c_jagerman_mp(x, a)), rel=1e-12)


@pytest.mark.parametrize(("n", "a"), [(1, 0.5), (7, 5.2), (30, 29.0), (200, 150.0)])
def test_quadrature_reference_equals_the_integer_formula_at_whole_desks(n, a):
    # the reference itself: Jagerman's integral is the Erlang sum at integers (50-digit sums)
    assert float(1 / jagerman_inv_b_mp(n, a)) == pytest.approx(float(erlang_b_mp(n, a)), rel=1e-20)
    assert float(erlang_b(float(n), a)) == pytest.approx(float(erlang_b_mp(n, a)), rel=1e-12)


def test_erlang_b_recursion_holds_between_integers():
    x = np.array([1.25, 2.5, 7.75, 40.1, 333.3])
    a = np.array([0.9, 3.0, 6.0, 45.0, 300.0])
    lhs = 1 / erlang_b(x, a)
    rhs = 1 + (x / a) / erlang_b(x - 1, a)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


@pytest.mark.parametrize("a", [0.4, 3.0, 17.5, 34.0])
def test_continuous_and_monotone_between_integers(a):
    x = np.arange(1.0, 40.0001, 0.01)
    b, c = erlang_b(x, a), erlang_c(x, a)
    assert np.all(np.diff(b) < 0)
    stable = x > a
    assert np.all(np.diff(c[stable]) < 0) and np.all(c[~stable] == 1.0)
    # continuity at the integers: values a hair either side of n are within 1e-7 and bracket B(n)
    n = np.arange(2.0, 40.0)
    for f in (erlang_b, erlang_c):
        lo, mid, hi = f(n - 1e-9, a), f(n, a), f(n + 1e-9, a)
        np.testing.assert_allclose(lo, mid, rtol=1e-7)
        np.testing.assert_allclose(hi, mid, rtol=1e-7)
        assert np.all((lo >= mid) & (mid >= hi))


def test_erlang_a_continuous_and_monotone_in_fractional_desks():
    x = np.arange(1.0, 30.0001, 0.01)
    m = ErlangA(arrival_rate=0.1, mean_service=180.0, mean_patience=300.0, desks=x)  # 18 erlangs
    for metric in (m.prob_wait, m.prob_abandon, m.mean_wait, m.mean_wait_answered, m.prob_wait_exceeds(20.0)):
        assert np.all(np.diff(metric) < 0)
    assert np.all(np.diff(m.service_level(20.0)) > 0)
    c = ErlangC(arrival_rate=0.1, mean_service=180.0, desks=x[x > 18.0])
    assert np.all(np.diff(c.mean_wait) < 0) and np.all(np.diff(c.service_level(20.0)) > 0)


# (arrival_rate /s, mean_service s, mean_patience s, desks): fractional desks under, near and over load
A_CASES = [(1 / 30, 240.0, 300.0, 8.5), (0.05, 240.0, 300.0, 13.3), (0.1, 180.0, 60.0, 15.7),
           (0.02, 300.0, 900.0, 3.25), (1.0, 100.0, 1000.0, 90.5), (0.5, 200.0, 30.0, 60.4),
           (30.0, 100.0, 50.0, 2500.5)]


@pytest.mark.parametrize("case", A_CASES)
def test_erlang_a_matches_the_waiting_time_law_by_quadrature(case):
    lam, s, pat, n = case
    ts = (5.0, 30.0, 120.0)
    ref = erlang_a_law_mp(lam, s, pat, n, ts)
    m = ErlangA(arrival_rate=lam, mean_service=s, mean_patience=pat, desks=n)
    for name in ("prob_wait", "prob_abandon", "mean_wait", "mean_wait_answered", "mean_wait_abandoned"):
        assert float(getattr(m, name)) == pytest.approx(float(ref[name]), rel=1e-11), name
    np.testing.assert_allclose(m.prob_wait_exceeds(np.array(ts)), [float(v) for v in ref["prob_wait_exceeds"]],
                               rtol=1e-11)


def test_validation_of_desks():
    # a fraction of one desk: Erlang B (a loss formula) takes it, Erlang C and A refuse it
    assert float(erlang_b(0.5, 0.3)) == pytest.approx(float(1 / jagerman_inv_b_mp(0.5, 0.3)), rel=1e-12)
    msg = r"`desks` must be a number >= 1 \(fractions such as 7.5.*got 0.5. Fewer than one desk on duty"
    with pytest.raises(ModelInputError, match=msg):
        erlang_c(0.5, 0.1)
    with pytest.raises(ModelInputError, match=msg):
        ErlangC(arrival_rate=0.001, mean_service=100.0, desks=0.5)
    with pytest.raises(ModelInputError, match=msg):
        ErlangA(arrival_rate=0.001, mean_service=100.0, mean_patience=60.0, desks=0.5)
    with pytest.raises(ModelInputError, match=r"`desks` must be a number >= 0 .*got -0.5\.$"):
        erlang_b(-0.5, 1.0)
    with pytest.raises(ModelInputError, match=r"`desks` must be a number >= 1 .*got nan at index 1"):
        ErlangC(arrival_rate=0.001, mean_service=100.0, desks=[2.5, float("nan")])
    # one desk exactly is still M/M/1
    assert float(ErlangC(arrival_rate=0.005, mean_service=100.0, desks=1.0).prob_wait) == pytest.approx(0.5)
