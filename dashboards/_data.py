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

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

if TYPE_CHECKING:
    from waitlab import Seats

ROOT = Path(__file__).resolve().parent.parent
#: Folder of the bundled samples (``WAITLAB_DATASETS`` overrides it, e.g. for a copy elsewhere).
DATASETS = Path(os.environ.get("WAITLAB_DATASETS", ROOT / "datasets"))
STATE_KEY = "wl_loaded"

#: Formats offered in the upload form (None = let the reader detect it).
FORMATS: tuple[str | None, ...] = (None, "kiosk", "acd", "asterisk", "seelab", "contacts")

#: File types the upload form accepts (the reader decides how to parse each); a name without
#: extension (Asterisk's ``queue_log``) or with a rotation number (``queue_log.1``) is accepted too.
UPLOAD_TYPES = ("csv", "tsv", "txt", "log", "xlsx", "parquet", "gz")


def upload_extension(filename: str) -> str | None:
    """The extension of an uploaded file name when the dashboard does not read it, else None.

    Streamlit's own type filter refuses names without an extension, so the upload box takes
    any name and this check decides: no extension, a known one, or a log rotation number pass.
    """
    suffix = Path(filename).suffix.lower().lstrip(".")
    if not suffix or suffix.isdigit() or suffix in UPLOAD_TYPES:
        return None
    return suffix


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
    "network": Sample("network", "kiosk", "vendor_a_es"),  # a folder: six branches read together (read_logs)
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
    return [name for name, s in SAMPLES.items() if s.path.is_file() or (s.path / "_network.json").is_file()]


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
        st.page_link("views/data.py", label=t("common.go_data"), icon=":material/upload_file:")
        st.stop()
    if loaded is not None and loaded.contacts.empty:  # every page below needs at least one contact
        st.warning(t("dash.no_contacts", name=display_name(loaded)), icon=":material/info:")
        st.page_link("views/data.py", label=t("common.go_data"), icon=":material/upload_file:")
        st.stop()
    return loaded  # type: ignore[return-value]


# ---------------------------------------------------------------- readers

def _read(path: Path, fmt: str | None, mapping: str | None, tz: str | None) -> tuple[pd.DataFrame, Any]:
    from waitlab.readers import read_log

    if path.is_dir():  # a folder of logs (the sample network): every file, each contact's site from its log
        from collections import Counter

        from waitlab.network import read_logs
        from waitlab.readers import IngestReport

        contacts, net = read_logs(path, format=fmt, mapping=mapping, tz=tz)
        files = net.files  # one report for the Data page: the files' counts summed, their notes kept
        one = IngestReport(
            path=str(path), format=files[0].format, rows_read=net.rows_read, rows_used=net.rows_used,
            rows_quarantined=net.rows_quarantined, reasons=dict(sum((Counter(f.reasons) for f in files), Counter())),
            notes=tuple(dict.fromkeys(n for f in files for n in f.notes)) + tuple(net.notes),
            quarantine=net.quarantine(), not_rows=dict(sum((Counter(f.not_rows) for f in files), Counter())),
            row_unit=files[0].row_unit,
        )
        return contacts, one
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
    ext = "".join(s for s in Path(filename).suffixes[-2:] if s[1:].isalnum()).lower()
    if not ext or ext.rsplit(".", 1)[-1] not in UPLOAD_TYPES:
        ext = ".txt"
    with tempfile.TemporaryDirectory(prefix="waitlab-upload-") as tmp:
        path = Path(tmp) / f"upload{ext}"
        path.write_bytes(_payload)
        mapping: str | None = None
        if mapping_text:
            mpath = Path(tmp) / "mapping.toml"
            mpath.write_text(mapping_text, encoding="utf-8")
            mapping = str(mpath)
        try:
            contacts, report = _read(path, fmt, mapping, tz)
        except Exception as exc:  # name the user's file in the message, not the private temporary copy
            names = {str(path): filename, **({mapping: "mapping.toml"} if mapping else {})}
            exc.args = tuple(_renamed(a, names) for a in exc.args)
            raise
    return contacts, report


def _renamed(arg: Any, names: dict[str, str]) -> Any:
    if not isinstance(arg, str):
        return arg
    for old, new in names.items():
        arg = arg.replace(old, new)
    return arg


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
    """The ingest report's quarantine reasons as a table: reason (in the page's language), count, share of rows read."""
    reasons = dict(getattr(report, "reasons", {}) or {})
    import i18n

    total = max(int(getattr(report, "rows_read", 0)), 1)
    lang = i18n.current_lang()
    return pd.DataFrame({
        "reason": pd.Series([i18n.lib.reason_text(r, lang) for r in reasons], dtype="string"),
        "count": pd.Series(list(reasons.values()), dtype="int64"),
        "share": pd.Series([n / total for n in reasons.values()], dtype="float64"),
    })


#: Formats whose columns are mapped by a TOML mapping file.
MAPPED_FORMATS = ("kiosk", "acd")


@st.cache_data(show_spinner=False)
def mapping_names(fmt: str) -> list[str]:
    """Names of the mapping files shipped with the readers for `fmt`."""
    from waitlab.readers._mapping import load_mapping, shipped_mappings

    return [name for name in shipped_mappings() if load_mapping(name).format == fmt]


@st.cache_data(show_spinner=False)
def mapping_text(name: str) -> str:
    """The TOML text of the shipped mapping `name` (shown for editing)."""
    from importlib import resources

    return (resources.files("waitlab.readers") / "mappings" / f"{name}.toml").read_text("utf-8")


# ---------------------------------------------------------------- analytics and compliance

