"""What-if page: change the desk schedule of a day, simulate replications, compare with the baseline."""

from __future__ import annotations

import _data
import streamlit as st
from i18n import t

st.title(t("wif.title"))
st.caption(t("wif.intro"))
loaded = _data.require()

if not _data.simulation_available():
    st.info(t("wif.unavailable"), icon=":material/science:")
    st.stop()

import _whatif  # noqa: E402 - only once the simulation package can run

_whatif.page(loaded)
