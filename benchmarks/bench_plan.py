"""Benchmark (issue 6): plan a 12-hour branch day (15-min intervals) to the CABA rule, 200 replications.

Goal: under a minute on the 2-core machine with the fast engine; report the time and the number
of simulated customers per second. Peer in the same run: one evaluation of the final plan (the
same draws) through the SimPy engine and through the fast engine, for the speed ratio per
simulated customer (and a check that both engines give the same waits).

    .venv/bin/python benchmarks/bench_plan.py            # the issue's setting: 200 replications
    .venv/bin/python benchmarks/bench_plan.py --quick    # 50 replications, smaller SimPy peer
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from waitlab.planning import plan_groups, scenario_evaluator  # noqa: E402
from waitlab.sim import Scenario, example_path, simulate_day  # noqa: E402

SCENARIO = example_path("branch12h")
SHIFTS = ROOT / "waitlab" / "planning" / "examples" / "shifts.toml"
GOAL_S = 60.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="50 replications and a 20-day SimPy peer")
    ap.add_argument("--replications", type=int, default=None, help="simulated days per evaluation [200]")
    ap.add_argument("--peer-replications", type=int, default=None,
                    help="days in the SimPy-vs-fast comparison [200; 20 with --quick]")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--no-curve", action="store_true", help="plan and roster only")
    args = ap.parse_args(argv)
    reps = args.replications or (50 if args.quick else 200)
    peer_reps = args.peer_replications or (20 if args.quick else 200)

    sc = Scenario.from_toml(SCENARIO)
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.machine()}")
    print(f"scenario: {sc.name}: {sc.start:%H:%M}-{sc.end:%H:%M}, {sc.n_intervals} intervals of "
          f"{sc.interval / 60:g} min, groups {', '.join(g.name for g in sc.desks)}; "
          f"{sum(sum(q.rates_per_hour) * sc.interval / 3600 for q in sc.queues):.0f} expected customers a day")
    t0 = time.perf_counter()
    simulate_day(sc, rng=0)  # numba: load (or compile) the kernel before the clock starts
    print(f"warm-up (numba kernel load/compile): {time.perf_counter() - t0:.2f} s")

    t0 = time.perf_counter()
    bp = plan_groups(sc, rules="CABA", shifts=SHIFTS, replications=reps, rng=args.seed, engine="fast",
                     curve=not args.no_curve)
    wall = time.perf_counter() - t0
    print(f"\nplanning every desk group, CABA, {reps} replications per evaluation:")
    print(f"{'group':<10} {'engine':<6} {'sims':>5} {'plan s':>7} {'roster s':>8} {'curve s':>7} {'sim s':>6} "
          f"{'customers':>12} {'desk-h':>7} {'SIPP desk-h':>11}  verified")
    for r in bp.results:
        hours = r.plan.interval / 3600
        print(f"{r.group:<10} {r.engine:<6} {len(r.plan.log):>5} {r.seconds.get('plan', 0):>7.1f} "
              f"{r.seconds.get('roster', 0):>8.2f} {r.seconds.get('curve', 0):>7.1f} {r.simulation_seconds:>6.1f} "
              f"{r.customers_simulated:>12,} {r.plan.desk_hours:>7.2f} {float(r.sipp.sum() * hours):>11.2f}  "
              f"{'holds' if r.plan.assessment.holds else 'some point estimates above bound'}")
    rate = bp.customers_simulated / wall
    print(f"joint check {bp.seconds['check']:.1f} s; total {wall:.1f} s, {bp.customers_simulated:,} customers "
          f"simulated, {rate:,.0f} customers/s (wall clock, everything included)")
    plan_only = sum(r.seconds.get("plan", 0) for r in bp.results)
    verdict = "MET" if wall < GOAL_S else "NOT MET"
    print(f"goal (< {GOAL_S:.0f} s for the whole plan, {reps} replications): {verdict} "
          f"(search + verification alone: {plan_only:.1f} s)")

    # peer: the final plan of the busiest group, one evaluation, SimPy vs fast on the same draws
    busiest = max(bp.results, key=lambda r: r.customers_simulated).group
    ev_fast = scenario_evaluator(bp.planned, peer_reps, group=busiest, engine="fast")
    ev_simpy = scenario_evaluator(bp.planned, peer_reps, group=busiest, engine="simpy")
    desks = np.asarray(next(g.open for g in bp.planned.desks if g.name == busiest))
    ev_fast.draws(1)
    ev_simpy._draws = ev_fast._draws  # same customers for both engines (drawing is not timed)
    t0 = time.perf_counter()
    fast_days = ev_fast(desks, 1)
    t_fast = time.perf_counter() - t0
    t0 = time.perf_counter()
    simpy_days = ev_simpy(desks, 1)
    t_simpy = time.perf_counter() - t0
    same = np.array_equal(fast_days.wait, simpy_days.wait)
    n = ev_fast.customers_simulated
    print(f"\npeer: one evaluation of the {busiest!r} plan, {peer_reps} days, {n:,} customers, same draws:")
    print(f"  fast  {t_fast:7.3f} s  {n / t_fast:>12,.0f} customers/s")
    print(f"  simpy {t_simpy:7.3f} s  {n / t_simpy:>12,.0f} customers/s")
    print(f"  fast/SimPy speed per simulated customer: {t_simpy / t_fast:.0f}x; identical waits: {same}")
    est = bp.customers_simulated / (n / t_simpy)
    print(f"  the whole plan with SimPy would take about {est:,.0f} s ({est / 60:.0f} min)")
    return 0 if wall < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
