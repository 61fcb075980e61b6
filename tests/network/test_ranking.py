"""Ranking, per-site totals and peers on a hand-built network whose order is known."""

from __future__ import annotations

import pandas as pd
import pytest
from network_helpers import steady, table, ticket

from waitlab.exceptions import ArgumentError
from waitlab.network._dask import network_analysis
from waitlab.network._ranking import peer_table, rank_sites, site_totals


def _network() -> pd.DataFrame:
    rows = []
    for day in ("2024-03-04", "2024-03-05"):
        rows += steady("Alfa", day, 10)  # clean
        rows += steady("Beta", day, 20)  # clean, busier
        rows += steady("Gamma", day, 30)
    # Delta: 4 of its 10 customers on the first day waited 95 min; none the second day
    rows += [ticket("Delta", "2024-03-04", i, 0, 95, 100 + i, f"D{i}") for i in range(4)]
    rows += [ticket("Delta", "2024-03-04", 10 + i, 200 + 10 * i, 200 + 10 * i, 205 + 10 * i, "D0") for i in range(6)]
    rows += steady("Delta", "2024-03-05", 10)
    # Gamma: one ticket called out of turn on the second day
    rows += [ticket("Gamma", "2024-03-05", 50, 400, 420, 425, "D0"), ticket("Gamma", "2024-03-05", 51, 405, 410, 415, "D1")]
    return table(rows)


def test_the_site_with_long_waits_ranks_worst_on_compliance_then_the_out_of_turn_one():
    res = network_analysis(_network(), seats=100)
    assert list(res.ranking["site"][:2]) == ["Delta", "Gamma"]
    delta = res.sites.set_index("site").loc["Delta"]
    assert delta["volume"] == 20 and delta["breaches_total_90"] == 4 and delta["days"] == 2
    assert delta["noncompliance"] == pytest.approx(4 / 20)
    gamma = res.sites.set_index("site").loc["Gamma"]
    assert gamma["turn_order_violations"] == 1 and gamma["noncompliance"] == pytest.approx(1 / 62)
    assert list(res.ranking["rank_compliance"]) == [1, 2, 3, 3]  # Alfa and Beta tie (both clean)
    assert set(res.ranking["site"][2:]) == {"Alfa", "Beta"}


def test_period_totals_are_sums_and_volume_weighted_means():
    days = pd.DataFrame({
        "site": ["A", "A", "B"], "day": pd.to_datetime(["2024-03-04", "2024-03-05", "2024-03-04"]),
        "volume": [10, 30, 5], "served": [10, 30, 5], "abandoned": [0, 3, 0], "no_show": [1, 0, 0],
        "wait_mean": [100.0, 200.0, 50.0], "wait_p90": [150.0, 400.0, 60.0], "sl": [1.0, 0.5, 1.0],
        "abandon_rate": [0.1, 0.1, 0.0], "breaching": [0, 6, 0], "breach_share": [0.0, 0.2, 0.0],
        "breaches_total_90": [0, 6, 0], "turn_order_violations": [2, 0, 0], "desks_on_duty": [2.0, 3.0, 1.0],
        "desk_hours_on_duty": [16.0, 24.0, 8.0], "desk_hours_needed": [14.0, 30.0, 6.0],
        "understaffed_hours": [0.0, 3.0, 0.0], "desk_hours_to_comply": [0.0, 6.0, 0.0]})  # fmt: skip
    s = site_totals(days).set_index("site")
    a = s.loc["A"]
    assert a["volume"] == 40 and a["days"] == 2 and a["desk_hours_needed"] == 44.0
    assert a["wait_mean"] == pytest.approx((10 * 100 + 30 * 200) / 40)
    assert a["sl"] == pytest.approx((10 * 1.0 + 30 * 0.5) / 40)
    assert a["abandon_rate"] == pytest.approx(4 / 40)
    assert a["noncompliance"] == pytest.approx((6 + 2) / 40)
    assert a["wait_p90_worst_day"] == 400.0 and a["understaffed_hours_per_day"] == 1.5
    r = rank_sites(site_totals(days))
    assert r.set_index("site").loc["A", ["rank_compliance", "rank_understaffed", "rank_to_comply"]].tolist() == [1, 1, 1]


def test_peers_are_the_k_nearest_sites_by_volume():
    sites = pd.DataFrame({"site": list("ABCDE"), "volume": [100, 110, 300, 320, 1000]})
    for m in ("noncompliance", "sl", "wait_mean", "abandon_rate", "understaffed_hours_per_day"):
        sites[m] = [0.1, 0.3, 0.2, 0.4, 0.9]
    p = peer_table(sites, k=2).set_index("site")
    assert p.loc["A", "peers"] == "B; C" and p.loc["E", "peers"] == "D; C"
    assert p.loc["A", "peers_sl"] == pytest.approx(0.25) and p.loc["A", "sl_vs_peers"] == pytest.approx(-0.15)
    assert p.loc["D", "peers"] == "C; B"  # |320-300| = 20, |320-110| = 210 < |320-100| = 220


def test_drill_down_gives_that_sites_intervals_and_refuses_an_unknown_site():
    res = network_analysis(_network(), seats=100, interval="1h")
    table_ = res.site("Delta")
    assert set(table_["site"]) == {"Delta"}
    assert int(table_["arrivals"].sum()) == 20
    assert {"desks_needed", "desks_on_duty", "shortfall"} <= set(table_.columns)
    with pytest.raises(ArgumentError, match="not in this network"):
        res.site("Omega")


def test_result_text_and_dict():
    res = network_analysis(_network(), seats=100)
    text = str(res)
    assert text.splitlines()[0].startswith("Network of 4 site(s)") and "Delta" in text
    d = res.to_dict()
    assert d["sites"] == 4 and d["ranking"][0]["site"] == "Delta" and d["notes"]
