"""The network-analysis names of :mod:`waitlab.network` (merged into its ``__init__``).

site_days          one row per site and day: volume, waits, SL, abandonment, breaches per rule,
                   turn order, desks on duty against desks needed (desk-hours)
network_analysis   site-days, per-site totals, ranking and peers, from a table or a store
                   (in process or on dask.distributed, one task per site-month partition)
NetworkResult      its result: .site_days, .sites, .ranking, .peers, .notes, .site(name)
"""

from waitlab.network._dask import network_analysis
from waitlab.network._result import NetworkResult
from waitlab.network._site_days import site_days

__all__ = ["NetworkResult", "network_analysis", "site_days"]
