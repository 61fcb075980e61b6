"""read_logs: many files in, one table and a report reconciled file by file."""

from __future__ import annotations

import pandas as pd
import pytest
from network_helpers import kiosk_log

from waitlab.exceptions import ArgumentError, LogFormatError, WaitlabError
from waitlab.network import NetworkIngestReport, read_logs


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "logs"
    d.mkdir()
    kiosk_log(d / "B001-centro.csv", "Sucursal Centro", ["10/03/2025", "11/03/2025"], 5, bad=2)   # 12 read
    kiosk_log(d / "B002-norte.csv", "Sucursal Norte", ["10/03/2025"], 7)                          # 7 read
    (d / "B003-broken.xlsx").write_bytes(b"this is not a workbook")                              # unreadable
    (d / "_notes.txt").write_text("skipped: starts with _")
    return d


def test_folder_with_one_unreadable_file_reconciles_file_by_file(folder):
    contacts, report = read_logs(folder)
    assert isinstance(report, NetworkIngestReport)
    assert [(r.rows_read, r.rows_used, r.rows_quarantined) for r in report.files] == [(12, 10, 2), (7, 7, 0)]
    assert (report.rows_read, report.rows_used, report.rows_quarantined) == (19, 17, 2)
    assert len(contacts) == 17
    assert contacts["site"].value_counts().to_dict() == {"Sucursal Centro": 10, "Sucursal Norte": 7}
    assert [p for p, _ in report.failed] == [str(folder / "B003-broken.xlsx")]
    why = report.failed[0][1]
    assert "B003-broken.xlsx" in why and why.count("\n") == 0
    assert any("B003-broken.xlsx" in n for n in report.notes) and not report.ok
    frame = report.to_frame()
    assert frame["status"].tolist() == ["read", "read", "failed"]
    assert frame["rows_read"].sum() == frame["rows_used"].sum() + frame["rows_quarantined"].sum()
    d = report.to_dict()
    assert (d["files_read"], d["files_failed"], d["rows_read"]) == (2, 1, 19)
    q = report.quarantine()
    assert q["source"].tolist() == [str(folder / "B001-centro.csv")] * 2
    text = str(report)
    assert "FAILED" in text and "19" in text


def test_site_from_filename_and_regex(folder):
    c, _ = read_logs(folder, site_from="filename")
    assert set(c["site"]) == {"B001-centro", "B002-norte"}
    c, r = read_logs([folder / "B001-centro.csv", folder / "B002-norte.csv"], site_from=r"^(B\d+)-")
    assert c.groupby("site").size().to_dict() == {"B001": 10, "B002": 7}
    assert r.notes[0].startswith("Site of every contact")


def test_site_regex_that_does_not_match_fails_that_file_only(tmp_path):
    kiosk_log(tmp_path / "B001-a.csv", "A", ["10/03/2025"], 3)
    kiosk_log(tmp_path / "other.csv", "B", ["10/03/2025"], 4)
    c, r = read_logs(tmp_path, site_from=r"^(B\d+)-")
    assert len(c) == 3 and len(r.failed) == 1 and "other" in r.failed[0][1]


@pytest.mark.parametrize("bad", ["(", "B\\d+", "(a)(b)"])
def test_bad_site_pattern_is_an_argument_error(tmp_path, bad):
    kiosk_log(tmp_path / "a.csv", "A", ["10/03/2025"], 3)
    with pytest.raises(ArgumentError, match="site_from"):
        read_logs(tmp_path, site_from=bad)


def test_glob_list_and_duplicate_bytes(tmp_path):
    a = kiosk_log(tmp_path / "a.csv", "A", ["10/03/2025"], 3)
    (tmp_path / "copy.csv").write_bytes(a.read_bytes())
    kiosk_log(tmp_path / "b.csv", "B", ["10/03/2025"], 4)
    c, r = read_logs(str(tmp_path / "*.csv"))
    assert len(c) == 7 and len(r.files) == 2 and any("same bytes" in n for n in r.notes)
    c2, _ = read_logs([tmp_path / "b.csv", str(tmp_path / "a.*")])
    assert len(c2) == 7


def test_ids_repeated_across_files_are_made_unique(tmp_path):
    kiosk_log(tmp_path / "x.csv", "Same", ["10/03/2025"], 3)
    kiosk_log(tmp_path / "y.csv", "Same", ["10/03/2025"], 4)  # same site/date/queue/ticket ids C001..C003
    c, r = read_logs(tmp_path)
    assert c["contact_id"].is_unique and len(c) == 7
    assert any("prefixed" in n for n in r.notes)


def test_nothing_matches_or_nothing_readable(tmp_path):
    with pytest.raises(ArgumentError, match="matches no file"):
        read_logs(str(tmp_path / "*.csv"))
    (tmp_path / "junk.csv").write_bytes(b"")
    with pytest.raises(LogFormatError, match="none of the 1 file"):
        read_logs(tmp_path)
    with pytest.raises(WaitlabError):
        read_logs([])


def test_one_file_gives_what_read_log_gives(tmp_path):
    import waitlab

    p = kiosk_log(tmp_path / "a.csv", "A", ["10/03/2025"], 3, bad=1)
    c1, r1 = waitlab.read_log(p)
    c2, r2 = read_logs(p)
    pd.testing.assert_frame_equal(c1, c2)
    assert r2.files[0].to_dict() == r1.to_dict()
