"""Compliance with regulatory wait limits.

Rules are data (TOML rule sets under ``waitlab/compliance/rules``); standing time comes from
the log and the seat count; turn order is checked per site, day, queue and priority.

Contents
--------
check_compliance       judge a contacts table against a rule set -> ComplianceResult
ComplianceResult       breaches, shares by day/site/queue/hour, turn order, notes, export frames
load_rules             a rule set by shipped name (case-insensitive) or from a TOML file
available_rules        names of the shipped rule sets
RuleSet                a named set of limits plus an optional turn-order rule
Limit                  one wait limit (standing, seated or total minutes)
TurnOrderRule          the turn-order requirement (with an optional tolerance, seconds)
Seats                  waiting-room seats: one count for every site, a mapping site -> count, or None
standing_times         seconds each contact stood and sat, from the seat count
turn_order_violations  tickets called before an earlier ticket of the same queue and priority
"""

from waitlab.compliance._check import check_compliance
from waitlab.compliance._result import ComplianceResult
from waitlab.compliance._rules import Limit, RuleSet, TurnOrderRule, available_rules, load_rules
from waitlab.compliance._standing import Seats, standing_times
from waitlab.compliance._turn_order import turn_order_violations

__all__ = [
    "ComplianceResult",
    "Limit",
    "RuleSet",
    "Seats",
    "TurnOrderRule",
    "available_rules",
    "check_compliance",
    "load_rules",
    "standing_times",
    "turn_order_violations",
]
