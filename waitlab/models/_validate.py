"""Input checks shared by the queueing models and the staffing functions."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from waitlab.exceptions import ModelInputError

__all__ = ["ModelInputError"]


def _first_bad(name: str, arr: NDArray[Any], bad: NDArray[np.bool_], rule: str, hint: str = "") -> None:
    """Raise `ModelInputError` for the first element of `arr` flagged by `bad`."""
    if not np.any(bad):
        return
    if arr.ndim == 0:
        got = repr(arr.item())
    else:
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        where = idx[0] if len(idx) == 1 else idx
        got = f"{arr[idx].item()!r} at index {where} ({int(np.count_nonzero(bad))} bad element(s))"
    raise ModelInputError(f"`{name}` must be {rule}, got {got}.{(' ' + hint) if hint else ''}")


def as_float(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Convert to a float array or explain why not."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ModelInputError(f"`{name}` must be a number or an array of numbers, got {value!r}.") from None
    return arr


def check_nonnegative(name: str, value: ArrayLike, *, unit: str = "") -> NDArray[np.float64]:
    """Finite and >= 0 (rejects NaN and inf)."""
    arr = as_float(name, value)
    _first_bad(name, arr, ~(np.isfinite(arr) & (arr >= 0)), f"a finite number >= 0{unit}")
    return arr


def check_positive(name: str, value: ArrayLike, *, unit: str = "", allow_inf: bool = False) -> NDArray[np.float64]:
    """Finite (unless `allow_inf`) and > 0 (rejects NaN)."""
    arr = as_float(name, value)
    ok = (arr > 0) & (np.isfinite(arr) | allow_inf)
    _first_bad(name, arr, ~ok, f"a {'' if allow_inf else 'finite '}number > 0{unit}")
    return arr


def check_int_at_least(name: str, value: ArrayLike, low: int) -> NDArray[np.int64]:
    """Whole numbers >= `low` (floats such as 3.0 are accepted, 3.5 is not)."""
    arr = as_float(name, value)
    bad = ~(np.isfinite(arr) & (arr == np.round(arr)) & (arr >= low))
    _first_bad(name, arr, bad, f"an integer >= {low}", "Servers are whole people: round before calling.")
    return arr.astype(np.int64)


def check_desks(name: str, value: ArrayLike, low: int) -> NDArray[np.float64]:
    """Desks: finite numbers >= `low`; fractions are allowed (a time-average of desks on duty)."""
    arr = as_float(name, value)
    bad = ~(np.isfinite(arr) & (arr >= low))
    hint = (
        "Fewer than one desk on duty on average is not a queue these models describe: leave that interval out "
        "or count it as closed."
        if low >= 1
        else ""
    )
    _first_bad(name, arr, bad, f"a number >= {low} (fractions such as 7.5, a time-average of desks on duty, are fine)",
               hint)
    return arr


def check_probability(name: str, value: Any) -> float:
    """A scalar strictly inside (0, 1)."""
    arr = as_float(name, value)
    if arr.ndim != 0:
        raise ModelInputError(f"`{name}` must be a single number in (0, 1), got an array of shape {arr.shape}.")
    p = float(arr)
    if not (0.0 < p < 1.0):
        raise ModelInputError(
            f"`{name}` must be a probability strictly between 0 and 1, got {value!r}. "
            "Write 80 % as 0.8."
        )
    return p


def check_time(name: str, value: Any, *, positive: bool = False) -> float:
    """A scalar time in seconds (>= 0, or > 0 when `positive`)."""
    arr = as_float(name, value)
    if arr.ndim != 0:
        raise ModelInputError(f"`{name}` must be a single time in seconds, got an array of shape {arr.shape}.")
    t = float(arr)
    if not (np.isfinite(t) and (t > 0 if positive else t >= 0)):
        raise ModelInputError(f"`{name}` must be a finite time in seconds {'> 0' if positive else '>= 0'}, got {value!r}.")
    return t


def check_times(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Times in seconds, >= 0; ``inf`` is allowed (never), NaN is not."""
    arr = as_float(name, value)
    _first_bad(name, arr, ~(arr >= 0), "a time in seconds >= 0 (inf allowed)")
    return arr
