"""Shift rosters: coverage checked directly from the chosen shifts, cost against brute force."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from waitlab.planning import (
    MealBreak,
    RosterInfeasibleError,
    ShiftTemplate,
    ShiftTemplateError,
    ShiftTemplates,
    load_shifts,
    solve_roster,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "waitlab" / "planning" / "examples" / "shifts.toml"
H = 3600.0


def present_whole_interval(row, a: float, b: float) -> bool:
    """Is a person on this roster row at the desk for every minute of [a, b)? (minute by minute)"""
    for t in np.arange(a, b, 60.0):
        if not (row["start_s"] <= t < row["end_s"]):
            return False
        if not np.isnan(row["break_start_s"]) and row["break_start_s"] <= t < row["break_end_s"]:
            return False
    return True


def direct_coverage(roster, n: int, interval: float, day_start: float) -> np.ndarray:
    out = np.zeros(n, dtype=int)
    for _, row in roster.shifts.iterrows():
        for i in range(n):
            a = day_start + i * interval
            if present_whole_interval(row, a, a + interval):
                out[i] += row["count"]
    return out


def small_templates(part_max: int | None = None, total_max: int | None = None) -> ShiftTemplates:
    full = ShiftTemplate(name="full", start_earliest=0.0, start_latest=2 * H, start_step=H, length=4 * H,
                         cost_per_hour=10.0, meal_break=MealBreak(length=H, earliest=H, latest=2 * H, step=H))
    part = ShiftTemplate(name="part", start_earliest=0.0, start_latest=4 * H, start_step=2 * H, length=2 * H,
                         cost_per_shift=25.0, part_time=True, max_staff=part_max)
    return ShiftTemplates((full, part), max_staff=total_max)


# The same 9 columns written out by hand: (type, intervals covered of the 6 one-hour intervals, cost).
# full: 4 h from s with an unpaid 1 h break at s+1 h or s+2 h -> 3 paid hours at 10 = 30.
# part: 2 h at 0, 2 or 4 h for 25.
HAND_COLUMNS = [
    ("full", {0, 2, 3}, 30.0), ("full", {0, 1, 3}, 30.0),
    ("full", {1, 3, 4}, 30.0), ("full", {1, 2, 4}, 30.0),
    ("full", {2, 4, 5}, 30.0), ("full", {2, 3, 5}, 30.0),
    ("part", {0, 1}, 25.0), ("part", {2, 3}, 25.0), ("part", {4, 5}, 25.0),
]


def brute_force(req: list[int], part_max: int | None = None, total_max: int | None = None) -> float:
    cover = np.array([[1 if i in c else 0 for i in range(6)] for _, c, _ in HAND_COLUMNS])
    cost = np.array([c for _, _, c in HAND_COLUMNS])
    is_part = np.array([k == "part" for k, _, _ in HAND_COLUMNS])
    top = max(req)  # more copies of one column than the largest requirement are never needed
    x = np.array(list(itertools.product(range(top + 1), repeat=len(HAND_COLUMNS))))
    ok = np.all(x @ cover >= np.array(req), axis=1)
    if part_max is not None:
        ok &= x[:, is_part].sum(axis=1) <= part_max
    if total_max is not None:
        ok &= x.sum(axis=1) <= total_max
    return float((x[ok] @ cost).min()) if ok.any() else np.inf


@pytest.mark.parametrize(
    ("req", "part_max", "total_max"),
    [([2, 2, 3, 3, 2, 1], None, None), ([1, 3, 2, 3, 2, 2], 1, None), ([3, 1, 3, 1, 3, 1], None, None),
     ([2, 2, 2, 2, 2, 2], 0, None), ([1, 1, 1, 1, 1, 1], None, 2)],
)
def test_cost_equals_brute_force_optimum(req, part_max, total_max):
    templates = small_templates(part_max, total_max)
    expected = brute_force(req, part_max, total_max)
    roster = solve_roster(req, templates, interval=H, day_start=0.0)
    assert roster.cost == pytest.approx(expected)
    assert roster.optimal
    cov = direct_coverage(roster, 6, H, 0.0)
    assert np.all(cov >= np.array(req))
    np.testing.assert_array_equal(cov, roster.coverage)
    np.testing.assert_array_equal(roster.over_coverage, cov - np.array(req))
    # the stated cost is the sum of the chosen shifts' costs, worked out from the hand columns
    assert float(roster.shifts["cost"].sum()) == pytest.approx(roster.cost)
    if part_max is not None:
        assert roster.shifts.loc[roster.shifts["shift"] == "part", "count"].sum() <= part_max
    if total_max is not None:
        assert roster.staff <= total_max


def test_example_templates_cover_a_branch_day_directly():
    templates = load_shifts(EXAMPLE)
    rng = np.random.default_rng(7)
    base = np.r_[np.full(8, 3), np.full(8, 6), np.full(12, 11), np.full(8, 7), np.full(12, 9)]
    req = np.maximum(0, base + rng.integers(-1, 2, base.size))
    roster = solve_roster(req, templates, interval=900.0, day_start=8 * H)
    cov = direct_coverage(roster, req.size, 900.0, 8 * H)
    assert np.all(cov >= req), np.flatnonzero(cov < req)
    np.testing.assert_array_equal(cov, roster.coverage)
    table = roster.table()
    assert list(table.columns) == ["interval", "start_s", "required", "present", "over"]
    assert table["interval"].iloc[0] == "08:00–08:15"
    # breaks are placed inside their window and shift starts on their grid
    full = roster.shifts[roster.shifts["shift"] == "full-time"]
    offs = full["break_start_s"] - full["start_s"]
    assert ((offs >= 3 * H) & (offs <= 5 * H) & (offs % 900 == 0)).all()
    assert "paid hours" in str(roster)


def test_no_template_covers_evening_interval():
    templates = small_templates()  # shifts end by 06:00
    req = [1, 1, 1, 1, 1, 1, 1, 1]  # 8 one-hour intervals: 06:00-08:00 cannot be covered
    with pytest.raises(RosterInfeasibleError, match=r"no shift template covers 06:00–08:00") as info:
        solve_roster(req, templates, interval=H)
    assert info.value.intervals == [6, 7]


def test_interval_during_every_break_is_named():
    only = ShiftTemplate(name="x", start_earliest=0.0, start_latest=0.0, start_step=H, length=3 * H,
                         cost_per_hour=1.0, meal_break=MealBreak(length=H, earliest=H, latest=H, step=H))
    with pytest.raises(RosterInfeasibleError, match=r"no shift template covers 01:00–02:00"):
        solve_roster([1, 1, 1], ShiftTemplates((only,)), interval=H)


def test_max_staff_too_low_names_the_interval():
    templates = small_templates(part_max=1, total_max=3)
    req = [1, 1, 4, 1, 1, 1]
    with pytest.raises(RosterInfeasibleError, match=r"max staff too low at 02:00–03:00: 4 desks required"):
        solve_roster(req, templates, interval=H)


def test_jointly_infeasible_names_shortfall_intervals():
    # one shift type, start 00:00, 3 h, a 1 h break starting 0, 1 or 2 h in: each person covers 2 of 3
    # intervals. With at most 2 people, 4 desk-hours < 6 needed, although every single interval could reach 2.
    t = ShiftTemplate(name="x", start_earliest=0.0, start_latest=0.0, start_step=H, length=3 * H,
                      cost_per_hour=1.0, max_staff=2, meal_break=MealBreak(length=H, earliest=0.0, latest=2 * H, step=H))
    with pytest.raises(RosterInfeasibleError, match=r"cannot cover .* short by") as info:
        solve_roster([2, 2, 2], ShiftTemplates((t,)), interval=H)
    assert sum(info.value.shortfall) == 2


def test_template_file_errors_name_the_key(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[[shift]]\nname = "a"\nstart = { earliest = "8:00", latest = "7:00" }\nlength = "8h"\n'
                   "cost_per_hour = 1\n")
    with pytest.raises(ShiftTemplateError, match=r"s.toml.*'a'.*start `latest` \(07:00\) is before"):
        load_shifts(bad)
    bad.write_text('[[shift]]\nname = "a"\nstart = { earliest = "8:00" }\nlength = "8 hours"\ncolor = 1\n')
    with pytest.raises(ShiftTemplateError, match=r"unknown key\(s\) \['color'\]"):
        load_shifts(bad)
    bad.write_text('[[shift]]\nname = "a"\nstart = { earliest = "8:00" }\nlength = "eight"\ncost_per_hour = 1\n')
    with pytest.raises(ShiftTemplateError, match=r"length = 'eight' is not a duration"):
        load_shifts(bad)
    bad.write_text('[[shift]]\nname = "a"\nstart = { earliest = "8:00" }\nlength = "4h"\ncost_per_hour = 1\n'
                   'break = { length = "1h", earliest = "3h30min" }\n')
    with pytest.raises(ShiftTemplateError, match=r"ends after the 4 h shift"):
        load_shifts(bad)
    bad.write_text('[[shift]]\nname = "a"\nstart = { earliest = "8:00" }\nlength = "4h"\n')
    with pytest.raises(ShiftTemplateError, match=r"costs nothing"):
        load_shifts(bad)


def test_requirement_validation():
    with pytest.raises(ValueError, match=r"interval 1 has -1"):
        solve_roster([1, -1], small_templates(), interval=H)
    with pytest.raises(ValueError, match=r"`interval` must be a positive"):
        solve_roster([1], small_templates(), interval=0)
