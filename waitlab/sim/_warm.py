"""Compile the fast engine's kernels ahead of the first simulation a user waits for.

The fast engine is numba code compiled on first use and cached on disk (``cache=True``): the
first run after installing compiles the draws, the kernels and the judging (tens of seconds on
a small machine), every later process only loads them (about a second). :func:`warm_up` runs
that first use on two tiny runs, so a long-lived process (the dashboard) can pay it in the
background before anyone presses Simulate.
"""

from __future__ import annotations

import time

__all__ = ["warm_up"]


def warm_up() -> float:
    """Compile (or load from numba's disk cache) every kernel of :func:`waitlab.sim.run`'s fast path.

    Runs two days of the bundled ``branch`` (routed desks, priorities, kiosk no-shows; CABA
    judged with and without a seat count, the mean wait per interval) and of ``mmc`` (pooled
    desks). Returns the seconds it took.
    """
    from waitlab.sim import Scenario, example_path, run

    start = time.perf_counter()
    for name in ("branch", "mmc"):
        sc = Scenario.from_toml(example_path(name))
        for seats in (None, 10):
            run(sc, 2, rng=0, rules="CABA", seats=seats, processes=1, progress=False, by_interval=("wait_mean",))
    return time.perf_counter() - start
