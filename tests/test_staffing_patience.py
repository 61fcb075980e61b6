"""staffing_from_log's Erlang A patience: the exponential MLE, computed without the family fits."""

import warnings

import pandas as pd
import pytest

from waitlab.analytics import patience
from waitlab.analytics._patience import simple_mean_patience
from waitlab.schema import coerce_contacts
from waitlab.staffing import staffing_from_log


def _log(no_shows: int = 0) -> pd.DataFrame:
    # 12 abandonments after 60 s and 40 served after 30 s waits (+ 90 s service), spread over an hour;
    # each no-show is called after 200 + 50 k s (gone before, at an unknown time).
    start = pd.Timestamp("2025-03-10 10:00")
    rows = []
    for k in range(52 + no_shows):
        t0 = start + pd.Timedelta(seconds=60 * k)
        if k < 12:
            rows.append((f"a{k}", t0, pd.NaT, pd.NaT, t0 + pd.Timedelta(seconds=60), None, "abandoned"))
        elif k < 52:
            called = t0 + pd.Timedelta(seconds=30)
            rows.append((f"s{k}", t0, called, called, called + pd.Timedelta(seconds=90), f"d{k % 3}", "served"))
        else:
            rows.append((f"n{k}", t0, t0 + pd.Timedelta(seconds=200 + 50 * (k - 52)), pd.NaT, pd.NaT, None, "no_show"))
    df = pd.DataFrame(rows, columns=["contact_id", "arrived_at", "called_at", "started_at", "ended_at", "server",
                                     "outcome"])
    df["queue"], df["channel"], df["site"] = "Caja", "kiosk", "S"
    return coerce_contacts(df, tz="America/Argentina/Buenos_Aires")


def test_staffing_uses_total_wait_over_abandons_when_nobody_is_left_censored():
    # exact and right-censored waits only: the exponential MLE is (total time waited) / abandons
    # = (12 * 60 + 40 * 30) / 12 = 160 s
    res = staffing_from_log(_log(), interval="30min")
    assert res.model == "erlang_a"
    assert res.mean_patience == pytest.approx(160.0, rel=1e-9)
    assert any("mean patience 160 s" in n for n in res.notes)


@pytest.mark.parametrize("no_shows", [0, 5])
def test_the_shortcut_is_patience_simple_estimate_with_its_interval(no_shows):
    log = _log(no_shows)
    with warnings.catch_warnings():  # patience() also fits Weibull and lognormal: equal waits make them degenerate
        warnings.simplefilter("ignore", RuntimeWarning)
        full = patience(log)
    mean, ci = simple_mean_patience(log)
    assert mean == full.mean_patience and ci == full.mean_patience_ci
