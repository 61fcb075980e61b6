"""``waitlab plan``: files written, the plan covers every interval, the roster covers the plan, plain errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from waitlab.cli import main

SCENARIO = """\
[scenario]
site = "Sucursal Test"
date = 2024-03-04
start = "10:00"
end = "13:00"
interval_minutes = 15
channel = "kiosk"

[[queue]]
name = "caja"
#                10:00           11:00           12:00
rates_per_hour = [40, 40, 40, 40, 90, 90, 90, 90, 40, 40, 40, 40]
service = { dist = "lognormal", mean = 240, cv = 0.7 }
patience = { dist = "exponential", mean = 2700 }

[[desks]]
name = "caja"
serves = ["caja"]
open = 3
"""

SECOND_GROUP = """
[[queue]]
name = "comercial"
rates_per_hour = 12
service = { dist = "gamma", mean = 600, cv = 0.8 }

[[desks]]
name = "comercial"
serves = ["comercial"]
open = 2
"""

SHIFTS = """\
[[shift]]
name = "morning"
start = { earliest = "10:00", latest = "10:00" }
length = "2h"
cost_per_hour = 10.0

[[shift]]
name = "late"
start = { earliest = "11:00", latest = "11:00" }
length = "2h"
cost_per_hour = 12.0
"""

# nobody can work 10:00-11:00
SHIFTS_GAP = """\
[[shift]]
name = "late"
start = { earliest = "11:00", latest = "11:00" }
length = "2h"
cost_per_hour = 12.0
"""

# one person all day covers one desk everywhere, but not the peak
SHIFTS_TOO_FEW = """\
max_staff = 1

[[shift]]
name = "all-day"
start = { earliest = "10:00", latest = "10:00" }
length = "3h"
cost_per_hour = 10.0
"""

N = 12  # intervals of the test day


@pytest.fixture
def files(tmp_path):
    def write(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def run_plan(*args: object) -> int:
    return main(["plan", *(str(a) for a in args), "-n", "100", "--seed", "3", "-q"])


def minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def coverage_from_roster_csv(path, n: int, day_start_min: int = 600, step: int = 15) -> np.ndarray:
    """People at the desk for the whole of each interval, computed from the roster's shifts minute by minute."""
    roster = pd.read_csv(path, keep_default_na=False)
    out = np.zeros(n, dtype=int)
    for _, row in roster.iterrows():
        start, end = minutes(row["start"]), minutes(row["end"])
        brk = (minutes(row["break_start"]), minutes(row["break_end"])) if row["break_start"] else None
        for i in range(n):
            a = day_start_min + i * step
            present = all(start <= t < end and not (brk and brk[0] <= t < brk[1]) for t in range(a, a + step))
            out[i] += int(row["count"]) if present else 0
    return out


def test_plan_writes_every_file_and_the_roster_covers_the_plan(files, tmp_path, capsys):
    sc, sh = files("day.toml", SCENARIO), files("shifts.toml", SHIFTS)
    out = tmp_path / "out"
    assert run_plan(sc, "--rules", "CABA", "--shifts", sh, "-o", out) == 0
    text = capsys.readouterr().out
    for name in ("plan.csv", "plan_day_targets.csv", "iterations.csv", "plan.png", "roster.csv",
                 "roster_coverage.csv", "curve.csv", "curve.png", "report.md"):
        assert (out / name).is_file(), name
        assert str(out / name) in text  # the summary says where each file is
    plan = pd.read_csv(out / "plan.csv")
    assert len(plan) == N
    assert plan["interval"].iloc[0] == "10:00–10:15" and plan["interval"].iloc[-1] == "12:45–13:00"
    assert (plan["desks"] >= 1).all()
    covered = coverage_from_roster_csv(out / "roster.csv", N)
    assert np.all(covered >= plan["desks"].to_numpy())
    assert "SIPP" in text and "roster:" in text and "customers simulated" in text
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Roster" in report and "## Cost and benefit" in report


