"""Pools: desks grouped by the queues they mainly serve, and the pool each contact belongs to.

A desk's *main queues* are the queues that make at least `min_share` of its services (when none
does, its most served queue). A queue that a desk serves now and then (one internet call in
fifty) is not one of its main queues. Desks whose main queues overlap compete for the same
contacts, so they are one pool: a pool is a connected set of desks and main queues (desk A
mainly serves PS, desk B NW and PS: one pool ``"NW+PS"``), named by its main queues joined with
``"+"`` in sorted order. A queue's pool is the pool whose desks give it the most services; a
contact belongs to its queue's pool. With a ``site`` column, desks and queues are per site
(``(site, server)``, ``(site, queue)``), and the pool names carry no site.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from waitlab._notes import NotedFrame
from waitlab.exceptions import ArgumentError, SchemaError

__all__ = ["contact_pools", "pools"]

#: Default share of a desk's services that makes a queue one of its main queues.
MIN_SHARE = 0.1


def _check(contacts: pd.DataFrame, min_share: float, who: str) -> list[str]:
    if not isinstance(contacts, pd.DataFrame):
        raise SchemaError(f"{who}: `contacts` must be a pandas DataFrame, got {type(contacts).__name__}.")
    for col in ("queue", "server"):
        if col not in contacts.columns:
            raise SchemaError(
                f"{who}: the contacts table has no `{col}` column; pools group desks (`server`) "
                "by the queues (`queue`) they serve."
            )
    if isinstance(min_share, bool) or not (isinstance(min_share, int | float) and 0 < min_share <= 1):
        raise ArgumentError(f"{who}: `min_share` must be a share in (0, 1], e.g. 0.1, got {min_share!r}.")
    return ["site"] if "site" in contacts.columns and contacts["site"].notna().any() else []


def _services(contacts: pd.DataFrame, site: list[str]) -> pd.DataFrame:
    """Served contacts with a named desk and a queue: the site, server and queue columns as text."""
    named = contacts["server"].notna() & contacts["queue"].notna()
    if "started_at" in contacts.columns:
        named &= contacts["started_at"].notna()
    cols = [*site, "server", "queue"]
    return contacts.loc[named.to_numpy(dtype=bool), cols].astype("string").astype(object)


def _desk_table(served: pd.DataFrame, site: list[str], min_share: float) -> pd.DataFrame:
    desk = [*site, "server"]
    n = served.groupby([*desk, "queue"], sort=True).size().rename("n").reset_index()
    n["share"] = n["n"] / n.groupby(desk)["n"].transform("sum")
    main = n[n["share"] >= np.minimum(min_share, n.groupby(desk)["share"].transform("max"))]
    queues = main.groupby(desk)["queue"].agg(lambda q: "+".join(sorted(q))).rename("queues")
    out = n.groupby(desk).agg(services=("n", "sum")).join(queues)
    out["pool"] = _components(out["queues"], site)
    own = main.join(out["pool"], on=desk)
    pool_queues = own.groupby([*site, "pool"])["queue"].agg(lambda q: "+".join(sorted(set(q))))
    key = pd.MultiIndex.from_arrays([out.index.get_level_values(c) for c in site] + [out["pool"]]) if site else out["pool"]
    out["pool"] = pool_queues.reindex(key).to_numpy()
    served_pool = n.join(out["pool"], on=desk)
    in_pool = served_pool[[q in str(p).split("+") for q, p in zip(served_pool["queue"], served_pool["pool"], strict=True)]]
    out["share_in_pool"] = in_pool.groupby(desk)["n"].sum().reindex(out.index).fillna(0).to_numpy() / out["services"].to_numpy()
    return out[["pool", "queues", "services", "share_in_pool"]]


def _components(queues: pd.Series, site: list[str]) -> np.ndarray:
    """A component number per desk: desks sharing a main queue (within a site) are connected."""
    parent = list(range(len(queues)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple, int] = {}
    sites = [queues.index.get_level_values(c) for c in site]
    for i, qs in enumerate(queues.to_numpy(dtype=object)):
        where = tuple(str(s[i]) for s in sites)
        for q in str(qs).split("+"):
            j = first.setdefault((*where, q), i)
            parent[find(i)] = find(j)
    return np.array([find(i) for i in range(len(queues))], dtype=np.int64)


def pools(contacts: pd.DataFrame, min_share: float = MIN_SHARE) -> NotedFrame:
    """Each desk's pool: the set of queues that make at least `min_share` of its services.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table with ``server`` and ``queue`` (and ``started_at``: only served
        contacts count); with a ``site`` column a desk is ``(site, server)``.
    min_share : float, default 0.1
        A queue is one of a desk's main queues when it makes at least this share of the desk's
        services; a desk with no such queue (it serves many queues evenly) gets its most
        served queue(s).

    Returns
    -------
    NotedFrame
        Indexed by ``server`` (``site, server`` with sites): ``pool`` (the main queues of its
        connected set of desks, sorted, joined with ``"+"``), ``queues`` (its own main
        queues), ``services`` and ``share_in_pool`` (share of its services that are in its
        pool's queues). ``.notes`` states the rule and the share used.

    Examples
    --------
    A desk with 49 calls of queue PS and 1 of IN is in pool ``"PS"``, not ``"IN+PS"``; with a
    second desk serving NW and PS, both are in pool ``"NW+PS"``.
    """
    site = _check(contacts, min_share, "pools")
    table = _desk_table(_services(contacts, site), site, float(min_share))
    notes = (
        f"pools: a desk's main queues are those that make at least {min_share:.0%} of its services "
        "(min_share); desks sharing a main queue form one pool; queues below that share do not make a new pool.",
    )
    return NotedFrame(table, notes=notes)


def queue_pools(contacts: pd.DataFrame, min_share: float = MIN_SHARE) -> pd.Series:
    """Each queue's pool: the pool whose desks give it the most services (ties: the first by name).

    A queue no named desk served is its own pool (its name). Indexed by ``queue`` (``site,
    queue`` with sites).
    """
    site = _check(contacts, min_share, "contact_pools")
    served = _services(contacts, site)
    desks = _desk_table(served, site, float(min_share))
    desk_pool = served.join(desks["pool"], on=[*site, "server"])
    n = desk_pool.groupby([*site, "queue", "pool"], sort=True).size().rename("n").reset_index()
    best = n.sort_values([*site, "queue", "n", "pool"], ascending=[*[True] * len(site), True, False, True])
    out = best.drop_duplicates([*site, "queue"]).set_index([*site, "queue"])["pool"]
    every = contacts[[*site, "queue"]].dropna().astype("string").astype(object).drop_duplicates()
    idx = pd.MultiIndex.from_frame(every) if site else pd.Index(every["queue"], name="queue")
    missing = idx.difference(out.index)
    if len(missing):
        own = [m[-1] if isinstance(m, tuple) else m for m in missing]
        out = pd.concat([out, pd.Series(own, index=missing, name="pool")])
    return out.sort_index()


def contact_pools(contacts: pd.DataFrame, min_share: float = MIN_SHARE) -> pd.Series:
    """The pool of each contact: the pool of its queue (see :func:`queue_pools`), aligned to `contacts`.

    Used by ``interval_stats(..., by="pool")`` when the table has no ``pool`` column. A contact
    without a queue has a null pool.
    """
    site = _check(contacts, min_share, "contact_pools")
    qp = queue_pools(contacts, min_share)
    keys = contacts[[*site, "queue"]].astype("string").astype(object)
    if site:
        look = pd.MultiIndex.from_frame(keys)
        vals = qp.reindex(look).to_numpy(dtype=object)
    else:
        vals = qp.reindex(keys["queue"]).to_numpy(dtype=object)
    vals = np.where(pd.isna(vals), None, vals)
    return pd.Series(vals, index=contacts.index, name="pool", dtype="string")
