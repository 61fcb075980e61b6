"""The iterative staffing search against stub evaluators whose answer is known exactly.

The stub treats every interval as a stationary M/M/c queue and hands back customers whose
waits are stratified quantiles of the exact Erlang-C wait distribution, so each interval's
figure is exact to 1/N. The search sees only those samples; the right answer (the fewest
desks per interval meeting the target) is found here by a brute-force loop over c.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from waitlab.exceptions import TargetError
from waitlab.planning import PlanningError, SimulatedDays, Target, assess, plan_staffing

MU = 1 / 300.0  # service rate, per second (5-minute services)
INTERVAL = 1800.0
LAM = np.array([0.01, 0.02, 0.05, 0.08, 0.06, 0.03, 0.015])  # arrivals per second
PER_INTERVAL = 400  # customers per interval per day in the stub
R = 10


def erlang_c(c: int, a: float) -> float:
    if c <= a:
        return 1.0
    term, total = 1.0, 1.0
    for k in range(1, c):
        term *= a / k
        total += term
    top = term * a / c * c / (c - a)
    return top / (total + top)


def p_wait_over(c: int, lam: float, t: float) -> float:
    a = lam / MU
    if c <= a:
        return 1.0
    return erlang_c(c, a) * math.exp(-(c * MU - lam) * t)


def stub(desks: np.ndarray, seed: int) -> SimulatedDays:
    rng = np.random.default_rng(seed)
    n = PER_INTERVAL * R
    u = (np.arange(n) + 0.5) / n
    reps, arr, wait = [], [], []
    for i, (c, lam) in enumerate(zip(desks, LAM, strict=True)):
        a = lam / MU
        w = np.full(n, 1e9)
        if c > a:
            pw = erlang_c(int(c), a)
            tail = u > 1 - pw
            w = np.zeros(n)
            w[tail] = -np.log((1 - u[tail]) / pw) / (c * MU - lam)
        reps.append(rng.permutation(np.repeat(np.arange(R), PER_INTERVAL)))
        arr.append(i * INTERVAL + rng.uniform(0, INTERVAL, n))
        wait.append(w)
    return SimulatedDays(replication=np.concatenate(reps), arrival=np.concatenate(arr), wait=np.concatenate(wait),
                         abandoned=np.zeros(n * len(LAM), dtype=bool), replications=R)


LIMIT, BOUND = 60.0, 0.2


def brute_force_minimum() -> np.ndarray:
    out = []
    for lam in LAM:
        c = 1
        while p_wait_over(c, lam, LIMIT) > BOUND:
            c += 1
        # the stub's estimate is exact to 1/N: make sure no interval sits on the bound
        assert abs(p_wait_over(c, lam, LIMIT) - BOUND) > 5 / (PER_INTERVAL * R)
        assert abs(p_wait_over(c - 1, lam, LIMIT) - BOUND) > 5 / (PER_INTERVAL * R) or c == 1
        out.append(c)
    return np.array(out)


@pytest.mark.parametrize("offset", [-6, 0, 3])
def test_search_reaches_the_brute_force_minimum_from_below_and_above(offset):
    best = brute_force_minimum()
    start = np.maximum(best + offset, 1)
    plan = plan_staffing(stub, start, [Target.wait_exceeds(LIMIT, BOUND)], interval=INTERVAL, rng=1,
                         spare=1.0, max_iterations=80)
    assert plan.converged, plan.message
    np.testing.assert_array_equal(plan.desks, best)
    assert plan.assessment.holds
    log = plan.log
    assert log["phase"].iloc[-1] == "verify"
    if offset < 0:
        assert (log["phase"] == "raise").sum() > 1
    if offset > 0:
        assert (~log["accepted"]).any() or (log["phase"] == "trim").any()


def test_default_spare_gives_a_feasible_plan_not_below_the_minimum():
    best = brute_force_minimum()
    plan = plan_staffing(stub, best + 2, [Target.wait_exceeds(LIMIT, BOUND)], interval=INTERVAL, rng=2)
    assert plan.converged
    assert np.all(plan.desks >= best)
    assert plan.assessment.holds
    table = plan.table()
    assert {"initial", "desks", "share_wait_over_1min", "share_wait_over_1min_ci_high"} <= set(table.columns)
    assert "holds everywhere" in str(plan)


def test_day_target_adds_desks_where_its_breaches_arrive():
    # per-day pooled share of waits over 60 s <= 5 %: the stub has no per-interval target, so the
    # search must put desks where the breaches come from until the day-level figure holds
    best = brute_force_minimum()
    target = Target.wait_exceeds(LIMIT, 0.05, per="day")
    plan = plan_staffing(stub, best, [target], interval=INTERVAL, rng=3, max_iterations=80)
    day = plan.day_table()
    assert bool(day["holds"].iloc[0])
    # independent check of the day figure: exact pooled share from the Erlang-C formula
    share = sum(p_wait_over(int(c), lam, LIMIT) for c, lam in zip(plan.desks, LAM, strict=True)) / len(LAM)
    assert share <= 0.05 + 5 / (PER_INTERVAL * R * len(LAM))
    assert day["estimate"].iloc[0] == pytest.approx(share, abs=2e-3)


def test_unreachable_target_is_reported():
    with pytest.raises(PlanningError, match=r"cannot be met: they still fail at .*max_desks"):
        plan_staffing(stub, np.full(len(LAM), 2), [Target.wait_exceeds(LIMIT, BOUND)], interval=INTERVAL,
                      max_desks=3)


def test_assess_confidence_intervals_cover_known_share():
    # hand-built days: 3 days, interval 0 has 10 customers a day of whom exactly 2 wait > 60 s
    rep = np.repeat(np.arange(3), 10)
    wait = np.tile([0.0] * 8 + [61.0, 100.0], 3)
    days = SimulatedDays(replication=rep, arrival=np.tile(np.linspace(0, 100, 10), 3), wait=wait,
                         abandoned=np.zeros(30, dtype=bool), replications=3)
    a = assess(days, [Target.wait_exceeds(60.0, 0.1), Target.day_any_wait_exceeds(90.0, 0.5),
                      Target.mean_wait(30.0)], n_intervals=2, interval=900.0)
    share, anyday, mean = a.figures
    assert share.estimate[0] == pytest.approx(0.2)
    assert np.isnan(share.estimate[1]) and share.holds[1]  # no customer in interval 1
    assert share.ci_low[0] < 0.2 < share.ci_high[0]
    assert not share.holds[0]
    assert anyday.estimate[0] == 1.0  # every day has a 100 s wait
    assert mean.estimate[0] == pytest.approx(161 / 10)
    assert mean.ci_low[0] == pytest.approx(16.1) and mean.ci_high[0] == pytest.approx(16.1)  # identical days


def test_bad_arguments():
    with pytest.raises(PlanningError, match="`targets` is empty"):
        plan_staffing(stub, [1] * 7, [], interval=INTERVAL)
    with pytest.raises(PlanningError, match="`initial` must hold integers"):
        plan_staffing(stub, [1.5] * 7, [Target.mean_wait(10.0)], interval=INTERVAL)
    with pytest.raises(TargetError, match=r"`bound` must be a share in \(0, 1\)"):  # Target moved below planning
        Target.wait_exceeds(60.0, 5.0)
