"""Excel and Parquet logs into the readers' table of text fields (delimited text: :mod:`._tables`)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa

from waitlab.exceptions import LogFormatError

if TYPE_CHECKING:
    from pathlib import Path

    from waitlab.readers._tables import RawTable

__all__ = ["read_parquet", "read_xlsx"]


def _cell_text(v: Any) -> str | None:
    """One Excel cell as text: dates ISO (date only at midnight), whole floats without '.0'."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == dt.time(0) else v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, dt.timedelta):
        return str(v.total_seconds())
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    text = str(v).strip()
    return text or None


def read_xlsx(path: Path, data: bytes, out: RawTable) -> None:
    try:
        sheet = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise LogFormatError(f"{path} cannot be opened as an Excel workbook ({exc}); re-save it as .xlsx or CSV.") from exc
    sheet = sheet.dropna(how="all")
    if sheet.empty:
        raise LogFormatError(f"{path}: the first worksheet is empty; put the log (header row, then rows) in it.")
    header_pos = sheet.index[0]
    header = [str(h).strip() if h is not None and h == h else "" for h in sheet.loc[header_pos]]
    body = sheet.drop(index=header_pos)
    keep = [i for i, h in enumerate(header) if h]
    dup = [h for h, c in Counter(header[i] for i in keep).items() if c > 1]
    if dup:
        raise LogFormatError(f"{path}: the header row repeats column name(s) {dup}; give every column a distinct name.")
    frame = body.iloc[:, keep].map(_cell_text)
    frame.columns = [header[i] for i in keep]
    out.frame = frame.astype("str").reset_index(drop=True) if len(frame) else frame.astype("str")
    out.lines = (body.index.to_numpy() + 1).astype(np.int64)
    blank_rows = int(body.index[-1] + 1 - header_pos - 1 - len(body)) if len(body) else 0
    if blank_rows:
        out.not_rows["blank row"] = blank_rows
    out.assumptions.append(
        f"Read the first worksheet of the Excel workbook; header in row {header_pos + 1}, "
        "line numbers are worksheet rows."
    )


def read_parquet(path: Path, data: bytes, out: RawTable) -> None:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowInvalid, OSError) as exc:
        raise LogFormatError(f"{path} cannot be read as Parquet ({exc}); re-export it.") from exc
    frame = table.to_pandas()
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            continue
        if pd.api.types.is_float_dtype(s.dtype) and bool((s.dropna() % 1 == 0).all()):
            s = s.astype("Int64")
        frame[col] = s.astype("str").where(s.notna())
    out.frame = frame
    out.lines = np.arange(1, len(frame) + 1, dtype=np.int64)
    out.assumptions.append("Parquet has no lines: quarantine 'line' is the 1-based record number.")
