"""Field values of a log as the contacts table wants them: stripped text, mapped codes, constants.

Text columns come as Arrow strings; each helper has a shortcut for the common case (nothing to
strip, a few distinct codes) and the plain pandas route otherwise. Few-valued text (mapped
outcomes, constants, all-missing columns) is held as a categorical, which
:func:`waitlab.readers._core.finalize` turns into text for the rows it keeps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from waitlab import _kernels
from waitlab.schema import categories_as_text

#: How SQL exports spell a missing value (compared case-insensitively): ``NULL``, ``\N``, ``None``.
SQL_NULLS = ("null", "\\n", "none")


def _text(s: pd.Series) -> pd.Series:
    if isinstance(s.array, pd.arrays.ArrowStringArray) and s.dtype == "str" and _clean(pa.chunked_array(pa.array(s.array))):
        return s  # nothing to strip, nothing blank: share the input's memory
    t = s.astype("str").str.strip()
    if isinstance(s.array, pd.arrays.ArrowStringArray) and s.dtype == "str":  # missing stays missing
        blank = (t == "").to_numpy(dtype=bool, na_value=False)
        if blank.any():
            return t.where(~blank)
        if _nbytes(t) == _nbytes(s):  # nothing was stripped: share the input's memory
            return s
        return t
    return t.where(s.notna() & (t != ""))


def _clean(arr: pa.ChunkedArray) -> bool:
    """True when no value is empty and every value begins and ends with printable ASCII other than space.

    Such values have nothing to strip (whatever the whitespace set), so :func:`_text` keeps them
    as they are. Looks at two bytes per value (:func:`waitlab._kernels.edges_clean`).
    """
    if arr.type not in (pa.large_string(), pa.string()):
        return False
    return _kernels.clean_text(arr.chunks)


def _nbytes(s: pd.Series) -> int:
    return int(pc.sum(pc.binary_length(pa.array(s.array))).as_py() or 0)


def _codes(s: pd.Series, table: dict[str, object], *, text: bool = False) -> tuple[pd.Series, np.ndarray]:
    """Map codes through `table` (keys upper-case) via the distinct values; returns (mapped, unknown mask).

    `mapped` is object dtype, or with ``text=True`` a categorical of the mapped names (missing
    where unmapped), which :func:`waitlab.readers._core.finalize` turns into text for the rows kept.
    """
    chunks = _kernels.utf8_chunks(s)
    few = _kernels.factorize_few(chunks) if chunks is not None else None
    if few is not None:  # a few codes: compared byte by byte, not hashed
        codes, distinct = few
        keys = pd.Series(distinct, dtype="str").str.upper()
    else:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)  # upper-case the distinct values only
        keys = pd.Series(uniques, dtype=s.dtype).str.upper()
    looked = np.array([table.get(str(u)) for u in keys] + [None], dtype=object)
    unmapped = np.array([v is None for v in looked[:-1]] + [False])  # per distinct value, not per row
    unknown = unmapped[codes]  # code -1 (missing) picks the trailing False
    if text:  # a categorical: the contacts table turns it into text once, for the rows it keeps
        names = [None if v is None else str(v) for v in looked[:-1]]
        categories = list(dict.fromkeys(v for v in names if v is not None))
        to_category = np.array([categories.index(v) if v is not None else -1 for v in names] + [-1], dtype=np.int16)
        values = pd.Categorical.from_codes(to_category[codes], dtype=pd.CategoricalDtype(categories))
        return pd.Series(values, index=s.index, copy=False), unknown
    return pd.Series(looked[codes], index=s.index, dtype=object, copy=False), unknown


def _constant_text(value: str | None, index: pd.Index) -> pd.Series:
    """One text (or missing) on every row, as a categorical (one byte per row, not a string each)."""
    codes = np.full(len(index), -1 if value is None else 0, dtype=np.int8)
    dtype = pd.CategoricalDtype([] if value is None else [value])
    return pd.Series(pd.Categorical.from_codes(codes, dtype=dtype), index=index, copy=False)


def _str(s: pd.Series) -> pd.Series:
    """Text as the str dtype, also when held as a categorical (see :func:`_constant_text`)."""
    return categories_as_text(s).astype("str") if isinstance(s.dtype, pd.CategoricalDtype) else s


def sql_nulls(s: pd.Series, among: np.ndarray) -> np.ndarray:
    """Which rows marked `among` hold a :data:`SQL_NULLS` spelling of a missing value (only those are looked at)."""
    out = np.zeros(len(s), dtype=bool)
    at = np.flatnonzero(among)
    if len(at):
        values = s.iloc[at].astype("str").str.strip().str.casefold()
        out[at] = values.isin(SQL_NULLS).to_numpy(dtype=bool, na_value=False)
    return out


def sql_null_note(count: int) -> list[str]:
    """The sentence saying that `count` SQL null spellings were read as missing (none when 0)."""
    if not count:
        return []
    return [f"{count:,} value(s) written NULL, \\N or None in time or number columns (as SQL exports write a "
            "missing value) were read as missing."]
