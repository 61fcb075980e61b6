"""Property tests on random valid contacts, against a plain-loop reference of the time figures."""

import numpy as np
import pandas as pd
import pytest
from analytics_helpers import TZ
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from waitlab.analytics import interval_stats, summary_kpis
from waitlab.schema import coerce_contacts, validate_contacts

BASE = pd.Timestamp("2024-03-04 08:00", tz=TZ)


@st.composite
def contact_tables(draw):
    """Desks serve one at a time (services of one desk never overlap); others leave or vanish."""
    rows = []
    for desk in ["A", "B", "C"][: draw(st.integers(1, 3))]:
        t = draw(st.integers(1800, 3000))
        for _ in range(draw(st.integers(0, 5))):
            start = t + draw(st.integers(0, 900))
            wait, serv = draw(st.integers(0, 1500)), draw(st.integers(0, 1200))
            outcome = draw(st.sampled_from(["served", "served", "transferred"]))
            rows.append((outcome, start - wait, start, start, start + serv, desk))
            t = start + serv
    for _ in range(draw(st.integers(0 if rows else 1, 6))):
        kind = draw(st.sampled_from(["abandoned", "no_show", "other"]))
        arr, wait = draw(st.integers(0, 7200)), draw(st.integers(0, 1500))
        if kind == "abandoned":
            rows.append((kind, arr, None, None, arr + wait, None))
        elif kind == "no_show":
            rows.append((kind, arr, arr + wait, None, None, draw(st.sampled_from(["A", "B"]))))
        else:
            rows.append((kind, arr, None, None, None, None))

    def ts(x):
        return None if x is None else BASE + pd.Timedelta(seconds=x)

    df = pd.DataFrame([
        {"contact_id": str(i), "queue": "q", "channel": "kiosk", "outcome": o, "arrived_at": ts(a),
         "called_at": ts(c), "started_at": ts(s), "ended_at": ts(e), "server": d}
        for i, (o, a, c, s, e, d) in enumerate(rows)
    ])  # fmt: skip
    return validate_contacts(coerce_contacts(df, tz=TZ))


def _reference(c: pd.DataFrame, a: pd.Timestamp, b: pd.Timestamp) -> dict:
    """Time figures of [a, b) by brute force over contacts and event times."""
    length = (b - a).total_seconds()
    waits, services, events = [], [], {a}
    for r in c.itertuples():
        end = r.called_at if pd.notna(r.called_at) else r.ended_at
        if pd.notna(end):
            waits.append((r.arrived_at, end))
            events.update({r.arrived_at, end})
        if pd.notna(r.started_at):
            services.append((r.started_at, r.ended_at, r.server))

    def overlap(s, e):
        return max(0.0, (min(e, b) - max(s, a)).total_seconds())

    def level(t):
        return sum(1 for s, e in waits if s <= t < e)

    present = {d for s, e, d in services if (s < b and e > a) or (s == e and a <= s < b)}
    return {
        "waiting_mean": sum(overlap(s, e) for s, e in waits) / length,
        "waiting_max": max(level(t) for t in events if a <= t < b),
        "desks_busy": sum(overlap(s, e) for s, e, _ in services) / length,
        "desks_present": len(present),
    }


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(c=contact_tables(), interval=st.sampled_from(["10min", "30min", "1h"]))
def test_time_figures_match_brute_force(c, interval):
    t = interval_stats(c, interval=interval)
    step = pd.Timedelta(interval)
    for row in t.itertuples():
        ref = _reference(c, row.interval_start, row.interval_start + step)
        assert row.waiting_mean == pytest.approx(ref["waiting_mean"], abs=1e-9)
        assert row.waiting_max == ref["waiting_max"]
        assert row.desks_busy == pytest.approx(ref["desks_busy"], abs=1e-9)
        assert row.desks_present == ref["desks_present"]


@SETTINGS
@given(c=contact_tables(), interval=st.sampled_from(["15min", "30min", "1h"]),
       short=st.sampled_from([0.0, 10.0, 60.0]), by=st.sampled_from([None, ["server"], ["dow"]]))  # fmt: skip
def test_invariants(c, interval, short, by):
    t = interval_stats(c, interval=interval, short_abandon=short, by=by)
    assert (t["served"] + t["abandoned"] + t["no_show"] + t["other"] == t["arrivals"]).all()
    assert t["arrivals"].sum() == len(c)
    for col in ["sl_offered", "sl_answered", "abandon_rate", "abandon_rate_excl_short", "occupancy"]:
        v = t[col].dropna()
        assert ((v >= 0) & (v <= 1 + 1e-12)).all(), col
    assert (t["desks_busy"] <= t["desks_present"] + 1e-9).all()
    assert (t["wait_p50"].dropna() <= t["wait_p90"].dropna() + 1e-9).all()
    assert (t["wait_max"].dropna() >= t["wait_p95"].dropna() - 1e-9).all()
    # waiting is conserved: the integral over all intervals is the sum of the waits.
    length = pd.Timedelta(interval).total_seconds()
    waits = (c["called_at"].fillna(c["ended_at"]) - c["arrived_at"]).dt.total_seconds()
    assert (t["waiting_mean"] * length).sum() == pytest.approx(waits.sum(), abs=1e-6)
    k = summary_kpis(c, short_abandon=short)
    assert k["arrivals"] == len(c)
    assert k["served"] == t["served"].sum() and k["no_show"] == t["no_show"].sum()
    assert k["waiting_max"] >= t["waiting_max"].max()


def test_large_table_conserves_waiting():
    """200,000 contacts over a month (no timing assert: see benchmarks): the figures add up."""
    rng = np.random.default_rng(7)
    n = 200_000
    arr = np.sort(rng.uniform(0, 30 * 86400, n))
    wait = rng.exponential(120, n)
    serv = rng.exponential(240, n)
    t0 = BASE.as_unit("ns")
    df = pd.DataFrame({
        "contact_id": np.arange(n).astype(str), "queue": rng.choice(["a", "b"], n), "channel": "phone",
        "outcome": "served", "arrived_at": t0 + pd.to_timedelta(arr, unit="s"),
        "called_at": t0 + pd.to_timedelta(arr + wait, unit="s"),
        "server": rng.choice([f"s{i}" for i in range(40)], n),
    })  # fmt: skip
    df["started_at"] = df["called_at"]
    df["ended_at"] = df["started_at"] + pd.to_timedelta(serv, unit="s")
    t = interval_stats(coerce_contacts(df), by=["queue"])
    assert t["arrivals"].sum() == n
    assert (t["waiting_mean"] * 1800).sum() == pytest.approx(wait.sum(), rel=1e-6)
