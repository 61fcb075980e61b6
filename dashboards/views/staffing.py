"""Staffing page: desks required per interval (Erlang C or A) against the desks that were open."""

from __future__ import annotations

import _axis
import _data
import _ui
import altair as alt
import i18n
import streamlit as st
from i18n import t

from waitlab import Target, defaults_for

st.title(t("stf.title"))
st.caption(t("stf.intro"))
loaded = _data.require()
view = _ui.filters(loaded)
if view is None:
    st.stop()

model = _ui.radio(t("stf.model"), ["erlang_a", "erlang_c"], "stf_model", "erlang_a", horizontal=True,
                  format_func=lambda m: t(f"stf.{m}"))
patience_s: float | str | None = None
if model == "erlang_a":
    try:
        est, (lo, hi), _ = _data.patience_estimate(view.key, view.contacts)
    except Exception as exc:  # noqa: BLE001 - e.g. nobody left: nothing to learn patience from; never a traceback
        st.warning(t("stf.no_patience", error=str(exc)))
        est, lo, hi = float("nan"), float("nan"), float("nan")
    minutes = _ui.number(t("stf.patience"), "stf_patience", None, min_value=0.1, step=1.0, format="%.1f",
                         placeholder=i18n.fmt_num(est / 60.0, 1), help=t("stf.patience_help"))
    st.caption(t("stf.patience_est", est=i18n.fmt_duration(est), lo=i18n.fmt_duration(lo), hi=i18n.fmt_duration(hi)))
    patience_s = float(minutes) * 60.0 if minutes is not None else "auto"  # auto: the estimate above

st.markdown(f"**{t('stf.targets')}**")
st.caption(t("stf.targets_help"))


def _row(name: str, default_on: bool = False):  # noqa: ANN202 - (on, column, column, column)
    cols = st.columns([2, 1, 1, 1, 1])
    on = _ui.checkbox(t(f"stf.use_{name}"), f"stf_use_{name}", default_on, where=cols[0])
    return on, cols[1:]


targets: list[Target] = []
# the channel's defaults (waitlab.defaults_for): calls get 80 % within 20 s, kiosk tickets the wait limits
# of their rule set; with abandonment a wait limit alone is met by almost no desk (callers leave first)
dflt = defaults_for(view.contacts)
branch = dflt.rules is not None
on, (a, b, _c, _d) = _row("sl", not branch)
sl_pct = _ui.number(t("stf.sl_pct"), "stf_sl_pct", 100.0 * dflt.sl_share, where=a, min_value=1.0, max_value=99.9,
                    step=5.0, disabled=not on)
sl_s = _ui.number(t("stf.sl_s"), "stf_sl_s", dflt.sl_threshold, where=b, min_value=0.0,
                  step=10.0, disabled=not on)
if on:
    targets.append(Target.service_level(float(sl_s), float(sl_pct) / 100.0))
on, (a, b, c, d) = _row("limits", branch)
lim1 = _ui.number(t("stf.limit_min", n=1), "stf_lim1", 30.0, where=a, min_value=1.0, step=5.0, disabled=not on)
p1 = _ui.number(t("stf.limit_pct", n=1), "stf_p1", 5.0, where=b, min_value=0.001, max_value=99.9, step=1.0,
                disabled=not on)
lim2 = _ui.number(t("stf.limit_min", n=2), "stf_lim2", 90.0, where=c, min_value=1.0, step=5.0, disabled=not on)
p2 = _ui.number(t("stf.limit_pct", n=2), "stf_p2", 0.1, where=d, min_value=0.001, max_value=99.9, step=0.1,
                disabled=not on)
if on:
    targets += [Target.wait_exceeds(float(lim1) * 60.0, float(p1) / 100.0),
                Target.wait_exceeds(float(lim2) * 60.0, float(p2) / 100.0)]
on, (a, b, _c, _d) = _row("asa")
asa = _ui.number(t("stf.asa"), "stf_asa", 60.0, where=a, min_value=1.0, step=10.0, disabled=not on)
if on:
    targets.append(Target.mean_wait(float(asa)))
if model == "erlang_a":
    on, (a, b, _c, _d) = _row("abandon")
    aband = _ui.number(t("stf.abandon"), "stf_abandon", 5.0, where=a, min_value=0.1, max_value=99.9, step=1.0,
                       disabled=not on)
    if on:
        targets.append(Target.abandon_rate(float(aband) / 100.0))
on, (a, b, _c, _d) = _row("occupancy")
occ = _ui.number(t("stf.occupancy"), "stf_occ", 85.0, where=a, min_value=1.0, max_value=100.0, step=5.0,
                 disabled=not on)
