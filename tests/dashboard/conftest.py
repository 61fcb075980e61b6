"""Fixtures for the dashboard tests: the app under AppTest and the sample data read by the library."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DASH = ROOT / "dashboards"
APP = DASH / "app.py"
DATASETS = ROOT / "datasets"
KIOSK = DATASETS / "branch_kiosk.csv"
CALLS = DATASETS / "callcenter_month.csv"

if str(DASH) not in sys.path:  # the dashboard's modules import each other as top-level modules
    sys.path.insert(0, str(DASH))

PAGES = ["data", "overview", "compliance", "staffing", "forecast", "network", "whatif", "validation", "export"]


def new_app(lang: str = "es"):
    """A fresh AppTest of the dashboard, run once, in `lang`."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def load_sample(at, name: str = "branch_kiosk"):
    """Load the bundled sample `name` through the Data page, as a user would."""
    lang = at.session_state["lang"]
    at.switch_page("views/data.py").run()
    at.radio(key=f"data_source.{lang}").set_value("sample").run()
    at.selectbox(key=f"data_sample.{lang}").set_value(name).run()
    at.button(key="load_sample").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at) -> dict[str, str]:
    """Label -> shown value of every st.metric on the page."""
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="session")
def kiosk():
    """The branch sample read directly with the library: (contacts, report)."""
    if not KIOSK.is_file():
        pytest.skip(f"{KIOSK} is missing (run python datasets/make_datasets.py)")
    from waitlab.readers import read_log

    return read_log(KIOSK, format="kiosk", mapping="vendor_a_es")
