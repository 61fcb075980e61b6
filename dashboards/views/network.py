"""Network page (Red): the sites of a store, or of the loaded data, ranked worst first, and one site in detail."""

from __future__ import annotations

from pathlib import Path

import _data
import _models
import _ui
import altair as alt
import i18n
import pandas as pd
import streamlit as st
from i18n import t

from waitlab.exceptions import WaitlabError

st.title(t("net.title"))

loaded = _data.current()
if loaded is not None and loaded.contacts.empty:  # say so, as every page does; a store can still be ranked
    st.warning(t("dash.no_contacts", name=_data.display_name(loaded)), icon=":material/info:")
several = loaded is not None and loaded.contacts["site"].dropna().nunique() > 1
source = _ui.radio(t("net.source"), ["loaded", "store"], "net_source", default="loaded" if several else "store",
                   format_func=lambda k: t(f"net.source_{k}"), horizontal=True)

if source == "loaded":
    if loaded is None:
        _data.require()  # says where to load data, then stops
    if not several:
        st.info(t("net.one_site"), icon=":material/info:")
        st.stop()
    key, what = f"loaded:{loaded.key}", loaded.contacts  # type: ignore[union-attr]
else:
    typed = _ui.text(t("net.store_path"), "net_store").strip()
    if not typed:
        st.caption(t("net.store_empty"))
        st.stop()
    folder = Path(typed).expanduser()
    if not folder.is_dir():
        st.error(t("net.store_missing", path=typed), icon=":material/error:")
        st.stop()
    if not any(folder.glob("site=*")):
        st.error(t("net.not_store", path=typed), icon=":material/error:")
        st.stop()
    stamp = max((p.stat().st_mtime_ns for p in folder.glob("site=*/month=*/part-*.parquet")), default=0)
    key, what = f"store:{folder.resolve()}:{stamp}", folder  # a re-ingest changes the key

rule_names = _data.rule_sets()
rules = _ui.selectbox(t("cmp.rules"), rule_names, "net_rules", default="CABA" if "CABA" in rule_names else None)
try:
    with st.spinner(t("net.run")):
        result = _models.network(key, what, rules, None)
except WaitlabError as exc:
    _ui.show_error(exc)
    st.stop()

lang = i18n.current_lang()
sites, ranking = result.sites, result.ranking
m = st.columns([1, 1, 2, 1.4])
m[0].metric(t("net.metric_sites"), i18n.fmt_int(len(sites)), border=True)
m[1].metric(t("net.metric_contacts"), i18n.fmt_int(int(sites["volume"].sum()) if len(sites) else 0), border=True)
m[2].metric(t("net.metric_worst"), str(ranking["site"].iloc[0]) if len(ranking) else i18n.DASH, border=True)
m[3].metric(t("net.metric_to_comply"), i18n.fmt_num(float(sites["desk_hours_to_comply"].sum()), 1), border=True)

st.subheader(t("net.ranking"))
from waitlab.report import network_tables  # noqa: E402 - loaded only when the page runs

heads = list(network_tables(result, lang)[t("net.ranking", lang)].frame.columns)
shown = pd.DataFrame(ranking).copy()
kinds = {"volume": "int", "noncompliance": "pct", "breach_share": "pct", "turn_order_violations": "int",
         "understaffed_hours": "num", "desk_hours_to_comply": "num", "rank_compliance": "int",
         "rank_understaffed": "int", "rank_to_comply": "int"}
labels = {c: (t("col.site") if c == "site" else h) for c, h in zip(shown.columns, heads, strict=True)}
shown_kinds = {labels[c]: k for c, k in kinds.items() if c in labels}
_ui.table(shown.rename(columns=labels), shown_kinds, key="net_ranking")
_ui.download_csv(shown.rename(columns=labels), "net.download_ranking", "network_ranking.csv", key="dl_net_ranking")

st.subheader(t("net.chart_breach"))
bars = pd.DataFrame({"site": ranking["site"].astype(str), "share": ranking["breach_share"].astype(float)})
median = float(bars["share"].median()) if len(bars) > 1 else None
base = alt.Chart(bars).mark_bar(color="#c0392b").encode(
    x=alt.X("share:Q", title=t("net.chart_axis"), axis=alt.Axis(format="%")),
    y=alt.Y("site:N", title=t("col.site"), sort="-x", axis=alt.Axis(labelOverlap=False, labelLimit=260)),
    tooltip=[alt.Tooltip("site:N", title=t("col.site")), alt.Tooltip("share:Q", title=t("net.chart_axis"), format=".1%")],
)
layers: alt.TopLevelMixin = base
if median is not None:
    rule = alt.Chart(pd.DataFrame({"m": [median]})).mark_rule(strokeDash=[4, 4]).encode(
        x="m:Q", tooltip=[alt.Tooltip("m:Q", title=t("net.network_median"), format=".1%")])
    layers = base + rule
_ui.chart(layers.properties(height=max(160, 34 * len(bars))))
if median is not None:
    st.caption(t("net.network_median") + f": {i18n.fmt_pct(median)} (- - -)")

st.subheader(t("net.drill"))
names = [str(s) for s in ranking["site"]]
pick = _ui.selectbox(t("net.drill_pick"), names, "net_site", default=names[0] if names else None)
if pick in names:
    try:
        detail = _models.network_site(key + f"|{rules}", result, pick)
    except WaitlabError as exc:
        _ui.show_error(exc)
        st.stop()
    st.caption(t("net.drill_caption", site=pick))
    cols = [c for c in detail.columns if c != "site"]
    heads = {"abandoned": t("kpi.abandoned"), "no_show": t("kpi.no_show"), "wait_p90": t("kpi.wait_p90"),
             "sl": t("net.col_sl"), "desks_needed": t("net.col_desks_needed"), "shortfall": t("net.col_shortfall")}
    kinds = {"sl": "pct", "abandon_rate": "pct", "desks_on_duty": "num", "desks_needed": "int", "shortfall": "num",
             "wait_p90": "dur"}
    table = pd.DataFrame(detail[cols]).rename(columns=heads)
    _ui.table(table, {heads.get(c, c): k for c, k in kinds.items()}, highlight=detail["understaffed"], key="net_detail")
    plot = _ui.naive_times(pd.DataFrame(detail), "interval_start")
    long = plot.melt(id_vars=["interval_start"], value_vars=["desks_on_duty", "desks_needed"], var_name="what",
                     value_name="desks")
    long["what"] = long["what"].map(lambda c: heads.get(c) or _ui.col_label(c))
    st.markdown(f"**{t('net.drill_chart')}**")
    _ui.chart(alt.Chart(long).mark_line(interpolate="step-after").encode(
        x=alt.X("interval_start:T", title=t("col.interval_start"), axis=_ui.time_axis()),
        y=alt.Y("desks:Q", title=t("net.col_desks_needed")),
        color=alt.Color("what:N", title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("interval_start:T", title=t("col.interval_start"), format=_ui.tooltip_time()),
                 alt.Tooltip("what:N", title=" "), alt.Tooltip("desks:Q", title=t("net.col_desks_needed"), format=".1f")],
    ).properties(height=260))

with st.expander(t("common.notes")):
    st.markdown("\n".join(f"- {i18n.lib.note_text(n, lang)}" for n in dict.fromkeys(result.notes)))
