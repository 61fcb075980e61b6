"""The report end to end on a hand-built log whose breaches are known, and the CLI around it."""

import zipfile

import openpyxl
import pandas as pd
import pytest

from waitlab.cli import main
from waitlab.exceptions import ArgumentError
from waitlab.report import write_report
from waitlab.schema import coerce_contacts

TZ = "America/Argentina/Buenos_Aires"


def _log() -> pd.DataFrame:
    d = "2025-03-25 "
    rows = [
        # id, queue, arrived, called, started, ended, outcome, server, customer
        ("c1", "Caja", d + "10:00", d + "10:05", d + "10:06", d + "10:10", "served", "Caja 1", "20111111"),
        # waits 95 min: breaches CABA's 90-minute total limit by 5 min and the 30-minute standing one by 65
        ("c2", "=HYPERLINK(\"http://evil\")", d + "10:01", d + "11:36", d + "11:37", d + "11:40", "served",
         "Caja 1", "20222222"),
        ("c3", "Caja", d + "10:02", None, None, d + "10:20", "abandoned", None, "20333333"),
    ]
    df = pd.DataFrame(rows, columns=["contact_id", "queue", "arrived_at", "called_at", "started_at", "ended_at",
                                     "outcome", "server", "customer_id"])
    df["channel"] = "kiosk"
    df["site"] = "Sucursal Test"
    return coerce_contacts(df, tz=TZ)


