"""Hand-built kiosk logs (vendor_a_es layout) whose counts are known by construction."""

from __future__ import annotations

from pathlib import Path

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
