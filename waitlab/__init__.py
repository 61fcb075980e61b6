"""waitlab: queue and wait-time analytics, compliance, staffing and simulation.

Data flows one way: log file -> reader -> contacts table -> analytics and compliance ->
models and staffing -> simulation (which emits a contacts table too) -> reports.

Public API
----------
read_log            read a kiosk / acd / asterisk / seelab log into a contacts table + IngestReport
validate_contacts   check a table against the canonical schema (``waitlab.schema``)
coerce_contacts     give a table the canonical columns, order and dtypes
interval_stats      KPIs per interval and grouping
parse_interval      an interval width ("30min", a Timedelta or seconds) in seconds; every
                    ``interval=`` argument is read with it
defaults_for        a log's channel defaults: service-level target, rule set, time unit, stated
                    in sentences (phone: 80 % within 20 s, no rule; kiosk: 15 min, CABA)
summary_kpis        the same KPIs over the whole period
summary_by          the same KPIs for each group over its own period, as a table
idle_gaps           gaps between consecutive services of each desk
patience            patience from censored waits (what Erlang A needs)
from_headcounts     mean wait by hour from manual headcounts (Little's law)
check_compliance    judge a contacts table against a wait-limit rule set
load_rules          a rule set by name (CABA, limit15, standing45_seated60) or TOML path
Seats               waiting-room seats: one count, a mapping site -> count, or None (unknown)
staffing_from_log   required vs observed desks per interval -> StaffingResult
Target              a service target (service level, wait limit, mean wait, ...), seconds then share
write_report        HTML report and Excel workbook
forecast            next week's arrivals (with prediction bounds) and handling time per interval,
                    public holidays included, against the seasonal-naive baseline
forecast_backtest   rolling-origin backtest of the forecast: WAPE and MAE by horizon day
backtest            Erlang C and Erlang A predictions of a test period's interval KPIs against the
                    log (abandonment, ASA, P(wait > 0), SL): table and errors per model
staffing_from_forecast  required desks per interval of a forecast (optionally at an upper bound)

Sub-packages, loaded on first use: ``waitlab.models`` (Erlang B/C/A, staffing),
``waitlab.sim`` (simulation), ``waitlab.planning`` (rosters, iterative staffing),
``waitlab.report`` (reports and safe exports), ``waitlab.network`` (many logs, the
partitioned store). ``import waitlab`` loads none of them, nor
numba, scipy or matplotlib; ``__version__`` is read from the installed package's metadata
(``pyproject.toml`` is the one place it is written).
"""

from __future__ import annotations

import importlib
from typing import Any

from waitlab._backtest import ModelBacktestResult, backtest
from waitlab._clock import parse_interval
from waitlab._defaults import ChannelDefaults, defaults_for
from waitlab.analytics import from_headcounts, idle_gaps, interval_stats, patience, summary_by, summary_kpis
from waitlab.compliance import Seats, check_compliance, load_rules
from waitlab.exceptions import LogFormatError, WaitlabError
from waitlab.forecasting import (
    BacktestResult,
    ForecastResult,
    forecast,
    forecast_backtest,
    staffing_from_forecast,
)
from waitlab.readers import IngestReport, read_log
from waitlab.schema import coerce_contacts, validate_contacts
from waitlab.staffing import StaffingResult, staffing_from_log
from waitlab.targets import Target

__all__ = [
    "BacktestResult",
    "ChannelDefaults",
    "ForecastResult",
    "IngestReport",
    "LogFormatError",
    "ModelBacktestResult",
    "Seats",
    "StaffingResult",
    "Target",
    "WaitlabError",
    "backtest",
    "check_compliance",
    "coerce_contacts",
    "defaults_for",
    "forecast",
    "forecast_backtest",
    "from_headcounts",
    "idle_gaps",
    "interval_stats",
    "load_rules",
    "parse_interval",
    "patience",
    "read_log",
    "staffing_from_forecast",
    "staffing_from_log",
    "summary_by",
    "summary_kpis",
    "validate_contacts",
    "write_report",
]

_SUBPACKAGES = {"models", "sim", "planning", "report", "network"}


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        return importlib.import_module(f"waitlab.{name}")
    if name == "write_report":
        from waitlab.report import write_report

        return write_report
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'waitlab' has no attribute {name!r}")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("waitlab")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
