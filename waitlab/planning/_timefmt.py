"""Reading and writing clock times and durations (seconds throughout)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

__all__ = ["clock", "format_ranges", "interval_label", "parse_clock", "parse_duration"]

_UNITS = {"h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0, "m": 60.0, "min": 60.0,
          "mins": 60.0, "minute": 60.0, "minutes": 60.0, "s": 1.0, "sec": 1.0, "second": 1.0,
          "seconds": 1.0}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def parse_duration(value: object, what: str) -> float:
    """Seconds from a number of seconds or a text such as ``"8h"``, ``"30min"``, ``"1h30min"``.

    Raises ``ValueError`` naming `what` if the value is not a non-negative finite duration.
    """
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a duration (seconds, or text like '30min'), got {value!r}.")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, str):
        text = value.strip().lower()
        pos, seconds = 0, 0.0
        if not text:
            raise ValueError(f"{what} is empty; write a duration such as '30min' or 1800.")
        while pos < len(text):
            m = _PART.match(text, pos)
            if m is None or m.group(2) not in _UNITS:
                raise ValueError(
                    f"{what} = {value!r} is not a duration; write seconds (1800) or text such as "
                    "'8h', '30min', '1h30min'."
                )
            seconds += float(m.group(1)) * _UNITS[m.group(2)]
            pos = m.end()
    else:
        raise ValueError(f"{what} must be a duration (seconds, or text like '30min'), got {value!r}.")
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ValueError(f"{what} must be a non-negative finite duration, got {value!r}.")
    return seconds


def parse_clock(value: object, what: str) -> float:
    """Seconds since midnight from ``"HH:MM"``, ``"HH:MM:SS"``, a TOML local time or a number of seconds."""
    if isinstance(value, dt.time):
        return value.hour * 3600.0 + value.minute * 60.0 + value.second + value.microsecond / 1e6
    if isinstance(value, str):
        m = _CLOCK.match(value)
        if m is None:
            raise ValueError(f"{what} = {value!r} is not a time of day; write it as 'HH:MM', e.g. '08:30'.")
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
        if mi > 59 or s > 59 or h > 48:
            raise ValueError(f"{what} = {value!r} is not a valid time of day ('HH:MM', minutes 00-59).")
        return h * 3600.0 + mi * 60.0 + s
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return float(value)
    raise ValueError(f"{what} must be a time of day such as '08:30' (or seconds since midnight), got {value!r}.")


def clock(seconds: float) -> str:
    """``"HH:MM"`` (or ``"HH:MM:SS"`` when not on a whole minute) for seconds since midnight."""
    total = int(round(seconds))
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h:02d}:{m:02d}" if s == 0 else f"{h:02d}:{m:02d}:{s:02d}"


def interval_label(i: int, interval: float, day_start: float) -> str:
    """``"12:00–12:15"`` for interval `i`."""
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
