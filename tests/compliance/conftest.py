"""Fixtures of the compliance tests."""

from __future__ import annotations

import pandas as pd
import pytest
from compliance_helpers import build, served


@pytest.fixture
def morning() -> pd.DataFrame:
    """The two-desk morning of test_morning.py (site Centro, 3 seats), minutes after 09:00.

    Desk D1: C01 [0, 20], C03 [20, 45], C05 [45, 70], C07 [70, 100], C09 [100, 110].
    Desk D2: C02 [2, 30], C04 [30, 55], C06 [55, 80], C08 [80, 95], C10 [95, 105],
             then calls C12 (queue "consultas") at 105: nobody comes (no-show).
    C11 takes ticket T011 at 50 and walks out at 85 (abandoned).
    """
    return build(
        [
            served("C01", "T001", 0, 0, 20, "D1"),
            served("C02", "T002", 2, 2, 30, "D2"),
            served("C03", "T003", 4, 20, 45, "D1"),
            served("C04", "T004", 5, 30, 55, "D2"),
            served("C05", "T005", 6, 45, 70, "D1"),
            served("C06", "T006", 7, 55, 80, "D2"),
            served("C07", "T007", 8, 70, 100, "D1"),
            served("C08", "T008", 9, 80, 95, "D2"),
            served("C09", "T009", 40, 100, 110, "D1"),
            served("C10", "T010", 46, 95, 105, "D2"),
            {"id": "C11", "ticket": "T011", "arr": 50, "end": 85, "outcome": "abandoned"},
            {
                "id": "C12",
                "ticket": "C001",
                "queue": "consultas",
                "arr": 12,
                "call": 105,
                "outcome": "no_show",
                "desk": "D2",
            },
        ]
    )
