"""The result of a network analysis: site-days, per-site totals, ranking, peers, drill-down."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from waitlab._notes import NotedFrame
from waitlab.exceptions import ArgumentError
from waitlab.network._site_days import Options, site_intervals
from waitlab.network._store import read_store

__all__ = ["NetworkResult"]


@dataclass(frozen=True, eq=False)
class NetworkResult:
    """What :func:`network_analysis` found.

    Attributes
    ----------
    site_days : NotedFrame
        One row per site and day (:func:`site_days`).
    sites : NotedFrame
        One row per site over the whole period (sums, volume-weighted SL and mean wait, shares).
    ranking : NotedFrame
        The sites, worst first: ``rank_compliance``, ``rank_understaffed`` and ``rank_to_comply``
        (1 = worst) with the metrics they rank.
    peers : NotedFrame
        Each site against the median of the sites nearest in volume (``peers`` names them).
    notes : tuple of str
        Every definition and assumption, one sentence each.
    """

    site_days: NotedFrame
    sites: NotedFrame
    ranking: NotedFrame
    peers: NotedFrame
    notes: tuple[str, ...]
    source: pd.DataFrame | Path = field(repr=False)
    options: Options = field(repr=False)

    def site(self, name: str) -> NotedFrame:
        """That site's interval table: observed KPIs next to the desks needed, every interval.

        The site's rows are read again (from the store, only its own folder), so the drill-down
        costs one site, not the network.
        """
        known = self.sites["site"].astype(str).tolist()
        if name not in known:
            shown = ", ".join(repr(s) for s in known[:5]) + (" ..." if len(known) > 5 else "")
            raise ArgumentError(f"site {name!r} is not in this network; pick one of {shown}.")
        if isinstance(self.source, pd.DataFrame):
            rows = self.source[self.source["site"].astype("string") == name]
        else:
            rows = read_store(self.source, sites=name)
        return site_intervals(rows, self.options)

    def to_dict(self) -> dict[str, Any]:
        """Counts, the ranking (records) and the notes as plain (JSON-ready) values."""
        rank = self.ranking.astype(object).where(self.ranking.notna(), None)
        return {
            "sites": len(self.sites),
            "site_days": len(self.site_days),
            "contacts": int(self.sites["volume"].sum()) if len(self.sites) else 0,
            "ranking": rank.to_dict("records"),
            "notes": list(self.notes),
        }

    def __str__(self) -> str:
        n = len(self.sites)
        lines = [f"Network of {n} site(s), {len(self.site_days)} site-day(s), "
                 f"{int(self.sites['volume'].sum()) if n else 0:,} contacts."]  # fmt: skip
        if n:
            top = self.ranking.head(10)
            lines.append("Worst first (rank 1 = worst):")
            for r in top.itertuples(index=False):
                lines.append(f"  {r.rank_compliance:>3}. {r.site}: noncompliance {r.noncompliance:.1%}, "
                             f"understaffed {r.understaffed_hours:.1f} h, {r.desk_hours_to_comply:.1f} desk-hours "
                             "to comply")  # fmt: skip
        lines.append("Notes:")
        lines += [f"  - {note}" for note in self.notes]
        return "\n".join(lines)
