"""Notes come back one way: ``.notes`` on the result, never a warning, a dict key or ``attrs``."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from analytics_helpers import build

from waitlab.analytics import (
    KpiSummary,
    NotedFrame,
    idle_gaps,
    interval_stats,
    patience,
    summary_by,
    summary_kpis,
)


@pytest.fixture
def flawed():
    """Three contacts, one without `arrived_at`, and no `server` column at all.

    By hand: two contacts count (one served, one abandoned), both arriving 09:00-09:30;
    desks_present and occupancy need `server`, so they cannot be computed.
    """
    c = build([
        ("1", "served", "09:00:00", "09:01:00", "09:01:00", "09:05:00", "A"),
        ("2", "abandoned", "09:10:00", None, None, "09:12:00", None),
        ("3", "served", None, "09:20:00", "09:20:00", "09:25:00", "A"),
    ])  # fmt: skip
    return c.drop(columns="server")


def _no_arrival(who):
    return f"{who}: 1 contact(s) have no `arrived_at` and are left out of every KPI."


def _no_server(who):
    return f"{who}: column `server` is missing, so desks_present, desks_on_duty, occupancy are NaN; the other KPIs are computed."


def test_a_known_data_problem_is_a_note_on_each_result_and_no_warning(flawed):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        k = summary_kpis(flawed)
        t = interval_stats(flawed, interval="30min")
        by = summary_by(flawed, "queue")
        gaps = idle_gaps(flawed)
        pat = patience(flawed)
    assert isinstance(k, KpiSummary) and "notes" not in k
    assert (k["arrivals"], k["served"], k["abandoned"]) == (2, 1, 1)
    assert np.isnan(k["desks_present"]) and np.isnan(k["occupancy"])
    assert k.notes == (_no_arrival("summary_kpis"), _no_server("summary_kpis"))
    assert isinstance(t, NotedFrame) and t["arrivals"].tolist() == [2] and t.attrs == {}
    assert t.notes == (_no_arrival("interval_stats"), _no_server("interval_stats"))
    assert by.loc["caja", "arrivals"] == 2
    assert by.notes == (_no_arrival("summary_by"), _no_server("summary_by"))
    assert _no_arrival("idle_gaps") in gaps.notes
    assert "idle_gaps: column `server` is missing, so there are no idle gaps to compute." in gaps.notes
    assert _no_arrival("patience") in pat.notes and (pat.n_exact, pat.n_right) == (1, 1)


def test_a_clean_log_has_no_data_notes_only_the_desks_on_duty_method():
    c = build([("1", "served", "09:00:00", "09:01:00", "09:01:00", "09:05:00", "A")])
    for notes in (summary_kpis(c).notes, interval_stats(c).notes, summary_by(c, "queue").notes):
        assert len(notes) == 1 and notes[0].startswith("desks_on_duty: estimator 'available' (the default)")


def test_noted_frame_keeps_notes_through_selection_and_copy_and_drops_them_in_concat(flawed, tmp_path):
    t = interval_stats(flawed, interval="10min")
    notes = t.notes
    assert len(notes) == 2
    assert type(t["arrivals"]) is pd.Series  # a column is a plain Series
    for derived in (t[t["arrivals"] > 0], t[["interval_start", "arrivals"]], t.iloc[:1], t.copy(),
                    t.assign(x=1), t.reset_index(drop=True)):  # fmt: skip
        assert derived.notes == notes
    assert pd.concat([t, t]).notes == ()  # two tables' notes may differ: concat keeps none
    assert pickle.loads(pickle.dumps(t)).notes == notes  # st.cache_data pickles results
    t.to_parquet(tmp_path / "t.parquet")
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert back["arrivals"].tolist() == t["arrivals"].tolist() == [1, 1]
    t.assign(interval_start=t["interval_start"].dt.tz_localize(None)).to_excel(tmp_path / "t.xlsx", index=False)
    assert pd.read_excel(tmp_path / "t.xlsx")["arrivals"].tolist() == [1, 1]


def test_kpi_summary_reads_like_a_dict_and_pickles_its_notes(flawed):
    k = summary_kpis(flawed)
    again = pickle.loads(pickle.dumps(k))
    assert isinstance(again, KpiSummary) and list(again) == list(k) and again.notes == k.notes
    assert again["arrivals"] == 2 and np.isnan(again["occupancy"])
    assert dict(k)["arrivals"] == 2 and "notes" not in dict(k)
