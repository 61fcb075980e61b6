"""Overview page: KPI cards for the period, arrivals vs desks, waits and service time by queue."""

from __future__ import annotations

import _axis
import _data
import _ui
import altair as alt
import i18n
import pandas as pd
import streamlit as st
from i18n import t

st.title(t("ov.title"))
loaded = _data.require()
view = _ui.filters(loaded)
if view is None:
    st.stop()
key, contacts, interval = view.key, view.contacts, view.interval

sl_t = float(_ui.number(t("ov.sl_threshold"), "ov_sl", _ui.default_sl_threshold(contacts), min_value=0.0,
                        step=5.0, help=t("ov.sl_threshold_help")))
kpi = _data.summary(key, contacts, sl_t)
rules, seats = _ui.chosen_rules(contacts), _ui.kept("cmp_seats")  # phone logs: no rule unless picked
comp = _data.compliance(key, contacts, rules, seats) if rules is not None else None

st.caption(t("common.period", start=i18n.fmt_datetime(kpi["first_arrival"]), end=i18n.fmt_datetime(kpi["last_event"]),
             tz=str(contacts["arrived_at"].dt.tz)))
cards = [*st.columns(3), *st.columns(3 if comp is not None else 2)]  # two rows: every value shows whole
cards[0].metric(t("kpi.arrivals"), i18n.fmt_int(kpi["arrivals"]), border=True)
cards[1].metric(t("kpi.asa"), i18n.fmt_duration(kpi["asa"]), help=t("kpi.asa_help"), border=True)
cards[2].metric(t("kpi.sl", s=i18n.fmt_duration(sl_t)), i18n.fmt_pct(kpi["sl_offered"]), help=t("kpi.sl_help"),
                border=True)
cards[3].metric(t("kpi.abandon_rate"), i18n.fmt_pct(kpi["abandon_rate"]), help=t("kpi.abandon_help"), border=True)
cards[4].metric(t("kpi.wait_max"), i18n.fmt_duration(kpi["wait_max"]), border=True)
if comp is not None:
    cards[5].metric(t("kpi.breaches", rules=comp.rules.name), i18n.fmt_int(comp.breaching_contacts),
                    help=t("kpi.breaches_help"), border=True)

with st.expander(t("ov.all_kpis")):
    rows = [(k, kpi[k]) for k in _ui.KPI_ORDER if k in kpi]
    _ui.table(pd.DataFrame({"kpi": [t(f"kpi.{k}") for k, _ in rows],
                            "value": [_ui.fmt_kpi(k, v) for k, v in rows]}), key="ov_all")

stats = _data.intervals(key, contacts, interval, (), sl_t)
series = _ui.naive_times(stats, "interval_start")
# business hours only: the intervals with arrivals or open desks, side by side (nights and closed days left out)
series = series[(series["arrivals"] > 0) | (series["desks_present"].fillna(0) > 0)].copy()
order = _axis.slots(series["interval_start"])
series["slot"] = series["interval_start"].map(order)
series["slot_end"] = series["slot"] + 0.9
series["day"] = series["interval_start"].dt.date.astype(str)  # lines break between days
x = _axis.slot_x(order, t("dash.business_hours"))
rules_layer = _axis.day_rules(order)
when = alt.Tooltip("interval_start:T", title=t("ov.time"), format=_ui.tooltip_time())

st.subheader(t("ov.arrivals_vs_desks", width=t(f"freq.{interval}")))
what = {"arrivals": t("kpi.arrivals"), "desks_present": t("kpi.desks_present")}
legend = alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom"),
                   scale=alt.Scale(domain=list(what.values()), range=["#4c78a8", "#e45756"]))
bars = alt.Chart(series.assign(what=what["arrivals"])).mark_rect(opacity=0.7).encode(
    x=x, x2="slot_end:Q", y=alt.Y("arrivals:Q", title=t("kpi.arrivals")), y2=alt.datum(0), color=legend,
    tooltip=[when, alt.Tooltip("arrivals:Q", title=t("kpi.arrivals")),
             alt.Tooltip("desks_present:Q", title=t("kpi.desks_present"), format=",.1f")])
line = alt.Chart(series.assign(what=what["desks_present"])).mark_line(interpolate="step-after").encode(
    x=x, y=alt.Y("desks_present:Q", title=t("kpi.desks_present")), color=legend, detail="day:N",
    tooltip=[when, alt.Tooltip("desks_present:Q", title=t("kpi.desks_present"), format=",.1f")])
chart = alt.layer(bars, line).resolve_scale(y="independent")
_ui.chart((alt.layer(rules_layer, chart) if rules_layer is not None else chart).properties(height=300))

st.subheader(t("ov.waits", width=t(f"freq.{interval}")))
waits = series.melt(id_vars=["interval_start", "slot"], value_vars=["wait_mean", "wait_p90", "wait_max"],
                    var_name="kpi", value_name="seconds")
waits["minutes"] = waits["seconds"] / 60.0
names = {k: t(f"kpi.{k}") for k in ("wait_mean", "wait_p90", "wait_max")}  # colours follow the code, not the words
waits["label"] = waits["kpi"].map(names)
waits["day"] = waits["interval_start"].dt.date.astype(str)
wait_lines = alt.Chart(waits).mark_line(point=True).encode(
    x=x, y=alt.Y("minutes:Q", title=t("ov.minutes")), detail="day:N",
    color=alt.Color("label:N", title=None, legend=alt.Legend(orient="bottom"),
                    scale=alt.Scale(domain=list(names.values()), range=["#4c78a8", "#f58518", "#e45756"])),
    tooltip=[when, alt.Tooltip("label:N", title=t("ov.indicator")),
             alt.Tooltip("minutes:Q", title=t("ov.minutes"), format=",.1f")],
)
_ui.chart((alt.layer(rules_layer, wait_lines) if rules_layer is not None else wait_lines).properties(height=280))

st.subheader(t("ov.by_queue"))
queues = _data.by_queue(key, contacts, sl_t)
left, right = st.container(), st.container()  # chart above, table below at full width: no cut columns
with left:
    mean_service = queues.assign(minutes=queues["mean_service"] / 60.0)
    _ui.chart(alt.Chart(mean_service).mark_bar(color="#72b7b2").encode(
        x=alt.X("minutes:Q", title=t("ov.aht_minutes")), y=alt.Y("queue:N", title=None, sort="-x"),
        tooltip=[alt.Tooltip("queue:N", title=t("col.queue")),
                 alt.Tooltip("minutes:Q", title=t("ov.aht_minutes"), format=",.1f"),
                 alt.Tooltip("served:Q", title=t("kpi.served"))],
    ).properties(height=max(120, 36 * len(mean_service))))
with right:
    _ui.table(queues, key="ov_queues")

if kpi.notes or stats.notes:
    with st.expander(t("common.notes")):
        st.markdown("\n".join(f"- {i18n.lib.note_text(n, i18n.current_lang())}" for n in dict.fromkeys([*kpi.notes, *stats.notes])))
