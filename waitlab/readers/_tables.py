"""Load a log file into a table of text fields with the file line of every row.

Containers: delimited text (any of ``,`` ``;`` tab ``|``, sniffed), Excel ``.xlsx``
(openpyxl), Parquet, and any of these gzip-compressed (``.gz``). Text encoding is detected
(UTF-8 with or without BOM, else cp1252 / latin-1) and every inference is recorded as a
sentence in :attr:`RawTable.assumptions`.
"""

from __future__ import annotations

import codecs
import csv
import gzip
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from waitlab.exceptions import LogFormatError
from waitlab.readers._binary import read_parquet, read_xlsx
from waitlab.readers._lines import _count_lines, _CountingFile, _nonblank_line_numbers
from waitlab.readers._quirks import (
    binary_share,
    drop_trailing_unnamed,
    nul_rows,
    quarantine_nul_rows,
    record_lines,
    trailing_unnamed,
)

__all__ = ["RawTable", "load_table", "read_head_text"]

_SNIFF_BYTES = 1 << 20
_SEPARATORS = (",", ";", "\t", "|")
_SEP_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
_CP1252_UNDEFINED = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D])


@dataclass
class RawTable:
    """A table of text fields (Parquet keeps its typed columns) and the line of every row."""

    frame: pd.DataFrame
    lines: np.ndarray
    assumptions: list[str] = field(default_factory=list)
    not_rows: dict[str, int] = field(default_factory=dict)
    malformed: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"line": [], "reason": [], "raw": []}))
    sep: str | None = None
    container: str = "csv"


def _check_path(path: Path) -> None:
    if not path.exists():
        raise LogFormatError(f"{path}: no such file; check the path.")
    if path.is_dir():
        raise LogFormatError(f"{path} is a folder, not a log file; pass the file inside it.")


def _raw_bytes(path: Path) -> tuple[bytes, bool]:
    """Return the (decompressed) bytes and whether the file was gzip-compressed."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data), True
        except (OSError, EOFError) as exc:
            raise LogFormatError(f"{path}: the gzip data is corrupt ({exc}); re-export or re-compress it.") from exc
    return data, False


def _open(path: Path) -> tuple[bytes, bytes | None, bool]:
    """``(head, whole, gz)``: the first bytes of the (decompressed) content, all of it when the file
    is gzip-compressed (None for a plain file, which is read where it is used, never all at once:
    pyarrow streams it), and whether it was compressed.

    Plain files are read, not memory-mapped: a log truncated while mapped would kill the process.
    """
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError as exc:
        raise LogFormatError(f"{path} cannot be read ({exc.strerror or exc}); check its permissions.") from exc
    if head[:2] != b"\x1f\x8b":
        return head, None, False
    whole, _ = _raw_bytes(path)
    return whole[:_SNIFF_BYTES], whole, True


def _container(path: Path, data: bytes) -> str:
    if data[:4] == b"PAR1":
        return "parquet"
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise LogFormatError(f"{path} is an old binary .xls workbook; save it as .xlsx or CSV and read that.")
    return "csv"


def _detect_encoding(path: Path, data: bytes, given: str | None, notes: list[str], hint: str | None = None) -> str:
    """Encoding: `given` is obeyed; a BOM or non-ASCII valid UTF-8 beats the mapping's `hint`."""
    for name in (given, hint):
        if name:
            try:
                codecs.lookup(name)
            except LookupError as exc:
                raise LogFormatError(
                    f"encoding {name!r} (for {path}) is not a known encoding; try 'utf-8' or 'cp1252'."
                ) from exc
    if given:
        notes.append(f"Text encoding {given} (as given).")
        return given
    if data.startswith(codecs.BOM_UTF8):
        clash = f" (the mapping says {hint}, but the BOM decides)" if hint and "utf" not in hint.lower() else ""
        notes.append(f"Text encoding UTF-8 with a byte-order mark (BOM), detected{clash}.")
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        notes.append("Text encoding UTF-16 (byte-order mark), detected.")
        return "utf-16"
    head = data[:_SNIFF_BYTES]
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    if hint and not (utf8 and not head.isascii() and "utf" not in hint.lower()):
        notes.append(f"Text encoding {hint}, from the mapping.")
        return hint
    if not utf8:
        enc = "latin-1" if any(b in head for b in _CP1252_UNDEFINED) else "cp1252"
        notes.append(f"Text encoding {enc}, inferred (the file is not valid UTF-8).")
        return enc
    if hint:
        notes.append(f"Text encoding UTF-8, detected (the mapping says {hint}, but the text is valid UTF-8).")
    elif head.isascii():
        notes.append("Text encoding UTF-8 assumed (the start of the file is plain ASCII).")
    else:
        notes.append("Text encoding UTF-8, detected.")
    return "utf-8"


