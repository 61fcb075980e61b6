"""The one target type: seconds first, then the share, in every two-number constructor."""

import pytest

import waitlab
from waitlab import Target
from waitlab.exceptions import TargetError, WaitlabError


def test_one_type_everywhere():
    from waitlab.planning import Target as PlanningTarget

    assert PlanningTarget is Target is waitlab.targets.Target
    assert issubclass(TargetError, WaitlabError) and issubclass(TargetError, ValueError)


def test_seconds_then_share():
    sl = Target.service_level(20, 0.8)
    assert (sl.metric, sl.limit, sl.bound, sl.is_upper) == ("service_level", 20, 0.8, False)
    w = Target.wait_exceeds(1800, 0.05)
    assert (w.metric, w.limit, w.bound, w.is_upper) == ("share_wait_over", 1800, 0.05, True)
    d = Target.day_any_wait_exceeds(5400, 0.01)
    assert (d.metric, d.limit, d.bound, d.per) == ("day_any_wait_over", 5400, 0.01, "day")
    assert Target.abandon_rate(0.05).bound == 0.05 and Target.mean_wait(30).bound == 30
    occ = Target.max_occupancy(0.85)
    assert (occ.metric, occ.bound, occ.is_upper, occ.name) == ("occupancy", 0.85, True, "max_occupancy")
    assert Target.max_occupancy(1.0).describe() == "occupancy <= 100.00% in every interval"
    assert w.describe() == "share of waits over 30 min <= 5.00% in every interval"


def test_share_written_first_is_refused_with_the_fix():
    with pytest.raises(TargetError, match=r"did you mean Target.service_level\(20, 0.8\)"):
        Target.service_level(0.8, 20)
    with pytest.raises(TargetError, match=r"did you mean Target.wait_exceeds\(1800, 0.05\)"):
        Target.wait_exceeds(0.05, 1800)
    with pytest.raises(TargetError, match=r"`bound` must be a share in \(0, 1\], got 1.5; write 85 % as 0.85"):
        Target.max_occupancy(1.5)
    with pytest.raises(TargetError, match=r"`bound` must be a share in \(0, 1\], got 0"):
        Target.max_occupancy(0)
    with pytest.raises(TargetError, match=r"`limit` must be >= 0 seconds"):
        Target.wait_exceeds(-1, 0.05)


def test_simulation_planning_refuses_an_occupancy_target():
    import numpy as np

    from waitlab.planning import PlanningError, SimulatedDays, assess

    days = SimulatedDays(replication=np.zeros(1, int), arrival=np.zeros(1), wait=np.zeros(1),
                         abandoned=np.zeros(1, bool), replications=1)
    with pytest.raises(PlanningError, match="cannot be judged from simulated days"):
        assess(days, [Target.max_occupancy(0.85)], n_intervals=1, interval=900.0)
