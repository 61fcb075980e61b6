"""The interface shared by the queueing models; staffing depends only on it."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["QueueModel"]

FloatOut = NDArray[np.float64] | np.float64


@runtime_checkable
class QueueModel(Protocol):
    """A stationary many-server queue evaluated for (arrays of) desks, times in seconds.

    `ErlangC` and `ErlangA` implement it; `desks` may be fractional (a time-average of desks
    on duty) through Jagerman's continuous extension (see `waitlab.models.erlang_b`).  Every
    metric broadcasts over the model's parameter arrays (and over `t` for the time-dependent
    ones), like a frozen ``scipy.stats`` distribution.  All metrics are monotone in `desks`:
    adding a server never raises `prob_wait`, `mean_wait`, `mean_wait_answered`,
    `prob_abandon`, `prob_wait_exceeds(t)` or `occupancy`, and never lowers `service_level(t)`.
    """

    @property
    def load(self) -> FloatOut:
        """Offered load ``arrival_rate * mean_service`` in erlangs."""
        ...

    @property
    def prob_wait(self) -> FloatOut:
        """Probability that an arriving customer has to wait (all desks busy)."""
        ...

    @property
    def prob_abandon(self) -> FloatOut:
        """Probability that an arriving customer abandons before service (0 without abandonment)."""
        ...

    @property
    def mean_wait(self) -> FloatOut:
        """Mean time in queue over all arrivals, seconds (``inf`` if the queue is unstable)."""
        ...

    @property
    def mean_wait_answered(self) -> FloatOut:
        """Mean time in queue of answered customers (ASA as call centers report it), seconds."""
        ...

    @property
    def occupancy(self) -> FloatOut:
        """Long-run share of server time spent serving, in [0, 1]."""
        ...

    @property
    def mean_queue_length(self) -> FloatOut:
        """Mean number of customers waiting (not in service)."""
        ...

    def service_level(self, t: ArrayLike) -> FloatOut:
        """Share of all arrivals answered within `t` seconds."""
        ...

    def prob_wait_exceeds(self, t: ArrayLike) -> FloatOut:
        """Probability that an arrival is still waiting after `t` seconds (neither served nor gone)."""
        ...

    def with_desks(self, desks: ArrayLike) -> QueueModel:
        """The same model with a different number of desks (broadcast against the parameters)."""
        ...
