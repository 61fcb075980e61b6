"""Interval analytics at the edges: border-spanning spans, missing columns, bad input, grouping."""

import re

import numpy as np
import pandas as pd
import pytest
from analytics_helpers import TZ, build, stamp

from waitlab.analytics import KPI_COLUMNS, interval_stats, summary_kpis
from waitlab.exceptions import ArgumentError, SchemaError
from waitlab.schema import coerce_contacts


def test_long_wait_and_service_are_split_exactly_over_borders():
    # One customer waits 09:20 -> 10:40 (80 min), then is served 10:40 -> 11:10 at desk A.
    c = build([("1", "served", "09:20:00", "10:40:00", "10:40:00", "11:10:00", "A")])
    t = interval_stats(c, interval="30min")
    starts = ["09:00:00", "09:30:00", "10:00:00", "10:30:00", "11:00:00"]
    assert t["interval_start"].tolist() == [stamp(s) for s in starts]
    # wait overlaps: 600, 1800, 1800, 600, 0 seconds; in the middle intervals no event happens,
    # so the max (1) comes from the level carried in from earlier.
    assert t["waiting_mean"].tolist() == pytest.approx([600 / 1800, 1, 1, 600 / 1800, 0])
    assert t["waiting_max"].tolist() == [1, 1, 1, 1, 0]
    # service overlaps: 10:40-11:00 = 1200 s, 11:00-11:10 = 600 s.
    assert t["desks_busy"].tolist() == pytest.approx([0, 0, 0, 1200 / 1800, 600 / 1800])
    assert t["desks_present"].tolist() == [0, 0, 0, 1, 1]
    # the arrival and its wait figures stay in the arrival interval; later ones are empty rows.
    assert t["arrivals"].tolist() == [1, 0, 0, 0, 0]
    assert t.loc[0, "wait_mean"] == 4800
    assert t.loc[1:, "wait_mean"].isna().all()


def test_span_ending_exactly_on_a_border_does_not_leak():
    # Wait 09:00 -> 09:30 exactly: all of it in [09:00, 09:30), none after.
    c = build([("1", "served", "09:00:00", "09:30:00", "09:30:00", "09:45:00", "A")])
    t = interval_stats(c, interval="30min")
    assert t["waiting_mean"].tolist() == pytest.approx([1.0, 0.0])
    assert t["waiting_max"].tolist() == [1, 0]  # at 09:30 the customer has been called
    assert t["desks_present"].tolist() == [0, 1]


def test_empty_intervals_inside_the_span_are_zero_rows():
    c = build([
        ("1", "served", "09:00:00", "09:01:00", "09:01:00", "09:02:00", "A"),
        ("2", "served", "11:10:00", "11:11:00", "11:11:00", "11:12:00", "A"),
    ])  # fmt: skip
    t = interval_stats(c, interval="1h")
    assert t["arrivals"].tolist() == [1, 0, 1]
    assert t.loc[1, ["served", "abandoned", "no_show", "other"]].tolist() == [0, 0, 0, 0]
    assert t.loc[1, "waiting_mean"] == 0 and t.loc[1, "desks_busy"] == 0


def test_column_contract_and_grouping_keys():
    c = build([("1", "served", "09:00:00", "09:01:00", "09:01:00", "09:02:00", "A")])
    t = interval_stats(c, by=["site", "queue", "channel", "dow"])
    assert list(t.columns) == ["interval_start", "site", "queue", "channel", "dow", *KPI_COLUMNS]
    assert str(t["interval_start"].dt.tz) == TZ
    assert t.loc[0, "dow"] == 0  # Monday
    assert interval_stats(c, by="server")["server"].tolist() == ["A"]


def test_groups_share_every_interval_and_null_keys_are_a_group():
    c = build([
        ("1", "served", "09:00:00", "09:01:00", "09:01:00", "09:02:00", "A"),
        ("2", "abandoned", "09:40:00", None, None, "09:41:00", None),
    ])  # fmt: skip
    t = interval_stats(c, by=["server"])
    assert len(t) == 4  # desks A and <NA>, two intervals each
    assert t.groupby("server", dropna=False)["arrivals"].sum().tolist() == [1, 1]


@pytest.mark.parametrize("how", ["drop", "null"])
def test_missing_server_blanks_only_desk_kpis_and_says_so(how):
    c = build([("1", "served", "09:00:00", "09:01:00", "09:01:00", "09:11:00", "A")])
    c = c.drop(columns="server") if how == "drop" else c.assign(server=pd.NA)
    t = interval_stats(c)  # a note, not a warning (pytest turns warnings into errors)
    assert any(re.search(r"`server` is .*desks_present, desks_on_duty, occupancy are NaN", n) for n in t.notes)
    assert t[["desks_present", "occupancy"]].isna().all().all()
    assert t.loc[0, "desks_busy"] == pytest.approx(600 / 1800)  # needs no server
    assert t.loc[0, "arrivals"] == 1 and t.loc[0, "asa"] == 60
    assert any("server" in n for n in t.notes)


def test_missing_outcome_and_times_blank_their_kpis():
    df = pd.DataFrame(
        {"arrived_at": pd.to_datetime(["2024-03-04 09:00", "2024-03-04 09:10"]).tz_localize(TZ)}
    )
    t = interval_stats(df)
    text = " ".join(t.notes)
    assert "`outcome` is missing" in text and "`called_at` is missing" in text
    assert t.loc[0, "arrivals"] == 2
    assert (
        t[["served", "asa", "sl_offered", "abandon_rate", "wait_mean", "waiting_mean", "mean_service"]]
        .isna()
        .all()
        .all()
    )
    k = summary_kpis(df)
    assert any("`outcome` is missing" in n for n in k.notes)
    assert k["arrivals"] == 2 and np.isnan(k["served"])


def test_bad_input_is_named():
    c = build([("1", "served", "09:00:00", "09:01:00", "09:01:00", "09:02:00", "A")])
    with pytest.raises(SchemaError, match="`by` names column 'desk'"):
        interval_stats(c, by=["desk"])
    with pytest.raises(ArgumentError, match="`interval` must be a fixed length"):
        interval_stats(c, interval="monthly")
    with pytest.raises(ArgumentError, match="`sl_threshold` must be"):
        interval_stats(c, sl_threshold=-1)
    with pytest.raises(SchemaError, match="no `arrived_at` column"):
        interval_stats(c.drop(columns="arrived_at"))
    naive = c.assign(arrived_at=c["arrived_at"].dt.tz_localize(None))
    with pytest.raises(SchemaError, match="timezone-aware"):
        interval_stats(naive)


def test_rows_without_arrival_are_counted_out_loudly():
    c = build([
        ("1", "served", "09:00:00", "09:01:00", "09:01:00", "09:02:00", "A"),
        ("2", "served", None, "09:01:00", "09:01:00", "09:02:00", "A"),
    ])  # fmt: skip
    t = interval_stats(c)
    assert any("1 contact(s) have no `arrived_at`" in n for n in t.notes)
    assert t["arrivals"].sum() == 1


def test_empty_table():
    c = coerce_contacts(pd.DataFrame({"contact_id": []}), tz=TZ)
    t = interval_stats(c, by=["queue"])
    assert t.empty and list(t.columns) == ["interval_start", "queue", *KPI_COLUMNS]
    assert summary_kpis(c)["arrivals"] == 0
