"""Quarantine reasons and reader notes have Spanish and English texts (the stored reason stays as written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from waitlab.i18n import note_key, note_text, reason_key, reason_text, strings
from waitlab.readers import read_log

ROOT = Path(__file__).resolve().parents[2]
MONTH = ROOT.parent / "shared" / "datasets" / "anonymous_bank" / "february.txt"
SAMPLES = [
    ("branch_kiosk.csv", {"format": "kiosk", "mapping": "vendor_a_es"}),
    ("callcenter_month.csv", {"format": "acd"}),
    ("asterisk_queue_log.txt", {"format": "asterisk"}),
]


def _check(report) -> list[str]:
    for reason in report.reasons:
        found = reason_key(reason)
        assert found is not None, f"no catalogue text for the quarantine reason {reason!r}"
        es, en = strings()[found[0]]
        assert es and en and es != en
        assert reason_text(reason, "en") == reason  # the English text is the stored one, word for word
        assert reason_text(reason, "es") != reason
    known = [n for n in report.notes if note_key(n) is not None]
    for note in known:
        assert note_text(note, "en") == note and note_text(note, "es") != note
    return known


@pytest.mark.parametrize(("name", "kw"), SAMPLES)
def test_every_reason_of_the_samples_is_translated(name, kw):
    path = ROOT / "datasets" / name
    if not path.is_file():
        pytest.skip(f"{path} is missing (run python datasets/make_datasets.py)")
    _, report = read_log(path, **kw)
    known = _check(report)
    assert known, "the encoding/separator/timezone notes are translated"


@pytest.mark.slow
def test_every_reason_of_the_seelab_month_is_translated():
    if not MONTH.is_file():
        pytest.skip(f"SEELab month not present at {MONTH}")
    _, report = read_log(MONTH, format="seelab")
    assert len(report.reasons) >= 4  # phantom, VRU hang-ups, served without times, out of order
    known = _check(report)
    assert len(known) >= 8  # of its 11 notes (the clock and priority notes stay in English)


def test_fields_are_filled_and_unknown_text_is_kept():
    assert reason_text("unparseable time (Hora Llamado)", "es") == "hora ilegible (Hora Llamado)"
    assert reason_text("events out of order (ended_at before started_at)", "es") == \
        "eventos fuera de orden (ended_at antes que started_at)"
    assert reason_text("missing arrived_at", "es") == "falta arrived_at"
    assert reason_text("a reason nobody wrote yet", "es") == "a reason nobody wrote yet"
    assert note_text("Timezone UTC (as given).", "es") == "Zona horaria UTC (indicada)."
    note = "13,045 served calls never queued: arrived_at = vru_exit, wait 0."
    assert note_text(note, "es").startswith("13.045 llamadas atendidas") and note_text(note, "en") == note
    assert note_text("Field separator tab, inferred from the header line.", "es").startswith("Separador de campos tabulador,")
