"""desks_on_duty measured from the log's member events (on_duty="log"), against hand counts."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from waitlab import interval_stats
from waitlab.exceptions import ArgumentError
from waitlab.readers import read_log

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "readers"))
from test_readers_asterisk_sessions import CALLS, MEMBER, write_log  # noqa: E402


@pytest.fixture
def logged(tmp_path):
    return read_log(write_log(tmp_path, MEMBER + CALLS), format="asterisk", tz="UTC")


def test_on_duty_from_the_log_per_quarter_and_hour(logged):
    contacts, report = logged
    q = interval_stats(contacts, "15min", on_duty="log", sessions=report.agent_sessions)
    # minutes logged in and not paused per quarter (see MEMBER):
    # [0,15): 1001 15 + 1002 5 + 1004 10; [15,30): 1001 5 + 1002 15; [30,45): 1001 15 + 1002 10;
    # [45,60): 1001 5 + 1003 13 (open at the end, ends at minute 58)
    assert np.allclose(q["desks_on_duty"], [30 / 15, 20 / 15, 25 / 15, 18 / 15])
    h = interval_stats(contacts, "1h", on_duty="log", sessions=report.agent_sessions)
    assert np.allclose(h["desks_on_duty"], [93 / 60])
    assert np.isclose(h["desks_on_duty"].iloc[0], q["desks_on_duty"].mean())
    assert any("measured from the log's member events" in n for n in h.notes)


def test_on_duty_from_the_log_per_queue(logged):
    contacts, report = logged
    q = interval_stats(contacts, "15min", by="queue", on_duty="log", sessions=report.agent_sessions)
    sales = q[q["queue"] == "sales"]["desks_on_duty"].to_numpy()
    support = q[q["queue"] == "support"]["desks_on_duty"].to_numpy()
    # Agent/1002 logged in without a queue: it counts for both queues it served
    assert np.allclose(sales, [30 / 15, 20 / 15, 25 / 15, 18 / 15])
    assert np.allclose(support, [5 / 15, 15 / 15, 10 / 15, 0])
    h = interval_stats(contacts, "1h", by="queue", on_duty="log", sessions=report.agent_sessions)
    assert np.allclose(h.set_index("queue")["desks_on_duty"].loc[["sales", "support"]], [93 / 60, 30 / 60])


def test_log_without_member_events_falls_back_to_the_default(tmp_path):
    contacts, report = read_log(write_log(tmp_path, CALLS), format="asterisk", tz="UTC")
    got = interval_stats(contacts, "15min", on_duty="log", sessions=report.agent_sessions)
    default = interval_stats(contacts, "15min")
    assert np.allclose(got["desks_on_duty"], default["desks_on_duty"])
    assert any("no member events" in n and "'available' is used" in n for n in got.notes)
    nothing = interval_stats(contacts, "15min", on_duty="log")
    assert any("no `sessions` table was given" in n for n in nothing.notes)


def test_sessions_without_log_estimator_is_refused(logged):
    contacts, report = logged
    with pytest.raises(ArgumentError, match="on_duty='log'"):
        interval_stats(contacts, "15min", sessions=report.agent_sessions)
    with pytest.raises(ArgumentError, match="sessions"):
        interval_stats(contacts, "15min", on_duty="log", sessions=[1, 2])
    naive = report.agent_sessions.assign(start=report.agent_sessions["start"].dt.tz_localize(None))
    with pytest.raises(ArgumentError, match="timezone-aware"):
        interval_stats(contacts, "15min", on_duty="log", sessions=naive)


def test_summary_kpis_over_the_span(logged):
    from waitlab import summary_kpis

    contacts, report = logged
    s = summary_kpis(contacts, on_duty="log", sessions=report.agent_sessions)
    # span: first arrival (minute 1) to last event (minute 58); the minute [0, 1) held 1001 and 1004
    assert np.isclose(s["desks_on_duty"], (93 - 2) / 57)


def test_agent_in_two_queues_counts_once_and_pauseall_pauses_both(tmp_path):
    t = 1_709_542_800
    lines = [
        f"{t}|NONE|sales|SIP/1|ADDMEMBER|",
        f"{t}|NONE|support|SIP/1|ADDMEMBER|",
        f"{t + 600}|NONE|NONE|SIP/1|PAUSEALL|",
        f"{t + 900}|NONE|NONE|SIP/1|UNPAUSEALL|",
        f"{t + 60}|c1|sales|NONE|ENTERQUEUE||1|1",
        f"{t + 70}|c1|sales|SIP/1|CONNECT|10|x|1",
        f"{t + 130}|c1|sales|SIP/1|COMPLETEAGENT|10|60|1",
        f"{t + 1000}|c2|support|NONE|ENTERQUEUE||2|1",
        f"{t + 1010}|c2|support|SIP/1|CONNECT|10|x|1",
        f"{t + 1800}|c2|support|SIP/1|COMPLETEAGENT|10|790|1",
    ]
    contacts, report = read_log(write_log(tmp_path, lines), format="asterisk", tz="UTC")
    q = interval_stats(contacts, "15min", on_duty="log", sessions=report.agent_sessions)
    # one agent, on duty [0, 10) and [15, 30) min: quarter 1 = 10/15, quarter 2 = 1 (not 2: one agent)
    assert np.allclose(q["desks_on_duty"], [10 / 15, 1])
    per = interval_stats(contacts, "15min", by="queue", on_duty="log", sessions=report.agent_sessions)
    for queue in ("sales", "support"):
        assert np.allclose(per[per["queue"] == queue]["desks_on_duty"], [10 / 15, 1])


def test_staffing_verdicts_compare_with_the_logged_in_agents(logged, tmp_path, capsys):
    from waitlab import staffing_from_log
    from waitlab.cli import main

    contacts, report = logged
    res = staffing_from_log(contacts, interval="15min", on_duty="log", sessions=report.agent_sessions)
    # the same hand count as above: minutes logged in and not paused per quarter
    assert np.allclose(res.table["desks_on_duty"], [30 / 15, 20 / 15, 25 / 15, 18 / 15])
    assert any("measured from the log's member events" in n for n in res.notes)
    path = write_log(tmp_path, MEMBER + CALLS)
    assert main(["staff", str(path), "--format", "asterisk", "--tz", "UTC", "--interval", "15min",
                 "--on-duty", "log", "-o", str(tmp_path / "plan.csv")]) == 0
    import pandas as pd

    plan = pd.read_csv(tmp_path / "plan.csv")
    assert np.allclose(plan["desks_on_duty"], [30 / 15, 20 / 15, 25 / 15, 18 / 15])
    assert "member events" in capsys.readouterr().out
