"""Scenario files: the examples load, round-trip, and every kind of bad input is refused by name."""

import datetime as dt
import re

import numpy as np
import pytest

from waitlab.exceptions import ScenarioError
from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario, example_path
from waitlab.sim._toml import parse_scenario

GOOD = """
[scenario]
site = "Sucursal Test"
date = 2024-03-04
start = "10:00"
end = "12:00"
interval_minutes = 30
channel = "kiosk"

[[queue]]
name = "caja"
rates_per_hour = [60, 80, 80, 40]
service = { dist = "lognormal", mean = 200, cv = 0.5 }
patience = { dist = "exponential", mean = 900 }

[[queue]]
name = "jubilados"
rates_per_hour = 20
service = { dist = "empirical", values = [120, 180, 240] }

[[desks]]
name = "caja"
serves = ["caja", "jubilados"]
open = { "10:00" = 2, "11:00" = 1 }
"""


def _load(text: str) -> Scenario:
    return parse_scenario(text, source="test.toml")


def test_good_file_parses_with_units_stated():
    sc = _load(GOOD)
    assert sc.horizon == 7200.0 and sc.interval == 1800.0 and sc.n_intervals == 4
    assert sc.queues[0].rates_per_hour == (60.0, 80.0, 80.0, 40.0)  # per hour, as written
    assert sc.queues[1].rates_per_hour == (20.0,) * 4  # one number = all day
    assert sc.desks[0].open == (2, 2, 1, 1)  # table of changes expanded per interval
    assert sc.desk_names == ("caja-1", "caja-2")
    assert sc.on_duty.tolist() == [[True, True, True, True], [True, True, False, False]]
    assert str(sc.origin) == "2024-03-04 10:00:00-03:00"
    assert sc.interval_labels() == ["10:00", "10:30", "11:00", "11:30"]


@pytest.mark.parametrize("name", ["branch", "mmc"])
def test_examples_load_and_round_trip_through_to_toml(name):
    sc = Scenario.from_toml(example_path(name))
    again = parse_scenario(sc.to_toml(), source="again.toml")
    assert again == sc


def test_arrival_times_accept_clock_times_and_seconds():
    text = GOOD.replace("rates_per_hour = [60, 80, 80, 40]", 'arrival_times = ["10:00:30", 90, "11:59:59"]')
    sc = _load(text)
    assert sc.queues[0].arrival_times == (30.0, 90.0, 7199.0)
    assert len(sc.draw(1).arrival[sc.draw(1).queue == 0]) == 3


BAD = [
    # (replace this, with this, the message must mention all of these)
    ('serves = ["caja", "jubilados"]', 'serves = ["caja"]',
     ["test.toml", "queue 'jubilados'", "no desk group can serve it", 'add "jubilados" to `serves`']),
    ('open = { "10:00" = 2, "11:00" = 1 }', "open = 0",
     ["test.toml", "queue 'caja'", "never open", "key `open`"]),
    ("rates_per_hour = [60, 80, 80, 40]", "rates_per_hour = [60, -80, 80, 40]",
     ["test.toml", "queue 'caja', key `rates_per_hour`", "10:30", "-80", ">= 0"]),
    ('dist = "lognormal"', 'dist = "weibul"',
     ["test.toml", "queue 'caja', key `service`", "unknown distribution 'weibul'", "exponential, lognormal"]),
    ("rates_per_hour = [60, 80, 80, 40]", "rates_per_hour = [60, 80, 80]",
     ["queue 'caja', key `rates_per_hour`", "3 value(s) but the day has 4", "30-min interval"]),
    ('open = { "10:00" = 2, "11:00" = 1 }', "open = [2, 2, 1]",
     ["desks 'caja', key `open`", "covers 3 interval(s) but the day has 4", "one count per 30-min interval"]),
    ('open = { "10:00" = 2, "11:00" = 1 }', 'open = { "10:30" = 2 }',
     ["desks 'caja', key `open`", "starts at 10:30, not at the opening time 10:00", 'add "10:00"']),
    ('open = { "10:00" = 2, "11:00" = 1 }', 'open = { "10:00" = 2, "11:10" = 1 }',
     ["desks 'caja', key `open`", "'11:10' is not an interval start", "30-min grid"]),
    ('open = { "10:00" = 2, "11:00" = 1 }', "open = [2, 2, 1.5, 1]",
     ["desks 'caja', key `open`", "whole numbers"]),
    ('serves = ["caja", "jubilados"]', 'serves = ["caja", "jubilado"]',
     ["desks 'caja', key `serves`", "queue 'jubilado' does not exist", "caja, jubilados"]),
    ("mean = 200, cv = 0.5", "mean = 200, cv = -0.5",
     ["queue 'caja', key `service`", "`cv` must be a positive finite number"]),
    ("mean = 200, cv = 0.5", "mean = 200",
     ["queue 'caja', key `service`", "`cv` is required"]),
    ('values = [120, 180, 240]', "values = []",
     ["queue 'jubilados', key `service`", "`values` must list at least one duration"]),
    ('end = "12:00"', 'end = "09:00"', ["[scenario]", "`end` (09:00:00) is not after `start`"]),
    ("interval_minutes = 30", "interval_minutes = 35",
     ["[scenario]", "not a whole number of 35-min intervals"]),
    ('channel = "kiosk"', 'channel = "fax"', ["[scenario]", "`channel` is 'fax'", "kiosk, phone"]),
    ("interval_minutes = 30", "interval_minutes = 30\nopen_time = 1",
     ["[scenario]", "unknown key `open_time`"]),
    ('patience = { dist = "exponential", mean = 900 }', 'patience = { dist = "exponential", mean = 900 }\nno_show = 1.5',
     ["queue 'caja', key `no_show`", "[0, 1)"]),
    ('name = "caja"\nrates', 'name = "caja"\npriority_share = 2\nrates',
     ["queue 'caja', key `priority_share`", "between 0 and 1"]),
    ('date = 2024-03-04', 'date = "lunes"', ["[scenario] key `date`", "is not a date"]),
    ('start = "10:00"', 'start = "10h"', ["[scenario] key `start`", "'10h' is not a time of day", "HH:MM"]),
    ("[[desks]]", "[[desk]]", ["top level", "unknown key `desk`"]),
    ('name = "jubilados"', 'name = "caja"', ["[[queue]] 'caja'", "used twice"]),
    ('site = "Sucursal Test"', 'site = "Sucursal Test"\ntimezone = "Mars/Olympus"',
     ["`timezone` 'Mars/Olympus' is not an IANA timezone"]),
    ("rates_per_hour = 20", "rates_per_hour = 20\nservice2 = 1", ["queue 'jubilados'", "unknown key `service2`"]),
    ("[scenario]", "[scenario", ["test.toml", "not valid TOML"]),
]


