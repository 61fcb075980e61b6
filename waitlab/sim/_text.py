"""Plain-text tables of simulation results (what ``waitlab simulate`` prints)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from waitlab.sim._run import RunResult

__all__ = ["format_run", "format_value", "kpi_unit"]

_SHARES = ("sl_offered", "sl_answered", "abandon_rate", "abandon_rate_excl_short", "occupancy",
           "occupancy_scheduled", "prob_wait", "breaching_share")
_SECONDS = ("wait_mean", "wait_p50", "wait_p90", "wait_p95", "wait_max", "mean_service", "asa", "overrun_s")


def kpi_unit(name: str) -> str:
    """Unit of a KPI as printed: ``%``, ``s``, ``h`` or ``""`` (counts, people, desks)."""
    if name in _SHARES:
        return "%"
    if name in _SECONDS:
        return "s"
    if name == "desk_hours":
        return "h"
    return ""


def format_value(name: str, value: float) -> str:
    """A KPI value for a table (shares as percentages)."""
    if value is None or not math.isfinite(value):
        return "-"
    if kpi_unit(name) == "%":
        return f"{100 * value:.1f}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.1f}" if kpi_unit(name) else f"{value:.2f}".rstrip("0").rstrip(".")


def format_run(result: RunResult) -> str:
    """The KPI table (mean and 95 % CI per day) and the breach probabilities."""
    sc = result.scenario
    head = (f"{sc.name}: {result.replications} simulated day(s), seed {result.seed}, {result.engine} engine "
            f"({sc.start:%H:%M}-{sc.end:%H:%M}, SL threshold {result.sl_threshold:g} s)")
    rows = [("KPI (per day)", "unit", "mean", "95% CI")]
    for name, r in result.summary.iterrows():
        ci = ("-" if not math.isfinite(r["ci_low"])
              else f"[{format_value(name, r['ci_low'])}, {format_value(name, r['ci_high'])}]")
        rows.append((str(name), kpi_unit(str(name)), format_value(str(name), r["mean"]), ci))
    lines = [head, "", *_table(rows)]
    if len(result.breach_probability):
        name = getattr(result.rules, "name", str(result.rules))
        lines += ["", f"Probability that a day breaches each rule ({name}; share of simulated days, 95% Wilson CI)"]
        prow = [("rule", "P(day breaches)", "95% CI")]
        for rule, r in result.breach_probability.iterrows():
            prow.append((str(rule), f"{100 * r['probability']:.1f}%",
                         f"[{100 * r['ci_low']:.1f}%, {100 * r['ci_high']:.1f}%]"))
        lines += _table(prow)
    return "\n".join(lines)


def _table(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for j, r in enumerate(rows):
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) if i < len(r) - 1 else c.ljust(w)
                                           for i, (c, w) in enumerate(zip(r[1:], widths[1:], strict=True), 1)]
        out.append("  ".join(cells).rstrip())
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return out
