"""Queueing models (Erlang B, C and A) and staffing; times in seconds throughout.

Public names::

    erlang_b, erlang_c          blocking / waiting probability for (arrays of) desks and loads
    ErlangC, ErlangA            M/M/n and M/M/n+M queues as frozen, vectorised values
    QueueModel                  the typing.Protocol both models implement
    required_desks, Staffing  fewest desks meeting every target (vectorised)
    square_root_staffing        Halfin-Whitt rule ceil(a + beta sqrt(a))
    staffing_plan               per-interval plan DataFrame
    ModelInputError             raised on invalid arguments (a ValueError)

Targets are :class:`waitlab.Target` objects (``waitlab.targets``), e.g.
``required_desks(rate, mean_service, targets=Target.service_level(20, 0.8))``.

Numbers in, numbers out: nothing here reads logs or imports the simulator.
"""

from waitlab.models._erlang import ErlangC, erlang_b, erlang_c
from waitlab.models._erlang_a import ErlangA
from waitlab.models._plan import staffing_plan
from waitlab.models._protocol import QueueModel
from waitlab.models._staffing import Staffing, required_desks, square_root_staffing
from waitlab.models._validate import ModelInputError

__all__ = [
    "ErlangA",
    "ErlangC",
    "ModelInputError",
    "QueueModel",
    "Staffing",
    "erlang_b",
    "erlang_c",
    "required_desks",
    "square_root_staffing",
    "staffing_plan",
]
