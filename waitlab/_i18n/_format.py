"""Numbers, shares, durations, dates and times written the way each language reads them, by Babel.

Spanish is Babel's ``es_AR`` locale (decimal comma, ``.`` between thousands), English ``en_US``.
Choices made on top of Babel, kept from the formats users already saw:

* a percentage is written ``14,7 %`` in Spanish (the RAE separates the sign by a space; CLDR's
  es_AR pattern has none) and ``14.7%`` in English (CLDR en_US);
* a duration is ``42 s`` below a minute and minutes with one decimal above (``12,5 min``): SI
  symbols, the same in both languages (CLDR's short units would give ``42 seg.`` and ``42 sec``);
* a date is ``25/03/2025`` in Spanish and ISO ``2025-03-25`` in English (CLDR's short dates,
  ``25/3/25`` and ``3/25/25``, are ambiguous between the two audiences); times ``14:30``.

A missing value (None, NaN, NaT, pd.NA) is ``–``; a value that rounds to zero never shows a minus.
Rounding is Babel's: half to even on the number as printed by Python (``2.675`` -> ``2,68``).
"""

from __future__ import annotations

import datetime as dt
import functools
import math

from babel.core import Locale
from babel.dates import format_date, format_time
from babel.numbers import (
    NumberFormatError,
    NumberPattern,
    format_decimal,
    format_percent,
    parse_decimal,
    parse_pattern,
)

from waitlab._i18n._catalogue import check_lang
from waitlab.exceptions import ArgumentError

__all__ = [
    "DATE_PATTERNS",
    "MISSING",
    "TIME_PATTERN",
    "fmt_date",
    "fmt_datetime",
    "fmt_duration",
    "fmt_int",
    "fmt_number",
    "fmt_pct",
    "fmt_time",
    "language_name",
    "locale",
    "parse_number",
]

MISSING = "–"
_LOCALES = {"es": "es_AR", "en": "en_US"}
_PCT_SUFFIX = {"es": " %", "en": "%"}
DATE_PATTERNS = {"es": "dd/MM/yyyy", "en": "yyyy-MM-dd"}
TIME_PATTERN = "HH:mm"


@functools.cache
def locale(lang: str) -> Locale:
    """The Babel locale of `lang`: ``es_AR`` for ``"es"``, ``en_US`` for ``"en"`` (parsed once)."""
    return Locale.parse(_LOCALES[check_lang(lang)])


def language_name(lang: str) -> str:
    """The language's name in itself, capitalised: ``Español``, ``English``."""
    name = locale(lang).language_name or lang
    return name[:1].upper() + name[1:]


@functools.cache
def _number_pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


@functools.cache
def _pct_pattern(lang: str, decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else "") + _PCT_SUFFIX[lang])


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN, NaT; pd.NA raises TypeError below
    except TypeError:
        return True


@functools.cache
def _minus(lang: str) -> str:
    return str(locale(lang).number_symbols["latn"]["minusSign"])


def _no_negative_zero(text: str, lang: str) -> str:
    minus = _minus(lang)
    if text.startswith(minus) and not any(c in "123456789" for c in text):
        return text[len(minus):]  # "-0,0" reads as an error to a client
    return text


def fmt_number(x: float | int | None, lang: str = "es", decimals: int = 1) -> str:
    """A number with the language's marks: ``1.234,5`` (es), ``1,234.5`` (en); ``–`` if missing, ``∞`` if infinite."""
    lang = check_lang(lang)
    if _missing(x):
        return MISSING
    v = float(x)  # type: ignore[arg-type]
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    return _no_negative_zero(format_decimal(v, _number_pattern(decimals), locale=locale(lang)), lang)


def fmt_int(n: float | int | None, lang: str = "es") -> str:
    """A count with thousands separators: ``12.345`` (es), ``12,345`` (en)."""
    return fmt_number(n, lang, 0)


def fmt_pct(share: float | None, lang: str = "es", decimals: int = 1) -> str:
    """A share in [0, 1] as a percentage: ``80,5 %`` (es), ``80.5%`` (en)."""
    lang = check_lang(lang)
    if _missing(share):
        return MISSING
    v = float(share)  # type: ignore[arg-type]
    if math.isinf(v):
        return ("∞" if v > 0 else "-∞") + _PCT_SUFFIX[lang]
    return _no_negative_zero(format_percent(v, _pct_pattern(lang, decimals), locale=locale(lang)), lang)


def fmt_duration(seconds: float | None, lang: str = "es") -> str:
    """Seconds as ``45 s`` below one minute, else minutes with one decimal (``12,5 min``, ``12.5 min``)."""
    lang = check_lang(lang)
    if _missing(seconds):
        return MISSING
    s = float(seconds)  # type: ignore[arg-type]
    if math.isinf(s):
        return "∞"
    if abs(s) < 59.5:  # would round to 60 s: show 1,0 min instead
        return fmt_number(s, lang, 0) + " s"
    return fmt_number(s / 60.0, lang, 1) + " min"


def fmt_date(d: dt.date | None, lang: str = "es") -> str:
    """``25/03/2025`` (es) or ``2025-03-25`` (en); a datetime shows its own (local) date."""
    lang = check_lang(lang)
    if _missing(d) or d is None:
        return MISSING
    return format_date(d, DATE_PATTERNS[lang], locale=locale(lang))


def fmt_time(ts: dt.datetime | dt.time | None, lang: str = "es") -> str:
    """``14:30``: the 24-hour clock in both languages, in the value's own timezone."""
    lang = check_lang(lang)
    if _missing(ts) or ts is None:
        return MISSING
    clock = ts.timetz() if isinstance(ts, dt.datetime) else ts  # babel would move an aware datetime to UTC
    return format_time(clock.replace(tzinfo=None), TIME_PATTERN, locale=locale(lang))


def fmt_datetime(ts: dt.datetime | None, lang: str = "es") -> str:
    """``25/03/2025 14:30`` (es) or ``2025-03-25 14:30`` (en), in the value's own timezone."""
    if _missing(ts) or ts is None:
        check_lang(lang)
        return MISSING
    return f"{fmt_date(ts, lang)} {fmt_time(ts, lang)}"


def parse_number(text: str, lang: str = "es") -> float:
    """Inverse of :func:`fmt_number` / :func:`fmt_pct` / :func:`fmt_duration`: the value in the shown unit.

    ``parse_number("12,5 min", "es") == 12.5``; ``parse_number("80,4 %", "es") == 80.4``.
    """
    s = text.strip().replace("\u00a0", " ")
    for unit in (" %", "%", " min", " s"):
        if s.endswith(unit):
            s = s[: -len(unit)]
            break
    try:
        return float(parse_decimal(s, locale=locale(lang), strict=True))
    except (NumberFormatError, ValueError):
        raise ArgumentError(f"{text!r} is not a number written in {lang!r}; write it like "
                         f"{fmt_number(1234.5, lang)!r}.") from None

