"""Every page under AppTest: no exception, the library's numbers, and the language switch.

Expected values are computed here by calling waitlab directly on the same file, then written
with the hand-tested formatters of ``i18n`` (and parsed back to check the number itself).
"""

from __future__ import annotations

import i18n
import pytest
from conftest import PAGES, load_sample, metrics, new_app

from waitlab import Target
from waitlab.analytics import interval_stats, patience, summary_kpis
from waitlab.compliance import check_compliance
from waitlab.models import staffing_plan


@pytest.fixture(scope="module")
def loaded_es(kiosk):
    return load_sample(new_app("es"))


@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_page_raises_before_or_after_loading(lang, kiosk):
    at = new_app(lang)
    for page in PAGES:  # without data: each page says where to load it
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, at.exception)
    load_sample(at)
    for page in PAGES:
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert at.title[0].value == i18n.t(f"nav.{page}" if page != "compliance" else "cmp.title", lang) or page in {
            "overview", "staffing", "whatif", "validation", "export", "data", "network"}


def test_data_page_shows_the_readers_row_accounting(loaded_es, kiosk):
    _, report = kiosk
    at = loaded_es
    at.switch_page("views/data.py").run()
    shown = metrics(at)
    assert shown[i18n.t("data.rows_read", "es")] == i18n.fmt_int(report.rows_read, "es") == "5.330"
    assert shown[i18n.t("data.rows_used", "es")] == i18n.fmt_int(report.rows_used, "es")
    assert shown[i18n.t("data.rows_quarantined", "es")] == "6"  # datasets/README.md: exactly 6 broken lines
    assert at.download_button(key="dl_quarantine") is not None


def test_overview_kpis_equal_the_library(loaded_es, kiosk):
    contacts, _ = kiosk
    at = loaded_es
    at.switch_page("views/overview.py").run()
    assert not at.exception
    k = summary_kpis(contacts, sl_threshold=900.0)  # the page's default threshold for kiosk data
    shown = metrics(at)
    assert shown[i18n.t("kpi.arrivals", "es")] == i18n.fmt_int(k["arrivals"], "es")
    assert i18n.parse_num(shown[i18n.t("kpi.arrivals", "es")], "es") == len(contacts)
    asa = shown[i18n.t("kpi.asa", "es")]
    assert asa == i18n.fmt_duration(k["asa"], "es")
    assert i18n.parse_num(asa, "es") == pytest.approx(k["asa"] / 60.0, abs=0.05)  # shown in minutes
    sl = shown[i18n.t("kpi.sl", "es", s=i18n.fmt_duration(900.0, "es"))]
    assert i18n.parse_num(sl, "es") == pytest.approx(100 * k["sl_offered"], abs=0.05)
    ab = shown[i18n.t("kpi.abandon_rate", "es")]
    assert i18n.parse_num(ab, "es") == pytest.approx(100 * k["abandon_rate"], abs=0.05)
    mx = shown[i18n.t("kpi.wait_max", "es")]
    # datasets/README.md: the longest wait of the sample is 133.1 min (on the breach day)
    assert mx == i18n.fmt_duration(k["wait_max"], "es") == "133,1 min"
    n_breach = check_compliance(contacts, rules="CABA").breaches["contact_id"].nunique()
    assert shown[i18n.t("kpi.breaches", "es", rules="CABA")] == i18n.fmt_int(n_breach, "es")


def test_overview_filters_give_the_library_figures_of_the_subset(loaded_es, kiosk):
    contacts, _ = kiosk
    at = loaded_es
    at.switch_page("views/overview.py").run()
    at.multiselect(key="flt_queue.es").set_value(["Caja"]).run()
    try:
        assert not at.exception
        sub = contacts[contacts["queue"] == "Caja"]
        k = summary_kpis(sub, sl_threshold=900.0)
        assert metrics(at)[i18n.t("kpi.arrivals", "es")] == i18n.fmt_int(k["arrivals"], "es")
        assert k["arrivals"] < len(contacts)
    finally:
        at.multiselect(key="flt_queue.es").set_value([]).run()


def test_compliance_page_shows_the_breach_day(loaded_es, kiosk):
    contacts, _ = kiosk
    at = loaded_es
    at.switch_page("views/compliance.py").run()
    assert not at.exception
    res = check_compliance(contacts, rules="CABA")
    shown = metrics(at)
    assert shown[i18n.t("cmp.breaching", "es")] == i18n.fmt_int(res.breaches["contact_id"].nunique(), "es")
    assert shown[i18n.t("cmp.turn_order", "es")] == "6"  # datasets/README.md: 6 tickets called out of turn
    # datasets/README.md: Tuesday 25 March 2025, the day after the holiday, is the breach day
    assert any("25/03/2025" in e.value for e in at.error), [e.value for e in at.error]


