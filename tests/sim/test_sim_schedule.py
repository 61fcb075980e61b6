"""Schedule edits (``Scenario.with_desks``) and desk-hours, against schedules worked out by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from waitlab.exceptions import ScenarioError
from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario, run, simulate_day


def _day() -> Scenario:
    # 10:00-12:00 in four 30-min intervals; cajas and a box both serve the one queue
    return Scenario(
        site="S", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(12), interval=1800.0,
        queues=(QueueSpec(name="caja", rates_per_hour=(20, 30, 30, 20),
                          service=Distribution(dist="exponential", mean=240.0)),
                QueueSpec(name="otra", rates_per_hour=(5, 5, 5, 5),
                          service=Distribution(dist="exponential", mean=240.0)),),
        desks=(DeskGroup(name="caja", serves=("caja",), open=(2, 3, 3, 2)),
               DeskGroup(name="box", serves=("caja", "otra"), open=(1, 1, 1, 1))),
        source="day.toml",
    )


def _open(sc: Scenario, group: str) -> tuple[int, ...]:
    return next(g.open for g in sc.desks if g.name == group)


def test_set_counts_for_the_day_or_a_window():
    sc = _day()
    assert _open(sc.with_desks("caja", [4, 4, 5, 1]), "caja") == (4, 4, 5, 1)
    assert _open(sc.with_desks("caja", 6), "caja") == (6, 6, 6, 6)
    # from 11:00 on: the last two intervals
    assert _open(sc.with_desks("caja", 4, start="11:00"), "caja") == (2, 3, 4, 4)
    # 10:30-11:30 given one count per interval of the window
    assert _open(sc.with_desks("caja", [7, 8], start=dt.time(10, 30), end="11:30"), "caja") == (2, 7, 8, 2)
    # the other group and the rest of the scenario are untouched
    edited = sc.with_desks("caja", 6)
    assert _open(edited, "box") == (1, 1, 1, 1)
    assert edited.queues == sc.queues and edited.name == sc.name and edited.source == "day.toml"
    assert sc.with_desks("caja", 6, name="six cajas").name == "six cajas"


def test_add_or_remove_desks_never_below_zero():
    sc = _day()
    assert _open(sc.with_desks("caja", change=2), "caja") == (4, 5, 5, 4)
    assert _open(sc.with_desks("caja", change=2, start="10:30", end="11:30"), "caja") == (2, 5, 5, 2)
    # the lunch edit of the demo: +2 from 11:00 to closing
    assert _open(sc.with_desks("caja", change=2, start="11:00", end="12:00"), "caja") == (2, 3, 5, 4)
    assert _open(sc.with_desks("caja", change=-3), "caja") == (0, 0, 0, 0)  # the box still serves the queue
    assert _open(sc.with_desks("box", change=-1, end="11:00"), "box") == (0, 0, 1, 1)


def test_desk_hours_hand_computed():
    sc = _day()
    # cajas (2 + 3 + 3 + 2) x 0.5 h = 5 h; box 4 x 0.5 h = 2 h
    assert sc.desk_hours("caja") == 5.0
    assert sc.desk_hours("box") == 2.0
    assert sc.desk_hours() == 7.0
    assert sc.with_desks("caja", change=2, start="11:00").desk_hours() == 7.0 + 2 * 2 * 0.5


def test_desk_hours_is_a_kpi_of_the_simulated_day():
    sc = dataclasses.replace(_day(), interval=900.0, desks=(
        DeskGroup(name="caja", serves=("caja",), open=(1, 1, 2, 2, 3, 3, 3, 3)),
        DeskGroup(name="box", serves=("caja", "otra"), open=(0, 0, 0, 0, 1, 1, 1, 1))),
        queues=tuple(dataclasses.replace(q, rates_per_hour=(10,) * 8) for q in _day().queues))
    # (1+1+2+2+3+3+3+3) + 4 = 22 desk-intervals of 15 min = 5.5 h, whatever the customers do
    assert simulate_day(sc, rng=1).kpis()["desk_hours"] == 5.5
    result = run(sc, replications=3, rng=2, processes=1)
    assert result.per_replication["desk_hours"].tolist() == [5.5, 5.5, 5.5]
    assert result.summary.loc["desk_hours", "mean"] == 5.5


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    (("cajas", 1), {}, "there is no desk group 'cajas'; the groups are caja, box."),
    (("caja",), {}, "give exactly one of `counts` and `change`"),
    (("caja", 1), {"change": 1}, "give exactly one of `counts` and `change`"),
    (("caja", [1, 2]), {}, "`counts` has 2 value(s) but 10:00-12:00 has 4 interval(s); give one count per "
                           "30-min interval."),
    (("caja", [1, 2, 3]), {"start": "11:00"}, "`counts` has 3 value(s) but 11:00-12:00 has 2 interval(s)"),
    (("caja", [1, -1, 2, 2]), {}, "desks 'caja': the count for 10:30 is -1; use whole numbers of desks >= 0."),
    (("caja", 2.5), {}, "the count for 10:00 is 2.5"),
    (("caja", "3"), {}, "`counts` must be a count or a list of counts, got '3'"),
    (("caja",), {"change": 1.5}, "`change` must be a whole number of desks, got 1.5"),
    (("caja", 1), {"start": "10:15"}, "`start` '10:15' is not an interval start; interval starts are "
                                      "10:00, 10:30, 11:00, 11:30."),
    (("caja", 1), {"end": "10:00"}, "`end` '10:00' is not an interval end; interval ends are "
                                    "10:30, 11:00, 11:30, 12:00."),
    (("caja", 1), {"start": "11:00", "end": "10:30"}, "`end` 10:30 is not after `start` 11:00"),
    (("caja", 1), {"start": "noon"}, "`start` 'noon' is not a time of day; write it as \"HH:MM\""),
])
def test_bad_edits_are_refused_in_one_sentence(args, kwargs, message):
    with pytest.raises(ScenarioError, match=re.escape(message)) as info:
        _day().with_desks(*args, **kwargs)
    text = str(info.value)
    assert text.startswith("day.toml: ") and text.endswith(".") and text.count(". ") == 0


def test_an_edit_that_leaves_a_queue_unserved_is_refused():
    # the box is the only group serving "otra": closing it all day leaves that queue without desks
    with pytest.raises(ScenarioError, match=r"queue 'otra': its desk group\(s\) 'box' are never open"):
        _day().with_desks("box", 0)
