"""Forecasts of arrivals and handling time per interval, their backtest, and the staffing they imply.

Sits after the analytics and the staffing bridge and before planning in the data flow.
statsmodels and holidays (the ``forecast`` extra) are imported on first use, so
``import waitlab`` stays light.

forecast                 next days' arrivals (with prediction bounds) and handling time per interval
forecast_backtest        rolling-origin backtest: WAPE and MAE by horizon day, against seasonal-naive
staffing_from_forecast   required desks per interval of a forecast (optionally at an upper bound)
"""

from waitlab.forecasting._backtest import BacktestResult, forecast_backtest
from waitlab.forecasting._forecast import ForecastResult, forecast
from waitlab.forecasting._staff import staffing_from_forecast

__all__ = ["BacktestResult", "ForecastResult", "forecast", "forecast_backtest", "staffing_from_forecast"]
