"""Staffing from a log: measured arrivals and AHT, the Erlang answer, and the understaffed flag."""

import math
from fractions import Fraction

import pandas as pd

from waitlab.schema import coerce_contacts
from waitlab.staffing import staffing_from_log


def _erlang_c_sl(n: int, a: Fraction, mu: float, lam: float, t: float) -> float:
    """Service level of M/M/n by the textbook closed form, summed with exact fractions."""
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    c = top / (sum(a**k / math.factorial(k) for k in range(n)) + top)
    return 1.0 - float(c) * math.exp(-(n * mu - lam) * t)


def _steady_log() -> pd.DataFrame:
    # 100 tickets in 10:00-10:30, one every 18 s, each served at once for exactly 180 s by
    # 10 desks in rotation (desk k % 10): offered load a = (100/1800) * 180 = 10 erlangs.
    start = pd.Timestamp("2025-03-10 10:00")
    rows = []
    for k in range(100):
        t0 = start + pd.Timedelta(seconds=18 * k)
        rows.append((f"t{k}", t0, t0, t0, t0 + pd.Timedelta(seconds=180), f"desk {k % 10}"))
    df = pd.DataFrame(rows, columns=["contact_id", "arrived_at", "called_at", "started_at", "ended_at", "server"])
    df["queue"], df["channel"], df["outcome"], df["site"] = "Caja", "kiosk", "served", "S"
    return coerce_contacts(df, tz="America/Argentina/Buenos_Aires")


def test_plan_matches_the_textbook_erlang_c_answer_and_flags_the_shortfall():
    plan, notes = staffing_from_log(_steady_log(), freq="30min", service_level=(0.8, 20.0))
    first = plan.iloc[0]
    assert first["arrivals"] == 100 and first["aht"] == 180.0
    lam, mu, a = 100 / 1800, 1 / 180, Fraction(10)
    assert _erlang_c_sl(13, a, mu, lam, 20.0) < 0.8 <= _erlang_c_sl(14, a, mu, lam, 20.0)
    assert first["servers"] == 14
    assert first["observed_desks"] == 10 and first["shortfall"] == 4 and bool(first["understaffed"])
    # the next half hour only finishes services: no arrivals, nothing required, not understaffed
    assert plan.iloc[1]["arrivals"] == 0 and plan.iloc[1]["servers"] == 0 and not plan.iloc[1]["understaffed"]
    assert any("Erlang C" in n for n in notes)


def test_default_target_is_stated():
    _, notes = staffing_from_log(_steady_log(), mean_patience=None)
    assert any("80 %" in n for n in notes)
