"""The dashboard's words and number / date formats, in Spanish and English.

Every string the dashboard shows lives in one catalogue, ``strings.toml`` next to this file
(one table per key with an ``es`` and an ``en`` entry), loaded into :data:`STRINGS`
(key -> ``(es, en)``); pages call :func:`t`. Numbers and dates go through the ``fmt_*`` helpers: Spanish uses the decimal
comma, ``.`` between thousands and ``dd/mm/aaaa`` dates; English uses the decimal point,
``,`` between thousands and ISO ``yyyy-mm-dd`` dates. Charts get the same conventions through
:func:`vega_locale`. Durations follow the HTML report (``45 s`` below a minute, else minutes
with one decimal), so the dashboard and the exported report show the same figures.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import math
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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

LANGS = ("es", "en")
LANG_NAMES = {"es": "Español", "en": "English"}
SESSION_KEY = "lang"
DASH = "–"
CATALOGUE = Path(__file__).with_name("strings.toml")


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and set(value) == set(LANGS) and all(isinstance(v, str) for v in value.values()):
            out[name] = (value["es"], value["en"])
        elif isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            raise ValueError(f"{CATALOGUE.name}: `{name}` must have exactly the keys es and en.")
    return out


with CATALOGUE.open("rb") as _fh:
    STRINGS: dict[str, tuple[str, str]] = _flatten(tomllib.load(_fh))


_FORCED: contextvars.ContextVar[str | None] = contextvars.ContextVar("waitlab_dashboard_lang", default=None)


@contextlib.contextmanager
def using(lang: str) -> Iterator[None]:
    """Within the block, :func:`current_lang` is `lang` (used to bind a widget's labels to its language)."""
    token = _FORCED.set(_lang(lang))
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
    if lang is None:
        return current_lang()
    if lang not in LANGS:
        raise ValueError(f"`lang` must be one of {LANGS}, got {lang!r}.")
    return lang


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The text of `key` in `lang` (default: the sidebar's choice), with ``{name}`` fields filled.

    Raises
    ------
    KeyError
        If `key` is not in the catalogue (a programming error, caught by the tests).
    """
    text = STRINGS[key][LANGS.index(_lang(lang))]
    return text.format(**values) if values else text


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN, pd.NA raise TypeError below
    except TypeError:
        return True


def fmt_num(x: float | int | None, decimals: int = 1, lang: str | None = None) -> str:
    """``1.234,5`` (es) or ``1,234.5`` (en); ``–`` for a missing value, ``∞`` for infinity."""
    if _missing(x):
        return DASH
    x = float(x)  # type: ignore[arg-type]
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    s = f"{x:,.{decimals}f}"
    if s.startswith("-") and float(s.replace(",", "")) == 0:
        s = s[1:]  # "-0.0" reads as an error to a client
    if _lang(lang) == "es":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s


def fmt_int(n: float | int | None, lang: str | None = None) -> str:
    """A count with thousands separators: ``12.345`` (es), ``12,345`` (en)."""
    return fmt_num(n, 0, lang)


def fmt_pct(share: float | None, decimals: int = 1, lang: str | None = None) -> str:
    """A share in [0, 1] as a percentage: ``80,5 %`` (es), ``80.5%`` (en)."""
    if _missing(share):
        return DASH
    lang = _lang(lang)
    return fmt_num(100.0 * float(share), decimals, lang) + (" %" if lang == "es" else "%")  # type: ignore[arg-type]


def fmt_duration(seconds: float | None, lang: str | None = None) -> str:
    """Seconds as ``45 s`` below one minute, else minutes with one decimal (``12,5 min``)."""
    if _missing(seconds):
        return DASH
    s = float(seconds)  # type: ignore[arg-type]
    if math.isinf(s):
        return "∞"
    if abs(s) < 59.5:
        return fmt_num(s, 0, lang) + " s"
    return fmt_num(s / 60.0, 1, lang) + " min"


def fmt_date(d: dt.date | dt.datetime | None, lang: str | None = None) -> str:
    """``25/03/2025`` (es) or ``2025-03-25`` (en)."""
    if _missing(d) or d is None:
        return DASH
    return d.strftime("%d/%m/%Y") if _lang(lang) == "es" else d.strftime("%Y-%m-%d")


def fmt_time(ts: dt.datetime | dt.time | None, lang: str | None = None) -> str:
    """``14:30`` (24-hour clock in both languages)."""
    if _missing(ts) or ts is None:
        return DASH
    return ts.strftime("%H:%M")


def fmt_datetime(ts: dt.datetime | None, lang: str | None = None) -> str:
    """``25/03/2025 14:30`` (es) or ``2025-03-25 14:30`` (en), in the data's own timezone."""
    if _missing(ts) or ts is None:
        return DASH
    return f"{fmt_date(ts, lang)} {fmt_time(ts, lang)}"


def parse_num(text: str, lang: str | None = None) -> float:
    """Inverse of :func:`fmt_num` / :func:`fmt_pct` / :func:`fmt_duration` (value in the shown unit)."""
    s = text.strip()
    for unit in (" %", "%", " min", " s"):
        if s.endswith(unit):
            s = s[: -len(unit)]
            break
    s = s.replace(".", "").replace(",", ".") if _lang(lang) == "es" else s.replace(",", "")
    return float(s)


_VEGA = {
    "es": {
        "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " $"]},
        "time": {
            "dateTime": "%A, %e de %B de %Y, %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
            "shortDays": ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
            "months": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                       "septiembre", "octubre", "noviembre", "diciembre"],
            "shortMonths": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
        },
    },
    "en": {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]},
        "time": {
            "dateTime": "%x, %X",
            "date": "%Y-%m-%d",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
            "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            "months": ["January", "February", "March", "April", "May", "June", "July", "August",
                       "September", "October", "November", "December"],
            "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
        },
    },
}

#: d3 time formats for chart axes, per language.
AXIS_DATE = {"es": "%d/%m", "en": "%m-%d"}
AXIS_DATETIME = {"es": "%d/%m %H:%M", "en": "%m-%d %H:%M"}


def vega_locale(lang: str | None = None) -> dict[str, Any]:
    """Vega-Lite ``config.locale`` for `lang`: number marks, month and day names."""
    return _VEGA[_lang(lang)]