def test_report_shows_the_known_breaches_and_neutralises_formulas(tmp_path):
    paths = write_report(_log(), tmp_path, rules="CABA", lang="en", contacts_sheet=True)
    html = paths["html"].read_text(encoding="utf-8")
    assert "Wait-time report" in html and "CABA" in html
    book = openpyxl.load_workbook(paths["excel"])
    breaches = pd.DataFrame(book["Breaches"].values)
    header, body = list(breaches.iloc[0]), breaches.iloc[1:]
    body.columns = header
    got = {(r["Contact"], r["Rule"]): float(r["Excess (min)"]) for _, r in body.iterrows()}
    # c2 waited 95 min: 95 - 90 over the total limit, 95 - 30 standing (no seat count); a branch log is in minutes
    assert got == {("c2", "total_90"): 5.0, ("c2", "standing_30"): 65.0}
    cells = [c.value for row in book["Contacts"].iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://evil\")" in cells
    assert not any(v.startswith(("=", "+", "@")) for v in cells)


def test_hash_ids_leaves_no_raw_identifier_in_any_file(tmp_path):
    paths = write_report(_log(), tmp_path, hash_ids=True, salt="pepper")
    with zipfile.ZipFile(paths["excel"]) as z:
        xlsx_text = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    html = paths["html"].read_text(encoding="utf-8")
    for raw in ("20111111", "20222222", "20333333"):
        assert raw not in xlsx_text and raw not in html


def test_report_refuses_an_unknown_language(tmp_path):
    with pytest.raises(ArgumentError, match="`lang` must be one of"):
        write_report(_log(), tmp_path, lang="fr")


def test_cli_unusable_file_is_one_sentence_and_exit_2(tmp_path, capsys):
    code = main(["report", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "missing.csv" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_hashed_report_of_the_branch_sample_leaks_no_id_of_any_table(tmp_path):
    # the sample has turn-order violations (overtaken ids) and quarantined rows with the raw DNI field
    from pathlib import Path

    from waitlab.readers import read_log

    contacts, ingest = read_log(Path(__file__).parents[2] / "datasets" / "branch_kiosk.csv", format="kiosk",
                                mapping="vendor_a_es")
    assert "DNI" in ingest.id_fields and len(ingest.quarantine)
    paths = write_report(contacts, tmp_path, ingest=ingest, rules="CABA", seats=20, hash_ids=True, salt="s")
    with zipfile.ZipFile(paths["excel"]) as z:
        xlsx_text = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    html = paths["html"].read_text(encoding="utf-8")
    raw_dni = {str(v) for v in ingest.quarantine["DNI"].dropna()} | set(contacts["customer_id"].dropna().astype(str))
    raw_ids = set(contacts["contact_id"].astype(str))
    for value in raw_dni | raw_ids:
        assert f">{value}<" not in xlsx_text and f">{value}<" not in html, value


@pytest.mark.parametrize("lang, period, max_wait, title", [
    ("es", "25/03/2025 – 25/03/2025", "95,0 min", "Informe de esperas"),
    ("en", "2025-03-25 – 2025-03-25", "95.0 min", "Wait-time report"),
])
def test_report_writes_numbers_and_dates_for_its_language(tmp_path, lang, period, max_wait, title):
    import html as htmlmod

    # c2 waits 10:01 -> 11:36, 95 minutes, the longest wait of the log; all on 25 March 2025
    page = htmlmod.unescape(write_report(_log(), tmp_path, rules="CABA", lang=lang)["html"].read_text("utf-8"))
    assert f"<title>{title}</title>" in page
    assert period in page
    assert f"<b>{max_wait}</b>" in page
    assert "<b>3</b>" in page  # arrivals


def test_report_tables_write_cells_for_the_language_after_neutralising():
    from waitlab.report._html import Section, render_page

    df = pd.DataFrame({"name": ["=cmd", "ok"], "n": [1234, -5], "share": [0.25, 0.5], "flag": [True, False],
                       "day": [pd.Timestamp("2025-03-05"), pd.Timestamp("2025-03-06")]})
    es = render_page("x", [Section("s").table(df)], lang="es")
    en = render_page("x", [Section("s").table(df)], lang="en")
    for cell in ("<td>'=cmd</td>", "<td>1.234</td>", "<td>-5</td>", "<td>0,25</td>", "<td>sí</td>", "<td>05/03/2025</td>"):
        assert cell in es, cell
    for cell in ("<td>1,234</td>", "<td>0.50</td>", "<td>no</td>", "<td>2025-03-05</td>"):
        assert cell in en, cell
    long = render_page("x", [Section("s").table(pd.DataFrame({"n": range(1205)}), max_rows=5)], lang="es")
    assert "1.200 filas más en el libro Excel" in long


@pytest.mark.parametrize("sites", [["Sucursal Test"], ["Norte", "Sur"], ["Norte", None]])
def test_kpis_by_site_are_summary_by_site(sites):
    # a log of one site takes its row from the log's KPIs: the same numbers summary_by gives
    from waitlab.analytics import summary_by
    from waitlab.report import compute_report

    log = _log()
    log["site"] = pd.array([sites[i % len(sites)] for i in range(len(log))], dtype="string")
    got = compute_report(log, rules=None).by_site
    want = pd.DataFrame(summary_by(log, "site", sl_threshold=15 * 60))
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_pooled_tables_are_summary_by_without_the_desk_columns(tmp_path):
    # a slot pooled over the days spans the whole log: no desk KPI is shown for it, every other is summary_by's
    from waitlab.analytics import summary_by
    from waitlab.report import compute_report

    log = _log()
    data = compute_report(log, rules=None)
    arr = log["arrived_at"]
    slot = ((arr.dt.hour * 60 + arr.dt.minute) // 30 * 30).map(lambda m: f"{m // 60:02d}:{m % 60:02d}")
    want = pd.DataFrame(summary_by(log.assign(slot=slot), "slot", sl_threshold=15 * 60)).sort_index()
    desks = ["desks_present", "desks_on_duty", "occupancy"]
    got = data.time_of_day.drop(columns=["arrivals_per_day", *desks])
    pd.testing.assert_frame_equal(got, want.drop(columns=desks), check_exact=True)
    book = openpyxl.load_workbook(write_report(log, tmp_path, rules=None, lang="en")["excel"])
    for name in ("By time of day", "Weekday and hour"):
        header = [c.value for c in next(book[name].iter_rows())]
        assert "Arrivals" in header and not any("Desks" in h or "waiting" in h for h in header), header
