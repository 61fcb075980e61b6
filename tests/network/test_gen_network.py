"""The generated network (datasets/network/): its stated facts, recomputed from the files with plain pandas."""

from __future__ import annotations

import gzip
import importlib.util
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATASETS = Path(__file__).resolve().parents[2] / "datasets"
NETWORK = DATASETS / "network"
FACTS = json.loads((NETWORK / "_network.json").read_text(encoding="utf-8"))
README = (DATASETS / "README.md").read_text(encoding="utf-8")
HEADER = ("Sucursal;Fecha;Nro Turno;Servicio;Prioridad;Hora Emision;Hora Llamado;Hora Inicio;Hora Fin;"
          "Puesto;Estado;DNI;Demora Min")


def _load_script():
    spec = importlib.util.spec_from_file_location("make_network", DATASETS / "make_network.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _seconds(s: pd.Series) -> pd.Series:
    t = pd.to_datetime(s, format="%H:%M:%S", errors="coerce")
    return (t - pd.Timestamp("1900-01-01")).dt.total_seconds()


@pytest.fixture(scope="module")
def branches() -> dict[str, pd.DataFrame]:
    out = {}
    for site in FACTS["sites"]:
        raw = gzip.decompress((NETWORK / site["file"]).read_bytes())
        text = raw.decode("cp1252")
        assert text.split("\r\n")[0] == HEADER and "\n" not in text.replace("\r\n", "")
        df = pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
        for col in ("Hora Emision", "Hora Llamado"):
            df[col + " s"] = _seconds(df[col])
        out[site["code"]] = df
    return out


def _inversions(df: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(day, ticket called first, earlier ticket it overtook) within one day, service and priority."""
    found = set()
    called = df[df["Hora Llamado"] != ""]
    for (fecha, _, _), g in called.groupby(["Fecha", "Servicio", "Prioridad"]):
        issued, call, tickets = g["Hora Emision s"].to_numpy(), g["Hora Llamado s"].to_numpy(), g["Nro Turno"].to_numpy()
        later_issued = issued[:, None] > issued[None, :]
        called_first = call[:, None] < call[None, :]
        day = pd.to_datetime(fecha, format="%d/%m/%Y").date().isoformat()
        for a, s in zip(*np.nonzero(later_issued & called_first), strict=True):
            found.add((day, str(tickets[a]), str(tickets[s])))
    return found


def test_regeneration_is_byte_identical(tmp_path):
    script = _load_script()
    if ".".join(np.__version__.split(".")[:2]) != script.GENERATED_WITH_NUMPY:
        pytest.skip(f"the sample was generated with numpy {script.GENERATED_WITH_NUMPY}, this is {np.__version__}")
    script.write_network(tmp_path)
    names = sorted(p.name for p in NETWORK.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    for name in names:
        assert (tmp_path / name).read_bytes() == (NETWORK / name).read_bytes(), name


def test_size_and_files():
    assert sum(p.stat().st_size for p in NETWORK.iterdir()) < 1_000_000
    assert [s["file"] for s in FACTS["sites"]] == sorted(p.name for p in NETWORK.glob("B*.csv.gz"))
    assert len(FACTS["sites"]) == 6 and len(FACTS["days"]) == 10


def test_days_hours_and_rows(branches):
    days = {pd.Timestamp(d).strftime("%d/%m/%Y") for d in FACTS["days"]}
    assert pd.to_datetime(sorted(days), format="%d/%m/%Y").day_of_week.max() < 5
    schedules = set()
    for site in FACTS["sites"]:
        df = branches[site["code"]]
        assert len(df) == site["rows"] and set(df["Fecha"]) == days
        assert set(df["Sucursal"]) == {site["site"]}
        opens, closes = (pd.Timedelta(f"{t}:00").total_seconds() for t in (site["opens"], site["closes"]))
        assert df["Hora Emision s"].min() >= opens and df["Hora Emision s"].max() < closes
        assert df["Puesto"][df["Puesto"] != ""].nunique() <= site["cajas"] + site["boxes"]
        schedules.add((site["opens"], site["closes"]))
        row = re.search(rf"\| `{site['file']}` \| {re.escape(site['site'])} \| ([\d,]+) \|", README)
        assert row and int(row.group(1).replace(",", "")) == site["rows"], f"README row of {site['file']}"
    assert len(schedules) >= 4  # varied opening hours
    sizes = [s["rows"] for s in FACTS["sites"]]
    assert max(sizes) > 3 * min(sizes)  # varied sizes


def test_one_branch_is_chronically_understaffed(branches):
    share = {}
    for site in FACTS["sites"]:
        df = branches[site["code"]]
        called = df[df["Hora Llamado"] != ""]
        over = (called["Hora Llamado s"] - called["Hora Emision s"]) > 30 * 60
        share[site["code"]] = over.mean()
        assert over.mean() == pytest.approx(site["called_over_30_min"], abs=5e-5)
        by_day = over.groupby(called["Fecha"]).mean()
        if site["kind"] == "understaffed":
            assert site["code"] == "B002" and (by_day > 0.10).sum() >= 9  # chronic, not one bad day
    worst = max(share, key=share.get)
    assert worst == "B002" and share["B002"] > 3 * sorted(share.values())[-2]


def test_only_one_branch_calls_out_of_turn(branches):
    for site in FACTS["sites"]:
        found = _inversions(branches[site["code"]])
        if site["kind"] != "out of turn":
            assert found == set(), site["code"]
            assert site["out_of_turn"] == []
            continue
        assert site["code"] == "B003"
        stated = {(p["fecha"], p["llamado_antes"], p["saltado"]) for p in site["out_of_turn"]}
        assert found <= stated and len(found) >= 0.9 * len(stated) and len(stated) >= 50


def test_the_network_reads_with_the_shipped_mapping():
    from waitlab.network import read_logs

    contacts, report = read_logs(NETWORK, site_from=r"^(B\d+)-")
    assert report.ok and report.rows_read == sum(s["rows"] for s in FACTS["sites"]) == report.rows_used
    assert contacts.groupby("site").size().to_dict() == {s["code"]: s["rows"] for s in FACTS["sites"]}
