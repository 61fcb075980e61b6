"""The fast paths of the readers give exactly what the general (slower, simpler) paths give.

The reference implementations below are the straightforward versions the fast code replaced:
strptime on every time, pandas comparisons on timestamps, the schema rules on the parsed rows
only, strip-and-null on every value, upper-casing every code, tz_localize on every time, pandas'
is_unique, a scan for blank lines. Each test forces them with ``monkeypatch`` and compares
contacts, quarantine and report with the normal run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from readers_helpers import ACD_HEADER, acd_row, identity, write_text

import waitlab.readers._core as core
import waitlab.readers._fields as fields
import waitlab.readers._parsing as parsing
import waitlab.readers._tables as tables
import waitlab.readers._tabular as tabular
import waitlab.readers._zones as zones
import waitlab.schema as schema
from waitlab import _kernels
from waitlab.exceptions import SchemaError
from waitlab.readers import read_log


def _text_reference(s: pd.Series) -> pd.Series:
    t = s.astype("str").str.strip()
    return t.where(s.notna() & (t != ""))


def _codes_reference(s: pd.Series, table: dict, *, text: bool = False) -> tuple[pd.Series, np.ndarray]:
    codes, uniques = pd.factorize(s.str.upper(), use_na_sentinel=True)
    mapped = np.array([table.get(str(u)) for u in uniques] + [None], dtype=object)[codes]
    unknown = (codes >= 0) & pd.isna(mapped)
    out = pd.Series(mapped, index=s.index, dtype=object)
    return (out.astype("str").where(out.notna()) if text else out), unknown


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    """Force every general path: strptime, no int64 time checks, rules on parsed rows only, plain text."""
    monkeypatch.setattr(schema, "_times_ns", lambda contacts: None)
    real = core.coerce_columns

    calls: list[int] = []

    def first_call_fails(df: pd.DataFrame, *, tz: str | None = None, keep_categories: bool = False) -> pd.DataFrame:
        calls.append(len(df))
        if len(calls) == 1:
            raise SchemaError("forced: check the parsed rows only")
        return real(df, tz=tz)  # categories become text before the rules

    monkeypatch.setattr(core, "coerce_columns", first_call_fails)
    monkeypatch.setattr(core, "row_problem_codes", lambda contacts, ids_unique=None: schema.row_problems(contacts))
    monkeypatch.setattr(tabular, "_text", _text_reference)
    monkeypatch.setattr(tabular, "_codes", _codes_reference)
    monkeypatch.setattr(tabular, "parse_stripped", lambda s, dayfirst=True: parsing.parse_datetimes(s, dayfirst=dayfirst))
    monkeypatch.setattr(parsing, "_iso_seconds", lambda text: None)  # strptime on every value
    monkeypatch.setattr(tabular, "parse_local_iso", lambda text, tz: None)  # parse, then localise apart
    monkeypatch.setattr(zones, "_localize_by_hour", lambda s, tz: None)  # tz_localize on every value
    monkeypatch.setattr(core, "_ids_unique", lambda ids: bool(ids.is_unique))
    monkeypatch.setattr(tables, "_count_lines", lambda data: (-1, True))  # look for blank lines line by line
    monkeypatch.setattr(_kernels, "integers_column", lambda chunks: None)  # priorities through float parsing


def _mixed_rows(n_fill: int = 0, *, entered: str = "-1") -> list[list[str]]:
    rows = [
        acd_row("a1", "2024-05-13 09:00:00", "2024-05-13 09:01:00", "2024-05-13 09:05:00", "answered"),
        acd_row(" a2 ", " 2024-05-13 09:00:05", "", "2024-05-13 09:02:00 ", "ABANDONED", queue=" soporte "),
        acd_row("a3", "2024-05-13T09:00:10", "2024-05-13 09:01", "2024-05-13 09:09:00", "Answered"),  # other ISO
        acd_row("a4", "2024-05-13 09:00:20", "not a time", "2024-05-13 09:05:00", "answered"),
        # unparseable, and its entered_at (year -1) is beyond what the schema can store: unparseable too
        acd_row("dup", entered, "not a time", "2024-05-13 09:05:00", "abandoned"),
        acd_row("dup", "2024-05-13 09:00:30", "", "2024-05-13 09:03:00", "abandoned"),  # its first good copy
        acd_row("dup", "2024-05-13 09:00:40", "", "2024-05-13 09:03:00", "abandoned"),  # a real repeat
        acd_row("a5", "2024-05-13 09:00:50", "2024-05-13 09:10:00", "2024-05-13 09:05:00", "answered"),
        acd_row("a6", "2024-05-13 09:01:00", "2024-05-14 09:01:00", "2024-05-14 09:01:01", "answered"),
        acd_row("a7", "2024-05-13 09:01:00", "2024-05-14 09:01:00", "", "transferred"),  # exactly 24 h
        acd_row("a8", "2024-05-13 09:02:00", "", "", "weird"),
        acd_row("a9", "2024-03-31 02:30:00", "", "2024-03-31 03:10:00", "abandoned"),  # Madrid DST gap
        acd_row("a10", "2024-10-27 02:30:00", "", "2024-10-27 02:40:00", "abandoned"),  # repeated hour
        acd_row("a11", "2024-05-13 09:03:00", "", "2024-05-13 09:04:00", "abandoned", queue="   "),
        acd_row("a12", "2024-05-13 09:03:00", "", "2024-05-13 09:04:00", "abandoned", priority="x"),
    ]
    start = pd.Timestamp("2024-05-14 08:00:00")
    for i in range(n_fill):  # enough rows for the column samples to take their head-and-tail branch
        t = start + pd.Timedelta(seconds=3 * i)
        ans = "" if i % 3 else (t + pd.Timedelta(seconds=20)).strftime("%Y-%m-%d %H:%M:%S")
        end = (t + pd.Timedelta(seconds=90)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(acd_row(f"f{i}", t.strftime("%Y-%m-%d %H:%M:%S"), ans, end, "abandoned" if i % 3 else "answered"))
    return rows


def _read(path):  # noqa: ANN001, ANN202
    return read_log(path, format="acd", tz="Europe/Madrid")


@pytest.mark.parametrize(("n_fill", "entered"), [(0, "-1"), (0, "2024-05-13 09:00:25"), (20_000, "-1")])
def test_fast_and_general_paths_agree_on_a_mixed_file(tmp_path, monkeypatch, n_fill, entered):
    path = write_text(tmp_path / "mixed.csv", [ACD_HEADER, *_mixed_rows(n_fill, entered=entered)])
    sizes: list[int] = []
    real = core.coerce_columns
    with monkeypatch.context() as mp:
        mp.setattr(core, "coerce_columns", lambda df, *, tz=None, **kw: sizes.append(len(df)) or real(df, tz=tz, **kw))
        fast, fast_report = _read(path)
    # all rows at once: a year the schema cannot store ("-1" read as year -1) is an unparseable
    # time of its row, so it no longer forces a second conversion of the rows that parsed
    assert sizes == [15 + n_fill]
    with monkeypatch.context() as mp:
        _general(mp)
        slow, slow_report = _read(path)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    pd.testing.assert_frame_equal(fast_report.quarantine, slow_report.quarantine, check_exact=True)
    assert fast_report.to_dict() == slow_report.to_dict()
    assert identity(fast_report) and fast_report.rows_read == 15 + n_fill
    reasons = dict(zip(fast_report.quarantine["line"], fast_report.quarantine["reason"], strict=True))
    assert reasons[5] == "unparseable time (answered_at)"
    # its first unparseable field is named: year -1 in entered_at, else the answered_at text
    assert reasons[6] == ("unparseable time (entered_at)" if entered == "-1" else "unparseable time (answered_at)")
    assert 7 not in reasons  # the first *parsed* "dup" is not a repeat of the unparseable one
    assert reasons[8] == "duplicate contact_id"
    assert reasons[9] == "events out of order (ended_at before called_at)"
    assert reasons[10] == "absurd duration (over 24 h)"
    assert 11 not in reasons  # 24 h exactly is allowed
    assert reasons[12] == "unknown outcome code (outcome)"
    assert reasons[13] == "time in a DST gap (entered_at: no such local time in Europe/Madrid)"
    assert reasons[15] == "missing queue"
    assert reasons[16] == "unknown priority code (priority)"
    c = fast.set_index("contact_id")
    assert c.loc["a2", "queue"] == "soporte" and c.loc["a2", "outcome"] == "abandoned"
    assert c.loc["a3", "called_at"] == pd.Timestamp("2024-05-13 09:01", tz="Europe/Madrid")


def test_int64_time_rules_match_pandas_comparisons():
    rng = np.random.default_rng(7)
    n = 4000
    base = pd.Timestamp("2024-05-13 09:00", tz="America/Argentina/Buenos_Aires")
    times = {}
    for c in schema.TIME_COLUMNS:
        secs = rng.choice([0, 30, 600, 86_400, 86_401, 90_000], n) + rng.integers(0, 3, n) * 1e-9
        t = pd.Series(base + pd.to_timedelta(secs, unit="s"))
        times[c] = t.where(rng.random(n) > 0.2)
    frame = pd.DataFrame(
        {
            "contact_id": rng.choice(["x", "y", "z", "w", "v", None], n, p=[0.19] * 5 + [0.05]),
            "queue": rng.choice(["q", None], n, p=[0.95, 0.05]),
            "channel": rng.choice(["phone", "kiosk", "fax", None], n, p=[0.8, 0.1, 0.05, 0.05]),
            "outcome": rng.choice(["served", "abandoned", "no_show", "transferred", "other", "bad", None], n),
            **times,
        }
    )
    contacts = schema.coerce_contacts(frame)
    fast = schema.row_problems(contacts)
    other_zone = contacts.assign(called_at=contacts["called_at"].dt.tz_convert("UTC"))  # same instants
    assert schema._times_ns(other_zone) is None  # so the pandas comparisons run
    pd.testing.assert_series_equal(fast, schema.row_problems(other_zone))
    assert fast.str.startswith("events out of order").any() and (fast == "absurd duration (over 24 h)").any()
    assert set(fast) == set(_kernels.ROW_RULES) | {"duplicate contact_id"}  # every rule fires somewhere


def test_text_and_codes_match_their_references():
    s = pd.Series([" a ", "b", None, "   ", "", "c\t", "\u00a0d"], dtype="str")
    for values in (s, s.astype(object), s.str.strip()):
        pd.testing.assert_series_equal(fields._text(values), _text_reference(values), check_dtype=False)
    codes = fields._text(pd.Series(["answered", "ANSWERED", " x", None, "Abandoned"], dtype="str"))
    table = {"ANSWERED": "served", "ABANDONED": "abandoned"}
    for text in (False, True):
        got, unknown = fields._codes(codes, table, text=text)
        want, want_unknown = _codes_reference(codes, table, text=text)
        if text:  # a categorical of the outcome names, which the contacts table turns into text
            assert isinstance(got.dtype, pd.CategoricalDtype)
            got = got.astype("str").where(got.notna())
        pd.testing.assert_series_equal(got, want, check_dtype=False)
        assert np.array_equal(unknown, want_unknown)


def _iso_reference(text: pd.Series) -> pd.Series:
    """The plain ISO route: strptime on every value, then pandas' ISO 8601 parser for the rest."""
    out = parsing._strptime(text, "%Y-%m-%d %H:%M:%S")
    rest = out.isna() & text.notna()
    if rest.any():
        out = out.where(~rest, pd.to_datetime(text[rest], format="ISO8601", errors="coerce"))
    return out.astype("datetime64[us]")


