"""Staffing from a log: measured arrivals and AHT, the Erlang answer, and the understaffed flag."""

import math
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from waitlab import StaffingResult, Target
from waitlab.cli import main
from waitlab.models import ModelInputError
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
    res = staffing_from_log(_steady_log(), interval="30min", targets=Target.service_level(20.0, 0.8))
    assert isinstance(res, StaffingResult) and res.model == "erlang_c" and res.mean_patience is None
    plan, notes = res.table, res.notes
    first = plan.iloc[0]
    assert first["arrivals"] == 100 and first["mean_service"] == 180.0
    lam, mu, a = 100 / 1800, 1 / 180, Fraction(10)
    assert _erlang_c_sl(13, a, mu, lam, 20.0) < 0.8 <= _erlang_c_sl(14, a, mu, lam, 20.0)
    assert first["desks"] == 14
    # desk k serves back to back from 10:00 + 18k s: on duty 1800 - 18k s of the half hour, so
    # sum_k (1800 - 18k) / 1800 = (18000 - 810) / 1800 = 9.55 desks on duty (10 seen serving)
    assert first["desks_present"] == 10 and first["desks_on_duty"] == pytest.approx(17190 / 1800)
    assert first["shortfall"] == 5 and bool(first["understaffed"])  # ceil(14 - 9.55)
    # the next half hour only finishes services: no arrivals, nothing required, not understaffed
    assert plan.iloc[1]["arrivals"] == 0 and plan.iloc[1]["desks"] == 0 and not plan.iloc[1]["understaffed"]
    assert any("Erlang C" in n for n in notes)


def test_default_target_is_stated():
    res = staffing_from_log(_steady_log(), mean_patience=None)
    assert any("80 %" in n for n in res.notes)
    assert res.targets == (Target.service_level(20.0, 0.8),)


def test_result_summary_dict_and_text():
    res = staffing_from_log(_steady_log(), interval="30min", targets=Target.service_level(20.0, 0.8))
    # one half hour with 100 arrivals, needing 14 desks where 9.55 were on duty: 5 whole desks short
    assert res.summary() == {"intervals": 2, "intervals_with_arrivals": 1, "understaffed": 1, "max_shortfall": 5}
    d = res.to_dict()
    assert d["model"] == "erlang_c" and d["targets"] == ["share served within 20 s >= 80.00% in every interval"]
    assert d["notes"] == list(res.notes)
    text = str(res)
    assert "1 intervals with arrivals; 1 understaffed (largest shortfall 5 desks)" in text
    assert all(f"- {n}" in text for n in res.notes)


def _gap_log() -> pd.DataFrame:
    """Two queues; queue A's 10:30 half hour has one arrival and no completed service.

    Services: A 100 s and 200 s (A's mean 150 s), B 400 s; over the whole log (100 + 200 + 400) / 3 s.
    """
    t = pd.Timestamp("2025-03-10 10:00")

    def s(x: float) -> pd.Timestamp:
        return t + pd.Timedelta(seconds=x)

    rows = [
        ("a1", "A", s(0), s(0), s(0), s(100), "served", "d1"),
        ("a2", "A", s(60), s(100), s(100), s(300), "served", "d1"),
        ("b1", "B", s(0), s(0), s(0), s(400), "served", "d2"),
        ("a3", "A", s(1900), pd.NaT, pd.NaT, s(2000), "abandoned", None),
    ]
    df = pd.DataFrame(rows, columns=["contact_id", "queue", "arrived_at", "called_at", "started_at", "ended_at",
                                     "outcome", "server"])
    df["channel"], df["site"] = "phone", "S"
    return coerce_contacts(df, tz="America/Argentina/Buenos_Aires")


