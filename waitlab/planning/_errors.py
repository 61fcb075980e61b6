"""Errors raised by the planning layer (defined in :mod:`waitlab.exceptions`, re-exported here)."""

from __future__ import annotations

from waitlab.exceptions import PlanningError, RosterInfeasibleError, ShiftTemplateError

__all__ = ["PlanningError", "RosterInfeasibleError", "ShiftTemplateError"]
