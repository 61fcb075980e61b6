"""Kiosk exports through mappings: Spanish CSV conventions, English ISO export, xlsx, Parquet, gz."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest
from readers_helpers import VENDOR_A_HEADER, identity, seconds, write_text

from waitlab.readers import read_log
from waitlab.schema import validate_contacts

SPANISH_ROWS = [
    VENDOR_A_HEADER,
    # served: waited 3:00, served 3:40
    ["Sucursal Núñez", "13/05/2024", "C001", "Caja", "Normal", "08:00:00", "08:03:00", "08:03:20", "08:07:00",
     "Caja 1", "ATENDIDO", "20123456"],
    # priority no-show (lowercase code: match is case-insensitive), called after 9:00
    ["Sucursal Núñez", "13/05/2024", "J001", "Jubilación", "Prioritario", "08:01:00", "08:10:00", "", "",
     "Caja 2", "ausente", ""],
    # abandoned at 08:30 (no call)
    ["Sucursal Núñez", "13/05/2024", "A001", "Atención Comercial", "Normal", "08:02:00", "", "", "08:30:00",
     "", "ABANDONO", "30111222"],
]  # fmt: skip


@pytest.mark.parametrize("bom", [False, True])
def test_spanish_cp1252_semicolon_dayfirst(tmp_path, bom):
    enc = "utf-8" if bom else "cp1252"
    path = write_text(tmp_path / "turnos.csv", SPANISH_ROWS, sep=";", encoding=enc, bom=bom, newline="\r\n")
    contacts, report = read_log(path, mapping="vendor_a_es")
    validate_contacts(contacts)
    assert report.rows_read == 3 and report.rows_used == 3 and identity(report)
    assert list(contacts["outcome"]) == ["served", "no_show", "abandoned"]
    assert list(contacts["queue"]) == ["Caja", "Jubilación", "Atención Comercial"]  # accents survive
    assert contacts["site"].iloc[0] == "Sucursal Núñez"
    assert list(contacts["priority"]) == [0, 1, 0]
    # 13/05 can only be day-first: 13 May 2024, Buenos Aires (UTC-3, no DST)
    assert contacts["arrived_at"].iloc[0] == pd.Timestamp("2024-05-13 11:00:00", tz="UTC")
    wait = (contacts["called_at"] - contacts["arrived_at"]).dt.total_seconds()
    assert wait.iloc[0] == 180.0 and wait.iloc[1] == 540.0
    assert seconds(contacts["ended_at"] - contacts["started_at"])[0] == 220.0
    assert (contacts["ended_at"] - contacts["arrived_at"]).iloc[2] == pd.Timedelta(minutes=28)
    text = " ".join(report.notes)
    assert ("BOM" in text) if bom else ("cp1252" in text)
    assert "day-first" in text and "America/Argentina/Buenos_Aires" in text


def test_accented_header_matches_unaccented_mapping(tmp_path):
    path = write_text(tmp_path / "t.csv", SPANISH_ROWS, sep=";", encoding="cp1252")
    _, report = read_log(path, mapping="vendor_a_es")
    assert any("Hora Emisión" in a for a in report.notes)


def test_ambiguous_dates_use_mapping_or_say_what_was_assumed(tmp_path):
    rows = [r[:] for r in SPANISH_ROWS]
    for r in rows[1:]:
        r[1] = "03/05/2024"  # 3 May or 5 March?
    path = write_text(tmp_path / "t.csv", rows, sep=";", encoding="cp1252")
    contacts, report = read_log(path, mapping="vendor_a_es")
    assert contacts["arrived_at"].dt.month.iloc[0] == 5  # the mapping says dayfirst = true
    assert any("as given by mapping" in a for a in report.notes)
    contacts, report = read_log(path, mapping="vendor_a_es", dayfirst=False)
    assert contacts["arrived_at"].dt.month.iloc[0] == 3
    assert any("as given by the dayfirst argument" in a for a in report.notes)


def test_month_first_is_inferred_from_values(tmp_path):
    rows = [["ticket", "queue", "arrived_at", "called_at", "started_at", "ended_at", "outcome"],
            ["1", "caja", "05/13/2024 08:00", "05/13/2024 08:05", "05/13/2024 08:05", "05/13/2024 08:09", "served"]]
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[mapping]\nformat = "kiosk"\n[columns]\nticket = "ticket"\nqueue = "queue"\narrived_at = "arrived_at"\n'
        'called_at = "called_at"\nstarted_at = "started_at"\nended_at = "ended_at"\noutcome = "outcome"\n',
        encoding="utf-8",
    )
    contacts, report = read_log(write_text(tmp_path / "t.csv", rows), mapping=mapping)
    assert contacts["arrived_at"].iloc[0].day == 13 and contacts["arrived_at"].iloc[0].minute == 0
    assert any("month-first" in a and "inferred" in a for a in report.notes)


VENDOR_B = [
    ["branch", "ticket_no", "service", "priority_flag", "issued_time", "called_time", "service_start",
     "service_end", "counter", "status"],
    ["Downtown", "A1", "tellers", "N", "2024-05-13 09:00:00", "2024-05-13 09:04:00", "2024-05-13 09:04:30",
     "2024-05-13 09:10:30", "3", "1"],
    ["Downtown", "A2", "tellers", "Y", "2024-05-13 09:01:00", "2024-05-13 09:06:00", "", "", "4", "2"],
    ["Downtown", "A3", "tellers", "N", "2024-05-13 09:02:00", "", "", "2024-05-13 09:20:00", "", "3"],
    ["Downtown", "A4", "loans", "N", "2024-05-13 09:03:00", "2024-05-13 09:05:00", "2024-05-13 09:05:00",
     "2024-05-13 09:07:00", "1", "4"],
]  # fmt: skip


def test_vendor_b_english_iso_numeric_status(tmp_path):
    contacts, report = read_log(write_text(tmp_path / "b.csv", VENDOR_B), mapping="vendor_b_en", tz="America/New_York")
    validate_contacts(contacts)
    assert list(contacts["outcome"]) == ["served", "no_show", "abandoned", "transferred"]
    assert list(contacts["priority"]) == [0, 1, 0, 0]
    assert list(contacts["server"].fillna("-")) == ["3", "4", "-", "1"]
    # New York in May is UTC-4
    assert contacts["arrived_at"].iloc[0] == pd.Timestamp("2024-05-13 13:00:00", tz="UTC")
    assert identity(report) and report.rows_used == 4


def test_shipped_mapping_detected_without_format(tmp_path):
    contacts, report = read_log(write_text(tmp_path / "b.csv", VENDOR_B))
    assert report.format == "kiosk" and len(contacts) == 4
    assert any("vendor_b_en" in a for a in report.notes)


def test_xlsx_with_real_dates_and_times(tmp_path):
    import datetime as dt

    df = pd.DataFrame(
        {
            "branch": ["Downtown", "Downtown"], "ticket_no": ["A1", "A2"], "service": ["tellers", "tellers"],
            "priority_flag": ["N", "Y"],
            "issued_time": [dt.datetime(2024, 5, 13, 9, 0), dt.datetime(2024, 5, 13, 9, 1)],
            "called_time": [dt.datetime(2024, 5, 13, 9, 4), dt.datetime(2024, 5, 13, 9, 6)],
            "service_start": [dt.datetime(2024, 5, 13, 9, 4, 30), None],
            "service_end": [dt.datetime(2024, 5, 13, 9, 10, 30), None],
            "counter": [3, 4], "status": [1, 2],
        }
    )  # fmt: skip
    path = tmp_path / "b.xlsx"
    df.to_excel(path, index=False)
    contacts, report = read_log(path, mapping="vendor_b_en")
    assert list(contacts["outcome"]) == ["served", "no_show"]
    assert seconds(contacts["called_at"] - contacts["arrived_at"]) == [240.0, 300.0]
    assert list(contacts["server"]) == ["3", "4"]  # numeric cells read as text without '.0'
    assert any("Excel" in a for a in report.notes)


def test_xlsx_line_numbers_are_sheet_rows(tmp_path):
    rows = VENDOR_B[1:]
    df = pd.DataFrame(rows, columns=VENDOR_B[0])
    df.loc[1, "called_time"] = "yesterday"
    path = tmp_path / "b.xlsx"
    df.to_excel(path, index=False)
    _, report = read_log(path, mapping="vendor_b_en")
    assert report.quarantine["line"].tolist() == [3]  # header row 1, first data row 2


def test_parquet_and_gzip_containers(tmp_path):
    df = pd.DataFrame(VENDOR_B[1:], columns=VENDOR_B[0])
    df.to_parquet(tmp_path / "b.parquet")
    c1, r1 = read_log(tmp_path / "b.parquet", mapping="vendor_b_en")
    csv = write_text(tmp_path / "b.csv", VENDOR_B)
    (tmp_path / "b.csv.gz").write_bytes(gzip.compress(csv.read_bytes()))
    c2, r2 = read_log(tmp_path / "b.csv.gz", mapping="vendor_b_en")
    c3, _ = read_log(csv, mapping="vendor_b_en")
    for c in (c1, c2):
        pd.testing.assert_frame_equal(c, c3)
    assert any("gzip" in a for a in r2.notes)
    assert any("Parquet" in a for a in r1.notes)


def test_service_seconds_with_decimal_comma(tmp_path):
    rows = [["Fecha", "Turno", "Servicio", "Emision", "Llamado", "Duracion Atencion"],
            ["13/05/2024", "C1", "Caja", "08:00:00", "08:02:00", "90,5"],
            ["13/05/2024", "C2", "Caja", "08:01:00", "08:03:00", "1.200,0"]]  # fmt: skip
    m = tmp_path / "m.toml"
    m.write_text(
        '[mapping]\nformat = "kiosk"\n[columns]\ndate = "Fecha"\nticket = "Turno"\nqueue = "Servicio"\n'
        'arrived_at = "Emision"\ncalled_at = "Llamado"\nstarted_at = "Llamado"\nservice_seconds = "Duracion Atencion"\n',
        encoding="utf-8",
    )
    contacts, report = read_log(write_text(tmp_path / "t.csv", rows, sep=";"), mapping=m)
    assert seconds(contacts["ended_at"] - contacts["started_at"]) == [90.5, 1200.0]
    assert list(contacts["outcome"]) == ["served", "served"]  # inferred from the times, and said so
    assert any("outcome inferred" in a for a in report.notes)


def test_contacts_format_roundtrip(tmp_path):
    contacts, _ = read_log(write_text(tmp_path / "b.csv", VENDOR_B), mapping="vendor_b_en")
    contacts.to_parquet(tmp_path / "c.parquet")
    again, report = read_log(tmp_path / "c.parquet")
    assert report.format == "contacts"
    pd.testing.assert_frame_equal(again, contacts)


def test_constant_site_and_queue_build_the_contact_id(tmp_path):
    """A mapping may fix a column the export lacks ([constants]); the built contact_id uses it."""
    mapping = (
        '[mapping]\nname = "one desk"\nformat = "kiosk"\n[read]\nsep = ","\n'
        '[columns]\nticket = "ticket_no"\narrived_at = "issued_time"\ncalled_at = "called_time"\n'
        'started_at = "service_start"\nended_at = "service_end"\noutcome = "status"\n'
        '[outcomes]\n1 = "served"\n3 = "abandoned"\n'
        '[constants]\nchannel = "kiosk"\nsite = "Centro"\nqueue = "caja"\n'
    )
    (tmp_path / "m.toml").write_text(mapping, encoding="utf-8")
    rows = [
        ["ticket_no", "issued_time", "called_time", "service_start", "service_end", "status"],
        ["C1", "2024-05-13 09:00:00", "2024-05-13 09:05:00", "2024-05-13 09:05:10", "2024-05-13 09:09:00", "1"],
        ["C2", "2024-05-13 09:01:00", "", "", "2024-05-13 09:20:00", "3"],
        ["C1", "2024-05-13 09:02:00", "2024-05-13 09:06:00", "2024-05-13 09:06:10", "2024-05-13 09:10:00", "1"],
    ]
    contacts, report = read_log(write_text(tmp_path / "k.csv", rows), mapping=tmp_path / "m.toml")
    validate_contacts(contacts)
    assert list(contacts["contact_id"]) == ["Centro/2024-05-13/caja/C1", "Centro/2024-05-13/caja/C2"]
    assert list(contacts["site"]) == ["Centro"] * 2 and list(contacts["queue"]) == ["caja"] * 2
    assert list(contacts["channel"]) == ["kiosk"] * 2 and contacts["server"].isna().all()
    assert list(report.quarantine["reason"]) == ["duplicate contact_id"] and identity(report)


def test_impossible_dates_are_unparseable_not_rolled_over(tmp_path):
    """30/02 is not 1 March, and second 60 is not the next minute: those rows are quarantined."""
    rows = [list(r) for r in SPANISH_ROWS]
    rows[2][1] = "30/02/2024"  # the no-show's date
    rows[3][5] = "08:02:60"  # the abandonment's arrival
    contacts, report = read_log(write_text(tmp_path / "t.csv", rows, sep=";"), mapping="vendor_a_es")
    assert list(contacts["ticket"]) == ["C001"] and identity(report)
    reasons = dict(zip(report.quarantine["line"], report.quarantine["reason"], strict=True))
    assert reasons[3].startswith("unparseable time") and reasons[4].startswith("unparseable time")
