"""Per-site totals over the period, the ranking of sites, and each site against peers of similar volume.

Everything here works on the small site-days table (one row per site and day), so it runs on the
client after the partitions are done, whatever computed them.

Definitions
-----------
* Period totals are sums of the daily counts and desk-hours. ``wait_mean`` and ``sl`` are the
  daily values weighted by the day's volume (``sl`` is then exactly the share of the period's
  arrivals called within the threshold; ``wait_mean`` is the mean wait when every contact has a
  known wait); ``wait_p90_worst_day`` is the largest daily 90th percentile; ``abandon_rate =
  (abandoned + no_show) / volume``.
* ``noncompliance = (breaching + turn_order_violations) / volume``: contacts over a limit plus
  tickets called out of turn, per contact (a ticket that is both counts twice).
* Ranks (1 = worst; ties share the best rank, ``method="min"``): ``rank_compliance`` by
  ``noncompliance``, ``rank_understaffed`` by ``understaffed_hours``, ``rank_to_comply`` by
  ``desk_hours_to_comply``.
* Peers: the `k` sites nearest in period volume (ties broken by name), k = min(5, sites - 1);
  each metric is shown next to the peers' median and the difference (site minus median).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from waitlab._notes import NotedFrame

__all__ = ["PEER_METRICS", "peer_table", "rank_sites", "site_totals"]

_SUMS = ("volume", "served", "abandoned", "no_show", "breaching", "turn_order_violations", "desk_hours_on_duty",
         "desk_hours_needed", "understaffed_hours", "desk_hours_to_comply")  # fmt: skip
#: Metrics compared with peers (site value, peers' median, difference).
PEER_METRICS = ("noncompliance", "sl", "wait_mean", "abandon_rate", "understaffed_hours_per_day")
_RANKS = {"rank_compliance": "noncompliance", "rank_understaffed": "understaffed_hours",
          "rank_to_comply": "desk_hours_to_comply"}  # fmt: skip


def _weighted(days: pd.DataFrame, col: str) -> pd.Series:
    w = days["volume"].where(days[col].notna(), 0).astype(float)
    num = (days[col].fillna(0.0) * w).groupby(days["site"], sort=True).sum()
    den = w.groupby(days["site"], sort=True).sum()
    return (num / den.where(den > 0)).astype(float)


def site_totals(days: pd.DataFrame) -> NotedFrame:
    """One row per site over the whole period (see the module notes for every definition)."""
    rules = [c for c in days.columns if c.startswith("breaches_")]
    g = days.groupby("site", sort=True)
    out = g[[*_SUMS, *rules]].sum(min_count=1)
    out.insert(0, "days", g.size())
    out["wait_mean"] = _weighted(days, "wait_mean")
    out["wait_p90_worst_day"] = g["wait_p90"].max()
    out["sl"] = _weighted(days, "sl")
    vol = out["volume"].astype(float).where(out["volume"] > 0)
    out["abandon_rate"] = (out["abandoned"] + out["no_show"]) / vol
    out["breach_share"] = out["breaching"] / vol
    out["noncompliance"] = (out["breaching"] + out["turn_order_violations"]) / vol
    out["understaffed_hours_per_day"] = out["understaffed_hours"] / out["days"]
    for c in ("volume", "served", "abandoned", "no_show", "breaching", "turn_order_violations", *rules):
        out[c] = out[c].fillna(0).astype(np.int64)
    return NotedFrame(out.reset_index())


def rank_sites(sites: pd.DataFrame) -> NotedFrame:
    """The ranking: worst compliance, most understaffed hours, most desk-hours needed to comply (1 = worst)."""
    cols = ["site", "volume", "noncompliance", "breach_share", "turn_order_violations", "understaffed_hours",
            "desk_hours_to_comply"]  # fmt: skip
    out = sites[cols].copy()
    for rank, metric in _RANKS.items():
        out[rank] = out[metric].rank(ascending=False, method="min", na_option="bottom").astype(np.int64)
    out = out.sort_values(["rank_compliance", "rank_understaffed", "site"], kind="stable").reset_index(drop=True)
    return NotedFrame(out)


def peer_table(sites: pd.DataFrame, k: int = 5) -> NotedFrame:
    """Each site next to the median of its `k` nearest sites by period volume."""
    names = sites["site"].astype(str).to_numpy()
    vol = sites["volume"].to_numpy(dtype=float)
    kk = max(0, min(k, len(names) - 1))
    rows = []
    for i, name in enumerate(names):
        others = [j for j in range(len(names)) if j != i]
        others.sort(key=lambda j: (abs(vol[j] - vol[i]), names[j]))
        near = others[:kk]
        row: dict[str, object] = {"site": name, "volume": int(vol[i]), "peers": "; ".join(names[j] for j in near)}
        for m in PEER_METRICS:
            mine = float(sites[m].iloc[i])
            med = float(np.nanmedian(sites[m].to_numpy(dtype=float)[near])) if near and \
                np.isfinite(sites[m].to_numpy(dtype=float)[near]).any() else float("nan")
            row[m], row[f"peers_{m}"], row[f"{m}_vs_peers"] = mine, med, mine - med
        rows.append(row)
    cols = ["site", "volume", "peers", *(c for m in PEER_METRICS for c in (m, f"peers_{m}", f"{m}_vs_peers"))]
    return NotedFrame(pd.DataFrame(rows, columns=cols))
