"""A network of sites: many logs at once, one store, per-site-day analytics and a ranking.

Loaded on first use (``waitlab.network``); ``import waitlab`` does not import it, nor dask.
"""

from waitlab.network._analysis_api import NetworkResult, network_analysis, site_days

__all__ = ["NetworkResult", "network_analysis", "site_days"]
