"""One staffing plan: the library, ``waitlab staff`` and the dashboard's Staffing page agree.

The same log and options go through :func:`waitlab.staffing_from_log`, through the command line
(``waitlab staff -o plan.csv``, read back) and through the Staffing page under AppTest, with
the page's defaults: 1-hour intervals, Erlang A with the patience estimated from the log, the
wait limits "at most 5 % over 30 min" and "at most 0.1 % over 90 min", each interval's own
handling time, no shrinkage.
"""

from __future__ import annotations

import i18n
import pandas as pd
import pytest
from conftest import DATASETS, load_sample, new_app

from waitlab import Target, staffing_from_log
from waitlab.cli import main
from waitlab.readers import read_log

SAMPLES = [("branch_kiosk", "kiosk", "vendor_a_es"), ("callcenter_month", "acd", None)]


@pytest.mark.parametrize(("name", "fmt", "mapping"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_library_cli_and_page_give_the_same_desks_per_interval(name, fmt, mapping, tmp_path, capsys):
    path = DATASETS / f"{name}.csv"
    if not path.is_file():
        pytest.skip(f"{path} is missing (run python datasets/make_datasets.py)")
    contacts, _ = read_log(path, format=fmt, mapping=mapping)
    lib = staffing_from_log(contacts, interval="1h", mean_patience="auto",
                            targets=[Target.wait_exceeds(1800.0, 0.05), Target.wait_exceeds(5400.0, 0.001)])
    assert lib.model == "erlang_a"
    plan = lib.table

    out = tmp_path / "plan.csv"
    argv = ["staff", str(path), "--format", fmt, *(["--mapping", mapping] if mapping else []), "--interval", "1h",
            "--wait-limit", "1800:0.05", "--wait-limit", "5400:0.001", "-o", str(out)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert str(lib) in printed  # the CLI prints the result's text
    cli = pd.read_csv(out)
    assert cli["desks"].tolist() == plan["desks"].tolist()
    assert cli["desks_present"].tolist() == pytest.approx(plan["desks_present"].tolist())
    assert cli["desks_on_duty"].tolist() == pytest.approx(plan["desks_on_duty"].tolist())

    at = load_sample(new_app("es"), name)
    at.switch_page("views/staffing.py").run()
    assert not at.exception, at.exception
    # the channel's default targets (waitlab.defaults_for): calls 80 % in 20 s, kiosk tickets the wait limits
    phone = name == "callcenter_month"
    assert at.checkbox(key="stf_use_sl.es").value is phone and at.checkbox(key="stf_use_limits.es").value is not phone
    at.checkbox(key="stf_use_sl.es").uncheck()
    at.checkbox(key="stf_use_limits.es").check()
    at.run()
    assert not at.exception, at.exception
    shown = at.dataframe[0].value
    open_ = plan[(plan["arrivals"] > 0) | (plan["desks_present"] > 0)]
    assert len(shown) == len(open_) > 0
    assert shown[i18n.t("col.desks", "es")].tolist() == open_["desks"].tolist()
    assert shown[i18n.t("col.desks_present", "es")].tolist() == pytest.approx(open_["desks_present"].tolist())
    assert shown[i18n.t("col.desks_on_duty", "es")].tolist() == pytest.approx(open_["desks_on_duty"].tolist())
    assert pd.DatetimeIndex(shown[i18n.t("col.interval_start", "es")]).equals(pd.DatetimeIndex(open_["interval_start"]))