@pytest.mark.parametrize(("old", "new", "needles"), BAD, ids=[b[2][-1][:30] for b in BAD])
def test_bad_scenarios_are_refused_naming_file_key_and_fix(old, new, needles):
    assert old in GOOD
    with pytest.raises(ScenarioError) as info:
        _load(GOOD.replace(old, new, 1))
    message = str(info.value)
    for needle in needles:
        assert needle in message, message
    assert message.startswith("test.toml") or needles[0] != "test.toml"


def test_phone_queue_cannot_have_no_shows():
    text = GOOD.replace('channel = "kiosk"', 'channel = "phone"').replace(
        'mean = 900 }', 'mean = 900 }\nno_show = 0.1')
    with pytest.raises(ScenarioError, match=re.escape("queue 'caja', key `no_show`: phone calls cannot be no-shows")):
        _load(text)


def test_arrival_times_outside_opening_hours_are_named():
    text = GOOD.replace("rates_per_hour = [60, 80, 80, 40]", "arrival_times = [10, 7200]")
    with pytest.raises(ScenarioError, match=r"key `arrival_times`: 1 time\(s\) fall outside the opening hours"):
        _load(text)


def test_scenarios_built_in_code_are_validated_too():
    svc = Distribution(dist="exponential", mean=60.0)
    with pytest.raises(ScenarioError, match=r"<scenario>: queue 'b': no desk group can serve it"):
        Scenario(site="x", date=dt.date(2024, 1, 1), start=dt.time(9), end=dt.time(10), interval=3600.0,
                 queues=(QueueSpec(name="a", service=svc, rates_per_hour=(1.0,)),
                         QueueSpec(name="b", service=svc, rates_per_hour=(1.0,))),
                 desks=(DeskGroup(name="d", serves=("a",), open=(1,)),))
    with pytest.raises(ScenarioError, match="`dist` must be one of"):
        Distribution(dist="normal", mean=1.0)


def test_distributions_have_the_stated_mean_and_cv():
    rng = np.random.default_rng(5)
    for d, cv in [(Distribution(dist="lognormal", mean=240.0, cv=0.8), 0.8),
                  (Distribution(dist="gamma", mean=240.0, cv=0.5), 0.5),
                  (Distribution(dist="exponential", mean=240.0), 1.0)]:
        x = d.sample(rng, 400_000)
        assert x.mean() == pytest.approx(240.0, rel=0.01)
        assert x.std() / x.mean() == pytest.approx(cv, rel=0.02)
    emp = Distribution(dist="empirical", values=(10.0, 20.0)).sample(rng, 1000)
    assert set(np.unique(emp)) == {10.0, 20.0}
