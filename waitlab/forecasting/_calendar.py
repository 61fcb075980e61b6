"""The calendar a forecast uses: working days, public holidays and the days around them.

Holidays come from the `holidays` package (``holidays.country_holidays(country)``), so
each country's official list, weekend included, is maintained there rather than here.
A day's *kind* is one of:

``"holiday"``        a public holiday that falls on a working day;
``"after_holiday"``  the first working day after one or more holidays (the day-after surge);
``"before_holiday"`` the last working day before a holiday;
``""``               an ordinary day (working day or weekend).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from waitlab._extras import require
from waitlab.exceptions import ArgumentError

__all__ = ["Calendar", "calendar"]


class Calendar:
    """Working days and holidays of one country (None: no holidays, Saturday and Sunday off)."""

    def __init__(self, country: str | None, days: pd.DatetimeIndex) -> None:
        self.country = country
        years = sorted({d.year for d in days} | {days.min().year - 1, days.max().year + 1})
        self.names: dict[dt.date, str] = {}
        self.weekend: frozenset[int] = frozenset({5, 6})
        if country is not None:
            hol = require("holidays", "forecast", "forecasting with a holiday calendar")
            try:
                cal: Any = hol.country_holidays(country, years=years)
            except NotImplementedError:
                raise ArgumentError(f"`country` {country!r} is not in the holidays package's list; give an ISO "
                                    "code such as 'AR', 'IL' or 'ES', or country=None for no holidays.") from None
            self.names = {d: str(n) for d, n in cal.items()}
            self.weekend = frozenset(int(w) for w in cal.weekend)

    def is_working(self, day: pd.Timestamp) -> bool:
        """A weekday of the country's working week that is not a holiday."""
        return day.day_of_week not in self.weekend and day.date() not in self.names

    def kinds(self, days: pd.DatetimeIndex) -> pd.Series:
        """The kind of each day (see the module docstring), indexed by day."""
        out = pd.Series("", index=days, dtype=object)
        for day in days:
            d = day.date()
            if d in self.names and day.day_of_week not in self.weekend:
                out[day] = "holiday"
            elif self.is_working(day):
                prev = _step(self, day, -1)
                nxt = _step(self, day, +1)
                if prev is not None and prev.date() in self.names and prev.day_of_week not in self.weekend:
                    out[day] = "after_holiday"
                elif nxt is not None and nxt.date() in self.names and nxt.day_of_week not in self.weekend:
                    out[day] = "before_holiday"
        return out

    def holiday_names(self, days: pd.DatetimeIndex) -> list[str]:
        """``"2025-03-24 (name)"`` for each working-day holiday among `days`."""
        return [f"{d.date()} ({self.names[d.date()]})" for d in days
                if d.date() in self.names and d.day_of_week not in self.weekend]


def _step(cal: Calendar, day: pd.Timestamp, sign: int) -> pd.Timestamp | None:
    """The nearest day before (sign -1) or after (+1) `day` that is not a weekend day (holidays count)."""
    d = day
    for _ in range(7):
        d = d + pd.Timedelta(days=sign)
        if d.day_of_week not in cal.weekend:
            return d
    return None


def calendar(country: str | None, days: pd.DatetimeIndex) -> Calendar:
    """The :class:`Calendar` of `country` covering `days`."""
    if country is not None and not isinstance(country, str):
        raise ArgumentError(f"`country` must be an ISO country code such as 'AR' or None, got {country!r}.")
    return Calendar(country, days)
