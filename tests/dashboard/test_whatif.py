"""The What-if page under AppTest: the library's numbers, a schedule edit, errors and the language switch.

Expected values come from an independent call of ``waitlab.sim.run`` on a scenario built here
with ``Scenario.from_log`` from the sample read by the library, with the page's defaults: the
busiest day (Tuesday 25 March 2025, the breach day of datasets/README.md), 1-hour intervals,
seed 1, the CABA rule set, unknown seats, the kiosk service-level threshold of 15 min. The
tests use 20 replications instead of the page's 100 to keep the suite quick.
"""

from __future__ import annotations

import datetime as dt

import i18n
import pytest
from conftest import load_sample, metrics, new_app

from waitlab.compliance import load_rules

sim = pytest.importorskip("waitlab.sim")
if not hasattr(sim, "scenario_from_log"):
    pytest.skip("waitlab.sim has no scenarios from a log yet", allow_module_level=True)

from waitlab.sim import Scenario, run  # noqa: E402

REPS = 20
SEED = 1
BREACH_DAY = dt.date(2025, 3, 25)
KPI, RULE = i18n.t("wif.col_kpi", "es"), i18n.t("wif.col_rule", "es")


@pytest.fixture(scope="module")
def baseline_scenario(kiosk):
    contacts, _ = kiosk
    return Scenario.from_log(contacts, date=BREACH_DAY, interval=3600.0)


@pytest.fixture(scope="module")
def expected(baseline_scenario):
    return run(baseline_scenario, REPS, SEED, processes=1, rules="CABA", sl_threshold=900.0)


def _open(lang: str = "es"):
    at = load_sample(new_app(lang))
    at.switch_page("views/whatif.py").run()
    assert not at.exception, at.exception
    at.slider(key=f"wif_reps.{lang}").set_value(REPS).run()
    return at


def _simulate(at):
    at.button(key="wif_run").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def _table(at, first_col: str):
    """The on-screen table whose first column is headed `first_col`."""
    for df in (d.value for d in at.dataframe):
        if len(df.columns) and df.columns[0] == first_col:
            return df
    raise AssertionError(f"no table headed {first_col!r}")


def _cell(at, first_col: str, row_label: str, col: str) -> str:
    df = _table(at, first_col)
    return str(df.loc[df[first_col] == row_label, col].iloc[0])


@pytest.fixture(scope="module")
def simulated_es(kiosk):
    return _simulate(_open("es"))


def test_default_day_is_the_busiest_and_the_schedule_is_the_logs(simulated_es, baseline_scenario):
    at = simulated_es
    assert at.selectbox(key="wif_day.es").value == BREACH_DAY
    table = at.data_editor[0].value
    assert list(table["time"]) == baseline_scenario.interval_labels() == ["10:00", "11:00", "12:00", "13:00", "14:00"]
    for g in baseline_scenario.desks:
        assert list(table[g.name]) == list(g.open)


def test_baseline_kpis_equal_the_library(simulated_es, expected):
    at = simulated_es
    s = expected.summary
    shown = metrics(at)
    wait = shown[i18n.t("wif.metric_base", "es", kpi=i18n.t("kpi.wait_mean", "es"))]
    assert wait == i18n.fmt_duration(s.loc["wait_mean", "mean"], "es")
    assert i18n.parse_num(wait, "es") == pytest.approx(s.loc["wait_mean", "mean"] / 60.0, abs=0.05)
    p_any = expected.breach_probability.loc["any", "probability"]
    # one headline per limit of the rule set: real day -> what-if (same schedule here, so equal)
    rules = load_rules("CABA")
    assert len(rules.limits) >= 2
    for lim in rules.limits:
        p = expected.breach_probability.loc[lim.id, "probability"]
        label = i18n.t("dash.p_breach_rule", "es", rule=i18n.t(f"dash.limit_{lim.kind}", "es", m=i18n.fmt_num(lim.minutes, 0, "es")))
        assert shown[label] == f"{i18n.fmt_pct(p, lang='es')} → {i18n.fmt_pct(p, lang='es')}"
    # the comparison table: mean and 95 % interval of the library's summary
    col, ci = i18n.t("wif.col_base", "es"), i18n.t("wif.col_base_ci", "es")
    p90 = i18n.t("kpi.wait_p90", "es")
    assert _cell(at, KPI, p90, col) == i18n.fmt_duration(s.loc["wait_p90", "mean"], "es")
    assert _cell(at, KPI, p90, ci) == (
        f"{i18n.fmt_duration(s.loc['wait_p90', 'ci_low'], 'es')} – {i18n.fmt_duration(s.loc['wait_p90', 'ci_high'], 'es')}")
    sl = i18n.t("kpi.sl_offered", "es")
    assert _cell(at, KPI, sl, col) == i18n.fmt_pct(s.loc["sl_offered", "mean"], lang="es")
    # the breach table: every limit of the rule set with the library's probability
    probs = _table(at, RULE)
    assert len(probs) == len(expected.breach_probability)
    any_row = _cell(at, RULE, i18n.t("wif.rule_any", "es"), col)
    assert any_row == i18n.fmt_pct(p_any, lang="es")
    assert any(f"{REPS} días simulados" in c.value and "rápido (numba)" in c.value for c in at.caption)
    # the gap between the logged day and the simulated as-is days, in one sentence, with the simulated
    # days' mean from the library's own replications
    days = expected.per_replication["wait_mean"].to_numpy(dtype=float) / 60.0
    gap = [c.value for c in at.caption if c.value.startswith("Día real según el registro")]
    assert len(gap) == 1, [c.value for c in at.caption]
    assert f"{i18n.fmt_num(days.mean(), 1, 'es')} min en promedio" in gap[0]


