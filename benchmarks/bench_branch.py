"""The branch scenario end to end: idiomatic SimPy, waitlab's SimPy engine, the fast engine (issue 16).

``waitlab/sim/examples/branch.toml`` (three queues, priority tickets, cajas that also serve
pensioners, a lunch dip in the desk schedule, kiosk no-shows) for ``--days`` days, each path
end to end in this one process, on the same seeds:

* idiomatic SimPy, written as a reader of simpy's ``bank_renege`` example would: a source
  process per queue draws Poisson arrivals interval by interval, one process per customer,
  a ``simpy.PriorityResource`` per desk group (capacity = the group's most desks) and
  ``results = yield req | env.timeout(patience)`` for reneging; a pensioner asks both the
  caja and the jubilados resources (``req_a | req_b | timeout``) and cancels the other; the
  schedule is approximated by "break" processes that take the closed desks with a higher
  priority for the interval (a busy desk finishes its customer first), and an absent ticket
  (the queue's ``no_show`` share) holds the desk ``no_show_seconds``. KPIs (arrivals, served,
  abandoned, no-shows, mean and p90 wait, ASA, SL 20 s) and the CABA limits as counts of
  waits over 30 and 90 minutes, with numpy. It is not the same model in every detail (the
  break processes queue behind priority customers, a reneged kiosk customer costs no desk
  time) and draws its own randomness, so its figures are shown beside waitlab's, not compared.
* ``waitlab.sim.run(sc, days, rng=1, rules="CABA", processes=1, engine=...)`` with the SimPy
  engine and with the fast engine: draws, simulation, every KPI and the CABA compliance.

Usage::

    python benchmarks/bench_branch.py             # 100 days
    python benchmarks/bench_branch.py --days 30

The numba compile time is excluded (a warm-up run of each engine first). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Generator
from typing import Any

import numpy as np


def idiomatic_simpy_day(sc: Any, seed: int) -> dict[str, float]:
    """One day of `sc` in idiomatic SimPy, with its KPIs and CABA counts."""
    import simpy

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    length = float(sc.interval)
    n_int = sc.n_intervals
    groups = {g.name: simpy.PriorityResource(env, capacity=max(g.open)) for g in sc.desks}
    serving = {q.name: [g.name for g in sc.desks if q.name in g.serves] for q in sc.queues}
    waits: list[float] = []
    outcome: list[str] = []

    def customer(queue: Any, prio: int) -> Generator[Any, Any, None]:
        arrive = env.now
        patience = np.inf if queue.patience is None else rng.exponential(queue.patience.mean)
        absent = rng.random() < queue.no_show
        service = rng.gamma(1 / queue.service.cv**2, queue.service.mean * queue.service.cv**2)
        reqs = [groups[g].request(priority=1 - prio) for g in serving[queue.name]]
        events = reqs[0]
        for r in reqs[1:]:
            events = events | r
        results = yield (events | env.timeout(patience)) if np.isfinite(patience) else events
        got = next((r for r in reqs if r in results), None)
        for r in reqs:
            if r is not got:
                r.cancel() if not r.triggered else r.resource.release(r)
        waits.append(env.now - arrive)
        if got is None:
            outcome.append("abandoned")
            return
        if absent:
            outcome.append("no_show")
            yield env.timeout(sc.no_show_seconds)
        else:
            outcome.append("served")
            yield env.timeout(service)
        got.resource.release(got)

    def source(queue: Any) -> Generator[Any, Any, None]:
        for k, rate in enumerate(queue.rates_per_hour):
            end = (k + 1) * length
            while True:
                gap = rng.exponential(3600.0 / rate) if rate > 0 else np.inf
                if env.now + gap >= end:
                    yield env.timeout(end - env.now)
                    break
                yield env.timeout(gap)
                env.process(customer(queue, int(rng.random() < queue.priority_share)))

    def desk_break(res: Any, start: float, until: float) -> Generator[Any, Any, None]:
        yield env.timeout(start)
        with res.request(priority=-1) as req:
            yield req
            yield env.timeout(max(0.0, until - env.now))

    for g in sc.desks:
        top = max(g.open)
        for k in range(n_int):
            for _ in range(top - g.open[k]):
                env.process(desk_break(groups[g.name], k * length, (k + 1) * length))
    for q in sc.queues:
        env.process(source(q))
    env.run()
    w = np.asarray(waits)
    o = np.asarray(outcome)
    served = o == "served"
    return {
        "arrivals": float(w.size), "served": float(served.sum()), "abandoned": float((o == "abandoned").sum()),
        "no_show": float((o == "no_show").sum()), "wait_mean": float(w.mean()),
        "wait_p90": float(np.quantile(w, 0.9)), "asa": float(w[served].mean()),
        "sl_offered": float(np.mean(w <= 20)), "breaches_standing_30": float((w > 1800).sum()),
        "breaches_total_90": float((w > 5400).sum()),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--days", type=int, default=100, help="simulated days per path [100]")
    args = p.parse_args()
    np.seterr(all="ignore")
    import pandas as pd
    import simpy

    from waitlab.sim import Scenario, example_path, run

    sc = Scenario.from_toml(example_path("branch"))
    for engine in ("fast", "simpy"):  # numba (each engine's array types), rule set, imports
        run(sc, 2, rng=0, rules="CABA", processes=1, engine=engine)
    idiomatic_simpy_day(sc, 0)
    print(f"branch.toml, {args.days} days end to end (simpy {simpy.__version__}; one process):")
    t0 = time.perf_counter()
    ido = pd.DataFrame([idiomatic_simpy_day(sc, s) for s in range(args.days)])
    times = {"idiomatic SimPy": time.perf_counter() - t0}
    means = {"idiomatic SimPy": ido.mean()}
    for engine in ("simpy", "fast"):
        t0 = time.perf_counter()
        per = run(sc, args.days, rng=1, rules="CABA", processes=1, engine=engine).per_replication
        times[f"waitlab {engine}"] = time.perf_counter() - t0
        means[f"waitlab {engine}"] = per.mean(numeric_only=True)
    customers = means["waitlab fast"]["arrivals"] * args.days
    for name, t in times.items():
        print(f"  {name:16s} {t:8.3f} s  {customers / t:12,.0f} customers/s  "
              f"{times['idiomatic SimPy'] / t:7.1f}x idiomatic SimPy")
    cols = ["arrivals", "served", "abandoned", "no_show", "wait_mean", "wait_p90", "asa", "sl_offered",
            "breaches_standing_30", "breaches_total_90"]
    print("  means per day (idiomatic SimPy is an approximation of the model, own draws):")
    print(pd.DataFrame({k: v.reindex(cols) for k, v in means.items()}).round(2).to_string())
    print(f"  ratio fast / idiomatic SimPy: {times['idiomatic SimPy'] / times['waitlab fast']:.1f}x (goal >= 50x); "
          f"fast / waitlab simpy: {times['waitlab simpy'] / times['waitlab fast']:.1f}x")


if __name__ == "__main__":
    main()
