"""The two waitlab engines side by side on the scenarios that need routing (issue 16).

Three measurements, each printed with its ratio:

1. ``waitlab/sim/examples/branch.toml`` (priority tickets, cajas also serving pensioners, kiosk
   no-shows): the same draws simulated by waitlab's SimPy engine and by the fast (numba) engine,
   end to end through ``simulate_day`` (draws, simulation, outcome arrays), outcomes compared.
2. The dashboard's What-if: 100 replications of the sample branch's breach day
   (``Scenario.from_log`` of ``datasets/branch_kiosk.csv``, kiosk format, mapping ``vendor_a_es``,
   day 2025-03-25), ``waitlab.sim.run(sc, 100, rng=1, rules="CABA", processes=1)`` with each engine.
3. Optionally (``--plan``), ``waitlab plan waitlab/sim/examples/branch.toml`` with each engine in a
   subprocess (minutes with SimPy).

Usage::

    python benchmarks/bench_engines.py               # 1 and 2 (about 1 min)
    python benchmarks/bench_engines.py --days 20     # branch days for 1 [50]
    python benchmarks/bench_engines.py --plan        # also 3 (several minutes)

Numba compile time is excluded (one warm-up day first). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def bench_branch(days: int) -> None:
    from waitlab.sim import Scenario, example_path, run, simulate_day

    sc = Scenario.from_toml(example_path("branch"))
    simulate_day(sc, rng=0, engine="fast")  # compile / load the numba cache
    run(sc, 2, rng=0, rules="CABA", processes=1, engine="fast")  # imports, rule set
    times: dict[str, float] = {}
    results: dict[str, list] = {}
    for engine in ("simpy", "fast"):
        t0 = time.perf_counter()
        results[engine] = [simulate_day(sc, rng=s, engine=engine) for s in range(days)]
        times[engine] = time.perf_counter() - t0
    customers = sum(len(d.draws) for d in results["fast"])
    same = all(a.arrays.equals(b.arrays) for a, b in zip(results["simpy"], results["fast"], strict=True))
    print(f"branch.toml, {days} days, {customers:,} customers (draws + simulation):")
    for engine, t in times.items():
        print(f"  {engine:5s} {t:8.3f} s  {customers / t:12,.0f} customers/s")
    print(f"  ratio fast / simpy: {times['simpy'] / times['fast']:.1f}x; identical outcomes: {same}")
    print(f"branch.toml, {days} days end to end (waitlab.sim.run: draws, simulation, KPIs, CABA compliance):")
    per = {}
    for engine in ("simpy", "fast"):
        t0 = time.perf_counter()
        per[engine] = run(sc, days, rng=1, rules="CABA", processes=1, engine=engine).per_replication
        times[engine] = time.perf_counter() - t0
        print(f"  {engine:5s} {times[engine]:8.3f} s")
    print(f"  ratio fast / simpy: {times['simpy'] / times['fast']:.1f}x; "
          f"identical per-replication KPIs: {per['simpy'].equals(per['fast'])}")


def bench_whatif(replications: int) -> None:
    import waitlab
    from waitlab.sim import Scenario, run

    contacts, _ = waitlab.read_log(ROOT / "datasets" / "branch_kiosk.csv", format="kiosk", mapping="vendor_a_es")
    sc = Scenario.from_log(contacts, date="2025-03-25")
    run(sc, 2, rng=1, rules="CABA", processes=1, engine="fast")  # warm-up: numba, rule set, imports
    print(f"What-if: {replications} replications of branch_kiosk.csv 2025-03-25 (rules CABA, 1 process):")
    times = {}
    summaries = {}
    for engine in ("simpy", "fast"):
        t0 = time.perf_counter()
        res = run(sc, replications, rng=1, rules="CABA", processes=1, engine=engine)
        times[engine] = time.perf_counter() - t0
        summaries[engine] = res.per_replication
        print(f"  {engine:5s} {times[engine]:8.3f} s")
    same = summaries["simpy"].equals(summaries["fast"])
    print(f"  ratio fast / simpy: {times['simpy'] / times['fast']:.1f}x; identical per-replication KPIs: {same}")


def bench_plan() -> None:
    print("waitlab plan waitlab/sim/examples/branch.toml --seed 1 (subprocess, wall clock):")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    times = {}
    for engine in ("fast", "simpy"):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "waitlab", "plan", str(ROOT / "waitlab/sim/examples/branch.toml"),
                            "-o", out, "--seed", "1", "--engine", engine], check=True, env=env,
                           stdout=subprocess.DEVNULL)
            times[engine] = time.perf_counter() - t0
        print(f"  {engine:5s} {times[engine]:8.1f} s")
    print(f"  ratio fast / simpy: {times['simpy'] / times['fast']:.1f}x")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--days", type=int, default=50, help="branch days for the engine comparison [50]")
    p.add_argument("--replications", type=int, default=100, help="What-if replications [100]")
    p.add_argument("--plan", action="store_true", help="also time `waitlab plan` with each engine")
    args = p.parse_args()
    np.seterr(all="ignore")
    bench_branch(args.days)
    bench_whatif(args.replications)
    if args.plan:
        bench_plan()


if __name__ == "__main__":
    main()
