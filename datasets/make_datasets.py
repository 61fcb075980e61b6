"""Make the bundled sample data of waitlab (all synthetic) from seeded simulations.

Usage::

    python datasets/make_datasets.py                 # rewrite the files next to this script
    python datasets/make_datasets.py --out-dir /tmp/x

Running it again produces byte-identical files. Every file is described in
``datasets/README.md``; the facts the README states (days, breach day, broken rows,
out-of-turn tickets, true waits) are printed by this script as a summary.

Files
-----
branch_kiosk.csv          turn-terminal log of one Buenos Aires branch (Spanish CSV, cp1252)
callcenter_month.csv      a month of a call center's ACD log (UTF-8 CSV)
asterisk_queue_log.txt    one morning of an Asterisk ``queue_log``
headcounts_sheet.csv      manual 10-minute headcounts of a branch without a turn terminal
headcounts_arrivals.csv   the companion hourly arrival tally of that branch
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from _gen_asterisk import make_asterisk_log  # noqa: E402
from _gen_callcenter import make_callcenter  # noqa: E402
from _gen_headcounts import make_headcounts  # noqa: E402
from _gen_kiosk import make_kiosk  # noqa: E402

#: numpy feature release the files were generated with. numpy does not promise identical random
#: streams across feature releases, so another release may produce (equally valid) other files.
GENERATED_WITH_NUMPY = "2.4"

#: One seed per file, so changing one generator never changes the other files.
SEEDS = {"kiosk": 20250325, "callcenter": 20250301, "asterisk": 20250326, "headcounts": 20250320}


def write_datasets(out_dir: str | Path = HERE) -> dict[str, object]:
    """Write every sample file into `out_dir` and return the facts the README documents.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if missing). Defaults to the folder of this script.

    Returns
    -------
    dict
        One entry per generator (``"kiosk"``, ``"callcenter"``, ``"asterisk"``,
        ``"headcounts"``) with its summary facts.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    facts: dict[str, object] = {}
    kiosk_bytes, facts["kiosk"] = make_kiosk(SEEDS["kiosk"])
    (out / "branch_kiosk.csv").write_bytes(kiosk_bytes)
    cc_name, cc_bytes, facts["callcenter"] = make_callcenter(SEEDS["callcenter"])
    (out / cc_name).write_bytes(cc_bytes)
    ast_bytes, facts["asterisk"] = make_asterisk_log(SEEDS["asterisk"])
    (out / "asterisk_queue_log.txt").write_bytes(ast_bytes)
    sheet, arrivals, facts["headcounts"] = make_headcounts(SEEDS["headcounts"])
    (out / "headcounts_sheet.csv").write_bytes(sheet)
    (out / "headcounts_arrivals.csv").write_bytes(arrivals)
    return facts


def _print_facts(facts: dict[str, object], indent: str = "") -> None:
    for key, value in facts.items():
        if isinstance(value, dict):
            print(f"{indent}{key}:")
            _print_facts(value, indent + "  ")
        elif isinstance(value, list) and value and isinstance(value[0], (list, tuple, dict)):
            print(f"{indent}{key}:")
            for item in value:
                print(f"{indent}  - {item}")
        else:
            print(f"{indent}{key}: {value}")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: write the files and print their summary facts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", default=str(HERE), help="folder to write into (default: %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="do not print the summary facts")
    args = parser.parse_args(argv)
    facts = write_datasets(args.out_dir)
    if not args.quiet:
        _print_facts(facts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
