"""Patience: recovery of a known exponential patience, Kaplan-Meier by hand, degenerate cases."""

import math

import numpy as np
import pandas as pd
import pytest
from analytics_helpers import TZ
from scipy import stats

from waitlab.analytics import exponential_mle, patience
from waitlab.exceptions import ArgumentError, SchemaError
from waitlab.schema import coerce_contacts

TRUE_MEAN = 300.0
T0 = pd.Timestamp("2024-03-04 08:00", tz=TZ)


def _log(waits: np.ndarray, outcomes: np.ndarray, channel: str) -> pd.DataFrame:
    """Contacts with the given waits (seconds) and outcomes; served ones get 60 s of service."""
    n = len(waits)
    arr = T0 + pd.to_timedelta(np.arange(n) * 5.0, unit="s")
    end_wait = arr + pd.to_timedelta(waits, unit="s")
    ab = outcomes == "abandoned"
    served = outcomes == "served"
    df = pd.DataFrame({
        "contact_id": np.arange(n).astype(str), "queue": "q", "channel": channel, "outcome": outcomes,
        "arrived_at": arr, "called_at": end_wait.where(~ab),
        "started_at": end_wait.where(served),
        "ended_at": end_wait.where(ab, end_wait + pd.Timedelta(60)).where(ab | served),
    })  # fmt: skip
    return coerce_contacts(df)


def _synthetic(kind: str, n: int = 5000, seed: int = 20240304) -> pd.DataFrame:
    """Patience ~ Exp(mean 300 s); the wait until a desk calls ~ Exp(mean 200 s).

    Phone: if patience < offered wait the caller hangs up at exactly that time (abandoned),
    else is answered at the offered wait (right-censored). Kiosk: if patience < time until
    called the customer is a no-show found at the call (left-censored), else served.
    """
    rng = np.random.default_rng(seed)
    pat = rng.exponential(TRUE_MEAN, n)
    offered = rng.exponential(200.0, n)
    left = pat < offered
    if kind == "phone":
        return _log(np.where(left, pat, offered), np.where(left, "abandoned", "served"), "phone")
    return _log(offered, np.where(left, "no_show", "served"), "kiosk")


@pytest.mark.parametrize("kind", ["phone", "kiosk"])
def test_recovers_known_mean_patience(kind):
    # Tolerance: the 95% CI must cover 300 s and the estimate be within 10% (n = 5000,
    # about 2000 leave; the relative standard error is about 1/sqrt(2000) = 2.2%).
    r = patience(_synthetic(kind), channel=kind)
    lo, hi = r.mean_patience_ci
    assert lo < TRUE_MEAN < hi
    assert r.mean_patience == pytest.approx(TRUE_MEAN, rel=0.10)
    assert r.fits["exponential"].mean() == pytest.approx(r.mean_patience, rel=1e-3)  # scipy's own optimiser
    # The Weibull fit nests the exponential: its shape should be close to 1.
    assert r.fits["weibull"].args[0] == pytest.approx(1.0, abs=0.1)
    assert (r.n_exact > 0) == (kind == "phone") and (r.n_left > 0) == (kind == "kiosk")


def test_phone_mle_is_time_waited_over_abandons_with_poisson_interval():
    c = _synthetic("phone", n=2000)
    r = patience(c)
    waits = (c["called_at"].fillna(c["ended_at"]) - c["arrived_at"]).dt.total_seconds()
    d = int((c["outcome"] == "abandoned").sum())
    assert r.exponential_estimate == pytest.approx(waits.sum() / d, rel=1e-6)
    assert r.mean_patience == pytest.approx(r.exponential_estimate, rel=1e-6)
    # exact Poisson interval: 2T / chi2(0.975; 2d + 2) <= mean <= 2T / chi2(0.025; 2d)
    T = waits.sum()
    assert r.exponential_estimate_ci[0] == pytest.approx(2 * T / stats.chi2.ppf(0.975, 2 * d + 2))
    assert r.exponential_estimate_ci[1] == pytest.approx(2 * T / stats.chi2.ppf(0.025, 2 * d))
    assert r.km is not None


