"""Judge a contacts table against a rule set: breaches, shares, turn order, notes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from waitlab.compliance._result import BREACH_COLUMNS, ComplianceResult
from waitlab.compliance._rules import RuleSet, load_rules
from waitlab.compliance._standing import Seats, _sweep
from waitlab.compliance._turn_order import turn_order_violations
from waitlab.exceptions import ArgumentError
from waitlab.schema import validate_contacts, wait_seconds

__all__ = ["breaches_by_day", "check_compliance"]

_DIMS = ("day", "site", "queue", "hour")


def check_compliance(
    contacts: pd.DataFrame,
    rules: str | Path | RuleSet = "CABA",
    seats: Seats = None,
    *,
    no_shows: Literal["count", "exclude"] = "count",
    by: str | Sequence[str] | None = None,
) -> ComplianceResult:
    """Check a contacts table against wait-limit rules.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table following :mod:`waitlab.schema` (from a reader or the simulator).
    rules : str, Path or RuleSet
        A shipped rule set name (``"CABA"``, ``"limit15"``, ``"standing45_seated60"``;
        case-insensitive), the path of a TOML rule file, or a :class:`RuleSet`.
    seats : int, mapping of site to int, or None
        Seats in each site's waiting room, see :func:`standing_times`. None (unknown) makes
        every second of waiting count as standing, and the notes say so.
    no_shows : {"count", "exclude"}
        ``"count"`` (default, conservative): a no-show is taken to have waited until called,
        so one called after a limit breaches it (flagged ``upper_bound``). ``"exclude"``:
        no-shows are not judged (they still occupy the room in the seat sweep).
    by : str or list of str, optional
        Extra grouping column(s) of `contacts`, e.g. ``"replication"`` for simulated days that
        share a site and a date: each group is judged on its own (its own waiting room in the
        seat sweep, its own turn order, its own rows of ``daily``). The columns are added to
        ``breaches``, ``left_after_limit`` and ``turn_order``, lead the ``daily`` table, and are
        dimensions of ``summary`` too.

    Returns
    -------
    ComplianceResult
        Breaches with their excess (seconds), counts and shares by day, site, queue and
        hour, a per-day table, turn-order violations, standing and seated seconds, the
        no-shows and abandonments that breached, and the notes.

    Raises
    ------
    SchemaError
        If `contacts` breaks the contacts schema (the message names the rule and a row).
    RuleError
        If the rule set cannot be found or is invalid.
    ValueError
        If `seats`, `no_shows` or `by` is invalid.

    Notes
    -----
    The wait is measured from ``arrived_at`` to ``called_at`` (to ``ended_at`` for
    abandonments), as :func:`waitlab.schema.wait_seconds` defines it. A limit is breached
    when the measured time is strictly longer than the limit; ``excess_s = observed_s -
    limit_s``. Abandonments are judged on the time they actually waited: one who left
    after the limit is a breach. Standing and seated limits apply to kiosk (in-branch)
    contacts only. Day and hour are those of ``arrived_at`` in the table's timezone.

    Examples
    --------
    >>> from waitlab.schema import coerce_contacts
    >>> df = coerce_contacts(pd.DataFrame({
    ...     "contact_id": ["a"], "site": "s", "queue": "q", "channel": "kiosk", "outcome": "served",
    ...     "arrived_at": ["2024-03-04 10:00"], "called_at": ["2024-03-04 10:40"],
    ...     "started_at": ["2024-03-04 10:40"], "ended_at": ["2024-03-04 10:45"]}), tz="UTC")
    >>> r = check_compliance(df, "CABA", seats=None)
    >>> r.breaches[["contact_id", "rule", "excess_s"]].to_dict("records")
    [{'contact_id': 'a', 'rule': 'standing_30', 'excess_s': 600.0}]
    """
    if no_shows not in ("count", "exclude"):
        raise ArgumentError(f"`no_shows` must be 'count' or 'exclude', got {no_shows!r}.")
    ruleset = load_rules(rules)
    validate_contacts(contacts)
    groups = _by_columns(contacts, by)
    contacts = contacts.reset_index(drop=True)
    sweep, notes = _sweep(contacts, seats, by=groups)
    if all(lim.kind == "total" for lim in ruleset.limits):
        notes = [
            f"Rule set {ruleset.name} has no standing or seated limit, so the seat count does not matter."
        ]
    tz = contacts["arrived_at"].dt.tz
    notes = [f"Times are local to {tz}; day and hour are those of arrived_at."] + notes
    notes.append(
        "Wait is measured from arrived_at to called_at (to ended_at for abandonments); a limit is "
        "breached when the time is strictly longer than the limit."
    )
    if groups:
        notes.append(f"Each group of {', '.join(groups)} is judged on its own: its own waiting room, "
                     "turn order and days.")

    outcome = contacts["outcome"].astype("string")
    is_no_show = (outcome == "no_show").fillna(False).to_numpy(dtype=bool)
    judged = np.ones(len(contacts), dtype=bool)
    if no_shows == "exclude":
        judged &= ~is_no_show
        if is_no_show.any():
            notes.append(f"{int(is_no_show.sum())} no-show(s) are not judged (no_shows='exclude').")
    elif is_no_show.any():
        notes.append(
            f"{int(is_no_show.sum())} no-show(s) are judged as if they waited until called (conservative); "
            "their breaches are flagged upper_bound=True because they may have left earlier."
        )
    if (outcome == "abandoned").any():
        notes.append(
            "Abandonments are judged on the time they waited before leaving: one who left after a "
            "limit had passed is a breach, listed also in left_after_limit."
        )

    observed = _observed(contacts, sweep)
    if any(lim.kind != "total" for lim in ruleset.limits) and (contacts["channel"] != "kiosk").any():
        notes.append("Standing and seated limits are checked on kiosk (in-branch) contacts only.")

    local = contacts["arrived_at"]
    base = pd.DataFrame(
        {
            "contact_id": contacts["contact_id"],
            "outcome": outcome,
            "site": contacts["site"],
            "queue": contacts["queue"],
            "day": local.dt.date,
            "hour": local.dt.hour.astype(np.int64),
            "upper_bound": is_no_show,
            "channel": contacts["channel"],
            "ticket": contacts["ticket"],
            "priority": contacts["priority"],
            "arrived_at": contacts["arrived_at"],
            "called_at": contacts["called_at"],
            **{c: contacts[c] for c in groups},
        }
    )
    flags = pd.DataFrame(index=contacts.index)
    pieces = []
    hits = _hits(ruleset, observed, judged)
    for order, lim in enumerate(ruleset.limits):
        obs, hit = observed[lim.kind], hits[lim.id]
        flags[lim.id] = hit
        part = base[hit].copy()
        part["rule"] = lim.id
        part["kind"] = lim.kind
        part["limit_s"] = lim.seconds
        part["observed_s"] = obs[hit]
        part["excess_s"] = obs[hit] - lim.seconds
        part["_order"] = order
        pieces.append(part)
    breaches = _breach_frame(pieces, base, groups)
    left = breaches[breaches["outcome"].isin(["abandoned", "no_show"])].reset_index(drop=True)

    if ruleset.checks_turn_order:
        assert ruleset.turn_order is not None
        turn = turn_order_violations(contacts, tolerance_s=ruleset.turn_order.tolerance_seconds, by=groups)
        kiosk_called = ((contacts["channel"] == "kiosk") & contacts["called_at"].notna()).sum()
        if kiosk_called == 0:
            notes.append("Turn order was not checked: there are no called kiosk tickets.")
        else:
            tol = ruleset.turn_order.tolerance_seconds
            notes.append(
                "Turn order compares kiosk tickets of the same site, day, queue and priority by issue "
                "time (arrived_at) and call time (called_at)"
                + (f", with a tolerance of {tol:g} s." if tol else ".")
            )
    else:
        turn = turn_order_violations(contacts.iloc[0:0], by=groups)
        notes.append(f"Rule set {ruleset.name} does not require turn order; it was not checked.")

    any_hit = flags.any(axis=1).to_numpy() if len(flags.columns) else np.zeros(len(contacts), dtype=bool)
    summary = _summary(base, flags, any_hit, ruleset, (*_DIMS, *groups))
    daily = _daily(base, flags, any_hit, turn, ruleset, groups)
    ids = pd.Index(contacts["contact_id"], name="contact_id")
    return ComplianceResult(
        rules=ruleset,
        breaches=breaches,
        left_after_limit=left,
        summary=summary,
        daily=daily,
        turn_order=turn,
        standing_seconds=pd.Series(observed["standing"], index=ids, name="standing_s"),
        seated_seconds=pd.Series(observed["seated"], index=ids, name="seated_s"),
        notes=tuple(notes),
        seats=seats,
    )


def _observed(contacts: pd.DataFrame, sweep: pd.DataFrame) -> dict[str, np.ndarray]:
    """Seconds judged by each kind of limit: the whole wait, standing and seated (from the seat sweep)."""
    return {
        "total": wait_seconds(contacts).to_numpy(dtype=float),
        "standing": sweep["standing_s"].to_numpy(dtype=float),
        "seated": sweep["seated_s"].to_numpy(dtype=float),
    }


def _hits(ruleset: RuleSet, observed: dict[str, np.ndarray], judged: np.ndarray) -> dict[str, np.ndarray]:
    """Per limit id, which contacts breached it: judged and strictly over the limit (an unknown time never is)."""
    return {lim.id: judged & (np.nan_to_num(observed[lim.kind], nan=-np.inf) > lim.seconds) for lim in ruleset.limits}


def breaches_by_day(contacts: pd.DataFrame, rules: str | Path | RuleSet = "CABA", seats: Seats = None) -> pd.DataFrame:
    """Per local day of ``arrived_at``: breaching contacts, breaches per limit and turn-order violations.

    The numbers of ``check_compliance(contacts, rules, seats)`` (its ``summary`` rows by day and
    its ``daily`` turn-order column; no-shows counted) without the breach list, the other
    summaries or the notes: the network analysis needs only these, once per site and month.

    Returns
    -------
    DataFrame
        Indexed by ``day`` (``datetime.date``, sorted): ``contacts``, ``breaching`` (over at least
        one limit), ``breaching_<limit id>`` per limit and ``turn_order_violations`` (0 when the
        rule set does not check turn order).
    """
    ruleset = load_rules(rules)
    validate_contacts(contacts)
    contacts = contacts.reset_index(drop=True)
    sweep, _ = _sweep(contacts, seats)
    hits = _hits(ruleset, _observed(contacts, sweep), np.ones(len(contacts), dtype=bool))
    any_hit = np.zeros(len(contacts), dtype=bool)
    for hit in hits.values():
        any_hit |= hit
    data = pd.DataFrame({"day": contacts["arrived_at"].dt.date, "breaching": any_hit.astype(np.int64)})
    for lim in ruleset.limits:
        data[f"breaching_{lim.id}"] = hits[lim.id].astype(np.int64)
    g = data.groupby("day", sort=True)
    out = g.sum()
    out.insert(0, "contacts", g.size())
    turn = pd.Series(0, index=out.index, dtype=np.int64)
    if ruleset.checks_turn_order:
        assert ruleset.turn_order is not None
        found = turn_order_violations(contacts, tolerance_s=ruleset.turn_order.tolerance_seconds)
        if len(found):
            turn = found.groupby("day").size().reindex(out.index, fill_value=0).astype(np.int64)
    out["turn_order_violations"] = turn
    return out


def _by_columns(contacts: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    """The grouping columns named by `by`, checked against the table."""
    names = [] if by is None else [by] if isinstance(by, str) else list(by)
    for name in names:
        if not isinstance(name, str) or name not in contacts.columns:
            raise ArgumentError(f"`by` names column {name!r}, which `contacts` does not have; "
                             "add the column or leave it out of `by`.")
        if name in (*_DIMS, *BREACH_COLUMNS):
            raise ArgumentError(f"`by` names column {name!r}, which the check already uses; leave it out of `by`.")
    return list(dict.fromkeys(names))


def _breach_frame(pieces: list[pd.DataFrame], base: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Concatenate the per-limit breach rows, ordered by arrival then rule."""
    nonempty = [p for p in pieces if len(p)]
    if not nonempty:
        empty = base.iloc[0:0].copy()
        empty["rule"] = pd.Series([], dtype="string")
        empty["kind"] = pd.Series([], dtype="string")
        for c in ("limit_s", "observed_s", "excess_s"):
            empty[c] = pd.Series([], dtype=float)
        return empty[BREACH_COLUMNS + groups].reset_index(drop=True)
    out = pd.concat(nonempty)
    out = out.sort_values(["arrived_at", "contact_id", "_order"], kind="stable")
    out["rule"] = out["rule"].astype("string")
    out["kind"] = out["kind"].astype("string")
    return out[BREACH_COLUMNS + groups].reset_index(drop=True)


