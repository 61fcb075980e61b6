"""Errors raised by the planning layer (defined in :mod:`waitlab.exceptions`, re-exported here), and the interval reader."""

from __future__ import annotations

from typing import Any

from waitlab._clock import parse_width
from waitlab.exceptions import ArgumentError, PlanningError, RosterInfeasibleError, ShiftTemplateError

__all__ = ["PlanningError", "RosterInfeasibleError", "ShiftTemplateError", "interval_width"]


def interval_width(value: Any) -> float:
    """Seconds of a planning `interval` ("30min", a Timedelta or seconds); PlanningError otherwise.

    Read as :func:`waitlab.parse_interval` reads it, but without its whole-day rule: a plan's
    intervals follow its scenario's opening hours, which need only be a whole number of them.
    """
    try:
        return parse_width(value, "interval")
    except ArgumentError as exc:
        raise PlanningError(str(exc)) from None
