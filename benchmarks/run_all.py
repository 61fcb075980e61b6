"""Run every ``benchmarks/bench_*.py`` script, each in its own subprocess, and print their outputs.

Each script runs with this interpreter from the repository root; ``--quick`` is passed through to
scripts that accept it (bench_ingest.py takes ``--rows`` instead and gets ``--rows 100_000``).
Scripts run one after the other (never in parallel: they time themselves).  The exit status is
non-zero if any script failed.

Usage::

    python benchmarks/run_all.py             # full sizes (minutes; bench_ingest writes ~1 GB)
    python benchmarks/run_all.py --quick     # small sizes
    python benchmarks/run_all.py --only erlang sim
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: quick-mode arguments for scripts without a ``--quick`` flag
QUICK_ARGS = {"bench_ingest.py": ["--rows", "100_000"]}


def accepts_quick(script: Path) -> bool:
    """Does `script` define a ``--quick`` option?"""
    return '"--quick"' in script.read_text(encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the scripts; return 1 if any failed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, passed through to each script")
    ap.add_argument(
        "--only",
        nargs="*",
        default=None,
        metavar="NAME",
        help="run only these benchmarks (e.g. erlang sim for bench_erlang.py, bench_sim.py)",
    )
    args = ap.parse_args(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        wanted = {n.removeprefix("bench_").removesuffix(".py") for n in args.only}
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    if not scripts:
        print("no benchmark scripts found", file=sys.stderr)
        return 1
    failed = []
    for script in scripts:
        cmd = [sys.executable, str(script)]
        if args.quick:
            cmd += ["--quick"] if accepts_quick(script) else QUICK_ARGS.get(script.name, [])
        print(f"=== {script.name} {' '.join(cmd[2:])}".rstrip(), flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, check=False)  # output streams straight through
        took = time.perf_counter() - t0
        status = "ok" if proc.returncode == 0 else f"FAILED (exit {proc.returncode})"
        print(f"=== {script.name}: {status} in {took:.1f} s\n", flush=True)
        if proc.returncode:
            failed.append(script.name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    print(f"all {len(scripts)} benchmark(s) ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
