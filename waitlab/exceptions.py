"""Exceptions raised by waitlab.

Hierarchy::

    WaitlabError                        base of everything waitlab raises on purpose
    ├── LogFormatError(ValueError)      a log file cannot be used at all (names file, row/column, fix)
    ├── SchemaError(ValueError)         a contacts table breaks the canonical schema
    ├── RuleError(ValueError)           a compliance rule file is invalid (names line and key)
    ├── TargetError(ValueError)         a service target is invalid (names the target and the fix)
    ├── ScenarioError(ValueError)       a simulation scenario or distribution is invalid (names file, key, fix)
    ├── SimulationError(ValueError)     a scenario cannot be run as asked (engine, drawn inputs)
    ├── ArgumentError(ValueError)       a function argument or command-line option is invalid
    │   └── ModelInputError             a queueing-model or staffing argument is invalid
    └── PlanningError(ValueError)       a planning input (requirement, target, budget) is invalid
        ├── ShiftTemplateError          a shift-template file or ShiftTemplate is invalid
        └── RosterInfeasibleError       no set of shifts covers the requirement
    MissingExtraError(ImportError)      an optional dependency is not installed (names the extra)

Every error class is also a ``ValueError``, so ``except ValueError`` keeps working. Every
message is one plain sentence meant for the person who supplied the input; the CLI prints it
without a traceback and exits with status 2. Data that is usable but suspicious raises nothing
and warns nothing: the result says so in its ``.notes``, with counts.
"""

from __future__ import annotations

__all__ = [
    "ArgumentError",
    "LogFormatError",
    "MissingExtraError",
    "ModelInputError",
    "PlanningError",
    "RosterInfeasibleError",
    "RuleError",
    "ScenarioError",
    "SchemaError",
    "ShiftTemplateError",
    "SimulationError",
    "TargetError",
    "WaitlabError",
]


class WaitlabError(Exception):
    """Base class of the errors waitlab raises on purpose."""


class LogFormatError(WaitlabError, ValueError):
    """A log file cannot be read at all (empty, not a table, missing column, bad mapping)."""


class SchemaError(WaitlabError, ValueError):
    """A contacts table does not follow the canonical schema."""


class RuleError(WaitlabError, ValueError):
    """A compliance rule set is invalid."""


class ScenarioError(WaitlabError, ValueError):
    """A simulation scenario (or one of its distributions) is invalid."""


class SimulationError(WaitlabError, ValueError):
    """A scenario cannot be simulated as asked (engine that does not cover it, inconsistent drawn inputs)."""


class ArgumentError(WaitlabError, ValueError):
    """A function argument or command-line option is invalid (the message names it and the fix)."""


class ModelInputError(ArgumentError):
    """A queueing-model or staffing argument is invalid (the message names it, the rule and the value)."""


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


class TargetError(WaitlabError, ValueError):
    """A service target (:class:`waitlab.targets.Target`) is invalid."""



class MissingExtraError(WaitlabError, ImportError):
    """A feature needs an optional dependency that is not installed; the message names the extra."""
