"""The one es/en catalogue (waitlab.i18n): complete in both languages, every key used exists, and
numbers and dates written as a Spanish and an English reader expect (strings written by hand)."""

from __future__ import annotations

import ast
import datetime as dt
import string
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from waitlab import i18n

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "waitlab" / "_i18n" / "strings.toml"


def _leaves(table: dict, prefix: str = "") -> dict[str, dict]:
    """Walk the TOML independently of the loader: a leaf is a table whose values are all strings."""
    out: dict[str, dict] = {}
    for key, value in table.items():
        assert isinstance(value, dict), f"{prefix}{key} is not a table"
        if all(isinstance(v, str) for v in value.values()):
            out[prefix + key] = value
        else:
            out.update(_leaves(value, f"{prefix}{key}."))
    return out


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_entry_has_both_languages_non_empty_with_the_same_fields():
    with CATALOGUE.open("rb") as fh:
        leaves = _leaves(tomllib.load(fh))
    assert len(leaves) > 200
    for key, entry in leaves.items():
        assert set(entry) == {"es", "en"}, key
        assert entry["es"].strip() and entry["en"].strip(), key
        assert _fields(entry["es"]) == _fields(entry["en"]), key
    assert set(i18n.strings()) == set(leaves)
    assert i18n.strings()["report.title"] == ("Informe de esperas", "Wait-time report")


def _keys_used(folder: Path) -> tuple[set[str], set[str]]:
    """Literal keys of every ``t("...")`` / ``x.t("...")`` call, and prefixes of ``t(f"prefix{...}")``."""
    literal: set[str] = set()
    prefixes: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            f = node.func
            if not ((isinstance(f, ast.Name) and f.id == "t") or (isinstance(f, ast.Attribute) and f.attr == "t")):
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                literal.add(arg.value)
            elif isinstance(arg, ast.JoinedStr) and arg.values and isinstance(arg.values[0], ast.Constant):
                prefixes.add(str(arg.values[0].value))
    return literal, prefixes


@pytest.mark.parametrize("folder, at_least", [("waitlab", 40), ("dashboards", 150)])
def test_every_key_used_in_the_code_is_in_the_catalogue(folder, at_least):
    literal, prefixes = _keys_used(ROOT / folder)
    assert len(literal) >= at_least
    catalogue = i18n.strings()
    assert sorted(k for k in literal if k not in catalogue) == []
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in catalogue), prefix


def test_lookup_fills_fields_and_refuses_unknown_languages():
    assert i18n.t("common.period", "es", start="1", end="2", tz="UTC") == "Período: 1 a 2 (UTC)"
    assert i18n.t("common.period", "en", start="1", end="2", tz="UTC") == "Period: 1 to 2 (UTC)"
    for call in (lambda: i18n.t("report.title", "fr"), lambda: i18n.fmt_number(1.0, "pt"),
                 lambda: i18n.fmt_date(dt.date(2025, 1, 1), "de"), lambda: i18n.fmt_number(None, "pt")):
        with pytest.raises(ValueError, match=r"`lang` must be one of \('es', 'en'\), got"):
            call()
    with pytest.raises(KeyError):
        i18n.t("report.no_such_key", "es")


def test_numbers_as_written_by_hand():
    assert i18n.fmt_number(1234.5, "es") == "1.234,5"
    assert i18n.fmt_number(1234.5, "en") == "1,234.5"
    assert i18n.fmt_number(1_234_567.891, "es", 2) == "1.234.567,89"
    assert i18n.fmt_number(-1234.5, "es") == "-1.234,5"
    assert i18n.fmt_number(999.96, "es") == "1.000,0"
    assert i18n.fmt_number(-0.04, "es") == "0,0"  # never "-0,0"
    assert i18n.fmt_number(-0.04, "en") == "0.0"
    assert i18n.fmt_number(2.675, "es", 2) == "2,68"  # rounds the decimal 2.675, not the binary 2.67499...
    assert i18n.fmt_int(1234567, "es") == "1.234.567"
    assert i18n.fmt_int(np.int64(1234567), "en") == "1,234,567"
    assert i18n.fmt_number(float("inf"), "es") == "∞"
    assert i18n.fmt_number(float("-inf"), "es") == "-∞"
    for missing in (None, float("nan"), np.nan, pd.NA, pd.NaT):
        assert i18n.fmt_number(missing, "es") == "–"
        assert i18n.fmt_pct(missing, "en") == "–"
        assert i18n.fmt_duration(missing, "es") == "–"


