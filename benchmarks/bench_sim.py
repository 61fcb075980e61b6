"""Simulation speed: an M/M/50+M queue at utilisation 0.95 through four simulators, checked against Erlang A.

Model (issue 5): Poisson arrivals at rate 47.5 per second, exponential service with mean 1 s,
exponential patience with mean 1 s (``--patience``), 50 desks, FCFS; utilisation
``arrival_rate * mean_service / 50 = 0.95``.  The unit is 1 s so that a million customers fit in
one simulated day (about 5 h 51 min) of a waitlab scenario; every simulator is scale-free.

In this one process it runs, for ``--customers`` customers (default 1,000,000; ``--quick``
100,000):

* idiomatic SimPy: simpy's ``bank_renege`` pattern, one generator process per customer, a
  ``simpy.Resource(env, capacity=50)`` and ``results = yield req | env.timeout(patience)``; a
  source process starts the customers at the pre-drawn arrival times (the same draws as waitlab's);
* ciw 3: ``ciw.create_network(arrival_distributions=[Exponential(47.5)], service_distributions=
  [Exponential(1)], number_of_servers=[50], reneging_time_distributions=[Exponential(1)])``,
  ``Simulation.simulate_until_max_customers(n, method="Finish")``, waits read from
  ``get_all_records()`` (its own RNG, ``ciw.seed``; 10,000 to 20,000 customers/s here, so a million
  take a minute or more; ``--ciw-customers`` runs it on fewer, stated in the output);
* waitlab's SimPy engine (``waitlab.sim._engine_simpy.run_simpy``) and fast numba engine
  (``waitlab.sim._engine_fast.run_fast``) on the same ``waitlab.sim.draw`` as idiomatic SimPy.

Each time is the simulator alone; waitlab is also timed on its full path
(``simulate_day(scenario, rng, engine=...).contacts``: draw, engine, contacts table).  The numba
compile time is excluded (a small warm-up scenario runs first) but reported, both as the warm-up
here (which may load numba's on-disk cache) and cold, in a subprocess with an empty
``NUMBA_CACHE_DIR``.  Printed: customers per second, the ratios (goals: fast >= 50x idiomatic
SimPy and >= 100x ciw; waitlab's SimPy engine no slower than idiomatic SimPy), and for each
simulator P(abandon) and the mean wait (all customers; the wait ends at service or abandonment)
with a 99 % batch-means confidence interval (2 % warm-up dropped, 20 batches in arrival order),
next to ``waitlab.models.ErlangA`` and an independent value (with patience = service the number
in system is Poisson, as in M/M/inf).

Usage::

    python benchmarks/bench_sim.py                       # 1,000,000 customers
    python benchmarks/bench_sim.py --quick               # 100,000
    python benchmarks/bench_sim.py --customers 300_000 --ciw-customers 50_000
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
from scipy import stats

SERVERS = 50
MEAN_SERVICE = 1.0  # seconds
UTILISATION = 0.95
RATE = UTILISATION * SERVERS / MEAN_SERVICE  # 47.5 customers per second
WARMUP_SHARE = 0.02
BATCHES = 20
CONF = 0.99


def int_arg(s: str) -> int:
    return int(s.replace("_", ""))


def make_scenario(customers: int, mean_patience: float) -> Any:
    """One-queue phone scenario, 50 desks all day, constant rate; the day holds ~`customers` arrivals."""
    from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario

    horizon = max(60, math.ceil(customers / RATE))
    if horizon >= 86_400:
        raise SystemExit(
            f"{customers:,} customers need {horizon:,} s, more than one day; use at most "
            f"{int(86_399 * RATE):,}."
        )
    end = dt.time(horizon // 3600, horizon % 3600 // 60, horizon % 60)
    return Scenario(
        site="bench",
        channel="phone",
        date=dt.date(2026, 12, 3),
        start=dt.time(0),
        end=end,
        interval=float(horizon),
        queues=(
            QueueSpec(
                name="phone",
                rates_per_hour=(RATE * 3600.0,),
                service=Distribution(dist="exponential", mean=MEAN_SERVICE),
                patience=Distribution(dist="exponential", mean=mean_patience),
            ),
        ),
        desks=(DeskGroup(name="agent", serves=("phone",), open=(SERVERS,)),),
    )


# -- idiomatic SimPy (simpy's bank_renege example, one process per customer) -------------------
def run_idiomatic_simpy(
    arrival: np.ndarray, service: np.ndarray, patience: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return (wait, abandoned) per customer, in arrival order."""
    import simpy

    n = arrival.size
    wait = [0.0] * n
    abandoned = [False] * n
    env = simpy.Environment()
    counter = simpy.Resource(env, capacity=SERVERS)

    def customer(i: int, svc: float, pat: float) -> Generator[Any, Any, None]:
        arrive = env.now
        with counter.request() as req:
            results = yield req | env.timeout(pat)
            wait[i] = env.now - arrive
            if req in results:
                yield env.timeout(svc)
            else:
                abandoned[i] = True

    def source() -> Generator[Any, Any, None]:
        for i, (t, svc, pat) in enumerate(
            zip(arrival.tolist(), service.tolist(), patience.tolist(), strict=True)
        ):
            yield env.timeout(max(0.0, t - env.now))
            env.process(customer(i, svc, pat))

    env.process(source())
    env.run()
    return np.array(wait), np.array(abandoned)


