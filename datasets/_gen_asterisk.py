"""asterisk_queue_log.txt: one morning of an Asterisk ``queue_log`` (two queues, eight agents).

Line format (Asterisk docs, "Queue Logs"): ``epoch|callid|queue|agent|event|data1|data2|...``.
See ``datasets/README.md`` for the events used and the facts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from zoneinfo import ZoneInfo

import numpy as np
from _des import Server, piecewise_poisson, simulate

DAY = dt.date(2025, 3, 26)
TZ = ZoneInfo("America/Argentina/Buenos_Aires")
MIDNIGHT = int(dt.datetime(DAY.year, DAY.month, DAY.day, tzinfo=TZ).timestamp())
OPEN, SLOT = 8 * 3600.0, 1800.0  # calls enter 08:00-13:00
END = 13 * 3600.0
RING_TIMEOUT = 15.0  # queues.conf timeout: seconds a member's phone rings before RINGNOANSWER
# name, calls per half hour 08:00..12:30, mean handle s, mean patience s, queue timeout s, agents
QUEUES = [
    ("soporte", np.array([8, 14, 20, 26, 30, 29, 26, 22, 20, 18]), 330.0, 200.0, 240.0,
     ["PJSIP/201", "PJSIP/202", "PJSIP/203", "PJSIP/204", "PJSIP/205"]),
    ("ventas", np.array([4, 7, 10, 12, 14, 15, 13, 12, 11, 9]), 270.0, 160.0, 180.0,
     ["PJSIP/301", "PJSIP/302", "PJSIP/303"]),
]
TRANSFER_P = 0.06
RING_FAIL_P = 0.05
BREAK = 15 * 60.0


def _agent_shifts(rng: np.random.Generator, k: int) -> list[tuple[float, float]]:
    """Log in 08:00-08:20, one 15-minute break between 09:45 and 11:45, log out at 13:00."""
    login = OPEN + 300.0 * int(rng.integers(0, 5))
    brk = 9.75 * 3600 + 900.0 * ((k * 3 + int(rng.integers(0, 3))) % 9)
    return [(login, brk), (brk + BREAK, END)]


def make_asterisk_log(seed: int) -> tuple[bytes, dict]:
    """Simulate the morning; return the queue_log bytes (LF lines) and its facts."""
    rng = np.random.default_rng(seed)
    events: list[tuple[float, int, str]] = []  # (time s from midnight, tie-break, line without epoch)
    order = 0

    def log(t: float, callid: str, queue: str, agent: str, event: str, *data: object) -> None:
        nonlocal order
        order += 1
        events.append((t, order, "|".join([callid, queue, agent, event, *map(str, data)])))

    def ep(t: float) -> int:
        return MIDNIGHT + math.floor(t)

    log(7 * 3600 + 55 * 60, "NONE", "NONE", "NONE", "QUEUESTART", "")
    counts: Counter[str] = Counter()
    # two callers before anyone logged in: the queue has leavewhenempty=yes
    for k, t in enumerate((7 * 3600 + 57 * 60 + 12.0, 7 * 3600 + 58 * 60 + 40.0)):
        callid = f"{ep(t)}.{1501 + k}"
        log(t, callid, "soporte", "NONE", "ENTERQUEUE", "", f"11{rng.integers(40_000_000, 70_000_000)}", 1)
        log(t + 2, callid, "soporte", "NONE", "EXITEMPTY", 1, 1, 2)
        counts["EXITEMPTY"] += 1
    calls = 2
    ring_failures = 0
    sims = []
    for name, per_slot, aht, pat, timeout, agents in QUEUES:
        servers = [Server(a, (0,), _agent_shifts(rng, k)) for k, a in enumerate(agents)]
        for s in servers:
            (on, brk), (back, _off) = s.shifts
            log(on, "NONE", name, s.name, "ADDMEMBER", "")
            log(brk, "NONE", name, s.name, "PAUSE", "Break")
            log(back, "NONE", name, s.name, "UNPAUSE", "")
        arrival = piecewise_poisson(rng, OPEN, SLOT, per_slot.astype(float))
        n = len(arrival)
        calls += n
        patience = rng.exponential(pat, n)
        timed_out = patience >= timeout
        patience = np.minimum(patience, timeout)
        ring = rng.uniform(2.0, 9.0, n)
        pauses = rng.uniform(20.0, 90.0, n)
        res = simulate(arrival, np.zeros(n, dtype=int), np.zeros(n, dtype=int), patience,
                       rng.gamma(2.0, aht / 2.0, n), np.ones(n, dtype=bool), servers, walk=ring,
                       wrap=rng.uniform(5.0, 25.0, n), ring_fail=rng.random(n) < RING_FAIL_P,
                       ring_timeout=RING_TIMEOUT, autopause=pauses)
        callers = [f"11{x}" for x in rng.integers(40_000_000, 70_000_000, n)]
        disposition = rng.random(n)
        sims.append((name, servers, arrival, timed_out, pauses, res, callers, disposition))
    # channel unique ids grow with creation time: caller channels at entry, member channels at ring start
    created = sorted([(t, 1, q, i) for q, sim in enumerate(sims) for i, t in enumerate(sim[2])]
                     + [(t, 2, q, i) for q, sim in enumerate(sims) for i, t in enumerate(sim[5].called)
                        if sim[5].outcome[i] == "served"])
    uids = {(kind, q, i): f"{ep(t)}.{1503 + k}" for k, (t, kind, q, i) in enumerate(created)}
    for q, (name, servers, arrival, timed_out, pauses, res, callers, disposition) in enumerate(sims):
        n = len(arrival)
        wait_end = np.where(np.isnan(res.started), res.ended, res.started)

        def position(i: int, t: float, arrival=arrival, wait_end=wait_end) -> int:
            return 1 + int(((arrival < arrival[i]) & (wait_end > t)).sum())

        for i in range(n):
            callid = uids[(1, q, i)]
            origpos = position(i, arrival[i])
            log(arrival[i], callid, name, "NONE", "ENTERQUEUE", "", callers[i], origpos)
            if res.outcome[i] == "left":
                event = "EXITWITHTIMEOUT" if timed_out[i] else "ABANDON"
                log(res.ended[i], callid, name, "NONE", event, position(i, res.ended[i]), origpos,
                    ep(res.ended[i]) - ep(arrival[i]))
                counts[event] += 1
                continue
            agent = servers[res.server[i]].name
            hold = ep(res.started[i]) - ep(arrival[i])
            ringtime = ep(res.started[i]) - ep(res.called[i])
            log(res.started[i], callid, name, agent, "CONNECT", hold, uids[(2, q, i)], ringtime)
            calltime = ep(res.ended[i]) - ep(res.started[i])
            if disposition[i] < TRANSFER_P:
                event, data = "TRANSFER", ("2100", "from-internal", hold, calltime, origpos)
            else:
                event = "COMPLETECALLER" if disposition[i] < 0.55 else "COMPLETEAGENT"
                data = (hold, calltime, origpos)
            log(res.ended[i], callid, name, agent, event, *data)
            counts[event] += 1
        for k, i, t in res.ring_failures:  # autopause=yes: the member is paused until they come back
            log(t, uids[(1, q, i)], name, servers[k].name, "RINGNOANSWER", int(RING_TIMEOUT * 1000))
            log(t, "NONE", name, servers[k].name, "PAUSE", "")
            log(t + pauses[i], "NONE", name, servers[k].name, "UNPAUSE", "")
            ring_failures += 1
        for k, s in enumerate(servers):
            done = [res.ended[i] for i in range(n) if res.server[i] == k and res.outcome[i] == "served"]
            log(max([END, *done]) + 5, "NONE", name, s.name, "REMOVEMEMBER", "")
    events.sort()  # by time, then by the order logged
    text = "".join(f"{ep(t)}|{line}\n" for t, _, line in events)
    counts["RINGNOANSWER"] = ring_failures
    return text.encode("ascii"), {
        "date": DAY.isoformat(),
        "timezone": str(TZ),
        "lines": len(events),
        "calls": calls,
        "final_events": dict(sorted(counts.items())),
        "queues": {q[0]: q[5] for q in QUEUES},
    }
