"""waitlab.backtest against a simulated M/M/n+M log whose rates, desks and patience are known.

Twelve simulated days of one queue (110 calls/h, mean service 300 s, 10 desks all day,
exponential patience 200 s): the log *is* an Erlang A queue, so Erlang A's predictions must
agree with the observed KPIs to within sampling error, and Erlang C (no abandonment) must miss
the abandonment share. The tolerance is four standard errors of the mean over the test hours.
"""

import math

import pandas as pd
import pytest
from backtest_helpers import DESKS, PATIENCE, sim_log_fixture  # noqa: F401  (the `log` fixture)

import waitlab
from waitlab.exceptions import ArgumentError, SchemaError


def _run(log: pd.DataFrame, **kw):
    return waitlab.backtest(log, train=("2024-03-04", "2024-03-09"), test=("2024-03-10", "2024-03-15"),
                            hours=(1, 22), sl_thresholds=(20, 60), **kw)


def test_erlang_a_reproduces_a_simulated_erlang_a_log(log: pd.DataFrame) -> None:
    res = _run(log)
    t = res.table
    a = t[t["model"] == "erlang_a"]
    assert set(a["kpi"]) == {"abandon", "asa", "wait_mean", "prob_wait", "sl_20", "sl_60"}
    # Patience fitted on the training days is near the true 200 s.
    assert a["mean_patience"].iloc[0] == pytest.approx(PATIENCE, rel=0.1)
    # Desks on duty measured from the log: the 10 open desks.
    assert a["desks_on_duty"].mean() == pytest.approx(DESKS, abs=0.3)
    for kpi in ("abandon", "asa", "wait_mean", "prob_wait", "sl_20", "sl_60"):
        k = a[a["kpi"] == kpi]
        se = k["observed"].std(ddof=1) / math.sqrt(len(k))
        assert abs(k["predicted"].mean() - k["observed"].mean()) < 4 * se + 1e-9, kpi
    e = res.errors.set_index(["model", "kpi"])
    assert e.loc[("erlang_a", "abandon"), "mae"] < e.loc[("erlang_c", "abandon"), "mae"]
    assert abs(e.loc[("erlang_a", "abandon"), "bias"]) < abs(e.loc[("erlang_c", "abandon"), "bias"])
    assert e.loc[("erlang_a", "abandon"), "intervals"] == 6 * 21
    assert "Backtest" in str(res) and res.to_frame() is res.table
    assert any("desks_on_duty" in n for n in res.notes)


def test_train_may_be_another_table(log: pd.DataFrame) -> None:
    cut = pd.Timestamp("2024-03-10", tz=log["arrived_at"].dt.tz)
    train = log[log["arrived_at"] < cut]
    res = waitlab.backtest(log, train=train, test=("2024-03-10", "2024-03-15"), hours=(1, 22), models=("erlang_a",))
    assert set(res.errors["model"]) == {"erlang_a"}


@pytest.mark.parametrize(("kw", "word"), [
    ({"models": ("erlang_b",)}, "`models`"),
    ({"sl_thresholds": (-5,)}, "`sl_thresholds`"),
    ({"hours": (23, 7)}, "`hours`"),
    ({"weekdays": [7]}, "`weekdays`"),
    ({"min_arrivals": 0}, "`min_arrivals`"),
    ({"train": ("2024-03-10", "2024-03-12")}, "overlaps"),
    ({"train": ("nonsense", "2024-03-09")}, "`train`"),
    ({"train": ("2024-03-09", "2024-03-04")}, "swap"),
    ({"test": ("2025-01-01", "2025-01-02")}, "`test`"),
    ({"interval": "7min"}, "interval"),
])  # fmt: skip
def test_option_errors_are_one_sentence(log: pd.DataFrame, kw: dict, word: str) -> None:
    args = {"train": ("2024-03-04", "2024-03-09"), "test": ("2024-03-10", "2024-03-15"), **kw}
    with pytest.raises(ArgumentError) as exc:
        waitlab.backtest(log, **args)
    msg = str(exc.value)
    assert word in msg and msg.replace("e.g. ", "").count(". ") == 0 and msg.endswith(".")


def test_missing_arrivals_column() -> None:
    with pytest.raises(SchemaError, match="arrived_at"):
        waitlab.backtest(pd.DataFrame({"x": [1]}), train=("2024-01-01", "2024-01-02"), test=("2024-01-03", "2024-01-04"))
