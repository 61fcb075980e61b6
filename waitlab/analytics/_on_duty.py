"""Mechanics of :func:`waitlab.analytics.kpis.desks_on_duty`: options, spans per contact, the note.

The definition (both estimators, with formulas) is in :mod:`waitlab.analytics.kpis`; this module
reads the options, finds each desk's services in a contacts table and returns its on-duty spans
in absolute nanoseconds, each tagged with the contact whose group it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from waitlab._clock import parse_width
from waitlab.analytics import kpis
from waitlab.analytics._prepare import NS, interval_ns, to_ns
from waitlab.exceptions import ArgumentError

ESTIMATORS = ("available", "gaps", "presence", "log")
SESSION_COLUMNS = ("agent", "queue", "start", "end", "paused")


@dataclass(frozen=True, slots=True)
class OnDuty:
    """The checked options of the desks-on-duty estimator."""

    estimator: str = kpis.ON_DUTY_DEFAULT
    gap_ns: int = round(kpis.ON_DUTY_GAP * NS)
    bin_ns: int = 300 * NS
    sessions: pd.DataFrame | None = field(default=None, compare=False)
    fallback: str = ""  # why on_duty="log" fell back to "gaps"

    def note(self) -> str:
        """One sentence stating the estimator in use and the default."""
        gap, width = self.gap_ns / NS / 60, self.bin_ns / NS / 60
        default = f"the default is on_duty='available' (idle gaps shorter than {kpis.ON_DUTY_GAP / 60:g} min bridged, except while contacts of the desk's main queues waited)"
        if self.estimator == "log":
            return (
                "desks_on_duty: estimator 'log', measured from the log's member events (ADDMEMBER/REMOVEMEMBER, "
                "AGENTLOGIN/AGENTLOGOFF, PAUSE/UNPAUSE): the time-average number of agents logged in and not "
                f"paused; {default}."
            )
        if self.fallback:
            return (
                f"desks_on_duty: on_duty='log' was asked but {self.fallback}, so the default estimator 'available' "
                f"is used: a desk counts as on duty from the start of a service through idle gaps shorter than "
                f"{gap:g} min to its next service, except while contacts of its main queues were waiting."
            )
        if self.estimator == "available":
            which = "the default" if self.gap_ns == round(kpis.ON_DUTY_GAP * NS) else f"the default gap is {kpis.ON_DUTY_GAP / 60:g} min"
            return (
                f"desks_on_duty: estimator 'available' ({which}): a desk counts as on duty from the start of a "
                f"service through idle gaps shorter than {gap:g} min to its next service (on_duty_gap), except "
                "while contacts of its main queues were waiting (an idle desk on duty would have taken them)."
            )
        if self.estimator == "gaps":
            return (
                f"desks_on_duty: estimator 'gaps': a desk counts as on duty from the start of a service through "
                f"idle gaps shorter than {gap:g} min to its next service (on_duty_gap), contacts waiting or not; "
                f"{default}."
            )
        return (
            f"desks_on_duty: estimator 'presence': a desk counts as on duty for each {width:g}-min bin "
            f"(on_duty_bin) in which it served; {default}."
        )


def on_duty_options(
    on_duty: str, on_duty_gap: str | pd.Timedelta | float, on_duty_bin: str | pd.Timedelta | float,
    sessions: pd.DataFrame | None = None,
) -> OnDuty:  # fmt: skip
    """Check the options; ArgumentError naming the one that is wrong."""
    if on_duty not in ESTIMATORS:
        raise ArgumentError(f"`on_duty` must be one of {list(ESTIMATORS)}, got {on_duty!r}.")
    gap = parse_width(on_duty_gap, "on_duty_gap")
    opt = OnDuty(on_duty, round(gap * NS), interval_ns(on_duty_bin, "on_duty_bin"))
    if sessions is not None and on_duty != "log":
        raise ArgumentError(f"`sessions` is only read with on_duty='log' (got on_duty={on_duty!r}); pass "
                            "on_duty='log' to measure desks on duty from them, or drop `sessions`.")  # fmt: skip
    if on_duty != "log":
        return opt
    if sessions is None:
        return OnDuty(kpis.ON_DUTY_DEFAULT, opt.gap_ns, opt.bin_ns, fallback="no `sessions` table was given (pass "
                      "report.agent_sessions of an Asterisk queue_log)")  # fmt: skip
    if not isinstance(sessions, pd.DataFrame) or not set(SESSION_COLUMNS) <= set(sessions.columns):
        raise ArgumentError(f"`sessions` must be a table with columns {list(SESSION_COLUMNS)} (the "
                            "report.agent_sessions of an Asterisk queue_log); got another object.")  # fmt: skip
    for col in ("start", "end"):
        if not isinstance(sessions[col].dtype, pd.DatetimeTZDtype):
            raise ArgumentError(f"`sessions` column `{col}` must hold timezone-aware times (as in "
                                "report.agent_sessions); localize it with .dt.tz_localize(...).")  # fmt: skip
    if sessions.empty:
        return OnDuty(kpis.ON_DUTY_DEFAULT, opt.gap_ns, opt.bin_ns, fallback="the log records no member events (no "
                      "ADDMEMBER, AGENTLOGIN, PAUSE, ... lines: `sessions` is empty)")  # fmt: skip
    return OnDuty("log", opt.gap_ns, opt.bin_ns, sessions=sessions)


def log_spans(
    frame: pd.DataFrame, codes: np.ndarray, n_groups: int, sessions: pd.DataFrame, notes: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """On-duty spans ``(group, lo, hi)`` in absolute ns of the ``"log"`` estimator.

    A session stretch that is not paused counts for the groups of the contacts of its queue
    (of every queue when it names none); when those are several groups, for the ones among
    them whose contacts the agent served. Per agent and group the stretches are merged, so an
    agent logged in to two queues of one group counts once.
    """
    live = sessions[~sessions["paused"].astype(bool)]
    lo_all, lo_ok = to_ns(live["start"])
    hi_all, hi_ok = to_ns(live["end"])
    queue = frame["queue"].astype("string") if "queue" in frame.columns else pd.Series(pd.NA, index=frame.index)
    server = frame["server"].astype("string") if "server" in frame.columns else pd.Series(pd.NA, index=frame.index)
    by_queue = pd.Series(codes).groupby(queue.to_numpy(), dropna=True).unique()
    every = np.unique(codes)
    agents, groups, los, his = [], [], [], []
    lost = 0
    for i, (a, q) in enumerate(zip(live["agent"].astype("string"), live["queue"].astype("string"), strict=True)):
        if not (lo_ok[i] and hi_ok[i]):
            continue
        cand = every if pd.isna(q) else by_queue.get(q, np.zeros(0, np.int64))
        if n_groups == 1:
            cand = np.zeros(1, np.int64)
        elif len(cand) > 1:
            cand = np.intersect1d(cand, codes[(server == a).fillna(False).to_numpy(dtype=bool)])
        if not len(cand):
            lost += 1
        for g in cand:
            agents.append(a)
            groups.append(int(g))
            los.append(int(lo_all[i]))
            his.append(int(hi_all[i]))
    if lost:
        notes.append(f"desks_on_duty: {lost:,} agent session stretch(es) could not be placed in a group (a queue "
                     "without contacts, or an agent who served none of the groups) and were left out.")  # fmt: skip
    if not groups:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    s = pd.DataFrame({"a": agents, "g": groups, "lo": los, "hi": his}).sort_values(["a", "g", "lo"])
    key = s["a"].astype(str) + "\0" + s["g"].astype(str)
    run_hi = s.groupby(key.to_numpy(), sort=False)["hi"].cummax().shift()  # latest end before each stretch
    new = (key != key.shift()) | (s["lo"] > run_hi.where(key == key.shift()))
    block = new.cumsum().to_numpy()
    m = s.groupby(block).agg(g=("g", "first"), lo=("lo", "min"), hi=("hi", "max"))
    return m["g"].to_numpy(np.int64), m["lo"].to_numpy(np.int64), m["hi"].to_numpy(np.int64)


def on_duty_spans(
    frame: pd.DataFrame, codes: np.ndarray, opt: OnDuty, *, per_group: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """On-duty spans ``(row, lo, hi)`` in absolute ns; `row` is the contact whose group gets the span.

    A desk is ``server`` within its ``site`` and, in stacked simulated days, its
    ``replication`` (when the frame has those columns), and within its group when `per_group`
    (each group measured as if alone, as :func:`summary_by` promises); only services with a
    named server and ``started_at <= ended_at`` count. With ``"available"`` a desk is engaged
    from ``called_at`` (a kiosk desk waits for the called customer to walk up, or gives up on
    a no-show), so its spans start there when the call time is known; a no-show whose end the
    log does not record keeps its desk engaged until the desk's next call (within the break
    threshold): the desk was waiting for the absent customer, not idle.
    """
    s_ns, s_ok = to_ns(frame["started_at"])
    e_ns, e_ok = to_ns(frame["ended_at"])
    held = np.zeros(len(frame), dtype=bool)
    if opt.estimator == "available" and "called_at" in frame.columns:
        c_ns, c_ok = to_ns(frame["called_at"])
        use = c_ok & (~s_ok | (c_ns <= s_ns))
        s_ns, s_ok = np.where(use, c_ns, s_ns), s_ok | use
        if "outcome" in frame.columns:
            held = use & ~e_ok & frame["outcome"].astype("string").eq("no_show").fillna(False).to_numpy(dtype=bool)
            e_ns, e_ok = np.where(held, s_ns, e_ns), e_ok | held
    server = frame["server"]
    ok = s_ok & e_ok & (e_ns >= s_ns) & server.notna().to_numpy(dtype=bool)
    idx = np.flatnonzero(ok)
    if not len(idx):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    keys = [server.to_numpy(dtype=object)[idx]]
    for col in ("site", "replication"):
        if col in frame.columns:
            keys.append(frame[col].astype("string").fillna("").to_numpy(dtype=object)[idx])
    if per_group:
        keys.append(codes[idx])
    desk = factorize_rows(keys)
    start, end = s_ns[idx], e_ns[idx]
    if opt.estimator == "gaps":
        row, lo, hi = kpis.on_duty_spans_gaps(desk, start, end, opt.gap_ns)
        return idx[row], lo, hi
    if opt.estimator == "available":
        row, lo, hi, idle = kpis.on_duty_spans_gaps(desk, start, end, opt.gap_ns, idle=True)
        idle = np.where(held[idx[row]], hi, idle)  # a no-show without an end: engaged to the next call
        return _available(frame, idx, row, lo, hi, idle)
    first = pd.Timestamp(int(start.min()), tz="UTC").tz_convert(frame["started_at"].dt.tz)
    origin = int(first.normalize().as_unit("ns").value)  # local midnight before the first service
    row, lo, hi = kpis.on_duty_spans_presence(desk, codes[idx], start - origin, end - origin, opt.bin_ns)
    return idx[row], lo + origin, hi + origin


def _context(frame: pd.DataFrame) -> np.ndarray:
    """Per contact, the code of its site and replication (the waiting room a desk shares)."""
    keys = [frame[col].astype("string").fillna("").to_numpy(dtype=object)
            for col in ("site", "replication") if col in frame.columns]
    if not keys:
        return np.zeros(len(frame), dtype=np.int64)
    return factorize_rows(keys)


def factorize_rows(keys: list[np.ndarray]) -> np.ndarray:
    """Codes of the rows' key tuples, numbered in order of first appearance (as a MultiIndex factorizes them).

    Each key is factorized alone and the codes are combined column by column, so no tuple is built
    (``MultiIndex.factorize`` makes one Python tuple per row). The keys hold no missing values.
    """
    code = np.zeros(len(keys[0]), dtype=np.int64)
    for key in keys:
        part, uniques = pd.factorize(key)
        code = pd.factorize(code * len(uniques) + part)[0].astype(np.int64)
    return code


def _desk_queues(frame: pd.DataFrame) -> np.ndarray:
    """Per contact, the main queues of the desk that served it ("A+B"; "" without a queue or desk)."""
    from waitlab.analytics._pools import pools

    if "queue" not in frame.columns or not frame["server"].notna().any() or not frame["queue"].notna().any():
        return np.full(len(frame), "", dtype=object)
    work = frame.drop(columns=["pool"], errors="ignore")
    table = pools(work)["queues"]
    keys = ["site", "server"] if table.index.nlevels == 2 else ["server"]
    look = pd.MultiIndex.from_frame(work[keys].astype("string").astype(object)) if len(keys) == 2 \
        else pd.Index(work["server"].astype("string").astype(object))
    out = table.reindex(look).to_numpy(dtype=object)
    return np.where(pd.isna(out), "", out)


def _available(
    frame: pd.DataFrame, idx: np.ndarray, row: np.ndarray, lo: np.ndarray, hi: np.ndarray, idle: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``"available"`` spans: each gaps span minus the times contacts the desk would take were waiting.

    The contacts a desk would take are those of its main queues (``queues`` of :func:`pools`:
    the queues that make at least 10 % of its services; all queues when the table has none)
    in its site and replication; its idle time ``[idle, hi)`` loses the union of their waits
    ``[arrived_at, arrived_at + wait)``, its busy part ``[lo, idle)`` stays whole.
    """
    from waitlab.analytics._prepare import waits_and_services

    ctx = _context(frame)
    takes = _desk_queues(frame)
    queue = frame["queue"].astype("string").fillna("").to_numpy(dtype=object) if "queue" in frame.columns \
        else np.full(len(frame), "", dtype=object)
    wait, _ = waits_and_services(frame)
    a_ns, a_ok = to_ns(frame["arrived_at"])
    w_ok = a_ok & np.isfinite(wait) & (wait > 0)
    w_lo = a_ns[w_ok]
    w_hi = w_lo + np.round(wait[w_ok] * NS).astype(np.int64)
    w_ctx, w_queue = ctx[w_ok], queue[w_ok]
    rows, los, his = [idx[row]], [lo], [idle]  # the busy parts
    gap = np.flatnonzero(hi > idle)
    g_row = idx[row[gap]]
    codes = factorize_rows([ctx[g_row], takes[g_row]]) if len(g_row) else np.zeros(0, dtype=np.int64)
    _, first = np.unique(codes, return_index=True)
    for k, at in enumerate(first):
        c, qs = ctx[g_row[at]], takes[g_row[at]]
        mine = gap[codes == k]
        sel = w_ctx == c
        if qs:
            sel &= np.isin(w_queue, str(qs).split("+"))
        u_lo, u_hi = union_spans(w_lo[sel], w_hi[sel])
        part, p_lo, p_hi = subtract_spans(idle[mine], hi[mine], u_lo, u_hi)
        rows.append(idx[row[mine[part]]])
        los.append(p_lo)
        his.append(p_hi)
    return np.concatenate(rows), np.concatenate(los), np.concatenate(his)


