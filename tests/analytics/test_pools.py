"""Pools: desks grouped by the queues they mainly serve, checked on a log built by hand."""

import pandas as pd
import pytest

from waitlab.analytics import contact_pools, interval_stats, pools, queue_pools, summary_by
from waitlab.exceptions import ArgumentError, SchemaError
from waitlab.schema import coerce_contacts

TZ = "Asia/Jerusalem"


def _log(counts):
    """counts: (server, queue, n) -> n served calls of 60 s, one every 2 min from 08:00, per desk."""
    rows, clock = [], {}
    for server, queue, n in counts:
        for _ in range(n):
            k = clock.get(server, 0)
            clock[server] = k + 1
            t0 = pd.Timestamp("2024-03-03 08:00", tz=TZ) + pd.Timedelta(minutes=2 * k)
            rows.append({"contact_id": f"{server}{k}", "queue": queue, "outcome": "served", "server": server,
                         "arrived_at": t0, "called_at": t0, "started_at": t0,
                         "ended_at": t0 + pd.Timedelta(seconds=60)})  # fmt: skip
    return coerce_contacts(pd.DataFrame(rows), tz=TZ)


@pytest.fixture
def log():
    # A: 49 PS and 1 IN call; B: 30 NW, 20 PS; C: 10 IN
    return _log([("A", "PS", 49), ("A", "IN", 1), ("B", "NW", 30), ("B", "PS", 20), ("C", "IN", 10)])


def test_a_queue_below_the_share_does_not_make_a_new_pool(log):
    p = pools(log)
    assert p["queues"].to_dict() == {"A": "PS", "B": "NW+PS", "C": "IN"}  # each desk's main queues
    # A and B both mainly serve PS: they compete for the same calls, one pool
    assert p["pool"].to_dict() == {"A": "NW+PS", "B": "NW+PS", "C": "IN"}
    assert p["services"].to_dict() == {"A": 50, "B": 50, "C": 10}
    assert p.loc["A", "share_in_pool"] == pytest.approx(49 / 50)
    assert "10%" in p.notes[0]
    low = pools(log, min_share=0.01)  # 1 of 50 is 2 % >= 1 %: IN is one of A's main queues, all connect
    assert low.loc["A", "queues"] == "IN+PS" and set(low["pool"]) == {"IN+NW+PS"}
    high = pools(log, min_share=0.7)  # no queue reaches 70 % for B: its most served one, NW
    assert high.loc["B", "queues"] == "NW" and high["pool"].to_dict() == {"A": "PS", "B": "NW", "C": "IN"}


def test_each_queue_goes_to_the_pool_that_serves_it_most(log):
    # PS: 69 calls by pool NW+PS (A, B); NW: 30 by NW+PS; IN: 10 by IN (C), 1 by NW+PS (A)
    assert queue_pools(log).to_dict() == {"IN": "IN", "NW": "NW+PS", "PS": "NW+PS"}
    labels = contact_pools(log)
    assert labels.index.equals(log.index)
    assert (labels == log["queue"].map({"IN": "IN", "NW": "NW+PS", "PS": "NW+PS"})).all()
    # with B serving NW only, PS and NW are two pools: PS goes to A's, NW to B's
    apart = log[~((log["server"] == "B") & (log["queue"] == "PS"))]
    assert queue_pools(apart).to_dict() == {"IN": "IN", "NW": "NW", "PS": "PS"}


def test_interval_stats_by_pool(log):
    t = interval_stats(log, interval="1D", by="pool").set_index("pool")
    assert t["arrivals"].to_dict() == {"IN": 11, "NW+PS": 99}
    assert t["arrivals"].sum() == len(log)
    # an explicit pool column wins over the computed one
    own = interval_stats(log.assign(pool="all"), interval="1D", by="pool")
    assert own["pool"].tolist() == ["all"]
    assert summary_by(log, "pool").loc["NW+PS", "arrivals"] == 99


def test_sites_keep_their_desks_apart(log):
    two = pd.concat([log.assign(site="Norte"), log.assign(site="Sur", queue="PS")], ignore_index=True)
    p = pools(two)
    assert p.index.names == ["site", "server"]
    assert p.loc[("Norte", "B"), "pool"] == "NW+PS" and p.loc[("Sur", "B"), "pool"] == "PS"
    assert contact_pools(two).iloc[len(log):].eq("PS").all()


def test_bad_input_names_the_argument(log):
    with pytest.raises(ArgumentError, match="`min_share` must be a share in"):
        pools(log, min_share=0)
    with pytest.raises(SchemaError, match="no `server` column"):
        pools(log.drop(columns="server"))
