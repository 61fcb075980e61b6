"""One interval at the public API: "30min", a Timedelta and 1800 (seconds) give the same answer,
checked against hand-worked values; the CLI wants a unit; solve_roster defaults to 30 minutes."""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

import pandas as pd
import pytest

import waitlab
from waitlab import Target, interval_stats, parse_interval
from waitlab.cli import main
from waitlab.models import staffing_plan
from waitlab.planning import MealBreak, ShiftTemplate, ShiftTemplates, solve_roster
from waitlab.schema import coerce_contacts
from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario, day_kpis, simulate_day

FORMS = ["30min", pd.Timedelta(minutes=30), 1800]
TZ = "America/Argentina/Buenos_Aires"


def _log() -> pd.DataFrame:
    # Arrivals at 10:05, 10:10, 10:40 and 11:50, each served at once for 60 s by desk A:
    # per half hour from 10:00 the counts are 2, 1, 0, 1, and every wait is 0.
    times = ["10:05", "10:10", "10:40", "11:50"]
    rows = []
    for k, hhmm in enumerate(times):
        t0 = pd.Timestamp(f"2025-03-10 {hhmm}")
        rows.append((f"c{k}", t0, t0, t0, t0 + pd.Timedelta(seconds=60), "A"))
    df = pd.DataFrame(rows, columns=["contact_id", "arrived_at", "called_at", "started_at", "ended_at", "server"])
    df["queue"], df["channel"], df["outcome"], df["site"] = "Caja", "kiosk", "served", "S"
    return coerce_contacts(df, tz=TZ)


def test_parse_interval_is_public_and_reads_the_three_forms():
    assert "parse_interval" in waitlab.__all__
    assert [parse_interval(v) for v in FORMS] == [1800.0, 1800.0, 1800.0]


@pytest.mark.parametrize("interval", FORMS)
def test_interval_stats_same_table_from_every_form(interval):
    t = interval_stats(_log(), interval=interval)
    starts = t["interval_start"].dt.strftime("%H:%M").tolist()
    assert starts == ["10:00", "10:30", "11:00", "11:30"]
    assert t["arrivals"].tolist() == [2, 1, 0, 1]
    assert t.loc[t["arrivals"] > 0, "wait_mean"].tolist() == [0.0, 0.0, 0.0]
    pd.testing.assert_frame_equal(t, interval_stats(_log(), interval="30min"))


def _erlang_c_sl(n: int, a: Fraction, rate: float, mu: float, t: float) -> float:
    """Service level of M/M/n from the textbook closed form (exact fractions for the sums)."""
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    c = top / (sum(a**k / math.factorial(k) for k in range(n)) + top)
    return 1.0 - float(c) * math.exp(-(n * mu - rate) * t)


@pytest.mark.parametrize("interval", FORMS)
def test_staffing_plan_same_table_from_every_form(interval):
    # 100 arrivals in 30 min, 180 s each: 10 erlangs; 80 % within 20 s needs the smallest n
    # whose Erlang C service level reaches 0.8
    rate, mu = 100 / 1800, 1 / 180
    n = next(k for k in range(11, 40) if _erlang_c_sl(k, Fraction(10), rate, mu, 20.0) >= 0.8)
    goal = Target.service_level(20.0, 0.8)
    plan = staffing_plan([100, 0], [180.0, float("nan")], interval, targets=goal)
    assert plan["load"].iloc[0] == pytest.approx(10.0)
    assert plan["desks"].tolist() == [n, 0]
    pd.testing.assert_frame_equal(plan, staffing_plan([100, 0], [180.0, float("nan")], targets=goal))  # default 30min


def _scenario(interval) -> Scenario:
    return Scenario(site="T", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(12), interval=interval,
                    queues=(QueueSpec(name="q", rates_per_hour=(10.0, 60.0, 0.0, 120.0),
                                      service=Distribution(dist="deterministic", mean=60.0)),),
                    desks=(DeskGroup(name="d", serves=("q",), open=(1, 2, 1, 3)),))