@pytest.mark.parametrize(("service_fill", "filled"), [("group", 150.0), ("period", 700.0 / 3)])
def test_interval_without_completed_service_gets_the_chosen_long_run_aht(service_fill, filled):
    res = staffing_from_log(_gap_log(), interval="30min", by=["queue"], mean_patience=None, service_fill=service_fill,
                            targets=Target.mean_wait(60.0))
    plan = res.table.set_index(["queue", res.table["interval_start"].dt.strftime("%H:%M")])
    assert plan.loc[("A", "10:00"), "mean_service"] == pytest.approx(150.0)  # measured: (100 + 200) / 2
    assert plan.loc[("B", "10:00"), "mean_service"] == pytest.approx(400.0)
    assert plan.loc[("A", "10:30"), "arrivals"] == 1
    assert plan.loc[("A", "10:30"), "mean_service"] == pytest.approx(filled)
    assert any("1 interval(s) had arrivals but no completed service" in n and service_fill in n for n in res.notes)


def test_without_by_both_fills_are_the_whole_log_mean_and_period_aht_is_used_everywhere():
    for fill in ("group", "period"):
        res = staffing_from_log(_gap_log(), interval="30min", mean_patience=None, service_fill=fill,
                                targets=Target.mean_wait(60.0))
        assert res.table["mean_service"].tolist() == pytest.approx([700.0 / 3, 700.0 / 3])  # 10:00 measured, 10:30 filled
    res = staffing_from_log(_gap_log(), interval="30min", by=["queue"], mean_patience=None, service_time="period",
                            targets=Target.mean_wait(60.0))
    busy = res.table[res.table["arrivals"] > 0].set_index("queue")["mean_service"]
    assert busy.loc["A"].tolist() == pytest.approx([150.0, 150.0]) and busy.loc["B"] == pytest.approx(400.0)


def test_bad_options_and_a_log_without_service():
    with pytest.raises(ModelInputError, match="`service_fill` must be 'group' or 'period'"):
        staffing_from_log(_gap_log(), service_fill="median")
    with pytest.raises(ModelInputError, match="`service_time` must be 'interval' or 'period'"):
        staffing_from_log(_gap_log(), service_time="daily")
    log = _gap_log()
    with pytest.raises(ModelInputError, match="the log has no completed service"):
        staffing_from_log(log[log["outcome"] == "abandoned"], mean_patience=None)


