"""The Overview page's per-queue table is the library's ``summary_by(contacts, "queue")``.

Checked two ways: on a tiny log whose figures are counted by hand, and on the branch sample
under AppTest against ``summary_kpis`` of each queue's slice, computed here independently.
"""

from __future__ import annotations

import _data
import i18n
import pandas as pd
import pytest
from conftest import load_sample, new_app

from waitlab.analytics import summary_kpis
from waitlab.schema import coerce_contacts

TZ = "America/Argentina/Buenos_Aires"
COLUMNS = ["arrivals", "served", "mean_service", "asa", "wait_mean", "wait_max", "abandon_rate"]


def _tiny_log() -> pd.DataFrame:
    def at(hms):
        return None if hms is None else f"2024-03-04 {hms}"

    rows = [  # id, queue, outcome, arrived, called, started, ended
        ("c1", "Caja", "served", "09:00:00", "09:02:00", "09:02:00", "09:07:00"),      # wait 120, service 300
        ("c2", "Caja", "served", "09:01:00", "09:05:00", "09:05:30", "09:09:30"),      # wait 240, service 240
        ("c3", "Caja", "abandoned", "09:03:00", None, None, "09:13:00"),               # left after 600
        ("a1", "Atención", "served", "10:00:00", "10:00:30", "10:00:30", "10:10:30"),  # wait 30, service 600
        ("a2", "Atención", "no_show", "10:01:00", "10:20:00", None, None),             # called after 1140
    ]
    df = pd.DataFrame([{"contact_id": r[0], "queue": r[1], "outcome": r[2], "arrived_at": at(r[3]),
                        "called_at": at(r[4]), "started_at": at(r[5]), "ended_at": at(r[6]),
                        "server": "d1", "channel": "kiosk", "site": "Centro"} for r in rows])
    return coerce_contacts(df, tz=TZ)


def test_by_queue_on_a_hand_counted_log():
    table = _data.by_queue("tiny", _tiny_log(), 20.0)
    assert table.columns.tolist() == ["queue", *COLUMNS]
    assert table["queue"].tolist() == ["Atención", "Caja"]  # sorted by name, not by first appearance
    atencion, caja = (table.iloc[i].to_dict() for i in range(2))
    # Caja: 3 arrivals, 2 served (300 s and 240 s of service, waits 120 s and 240 s), one left after 600 s
    assert caja == pytest.approx({"queue": "Caja", "arrivals": 3, "served": 2, "mean_service": 270.0, "asa": 180.0,
                                  "wait_mean": 320.0, "wait_max": 600.0, "abandon_rate": 1 / 3})
    # Atención: 1 served after 30 s (600 s of service), 1 no-show called after 1140 s
    assert atencion == pytest.approx({"queue": "Atención", "arrivals": 2, "served": 1, "mean_service": 600.0,
                                      "asa": 30.0, "wait_mean": 585.0, "wait_max": 1140.0, "abandon_rate": 0.5})


def test_overview_per_queue_table_equals_summary_kpis_of_each_queue(kiosk):
    contacts, _ = kiosk
    at = load_sample(new_app("es"))
    at.switch_page("views/overview.py").run()
    assert not at.exception, at.exception
    label = i18n.t("col.queue", "es")
    shown = next(d.value for d in at.dataframe if label in d.value.columns)
    queues = sorted(contacts["queue"].dropna().unique())
    assert shown[label].tolist() == queues and len(queues) > 1
    for i, queue in enumerate(queues):
        alone = summary_kpis(contacts[contacts["queue"] == queue], sl_threshold=900.0)
        for k in COLUMNS:
            assert shown.iloc[i][i18n.t(f"col.{k}", "es")] == pytest.approx(alone[k], rel=1e-12), (queue, k)
