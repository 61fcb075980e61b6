"""What-if page: change the desk schedule of a day, simulate replications, compare with the baseline."""

from __future__ import annotations

import _data
import _whatif
import streamlit as st
from i18n import t

st.title(t("wif.title"))
st.caption(t("wif.intro"))
_whatif.page(_data.require())
