"""Network ingest: N branches x D days of kiosk logs into the partitioned store, then one site back.

Generates the network with ``datasets/make_network.py`` (seeded; ``benchmarks/data/network-N-D/``,
git-ignored; reused when present), then times, in this process,

* ``waitlab.network.ingest_to_store(folder, store)``: every file read, checked and written as
  Parquet by site and month (rows per second over the rows read),
* ``waitlab.network.read_store(store, sites=<one site>)``: one site's contacts back,
* :func:`analyse` on the store (the network analysis; a hook, see below),

and prints the peak resident memory after each step. ``--growth`` repeats the ingest for a
list of branch counts at the same number of days and prints seconds per million rows, which is
flat when the time grows linearly.

Usage::

    python benchmarks/bench_network.py                          # 20 branches x 20 days (quick)
    python benchmarks/bench_network.py --branches 50 --days 250
    python benchmarks/bench_network.py --growth 50,100,200 --days 60
    python benchmarks/bench_network.py --growth 500 --days 50 --scheduler local   # the analysis on a LocalCluster
    python benchmarks/bench_network.py --branches 500 --days 250 --jobs 2   # the issue's size (opt-in, long)
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
sys.path.insert(0, str(HERE.parent / "datasets"))

from make_network import write_network  # noqa: E402


def _maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def generate(branches: int, days: int, jobs: int) -> Path:
    """The network's folder (plain CSV), generated once and reused."""
    folder = DATA / f"network-{branches}-{days}"
    done = folder / "_network.json"
    if not done.exists():
        t0 = time.perf_counter()
        write_network(folder, branches=branches, days=days, compress=False, jobs=jobs)
        print(f"generated {branches} branches x {days} days in {time.perf_counter() - t0:.1f} s -> {folder}")
    return folder


def analyse(store: Path) -> float:
    """The full network analysis on `store` (in process, partition by partition), timed; return seconds."""
    from waitlab.network import network_analysis

    t0 = time.perf_counter()
    result = network_analysis(store, rules="CABA")
    seconds = time.perf_counter() - t0
    print(f"analyse: {seconds:.1f} s, {len(result.sites)} sites; peak RSS {_maxrss_mib():,.0f} MiB")
    return seconds


def ingest(folder: Path, store: Path) -> tuple[int, float]:
    """Ingest `folder` into a fresh `store`; return (rows read, seconds)."""
    from waitlab.network import ingest_to_store

    shutil.rmtree(store, ignore_errors=True)
    t0 = time.perf_counter()
    report = ingest_to_store(folder, store)
    seconds = time.perf_counter() - t0
    assert report.ok, report.failed
    return report.rows_read, seconds


def run(branches: int, days: int, jobs: int, analyse_too: bool = True) -> None:
    from waitlab.network import read_store, store_partitions

    folder = generate(branches, days, jobs)
    store = DATA / f"store-{branches}-{days}"
    size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 2**20
    rows, seconds = ingest(folder, store)
    stored = sum(f.stat().st_size for p in store_partitions(store) for f in p.files) / 2**20
    print(f"ingest {branches} x {days}: {rows:,} rows ({size:,.0f} MiB CSV -> {stored:,.0f} MiB Parquet) in "
          f"{seconds:.1f} s = {rows / seconds:,.0f} rows/s; peak RSS {_maxrss_mib():,.0f} MiB")
    t0 = time.perf_counter()
    site = store_partitions(store)[0].site
    one = read_store(store, sites=site)
    print(f"one site ({site}, {len(one):,} rows) from the store in {time.perf_counter() - t0:.3f} s")
    t0 = time.perf_counter()
    again = __import__("waitlab.network", fromlist=["ingest_to_store"]).ingest_to_store(folder, store)
    print(f"re-ingest of the same folder (skipped, idempotent): {time.perf_counter() - t0:.2f} s, "
          f"{again.rows_used:,} rows reported")
    if analyse_too:
        analyse(store)


def _children_maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return rss / 1024 / 1024 if sys.platform == "darwin" else rss / 1024


def one_site(store: Path) -> tuple[str, int, float, float]:
    """One site's answer from the store: its contacts (read_store) and its analysis alone; (site, rows, s, s)."""
    from waitlab.network import network_analysis, read_store, store_partitions

    site = store_partitions(store)[0].site
    t0 = time.perf_counter()
    rows = len(read_store(store, sites=site))
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    network_analysis(store, rules="CABA", sites=[site])
    return site, rows, read_s, time.perf_counter() - t0


def growth(counts: list[int], days: int, jobs: int, analyse_too: bool = True, scheduler: str | None = None) -> None:
    """Ingest (and analyse) each size; seconds per million rows is flat when time grows linearly.

    The peak RSS is this process's peak so far (run one size per process for a per-size peak);
    with a scheduler the workers' peak is the largest of the finished child processes (the
    LocalCluster's workers, reaped when the cluster closes). CPU seconds are this process's
    (with a scheduler the analysis runs in the workers, so only wall time counts there).
    """
    print(f"{'branches':>8} {'rows':>12} {'ingest s':>9} {'cpu s':>7} {'rows/s':>9} {'analyse s':>10} {'cpu s':>7} "
          f"{'rows/s':>9} {'s per M rows':>13} {'peak RSS MiB':>13}")
    for n in counts:
        folder = generate(n, days, jobs)
        store = DATA / f"store-{n}-{days}"
        c0 = time.process_time()
        rows, seconds = ingest(folder, store)
        i_cpu = time.process_time() - c0
        a_seconds = a_cpu = float("nan")
        if analyse_too:
            import scipy.stats  # noqa: F401  (imports out of the timing: the first call would pay them)

            import waitlab.models  # noqa: F401
            from waitlab.network import network_analysis

            t0, c0 = time.perf_counter(), time.process_time()
            network_analysis(store, rules="CABA", scheduler=scheduler)
            a_seconds, a_cpu = time.perf_counter() - t0, time.process_time() - c0
        total = seconds + (0.0 if a_seconds != a_seconds else a_seconds)
        print(f"{n:>8} {rows:>12,} {seconds:>9.1f} {i_cpu:>7.1f} {rows / seconds:>9,.0f} {a_seconds:>10.1f} "
              f"{a_cpu:>7.1f} {rows / a_seconds:>9,.0f} {total / rows * 1e6:>13.2f} {_maxrss_mib():>13,.0f}", flush=True)
        if scheduler is not None:
            print(f"workers' peak RSS (largest finished child process): {_children_maxrss_mib():,.0f} MiB")
        site, site_rows, read_s, site_s = one_site(store)
        print(f"one site ({site}, {site_rows:,} rows): read_store(sites=...) {read_s:.3f} s; "
              f"network_analysis(store, sites=[site]) {site_s:.3f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--branches", type=int, default=20)
    p.add_argument("--days", type=int, default=20)
    p.add_argument("--jobs", type=int, default=2, help="processes generating the logs [2]")
    p.add_argument("--growth", default=None, help="comma-separated branch counts, e.g. 50,100,200,500")
    p.add_argument("--no-analyse", action="store_true", help="skip the analyse() hook")
    p.add_argument("--scheduler", default=None, help="with --growth: network_analysis(scheduler=...), e.g. local")
    args = p.parse_args(argv)
    if args.growth:
        growth([int(x) for x in args.growth.split(",")], args.days, args.jobs, not args.no_analyse, args.scheduler)
    else:
        run(args.branches, args.days, args.jobs, not args.no_analyse)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
