"""Cached wrappers of the planning side of waitlab's public API: forecast, backtest, network.

Kept apart from :mod:`_data` (the session's dataset and the analytics wrappers); the same
``st.cache_data`` rules hold: the first argument is a cache key, arguments named ``_x`` are
not hashed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

# ---------------------------------------------------------------- forecast

@st.cache_data(show_spinner=False, max_entries=16)
def forecast(key: str, _contacts: pd.DataFrame, interval: str, horizon: str, country: str | None) -> Any:
    """:func:`waitlab.forecast` of the total arrivals (``by=None``): a :class:`waitlab.ForecastResult`."""
    from waitlab import forecast as fc

    return fc(_contacts, horizon=horizon, interval=interval, by=None, country=country)


@st.cache_data(show_spinner=False, max_entries=16)
def forecast_staffing(key: str, _fc: Any, targets: tuple[Any, ...], quantile: int | None) -> Any:
    """:func:`waitlab.staffing_from_forecast` (Erlang C): a :class:`waitlab.StaffingResult`.

    `key` identifies the forecast (the dataset key with the forecast options).
    """
    from waitlab import staffing_from_forecast

    return staffing_from_forecast(_fc, targets=targets, quantile=quantile)


# ---------------------------------------------------------------- validation (backtest)

@st.cache_data(show_spinner=False, max_entries=8)
def backtest(key: str, _contacts: pd.DataFrame, train: tuple[str, str], test: tuple[str, str], by: str | None,
             sl_thresholds: tuple[float, ...], models: tuple[str, ...]) -> Any:
    """:func:`waitlab.backtest` (hourly; the simulator, when chosen, 20 replications with a fixed seed)."""
    from waitlab import backtest as run
    from waitlab.sim import as_is_simulator

    simulate = as_is_simulator(20, rng=0) if "simulation" in models else None
    return run(_contacts, train=train, test=test, interval="1h", by=by, sl_thresholds=sl_thresholds,
               models=models, simulate=simulate)
# ---------------------------------------------------------------- network

@st.cache_data(show_spinner=False, max_entries=8)
def network(key: str, _source: Any, rules: str | None, seats: int | None) -> Any:
    """:func:`waitlab.network.network_analysis` of a contacts table or a store folder (``key`` names it)."""
    from waitlab.network import network_analysis

    return network_analysis(_source, rules=rules, seats=seats)


@st.cache_data(show_spinner=False, max_entries=16)
def network_site(key: str, _result: Any, site: str) -> Any:
    """One site's interval table of a cached network result (:meth:`NetworkResult.site`)."""
    return _result.site(site)
