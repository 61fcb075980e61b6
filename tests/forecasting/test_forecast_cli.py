"""``waitlab forecast`` writes a CSV; ``waitlab staff --forecast`` plans it; the SEELab month's done-when check."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import waitlab as wl
from waitlab.cli import main

pytest.importorskip("statsmodels", reason="the forecast extra (statsmodels) is not installed")

ROOT = Path(__file__).resolve().parents[2]
BRANCH = ROOT / "datasets" / "branch_kiosk.csv"
MONTH = Path(os.environ.get("WAITLAB_SEELAB", ROOT.parent / "shared" / "datasets" / "anonymous_bank" / "february.txt"))
if not MONTH.is_file():
    MONTH = Path("/work/shared/datasets/anonymous_bank/february.txt")


def test_cli_writes_the_forecast_and_staff_plans_it(tmp_path, capsys):
    out = tmp_path / "forecast.csv"
    args = ["forecast", str(BRANCH), "--format", "kiosk", "--mapping", "vendor_a_es", "--horizon", "7D",
            "--interval", "30min", "-o", str(out)]
    assert main(args) == 0
    t = pd.read_csv(out)
    assert {"interval_start", "queue", "day_kind", "arrivals", "arrivals_lo_80", "arrivals_hi_95",
            "mean_service"} <= set(t.columns)
    assert (t["arrivals"] >= 0).all() and (t["arrivals_hi_95"] >= t["arrivals"]).all()
    # 2 April 2025 (Malvinas) is a holiday in the forecast week: closed
    assert t.loc[t["interval_start"].str.startswith("2025-04-02"), "arrivals"].sum() == 0
    assert "won" in capsys.readouterr().out

    plan = tmp_path / "plan.csv"
    assert main(["staff", "--forecast", str(out), "--sl", "20:0.8", "-o", str(plan)]) == 0
    robust = tmp_path / "robust.csv"
    assert main(["staff", "--forecast", str(out), "--sl", "20:0.8", "--quantile", "95", "-o", str(robust)]) == 0
    p, r = pd.read_csv(plan), pd.read_csv(robust)
    assert len(p) == len(t) and (r["desks"] >= p["desks"]).all() and r["desks"].sum() > p["desks"].sum()


def test_staff_forecast_errors_are_one_sentence(tmp_path, capsys):
    assert main(["staff", "--forecast", str(tmp_path / "none.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["staff"]) == 2
    assert "--forecast" in capsys.readouterr().err


def test_cli_backtest(tmp_path):
    out = tmp_path / "bt.csv"
    assert main(["forecast", str(BRANCH), "--format", "kiosk", "--mapping", "vendor_a_es", "--backtest",
                 "--by", "none", "--folds", "1", "-o", str(out)]) == 0
    t = pd.read_csv(out)
    assert {"horizon_day", "wape", "mae", "baseline_wape", "baseline_mae"} <= set(t.columns)


def test_seelab_last_two_weeks_beat_seasonal_naive_by_ten_percent():
    if not MONTH.is_file():
        pytest.skip(f"SEELab month not present at {MONTH} (set WAITLAB_SEELAB)")
    contacts, _ = wl.read_log(MONTH, format="seelab")
    bt = wl.forecast_backtest(contacts, interval="1h", by=None, country="IL", folds=2, days="working")
    print(bt)
    for _, fold in bt.folds.iterrows():
        assert fold["wape"] <= 0.9 * fold["baseline_wape"], fold.to_dict()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("Sucursal;Fecha\nCentro;25/03/2025 \xf3\n".encode("cp1252"), "is not a forecast table (UnicodeDecodeError)"),
        (b"interval_start,arrivals\nfoo,3\n", "`interval_start` holds values that are not times"),
        (b"", "is not a forecast table (EmptyDataError)"),
        (b"a,b\n1,2\n", "has no `interval_start` and `arrivals` columns"),
    ],
)
def test_staff_forecast_refuses_a_file_that_is_not_a_forecast_in_one_sentence(tmp_path, capsys, content, said):
    bad = tmp_path / "not_a_forecast.csv"
    bad.write_bytes(content)
    assert main(["staff", "--forecast", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert said in err and "waitlab forecast LOG -o" in err and "Traceback" not in err and len(err.splitlines()) == 1
