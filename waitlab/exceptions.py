"""Exceptions raised by waitlab.

Hierarchy::

    WaitlabError                      base of everything waitlab raises on purpose
    ├── LogFormatError(ValueError)    a log file cannot be used at all (names file, row/column, fix)
    ├── SchemaError(ValueError)       a contacts table breaks the canonical schema
    ├── RuleError(ValueError)         a compliance rule file is invalid (names line and key)
    ├── TargetError(ValueError)       a service target is invalid (names the target and the fix)
    └── ScenarioError(ValueError)     a simulation scenario is invalid (names file, key and fix)

Every message is one plain sentence meant for the person who supplied the input; the CLI
prints it without a traceback and exits with status 2. Data that is usable but suspicious
raises nothing and warns nothing: the result says so in its ``.notes``, with counts.
"""

from __future__ import annotations

__all__ = [
    "LogFormatError",
    "RuleError",
    "ScenarioError",
    "SchemaError",
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
    """A simulation scenario is invalid."""


class TargetError(WaitlabError, ValueError):
    """A service target (:class:`waitlab.targets.Target`) is invalid."""

