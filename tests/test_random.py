"""Randomness follows one convention, scipy's ``rng=`` (a Generator, a seed or None).

The regression values below were recorded from the code *before* the ``seed`` -> ``rng``
rename (``run(..., seed=1)``, ``plan_scenario(..., seed=4)`` ...): an integer ``rng`` must
reproduce them exactly, so the rename changed no result.
"""

import inspect

import numpy as np
import pytest

from waitlab._random import root_seed
from waitlab.exceptions import ArgumentError
from waitlab.planning import cost_curve, plan_groups, plan_scenario, plan_staffing
from waitlab.sim import Scenario, draw, example_path, run, simulate_day, sweep

PUBLIC = [run, sweep, plan_scenario, plan_groups, plan_staffing, cost_curve, simulate_day, draw, Scenario.draw]


@pytest.mark.parametrize("func", PUBLIC, ids=lambda f: f.__qualname__)
def test_every_public_function_takes_rng_and_not_seed(func):
    params = inspect.signature(func).parameters
    assert "rng" in params and "seed" not in params
    assert params["rng"].default is None


def test_an_integer_rng_repeats_what_seed_gave_before_the_rename():
    # recorded with run(mmc, 4, seed=1, processes=1) before the change
    res = run(example_path("mmc"), 4, rng=1, processes=1)
    assert res.seed == 1
    got = res.summary["mean"]
    assert got["arrivals"] == 6466.25 and got["served"] == 6320.5
    assert got["wait_mean"] == pytest.approx(13.940465876152508, rel=1e-12)
    assert got["wait_p90"] == pytest.approx(50.08425300055, rel=1e-12)
    assert got["desks_busy"] == pytest.approx(42.385509354792106, rel=1e-12)
    assert got["overrun_s"] == pytest.approx(1509.530423543687, rel=1e-12)
    # sweep(seed=5) before the change
    sw = sweep([example_path("mmc")], 3, rng=5, processes=1).runs[0].summary["mean"]
    assert sw["arrivals"] == pytest.approx(6339.666666666667, rel=1e-12)
    assert sw["wait_mean"] == pytest.approx(11.519666674457676, rel=1e-12)


def test_planning_with_an_integer_rng_repeats_what_seed_gave_before_the_rename():
    p = plan_scenario(example_path("branch"), group="caja", replications=10, max_iterations=20, rng=4)
    assert p.seed == 4
    assert p.plan.desks.tolist() == [5, 6, 6, 6, 6, 6, 6, 5, 4, 3]
    assert p.curve is not None
    assert p.curve.table["mean_wait_s"].tolist() == pytest.approx(
        [1620.8986385824005, 1406.1088202513179, 1152.0676091890114, 919.341018948909, 743.0636062060619,
         554.0035698551641, 403.03348551430895, 310.40345881236954, 181.42230370879008, 28.82982105243169],
        rel=1e-12)
    bp = plan_groups(example_path("branch"), replications=10, curve=False, max_iterations=20, rng=4)
    assert bp.seed == 4
    assert {r.group: r.plan.desks.tolist() for r in bp.results} == {
        "caja": [5, 6, 6, 6, 6, 6, 6, 5, 5, 3], "jubilados": [1] * 10, "comercial": [2, 3, 4, 5, 4, 6, 5, 6, 4, 3]}


def test_seed_sequence_generator_and_none():
    sc = Scenario.from_toml(example_path("mmc"))

    def days(rng):
        res = run(sc, 2, rng=rng, processes=1)
        return res, res.per_replication.drop(columns="replication").to_numpy()

    # a root SeedSequence is its entropy: the same days as the integer
    assert np.array_equal(days(np.random.SeedSequence(1))[1], days(1)[1])
    # a Generator: one in the same state gives the same run, and the recorded seed repeats it
    a, da = days(np.random.default_rng(2024))
    b, db = days(np.random.default_rng(2024))
    assert a.seed == b.seed and np.array_equal(da, db)
    assert np.array_equal(days(a.seed)[1], da)
    # the generator advances: a second run from it draws another root seed
    g = np.random.default_rng(2024)
    assert days(g)[0].seed != days(g)[0].seed
    # None: fresh entropy, recorded so it can be repeated
    c, dc = days(None)
    assert c.seed >= 2**64 and np.array_equal(days(c.seed)[1], dc)


def test_root_seed_of_each_kind():
    assert root_seed(7) == 7 and root_seed(np.uint32(7)) == 7
    assert root_seed(np.random.SeedSequence(7)) == 7
    # a spawned child is not its parent's entropy: 128 bits of its own state
    child = np.random.SeedSequence(7).spawn(1)[0]
    words = child.generate_state(4, np.uint32)
    assert root_seed(child) == sum(int(w) << (32 * i) for i, w in enumerate(words))
    assert root_seed(child) != 7


@pytest.mark.parametrize("bad", [-1, True, 1.5, "1", np.random.RandomState(1)])
def test_bad_rng_is_one_clear_argument_error(bad):
    with pytest.raises(ArgumentError, match=r"^`rng` must be .*; pass e\.g\. rng=1\.$"):
        run(example_path("mmc"), 2, rng=bad, processes=1)


def test_bad_rng_refused_by_planning_before_simulating():
    with pytest.raises(ArgumentError, match="`rng` must be"):
        plan_scenario(example_path("branch"), group="caja", replications=10, rng=-3)
    with pytest.raises(ArgumentError, match="`rng` must be"):
        sweep([example_path("mmc")], 2, rng="x", processes=1)
