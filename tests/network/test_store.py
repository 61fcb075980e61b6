"""The partitioned store: layout, append without rewriting, idempotence, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from network_helpers import kiosk_log

import waitlab
from waitlab.cli import main
from waitlab.exceptions import ArgumentError, SchemaError
from waitlab.network import Partition, ingest_to_store, read_logs, read_store, store_partitions, write_store


def _snapshot(store: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every part file: (inode, mtime_ns, bytes)."""
    return {p.relative_to(store).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in store.glob("site=*/month=*/*.parquet")}


@pytest.fixture
def logs(tmp_path):
    d = tmp_path / "logs"
    d.mkdir()
    kiosk_log(d / "centro-03.csv", "Sucursal Centro", ["10/03/2025", "11/03/2025"], 5, bad=1)
    kiosk_log(d / "norte-03.csv", "Sucursal Norte/Este", ["31/03/2025"], 4)
    return d


def test_layout_partitions_and_reports(logs, tmp_path):
    store = tmp_path / "store"
    report = ingest_to_store(logs, store)
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (15, 14, 1)
    parts = store_partitions(store)
    assert [(p.site, p.month, len(p.files)) for p in parts] == [
        ("Sucursal Centro", "2025-03", 1), ("Sucursal Norte/Este", "2025-03", 1)]
    assert isinstance(parts[0], Partition)
    sid = waitlab.network._many.file_digest(logs / "centro-03.csv")[:12]
    assert parts[0].files[0] == store / "site=Sucursal%20Centro" / "month=2025-03" / f"part-{sid}.parquet"
    assert (store / "site=Sucursal%20Norte%2FEste").is_dir()  # a '/' in a site stays one folder
    one = waitlab.coerce_contacts(pd.read_parquet(parts[0].files[0]))
    assert len(one) == 10 and set(one["site"]) == {"Sucursal Centro"} and list(one.columns) == list(
        waitlab.schema.COLUMNS)
    record = json.loads((store / "_ingest" / f"{sid}.json").read_text(encoding="utf-8"))
    assert (record["rows_read"], record["rows_used"], record["rows_quarantined"]) == (11, 10, 1)
    assert record["source_id"] == sid and len(record["sha256"]) == 64
    q = pd.read_csv(store / "_ingest" / f"{sid}.quarantine.csv")
    assert q["reason"].str.contains("outcome").all() and len(q) == 1
    back = read_store(store)
    assert len(back) == 14 and str(back["arrived_at"].dt.tz) == "America/Argentina/Buenos_Aires"
    assert len(read_store(store, sites="Sucursal Norte/Este")) == 4


def test_month_is_the_local_month(tmp_path):
    # 31/03 at 22:30 local (UTC-3) is 1 April in UTC: it belongs to March
    p = tmp_path / "late.csv"
    p.write_text("Sucursal;Fecha;Nro Turno;Servicio;Prioridad;Hora Emision;Hora Llamado;Hora Inicio;Hora Fin;"
                 "Puesto;Estado;DNI\r\nS;31/03/2025;C001;Caja;Normal;22:30:00;22:31:00;22:32:00;22:40:00;"
                 "Caja 1;ATENDIDO;1\r\n", encoding="cp1252")
    ingest_to_store(p, tmp_path / "s")
    assert [x.month for x in store_partitions(tmp_path / "s")] == ["2025-03"]


def test_append_a_month_rewrites_nothing_and_reingest_is_idempotent(logs, tmp_path):
    store = tmp_path / "store"
    ingest_to_store(logs, store)
    before = _snapshot(store)
    april = kiosk_log(logs / "centro-04.csv", "Sucursal Centro", ["01/04/2025"], 6)
    report = ingest_to_store(logs, store)  # the whole folder again, one new file in it
    after = _snapshot(store)
    assert {k: v for k, v in after.items() if k in before} == before  # same inode, mtime and bytes
    new = sorted(set(after) - set(before))
    sid = waitlab.network._many.file_digest(april)[:12]
    assert new == [f"site=Sucursal%20Centro/month=2025-04/part-{sid}.parquet"]
    assert report.rows_used == 20 and any("already in the store" in n for n in report.notes)
    again = ingest_to_store(logs, store)
    assert _snapshot(store) == after and again.rows_used == 20
    # the same file with other options replaces its own parts, and only those
    ingest_to_store(logs / "norte-03.csv", store, site_from="filename")
    sites = {p.site for p in store_partitions(store)}
    assert sites == {"Sucursal Centro", "norte-03"}
    assert len(read_store(store)) == 20


