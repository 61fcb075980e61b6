"""The contacts schema: coercion, derived durations and every row rule, on hand-made rows."""

import pandas as pd
import pytest

from waitlab.exceptions import SchemaError
from waitlab.schema import coerce_contacts, row_problems, service_seconds, validate_contacts, wait_seconds

TZ = "America/Argentina/Buenos_Aires"


def _rows(*rows):
    cols = ["contact_id", "queue", "channel", "outcome", "arrived_at", "called_at", "started_at", "ended_at"]
    return coerce_contacts(pd.DataFrame(rows, columns=cols), tz=TZ)


def test_good_rows_pass_and_durations_are_in_seconds():
    df = _rows(
        ("1", "caja", "kiosk", "served", "2024-03-04 10:00:00", "2024-03-04 10:05:00",
         "2024-03-04 10:05:30", "2024-03-04 10:09:30"),
        ("2", "caja", "phone", "abandoned", "2024-03-04 10:00:00", None, None, "2024-03-04 10:02:00"),
        ("3", "caja", "kiosk", "no_show", "2024-03-04 10:00:00", "2024-03-04 10:20:00", None, None),
    )
    validate_contacts(df)
    assert wait_seconds(df).tolist() == [300.0, 120.0, 1200.0]
    assert service_seconds(df).iloc[0] == 240.0
    assert service_seconds(df).iloc[1:].isna().all()
    assert str(df["arrived_at"].dt.tz) == TZ


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (("1", "caja", "kiosk", "served", "2024-03-04 10:00", "2024-03-04 09:00", "2024-03-04 10:06",
          "2024-03-04 10:07"), "events out of order (called_at before arrived_at)"),
        (("1", "caja", "kiosk", "served", "2024-03-04 10:00", "2024-03-05 11:00", "2024-03-05 11:00",
          "2024-03-05 11:07"), "absurd duration (over 24 h)"),
        (("1", "caja", "kiosk", "served", "2024-03-04 10:00", None, None, None),
         "served without called/started/ended time"),
        (("1", "caja", "kiosk", "gone", "2024-03-04 10:00", None, None, None), "unknown outcome"),
        (("1", "caja", "fax", "other", "2024-03-04 10:00", None, None, None), "unknown channel"),
        (("1", "caja", "phone", "abandoned", "2024-03-04 10:00", None, None, None),
         "abandoned without the time they left"),
        (("1", "caja", "kiosk", "no_show", "2024-03-04 10:00", None, None, None),
         "no-show without the time it was called"),
        ((None, "caja", "kiosk", "other", "2024-03-04 10:00", None, None, None), "missing contact_id"),
    ],
)
def test_each_row_rule_names_its_reason(row, reason):
    df = _rows(row)
    assert row_problems(df).tolist() == [reason]
    with pytest.raises(SchemaError, match="break the rule"):
        validate_contacts(df)


def test_duplicates_flag_every_repeat_after_the_first():
    row = ("7", "caja", "kiosk", "other", "2024-03-04 10:00", None, None, None)
    assert row_problems(_rows(row, row, row)).tolist() == ["", "duplicate contact_id", "duplicate contact_id"]


def test_naive_timestamps_need_a_timezone():
    df = pd.DataFrame({"contact_id": ["1"], "arrived_at": [pd.Timestamp("2024-01-01 10:00")]})
    with pytest.raises(SchemaError, match="pass `tz=`"):
        coerce_contacts(df)


def test_missing_column_is_named():
    with pytest.raises(SchemaError, match="missing column"):
        validate_contacts(pd.DataFrame({"contact_id": ["1"]}))


def test_coerce_contacts_turns_categorical_text_into_the_same_strings():
    frame = pd.DataFrame(
        {
            "contact_id": ["a", "b", "c"],
            "queue": pd.Categorical(["caja", None, "caja"]),
            "channel": pd.Categorical(["kiosk"] * 3),
            "ticket": pd.Categorical.from_codes([-1, -1, -1], categories=[]),  # all missing
            "arrived_at": pd.to_datetime(["2024-05-13 09:00"] * 3),
            "outcome": pd.Categorical(["served", "other", None]),
        }
    )
    as_text = frame.assign(**{c: frame[c].astype(object) for c in ("queue", "channel", "ticket", "outcome")})
    got = coerce_contacts(frame, tz="America/Argentina/Buenos_Aires")
    pd.testing.assert_frame_equal(got, coerce_contacts(as_text, tz="America/Argentina/Buenos_Aires"))
    assert got["ticket"].isna().all() and list(got["queue"].fillna("-")) == ["caja", "-", "caja"]


def test_row_problems_of_an_empty_table():
    empty = coerce_contacts(pd.DataFrame({"arrived_at": pd.to_datetime([])}), tz="UTC")
    assert row_problems(empty).empty and row_problems(empty).dtype == object
