"""Ingest shortcuts give exactly what the value-by-value routes give.

Each shortcut is compared with the plain route it stands in for: localising through the offset
of each local hour against ``tz_localize`` on every value, the padded-key uniqueness test against
pandas' ``is_unique``, the two-byte "nothing to strip" check against strip-and-null, and the line
count against the scan for blank lines (through whole files, with CRLF, blank lines, a lone CR and
quoted values spanning lines).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from readers_helpers import ACD_HEADER, acd_row, identity

import waitlab.readers._core as core
import waitlab.readers._fields as fields
import waitlab.readers._parsing as parsing
import waitlab.readers._tables as tables
import waitlab.readers._tabular as tabular
import waitlab.readers._zones as zones
from waitlab.readers import read_log

ZONES = [
    "Europe/Madrid",
    "America/Argentina/Buenos_Aires",  # local mean time until 1894, DST on and off
    "Australia/Lord_Howe",  # 30-minute DST
    "America/St_Johns",  # offset -3:30
    "Pacific/Apia",  # skipped 30 December 2011
    "Europe/Dublin",  # "negative" DST in the tz database
    "Antarctica/Troll",  # 2-hour DST
    "UTC",
]


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(("start", "hours", "unit"), [("1890-01-01", 60_000, "s"), ("2010-01-01", 120_000, "us"),
                                                      ("2024-03-01", 6_000, "ns")])  # fmt: skip
def test_localize_by_hour_matches_tz_localize(tz, start, hours, unit):
    rng = np.random.default_rng(11)
    n = hours + 1000  # the table of hours may be as long as the column
    steps = rng.integers(0, hours * 3600, n).astype("timedelta64[s]").astype(f"timedelta64[{unit}]")
    s = pd.Series(np.datetime64(start, unit) + steps)
    s[rng.random(n) < 0.02] = pd.NaT
    # times on and around every change of the offset are where the two routes could part
    aware = pd.Series(pd.date_range(start, periods=hours, freq="h", unit=unit, tz=tz))
    offsets = aware.dt.tz_localize(None) - aware.dt.tz_convert("UTC").dt.tz_localize(None)
    change = aware[(offsets != offsets.shift()).to_numpy()].dt.tz_localize(None).to_numpy()[1:]
    near = (
        (change[:, None] + np.arange(-90, 91, 10).astype("timedelta64[m]"))
        .ravel()
        .astype(f"datetime64[{unit}]")
    )
    s = pd.concat([s, pd.Series(near)], ignore_index=True)
    got = zones._localize_by_hour(s, tz)
    assert got is not None
    want = zones._localize_values(s, tz)
    assert got[0].dt.unit == "ns"  # the contacts table's unit, when it can hold the times
    pd.testing.assert_series_equal(got[0], want[0].dt.as_unit("ns"))
    assert np.array_equal(got[1], want[1])
    assert got[2] == want[2]


def test_localize_by_hour_keeps_the_unit_of_times_nanoseconds_cannot_hold():
    s = pd.Series(pd.to_datetime(["1650-03-01 10:00", "1650-03-02 11:30", None]).as_unit("s"))
    got, gap, ambiguous = zones._localize_by_hour(s, "Europe/Madrid")
    want, want_gap, want_ambiguous = zones._localize_values(s, "Europe/Madrid")
    assert got.dt.unit == "s"
    pd.testing.assert_series_equal(got, want)
    assert np.array_equal(gap, want_gap) and ambiguous == want_ambiguous == 0


def test_localize_by_hour_declines_long_spans_and_all_missing():
    years = pd.Series(pd.to_datetime(["1700-01-01", "2200-01-01"]).as_unit("us"))
    assert zones._localize_by_hour(years, "Europe/Madrid") is None
    assert (
        zones._localize_by_hour(pd.Series([pd.NaT, pd.NaT], dtype="datetime64[us]"), "Europe/Madrid")
        is None
    )
    aware, gap, ambiguous = zones.localize(years, "Europe/Madrid")  # the value-by-value route
    assert not gap.any() and ambiguous == 0 and str(aware.dtype) == "datetime64[us, Europe/Madrid]"


@pytest.mark.parametrize(
    "ids",
    [
        ["a", "b"], ["a", "a"], ["a", None], [None, None], ["a", "a\x00"], ["abcdefghij", "abcdefghik"],
        ["x" * 20, "x" * 20], ["é", "e"], ["é", "é"], [], ["a"], ["", "b"], ["", ""], ["x" * 300, "y" * 300],
        [f"c{i}" for i in range(5000)], [*(f"c{i}" for i in range(5000)), "c17"],
        # one prefix, then digits: compared as numbers (a leading zero makes "c1" and "c01" two ids)
        ["c1", "c01"], ["c01", "c10"], ["c01", "c01"], ["12", "012"], ["12", "12", None], ["7", None, "7"],
        ["c1", "c1000000000000"], ["c1", "c1000000000000", "c1"], ["c1", "d1"], ["c1", "c1x"],
        ["c" + "9" * 18, "c" + "9" * 17], ["c" + "9" * 19, "c" + "9" * 19], ["c1", "c"],
        [f"20240513{i:05d}" for i in range(0, 90_000, 7)], [*(f"20240513{i:05d}" for i in range(0, 90_000, 7)), "2024051300014"],
        [str(10**15 + 97 * i) for i in range(3000)], [*(str(10**15 + 97 * i) for i in range(3000)), str(10**15 + 97 * 5)],
    ],
)  # fmt: skip
def test_ids_unique_matches_pandas(ids):
    s = pd.Series(ids, dtype="str")
    assert core._ids_unique(s) == s.is_unique
    assert core._ids_unique(s.iloc[1:]) == s.iloc[1:].is_unique  # a slice: Arrow offsets not at 0
    chunked = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([pa.array(ids[:2], pa.large_string()),
                                                                     pa.array(ids[2:], pa.large_string())])))  # fmt: skip
    assert core._ids_unique(chunked) == s.is_unique
    assert core._ids_unique(s.astype(object)) == s.is_unique


def test_text_keeps_clean_columns_and_strips_the_rest():
    rng = np.random.default_rng(3)
    pieces = ["a", "B7", "~x!", " a", "b ", "\u00a0c", "d\u00a0", "\t", "é", "ñu", ""]
    for _ in range(200):
        values = [
            None if rng.random() < 0.2 else "".join(rng.choice(pieces, rng.integers(1, 3))) for _ in range(8)
        ]
        s = pd.Series(values, dtype="str")
        got = fields._text(s)
        t = s.str.strip()
        pd.testing.assert_series_equal(got, t.where(s.notna() & (t != "")), check_dtype=False)
    clean = pd.Series(["a", None, "b c", "Z~"], dtype="str")
    assert fields._text(clean) is clean  # shares memory
    assert fields._clean(
        pa.chunked_array([pa.array(["a", None], pa.large_string()), pa.array([None, "b"], pa.large_string())])
    )
    assert fields._clean(pa.chunked_array([pa.array([None, "b"], pa.string())]))  # 32-bit offsets
    assert not fields._clean(pa.chunked_array([pa.array(["a", ""])]))


LINES = [
    acd_row("a1", "2024-05-13 09:00:00", "2024-05-13 09:01:00", "2024-05-13 09:05:00", "answered"),
    acd_row("a2", "2024-05-13 09:00:05", "", "2024-05-13 09:02:00", "weird"),
    acd_row("a3", "2024-05-13 09:00:10", "nope", "2024-05-13 09:09:00", "answered"),
]


@pytest.mark.parametrize(
    ("newline", "extra"),
    [("\n", None), ("\r\n", None), ("\n", "blank"), ("\r\n", "blank"), ("\n", "lone cr"), ("\n", "quoted")],
)
def test_line_count_shortcut_matches_the_blank_line_scan(tmp_path, monkeypatch, newline, extra):
    rows = [",".join(r) for r in [ACD_HEADER, *LINES]]
    if extra == "blank":
        rows.insert(2, "")
    elif extra == "quoted":
        rows[1] = rows[1].replace("Centro", '"Cen\ntro"')
    text = newline.join(rows) + newline
    if extra == "lone cr":
        text = text.replace("\n", "\r", 1)
    path = tmp_path / "log.csv"
    path.write_bytes(text.encode())
    contacts, report = read_log(path, format="acd")
    with monkeypatch.context() as mp:
        mp.setattr(tables, "_count_lines", lambda data: (-1, True))
        slow_contacts, slow_report = read_log(path, format="acd")
    pd.testing.assert_frame_equal(contacts, slow_contacts, check_exact=True)
    assert report.to_dict() == slow_report.to_dict()
    pd.testing.assert_frame_equal(report.quarantine, slow_report.quarantine, check_exact=True)
    assert identity(report) and report.rows_read == 3
    if extra is None:
        assert list(report.quarantine["line"]) == [3, 4]


@pytest.mark.parametrize(
    "data", [b"a\nb\n", b"a\nb", b"a\r\nb\r\n", b"a\rb\n", b"a\r\n\r\nb", b"", b"x\r", b"\r\n" * 7]
)
def test_count_lines_across_block_edges(data):
    want = tables._count_lines(data)
    for step in (1, 2, 3):
        assert tables._count_lines(data, step=step) == want
    assert want[0] == data.count(b"\n") + (not data.endswith(b"\n"))
    assert want[1] == (data.count(b"\r") != data.count(b"\r\n"))


@pytest.mark.parametrize("tz", ["Europe/Madrid", "America/Argentina/Buenos_Aires", "Australia/Lord_Howe"])
def test_parse_local_iso_matches_parse_then_localise(tz):
    """The one-array route gives what parsing, dropping unstorable times, then localising give."""
    rng = np.random.default_rng(5)
    base = pd.Timestamp("2024-01-01")
    times = (base + pd.to_timedelta(rng.integers(0, 366 * 86_400, 3000), unit="s")).strftime("%Y-%m-%d %H:%M:%S")
    odd = ["2024-03-31 02:30:00", "2024-10-27 02:30:00", "2024-04-07 01:45:00", "2024-10-06 02:15:00",  # DST
           "2024-02-30 10:00:00", "2024-01-01 24:00:00", "2024-05-13T09:00:10", "2024-05-13 09:01",
           "2024-05-13", "not a time", "-1", "1500-01-01 00:00:00", "2400-01-01 00:00:00",
           "2024-05-13 09:00:00+02:00", None]  # fmt: skip
    text = pd.Series([*times[:1500], *odd, *times[1500:]], dtype="str")  # in the middle: not in the sample
    got = zones.parse_local_iso(text, tz)
    assert got is not None
    unparseable, aware, gap, ambiguous = got
    p, layout = parsing.parse_stripped(text)
    p = tabular._storable(p)
    want, want_gap, want_ambiguous = zones.localize(p, tz)
    assert layout == "iso"
    pd.testing.assert_series_equal(aware, want.dt.as_unit("ns"))
    assert np.array_equal(unparseable, (p.isna() & text.notna()).to_numpy())
    assert np.array_equal(gap, want_gap) and ambiguous == want_ambiguous
    # 30 February, hour 24, text, year -1, years beyond what nanoseconds hold, and an offset among
    # local times; not the other ISO layouts, nor a missing time
    assert np.flatnonzero(unparseable).tolist() == [1504, 1505, 1509, 1510, 1511, 1512, 1513]
    if tz == "Europe/Madrid":
        assert gap[1500] and ambiguous == 1


def test_parse_local_iso_leaves_other_layouts_to_the_general_route():
    assert zones.parse_local_iso(pd.Series(["13/05/2024 09:00"] * 3, dtype="str"), "UTC") is None
    assert zones.parse_local_iso(pd.Series(["2024-05-13T09:00:00+02:00"] * 3, dtype="str"), "UTC") is None
    assert zones.parse_local_iso(pd.Series([None, "nope"], dtype="str"), "UTC") is None


def test_select_matches_boolean_indexing_for_every_dtype():
    rng = np.random.default_rng(3)
    n = 500
    keep = rng.random(n) > 0.3
    when = pd.Series(pd.date_range("2024-03-31 00:00", periods=n, freq="7min", tz="Europe/Madrid"))
    columns = {
        "aware": when.where(rng.random(n) > 0.1),
        "priority": pd.Series(pd.array(np.where(rng.random(n) > 0.1, rng.integers(0, 3, n), None), dtype="Int64")),
        "category": pd.Series(pd.Categorical(rng.choice(["served", "abandoned", None], n))),
        "text": pd.Series(rng.choice(["a", "bé", None], n), dtype="str"),
    }
    for name, s in columns.items():
        s = s.rename(name)
        pd.testing.assert_series_equal(core._select(s, keep), s[keep].reset_index(drop=True))


def test_rows_of_a_few_positions_match_boolean_indexing():
    rng = np.random.default_rng(4)
    n = 700
    keep = rng.random(n) > 0.97
    text = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(
        [pa.array(list(rng.choice(["a", "bé", None], k)), pa.large_string()) for k in (0, 300, 1, 399)])), dtype="str")
    frame = pd.DataFrame({"text": text, "number": pd.Series(rng.integers(0, 9, n)), "line": np.arange(n)})
    for mask in (keep, np.zeros(n, dtype=bool), np.ones(n, dtype=bool)):
        pd.testing.assert_frame_equal(core._rows(frame, mask), frame[mask].reset_index(drop=True))


def test_take_copies_shared_times_once():
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(6)
    n = 300
    when = pd.Series(pd.date_range("2024-05-13 09:00", periods=n, freq="min", tz="Europe/Madrid"))
    frame = pd.DataFrame({"called_at": when, "started_at": when, "ended_at": when + pd.Timedelta(minutes=5),
                          "queue": pd.Series(rng.choice(["a", None], n), dtype="str")})  # fmt: skip
    keep = rng.random(n) > 0.2
    with ThreadPoolExecutor(2) as pool:
        got = core._take(frame, keep, pool)
    pd.testing.assert_frame_equal(got, frame[keep].reset_index(drop=True))
    assert np.shares_memory(got["called_at"].array.asi8, got["started_at"].array.asi8)
    assert not np.shares_memory(got["called_at"].array.asi8, got["ended_at"].array.asi8)
