"""The store path, in process and on a real dask LocalCluster, gives exactly the pandas path's tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from network_helpers import table, ticket, write_store

from waitlab.exceptions import ArgumentError
from waitlab.network._dask import network_analysis


def _generated(seed: int = 7) -> pd.DataFrame:
    """A small seeded network: 5 sites of different sizes over two months (Feb/Mar 2024), one understaffed."""
    rng = np.random.default_rng(seed)
    rows = []
    for s, (name, per_day, desks) in enumerate([("Centro", 40, 4), ("Norte", 25, 3), ("Sur", 60, 1),
                                                 ("Oeste/2", 30, 3), ("Río", 10, 2)]):  # fmt: skip
        for day in ("2024-02-28", "2024-02-29", "2024-03-01", "2024-03-04"):
            free = np.zeros(desks)
            arr = np.sort(rng.uniform(0, 360, per_day))
            for i, a in enumerate(arr):
                d = int(np.argmin(free))
                call = max(a, free[d])
                service = rng.exponential(6.0) + 0.5
                outcome = "no_show" if rng.random() < 0.05 else "served"
                end = call + (service if outcome == "served" else 1.0)
                free[d] = end
                rows.append(ticket(name, day, i, float(a), float(call), float(end), f"D{d}", outcome=outcome,
                                   cid=f"{s}-{day}-{i}"))
    return table(rows)


def _same(a, b) -> None:
    for name in ("site_days", "sites", "ranking", "peers"):
        pd.testing.assert_frame_equal(pd.DataFrame(getattr(a, name)), pd.DataFrame(getattr(b, name)), check_exact=True)


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    contacts = _generated()
    store = tmp_path_factory.mktemp("store")
    write_store(contacts, store, chunks=2)  # two part files per partition, rows interleaved
    return contacts, store


def test_the_store_read_in_process_equals_the_table(network):
    contacts, store = network
    mem = network_analysis(contacts)
    disk = network_analysis(store)
    _same(mem, disk)
    assert len(mem.site_days) == 5 * 4 and set(mem.sites["site"]) == {"Centro", "Norte", "Sur", "Oeste/2", "Río"}
    assert mem.ranking["site"].iloc[0] == "Sur"  # one desk for 60 a day (load above 1): the most breaches
    pd.testing.assert_frame_equal(pd.DataFrame(mem.site("Oeste/2")), pd.DataFrame(disk.site("Oeste/2")))


def test_a_real_local_cluster_gives_exactly_the_pandas_tables(network):
    distributed = pytest.importorskip("distributed", reason="the cluster extra (dask.distributed) is not installed")
    contacts, store = network
    mem = network_analysis(contacts)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0") as cluster, \
            distributed.Client(cluster) as client:  # fmt: skip
        on_dask = network_analysis(store, scheduler=client)
        assert len(client.scheduler_info()["workers"]) == 2
    _same(mem, on_dask)
    by_address = None
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address="127.0.0.1:0") as cluster:
        by_address = network_analysis(store, scheduler=cluster.scheduler_address)
    _same(mem, by_address)


def test_a_missing_store_and_a_scheduler_with_a_table_are_refused(network, tmp_path):
    contacts, _ = network
    with pytest.raises(ArgumentError, match="does not exist"):
        network_analysis(tmp_path / "nope")
    with pytest.raises(ArgumentError, match="not a waitlab store"):
        network_analysis(tmp_path)
    with pytest.raises(ArgumentError, match="`scheduler`"):
        network_analysis(contacts, scheduler="local")


def test_a_missing_cluster_extra_is_one_sentence(network, monkeypatch):
    import builtins

    from waitlab.exceptions import MissingExtraError

    _, store = network
    real = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith(("dask", "distributed")):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    monkeypatch.setattr("importlib.import_module", lambda name, *a: no_dask(name))
    with pytest.raises(MissingExtraError, match=r"waitlab\[cluster\]"):
        network_analysis(store, scheduler="local")
