"""`waitlab network`: a store or logs in, the ranking printed, network.html and network.xlsx out."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent / "network"))
from network_helpers import kiosk_log, steady, table, ticket, write_store  # noqa: E402

from waitlab.cli import main  # noqa: E402


def _store(tmp_path: Path) -> Path:
    rows = steady("Alfa", "2024-03-04", 10) + steady("Beta", "2024-03-04", 10)
    rows += [ticket("Beta", "2024-03-04", 90 + i, 0, 95, 100 + i, f"P{i}", queue="prestamos") for i in range(3)]  # 95-min waits
    store = tmp_path / "store"
    write_store(table(rows), store)
    return store


def test_network_prints_the_ranking_and_writes_both_files(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["network", str(_store(tmp_path)), "--seats", "50", "-o", str(out), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    first = [ln for ln in text.splitlines() if ln.strip().startswith("1.")][0]
    assert "Beta" in first and "23.1%" in first  # 3 of 13 contacts over the 90-min limit
    html = (out / "network.html").read_text(encoding="utf-8")
    assert "Desk-hours to comply" in html and "Beta" in html
    sheets = pd.read_excel(out / "network.xlsx", sheet_name=None)
    ranking = next(v for k, v in sheets.items() if k.startswith("Ranking"))
    assert ranking.iloc[0, 0] == "Beta"


def test_network_in_spanish_by_default(tmp_path, capsys):
    assert main(["network", str(_store(tmp_path)), "-o", str(tmp_path / "o")]) == 0
    assert "Peores primero" in capsys.readouterr().out
    html = (tmp_path / "o" / "network.html").read_text(encoding="utf-8")
    assert "Puesto-horas para cumplir" in html
    # rule limits in words, notes in Spanish: no code names or English sentences left for the client
    assert "Incumplen de pie &gt; 30 min" in html or "Incumplen de pie > 30 min" in html
    assert "breaches_" not in html.split("Notas y supuestos")[0]
    assert "One row per site and day" not in html and "Una fila por sucursal y día" in html


def test_a_missing_source_is_one_sentence_and_status_2(tmp_path, capsys):
    assert main(["network", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "neither a store folder nor a log file" in err and err.count("\n") == 1


def test_an_empty_folder_is_refused(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["network", str(tmp_path / "empty")]) == 2
    assert "not a waitlab store" in capsys.readouterr().err


@pytest.mark.parametrize("extra", [["--scheduler", "local"]])
def test_a_scheduler_with_log_files_is_refused(tmp_path, capsys, extra):
    log = tmp_path / "a.csv"
    log.write_text("x\n")
    assert main(["network", str(log), *extra]) == 2
    assert "--scheduler" in capsys.readouterr().err


def test_a_folder_of_logs_is_read_together_with_the_site_from_the_file_name(tmp_path, capsys):
    logs = tmp_path / "logs"
    logs.mkdir()
    kiosk_log(logs / "B1-norte.csv", "Central", ["04/03/2024"], 12)  # the log says "Central": --site-from wins
    kiosk_log(logs / "B2-sur.csv", "Central", ["04/03/2024", "05/03/2024"], 6)
    out = tmp_path / "out"
    args = ["network", str(logs), "--site-from", r"^(B\d)-", "--rules", "none", "-o", str(out), "--lang", "en"]
    assert main(args) == 0
    ranking = next(v for k, v in pd.read_excel(out / "network.xlsx", sheet_name=None).items() if k.startswith("Ranking"))
    assert sorted(ranking.iloc[:, 0]) == ["B1", "B2"]
    text = capsys.readouterr().out
    assert "B1:" in text and "B2:" in text


def test_an_unreadable_log_among_several_is_reported_and_the_status_is_1(tmp_path, capsys):
    good = kiosk_log(tmp_path / "B1.csv", "B1", ["04/03/2024"], 6)
    bad = tmp_path / "B2.csv"
    bad.write_text("not;a;kiosk;log\n1;2;3;4\n", encoding="utf-8")
    assert main(["network", str(good), str(bad), "--rules", "none", "-o", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "Not read:" in err and "B2.csv" in err