def test_write_store_from_read_logs_matches_ingest_to_store(logs, tmp_path):
    contacts, report = read_logs(logs)
    written = write_store(contacts, tmp_path / "a", report=report)
    ingest_to_store(logs, tmp_path / "b")
    assert sorted(p.relative_to(tmp_path / "a") for p in written) == sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").glob("site=*/month=*/*.parquet"))
    pd.testing.assert_frame_equal(read_store(tmp_path / "a"), read_store(tmp_path / "b"))
    with pytest.raises(ArgumentError, match="not the table"):
        write_store(contacts.iloc[1:], tmp_path / "c", report=report)
    assert len(write_store(contacts, tmp_path / "d")) == 2  # no report: one source, its id from the content


def test_write_store_needs_a_site(tmp_path):
    c, _ = read_logs(kiosk_log(tmp_path / "a.csv", "A", ["10/03/2025"], 2))
    with pytest.raises(SchemaError, match="no site"):
        write_store(c.assign(site=pd.NA), tmp_path / "s")


def test_store_errors_name_the_store_and_the_fix(logs, tmp_path):
    with pytest.raises(ArgumentError, match="does not exist"):
        store_partitions(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArgumentError, match="not a waitlab store"):
        read_store(tmp_path / "empty")
    ingest_to_store(logs, tmp_path / "s")
    with pytest.raises(ArgumentError, match="'Sucursal Sur' is not in store"):
        store_partitions(tmp_path / "s", sites=["Sucursal Sur"])
    with pytest.raises(ArgumentError, match="YYYY-MM"):
        store_partitions(tmp_path / "s", months="03/2025")
    with pytest.raises(ArgumentError, match="unknown option"):
        ingest_to_store(logs, tmp_path / "s", fromat="kiosk")


def test_cli_store_and_many_files(logs, tmp_path, capsys):
    (logs / "broken.xlsx").write_bytes(b"not a workbook")
    assert main(["ingest", str(logs), "--store", str(tmp_path / "s")]) == 1  # one file failed
    out = capsys.readouterr().out
    assert "broken.xlsx" in out and "FAILED" in out
    assert len(read_store(tmp_path / "s")) == 14
    status = main(["ingest", str(logs / "centro-03.csv"), str(logs / "norte-*.csv"), "-o", str(tmp_path / "all.csv"),
                   "--site-from", "filename", "--json"])
    assert status == 0
    d = json.loads(capsys.readouterr().out)
    assert (d["rows_read"], d["rows_used"], d["rows_quarantined"]) == (15, 14, 1)
    table = pd.read_csv(tmp_path / "all.csv")
    assert table.groupby("site").size().to_dict() == {"centro-03": 10, "norte-03": 4}
    q = pd.read_csv(tmp_path / "all.quarantine.csv")
    assert q.columns[0] == "source" and len(q) == 1
    assert main(["ingest", str(logs), "--store", str(tmp_path / "s"), "-o", "x.csv"]) == 2
    assert "not both" in capsys.readouterr().err


def test_cli_single_file_output_is_unchanged(logs, tmp_path, capsys):
    src = logs / "centro-03.csv"
    assert main(["ingest", str(src), "-o", str(tmp_path / "one.csv")]) == 0
    out = capsys.readouterr().out
    contacts, report = waitlab.read_log(src)
    assert out.startswith(str(report) + "\n")  # the file's own report, no network table
    assert "file(s)" not in out
    assert len(pd.read_csv(tmp_path / "one.csv")) == len(contacts) == 10
