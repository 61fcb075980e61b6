"""Service targets a staffing plan must hold: one type for the models, staffing, planning, CLI and dashboard.

Every constructor that takes two numbers takes them in the same order, **seconds first, then the
share**: ``Target.service_level(20, 0.8)`` is "80 % served within 20 s",
``Target.wait_exceeds(1800, 0.05)`` is "at most 5 % wait over 30 min".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from waitlab.exceptions import TargetError

__all__ = ["Measure", "Metric", "Target"]

Metric = Literal["share_wait_over", "service_level", "abandon_rate", "mean_wait", "day_any_wait_over", "occupancy"]
Measure = Literal["wait", "standing", "seated"]

_UPPER = {"share_wait_over", "abandon_rate", "mean_wait", "day_any_wait_over", "occupancy"}
_SHARES = {"share_wait_over", "service_level", "abandon_rate", "day_any_wait_over"}
_MAKER = {"share_wait_over": "wait_exceeds", "service_level": "service_level",
          "day_any_wait_over": "day_any_wait_exceeds"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """One service target.

    Build targets with the class methods rather than the constructor:
    :meth:`service_level`, :meth:`wait_exceeds`, :meth:`day_any_wait_exceeds` (seconds, then
    share), :meth:`abandon_rate`, :meth:`mean_wait` and :meth:`max_occupancy`.

    Parameters
    ----------
    metric : str
        ``"share_wait_over"`` (share of arrivals whose wait exceeds `limit`), ``"service_level"``
        (share of arrivals served within `limit`), ``"abandon_rate"``, ``"mean_wait"`` (seconds),
        ``"day_any_wait_over"`` (probability that a day has at least one wait over `limit`) or
        ``"occupancy"`` (share of the desks' time spent serving).
    bound : float
        The bound: an upper bound for every metric except ``service_level`` (a lower bound).
    limit : float
        Wait threshold, seconds (wait metrics and service level).
    per : {"interval", "day"}
        ``"interval"``: the target must hold for the customers arriving in every interval.
        ``"day"``: pooled over the whole day. ``day_any_wait_over`` is always per day.
    measure : {"wait", "standing", "seated"}
        Which part of the wait is compared with `limit`: the whole wait (arrival until being
        called or leaving), or the time spent standing / seated in the waiting room.
    name : str
        Label in tables and reports (a default is made from the other fields).

    Raises
    ------
    TargetError
        A share outside (0, 1) (occupancy: (0, 1]), a negative time, or an unknown metric.

    Examples
    --------
    >>> Target.service_level(20, 0.8).describe()
    'share served within 20 s >= 80.00% in every interval'
    """

    metric: Metric
    bound: float
    limit: float = 0.0
    per: Literal["interval", "day"] = "interval"
    measure: Measure = "wait"
    name: str = ""

    def __post_init__(self) -> None:
        if self.metric not in _UPPER | {"service_level"}:
            raise TargetError(f"`metric` must be one of {sorted(_UPPER | {'service_level'})}, got {self.metric!r}.")
        if self.per not in ("interval", "day"):
            raise TargetError(f"`per` must be 'interval' or 'day', got {self.per!r}.")
        if self.measure not in ("wait", "standing", "seated"):
            raise TargetError(f"`measure` must be 'wait', 'standing' or 'seated', got {self.measure!r}.")
        if self.metric == "day_any_wait_over" and self.per != "day":
            object.__setattr__(self, "per", "day")
        if self.metric in _SHARES:
            if not (0.0 < self.bound < 1.0):
                hint = ""
                if self.metric in _MAKER and 0.0 <= self.limit <= 1.0 and self.bound > 1.0:
                    hint = (f"; the arguments are (seconds, share): did you mean "
                            f"Target.{_MAKER[self.metric]}({self.bound:g}, {self.limit:g})")
                raise TargetError(f"target {self.metric}: `bound` must be a share in (0, 1), got {self.bound!r}"
                                  f"{hint or '; write 5 % as 0.05'}.")
        elif self.metric == "occupancy":
            if not (0.0 < self.bound <= 1.0):
                raise TargetError(f"target occupancy: `bound` must be a share in (0, 1], got {self.bound!r}; "
                                  "write 85 % as 0.85.")
        elif not (self.bound > 0 and math.isfinite(self.bound)):
            raise TargetError(f"target {self.metric}: `bound` must be a positive number of seconds, got {self.bound!r}.")
        if not (self.limit >= 0 and math.isfinite(self.limit)):
            raise TargetError(f"target {self.metric}: `limit` must be >= 0 seconds, got {self.limit!r}.")
        if not self.name:
            object.__setattr__(self, "name", self._default_name())

    def _default_name(self) -> str:
        mins = f"{self.limit / 60:g}min" if self.limit % 60 == 0 else f"{self.limit:g}s"
        what = {"wait": "wait", "standing": "standing", "seated": "seated"}[self.measure]
        per = "" if self.per == "interval" else "_day"
        return {
            "share_wait_over": f"share_{what}_over_{mins}{per}",
            "service_level": f"service_level_{mins}{per}",
            "abandon_rate": f"abandon_rate{per}",
            "mean_wait": f"mean_wait{per}",
            "day_any_wait_over": f"p_day_any_{what}_over_{mins}",
            "occupancy": f"max_occupancy{per}",
        }[self.metric]

    @property
    def is_upper(self) -> bool:
        """True when the metric must stay at or below `bound` (all but service level)."""
        return self.metric in _UPPER

    def describe(self) -> str:
        """The target in one plain sentence fragment, e.g. ``"share of waits over 30 min <= 5 %"``."""
        what = {"wait": "waits", "standing": "standing waits", "seated": "seated waits"}[self.measure]
        scope = " in every interval" if self.per == "interval" else " over the day"
        mins = f"{self.limit / 60:g} min" if self.limit % 60 == 0 else f"{self.limit:g} s"
        if self.metric == "share_wait_over":
            return f"share of {what} over {mins} <= {self.bound:.2%}{scope}"
        if self.metric == "service_level":
            return f"share served within {mins} >= {self.bound:.2%}{scope}"
        if self.metric == "abandon_rate":
            return f"abandonment <= {self.bound:.2%}{scope}"
        if self.metric == "mean_wait":
            return f"mean wait <= {self.bound:g} s{scope}"
        if self.metric == "occupancy":
            return f"occupancy <= {self.bound:.2%}{scope}"
        return f"P(a day has any {what[:-1]} over {mins}) <= {self.bound:.2%}"

    @classmethod
    def service_level(cls, within_seconds: float, min_share: float, *,
                      per: Literal["interval", "day"] = "interval") -> Target:
        """Share of arrivals served within `within_seconds` is >= `min_share` (SL over offered)."""
        return cls(metric="service_level", bound=min_share, limit=within_seconds, per=per)

    @classmethod
    def wait_exceeds(cls, limit: float, max_share: float, *, per: Literal["interval", "day"] = "interval",
                     measure: Measure = "wait") -> Target:
        """Share of arrivals whose wait (or standing/seated time) exceeds `limit` seconds is <= `max_share`."""
        return cls(metric="share_wait_over", bound=max_share, limit=limit, per=per, measure=measure)

    @classmethod
    def day_any_wait_exceeds(cls, limit: float, max_prob: float, *, measure: Measure = "wait") -> Target:
        """Probability that a day has at least one wait over `limit` seconds is <= `max_prob`."""
        return cls(metric="day_any_wait_over", bound=max_prob, limit=limit, per="day", measure=measure)

    @classmethod
    def abandon_rate(cls, max_share: float, *, per: Literal["interval", "day"] = "interval") -> Target:
        """Share of arrivals who abandon (or do not show) is <= `max_share`."""
        return cls(metric="abandon_rate", bound=max_share, per=per)

    @classmethod
    def mean_wait(cls, max_seconds: float, *, per: Literal["interval", "day"] = "interval") -> Target:
        """Mean wait of all arrivals (served or not) is <= `max_seconds`."""
        return cls(metric="mean_wait", bound=max_seconds, per=per)

    @classmethod
    def max_occupancy(cls, share: float, *, per: Literal["interval", "day"] = "interval") -> Target:
        """Share of the open desks' time spent serving is <= `share` (in (0, 1]; 85 % is 0.85)."""
        return cls(metric="occupancy", bound=share, per=per)