@st.cache_data(show_spinner=False, max_entries=32)
def filtered(
    key: str, _contacts: pd.DataFrame, sites: tuple[str, ...], queues: tuple[str, ...],
    start: dt.date | None, end: dt.date | None,
) -> pd.DataFrame:
    """The contacts of the chosen sites and queues (empty = all) arriving from `start` to `end` (local dates)."""
    c = _contacts
    keep = pd.Series(True, index=c.index)
    if sites:
        keep &= c["site"].isin(sites).fillna(False)
    if queues:
        keep &= c["queue"].isin(queues).fillna(False)
    day = c["arrived_at"].dt.date
    if start is not None:
        keep &= day >= start
    if end is not None:
        keep &= day <= end
    return c.loc[keep.to_numpy(dtype=bool)]


def filter_key(key: str, sites: tuple[str, ...], queues: tuple[str, ...], start: Any, end: Any) -> str:
    """Cache key of a filtered view of the dataset `key`."""
    return f"{key}|s={','.join(sites)}|q={','.join(queues)}|{start}|{end}"


@st.cache_data(show_spinner=False, max_entries=32)
def summary(key: str, _contacts: pd.DataFrame, sl_threshold: float) -> Any:
    """:func:`waitlab.analytics.summary_kpis`: a dict of KPIs with ``.notes``."""
    from waitlab.analytics import summary_kpis

    return summary_kpis(_contacts, sl_threshold=sl_threshold)


@st.cache_data(show_spinner=False, max_entries=32)
def intervals(key: str, _contacts: pd.DataFrame, interval: str, by: tuple[str, ...], sl_threshold: float) -> Any:
    """:func:`waitlab.analytics.interval_stats`: a table with ``.notes``."""
    from waitlab.analytics import interval_stats

    return interval_stats(_contacts, interval=interval, by=list(by) or None, sl_threshold=sl_threshold)


@st.cache_data(show_spinner=False, max_entries=32)
def by_queue(key: str, _contacts: pd.DataFrame, sl_threshold: float) -> pd.DataFrame:
    """One row per queue, sorted by name: :func:`waitlab.analytics.summary_by` over ``queue``.

    Each queue is measured over its own period, as ``summary_kpis`` of that queue's contacts.
    """
    from waitlab.analytics import summary_by

    table = summary_by(_contacts, "queue", sl_threshold=sl_threshold)
    cols = ["arrivals", "served", "mean_service", "asa", "wait_mean", "wait_max", "abandon_rate"]
    out = table[cols].reset_index()
    out["queue"] = out["queue"].astype(str)
    return out.sort_values("queue", kind="stable", ignore_index=True)


@st.cache_data(show_spinner=False, max_entries=16)
def compliance(key: str, _contacts: pd.DataFrame, rules: str, seats: Seats) -> Any:
    """:func:`waitlab.compliance.check_compliance` with the shipped rule set `rules` (notes in ``.notes``)."""
    from waitlab.compliance import check_compliance as judge

    return judge(_contacts, rules=rules, seats=seats)


@st.cache_data(show_spinner=False)
def rule_sets() -> list[str]:
    """Names of the shipped rule sets."""
    from waitlab.compliance import available_rules

    return list(available_rules())


@st.cache_data(show_spinner=False)
def rule_set(name: str) -> Any:
    """The shipped rule set `name` (:class:`waitlab.compliance.RuleSet`)."""
    from waitlab.compliance import load_rules

    return load_rules(name)


# ---------------------------------------------------------------- report

@st.cache_data(show_spinner=False, max_entries=8)
def report_files(
    key: str, _contacts: pd.DataFrame, _ingest: Any, rules: str, seats: Seats, hash_ids: bool, lang: str,
) -> dict[str, bytes]:
    """The HTML report and Excel workbook of :func:`waitlab.report.write_report`, as bytes.

    Returns ``{"html": ..., "excel": ...}`` (the notes are in the report itself); the files are
    written to a private temporary folder and read back, so nothing is left on disk.
    """
    from waitlab.report import write_report

    with tempfile.TemporaryDirectory(prefix="waitlab-report-") as tmp:
        paths = write_report(_contacts, tmp, ingest=_ingest, rules=rules, seats=seats, hash_ids=hash_ids, lang=lang)
        return {kind: Path(p).read_bytes() for kind, p in paths.items()}


# ---------------------------------------------------------------- staffing

@st.cache_data(show_spinner=False, max_entries=16)
def patience_estimate(key: str, _contacts: pd.DataFrame) -> tuple[float, tuple[float, float], list[str]]:
    """Mean patience (seconds), its confidence interval and notes from :func:`waitlab.analytics.patience`."""
    from waitlab.analytics import patience

    res = patience(_contacts)
    lo, hi = res.mean_patience_ci
    return float(res.mean_patience), (float(lo), float(hi)), list(res.notes)


@st.cache_data(show_spinner=False, max_entries=16)
def staffing(
    key: str, _contacts: pd.DataFrame, interval: str, targets: tuple[Any, ...], mean_patience: float | str | None,
    shrinkage: float, service_time: str,
) -> Any:
    """:func:`waitlab.staffing_from_log`: a :class:`waitlab.StaffingResult` (its notes in ``.notes``).

    `targets` are :class:`waitlab.Target` objects; `mean_patience` is seconds, ``"auto"`` or
    None (Erlang C); `service_time` is ``"interval"`` or ``"period"``.
    """
    from waitlab import staffing_from_log

    return staffing_from_log(_contacts, targets=targets, interval=interval, mean_patience=mean_patience, service_time=service_time,
                             shrinkage=shrinkage)
