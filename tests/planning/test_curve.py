"""The cost and benefit curve: nested budgets, and breaches that fall as the budget grows."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_sim_planning import N, peak_scenario

from waitlab.planning import (
    PlanningError,
    cost_curve,
    nested_allocations,
    scenario_evaluator,
    targets_from_rules,
)


def test_nested_allocations_hit_each_total_and_only_grow():
    shape = np.array([2, 2, 5, 9, 9, 4, 2, 0])
    totals = [10, 33, 20, 45, 60]
    out = nested_allocations(shape, totals, minimum=1)
    for t, a in zip(totals, out, strict=True):
        assert a.sum() == t and np.all(a >= 1) and a.dtype.kind == "i"
    by_total = sorted(zip(totals, out, strict=True), key=lambda ta: ta[0])
    for (_, a), (_, b) in itertools.pairwise(by_total):
        assert np.all(b >= a)  # a larger budget never takes a desk away
    assert np.array_equal(nested_allocations(shape[:-1], [int(shape.sum())])[0], shape[:-1])
    # Webster's method on a hand case: weights 1 : 3, 4 seats -> 1 and 3
    assert list(nested_allocations([1, 3], [4])[0]) == [1, 3]
    with pytest.raises(PlanningError, match="minimum"):
        nested_allocations(shape, [5], minimum=1)


@pytest.fixture(scope="module")
def curve():
    sc = peak_scenario()
    targets = targets_from_rules("CABA")
    ev = scenario_evaluator(sc, 100)
    reference = np.array([5] * 8 + [14] * 4 + [9] * 4 + [5] * 8)
    assert reference.size == N
    return cost_curve(ev, reference, targets, interval=ev.interval, rng=5,
                      scales=(0.8, 0.9, 1.0, 1.1, 1.25))


def test_curve_rows_follow_the_budgets(curve):
    t = curve.table.sort_values("desk_hours")
    assert t["desk_hours"].is_monotonic_increasing and len(t) == 5
    for label, plan in curve.plans.items():
        row = curve.table.set_index("label").loc[label]
        assert row["desk_hours"] == pytest.approx(plan.sum() * 0.25)  # 15-minute intervals


def test_breaches_and_waits_fall_as_the_budget_grows_within_their_intervals(curve):
    t = curve.table.sort_values("desk_hours").reset_index(drop=True)
    cols = [c for c in t.columns if c.startswith(("share_", "breaches_per_day_")) and not c.endswith(("_ci_low",
                                                                                                      "_ci_high"))]
    cols.append("mean_wait_s")
    for col in cols:
        for i in range(len(t) - 1):
            # the same customers every point (common random numbers): more desks, never significantly worse
            assert t.loc[i + 1, col] <= t.loc[i, f"{col}_ci_high"] + 1e-12, (col, i)
    # and over the whole range the effect is real: the smallest budget waits longest, clearly
    assert t.loc[0, "mean_wait_s_ci_low"] > t.loc[len(t) - 1, "mean_wait_s_ci_high"]
