"""The dashboard's rule set follows the log's channel: none for calls unless picked, CABA for a branch."""

from __future__ import annotations

import i18n
import pytest
from conftest import CALLS, load_sample, metrics, new_app


def _breach_cards(at) -> list[str]:
    prefix = i18n.t("kpi.breaches", at.session_state["lang"], rules="\0").split("\0")[0]
    return [label for label in metrics(at) if label.startswith(prefix)]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_phone_log_has_no_rule_card_until_a_rule_is_picked(lang):
    if not CALLS.is_file():
        pytest.skip(f"{CALLS} is missing (run python datasets/make_datasets.py)")
    at = load_sample(new_app(lang), "callcenter_month")
    at.switch_page("views/overview.py").run()
    assert not at.exception, at.exception
    assert _breach_cards(at) == []  # a call log is judged by no wait-limit rule by default
    at.switch_page("views/compliance.py").run()
    box = at.selectbox(key=f"cmp_rules.{lang}")
    assert box.value == box.options[0]  # the first shipped rule set, with a caption saying none applies
    assert i18n.t("cmp.no_rules_phone", lang) in [c.value for c in at.caption]
    at.switch_page("views/overview.py").run()
    assert _breach_cards(at) == []  # showing the Compliance page is not a choice
    at.switch_page("views/compliance.py").run()
    at.selectbox(key=f"cmp_rules.{lang}").set_value("limit15").run()
    assert i18n.t("cmp.no_rules_phone", lang) not in [c.value for c in at.caption]
    at.switch_page("views/overview.py").run()
    assert _breach_cards(at) == [i18n.t("kpi.breaches", lang, rules="limit15")]


def test_kiosk_log_defaults_to_caba(kiosk):
    at = load_sample(new_app("es"))
    at.switch_page("views/overview.py").run()
    assert _breach_cards(at) == [i18n.t("kpi.breaches", "es", rules="CABA")]
    at.switch_page("views/compliance.py").run()
    assert at.selectbox(key="cmp_rules.es").value == "CABA"
    assert i18n.t("cmp.no_rules_phone", "es") not in [c.value for c in at.caption]
