"""The backtest's simulator column, sampling noise, exports and by-hour picture, on the simulated M/M/n+M log.

The log is an Erlang A queue (110 calls/h, 300 s service, 10 desks, patience 200 s), so the
as-is simulation, replicated, must agree with the observed KPIs to within sampling error
(four standard errors of the mean over the test hours); the noise figures are checked against
a direct binomial sum and a hand-computed standard error.
"""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from backtest_helpers import sim_log_fixture  # noqa: F401  (the `log` fixture)

import waitlab
from waitlab._backtest_noise import binomial_mad, mean_se_mad
from waitlab.cli import main
from waitlab.exceptions import ArgumentError

TRAIN, TEST = ("2024-03-04", "2024-03-09"), ("2024-03-10", "2024-03-12")


@pytest.fixture(scope="module", name="res")
def res_fixture(log: pd.DataFrame) -> waitlab.ModelBacktestResult:
    from waitlab.sim import as_is_simulator

    return waitlab.backtest(log, train=TRAIN, test=TEST, hours=(1, 22), sl_thresholds=(20,),
                            simulate=as_is_simulator(replications=8, rng=1))


def test_simulation_reproduces_the_simulated_log(res: waitlab.ModelBacktestResult) -> None:
    t = res.table
    s = t[t["model"] == "simulation"]
    assert set(s["kpi"]) == {"abandon", "asa", "wait_mean", "prob_wait", "sl_20"} and len(s) == 5 * 3 * 21
    for kpi in ("abandon", "asa", "wait_mean", "prob_wait", "sl_20"):
        k = s[s["kpi"] == kpi]
        se = k["observed"].std(ddof=1) / math.sqrt(len(k))
        assert abs(k["predicted"].mean() - k["observed"].mean()) < 4 * se, kpi
    e = res.errors.set_index(["model", "kpi"])
    assert e.loc[("simulation", "abandon"), "intervals"] == 3 * 21
    assert any(n.startswith("simulation: 8 replications") for n in res.notes)


def test_noise_is_the_binomial_mean_absolute_deviation(res: waitlab.ModelBacktestResult) -> None:
    # direct sum over k of C(n, k) p^k (1-p)^(n-k) |k/n - p|
    def direct(n: int, p: float) -> float:
        return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) * abs(k / n - p) for k in range(n + 1))

    for n, p in [(1, 0.3), (7, 0.05), (40, 0.5), (113, 0.12)]:
        assert binomial_mad(np.array([n]), np.array([p]))[0] == pytest.approx(direct(n, p), rel=1e-10)
    t = res.table
    a = t[(t["model"] == "erlang_a") & (t["kpi"] == "abandon")].head(5)
    for r in a.itertuples():  # every contact of the simulated log has a known wait: n = arrivals
        assert r.noise == pytest.approx(direct(int(r.arrivals), r.predicted), rel=1e-9)
    e = res.errors.set_index(["model", "kpi"])
    k = t[(t["model"] == "erlang_a") & (t["kpi"] == "sl_20")]
    assert e.loc[("erlang_a", "sl_20"), "noise_mae"] == pytest.approx(k["noise"].mean())


def test_asa_noise_is_the_standard_error_of_the_cell(log: pd.DataFrame, res: waitlab.ModelBacktestResult) -> None:
    t = res.table
    row = t[(t["model"] == "erlang_a") & (t["kpi"] == "asa")].iloc[3]
    start = pd.Timestamp(row["interval_start"])
    cell = log[(log["arrived_at"] >= start) & (log["arrived_at"] < start + pd.Timedelta(hours=1))]
    ans = cell[cell["outcome"] == "served"]
    waits = (ans["called_at"] - ans["arrived_at"]).dt.total_seconds().to_numpy()
    expected = math.sqrt(2 / math.pi) * waits.std(ddof=1) / math.sqrt(len(waits))
    assert row["noise"] == pytest.approx(expected, rel=1e-9)
    # the mean wait: every call of the cell, answered or not, with its wait until called or gone
    row = t[(t["model"] == "erlang_a") & (t["kpi"] == "wait_mean")].iloc[3]
    gone = cell["called_at"].fillna(cell["ended_at"])
    waits = (gone - cell["arrived_at"]).dt.total_seconds().to_numpy()
    assert row["observed"] == pytest.approx(waits.mean(), rel=1e-9)
    assert row["noise"] == pytest.approx(math.sqrt(2 / math.pi) * waits.std(ddof=1) / math.sqrt(len(waits)), rel=1e-9)
    assert mean_se_mad(np.array([3.0]), np.array([1]))[0] != mean_se_mad(np.array([3.0]), np.array([1]))[0]  # NaN


