"""Lines of a delimited log: counted as pyarrow reads the file, and the blank ones found.

Quarantined rows are reported by file line. When every line is a record (no blank line, no
quoted value spanning lines) the record number is the line number; counting the lines while the
file is read proves it, and only otherwise are the blank lines looked for, or, when quoted values
span lines, the line where each record starts (:func:`waitlab.readers._quirks.record_start_lines`).
NUL bytes are counted on the same pass (:mod:`waitlab.readers._quirks` quarantines the rows holding one).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import numpy as np

from waitlab import _kernels

_BLANK_LINE = re.compile(rb"\n\r?\n")


def _nonblank_line_numbers(data: bytes) -> np.ndarray | None:
    """1-based line numbers of non-blank lines, or None when the file has no blank line."""
    if _BLANK_LINE.search(data) is None and not data[:2].startswith((b"\n", b"\r\n")):  # one pass
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    nl = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(buf)]))
    length = ends - starts
    has_cr = (length > 0) & (buf[np.maximum(ends - 1, 0)] == 13)
    blank = (length - has_cr) == 0
    return np.flatnonzero(~blank) + 1


class _LineCounter:
    """Lines (``\\n``-separated) of bytes seen block by block, and whether a ``\\r`` stands alone.

    A ``\\r\\n`` may straddle two blocks. The counts run without the GIL.
    """

    def __init__(self) -> None:
        self.newlines, self.lone, self.last = 0, False, -1
        self.nuls = 0

    def add(self, block: np.ndarray) -> None:
        if not len(block):
            return
        self.newlines += _kernels.count_byte(block, 10)
        self.nuls += _kernels.count_byte(block, 0)
        if self.last == 13 and block[0] != 10:
            self.lone = True
        if not self.lone and _kernels.count_byte(block, 13):
            self.lone = _kernels.lone_cr(block)
        self.last = int(block[-1])

    def result(self) -> tuple[int, bool]:
        return self.newlines + (self.last != 10), self.lone or self.last == 13


class _CountingFile(io.RawIOBase):
    """A plain read of the file for pyarrow that counts the lines of what it hands over, so that
    the file is read once (not memory-mapped: a log truncated while mapped would kill the process)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._file = path.open("rb", buffering=0)
        self.lines = _LineCounter()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._file.readinto(buffer) or 0
        if n:
            self.lines.add(np.frombuffer(buffer, dtype=np.uint8, count=n))
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


def _count_lines(data: bytes | _LineCounter, step: int = 1 << 24) -> tuple[int, bool]:
    """Number of lines (``\\n``-separated) and whether a ``\\r`` stands alone: of `data`, counted
    in blocks of `step` bytes, or what a :class:`_LineCounter` has seen."""
    if isinstance(data, _LineCounter):
        return data.result()
    counter = _LineCounter()
    buf = np.frombuffer(data, dtype=np.uint8)
    for i in range(0, len(buf), step):
        counter.add(buf[i : i + step])
    return counter.result()