def union_spans(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The union of half-open spans ``[lo, hi)`` as sorted disjoint spans (empty spans dropped)."""
    keep = hi > lo
    lo, hi = lo[keep], hi[keep]
    if not len(lo):
        return lo, hi
    order = np.argsort(lo, kind="stable")
    lo, hi = lo[order], hi[order]
    reach = np.maximum.accumulate(hi)
    new = np.r_[True, lo[1:] > reach[:-1]]
    return lo[new], np.maximum.reduceat(hi, np.flatnonzero(new))


def subtract_spans(
    lo: np.ndarray, hi: np.ndarray, u_lo: np.ndarray, u_hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The parts of each span ``[lo, hi)`` outside the sorted disjoint spans ``[u_lo, u_hi)``.

    Returns ``(row, lo, hi)``: the non-empty pieces, each with the index of its span.
    """
    first = np.searchsorted(u_hi, lo, side="right")  # first union span ending after lo
    last = np.maximum(np.searchsorted(u_lo, hi, side="left"), first)  # union spans starting before hi
    k = last - first  # union spans overlapping each span: k + 1 candidate pieces
    row = np.repeat(np.arange(len(lo), dtype=np.int64), k + 1)
    j = np.arange(len(row), dtype=np.int64) - np.repeat(np.cumsum(k + 1) - (k + 1), k + 1)
    u = first[row] + j  # the union span that ends each piece (when j < k)
    p_lo = np.where(j == 0, lo[row], u_hi[np.clip(u - 1, 0, max(len(u_hi) - 1, 0))] if len(u_hi) else lo[row])
    p_hi = np.where(j == k[row], hi[row], u_lo[np.clip(u, 0, max(len(u_lo) - 1, 0))] if len(u_lo) else hi[row])
    p_lo = np.maximum(p_lo, lo[row])
    p_hi = np.minimum(p_hi, hi[row])
    keep = p_hi > p_lo
    return row[keep], p_lo[keep], p_hi[keep]
