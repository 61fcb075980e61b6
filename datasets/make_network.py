"""Make a network of kiosk branches (all synthetic): one turn-terminal log per branch.

Usage::

    python datasets/make_network.py                         # the bundled sample: datasets/network/, 6 x 10, gzip
    python datasets/make_network.py --branches 50 --days 250 --out-dir /tmp/net --plain --jobs 2

Every file is in the format of ``branch_kiosk.csv`` (``;``, cp1252, CRLF, dd/mm/yyyy; the shipped
``vendor_a_es`` mapping), named ``<code>-<name>.csv`` (``B001-belgrano.csv``), so that
``waitlab.network.read_logs(folder)`` reads the whole network and ``site_from=r"^(B\\d+)-"``
names the sites by code. ``_network.json`` beside them holds the facts (each branch's size,
hours, desks, rows, share of called tickets that waited over 30 minutes, and the tickets
called out of turn); a folder source skips files whose name starts with ``_``.
Running it again with the same arguments writes byte-identical files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _gen_network import make_branch, make_network  # noqa: E402

SEED = 20250310
GENERATED_WITH_NUMPY = "2.4"


def _add_path() -> None:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))


def write_network(out_dir: str | Path = HERE / "network", *, branches: int = 6, days: int = 10, seed: int = SEED,
                  compress: bool = True, jobs: int = 1) -> dict:
    """Write one log per branch into `out_dir` (``.csv.gz`` when `compress`) and return the facts."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    specs, day_list, seeds = make_network(seed, branches, days)
    facts = {"seed": seed, "branches": branches, "days": [d.isoformat() for d in day_list], "sites": []}

    def write(made: Iterable[tuple[bytes, dict]]) -> None:  # each branch written as it comes: memory of a few
        for data, f in made:
            name = f["file"] + (".gz" if compress else "")
            (out / name).write_bytes(gzip.compress(data, compresslevel=9, mtime=0) if compress else data)
            facts["sites"].append(f | {"file": name})

    if jobs > 1:
        with ProcessPoolExecutor(jobs, initializer=_add_path) as pool:
            write(pool.map(make_branch, specs, [day_list] * len(specs), seeds, chunksize=4))
    else:
        write(make_branch(b, day_list, s) for b, s in zip(specs, seeds, strict=True))
    (out / "_network.json").write_text(json.dumps(facts, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return facts


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: write the network and print one line per branch."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--branches", type=int, default=6, help="number of branches, at least 3 [6]")
    p.add_argument("--days", type=int, default=10, help="business days from Monday 10 March 2025 [10]")
    p.add_argument("--seed", type=int, default=SEED, help=f"seed [{SEED}]")
    p.add_argument("--out-dir", default=str(HERE / "network"), help="folder to write into [datasets/network]")
    p.add_argument("--plain", action="store_true", help="write .csv instead of .csv.gz")
    p.add_argument("--jobs", type=int, default=1, help="processes generating branches in parallel [1]")
    p.add_argument("--quiet", action="store_true", help="print nothing")
    args = p.parse_args(argv)
    if args.branches < 3 or args.days < 1:
        p.error("--branches must be at least 3 and --days at least 1")
    facts = write_network(args.out_dir, branches=args.branches, days=args.days, seed=args.seed,
                          compress=not args.plain, jobs=args.jobs)
    if not args.quiet:
        print(f"{args.branches} branches x {len(facts['days'])} days ({facts['days'][0]} .. {facts['days'][-1]})")
        for s in facts["sites"]:
            print(f"  {s['file']:<34} {s['site']:<28} {s['opens']}-{s['closes']} desks {s['cajas']}+{s['boxes']:<3} "
                  f"rows {s['rows']:>7,}  >30 min {s['called_over_30_min']:.1%}  out of turn {len(s['out_of_turn'])}"
                  f"  {s['kind']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
