"""Plan every desk group of a branch: one group at a time, then a joint check of the whole day.

:func:`plan_scenario` plans one desk group with the others held at their schedule. A branch
with several groups (cajas, pensioners' desks, commercial desks) is planned here group by
group, in the order of the scenario file: each group is planned with the groups planned before
it already at their new plan and the later ones still at the schedule of the file. Groups that
share no queue do not affect one another, so for them this is the joint optimum of the separate
plans. When groups share a queue (e.g. cajas that also take pensioners), a later group's plan
changes what the earlier groups' customers see; the *joint check* simulates the whole day with
every group at its plan, on fresh seeds, and every group that shares a queue with another and
fails a target there is planned again from its current plan, with the others at their plans
(up to `passes` rounds). The last joint check is reported for every group, so a figure that
still moved is shown rather than hidden.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from waitlab._random import RNG, root_seed
from waitlab.compliance import Seats
from waitlab.planning._assess import Assessment, assess
from waitlab.planning._errors import PlanningError
from waitlab.planning._pipeline import PlanResult, plan_scenario
from waitlab.planning._simeval import scenario_evaluator
from waitlab.planning._targets import Target, targets_from_rules
from waitlab.planning._templates import ShiftTemplates, load_shifts
from waitlab.sim import Scenario

__all__ = ["BranchPlan", "plan_groups", "write_branch_report"]


@dataclass(frozen=True)
class BranchPlan:
    """The plans of several desk groups of one scenario (see :func:`plan_groups`).

    Attributes
    ----------
    scenario : Scenario
        The scenario as given.
    planned : Scenario
        The scenario with every planned group open as planned.
    results : tuple of PlanResult
        One per planned group, in planning order.
    check : dict of str to Assessment
        Per group: its targets on fresh simulated days of `planned` (every group at its plan);
        with a single group, its plan's own verification.
    customers_simulated : int
        Customers simulated over the whole run, joint check included.
    seconds : dict of str to float
        Wall time: ``"<group>"`` for each group's planning, ``"check"``, ``"total"``.
    seed : int or None
        The root seed of the run (a recorded value, not a parameter: pass it back as
        ``plan_groups(..., rng=result.seed)`` to repeat the run).
    """

    scenario: Scenario
    planned: Scenario
    results: tuple[PlanResult, ...]
    check: dict[str, Assessment]
    customers_simulated: int
    seconds: dict[str, float] = field(default_factory=dict)
    seed: int | None = None

    def check_holds(self, group: str) -> bool:
        """True when `group`'s targets hold (point estimates) in the joint check."""
        return self.check[group].holds

    def to_dict(self) -> dict[str, Any]:
        """Plain-Python summary (what ``waitlab plan --json`` prints, less the files written).

        ``scenario``, ``source``, ``rules``, ``replications``, ``seed``, ``groups`` (each a
        :meth:`PlanResult.to_dict`, its ``figures`` from the joint check when there are several
        groups), ``joint_check``, ``seconds``, ``customers_simulated``, ``customers_per_second``.
        """
        from waitlab.planning._summary import branch_summary

        return branch_summary(self)

    def __str__(self) -> str:
        from waitlab.planning._summary import branch_text

        return branch_text(self.to_dict())


