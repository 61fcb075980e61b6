"""Patience per queue on the real SEELab month, when it is present beside the repository.

Prints, per queue, the simple estimate, the old automatic choice (lowest AIC) and the guarded
one. Run with ``pytest -s``. The checks are what the guard promises: no fit whose mean lies
mostly beyond the observed waits, and the simple estimate beside every chosen mean.
"""

import importlib
from pathlib import Path

import pytest

from waitlab.analytics import patience

MONTH = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "anonymous_bank" / "february.txt"


@pytest.fixture(scope="module")
def month():
    if not MONTH.is_file():
        pytest.skip(f"SEELab month not present at {MONTH}")
    readers = importlib.import_module("waitlab.readers")
    contacts, _ = readers.read_log(MONTH, format="seelab")
    return contacts


def test_seelab_patience_per_queue_is_guarded(month):
    general = month[month["queue"].ne("IN").to_numpy(dtype=bool)]
    pooled = patience(general)
    pt = patience(month, by="queue")
    print(f"\n{'group':<8}{'abandoned':>10}{'simple s':>10}{'old choice':>22}{'new choice':>22}")
    for name, r in [("general", pooled), *pt.results.items()]:
        old = min(r.aic, key=r.aic.get)
        new = f"{r.choice} {r.chosen_mean:.0f}" if r.enough_data else "not enough data"
        print(f"{name:<8}{r.n_exact:>10}{r.mean_patience:>10.0f}{old + f' {r.fits[old].mean():.0f}':>22}{new:>22}")
    for r in [pooled, *pt.results.values()]:
        assert r.choice != "lognormal"  # its mean lies 70-90 % beyond the observed waits here
        if r.enough_data:
            assert 0.5 * r.mean_patience < r.chosen_mean < 2 * r.mean_patience
            assert r.chosen_cv <= 3
    assert set(pt.table["queue"]) == {"PS", "NE", "NW", "TT", "PE", "IN"}
    by_class = patience(general, by=["queue", "priority"]).table
    assert len(by_class) == 10 and by_class["n"].sum() == pooled.n_exact + pooled.n_right