def test_share_written_first_is_refused_in_one_sentence(capsys):
    assert main(["staff", "no-such-log.csv", "--sl", "0.8:20"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "waitlab staff: --sl takes SECONDS:SHARE, e.g. 20:0.8; got 0.8:20"
    assert main(["staff", "no-such-log.csv", "--wait-limit", "0.05:1800"]) == 2
    assert "--wait-limit takes SECONDS:SHARE, e.g. 1800:0.05; got 0.05:1800" in capsys.readouterr().err


def _zero_service_log() -> pd.DataFrame:
    """Queue A: 10:00 two calls served 100 s and 200 s; 10:30 one call served in 0 s (ended when it started).

    The 10:30 half hour has a served call but no positive service time: like an interval
    without completed service, its handling time is A's mean over the log, (100 + 200 + 0) / 3 s.
    """
    t = pd.Timestamp("2025-03-10 10:00")

    def s(x: float) -> pd.Timestamp:
        return t + pd.Timedelta(seconds=x)

    rows = [
        ("a1", "A", s(0), s(0), s(0), s(100), "served", "d1"),
        ("a2", "A", s(60), s(100), s(100), s(300), "served", "d1"),
        ("a3", "A", s(1900), s(1900), s(1900), s(1900), "served", "d1"),
    ]
    df = pd.DataFrame(rows, columns=["contact_id", "queue", "arrived_at", "called_at", "started_at", "ended_at",
                                     "outcome", "server"])
    df["channel"], df["site"] = "phone", "S"
    return coerce_contacts(df, tz="America/Argentina/Buenos_Aires")


@pytest.mark.parametrize("by", [None, ["queue"]])
def test_interval_whose_services_all_last_zero_seconds_is_filled_and_said(by):
    res = staffing_from_log(_zero_service_log(), interval="30min", by=by, mean_patience=None,
                            targets=Target.mean_wait(60.0))
    plan = res.table.set_index(res.table["interval_start"].dt.strftime("%H:%M"))
    assert plan.loc["10:00", "mean_service"] == pytest.approx(150.0)
    assert plan.loc["10:30", "mean_service"] == pytest.approx(100.0)  # 300 s over 3 services
    assert plan.loc["10:30", "desks"] >= 1
    assert any("1 interval(s) had only services measured as 0 s long" in n and "10:30" in n for n in res.notes)


def test_zero_service_message_names_the_interval_time_not_a_numpy_repr():
    from waitlab.models import staffing_plan

    times = pd.date_range("2025-03-10 10:00", periods=2, freq="30min")
    with pytest.raises(ModelInputError) as err:
        staffing_plan(pd.Series([3.0, 1.0], index=times), [120.0, 0.0], "30min", targets=Target.mean_wait(60.0))
    msg = str(err.value)
    assert "2025-03-10 10:30:00" in msg and "got 0 " in msg
    assert "np.float64" not in msg and "interval 1 " not in msg
    with pytest.raises(ModelInputError, match=r"got 0 in interval number 2 of 2"):
        staffing_plan([3.0, 1.0], [120.0, 0.0], "30min", targets=Target.mean_wait(60.0))


_ROOT = Path(__file__).resolve().parents[1]
SEELAB = next((p for p in (_ROOT.parent / "shared" / "datasets" / "anonymous_bank" / "february.txt",
                           Path("/work/shared/datasets/anonymous_bank/february.txt")) if p.is_file()), None)


@pytest.mark.slow
@pytest.mark.skipif(SEELAB is None, reason="SEELab month (shared/datasets/anonymous_bank/february.txt) not present")
def test_staff_on_the_seelab_month_by_queue_has_zero_service_intervals_and_does_not_fail(capsys):
    # two queue-half-hours of February 1999 have served calls whose service times are all 0 s
    assert main(["staff", str(SEELAB), "--format", "seelab", "--by", "queue"]) == 0
    out = capsys.readouterr().out
    assert "had only services measured as 0 s long" in out


def test_the_verdict_uses_desks_on_duty_not_desks_seen():
    # 10:00-11:00, desk A serves 10:00-10:20, 10:25-10:45 and
    # 10:50-11:00 (gaps of 5 min: on duty all hour); desk B serves one call 10:00-10:05 and is gone
    # (5 of 60 min). Seen serving: 2 desks; on duty: 1 + 1/12.
    start = pd.Timestamp("2025-03-10 10:00")
    spans = [(0, 20, "A"), (25, 45, "A"), (50, 60, "A"), (0, 5, "B")]
    rows = [(f"t{i}", start + pd.Timedelta(minutes=a), start + pd.Timedelta(minutes=a), start + pd.Timedelta(minutes=a),
             start + pd.Timedelta(minutes=b), d) for i, (a, b, d) in enumerate(spans)]
    df = pd.DataFrame(rows, columns=["contact_id", "arrived_at", "called_at", "started_at", "ended_at", "server"])
    df["queue"], df["channel"], df["outcome"], df["site"] = "Q", "phone", "served", "S"
    log = coerce_contacts(df, tz="America/Argentina/Buenos_Aires")
    res = staffing_from_log(log, interval="1h", mean_patience=None, targets=Target.service_level(20.0, 0.8))
    row = res.table.iloc[0]
    # AHT (20 + 20 + 10 + 5) / 4 min = 825 s, 4 arrivals an hour: a = 4 * 825 / 3600 erlangs
    lam, mu, a = 4 / 3600, 1 / 825, Fraction(4 * 825, 3600)
    assert _erlang_c_sl(2, a, mu, lam, 20.0) < 0.8 <= _erlang_c_sl(3, a, mu, lam, 20.0)
    assert row["desks"] == 3 and row["desks_present"] == 2
    assert row["desks_on_duty"] == pytest.approx(1 + 5 / 60)
    assert row["shortfall"] == 2 and bool(row["understaffed"])  # ceil(3 - 1.083), not 3 - 2
    assert any("desks on duty" in n and "understaffed" in n for n in res.notes)
