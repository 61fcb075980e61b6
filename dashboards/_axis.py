"""The business-hours time axis of the dashboard's charts.

A month of intervals on calendar time is mostly nights and weekends, each business day a thin
spike. These helpers put only the intervals where something happened side by side ("slots"),
label the first slot of each day (or each hour on a one-day view) and draw a thin rule between
days, so every business day gets the same width.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import i18n
import pandas as pd


def slots(times: pd.Series) -> dict[Any, int]:
    """Position of each distinct time of `times` among them, in time order (the chart's x)."""
    return {ts: i for i, ts in enumerate(sorted(pd.unique(times.dropna())))}


def _ticks(order: dict[Any, int]) -> list[tuple[int, str]]:
    stamps = list(order)
    days = {pd.Timestamp(ts).date() for ts in stamps}
    ticks: list[tuple[int, str]] = []
    last: Any = None
    for ts, i in order.items():
        ts = pd.Timestamp(ts)
        mark = ts.date() if len(days) > 1 else ts.hour
        if mark != last:
            if len(days) > 1:  # "lun 03/02" / "Mon 02-03", the weekday from the language's own calendar
                lang = i18n.current_lang()
                day = i18n.lib.locale(lang).days["format"]["abbreviated"][ts.weekday()].rstrip(".")
                label = f"{day} {ts.strftime(i18n.AXIS_DATE[lang])}"
            else:
                label = i18n.fmt_time(ts)
            ticks.append((i, label))
            last = mark
    return ticks


def slot_x(order: dict[Any, int], title: str) -> alt.X:
    """The x encoding of slots: labelled at each day's (or hour's) first slot, nothing in between."""
    ticks = _ticks(order)
    step = max(1, len(ticks) // 16)  # at most ~16 labels, every day still has its rule
    shown = ticks[::step]
    expr = " : ".join(f"datum.value == {i} ? '{label}'" for i, label in shown) + " : ''" if shown else "''"
    return alt.X("slot:Q", title=title, scale=alt.Scale(domain=[0, max(len(order), 1)], nice=False, zero=True),
                 axis=alt.Axis(values=[i for i, _ in shown], labelExpr=expr, labelAngle=0, grid=False,
                               labelAlign="left"))


def day_rules(order: dict[Any, int]) -> alt.Chart | None:
    """Thin vertical rules where a new day starts (None on a one-day view)."""
    ticks = _ticks(order)
    if len({pd.Timestamp(ts).date() for ts in order}) < 2:
        return None
    frame = pd.DataFrame({"slot": [i for i, _ in ticks[1:]]})
    return alt.Chart(frame).mark_rule(color="#bbbbbb", strokeWidth=0.6).encode(x="slot:Q")
