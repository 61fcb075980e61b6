"""The array path of ``waitlab.sim.run`` equals the contacts route, on generated days and the examples.

The contacts route is the independent reference: it builds the pandas contacts table of the
days and measures it with :func:`waitlab.analytics.summary_by` / ``interval_stats`` and judges it
with :func:`waitlab.compliance.check_compliance` (the seat sweep of
:func:`waitlab.compliance.standing_times`, a Python heap loop). The array path
(:mod:`waitlab.sim._fast_kpis`, ``_fast_time``, ``_fast_seats``, ``_fast_intervals``) computes the
same figures from the engines' outcome arrays with other code (numpy sweeps, a numba seat
sweep). Every number must be equal, bit for bit (NaN equal to NaN): the sums run over the same
terms in the same order, so not even float rounding may differ.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_sim_equivalence import days as routed_days
from test_sim_equivalence import drawn_days

from waitlab.analytics import KPI_COLUMNS
from waitlab.compliance import load_rules, standing_times
from waitlab.sim import Draws, Scenario, example_path, simulate_day
from waitlab.sim._day import stack_contacts
from waitlab.sim._fast_intervals import fast_intervals
from waitlab.sim._fast_kpis import _stack, fast_breaches, fast_days_kpis
from waitlab.sim._kpis import day_kpis, days_breaches, days_kpis
from waitlab.sim._run import _add_intervals, replicate_many, seed_sequences

RULES = ("CABA", "standing45_seated60", "limit15")
DRAW_FIELDS = ("arrival", "queue", "service", "patience", "priority", "absent", "visible")
INTERVAL_KPIS = ("arrivals", "served", "no_show", "wait_mean", "wait_p90", "sl_offered", "prob_wait",
                 "abandon_rate")


def assert_rows_equal(ref: list[dict[str, float]], got: list[dict[str, float]]) -> None:
    assert len(ref) == len(got)
    for k, (a, b) in enumerate(zip(ref, got, strict=True)):
        assert list(a) == list(b), k
        bad = {c: (a[c], b[c]) for c in a if not (a[c] == b[c] or (np.isnan(a[c]) and np.isnan(b[c])))}
        assert not bad, (k, bad)


def some_days(sc: Scenario, draws: Draws, cut: int) -> list:
    """Three days of one scenario: the draws, their first `cut` customers (another span), and nobody."""
    part = Draws(*(getattr(draws, f)[:cut] for f in DRAW_FIELDS))
    none = Draws(*(getattr(draws, f)[:0] for f in DRAW_FIELDS))
    return [simulate_day(sc, draws=d) for d in (draws, part, none)]


def check_everything(sc: Scenario, days: list, seats: object) -> None:
    with_customers = [d for d in days if len(d.draws)]
    if not with_customers:
        return
    stacked = stack_contacts(days)
    # KPIs: summary_kpis of each day alone (the definition; the stacked summary_by agrees except
    # in the edge of test_a_zero_length_service_at_the_end_of_a_day)
    assert_rows_equal([day_kpis(d) for d in days], fast_days_kpis(days))
    # every limit kind, with and without a seat count
    for ruleset in map(load_rules, RULES):
        # one table per day (the stacked form drops trailing days without customers)
        assert_rows_equal(days_breaches([d.contacts for d in days], ruleset, seats), fast_breaches(days, ruleset, seats))
    # the seat sweep itself, customer by customer
    for d in with_customers:
        ref = standing_times(d.contacts, seats=seats)
        standing, seated = d.standing(seats)
        np.testing.assert_array_equal(ref["standing_s"].to_numpy(dtype=float), standing)
        np.testing.assert_array_equal(ref["seated_s"].to_numpy(dtype=float), seated)
    # KPIs per interval
    ref_rows: list[dict[str, float]] = [{} for _ in days]
    got_rows: list[dict[str, float]] = [{} for _ in days]
    _add_intervals(ref_rows, sc, stacked, INTERVAL_KPIS, 20.0)
    fast_intervals(got_rows, sc, _stack(days), INTERVAL_KPIS, 20.0)
    assert_rows_equal(ref_rows, got_rows)


def _generated(day: tuple[Scenario, Draws], cut: int, seats: object) -> None:
    # hand-made draws: whole-second ties, zero services and patience, no-shows, visible leavers, phone and kiosk
    sc, draws = day
    check_everything(sc, some_days(sc, draws, cut), seats)


def _drawn(day: tuple[Scenario, Draws], seed: int, seats: object) -> None:
    # real distributions (float times): the scenario's own draws and two independent days
    sc, draws = day
    sims = [simulate_day(sc, draws=draws), simulate_day(sc, rng=seed), simulate_day(sc, rng=seed + 1)]
    # A hopeless day (one desk for 400 customers an hour of 400 s each, nobody leaving) runs on
    # for days after closing; the contacts schema refuses a wait over 24 h (the readers
    # quarantine it as absurd), so the contacts route cannot judge such a day at all.
    assume(all(_longest(d) < 86_400.0 for d in sims))
    check_everything(sc, sims, seats)


def _longest(day) -> float:
    c = day.contacts
    return float((c["ended_at"].fillna(c["arrived_at"]) - c["arrived_at"]).dt.total_seconds().max()) if len(c) else 0.0


GENERATED = (routed_days(max_customers=120), st.integers(0, 120), st.sampled_from([None, 0, 1, 3]))
DRAWN = (drawn_days(), st.integers(0, 2**32 - 1), st.sampled_from([None, 0, 2, 10]))
QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LONG = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(*GENERATED)
def test_array_path_equals_contacts_route_on_generated_days(day, cut, seats):
    _generated(day, cut, seats)


@QUICK
@given(*DRAWN)
def test_array_path_equals_contacts_route_on_drawn_days(day, seed, seats):
    _drawn(day, seed, seats)


@pytest.mark.slow
@LONG
@given(*GENERATED)
def test_array_path_equals_contacts_route_on_many_generated_days(day, cut, seats):
    _generated(day, cut, seats)


@pytest.mark.slow
@LONG
@given(*DRAWN)
def test_array_path_equals_contacts_route_on_many_drawn_days(day, seed, seats):
    _drawn(day, seed, seats)


@pytest.mark.parametrize("name", ["branch", "mmc", "branch12h"])
@pytest.mark.parametrize("seats", [None, 4])
def test_replicate_many_equals_contacts_route_on_examples(name: str, seats: object) -> None:
    sc = Scenario.from_toml(example_path(name))
    seeds = seed_sequences(3, 5)
    got = replicate_many(sc, seeds, rules="CABA", seats=seats, by_interval=tuple(KPI_COLUMNS))
    days = [simulate_day(sc, np.random.default_rng(s)) for s in seeds]
    stacked = stack_contacts(days)
    ref = days_kpis(days, stacked=stacked)
    for row, breaches in zip(ref, days_breaches(stacked, load_rules("CABA"), seats), strict=True):
        row.update(breaches)
    _add_intervals(ref, sc, stacked, tuple(KPI_COLUMNS), 20.0)
    assert_rows_equal(ref, got)


def test_run_builds_no_contacts_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """run() with rules, seats and per-interval waits measures everything from the arrays."""
    import waitlab.sim._day as day_module
    from waitlab.sim import run

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a contacts table was built")

    monkeypatch.setattr(day_module, "to_contacts", refuse)
    monkeypatch.setattr(day_module, "_raw_contacts", refuse)
    monkeypatch.setattr(day_module, "_frame", refuse)
    res = run(Scenario.from_toml(example_path("branch")), 4, rng=2, processes=1, rules="standing45_seated60",
              seats=6, by_interval=("wait_mean",))
    assert len(res.per_replication) == 4 and len(res.by_interval)


def test_a_zero_length_service_at_the_end_of_a_day() -> None:
    """A service of 0 s that is a day's very last event is outside the day's span [first arrival, last event).

    Desk ``a`` serves one customer 10:00-10:01 and closes; desk ``c`` opens at 10:01 and serves a
    customer in 0 s at 10:01, the last event. Over the span [10:00, 10:01) one desk was seen
    serving: ``summary_kpis`` of the day says 1, and so does the array path, whatever other days
    run with it. (``summary_by`` of this day stacked with a longer one says 2: it cuts every group
    at the longest group's span, so this edge depends on the days measured together.)
    """
    import datetime as dt

    from waitlab.sim import DeskGroup, Distribution, QueueSpec

    svc = Distribution(dist="exponential", mean=100.0)
    sc = Scenario(site="S", channel="phone", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(10, 3),
                  interval=60.0, queues=(QueueSpec(name="q", service=svc, rates_per_hour=(0.0,) * 3),),
                  desks=(DeskGroup(name="a", serves=("q",), open=(1, 0, 0)),
                         DeskGroup(name="c", serves=("q",), open=(0, 1, 1))))

    def day(arrival: list[float], service: list[float]):
        n = len(arrival)
        return simulate_day(sc, draws=Draws(arrival=np.array(arrival), queue=np.zeros(n, int),
                                            service=np.array(service), patience=np.full(n, np.inf),
                                            priority=np.zeros(n, int), absent=np.zeros(n, bool)))

    short, long = day([0.0, 60.0], [60.0, 0.0]), day([0.0], [150.0])
    assert short.arrays.server.tolist() == [0, 1] and short.arrays.ended.tolist() == [60.0, 60.0]
    for days in ([short], [short, long]):
        got = fast_days_kpis(days)[0]
        assert got["desks_present"] == 1.0 and got["occupancy"] == 1.0
    assert day_kpis(short)["desks_present"] == 1.0