def _summary(base: pd.DataFrame, flags: pd.DataFrame, any_hit: np.ndarray, ruleset: RuleSet,
             dims: tuple[str, ...] = _DIMS) -> pd.DataFrame:
    """Counts and shares of breaching contacts by day, site, queue, hour and `by` (long format)."""
    data = base[list(dims)].copy()
    data["breaching"] = any_hit.astype(np.int64)
    rule_cols = []
    for lim in ruleset.limits:
        col = f"breaching_{lim.id}"
        data[col] = flags[lim.id].astype(np.int64)
        rule_cols.append(col)
    frames = []
    for dim in dims:
        g = data.groupby(dim, dropna=False, sort=True)
        part = g[["breaching", *rule_cols]].sum()
        part.insert(0, "contacts", g.size())
        part = part.reset_index()
        part.insert(0, "by", dim)
        part = part.rename(columns={dim: "group"})
        part["group"] = part["group"].astype(str).where(part["group"].notna(), "<NA>")
        frames.append(part)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if out.empty:
        out = pd.DataFrame({"by": [], "group": [], "contacts": [], "breaching": []})
        for col in rule_cols:
            out[col] = []
    out["share"] = (out["breaching"] / out["contacts"]).astype(float)
    for lim in ruleset.limits:
        out[f"share_{lim.id}"] = (out[f"breaching_{lim.id}"] / out["contacts"]).astype(float)
    cols = ["by", "group", "contacts", "breaching", "share"]
    for lim in ruleset.limits:
        cols += [f"breaching_{lim.id}", f"share_{lim.id}"]
    out["by"] = out["by"].astype("string")
    out["group"] = out["group"].astype("string")
    return out[cols]


