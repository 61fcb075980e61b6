"""`required_desks`: the answer is the fewest desks, checked by brute force, whatever the first guess.

The search starts from a square-root (Halfin-Whitt) guess, so these tests aim at the cases where
a guess can mislead it: the guess above or far below the answer, tiny loads (answer 1), zero
arrivals, overload with abandonment, the `max_desks` cap, and 100,000+ desks.  "Fewest" is
judged by the public models themselves (n meets every target, n - 1 does not; the metrics are
monotone in n, see test_properties.py), by scanning n = 1, 2, ..., and by the 50-digit mpmath
Erlang C of models_reference.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from models_reference import erlang_c_mp

from waitlab import Target
from waitlab.models import ErlangA, ErlangC, ModelInputError, required_desks
from waitlab.models._guess import qed_guess
from waitlab.models._special import bd0
from waitlab.models._staffing import _search

SETTINGS = settings(max_examples=60, deadline=None)
SL80_20 = Target.service_level(20.0, 0.8)


def _model(lam, s, pat, n):
    if pat is None:
        return ErlangC(arrival_rate=lam, mean_service=s, desks=n)
    return ErlangA(arrival_rate=lam, mean_service=s, mean_patience=pat, desks=n)


def _meets(m, lam, s, *, service_level=None, asa=None, abandon=None, wait_limits=(), max_occupancy=None):
    """Every target, read from the public metrics (Erlang C also needs desks > load)."""
    ok = np.ones(np.shape(m.load), dtype=bool)
    if isinstance(m, ErlangC):
        ok &= np.asarray(m.desks, dtype=float) > lam * s
    if service_level is not None:
        ok &= np.asarray(m.service_level(service_level[1])) >= service_level[0]
    if asa is not None:
        ok &= np.asarray(m.mean_wait) <= asa
    if abandon is not None:
        ok &= np.asarray(m.prob_abandon) <= abandon
    for lim, p in wait_limits:
        ok &= np.asarray(m.prob_wait_exceeds(lim)) <= p
    if max_occupancy is not None:
        ok &= np.asarray(m.occupancy) <= max_occupancy
    return ok


def _targets(service_level=None, asa=None, abandon=None, wait_limits=(), max_occupancy=None):
    """The Target objects of the keyword form used by `_meets` (service_level is (share, seconds))."""
    out = [] if service_level is None else [Target.service_level(service_level[1], service_level[0])]
    out += [Target.wait_exceeds(lim, p) for lim, p in wait_limits]
    if asa is not None:
        out.append(Target.mean_wait(asa))
    if abandon is not None:
        out.append(Target.abandon_rate(abandon))
    if max_occupancy is not None:
        out.append(Target.max_occupancy(max_occupancy))
    return out


def _scan(lam, s, pat, **targets):
    """Fewest n by trying n = 1, 2, ... (all at once, then the first that works)."""
    top = int(lam * s * 3 + 60)
    n = np.arange(1, top + 1)
    ok = _meets(_model(lam, s, pat, n), lam, s, **targets)
    assert ok.any(), "scan range too short"
    return int(n[np.argmax(ok)])


def _assert_fewest(lam, s, pat, n, **targets):
    """n meets every target and n - 1 does not (0 desks where nobody arrives)."""
    lam, s, n = np.broadcast_arrays(np.asarray(lam, float), np.asarray(s, float), np.asarray(n))
    busy = lam > 0
    assert np.all(n[~busy] == 0)
    lam, s, n = lam[busy], s[busy], n[busy]
    p = None if pat is None else np.broadcast_to(np.asarray(pat, float), busy.shape)[busy]
    assert np.all(_meets(_model(lam, s, p, n), lam, s, **targets))
    more = n > 1
    assert not np.any(
        _meets(
            _model(lam[more], s[more], None if p is None else p[more], n[more] - 1),
            lam[more],
            s[more],
            **targets,
        )
    )


TARGETS = [
    {"service_level": (0.8, 20.0)},
    {"service_level": (0.95, 0.0)},  # P(wait > 0) <= 5 %: the guess solves C(beta) alone
    {"service_level": (0.5, 900.0)},  # lenient: the answer is often the stability bound
    {"asa": 15.0},
    {"asa": 0.2},
    {"wait_limits": [(1800.0, 0.05), (60.0, 0.001)]},
    {"wait_limits": [(30.0, 1e-12)]},  # beyond the guess's beta range
    {"max_occupancy": 0.85},
    {"service_level": (0.9, 10.0), "asa": 5.0, "max_occupancy": 0.9},
]
# (arrival_rate /s, mean_service s, mean_patience s): tiny to busy loads, patience short and long
CASES = [
    (1 / 1800, 180.0, 60.0),
    (0.01, 30.0, 5.0),
    (0.05, 240.0, 300.0),
    (0.3, 200.0, 30.0),
    (1.0, 45.0, 600.0),
    (2.0, 60.0, 2.0),
]


@pytest.mark.parametrize("targets", TARGETS, ids=lambda t: "-".join(t))
@pytest.mark.parametrize("patience", [False, True], ids=["erlang_c", "erlang_a"])
def test_matches_a_linear_scan(targets, patience):
    for lam, s, pat in CASES:
        p = pat if patience else None
        n = int(required_desks(lam, s, mean_patience=p, targets=_targets(**targets)).desks)
        assert n == _scan(lam, s, p, **targets), (lam, s, pat)


@pytest.mark.parametrize("abandon", [0.001, 0.05, 0.5])
def test_abandon_target_matches_a_linear_scan(abandon):
    for lam, s, pat in CASES:
        for extra in ({}, {"service_level": (0.8, 20.0)}):
            n = int(required_desks(lam, s, mean_patience=pat, targets=_targets(abandon=abandon, **extra)).desks)
            assert n == _scan(lam, s, pat, abandon=abandon, **extra), (lam, s, pat, extra)


def test_erlang_a_occupancy_cap_is_not_a_lower_bound():
    # Erlang A occupancy is load (1 - P(abandon)) / n, below load / n: with impatient customers
    # the cap is met below ceil(load / cap) (an earlier version started the search there: 12).
    lam, s, pat = 10 / 180, 180.0, 10.0
    n = int(required_desks(lam, s, mean_patience=pat, targets=Target.max_occupancy(0.9)).desks)
    assert n == _scan(lam, s, pat, max_occupancy=0.9)
    assert n < math.ceil(10 / 0.9)


def test_benchmark_mix_against_mpmath():
    # 80/20 at 1 to 5,000 calls per half hour; the 50-digit Erlang C decides (n meets, n - 1 does not)
    rng = np.random.default_rng(7)
    calls = np.rint(np.exp(rng.uniform(0, math.log(5000), 12)))
    mean_service = rng.uniform(180, 600, 12)
    desks = required_desks(calls / 1800, mean_service, targets=Target.service_level(20.0, 0.8)).desks
    for c, h, n in zip(calls, mean_service, desks, strict=True):
        a = c * h / 1800

        def sl(k, a=a, h=h):
            return 1 - float(erlang_c_mp(k, a)) * math.exp(-(k - a) * 20 / h) if k > a else 0.0

        assert sl(int(n)) >= 0.8 > sl(int(n) - 1)


@pytest.mark.parametrize("patience", [None, 900.0])
def test_many_intervals_at_once_with_zero_arrivals_and_shrinkage(patience):
    rng = np.random.default_rng(3)
    calls = np.rint(np.exp(rng.uniform(0, math.log(5000), 400)))
    calls[::17] = 0
    lam, mean_service = calls / 1800, rng.uniform(120, 900, 400)
    targets = {"service_level": (0.8, 20.0), "wait_limits": [(300.0, 0.01)]}
    r = required_desks(lam, mean_service, mean_patience=patience, shrinkage=0.3, targets=_targets(**targets))
    _assert_fewest(lam, mean_service, patience, r.desks, **targets)
    assert np.array_equal(r.staff, np.ceil(np.round(r.desks / 0.7, 9)).astype(int))
    assert np.array_equal(r.desks[calls == 0], np.zeros(int((calls == 0).sum())))


@pytest.mark.parametrize("patience", [None, 300.0, 5.0])
def test_huge_sizes(patience):
    # 100,000 to 300,000 erlangs; with impatient customers (5 s) Erlang A staffs below the load for
    # 80/20, and a few dozen desks keep P(wait > 60 s) under 1e-6 (everyone gives up before)
    lam = np.array([100.0, 300.0, 550.0])
    s = np.array([1000.0, 1000.0, 550.0])
    for targets in ({"service_level": (0.8, 20.0)}, {"asa": 2.0}, {"wait_limits": [(60.0, 1e-6)]}):
        r = required_desks(lam, s, mean_patience=patience, targets=_targets(**targets))
        if "service_level" in targets:
            assert np.all(r.desks > 0.75 * lam * s)
        _assert_fewest(lam, s, patience, r.desks, **targets)


@SETTINGS
@given(
    load=st.floats(1e-4, 2e4),
    s=st.floats(1.0, 3600.0),
    share=st.floats(0.01, 0.999),
    t=st.floats(0.0, 3600.0),
    asa=st.none() | st.floats(0.01, 600.0),
    occ=st.none() | st.floats(0.3, 1.0),
    patience=st.none() | st.floats(0.1, 1e5),
    abandon=st.none() | st.floats(0.001, 0.9),
)
def test_fewest_for_random_targets(load, s, share, t, asa, occ, patience, abandon):
    targets = {"service_level": (share, t), "asa": asa, "max_occupancy": occ}
    if patience is not None:
        targets["abandon"] = abandon
    targets = {k: v for k, v in targets.items() if v is not None}
    r = required_desks(load / s, s, mean_patience=patience, targets=_targets(**targets))
    _assert_fewest(load / s, s, patience, r.desks, **targets)


@SETTINGS
@given(
    data=st.data(),
    size=st.integers(1, 40),
    cap=st.integers(1, 10**6),
)
def test_search_finds_the_threshold_from_any_guess(data, size, cap):
    # a synthetic monotone test (ok iff n >= answer): guesses far above, far below, at the ends
    answer = np.array(data.draw(st.lists(st.integers(1, cap), min_size=size, max_size=size)))
    start = np.array([data.draw(st.integers(1, int(a))) for a in answer])
    guess = np.array(data.draw(st.lists(st.integers(-5, 2 * cap + 5), min_size=size, max_size=size)))
    calls = []

    def ok(idx, n):
        calls.append(idx.size)
        assert np.all(n >= start[idx]) and np.all(n <= cap)
        return n >= answer[idx]

    got = _search(ok, start, guess, cap, origin=np.arange(size), load=np.ones(size))
    assert np.array_equal(got, answer)
    assert len(calls) <= 2 + 2 * math.ceil(math.log2(cap + 1))  # galloping then bisecting


def test_search_settles_a_right_guess_in_one_round():
    answer = np.array([1, 5, 17, 1000])
    calls = []

    def ok(idx, n):
        calls.append(n.tolist())
        return n >= answer[idx]

    got = _search(ok, np.array([1, 3, 17, 2]), answer.copy(), 10**6, origin=np.arange(4), load=np.ones(4))
    assert np.array_equal(got, answer) and len(calls) == 1
    assert sorted(calls[0]) == sorted([1, 5, 17, 1000, 4, 999])  # n - 1 only above the start


def test_max_desks_too_small_names_the_interval():
    # interval 2 (after two empty ones) needs about 1,000 desks
    lam = np.array([0.0, 0.0, 1.0, 0.001])
    with pytest.raises(ModelInputError, match=r"`max_desks`=899 is below the load: index 2 has load 900 "):
        required_desks(lam, 900.0, targets=SL80_20, max_desks=899)
    with pytest.raises(
        ModelInputError, match=r"`max_desks`=905 is too small: 1 interval\(s\).*first: index 2,"
    ):
        required_desks(lam, 900.0, targets=SL80_20, max_desks=905)
    with pytest.raises(
        ModelInputError, match=r"`max_desks`=905 is too small: 1 interval\(s\).*first: index 2,"
    ):
        required_desks(lam, 900.0, mean_patience=3600.0, targets=SL80_20, max_desks=905)
    n = int(required_desks(1.0, 900.0, targets=SL80_20).desks)
    assert int(required_desks(1.0, 900.0, targets=SL80_20, max_desks=n).desks) == n


def test_search_reports_the_cap_when_galloping_reaches_it():
    def ok(idx, n):
        return n >= 50

    with pytest.raises(
        ModelInputError, match=r"`max_desks`=40 is too small: 1 interval\(s\).*first: index 7,"
    ):
        _search(ok, np.array([1]), np.array([10]), 40, origin=np.array([7]), load=np.ones(1))


def test_square_root_guess_is_within_one_server_at_80_20():
    # the module docstring's claim, on the benchmark's range (1-5,000 calls per half hour)
    rng = np.random.default_rng(11)
    calls = np.rint(np.exp(rng.uniform(0, math.log(5000), 2000)))
    mean_service = rng.uniform(180, 600, 2000)
    exact = required_desks(calls / 1800, mean_service, targets=Target.service_level(20.0, 0.8)).desks
    guess = np.maximum(
        qed_guess(calls / 1800 * mean_service, mean_service, tails=((20.0, 0.2),), asa=None), np.floor(calls / 1800 * mean_service) + 1
    )
    assert np.all(np.abs(guess - exact) <= 1)
    assert np.mean(guess == exact) > 0.85


def test_bd0_series_stops_without_changing_a_bit():
    # the series stops once its terms are below half an ulp of the sum: same bits as all 39 terms
    rng = np.random.default_rng(5)
    x = np.exp(rng.uniform(0, 12, 5000))
    z = x * rng.uniform(0.905, 1.095, 5000)
    v = (x - z) / (x + z)
    ref, ej, v2 = (x - z) * v, 2 * x * v, v * v
    for j in range(1, 40):
        ej = ej * v2
        ref = ref + ej / (2 * j + 1)
    assert np.array_equal(bd0(x, z), ref)


def test_target_errors_name_the_target_and_the_fix():
    with pytest.raises(ModelInputError, match=r"no staffing target given: pass `targets`"):
        required_desks(0.05, 180.0, targets=[])
    with pytest.raises(ModelInputError, match=r"`targets\[0\]` must be a waitlab.Target"):
        required_desks(0.05, 180.0, targets=[(0.8, 20.0)])
    with pytest.raises(ModelInputError, match=r"needs `mean_patience`: without patience \(Erlang C\) nobody abandons"):
        required_desks(0.05, 180.0, targets=Target.abandon_rate(0.05))
    with pytest.raises(ModelInputError, match=r"`targets` is contradictory: share_wait_over_30min appears with "
                                              r"bounds 0.05 and 0.01; keep one"):
        required_desks(0.05, 180.0, targets=[Target.wait_exceeds(1800, 0.05), Target.wait_exceeds(1800, 0.01)])
    with pytest.raises(ModelInputError, match=r"needs the day's expected arrivals: pass `day_arrivals`"):
        required_desks(0.05, 180.0, targets=Target.day_any_wait_exceeds(1800, 0.01))
    with pytest.raises(ModelInputError, match=r"measures seated time"):
        required_desks(0.05, 180.0, targets=Target.wait_exceeds(1800, 0.05, measure="seated"))


def test_stationary_reading_of_day_standing_and_seated_targets():
    # 100 calls per half hour, 180 s each (a = 10 erlangs), Erlang C
    lam, s = 100 / 1800, 180.0
    per_interval = int(required_desks(lam, s, targets=Target.wait_exceeds(60, 0.05)).desks)
    # a per-day share is asked of every interval; a standing limit is the wait; seated is skipped
    for t in ([Target.wait_exceeds(60, 0.05, per="day")], [Target.wait_exceeds(60, 0.05, measure="standing")],
              [Target.wait_exceeds(60, 0.05), Target.wait_exceeds(10, 1e-9, measure="seated")]):
        assert int(required_desks(lam, s, targets=t).desks) == per_interval
    # union bound: P(any wait over 60 s in a 500-arrival day) <= 0.05 -> P(W > 60) <= 0.05 / 500 per interval
    day = int(required_desks(lam, s, targets=Target.day_any_wait_exceeds(60, 0.05), day_arrivals=500).desks)
    assert day == _scan(lam, s, None, wait_limits=[(60.0, 0.05 / 500)])
    # two targets of different kinds on the same limit: the stricter holds
    both = [Target.wait_exceeds(60, 0.05), Target.wait_exceeds(60, 0.001, per="day")]
    assert int(required_desks(lam, s, targets=both).desks) == _scan(lam, s, None, wait_limits=[(60.0, 0.001)])
