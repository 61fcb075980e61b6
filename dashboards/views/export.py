"""Export page: the HTML report and Excel workbook of ``waitlab report``, and the contacts table."""

from __future__ import annotations

import _data
import _ui
import i18n
import streamlit as st
from i18n import t

from waitlab.report import hash_ids, new_salt

st.title(t("exp.title"))
st.caption(t("exp.intro"))
loaded = _data.require()
view = _ui.filters(loaded, width=False)
if view is None:
    st.stop()

rules, seats = _ui.rules_and_seats(_data.rule_sets(), view.contacts)
c3, c4 = st.columns([2, 1])
lang = _ui.radio(t("exp.lang"), list(i18n.LANGS), "exp_lang", i18n.current_lang(), where=c3,
                 format_func=i18n.LANG_NAMES.__getitem__, horizontal=True)
hashed = _ui.checkbox(t("exp.hash"), "exp_hash", False, where=c4, help=t("exp.hash_help"))

st.subheader(t("exp.report"))
_ui.report_downloads(loaded, view, rules=rules, seats=seats, prefix="exp", hash_ids=hashed, lang=lang)

st.subheader(t("exp.contacts", n=i18n.fmt_int(len(view.contacts))))


def _contacts_table():  # noqa: ANN202 - built on click only
    table = hash_ids(view.contacts, new_salt()) if hashed else view.contacts
    return _ui.naive_times(table, "arrived_at", "called_at", "started_at", "ended_at")


_ui.download_csv(_contacts_table, "exp.download_contacts", "contacts.csv", key="dl_contacts")
st.caption(t("exp.contacts_help", tz=str(view.contacts["arrived_at"].dt.tz)))