def _daily(
    base: pd.DataFrame, flags: pd.DataFrame, any_hit: np.ndarray, turn: pd.DataFrame, ruleset: RuleSet,
    groups: list[str] | None = None,
) -> pd.DataFrame:
    """One row per day (of each `groups` value): counts, share and a breach flag per rule."""
    keys = [*(groups or []), "day"]
    data = pd.DataFrame({k: base[k] for k in keys}).assign(breaching=any_hit.astype(np.int64))
    for lim in ruleset.limits:
        data[f"breached_{lim.id}"] = flags[lim.id].to_numpy(dtype=bool)
    g = data.groupby(keys if groups else "day", sort=True)
    out = g["breaching"].sum().to_frame()
    out.insert(0, "contacts", g.size())
    out["share"] = (out["breaching"] / out["contacts"]).astype(float)
    for lim in ruleset.limits:
        out[f"breached_{lim.id}"] = g[f"breached_{lim.id}"].any()
    breached = out["breaching"] > 0
    if ruleset.checks_turn_order:
        per_day = turn.groupby(keys if groups else "day").size() if len(turn) else pd.Series(dtype=np.int64)
        out["turn_order_violations"] = per_day.reindex(out.index, fill_value=0).astype(np.int64)
        breached = breached | (out["turn_order_violations"] > 0)
    out["breached"] = breached.astype(bool)
    return out.reset_index()
