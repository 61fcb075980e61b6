"""Hand-built network inputs whose answers are known: contacts tables (times in minutes after 09:00 of a
given day) and kiosk logs (vendor_a_es layout)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pandas as pd

from waitlab.schema import coerce_contacts

TZ = "America/Argentina/Buenos_Aires"


def ticket(site: str, day: str, n: int, arr: float, call: float | None, end: float | None, desk: str | None,
           outcome: str = "served", queue: str = "caja", cid: str | None = None) -> dict:
    """One kiosk ticket; `arr`, `call`, `end` are minutes after 09:00 on `day` (service starts when called)."""
    base = pd.Timestamp(f"{day} 09:00")
    at = (lambda m: None if m is None else base + pd.Timedelta(minutes=m))  # noqa: E731
    return {"contact_id": cid or f"{site}-{day}-{n}", "site": site, "queue": queue, "channel": "kiosk",
            "ticket": f"C{n:03d}", "priority": 0, "arrived_at": at(arr), "called_at": at(call),
            "started_at": at(call) if outcome == "served" else None, "ended_at": at(end), "outcome": outcome,
            "server": desk}


def table(rows: list[dict]) -> pd.DataFrame:
    return coerce_contacts(pd.DataFrame(rows), tz=TZ)


def steady(site: str, day: str, n: int, desks: int = 2, gap: float = 10.0, service: float = 5.0) -> list[dict]:
    """`n` tickets `gap` minutes apart, each called on arrival and served `service` minutes, desks in turn."""
    return [ticket(site, day, i, i * gap, i * gap, i * gap + service, f"D{i % desks}") for i in range(n)]


def write_store(contacts: pd.DataFrame, store: Path, chunks: int = 1) -> None:
    """The store layout of the contract, written by hand: site=<quoted>/month=<YYYY-MM>/part-<id>.parquet."""
    month = contacts["arrived_at"].dt.strftime("%Y-%m")
    for (site, ym), rows in contacts.groupby([contacts["site"].astype(str), month]):
        folder = store / f"site={quote(site, safe='')}" / f"month={ym}"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(chunks):  # several source files per partition, each a slice of the rows
            rows.iloc[i::chunks].to_parquet(folder / f"part-{i:012x}.parquet")

HEADER = ("Sucursal;Fecha;Nro Turno;Servicio;Prioridad;Hora Emision;Hora Llamado;Hora Inicio;Hora Fin;"
          "Puesto;Estado;DNI")


def kiosk_log(path: Path, site: str, days: list[str], per_day: int, bad: int = 0) -> Path:
    """`per_day` served tickets on each dd/mm/yyyy day, then `bad` rows with an unknown Estado (quarantined)."""
    lines = [HEADER]
    for day in days:
        for k in range(per_day):
            m = 10 + k // 6
            s = (k % 6) * 10
            lines.append(f"{site};{day};C{k + 1:03d};Caja;Normal;{m:02d}:{s:02d}:00;{m:02d}:{s:02d}:30;"
                         f"{m:02d}:{s:02d}:45;{m:02d}:{s + 5:02d}:00;Caja 1;ATENDIDO;{1000 + k}")
    for k in range(bad):
        lines.append(f"{site};{days[0]};X{k + 1:03d};Caja;Normal;12:00:00;12:01:00;12:02:00;12:03:00;Caja 1;XX;9")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")
    return path
