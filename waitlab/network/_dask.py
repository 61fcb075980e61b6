"""The network analysis over a contacts table (pandas) or a store, in process or on dask.distributed.

One task per partition (one site and month): read its part files, make them canonical, compute
its site-days (:func:`~waitlab.network._site_days.partition_days`). The ranking and the peers are
then computed on the client from the small site-days table. A worker holds one partition at a
time, so memory is bounded by the largest partition, not by the network; the client holds only
the site-days. Both paths run the same function on the same rows in the same order, so they
give identical tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from waitlab._extras import require
from waitlab.compliance._rules import RuleSet
from waitlab.exceptions import ArgumentError
from waitlab.network._ranking import peer_table, rank_sites, site_totals
from waitlab.network._result import NetworkResult
from waitlab.network._site_days import Options, combine_days, notes_for, partition_days, partitions_of
from waitlab.network._store import Partition, read_partition, store_partitions
from waitlab.targets import Target

__all__ = ["network_analysis"]


def _store_task(part: Partition, opt: Options) -> tuple[pd.DataFrame, list[str]]:
    """One partition of the store: read, coerce, site-days (runs on a worker)."""
    return partition_days(read_partition(part), opt, part.site, part.month)


def _on_dask(parts: list[Partition], opt: Options, scheduler: Any) -> list[tuple[pd.DataFrame, list[str]]]:
    """Run one task per partition on a dask cluster; results in partition order."""
    distributed = require("dask.distributed", "cluster", "running the network analysis on dask")
    own_cluster = None
    if isinstance(scheduler, distributed.Client):
        client, own_client = scheduler, False
    else:
        if scheduler == "local":
            own_cluster = distributed.LocalCluster(threads_per_worker=1, dashboard_address="127.0.0.1:0")
            address: Any = own_cluster
        else:
            address = scheduler
        client, own_client = distributed.Client(address, set_as_default=False), True
    try:
        futures = [client.submit(_store_task, p, opt, pure=False, key=f"network-{i}-{p.site}-{p.month}")
                   for i, p in enumerate(parts)]  # fmt: skip
        return list(client.gather(futures))
    finally:
        if own_client:
            client.close()
        if own_cluster is not None:
            own_cluster.close()


def network_analysis(
    source: pd.DataFrame | str | Path,
    *,
    rules: str | Path | RuleSet | None = "CABA",
    seats: int | Mapping[str, int] | None = None,
    target: Target | None = None,
    interval: str | pd.Timedelta | float = "30min",
    peers: int = 5,
    sites: list[str] | None = None,
    scheduler: str | Any | None = None,
) -> NetworkResult:
    """Site-days, per-site totals, the ranking of sites and peers of similar volume.

    Parameters
    ----------
    source : DataFrame, str or Path
        A contacts table with several sites (pandas path), or the folder of a store written by
        ``waitlab ingest`` (``site=<name>/month=<YYYY-MM>/part-*.parquet``).
    rules, seats, target, interval
        As in :func:`site_days`.
    peers : int, default 5
        How many sites nearest in period volume each site is compared with.
    sites : list of str, optional
        Only these sites of a store (only their folders are read).
    scheduler : None, "local", an address or a dask.distributed.Client
        For a store: None runs the partitions one after the other in this process; ``"local"``
        starts a ``LocalCluster`` for the call (one single-threaded worker process per core); ``"tcp://host:8786"`` uses that scheduler (its
        workers need waitlab installed and the store on a path they can read); a ``Client`` is
        used as it is.

    Returns
    -------
    NetworkResult

    Raises
    ------
    ArgumentError
        A bad option, a store folder that does not exist or holds no partitions, or a scheduler
        given with a table.
    MissingExtraError
        A scheduler was asked for and dask.distributed is not installed (``waitlab[cluster]``).
    """
    opt = Options.read(rules, seats, target, interval)
    if isinstance(peers, bool) or not isinstance(peers, int) or peers < 1:
        raise ArgumentError(f"`peers` must be a whole number of sites >= 1, got {peers!r}.")
    notes = notes_for(opt)
    if isinstance(source, pd.DataFrame):
        if scheduler is not None:
            raise ArgumentError("`scheduler` runs the partitions of a store; for a table in memory leave it None, or "
                                "write the table to a store first (waitlab.network.write_store).")  # fmt: skip
        if sites is not None:
            source = source[source["site"].astype("string").isin(sites)]
        results = [partition_days(rows, opt, s, m) for s, m, rows in partitions_of(source)]
        origin: pd.DataFrame | Path = source
    elif isinstance(source, str | Path):
        parts = store_partitions(source, sites=sites)
        if not parts:
            raise ArgumentError(f"store {str(source)!r} holds no site=<name>/month=<YYYY-MM>/part-*.parquet files; "
                                "ingest logs into it first (waitlab ingest LOGS --store STORE).")  # fmt: skip
        if scheduler is None:
            results = [_store_task(p, opt) for p in parts]
        else:
            results = _on_dask(parts, opt, scheduler)
        origin = Path(source)
        notes.append(f"Read from the store {str(source)!r}: {len(parts)} partition(s) (site and month), one task each"
                     + ("." if scheduler is None else " on dask."))  # fmt: skip
    else:
        raise ArgumentError(f"`source` must be a contacts table or a store folder, got {type(source).__name__}.")
    for _, more in results:
        notes += more
    days = combine_days([frame for frame, _ in results], opt, notes)
    totals = site_totals(days)
    k = min(peers, max(len(totals) - 1, 0))
    notes.append(f"Peers: each site is compared with the median of the {k} site(s) nearest in total volume "
                 "(ties broken by name); ranks: 1 = worst.")  # fmt: skip
    return NetworkResult(days, totals, rank_sites(totals), peer_table(totals, peers), tuple(notes), origin, opt)
