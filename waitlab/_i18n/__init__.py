"""One es/en catalogue and the number and date formats of the report, the plan figures and the dashboard.

The public face is :mod:`waitlab.i18n`; this package sits below every other layer (it imports
nothing from waitlab), so readers, planning and report can all use it.
"""

from waitlab._i18n._catalogue import LANGS, check_lang, strings, t
from waitlab._i18n._format import (
    DATE_PATTERNS,
    MISSING,
    TIME_PATTERN,
    fmt_date,
    fmt_datetime,
    fmt_duration,
    fmt_int,
    fmt_number,
    fmt_pct,
    fmt_time,
    language_name,
    locale,
    parse_number,
)
from waitlab._i18n._readers import note_key, note_text, reason_key, reason_text

__all__ = [
    "DATE_PATTERNS",
    "LANGS",
    "MISSING",
    "TIME_PATTERN",
    "check_lang",
    "fmt_date",
    "fmt_datetime",
    "fmt_duration",
    "fmt_int",
    "fmt_number",
    "fmt_pct",
    "fmt_time",
    "language_name",
    "locale",
    "note_key",
    "note_text",
    "parse_number",
    "reason_key",
    "reason_text",
    "strings",
    "t",
]
