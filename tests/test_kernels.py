"""The numba kernels over Arrow string buffers give what plain Python gives.

Each kernel is compared with a reference that shares no code with it: ``datetime.strptime`` for
the ISO parser, ``str.strip`` and character tests for the "nothing to strip" check,
``pandas.factorize`` for the small factorizer, ``bytes.count`` and a Python loop for the byte
scans and the line count. The columns come in every shape a reader can hand over: ``string`` and
``large_string`` chunks, with and without nulls, sliced (a non-zero offset into the buffers), and
split into several chunks, some of them empty or all missing.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import waitlab.readers._tables as tables
from waitlab._kernels import (
    ISO_MISSING,
    ISO_OK,
    ISO_OTHER,
    clean_text,
    count_byte,
    edges_clean,
    factorize_few,
    integers_column,
    iso19_column,
    iso19_parse,
    known_range,
    lone_cr,
    string_buffers,
    strings_distinct,
    text_from_codes,
    utf8_chunks,
)

SETTINGS = settings(max_examples=200, deadline=None)
TYPES = [pa.string(), pa.large_string()]
PAD = ["pad", None, "2024-01-01 00:00:00", "", None, " x ", "0001-01-01 00:00:00", None, "b", "c", "d"]


def _shapes(values: list[str | None]) -> Iterator[tuple[str, list[pa.Array], list[str | None]]]:
    """(name, chunks, the values those chunks hold) for `values` laid out in every shape we support."""
    third = len(values) // 3
    for t in TYPES:
        yield f"{t} whole", [pa.array(values, type=t)], values
        for pad in (3, 9):  # offsets inside and across a byte of the validity bitmap
            sliced = pa.array(PAD[:pad] + values + PAD[:pad], type=t)[pad : pad + len(values)]
            yield f"{t} sliced {pad}", [sliced], values
        chunks = [
            pa.array(values[:third], type=t),
            pa.array([None, None], type=t),  # all missing
            pa.nulls(3, type=t),  # all missing, as pyarrow makes them
            pa.array([], type=t),  # empty
            pa.array(PAD[:3] + values[third:], type=t)[3:],  # sliced
        ]
        yield f"{t} chunked", chunks, values[:third] + [None] * 5 + values[third:]
    from_pandas = utf8_chunks(pd.Series(values, dtype="str"))
    assert from_pandas is not None
    yield "pandas str", from_pandas, values


# --- iso19_column / iso19_parse against strptime --------------------------------------------------

LAYOUT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}")  # ASCII digits only
EPOCH = datetime(1970, 1, 1)


def _iso_reference(v: str | None) -> tuple[int, int]:
    """(status, microseconds since 1970) of `v` by strptime; the layout is checked separately because
    strptime also takes 1-digit fields, " 1" for a day, runs of spaces and non-ASCII digits."""
    if v is None:
        return ISO_MISSING, 0
    if not LAYOUT.fullmatch(v):
        return ISO_OTHER, 0
    fmt = "%Y-%m-%dT%H:%M:%S" if v[10] == "T" else "%Y-%m-%d %H:%M:%S"
    try:
        t = datetime.strptime(v, fmt)
    except ValueError:
        return ISO_OTHER, 0
    return ISO_OK, (t - EPOCH) // timedelta(microseconds=1)


def _check_iso(values: list[str | None]) -> None:
    for name, chunks, held in _shapes(values):
        out, status = iso19_column(chunks)
        expected = [_iso_reference(v) for v in held]
        want_status = np.array([s for s, _ in expected], dtype=np.int8)
        want_us = np.array([us for _, us in expected], dtype=np.int64)
        assert out.dtype == np.int64 and status.dtype == np.int8, name
        bad = np.flatnonzero(status != want_status)
        assert not len(bad), (name, [(held[i], int(status[i]), int(want_status[i])) for i in bad[:5]])
        ok = want_status == ISO_OK
        bad = np.flatnonzero(ok & (out != want_us))
        assert not len(bad), (name, [(held[i], int(out[i]), int(want_us[i])) for i in bad[:5]])


def _iso(t: datetime, sep: str) -> str:
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}{sep}{t.hour:02d}:{t.minute:02d}:{t.second:02d}"


datetimes = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59))
valid_iso = st.builds(_iso, datetimes, st.sampled_from([" ", "T"]))


def _two(hi: int) -> st.SearchStrategy[str]:
    return st.integers(0, hi).map(lambda n: f"{n:02d}")


# 19 characters in (nearly) the layout, with fields at and beyond their limits
near_iso = st.builds(
    lambda y, a, mo, b, d, sep, h, c, mi, e, s: f"{y}{a}{mo}{b}{d}{sep}{h}{c}{mi}{e}{s}",
    st.integers(0, 9999).map(lambda n: f"{n:04d}"),
    st.sampled_from("--/"), _two(13), st.sampled_from("--:"), _two(32),
    st.sampled_from("  TTt_"),
    _two(24), st.sampled_from("::-"), _two(60), st.sampled_from("::."), _two(61),
)  # fmt: skip
random19 = st.text(alphabet="0123456789-: T", min_size=19, max_size=19)
REPLACEMENTS = "0123456789 -:T/.ta\x00\x7fé\u0663\uff11"  # \u0663, \uff11: digits to strptime, not ASCII


@st.composite
def mutated_iso(draw: st.DrawFn) -> str:
    v = draw(valid_iso)
    at = draw(st.integers(0, 18))
    return v[:at] + draw(st.sampled_from(REPLACEMENTS)) + v[at + 1 :]


iso_values = st.lists(
    st.one_of(st.none(), valid_iso, near_iso, random19, mutated_iso(), st.text(max_size=21)), max_size=40
)


@SETTINGS
@given(st.lists(datetimes, max_size=40), st.sampled_from([" ", "T"]))
def test_iso19_valid_datetimes_match_strptime_and_the_datetime_itself(times, sep):
    values = [_iso(t, sep) for t in times]
    _check_iso(values)
    out, status = iso19_column([pa.array(values, type=pa.string())])
    assert (status == ISO_OK).all()
    assert out.tolist() == [(t.replace(microsecond=0) - EPOCH) // timedelta(microseconds=1) for t in times]


@SETTINGS
@given(iso_values)
def test_iso19_column_matches_strptime_on_mixed_values(values):
    _check_iso(values)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("1900-02-29 00:00:00", False),  # divisible by 100, not by 400
        ("2000-02-29 00:00:00", True),
        ("2024-02-29 12:34:56", True),
        ("2023-02-29 00:00:00", False),
        ("2100-02-29T00:00:00", False),
        ("2400-02-29T00:00:00", True),
        ("0004-02-29 00:00:00", True),
        ("0001-01-01 00:00:00", True),
        ("0000-12-31 23:59:59", False),  # no year 0
        ("9999-12-31 23:59:59", True),
        ("2024-04-31 00:00:00", False),
        ("2024-02-30 00:00:00", False),
        ("2024-13-01 00:00:00", False),
        ("2024-00-01 00:00:00", False),
        ("2024-01-00 00:00:00", False),
        ("2024-01-32 00:00:00", False),
        ("2024-01-01 24:00:00", False),
        ("2024-01-01 23:60:00", False),
        ("2024-01-01 23:59:60", False),
        ("1969-12-31 23:59:59", True),  # before the epoch
        ("1970-01-01 00:00:00", True),
        ("2024-1-01 00:00:00", False),  # strptime takes it; 18 characters
        ("2024-01- 1 00:00:00", False),  # strptime takes it; 19 characters
        ("2024-01-01  0:00:00", False),  # strptime takes it; 19 characters
        ("2024-01-01t00:00:00", False),  # strptime (case-insensitive) takes it
        ("2024-01-01 00:00:00 ", False),
        (" 2024-01-01 00:00:00", False),
        ("2024-01-01 00:00:00.000", False),
        ("2024-01-01T00:00", False),
        ("\u0662024-01-01 00:00:00", False),  # an Arabic-Indic digit: strptime takes it
        ("", False),
    ],
)
def test_iso19_edge_cases(value, ok):
    assert (_iso_reference(value)[0] == ISO_OK) == ok  # the reference agrees with the expectation
    _check_iso([value, None, value])


def test_iso19_parse_on_a_sliced_chunk_with_nulls():
    values = [
        "2024-05-13 09:00:00",
        None,
        "2024-05-13T09:00:01",
        "x",
        None,
        "2023-02-29 00:00:00",
        "2024-05-14 00:00:00",
    ]
    chunk = pa.array([None, "pad", "1999-01-01 00:00:00", *values], type=pa.string())[3:]
    out = np.full(len(chunk), -7, dtype=np.int64)
    status = np.full(len(chunk), -7, dtype=np.int8)
    iso19_parse(*string_buffers(chunk), out, status)
    want = [_iso_reference(v) for v in values]
    assert status.tolist() == [s for s, _ in want]
    assert [int(u) for u, s in zip(out, status, strict=True) if s == ISO_OK] == [
        u for s, u in want if s == ISO_OK
    ]


def test_iso19_column_of_no_chunks_and_of_all_missing_chunks():
    out, status = iso19_column([])
    assert len(out) == len(status) == 0
    for t in TYPES:
        out, status = iso19_column([pa.nulls(4, type=t), pa.array([None], type=t), pa.array([], type=t)])
        assert status.tolist() == [ISO_MISSING] * 5


# --- clean_text / edges_clean against str.strip ----------------------------------------------------

PRINTABLE = {chr(c) for c in range(0x21, 0x7F)}


def _clean_reference(values: list[str | None]) -> bool:
    present = [v for v in values if v is not None]
    return all(v != "" and v == v.strip() and v[0] in PRINTABLE and v[-1] in PRINTABLE for v in present)


TEXT_ALPHABET = "ab!~ \t\n\r\x00\x7f\x1fñ\u00a0\u3000\u2028é"
texts = st.one_of(
    st.text(alphabet="ab!~xyz0", min_size=1, max_size=5),  # clean
    st.text(alphabet=TEXT_ALPHABET, max_size=5),
    st.text(max_size=4),
    st.sampled_from(["", " ", "ñandú", "\u00a0x", "x\u00a0", "atención", "a b", "~", "!", "\x7f", "x\t"]),
)


@SETTINGS
@given(st.lists(st.one_of(st.none(), texts), max_size=20))
def test_clean_text_matches_strip(values):
    want = _clean_reference(values)
    for name, chunks, _ in _shapes(values):
        assert clean_text(chunks) == want, name


@SETTINGS
@given(st.one_of(texts, st.text(max_size=6)))
def test_clean_text_of_single_values_matches_strip(v):
    want = _clean_reference([v])
    for t in TYPES:
        assert clean_text([pa.array([None, v, None], type=t)]) == want, repr(v)
        assert clean_text([pa.array(["ok", v], type=t)[1:]]) == want, repr(v)
        assert edges_clean(*string_buffers(pa.array([v, "ok"], type=t))) == want, repr(v)


@pytest.mark.parametrize(
    ("values", "clean"),
    [
        (["ñandú"], False),  # begins with a non-ASCII character: the kernel looks at bytes
        (["\u00a0x"], False),
        (["xñ"], False),
        (["a", None, "b"], True),
        ([None, None], True),
        ([], True),
        ([""], False),  # empty: not missing
        ([None, ""], False),
        (["a b"], True),
        (["a "], False),
        (["\ta"], False),
        (["~!"], True),
        (["\x7f"], False),
    ],
)
def test_clean_text_examples(values, clean):
    assert _clean_reference(values) == clean
    for name, chunks, _ in _shapes(values):
        assert clean_text(chunks) == clean, name


def _null_slot_with_bytes(middle: str) -> pa.Array:
    """["ok", None, "ok"] whose missing value still spans the bytes of `middle` (valid Arrow: nothing
    promises zero-length nulls)."""
    data = f"ok{middle}ok".encode()
    offsets = np.array([0, 2, 2 + len(middle.encode()), len(data)], dtype=np.int32)
    buffers = [pa.py_buffer(bytes([0b101])), pa.py_buffer(offsets.tobytes()), pa.py_buffer(data)]
    chunk = pa.Array.from_buffers(pa.string(), 3, buffers)
    chunk.validate(full=True)
    assert chunk.to_pylist() == ["ok", None, "ok"]
    return chunk


def test_clean_text_ignores_the_bytes_behind_a_missing_value():
    # only present values count, as the docstrings say ("no present value is empty and each begins
    # and ends ..."); pyarrow itself makes such null slots: if_else keeps the bytes it masks out
    masked = pc.if_else(pa.array([True, False, True]), pa.array(["ok", " x ", "ok"]), None)
    assert masked.to_pylist() == ["ok", None, "ok"]
    for chunk in (masked, _null_slot_with_bytes(" x ")):
        assert _clean_reference(chunk.to_pylist())
        assert clean_text([chunk])


def test_iso19_and_factorize_ignore_the_bytes_behind_a_missing_value():
    chunk = _null_slot_with_bytes("2024-01-01 00:00:00")
    _, status = iso19_column([chunk])
    assert status.tolist() == [ISO_OTHER, ISO_MISSING, ISO_OTHER]
    got = factorize_few([chunk], 1)
    assert got is not None
    assert got[0].tolist() == [0, -1, 0] and got[1] == ["ok"]


# --- factorize_few against pandas.factorize --------------------------------------------------------

FEW = ["a", "b", "", "atención", "jubilación", "ab", "ba", "a ", "ñ"]


def _factorize_reference(values: list[str | None]) -> tuple[list[int], list[str]]:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return [int(c) for c in codes], list(uniques)


def _check_factorize(
    chunk_values: list[list[str | None]], max_uniques: int, t: pa.DataType, offset: int
) -> None:
    values = [v for part in chunk_values for v in part]
    chunks = [pa.array(PAD[:offset] + part, type=t)[offset:] for part in chunk_values]
    want_codes, want_uniques = _factorize_reference(values)
    got = factorize_few(chunks, max_uniques)
    if len(want_uniques) > max_uniques:
        assert got is None, (values, max_uniques)
        return
    assert got is not None, (values, max_uniques)
    codes, uniques = got
    assert codes.dtype == np.int32
    assert codes.tolist() == want_codes
    assert uniques == want_uniques


@SETTINGS
@given(
    st.lists(st.lists(st.one_of(st.none(), st.sampled_from(FEW)), max_size=15), max_size=5),
    st.one_of(st.integers(0, 6), st.just(64)),
    st.sampled_from(TYPES),
    st.sampled_from([0, 3, 9]),
)
def test_factorize_few_matches_pandas(chunk_values, max_uniques, t, offset):
    _check_factorize(chunk_values, max_uniques, t, offset)


@SETTINGS
@given(st.permutations(FEW[:5]), st.permutations(FEW[:5]), st.sampled_from(TYPES))
def test_factorize_few_across_chunks_in_different_orders(first, second, t):
    # each chunk meets the same values in its own order: the codes follow the column's first appearance
    chunks = [list(first) + [None] + list(first), [None], list(second) + list(reversed(second))]
    _check_factorize(chunks, 64, t, 0)
    _check_factorize(chunks, 5, t, 3)
    _check_factorize(chunks, 4, t, 9)  # one too many


@pytest.mark.parametrize("t", TYPES)
def test_factorize_few_at_and_over_the_limit(t):
    at_limit = [["a", "b", None, "a"], ["", "b", "a"]]  # 3 distinct, "" among them
    _check_factorize(at_limit, 3, t, 0)
    assert factorize_few([pa.array(p, type=t) for p in at_limit], 3) is not None
    over_in_one_chunk = [["a", "b", "", "atención"]]
    assert factorize_few([pa.array(p, type=t) for p in over_in_one_chunk], 3) is None
    over_across_chunks = [["a", "b"], [None], ["jubilación", "atención"]]  # 2 + 2 distinct, 3 allowed
    assert factorize_few([pa.array(p, type=t) for p in over_across_chunks], 3) is None
    _check_factorize(over_across_chunks, 4, t, 3)


def test_factorize_few_of_missing_and_empty_columns():
    for t in TYPES:
        got = factorize_few([pa.nulls(3, type=t), pa.array([], type=t), pa.array([None], type=t)], 3)
        assert got is not None
        assert got[0].tolist() == [-1] * 4 and got[1] == []
        got = factorize_few([], 3)
        assert got is not None and len(got[0]) == 0 and got[1] == []
        _check_factorize([["", None, ""]], 1, t, 3)  # "" is a value, not a missing one


def test_factorize_few_through_pandas_chunks():
    values = ["atención", None, "jubilación", "", "atención", None, ""]
    chunks = utf8_chunks(pd.Series(values, dtype="str"))
    assert chunks is not None
    got = factorize_few(chunks, 3)
    assert got is not None
    want_codes, want_uniques = _factorize_reference(values)
    assert got[0].tolist() == want_codes and got[1] == want_uniques


# --- count_byte, lone_cr, _count_lines against bytes methods and a loop ---------------------------

crlf_bytes = st.lists(st.sampled_from(b"ab\r\n"), max_size=64).map(bytes)


def _lone_cr_reference(data: bytes, *, final: bool) -> bool:
    """A \\r not followed by \\n; a \\r at the very end counts only when `final`."""
    for i, b in enumerate(data):
        if b == 13 and (data[i + 1 : i + 2] != b"\n" if i + 1 < len(data) else final):
            return True
    return False


@SETTINGS
@given(st.one_of(crlf_bytes, st.binary(max_size=64)), st.sampled_from([10, 13, 97, 0, 255]))
def test_count_byte_matches_bytes_count(data, byte):
    buf = np.frombuffer(data, dtype=np.uint8)
    assert count_byte(buf, byte) == data.count(bytes([byte]))


@SETTINGS
@given(crlf_bytes)
def test_lone_cr_matches_a_loop(data):
    # the kernel leaves a final \r unjudged (the next block decides)
    assert lone_cr(np.frombuffer(data, dtype=np.uint8)) == _lone_cr_reference(data, final=False)


@pytest.mark.parametrize(
    ("data", "lone"),
    [
        (b"", False),
        (b"\r", False),
        (b"a\r", False),
        (b"\r\n", False),
        (b"\ra", True),
        (b"\r\r\n", True),
        (b"a\n\r", False),
    ],
)
def test_lone_cr_examples(data, lone):
    assert lone_cr(np.frombuffer(data, dtype=np.uint8)) == lone


def _count_lines_reference(data: bytes) -> tuple[int, bool]:
    return data.count(b"\n") + (not data.endswith(b"\n")), _lone_cr_reference(data, final=True)


STEPS = [1, 2, 3, 7, None]


def _count(data: bytes | Path, step: int | None) -> tuple[int, bool]:
    if isinstance(data, Path):  # what a reader counts while pyarrow reads the file, in reads of `step` bytes
        with tables._CountingFile(data) as f:
            while f.read(step or 1 << 24):
                pass
        return tables._count_lines(f.lines)
    return tables._count_lines(data) if step is None else tables._count_lines(data, step)


@settings(max_examples=150, deadline=None)
@given(crlf_bytes)
def test_count_lines_matches_a_loop_for_bytes_and_files(data):
    want = _count_lines_reference(data)
    for step in STEPS:
        assert _count(data, step) == want, (data, step)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "log.csv"
        path.write_bytes(data)
        for step in STEPS:
            assert _count(path, step) == want, (data, step, "file")


@pytest.mark.parametrize(
    ("data", "lines", "lone"),
    [
        (b"", 1, False),
        (b"\n", 1, False),
        (b"a", 1, False),
        (b"a\nb", 2, False),
        (b"a\r\nb\r\n", 2, False),
        (b"a\r", 1, True),  # a final \r stands alone
        (b"a\rb", 1, True),
        (b"\n\n", 2, False),
    ],
)
def test_count_lines_examples(data, lines, lone, tmp_path):
    assert _count_lines_reference(data) == (lines, lone)
    path = tmp_path / "log.csv"
    path.write_bytes(data)
    for step in STEPS:
        assert _count(data, step) == (lines, lone)
        assert _count(path, step) == (lines, lone)


# --- distinct ids ----------------------------------------------------------------------------------

_ID = st.one_of(
    st.from_regex(r"c[0-9]{1,4}", fullmatch=True),  # one prefix, then digits (leading zeros too)
    st.from_regex(r"[0-9]{1,3}", fullmatch=True),
    st.text(alphabet="cxé0", max_size=3),
)


@SETTINGS
@given(st.lists(st.one_of(st.none(), _ID), max_size=30))
def test_strings_distinct_matches_pandas_is_unique(values):
    for name, chunks, held in _shapes(values):
        present = [v for v in held if v is not None]
        got = strings_distinct(chunks)
        if len(set(present)) == len(present):
            assert got is True, name  # distinct strings: proven (a 64-bit hash collision is not expected here)
        else:  # a repeat: False when compared as numbers, None when hashed (the caller compares the strings)
            assert got in (False, None), name


def test_strings_distinct_compares_numbers_exactly_and_large_ranges_by_sorting():
    wide = [f"c{10**15 + 97 * i}" for i in range(3000)]
    assert strings_distinct([pa.array(wide)]) is True
    assert strings_distinct([pa.array([*wide, wide[5]])]) is False
    assert strings_distinct([pa.array(["c1", "c01"])]) is True  # a leading zero: different ids
    assert strings_distinct([pa.array(["c01", "c01"])]) is False
    assert strings_distinct([pa.array(["a", "a"])]) is None  # hashed: only the strings can tell
    assert strings_distinct([pa.array(["a", "b", None])]) is True


def test_known_range_skips_nat():
    nat = np.iinfo(np.int64).min
    assert known_range(np.array([5, nat, -3, 9], dtype=np.int64)) == (-3, 9, 3)
    assert known_range(np.array([nat, nat], dtype=np.int64))[2] == 0


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.from_regex(r"[0-9]{1,10}", fullmatch=True), st.sampled_from(["", " 1", "1.0", "-1", "1e3", "٢"]))))
def test_integers_column_reads_plain_digits_only(values):
    for name, chunks, held in _shapes(values):
        plain = all(v is None or (v.isascii() and v.isdigit() and 1 <= len(v) <= 9) for v in held)
        got = integers_column(chunks)
        if not plain:
            assert got is None, name
            continue
        numbers, missing = got
        assert missing.tolist() == [v is None for v in held], name
        assert numbers[~missing].tolist() == [int(v) for v in held if v is not None], name


@SETTINGS
@given(st.lists(st.text(max_size=6), max_size=5, unique=True), st.lists(st.integers(-1, 4), max_size=40))
def test_text_from_codes_matches_pandas_categorical(categories, codes):
    codes = [c if c < len(categories) else -1 for c in codes]
    arr = np.array(codes, dtype=np.int8)
    got = text_from_codes(arr, categories)
    got.validate(full=True)
    want = pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object)) if categories else None
    assert got.type == pa.large_string()
    assert got.to_pylist() == ([None] * len(codes) if want is None else [None if pd.isna(v) else v for v in want])
