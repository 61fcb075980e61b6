"""The dashboard's safety promises (issue 7): localhost only, an upload cap with a clear message,
the readers' own message for a refused file (never a traceback), nothing uploaded is unpickled,
and ids hashed in exports on request.
"""

from __future__ import annotations

import pickle
import tomllib
from pathlib import Path

import i18n
import pytest
from conftest import DASH, ROOT, load_sample, new_app

from waitlab.exceptions import WaitlabError
from waitlab.readers import read_log

CONFIG = DASH / ".streamlit" / "config.toml"


def test_plain_streamlit_run_listens_on_localhost_with_a_200_mb_cap():
    # a config.toml next to the main script applies whatever the working folder (Streamlit's script-level config)
    cfg = tomllib.loads(CONFIG.read_text("utf-8"))
    assert cfg["server"]["address"] == "127.0.0.1"
    assert cfg["server"]["maxUploadSize"] == 200
    assert cfg["browser"]["gatherUsageStats"] is False
    make = (ROOT / "Makefile").read_text("utf-8")
    assert "--server.address 127.0.0.1" in make and "--server.maxUploadSize 200" in make


def test_pages_live_outside_a_pages_folder():
    # Streamlit treats dashboards/pages/ as legacy pages and would serve them without app.py's frame
    assert not (DASH / "pages").exists()
    assert (DASH / "views" / "data.py").is_file()


def _upload_page(lang: str = "es"):
    at = new_app(lang)
    at.switch_page("views/data.py").run()
    at.radio(key=f"data_source.{lang}").set_value("upload").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def upload_cap_1mb():
    from streamlit import config

    before = config.get_option("server.maxUploadSize")
    config.set_option("server.maxUploadSize", 1)
    try:
        yield 1
    finally:
        config.set_option("server.maxUploadSize", before)


def test_a_file_over_the_cap_is_refused_with_the_cap_in_the_message(upload_cap_1mb):
    at = _upload_page()
    assert "1 MB" in at.file_uploader[0].help
    payload = b"a;b\n" + b"1;2\n" * 400_000  # 1.6 MB
    at.file_uploader[0].set_value(("big.csv", payload, "text/csv")).run()
    assert not at.exception, at.exception
    expected = i18n.t("data.too_big", "es", name="big.csv", size=i18n.fmt_num(len(payload) / 2**20, 1, "es"), mb=1)
    assert [e.value for e in at.error] == [expected]
    assert "1,5 MB" in expected
    with pytest.raises(KeyError):  # no read button: the file is never parsed
        at.button(key="read_upload")


def test_a_file_the_readers_refuse_shows_their_message(tmp_path):
    payload = b"this is not a queue log\njust words, no columns we know\n"
    path = tmp_path / "upload.csv"
    path.write_bytes(payload)
    with pytest.raises(WaitlabError) as refused:
        read_log(path, format="kiosk")
    at = _upload_page()
    at.selectbox(key="data_format.es").set_value("kiosk").run()
    at.file_uploader[0].set_value(("notes.csv", payload, "text/csv")).run()
    at.button(key="read_upload").click().run()
    assert not at.exception, at.exception
    # the reader's own sentence, naming the user's file rather than the server's temporary copy
    assert [e.value for e in at.error] == [str(refused.value).replace(str(path), "notes.csv")]
    assert "notes.csv" in at.error[0].value and "waitlab-upload-" not in at.error[0].value


class _Booby:
    """Unpickling this would create the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (Path.touch, (self.marker,))


@pytest.mark.parametrize("name", ["data.parquet", "data.csv", "data.xlsx"])
def test_an_uploaded_pickle_is_never_unpickled(tmp_path, name):
    marker = tmp_path / "executed"
    payload = pickle.dumps(_Booby(marker))
    at = _upload_page("en")
    at.file_uploader[0].set_value((name, payload, "application/octet-stream")).run()
    at.button(key="read_upload").click().run()
    assert not at.exception, at.exception
    assert at.error, "a pickle is not a log: the page must say it could not read it"
    assert not marker.exists()


def _hashed_report(kiosk, hashed: bool) -> dict[str, bytes]:
    """The report files the Export page offers (same cached call, same arguments as the page's)."""
    import _data

    contacts, report = kiosk
    lo, hi = contacts["arrived_at"].dt.date.min(), contacts["arrived_at"].dt.date.max()
    key = _data.filter_key("sample:branch_kiosk", (), (), lo, hi)
    view = _data.filtered(key, contacts, (), (), lo, hi)
    files = _data.report_files(key, view, report, "CABA", None, hashed, "es")
    return files


def _cells(xlsx: bytes) -> dict[str, set[str]]:
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    return {ws.title: {str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None}
            for ws in wb.worksheets}


def test_export_can_hash_ids(kiosk):
    contacts, _ = kiosk
    at = load_sample(new_app("es"))
    at.switch_page("views/export.py").run()
    at.checkbox(key="exp_hash.es").check().run()
    at.button(key="exp_build").click().run()
    assert not at.exception, at.exception
    assert i18n.t("rep.hashed", "es") in [c.value for c in at.caption]
    ids = set(contacts["contact_id"].astype(str))
    customers = set(contacts["customer_id"].dropna().astype(str))
    plain_files, hashed_files = _hashed_report(kiosk, False), _hashed_report(kiosk, True)
    plain_csv, hashed_csv = (set(f["contacts"].decode("utf-8").replace("\n", ",").split(",")) for f in (plain_files, hashed_files))
    assert plain_csv & ids and plain_csv & customers  # the contacts table is written beside the workbook
    assert not hashed_csv & ids and not hashed_csv & customers
    plain, hashed = _cells(plain_files["excel"]), _cells(hashed_files["excel"])
    assert plain["Incumplimientos"] & ids  # sheet names are in the report's language
    assert not hashed["Incumplimientos"] & ids


def test_hashed_export_has_no_raw_id_anywhere(kiosk):
    contacts, _ = kiosk
    files = _hashed_report(kiosk, True)
    ids = set(contacts["contact_id"].astype(str))
    customers = set(contacts["customer_id"].dropna().astype(str))
    leaks = {sheet: len(cells & (ids | customers)) for sheet, cells in _cells(files["excel"]).items()}
    assert not any(leaks.values()), leaks
    html = files["html"].decode("utf-8")
    assert not [i for i in ids if i in html]
