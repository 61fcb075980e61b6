"""Ingest speed: ``waitlab.read_log`` on a generated ACD call log vs pyarrow's bare CSV read.

Generates an ``acd`` CSV in the default layout (``benchmarks/data/``, git-ignored; seeded),
then, in this one process, times

* ``pyarrow.csv.read_csv(path)``: the bare read, with pyarrow's own type inference (it parses
  the ISO timestamps too), and
* ``waitlab.readers.read_log(path, format="acd")``: the full ingest (read, parse, localise,
  map codes, schema rules, quarantine, report),

and prints the ratio (target: within 3x) and the peak resident memory after each step.
About 1 % of the rows are deliberately bad (unparseable times, unknown outcomes, events out
of order) so the quarantine path is exercised.

Usage::

    python benchmarks/bench_ingest.py --rows 10_000_000
    python benchmarks/bench_ingest.py --rows 10_000_000 --repeat 5   # best and median of 5 each, alternating
    python benchmarks/bench_ingest.py --rows 100_000      # quick
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

DATA = Path(__file__).resolve().parent / "data"


def _maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def generate(path: Path, rows: int, seed: int = 20240513, chunk: int = 1_000_000) -> None:
    """Write a seeded ACD log of `rows` calls in the default layout (acd_default mapping)."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T08:00:00")
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = "%Y-%m-%d %H:%M:%S"
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("call_id,site,queue,entered_at,answered_at,ended_at,agent,outcome,customer_id,priority\n")
        for lo in range(0, rows, chunk):
            n = min(chunk, rows - lo)
            ids = np.arange(lo, lo + n)
            entered = start + (ids * 3).astype("timedelta64[s]")  # one call every 3 s
            wait = rng.exponential(40.0, n).astype(np.int64)
            talk = rng.exponential(240.0, n).astype(np.int64) + 1
            u = rng.random(n)
            outcome = np.where(u < 0.85, "answered", np.where(u < 0.97, "abandoned", "transferred"))
            ans = outcome != "abandoned"
            e = pd.Series(entered)
            a = pd.Series(entered + wait.astype("timedelta64[s]"))
            end = pd.Series(np.where(ans, entered + (wait + talk).astype("timedelta64[s]"), a))
            bad = rng.random(n)
            answered = a.dt.strftime(fmt).where(ans, "")
            answered = answered.where(bad >= 0.003, "not a time")
            oc = pd.Series(outcome).where((bad < 0.003) | (bad >= 0.006), "weird")
            ended = end.dt.strftime(fmt).where((bad < 0.006) | (bad >= 0.01), e.dt.strftime(fmt))
            df = pd.DataFrame(
                {
                    "call_id": pd.Series(ids).astype(str).radd("c"),
                    "site": "Centro",
                    "queue": pd.Series(rng.choice(["ventas", "soporte", "cobranzas"], n)),
                    "entered_at": e.dt.strftime(fmt),
                    "answered_at": answered,
                    "ended_at": ended,
                    "agent": pd.Series(rng.integers(1, 80, n)).astype(str).radd("ag").where(ans, ""),
                    "outcome": oc,
                    "customer_id": pd.Series(rng.integers(1_000_000, 9_999_999, n)).astype(str),
                    "priority": rng.integers(0, 2, n),
                }
            )
            df.to_csv(fh, header=False, index=False)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print timings, the ratio and peak memory."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=lambda s: int(s.replace("_", "")), default=10_000_000)
    ap.add_argument("--regenerate", action="store_true", help="write the CSV again even if it exists")
    ap.add_argument("--repeat", type=int, default=3, help="time each read this many times, alternating; report the best")
    args = ap.parse_args(argv)
    path = DATA / f"acd_{args.rows}.csv"
    if args.regenerate or not path.exists():
        t0 = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")
    print(f"rows: {args.rows:,}; file {path.stat().st_size / 1e6:,.0f} MB; peak RSS so far {_maxrss_mib():,.0f} MiB")

    bares: list[float] = []
    fulls: list[float] = []
    rss_bare = 0.0
    for _ in range(max(1, args.repeat)):  # alternate, so that load from other jobs hits both alike
        # each read starts from an empty Arrow pool: neither reuses the pages the other freed
        pa.default_memory_pool().release_unused()
        t0 = time.perf_counter()
        table = pacsv.read_csv(path)
        bares.append(time.perf_counter() - t0)
        rows, nbytes = table.num_rows, table.nbytes
        del table
        pa.default_memory_pool().release_unused()
        rss_bare = rss_bare or _maxrss_mib()  # after the first bare read, before waitlab is imported
        from waitlab.readers import read_log

        t0 = time.perf_counter()
        contacts, report = read_log(path, format="acd")
        fulls.append(time.perf_counter() - t0)
        del contacts
    bare, full = min(bares), min(fulls)
    each = f"; each: {', '.join(f'{b:.2f}' for b in bares)} s" if len(bares) > 1 else ""
    print(f"pyarrow.csv.read_csv       {bare:8.2f} s   ({rows:,} rows; {nbytes / 2**20:,.0f} MiB table{each})")
    each = f"; each: {', '.join(f'{f:.2f}' for f in fulls)} s" if len(fulls) > 1 else ""
    print(
        f"waitlab read_log (acd)     {full:8.2f} s   ({report.rows_used:,} used, "
        f"{report.rows_quarantined:,} quarantined{each})"
    )
    best = " (best of each)" if len(bares) > 1 else ""
    print(f"ratio read_log / bare read {full / bare:8.2f} x   (target <= 3){best}")
    if len(bares) > 2:  # a short read catches a quiet moment more easily than a long one: the medians too
        print(f"ratio of the medians       {np.median(fulls) / np.median(bares):8.2f} x   "
              f"({np.median(fulls):.2f} s / {np.median(bares):.2f} s)")
    print(f"peak RSS after bare read   {rss_bare:8,.0f} MiB")
    print(f"peak RSS after read_log    {_maxrss_mib():8,.0f} MiB (whole process, includes the bare read)")
    print("reasons:", report.reasons)
    return 0


if __name__ == "__main__":
    sys.exit(main())
