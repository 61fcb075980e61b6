"""What an engine returns: per-customer outcome arrays, shared by both engines.

Both engines follow the same rules, stated here once:

* Time is in seconds after the day start. Desk ``d`` is on duty in interval ``k`` (the
  scenario's ``on_duty`` table); after the last interval the last interval's desks stay on
  until everybody waiting has been dealt with. The interval of time ``t`` is the last one whose
  start is ``<= t``.
* A desk becomes free when it finishes a customer (or the call-and-wait of a no-show). A free
  desk calls only while on duty; a desk whose interval ends while it is busy finishes the
  customer and then does not call again until it is back on duty.
* At any moment ``t``, after every completion, opening and arrival at ``t`` has happened, the
  free on-duty desks call in increasing desk id; each calls, among the queues it serves, the
  highest priority class and then the longest-waiting customer (lowest arrival index).
* A customer who *leaves visibly* (every phone caller; a kiosk customer drawn ``visible`` and
  not ``absent``: :meth:`~waitlab.sim.Draws.leaves`) whose patience ran out strictly before
  ``t`` (``arrival + patience < t``) has abandoned at ``arrival + patience``; one whose
  patience ends exactly at ``t`` is still there. Any other kiosk customer in the same
  situation (or drawn ``absent``) is a ``no_show`` when called: the desk loses
  ``no_show_seconds``.
* A customer never called (no desk ever on duty for them again) is ``abandoned`` at
  ``arrival + patience`` when they leave visibly and the patience is finite, ``other`` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

__all__ = ["ABANDONED", "CODES", "NO_SHOW", "OTHER", "SERVED", "DayArrays"]

SERVED: Final = 0
ABANDONED: Final = 1
NO_SHOW: Final = 2
OTHER: Final = 3
#: Outcome code -> schema outcome name.
CODES: Final = ("served", "abandoned", "no_show", "other")


@dataclass(frozen=True, slots=True, eq=False)
class DayArrays:
    """Outcome of every customer of a day, aligned with the :class:`~waitlab.sim.Draws`.

    Attributes
    ----------
    called, started, ended : ndarray of float64
        Seconds after the day start; NaN when it did not happen.
    outcome : ndarray of int8
        Codes of :data:`CODES` (0 served, 1 abandoned, 2 no_show, 3 other).
    server : ndarray of int64
        Desk id that called the customer, -1 if none.
    """

    called: np.ndarray
    started: np.ndarray
    ended: np.ndarray
    outcome: np.ndarray
    server: np.ndarray

    @classmethod
    def empty(cls, n: int) -> DayArrays:
        """Arrays for `n` customers, all NaN / other / -1."""
        nan = np.full(n, np.nan)
        return cls(nan.copy(), nan.copy(), nan.copy(), np.full(n, OTHER, dtype=np.int8),
                   np.full(n, -1, dtype=np.int64))

    def equals(self, other: DayArrays) -> bool:
        """Exact equality of every array (NaN equal to NaN)."""
        return (
            all(np.array_equal(getattr(self, f), getattr(other, f), equal_nan=True)
                for f in ("called", "started", "ended"))
            and np.array_equal(self.outcome, other.outcome)
            and np.array_equal(self.server, other.server)
        )
