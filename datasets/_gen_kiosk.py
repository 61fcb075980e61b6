"""branch_kiosk.csv: turn-terminal log of "Sucursal Centro", a Buenos Aires bank branch.

Spanish vendor export: ``;`` separator, cp1252, CRLF, ``dd/mm/yyyy`` dates, ``HH:MM:SS``
times, decimal comma in ``Demora Min``. See ``datasets/README.md`` for the columns and facts.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
from _des import Server, lognormal, piecewise_poisson, simulate

SITE = "Sucursal Centro"
HEADER = (
    "Sucursal;Fecha;Nro Turno;Servicio;Prioridad;Hora Emision;Hora Llamado;Hora Inicio;"
    "Hora Fin;Puesto;Estado;DNI;Demora Min"
)
HOLIDAY = dt.date(2025, 3, 24)  # Día Nacional de la Memoria por la Verdad y la Justicia
BREACH_DAY = dt.date(2025, 3, 25)  # first business day after the holiday
DAYS = [
    dt.date(2025, 3, 10) + dt.timedelta(days=k)
    for k in range(19)
    if (dt.date(2025, 3, 10) + dt.timedelta(days=k)).weekday() < 5
    and dt.date(2025, 3, 10) + dt.timedelta(days=k) != HOLIDAY
]
OPEN, CLOSE = 10 * 3600.0, 15 * 3600.0  # tickets are issued 10:00-15:00
SLOT = 1800.0
# relative arrival intensity per half hour 10:00 ... 14:30: opening burst, lunch peak 12-14
PROFILE = np.array([1.15, 0.8, 0.85, 0.95, 1.35, 1.45, 1.4, 1.25, 0.95, 0.8])
WEEKDAY = {0: 1.12, 1: 1.0, 2: 0.95, 3: 0.95, 4: 1.08}
BREACH_FACTOR = 1.5

# name, ticket letter, tickets per day, priority share, mean service s, cv, patience median s
SERVICES = [
    ("Caja", "C", 200, 0.06, 210.0, 0.7, 70 * 60.0),
    ("Atención Comercial", "A", 52, 0.05, 660.0, 0.6, 80 * 60.0),
    ("Jubilados y Pensionados", "J", 82, 0.35, 390.0, 0.6, 110 * 60.0),
    ("Cajas de Seguridad", "S", 13, 0.0, 540.0, 0.5, 60 * 60.0),
]
CAJA, COMERCIAL, JUBILADOS, SEGURIDAD = range(4)
INF = float("inf")


def _h(text: str) -> float:
    hh, mm = text.split(":")
    return int(hh) * 3600.0 + int(mm) * 60.0


# desk, services served (first = main), shifts; INF = stays until the queue is empty
DESKS = [
    ("Caja 1", (CAJA, JUBILADOS), [("10:00", "12:30"), ("13:15", INF)]),
    ("Caja 2", (CAJA,), [("10:00", "13:00"), ("13:45", INF)]),
    ("Caja 3", (CAJA,), [("10:00", "11:45"), ("12:30", "15:30")]),
    ("Caja 4", (CAJA, JUBILADOS), [("11:00", "14:15")]),
    ("Caja 5", (CAJA,), [("12:00", "15:00")]),
    ("Box 1", (COMERCIAL, SEGURIDAD), [("10:00", "13:00"), ("13:45", INF)]),
    ("Box 2", (COMERCIAL,), [("10:00", "12:15"), ("13:00", INF)]),
    ("Box 3", (COMERCIAL, SEGURIDAD), [("10:30", "14:30")]),
    ("Box 4", (JUBILADOS,), [("10:00", "12:45"), ("13:30", INF)]),
    ("Box 5", (COMERCIAL, JUBILADOS), [("10:00", "14:00")]),
]
ABSENT_ON_BREACH_DAY = ("Caja 5", "Box 5")
VISIBLE_LEAVE = 0.35  # share of customers who give up and tell the kiosk (ABANDONO)
CANCEL = 0.006  # share of tickets cancelled by staff (ANULADO)
TRANSFER = {CAJA: 0.005, COMERCIAL: 0.03, JUBILADOS: 0.01, SEGURIDAD: 0.0}


def _servers(day: dt.date) -> list[Server]:
    out = []
    for name, skills, shifts in DESKS:
        if day == BREACH_DAY and name in ABSENT_ON_BREACH_DAY:
            continue
        out.append(Server(name, skills, [(_h(a), b if b == INF else _h(b)) for a, b in shifts]))
    return out


def _clock(t: float) -> str:
    s = round(t)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}".replace(".", ",")


def _simulate_day(rng: np.random.Generator, day: dt.date, out_of_turn: tuple[float, ...], dni_pools):
    factor = WEEKDAY[day.weekday()] * rng.gamma(200.0, 1 / 200.0)
    if day == BREACH_DAY:
        factor *= BREACH_FACTOR
    arr, q = [], []
    for k, (_, _, per_day, *_rest) in enumerate(SERVICES):
        times = piecewise_poisson(rng, OPEN, SLOT, per_day * factor * PROFILE / PROFILE.sum())
        arr.append(times)
        q.append(np.full(len(times), k))
    arrival, queue = np.concatenate(arr), np.concatenate(q)
    order = np.argsort(arrival, kind="stable")
    arrival, queue = arrival[order], queue[order]
    n = len(arrival)
    prio = (rng.random(n) < np.array([s[3] for s in SERVICES])[queue]).astype(int)
    service = np.empty(n)
    patience = np.empty(n)
    for k, (_, _, _, _, mean, cv, median) in enumerate(SERVICES):
        m = queue == k
        service[m] = lognormal(rng, mean, cv, int(m.sum()))
        patience[m] = median * rng.lognormal(0.0, 0.45, int(m.sum()))
    quick = rng.random(n) < 0.03  # took a ticket and left soon after (errand elsewhere)
    patience[quick] = rng.uniform(120.0, 1200.0, int(quick.sum()))
    visible = rng.random(n) < VISIBLE_LEAVE
    cancelled = rng.random(n) < CANCEL
    patience[cancelled] = rng.uniform(30.0, 480.0, int(cancelled.sum()))
    visible[cancelled] = True
    transfer = rng.random(n) < np.array([TRANSFER[k] for k in range(len(SERVICES))])[queue]
    walk = rng.uniform(15.0, 75.0, n)
    wrap = rng.uniform(5.0, 30.0, n)
    hold = rng.uniform(60.0, 150.0, n)
    jub = queue == JUBILADOS
    dni = np.where(jub, rng.choice(dni_pools[1], n), rng.choice(dni_pools[0], n))
    servers = _servers(day)
    res = simulate(arrival, queue, prio, patience, service, visible, servers,
                   walk=walk, wrap=wrap, hold=hold, out_of_turn_after=out_of_turn)
    counters: Counter[int] = Counter()
    tickets = []
    for i in range(n):
        counters[int(queue[i])] += 1
        tickets.append(f"{SERVICES[queue[i]][1]}{counters[int(queue[i])]:03d}")
    rows = []
    for i in range(n):
        outcome = res.outcome[i]
        llamado = inicio = fin = puesto = demora = ""
        if outcome == "left":
            estado = "ANULADO" if cancelled[i] else "ABANDONO"
            fin = _clock(res.ended[i])
            if not cancelled[i]:
                demora = _minutes(round(res.ended[i]) - round(arrival[i]))
        else:
            puesto = servers[res.server[i]].name
            llamado = _clock(res.called[i])
            demora = _minutes(round(res.called[i]) - round(arrival[i]))
            if outcome == "no_show":
                estado = "AUSENTE"
            else:
                estado = "DERIVADO" if transfer[i] else "ATENDIDO"
                inicio, fin = _clock(res.started[i]), _clock(res.ended[i])
        rows.append([
            SITE, day.strftime("%d/%m/%Y"), tickets[i], SERVICES[queue[i]][0],
            "Prioritario" if prio[i] else "Normal", _clock(arrival[i]), llamado, inicio, fin,
            puesto, estado, f"{int(dni[i]):08d}", demora,
        ])
    ooo = [
        {"fecha": day.isoformat(), "servicio": SERVICES[queue[a]][0],
         "prioridad": "Prioritario" if prio[a] else "Normal", "llamado_antes": tickets[a],
         "emitido": _clock(arrival[a]), "saltado": tickets[b], "emitido_saltado": _clock(arrival[b]),
         "llamado": _clock(res.called[a]), "llamado_saltado": _clock(res.called[b]),
         "puesto": servers[res.server[a]].name}
        for a, b in res.out_of_turn
    ]
    return rows, ooo


def _break_rows(rng: np.random.Generator, rows: list[list[str]], keep: set[tuple[str, str]]
                ) -> tuple[list[list[str]], list[dict]]:
    """Corrupt a few served rows on ordinary days, as real exports do; return what was done.

    Rows whose (Fecha, Nro Turno) is in `keep` (the out-of-turn tickets) are left alone.
    """
    col = {name: k for k, name in enumerate(HEADER.split(";"))}
    breach = BREACH_DAY.strftime("%d/%m/%Y")
    ok = [k for k, r in enumerate(rows) if r[col["Estado"]] == "ATENDIDO" and r[col["Fecha"]] != breach
          and (r[col["Fecha"]], r[col["Nro Turno"]]) not in keep]
    picks = sorted(rng.choice(ok, size=6, replace=False))
    kinds = ["garbled time", "fin before inicio", "duplicate line", "unknown estado",
             "missing emision", "llamado before emision"]
    kinds = [kinds[k] for k in rng.permutation(len(kinds))]
    plan = dict(zip(picks, kinds, strict=True))
    out: list[list[str]] = []
    broken = []
    for k, row in enumerate(rows):
        row = list(row)
        kind = plan.get(k)
        note = ""
        if kind == "garbled time":
            note = f"Hora Llamado {row[col['Hora Llamado']]} -> 25:61:00"
            row[col["Hora Llamado"]] = "25:61:00"
        elif kind == "fin before inicio":
            a, b = row[col["Hora Inicio"]], row[col["Hora Fin"]]
            row[col["Hora Inicio"]], row[col["Hora Fin"]] = b, a
            note = f"Hora Inicio and Hora Fin swapped (Inicio {b}, Fin {a})"
        elif kind == "unknown estado":
            row[col["Estado"]] = "XX"
            note = "Estado ATENDIDO -> XX"
        elif kind == "missing emision":
            note = f"Hora Emision {row[col['Hora Emision']]} -> empty"
            row[col["Hora Emision"]] = ""
        elif kind == "llamado before emision":
            h, rest = row[col["Hora Emision"]].split(":", 1)
            new = f"{int(h) + 1:02d}:{rest}"
            note = f"Hora Emision {row[col['Hora Emision']]} -> {new} (clock one hour fast), after Hora Llamado"
            row[col["Hora Emision"]] = new
        out.append(row)
        if kind == "duplicate line":
            out.append(list(row))
            note = "line repeated verbatim on the next line"
        if kind:  # the header is line 1, so the row just appended is line len(out) + 1
            broken.append({"line": len(out) + 1, "kind": kind,
                           "fecha": row[col["Fecha"]], "turno": row[col["Nro Turno"]], "change": note})
    return out, broken


def make_kiosk(seed: int) -> tuple[bytes, dict]:
    """Simulate the branch days; return the file bytes (cp1252, CRLF) and its facts."""
    rng = np.random.default_rng(seed)
    dni_pools = (rng.integers(18_000_000, 46_000_000, 6000), rng.integers(10_000_000, 17_900_000, 2000))
    ooo_days = {DAYS[k] for k in rng.choice(len(DAYS), size=4, replace=False)}
    rows: list[list[str]] = []
    out_of_turn: list[dict] = []
    for day in DAYS:
        times: tuple[float, ...] = ()
        if day in ooo_days and day != BREACH_DAY:
            times = tuple(sorted(rng.uniform(_h("10:45"), _h("14:30"), size=1 + int(day.day % 2 == 0))))
        day_rows, ooo = _simulate_day(rng, day, times, dni_pools)
        rows.extend(day_rows)
        out_of_turn.extend(ooo)
    keep = {(dt.date.fromisoformat(o["fecha"]).strftime("%d/%m/%Y"), o[k])
            for o in out_of_turn for k in ("llamado_antes", "saltado")}
    rows, broken = _break_rows(rng, rows, keep)
    text = HEADER + "\r\n" + "".join(";".join(r) + "\r\n" for r in rows)
    return text.encode("cp1252"), _facts(rows, broken, out_of_turn)


def _facts(rows: list[list[str]], broken: list[dict], out_of_turn: list[dict]) -> dict:
    col = {name: k for k, name in enumerate(HEADER.split(";"))}
    per_day: Counter[str] = Counter(r[col["Fecha"]] for r in rows)
    estados: Counter[str] = Counter(r[col["Estado"]] for r in rows)
    return {
        "days": [d.isoformat() for d in DAYS],
        "holiday": HOLIDAY.isoformat(),
        "breach_day": BREACH_DAY.isoformat(),
        "data_lines": len(rows),
        "lines_per_day": dict(per_day),
        "estado_counts": dict(sorted(estados.items())),
        "broken_rows": broken,
        "out_of_turn": out_of_turn,
    }