@pytest.mark.parametrize(
    "odd",
    [
        [],
        ["2024-02-30 00:00:00"],  # pyarrow's strptime rolls it over to 1 March: unparseable all the same
        ["2024-01-01 23:59:60"],
        ["2024-01-01T08+03:00"],  # 19 characters with an offset
        ["0999-01-01 00:00:00"],  # outside the nanosecond range
        ["2024-01-01T08:00:00", "2024-1-1 8:00:00", "2024-05-13 09:01", "2024-05-13", "nope", None],
    ],
)
def test_iso_shortcut_matches_strptime_then_iso(odd):
    values = ["2024-05-13 09:00:00", "2024-12-31 23:59:59", None, "2000-02-29 12:00:00", *odd]
    text = pd.Series(values, dtype="str")
    if odd == ["2024-01-01T08+03:00"]:  # an offset the sample did not see: the reference refuses the column,
        with pytest.raises(ValueError, match="Tz-aware"):  # the readers make only that value unparseable
            _iso_reference(text)
        got, layout = parsing.parse_stripped(text)
        assert layout == "iso" and pd.isna(got.iloc[-1])
        pd.testing.assert_series_equal(got.iloc[:-1], _iso_reference(text.iloc[:-1]))
        return
    got, layout = parsing.parse_stripped(text)
    assert layout == "iso"
    pd.testing.assert_series_equal(got, _iso_reference(text))
    if odd in (["2024-02-30 00:00:00"], ["2024-01-01 23:59:60"]):  # impossible: not rolled over to the next day
        assert pd.isna(got.iloc[-1])
    pd.testing.assert_series_equal(parsing.parse_datetimes(text.astype(object))[0], got)


