"""export page (being built)."""

import _data
import streamlit as st
from i18n import t

st.title(t("nav.export"))
loaded = _data.require()
