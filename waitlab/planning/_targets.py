"""Service targets a staffing plan must hold, per interval of arrival or per day."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from waitlab.planning._errors import PlanningError

__all__ = ["Target", "targets_from_rules"]

Metric = Literal["share_wait_over", "service_level", "abandon_rate", "mean_wait", "day_any_wait_over"]
Measure = Literal["wait", "standing", "seated"]

_UPPER = {"share_wait_over", "abandon_rate", "mean_wait", "day_any_wait_over"}
_SHARES = {"share_wait_over", "service_level", "abandon_rate", "day_any_wait_over"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """One service target.

    Build targets with the class methods rather than the constructor:
    :meth:`wait_exceeds`, :meth:`service_level`, :meth:`abandon_rate`, :meth:`mean_wait`,
    :meth:`day_any_wait_exceeds`.

    Parameters
    ----------
    metric : str
        ``"share_wait_over"`` (share of arrivals whose wait exceeds `limit`), ``"service_level"``
        (share of arrivals served within `limit`), ``"abandon_rate"``, ``"mean_wait"`` (seconds) or
        ``"day_any_wait_over"`` (probability that a day has at least one wait over `limit`).
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
    """

    metric: Metric
    bound: float
    limit: float = 0.0
    per: Literal["interval", "day"] = "interval"
    measure: Measure = "wait"
    name: str = ""

    def __post_init__(self) -> None:
        if self.metric not in _UPPER | {"service_level"}:
            raise PlanningError(f"`metric` must be one of {sorted(_UPPER | {'service_level'})}, got {self.metric!r}.")
        if self.per not in ("interval", "day"):
            raise PlanningError(f"`per` must be 'interval' or 'day', got {self.per!r}.")
        if self.measure not in ("wait", "standing", "seated"):
            raise PlanningError(f"`measure` must be 'wait', 'standing' or 'seated', got {self.measure!r}.")
        if self.metric == "day_any_wait_over" and self.per != "day":
            object.__setattr__(self, "per", "day")
        if self.metric in _SHARES:
            if not (0.0 < self.bound < 1.0):
                raise PlanningError(f"target {self.metric}: `bound` must be a share in (0, 1), got {self.bound!r}.")
        elif not (self.bound > 0 and math.isfinite(self.bound)):
            raise PlanningError(f"target {self.metric}: `bound` must be a positive number of seconds, got {self.bound!r}.")
        if not (self.limit >= 0 and math.isfinite(self.limit)):
            raise PlanningError(f"target {self.metric}: `limit` must be >= 0 seconds, got {self.limit!r}.")
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
        return f"P(a day has any {what[:-1]} over {mins}) <= {self.bound:.2%}"

    @classmethod
    def wait_exceeds(cls, limit: float, max_share: float, *, per: Literal["interval", "day"] = "interval",
                     measure: Measure = "wait") -> Target:
        """Share of arrivals whose wait (or standing/seated time) exceeds `limit` seconds is <= `max_share`."""
        return cls(metric="share_wait_over", bound=max_share, limit=limit, per=per, measure=measure)

    @classmethod
    def service_level(cls, threshold: float, min_share: float, *,
                      per: Literal["interval", "day"] = "interval") -> Target:
        """Share of arrivals served within `threshold` seconds is >= `min_share` (SL over offered)."""
        return cls(metric="service_level", bound=min_share, limit=threshold, per=per)

    @classmethod
    def abandon_rate(cls, max_share: float, *, per: Literal["interval", "day"] = "interval") -> Target:
        """Share of arrivals who abandon (or do not show) is <= `max_share`."""
        return cls(metric="abandon_rate", bound=max_share, per=per)

    @classmethod
    def mean_wait(cls, max_seconds: float, *, per: Literal["interval", "day"] = "interval") -> Target:
        """Mean wait of all arrivals (served or not) is <= `max_seconds`."""
        return cls(metric="mean_wait", bound=max_seconds, per=per)

    @classmethod
    def day_any_wait_exceeds(cls, limit: float, max_prob: float, *, measure: Measure = "wait") -> Target:
        """Probability that a day has at least one wait over `limit` seconds is <= `max_prob`."""
        return cls(metric="day_any_wait_over", bound=max_prob, limit=limit, per="day", measure=measure)


def targets_from_rules(rules: object = "CABA", *, max_share: float = 0.05, max_day_prob: float = 0.01) -> list[Target]:
    """Planning targets from a compliance rule set.

    For every limit of the rule set (standing, seated or total wait over ``limit``), the share of
    arrivals breaking it must be at most `max_share` in every interval; and for the longest
    limit, the probability that a day has any breach of it must be at most `max_day_prob`. For
    CABA (30 min standing, 90 min in all) with the defaults this is "share of waits over 30 min
    standing <= 5 % in every interval, share over 90 min <= 5 %, and P(any wait over 90 min)
    <= 1 % of days".

    Parameters
    ----------
    rules : str, Path or RuleSet
        A shipped rule-set name (``"CABA"``), a TOML path, or a loaded rule set
        (see :func:`waitlab.compliance.load_rules`).
    max_share : float
        Largest acceptable share of breaches among the customers arriving in any interval.
    max_day_prob : float
        Largest acceptable probability that a day has at least one breach of the longest limit.

    Returns
    -------
    list of Target
    """
    from waitlab.compliance import load_rules

    rs = load_rules(rules)  # type: ignore[arg-type]
    if not rs.limits:
        raise PlanningError(f"rule set {rs.name!r} has no wait limits to plan for (it only checks turn order).")
    out: list[Target] = []
    measure_of: dict[str, Measure] = {"standing": "standing", "seated": "seated", "total": "wait"}
    for lim in rs.limits:
        measure = measure_of.get(lim.kind)
        if measure is None:
            raise PlanningError(f"rule set {rs.name!r}: limit {lim.id!r} has kind {lim.kind!r}, which planning "
                                "cannot target (expected standing, seated or total).")
        t = Target.wait_exceeds(lim.seconds, max_share, measure=measure)
        out.append(Target(metric=t.metric, bound=t.bound, limit=t.limit, measure=t.measure, name=f"share_{lim.id}"))
    longest = max(rs.limits, key=lambda lim: lim.seconds)
    out.append(Target(metric="day_any_wait_over", bound=max_day_prob, limit=longest.seconds, per="day",
                      measure=measure_of[longest.kind], name=f"p_day_any_{longest.id}"))
    return out
