"""Mean wait of answered and of abandoning calls (Erlang A), against independent references.

* the tagged customer's absorbing chain solved by linear algebra (`erlang_a_split_ctmc`);
* Mandelbaum and Zeltyn's waiting-time law by mpmath quadrature (`erlang_a_law_mp`);
* the fast simulator on an M/M/n+M day, fixed seeds, 99 % confidence intervals.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from models_reference import erlang_a_law_mp, erlang_a_split_ctmc
from scipy import stats

from waitlab import Target
from waitlab.models import ErlangA, ErlangC, staffing_plan

CASES = [(0.05, 240.0, 300.0, 14), (1.0, 1.0, 1.0, 1), (10.0, 1.0, 0.1, 5), (2.0, 100.0, 50.0, 150),
         (0.1, 180.0, 60.0, 15), (0.02, 300.0, 3000.0, 4)]


@pytest.mark.parametrize("case", CASES)
def test_answered_and_abandoned_waits_match_the_tagged_customer_chain(case):
    lam, s, pat, n = case
    ref = erlang_a_split_ctmc(lam, s, pat, n)
    m = ErlangA(arrival_rate=lam, mean_service=s, mean_patience=pat, desks=n)
    assert float(m.mean_wait_answered) == pytest.approx(ref["mean_wait_answered"], rel=1e-9)
    assert float(m.mean_wait_abandoned) == pytest.approx(ref["mean_wait_abandoned"], rel=1e-9)


@pytest.mark.parametrize("case", CASES[:3])
def test_answered_and_abandoned_waits_match_the_waiting_time_law(case):
    lam, s, pat, n = case
    ref = erlang_a_law_mp(lam, s, pat, n)
    m = ErlangA(arrival_rate=lam, mean_service=s, mean_patience=pat, desks=n)
    assert float(m.mean_wait_answered) == pytest.approx(float(ref["mean_wait_answered"]), rel=1e-11)
    assert float(m.mean_wait_abandoned) == pytest.approx(float(ref["mean_wait_abandoned"]), rel=1e-11)


def test_the_two_waits_add_up_to_the_mean_wait_and_limits():
    m = ErlangA(arrival_rate=[0.0, 0.05, 0.2], mean_service=240.0, mean_patience=300.0, desks=14)
    pab = m.prob_abandon
    np.testing.assert_allclose((1 - pab) * m.mean_wait_answered + pab * m.mean_wait_abandoned, m.mean_wait,
                               rtol=1e-12)
    # no arrivals: nobody waits; an abandoner would find nobody ahead, so waits 1 / (theta + n mu)
    assert m.mean_wait_answered[0] == 0.0
    assert m.mean_wait_abandoned[0] == pytest.approx(1 / (1 / 300.0 + 14 / 240.0), rel=1e-14)
    # very patient callers: Erlang C's wait; every caller is answered
    lam, s, n = 0.05, 240.0, 14
    c = ErlangC(arrival_rate=lam, mean_service=s, desks=n)
    a = ErlangA(arrival_rate=lam, mean_service=s, mean_patience=1e11, desks=n)  # abandonment shifts it by ~2e-8
    assert float(a.mean_wait_answered) == pytest.approx(float(c.mean_wait), rel=1e-6)
    assert float(c.mean_wait_answered) == float(c.mean_wait) and np.isnan(c.mean_wait_abandoned)
    # huge and overloaded inputs stay finite and ordered (abandoners leave before the answered are served
    # only on average when patience is short; both are positive and below the mean patience bound)
    big = ErlangA(arrival_rate=[50.0, 500.0], mean_service=100.0, mean_patience=300.0, desks=[100_000, 20_000])
    assert np.all(np.isfinite(big.mean_wait_answered)) and np.all(big.mean_wait_abandoned > 0)
    assert np.all(big.mean_wait_abandoned < 300.0)


def _scenario(rate_per_s: float, mean_service: float, desks: int, mean_patience: float):
    from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario

    return Scenario(
        site="Theory", channel="phone", date=dt.date(2024, 3, 4), start=dt.time(0), end=dt.time(23),
        interval=23 * 3600.0,
        queues=(QueueSpec(name="q", rates_per_hour=(rate_per_s * 3600,),
                          service=Distribution(dist="exponential", mean=mean_service),
                          patience=Distribution(dist="exponential", mean=mean_patience)),),
        desks=(DeskGroup(name="d", serves=("q",), open=(desks,)),),
    )


def _ratio_ci99(num: np.ndarray, den: np.ndarray) -> tuple[float, float]:
    """99 % interval of sum(num) / sum(den) over independent days (delta method on the ratio)."""
    r = num.sum() / den.sum()
    resid = num - r * den
    half = stats.t.ppf(0.995, num.size - 1) * resid.std(ddof=1) * math.sqrt(num.size) / den.sum()
    return r - half, r + half


@pytest.mark.parametrize(("desks", "patience"), [(10, 600.0), (9, 120.0)])
def test_waits_match_the_simulator(desks, patience):
    """Days of 23 h of M/M/n+M (load 10 erlangs), first hour dropped; each check fails by chance with p 0.01."""
    from waitlab.sim import simulate_day
    from waitlab.sim._run import seed_sequences

    lam, s = 10 / 300.0, 300.0
    sc = _scenario(lam, s, desks, patience)
    sums = []
    for ss in seed_sequences(desks, 120):
        day = simulate_day(sc, np.random.default_rng(ss), engine="fast")
        a, d = day.arrays, day.draws
        keep = d.arrival >= 3600.0
        ab = (a.outcome == 1)[keep]
        wait = (np.where(np.isnan(a.called), a.ended, a.called) - d.arrival)[keep]
        sums.append((wait[~ab].sum(), (~ab).sum(), wait[ab].sum(), ab.sum(), (wait > 0).sum(), wait.size))
    t = np.array(sums, dtype=float)
    m = ErlangA(arrival_rate=lam, mean_service=s, mean_patience=patience, desks=desks)
    for (num, den), theory in (((0, 1), m.mean_wait_answered), ((2, 3), m.mean_wait_abandoned),
                               ((4, 5), m.prob_wait)):
        lo, hi = _ratio_ci99(t[:, num], t[:, den])
        assert lo <= float(theory) <= hi, (num, lo, float(theory), hi)


def test_staffing_plan_reports_the_answered_asa():
    calls, aht = np.array([100.0, 400.0, 0.0]), np.array([180.0, 240.0, np.nan])
    plan = staffing_plan(calls, aht, 1800, targets=Target.service_level(20.0, 0.8), mean_patience=300.0)
    m = ErlangA(arrival_rate=calls[:2] / 1800, mean_service=aht[:2], mean_patience=300.0,
                desks=plan["desks"].to_numpy()[:2])
    np.testing.assert_allclose(plan["asa_answered"].to_numpy()[:2], m.mean_wait_answered, rtol=1e-14)
    assert plan["asa_answered"].iloc[2] == 0.0
    plain = staffing_plan(calls, aht, 1800, targets=Target.service_level(20.0, 0.8))
    np.testing.assert_array_equal(plain["asa_answered"], plain["asa"])
