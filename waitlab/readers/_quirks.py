"""The hard cases of delimited text: binary bytes, NUL bytes, trailing separators, values spanning lines.

* A file is refused as binary only when its first bytes are mostly so (:func:`binary_share`); a
  text log with a stray NUL byte is read, and each row holding one is quarantined with its line
  (:func:`nul_rows`, :func:`quarantine_nul_rows`): a NUL in a text log marks a damaged line.
* Lines that all end with the separator (``a;b;``) give the header an empty, unnamed last column:
  it is dropped when it holds nothing, and said so (:func:`drop_trailing_unnamed`).
* Quoted values may span lines: quarantine line numbers are then the physical line where each
  record starts, as an editor shows them (:func:`record_lines`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from waitlab.exceptions import LogFormatError

__all__ = [
    "binary_share",
    "drop_trailing_unnamed",
    "nul_rows",
    "quarantine_nul_rows",
    "record_lines",
    "record_start_lines",
    "trailing_unnamed",
]


#: Control bytes that plain text does not hold (NUL aside: a stray NUL is judged by :func:`nul_rows`).
_CONTROL = np.array([b not in (0, 9, 10, 11, 12, 13, 26, 27) and b < 32 for b in range(256)])


def binary_share(sample: bytes) -> tuple[float, float]:
    """Shares of `sample` that are NUL bytes and other control bytes (text holds neither)."""
    if not sample:
        return 0.0, 0.0
    counts = np.bincount(np.frombuffer(sample, dtype=np.uint8), minlength=256)
    return float(counts[0] / len(sample)), float(counts[_CONTROL].sum() / len(sample))


def nul_rows(table: pa.Table) -> tuple[np.ndarray, list[str | None]]:
    """Rows of `table` with a NUL byte in a field, and for each the first column holding one."""
    where: list[str | None] = [None] * table.num_rows
    hit = np.zeros(table.num_rows, dtype=bool)
    for name, column in zip(table.column_names, table.columns, strict=True):
        if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
            continue
        found = pc.fill_null(pc.match_substring(column, "\x00"), False).to_numpy(zero_copy_only=False)
        for i in np.flatnonzero(found & ~hit):
            where[i] = name
        hit |= found
    return hit, where


def record_start_lines(data: bytes, encoding: str, sep: str) -> tuple[np.ndarray, int, bool]:
    """The physical line (1-based, as an editor numbers them) where each record of delimited
    `data` starts, header included; the number of blank lines between records; and whether a
    record spans lines.

    A quoted value may span lines; a blank line outside quotes is no record (as pyarrow reads).
    ``\n``, ``\r\n`` and a lone ``\r`` each end a line.
    """
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=sep)
    starts: list[int] = []
    blank, before, spanned = 0, 0, False
    for row in reader:
        if row:
            starts.append(before + 1)
            spanned |= reader.line_num > before + 1
        else:
            blank += 1
        before = reader.line_num
    return np.asarray(starts, dtype=np.int64), blank, spanned


def trailing_unnamed(header: list[str]) -> int:
    """How many columns at the end of `header` have no name (``a;b;`` has one)."""
    n = 0
    while n < len(header) - 1 and not header[len(header) - 1 - n]:
        n += 1
    return n


def drop_trailing_unnamed(path: Path, table: pa.Table, named: int, notes: list[str]) -> pa.Table:
    """`table` without its unnamed last columns, which must be empty on every line (said in `notes`)."""
    if table.num_columns <= named:
        return table
    for i in range(named, table.num_columns):
        values = pc.utf8_trim_whitespace(table.column(i))
        filled = pc.sum(pc.fill_null(pc.not_equal(values, ""), False)).as_py() or 0
        if filled:
            raise LogFormatError(
                f"{path}: column {i + 1} has no name in the header line but holds values on {filled} line(s); "
                "give it a name in the header line."
            )
    what = "column was" if table.num_columns - named == 1 else "columns were"
    notes.append(f"Every line ends with the separator: the empty, unnamed last {what} dropped.")
    return table.select(list(range(named)))


def record_lines(
    data: bytes, arrow_enc: str, sep: str, n_records: int, not_rows: dict[str, int], notes: list[str]
) -> np.ndarray:
    """The physical line where each record starts, when the lines are not the records (quoted values
    spanning lines, said in `notes`; lone ``\r`` line ends)."""
    try:
        starts, blank, spanned = record_start_lines(data, "utf-8-sig" if arrow_enc == "utf8" else arrow_enc, sep)
    except csv.Error:  # a value beyond the csv module's limits: fall back to record numbers
        starts, blank, spanned = np.zeros(0, dtype=np.int64), 0, True
    if len(starts) != n_records:
        notes.append(
            "Some quoted values span several lines, so quarantine line numbers count records, not lines."
        )
        return np.arange(1, n_records + 1)
    if spanned:
        notes.append(
            "Some quoted values span several lines; quarantine line numbers are the line where each row starts."
        )
    not_rows["blank line"] = blank
    return starts


def quarantine_nul_rows(
    frame: pd.DataFrame,
    lines: np.ndarray,
    malformed: pd.DataFrame,
    nul: np.ndarray,
    column: list[str | None],
    sep: str | None,
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """`frame` and `lines` without the rows with a NUL byte in a field, and `malformed` with them."""
    at = np.flatnonzero(nul)
    fields = frame.iloc[at].astype(object).where(frame.iloc[at].notna(), "")
    raw = [
        (sep or ",").join(str(v).replace("\x00", "\\x00") for v in row)
        for row in fields.itertuples(index=False)
    ]
    bad = pd.DataFrame(
        {
            "line": lines[at],
            "reason": [f"NUL byte in a field ({column[i]}): the line is damaged" for i in at],
            "raw": raw,
        }
    )
    malformed = pd.concat([malformed, bad], ignore_index=True) if len(malformed) else bad
    return frame.loc[~nul].reset_index(drop=True), lines[~nul], malformed
