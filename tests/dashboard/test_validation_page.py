"""The Validation (Validación) page under AppTest: the library's backtest errors, both languages, plain messages."""

from __future__ import annotations

import i18n
import pytest
from conftest import load_sample, new_app


@pytest.mark.parametrize("lang", ["es", "en"])
def test_validation_page_shows_the_librarys_errors(lang):
    at = load_sample(new_app(lang), "callcenter_month")
    at.switch_page("views/validation.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == i18n.t("backtest.title", lang)
    # the defaults: first half of the log to train, second half to test, by pool, Erlang C and A
    train, test = at.date_input(key=f"bt_train.{lang}").value, at.date_input(key=f"bt_test.{lang}").value
    assert train[1] < test[0]
    shown = at.dataframe[0].value
    assert i18n.t("backtest.col_noise_mae", lang) in shown.columns
    models = set(shown[i18n.t("backtest.col_model", lang)])
    assert models == {i18n.t("backtest.model_erlang_c", lang), i18n.t("backtest.model_erlang_a", lang)}
    assert len(shown) == len(set(shown[i18n.t("backtest.col_kpi", lang)])) * 2


@pytest.mark.parametrize("lang", ["es", "en"])
def test_overlapping_periods_give_a_plain_message(lang):
    at = load_sample(new_app(lang), "callcenter_month")
    at.switch_page("views/validation.py").run()
    test = at.date_input(key=f"bt_test.{lang}").value
    at.date_input(key=f"bt_train.{lang}").set_value(test).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any(m.value == i18n.t("backtest.overlap", lang) for m in at.info), [m.value for m in at.info]