def test_kiosk_classic_estimate_overstates_and_says_so():
    r = patience(_synthetic("kiosk"), channel="kiosk")
    assert r.exponential_estimate > r.mean_patience
    assert r.km is None
    assert any("overstates" in n for n in r.notes) and any("left-censored" in n for n in r.notes)


def test_kaplan_meier_by_hand():
    # abandoned at 2, 5, 8 s; answered at 5 and 6 s (right-censored).
    # t=2: 5 at risk, 1 leaves -> S = 4/5 = 0.8
    # t=5: at risk 5, 5, 6, 8 (the censored 5 is still at risk) = 4, 1 leaves -> 0.8 * 3/4 = 0.6
    # t=6: censored, no drop;  t=8: 1 at risk, 1 leaves -> 0
    c = _log(np.array([2.0, 5, 8, 5, 6]), np.array(["abandoned"] * 3 + ["served"] * 2), "phone")
    km = patience(c).km.sf
    assert km.evaluate([1, 2, 4.9, 5, 7, 8]).tolist() == pytest.approx([1, 0.8, 0.8, 0.6, 0.6, 0.0])


def test_exponential_mle_closed_forms():
    # exact + right: theta = d / S.  d = 2, S = 10 + 30 + 60 = 100 -> mean 50.
    mean, (lo, hi) = exponential_mle([10.0, 30.0], [60.0], [])
    assert mean == pytest.approx(50.0)
    # LR bounds satisfy 2(l_hat - l) = chi2_1(0.95) with l = d log(theta) - theta S.
    for m in (lo, hi):
        ll = 2 * math.log(1 / m) - 100 / m
        assert 2 * ((2 * math.log(1 / 50) - 2) - ll) == pytest.approx(stats.chi2.ppf(0.95, 1), rel=1e-8)
    # left-censored only through the score: one left at w and one right at w gives
    # w e^{-tw}/(1 - e^{-tw}) = w  ->  e^{-tw} = 1/2  ->  mean = w / ln 2.
    mean, _ = exponential_mle([], [100.0], [100.0])
    assert mean == pytest.approx(100 / math.log(2))


def test_nobody_left_gives_inf_with_a_lower_bound_and_a_note():
    c = _log(np.array([30.0, 60.0, 90.0]), np.array(["served"] * 3), "phone")
    r = patience(c)
    assert any("nobody left among 3 answered contact(s)" in n for n in r.notes)
    assert math.isinf(r.mean_patience) and r.fits == {}
    # l(theta) = -theta S with S = 180: lower bound 2 S / chi2_1(0.95).
    assert r.mean_patience_ci[0] == pytest.approx(360 / stats.chi2.ppf(0.95, 1))
    assert math.isinf(r.mean_patience_ci[1])
    assert "nobody left" in r.summary()


def test_everyone_left_early_gives_zero():
    c = _log(np.array([30.0, 60.0]), np.array(["no_show"] * 2), "kiosk")
    r = patience(c)
    assert r.mean_patience == 0 and r.mean_patience_ci[0] == 0 and 0 < r.mean_patience_ci[1] < math.inf


def test_report_helpers_and_bad_input():
    r = patience(_synthetic("phone", n=500))
    f = r.to_frame()
    assert f["method"].tolist()[:3] == [f"chosen: {r.choice}", "simple (exponential MLE)", "time waited / abandons"]
    assert set(r.aic) == {"exponential", "weibull", "lognormal"}
    assert "Mean patience" in str(r)
    with pytest.raises(SchemaError, match="no `outcome` column"):
        patience(_synthetic("phone", n=10).drop(columns="outcome"))
    with pytest.raises(ArgumentError, match="`confidence`"):
        patience(_synthetic("phone", n=10), confidence=95)
