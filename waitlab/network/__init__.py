"""A network of sites: many logs in, one partitioned Parquet store out, and its analysis.

Loaded on first use (``waitlab.network``); ``import waitlab`` does not import it, nor dask.

Contents
--------
read_logs, NetworkIngestReport
    Many logs (files, folders, globs) read into one contacts table; each file keeps its own
    ingest report and the combined report reconciles them file by file. The site comes from
    the log, the file name, or a pattern on the file name.
ingest_to_store, write_store
    Logs (one file at a time) or a contacts table into the store: one Parquet part per site,
    month and source file (:mod:`waitlab.network._store` describes the layout).
read_store, store_partitions, Partition
    The store back: its contacts (all, or some sites and months), or its (site, month)
    partitions, the unit of work of a network analysis.
site_days
    One row per site and day: volume, waits, SL, abandonment, breaches per rule, turn order,
    desks on duty against desks needed (desk-hours).
network_analysis, NetworkResult
    Site-days, per-site totals, a ranking and peers of similar volume, from a table or a
    store (in process, or on dask.distributed with one task per site-month partition).
"""

from __future__ import annotations

from waitlab.network._analysis_api import NetworkResult, network_analysis, site_days
from waitlab.network._many import NetworkIngestReport, read_logs
from waitlab.network._store import Partition, ingest_to_store, read_store, store_partitions, write_store

__all__ = [
    "NetworkIngestReport",
    "NetworkResult",
    "Partition",
    "ingest_to_store",
    "network_analysis",
    "read_logs",
    "read_store",
    "site_days",
    "store_partitions",
    "write_store",
]
