"""Standing time and turn order against brute-force references on random seeded data, plus properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from compliance_helpers import build
from hypothesis import given, settings
from hypothesis import strategies as st

from waitlab.compliance import check_compliance, standing_times, turn_order_violations
from waitlab.exceptions import ArgumentError, SchemaError


def _reference_standing(arr: list[int], leave: list[int], seats: int) -> tuple[list[int], list[int]]:
    """Minute-by-minute simulation of the seat rule; O(n * minutes * n).

    Written as a direct reading of the rule, unlike the event sweep with a heap: at each minute t,
    everyone whose stay ends at t leaves; every free seat goes to the person with the most minutes
    stood so far (row order among equals); then the people arriving at t sit if a seat is free,
    else they stand. Each minute [t, t+1) is credited to standing or seated.
    """
    n = len(arr)
    stood = [0] * n
    sat = [0] * n
    sitting: list[int] = []
    standing: list[int] = []
    for t in range(min(arr), max(leave) + 1):
        sitting = [i for i in sitting if leave[i] != t]
        standing = [i for i in standing if leave[i] != t]
        while len(sitting) < seats and standing:
            best = standing[0]
            for i in standing[1:]:
                if stood[i] > stood[best] or (stood[i] == stood[best] and i < best):
                    best = i
            standing.remove(best)
            sitting.append(best)
        for i in range(n):
            if arr[i] == t and leave[i] > t:
                (sitting if len(sitting) < seats else standing).append(i)
        for i in standing:
            stood[i] += 1
        for i in sitting:
            sat[i] += 1
    return stood, sat


def _random_day(rng: np.random.Generator, n: int, sites: tuple[str, ...] = ("A",)) -> list[dict]:
    rows = []
    for k in range(n):
        arr = int(rng.integers(0, 180))
        wait = int(rng.choice([0, rng.integers(1, 90)], p=[0.1, 0.9]))
        outcome = rng.choice(["served", "abandoned", "no_show"], p=[0.8, 0.1, 0.1])
        row = {"id": f"c{k}", "arr": arr, "site": sites[k % len(sites)], "outcome": str(outcome)}
        if outcome == "abandoned":
            row["end"] = arr + wait
        else:
            row["call"] = arr + wait
            if outcome == "served":
                row["start"], row["end"] = arr + wait, arr + wait + 5
        rows.append(row)
    return rows


@pytest.mark.parametrize("seed", range(6))
def test_sweep_matches_minute_by_minute_reference(seed):
    rng = np.random.default_rng(seed)
    rows = _random_day(rng, n=int(rng.integers(40, 90)), sites=("A", "B"))
    seats = {"A": int(rng.integers(0, 6)), "B": int(rng.integers(0, 6))}
    got = standing_times(build(rows), seats=seats).set_index("contact_id")
    for site in ("A", "B"):
        mine = [r for r in rows if r["site"] == site]
        arr = [r["arr"] for r in mine]
        leave = [r.get("call", r.get("end")) for r in mine]
        stood, sat = _reference_standing(arr, leave, seats[site])
        ids = [r["id"] for r in mine]
        np.testing.assert_array_equal(got.loc[ids, "standing_s"].to_numpy(), np.array(stood) * 60.0)
        np.testing.assert_array_equal(got.loc[ids, "seated_s"].to_numpy(), np.array(sat) * 60.0)


def test_seated_ones_arrived_before_standing_ones():
    # consequence of the rule: at any instant the seated are the earliest arrivals present
    rng = np.random.default_rng(11)
    rows = _random_day(rng, n=300)
    df = build(rows)
    st_ = standing_times(df, seats=4)
    arrive = df["arrived_at"]
    leave = df["called_at"].fillna(df["ended_at"])
    for t in pd.date_range(arrive.min(), leave.max(), freq="7min"):
        here = (arrive <= t) & (leave > t)
        seated = here & st_["seated_at"].notna() & (st_["seated_at"] <= t)
        if (here & ~seated).any() and seated.any():
            assert arrive[seated].max() <= arrive[here & ~seated].min()
        assert seated.sum() == min(4, here.sum())


waits = st.lists(st.tuples(st.integers(0, 120), st.integers(0, 90)), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(stays=waits, seats=st.integers(0, 8), extra=st.integers(1, 5))
def test_more_seats_never_raise_standing_or_breaches(stays, seats, extra):
    rows = [
        {"id": f"c{k}", "ticket": f"T{k:03d}", "arr": a, "call": a + w, "start": a + w, "end": a + w + 3}
        for k, (a, w) in enumerate(stays)
    ]
    df = build(rows)
    few = check_compliance(df, "standing45_seated60", seats=seats)
    many = check_compliance(df, "standing45_seated60", seats=seats + extra)
    assert (many.standing_seconds <= few.standing_seconds).all()
    n_few = (few.breaches["rule"] == "standing_45").sum()
    n_many = (many.breaches["rule"] == "standing_45").sum()
    assert n_many <= n_few
    # unknown seats is the worst case: everything standing
    unknown = check_compliance(df, "standing45_seated60", seats=None)
    assert (few.standing_seconds <= unknown.standing_seconds).all()
    for r in (few, many, unknown):
        assert r.summary["share"].between(0, 1).all()
        assert r.daily["share"].between(0, 1).all()
        for col in [c for c in r.summary.columns if c.startswith("share_")]:
            assert r.summary[col].between(0, 1).all()
        # standing + seated is the whole wait
        total = (df["called_at"] - df["arrived_at"]).dt.total_seconds().to_numpy()
        np.testing.assert_array_equal(r.standing_seconds.to_numpy() + r.seated_seconds.to_numpy(), total)


def _reference_turn_order(df: pd.DataFrame, tol: float) -> dict[str, tuple[int, str]]:
    """All pairs, O(n^2): overtaking id -> (how many it overtook, earliest-issued overtaken id)."""
    rows = df[df["called_at"].notna()].reset_index(drop=True)
    out: dict[str, tuple[int, str]] = {}
    for _, b in rows.iterrows():
        over = []
        for _, a in rows.iterrows():
            same = (a["site"], a["queue"], a["priority"], a["arrived_at"].date()) == (
                b["site"],
                b["queue"],
                b["priority"],
                b["arrived_at"].date(),
            )
            if (
                same
                and a["arrived_at"] < b["arrived_at"]
                and (a["called_at"] - b["called_at"]).total_seconds() > tol
            ):
                over.append((a["arrived_at"], a["called_at"], a["contact_id"]))
        if over:
            out[b["contact_id"]] = (len(over), min(over)[2])
    return out


@pytest.mark.parametrize(("seed", "tol"), [(0, 0.0), (1, 0.0), (2, 120.0), (3, 60.0)])
def test_turn_order_matches_all_pairs_reference(seed, tol):
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(70):
        arr = int(rng.integers(0, 60))
        rows.append(
            {
                "id": f"c{k}",
                "ticket": f"T{k}",
                "arr": arr,
                "call": arr + int(rng.integers(0, 40)),
                "outcome": "no_show",
                "queue": str(rng.choice(["caja", "plataforma"])),
                "priority": int(rng.integers(0, 2)),
            }
        )
    df = build(rows)
    got = turn_order_violations(df, tolerance_s=tol)
    ref = _reference_turn_order(df, tol)
    assert len(ref) > 5  # the random day does have swaps
    assert (
        dict(
            zip(
                got["contact_id"],
                zip(got["overtaken"], got["overtaken_contact_id"], strict=True),
                strict=True,
            )
        )
        == ref
    )
    assert (got["delay_s"] > tol).all()


def test_turn_order_groups_by_priority_day_and_kiosk():
    rows = [
        {"id": "a", "arr": 0, "call": 30, "outcome": "no_show", "priority": 0},
        {
            "id": "b",
            "arr": 1,
            "call": 10,
            "outcome": "no_show",
            "priority": 1,
        },  # priority jumps the line: fine
        {"id": "c", "arr": 2, "call": 20, "outcome": "no_show", "channel": "phone"},  # calls have no turns
        {"id": "d", "arr": 24 * 60 + 3, "call": 24 * 60 + 5, "outcome": "no_show"},  # next day
        {"id": "e", "arr": 4, "call": 30, "outcome": "no_show"},  # same call time as a: no overtaking
    ]
    assert turn_order_violations(build(rows)).empty


def test_bad_arguments_are_named(morning):
    with pytest.raises(
        ValueError, match=r"`seats` must be a whole number of seats >= 0 \(or None when unknown\), got -1"
    ):
        standing_times(morning, seats=-1)
    with pytest.raises(ArgumentError, match=r"`seats\['Centro'\]` must be a whole number"):
        check_compliance(morning, seats={"Centro": 2.5})
    with pytest.raises(ArgumentError, match="`seats` must be a whole number"):
        check_compliance(morning, seats=True)
    with pytest.raises(ArgumentError, match="`no_shows` must be 'count' or 'exclude'"):
        check_compliance(morning, no_shows="maybe")
    with pytest.raises(ArgumentError, match="`tolerance_s` must be"):
        turn_order_violations(morning, tolerance_s=-1)
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['called_at'\]"):
        standing_times(morning.drop(columns="called_at"), seats=3)


def test_schema_problems_are_refused(morning):
    from waitlab.exceptions import SchemaError

    bad = morning.copy()
    bad.loc[0, "called_at"] = bad.loc[0, "arrived_at"] - pd.Timedelta(minutes=1)
    with pytest.raises(SchemaError, match="events out of order"):
        check_compliance(bad)


def test_numpy_integer_seats_and_empty_table(morning):
    r = check_compliance(morning, seats=np.int64(3))
    assert r.standing_seconds["C08"] == 36 * 60.0
    empty = check_compliance(morning.iloc[0:0], seats=3)
    assert empty.breaches.empty and empty.turn_order.empty and empty.daily.empty and empty.summary.empty
    assert empty.compliant
    assert "0 contacts" in str(empty)


def test_contact_with_unknown_departure_is_left_out_and_noted():
    rows = [
        {"id": "a", "arr": 0, "call": 40, "start": 40, "end": 45, "outcome": "served"},
        {"id": "x", "arr": 1, "outcome": "other"},  # cancelled by staff: no called_at, no ended_at
        {"id": "b", "arr": 2, "call": 50, "start": 50, "end": 55, "outcome": "served"},
    ]
    r = check_compliance(build(rows), "CABA", seats=1)
    assert np.isnan(r.standing_seconds["x"])
    assert any("neither called_at nor ended_at" in n for n in r.notes)
    # x holds no place: b stands from 2 until a is called at 40 (38 min), then sits
    assert r.standing_seconds["b"] == 38 * 60.0
    assert r.breaches["contact_id"].tolist() == ["b"]
    assert r.breaches["excess_s"].tolist() == [8 * 60.0]