def test_reasons_as_text_and_as_codes_agree(tmp_path, monkeypatch):
    """Candidates may carry their reasons as text (one string per row) or as int16 codes."""
    path = write_text(tmp_path / "mixed.csv", [ACD_HEADER, *_mixed_rows(50, entered="2024-05-13 09:00:25")])
    fast, fast_report = _read(path)
    real = tabular._Flags.candidates

    def as_text(self, frame, assumptions=None):  # noqa: ANN001, ANN202
        cand = real(self, frame, assumptions)
        assert cand.reason_texts is not None and cand.reasons.dtype == np.int16
        return tabular.Candidates(frame=cand.frame, reasons=self.reasons, assumptions=cand.assumptions)

    monkeypatch.setattr(tabular._Flags, "candidates", as_text)
    slow, slow_report = _read(path)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    pd.testing.assert_frame_equal(fast_report.quarantine, slow_report.quarantine, check_exact=True)
    assert fast_report.to_dict() == slow_report.to_dict()
    assert fast_report.quarantine["reason"].map(type).eq(str).all()


def test_flags_reasons_and_reason_codes():
    flag = tabular._Flags(5)
    flag(np.array([False, True, False, True, False]), "first")
    flag(np.array([False, True, True, False, False]), "second")
    flag(np.array([False, False, False, False, False]), "never")
    assert flag.reasons.tolist() == ["", "first", "second", "first", ""]
    codes, texts = flag.candidates(pd.DataFrame(index=range(5))).reason_codes()
    assert [texts[c] for c in codes] == flag.reasons.tolist()
    legacy = tabular.Candidates(frame=pd.DataFrame(index=range(5)), reasons=flag.reasons)
    codes, texts = legacy.reason_codes()
    assert texts[0] == "" and [texts[c] for c in codes] == flag.reasons.tolist()


def test_private_row_problems_match_the_public_ones():
    contacts = schema.coerce_contacts(
        pd.DataFrame(
            {
                "contact_id": ["a", "b", "b", "c"],
                "queue": ["q", "q", "q", None],
                "channel": ["phone", "phone", "phone", "phone"],
                "arrived_at": pd.to_datetime(["2024-05-13 09:00"] * 4),
                "ended_at": pd.to_datetime(["2024-05-13 09:05", "2024-05-13 08:00", "2024-05-13 09:05", None]),
                "outcome": ["abandoned", "abandoned", "abandoned", "served"],
            }
        ),
        tz="Europe/Madrid",
    )
    public = schema.row_problems(contacts)
    assert public.dtype == object
    assert public.tolist() == ["", "events out of order (ended_at before arrived_at)", "duplicate contact_id",
                               "missing queue"]
    assert schema.row_problem_codes(contacts).astype(object).tolist() == public.tolist()
