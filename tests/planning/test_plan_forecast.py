"""``waitlab plan --forecast``: a forecast day becomes the scenario's rates; a robust plan needs no fewer desks."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from waitlab.cli import main
from waitlab.exceptions import ArgumentError, ScenarioError
from waitlab.forecasting._staff import read_forecast
from waitlab.planning import Target, forecast_days, scenario_from_forecast, scenario_sipp_plan
from waitlab.sim import Scenario

SCENARIO = """\
[scenario]
site = "Sucursal Test"
date = 2024-03-04
start = "10:00"
end = "13:00"
interval_minutes = 30
channel = "kiosk"

[[queue]]
name = "caja"
rates_per_hour = 10
service = { dist = "lognormal", mean = 240, cv = 0.7 }
patience = { dist = "exponential", mean = 2700 }

[[desks]]
name = "caja"
serves = ["caja"]
open = 2
"""

# arrivals per 30-min interval, 10:00 to 12:30, on two days; the 95 % bound is 40 % above
DAY1 = [20.0, 30.0, 45.0, 45.0, 30.0, 15.0]
DAY2 = [10.0, 10.0, 10.0, 10.0, 10.0, 10.0]


def _forecast_csv(tmp_path) -> tuple:
    rows = []
    for day, counts in (("2025-03-24", DAY1), ("2025-03-25", DAY2)):
        for i, n in enumerate(counts):
            start = pd.Timestamp(f"{day} 10:00", tz="America/Argentina/Buenos_Aires") + pd.Timedelta(minutes=30 * i)
            rows.append({"interval_start": start.isoformat(), "queue": "caja", "day_kind": "", "arrivals": n,
                         "arrivals_lo_95": 0.6 * n, "arrivals_hi_95": 1.4 * n, "mean_service": 300.0 + 60 * (i % 2)})
    path = tmp_path / "forecast.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    scen = tmp_path / "s.toml"
    scen.write_text(SCENARIO, encoding="utf-8")
    return path, scen


def test_scenario_rates_are_the_forecast_arrivals_per_hour(tmp_path):
    path, scen = _forecast_csv(tmp_path)
    table = read_forecast(path)
    base = Scenario.from_toml(scen)
    assert [str(d) for d in forecast_days(table)] == ["2025-03-24", "2025-03-25"]
    sc = scenario_from_forecast(table, base)  # default: the first day
    assert str(sc.date) == "2025-03-24"
    np.testing.assert_allclose(sc.queues[0].rates_per_hour, np.array(DAY1) * 2)  # 30-min counts -> per hour
    # service: the arrival-weighted mean of the forecast's, by hand (odd intervals 360 s, even 300 s)
    w = np.array(DAY1)
    expected = float((w * np.where(np.arange(6) % 2, 360.0, 300.0)).sum() / w.sum())
    assert sc.queues[0].service.mean == pytest.approx(expected)
    assert sc.queues[0].service.cv == pytest.approx(0.7) and sc.queues[0].patience == base.queues[0].patience
    assert sc.desks == base.desks
    hi = scenario_from_forecast(table, base, day="2025-03-25", quantile=95)
    np.testing.assert_allclose(hi.queues[0].rates_per_hour, np.array(DAY2) * 1.4 * 2)


def test_upper_quantile_plans_at_least_the_mean_plan(tmp_path):
    path, scen = _forecast_csv(tmp_path)
    table, base = read_forecast(path), Scenario.from_toml(scen)
    targets = [Target.wait_exceeds(1800, 0.05)]
    mean = scenario_sipp_plan(scenario_from_forecast(table, base), targets)
    robust = scenario_sipp_plan(scenario_from_forecast(table, base, quantile=95), targets)
    assert np.all(robust >= mean) and robust.sum() > mean.sum()


def test_errors_name_the_fix(tmp_path):
    path, scen = _forecast_csv(tmp_path)
    table, base = read_forecast(path), Scenario.from_toml(scen)
    with pytest.raises(ArgumentError, match="not in the forecast"):
        scenario_from_forecast(table, base, day="2025-04-01")
    with pytest.raises(ArgumentError, match="levels are 95"):
        scenario_from_forecast(table, base, quantile=80)
    with pytest.raises(ScenarioError, match="queues"):
        scenario_from_forecast(table.assign(queue="otra"), base)
    with pytest.raises(ArgumentError, match="--interval 15min"):
        scenario_from_forecast(table, Scenario.from_toml(_quarter(tmp_path)))


def _quarter(tmp_path):
    p = tmp_path / "q.toml"
    p.write_text(SCENARIO.replace("interval_minutes = 30", "interval_minutes = 15"), encoding="utf-8")
    return p


def test_cli_plans_the_forecast_day(tmp_path, capsys):
    path, scen = _forecast_csv(tmp_path)
    desks = {}
    for label, extra in (("mean", []), ("p95", ["--quantile", "95"])):
        code = main(["plan", str(scen), "--forecast", str(path), "--day", "2025-03-24", *extra, "-o",
                     str(tmp_path / label), "-n", "30", "--seed", "7", "--no-curve", "--json", "-q"])
        assert code in (0, 3)
        out = json.loads(capsys.readouterr().out)
        desks[label] = out["groups"][0]["desk_hours"]
    assert desks["p95"] >= desks["mean"]
    assert main(["plan", str(scen), "--quantile", "95", "-o", str(tmp_path / "x")]) == 2
    assert "--forecast" in capsys.readouterr().err
    assert main(["plan", "--forecast", str(path), "-o", str(tmp_path / "x")]) == 2  # neither SCENARIO nor --log
    assert "--log" in capsys.readouterr().err


def test_base_from_the_log_plans_the_forecast_day_on_the_logs_desks(tmp_path):
    pytest.importorskip("statsmodels", reason="the forecast extra (statsmodels) is not installed")
    pytest.importorskip("holidays", reason="the forecast extra (holidays) is not installed")
    from pathlib import Path

    import waitlab as wl

    log = Path(__file__).resolve().parents[2] / "datasets" / "branch_kiosk.csv"
    if not log.is_file():
        pytest.skip(f"{log} is missing (run python datasets/make_datasets.py)")
    contacts, _ = wl.read_log(log, format="kiosk", mapping="vendor_a_es")
    fc = wl.forecast(contacts, horizon="7D", interval="30min", by=("queue",), country="AR")
    sc = scenario_from_forecast(fc, contacts, day="2025-04-01")  # a Tuesday; the log's last Tuesday is 25 March
    assert str(sc.date) == "2025-04-01" and sc.interval == 1800.0
    day = fc.table[fc.table["interval_start"].dt.date.astype(str) == "2025-04-01"]
    for q in sc.queues:  # every forecast arrival of the day is in the scenario, as a rate per hour
        assert sum(q.rates_per_hour) / 2 == pytest.approx(day.loc[day["queue"] == q.name, "arrivals"].sum())
    assert {q.name for q in sc.queues} == set(contacts["queue"].dropna().astype(str))
    out = tmp_path / "f.csv"
    fc.table.to_csv(out, index=False)
    code = main(["plan", "--forecast", str(out), "--log", str(log), "--format", "kiosk", "--mapping", "vendor_a_es",
                 "--day", "2025-04-01", "-n", "20", "--seed", "3", "--no-curve", "-q", "-o", str(tmp_path / "p")])
    assert code in (0, 3)
    assert (tmp_path / "p" / "plan.csv").is_file()