# -- ciw ------------------------------------------------------------------------------------
def run_ciw(customers: int, mean_patience: float, seed: int) -> tuple[float, float, np.ndarray, np.ndarray]:
    """Return (simulation seconds, record-reading seconds, wait, abandoned) in arrival order."""
    import ciw

    t0 = time.perf_counter()
    ciw.seed(seed)
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / MEAN_SERVICE)],
        number_of_servers=[SERVERS],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / mean_patience)],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_customers(customers, method="Finish")
    t_sim = time.perf_counter() - t0
    t0 = time.perf_counter()
    recs = sim.get_all_records(only=["service", "renege"])
    arrive = np.array([r.arrival_date for r in recs])
    wait = np.array([r.waiting_time for r in recs])
    abandoned = np.array([r.record_type == "renege" for r in recs])
    order = np.argsort(arrive, kind="stable")
    return t_sim, time.perf_counter() - t0, wait[order], abandoned[order]


# -- statistics -----------------------------------------------------------------------------
def batch_ci(x: np.ndarray) -> tuple[float, float, float]:
    """Mean and 99 % batch-means interval of `x` (arrival order) after dropping the warm-up."""
    x = np.asarray(x, dtype=float)[int(WARMUP_SHARE * x.size) :]
    per = x.size // BATCHES
    means = x[: per * BATCHES].reshape(BATCHES, per).mean(axis=1)
    half = stats.t.ppf(0.5 + CONF / 2, BATCHES - 1) * means.std(ddof=1) / math.sqrt(BATCHES)
    return float(means.mean()), float(means.mean() - half), float(means.mean() + half)


