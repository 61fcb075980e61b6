"""Long seeded runs against queueing theory, judged with confidence intervals (no retries).

Each replication is one long day of a stationary queue started empty; customers arriving in
the first hour are dropped (warm-up). With FCFS a customer's wait depends only on earlier
arrivals, so stopping arrivals at closing time biases nothing. The per-day means are
independent, so a Student-t interval over replications is valid; we use 99 %.
"""

import datetime as dt
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats
from sim_helpers import assert_little

from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario, simulate_day
from waitlab.sim._run import seed_sequences

WARMUP = 3600.0


def _scenario(rate_per_s: float, mean_service: float, desks: int, mean_patience: float | None) -> Scenario:
    return Scenario(
        site="Theory", channel="phone", date=dt.date(2024, 3, 4), start=dt.time(0), end=dt.time(23),
        interval=23 * 3600.0,
        queues=(QueueSpec(name="q", rates_per_hour=(rate_per_s * 3600,),
                          service=Distribution(dist="exponential", mean=mean_service),
                          patience=None if mean_patience is None else Distribution(dist="exponential",
                                                                                    mean=mean_patience)),),
        desks=(DeskGroup(name="d", serves=("q",), open=(desks,)),),
    )


def _daily(sc: Scenario, replications: int, seed: int, engine: str, check_little: bool = False):
    """Per-day mean wait, P(wait > 0) and P(abandon) of customers arriving after the warm-up."""
    rows = []
    for i, ss in enumerate(seed_sequences(seed, replications)):
        day = simulate_day(sc, np.random.default_rng(ss), engine=engine)
        if check_little and i < 2:
            assert_little(day.contacts)
        a, d = day.arrays, day.draws
        keep = d.arrival >= WARMUP
        left = np.where(np.isnan(a.called), a.ended, a.called)[keep]
        wait = left - d.arrival[keep]
        rows.append((wait.mean(), np.mean(wait > 0), np.mean(a.outcome[keep] == 1)))
    return np.array(rows)


