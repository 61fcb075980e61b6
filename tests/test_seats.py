"""The one ``Seats`` type: exported, and a mapping site -> count accepted wherever seats are."""

import typing

import numpy as np
import pytest

import waitlab
import waitlab.compliance
from waitlab.exceptions import ArgumentError
from waitlab.planning import plan_scenario, scenario_evaluator
from waitlab.sim import Scenario, example_path, replay, run

SITE = "Sucursal Palermo (CABA)"  # the site of the bundled branch scenario


def test_seats_is_exported_from_waitlab_and_compliance():
    assert waitlab.Seats is waitlab.compliance.Seats
    assert "Seats" in waitlab.__all__ and "Seats" in waitlab.compliance.__all__
    assert "Seats" in waitlab.__doc__ and "Seats" in waitlab.compliance.__doc__
    assert set(typing.get_args(waitlab.Seats)) >= {int, type(None)}


def test_functions_that_take_seats_annotate_them_with_seats():
    from waitlab.planning import plan_groups
    from waitlab.report import write_report
    from waitlab.sim import sweep

    for func in (run, sweep, replay, plan_scenario, plan_groups, scenario_evaluator, write_report,
                 waitlab.check_compliance, waitlab.compliance.standing_times):
        assert typing.get_type_hints(func)["seats"] == waitlab.Seats, func.__qualname__


def _standing(seats):
    sc = Scenario.from_toml(example_path("branch"))
    ev = scenario_evaluator(sc, 3, group="caja", seats=seats)
    days = ev(np.asarray(next(g.open for g in sc.desks if g.name == "caja")), 5)
    return days.standing


def test_planner_reads_a_mapping_at_the_scenario_site():
    # a branch day with 4 seats: some customers stand (the count matters) ...
    four = _standing(4)
    assert four is not None and four.sum() > 0
    assert np.array_equal(_standing({SITE: 4, "elsewhere": 50}), four)
    assert not np.array_equal(_standing(40), four)
    # ... and a mapping whose value is None is the unknown count (every second of waiting stands)
    assert _standing({SITE: None}) is None and _standing(None) is None


def test_planner_refuses_a_mapping_without_the_scenario_site():
    with pytest.raises(ArgumentError, match=r"^`seats` has no entry for the scenario's site 'Sucursal Palermo "
                                            r"\(CABA\)' \(it has \['Palermo'\]\); add one, e\.g\. seats="):
        plan_scenario(example_path("branch"), group="caja", replications=2, rng=1, seats={"Palermo": 10})


def test_simulation_accepts_a_mapping():
    sc = Scenario.from_toml(example_path("branch")).with_desks("caja", counts=2)  # long waits: people stand
    a = run(sc, 2, rng=3, processes=1, rules="CABA", seats=4)
    b = run(sc, 2, rng=3, processes=1, rules="CABA", seats={SITE: 4})
    c = run(sc, 2, rng=3, processes=1, rules="CABA", seats=None)
    assert a.per_replication.equals(b.per_replication)
    # and the seats count: with 4 seats fewer customers stand too long than when every second stands
    assert (a.per_replication["breaching_share"] < c.per_replication["breaching_share"]).all()