def test_staffing_page_equals_the_models_plan(loaded_es, kiosk):
    contacts, _ = kiosk
    at = loaded_es
    at.switch_page("views/staffing.py").run()
    assert not at.exception, at.exception
    # the page's defaults: Erlang A with the estimated patience, 1 h intervals, the AHT of each
    # interval, wait limits 30 min <= 5 % and 90 min <= 0.1 %, no shrinkage
    stats = interval_stats(contacts, interval="1h")
    period_aht = summary_kpis(contacts)["mean_service"]
    mean_service = stats["mean_service"].where(~((stats["arrivals"] > 0) & stats["mean_service"].isna()), period_aht)
    plan = staffing_plan(stats["arrivals"], mean_service, 3600.0, mean_patience=patience(contacts).mean_patience,
                         targets=[Target.wait_exceeds(1800.0, 0.05), Target.wait_exceeds(5400.0, 0.001)])
    open_ = (stats["arrivals"] > 0) | (stats["desks_present"] > 0)
    shown = metrics(at)
    assert shown[i18n.t("stf.desk_hours_required", "es")] == i18n.fmt_num(plan.loc[open_, "desks"].sum(), 1, "es")
    short = (stats["desks_on_duty"].fillna(0) < plan["desks"]) & open_  # the verdict uses desks on duty
    assert shown[i18n.t("stf.intervals_short", "es")] == f"{int(short.sum())} / {int(open_.sum())}"


def test_staffing_erlang_c_with_a_service_level_target(loaded_es, kiosk):
    contacts, _ = kiosk
    at = loaded_es
    at.switch_page("views/staffing.py").run()
    at.radio(key="stf_model.es").set_value("erlang_c").run()
    at.checkbox(key="stf_use_sl.es").check().run()
    at.checkbox(key="stf_use_limits.es").uncheck().run()
    try:
        assert not at.exception, at.exception
        stats = interval_stats(contacts, interval="1h")
        period_aht = summary_kpis(contacts)["mean_service"]
        mean_service = stats["mean_service"].where(~((stats["arrivals"] > 0) & stats["mean_service"].isna()), period_aht)
        plan = staffing_plan(stats["arrivals"], mean_service, 3600.0, targets=Target.service_level(900.0, 0.8))
        open_ = (stats["arrivals"] > 0) | (stats["desks_present"] > 0)
        assert metrics(at)[i18n.t("stf.desk_hours_required", "es")] == i18n.fmt_num(
            plan.loc[open_, "desks"].sum(), 1, "es")
    finally:
        at.radio(key="stf_model.es").set_value("erlang_a").run()
        at.checkbox(key="stf_use_sl.es").uncheck().run()
        at.checkbox(key="stf_use_limits.es").check().run()


def test_language_switch_changes_labels_numbers_and_dates(kiosk):
    at = new_app("es")
    assert at.title[0].value == "Datos"
    at.sidebar.radio(key="lang_choice").set_value("en").run()  # the sidebar switch itself
    assert at.session_state["lang"] == "en"
    assert at.title[0].value == "Data"
    load_sample(at)
    shown = metrics(at)
    assert shown["Rows read"] == "5,330"
    at.switch_page("views/compliance.py").run()
    assert at.title[0].value == "Regulatory compliance"
    assert any("2025-03-25" in e.value for e in at.error)
    at.switch_page("views/overview.py").run()
    en = metrics(at)
    assert en["Max wait"] == "133.1 min"
    at.session_state["lang"] = "es"
    at.run()
    es = metrics(at)
    assert es["Espera máxima"] == "133,1 min"
    assert set(en).isdisjoint(es)  # every card label changed
    assert at.multiselect(key="flt_site.es").label == "Sucursal"


def test_choices_survive_page_and_language_changes(loaded_es):
    at = loaded_es
    at.switch_page("views/compliance.py").run()
    at.selectbox(key="cmp_rules.es").set_value("limit15").run()
    at.switch_page("views/overview.py").run()
    assert i18n.t("kpi.breaches", "es", rules="limit15") in metrics(at)
    at.session_state["lang"] = "en"
    at.switch_page("views/compliance.py").run()
    assert at.selectbox(key="cmp_rules.en").value == "limit15"
    at.selectbox(key="cmp_rules.en").set_value("CABA").run()
    at.session_state["lang"] = "es"
    at.run()