def test_adding_desks_lowers_the_mean_wait(kiosk, baseline_scenario):
    at = _open("es")
    editor = at.data_editor[0]
    caja = next(g for g in baseline_scenario.desks if g.serves == ("Caja",))
    at.session_state[editor.key] = {
        "edited_rows": {i: {caja.name: n + 3} for i, n in enumerate(caja.open)},
        "added_rows": [], "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    hours = sum(sum(g.open) for g in baseline_scenario.desks)
    assert any(c.value.startswith(i18n.t("wif.desk_hours", "es", base=i18n.fmt_num(hours, 1, "es"),
                                            new=i18n.fmt_num(hours + 15, 1, "es"), diff="+15,0"))
               for c in at.caption), [c.value for c in at.caption]
    _simulate(at)
    shown = metrics(at)
    label = i18n.t("kpi.wait_mean", "es")
    base = i18n.parse_num(shown[i18n.t("wif.metric_base", "es", kpi=label)], "es")
    new = i18n.parse_num(shown[i18n.t("wif.metric_new", "es", kpi=label)], "es")
    assert new < base
    # the what-if column is the library's run of the edited scenario, with the same seed
    import dataclasses

    desks = tuple(dataclasses.replace(g, open=tuple(n + 3 for n in g.open)) if g is caja else g
                  for g in baseline_scenario.desks)
    edited = run(dataclasses.replace(baseline_scenario, desks=desks), REPS, SEED, processes=1, rules="CABA",
                 sl_threshold=900.0)
    assert shown[i18n.t("wif.metric_new", "es", kpi=label)] == i18n.fmt_duration(
        edited.summary.loc["wait_mean", "mean"], "es")

    # the edit survives a language switch, and every label changes
    es_labels = set(shown)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "What-if"
    en = metrics(at)
    assert es_labels.isdisjoint(en)
    assert "Mean wait · real day" in en
    assert en["Mean wait · with changes"] == i18n.fmt_duration(edited.summary.loc["wait_mean", "mean"], "en")
    assert at.button(key="wif_run").label == "Simulate"


def test_a_schedule_that_leaves_a_queue_unserved_shows_the_scenario_message(kiosk, baseline_scenario):
    at = _open("es")
    editor = at.data_editor[0]
    closed = [g.name for g in baseline_scenario.desks if "Caja" in g.serves]
    at.session_state[editor.key] = {
        "edited_rows": {i: dict.fromkeys(closed, 0) for i in range(baseline_scenario.n_intervals)},
        "added_rows": [], "deleted_rows": [],
    }
    at.run()
    assert not at.exception, at.exception
    assert at.error and "'Caja'" in at.error[0].value, [e.value for e in at.error]
    # and the reset button brings back the real schedule
    at.button(key="wif_reset").click().run()
    assert not at.exception and not at.error
    assert list(at.data_editor[0].value[closed[0]]) == list(baseline_scenario.desks[
        [g.name for g in baseline_scenario.desks].index(closed[0])].open)


def test_without_a_rule_set_no_breach_table(kiosk):
    at = _open("en")
    at.selectbox(key="wif_rules.en").select_index(0).run()
    _simulate(at)
    assert i18n.t("wif.no_rules_note", "en") in [c.value for c in at.caption]
    assert "Mean wait · real day" in metrics(at)
    assert i18n.t("wif.metric_base", "en", kpi=i18n.t("wif.sl_card", "en")) in metrics(at)
