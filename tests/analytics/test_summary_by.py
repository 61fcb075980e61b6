"""summary_by: each group measured over its own period, exactly as summary_kpis of the group alone."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from waitlab.analytics import KPI_COLUMNS, summary_by, summary_kpis
from waitlab.readers import read_log

DATA = Path(__file__).parents[2] / "datasets"


def test_each_day_of_the_branch_log_equals_its_own_summary():
    log, _ = read_log(DATA / "branch_kiosk.csv", format="kiosk", mapping="vendor_a_es")
    log = log.assign(day=log["arrived_at"].dt.date.astype(str))
    table = summary_by(log, "day", sl_threshold=600.0)
    assert list(table.index) == list(dict.fromkeys(log["day"]))
    for day, part in log.groupby("day"):
        alone = summary_kpis(part, sl_threshold=600.0)
        for k in KPI_COLUMNS:
            assert table.at[day, k] == pytest.approx(alone[k], rel=1e-12, nan_ok=True), (day, k)
        assert table.at[day, "span_s"] == alone["span_s"]


def test_time_averages_use_the_groups_own_span():
    # two groups: one customer waiting 10 min in a 20-min period, one waiting 1 min in a 2-min period
    t = pd.Timestamp("2024-03-04 10:00", tz="America/Argentina/Buenos_Aires")
    m = pd.Timedelta(minutes=1)
    df = pd.DataFrame({
        "g": ["a", "b"], "arrived_at": [t, t], "called_at": [t + 10 * m, t + m],
        "started_at": [t + 10 * m, t + m], "ended_at": [t + 20 * m, t + 2 * m],
        "outcome": ["served", "served"], "server": ["d1", "d2"],
    })
    table = summary_by(df, "g")
    # L = 10 min waited / 20 min span = 0.5; busy = 10 / 20 = 0.5 (a); 1/2 and 1/2 (b)
    np.testing.assert_allclose(table["waiting_mean"], [0.5, 0.5])
    np.testing.assert_allclose(table["desks_busy"], [0.5, 0.5])
    np.testing.assert_allclose(table["span_s"], [1200.0, 120.0])


def test_unknown_column_is_named():
    with pytest.raises(Exception, match="`by` names column 'nope'"):
        summary_by(pd.DataFrame({"arrived_at": pd.to_datetime(["2024-03-04"]).tz_localize("UTC")}), "nope")