def test_percentages_as_written_by_hand():
    # Spanish: sign separated by a space (RAE; also what the report showed before Babel); English: none
    assert i18n.fmt_pct(0.147, "es") == "14,7 %"
    assert i18n.fmt_pct(0.147, "en") == "14.7%"
    assert i18n.fmt_pct(1.0, "es", 0) == "100 %"
    assert i18n.fmt_pct(12.3456, "es", 2) == "1.234,56 %"
    assert i18n.fmt_pct(-0.0001, "es") == "0,0 %"


def test_durations_as_written_by_hand():
    assert i18n.fmt_duration(42.4, "es") == "42 s"
    assert i18n.fmt_duration(59.4, "en") == "59 s"
    assert i18n.fmt_duration(59.6, "es") == "1,0 min"  # not "60 s"
    assert i18n.fmt_duration(750, "es") == "12,5 min"
    assert i18n.fmt_duration(750, "en") == "12.5 min"
    assert i18n.fmt_duration(100_000, "es") == "1.666,7 min"


def test_dates_and_times_in_the_data_own_timezone():
    d = dt.date(2025, 3, 5)
    assert i18n.fmt_date(d, "es") == "05/03/2025"
    assert i18n.fmt_date(d, "en") == "2025-03-05"
    late = pd.Timestamp("2025-03-25 23:30", tz="America/Argentina/Buenos_Aires")  # 02:30 next day in UTC
    assert i18n.fmt_date(late, "es") == "25/03/2025"
    assert i18n.fmt_time(late, "es") == "23:30"
    assert i18n.fmt_datetime(late, "en") == "2025-03-25 23:30"
    assert i18n.fmt_datetime(dt.datetime(2025, 3, 25, 9, 5), "es") == "25/03/2025 09:05"
    assert i18n.fmt_time(dt.time(7, 0), "en") == "07:00"


@pytest.mark.parametrize("lang, text, value", [("es", "1.234,5", 1234.5), ("en", "1,234.5", 1234.5),
                                               ("es", "14,7 %", 14.7), ("en", "14.7%", 14.7),
                                               ("es", "12,5 min", 12.5), ("es", "-3", -3.0)])
def test_parse_reads_what_format_writes(lang, text, value):
    assert i18n.parse_number(text, lang) == pytest.approx(value)


def test_parse_refuses_text_that_is_not_a_number():
    with pytest.raises(ValueError, match="not a number written in 'es'"):
        i18n.parse_number("doce", "es")


def test_locales_are_babel_es_ar_and_en_us_parsed_once():
    assert str(i18n.locale("es")) == "es_AR" and str(i18n.locale("en")) == "en_US"
    assert i18n.locale("es") is i18n.locale("es")
    assert i18n.language_name("es") == "Español" and i18n.language_name("en") == "English"


def test_plan_figures_take_their_labels_from_the_catalogue():
    import matplotlib.pyplot as plt

    from waitlab.planning._plots import plan_figure

    fig = plan_figure(["09:00", "09:30"], {"plan": np.array([2, 3])}, arrivals=[10, 12], lang="es")
    try:
        ax = fig.axes[0]
        assert ax.get_ylabel() == "Cajas abiertas" and ax.get_xlabel() == "Hora"
        assert fig.axes[1].get_ylabel() == "Llegadas por intervalo"
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="`lang` must be one of"):
        plan_figure(["09:00"], {"plan": np.array([1])}, lang="fr")
    plt.close("all")
