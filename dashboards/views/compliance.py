"""Compliance page: rule set and seats, breaches by day and hour, breaching contacts, turn order."""

from __future__ import annotations

import _data
import _ui
import altair as alt
import i18n
import pandas as pd
import streamlit as st
from i18n import t

from waitlab.exceptions import WaitlabError

st.title(t("cmp.title"))
loaded = _data.require()
view = _ui.filters(loaded, width=False)
if view is None:
    st.stop()

rules, seats = _ui.rules_and_seats(_data.rule_sets(), view.contacts)
try:
    comp = _data.compliance(view.key, view.contacts, rules, seats)
except WaitlabError as exc:
    _ui.show_error(exc)
    st.stop()

rs = comp.rules
lang = i18n.current_lang()  # the rule set's own texts in the page's language (the plain text when it has none)
st.markdown(f"**{rs.name}** · {rs.text('jurisdiction', lang)}  \n{t('cmp.source')}: {rs.text('source', lang)}")
st.markdown("\n".join(
    [f"- {t(f'cmp.kind_{lim.kind}', m=i18n.fmt_num(lim.minutes, 0))}" for lim in rs.limits]
    + ([f"- {t('cmp.turn_rule')}"] if rs.checks_turn_order else [])
))

daily = comp.daily
bad_days = daily.loc[daily["breached"].astype(bool)] if len(daily) else daily
worst = daily.sort_values(["breaching", "day"], ascending=[False, True]).iloc[0] if len(daily) else None
m = [*st.columns(3), *st.columns(2)]  # two rows: every value shows whole
m[0].metric(t("cmp.checked"), i18n.fmt_int(comp.n_contacts), border=True)
m[1].metric(t("cmp.breaching"), i18n.fmt_int(comp.breaching_contacts), border=True,
            help=t("cmp.breaching_help"))
m[2].metric(t("cmp.share"), i18n.fmt_pct(comp.breaching_contacts / comp.n_contacts if comp.n_contacts else None),
            border=True)
m[3].metric(t("cmp.days_breached"), f"{i18n.fmt_int(len(bad_days))} / {i18n.fmt_int(len(daily))}", border=True)
m[4].metric(t("cmp.turn_order"), i18n.fmt_int(len(comp.turn_order)) if rs.checks_turn_order else i18n.DASH,
            border=True)
if worst is not None and int(worst["breaching"]) > 0:
    st.error(t("cmp.worst_day", day=i18n.fmt_date(worst["day"]), n=i18n.fmt_int(worst["breaching"]),
               share=i18n.fmt_pct(worst["share"])), icon=":material/warning:")
    st.caption(t("cmp.breach_days", days=", ".join(i18n.fmt_date(d) for d in bad_days["day"])))
else:
    st.success(t("cmp.no_breach"), icon=":material/check_circle:")

st.subheader(t("cmp.heatmap"))
first = comp.breaches.drop_duplicates("contact_id")
cells = first.groupby(["day", "hour"]).size().rename("n").reset_index() if len(first) else \
    pd.DataFrame({"day": [], "hour": [], "n": []})
all_days = sorted(daily["day"]) if len(daily) else []
cells["label"] = cells["day"].map(lambda d: i18n.fmt_date(d))
order = [i18n.fmt_date(d) for d in all_days]
hours = list(range(int(view.contacts["arrived_at"].dt.hour.min()), int(view.contacts["arrived_at"].dt.hour.max()) + 1))
_ui.chart(alt.Chart(cells).mark_rect().encode(
    x=alt.X("hour:O", title=t("cmp.hour"), scale=alt.Scale(domain=hours), axis=alt.Axis(labelAngle=0)),
    y=alt.Y("label:O", title=t("cmp.day"), scale=alt.Scale(domain=order), axis=alt.Axis(labelOverlap=False)),
    color=alt.Color("n:Q", title=t("cmp.breaching"), scale=alt.Scale(scheme="reds")),
    tooltip=[alt.Tooltip("label:O", title=t("cmp.day")), alt.Tooltip("hour:O", title=t("cmp.hour")),
             alt.Tooltip("n:Q", title=t("cmp.breaching"))],
).properties(height=max(160, 22 * len(order))))

st.subheader(t("cmp.daily"))
daily_cols = [c for c in daily.columns if c in {"day", "contacts", "breaching", "share", "turn_order_violations"}]
_ui.table(daily[daily_cols], {"day": "date"}, highlight=daily["breached"], key="cmp_daily")

st.subheader(t("cmp.list", n=i18n.fmt_int(len(comp.breaches))))
shown = ["contact_id", "day", "site", "queue", "ticket", "arrived_at", "called_at", "outcome", "rule", "limit_s",
         "observed_s", "excess_s", "upper_bound"]
table = comp.breaches[[c for c in shown if c in comp.breaches.columns]].sort_values(["day", "arrived_at"])
_ui.table(table, {"day": "date"}, key="cmp_breaches")
st.caption(t("cmp.upper_bound_help"))
_ui.download_csv(comp.breaches, "cmp.download_breaches", "breaches.csv", key="dl_breaches")

if rs.checks_turn_order:
    st.subheader(t("cmp.turn_order_list", n=i18n.fmt_int(len(comp.turn_order))))
    _ui.table(comp.turn_order, {"day": "date", "delay_s": "dur"}, key="cmp_turn")
    _ui.download_csv(comp.turn_order, "cmp.download_turn", "turn_order.csv", key="dl_turn")

st.subheader(t("cmp.report"))
_ui.report_downloads(loaded, view, rules=rules, seats=seats, prefix="cmp")

with st.expander(t("common.notes")):
    st.markdown("\n".join(f"- {i18n.lib.note_text(n, i18n.current_lang())}" for n in dict.fromkeys(comp.notes)))
