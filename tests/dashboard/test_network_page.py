"""The Network page (Red) under AppTest: the sample network's ranking, a store typed in, a missing folder."""

from __future__ import annotations

import json

import i18n
import pytest
from conftest import DATASETS, load_sample, metrics, new_app

NETWORK = DATASETS / "network"


@pytest.fixture(scope="module")
def network_json():
    if not (NETWORK / "_network.json").is_file():
        pytest.skip(f"{NETWORK} is missing (run python datasets/make_network.py)")
    return json.loads((NETWORK / "_network.json").read_text(encoding="utf-8"))


def _cells(at, label: str):
    """The shown table that has a column headed `label` (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if label in d.value.columns)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_sample_network_is_ranked_and_one_site_drills_down(lang, network_json):
    at = load_sample(new_app(lang), "network")
    at.switch_page("views/network.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == i18n.t("net.title", lang)
    shown = metrics(at)
    assert shown[i18n.t("net.metric_sites", lang)] == "6"  # the generator's six branches
    total = sum(s["rows"] for s in network_json["sites"])  # rows of the logs; contacts are the rows used
    contacts = i18n.parse_num(shown[i18n.t("net.metric_contacts", lang)], lang)
    assert 0.95 * total <= contacts <= total
    ranking = _cells(at, i18n.t("net.col_rank_compliance", lang))
    site_col = ranking.columns[0]
    assert sorted(ranking[site_col]) == sorted(s["site"] for s in network_json["sites"])
    assert str(ranking[site_col].iloc[0]) == shown[i18n.t("net.metric_worst", lang)]
    # the branch the generator made chronically short of desks is the worst in understaffed hours
    short = [s["site"] for s in network_json["sites"] if s["kind"] == "understaffed"]
    rank_col = i18n.t("net.col_rank_understaffed", lang)
    assert ranking.loc[ranking[rank_col] == "1", site_col].tolist() == short or \
        ranking.loc[ranking[rank_col].astype(str) == "1", site_col].tolist() == short
    other = str(ranking[site_col].iloc[-1])
    at.selectbox(key=f"net_site.{lang}").set_value(other).run()
    assert not at.exception, at.exception
    assert any(other in c.value for c in at.caption)
    assert len(_cells(at, i18n.t("col.interval_start", lang))) > 0


def test_a_typed_store_is_read_and_a_missing_folder_is_one_localised_sentence(tmp_path, network_json):
    from waitlab.network import ingest_to_store

    store = tmp_path / "store"
    ingest_to_store(sorted(NETWORK.glob("B00[12]-*.csv.gz")), store, format="kiosk", mapping="vendor_a_es")
    at = new_app("es")
    at.switch_page("views/network.py").run()
    assert not at.exception, at.exception
    at.text_input(key="net_store.es").set_value(str(tmp_path / "nope")).run()
    assert [e.value for e in at.error] == [i18n.t("net.store_missing", "es", path=str(tmp_path / "nope"))]
    at.text_input(key="net_store.es").set_value(str(tmp_path)).run()  # a folder, not a store
    assert [e.value for e in at.error] == [i18n.t("net.not_store", "es", path=str(tmp_path))]
    at.text_input(key="net_store.es").set_value(str(store)).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert metrics(at)[i18n.t("net.metric_sites", "es")] == "2"
