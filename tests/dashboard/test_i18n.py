"""The catalogue and the number/date formats, checked against hand-written expectations."""

from __future__ import annotations

import datetime as dt
import re
import string

import i18n
import pytest
from conftest import DASH


def test_hand_formatted_numbers():
    assert i18n.fmt_num(1234.56, 1, "es") == "1.234,6"
    assert i18n.fmt_num(1234.56, 1, "en") == "1,234.6"
    assert i18n.fmt_int(1234567, "es") == "1.234.567"
    assert i18n.fmt_int(1234567, "en") == "1,234,567"
    assert i18n.fmt_num(-0.04, 1, "es") == "0,0"  # no "-0,0"
    assert i18n.fmt_pct(0.8044, 1, "es") == "80,4 %"
    assert i18n.fmt_pct(0.25, 1, "es") == "25,0 %"
    assert i18n.fmt_pct(0.25, 1, "en") == "25.0%"
    assert i18n.fmt_num(float("nan"), 1, "es") == "–"
    assert i18n.fmt_num(None, 1, "en") == "–"
    assert i18n.fmt_num(float("inf"), 1, "en") == "∞"


def test_hand_formatted_durations():
    # below a minute: whole seconds; otherwise minutes with one decimal (as the HTML report)
    assert i18n.fmt_duration(42.4, "es") == "42 s"
    assert i18n.fmt_duration(750.0, "es") == "12,5 min"
    assert i18n.fmt_duration(750.0, "en") == "12.5 min"
    assert i18n.fmt_duration(7986.0, "es") == "133,1 min"


def test_hand_formatted_dates():
    d = dt.date(2025, 3, 25)
    assert i18n.fmt_date(d, "es") == "25/03/2025"
    assert i18n.fmt_date(d, "en") == "2025-03-25"
    ts = dt.datetime(2025, 3, 25, 9, 5)
    assert i18n.fmt_datetime(ts, "es") == "25/03/2025 09:05"
    assert i18n.fmt_datetime(ts, "en") == "2025-03-25 09:05"


@pytest.mark.parametrize("lang", i18n.LANGS)
@pytest.mark.parametrize("x", [0.0, 3.25, 999.95, 1234.5, 1_234_567.891])
def test_parse_inverts_format(lang, x):
    assert i18n.parse_num(i18n.fmt_num(x, 2, lang), lang) == pytest.approx(round(x, 2))


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="`lang` must be one of"):
        i18n.t("nav.data", "fr")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_entry_has_both_languages_with_the_same_fields():
    assert len(i18n.STRINGS) > 150
    for key, (es, en) in i18n.STRINGS.items():
        assert es.strip() and en.strip(), key
        assert _fields(es) == _fields(en), key


def _sources() -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(DASH.rglob("*.py")))


def test_every_key_the_dashboard_uses_is_in_the_catalogue():
    src = _sources()
    literal = set(re.findall(r"""\bt\(\s*["']([a-z_0-9.]+)["']""", src))
    assert len(literal) > 100
    missing = sorted(k for k in literal if k not in i18n.STRINGS)
    assert not missing, missing
    # keys built at run time, t(f"prefix.{...}"): some entry must start with the prefix
    prefixes = set(re.findall(r"""\bt\(\s*f["']([a-z_0-9.]+)\{""", src))
    assert prefixes
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in i18n.STRINGS), prefix


def test_vega_locales_mark_decimals_like_the_formatters():
    assert i18n.vega_locale("es")["number"]["decimal"] == ","
    assert i18n.vega_locale("en")["number"]["decimal"] == "."
    assert len(i18n.vega_locale("es")["time"]["months"]) == 12
