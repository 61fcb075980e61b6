"""``make demo``: the main job on the bundled sample data, printing where every result is.

Steps: read the branch's turn-terminal log (Spanish export) and the call center's month;
write their contacts tables, quarantined rows, HTML reports and Excel workbooks; check the
branch against the CABA rule; plan the call center's staffing from its log; estimate waits
from a manual headcount sheet; simulate the branch with two more desks at lunch.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from waitlab.exceptions import WaitlabError

DATASETS = Path(__file__).resolve().parents[1] / "datasets"


def _step(title: str) -> float:
    print(f"\n== {title}", flush=True)
    return time.perf_counter()


def _branch(data: Path, out: Path, seats: int) -> None:
    from waitlab.compliance import check_compliance
    from waitlab.readers import read_log
    from waitlab.report import write_report

    t0 = _step("Branch: turn-terminal log (datasets/branch_kiosk.csv, Spanish export)")
    contacts, ingest = read_log(data / "branch_kiosk.csv", format="kiosk", mapping="vendor_a_es")
    print(ingest)
    out.mkdir(parents=True, exist_ok=True)
    contacts.to_parquet(out / "contacts.parquet")
    ingest.write_quarantine(out / "quarantine.csv")
    result = check_compliance(contacts, rules="CABA", seats=seats)
    print(result)
    paths = write_report(contacts, out, ingest=ingest, rules="CABA", seats=seats, lang="es")
    print(f"contacts:   {out / 'contacts.parquet'}\nquarantine: {out / 'quarantine.csv'}")
    print(f"report:     {paths['html']}\nworkbook:   {paths['excel']}   ({time.perf_counter() - t0:.1f} s)")


def _callcenter(data: Path, out: Path) -> None:
    from waitlab.readers import read_log
    from waitlab.report import write_report
    from waitlab.report._safe import neutralize_cells
    from waitlab.staffing import staffing_from_log
    from waitlab.targets import Target

    t0 = _step("Call center: a month of ACD log (datasets/callcenter_month.csv)")
    contacts, ingest = read_log(data / "callcenter_month.csv", format="acd")
    print(ingest)
    out.mkdir(parents=True, exist_ok=True)
    contacts.to_parquet(out / "contacts.parquet")
    result = staffing_from_log(contacts, interval="30min",
                               targets=[Target.service_level(60.0, 0.8), Target.abandon_rate(0.05)])
    neutralize_cells(result.table).to_csv(out / "staffing.csv", index=False)
    d = result.summary()
    print("staffing for 80 % answered within 60 s and at most 5 % abandoning:")
    for n in result.notes:
        print(f"  - {n}")
    print(f"  {d['understaffed']} of {d['intervals_with_arrivals']} half-hours were understaffed "
          f"(largest shortfall {d['max_shortfall']} agents)")
    paths = write_report(contacts, out, ingest=ingest, rules="limit15", lang="es", sl_threshold=60.0)
    print(f"staffing:   {out / 'staffing.csv'}\nreport:     {paths['html']}\nworkbook:   {paths['excel']}"
          f"   ({time.perf_counter() - t0:.1f} s)")


def _headcounts(data: Path, out: Path) -> None:
    from waitlab.analytics import from_headcounts

    _step("Branch without a turn terminal: manual headcounts (Little's law)")
    result = from_headcounts(data / "headcounts_sheet.csv", data / "headcounts_arrivals.csv")
    print(result)
    out.mkdir(parents=True, exist_ok=True)
    from waitlab.report._safe import neutralize_cells

    neutralize_cells(result.table).to_csv(out / "headcounts_estimate.csv", index=False)
    print(f"estimate:   {out / 'headcounts_estimate.csv'}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m waitlab.demo", description=__doc__)
    parser.add_argument("--out", default="out", help="output folder [out]")
    parser.add_argument("--data", default=str(DATASETS), help="folder of the sample data [datasets/]")
    parser.add_argument("--seats", type=int, default=20, help="seats in the sample branch's waiting room [20]")
    args = parser.parse_args(argv)
    data, out = Path(args.data), Path(args.out)
    if not (data / "branch_kiosk.csv").exists():
        print(f"demo: sample data not found in {data}; run from the project folder or pass --data.", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    try:
        _branch(data, out / "branch", args.seats)
        _callcenter(data, out / "callcenter")
        _headcounts(data, out / "headcounts")
        _simulation(data, out / "simulation", args.seats)
    except WaitlabError as exc:
        print(f"demo: {exc}", file=sys.stderr)
        return 2
    print(f"\nDone in {time.perf_counter() - t0:.0f} s. Results are under {out.resolve()}/ "
          "(open branch/report.html first).")
    return 0


def _simulation(data: Path, out: Path, seats: int) -> None:
    import dataclasses

    import pandas as pd

    from waitlab.readers import read_log
    from waitlab.report._safe import neutralize_cells
    from waitlab.sim import Scenario, replay, run

    t0 = _step("What-if: the branch's breach day replayed with two more cajas, and a simulated lunch")
    contacts, _ = read_log(data / "branch_kiosk.csv", format="kiosk", mapping="vendor_a_es")
    day = "2025-03-25"  # the day after the holiday (datasets/README.md)
    as_was = replay(contacts, date=day, rules="CABA", seats=seats)
    more = replay(contacts, {"Caja": "+2"}, date=day, rules="CABA", seats=seats)
    rows = ["arrivals", "served", "no_show", "wait_mean", "wait_p90", "wait_max", "breaches_standing_30",
            "breaches_total_90"]
    table = pd.DataFrame({
        "actual": as_was.comparison.set_index("kpi")["actual"],
        "replayed as staffed": as_was.comparison.set_index("kpi")["replayed"],
        "replayed, 2 more cajas": more.comparison.set_index("kpi")["replayed"],
    }).loc[rows]
    out.mkdir(parents=True, exist_ok=True)
    neutralize_cells(table.reset_index()).to_csv(out / "replay_2025-03-25.csv", index=False)
    print(f"{day}, the same customers (real arrivals and service times) against another desk schedule "
          "(waits in seconds):")
    print(table.round(1).to_string())
    print("  (a replay serves no-shows who would have stayed until called, so compare the two replayed "
          "columns with each other)")

    base = dataclasses.replace(Scenario.from_log(contacts, date=day), name="as staffed")
    extra = base.with_desks("Caja", change=2, start="12:00", end="14:00", name="2 more cajas 12-14")
    runs = [run(sc, replications=50, rng=7, rules="CABA", seats=seats, processes=1) for sc in (base, extra)]
    summary = pd.concat({r.scenario.name: r.summary[["mean", "ci_low", "ci_high"]] for r in runs}, axis=1)
    neutralize_cells(summary.reset_index()).to_csv(out / "simulated_lunch.csv", index=False)
    print(f"\n50 simulated days like {day} (Scenario.from_log: its arrival rates, desks, service and patience), "
          "the same customers in both plans; mean per day [95 % CI]:")
    for kpi, unit, scale in (("wait_mean", "min", 60), ("wait_p90", "min", 60), ("breaching_share", "%", 0.01)):
        cells = "   ".join(f"{r.scenario.name}: {r.summary.loc[kpi, 'mean'] / scale:.1f} "
                           f"[{r.summary.loc[kpi, 'ci_low'] / scale:.1f}, {r.summary.loc[kpi, 'ci_high'] / scale:.1f}]"
                           for r in runs)
        print(f"  {kpi} ({unit}): {cells}")
    for limit in runs[0].breach_probability.index:
        cells = "   ".join(f"{r.scenario.name}: {100 * r.breach_probability.loc[limit, 'probability']:.0f} %"
                           for r in runs)
        print(f"  P(a day breaches {limit}): {cells}")
    print(f"replay:     {out / 'replay_2025-03-25.csv'}\nsimulated:  {out / 'simulated_lunch.csv'}"
          f"   ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    sys.exit(main())
