"""The bundled sample data: reproducible, small, and exactly as `datasets/README.md` describes it.

Every fact is recomputed from the raw files with plain pandas / the standard library (never with
waitlab's readers), and compared with the numbers the README states.
"""

from __future__ import annotations

import collections
import csv
import importlib.util
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATASETS = Path(__file__).resolve().parents[1] / "datasets"
README = (DATASETS / "README.md").read_text(encoding="utf-8")
KIOSK_HEADER = (
    "Sucursal;Fecha;Nro Turno;Servicio;Prioridad;Hora Emision;Hora Llamado;Hora Inicio;"
    "Hora Fin;Puesto;Estado;DNI;Demora Min"
)
ESTADOS = {"ATENDIDO", "AUSENTE", "ABANDONO", "DERIVADO", "ANULADO"}
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")


def _load_script():
    spec = importlib.util.spec_from_file_location("make_datasets", DATASETS / "make_datasets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _readme_table(heading: str) -> list[dict[str, str]]:
    """The first markdown table after the line `heading` in the README, as dicts."""
    lines = README.splitlines()
    start = lines.index(heading)
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
        elif rows:
            break
    header, body = rows[0], rows[2:]
    return [dict(zip(header, r, strict=True)) for r in body]


def _readme_number(pattern: str) -> int:
    match = re.search(pattern, README)
    assert match, f"README does not state {pattern!r}"
    return int(match.group(1).replace(",", ""))


@pytest.fixture(scope="module")
def kiosk() -> pd.DataFrame:
    df = pd.read_csv(DATASETS / "branch_kiosk.csv", sep=";", encoding="cp1252", dtype=str,
                     keep_default_na=False)
    df.index = df.index + 2  # file line numbers: the header is line 1
    for col in ("Hora Emision", "Hora Llamado", "Hora Inicio", "Hora Fin"):
        t = pd.to_datetime(df[col], format="%H:%M:%S", errors="coerce")
        df[col + " s"] = (t - pd.Timestamp("1900-01-01")).dt.total_seconds()
    df["wait_min"] = (df["Hora Llamado s"] - df["Hora Emision s"]) / 60
    return df


def _broken_lines(df: pd.DataFrame) -> dict[int, str]:
    """Lines that break a rule, found independently of the generator."""
    found: dict[int, str] = {}
    for col in ("Hora Emision", "Hora Llamado", "Hora Inicio", "Hora Fin"):
        bad = (df[col] != "") & ~df[col].str.match(TIME_RE)
        found.update(dict.fromkeys(df.index[bad], "garbled time"))
    found.update(dict.fromkeys(df.index[df["Hora Emision"] == ""], "missing emision"))
    found.update(dict.fromkeys(df.index[~df["Estado"].isin(ESTADOS)], "unknown estado"))
    found.update(dict.fromkeys(df.index[df["Hora Fin s"] < df["Hora Inicio s"]], "fin before inicio"))
    found.update(dict.fromkeys(df.index[df["Hora Llamado s"] < df["Hora Emision s"]], "llamado before emision"))
    raw = df[KIOSK_HEADER.split(";")]
    found.update(dict.fromkeys(df.index[raw.duplicated(keep="first")], "duplicate line"))
    found.update(dict.fromkeys(df.index[df.duplicated(["Fecha", "Nro Turno"], keep="first")], "duplicate line"))
    return found


def test_regeneration_is_byte_identical(tmp_path):
    script = _load_script()
    numpy_release = ".".join(np.__version__.split(".")[:2])
    if numpy_release != script.GENERATED_WITH_NUMPY:
        pytest.skip(f"files were generated with numpy {script.GENERATED_WITH_NUMPY}, this is {np.__version__}; "
                    "numpy does not promise the same random streams across releases")
    facts = script.write_datasets(out_dir=tmp_path)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(["asterisk_queue_log.txt", "branch_kiosk.csv", "callcenter_month.csv",
                           "headcounts_arrivals.csv", "headcounts_sheet.csv"])
    for name in made:
        assert (tmp_path / name).read_bytes() == (DATASETS / name).read_bytes(), f"{name} differs"
    # the README's truth table for the headcounts is the simulation's own truth
    table = _readme_table("### True waits (from the simulation)")
    truth = facts["headcounts"]["by_hour"]
    assert [r["hour"] for r in table] == [t["hour"] for t in truth]
    for row, t in zip(table, truth, strict=True):
        assert int(row["arrivals"]) == t["arrivals"]
        assert float(row["true mean wait (s)"]) == t["true_mean_wait_s"]
        assert float(row["true max wait (s)"]) == t["true_max_wait_s"]
        assert float(row["true time-average number waiting"]) == t["true_time_avg_waiting"]


def test_sizes():
    total = sum(p.stat().st_size for p in DATASETS.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total < 5_000_000
    assert (DATASETS / "branch_kiosk.csv").stat().st_size < 1_500_000
    assert (DATASETS / "callcenter_month.csv").stat().st_size < 3_000_000


def test_kiosk_is_a_spanish_cp1252_export():
    raw = (DATASETS / "branch_kiosk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really cp1252, not UTF-8
    text = raw.decode("cp1252")
    lines = text.split("\r\n")
    assert lines[0] == KIOSK_HEADER
    assert lines[-1] == "" and "\n" not in text.replace("\r\n", "")  # CRLF everywhere
    assert "Atención Comercial" in text and "Jubilados y Pensionados" in text
    assert re.search(r";\d+,\d\r\n", text)  # decimal comma in Demora Min


def test_kiosk_days_holiday_and_counts(kiosk):
    days = pd.to_datetime(kiosk["Fecha"], format="%d/%m/%Y")
    assert (days.dt.day_of_week < 5).all()
    assert "24/03/2025" not in set(kiosk["Fecha"])
    assert kiosk["Fecha"].nunique() == 14
    assert days.min() == pd.Timestamp("2025-03-10") and days.max() == pd.Timestamp("2025-03-28")
    assert len(kiosk) == _readme_number(r"([\d,]+) data lines")
    counts = kiosk["Estado"].value_counts()
    for estado in ("ATENDIDO", "AUSENTE", "ABANDONO", "DERIVADO", "ANULADO", "XX"):
        assert counts[estado] == _readme_number(estado + r" ([\d,]+)")
    assert set(kiosk["Prioridad"]) == {"Normal", "Prioritario"}
    assert kiosk["Nro Turno"].str.match(r"^[CAJS]\d{3}$").all()
    assert kiosk["DNI"].str.match(r"^\d{8}$").all()


def test_breach_day_waits_and_no_other_day_exceeds_90_minutes(kiosk):
    breach = kiosk["Fecha"] == "25/03/2025"
    afternoon = kiosk["Hora Emision s"] >= 12 * 3600
    assert (kiosk.loc[breach & afternoon, "wait_min"] > 90).sum() >= 100
    assert (kiosk.loc[breach, "wait_min"] > 90).sum() == _readme_number(r"exceed 90 minutes for (\d+) called")
    others = kiosk[~breach]
    assert others["wait_min"].max() <= 90
    gave_up = others["Estado"] == "ABANDONO"
    assert ((others["Hora Fin s"] - others["Hora Emision s"])[gave_up] / 60).max() <= 90


def test_demora_min_is_the_wait_in_minutes_with_a_decimal_comma(kiosk):
    good = kiosk.drop(index=list(_broken_lines(kiosk)))
    called = good["Hora Llamado"] != ""
    demora = good["Demora Min"].str.replace(",", ".").replace("", None).astype(float)
    assert ((demora[called] - good.loc[called, "wait_min"]).abs() < 0.051).all()
    left = good["Estado"] == "ABANDONO"
    waited = (good["Hora Fin s"] - good["Hora Emision s"]) / 60
    assert ((demora[left] - waited[left]).abs() < 0.051).all()
    assert good.loc[good["Estado"] == "ANULADO", "Demora Min"].eq("").all()


def test_broken_rows_are_exactly_the_documented_ones(kiosk):
    documented = _readme_table("### Deliberately broken rows")
    assert len(documented) == _readme_number(r"Exactly \*\*(\d+)\*\* lines are broken")
    assert 5 <= len(documented) <= 8
    found = _broken_lines(kiosk)
    assert sorted(found) == sorted(int(r["line"]) for r in documented)
    for row in documented:
        line = int(row["line"])
        assert kiosk.loc[line, "Fecha"] == row["Fecha"] and kiosk.loc[line, "Nro Turno"] == row["Nro Turno"]
    assert set(found.values()) == {"garbled time", "missing emision", "unknown estado", "fin before inicio",
                                   "llamado before emision", "duplicate line"}


def test_out_of_turn_calls_are_exactly_the_documented_ones(kiosk):
    good = kiosk.drop(index=list(_broken_lines(kiosk)))
    called = good[good["Hora Llamado"] != ""]
    found = set()
    for (fecha, servicio, prioridad), g in called.groupby(["Fecha", "Servicio", "Prioridad"]):
        g = g.sort_values("Hora Emision s", kind="stable")
        issued, call, turno = g["Hora Emision s"].to_numpy(), g["Hora Llamado s"].to_numpy(), g["Nro Turno"].to_numpy()
        for i in range(len(g)):
            for j in range(i + 1, len(g)):
                if issued[j] > issued[i] and call[j] < call[i]:
                    found.add((fecha, servicio, prioridad, turno[j], turno[i]))
    documented = {(r["Fecha"], r["Servicio"], r["Prioridad"], r["called first"], r["skipped ticket"])
                  for r in _readme_table("### Tickets called out of turn")}
    assert 3 <= len(documented) <= 8
    assert found == documented


def test_callcenter_month():
    text = (DATASETS / "callcenter_month.csv").read_text(encoding="utf-8")
    assert text.split("\n", 1)[0] == "call_id,site,queue,entered_at,answered_at,ended_at,agent,outcome,customer_id,priority"
    assert "\r" not in text
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    for col in ("entered_at", "answered_at", "ended_at"):
        df[col] = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d %H:%M:%S")
    assert df["call_id"].is_unique
    assert set(df["queue"]) == {"Tarjetas", "Préstamos", "Consultas"}
    assert sorted(df["entered_at"].dt.day.unique()) == list(range(1, 32))
    assert df["entered_at"].dt.hour.between(8, 20).all()
    answered = df["outcome"].isin(["answered", "transferred"])
    assert df.loc[answered, "answered_at"].notna().all() and df.loc[~answered, "answered_at"].isna().all()
    assert (df.loc[answered, "agent"] != "").all() and (df.loc[~answered, "agent"] == "").all()
    assert (df["entered_at"] <= df["answered_at"].fillna(df["ended_at"])).all()
    assert (df["answered_at"].fillna(df["ended_at"]) <= df["ended_at"]).all()
    assert len(df) == _readme_number(r"([\d,]+) calls, all 31 days")
    counts = df["outcome"].value_counts()
    for outcome in ("answered", "transferred", "abandoned", "other"):
        assert counts[outcome] == _readme_number(outcome + r" ([\d,]+)")
    assert 0.05 <= counts["abandoned"] / len(df) <= 0.15
    weekend = df["entered_at"].dt.day_of_week >= 5
    per_day = df.groupby(df["entered_at"].dt.date).size()
    assert per_day[sorted(set(df.loc[weekend, "entered_at"].dt.date))].max() < per_day.median()


def test_asterisk_queue_log_fields_are_consistent():
    lines = (DATASETS / "asterisk_queue_log.txt").read_text(encoding="ascii").splitlines()
    rows = [line.split("|") for line in lines]
    assert all(len(r) >= 6 for r in rows)
    epochs = [int(r[0]) for r in rows]
    assert epochs == sorted(epochs)
    calls: dict[str, dict[str, list]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for r in rows:
        if r[1] != "NONE":
            calls[r[1]][r[4]].append((int(r[0]), r[3], r[5:]))
    finals = ("COMPLETEAGENT", "COMPLETECALLER", "TRANSFER", "ABANDON", "EXITWITHTIMEOUT", "EXITEMPTY")
    tally = collections.Counter()
    for ev in calls.values():
        (enter, _, _), = ev["ENTERQUEUE"]
        (final,) = [e for e in finals if e in ev]
        (t_end, agent, data), = ev[final]
        tally[final] += 1
        if "CONNECT" in ev:
            (t_conn, conn_agent, (hold, _bridged, _ring)), = ev["CONNECT"]
            assert int(hold) == t_conn - enter and agent == conn_agent
            hold_f, call_f = (data[2], data[3]) if final == "TRANSFER" else (data[0], data[1])
            assert int(hold_f) == t_conn - enter and int(call_f) == t_end - t_conn
        else:
            assert final in ("ABANDON", "EXITWITHTIMEOUT", "EXITEMPTY")
            assert int(data[2]) == t_end - enter  # waittime
    assert len(calls) == _readme_number(r"([\d,]+) calls \(ENTERQUEUE lines\)")
    assert len(lines) == _readme_number(r"([\d,]+) lines, [\d,]+ calls")
    for event, n in tally.items():
        assert n == _readme_number(event + r" (\d+)")
    assert sum(r[4] == "RINGNOANSWER" for r in rows) == _readme_number(r"RINGNOANSWER lines (\d+)")
    # members: pauses alternate with unpauses
    state: dict[str, str] = {}
    for r in rows:
        if r[4] in ("PAUSE", "UNPAUSE"):
            assert state.get(r[3], "UNPAUSE") != r[4], f"{r[3]} {r[4]} twice in a row"
            state[r[3]] = r[4]


def test_headcounts_agree_with_the_readme_truth():
    with open(DATASETS / "headcounts_sheet.csv", newline="", encoding="ascii") as fh:
        sheet = list(csv.DictReader(fh, delimiter=";"))
    with open(DATASETS / "headcounts_arrivals.csv", newline="", encoding="ascii") as fh:
        tally = list(csv.DictReader(fh, delimiter=";"))
    assert list(sheet[0]) == ["hora", "personas_esperando", "puestos_abiertos"]
    assert list(tally[0]) == ["hora", "llegadas"]
    assert (DATASETS / "headcounts_sheet.csv").read_bytes().count(b"\r\n") == len(sheet) + 1
    truth = _readme_table("### True waits (from the simulation)")
    assert [(t["hora"], int(t["llegadas"])) for t in tally] == [(r["hour"], int(r["arrivals"])) for r in truth]
    customers = sum(int(t["llegadas"]) for t in tally)
    assert customers == _readme_number(r"(\d+) customers; true mean wait")
    # Little's law over the whole day (the queue is empty at both ends): total waiting time is the
    # area under the queue-length curve, which the 10-minute samples estimate (rectangle rule).
    area = sum(int(r["personas_esperando"]) for r in sheet) * 600.0
    true_mean = sum(int(r["arrivals"]) * float(r["true mean wait (s)"]) for r in truth) / customers
    assert area / customers == pytest.approx(true_mean, rel=0.15)


def test_priority_tickets_are_called_before_normal_ones(kiosk):
    good = kiosk.drop(index=list(_broken_lines(kiosk)))
    # a priority ticket is waiting from issue until it is called, or until it left / was cancelled
    prio = good[good["Prioridad"] == "Prioritario"]
    until = prio["Hora Llamado s"].fillna(prio["Hora Fin s"])
    normal = good[(good["Prioridad"] == "Normal") & good["Hora Llamado s"].notna()]
    checked = 0
    for (fecha, servicio), g in normal.groupby(["Fecha", "Servicio"]):
        p = (prio["Fecha"] == fecha) & (prio["Servicio"] == servicio)
        issued, left = prio.loc[p, "Hora Emision s"].to_numpy(), until[p].to_numpy()
        for call in g["Hora Llamado s"]:
            assert not ((issued < call) & (left > call)).any(), (fecha, servicio, call)
            checked += 1
    assert checked > 4000
