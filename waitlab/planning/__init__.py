"""Planning: staffing that holds wait limits all day, shift rosters, and the cost of each option.

Public names
------------
Pipeline: :func:`plan_scenario` -> :class:`PlanResult`, :func:`write_plan_report`; every desk group
of a branch: :func:`plan_groups` -> :class:`BranchPlan`, :func:`write_branch_report`.
From a forecast: :func:`scenario_from_forecast` (one forecast day as a scenario), :func:`forecast_days`.
Rosters: :func:`load_shifts`, :class:`ShiftTemplates`, :class:`ShiftTemplate`, :class:`MealBreak`,
:func:`solve_roster`, :class:`Roster`.
Errors: :class:`PlanningError`, :class:`ShiftTemplateError`, :class:`RosterInfeasibleError`.
"""

from __future__ import annotations

from waitlab.planning._assess import Assessment, SimulatedDays, TargetFigures, assess
from waitlab.planning._branch import BranchPlan, plan_groups, write_branch_report
from waitlab.planning._curve import CostCurve, cost_curve, nested_allocations
from waitlab.planning._errors import PlanningError, RosterInfeasibleError, ShiftTemplateError
from waitlab.planning._forecast import forecast_days, scenario_from_forecast
from waitlab.planning._pipeline import PlanResult, plan_scenario
from waitlab.planning._report import write_plan_report
from waitlab.planning._roster import Roster, solve_roster
from waitlab.planning._simeval import ScenarioEvaluator, scenario_evaluator, scenario_sipp_plan
from waitlab.planning._sipp import sipp_plan
from waitlab.planning._staffing import Evaluator, StaffingPlan, plan_staffing
from waitlab.planning._targets import Target, targets_from_rules
from waitlab.planning._templates import MealBreak, ShiftTemplate, ShiftTemplates, load_shifts

__all__ = [
    "BranchPlan",
    "PlanResult",
    "plan_groups",
    "plan_scenario",
    "forecast_days",
    "scenario_from_forecast",
    "write_branch_report",
    "write_plan_report",
    "Assessment",
    "CostCurve",
    "ScenarioEvaluator",
    "cost_curve",
    "nested_allocations",
    "scenario_evaluator",
    "scenario_sipp_plan",
    "sipp_plan",
    "Evaluator",
    "SimulatedDays",
    "StaffingPlan",
    "Target",
    "TargetFigures",
    "assess",
    "plan_staffing",
    "targets_from_rules",
    "MealBreak",
    "PlanningError",
    "Roster",
    "RosterInfeasibleError",
    "ShiftTemplate",
    "ShiftTemplateError",
    "ShiftTemplates",
    "load_shifts",
    "solve_roster",
]
