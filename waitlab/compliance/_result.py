"""The result of a compliance check: tables, notes, export frames and a readable summary."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from waitlab.compliance._rules import RuleSet
from waitlab.compliance._standing import Seats

__all__ = ["BREACH_COLUMNS", "ComplianceResult"]

#: Columns of :attr:`ComplianceResult.breaches`, in order (the first ten are the shared contract).
BREACH_COLUMNS = [
    "contact_id",
    "rule",
    "limit_s",
    "observed_s",
    "excess_s",
    "outcome",
    "site",
    "queue",
    "day",
    "hour",
    "kind",
    "upper_bound",
    "channel",
    "ticket",
    "priority",
    "arrived_at",
    "called_at",
]


@dataclass(frozen=True, kw_only=True, eq=False)
class ComplianceResult:
    """What :func:`waitlab.compliance.compliance` found.

    Attributes
    ----------
    rules : RuleSet
        The rule set applied.
    breaches : DataFrame
        One row per breaching contact and limit, columns :data:`BREACH_COLUMNS`:
        ``limit_s``, ``observed_s`` and ``excess_s = observed_s - limit_s`` in seconds;
        ``day`` (local date) and ``hour`` (0-23) of ``arrived_at``; ``kind`` of the limit;
        ``upper_bound`` is True when ``observed_s`` is only an upper bound of the real wait
        (no-shows, who left at some unknown moment before being called).
    left_after_limit : DataFrame
        The rows of `breaches` whose customer left without service (``abandoned`` or
        ``no_show``); they are breaches too and are counted in every table.
    summary : DataFrame
        Long table of counts and shares: ``by`` (``"day"``, ``"site"``, ``"queue"`` or
        ``"hour"``), ``group`` (its value, as text), ``contacts`` (all contacts in the group),
        ``breaching`` (contacts breaching at least one limit), ``share = breaching /
        contacts``, then ``breaching_<id>`` and ``share_<id>`` for each limit.
    daily : DataFrame
        One row per day: ``day``, ``contacts``, ``breaching``, ``share``, a boolean
        ``breached_<id>`` per limit, ``turn_order_violations`` (when the rule set requires
        turn order) and ``breached`` (any of them).
    turn_order : DataFrame
        Turn-order violations, see :func:`waitlab.compliance.turn_order_violations` (empty
        when the rule set does not require turn order).
    standing_seconds : Series
        Seconds spent standing, indexed by ``contact_id`` (NaN for phone contacts).
    seated_seconds : Series
        Seconds spent seated, indexed by ``contact_id`` (NaN for phone contacts).
    notes : tuple of str
        Every assumption made, one plain sentence each.
    seats : int, mapping or None
        The seat count used.
    """

    rules: RuleSet
    breaches: pd.DataFrame
    left_after_limit: pd.DataFrame
    summary: pd.DataFrame
    daily: pd.DataFrame
    turn_order: pd.DataFrame
    standing_seconds: pd.Series
    seated_seconds: pd.Series
    notes: tuple[str, ...] = ()
    seats: Seats = None

    @property
    def n_contacts(self) -> int:
        """Number of contacts checked."""
        return len(self.standing_seconds)

    @property
    def breaching_contacts(self) -> int:
        """Number of contacts that breach at least one limit."""
        return int(self.breaches["contact_id"].nunique())

    @property
    def compliant(self) -> bool:
        """True when no limit was breached and (if required) no ticket was called out of turn."""
        return bool(self.breaches.empty and self.turn_order.empty)

    def to_frames(self, *, tz_naive: bool = False) -> dict[str, pd.DataFrame]:
        """All tables as DataFrames, keyed by sheet name, ready for export.

        Parameters
        ----------
        tz_naive : bool
            Convert timezone-aware timestamps to naive local wall-clock time (Excel cannot
            store timezones; the notes name the timezone).

        Returns
        -------
        dict of str to DataFrame
            ``breaches``, ``left_after_limit``, ``summary``, ``daily``, ``turn_order``,
            ``standing`` (``contact_id``, ``standing_s``, ``seated_s``), ``rules`` (one row
            per limit, plus one for turn order) and ``notes`` (one row per note).
        """
        rules = [
            {
                "rule": lim.id,
                "kind": lim.kind,
                "minutes": float(lim.minutes),
                "limit_s": lim.seconds,
                "description": lim.description,
            }
            for lim in self.rules.limits
        ]
        if self.rules.checks_turn_order:
            assert self.rules.turn_order is not None
            rules.append(
                {
                    "rule": "turn_order",
                    "kind": "turn_order",
                    "minutes": float("nan"),
                    "limit_s": self.rules.turn_order.tolerance_seconds,
                    "description": self.rules.turn_order.description,
                }
            )
        standing = pd.DataFrame(
            {
                "contact_id": self.standing_seconds.index,
                "standing_s": self.standing_seconds.to_numpy(),
                "seated_s": self.seated_seconds.to_numpy(),
            }
        )
        frames = {
            "breaches": self.breaches,
            "left_after_limit": self.left_after_limit,
            "summary": self.summary,
            "daily": self.daily,
            "turn_order": self.turn_order,
            "standing": standing,
            "rules": pd.DataFrame(rules, columns=["rule", "kind", "minutes", "limit_s", "description"]),
            "notes": pd.DataFrame(
                {"note": [f"Rule set: {self.rules.name}. Source: {self.rules.source}"] + list(self.notes)}
            ),
        }
        frames = {k: v.copy() for k, v in frames.items()}
        if tz_naive:
            for df in frames.values():
                for c in df.columns:
                    if isinstance(df[c].dtype, pd.DatetimeTZDtype):
                        df[c] = df[c].dt.tz_localize(None)
        return frames

    def __str__(self) -> str:
        n = self.n_contacts
        days = len(self.daily)
        lines = [
            f"Compliance with {self.rules.name} ({self.rules.jurisdiction})",
            f"  {n:,} contacts over {days} day(s); {self.breaching_contacts:,} breach at least one limit"
            f" ({_pct(self.breaching_contacts, n)}).",
        ]
        for lim in self.rules.limits:
            rows = self.breaches[self.breaches["rule"] == lim.id]
            text = f"  {lim.id} ({lim.kind} wait over {lim.minutes:g} min): {len(rows):,} contact(s) ({_pct(len(rows), n)})"
            if len(rows):
                text += f", worst by {_dur(float(rows['excess_s'].max()))}"
            lines.append(text + ".")
        if self.rules.checks_turn_order:
            v = self.turn_order
            text = f"  turn order: {len(v):,} ticket(s) called ahead of an earlier one"
            if len(v):
                text += f" ({int(v['overtaken'].sum()):,} overtakings in all)"
            lines.append(text + ".")
        left = self.left_after_limit
        if len(left):
            by = left.drop_duplicates("contact_id")["outcome"].value_counts()
            parts = ", ".join(f"{k.replace('_', '-')} {int(c)}" for k, c in sorted(by.items()))
            lines.append(f"  left without service after a limit had passed: {parts} (counted as breaches).")
        bad_days = self.daily.loc[self.daily["breached"], "day"].astype(str).tolist() if days else []
        if bad_days:
            shown = ", ".join(bad_days[:10]) + (
                f" and {len(bad_days) - 10} more" if len(bad_days) > 10 else ""
            )
            lines.append(f"  days with a breach: {shown}.")
        else:
            lines.append("  no day with a breach.")
        lines.append("Notes:")
        lines.extend(f"  - {note}" for note in self.notes)
        return "\n".join(lines)


def _pct(k: int, n: int) -> str:
    return f"{100.0 * k / n:.1f} %" if n else "n/a"


def _dur(seconds: float) -> str:
    s = int(round(seconds))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    if h:
        return f"{h} h {m:02d} min"
    return f"{m} min {sec:02d} s" if m else f"{sec} s"
