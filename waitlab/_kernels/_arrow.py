"""Arrow string chunks as numpy views, and the validity test every kernel uses."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numba import njit

__all__ = ["string_buffers", "utf8_chunks"]


def utf8_chunks(values: object) -> list[pa.Array] | None:
    """The Arrow string chunks behind a pandas Series/array of Arrow strings, else None."""
    import pandas as pd

    arr = getattr(values, "array", values)
    if not isinstance(arr, pd.arrays.ArrowStringArray):
        return None
    chunked = pa.chunked_array(pa.array(arr))  # zero copy: the array's own chunks
    if chunked.type not in (pa.string(), pa.large_string()):
        return None
    return list(chunked.chunks)


def string_buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(validity bytes, offsets, data bytes, bit offset) of a string `chunk`, as numpy views.

    The validity is empty when no value is missing; the offsets are the ``len(chunk) + 1``
    offsets of this chunk's values (int32 or int64), indexing `data`.
    """
    valid_buf, off_buf, data_buf = chunk.buffers()
    width = np.int64 if chunk.type == pa.large_string() else np.int32
    offsets = np.frombuffer(off_buf, dtype=width)[chunk.offset : chunk.offset + len(chunk) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, dtype=np.uint8)
    if valid_buf is not None and chunk.null_count:
        valid = np.frombuffer(valid_buf, dtype=np.uint8)
    else:
        valid = np.zeros(0, dtype=np.uint8)
    return valid, offsets, data, chunk.offset


@njit(cache=True, nogil=True, inline="always")
def _is_valid(valid: np.ndarray, bit0: int, i: int) -> bool:
    if len(valid) == 0:
        return True
    j = bit0 + i
    return ((valid[j >> 3] >> (j & 7)) & 1) == 1
