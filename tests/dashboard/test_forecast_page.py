"""The Forecast (Pronóstico) page under AppTest: the library's forecast and staffing, both languages, short logs."""

from __future__ import annotations

import datetime as dt

import i18n
import pytest
from conftest import load_sample, metrics, new_app

import waitlab as wl

pytest.importorskip("statsmodels", reason="the forecast extra (statsmodels) is not installed")
pytest.importorskip("holidays", reason="the forecast extra (holidays) is not installed")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_forecast_page_shows_the_librarys_forecast_and_staffing(lang, kiosk):
    contacts, _ = kiosk
    at = load_sample(new_app(lang))
    at.switch_page("views/forecast.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == i18n.t("fc.title", lang)
    # the page's defaults: 1 h intervals, 7 days, Argentina's holidays, expected arrivals, 30 min <= 5 %
    fc = wl.forecast(contacts, horizon="7D", interval="1h", by=None, country="AR")
    staff = wl.staffing_from_forecast(fc, targets=[wl.Target.wait_exceeds(1800.0, 0.05)])
    shown = metrics(at)
    assert shown[i18n.t("fc.total", lang)] == i18n.fmt_int(round(float(fc.table["arrivals"].sum())), lang)
    assert shown[i18n.t("fc.desk_hours", lang)] == i18n.fmt_num(float(staff.table["desks"].sum()), 1, lang)
    assert shown[i18n.t("fc.model", lang)] == i18n.t(f"fc.model_{fc.model}", lang)
    # planning for the upper 95 % bound needs no fewer desk-hours than the expected arrivals
    at.selectbox(key=f"fc_quantile.{lang}").set_value(95).run()
    assert not at.exception, at.exception
    robust = i18n.parse_num(metrics(at)[i18n.t("fc.desk_hours", lang)], lang)
    assert robust >= i18n.parse_num(shown[i18n.t("fc.desk_hours", lang)], lang)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_too_short_a_log_gives_a_plain_message(lang, kiosk):
    at = load_sample(new_app(lang))
    at.switch_page("views/forecast.py").run()
    at.date_input(key=f"flt_dates.{lang}").set_value((dt.date(2025, 3, 10), dt.date(2025, 3, 12))).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert any(i18n.t("fc.too_short", lang, days="3")[:40] in m.value for m in at.info), [m.value for m in at.info]
