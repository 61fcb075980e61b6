"""Exceptions and warnings raised by waitlab.

Hierarchy::

    WaitlabError                      base of everything waitlab raises on purpose
    ├── LogFormatError(ValueError)    a log file cannot be used at all (names file, row/column, fix)
    ├── SchemaError(ValueError)       a contacts table breaks the canonical schema
    ├── RuleError(ValueError)         a compliance rule file is invalid (names line and key)
    ├── ScenarioError(ValueError)     a simulation scenario is invalid (names file, key and fix)
    └── MissingExtraError(ImportError) an optional dependency is not installed (names the extra)
    DataQualityWarning(UserWarning)   data is usable but suspicious; the message gives counts

Every message is one plain sentence meant for the person who supplied the input; the CLI
prints it without a traceback and exits with status 2.
"""

from __future__ import annotations

__all__ = [
    "DataQualityWarning",
    "LogFormatError",
    "MissingExtraError",
    "RuleError",
    "ScenarioError",
    "SchemaError",
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


class MissingExtraError(WaitlabError, ImportError):
    """A feature needs an optional dependency that is not installed; the message names the extra."""


class DataQualityWarning(UserWarning):
    """Data is usable but suspicious (the message says how many rows and why)."""
