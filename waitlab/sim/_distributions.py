"""Service-time and patience distributions of a scenario (seconds), drawn with a Generator."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from waitlab.exceptions import ScenarioError

__all__ = ["DISTRIBUTIONS", "Distribution"]

#: Known distribution names and the parameters each one needs.
DISTRIBUTIONS: Final[dict[str, tuple[str, ...]]] = {
    "exponential": ("mean",),
    "lognormal": ("mean", "cv"),
    "gamma": ("mean", "cv"),
    "weibull": ("mean", "cv"),
    "deterministic": ("mean",),
    "empirical": ("values",),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Distribution:
    """A non-negative duration distribution, in seconds.

    Parameters
    ----------
    dist : {"exponential", "lognormal", "gamma", "weibull", "deterministic", "empirical"}
        Family. ``lognormal``, ``gamma`` and ``weibull`` are given by their mean and
        coefficient of variation (standard deviation / mean, 0.02 to about 400 for the
        Weibull), so a log's AHT and spread translate directly;
        ``empirical`` resamples `values` with replacement (e.g. the handle times of a log).
    mean : float, optional
        Mean, seconds (all families except ``empirical``).
    cv : float, optional
        Coefficient of variation, > 0 (``lognormal``, ``gamma`` and ``weibull`` only).
    values : tuple of float, optional
        Observed durations, seconds, >= 0 (``empirical`` only).

    Raises
    ------
    ValueError
        If the family is unknown or a parameter is missing, not finite or out of range
        (the scenario loader turns these into :class:`~waitlab.exceptions.ScenarioError`
        naming the file and key).

    Examples
    --------
    >>> d = Distribution(dist="lognormal", mean=240.0, cv=0.5)
    >>> round(float(d.sample(np.random.default_rng(1), 100_000).mean()), -1)
    240.0
    """

    dist: str
    mean: float | None = None
    cv: float | None = None
    values: tuple[float, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if self.dist not in DISTRIBUTIONS:
            raise ScenarioError(
                f"`dist` must be one of {', '.join(DISTRIBUTIONS)}, got {self.dist!r}"
            )
        need = DISTRIBUTIONS[self.dist]
        allowed = set(need)
        given = {"mean": self.mean is not None, "cv": self.cv is not None, "values": bool(self.values)}
        extra = [k for k, v in given.items() if v and k not in allowed]
        if extra:
            raise ScenarioError(f"`{extra[0]}` is not a parameter of a {self.dist} distribution (it takes {', '.join(need)})")
        if "mean" in need:
            _check_positive("mean", self.mean)
        if "cv" in need:
            _check_positive("cv", self.cv)
        if self.dist == "weibull" and not 0.003 <= self.cv <= 300:  # type: ignore[operator]
            raise ScenarioError(f"`cv` of a weibull distribution must be between 0.003 and 300, got {self.cv!r}")
        if "values" in need:
            vals = np.asarray(self.values, dtype=float)
            if vals.size == 0:
                raise ScenarioError("`values` must list at least one duration in seconds")
            if not np.all(np.isfinite(vals)) or np.any(vals < 0):
                raise ScenarioError("`values` must be finite durations >= 0 seconds")
            object.__setattr__(self, "values", tuple(float(v) for v in vals))

    @property
    def expected(self) -> float:
        """Mean of the distribution, seconds."""
        if self.dist == "empirical":
            return float(np.mean(self.values))
        return float(self.mean)  # type: ignore[arg-type]

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Return `size` independent draws (seconds, float64) from `rng`."""
        if self.dist == "exponential":
            return rng.exponential(float(self.mean), size)  # type: ignore[arg-type]
        if self.dist == "deterministic":
            return np.full(size, float(self.mean))  # type: ignore[arg-type]
        if self.dist == "lognormal":
            s2 = math.log1p(self.cv**2)  # type: ignore[operator]
            mu = math.log(self.mean) - s2 / 2  # type: ignore[arg-type]
            return rng.lognormal(mu, math.sqrt(s2), size)
        if self.dist == "gamma":
            shape = 1.0 / self.cv**2  # type: ignore[operator]
            return rng.gamma(shape, self.mean / shape, size)  # type: ignore[operator]
        if self.dist == "weibull":
            k = weibull_shape(float(self.cv))  # type: ignore[arg-type]
            return rng.weibull(k, size) * (float(self.mean) / math.gamma(1.0 + 1.0 / k))  # type: ignore[arg-type]
        vals = np.asarray(self.values, dtype=float)
        return vals[rng.integers(0, vals.size, size)]

    def to_dict(self) -> dict[str, Any]:
        """The TOML inline table of this distribution."""
        out: dict[str, Any] = {"dist": self.dist}
        for key in DISTRIBUTIONS[self.dist]:
            out[key] = list(self.values) if key == "values" else getattr(self, key)
        return out

    @classmethod
    def from_dict(cls, table: dict[str, Any]) -> Distribution:
        """Build from a TOML inline table such as ``{dist = "gamma", mean = 240, cv = 0.6}``."""
        if not isinstance(table, dict):
            raise ScenarioError(f"must be a table such as {{ dist = \"exponential\", mean = 300 }}, got {table!r}")
        unknown = sorted(set(table) - {"dist", "mean", "cv", "values"})
        if unknown:
            raise ScenarioError(f"unknown key `{unknown[0]}` (a distribution takes dist, mean, cv or values)")
        if "dist" not in table:
            raise ScenarioError("needs `dist` (one of " + ", ".join(DISTRIBUTIONS) + ")")
        values = table.get("values", ())
        if not isinstance(values, list | tuple):
            raise ScenarioError("`values` must be a list of seconds")
        return cls(
            dist=table["dist"], mean=_num(table, "mean"), cv=_num(table, "cv"), values=tuple(values)
        )


def _num(table: dict[str, Any], key: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"`{key}` must be a number, got {value!r}")
    return float(value)


def _check_positive(name: str, value: float | None) -> None:
    if value is None:
        raise ScenarioError(f"`{name}` is required")
    if not (value > 0 and math.isfinite(value)):
        raise ScenarioError(f"`{name}` must be a positive finite number, got {value!r}")


def weibull_shape(cv: float) -> float:
    """Shape ``k`` of the Weibull distribution with coefficient of variation `cv`.

    Solves ``cv**2 = Gamma(1 + 2/k) / Gamma(1 + 1/k)**2 - 1`` (decreasing in ``k``) on log
    scale with :func:`scipy.optimize.brentq`; ``cv = 1`` gives ``k = 1`` (exponential).
    """
    from scipy import optimize, special

    def gap(log_k: float) -> float:
        k = math.exp(log_k)
        return special.gammaln(1 + 2 / k) - 2 * special.gammaln(1 + 1 / k) - math.log1p(cv * cv)

    return math.exp(optimize.brentq(gap, math.log(0.02), math.log(500.0), xtol=1e-14))
