"""Results that carry notes: the one way waitlab returns its assumptions and data findings.

Every result hands back what it assumed and what it left out as ``.notes``, a tuple of plain
sentences. Result dataclasses have a ``notes`` field; the two kinds of result that are a
table or a mapping keep that shape and add the attribute:

* :class:`NotedFrame` -- a :class:`pandas.DataFrame` with ``.notes`` (pandas' documented
  subclassing: ``_metadata`` and ``_constructor``). Selecting rows or columns, copying,
  ``assign`` and ``groupby`` keep the notes; ``pd.concat`` and ``merge`` give a table with no
  notes (they may mix tables whose notes differ). A column is a plain Series.
* :class:`KpiSummary` -- a ``dict`` of KPI values with ``.notes``.

Data problems that still allow an answer are notes, not warnings, so a caller reads them
where the numbers are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["KpiSummary", "NotedFrame"]


class NotedFrame(pd.DataFrame):
    """A DataFrame with ``notes``: a tuple of plain sentences about how it was computed.

    Examples
    --------
    >>> t = NotedFrame({"arrivals": [3, 0]}, notes=["column `server` is missing"])
    >>> t.notes, int(t["arrivals"].sum()), t[t["arrivals"] > 0].notes
    (('column `server` is missing',), 3, ('column `server` is missing',))
    """

    _metadata = ["notes"]
    notes: tuple[str, ...] = ()

    def __init__(self, data: Any = None, *args: Any, notes: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(data, *args, **kwargs)
        if notes:
            self.notes = tuple(str(n) for n in notes)

    @property
    def _constructor(self) -> Any:
        return NotedFrame


class KpiSummary(dict[str, Any]):
    """KPI values by name (``res["mean_service"]``) with ``notes``: a tuple of plain sentences.

    Examples
    --------
    >>> s = KpiSummary({"arrivals": 3}, notes=["column `server` is missing"])
    >>> s["arrivals"], s.notes, "notes" in s
    (3, ('column `server` is missing',), False)
    """

    notes: tuple[str, ...]

    def __init__(self, values: Any = (), /, *, notes: Iterable[str] = ()) -> None:
        super().__init__(values)
        self.notes = tuple(str(n) for n in notes)

    def __repr__(self) -> str:
        return f"KpiSummary({dict.__repr__(self)}, notes={self.notes!r})"
