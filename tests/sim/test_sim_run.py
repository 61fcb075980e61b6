"""Replications, sweeps and the ``waitlab simulate`` command.

The references are independent of the summarising code: a day re-simulated from its own seed
and judged by :func:`waitlab.compliance` directly, Student-t and Wilson intervals computed
here by hand, and the dask cluster's results against the local process pool's.
"""

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from waitlab.cli import main
from waitlab.compliance import check_compliance
from waitlab.exceptions import ArgumentError
from waitlab.schema import validate_contacts
from waitlab.sim import DeskGroup, Distribution, QueueSpec, Scenario, example_path, run, sweep


def _branch(desks: int, name: str = "") -> Scenario:
    # one kiosk queue, a lunch peak that 3 desks cannot hold (waits past 30 min on some days)
    return Scenario(
        site="S", name=name or f"{desks} desks", date=dt.date(2024, 3, 4), start=dt.time(10), end=dt.time(13),
        interval=1800.0, channel="kiosk",
        queues=(QueueSpec(name="caja", rates_per_hour=(30, 40, 60, 60, 40, 30),
                          service=Distribution(dist="exponential", mean=240.0),
                          patience=Distribution(dist="exponential", mean=3600.0)),),
        desks=(DeskGroup(name="caja", serves=("caja",), open=(desks,) * 6),),
    )


def test_same_seed_same_days_whatever_the_number_of_processes():
    a = run(_branch(3), replications=6, rng=11, processes=1, rules="CABA", seats=10)
    b = run(_branch(3), replications=6, rng=11, processes=2, rules="CABA", seats=10)
    c = run(_branch(3), replications=6, rng=12, processes=1, rules="CABA", seats=10)
    assert a.per_replication.equals(b.per_replication)
    assert not a.per_replication["wait_mean"].equals(c.per_replication["wait_mean"])


def test_each_replication_is_the_day_its_seed_gives_and_compliance_agrees():
    res = run(_branch(3), replications=8, rng=3, processes=1, rules="CABA", seats=10)
    flags = []
    for r in range(res.replications):
        contacts = res.contacts_of(r)
        validate_contacts(contacts)
        assert len(contacts) == res.per_replication.loc[r, "arrivals"]
        judged = check_compliance(contacts, rules="CABA", seats=10)
        flags.append(float(judged.daily["breached"].any()))
        assert res.per_replication.loc[r, "breaches_total_90"] == (judged.breaches["rule"] == "total_90").sum()
    np.testing.assert_array_equal(res.per_replication["breached_any"], flags)
    # the stacked table keeps every day, ids unique
    stacked = res.contacts
    assert len(stacked) == res.per_replication["arrivals"].sum()
    assert stacked["contact_id"].is_unique


def test_intervals_are_student_t_and_wilson():
    res = run(_branch(3), replications=10, rng=5, processes=1, rules="CABA", seats=10)
    x = res.per_replication["wait_mean"].to_numpy()
    half = stats.t.ppf(0.975, 9) * x.std(ddof=1) / math.sqrt(10)
    row = res.summary.loc["wait_mean"]
    assert row["mean"] == pytest.approx(x.mean()) and row["ci_high"] == pytest.approx(x.mean() + half)
    k = int(res.per_replication["breached_any"].sum())
    ci = stats.binomtest(k, 10).proportion_ci(confidence_level=0.95, method="wilson")
    p = res.breach_probability.loc["any"]
    assert p["probability"] == k / 10
    assert (p["ci_low"], p["ci_high"]) == pytest.approx((ci.low, ci.high), abs=1e-9)
    # a never-negative KPI keeps a non-negative lower bound
    assert (res.summary["ci_low"][res.summary["mean"] >= 0] >= 0).all()


def test_more_desks_lower_waits_on_common_random_numbers():
    res = sweep([_branch(3), _branch(5)], replications=10, rng=2, processes=1)
    w3 = res.runs[0].per_replication["wait_mean"].to_numpy()
    w5 = res.runs[1].per_replication["wait_mean"].to_numpy()
    # the same customers each day (same seed): two more desks never make a day's mean wait longer
    assert np.all(w5 <= w3) and w5.mean() < w3.mean()
    assert list(res.wide().columns) == ["3 desks", "5 desks"]


@pytest.mark.slow
def test_sweep_on_a_real_dask_cluster_equals_the_local_pool():
    from dask.distributed import Client, LocalCluster

    scenarios = [_branch(3), _branch(4)]
    local = sweep(scenarios, replications=4, rng=9, processes=1, rules="CABA", seats=10)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0") as cluster, \
            Client(cluster) as client:
        remote = sweep(scenarios, replications=4, rng=9, scheduler=client, rules="CABA", seats=10)
        by_address = sweep(scenarios[:1], replications=2, rng=9, scheduler=cluster.scheduler_address)
    for a, b in zip(local.runs, remote.runs, strict=True):
        assert a.per_replication.equals(b.per_replication)
    assert by_address.runs[0].per_replication.equals(
        sweep(scenarios[:1], replications=2, rng=9, processes=1).runs[0].per_replication)


def test_bad_arguments_are_refused():
    with pytest.raises(ArgumentError, match="`replications` must be an integer >= 1"):
        run(_branch(3), replications=0)
    with pytest.raises(ArgumentError, match="distinct"):
        sweep([_branch(3), _branch(3)], replications=2)