def _sniff_sep(path: Path, text_lines: list[str], given: str | None, notes: list[str]) -> str:
    if given:
        if len(given) != 1:
            raise LogFormatError(f"separator {given!r} (for {path}) must be one character such as ';' or ','.")
        notes.append(f"Field separator {_SEP_NAMES.get(given, repr(given))} (as given).")
        return given
    best: tuple[float, int, str] | None = None
    for sep in _SEPARATORS:
        counts = [len(r) for r in csv.reader(text_lines, delimiter=sep)]
        if not counts or counts[0] < 2:
            continue
        agree = sum(c == counts[0] for c in counts) / len(counts)
        score = (agree, counts[0], sep)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None:
        raise LogFormatError(
            f"{path} does not look like a table: its first line has no ',', ';', tab or '|' separated "
            "columns; export it as CSV with a header line, or pass the separator (sep=)."
        )
    notes.append(f"Field separator {_SEP_NAMES[best[2]]}, inferred from the header line.")
    return best[2]


def read_head_text(path: str | Path, encoding: str | None = None, max_lines: int = 30) -> tuple[str, list[str]]:
    """Return the container kind and the first non-blank text lines (for format detection)."""
    p = Path(path)
    _check_path(p)
    data, _, _ = _open(p)
    kind = _container(p, data)
    if kind != "csv":
        return kind, []
    enc = _detect_encoding(p, data, encoding, [])
    head = data[:65536].decode(enc, errors="replace").lstrip("\ufeff")
    return kind, [ln for ln in head.splitlines() if ln.strip()][:max_lines]


def _read_csv(
    path: Path, head_bytes: bytes, whole: bytes | None, encoding: str | None, sep: str | None, out: RawTable,
    hint: str | None,
) -> None:
    """Read a delimited text file: `whole` holds its content when it had to be decompressed, else
    None and pyarrow reads the file itself, block by block."""
    notes = out.assumptions
    nul_share, control = binary_share(head_bytes[:65536])
    if (nul_share > 0.3 or control > 0.05) and not head_bytes.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LogFormatError(
            f"{path} is not a text table ({nul_share + control:.0%} of its first bytes are binary); export the log as "
            "CSV (UTF-16 text needs its byte-order mark, or pass encoding='utf-16')."
        )
    enc = _detect_encoding(path, head_bytes, encoding, notes, hint)  # it looks at the start only
    head = head_bytes[:65536].decode(enc, errors="replace").lstrip("\ufeff")
    lines = [ln for ln in head.splitlines() if ln.strip()]
    if not lines:
        raise LogFormatError(f"{path} is empty; export the log again with its header line and rows.")
    out.sep = _sniff_sep(path, lines[:20], sep, notes)
    header = [h.strip() for h in next(csv.reader([lines[0]], delimiter=out.sep))]
    named = len(header) - trailing_unnamed(header)  # a separator ending every line adds an empty last column
    dup = [h for h, c in Counter(header[:named]).items() if c > 1]
    if dup or "" in header[:named]:
        what = (
            f"repeats column name(s) {dup}" if dup
            else f"has no name for column(s) {[i + 1 for i, h in enumerate(header[:named]) if not h]}"
        )
        raise LogFormatError(f"{path}: the header line {what}; give every column a distinct name.")
    if "\x00" in lines[0]:
        raise LogFormatError(f"{path}: the header line holds a NUL byte; remove it or export the log again.")
    if enc == "utf-16":
        whole, enc = (whole if whole is not None else path.read_bytes()).decode("utf-16").encode("utf-8"), "utf-8"
    data = whole

    files: list[_CountingFile] = []

    def source() -> pa.NativeFile | _CountingFile:  # the file itself: no compression guessed from its name
        if data is not None:
            return pa.BufferReader(data)
        files.append(_CountingFile(path))
        return files[-1]

    invalid: list[Any] = []

    def handler(row: Any) -> str:
        invalid.append(row)
        return "skip"

    def read(threads: bool, encoding_: str) -> pa.Table:
        return pacsv.read_csv(
            source(),
            read_options=pacsv.ReadOptions(encoding=encoding_, use_threads=threads, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=out.sep, invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.large_string() for h in header}, strings_can_be_null=True, null_values=[""]
            ),
        )

    arrow_enc = "utf8" if enc in ("utf-8", "utf-8-sig") else enc
    try:
        table, arrow_enc = _read_table(read, arrow_enc, path, encoding, notes, invalid, out.sep)
        if invalid:  # re-read on one thread: only then does pyarrow number the bad rows
            invalid.clear()
            table = read(False, arrow_enc)
    except OSError as exc:  # gone, unreadable or cut short while being read
        raise LogFormatError(f"{path} could not be read to its end ({exc}); check the file and read it again.") from exc
    finally:
        for f in files:
            f.close()
    # lines as the (last) read saw them: no blank line or value spanning lines when they match the records
    n_lines, lone_cr = _count_lines(files[-1].lines if files else data or b"")
    table = table.rename_columns([c.strip() for c in table.column_names])
    table = drop_trailing_unnamed(path, table, named, notes)
    has_nul = (files[-1].lines.nuls > 0) if files else b"\x00" in (data or b"")
    nul, nul_column = nul_rows(table) if has_nul else (None, [])
    out.frame = table.to_pandas()
    bad_numbers = np.array([r.number for r in invalid], dtype=np.int64)
    n_records = len(out.frame) + len(invalid) + 1
    # every line a record: no blank line, no value spanning lines (each would add a line)
    physical = np.arange(1, n_records + 1)
    if n_lines != n_records or lone_cr:
        whole_data = data if data is not None else path.read_bytes()
        nonblank = _nonblank_line_numbers(whole_data)
        if nonblank is not None and len(nonblank) == n_records:
            physical = nonblank
            out.not_rows["blank line"] = int(physical[-1] - len(physical))
        elif n_lines != n_records:  # quoted values spanning lines: find where each record starts
            physical = record_lines(whole_data, arrow_enc, out.sep, n_records, out.not_rows, notes)
    if invalid:
        record_no = np.arange(2, n_records + 1)
        out.lines = physical[record_no[~np.isin(record_no, bad_numbers)] - 1]
    else:  # every record after the header is a row
        out.lines = physical[1:]
    if invalid:
        out.malformed = pd.DataFrame(
            {
                "line": physical[bad_numbers - 1],
                "reason": [
                    f"malformed line ({r.actual_columns} fields, header has {r.expected_columns})" for r in invalid
                ],
                "raw": [r.text for r in invalid],
            }
        )
    if nul is not None and nul.any():
        out.frame, out.lines, out.malformed = quarantine_nul_rows(out.frame, out.lines, out.malformed, nul, nul_column, out.sep)
    out.not_rows = {k: v for k, v in out.not_rows.items() if v}


