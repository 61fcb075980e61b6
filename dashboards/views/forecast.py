"""Forecast page: the history of arrivals, the forecast with its band, and the desks it implies."""

from __future__ import annotations

import _axis
import _data
import _models
import _ui
import altair as alt
import i18n
import pandas as pd
import streamlit as st
from i18n import t

from waitlab import Target
from waitlab.exceptions import ArgumentError

st.title(t("fc.title"))
st.caption(t("fc.intro"))
loaded = _data.require()
view = _ui.filters(loaded)
if view is None:
    st.stop()

a, b, c = st.columns(3)
horizon = _ui.selectbox(t("fc.horizon"), ["7D", "14D"], "fc_horizon", "7D", where=a,
                        format_func=lambda h: t("fc.days", n=int(h[:-1])))
country = _ui.selectbox(t("fc.country"), ["AR", "UY", "CL", "ES", "none"], "fc_country", "AR", where=b,
                        format_func=lambda x: t("fc.no_country") if x == "none" else x)
try:
    fc = _models.forecast(view.key, view.contacts, view.interval, horizon, None if country == "none" else country)
except ArgumentError:  # too little history (or a filter leaving too little): a plain sentence, no traceback
    days = view.contacts["arrived_at"].dt.date
    st.info(t("fc.too_short", days=i18n.fmt_int((days.max() - days.min()).days + 1)), icon=":material/info:")
    st.stop()
except Exception as exc:  # noqa: BLE001 - the library's one-sentence message (e.g. a missing extra)
    _ui.show_error(exc)
    st.stop()
level = max(fc.levels)
quantile = _ui.selectbox(t("fc.quantile"), [0, *fc.levels], "fc_quantile", 0, where=c,
                         format_func=lambda q: t("fc.q_mean") if q == 0 else t("fc.q_level", level=q))
d, e = st.columns(2)
lim = _ui.number(t("fc.limit_min"), "fc_lim", 30.0, where=d, min_value=1.0, step=5.0)
pct = _ui.number(t("fc.limit_pct"), "fc_pct", 5.0, where=e, min_value=0.001, max_value=99.9, step=1.0)
targets = (Target.wait_exceeds(float(lim) * 60.0, float(pct) / 100.0),)
fkey = f"{view.key}|{view.interval}|{horizon}|{country}"
try:
    staff = _models.forecast_staffing(fkey, fc, targets, int(quantile) or None)
except Exception as exc:  # noqa: BLE001 - the library's one-sentence message; never a traceback
    _ui.show_error(exc)
    st.stop()

table = _ui.naive_times(fc.table, "interval_start")
plan = _ui.naive_times(staff.table, "interval_start")
hours = fc.interval / 3600.0
m = st.columns(4)
m[0].metric(t("fc.model"), t(f"fc.model_{fc.model}"), border=True)
m[1].metric(t("fc.total"), i18n.fmt_int(round(float(table["arrivals"].sum()))), border=True)
m[2].metric(t("fc.desk_hours"), i18n.fmt_num(float(plan["desks"].sum()) * hours, 1), border=True)
m[3].metric(t("fc.peak"), i18n.fmt_int(int(plan["desks"].max()) if len(plan) else 0), border=True)

# history (the last two weeks) and the forecast on one business-hours axis
hist = _ui.naive_times(_data.intervals(view.key, view.contacts, view.interval, (), 900.0), "interval_start")
hist = hist[hist["arrivals"] > 0]
hist = hist[hist["interval_start"] >= hist["interval_start"].max().normalize() - pd.Timedelta(days=13)]
lo, hi = f"arrivals_lo_{level}", f"arrivals_hi_{level}"
order = _axis.slots(pd.concat([hist["interval_start"], table["interval_start"]], ignore_index=True))
x = _axis.slot_x(order, t("dash.business_hours"))
names = {"history": t("fc.history"), "forecast": t("fc.forecast")}
past = pd.DataFrame({"interval_start": hist["interval_start"], "count": hist["arrivals"].astype(float),
                     "what": names["history"]})
ahead = pd.DataFrame({"interval_start": table["interval_start"], "count": table["arrivals"], "what": names["forecast"],
                      "lo": table[lo], "hi": table[hi]})
series = pd.concat([past, ahead], ignore_index=True)
series = series.assign(slot=series["interval_start"].map(order), day=series["interval_start"].dt.date.astype(str))
tip = [alt.Tooltip("interval_start:T", title=t("ov.time"), format=_ui.tooltip_time()),
       alt.Tooltip("count:Q", title=t("fc.arrivals"), format=",.1f")]
band = alt.Chart(series[series["what"] == names["forecast"]]).mark_area(opacity=0.25, color="#f58518").encode(
    x=x, y="lo:Q", y2="hi:Q", detail="day:N")
lines = alt.Chart(series).mark_line(interpolate="step-after").encode(
    x=x, y=alt.Y("count:Q", title=t("fc.arrivals")), detail="day:N", tooltip=tip,
    color=alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom"),
                    scale=alt.Scale(domain=list(names.values()), range=["#4c78a8", "#f58518"])))
rules_layer = _axis.day_rules(order)
_ui.chart(alt.layer(*([rules_layer] if rules_layer is not None else []), band, lines).properties(height=320))
st.caption(t("fc.band", level=level))

st.markdown(f"**{t('fc.staffing')}**")
porder = _axis.slots(plan["interval_start"])
pplan = plan.assign(slot=plan["interval_start"].map(porder), day=plan["interval_start"].dt.date.astype(str))
desks = alt.Chart(pplan).mark_line(interpolate="step-after", color="#e45756").encode(
    x=_axis.slot_x(porder, t("dash.business_hours")), y=alt.Y("desks:Q", title=t("fc.desks")), detail="day:N",
    tooltip=[alt.Tooltip("interval_start:T", title=t("ov.time"), format=_ui.tooltip_time()),
             alt.Tooltip("desks:Q", title=t("fc.desks"))])
prules = _axis.day_rules(porder)
_ui.chart(alt.layer(*([prules] if prules is not None else []), desks).properties(height=260))

st.markdown(f"**{t('fc.per_day')}**")
per_day = pd.DataFrame({
    "day": table["interval_start"].dt.date,
    "arrivals": table["arrivals"],
}).groupby("day", as_index=False)["arrivals"].sum()
base = _ui.naive_times(fc.baseline, "interval_start")
per_day["baseline"] = per_day["day"].map(base.groupby(base["interval_start"].dt.date)["arrivals"].sum())
_ui.table(per_day, {"day": "date", "arrivals": "int", "baseline": "int"}, key="fc_days")
_ui.download_csv(table, "fc.download", "forecast.csv", key="dl_forecast")
_ui.download_csv(plan, "fc.download_staff", "forecast_staffing.csv", key="dl_forecast_staff")
notes = [*fc.notes, *staff.notes]
if notes:
    with st.expander(t("common.notes")):
        st.markdown("\n".join(f"- {i18n.lib.note_text(n, i18n.current_lang())}" for n in dict.fromkeys(notes)))
