"""A network of kiosk branches: one turn-terminal CSV per branch, in the format of ``branch_kiosk.csv``.

Each branch is simulated with ``_des.simulate`` (priority, then FIFO; patience; silent
no-shows), day by day, with the services, service times and patience of ``_gen_kiosk``.
Branches differ in size (tickets per day), opening hours and number of desks. Two are
special, whatever the number of branches:

* branch 2 (``B002``) is chronically understaffed: it has about 85 % of the desks its peak
  load needs (the others have the load plus its square root, rounded up);
* branch 3 (``B003``) calls tickets out of turn: about ``OUT_OF_TURN_PER_DAY`` times a day a
  desk calls the second waiting ticket of a queue before the first (both still present).

Randomness: one ``numpy.random.SeedSequence(seed)`` spawned per branch, so a branch's file
does not depend on how many branches are made, nor on the order they are made in.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from _des import Server, lognormal, piecewise_poisson, simulate
from _gen_kiosk import HEADER, SERVICES, VISIBLE_LEAVE, _clock, _minutes

CAJA, COMERCIAL, JUBILADOS, SEGURIDAD = range(4)
INF = float("inf")
SLOT = 1800.0
FIRST_DAY = dt.date(2025, 3, 10)
UNDERSTAFFED, OUT_OF_TURN = 1, 2  # 0-based branch indexes (files B002 and B003)
OUT_OF_TURN_PER_DAY = 12
UNDERSTAFFED_SHARE = 0.85
#: national public holidays of Argentina, 2025-2026 (no branch opens)
HOLIDAYS = {dt.date.fromisoformat(d) for d in (
    "2025-03-24 2025-04-02 2025-04-18 2025-05-01 2025-05-02 2025-06-16 2025-06-20 2025-07-09 "
    "2025-08-15 2025-10-12 2025-11-21 2025-11-24 2025-12-08 2025-12-25 2026-01-01 2026-02-16 "
    "2026-02-17 2026-03-23 2026-03-24 2026-04-02 2026-04-03 2026-05-01 2026-05-25 2026-06-15 "
    "2026-07-09 2026-07-10 2026-08-17 2026-10-12 2026-11-23 2026-12-07 2026-12-08 2026-12-25"
).split()}
#: opening hours (tickets are issued from the first to the second time)
SCHEDULES = [("10:00", "15:00"), ("08:00", "13:00"), ("09:00", "16:00"), ("10:00", "15:00"),
             ("11:00", "17:00"), ("07:30", "13:30")]
NAMES = ["Belgrano", "Palermo", "Caballito", "Flores", "Recoleta", "Almagro", "Boedo", "Villa Crespo",
         "Núñez", "Saavedra", "Liniers", "Mataderos", "Barracas", "San Telmo", "Constitución", "Balvanera",
         "Villa Devoto", "Villa Urquiza", "Colegiales", "Chacarita", "Parque Patricios", "Pompeya",
         "Villa Lugano", "Floresta", "Monserrat", "Retiro", "San Cristóbal", "Coghlan", "Agronomía",
         "Villa del Parque"]
BASE_PER_DAY = sum(s[2] for s in SERVICES)  # 347 tickets a day in the kiosk sample's mix


def business_days(n: int) -> list[dt.date]:
    """The first `n` weekdays from FIRST_DAY that are not holidays."""
    out, day = [], FIRST_DAY
    while len(out) < n:
        if day.weekday() < 5 and day not in HOLIDAYS:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _h(text: str) -> float:
    hh, mm = text.split(":")
    return int(hh) * 3600.0 + int(mm) * 60.0


@dataclass
class Branch:
    """What makes a branch: its name, file, size, hours and desks."""

    code: str
    name: str
    slug: str
    per_day: float
    opens: str
    closes: str
    cajas: int
    boxes: int
    kind: str  # "ordinary", "understaffed" or "out of turn"

    @property
    def file(self) -> str:
        return f"{self.code}-{self.slug}.csv"


def _profile(open_s: float, close_s: float) -> np.ndarray:
    """Relative arrivals per half hour: an opening burst and a lunch peak 12:00-14:00."""
    starts = np.arange(open_s, close_s, SLOT)
    prof = np.where((starts >= _h("12:00")) & (starts < _h("14:00")), 1.4, 0.9)
    prof[0] = 1.15
    return prof / prof.sum()


def _desks_needed(per_day: float, open_s: float, close_s: float, share: float) -> tuple[int, int]:
    """Caja and Box desks for the peak half hour: load + sqrt(load), or `share` of the load."""
    peak = _profile(open_s, close_s).max() * per_day / BASE_PER_DAY / SLOT  # rate scale at the peak
    rate = np.array([s[2] for s in SERVICES]) * peak
    mean = np.array([s[4] for s in SERVICES])
    caja = rate[CAJA] * mean[CAJA] + 0.5 * rate[JUBILADOS] * mean[JUBILADOS]
    box = rate[COMERCIAL] * mean[COMERCIAL] + rate[SEGURIDAD] * mean[SEGURIDAD] + 0.5 * rate[JUBILADOS] * mean[JUBILADOS]
    if share < 1:
        return max(1, round(share * caja)), max(1, round(share * box))
    return math.ceil(caja + math.sqrt(caja)), math.ceil(box + math.sqrt(box))


def make_branches(n: int, rng: np.random.Generator) -> list[Branch]:
    """`n` branches (n >= 3): sizes, hours and desks; branch 2 understaffed, branch 3 out of turn."""
    if n < 3:
        raise ValueError(f"branches must be at least 3 (one ordinary, one understaffed, one out of turn), got {n}.")
    width = max(3, len(str(n)))
    sizes = np.clip(rng.lognormal(math.log(420.0), 0.45, n), 120.0, 1400.0)
    out = []
    for k in range(n):
        opens, closes = SCHEDULES[k % len(SCHEDULES)]
        kind = "understaffed" if k == UNDERSTAFFED else "out of turn" if k == OUT_OF_TURN else "ordinary"
        per_day = float(round(sizes[k]))
        cajas, boxes = _desks_needed(per_day, _h(opens), _h(closes), UNDERSTAFFED_SHARE if kind == "understaffed" else 1)
        name = NAMES[k] if k < len(NAMES) else f"{NAMES[k % len(NAMES)]} {k // len(NAMES) + 1}"
        slug = name.lower().replace(" ", "-").translate(str.maketrans("áéíóúñ", "aeioun"))
        out.append(Branch(f"B{k + 1:0{width}d}", f"Sucursal {name}", slug, per_day, opens, closes, cajas, boxes, kind))
    return out


def _servers(b: Branch, rng: np.random.Generator) -> list[Server]:
    """Desks of one day: staggered 45-minute breaks mid-day; half (the first among them) stay until the queue is empty; 3 % of the others absent."""
    open_s, close_s = _h(b.opens), _h(b.closes)
    lunch = open_s + (close_s - open_s) / 2 - 3600.0
    out = []
    for group, count, skills in (("Caja", b.cajas, (CAJA, JUBILADOS)), ("Box", b.boxes, (COMERCIAL, SEGURIDAD, JUBILADOS))):
        for j in range(count):
            if rng.random() < 0.03 and j > 0:  # the first desk of each group is always there
                continue
            end = INF if j % 2 == 0 else close_s + 900.0
            if close_s - open_s >= 5 * 3600 and count > 1:
                brk = lunch + 1200.0 * (j % 4)
                shifts = [(open_s, brk), (brk + 2700.0, end)]
            else:
                shifts = [(open_s, end)]
            out.append(Server(f"{group} {j + 1}", skills, shifts))
    return out


def _day(b: Branch, day: dt.date, rng: np.random.Generator) -> tuple[list[list[str]], list[dict]]:
    open_s, close_s = _h(b.opens), _h(b.closes)
    factor = b.per_day / BASE_PER_DAY * (1.1 if day.weekday() == 0 else 1.0) * rng.gamma(200.0, 1 / 200.0)
    prof = _profile(open_s, close_s)
    arr, q = [], []
    for k, s in enumerate(SERVICES):
        times = piecewise_poisson(rng, open_s, SLOT, s[2] * factor * prof)
        arr.append(times)
        q.append(np.full(len(times), k))
    arrival, queue = np.concatenate(arr), np.concatenate(q)
    order = np.argsort(arrival, kind="stable")
    arrival, queue = arrival[order], queue[order]
    n = len(arrival)
    prio = (rng.random(n) < np.array([s[3] for s in SERVICES])[queue]).astype(int)
    service, patience = np.empty(n), np.empty(n)
    for k, (_, _, _, _, mean, cv, median) in enumerate(SERVICES):
        m = queue == k
        service[m] = lognormal(rng, mean, cv, int(m.sum()))
        patience[m] = median * rng.lognormal(0.0, 0.45, int(m.sum()))
    visible = rng.random(n) < VISIBLE_LEAVE
    walk, wrap, hold = rng.uniform(15.0, 75.0, n), rng.uniform(5.0, 30.0, n), rng.uniform(60.0, 150.0, n)
    dni = rng.integers(10_000_000, 46_000_000, n)
    ooo: tuple[float, ...] = ()
    if b.kind == "out of turn":
        ooo = tuple(np.sort(rng.uniform(open_s + 1800.0, close_s, OUT_OF_TURN_PER_DAY)))
    servers = _servers(b, rng)
    res = simulate(arrival, queue, prio, patience, service, visible, servers,
                   walk=walk, wrap=wrap, hold=hold, out_of_turn_after=ooo)
    counters: Counter[int] = Counter()
    tickets = []
    for i in range(n):
        counters[int(queue[i])] += 1
        tickets.append(f"{SERVICES[queue[i]][1]}{counters[int(queue[i])]:03d}")
    fecha = day.strftime("%d/%m/%Y")
    rows = []
    for i in range(n):
        llamado = inicio = fin = puesto = demora = ""
        if res.outcome[i] == "left":
            estado, fin = "ABANDONO", _clock(res.ended[i])
            demora = _minutes(round(res.ended[i]) - round(arrival[i]))
        else:
            puesto, llamado = servers[res.server[i]].name, _clock(res.called[i])
            demora = _minutes(round(res.called[i]) - round(arrival[i]))
            estado = "AUSENTE" if res.outcome[i] == "no_show" else "ATENDIDO"
            if estado == "ATENDIDO":
                inicio, fin = _clock(res.started[i]), _clock(res.ended[i])
        rows.append([b.name, fecha, tickets[i], SERVICES[queue[i]][0], "Prioritario" if prio[i] else "Normal",
                     _clock(arrival[i]), llamado, inicio, fin, puesto, estado, f"{int(dni[i]):08d}", demora])
    pairs = [{"fecha": day.isoformat(), "llamado_antes": tickets[a], "saltado": tickets[c]} for a, c in res.out_of_turn]
    return rows, pairs


def make_branch(b: Branch, days: list[dt.date], seed: np.random.SeedSequence) -> tuple[bytes, dict]:
    """One branch's file (cp1252, CRLF, ``;``) and its facts."""
    rng = np.random.default_rng(seed)
    rows: list[list[str]] = []
    pairs: list[dict] = []
    for day in days:
        r, p = _day(b, day, rng)
        rows += r
        pairs += p
    text = HEADER + "\r\n" + "".join(";".join(r) + "\r\n" for r in rows)
    called = [r for r in rows if r[6]]
    waits = [(_h(r[6][:5]) + int(r[6][6:]) - _h(r[5][:5]) - int(r[5][6:])) / 60 for r in called]
    facts = {
        "code": b.code, "file": b.file, "site": b.name, "kind": b.kind, "opens": b.opens, "closes": b.closes,
        "cajas": b.cajas, "boxes": b.boxes, "rows": len(rows),
        "called_over_30_min": round(sum(w > 30 for w in waits) / max(1, len(waits)), 4),
        "out_of_turn": pairs,
    }
    return text.encode("cp1252"), facts


def make_network(seed: int, branches: int, days: int) -> tuple[list[Branch], list[dt.date], list[np.random.SeedSequence]]:
    """The branches, the business days and one seed per branch (generate each with :func:`make_branch`)."""
    root = np.random.SeedSequence(seed)
    spec_seed, *branch_seeds = root.spawn(branches + 1)
    return make_branches(branches, np.random.default_rng(spec_seed)), business_days(days), branch_seeds
