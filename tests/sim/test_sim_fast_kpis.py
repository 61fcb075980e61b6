"""The fast path from arrays to KPIs and limits equals the contacts route (summary_by, check_compliance)."""

from __future__ import annotations

import numpy as np
import pytest

from waitlab.compliance import load_rules
from waitlab.sim import Scenario, example_path, simulate_day
from waitlab.sim._day import stack_contacts
from waitlab.sim._fast_kpis import FAST_KPIS, fast_breaches, fast_kpis
from waitlab.sim._kpis import days_breaches, days_kpis


@pytest.mark.parametrize("name", ["branch", "mmc", "branch12h"])
@pytest.mark.parametrize("seed", [0, 7])
def test_fast_kpis_equal_contacts_route(name: str, seed: int) -> None:
    sc = Scenario.from_toml(example_path(name))
    days = [simulate_day(sc, rng=seed * 100 + k) for k in range(4)]
    slow = days_kpis(days, sl_threshold=30.0)
    fast = fast_kpis(days, sl_threshold=30.0)
    for s, f in zip(slow, fast, strict=True):
        for k in FAST_KPIS:
            assert (np.isnan(s[k]) and np.isnan(f[k])) or s[k] == f[k], (name, k, s[k], f[k])


@pytest.mark.parametrize("name", ["branch", "mmc", "branch12h"])
@pytest.mark.parametrize("rules", ["CABA", "limit15"])
def test_fast_breaches_equal_compliance(name: str, rules: str) -> None:
    sc = Scenario.from_toml(example_path(name))
    days = [simulate_day(sc, rng=k) for k in range(4)]
    ruleset = load_rules(rules)
    assert fast_breaches(days, ruleset) == days_breaches(stack_contacts(days), ruleset, None)


def test_turn_order_counts_an_overtaking_ticket() -> None:
    """Call one ticket 1 s before the previous ticket of its queue and class: one overtaking ticket."""
    sc = Scenario.from_toml(example_path("branch"))
    day = simulate_day(sc, rng=3)
    a = day.arrays
    q, p = day.draws.queue, day.draws.priority
    idx = np.flatnonzero((q == 0) & (p == 0) & ~np.isnan(a.called))
    arr = day.draws.arrival
    k = next(k for k in range(len(idx) - 1) if arr[idx[k]] < arr[idx[k + 1]] < a.called[idx[k]] - 1)
    i, j = idx[k], idx[k + 1]
    a.called[j] = a.called[i] - 1.0  # j, issued after i, is now called 1 s before i (and still before it starts)
    day._cache.clear()
    ruleset = load_rules("CABA")
    fast = fast_breaches([day], ruleset)[0]
    assert fast["turn_order_violations"] == 1.0
    assert fast == days_breaches(stack_contacts([day]), ruleset, None)[0]


@pytest.mark.parametrize("rules", ["CABA", "standing45_seated60"])
@pytest.mark.parametrize("seats", [0, 3, 25, {"other site": 4}])
def test_fast_breaches_with_seats_equal_compliance(rules: str, seats: object) -> None:
    sc = Scenario.from_toml(example_path("branch"))
    days = [simulate_day(sc, rng=k) for k in range(3)]
    ruleset = load_rules(rules)
    assert fast_breaches(days, ruleset, seats) == days_breaches(stack_contacts(days), ruleset, seats)


def test_compiled_sums_seconds_and_quantiles_equal_numpy_and_pandas():
    """The arithmetic the compiled measures reproduce: numpy's pairwise sum, pandas' seconds and group quantile."""
    import pandas as pd

    from waitlab.sim._fast_judge import _pairwise, _quantile, _seconds, _select

    rng = np.random.default_rng(3)
    for n in [*range(0, 300), 1000, 4099, 100_003]:
        x = rng.exponential(1.0, n) * 10.0 ** rng.uniform(-3, 5, n)
        assert _pairwise(x, 0, n) == x.sum()
        assert n < 9 or _pairwise(x, 5, n - 5) == x[5:].sum()
    ns = np.concatenate([rng.integers(-(10**15), 10**15, 5000), [0, 1, -1, 10**9 - 1, -(10**9) + 1, 2**53, -(2**53)]])
    want = np.asarray(pd.TimedeltaIndex(ns.view("m8[ns]")).total_seconds())
    np.testing.assert_array_equal(np.array([_seconds(v) for v in ns]), want)
    for _ in range(300):
        n = int(rng.integers(1, 80))
        w = np.where(rng.random(n) < 0.4, 0.0, np.round(rng.exponential(100, n), int(rng.integers(0, 3))))
        ref = pd.Series(w).groupby(np.zeros(n, int)).quantile([0.5, 0.9, 0.95]).to_numpy()
        zeros = int((w == 0).sum())
        v = _select(w[w != 0], n, zeros)
        assert [_quantile(v, zeros, q) for q in (0.5, 0.9, 0.95)] == ref.tolist()
