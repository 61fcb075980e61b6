"""Every note the library emits has a Spanish text: no English sentence is left in a Spanish page or report.

Walks the notes of every bundled sample, the SEELab month and hand-built odd logs (date orders,
Excel, Parquet, Asterisk folding with agent sessions, priorities) through the readers, the
report's numbers (KPIs, compliance, staffing, patience, channel defaults) and the public
analytics calls, and fails on any note whose Spanish rendering is still the English sentence.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import waitlab
from waitlab.i18n import note_key, note_text, reason_text

ROOT = Path(__file__).resolve().parents[1]
MONTH = ROOT.parent / "shared" / "datasets" / "anonymous_bank" / "february.txt"
ACD = "call_id,site,queue,entered_at,answered_at,ended_at,agent,outcome,customer_id,priority\n"
ASTERISK = """1742986500|NONE|NONE|NONE|QUEUESTART|
1742986600|NONE|q1|Agent/1|ADDMEMBER|
1742986632|1.1|q1|NONE|ENTERQUEUE||111|1
1742986640|1.1|q1|Agent/1|CONNECT|8|1.2|3
1742986700|1.1|q1|Agent/1|COMPLETECALLER|8|60|1
1742986700|1.1|q1|Agent/1|COMPLETECALLER|8|60|1
1742986710|2.1|q1|NONE|ENTERQUEUE||112|1
1742986720|2.1|q1|NONE|ABANDON|1|1|10
1742986730|3.1|q1|NONE|ENTERQUEUE||113|1
1742986735|3.1|q1|NONE|EXITWITHKEY|1|1|5|1
1742986800|NONE|q1|Agent/2|REMOVEMEMBER|
1742986900|NONE|q1|Agent/1|PAUSE|
1742986950|NONE|q1|Agent/1|ADDMEMBER|
1742986960|NONE|q1|Agent/1|ADDMEMBER|
"""


def _acd(tmp: Path, name: str, dates: list[str]) -> Path:
    rows = [f"{i},C,v,{d} 10:0{i}:00,{d} 10:0{i}:30,{d} 10:0{i + 1}:00,a,answered,x{i},{i % 3}"
            for i, d in enumerate(dates)]  # fmt: skip
    path = tmp / name
    path.write_text(ACD + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _odd_logs(tmp: Path) -> list[tuple[Path, dict]]:
    kiosk = pd.read_csv(ROOT / "datasets" / "branch_kiosk.csv", sep=";", dtype=str, encoding="cp1252").head(300)
    xlsx = tmp / "kiosk.xlsx"
    kiosk.to_excel(xlsx, index=False)
    parquet = tmp / "contacts.parquet"
    waitlab.read_log(_acd(tmp, "p.csv", ["2025-03-04"] * 5))[0].to_parquet(parquet)
    queue_log = tmp / "queue_log"  # no extension, as Asterisk names it
    queue_log.write_text(ASTERISK, encoding="utf-8")
    return [
        (_acd(tmp, "month_first.csv", ["03/25/2025", "03/26/2025"]), {}),
        (_acd(tmp, "ambiguous.csv", ["03/04/2025", "03/05/2025"]), {}),
        (_acd(tmp, "inconsistent.csv", ["25/03/2025", "25/03/2025", "03/26/2025"]), {}),
        (_acd(tmp, "given_month_first.csv", ["03/25/2025", "03/04/2025"]), {"dayfirst": False}),
        (xlsx, {"format": "kiosk", "mapping": "vendor_a_es"}),
        (parquet, {}),
        (queue_log, {"format": "asterisk"}),
    ]


def _notes(path: Path, kw: dict) -> tuple[list[str], list[str]]:
    """(notes, quarantine reasons) of reading `path` and of everything the report and the public API say about it."""
    contacts, ingest = waitlab.read_log(path, **kw)
    notes, reasons = list(ingest.notes), list(ingest.reasons)
    if not len(contacts):
        return notes, reasons
    from waitlab.report import compute_report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = compute_report(contacts, ingest=ingest)
        for part in (data, *data.parts.values()):
            notes += part.notes
            notes += part.defaults.sentences("en")
            for result in (part.compliance, part.staffing, part.patience):
                notes += getattr(result, "notes", ())
        notes += waitlab.summary_kpis(contacts).notes + waitlab.interval_stats(contacts).notes
        notes += waitlab.check_compliance(contacts, "CABA").notes + waitlab.staffing_from_log(contacts).notes
    return notes, reasons


def _untranslated(notes: list[str], reasons: list[str]) -> list[str]:
    for note in notes:
        assert note_text(note, "en") == note  # the public .notes stay English; the English view shows them as is
    left = [n for n in dict.fromkeys(notes) if note_text(n, "es") == n]
    return left + [r for r in dict.fromkeys(reasons) if reason_text(r, "es") == r]


SAMPLES = [
    ("branch_kiosk.csv", {"format": "kiosk", "mapping": "vendor_a_es"}),
    ("branch_kiosk.csv", {}),
    ("callcenter_month.csv", {}),
    ("asterisk_queue_log.txt", {}),
]


@pytest.mark.parametrize(("name", "kw"), SAMPLES)
def test_no_note_of_a_sample_is_left_in_english(name, kw):
    path = ROOT / "datasets" / name
    if not path.is_file():
        pytest.skip(f"{path} is missing (run python datasets/make_datasets.py)")
    assert _untranslated(*_notes(path, kw)) == []


def test_no_note_of_an_odd_log_is_left_in_english(tmp_path):
    for path, kw in _odd_logs(tmp_path):
        notes, reasons = _notes(path, kw)
        assert notes, path
        assert _untranslated(notes, reasons) == [], path.name


@pytest.mark.slow
def test_no_note_of_the_seelab_month_is_left_in_english():
    if not MONTH.is_file():
        pytest.skip(f"SEELab month not present at {MONTH}")
    assert _untranslated(*_notes(MONTH, {"format": "seelab"})) == []


def test_notes_are_found_by_code_and_their_fields_shown_in_spanish():
    """Hand-written expectations: counts and decimals take Spanish marks, nested notes are translated."""
    note = ("Asterisk epochs (UTC seconds) converted to UTC. A row is a call event line: 12,345 call lines folded "
            "into 4,000 contacts (one per queue visit); 3 agent/system lines and 0 outbound-call lines (events "
            "OUT...) are not inbound calls and not rows.")  # fmt: skip
    assert note_key(note) == ("rnote.ast_fold", {"tz": "UTC", "n": "12,345", "n2": "4,000", "n3": "3", "n4": "0"})
    assert note_text(note, "es").startswith("Épocas de Asterisk (segundos UTC) convertidas a UTC. Una fila es una "
                                            "línea de evento de llamada: 12.345 líneas de llamada agrupadas en 4.000")
    refused = ("patience: lognormal fit not chosen: its AIC is only 0.1 below the exponential's (10 needed); "
               "its cv 6.3 is above 3.")  # fmt: skip
    assert note_text(refused, "es") == ("paciencia: ajuste lognormal no elegido: su AIC es solo 0,1 menor que el del "
                                        "exponencial (se necesitan 10); su cv 6,3 es mayor que 3.")
    given = "Date order month-first (mm/dd/yyyy), as given by the dayfirst argument."
    assert note_text(given, "es") == "Orden de fecha mes primero (mm/dd/aaaa), según el argumento dayfirst."
    assert note_text("A sentence no code knows.", "es") == "A sentence no code knows."


def _sample(name: str) -> Path:
    path = ROOT / "datasets" / name
    if not path.is_file():
        pytest.skip(f"{path} is missing (run python datasets/make_datasets.py)")
    return path


def test_no_backtest_note_is_left_in_english():
    """waitlab.backtest on the call-center month: pooled and per queue, Erlang C/A and the simulator."""
    from waitlab.sim import as_is_simulator

    contacts, _ = waitlab.read_log(_sample("callcenter_month.csv"))
    days = sorted(contacts["arrived_at"].dt.date.unique())
    train = (str(days[0]), str(days[20]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pooled = waitlab.backtest(contacts, train=train, test=(str(days[21]), str(days[-1])))
        by_queue = waitlab.backtest(contacts, train=train, test=(str(days[21]), str(days[22])), by="queue",
                                    simulate=as_is_simulator(replications=2))
    notes = [*pooled.notes, *by_queue.notes]
    assert any(n.startswith("simulation:") for n in notes) and any(n.startswith("Patience fitted") for n in notes)
    assert _untranslated(notes, []) == []


def test_no_scenario_from_log_note_is_left_in_english():
    """Scenario.from_log on the kiosk sample: busiest day, rates and trace, patience auto and given, no profile."""
    from waitlab.sim import Scenario

    contacts, _ = waitlab.read_log(_sample("branch_kiosk.csv"))
    day = str(sorted(contacts["arrived_at"].dt.date.unique())[1])
    notes: list[str] = []
    for kw in ({}, {"date": day, "arrivals": "trace", "start": "10:30"}, {"date": day, "patience": None},
               {"date": day, "service": "empirical", "service_profile": False}):
        notes += Scenario.from_log(contacts, **kw).notes
    assert any(n.startswith("patience of") for n in notes) and any(n.startswith("arrivals: real") for n in notes)
    assert _untranslated(notes, []) == []


@pytest.mark.parametrize(("name", "kw"), [*SAMPLES, ("asterisk_queue_log.txt", {"format": "asterisk"})])
def test_the_row_unit_shown_on_the_data_page_is_translated(name, kw):
    _, ingest = waitlab.read_log(_sample(name), **kw)
    assert note_text(ingest.row_unit, "es") != ingest.row_unit
    assert note_text(ingest.row_unit, "en") == ingest.row_unit


def test_the_seelab_row_unit_is_translated():
    assert note_text("one call (a line after the header)", "es") == "una llamada (una línea después del encabezado)"
