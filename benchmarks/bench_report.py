"""Report speed: the full ``waitlab.write_report`` of a month against reading that month's log.

Issue 15's target: the report (HTML and Excel workbook, every section) of a 35,000-call month
takes less than 4x the time ``waitlab.read_log`` takes to read it. In this one process, alternating,
the script times

* ``waitlab.read_log(path, format=...)``: the full ingest, and
* ``waitlab.write_report(contacts, out, ingest=report)``: the numbers (``compute_report``), the
  figures, the HTML page and the workbook,

and prints best and median of each, the ratio of the bests, the numbers alone
(``waitlab.report.compute_report``), and the CPU time of this process for the read and the report
(steadier than wall time on a machine shared with other jobs) with their ratio.

The log defaults to the SEELab month (``/work/shared/datasets/anonymous_bank/february.txt``,
format ``seelab``; 31,052 calls); any other log works with ``--format`` (and ``--mapping``).

Usage::

    python benchmarks/bench_report.py                    # the SEELab month, best of 3
    python benchmarks/bench_report.py datasets/callcenter_month.csv --format acd --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

SEELAB = Path("/work/shared/datasets/anonymous_bank/february.txt")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log", nargs="?", default=str(SEELAB), help="log file [the SEELab month]")
    ap.add_argument("--format", default="seelab", help="reader format [seelab]")
    ap.add_argument("--mapping", default=None, help="column mapping for kiosk/acd logs")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions of each step [3]")
    ap.add_argument("--quick", action="store_true", help="one repetition")
    args = ap.parse_args(argv)
    path = Path(args.log)
    if not path.exists():
        print(f"{path} is not there: pass a log file (and --format) to time another month.", file=sys.stderr)
        return 0
    import waitlab
    from waitlab.report import compute_report
    from waitlab.report._excel import write_workbook  # noqa: F401  (imported before timing)

    repeat = 1 if args.quick else max(1, args.repeat)
    kw = {"format": args.format, **({"mapping": args.mapping} if args.mapping else {})}
    contacts, ingest = waitlab.read_log(path, **kw)  # warm-up: imports, caches
    reads, reports, computes, cpu_reads, cpu_reports = [], [], [], [], []
    with tempfile.TemporaryDirectory(prefix="waitlab-bench-report-") as tmp:
        waitlab.write_report(contacts, tmp, ingest=ingest)  # warm-up: matplotlib, xlsxwriter, scipy
        for _ in range(repeat):
            c0, t0 = time.process_time(), time.perf_counter()
            contacts, ingest = waitlab.read_log(path, **kw)
            c1, t1 = time.process_time(), time.perf_counter()
            waitlab.write_report(contacts, tmp, ingest=ingest)
            c2, t2 = time.process_time(), time.perf_counter()
            compute_report(contacts, ingest=ingest)
            t3 = time.perf_counter()
            reads.append(t1 - t0)
            reports.append(t2 - t1)
            computes.append(t3 - t2)
            cpu_reads.append(c1 - c0)
            cpu_reports.append(c2 - c1)
    print(f"log: {path} ({len(contacts):,} contacts, format {args.format})")
    print(f"read_log     best {min(reads):6.2f} s   median {statistics.median(reads):6.2f} s")
    print(f"write_report best {min(reports):6.2f} s   median {statistics.median(reports):6.2f} s"
          f"   (of which the numbers, compute_report: best {min(computes):.2f} s)")
    print(f"ratio report / read (bests): {min(reports) / min(reads):.2f}x   (target: < 4x)")
    print(f"CPU time (this process; steadier on a busy machine): read_log best {min(cpu_reads):.2f} s, "
          f"write_report best {min(cpu_reports):.2f} s, ratio {min(cpu_reports) / min(cpu_reads):.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
