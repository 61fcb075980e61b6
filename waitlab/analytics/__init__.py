"""Interval analytics, patience and headcount estimates from a contacts table.

Public API
----------
interval_stats      KPIs per interval and group (volumes, waits, SL, abandonment, queue, desks)
summary_kpis        the same KPIs over the whole period, as a KpiSummary (a dict with .notes)
summary_by          summary_kpis of each group (site, day, ...) over its own period, as a table
idle_gaps           gaps between consecutive services of each desk, and a per-interval summary
pools               each desk's pool: the queues that make at least a share of its services
contact_pools       each contact's pool (the pool of its queue); ``interval_stats(by="pool")`` uses it
queue_pools         each queue's pool: the pool whose desks give it the most services
patience            patience from censored waits (KM, fits, guarded choice, simple estimate; by= per queue)
from_headcounts     mean wait by hour from manual headcounts with Little's law
kpis                the module where every KPI is defined, formula in its docstring
NotedFrame          the DataFrame the tables come back as: ``.notes`` holds what could not be computed
"""

from waitlab._notes import KpiSummary, NotedFrame
from waitlab.analytics import kpis
from waitlab.analytics._gaps import IdleGaps, idle_gaps
from waitlab.analytics._headcounts import HeadcountResult, from_headcounts
from waitlab.analytics._intervals import KPI_COLUMNS, interval_stats
from waitlab.analytics._patience import PatienceResult, PatienceTable, exponential_mle, patience
from waitlab.analytics._pools import contact_pools, pools, queue_pools
from waitlab.analytics._summary import summary_by, summary_kpis
from waitlab.analytics.kpis import (
    abandon_rate,
    abandon_rate_excl_short,
    asa,
    desks_busy,
    desks_on_duty,
    desks_present,
    mean_service,
    occupancy,
    prob_wait,
    sl_answered,
    sl_offered,
    wait_mean,
    wait_quantile,
    waiting_max,
    waiting_mean,
)

__all__ = [
    "KPI_COLUMNS",
    "HeadcountResult",
    "IdleGaps",
    "KpiSummary",
    "NotedFrame",
    "PatienceResult",
    "PatienceTable",
    "abandon_rate",
    "abandon_rate_excl_short",
    "mean_service",
    "asa",
    "contact_pools",
    "desks_busy",
    "desks_on_duty",
    "desks_present",
    "exponential_mle",
    "from_headcounts",
    "idle_gaps",
    "interval_stats",
    "kpis",
    "occupancy",
    "patience",
    "pools",
    "prob_wait",
    "queue_pools",
    "sl_answered",
    "sl_offered",
    "summary_by",
    "summary_kpis",
    "wait_mean",
    "wait_quantile",
    "waiting_max",
    "waiting_mean",
]
