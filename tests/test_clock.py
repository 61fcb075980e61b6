"""waitlab._clock: interval widths, durations and clock times, against hand-worked values."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from waitlab._clock import (
    clock,
    format_ranges,
    interval_label,
    parse_clock,
    parse_duration,
    parse_interval,
    seconds_of_time,
    time_of_day,
)
from waitlab.exceptions import ArgumentError


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("30min", 1800.0), ("1h", 3600.0), ("900s", 900.0), ("15min", 900.0), ("1D", 86400.0),
        ("90s", 90.0), ("500ms", 0.5),
        (pd.Timedelta(minutes=20), 1200.0), (dt.timedelta(hours=2), 7200.0), (np.timedelta64(10, "m"), 600.0),
        (1800, 1800.0), (1800.0, 1800.0), (np.int64(600), 600.0), (np.float64(3600.0), 3600.0), (86400, 86400.0),
    ],
)
def test_parse_interval_accepts_strings_timedeltas_and_seconds(value, seconds):
    assert parse_interval(value) == seconds


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("monthly", "`interval` must be a fixed length such as '15min'"),
        ("", "`interval` must be a fixed length"),
        ("NaT", "`interval` must be a fixed length"),
        (pd.NaT, "`interval` must be a fixed length"),
        (None, "`interval` must be a fixed length"),
        (True, "`interval` must be a fixed length"),
        ([1800], "`interval` must be a fixed length"),
        ("0min", "`interval` must be a positive length"),
        (0, "`interval` must be a positive length"),
        (-900, "`interval` must be a positive length"),
        (pd.Timedelta(0), "`interval` must be a positive length"),
        (math.nan, "`interval` must be a positive length"),
        (math.inf, "`interval` must be a positive length"),
        ("7min", "`interval` = '7min' does not divide a day into whole intervals"),  # 1440 / 7 = 205.7
        (1000, "`interval` = 1000 does not divide a day"),  # 86400 / 1000 = 86.4
        ("2D", "`interval` = '2D' does not divide a day"),
        ("25h", "does not divide a day"),
    ],
)
def test_parse_interval_refuses_with_one_sentence_naming_the_argument(value, message):
    with pytest.raises(ArgumentError, match=message) as info:
        parse_interval(value, "interval")
    text = str(info.value)
    assert text.endswith(".") and "\n" not in text


def test_parse_interval_names_a_command_line_flag_without_backticks():
    with pytest.raises(ArgumentError, match=r"^--interval = '7min' does not divide"):
        parse_interval("7min", "--interval")
    with pytest.raises(ValueError, match="`interval` must be a positive"):  # still a ValueError
        parse_interval(-1)


def test_every_width_that_divides_a_day_in_whole_seconds_is_accepted():
    # the divisors of 86400 = 2^7 3^3 5^2: (7+1)(3+1)(2+1) = 96 of them
    divisors = [d for d in range(1, 86401) if 86400 % d == 0]
    assert len(divisors) == 96
    assert all(parse_interval(d) == d for d in divisors)
    assert all(parse_interval(f"{d}s") == d for d in divisors)


def test_durations():
    assert parse_duration("1h30min", "x") == 5400.0
    assert parse_duration("8h", "x") == 28800.0
    assert parse_duration(" 45 min ", "x") == 2700.0
    assert parse_duration(0, "x") == 0.0
    assert parse_duration(dt.timedelta(minutes=7), "x") == 420.0
    with pytest.raises(ArgumentError, match=r"length = 'eight' is not a duration"):
        parse_duration("eight", "length")
    with pytest.raises(ArgumentError, match="non-negative"):
        parse_duration(-1, "length")
    with pytest.raises(ArgumentError, match="is empty"):
        parse_duration("  ", "length")


def test_clock_times_both_ways():
    assert parse_clock("08:30", "t") == 8 * 3600 + 30 * 60
    assert parse_clock("8:05:09", "t") == 8 * 3600 + 5 * 60 + 9
    assert parse_clock("24:00", "t") == 86400.0
    assert parse_clock(dt.time(9, 15), "t") == 33300.0
    assert parse_clock(60, "t") == 60.0
    for bad in ("8.30", "08:60", "49:00", -5, None, True):
        with pytest.raises(ArgumentError, match="^t"):
            parse_clock(bad, "t")
    assert clock(0) == "00:00" and clock(33300) == "09:15" and clock(86400) == "24:00"
    assert clock(8 * 3600 + 5 * 60 + 9) == "08:05:09"
    assert seconds_of_time(dt.time(10, 0, 30, 500000)) == 36030.5
    assert time_of_day(36030.4) == dt.time(10, 0, 30)
    assert time_of_day(86400) == dt.time(23, 59, 59)


def test_interval_labels_and_ranges():
    assert interval_label(2, 900, 8 * 3600) == "08:30–08:45"
    assert interval_label(0, 3600, 23 * 3600) == "23:00–24:00"
    assert format_ranges([5, 0, 1, 2, 7], 1800, 8 * 3600) == "08:00–09:30, 10:30–11:00, 11:30–12:00"
    assert format_ranges(list(range(0, 20, 2)), 600, 0, limit=3) == "00:00–00:10, 00:20–00:30, 00:40–00:50, and 7 more"
