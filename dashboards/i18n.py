"""The dashboard's side of the es/en catalogue: the sidebar's language, then the library does the rest.

Every word and every number / date format comes from :mod:`waitlab.i18n` (one catalogue for the
report, the plan figures and the dashboard; formats by Babel). This module only picks the
language the user chose in the sidebar when a page does not name one, and turns the same
locale into Vega-Lite's ``config.locale`` for the charts.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator
from typing import Any

from waitlab import i18n as lib

__all__ = [
    "LANGS",
    "STRINGS",
    "current_lang",
    "fmt_date",
    "fmt_datetime",
    "fmt_duration",
    "fmt_int",
    "fmt_num",
    "fmt_pct",
    "fmt_time",
    "parse_num",
    "t",
    "vega_locale",
]

LANGS = lib.LANGS
LANG_NAMES = {lang: lib.language_name(lang) for lang in LANGS}
SESSION_KEY = "lang"
DASH = lib.MISSING
STRINGS: dict[str, tuple[str, str]] = lib.strings()

_FORCED: contextvars.ContextVar[str | None] = contextvars.ContextVar("waitlab_dashboard_lang", default=None)


@contextlib.contextmanager
def using(lang: str) -> Iterator[None]:
    """Within the block, :func:`current_lang` is `lang` (used to bind a widget's labels to its language)."""
    token = _FORCED.set(lib.check_lang(lang))
    try:
        yield
    finally:
        _FORCED.reset(token)


def current_lang() -> str:
    """The language chosen in the sidebar (``"es"`` until the user switches)."""
    forced = _FORCED.get()
    if forced is not None:
        return forced
    try:
        import streamlit as st

        lang = st.session_state.get(SESSION_KEY, "es")
    except Exception:  # outside a Streamlit session (plain tests, scripts)
        lang = "es"
    return lang if lang in LANGS else "es"


def _lang(lang: str | None) -> str:
    return current_lang() if lang is None else lib.check_lang(lang)


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The text of `key` in `lang` (default: the sidebar's choice), with ``{name}`` fields filled."""
    return lib.t(key, _lang(lang), **values)


def fmt_num(x: float | int | None, decimals: int = 1, lang: str | None = None) -> str:
    """``1.234,5`` (es) or ``1,234.5`` (en); ``–`` for a missing value, ``∞`` for infinity."""
    return lib.fmt_number(x, _lang(lang), decimals)


def fmt_int(n: float | int | None, lang: str | None = None) -> str:
    """A count with thousands separators: ``12.345`` (es), ``12,345`` (en)."""
    return lib.fmt_int(n, _lang(lang))


def fmt_pct(share: float | None, decimals: int = 1, lang: str | None = None) -> str:
    """A share in [0, 1] as a percentage: ``80,5 %`` (es), ``80.5%`` (en)."""
    return lib.fmt_pct(share, _lang(lang), decimals)


def fmt_duration(seconds: float | None, lang: str | None = None) -> str:
    """Seconds as ``45 s`` below one minute, else minutes with one decimal (``12,5 min``)."""
    return lib.fmt_duration(seconds, _lang(lang))


def fmt_date(d: dt.date | None, lang: str | None = None) -> str:
    """``25/03/2025`` (es) or ``2025-03-25`` (en)."""
    return lib.fmt_date(d, _lang(lang))


def fmt_time(ts: dt.datetime | dt.time | None, lang: str | None = None) -> str:
    """``14:30`` (24-hour clock in both languages)."""
    return lib.fmt_time(ts, _lang(lang))


def fmt_datetime(ts: dt.datetime | None, lang: str | None = None) -> str:
    """``25/03/2025 14:30`` (es) or ``2025-03-25 14:30`` (en), in the data's own timezone."""
    return lib.fmt_datetime(ts, _lang(lang))


def parse_num(text: str, lang: str | None = None) -> float:
    """Inverse of :func:`fmt_num` / :func:`fmt_pct` / :func:`fmt_duration` (value in the shown unit)."""
    return lib.parse_number(text, _lang(lang))


# d3 time formats of chart axes and the Vega-Lite locale, matching lib.DATE_PATTERNS / TIME_PATTERN
_D3_DATE = {"es": "%d/%m/%Y", "en": "%Y-%m-%d"}
AXIS_DATE = {"es": "%d/%m", "en": "%m-%d"}
AXIS_DATETIME = {"es": "%d/%m %H:%M", "en": "%m-%d %H:%M"}


def vega_locale(lang: str | None = None) -> dict[str, Any]:
    """Vega-Lite ``config.locale`` for `lang`: number marks, month and day names, all from the Babel locale."""
    lang = _lang(lang)
    loc = lib.locale(lang)
    marks = loc.number_symbols["latn"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # d3 starts the week on Sunday, Babel on Monday
    return {
        "number": {"decimal": marks["decimal"], "thousands": marks["group"], "grouping": [3],
                   "currency": ["$", ""] if lang == "en" else ["", " $"]},
        "time": {
            "dateTime": f"{_D3_DATE[lang]} %H:%M:%S",
            "date": _D3_DATE[lang],
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": [loc.days["format"]["wide"][i] for i in sunday_first],
            "shortDays": [loc.days["format"]["abbreviated"][i] for i in sunday_first],
            "months": [loc.months["format"]["wide"][m] for m in range(1, 13)],
            "shortMonths": [loc.months["format"]["abbreviated"][m] for m in range(1, 13)],
        },
    }
