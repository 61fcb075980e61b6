"""Two runs of the same days compared: per-KPI paired differences with Student-t intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from waitlab._ci import t_interval
from waitlab.exceptions import ArgumentError
from waitlab.sim._run import RunResult

__all__ = ["Comparison", "compare"]


@dataclass(frozen=True, eq=False)
class Comparison:
    """Run `alt` against run `base`, day by day (see :func:`compare`).

    Attributes
    ----------
    table : DataFrame
        One row per KPI (index ``kpi``, in the order of ``base.summary``): ``base`` and ``alt``
        (mean per day of each run), ``difference`` (mean of ``alt - base`` over the paired days),
        ``ci_low``, ``ci_high`` (its Student-t interval at `level`), ``std`` (of the paired
        differences) and ``n`` (days where both runs have the KPI).
    level : float
        Confidence level of the intervals.
    replications : int
    seed : int
        The root seed both runs share (a recorded value: ``RunResult.seed``).
    """

    table: pd.DataFrame
    level: float
    replications: int
    seed: int

    def __str__(self) -> str:
        from waitlab.sim._text import format_value

        head = (f"alt - base over {self.replications} paired day(s), seed {self.seed} "
                f"({100 * self.level:g}% Student-t interval of the mean difference)")
        rows = [head, ""]
        for kpi, r in self.table.iterrows():
            name = str(kpi)
            ci = ("-" if not math.isfinite(r["ci_low"])
                  else f"[{format_value(name, r['ci_low'])}, {format_value(name, r['ci_high'])}]")
            rows.append(f"{name:<24} {format_value(name, r['base']):>10} {format_value(name, r['alt']):>10} "
                        f"{format_value(name, r['difference']):>10}  {ci}")
        return "\n".join(rows)


def compare(base: RunResult, alt: RunResult, level: float = 0.95) -> Comparison:
    """Compare two runs of the same simulated days (common random numbers).

    Day ``i`` of both runs draws the same customers when both used the same seed and number
    of replications, so ``alt - base`` is measured day by day: the interval of its mean is far
    narrower than the two runs' own intervals suggest.

    Parameters
    ----------
    base, alt : RunResult
        Runs of :func:`waitlab.sim.run` with the same root seed and `replications` (typically
        the same scenario before and after a schedule edit): the same integer `rng`, or
        ``rng=base.seed`` for the second run (a Generator advances, so passing the same
        Generator twice gives two different root seeds).
    level : float
        Confidence level of the intervals, in (0, 1).

    Returns
    -------
    Comparison
        ``.table``: per KPI the two means, the mean paired difference and its interval
        ``mean(d) -+ t(1 - alpha/2, n - 1) sd(d) / sqrt(n)`` (:func:`waitlab._ci.t_interval`,
        not clipped at 0: a difference can be negative); NaN bounds with fewer than two days.

    Raises
    ------
    ValueError
        If the runs do not share their seed and number of replications, or `level` is not in (0, 1).
    """
    if not (isinstance(level, float | int) and 0 < level < 1):
        raise ArgumentError(f"`level` must be a confidence level between 0 and 1 (e.g. 0.95), got {level!r}.")
    if base.replications != alt.replications or base.seed != alt.seed:
        raise ArgumentError(
            f"the runs are not paired: `base` has {base.replications} replication(s) with seed {base.seed} and "
            f"`alt` {alt.replications} with seed {alt.seed}; run `alt` with rng=base.seed and the same replications.")
    kpis = [k for k in base.summary.index if k in alt.summary.index]
    b = base.per_replication.set_index("replication")
    a = alt.per_replication.set_index("replication").reindex(b.index)
    rows = []
    for kpi in kpis:
        diff = a[kpi].to_numpy(dtype=float) - b[kpi].to_numpy(dtype=float)
        mean, low, high, std, n = t_interval(diff, level, clip_nonnegative=False)
        rows.append({"base": float(base.summary.at[kpi, "mean"]), "alt": float(alt.summary.at[kpi, "mean"]),
                     "difference": mean, "ci_low": low, "ci_high": high, "std": std, "n": n})
    table = pd.DataFrame(rows, index=pd.Index(kpis, name="kpi"),
                         columns=["base", "alt", "difference", "ci_low", "ci_high", "std", "n"])
    table["n"] = table["n"].astype(np.int64)
    return Comparison(table=table, level=float(level), replications=base.replications, seed=base.seed)
