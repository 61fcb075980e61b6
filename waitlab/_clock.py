"""Clock times, durations and interval widths (seconds throughout): read and write them once.

Private helpers shared by the readers, analytics, simulation and planning layers. The floor
is low on purpose: only the standard library, numpy, pandas and :mod:`waitlab.exceptions`.

- :func:`parse_interval`: the width of a reporting / schedule interval ("30min", a Timedelta
  or seconds), which must divide a day (public as ``waitlab.parse_interval``);
  :func:`parse_width` the same without the whole-day rule;
- :func:`parse_duration`: any non-negative duration ("8h", "1h30min", seconds);
- :func:`parse_clock` / :func:`clock`: a time of day <-> seconds since midnight;
- :func:`seconds_of_time` / :func:`time_of_day`: :class:`datetime.time` <-> seconds;
- :func:`interval_label` / :func:`format_ranges`: interval indices as clock ranges.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from waitlab.exceptions import ArgumentError

__all__ = [
    "DAY",
    "clock",
    "format_ranges",
    "interval_label",
    "parse_clock",
    "parse_duration",
    "parse_interval",
    "parse_width",
    "seconds_of_time",
    "time_of_day",
]

#: Seconds in a day.
DAY = 86400.0

_UNITS = {"h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0, "m": 60.0, "min": 60.0,
          "mins": 60.0, "minute": 60.0, "minutes": 60.0, "s": 1.0, "sec": 1.0, "second": 1.0,
          "seconds": 1.0}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def parse_interval(value: object, name: str = "interval") -> float:
    """Width of an interval in seconds, from ``"30min"``, a Timedelta or a number of seconds.

    Every public function that takes an interval width reads it with this (exported as
    ``waitlab.parse_interval``), so they all accept the same forms and give the same errors.

    Parameters
    ----------
    value : str, pandas.Timedelta, datetime.timedelta, numpy.timedelta64, int or float
        A length with its unit (``"15min"``, ``"1h"``, ``"900s"``), a timedelta, or a number
        of seconds. A string without a unit (``"30"``) is refused: it could mean minutes.
    name : str
        How the caller calls the value (``"interval"``, ``"--interval"``), used in the message.

    Returns
    -------
    float
        Seconds, > 0, a whole divisor of a day (86400 s), so intervals line up every midnight.

    Raises
    ------
    ArgumentError
        If the value cannot be read, has no unit, is zero, negative, not finite, or does not
        divide a day.

    Examples
    --------
    >>> parse_interval("30min"), parse_interval(900), parse_interval(pd.Timedelta(hours=1))
    (1800.0, 900.0, 3600.0)
    """
    seconds = parse_width(value, name)
    per_day = DAY / seconds
    if seconds > DAY or abs(per_day - round(per_day)) > 1e-9 * per_day:
        raise ArgumentError(f"{_shown(name)} = {value!r} does not divide a day into whole intervals; "
                            "use a width such as '10min', '15min', '30min', '1h' or '1D'.")
    return seconds


def parse_width(value: object, name: str = "interval") -> float:
    """Seconds of a positive length given as :func:`parse_interval` takes it, without the whole-day rule.

    For the few callers with a rule of their own (a scenario's interval must divide its
    opening hours). Raises ``ArgumentError`` naming `name` as :func:`parse_interval` does.
    """
    shown = _shown(name)
    hint = "such as '15min', '30min', '1h' or 1800 (seconds)"
    if isinstance(value, bool):
        raise ArgumentError(f"{shown} must be a fixed length {hint}, got {value!r}.")
    if isinstance(value, str) and _is_number(value):
        raise ArgumentError(f"{shown} = {value!r} has no unit; give a unit, e.g. 30min.")
    if isinstance(value, (str, dt.timedelta, np.timedelta64)):  # pandas.Timedelta is a datetime.timedelta
        try:
            td = pd.Timedelta(value)
        except (TypeError, ValueError):
            td = pd.NaT
        if td is pd.NaT:  # "", "NaT", "monthly", ...
            raise ArgumentError(f"{shown} must be a fixed length {hint}, got {value!r}.")
        seconds = td.value / 1e9
    elif isinstance(value, numbers.Real):  # after the timedeltas: numpy registers timedelta64 as a number
        seconds = float(value)
    else:
        raise ArgumentError(f"{shown} must be a fixed length {hint}, got {value!r}.")
    if not (math.isfinite(seconds) and seconds > 0):
        raise ArgumentError(f"{shown} must be a positive length {hint}, got {value!r}.")
    return seconds


def _shown(name: str) -> str:
    return f"`{name}`" if not name.startswith("-") else name


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def parse_duration(value: object, what: str) -> float:
    """Seconds from a number of seconds, a timedelta or a text such as ``"8h"``, ``"30min"``, ``"1h30min"``.

    Raises ``ArgumentError`` naming `what` if the value is not a non-negative finite duration.
    """
    if isinstance(value, bool):
        raise ArgumentError(f"{what} must be a duration (seconds, or text like '30min'), got {value!r}.")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, str):
        text = value.strip().lower()
        pos, seconds = 0, 0.0
        if not text:
            raise ArgumentError(f"{what} is empty; write a duration such as '30min' or 1800.")
        while pos < len(text):
            m = _PART.match(text, pos)
            if m is None or m.group(2) not in _UNITS:
                raise ArgumentError(
                    f"{what} = {value!r} is not a duration; write seconds (1800) or text such as "
                    "'8h', '30min', '1h30min'."
                )
            seconds += float(m.group(1)) * _UNITS[m.group(2)]
            pos = m.end()
    else:
        raise ArgumentError(f"{what} must be a duration (seconds, or text like '30min'), got {value!r}.")
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ArgumentError(f"{what} must be a non-negative finite duration, got {value!r}.")
    return seconds


def parse_clock(value: object, what: str) -> float:
    """Seconds since midnight from ``"HH:MM"``, ``"HH:MM:SS"``, a :class:`datetime.time` or seconds.

    Hours up to 48 are accepted (``"24:00"`` is the end of the day). Raises ``ArgumentError``
    naming `what` otherwise.
    """
    if isinstance(value, dt.time):
        return seconds_of_time(value)
    if isinstance(value, str):
        m = _CLOCK.match(value)
        if m is None:
            raise ArgumentError(f"{what} = {value!r} is not a time of day; write it as 'HH:MM', e.g. '08:30'.")
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if mi > 59 or s > 59 or h > 48:
            raise ArgumentError(f"{what} = {value!r} is not a valid time of day ('HH:MM', minutes 00-59).")
        return h * 3600.0 + mi * 60.0 + s
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return float(value)
    raise ArgumentError(f"{what} must be a time of day such as '08:30' (or seconds since midnight), got {value!r}.")


def clock(seconds: float) -> str:
    """``"HH:MM"`` (or ``"HH:MM:SS"`` when not on a whole minute) for seconds since midnight; 86400 is ``"24:00"``."""
    total = int(round(seconds))
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}" if s == 0 else f"{h:02d}:{m:02d}:{s:02d}"


def seconds_of_time(t: dt.time) -> float:
    """Seconds since midnight of a :class:`datetime.time`."""
    return t.hour * 3600.0 + t.minute * 60.0 + t.second + t.microsecond / 1e6


def end_seconds(t: dt.time) -> float:
    """Seconds since midnight of a closing time; ``00:00`` is the end of the day (86400, "24:00")."""
    return 86400.0 if t == dt.time(0) else seconds_of_time(t)


def time_of_day(seconds: float) -> dt.time:
    """:class:`datetime.time` of seconds since midnight (whole seconds); 86400 and later give 23:59:59."""
    s = round(seconds)
    return dt.time(s // 3600, s % 3600 // 60, s % 60) if s < 86400 else dt.time(23, 59, 59)


def interval_label(i: int, interval: float, day_start: float) -> str:
    """``"12:00–12:15"`` for interval `i` of a day starting `day_start` seconds after midnight."""
    a = day_start + i * interval
    return f"{clock(a)}–{clock(a + interval)}"


def format_ranges(indices: Sequence[int], interval: float, day_start: float, limit: int = 6) -> str:
    """Consecutive interval indices collapsed into clock ranges: ``"12:00–13:00, 19:30–19:45"``."""
    idx = sorted({int(i) for i in indices})
    runs: list[tuple[int, int]] = []
    for i in idx:
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    parts = [f"{clock(day_start + a * interval)}–{clock(day_start + (b + 1) * interval)}" for a, b in runs]
    if len(parts) > limit:
        parts = parts[:limit] + [f"and {len(parts) - limit} more"]
    return ", ".join(parts)
