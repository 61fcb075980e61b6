"""Desk groups and open desks of a scenario built from a log (from_log and replay share them)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from waitlab.sim._scenario import DeskGroup, QueueSpec

__all__ = ["ensure_cover", "open_counts", "pool_groups"]

_UNSERVED = "\0unserved"  # the group of contacts no pool desk served (only their waits count)

Groups = dict[str, tuple[tuple[str, ...], list[str]]]


def pool_groups(log: pd.DataFrame, queues: list[str]) -> Groups:
    """Pool name -> (the queues its desks serve, its desks), from :func:`waitlab.analytics.pools`.

    A group (the desks with the same main queues, ``queues`` of :func:`waitlab.analytics.pools`)
    serves its main queues and every queue it gives the most services, so every queue a desk
    served is served by some group.
    """
    from waitlab.analytics import pools

    work = log.drop(columns=["site"], errors="ignore")  # one site already: pools per desk name
    work = work[(work["server"].notna() & work["queue"].notna()).to_numpy(dtype=bool)]
    if work.empty:
        return {}
    desk_pool = pools(work)["queues"]
    # each queue goes to the desk group that gives it the most services (ties: the first by name)
    n = work.assign(_g=work["server"].astype(str).map(desk_pool)).groupby(["queue", "_g"], observed=True).size()
    best = n.reset_index(name="n").sort_values(["queue", "n", "_g"], ascending=[True, False, True])
    by_queue = best.drop_duplicates("queue").set_index("queue")["_g"]
    known = set(queues)
    groups: dict[str, tuple[tuple[str, ...], list[str]]] = {}
    for pool in sorted(set(desk_pool)):
        own = {q for q in str(pool).split("+") if q in known} | {str(pool)} & known
        own |= {str(q) for q, p in by_queue.items() if p == pool and str(q) in known}
        members = [str(s) for s, p in desk_pool.items() if p == pool]
        if own:
            groups[str(pool)] = (tuple(sorted(own)), members)
    return groups


def open_counts(
    day: pd.DataFrame, groups: Groups, kept: set[str], origin: pd.Timestamp, length: float, k: int, *, rule: str = "on_duty"
) -> list[DeskGroup]:
    """Each pool's open desks per interval: its desks on duty that day, rounded to the nearest whole desk
    (at least one where one of its desks called a contact and no group sharing its queues had a desk).

    With ``rule="present"`` (replay) a group's count is its desks with work (call to end)
    overlapping the interval instead. Desks on duty is :func:`waitlab.analytics.interval_stats`' ``desks_on_duty`` (default
    estimator) with each contact in its desk's pool; it is computed on bins aligned on `origin`
    and averaged to `length` (exact: it is a time average). Halves round up.
    """
    if rule == "present":
        return _present(day, groups, kept, origin, length, k)
    from waitlab.analytics import interval_stats

    pool_of = {s: name for name, (_, members) in groups.items() for s in members}
    # every contact stays: the waits of those nobody served tell when the desks were not available
    work = day.assign(pool=day["server"].astype("string").map(pool_of).fillna(_UNSERVED).astype(str))
    midnight = origin.normalize()
    offset = round((origin - midnight).total_seconds())
    fine = math.gcd(round(length), offset % round(length)) or round(length)
    per = round(length) // fine
    duty: dict[str, np.ndarray] = {}
    if (work["pool"] != _UNSERVED).any():
        table = interval_stats(work.drop(columns=["site"], errors="ignore"), interval=float(fine), by="pool")
        rel = ((table["interval_start"] - origin).dt.total_seconds() // fine).to_numpy(dtype=np.int64)
        for name, sub in table.assign(_bin=rel).groupby("pool"):
            values = np.zeros(k * per)
            sub = sub[(sub["_bin"] >= 0) & (sub["_bin"] < k * per)]
            values[sub["_bin"].to_numpy(dtype=np.int64)] = sub["desks_on_duty"].fillna(0).to_numpy(dtype=float)
            duty[str(name)] = values.reshape(k, per).mean(axis=1)
    counts = _round_together(groups, {n: duty.get(n, np.zeros(k)) for n in groups}, k)
    counts = _at_least_one_at_work(day, groups, counts, origin, length, k)
    out: list[DeskGroup] = []
    for name, (qs, _) in groups.items():
        serves = tuple(q for q in qs if q in kept)
        if not serves:
            continue
        out.append(DeskGroup(name=name, serves=serves, open=counts[name]))
    # no empty groups: drop a pool with no desk on duty all day when other groups serve its queues
    covered = {q for g in out if any(g.open) for q in g.serves}
    return [g for g in out if any(g.open) or not set(g.serves) <= covered]


def _at_least_one_at_work(day: pd.DataFrame, groups: Groups, counts: dict[str, tuple[int, ...]],
                          origin: pd.Timestamp, length: float, k: int) -> dict[str, tuple[int, ...]]:
    """At least one desk open in each interval in which one of the group's desks called a contact.

    A sparse queue's desks are idle longer than the break threshold between calls, so their time
    average in an interval can round to 0 although the log shows a desk at work in it (the
    customer it called was there, and so was the desk).
    """
    called = day["called_at"] if "called_at" in day.columns else day["started_at"]
    at = ((called - origin).dt.total_seconds() // length).to_numpy(dtype=float, na_value=np.nan)
    server = day["server"].astype("string").to_numpy(dtype=object, na_value=None)
    out = dict(counts)
    for name, (_, members) in groups.items():
        mine = np.isin(server, members) & np.isfinite(at)
        bins = at[mine].astype(np.int64)
        bins = bins[(bins >= 0) & (bins < k)]
        if not len(bins):
            continue
        work = np.zeros(k, dtype=bool)
        work[bins] = True
        # only where no group serving any of its queues has a desk open: elsewhere rounding shares
        # the set's desks, and the customers had a desk
        shared = [n for n, (qs, _) in groups.items() if set(qs) & set(groups[name][0])]
        others = np.sum([np.asarray(out[n]) for n in shared], axis=0)
        out[name] = tuple(max(c, 1) if w and o == 0 else c for c, w, o in zip(out[name], work, others, strict=True))
    return out


def _round_together(groups: Groups, duty: dict[str, np.ndarray], k: int) -> dict[str, tuple[int, ...]]:
    """Whole desks per group and interval: groups that share a queue are rounded together.

    Per interval, the groups of one connected set (groups serving a common queue) get the
    set's total desks on duty rounded to the nearest whole desk (halves up), shared by the
    largest-remainder rule (ties: the first group by name), so rounding errors do not add up
    across groups that serve the same customers.
    """
    names = sorted(groups)
    parent = {n: n for n in names}

    def find(n: str) -> str:
        while parent[n] != n:
            n = parent[n]
        return n

    seen: dict[str, str] = {}
    for n in names:
        for q in groups[n][0]:
            parent[find(n)] = find(seen.setdefault(q, n))
    out: dict[str, tuple[int, ...]] = {}
    for root in sorted({find(n) for n in names}):
        members = [n for n in names if find(n) == root]
        x = np.vstack([np.asarray(duty[n], dtype=float) for n in members])  # groups x intervals
        base = np.floor(x)
        total = np.floor(x.sum(axis=0) + 0.5)
        extra = (total - base.sum(axis=0)).astype(np.int64)  # desks left to hand out, per interval
        rank = np.argsort(np.argsort(-(x - base), axis=0, kind="stable"), axis=0, kind="stable")
        whole = base + (rank < extra[None, :])
        for i, n in enumerate(members):
            out[n] = tuple(int(c) for c in whole[i])
    return out


def ensure_cover(queues: list[QueueSpec], desks: list[DeskGroup], length: float, notes: list[str]) -> None:
    """Open one desk where a queue with arrivals would otherwise never be served (the validator's rule)."""
    for q in queues:
        mine = [i for i, g in enumerate(desks) if q.name in g.serves]
        if any(c > 0 for i in mine for c in desks[i].open):
            continue
        if q.arrival_times is not None:
            busy = np.zeros(len(desks[mine[0]].open), dtype=bool)
            busy[(np.asarray(q.arrival_times) // length).astype(np.int64)] = True
        else:
            busy = np.asarray(q.rates_per_hour) > 0
        if not busy.any():
            continue
        g = desks[mine[0]]
        desks[mine[0]] = DeskGroup(
            name=g.name,
            serves=g.serves,
            open=tuple(max(c, 1) if b else c for c, b in zip(g.open, busy, strict=True)),
        )
        notes.append(
            f"desks {g.name!r}: no desk of queue {q.name!r} worked that day; 1 desk opened in each "
            "interval with arrivals so the scenario can serve it."
        )


def _present(day: pd.DataFrame, groups: Groups, kept: set[str], origin: pd.Timestamp, length: float, k: int) -> list[DeskGroup]:
    work = day[(day["server"].notna() & day["called_at"].notna()).to_numpy(dtype=bool)]
    lo = (work["called_at"] - origin).dt.total_seconds().to_numpy(dtype=float)
    end = (work["ended_at"].fillna(work["called_at"]) - origin).dt.total_seconds().to_numpy(dtype=float)
    server = work["server"].astype(str).to_numpy(dtype=object)
    out = []
    for name, (qs, members) in groups.items():
        serves = tuple(q for q in qs if q in kept)
        if not serves:
            continue
        mine = np.isin(server, members)
        counts = []
        for i in range(k):
            a, b = i * length, (i + 1) * length
            hit = mine & (lo < b) & ((end > a) | (lo >= a))  # work overlapping [a, b), or a call inside it
            counts.append(len(set(server[hit])))
        out.append(DeskGroup(name=name, serves=serves, open=tuple(counts)))
    return out