def test_every_desk_group_is_planned_in_turn(files, tmp_path, capsys):
    sc = files("two.toml", SCENARIO + SECOND_GROUP)
    out = tmp_path / "out"
    assert run_plan(sc, "-o", out, "--no-curve", "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    assert [g["group"] for g in summary["groups"]] == ["caja", "comercial"]
    assert summary["joint_check"] is True
    overview = pd.read_csv(out / "plan.csv")
    assert len(overview) == N
    assert {"caja_desks", "caja_sipp", "comercial_desks", "comercial_sipp"} <= set(overview.columns)
    for g in ("caja", "comercial"):
        assert (out / g / "plan.csv").is_file() and (out / g / "report.md").is_file()
    assert (out / "joint_check.csv").is_file()
    assert "joint check" in (out / "report.md").read_text(encoding="utf-8").lower()


def test_roster_that_cannot_cover_the_plan_is_reported_and_the_plan_kept(files, tmp_path, capsys):
    sc, sh = files("day.toml", SCENARIO), files("few.toml", SHIFTS_TOO_FEW)
    out = tmp_path / "out"
    assert run_plan(sc, "--shifts", sh, "-o", out, "--no-curve") == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "max staff too low" in err[0] and "Traceback" not in captured.err
    assert "max staff too low" in captured.out
    assert (out / "plan.csv").is_file()
    assert "No roster: max staff too low" in (out / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing scenario", "does not exist"),
        ("bad rules", "unknown rule set 'NOPE'"),
        ("no shift covers 10:00", "no shift template covers 10:00–11:00"),
        ("missing shifts file", "shift templates file"),
        ("unknown group", "no desk group 'x'"),
    ],
)
def test_bad_input_gives_one_plain_line_and_status_2(files, tmp_path, capsys, case, expected):
    sc = files("day.toml", SCENARIO)
    args: list[object] = [sc, "-o", tmp_path / "out"]
    if case == "missing scenario":
        args[0] = tmp_path / "nope.toml"
    elif case == "bad rules":
        args += ["--rules", "NOPE"]
    elif case == "no shift covers 10:00":
        args += ["--shifts", files("gap.toml", SHIFTS_GAP)]
    elif case == "missing shifts file":
        args += ["--shifts", tmp_path / "nope-shifts.toml"]
    else:
        args += ["--group", "x"]
    assert run_plan(*args) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("waitlab plan: ") and expected in lines[0]
    assert "Traceback" not in captured.err
    assert not (tmp_path / "out" / "plan.csv").exists()  # nothing simulated, nothing written


# A rush hour of long services, then a quiet hour: the stationary (SIPP) start gives the quiet hour
# 9 desks, but the rush hour's customers still hold about 100 desks' worth of work at 11:00, so
# customers arriving at 11:00 stand for well over 30 minutes. One simulation (--max-iterations 1)
# leaves no room to fix it: the plan misses the 30-minute limit by far more than its sampling error.
RUSH = SCENARIO.replace('end = "13:00"', 'end = "12:00"').replace(
    "rates_per_hour = [40, 40, 40, 40, 90, 90, 90, 90, 40, 40, 40, 40]",
    "rates_per_hour = [200, 200, 200, 200, 8, 8, 8, 8]").replace(
    'service = { dist = "lognormal", mean = 240, cv = 0.7 }', 'service = { dist = "lognormal", mean = 2400, cv = 0.5 }'
).replace('patience = { dist = "exponential", mean = 2700 }', 'patience = { dist = "exponential", mean = 20000 }')


@pytest.mark.parametrize("curve", [True, False])
def test_a_plan_that_misses_its_target_exits_3_and_names_target_and_fix(tmp_path, capsys, curve):
    sc = tmp_path / "rush.toml"
    sc.write_text(RUSH, encoding="utf-8")
    args = ["plan", str(sc), "--max-iterations", "1", "-n", "50", "--seed", "3", "-q", "-o", str(tmp_path / "out")]
    assert main([*args, *([] if curve else ["--no-curve"])]) == 3
    out, err = capsys.readouterr()
    assert "THIS PLAN MISSES ITS TARGET (significantly): share of standing waits over 30 min" in out
    assert err.startswith("waitlab plan: the plan misses its target significantly (desk group 'caja': share of "
                          "standing waits over 30 min")
    assert err.count("\n") == 1 and (tmp_path / "out" / "plan.csv").is_file()
    if curve:  # the cost curve holds a bigger budget that met every interval's target
        assert "the cost curve's plan of" in out and "met every per-interval target" in out
    else:
        assert "at least one more desk at 11:00–11:15" in out
    assert main([*args, "--no-curve", "--json"]) == 3
    summary = json.loads(capsys.readouterr().out)
    assert summary["meets_targets"] is False and summary["groups"][0]["missed"]
