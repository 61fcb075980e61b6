r"""Patience (time to abandon) from censored waits.

Who left and when, by outcome (all times in seconds, :math:`W_i` from
:func:`waitlab.schema.wait_seconds`):

* ``abandoned`` -- left after exactly :math:`W_i`: an uncensored patience.
* ``served`` / ``transferred`` -- still there when answered: patience :math:`> W_i`
  (right-censored).
* ``no_show`` -- gone some time before their number was called: patience :math:`< W_i`
  (left-censored). This is the usual kiosk case.
* ``other`` -- unknown; left out.

The default estimate of mean patience (what Erlang-A needs) is the exponential maximum
likelihood estimate over all three kinds of observation, with a likelihood-ratio confidence
interval. For phone data (exact + right-censored) it equals the classic estimate
"total time waited / abandonments".
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from waitlab.analytics._prepare import outcome_flags, read_contacts, waits_and_services
from waitlab.exceptions import ArgumentError, SchemaError

if TYPE_CHECKING:
    from scipy import stats

__all__ = ["PatienceResult", "exponential_mle", "patience"]

#: Exact abandonment times below this (seconds) are raised to it so that log-scale fits exist.
MIN_EXACT_S = 0.5

#: Each fitted family: its ``scipy.stats`` name (scipy loads on first use) and number of parameters.
_FAMILIES = {
    "exponential": ("expon", 1),
    "weibull": ("weibull_min", 2),
    "lognormal": ("lognorm", 2),
}


@dataclass(frozen=True)
class PatienceResult:
    """Patience estimates from one contacts table.

    Attributes
    ----------
    mean_patience : float
        Mean patience, seconds: the exponential MLE (``inf`` when nobody left).
    mean_patience_ci : tuple of float
        Likelihood-ratio confidence interval of `mean_patience` at `confidence`.
    fits : dict of str to frozen scipy.stats distribution
        Maximum-likelihood fits with ``loc = 0``: ``"exponential"``, ``"weibull"``,
        ``"lognormal"`` (empty when every observation is censored the same way).
    loglik : dict of str to float
        Censored log-likelihood of each fit (compare with ``aic``).
    km : scipy.stats ECDFResult or None
        Kaplan-Meier estimate (``km.sf``) when there are no left-censored observations
        (calls); None otherwise.
    exponential_estimate : float
        Classic estimate: total time waited / number who left, seconds.
    exponential_estimate_ci : tuple of float
        Exact Poisson (chi-square) interval on the count who left, total time fixed.
    data : scipy.stats.CensoredData
        The observations used.
    n_exact, n_right, n_left, n_dropped : int
        Abandonments, answered (right-censored), no-shows (left-censored), contacts left out.
    channel : str or None
        The channel filtered on.
    confidence : float
        Confidence level of the intervals.
    notes : tuple of str
        Assumptions, anything left out, and why an estimate is missing (nobody left, no
        usable contact).
    """

    mean_patience: float
    mean_patience_ci: tuple[float, float]
    fits: dict[str, Any]
    loglik: dict[str, float]
    km: Any
    exponential_estimate: float
    exponential_estimate_ci: tuple[float, float]
    data: stats.CensoredData
    n_exact: int
    n_right: int
    n_left: int
    n_dropped: int
    channel: str | None
    confidence: float
    notes: tuple[str, ...] = ()

    @property
    def aic(self) -> dict[str, float]:
        """Akaike information criterion of each fit (lower is better)."""
        return {k: 2 * _FAMILIES[k][1] - 2 * v for k, v in self.loglik.items()}

    def to_frame(self) -> pd.DataFrame:
        """One row per estimate: ``method, mean_s, ci_lo_s, ci_hi_s, params, loglik, aic``."""
        rows = [
            {"method": "exponential MLE (default)", "mean_s": self.mean_patience,
             "ci_lo_s": self.mean_patience_ci[0], "ci_hi_s": self.mean_patience_ci[1]},
            {"method": "time waited / abandons", "mean_s": self.exponential_estimate,
             "ci_lo_s": self.exponential_estimate_ci[0], "ci_hi_s": self.exponential_estimate_ci[1]},
        ]  # fmt: skip
        for name, dist in self.fits.items():
            shapes = dict(zip(["shape"] if len(dist.args) else [], dist.args, strict=False))
            params = {**shapes, **{k: float(v) for k, v in dist.kwds.items()}}
            rows.append({"method": f"{name} fit", "mean_s": float(dist.mean()), "ci_lo_s": np.nan,
                         "ci_hi_s": np.nan, "params": params, "loglik": self.loglik[name],
                         "aic": self.aic[name]})  # fmt: skip
        return pd.DataFrame(
            rows, columns=["method", "mean_s", "ci_lo_s", "ci_hi_s", "params", "loglik", "aic"]
        )

    def summary(self) -> str:
        """A few readable lines: counts, the default estimate with its interval, the fits."""
        lo, hi = self.mean_patience_ci
        lines = [
            f"Patience{'' if self.channel is None else f' ({self.channel})'}: {self.n_exact} abandoned (exact), "
            f"{self.n_right} answered (right-censored), {self.n_left} no-shows (left-censored), "
            f"{self.n_dropped} left out.",
            f"Mean patience {self.mean_patience:.1f} s, {self.confidence:.0%} CI [{lo:.1f}, {hi:.1f}] s "
            "(exponential MLE, likelihood-ratio interval).",
            f"Time waited / abandons: {self.exponential_estimate:.1f} s "
            f"[{self.exponential_estimate_ci[0]:.1f}, {self.exponential_estimate_ci[1]:.1f}].",
        ]
        for name, dist in self.fits.items():
            lines.append(f"  {name:<11} mean {float(dist.mean()):.1f} s  AIC {self.aic[name]:.1f}")
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _loglik_expon(theta: float, exact: np.ndarray, right: np.ndarray, left: np.ndarray) -> float:
    """Censored exponential log-likelihood at rate `theta` (1/s)."""
    ll = len(exact) * math.log(theta) - theta * (exact.sum() + right.sum())
    if len(left):
        ll += float(np.sum(np.log(-np.expm1(-theta * left))))
    return ll


def exponential_mle(
    exact: np.ndarray, right: np.ndarray, left: np.ndarray, confidence: float = 0.95
) -> tuple[float, tuple[float, float]]:
    r"""Exponential mean patience by maximum likelihood, with a likelihood-ratio interval.

    Maximises :math:`\ell(\theta) = d\log\theta - \theta S + \sum_{j \in left}\log(1 - e^{-\theta w_j})`
    (:math:`d` exact times summing with the right-censored ones to :math:`S`). The score is
    strictly decreasing in :math:`\theta`, so the root is unique. The interval is
    :math:`\{\theta : 2(\hat\ell - \ell(\theta)) \le \chi^2_{1}(\text{confidence})\}`, inverted
    to a mean :math:`1/\theta`.

    Returns
    -------
    mean : float
        Seconds; ``inf`` when nobody left (only right-censored data), 0 when everybody is
        left-censored, NaN with no data.
    ci : tuple of float
    """
    from scipy import optimize, stats

    exact, right, left = (np.asarray(a, dtype=float) for a in (exact, right, left))
    d, n_left = len(exact), len(left)
    total = float(exact.sum() + right.sum())
    q = float(stats.chi2.ppf(confidence, 1))
    if d + n_left == 0:
        if total <= 0:
            return math.nan, (math.nan, math.nan)
        return math.inf, (2 * total / q, math.inf)  # l(theta) = -theta S, maximised at 0

    def score(x: float) -> float:
        theta = math.exp(x)
        s = d / theta - total
        if n_left:
            s += float(np.sum(left / np.expm1(theta * left)))
        return s

    if total <= 0 and d == 0:  # only no-shows: likelihood increases without bound
        ll_hat, x_hat = 0.0, math.inf
    else:
        x0 = math.log((d + n_left) / max(total + float(left.sum()), 1e-9))
        lo, hi = x0 - 1.0, x0 + 1.0
        while score(lo) < 0:
            lo -= 2.0
        while score(hi) > 0:
            hi += 2.0
        x_hat = optimize.brentq(score, lo, hi, xtol=1e-12)
        ll_hat = _loglik_expon(math.exp(x_hat), exact, right, left)

    def drop(x: float) -> float:
        return 2 * (ll_hat - _loglik_expon(math.exp(x), exact, right, left)) - q

    def bound(start: float, step: float) -> float:
        far = start + step
        while drop(far) < 0:
            far += step
        return optimize.brentq(drop, min(start, far), max(start, far), xtol=1e-10)

    if math.isinf(x_hat):  # mean 0; the interval reaches up to where the likelihood drops by q/2
        lo = -math.log(float(left.max()))
        while drop(lo) < 0:
            lo -= 2.0
        hi = lo
        while drop(hi) > 0:
            hi += 2.0
        return 0.0, (0.0, math.exp(-optimize.brentq(drop, lo, hi, xtol=1e-10)))
    x_lo = bound(x_hat, -1.0)
    x_hi = bound(x_hat, 1.0)
    return math.exp(-x_hat), (math.exp(-x_hi), math.exp(-x_lo))


def _censored_loglik(dist: Any, exact: np.ndarray, right: np.ndarray, left: np.ndarray) -> float:
    return float(np.sum(dist.logpdf(exact)) + np.sum(dist.logsf(right)) + np.sum(dist.logcdf(left)))


def _classic(
    exact: np.ndarray, left: np.ndarray, waited: float, confidence: float
) -> tuple[float, tuple[float, float]]:
    """Total time waited / number who left, with an exact Poisson (chi-square) interval."""
    from scipy import stats

    n = len(exact) + len(left)
    if waited <= 0:
        return math.nan, (math.nan, math.nan)
    a = 1 - confidence
    rate_lo = stats.chi2.ppf(a / 2, 2 * n) / (2 * waited) if n else 0.0
    rate_hi = stats.chi2.ppf(1 - a / 2, 2 * n + 2) / (2 * waited)
    mean = waited / n if n else math.inf
    return mean, (1 / rate_hi, (1 / rate_lo) if rate_lo > 0 else math.inf)


def patience(
    contacts: pd.DataFrame, channel: str | None = None, *, confidence: float = 0.95
) -> PatienceResult:
    """Estimate customer patience from a contacts table.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table with ``outcome`` and the timestamps :func:`waitlab.schema.wait_seconds`
        needs.
    channel : {"phone", "kiosk"} or str, optional
        Only contacts of this channel. With None all are pooled (a note says so when the
        table mixes channels).
    confidence : float, default 0.95
        Level of the confidence intervals.

    Returns
    -------
    PatienceResult

    Raises
    ------
    SchemaError
        If the table has no ``outcome`` column, or `channel` is given and there is no
        ``channel`` column.

    Notes
    -----
    When nobody left (every observation right-censored) the mean is ``inf`` with a finite
    lower confidence bound and no distribution is fitted; when no contact is usable every
    estimate is NaN. The result's ``notes`` say so, with the counts.
    """
    from scipy import stats

    if not 0 < confidence < 1:
        raise ArgumentError(f"`confidence` must be between 0 and 1, got {confidence!r}.")
    if isinstance(contacts, pd.DataFrame) and "outcome" not in contacts.columns:
        raise SchemaError("patience: the contacts table has no `outcome` column; patience needs it.")
    if channel is not None:
        if "channel" not in contacts.columns:
            raise SchemaError(
                f"patience: channel={channel!r} was asked for, but the table has no `channel` column."
            )
        contacts = contacts[contacts["channel"].eq(channel).fillna(False).to_numpy(dtype=bool)]
    notes: list[str] = []
    if channel is None and "channel" in contacts.columns and contacts["channel"].nunique() > 1:
        notes.append("channels pooled: " + ", ".join(sorted(map(str, contacts["channel"].dropna().unique()))))
    work = read_contacts(contacts, [], who="patience")
    notes.extend(work.notes)
    wait, _ = waits_and_services(work.frame)
    flags = outcome_flags(work.frame["outcome"])
    known = np.isfinite(wait)
    exact = wait[flags["abandoned"] & known]
    right = wait[flags["answered"] & known]
    left = wait[flags["no_show"] & known]
    n_zero_left = int((left <= 0).sum())
    left = left[left > 0]
    if n_zero_left:
        notes.append(
            f"{n_zero_left} no-show(s) called at 0 s wait left out (a patience below 0 s is impossible)."
        )
    n_small = int((exact < MIN_EXACT_S).sum())
    if n_small:
        notes.append(
            f"{n_small} abandonment(s) under {MIN_EXACT_S} s taken as {MIN_EXACT_S} s in the distribution "
            "fits, so that log-scale fits exist."
        )
    n_dropped = len(wait) - len(exact) - len(right) - len(left)
    if n_dropped:
        notes.append(f"{n_dropped} contact(s) left out (outcome other/unknown, or wait unknown).")
    if len(left):
        notes.append("no-shows are left-censored: they left before being called, at an unknown time.")
    data = stats.CensoredData(uncensored=exact, left=left, right=right)
    mean, ci = exponential_mle(exact, right, left, confidence)
    waited = float(exact.sum() + right.sum() + left.sum())
    classic, classic_ci = _classic(exact, left, waited, confidence)
    if len(left):
        notes.append(
            "time waited / abandons counts no-shows' whole wait until called, so it overstates patience."
        )
    fits: dict[str, Any] = {}
    loglik: dict[str, float] = {}
    if len(exact) + len(left) == 0:
        msg = (
            f"patience: nobody left among {len(right)} answered contact(s), so every observation is "
            f"censored; mean patience is at least {ci[0]:.0f} s ({confidence:.0%} bound) and no "
            "distribution is fitted."
        )
        if not len(right):
            msg = "patience: no usable contacts (need outcome and a known wait); every estimate is NaN."
        notes.append(msg)
    elif len(exact) + len(right) > 0:
        fit_exact = np.maximum(exact, MIN_EXACT_S)
        fit_data = stats.CensoredData(uncensored=fit_exact, left=left, right=right)
        for name, (family_name, k) in _FAMILIES.items():
            family = getattr(stats, family_name)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                # start from the exponential MLE: scipy's default start can stall on censored data
                start = (1.0,) if k == 2 else ()
                scale0 = mean * (math.log(2) if name == "lognormal" else 1.0) if 0 < mean < math.inf else 1.0
                params = family.fit(fit_data, *start, floc=0, scale=scale0)
            dist = family(*params)
            fits[name] = dist
            loglik[name] = _censored_loglik(dist, fit_exact, right, left)
            if caught:
                notes.append(f"{name} fit: {caught[0].message}")
    km = None
    if len(left) == 0 and len(exact) + len(right) > 0:
        km = stats.ecdf(stats.CensoredData(uncensored=exact, right=right))
    elif len(left):
        notes.append(
            "no Kaplan-Meier curve: it needs exact or right-censored times, and no-shows are left-censored."
        )
    return PatienceResult(
        mean_patience=mean, mean_patience_ci=ci, fits=fits, loglik=loglik, km=km,
        exponential_estimate=classic, exponential_estimate_ci=classic_ci, data=data,
        n_exact=len(exact), n_right=len(right), n_left=len(left), n_dropped=n_dropped,
        channel=channel, confidence=confidence, notes=tuple(notes),
    )  # fmt: skip
