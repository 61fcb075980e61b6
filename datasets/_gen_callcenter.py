"""callcenter_month.csv: March 2025 of a bank call center's ACD log (waitlab's default acd layout).

UTF-8, ``,`` separator, LF line ends, datetimes ``yyyy-mm-dd HH:MM:SS`` (local time, no zone).
See ``datasets/README.md`` for the columns and facts.
"""

from __future__ import annotations

import datetime as dt
import gzip
import math
from collections import Counter

import numpy as np
from _des import Server, lognormal, piecewise_poisson, simulate

SITE = "CC Córdoba"
HEADER = "call_id,site,queue,entered_at,answered_at,ended_at,agent,outcome,customer_id,priority"
MONTH = [dt.date(2025, 3, 1) + dt.timedelta(days=k) for k in range(31)]
HOLIDAY = dt.date(2025, 3, 24)
OPEN, SLOT, NSLOT = 8 * 3600.0, 1800.0, 24  # calls enter 08:00-20:00
MAX_PLAIN_BYTES = 3_000_000  # above this the file is shipped gzip-compressed

# relative intensity per half hour 08:00 ... 19:30: morning peak 10-12, lunch dip, afternoon peak 15-17
WEEKDAY_PROFILE = np.array([0.35, 0.55, 0.8, 1.0, 1.25, 1.4, 1.45, 1.35, 1.15, 1.0, 0.9, 0.95,
                            1.1, 1.25, 1.3, 1.3, 1.2, 1.05, 0.9, 0.75, 0.6, 0.5, 0.4, 0.3])
WEEKEND_PROFILE = np.array([0.3, 0.5, 0.8, 1.1, 1.3, 1.4, 1.4, 1.3, 1.1, 0.9, 0.8, 0.75,
                            0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2])
# Mon..Sun; the holiday counts as a Sunday
DAY_FACTOR = {0: 1.15, 1: 1.05, 2: 1.0, 3: 0.97, 4: 0.95, 5: 0.45, 6: 0.3}
# name, calls per weekday, mean handle s, cv, mean patience s, transfer share, priority share, agent prefix
QUEUES = [
    ("Tarjetas", 430, 280.0, 0.8, 200.0, 0.04, 0.08, "ag1"),
    ("Préstamos", 170, 420.0, 0.7, 300.0, 0.06, 0.0, "ag2"),
    ("Consultas", 320, 220.0, 0.9, 150.0, 0.03, 0.0, "ag3"),
]
BETA = 0.6  # square-root staffing safety factor: n = ceil(a + BETA * sqrt(a))
ABSENT = 0.06  # share of rostered agents absent on a given day
OTHER = 0.003  # calls dropped by the system before reaching an agent (outcome "other")
WRAP_MEAN = 20.0


def _volume_factor(day: dt.date, q: int) -> float:
    wd = 6 if day == HOLIDAY else day.weekday()
    f = DAY_FACTOR[wd]
    if day == HOLIDAY + dt.timedelta(days=1):
        f *= 1.2  # the day after the holiday
    if q == 0 and 3 <= day.day <= 7:
        f *= 1.15  # card statements
    if q == 1 and day.day <= 5:
        f *= 1.2  # loan instalments due
    return f


def _roster(rng: np.random.Generator, mean_counts: np.ndarray, handle: float, prefix: str,
            pool: int) -> list[Server]:
    """Agents of one queue: rank j works the half hours where j < required staff (sqrt rule)."""
    load = mean_counts / SLOT * handle
    need = np.maximum(1, np.ceil(load + BETA * np.sqrt(load))).astype(int)
    present = [k for k in range(pool) if rng.random() >= ABSENT]
    servers = []
    for rank, agent in enumerate(present[: need.max()]):
        on = need > rank
        shifts, k = [], 0
        while k < NSLOT:
            if on[k]:
                j = k
                while j < NSLOT and on[j]:
                    j += 1
                shifts.append((OPEN + k * SLOT, OPEN + j * SLOT))
                k = j
            else:
                k += 1
        if rank == 0:  # the first agent stays until the queue is empty
            shifts[-1] = (shifts[-1][0], math.inf)
        servers.append(Server(f"{prefix}{agent + 1:02d}", (0,), shifts))
    return servers


def _fmt(day: dt.date, t: float) -> str:
    s = round(t)
    return f"{day.isoformat()} {s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def make_callcenter(seed: int) -> tuple[str, bytes, dict]:
    """Simulate the month; return the file name, its bytes and its facts."""
    rng = np.random.default_rng(seed)
    customers = rng.integers(1_000_000, 9_999_999, size=14_000)
    lines = [HEADER]
    outcomes: Counter[str] = Counter()
    per_queue: Counter[str] = Counter()
    per_day: dict[str, int] = {}
    for day in MONTH:
        weekend = day.weekday() >= 5 or day == HOLIDAY
        profile = (WEEKEND_PROFILE if weekend else WEEKDAY_PROFILE)
        noise = rng.gamma(150.0, 1 / 150.0)  # forecast error: staff follows the mean, calls do not
        rows = []
        for q, (_name, per_day_q, aht, cv, pat, transfer_p, prio_p, prefix) in enumerate(QUEUES):
            mean_counts = per_day_q * _volume_factor(day, q) * profile / profile.sum()
            arrival = piecewise_poisson(rng, OPEN, SLOT, mean_counts * noise)
            n = len(arrival)
            prio = (rng.random(n) < prio_p).astype(int)
            service = lognormal(rng, aht, cv, n)
            patience = rng.exponential(pat, n)
            other = rng.random(n) < OTHER
            patience[other] = rng.uniform(5.0, 60.0, int(other.sum()))
            wrap = rng.exponential(WRAP_MEAN, n)
            servers = _roster(rng, mean_counts, aht + WRAP_MEAN, prefix, pool=40)
            res = simulate(arrival, np.zeros(n, dtype=int), prio, patience, service,
                           np.ones(n, dtype=bool), servers, wrap=wrap)
            transfer = rng.random(n) < transfer_p
            cust = rng.choice(customers, n)
            for i in range(n):
                if res.outcome[i] == "served":
                    outcome = "transferred" if transfer[i] else "answered"
                    answered, agent = _fmt(day, res.started[i]), servers[res.server[i]].name
                else:
                    outcome = "other" if other[i] else "abandoned"
                    answered = agent = ""
                rows.append((arrival[i], q, prio[i], answered, _fmt(day, res.ended[i]), agent, outcome,
                             f"CL{cust[i]}"))
        rows.sort(key=lambda r: (r[0], r[1]))
        for seq, (arr, q, prio_i, answered, ended, agent, outcome, cust_id) in enumerate(rows, 1):
            name = QUEUES[q][0]
            lines.append(f"{day:%Y%m%d}-{seq:05d},{SITE},{name},{_fmt(day, arr)},{answered},{ended},"
                         f"{agent},{outcome},{cust_id},{prio_i}")
            outcomes[outcome] += 1
            per_queue[name] += 1
        per_day[day.isoformat()] = len(rows)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    name = "callcenter_month.csv"
    if len(data) > MAX_PLAIN_BYTES:
        data, name = gzip.compress(data, compresslevel=9, mtime=0), name + ".gz"
    total = sum(outcomes.values())
    return name, data, {
        "file": name,
        "calls": total,
        "outcomes": dict(sorted(outcomes.items())),
        "abandon_rate": round(outcomes["abandoned"] / total, 4),
        "per_queue": dict(per_queue),
        "busiest_day": max(per_day, key=per_day.__getitem__),
        "quietest_day": min(per_day, key=per_day.__getitem__),
        "calls_per_day": per_day,
    }