def plan_groups(scenario: Scenario | str | Path, *, groups: list[str] | None = None, rules: str | Path = "CABA",
                targets: list[Target] | None = None, shifts: ShiftTemplates | str | Path | None = None,
                replications: int = 200, rng: RNG = None, engine: str = "auto",
                seats: Seats = None, max_share: float = 0.05, max_day_prob: float = 0.01,
                max_iterations: int = 200, curve: bool = True, passes: int = 2,
                progress: Callable[[str], None] | None = None) -> BranchPlan:
    """Plan several desk groups of a scenario in turn, then check the whole day jointly.

    Parameters
    ----------
    scenario : Scenario, str or Path
        The day to plan.
    groups : list of str, optional
        Groups to plan, in this order (default: every group, in the order of the scenario).
        Groups not listed keep their schedule.
    rules, targets, shifts, replications, engine, seats, max_share, max_day_prob, max_iterations, curve
        As in :func:`plan_scenario`; every group gets the same targets, and its own roster from
        the same templates (people are not moved between desk types).
    rng : numpy.random.Generator, int, SeedSequence or None
        Randomness of the run (scipy's convention: a seed repeats it, None draws fresh
        entropy); each group's planning and each joint check get their own stream of the
        root seed, reported as ``result.seed``.
    passes : int
        Most planning rounds: after the first, only groups that share a queue with another
        planned group and fail a target in the joint check are planned again.
    progress : callable, optional
        Called with one line of text as the run advances.

    Returns
    -------
    BranchPlan
    """
    t_start = time.perf_counter()
    sc = scenario if isinstance(scenario, Scenario) else Scenario.from_toml(scenario)
    names = [g.name for g in sc.desks]
    order = list(names) if not groups else list(dict.fromkeys(groups))
    unknown = [g for g in order if g not in names]
    if unknown:
        raise PlanningError(f"{sc.source}: there is no desk group {unknown[0]!r}; the groups are {', '.join(names)}.")
    tg = list(targets) if targets else targets_from_rules(rules, max_share=max_share, max_day_prob=max_day_prob)
    templates = shifts if (shifts is None or isinstance(shifts, ShiftTemplates)) else load_shifts(shifts)
    if isinstance(passes, bool) or not isinstance(passes, int) or passes < 1:
        raise PlanningError(f"`passes` must be an integer >= 1, got {passes!r}.")
    seed = root_seed(rng)
    streams = iter(np.random.SeedSequence(seed).spawn(2 * len(order) * passes + passes))
    current = sc
    results: dict[str, PlanResult] = {}
    seconds: dict[str, float] = {}
    customers = 0
    many = len(order) > 1

    def next_seed() -> int:
        return int(next(streams).generate_state(1, np.uint32)[0])

    def desks_of(scn: Scenario, name: str) -> np.ndarray:
        return np.asarray(next(g.open for g in scn.desks if g.name == name), dtype=np.int64)

    def shares_queue(name: str) -> bool:
        mine = set(next(g.serves for g in sc.desks if g.name == name))
        return any(set(g.serves) & mine for g in sc.desks if g.name != name and g.name in order)

    todo = list(order)
    check: dict[str, Assessment] = {}
    for round_ in range(passes):
        for k, name in enumerate(todo):
            if progress is not None and many:
                again = f", round {round_ + 1}" if round_ else ""
                progress(f"== desk group {name!r} ({k + 1} of {len(todo)}{again})")
            t0 = time.perf_counter()

            def tagged(line: str, name: str = name) -> None:
                if progress is not None:
                    progress(f"{name}: {line}" if many else line)

            r = plan_scenario(current, targets=tg, shifts=templates, replications=replications, rng=next_seed(),
                              group=name, engine=engine, seats=seats, max_iterations=max_iterations, curve=curve,
                              initial=desks_of(current, name) if round_ else None,
                              progress=tagged if progress is not None else None)
            # keep the rule set's name for the report (targets were passed explicitly to share them)
            r = dataclasses.replace(r, rules="" if targets else str(rules))
            if round_:
                r = dataclasses.replace(r, sipp=results[name].sipp)
            results[name] = r
            customers += r.customers_simulated
            current = current.with_desks(name, r.plan.desks.tolist())
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t0
        if not many:  # one group: its own verification is the check
            check = {order[0]: results[order[0]].plan.assessment}
            break
        t0 = time.perf_counter()
        check_seed = next_seed()
        for name in order:
            ev = scenario_evaluator(current, replications, group=name, engine=engine, seats=seats)
            days = ev(desks_of(current, name), check_seed)
            check[name] = assess(days, tg, n_intervals=ev.n_intervals, interval=ev.interval, day_start=ev.day_start)
            customers += ev.customers_simulated
        seconds["check"] = seconds.get("check", 0.0) + time.perf_counter() - t0
        if progress is not None:
            progress(f"joint check {round_ + 1}: "
                     + ", ".join(f"{n} {'holds' if check[n].holds else 'above a bound'}" for n in order))
        todo = [n for n in order if not check[n].holds and shares_queue(n)]
        if not todo:
            break
    seconds["total"] = time.perf_counter() - t_start
    return BranchPlan(scenario=sc, planned=current, results=tuple(results[n] for n in order), check=check,
                      customers_simulated=customers, seconds=seconds, seed=seed)