if on:
    targets.append(Target.max_occupancy(float(occ) / 100.0))
e, f = st.columns([1, 3])
shrink = _ui.number(t("stf.shrinkage"), "stf_shrink", 0.0, where=e, min_value=0.0, max_value=95.0, step=5.0)
aht_mode = _ui.radio(t("stf.mean_service"), ["interval", "period"], "stf_aht", "interval", horizontal=True, where=f,
                     format_func=lambda m: t(f"stf.aht_{m}"))
if not targets:
    st.info(t("stf.no_targets"))
    st.stop()

try:
    result = _data.staffing(view.key, view.contacts, view.interval, tuple(targets), patience_s,
                            float(shrink or 0.0) / 100.0, aht_mode)
except Exception as exc:  # noqa: BLE001 - the library's one-sentence message; never a traceback
    _ui.show_error(exc)
    st.stop()
plan, notes = result.table, list(result.notes)

open_ = plan[(plan["arrivals"] > 0) | (plan["desks_present"] > 0)]
hours = result.interval / 3600.0
m = [*st.columns(2), *st.columns(2)]  # two rows: every label and value shows whole
m[0].metric(t("stf.intervals_short"), f"{i18n.fmt_int(open_['understaffed'].sum())} / {i18n.fmt_int(len(open_))}",
            border=True, help=t("stf.intervals_short_help"))
m[1].metric(t("stf.desk_hours_required"), i18n.fmt_num(open_["desks"].sum() * hours, 1), border=True)
m[2].metric(t("stf.desk_hours_observed"), i18n.fmt_num(open_["desks_on_duty"].sum() * hours, 1), border=True)
m[3].metric(t("stf.staff_hours"), i18n.fmt_num(open_["staff"].sum() * hours, 1), border=True,
            help=t("stf.staff_hours_help"))

series = _ui.naive_times(open_, "interval_start")
order = _axis.slots(series["interval_start"])  # business hours: open intervals side by side
series = series.assign(slot=series["interval_start"].map(order), day=series["interval_start"].dt.date.astype(str))
x = _axis.slot_x(order, t("dash.business_hours"))
long = series.melt(id_vars=["interval_start", "slot", "day", "understaffed"], value_vars=["desks", "desks_on_duty"],
                   var_name="what", value_name="count")
names = {"desks": t("stf.required"), "desks_on_duty": t("stf.observed")}  # colours follow the code
long["what"] = long["what"].map(names)
lines = alt.Chart(long).mark_line(interpolate="step-after").encode(
    x=x, y=alt.Y("count:Q", title=t("stf.desks")), detail="day:N",
    color=alt.Color("what:N", title=None, legend=alt.Legend(orient="bottom"),
                    scale=alt.Scale(domain=list(names.values()), range=["#e45756", "#4c78a8"])),
    tooltip=[alt.Tooltip("interval_start:T", title=t("ov.time"), format=_ui.tooltip_time()),
             alt.Tooltip("what:N", title=" "), alt.Tooltip("count:Q", title=t("stf.desks"), format=",.1f")],
)
short = alt.Chart(series[series["understaffed"]]).mark_point(color="#d62728", size=40, filled=True).encode(
    x="slot:Q", y="desks_on_duty:Q",
    tooltip=[alt.Tooltip("interval_start:T", title=t("ov.time"), format=_ui.tooltip_time())])
rules_layer = _axis.day_rules(order)
layers = [rules_layer] if rules_layer is not None else []
_ui.chart(alt.layer(*layers, lines, short).properties(height=320))
st.caption(t("dash.short_dots"))

cols = ["interval_start", "arrivals", "mean_service", "load", "desks_present", "desks_on_duty", "desks", "staff", "prob_wait", "asa",
        "prob_abandon", "occupancy", *[c for c in plan.columns if c.startswith(("service_level", "p_wait_gt_"))]]
_ui.table(open_[cols], {"arrivals": "int", "load": "num2", "desks_present": "num", "desks_on_duty": "num", "desks": "int", "staff": "int",
                        "prob_wait": "pct", "prob_abandon": "pct", "service_level": "pct",
                        **{c: "pct" for c in cols if c.startswith("p_wait_gt_")}},
          highlight=open_["understaffed"], key="stf_plan")
_ui.download_csv(_ui.naive_times(open_, "interval_start"), "stf.download", "staffing.csv", key="dl_staffing")
if notes:
    with st.expander(t("common.notes")):
        st.markdown("\n".join(f"- {i18n.lib.note_text(n, i18n.current_lang())}" for n in dict.fromkeys(notes)))
