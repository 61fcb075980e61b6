"""Rule sets carry their texts in Spanish and English; pages and reports show the reader's language."""

from __future__ import annotations

import pytest

from waitlab.compliance import available_rules, load_rules
from waitlab.compliance._rules import parse_rules
from waitlab.exceptions import RuleError

BASE = 'name = "x"\nsource = "plain"\njurisdiction = "here"\n'
LIMIT = '[[limit]]\nid = "t"\nkind = "total"\nminutes = 5\n'


@pytest.mark.parametrize("name", available_rules())
def test_every_shipped_rule_set_speaks_both_languages(name):
    rs = load_rules(name)
    for key in ("source", "jurisdiction", "description"):
        es, en = rs.text(key, "es"), rs.text(key, "en")
        assert es and en and es != en, (name, key)
    items = [*rs.limits, *([rs.turn_order] if rs.turn_order else [])]
    for item in items:
        assert item.text(lang="es") != item.text(lang="en"), (name, item)
    assert rs.text("source") == rs.source  # no language: the plain text, as before


def test_missing_language_falls_back_to_the_plain_text():
    rs = parse_rules(BASE + 'source_es = "fuente"\n' + LIMIT + 'description_en = "five"\n')
    assert (rs.text("source", "es"), rs.text("source", "en")) == ("fuente", "plain")
    assert (rs.limits[0].text(lang="en"), rs.limits[0].text(lang="es")) == ("five", "")


@pytest.mark.parametrize(("extra", "message"), [
    ('source_es = ""\n' + LIMIT, "key `source_es` must be a non-empty string"),
    (LIMIT + "description_es = 3\n", "key `limit.description_es` must be a string, got 3."),
    (LIMIT + 'source_fr = "x"\n', "is not a known key of [[limit]]"),
])
def test_language_keys_are_validated_with_line_and_key(extra, message):
    with pytest.raises(RuleError, match=None) as exc:
        parse_rules(BASE + extra, origin="r.toml")
    assert message in str(exc.value) and "r.toml, line" in str(exc.value)
