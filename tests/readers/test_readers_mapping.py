"""Mapping files: the shipped ones load; invalid ones fail with a message naming the key."""

from __future__ import annotations

import pytest

from waitlab.exceptions import LogFormatError
from waitlab.readers import load_mapping, shipped_mappings

BASE = '[mapping]\nformat = "kiosk"\n[columns]\nqueue = "Q"\narrived_at = "A"\n'


def test_exactly_the_shipped_mappings():
    assert shipped_mappings() == ["acd_default", "vendor_a_es", "vendor_b_en"]


def test_vendor_a_is_as_specified():
    m = load_mapping("vendor_a_es")
    assert (m.format, m.sep, m.decimal, m.encoding, m.dayfirst) == ("kiosk", ";", ",", "cp1252", True)
    assert m.columns["date"] == "Fecha" and m.columns["arrived_at"] == "Hora Emision"
    assert m.outcomes == {"ATENDIDO": "served", "AUSENTE": "no_show", "ABANDONO": "abandoned",
                          "DERIVADO": "transferred", "ANULADO": "other"}  # fmt: skip
    assert m.priorities == {"NORMAL": 0, "PRIORITARIO": 1} and m.constants == {"channel": "kiosk"}


def test_acd_default_maps_answered_to_called_and_started():
    m = load_mapping("acd_default")
    assert m.columns["called_at"] == m.columns["started_at"] == "answered_at"
    assert m.outcomes["ANSWERED"] == "served" and m.constants["channel"] == "phone"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (BASE + "[colums]\n", r"the file has unknown key\(s\) \['colums'\]"),
        (BASE.replace('queue = "Q"', 'queue = "Q"\nwaiting = "W"'), r"\[columns\] has unknown key\(s\) \['waiting'\]"),
        (BASE + "[read]\nseparator = ';'\n", r"\[read\] has unknown key\(s\) \['separator'\]"),
        (BASE + '[outcomes]\nOK = "done"\n', r"\[outcomes\] OK = 'done' is not an outcome"),
        (BASE + "[priorities]\nAlta = 'high'\n", r"\[priorities\] Alta must be a whole number"),
        (BASE + '[read]\nencoding = "klingon"\n', "not a known encoding"),
        (BASE + '[read]\nsep = ";;"\n', "one character"),
        (BASE.replace('"kiosk"', '"genesys"'), r"format must be one of \['kiosk', 'acd'\]"),
        (BASE.replace('arrived_at = "A"\n', ""), "needs arrived_at"),
        (BASE + '[constants]\nqueue = "x"\n', "appear in both"),
        (BASE + "[columns\n", "is not valid TOML"),
    ],
)
def test_invalid_mapping_messages(tmp_path, text, match):
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LogFormatError, match=match) as e:
        load_mapping(path)
    assert str(path) in str(e.value)


def test_unknown_mapping_name_lists_the_shipped_ones():
    with pytest.raises(LogFormatError, match="neither a file nor a shipped mapping .*vendor_a_es"):
        load_mapping("vendor_z")
