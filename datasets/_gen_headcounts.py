"""headcounts_sheet.csv + headcounts_arrivals.csv: a manual sampling sheet of a branch without a
turn terminal, made from one simulated day whose true waits are known.

``;`` separator, ASCII text, CRLF line ends (typed into a spreadsheet and exported). See
``datasets/README.md`` for the columns and the true mean wait per hour.
"""

from __future__ import annotations

import math

import numpy as np
from _des import Server, lognormal, piecewise_poisson, simulate

DAY = "2025-03-20"
OPEN, CLOSE, SAMPLE = 10 * 3600.0, 15 * 3600.0, 600.0
ARRIVALS_PER_HOUR = np.array([30.0, 38.0, 48.0, 44.0, 34.0])  # 10:00 ... 14:00
MEAN_SERVICE = 240.0
H = 3600.0
# three desks; on-shift intervals (s); one desk at a time goes to lunch between 12:00 and 13:30
DESKS = [
    Server("Caja 1", (0,), [(10 * H, 12 * H), (12.75 * H, math.inf)]),
    Server("Caja 2", (0,), [(10 * H, 12.75 * H), (13.5 * H, math.inf)]),
    Server("Caja 3", (0,), [(11 * H, 15.5 * H)]),
]


def _hhmm(t: float) -> str:
    s = round(t)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}"


def make_headcounts(seed: int) -> tuple[bytes, bytes, dict]:
    """Simulate the day; return the sheet, the hourly arrival tally and the truth."""
    rng = np.random.default_rng(seed)
    arrival = piecewise_poisson(rng, OPEN, H, ARRIVALS_PER_HOUR)
    n = len(arrival)
    service = lognormal(rng, MEAN_SERVICE, 0.6, n)
    zeros = np.zeros(n, dtype=int)
    res = simulate(arrival, zeros, zeros, np.full(n, np.inf), service, np.ones(n, dtype=bool), DESKS)
    wait = res.called - arrival
    last_end = float(np.nanmax(res.ended))
    samples = np.arange(OPEN, max(16 * H, math.ceil(last_end / SAMPLE) * SAMPLE) + 1, SAMPLE)

    def waiting(t: float) -> int:
        return int(((arrival <= t) & (res.called > t)).sum())

    def desks_open(t: float) -> int:
        return sum(any(a <= t < b for a, b in d.shifts) for d in DESKS)

    sheet = ["hora;personas_esperando;puestos_abiertos"]
    sheet += [f"{_hhmm(t)};{waiting(t)};{desks_open(t)}" for t in samples]
    tally = ["hora;llegadas"]
    truth = []
    for k in range(len(ARRIVALS_PER_HOUR)):
        lo, hi = OPEN + k * H, OPEN + (k + 1) * H
        m = (arrival >= lo) & (arrival < hi)
        tally.append(f"{_hhmm(lo)};{int(m.sum())}")
        # exact time-average number waiting over [lo, hi): integral of the queue length / 1 h
        area = float(np.clip(np.minimum(res.called, hi) - np.maximum(arrival, lo), 0, None).sum())
        truth.append({
            "hour": _hhmm(lo),
            "arrivals": int(m.sum()),
            "true_mean_wait_s": round(float(wait[m].mean()), 1),
            "true_max_wait_s": round(float(wait[m].max()), 1),
            "true_time_avg_waiting": round(area / H, 3),
        })
    crlf = "\r\n"
    return (crlf.join(sheet) + crlf).encode("ascii"), (crlf.join(tally) + crlf).encode("ascii"), {
        "date": DAY,
        "customers": n,
        "true_mean_wait_s_all_day": round(float(wait.mean()), 1),
        "total_wait_s": round(float(wait.sum()), 1),
        "last_service_end": _hhmm(last_end),
        "sample_rows": len(samples),
        "by_hour": truth,
    }
