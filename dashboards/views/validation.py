"""Validation page: do the models reproduce the loaded log? Erlang C, Erlang A and the simulator backtested."""

from __future__ import annotations

import _data
import _models
import _ui
import altair as alt
import i18n
import pandas as pd
import streamlit as st
from i18n import t

from waitlab.exceptions import WaitlabError

st.title(t("backtest.title"))
st.caption(t("backtest.intro"))
loaded = _data.require()
c = loaded.contacts
days = sorted(set(c["arrived_at"].dt.date.dropna()))
if len(days) < 2:
    st.info(t("backtest.too_short", days=i18n.fmt_int(len(days))), icon=":material/info:")
    st.stop()
for key, default in (("bt_train", (days[0], days[len(days) // 2 - 1])), ("bt_test", (days[len(days) // 2], days[-1]))):
    if not _ui.picked(key):  # until the user picks: the first and the second half of the loaded log
        st.session_state[f"keep.{key}"] = default
a, b = st.columns(2)
train = _ui.date_range(t("backtest.train"), "bt_train", days[0], days[-1], where=a)
test = _ui.date_range(t("backtest.test"), "bt_test", days[0], days[-1], where=b)
if not (train[1] < test[0] or test[1] < train[0]):
    st.info(t("backtest.overlap"), icon=":material/info:")
    st.stop()
m = st.columns(4)
by_pool = _ui.checkbox(t("backtest.by_pool"), "bt_pool", True, where=m[0])
models = [name for name, where, default in (("erlang_c", m[1], True), ("erlang_a", m[2], True),
                                            ("simulation", m[3], False))
          if _ui.checkbox(t(f"backtest.model_{name}"), f"bt_{name}", default, where=where)]
if not models:
    st.info(t("backtest.no_model"), icon=":material/info:")
    st.stop()
in_train = c[(c["arrived_at"].dt.date >= train[0]) & (c["arrived_at"].dt.date <= train[1])]
if not in_train["outcome"].isin(["abandoned", "no_show"]).any():
    st.info(t("backtest.no_abandon"), icon=":material/info:")
    st.stop()
sl = _ui.default_sl_threshold(c)
try:
    with st.spinner(t("backtest.running")):
        res = _models.backtest(loaded.key, c, (str(train[0]), str(train[1])), (str(test[0]), str(test[1])),
                             "pool" if by_pool else None, (sl,), tuple(models))
except WaitlabError as exc:  # e.g. no interval with a desk on duty in the test period
    _ui.show_error(exc)
    st.stop()

names = {m: t(f"backtest.model_{m}") for m in ("erlang_c", "erlang_a", "simulation")}
kpis = list(dict.fromkeys(res.errors["kpi"]))
label = {k: t("backtest.kpi_sl", threshold=k[3:]) if k.startswith("sl_") else t(f"backtest.kpi_{k}") for k in kpis}
err = res.errors.assign(model=res.errors["model"].map(names), kpi=res.errors["kpi"].map(label))
share = [not res.in_seconds(k) for k in res.errors["kpi"]]
shown = pd.DataFrame({
    t("backtest.col_model"): err["model"], t("backtest.col_kpi"): err["kpi"],
    t("backtest.col_mae"): [i18n.fmt_pct(v) if s else i18n.fmt_duration(v) for v, s in zip(err["mae"], share, strict=True)],
    t("backtest.col_bias"): [i18n.fmt_pct(v) if s else i18n.fmt_duration(v) for v, s in zip(err["bias"], share, strict=True)],
    t("backtest.col_noise_mae"): [i18n.fmt_pct(v) if s else i18n.fmt_duration(v)
                                  for v, s in zip(err["noise_mae"], share, strict=True)],
    t("backtest.col_intervals"): err["intervals"],
})  # fmt: skip
st.markdown(f"**{t('backtest.errors')}**")
_ui.table(shown, key="bt_errors")
st.caption(t("backtest.noise_help"))

kpi = _ui.selectbox(t("backtest.kpi"), kpis, "bt_kpi", kpis[0], format_func=lambda k: label[k])
h = res.by_hour(kpi)
scale = 1.0 if res.in_seconds(kpi) else 100.0
long = h.melt(id_vars="hour", var_name="what", value_name="value").dropna()
long = long.assign(value=long["value"] * scale, what=long["what"].map({"observed": t("backtest.observed"), **names}))
unit = t("backtest.unit_s" if res.in_seconds(kpi) else "backtest.unit_pct", kpi=label[kpi])
lines = alt.Chart(long).mark_line(point=True).encode(
    x=alt.X("hour:O", title=t("backtest.hour")), y=alt.Y("value:Q", title=unit),
    color=alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom")),
    tooltip=[alt.Tooltip("hour:O", title=t("backtest.hour")), alt.Tooltip("what:N", title=t("backtest.col_model")),
             alt.Tooltip("value:Q", title=unit, format=",.1f")])
_ui.chart(lines.properties(height=320, title=t("backtest.figure_title", kpi=label[kpi])))
_ui.download_csv(res.table, "backtest.download", "backtest.csv", key="dl_backtest")
with st.expander(t("common.notes")):
    st.markdown("\n".join(f"- {i18n.lib.note_text(n, i18n.current_lang())}" for n in dict.fromkeys(res.notes)))
