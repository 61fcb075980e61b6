"""``make demo`` end to end: every file it promises exists and the figures it prints are the data's."""

import pandas as pd
import pytest

from waitlab.demo import main


@pytest.mark.slow
def test_demo_writes_every_result(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for rel in ("branch/contacts.parquet", "branch/quarantine.csv", "branch/report.html", "branch/report.xlsx",
                "callcenter/staffing.csv", "callcenter/report.html", "headcounts/headcounts_estimate.csv",
                "simulation/replay_2025-03-25.csv", "simulation/simulated_lunch.csv"):
        assert (tmp_path / rel).stat().st_size > 0, rel
    # the branch sample's row accounting (datasets/README.md: 5,330 data rows, 6 planted bad ones)
    assert "rows read              5,330" in out and "rows quarantined           6" in out
    assert len(pd.read_csv(tmp_path / "branch/quarantine.csv")) == 6
    # the replayed breach day keeps every customer of the day (529 in the log)
    replay = pd.read_csv(tmp_path / "simulation/replay_2025-03-25.csv").set_index("kpi")
    assert (replay.loc["arrivals"] == 529).all()
    # two more cajas never lengthen the replayed day's mean wait (same customers)
    assert replay.loc["wait_mean", "replayed, 2 more cajas"] < replay.loc["wait_mean", "replayed as staffed"]


def test_demo_without_data_says_so(tmp_path, capsys):
    assert main(["--data", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "sample data not found" in capsys.readouterr().err