def test_simulate_command_json(capsys):
    assert main(["simulate", str(example_path("mmc")), "-n", "4", "--seed", "1", "--processes", "1",
                 "--json", "--rules", "CABA"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["replications"] == 4 and doc["seed"] == 1
    assert {"wait_mean", "sl_offered", "abandon_rate"} <= set(doc["kpis"])
    assert set(doc["breach_probability"]) >= {"any"}
    lo, mean, hi = (doc["kpis"]["wait_mean"][k] for k in ("ci_low", "mean", "ci_high"))
    assert lo <= mean <= hi


def test_simulate_command_refuses_a_missing_file_in_one_line(capsys, tmp_path):
    assert main(["simulate", str(tmp_path / "nope.toml")]) == 2
    err = capsys.readouterr().err.strip()
    assert "nope.toml" in err and "\n" not in err and "Traceback" not in err
    bad = tmp_path / "bad.toml"
    bad.write_text(example_path("mmc").read_text(encoding="utf-8").replace('dist = "exponential"',
                                                                           'dist = "weird"', 1),
                   encoding="utf-8")
    assert main(["simulate", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "bad.toml" in err and "weird" in err and "\n" not in err


def test_days_judged_together_equal_days_judged_one_by_one():
    # real days of the branch sample: breaches of both limits and turn-order violations
    from waitlab.readers import read_log
    from waitlab.sim._kpis import day_breaches, days_breaches

    log, _ = read_log(Path(__file__).parents[2] / "datasets" / "branch_kiosk.csv", format="kiosk", mapping="vendor_a_es")
    days = [d for _, d in log.groupby(log["arrived_at"].dt.date)]
    for seats in (20, None, {"Sucursal Centro": 15}):
        together = days_breaches(days, "CABA", seats)
        alone = [day_breaches(d, "CABA", seats) for d in days]
        assert together == alone
    assert sum(r["turn_order_violations"] for r in alone) == 6 and sum(r["breached_any"] for r in alone) >= 1


def test_chunked_replications_equal_single_days():
    from waitlab.sim._run import replicate, replicate_many, seed_sequences

    sc = Scenario.from_toml(example_path("branch"))
    seeds = seed_sequences(4, 5)
    many = replicate_many(sc, seeds, "auto", 20.0, "CABA", 5)
    assert many == [replicate(sc, s, "auto", 20.0, "CABA", 5) for s in seeds]
    assert sum(r["breaches_standing_30"] for r in many) > 0


def test_days_measured_together_equal_days_measured_one_by_one():
    from waitlab.sim import simulate_day
    from waitlab.sim._kpis import day_kpis, days_kpis
    from waitlab.sim._run import seed_sequences

    sc = Scenario.from_toml(example_path("branch"))
    days = [simulate_day(sc, np.random.default_rng(s)) for s in seed_sequences(8, 4)]
    assert days_kpis(days, 30.0) == [day_kpis(d, 30.0) for d in days]


def test_stacked_contacts_are_each_days_own_table():
    from waitlab.sim import simulate_day
    from waitlab.sim._day import stack_contacts, to_contacts
    from waitlab.sim._run import seed_sequences

    sc = Scenario.from_toml(example_path("branch"))
    days = [simulate_day(sc, np.random.default_rng(s)) for s in seed_sequences(3, 3)]
    stacked = stack_contacts(days)
    for k, d in enumerate(days):
        mine = stacked[stacked["replication"] == k].drop(columns="replication").reset_index(drop=True)
        own = to_contacts(d.scenario, d.draws, d.arrays, prefix=f"r{k}-")
        pd.testing.assert_frame_equal(mine, own)
        pd.testing.assert_frame_equal(own.drop(columns="contact_id"), d.contacts.drop(columns="contact_id"))


def test_by_interval_counts_each_days_arrivals_and_waits():
    sc = _branch(3)
    res = run(sc, replications=6, rng=21, processes=1, by_interval=("arrivals", "wait_mean"))
    counts = np.zeros((6, sc.n_intervals))
    waits = np.full((6, sc.n_intervals), np.nan)
    for r in range(6):
        day = res.day(r)
        k = (day.draws.arrival // sc.interval).astype(int)
        counts[r] = np.bincount(k, minlength=sc.n_intervals)
        left = np.where(np.isnan(day.arrays.called), day.arrays.ended, day.arrays.called)
        for i in range(sc.n_intervals):
            if (k == i).any():
                waits[r, i] = (left - day.draws.arrival)[k == i].mean()
    got = res.by_interval.set_index(["kpi", "interval"])
    np.testing.assert_allclose(got.loc["arrivals", "mean"], counts.mean(axis=0))
    np.testing.assert_allclose(got.loc["wait_mean", "mean"], np.nanmean(waits, axis=0), rtol=1e-9)
    assert list(got.loc["arrivals", "interval_start"]) == sc.interval_labels()
    assert "arrivals[0]" not in res.per_replication.columns
    with pytest.raises(ArgumentError, match="`by_interval` names unknown KPI"):
        run(sc, replications=2, by_interval=("nope",))


def test_summary_columns_reduced_together_equal_t_interval_column_by_column():
    """``summarise`` reduces the KPI columns of every day at once; each must equal ``t_interval`` of that column."""
    from waitlab._ci import t_interval
    from waitlab.sim._run import _mean_cis

    rng = np.random.default_rng(11)
    for days in (1, 2, 3, 30, 257):
        rows = rng.normal(5, 3, (9, days)) * 10.0 ** rng.integers(-3, 4, (9, 1))
        rows[1] = np.abs(rows[1])  # never negative: the lower bound is clipped at 0
        rows[2] = 0.0
        rows[3, 0] = np.nan  # a day without the KPI: reduced alone
        rows[4, -1] = np.inf
        rows[5] = np.nan
        got = _mean_cis(np.ascontiguousarray(rows))
        for i, row in enumerate(rows):
            mean, low, high, std, n = t_interval(row)
            want = {"mean": mean, "std": std, "ci_low": low, "ci_high": high, "n": n}
            for key, value in want.items():
                assert (np.isnan(value) and np.isnan(got[key][i])) or got[key][i] == value, (days, i, key)
