"""``waitlab backtest``: option errors in one sentence, and a run on a simulated log written to CSV."""

from pathlib import Path

import pandas as pd
import pytest
from backtest_helpers import sim_log_fixture  # noqa: F401  (the `log` fixture)

from waitlab.cli import main


@pytest.mark.parametrize(("extra", "word"), [
    (["--test", "2024-03-10"], "--test"),
    (["--test", "2024-03-10:2024-03-15", "--days", "mon,funday"], "--days"),
    (["--test", "2024-03-10:2024-03-15", "--hours", "seven"], "--hours"),
    (["--test", "2024-03-10:2024-03-15", "--sl", "x"], "--sl"),
])  # fmt: skip
def test_option_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], word: str) -> None:
    path = tmp_path / "log.csv"
    path.write_text("arrived_at\n2024-03-04 10:00:00\n")
    assert main(["backtest", str(path), "--train", "2024-03-04:2024-03-09", *extra]) == 2
    err = capsys.readouterr().err.strip()
    assert word in err and len(err.splitlines()) == 1 and err.endswith(".")


def test_run_writes_table(tmp_path: Path, capsys: pytest.CaptureFixture[str], log: pd.DataFrame) -> None:
    path = tmp_path / "sim.parquet"
    log.to_parquet(path)
    out = tmp_path / "bt.csv"
    code = main(["backtest", str(path), "--train", "2024-03-04:2024-03-09", "--test", "2024-03-10:2024-03-15",
                 "--hours", "1-22", "--sl", "20,60", "-o", str(out)])
    text = capsys.readouterr().out
    assert code == 0 and "erlang_a" in text and "sl_60" in text
    table = pd.read_csv(out)
    assert set(table["model"]) == {"erlang_c", "erlang_a"} and len(table) == 2 * 6 * 6 * 21