def _read_table(
    read: Callable[[bool, str], pa.Table], arrow_enc: str, path: Path, encoding: str | None, notes: list[str],
    invalid: list[Any], sep: str,
) -> tuple[pa.Table, str]:
    """Read with `arrow_enc`; a file that is not UTF-8 past its start is read again as cp1252 (and said so).

    Returns the table and the encoding that read it.
    """
    try:
        return read(True, arrow_enc), arrow_enc
    except pa.ArrowInvalid as exc:
        if "invalid UTF8" in str(exc) and encoding is None:
            notes[:] = [n for n in notes if not n.startswith("Text encoding")]
            notes.append("Text encoding cp1252, inferred (the file is not valid UTF-8 past its start).")
            invalid.clear()
            return read(True, "cp1252"), "cp1252"
        raise LogFormatError(f"{path} cannot be read as a {_SEP_NAMES[sep]}-separated table: {exc}") from exc


def load_table(
    path: str | Path, *, encoding: str | None = None, sep: str | None = None, encoding_hint: str | None = None
) -> RawTable:
    """Read `path` into a :class:`RawTable`.

    Raises
    ------
    LogFormatError
        When the file is missing, empty, binary, or not a table.
    """
    p = Path(path)
    _check_path(p)
    head, whole, gz = _open(p)
    if not head or (head.isspace() and (whole if whole is not None else p.read_bytes()).isspace()):
        raise LogFormatError(f"{p} is empty; export the log again with its header line and rows.")
    out = RawTable(frame=pd.DataFrame(), lines=np.array([], dtype=np.int64))
    if gz:
        out.assumptions.append("The file is gzip-compressed; read it decompressed.")
    out.container = _container(p, head[:8])
    if out.container == "parquet":
        read_parquet(p, whole if whole is not None else p.read_bytes(), out)
    elif out.container == "xlsx":
        read_xlsx(p, whole if whole is not None else p.read_bytes(), out)
    else:
        _read_csv(p, head, whole, encoding, sep, out, encoding_hint)
    return out