def group_slug(name: str) -> str:
    """A folder name for a desk group (letters, digits, ``-`` and ``_``)."""
    slug = re.sub(r"[^\w-]+", "-", name.strip(), flags=re.UNICODE).strip("-")
    return slug or "group"


def write_branch_report(bp: BranchPlan, out_dir: str | Path) -> dict[str, Path]:
    """Write a :class:`BranchPlan`: each group's files in ``<out>/<group>/``, and an overview.

    The overview is ``plan.csv`` (desks per interval of every group: ``<group>_sipp`` and
    ``<group>_desks``), ``joint_check.csv`` (every group's targets with every group at its
    plan) and ``report.md`` linking to the groups' reports.

    Returns
    -------
    dict of str to Path
        Name -> path of every file written (a group's files as ``"<group>/<name>"``).
    """
    from waitlab.planning._report import _md_table, _safe_csv, write_plan_report

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for r in bp.results:
        for key, path in write_plan_report(r, out / group_slug(r.group)).items():
            files[f"{r.group}/{key}"] = path
    first = bp.results[0].plan
    table = pd.DataFrame({"interval": first.table()["interval"], "start_s": first.table()["start_s"]})
    for r in bp.results:
        table[f"{r.group}_sipp"] = r.sipp
        table[f"{r.group}_desks"] = r.plan.desks
    files["plan"] = _safe_csv(table, out / "plan.csv")
    rows = []
    for name, a in bp.check.items():
        for f in a.figures:
            if f.target.per == "interval":
                has = f.customers > 0
                worst = int(np.nanargmax(np.where(has, f.ratio, -np.inf))) if has.any() else 0
                est, lo, hi = f.estimate[worst], f.ci_low[worst], f.ci_high[worst]
                where = first.table()["interval"].iloc[worst]
            else:
                est, lo, hi, where = f.estimate[0], f.ci_low[0], f.ci_high[0], "day"
            rows.append({"group": name, "target": f.target.describe(), "worst": where, "estimate": float(est),
                         "ci_low": float(lo), "ci_high": float(hi), "holds": bool(f.holds.all())})
    check = pd.DataFrame(rows)
    files["joint_check"] = _safe_csv(check, out / "joint_check.csv")
    hours = first.interval / 3600
    lines = [f"# Staffing plan: {bp.scenario.name} (every desk group)", "",
             f"{len(bp.results)} desk groups planned one after another, in this order: "
             + ", ".join(f"**{r.group}**" for r in bp.results) + ". Each was planned with the groups before it "
             "already at their new plan and the later ones at the scenario's schedule; a group sharing a queue "
             "with another that failed a target in the joint check was planned again from its plan, with every "
             "other group at its plan. Each group has its own roster from the same shift templates (people are "
             "not moved between desk types).", "",
             "| group | desk-hours (SIPP) | roster cost | joint check | report |", "|---|---|---|---|---|"]
    for r in bp.results:
        cost = f"{r.roster.cost:,.2f}" if r.roster is not None else ("no roster" if r.roster_error else "–")
        ok = "holds" if bp.check_holds(r.group) else "**broken**"
        lines.append(f"| {r.group} | {r.plan.desk_hours:.2f} ({float(r.sipp.sum() * hours):.2f}) | {cost} | {ok} | "
                     f"[{group_slug(r.group)}/report.md]({group_slug(r.group)}/report.md) |")
    lines += ["", "## Joint check", "",
              f"The whole day simulated again on {bp.results[0].replications} fresh days with every group at its "
              "plan (worst interval of each per-interval target; 95 % confidence intervals). Groups that share a "
              "queue can move each other's figures; groups that do not, cannot.", "",
              _md_table(check, "{:.4g}"), "",
              f"Desks per interval of every group: `{files['plan'].name}`. Run time {bp.seconds['total']:.1f} s, "
              f"{bp.customers_simulated:,} customers simulated.", ""]
    (out / "report.md").write_text("\n".join(lines), encoding="utf-8")
    files["report"] = out / "report.md"
    return files
