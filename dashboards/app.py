"""waitlab dashboard: entry point (``make dashboard`` or ``streamlit run dashboards/app.py``).

This script is the frame around every page: page setup, the language switch and the
dataset status in the sidebar, then :func:`streamlit.navigation` runs the chosen page from
``views/``. (Not ``pages/``: Streamlit treats a ``pages/`` folder next to the main script as
legacy multipage pages, and the first visit of e.g. ``/data`` would run that file without this
frame, its navigation or its language switch.) Pages are thin: they call waitlab's public API
through the cached wrappers in ``_data.py`` and take every word from the catalogue through ``i18n.t``.
"""

from __future__ import annotations

import _data
import i18n
import streamlit as st
from i18n import t

st.set_page_config(page_title="waitlab", page_icon=":material/schedule:", layout="wide")


def _switch_language() -> None:
    st.session_state[i18n.SESSION_KEY] = st.session_state["lang_choice"]


with st.sidebar:  # the choice lives under a plain session key, so no page change can drop it
    st.radio(
        "Idioma / Language",
        i18n.LANGS,
        index=i18n.LANGS.index(i18n.current_lang()),
        format_func=i18n.LANG_NAMES.__getitem__,
        key="lang_choice",
        on_change=_switch_language,
        horizontal=True,
    )



def _home() -> None:
    """The root address opens the Data page under its own address, so ``/data`` and ``/`` both work."""
    st.switch_page(PAGES[0])


PAGES = [
    st.Page("views/data.py", title=t("nav.data"), icon=":material/upload_file:", url_path="data"),
    st.Page("views/overview.py", title=t("nav.overview"), icon=":material/monitoring:", url_path="overview"),
    st.Page("views/compliance.py", title=t("nav.compliance"), icon=":material/gavel:", url_path="compliance"),
    st.Page("views/staffing.py", title=t("nav.staffing"), icon=":material/groups:", url_path="staffing"),
    st.Page("views/forecast.py", title=t("nav.forecast"), icon=":material/trending_up:", url_path="forecast"),
    st.Page("views/network.py", title=t("nav.network"), icon=":material/hub:", url_path="network"),
    st.Page("views/whatif.py", title=t("nav.whatif"), icon=":material/science:", url_path="whatif"),
    st.Page("views/validation.py", title=t("nav.validation"), icon=":material/fact_check:", url_path="validation"),
    st.Page("views/export.py", title=t("nav.export"), icon=":material/download:", url_path="export"),
]
# every page has its own address (deep links such as /data or /staffing); the root is a hidden page
HOME = st.Page(_home, title=t("nav.data"), url_path="home", default=True, visibility="hidden")
page = st.navigation([HOME, *PAGES])

with st.sidebar:
    loaded = _data.current()
    if loaded is None:
        st.caption(t("side.no_data"))
    else:
        st.caption(t("side.dataset", name=loaded.label, rows=i18n.fmt_int(len(loaded.contacts))))
    st.caption(t("side.local_only"))

page.run()
