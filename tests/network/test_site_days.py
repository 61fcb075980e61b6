"""site_days on hand-built contacts whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from network_helpers import steady, table, ticket

from waitlab.exceptions import ArgumentError
from waitlab.network._site_days import site_days
from waitlab.targets import Target


def test_a_95_minute_wait_is_one_90_minute_breach_on_its_day_and_site():
    rows = steady("Norte", "2024-03-04", 6) + [ticket("Norte", "2024-03-04", 99, 0, 95, 100, "D0")]
    rows += steady("Sur", "2024-03-04", 6) + steady("Sur", "2024-03-05", 4)
    days = site_days(table(rows), rules="CABA", seats=100)  # seats for all: nobody stands
    norte = days[days["site"] == "Norte"].iloc[0]
    assert norte["breaches_total_90"] == 1 and norte["breaches_standing_30"] == 0
    assert norte["breaching"] == 1 and norte["volume"] == 7
    assert norte["breach_share"] == pytest.approx(1 / 7)
    sur = days[days["site"] == "Sur"]
    assert list(sur["day"].dt.strftime("%Y-%m-%d")) == ["2024-03-04", "2024-03-05"]
    assert list(sur["volume"]) == [6, 4] and (sur["breaching"] == 0).all()
    assert list(days.columns[:4]) == ["site", "day", "volume", "served"]


def test_without_seats_the_same_wait_also_breaches_the_standing_limit():
    rows = [ticket("Norte", "2024-03-04", 99, 0, 95, 100, "D0")] + steady("Norte", "2024-03-04", 3)
    days = site_days(table(rows))
    assert days["breaches_standing_30"].iloc[0] == 1 and days["breaches_total_90"].iloc[0] == 1
    assert days["breaching"].iloc[0] == 1  # one contact, two limits
    assert any("Seats unknown" in n for n in days.notes)


def test_waits_sl_and_abandonment_of_a_day_known_by_hand():
    # waits 0, 10, 20, 30 min (called), and a no-show called after 40 min; SL threshold 15 min (kiosk default)
    rows = [ticket("S", "2024-03-04", i, 0, 10 * i, 10 * i + 5, "D0") for i in range(4)]
    rows.append(ticket("S", "2024-03-04", 4, 0, 40, None, "D0", outcome="no_show"))
    d = site_days(table(rows), rules=None).iloc[0]
    assert d["volume"] == 5 and d["served"] == 4 and d["no_show"] == 1
    assert d["wait_mean"] == pytest.approx(np.mean([0, 600, 1200, 1800, 2400]))
    assert d["wait_p90"] == pytest.approx(np.quantile([0, 600, 1200, 1800, 2400], 0.9))
    assert d["sl"] == pytest.approx(2 / 5)  # called within 15 min: waits 0 and 10 min
    assert d["abandon_rate"] == pytest.approx(1 / 5)


def test_turn_order_violations_are_counted_on_their_day():
    rows = steady("S", "2024-03-04", 4)
    rows += [ticket("S", "2024-03-05", 0, 0, 20, 25, "D0"), ticket("S", "2024-03-05", 1, 5, 10, 15, "D1"),
             ticket("S", "2024-03-05", 2, 30, 30, 35, "D0")]
    days = site_days(table(rows))
    assert list(days["turn_order_violations"]) == [0, 1]  # ticket 1 was called before ticket 0


def test_desk_hours_needed_against_on_duty_in_an_understaffed_morning():
    # 12 customers in the first hour (one every 5 min), every service 20 min, one desk: busy 09:00-13:00
    rows = []
    for i in range(12):
        start = 20.0 * i
        rows.append(ticket("S", "2024-03-04", i, 5 * i, start, start + 20, "D0"))
    d = site_days(table(rows), target=Target.service_level(900, 0.8), interval="1h").iloc[0]
    assert d["desks_on_duty"] == pytest.approx(1.0)  # one desk, never idle, over the 4-hour span
    assert d["desk_hours_on_duty"] == pytest.approx(4.0)  # 1 desk x 4 one-hour intervals
    # the first hour offers 12 x 20 min = 4 erlangs (no abandonment: Erlang C). By hand, P(W > t) = C(c, a) e^{-(c-a) t / s}:
    # c=5: C=0.5541, e^{-0.75}=0.4724 -> SL 0.738 < 0.8; c=6: C=0.2848, e^{-1.5}=0.2231 -> SL 0.936. Later hours need none.
    assert d["desk_hours_needed"] == pytest.approx(6.0)
    assert d["understaffed_hours"] == pytest.approx(1.0)
    assert d["desk_hours_to_comply"] == pytest.approx(d["desk_hours_needed"] - 1.0)  # whole desks to add, 1 h


def test_a_row_without_site_is_refused_in_one_sentence():
    frame = table(steady("S", "2024-03-04", 3))
    frame.loc[1, "site"] = pd.NA
    with pytest.raises(ArgumentError, match="no `site`"):
        site_days(frame)


def test_a_target_that_is_not_a_target_is_refused():
    with pytest.raises(ArgumentError, match="`target`"):
        site_days(table(steady("S", "2024-03-04", 3)), target=0.8)  # type: ignore[arg-type]
