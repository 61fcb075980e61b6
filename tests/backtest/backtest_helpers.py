"""Known rates of the simulated M/M/n+M log of the backtest tests."""

RATE, SERVICE, DESKS, PATIENCE, DAYS = 110.0, 300.0, 10, 200.0, 12
