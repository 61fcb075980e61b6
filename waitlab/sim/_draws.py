"""All the randomness of a simulated day, drawn up front into arrays.

The engines draw nothing: they turn a :class:`Draws` into outcomes deterministically, so a
seed reproduces a day bit for bit and two engines can be compared on the same draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from waitlab.exceptions import ScenarioError, SimulationError
from waitlab.sim._scenario import Scenario

__all__ = ["Draws", "draw"]


@dataclass(frozen=True, slots=True, eq=False)
class Draws:
    """Per-customer inputs of one day, sorted by arrival time.

    Attributes
    ----------
    arrival : ndarray of float64
        Arrival time, seconds after the day start, non-decreasing; ties keep queue order.
    queue : ndarray of int64
        Index of the customer's queue in ``scenario.queues``.
    service : ndarray of float64
        Service time the customer would need, seconds (>= 0).
    patience : ndarray of float64
        How long the customer is willing to wait, seconds; ``inf`` when they never leave.
    priority : ndarray of int64
        Priority class, 0 (regular) or 1 (priority ticket).
    absent : ndarray of bool
        Kiosk no-show whatever the wait (drawn with the queue's `no_show` probability).
    visible : ndarray of bool, optional
        Kiosk customer who, once their patience runs out, leaves visibly (``abandoned`` at
        ``arrival + patience``) instead of staying unseen until called (``no_show``); drawn
        with the queue's `visible_abandon` share. Default (not given) all False. Ignored on the phone
        (every impatient caller leaves visibly) and for an `absent` customer (a no-show
        when called whatever the wait).
    """

    arrival: np.ndarray
    queue: np.ndarray
    service: np.ndarray
    patience: np.ndarray
    priority: np.ndarray
    absent: np.ndarray
    visible: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.bool_))

    def __post_init__(self) -> None:
        n = len(self.arrival)
        if n and not len(self.visible):  # not given: nobody leaves visibly
            object.__setattr__(self, "visible", np.zeros(n, dtype=np.bool_))
        for name in ("queue", "service", "patience", "priority", "absent", "visible"):
            if len(getattr(self, name)) != n:
                raise SimulationError(f"`{name}` has {len(getattr(self, name))} values but `arrival` has {n}.")
        casts = {"arrival": np.float64, "queue": np.int64, "service": np.float64, "patience": np.float64,
                 "priority": np.int64, "absent": np.bool_, "visible": np.bool_}
        for name, dtype in casts.items():
            object.__setattr__(self, name, np.ascontiguousarray(getattr(self, name), dtype=dtype))
        if n and (not np.all(np.isfinite(self.arrival)) or np.any(np.diff(self.arrival) < 0)):
            raise SimulationError("`arrival` must be finite and sorted (non-decreasing).")
        if np.any(~(self.service >= 0)) or np.isinf(self.service).any():
            raise SimulationError("`service` must hold finite durations >= 0 seconds.")
        if np.any(~(self.patience >= 0)):
            raise SimulationError("`patience` must hold durations >= 0 seconds (inf for none).")

    def __len__(self) -> int:
        return len(self.arrival)

    def leaves(self, phone: bool) -> np.ndarray:
        """Per customer, True when running out of patience means leaving visibly (``abandoned``).

        Every phone caller; a kiosk customer flagged `visible` and not `absent`.
        """
        if phone:
            return np.ones(len(self), dtype=np.bool_)
        return self.visible & ~self.absent

    def check(self, scenario: Scenario) -> None:
        """Raise ScenarioError unless these draws fit `scenario` (queue indices, horizon)."""
        if len(self) and (self.queue.min() < 0 or self.queue.max() >= len(scenario.queues)):
            raise ScenarioError(f"{scenario.source}: draws refer to queue indices outside 0..{len(scenario.queues) - 1}; "
                                "draw them from this scenario.")
        if len(self) and (self.arrival[0] < 0 or self.arrival[-1] >= scenario.horizon):
            raise ScenarioError(f"{scenario.source}: draws have arrivals outside [0, {scenario.horizon:g}) s; "
                                "draw them from this scenario.")


def draw(scenario: Scenario, rng: np.random.Generator | int | None = None) -> Draws:
    """Draw one day of `scenario`.

    Parameters
    ----------
    scenario : Scenario
    rng : numpy.random.Generator, int or None
        Anything :func:`numpy.random.default_rng` accepts.

    Returns
    -------
    Draws

    Notes
    -----
    Arrivals of a queue with ``rates_per_hour`` form a non-homogeneous Poisson process with a
    rate constant within each interval; it is drawn exactly as a Poisson count per interval
    with uniform times inside it (the order statistics property), which is equivalent to
    thinning and needs no rejection. Queues are drawn one after the other in file order and,
    within a queue, always in the same order (arrivals, service, patience, priority, absence)
    whatever the parameters, so changing a desk schedule keeps the same customers (common
    random numbers across what-if scenarios). The `visible` flags are drawn last, after every
    queue, and only for the queues with ``visible_abandon > 0`` (in file order): a scenario
    without visible abandonment draws exactly what it drew before the option existed, and
    setting the option keeps the same customers.
    """
    rng = np.random.default_rng(rng)
    length = float(scenario.interval)
    parts = []
    for qi, q in enumerate(scenario.queues):
        if q.arrival_times is not None:
            t = np.asarray(q.arrival_times, dtype=np.float64)
        else:
            lam = np.asarray(q.rates_per_hour, dtype=np.float64) * (length / 3600.0)
            counts = rng.poisson(lam)
            t = np.repeat(scenario.boundaries, counts) + rng.random(int(counts.sum())) * length
            t = np.minimum(np.sort(t), np.nextafter(scenario.horizon, 0.0))
        n = t.size
        service = q.service.sample(rng, n)
        if q.service_scale:  # after the sample, so the random stream is the same with or without it
            at = np.clip((t // length).astype(np.int64), 0, len(q.service_scale) - 1)
            service = service * np.asarray(q.service_scale, dtype=np.float64)[at]
        patience = q.patience.sample(rng, n) if q.patience is not None else np.full(n, np.inf)
        priority = (rng.random(n) < q.priority_share).astype(np.int64)
        absent = rng.random(n) < q.no_show
        parts.append((t, np.full(n, qi, dtype=np.int64), service, patience, priority, absent))
    visible = [rng.random(p[0].size) < q.visible_abandon if q.visible_abandon > 0 else np.zeros(p[0].size, bool)
               for q, p in zip(scenario.queues, parts, strict=True)]
    cols = [np.concatenate([p[j] for p in parts]) for j in range(6)] + [np.concatenate(visible)]
    order = np.argsort(cols[0], kind="stable")
    return Draws(*(c[order] for c in cols))
