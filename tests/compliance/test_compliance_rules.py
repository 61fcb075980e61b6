"""Rule sets: shipped files load by name or path; bad files are refused naming file, line and key."""

from __future__ import annotations

import re

import pytest

from waitlab.compliance import Limit, RuleSet, TurnOrderRule, available_rules, load_rules
from waitlab.exceptions import RuleError

GOOD = """\
name = "X"
source = "test source"
jurisdiction = "nowhere"

[[limit]]
id = "a"
kind = "total"
minutes = 10

[[limit]]
id = "b"
kind = "standing"
minutes = 20
"""


def _write(tmp_path, text, name="rules.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_shipped_rule_sets():
    assert available_rules() == ["CABA", "limit15", "standing45_seated60"]
    caba = load_rules("CABA")
    assert [(x.id, x.kind, x.seconds) for x in caba.limits] == [
        ("standing_30", "standing", 1800.0),
        ("total_90", "total", 5400.0),
    ]
    assert caba.checks_turn_order and caba.turn_order == TurnOrderRule(
        required=True, tolerance_seconds=0.0, description=caba.turn_order.description
    )
    assert "as summarised by waitlab" in caba.source
    assert [(x.kind, x.minutes) for x in load_rules("limit15").limits] == [("total", 15)]
    assert not load_rules("limit15").checks_turn_order
    assert [(x.kind, x.minutes) for x in load_rules("standing45_seated60").limits] == [
        ("standing", 45),
        ("seated", 60),
    ]
    for name in available_rules():
        r = load_rules(name)
        assert r.name == name and r.source and r.jurisdiction


@pytest.mark.parametrize("name", ["caba", "Caba", "CABA.toml", "LIMIT15"])
def test_names_are_case_insensitive(name):
    assert load_rules(name).name.lower() == name.lower().removesuffix(".toml")


def test_load_by_path_and_passthrough(tmp_path):
    p = _write(tmp_path, GOOD)
    r = load_rules(p)
    assert [x.id for x in r.limits] == ["a", "b"] and r.path == p and r.turn_order is None
    assert load_rules(str(p)) == r
    assert load_rules(r) is r
    assert "a: no total wait over 10 minutes" in r.describe()


def test_unknown_name_lists_shipped_ones(tmp_path):
    with pytest.raises(RuleError, match=r"unknown rule set 'BOGUS'; shipped rule sets are \['CABA'"):
        load_rules("BOGUS")
    with pytest.raises(RuleError, match="does not exist"):
        load_rules(tmp_path / "nope.toml")


def test_unknown_key_names_line_and_key(tmp_path):
    p = _write(tmp_path, GOOD.replace("minutes = 20", "minuts = 20"))
    # the typo sits in the second [[limit]], on line 13
    with pytest.raises(
        RuleError, match=re.escape("rules file rules.toml, line 13: key `limit.minuts` is not a known")
    ):
        load_rules(p)


def test_unknown_top_level_and_turn_order_keys(tmp_path):
    p = _write(tmp_path, GOOD.replace('jurisdiction = "nowhere"', 'jurisdiction = "nowhere"\ncountry = "AR"'))
    with pytest.raises(RuleError, match=r"line 4: key `country` is not a known key"):
        load_rules(p)
    p = _write(tmp_path, GOOD + "\n[turn_order]\nrequired = true\nstrict = false\n")  # lines 14-17
    with pytest.raises(RuleError, match=r"line 17: key `turn_order.strict` is not a known key"):
        load_rules(p)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("minutes = 10", "minutes = -5", 8, "`limit.minutes` must be a positive number of minutes, got -5"),
        ("minutes = 10", "minutes = 0", 8, "`limit.minutes` must be a positive number of minutes, got 0"),
        ("minutes = 10", 'minutes = "10"', 8, "`limit.minutes` must be a number of minutes, got '10'"),
        ("minutes = 10", "minutes = true", 8, "`limit.minutes` must be a number of minutes, got True"),
        ('kind = "standing"', 'kind = "sitting"', 12, "`limit.kind` must be one of"),
        ('id = "b"', 'id = "a"', 11, "`limit.id` repeats the id 'a'"),
        ('name = "X"', "name = 3", 1, "`name` must be a non-empty string"),
    ],
)
def test_bad_values_name_line_and_key(tmp_path, old, new, line, message):
    p = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(RuleError, match=re.escape(f"rules file rules.toml, line {line}: key {message}")):
        load_rules(p)


def test_structural_problems(tmp_path):
    p = _write(tmp_path, GOOD.replace('source = "test source"\n', ""))
    with pytest.raises(RuleError, match="required key `source` is missing"):
        load_rules(p)
    p = _write(tmp_path, GOOD.replace('kind = "total"\n', ""))
    with pytest.raises(RuleError, match=r"line 5: \[\[limit\]\] number 1 has no `kind`"):
        load_rules(p)
    p = _write(tmp_path, 'name = "X"\nsource = "s"\njurisdiction = "j"\n[limit]\nid = "a"\n')
    with pytest.raises(RuleError, match=r"line 4: key `limit` must be an array of tables"):
        load_rules(p)
    p = _write(tmp_path, 'name = "X"\nsource = "s"\njurisdiction = "j"\n')
    with pytest.raises(RuleError, match="checks nothing"):
        load_rules(p)
    p = _write(tmp_path, GOOD + "\n[turn_order]\ntolerance_seconds = -1\n")
    with pytest.raises(
        RuleError, match=r"line 16: key `turn_order.tolerance_seconds` must be a number of seconds"
    ):
        load_rules(p)
    p = _write(tmp_path, "name = \n")
    with pytest.raises(RuleError, match=r"rules file rules.toml is not valid TOML: .*line 1"):
        load_rules(p)


def test_rule_objects_validate_themselves():
    with pytest.raises(RuleError, match="`minutes` must be a positive finite number"):
        Limit(id="x", kind="total", minutes=-1)
    with pytest.raises(RuleError, match="`kind` must be one of"):
        Limit(id="x", kind="lying", minutes=1)
    with pytest.raises(RuleError, match="repeats limit id"):
        RuleSet(
            name="n",
            source="s",
            jurisdiction="j",
            limits=(Limit(id="x", kind="total", minutes=1), Limit(id="x", kind="total", minutes=2)),
        )
    with pytest.raises(RuleError, match="checks nothing"):
        RuleSet(name="n", source="s", jurisdiction="j")
    only_turns = RuleSet(name="n", source="s", jurisdiction="j", turn_order=TurnOrderRule())
    assert only_turns.checks_turn_order


def test_rule_error_is_a_value_error():
    with pytest.raises(ValueError):  # callers may catch the builtin
        load_rules("no-such-rules")
