"""Planning targets from a compliance rule set (the :class:`~waitlab.targets.Target` type lives in
:mod:`waitlab.targets` and is re-exported here)."""

from __future__ import annotations

from waitlab.planning._errors import PlanningError
from waitlab.targets import Measure, Target

__all__ = ["Target", "targets_from_rules"]


def targets_from_rules(rules: object = "CABA", *, max_share: float = 0.05, max_day_prob: float = 0.01) -> list[Target]:
    """Planning targets from a compliance rule set.

    For every limit of the rule set (standing, seated or total wait over ``limit``), the share of
    arrivals breaking it must be at most `max_share` in every interval; and for the longest
    limit, the probability that a day has any breach of it must be at most `max_day_prob`. For
    CABA (30 min standing, 90 min in all) with the defaults this is "share of waits over 30 min
    standing <= 5 % in every interval, share over 90 min <= 5 %, and P(any wait over 90 min)
    <= 1 % of days".

    Parameters
    ----------
    rules : str, Path or RuleSet
        A shipped rule-set name (``"CABA"``), a TOML path, or a loaded rule set
        (see :func:`waitlab.compliance.load_rules`).
    max_share : float
        Largest acceptable share of breaches among the customers arriving in any interval.
    max_day_prob : float
        Largest acceptable probability that a day has at least one breach of the longest limit.

    Returns
    -------
    list of Target
    """
    from waitlab.compliance import load_rules

    rs = load_rules(rules)  # type: ignore[arg-type]
    if not rs.limits:
        raise PlanningError(f"rule set {rs.name!r} has no wait limits to plan for (it only checks turn order).")
    out: list[Target] = []
    measure_of: dict[str, Measure] = {"standing": "standing", "seated": "seated", "total": "wait"}
    for lim in rs.limits:
        measure = measure_of.get(lim.kind)
        if measure is None:
            raise PlanningError(f"rule set {rs.name!r}: limit {lim.id!r} has kind {lim.kind!r}, which planning "
                                "cannot target (expected standing, seated or total).")
        t = Target.wait_exceeds(lim.seconds, max_share, measure=measure)
        out.append(Target(metric=t.metric, bound=t.bound, limit=t.limit, measure=t.measure, name=f"share_{lim.id}"))
    longest = max(rs.limits, key=lambda lim: lim.seconds)
    out.append(Target(metric="day_any_wait_over", bound=max_day_prob, limit=longest.seconds, per="day",
                      measure=measure_of[longest.kind], name=f"p_day_any_{longest.id}"))
    return out