@pytest.mark.parametrize("interval", FORMS)
def test_scenario_same_day_from_every_form(interval):
    sc = _scenario(interval)
    # stored as seconds: 10:00-12:00 is four half hours, desks 1+2+1+3 = 7 half hours = 3.5 h
    assert sc.interval == 1800.0 and isinstance(sc.interval, float)
    assert sc.n_intervals == 4 and sc.interval_labels() == ["10:00", "10:30", "11:00", "11:30"]
    assert sc.desk_hours() == pytest.approx(3.5)
    assert sc == _scenario(1800.0)
    ref = day_kpis(simulate_day(_scenario(1800.0), 7))
    got = day_kpis(simulate_day(sc, 7))
    assert got.keys() == ref.keys()
    assert all(got[k] == ref[k] or (math.isnan(got[k]) and math.isnan(ref[k])) for k in ref)


@pytest.mark.parametrize("interval", FORMS)
def test_scenario_from_log_same_rates_from_every_form(interval):
    sc = Scenario.from_log(_log(), interval=interval)
    # 2, 1, 0, 1 arrivals per half hour are 4, 2, 0, 2 an hour
    assert sc.interval == 1800.0 and sc.queues[0].rates_per_hour == (4.0, 2.0, 0.0, 2.0)


def test_scenario_refuses_a_width_without_unit():
    with pytest.raises(waitlab.WaitlabError, match=r"`interval` = '30' has no unit; give a unit, e\.g\. 30min"):
        _scenario("30")


@pytest.mark.parametrize("command", ["report", "staff", "replay"])
@pytest.mark.parametrize("width", ["30", "1.5", "900"])
def test_cli_refuses_a_bare_number(command, width, tmp_path, capsys):
    # the width is checked before the log is read: the log need not exist
    status = main([command, str(tmp_path / "never_read.csv"), "--interval", width])
    err = capsys.readouterr().err
    assert status == 2
    assert err.strip() == f"waitlab {command}: --interval = '{width}' has no unit; give a unit, e.g. 30min."


@pytest.mark.parametrize("command", ["report", "staff", "replay"])
def test_cli_interval_with_unit_is_read_then_the_log(command, tmp_path, capsys):
    status = main([command, str(tmp_path / "missing.csv"), "--interval", "900s"])
    err = capsys.readouterr().err
    assert status == 2 and "missing.csv" in err and "--interval" not in err
    assert main([command, str(tmp_path / "missing.csv"), "--interval", "7min"]) == 2
    assert "--interval = '7min' does not divide a day" in capsys.readouterr().err


def test_solve_roster_defaults_to_half_hours():
    # one 2-hour part-time shift type starting on the hour (0, 1, ..., 4 h), 25 each: a requirement of
    # one desk over 00:00-06:00 needs three shifts (0-2, 2-4, 4-6 h), worked out by hand. Read in
    # half hours, the 12 values are those six hours; in the former 15-minute default they were three.
    h = 3600.0
    part = ShiftTemplate(name="part", start_earliest=0.0, start_latest=4 * h, start_step=h, length=2 * h,
                         cost_per_shift=25.0, part_time=True)
    roster = solve_roster([1] * 12, ShiftTemplates((part,)))
    assert roster.interval == 1800.0
    assert roster.cost == pytest.approx(75.0)
    assert sorted(roster.shifts["start"]) == ["00:00", "02:00", "04:00"]
    table = roster.table()
    assert table["interval"].iloc[0] == "00:00–00:30" and table["interval"].iloc[-1] == "05:30–06:00"
    assert (roster.coverage == 1).all()
    same = solve_roster([1] * 12, ShiftTemplates((part,)), interval=pd.Timedelta(minutes=30))
    assert same.cost == roster.cost and same.interval == 1800.0


def test_solve_roster_names_a_bad_interval():
    full = ShiftTemplate(name="f", start_earliest=0.0, start_latest=0.0, start_step=3600.0, length=4 * 3600.0,
                         cost_per_hour=10.0, meal_break=MealBreak(length=3600.0, earliest=3600.0, latest=3600.0,
                                                                  step=3600.0))
    with pytest.raises(waitlab.WaitlabError, match=r"`interval` = '30' has no unit"):
        solve_roster([1, 1], ShiftTemplates((full,)), interval="30")
