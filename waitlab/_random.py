"""Randomness: one convention for every public function, scipy's ``rng=``.

Every function that draws random numbers takes ``rng``: a :class:`numpy.random.Generator`, a
seed (an integer >= 0 or a :class:`numpy.random.SeedSequence`) or None. :func:`root_seed`
turns it into the one integer a run is built from, so a run can be repeated and reported:

- None draws fresh entropy from the operating system (as ``SeedSequence()`` does);
- an integer is the root seed itself, so ``rng=1`` repeats exactly what ``seed=1`` gave
  before the rename;
- a root ``SeedSequence`` (no spawn key, integer entropy) is its entropy, so
  ``rng=SeedSequence(1)`` equals ``rng=1``; any other ``SeedSequence`` (a spawned child, or
  entropy given as a list) gives 128 bits of its state;
- a ``Generator`` gives 128 bits drawn from it: the generator advances, and a generator in
  the same state gives the same run.

Results keep the integer in a ``seed`` attribute (a recorded value, not a parameter): pass it
back as ``rng`` to repeat the run. Private: the floor is numpy and :mod:`waitlab.exceptions`.
"""

from __future__ import annotations

import numbers
from typing import TypeAlias

import numpy as np

from waitlab.exceptions import ArgumentError

__all__ = ["RNG", "root_seed"]

#: What an ``rng`` parameter accepts (scipy's convention).
RNG: TypeAlias = np.random.Generator | np.random.SeedSequence | int | None


def _bits(words: np.ndarray) -> int:
    """An integer from 32-bit words, least significant first."""
    return sum(int(w) << (32 * i) for i, w in enumerate(words))


def root_seed(rng: RNG, name: str = "rng") -> int:
    """The integer root seed of a run for `rng` (see the module docstring).

    >>> root_seed(7)
    7
    >>> root_seed(np.random.SeedSequence(7))
    7
    >>> root_seed(np.random.default_rng(1)) == root_seed(np.random.default_rng(1))
    True

    Raises
    ------
    ArgumentError
        If `rng` is none of the accepted kinds, or a negative integer (`name` is the
        parameter named in the message).
    """
    if rng is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if int(rng) < 0:
            raise ArgumentError(f"`{name}` must be a seed >= 0, a numpy Generator or None, got {int(rng)}; "
                                f"pass e.g. {name}=1.")
        return int(rng)
    if isinstance(rng, np.random.SeedSequence):
        if not rng.spawn_key and isinstance(rng.entropy, numbers.Integral):
            return int(rng.entropy)
        return _bits(rng.generate_state(4, np.uint32))
    if isinstance(rng, np.random.Generator):
        return _bits(rng.integers(0, 2**32, size=4, dtype=np.uint64))
    raise ArgumentError(f"`{name}` must be a numpy.random.Generator, a seed (an integer >= 0 or a "
                        f"SeedSequence) or None, got {type(rng).__name__}; pass e.g. {name}=1.")