def theory(mean_patience: float) -> dict[str, float]:
    """Erlang A from waitlab.models, plus an independent value when patience = service."""
    from waitlab.models import ErlangA

    m = ErlangA(arrival_rate=RATE, mean_service=MEAN_SERVICE, mean_patience=mean_patience, desks=SERVERS)
    out = {"p_abandon": float(m.prob_abandon), "mean_wait": float(m.mean_wait)}
    if mean_patience == MEAN_SERVICE:
        # every customer present leaves at rate mu: the number in system is Poisson(lam / mu), and
        # E[queue] = E[(N - c)+]; P(abandon) = theta E[queue] / lam, mean wait = E[queue] / lam
        k = np.arange(SERVERS, 2000)
        eq = float(np.sum((k - SERVERS) * stats.poisson.pmf(k, RATE * MEAN_SERVICE)))
        out["indep_p_abandon"] = eq / mean_patience / RATE
        out["indep_mean_wait"] = eq / RATE
    return out


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(first, best) wall time of `repeat` calls and the last result."""
    times, res = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t0)
    return times[0], min(times), res


def cold_jit_seconds() -> float | None:
    """First-call time of the fast engine in a fresh process with an empty numba cache."""
    here = os.path.dirname(os.path.abspath(__file__))
    code = (
        f"import time, sys; sys.path.insert(0, {here!r}); import bench_sim as b;"
        "from waitlab.sim import draw; from waitlab.sim._engine_fast import run_fast;"
        "sc = b.make_scenario(1000, 1.0); d = draw(sc, 1);"
        "t0 = time.perf_counter(); run_fast(sc, d); print(time.perf_counter() - t0)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        try:
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600, check=True
            )
            return float(out.stdout.strip().splitlines()[-1])
        except (subprocess.SubprocessError, ValueError, IndexError):
            return None


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print rates, ratios and the Erlang-A checks."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int_arg, default=1_000_000)
    ap.add_argument("--quick", action="store_true", help="100,000 customers")
    ap.add_argument(
        "--ciw-customers",
        type=int_arg,
        default=None,
        help="customers for ciw when fewer than --customers (ciw is the slowest; default: the same)",
    )
    ap.add_argument(
        "--patience", type=float, default=1.0, help="mean patience, seconds (mean service is 1 s)"
    )
    ap.add_argument("--repeat", type=int, default=5, help="repetitions of the fast engine (best is reported)")
    ap.add_argument("--seed", type=int, default=20261203)
    ap.add_argument("--no-cold-jit", action="store_true", help="skip the cold numba compile measurement")
    args = ap.parse_args(argv)
    if args.quick:
        args.customers = 100_000

    import ciw
    import simpy

    from waitlab.sim import draw, simulate_day
    from waitlab.sim._engine_fast import run_fast
    from waitlab.sim._engine_simpy import run_simpy

    print(
        f"M/M/{SERVERS}+M: arrival rate {RATE} /s, mean service {MEAN_SERVICE} s, mean patience "
        f"{args.patience} s, utilisation {UTILISATION}; simpy {simpy.__version__}, ciw {ciw.__version__}"
    )

    # warm-up: compile (or load from numba's cache) the fast engine on a small scenario
    small = make_scenario(1000, args.patience)
    t0 = time.perf_counter()
    run_fast(small, draw(small, 1))
    warm = time.perf_counter() - t0
    cold = None if args.no_cold_jit else cold_jit_seconds()
    print(
        f"numba warm-up (excluded from the timings): first call {warm:.2f} s here"
        + (f"; cold compile with an empty cache {cold:.2f} s" if cold is not None else "")
    )

    scenario = make_scenario(args.customers, args.patience)
    t0 = time.perf_counter()
    draws = draw(scenario, args.seed)
    t_draw = time.perf_counter() - t0
    n = len(draws)
    print(
        f"customers: {n:,} (Poisson count for a {scenario.horizon:,.0f} s day, seed {args.seed}); "
        f"waitlab.sim.draw {t_draw:.2f} s"
    )

    ciw_n = args.ciw_customers if args.ciw_customers is not None else n
    results: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    rate: dict[str, float] = {}

    def wait_ab(arr: Any) -> tuple[np.ndarray, np.ndarray]:
        left = np.where(np.isnan(arr.called), arr.ended, arr.called)
        return left - draws.arrival, arr.outcome == 1

    first, best, arr = best_of(lambda: run_fast(scenario, draws), args.repeat)
    results["waitlab fast"] = wait_ab(arr)
    rate["waitlab fast"] = n / best
    fast_arr = arr
    print(
        f"waitlab fast engine      engine only: first {first:8.3f} s, best of {args.repeat} {best:8.3f} s "
        f"-> {n / best:12,.0f} customers/s"
    )
    t0 = time.perf_counter()
    day = simulate_day(scenario, args.seed, engine="fast")
    _ = day.contacts
    full_fast = time.perf_counter() - t0
    print(
        f"                         full path (draw + engine + contacts table): {full_fast:8.3f} s "
        f"-> {n / full_fast:12,.0f} customers/s"
    )
    del day, _

    t0 = time.perf_counter()
    arr = run_simpy(scenario, draws)
    t_wsimpy = time.perf_counter() - t0
    results["waitlab simpy"] = wait_ab(arr)
    rate["waitlab simpy"] = n / t_wsimpy
    same = arr.equals(fast_arr)
    print(
        f"waitlab SimPy engine     engine only: {t_wsimpy:8.3f} s -> {n / t_wsimpy:12,.0f} customers/s "
        f"(outcomes identical to the fast engine: {same})"
    )
    t0 = time.perf_counter()
    day = simulate_day(scenario, args.seed, engine="simpy")
    _ = day.contacts
    full_simpy = time.perf_counter() - t0
    print(
        f"                         full path (draw + engine + contacts table): {full_simpy:8.3f} s "
        f"-> {n / full_simpy:12,.0f} customers/s"
    )
    del day, _, arr

    t0 = time.perf_counter()
    results["idiomatic SimPy"] = run_idiomatic_simpy(draws.arrival, draws.service, draws.patience)
    t_simpy = time.perf_counter() - t0
    rate["idiomatic SimPy"] = n / t_simpy
    agree = np.mean(results["idiomatic SimPy"][1] == results["waitlab fast"][1])
    print(
        f"idiomatic SimPy          {t_simpy:8.3f} s -> {n / t_simpy:12,.0f} customers/s "
        f"(same draws; abandon/served outcome equal to waitlab's for {agree:.4%} of customers)"
    )

    t_ciw, t_rec, w, ab = run_ciw(ciw_n, args.patience, args.seed)
    results["ciw"] = (w, ab)
    rate["ciw"] = ciw_n / t_ciw
    print(
        f"ciw                      {t_ciw:8.3f} s for {ciw_n:,} customers"
        f"{' (fewer, --ciw-customers)' if ciw_n < n else ''} -> {ciw_n / t_ciw:12,.0f} customers/s "
        f"(+ {t_rec:.2f} s reading records)"
    )

    print()
    print("ratios (customers per second):")
    checks = [
        ("waitlab fast / idiomatic SimPy", rate["waitlab fast"] / rate["idiomatic SimPy"], 50.0),
        ("waitlab fast / ciw", rate["waitlab fast"] / rate["ciw"], 100.0),
        ("waitlab SimPy engine / idiomatic SimPy", rate["waitlab simpy"] / rate["idiomatic SimPy"], 1.0),
        ("waitlab fast full path / idiomatic SimPy", n / full_fast / rate["idiomatic SimPy"], None),
        ("idiomatic SimPy / ciw", rate["idiomatic SimPy"] / rate["ciw"], None),
    ]
    for label, r, goal in checks:
        verdict = "" if goal is None else f"   goal >= {goal:g} x: {'met' if r >= goal else 'MISSED'}"
        print(f"    {label:42s} {r:10.1f} x{verdict}")

    th = theory(args.patience)
    print()
    print(
        f"Erlang A (waitlab.models.ErlangA): P(abandon) {th['p_abandon']:.6f}, mean wait {th['mean_wait']:.6f} s"
        + (
            f"; independent (Poisson number in system): {th['indep_p_abandon']:.6f}, "
            f"{th['indep_mean_wait']:.6f} s"
            if "indep_p_abandon" in th
            else ""
        )
    )
    print(
        f"simulated, {CONF:.0%} batch-means CI ({BATCHES} batches after dropping the first "
        f"{WARMUP_SHARE:.0%} of customers):"
    )
    all_in = True
    for name in ("idiomatic SimPy", "ciw", "waitlab simpy", "waitlab fast"):
        w, ab = results[name]
        for metric, x, ref in (("P(abandon)", ab, th["p_abandon"]), ("mean wait", w, th["mean_wait"])):
            m, lo, hi = batch_ci(x)
            inside = lo <= ref <= hi
            all_in &= inside
            print(f"    {name:16s} {metric:10s} {m:.6f}  [{lo:.6f}, {hi:.6f}]  Erlang A inside: {inside}")
    print(f"all within the confidence intervals of Erlang A: {all_in}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
