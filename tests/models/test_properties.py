"""Hypothesis properties: monotone in desks, outputs in range, including huge inputs."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from waitlab.models import ErlangA, ErlangC, erlang_b, erlang_c

loads = st.floats(0.001, 1e5)
desks = st.integers(1, 100_000)
service = st.floats(10.0, 1000.0)
patience_ratio = st.floats(0.01, 100.0)  # mean patience / mean service
waits = st.floats(0.0, 3600.0)
SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(n=desks, a=loads)
def test_erlang_b_c_in_range_and_ordered(n, a):
    b, c = float(erlang_b(n, a)), float(erlang_c(n, a))
    assert 0.0 <= b <= c <= 1.0
    assert float(erlang_b(n + 1, a)) <= b


@SETTINGS
@given(n=st.integers(1, 20_000), a=loads, s=service, t=waits, extra=st.integers(1, 50))
def test_erlang_c_more_desks_never_hurts(n, a, s, t, extra):
    ms = ErlangC(arrival_rate=a / s, mean_service=s, desks=[n, n + extra])
    sl, w, pw = ms.service_level(t), ms.mean_wait, ms.prob_wait
    assert sl[1] >= sl[0] and w[1] <= w[0] and pw[1] <= pw[0]
    assert np.all((sl >= 0) & (sl <= 1))


@SETTINGS
@given(n=desks, a=loads, s=service, r=patience_ratio, t=waits, extra=st.integers(1, 50))
@example(n=1, a=31035.0, s=83.0, r=29.0, t=1.192092896e-07, extra=1)  # P(wait > t) was 1 + 1e-10
def test_erlang_a_more_desks_never_hurts_and_stays_in_range(n, a, s, r, t, extra):
    m = ErlangA(arrival_rate=a / s, mean_service=s, mean_patience=r * s, desks=[n, n + extra])
    sl, exceed = m.service_level(t), m.prob_wait_exceeds(t)
    pw, pab, w, occ = m.prob_wait, m.prob_abandon, m.mean_wait, m.occupancy
    for v in (sl, exceed, pw, pab, occ):
        assert np.all(np.isfinite(v)) and np.all((v >= 0) & (v <= 1))
    assert np.all(np.isfinite(w)) and np.all(w >= 0)
    tol = 1e-12
    assert sl[1] >= sl[0] - tol
    assert exceed[1] <= exceed[0] * (1 + 1e-9) + 1e-300
    assert pw[1] <= pw[0] * (1 + 1e-9) + 1e-300
    assert pab[1] <= pab[0] * (1 + 1e-9) + 1e-300
    assert w[1] <= w[0] * (1 + 1e-9) + 1e-300
    # answered within t never exceeds the share eventually answered; waiting at t never exceeds waiting at 0
    # (the two sides come by different routes, each exact to the promised 1e-9 relative)
    assert np.all(sl <= (1 - pab) * (1 + 1e-9)) and np.all(exceed <= pw * (1 + 1e-9))


@SETTINGS
@given(n=st.integers(1, 5_000), a=st.floats(0.01, 5_000.0), s=service, r=patience_ratio,
       t1=waits, t2=waits)
def test_erlang_a_monotone_in_time(n, a, s, r, t1, t2):
    lo, hi = sorted((t1, t2))
    m = ErlangA(arrival_rate=a / s, mean_service=s, mean_patience=r * s, desks=n)
    assert float(m.service_level(hi)) >= float(m.service_level(lo)) - 1e-12
    assert float(m.prob_wait_exceeds(hi)) <= float(m.prob_wait_exceeds(lo)) * (1 + 1e-9) + 1e-300


@SETTINGS
@given(n=st.floats(1.0, 20_000.0), a=loads, s=service, r=patience_ratio, t=waits, extra=st.floats(0.001, 3.0))
def test_fractional_desks_more_never_hurts(n, a, s, r, t, extra):
    m = ErlangA(arrival_rate=a / s, mean_service=s, mean_patience=r * s, desks=[n, n + extra])
    for v in (m.prob_wait, m.prob_abandon, m.mean_wait, m.mean_wait_answered, m.mean_wait_abandoned):
        assert np.all(np.isfinite(v)) and np.all(v >= 0)
    for v in (m.prob_wait, m.prob_abandon, m.mean_wait, m.mean_wait_answered):
        assert v[1] <= v[0] * (1 + 1e-9) + 1e-300
    assert m.service_level(t)[1] >= m.service_level(t)[0] - 1e-12
    b = erlang_b([n, n + extra], a)
    assert b[1] <= b[0] * (1 + 1e-12)
