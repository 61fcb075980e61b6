"""Errors raised by the planning layer (all are ``ValueError`` subclasses)."""

from __future__ import annotations

from waitlab.exceptions import WaitlabError

__all__ = ["PlanningError", "RosterInfeasibleError", "ShiftTemplateError"]


class PlanningError(WaitlabError, ValueError):
    """A planning input (requirement, target, budget, evaluator output) is invalid."""


class ShiftTemplateError(PlanningError):
    """A shift-template file or :class:`ShiftTemplate` is invalid (the message names file and key)."""


class RosterInfeasibleError(PlanningError):
    """No set of shifts covers the requirement; the message names the interval(s) and why.

    Attributes
    ----------
    intervals : list of int
        Indices of the intervals that cannot be covered.
    shortfall : list of int
        For each of `intervals`, how many desks are missing in the best attempt.
    """

    def __init__(self, message: str, intervals: list[int] | None = None, shortfall: list[int] | None = None):
        super().__init__(message)
        self.intervals = list(intervals or [])
        self.shortfall = list(shortfall or [])