def test_simulation_noise_is_the_spread_of_its_own_days(res: waitlab.ModelBacktestResult) -> None:
    # The log is a day of the very queue the as-is simulation replays (same arrivals, same
    # desks, patience and service fitted on training days), so the simulation is (nearly) the
    # exact model and its MAE against the log must be about the noise it measures from its own
    # replications: E|X - mu| for one day X. Not quite exact: its service is a lognormal with the
    # exponential's mean and cv (a heavier tail), so its days spread a little wider than the log's
    # (ratios 0.67-0.88 over seeds 1-3). 63 cells; the band allows for that and for the sample.
    e = res.errors.set_index(["model", "kpi"])
    for kpi in ("abandon", "asa", "wait_mean"):
        mae, noise = e.loc[("simulation", kpi), "mae"], e.loc[("simulation", kpi), "noise_mae"]
        assert 0.6 < mae / noise < 1.45, (kpi, mae, noise)
    # Erlang A's independent-calls noise of the mean wait is a lower bound: the waits of one
    # hour move together, so the replications spread wider.
    assert e.loc[("erlang_a", "wait_mean"), "noise_mae"] < e.loc[("simulation", "wait_mean"), "noise_mae"]


def test_replication_spread_estimates_the_mean_absolute_deviation() -> None:
    from waitlab.sim._backtest_sim import mean_and_spread

    # Normal replications: E|X - mu| = sigma * sqrt(2 / pi). 400 cells of 5 replications each.
    rng = np.random.default_rng(3)
    sigma = np.repeat(rng.uniform(1, 10, 400), 5)
    st = pd.DataFrame({"interval_start": np.repeat(np.arange(400), 5), "k": rng.normal(50, sigma)})
    out = mean_and_spread(st, ["interval_start"], ["k"])
    ratio = out["noise_k"].to_numpy() / (sigma[::5] * math.sqrt(2 / math.pi))
    assert ratio.mean() == pytest.approx(1.0, abs=0.05)  # unbiased (sqrt(R / (R - 1)))
    # Two replications 1 and 3: mean 2, |deviations| 1, times sqrt(2 / 1); one value: NaN.
    two = mean_and_spread(pd.DataFrame({"c": [0, 0, 1], "k": [1.0, 3.0, 5.0]}), ["c"], ["k"])
    assert two["k"].tolist() == [2.0, 5.0]
    assert two["noise_k"].iloc[0] == pytest.approx(math.sqrt(2)) and np.isnan(two["noise_k"].iloc[1])


def test_by_hour_is_the_mean_over_test_days(res: waitlab.ModelBacktestResult) -> None:
    h = res.by_hour("abandon").set_index("hour")
    t = res.table
    k = t[(t["kpi"] == "abandon") & (pd.to_datetime(t["interval_start"]).dt.hour == 5)]
    assert h.loc[5, "observed"] == pytest.approx(k[k["model"] == "erlang_a"]["observed"].mean())
    assert h.loc[5, "simulation"] == pytest.approx(k[k["model"] == "simulation"]["predicted"].mean())
    fig = res.plot("sl_20", lang="es")
    ax = fig.axes[0]
    assert "Nivel de servicio (20 s)" in ax.get_title() and len(ax.get_lines()) == 4
    with pytest.raises(ArgumentError, match="`kpi`"):
        res.plot("nonsense")


def test_simulation_needs_a_simulator(log: pd.DataFrame) -> None:
    with pytest.raises(ArgumentError, match="`simulate`"):
        waitlab.backtest(log, train=TRAIN, test=TEST, models=("erlang_a", "simulation"))


def test_cli_writes_neutralised_csv_workbook_and_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         log: pd.DataFrame) -> None:
    path = tmp_path / "sim.parquet"
    log.assign(queue="=1+1").to_parquet(path)
    out = tmp_path / "out"
    code = main(["backtest", str(path), "--train", "2024-03-04:2024-03-09", "--test", "2024-03-10:2024-03-11",
                 "--hours", "8-12", "--by", "queue", "--simulate", "3", "-o", str(out), "--lang", "en"])
    text = capsys.readouterr().out
    assert code == 0 and "simulation" in text and "noise MAE" in text
    for name in ("backtest.csv", "backtest.xlsx", "backtest_abandon.png", "backtest_asa.png",
                 "backtest_prob_wait.png", "backtest_sl_20.png"):
        assert (out / name).is_file(), name
    table = pd.read_csv(out / "backtest.csv")
    assert set(table["queue"]) == {"'=1+1"} and set(table["model"]) == {"erlang_c", "erlang_a", "simulation"}
    from openpyxl import load_workbook

    wb = load_workbook(out / "backtest.xlsx")
    assert {"errors", "backtest", "notes"} <= set(wb.sheetnames)
    cells = {c.value for row in wb["backtest"].iter_rows() for c in row}
    assert "'=1+1" in cells and "=1+1" not in cells
