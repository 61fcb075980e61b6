"""The real SEELab "Anonymous Bank" month (February 1999), when it is present beside the repository.

Prints the abandonment share, mean wait and mean service time, to compare with published
figures (Brown et al., JASA 2005, analyse the same call center). Run with ``pytest -s``.
"""

import importlib
import math
from pathlib import Path

import pytest

from waitlab.analytics import patience, summary_kpis

MONTH = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "anonymous_bank" / "february.txt"


def _read_log():
    try:
        readers = importlib.import_module("waitlab.readers")
    except ImportError:
        pytest.skip("readers not available")
    if not hasattr(readers, "read_log"):
        pytest.skip("readers not available")
    return readers.read_log


def test_seelab_february_figures():
    read_log = _read_log()
    if not MONTH.is_file():
        pytest.skip(f"SEELab month not present at {MONTH}")
    contacts, report = read_log(MONTH, format="seelab")
    k = summary_kpis(contacts, sl_threshold=20.0)
    p = patience(contacts, channel="phone")
    print(
        f"\nSEELab February 1999: {k['arrivals']} queue contacts ({report.rows_quarantined} lines quarantined)"
        f"\n  abandonment share  {k['abandon_rate']:.2%}  ({k['abandoned']} abandoned)"
        f"\n  mean wait          {k['wait_mean']:.1f} s   (ASA {k['asa']:.1f} s)"
        f"\n  mean service time  {k['mean_service']:.1f} s"
        f"\n  SL(20 s) offered   {k['sl_offered']:.2%}"
        f"\n  mean patience      {p.mean_patience:.0f} s  CI {p.mean_patience_ci[0]:.0f}-{p.mean_patience_ci[1]:.0f} s"
    )
    assert k["served"] + k["abandoned"] + k["no_show"] + k["other"] == k["arrivals"] == report.rows_used
    # Loose sanity bounds only (the point is the printed figures): a bank call center.
    assert 0.0 < k["abandon_rate"] < 0.5
    assert 0.0 < k["wait_mean"] < 600.0
    assert 60.0 < k["mean_service"] < 600.0
    assert math.isfinite(p.mean_patience) and p.mean_patience > 0


def test_seelab_desks_on_duty_does_not_depend_on_the_interval():
    read_log = _read_log()
    if not MONTH.is_file():
        pytest.skip(f"SEELab month not present at {MONTH}")
    import numpy as np

    from waitlab.analytics import interval_stats, pools

    contacts, _ = read_log(MONTH, format="seelab")
    for opts in ({}, {"on_duty": "presence"}):
        hour = interval_stats(contacts, interval="1h", **opts)
        quarter = interval_stats(contacts, interval="15min", **opts)
        per_hour = quarter.groupby(quarter["interval_start"].dt.floor("1h"))["desks_on_duty"].sum() / 4
        by_start = hour.set_index("interval_start")["desks_on_duty"]
        np.testing.assert_allclose(per_hour.reindex(by_start.index, fill_value=0.0), by_start, atol=1e-9)
        busy = hour["interval_start"].dt.hour.between(8, 22)
        # fractional, below the distinct desks seen in the hour, above the desks busy
        assert (hour["desks_on_duty"] <= hour["desks_present"] + 1e-9).all()
        assert hour.loc[busy, "desks_on_duty"].mean() < hour.loc[busy, "desks_present"].mean()
        assert hour.loc[busy, "desks_on_duty"].mean() > hour.loc[busy, "desks_busy"].mean()
    p = pools(contacts)
    print(f"\nSEELab pools at 10 %: {p['pool'].value_counts().to_dict()}")
    assert p["pool"].nunique() < 14  # every queue set ever served gives 14 groups
