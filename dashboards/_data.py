"""Cached wrappers around waitlab's public API, and the loaded dataset of the session.

Pages never call waitlab directly: they call these functions, which take plain arguments
and are cached with :func:`streamlit.cache_data`. A contacts table is passed as
``(key, _contacts)``: ``key`` is a short string that identifies the data (the sample name or
the SHA-256 of the uploaded bytes, plus the options and filters applied), and the
underscore tells Streamlit not to hash the table itself, so a cached call costs a dict
lookup even for a month of calls.

Nothing uploaded is executed or unpickled: the bytes are written to a private temporary
file with a fixed name and handed to :func:`waitlab.readers.read_log`, which parses text,
Excel (openpyxl) or Parquet (pyarrow) only.
"""

from __future__ import annotations

import hashlib
import importlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
STATE_KEY = "wl_loaded"

#: Formats the readers know, as offered in the upload form (None = let the reader detect it).
FORMATS: tuple[str | None, ...] = (None, "kiosk", "acd", "asterisk", "seelab")

#: File types the upload form accepts (the reader decides how to parse each).
UPLOAD_TYPES = ("csv", "tsv", "txt", "log", "xlsx", "parquet")


@dataclass(frozen=True)
class Sample:
    """A bundled sample log and how to read it."""

    file: str
    format: str
    mapping: str | None = None

    @property
    def path(self) -> Path:
        return DATASETS / self.file


SAMPLES: dict[str, Sample] = {
    "branch_kiosk": Sample("branch_kiosk.csv", "kiosk", "vendor_a_es"),
    "callcenter_month": Sample("callcenter_month.csv", "acd"),
}


@dataclass(frozen=True)
class Loaded:
    """The dataset the session works on: its cache key, a label, the contacts and the ingest report."""

    key: str
    label: str
    contacts: pd.DataFrame
    report: Any
    source: str  # "sample" or "upload"
    name: str  # sample name or uploaded file name


def available_samples() -> list[str]:
    """Names of the bundled samples whose file is present."""
    return [name for name, s in SAMPLES.items() if s.path.is_file()]


def has_module(name: str) -> bool:
    """Whether ``waitlab.<name>`` can be imported (e.g. ``"sim"`` before simulation has landed)."""
    try:
        importlib.import_module(f"waitlab.{name}")
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------- session state

def current() -> Loaded | None:
    """The dataset loaded in this session, or None."""
    loaded = st.session_state.get(STATE_KEY)
    return loaded if isinstance(loaded, Loaded) else None


def set_current(loaded: Loaded) -> None:
    """Make `loaded` the session's dataset."""
    st.session_state[STATE_KEY] = loaded


def require() -> Loaded:
    """The session's dataset; without one, point to the Data page and stop the page."""
    from i18n import t

    loaded = current()
    if loaded is None:
        st.info(t("common.no_data"))
        st.page_link("pages/data.py", label=t("common.go_data"), icon=":material/upload_file:")
        st.stop()
    return loaded  # type: ignore[return-value]


# ---------------------------------------------------------------- readers

def _read(path: Path, fmt: str | None, mapping: str | None, tz: str | None) -> tuple[pd.DataFrame, Any]:
    from waitlab.readers import read_log

    return read_log(path, format=fmt, mapping=mapping, tz=tz)


@st.cache_data(show_spinner=False, max_entries=8)
def read_sample(name: str, tz: str | None = None) -> tuple[pd.DataFrame, Any]:
    """Read the bundled sample `name` (a key of :data:`SAMPLES`)."""
    s = SAMPLES[name]
    return _read(s.path, s.format, s.mapping, tz)


@st.cache_data(show_spinner=False, max_entries=4)
def read_upload(
    digest: str, _payload: bytes, filename: str, fmt: str | None, mapping_text: str | None, tz: str | None
) -> tuple[pd.DataFrame, Any]:
    """Read uploaded bytes (identified by their SHA-256 `digest`) with the readers.

    The bytes go to a private temporary folder under a fixed name that keeps only the
    file's extension (so a crafted file name cannot choose where it is written); an edited
    mapping is written next to it as TOML and passed by path.
    """
    ext = Path(filename).suffix.lower()
    if ext.lstrip(".") not in UPLOAD_TYPES:
        ext = ".txt"
    with tempfile.TemporaryDirectory(prefix="waitlab-upload-") as tmp:
        path = Path(tmp) / f"upload{ext}"
        path.write_bytes(_payload)
        mapping: str | None = None
        if mapping_text:
            mpath = Path(tmp) / "mapping.toml"
            mpath.write_text(mapping_text, encoding="utf-8")
            mapping = str(mpath)
        contacts, report = _read(path, fmt, mapping, tz)
    return contacts, report


def sha256(payload: bytes) -> str:
    """Hex SHA-256 of `payload` (the cache key of an upload)."""
    return hashlib.sha256(payload).hexdigest()


def max_upload_mb() -> int:
    """The upload cap in MB: Streamlit's ``server.maxUploadSize`` (200 unless configured)."""
    try:
        return int(st.get_option("server.maxUploadSize"))
    except (RuntimeError, TypeError, ValueError):
        return 200


def display_name(loaded: Loaded) -> str:
    """The dataset's name in the current language (samples are translated, uploads keep their file name)."""
    from i18n import t

    return t(f"sample.{loaded.name}") if loaded.source == "sample" else loaded.label


def reasons_table(report: Any) -> pd.DataFrame:
    """The ingest report's quarantine reasons as a table: reason, count, share of rows read."""
    reasons = dict(getattr(report, "reasons", {}) or {})
    total = max(int(getattr(report, "rows_read", 0)), 1)
    return pd.DataFrame({
        "reason": pd.Series(list(reasons), dtype="string"),
        "count": pd.Series(list(reasons.values()), dtype="int64"),
        "share": pd.Series([n / total for n in reasons.values()], dtype="float64"),
    })


#: Formats whose columns are mapped by a TOML mapping file.
MAPPED_FORMATS = ("kiosk", "acd")


def mapping_names(fmt: str) -> list[str]:
    """Names of the mapping files shipped with the readers for `fmt`."""
    return []


def mapping_text(name: str) -> str:
    """The TOML text of the shipped mapping `name`."""
    return ""