def _ci99(x: np.ndarray) -> tuple[float, float]:
    half = stats.t.ppf(0.995, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    return x.mean() - half, x.mean() + half


def _erlang_c_exact(c: int, load: Fraction) -> Fraction:
    # C(c, a) = (a^c / c!) (c / (c - a)) / (sum_{k<c} a^k / k! + (a^c / c!) (c / (c - a))), exact in fractions
    top = load**c / math.factorial(c) * Fraction(c) / (c - load)
    return top / (sum(load**k / math.factorial(k) for k in range(c)) + top)


def _birth_death(lam: float, mu: float, theta: float, c: int, cap: int = 3000):
    """Stationary M/M/c+M by solving the birth-death chain numerically (independent of any formula).

    Returns P(wait > 0) (PASTA), P(abandon) = theta E[Q] / lam and E[W] = E[Q] / lam (Little;
    W ends at service or abandonment).
    """
    logp = np.zeros(cap + 1)
    for n in range(cap):
        death = min(n + 1, c) * mu + max(n + 1 - c, 0) * theta
        logp[n + 1] = logp[n] + math.log(lam / death)
    p = np.exp(logp - logp.max())
    p /= p.sum()
    q = np.maximum(np.arange(cap + 1) - c, 0)
    eq = float(np.sum(q * p))
    return float(p[c:].sum()), theta * eq / lam, eq / lam


def test_hand_values_of_the_references():
    # M/M/2 with a = 1: C = (1/2 * 2) / (1 + 1 + 1) = 1/3 (textbook); the birth-death chain with
    # a huge patience is the same queue.
    assert _erlang_c_exact(2, Fraction(1)) == Fraction(1, 3)
    pw, pab, _ = _birth_death(1.0, 1.0, 1e-9, 2)
    assert pw == pytest.approx(1 / 3, rel=1e-6) and pab < 1e-6


@pytest.mark.parametrize(("desks", "load"), [(10, 8.0), (3, 2.4)])
def test_mmc_mean_wait_and_prob_wait_match_erlang_c(desks, load):
    mean_service = 300.0
    lam = load / mean_service
    c = _erlang_c_exact(desks, Fraction(load).limit_denominator(1000))
    prob_wait = float(c)
    mean_wait = prob_wait / (desks / mean_service - lam)
    per_day = _daily(_scenario(lam, mean_service, desks, None), replications=200, seed=desks, engine="fast",
                     check_little=True)
    lo, hi = _ci99(per_day[:, 0])
    assert lo <= mean_wait <= hi, (lo, mean_wait, hi)
    lo, hi = _ci99(per_day[:, 1])
    assert lo <= prob_wait <= hi, (lo, prob_wait, hi)
    assert per_day[:, 2].max() == 0.0  # no patience, nobody leaves


def test_mmc_plus_m_abandonment_and_mean_wait_match_erlang_a():
    # critically loaded: load 10 on 10 agents; patience 600 s keeps the queue stable
    lam, mean_service, desks, patience = 10 / 300.0, 300.0, 10, 600.0
    pw, pab, ew = _birth_death(lam, 1 / mean_service, 1 / patience, desks)
    per_day = _daily(_scenario(lam, mean_service, desks, patience), replications=200, seed=17, engine="fast",
                     check_little=True)
    for col, theory in ((0, ew), (1, pw), (2, pab)):
        lo, hi = _ci99(per_day[:, col])
        assert lo <= theory <= hi, (col, lo, theory, hi)
    # the shared model, when present, agrees with the birth-death chain
    models = pytest.importorskip("waitlab.models")
    m = models.ErlangA(arrival_rate=lam, mean_service=mean_service, mean_patience=patience, desks=desks)
    assert float(m.prob_abandon) == pytest.approx(pab, rel=1e-6)
    assert float(m.mean_wait) == pytest.approx(ew, rel=1e-6)


def _routed_scenario(rate_per_s: float, mean_service: float, desks: int, mean_patience: float | None) -> Scenario:
    """The M/M/c(+M) queue split into two queues (40/60) with 30 % priority tickets and two desk
    groups that both serve both queues (overlapping ``serves``): the routed kernel's territory."""
    pat = None if mean_patience is None else Distribution(dist="exponential", mean=mean_patience)
    svc = Distribution(dist="exponential", mean=mean_service)
    return Scenario(
        site="Theory", channel="phone", date=dt.date(2024, 3, 4), start=dt.time(0), end=dt.time(23),
        interval=23 * 3600.0,
        queues=tuple(QueueSpec(name=n, rates_per_hour=(rate_per_s * 3600 * share,), service=svc, patience=pat,
                               priority_share=0.3) for n, share in (("a", 0.4), ("b", 0.6))),
        desks=(DeskGroup(name="g1", serves=("a", "b"), open=(desks - 4,)),
               DeskGroup(name="g2", serves=("b", "a"), open=(4,))),
    )


@pytest.mark.parametrize("engine", ["fast", pytest.param("simpy", marks=pytest.mark.slow)])
def test_priorities_and_shared_desks_keep_the_erlang_a_totals(engine):
    # Every customer needs the same exponential service and has the same exponential patience,
    # and every desk serves every queue, so the number in system is the M/M/c+M birth-death chain
    # whatever the order of calling (priority first, then longest wait): the totals P(wait > 0),
    # P(abandon) and E[wait] are Erlang A's, while the priority class waits less.
    lam, mean_service, desks, patience = 10 / 300.0, 300.0, 10, 600.0
    pw, pab, ew = _birth_death(lam, 1 / mean_service, 1 / patience, desks)
    sc = _routed_scenario(lam, mean_service, desks, patience)
    reps = 200 if engine == "fast" else 20
    per_day = _daily(sc, replications=reps, seed=23, engine=engine, check_little=True)
    for col, theory in ((0, ew), (1, pw), (2, pab)):
        lo, hi = _ci99(per_day[:, col])
        assert lo <= theory <= hi, (col, lo, theory, hi)
    day = simulate_day(sc, rng=1, engine=engine)
    wait = np.where(np.isnan(day.arrays.called), day.arrays.ended, day.arrays.called) - day.draws.arrival
    assert wait[day.draws.priority == 1].mean() < wait[day.draws.priority == 0].mean() / 2


@pytest.mark.slow
def test_simpy_engine_alone_matches_erlang_a_and_c():
    # the same checks through the general engine (slower), on fewer days
    lam, mean_service, desks, patience = 10 / 300.0, 300.0, 10, 600.0
    pw, pab, ew = _birth_death(lam, 1 / mean_service, 1 / patience, desks)
    per_day = _daily(_scenario(lam, mean_service, desks, patience), replications=20, seed=5, engine="simpy")
    for col, theory in ((0, ew), (1, pw), (2, pab)):
        lo, hi = _ci99(per_day[:, col])
        assert lo <= theory <= hi, (col, lo, theory, hi)
    lam = 8 / 300.0
    prob_wait = float(_erlang_c_exact(10, Fraction(8)))
    per_day = _daily(_scenario(lam, mean_service, desks, None), replications=20, seed=6, engine="simpy")
    lo, hi = _ci99(per_day[:, 0])
    assert lo <= prob_wait / (desks / mean_service - lam) <= hi
    lo, hi = _ci99(per_day[:, 1])
    assert lo <= prob_wait <= hi


def test_nonhomogeneous_arrivals_have_the_scheduled_counts():
    # Poisson counts per interval: mean = rate x length; 200 days, 99 % CI per interval
    sc = Scenario(site="T", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(12), interval=1800.0,
                  queues=(QueueSpec(name="q", rates_per_hour=(10.0, 60.0, 0.0, 120.0),
                                    service=Distribution(dist="deterministic", mean=1.0)),),
                  desks=(DeskGroup(name="d", serves=("q",), open=(1, 1, 1, 1)),))
    rng = np.random.default_rng(99)
    counts = np.array([np.histogram(sc.draw(rng).arrival, bins=np.arange(5) * 1800.0)[0] for _ in range(200)])
    expected = np.array([5.0, 30.0, 0.0, 60.0])
    for k in range(4):
        if expected[k] == 0:
            assert counts[:, k].max() == 0
            continue
        lo, hi = _ci99(counts[:, k].astype(float))
        assert lo <= expected[k] <= hi
