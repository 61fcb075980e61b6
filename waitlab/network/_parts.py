"""Read the store's partitions (``STORE/site=<quoted>/month=<YYYY-MM>/part-*.parquet``) for the analysis.

A small reader of the layout fixed in the store contract, so the analysis needs nothing but the
directory: one partition is one site and month, its part files read with ``pd.read_parquet`` and
made canonical with :func:`waitlab.coerce_contacts`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote

import pandas as pd

from waitlab.exceptions import ArgumentError
from waitlab.schema import coerce_contacts

__all__ = ["list_partitions", "read_partition", "site_rows"]


def list_partitions(store: str | Path, sites: list[str] | None = None) -> list[tuple[str, str, tuple[Path, ...]]]:
    """``(site, month, part files)`` of every partition of the store, sorted by site then month."""
    root = Path(store)
    if not root.is_dir():
        raise ArgumentError(f"store {str(root)!r} is not a folder; give the folder `waitlab ingest` wrote "
                            "(it holds site=<name>/month=<YYYY-MM>/ folders).")  # fmt: skip
    wanted = None if sites is None else {quote(s, safe="") for s in sites}
    out = []
    for site_dir in root.glob("site=*"):
        key = site_dir.name[len("site="):]
        if not site_dir.is_dir() or (wanted is not None and key not in wanted):
            continue
        for month_dir in site_dir.glob("month=*"):
            files = tuple(sorted(month_dir.glob("part-*.parquet")))
            if files:
                out.append((unquote(key), month_dir.name[len("month="):], files))
    if not out and sites is None:
        raise ArgumentError(f"store {str(root)!r} holds no site=<name>/month=<YYYY-MM>/part-*.parquet files; "
                            "ingest logs into it first (waitlab ingest ... --store).")  # fmt: skip
    return sorted(out, key=lambda p: (p[0], p[1]))


def read_partition(files: tuple[Path, ...]) -> pd.DataFrame:
    """The contacts of one partition (its part files, in name order), with canonical dtypes."""
    frames = [pd.read_parquet(f) for f in files]
    return coerce_contacts(pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0])


def site_rows(store: str | Path, site: str) -> pd.DataFrame:
    """Every contact of one site in the store (only that site's folder is read)."""
    parts = list_partitions(store, sites=[site])
    if not parts:
        raise ArgumentError(f"site {site!r} is not in store {str(store)!r}; pick one of the sites in its ranking.")
    return pd.concat([read_partition(files) for _, _, files in parts], ignore_index=True)
