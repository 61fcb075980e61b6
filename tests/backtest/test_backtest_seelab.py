"""The backtest on the SEELab month (general pool: every queue but IN; test weekdays 15-28 Feb, 07-23 h).

Checks only what the models must get right relative to each other, not this month's figures:
Erlang A, which has abandonment, beats Erlang C on the abandonment share and on ASA.
"""

from pathlib import Path

import pytest

import waitlab

MONTH = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "anonymous_bank" / "february.txt"


def test_seelab_general_pool_erlang_a_beats_erlang_c() -> None:
    if not MONTH.is_file():
        pytest.skip(f"the SEELab month is not at {MONTH} (it is not shipped in the repository)")
    c, _ = waitlab.read_log(MONTH, format="seelab")
    general = c[c["queue"].astype("string") != "IN"]
    res = waitlab.backtest(general, train=("1999-02-01", "1999-02-14"), test=("1999-02-15", "1999-02-28"),
                           hours=(7, 23), weekdays=[6, 0, 1, 2, 3])
    e = res.errors.set_index(["model", "kpi"])
    assert e.loc[("erlang_a", "abandon"), "intervals"] >= 150  # 10 weekdays x 16 hours, a few left out
    assert e.loc[("erlang_a", "abandon"), "mae"] < e.loc[("erlang_c", "abandon"), "mae"]
    assert e.loc[("erlang_a", "asa"), "mae"] < e.loc[("erlang_c", "asa"), "mae"]
