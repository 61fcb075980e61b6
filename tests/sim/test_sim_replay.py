"""replay(): the day as staffed reproduces a FIFO log, hand-computed waits, monotone in desks, the CLI."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import waitlab
from waitlab.cli import main
from waitlab.exceptions import ScenarioError
from waitlab.schema import coerce_contacts, validate_contacts, wait_seconds
from waitlab.sim import ReplayResult, replay

TZ = "America/Argentina/Buenos_Aires"
DAY = pd.Timestamp("2024-03-04 10:00", tz=TZ)
BRANCH = ("datasets/branch_kiosk.csv", "kiosk", "vendor_a_es")


def fifo_log(arrival, service, desks, walk=None, outcome=None, patience=None):
    """An independent c-desk FIFO log: each customer in arrival order goes to the desk free earliest
    (lowest number on ties); all desks open all day. Times are whole seconds after 10:00."""
    free = np.zeros(desks)
    rows = []
    for i, (a, s) in enumerate(zip(arrival, service, strict=True)):
        d = int(np.argmin(free))  # argmin returns the lowest index on ties
        call = max(a, free[d])
        out = "served" if outcome is None else outcome[i]
        if out == "abandoned":  # left at a + patience without using a desk
            rows.append((a, np.nan, np.nan, a + patience[i], out, None))
            continue
        w = 0.0 if walk is None else walk[i]
        free[d] = call + s
        rows.append((a, call, call + w, call + s, out, f"Caja {d + 1}"))
    sec = pd.to_timedelta
    frame = pd.DataFrame(rows, columns=["a", "c", "s", "e", "outcome", "server"])
    return coerce_contacts(pd.DataFrame({
        "contact_id": [f"T{i:03d}" for i in range(len(rows))], "site": "Test", "queue": "caja", "channel": "kiosk",
        "ticket": [f"C{i:03d}" for i in range(len(rows))], "priority": 0,
        "arrived_at": DAY + sec(frame["a"], unit="s"), "called_at": DAY + sec(frame["c"], unit="s"),
        "started_at": DAY + sec(frame["s"], unit="s"), "ended_at": DAY + sec(frame["e"], unit="s"),
        "outcome": frame["outcome"], "server": frame["server"],
    }), tz=TZ)  # fmt: skip


def waits(contacts):
    return wait_seconds(contacts).set_axis(contacts["contact_id"]).sort_index()


def test_the_day_as_staffed_reproduces_the_real_fifo_waits_exactly():
    # 2 desks kept busy all morning (load ~1.9 erlangs), so each interval really had both desks open
    rng = np.random.default_rng(5)
    arrival = np.sort(rng.integers(0, 7200, 120)).astype(float)
    service = rng.integers(60, 180, 120).astype(float)
    walk = rng.integers(5, 40, 120).astype(float)
    log = fifo_log(arrival, service, 2, walk=walk)
    res = replay(log, rules=None)
    assert isinstance(res, ReplayResult)
    assert all(g.open == (2,) * res.scenario.n_intervals for g in res.scenario.desks)  # precondition
    pd.testing.assert_series_equal(waits(res.contacts), waits(log))
    assert res.replayed["mean_service"] == pytest.approx(res.baseline["mean_service"], rel=1e-12)  # the walk is kept
    row = res.comparison.set_index("kpi").loc["wait_mean"]
    assert row["actual"] == pytest.approx(row["replayed"]) and abs(row["difference"]) < 1e-9
    validate_contacts(res.contacts)


def test_removing_one_of_two_desks_gives_the_hand_computed_waits():
    # arrivals 0, 60, 120, 180 s, 100 s each: two desks never make anyone wait; one desk calls at
    # 0, 100, 200, 300 s, so the waits are 0, 40, 80, 120 s (mean 60 s)
    log = fifo_log([0.0, 60.0, 120.0, 180.0], [100.0] * 4, 2)
    assert waits(log).tolist() == [0.0] * 4
    res = replay(log, {"caja": 1}, rules=None)
    assert waits(res.contacts).tolist() == [0.0, 40.0, 80.0, 120.0]
    assert res.replayed["wait_mean"] == 60.0 and res.baseline["wait_mean"] == 0.0
    assert res.contacts["server"].unique().tolist() == ["caja-1"]


def test_kiosk_abandonments_leave_unless_reached_in_time():
    # customer 1 (arrives 30 s) gave up after 100 s; with one desk busy until 200 s they are not
    # reached and keep their row; with a second desk they are called at once and served
    log = fifo_log([0.0, 30.0, 40.0], [200.0, 0.0, 50.0], 1, outcome=["served", "abandoned", "served"],
                   patience=[0.0, 100.0, 0.0])  # fmt: skip
    same = replay(log, rules=None)
    assert same.contacts["outcome"].tolist() == ["served", "abandoned", "served"]
    assert waits(same.contacts).tolist() == waits(log).tolist() == [0.0, 100.0, 160.0]
    more = replay(log, {"caja": 2}, rules=None)
    assert more.contacts["outcome"].tolist() == ["served"] * 3
    # the newcomer gets the median desk time of the day, (200 + 50) / 2 = 125 s, so desk 2 is busy
    # 30-155 s and the third customer (arrived 40 s) waits 155 - 40 = 115 s
    assert waits(more.contacts).tolist() == [0.0, 0.0, 115.0]


def test_desk_overrides_and_their_errors():
    log = fifo_log([0.0, 60.0, 120.0, 2000.0], [100.0] * 4, 2)
    res = replay(log, {"caja": "+1"}, rules=None)
    base = replay(log, rules=None).scenario.desks[0].open
    assert res.scenario.desks[0].open == tuple(c + 1 for c in base)
    with pytest.raises(
        ScenarioError, match="never open"
    ):  # "-5" leaves no desk: the scenario check refuses it
        replay(log, {"caja": "-5"}, rules=None)
    assert replay(log, {"caja": {"10:30": 3}}, rules=None).scenario.desks[0].open == (base[0], 3)
    assert replay(log, {"caja": [1, 4]}, rules=None).scenario.desks[0].open == (1, 4)
    with pytest.raises(ScenarioError, match="no desk group 'cajas' in the log; the groups are caja"):
        replay(log, {"cajas": 1})
    with pytest.raises(ScenarioError, match="is not a schedule"):
        replay(log, {"caja": "many"})
    with pytest.raises(ScenarioError, match="interval starts are 10:00, 10:30"):
        replay(log, {"caja": {"10:15": 3}})


@pytest.fixture(scope="module")
def branch():
    contacts, _ = waitlab.read_log(BRANCH[0], format=BRANCH[1], mapping=BRANCH[2])
    return contacts


@pytest.mark.parametrize("date", ["2025-03-25", "2025-03-17"])
def test_adding_desks_never_increases_the_mean_wait_on_the_branch_sample(branch, date):
    groups = [g.name for g in replay(branch, date=date, rules=None).scenario.desks]
    means = [replay(branch, dict.fromkeys(groups, f"+{k}"), date=date, rules=None).replayed["wait_mean"]
             for k in range(4)]  # fmt: skip
    assert all(b <= a for a, b in zip(means, means[1:], strict=False)), means


def test_branch_replay_as_staffed_keeps_the_day_and_is_judged_like_the_log(branch):
    res = replay(branch, date="2025-03-25", seats=40)
    validate_contacts(res.contacts)
    assert len(res.contacts) == len(res.actual) == 529
    assert set(res.contacts["contact_id"]) == set(res.actual["contact_id"])
    actual = res.baseline
    assert actual["arrivals"] == 529 and actual["no_show"] == 185  # datasets/README: 185 no-shows that day
    assert actual["breached_total_90"] == 1.0 and actual["breaches_total_90"] >= 206  # 206 waits over 90 min
    assert list(res.comparison.columns) == ["kpi", "actual", "replayed", "difference"]
    assert "wait_mean" in str(res)


def test_cli_prints_the_side_by_side_table(branch, capsys):
    argv = ["replay", BRANCH[0], "--format", BRANCH[1], "--mapping", BRANCH[2], "--date", "2025-03-17"]
    assert main([*argv, "--desks", "Caja=+2"]) == 0
    out = capsys.readouterr().out
    assert "Replay of Sucursal Centro, 2025-03-17" in out and "wait_mean" in out
    assert main([*argv, "--desks", "Caja=8", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc["desks"]["Caja"].values()) == {8}
    rows = {r["kpi"]: r for r in doc["comparison"]}
    assert rows["wait_mean"]["replayed"] < rows["wait_mean"]["actual"]
    assert main([*argv, "--desks", "Cajx=+2"]) == 2
    assert "no desk group 'Cajx' in the log; the groups are" in capsys.readouterr().err
    assert main([*argv, "--desks", "Caja=lots"]) == 2
    assert "is not GROUP=+N" in capsys.readouterr().err


def test_cli_detects_the_log_format_like_the_other_log_commands(branch, capsys):
    # --format used to be required here only; now the log options are the same in every command
    argv = ["replay", BRANCH[0], "--mapping", BRANCH[2], "--date", "2025-03-17", "--desks", "Caja=+1", "--json"]
    assert main(argv) == 0
    detected = json.loads(capsys.readouterr().out)
    assert main([*argv, "--format", BRANCH[1]]) == 0
    assert json.loads(capsys.readouterr().out) == detected
