"""The desk and pool codes of the on-duty spans: pandas' MultiIndex.factorize codes, without tuples."""

import numpy as np
import pandas as pd
import pytest

from waitlab.analytics._on_duty import factorize_rows


@pytest.mark.parametrize("seed", range(20))
def test_same_codes_as_multiindex_factorize(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 400))
    columns = [rng.choice(np.array(["D1", "D2", "caja 3", ""], dtype=object), n), rng.integers(0, 5, n),
               rng.choice(np.array(["S1", "S2"], dtype=object), n)]
    keys = columns[: int(rng.integers(1, 4))]
    expected = pd.MultiIndex.from_arrays(keys).factorize()[0]
    assert factorize_rows(keys).tolist() == expected.tolist()


def test_codes_follow_first_appearance():
    keys = [np.array(["b", "a", "b", "a", "c"], dtype=object), np.array([1, 1, 1, 2, 1])]
    assert factorize_rows(keys).tolist() == [0, 1, 0, 2, 3]
