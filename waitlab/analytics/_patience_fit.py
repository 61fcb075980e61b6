r"""The censored fits behind :func:`waitlab.analytics.patience`, and the guarded choice among them.

The exponential maximum-likelihood estimate is the *simple estimate*: for calls (exact
abandonment times and right-censored answered calls) it is abandonments / total time waited.
It always stands, is always shown, and is the fallback.

The choice (:func:`choose`) replaces it by a two-parameter fit (Weibull, lognormal) only when
the data support that fit's mean. A log shows patience only up to the waits it contains: a
customer answered after 2 min says nothing about minute 30. The *horizon* is the longest
wait still observed :data:`MIN_AT_RISK` times (the 10th longest wait); beyond it the
Kaplan-Meier curve rests on fewer than 10 contacts. A two-parameter fit is chosen only if
all of these hold:

1. its AIC is below the exponential's by at least :data:`AIC_MARGIN` (10: strong evidence in
   Burnham and Anderson's scale). With one parameter more, chance alone gives a margin of 10
   about once in 2000 samples when the patience is exponential;
2. at most :data:`MAX_TAIL_SHARE` (half) of its mean lies beyond the horizon,
   :math:`\int_\tau^\infty S(t)\,dt \le \tfrac12 \int_0^\infty S(t)\,dt`: the mean comes mainly
   from waits the log shows, not from a tail the log cannot see. This is what stops a
   lognormal whose mean is several times the longest wait: a better fit of the short waits
   (a large AIC margin on a big month) says nothing about that tail;
3. its coefficient of variation is at most :data:`MAX_CV` (3; a Weibull shape above about
   0.42, a lognormal sigma below 1.52). Measured patience has a cv near 1; a larger one means
   the mean is carried by a few very long patience times that no log of waits can show.

Among the fits that pass, the lowest AIC wins; if none passes, the exponential stays (it
extrapolates with a constant hazard, the least assumption). With fewer than
:data:`MIN_ABANDONS` people who left (abandonments plus no-shows) no mean is chosen at all.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

__all__ = ["AIC_MARGIN", "MAX_CV", "MAX_TAIL_SHARE", "MIN_ABANDONS", "MIN_AT_RISK", "exponential_mle"]

#: Exact abandonment times below this (seconds) are raised to it so that log-scale fits exist.
MIN_EXACT_S = 0.5
#: Fewer people who left than this (abandonments + no-shows): "not enough data", no mean.
MIN_ABANDONS = 10
#: The horizon is the longest wait observed at least this many times (the 10th longest).
MIN_AT_RISK = 10
#: A two-parameter fit must beat the exponential's AIC by at least this much.
AIC_MARGIN = 10.0
#: At most this share of a two-parameter fit's mean may lie beyond the horizon.
MAX_TAIL_SHARE = 0.5
#: Largest coefficient of variation a chosen fit may have.
MAX_CV = 3.0

#: Each fitted family: its ``scipy.stats`` name (scipy loads on first use) and number of parameters.
FAMILIES = {
    "exponential": ("expon", 1),
    "weibull": ("weibull_min", 2),
    "lognormal": ("lognorm", 2),
}


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


def censored_loglik(dist: Any, exact: np.ndarray, right: np.ndarray, left: np.ndarray) -> float:
    """Log-likelihood of a frozen distribution: densities, survivals, distribution functions.

    A degenerate fit (every wait equal: a zero scale) gives -inf or nan quietly, never a
    RuntimeWarning; the AIC comparison then does not choose it.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return float(np.sum(dist.logpdf(exact)) + np.sum(dist.logsf(right)) + np.sum(dist.logcdf(left)))


def classic(
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


def fit_families(
    exact: np.ndarray, right: np.ndarray, left: np.ndarray, mean: float, notes: list[str]
) -> tuple[dict[str, Any], dict[str, float]]:
    """Censored maximum-likelihood fits (``loc = 0``) of every family, and their log-likelihoods."""
    from scipy import stats

    fit_exact = np.maximum(exact, MIN_EXACT_S)
    right = right[right > 0]  # answered at once: S(0) = 1, no information (and log-scale fits warn)
    data = stats.CensoredData(uncensored=fit_exact, left=left, right=right)
    fits: dict[str, Any] = {}
    loglik: dict[str, float] = {}
    for name, (family_name, k) in FAMILIES.items():
        family = getattr(stats, family_name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            # start from the exponential MLE: scipy's default start can stall on censored data
            start = (1.0,) if k == 2 else ()
            scale0 = mean * (math.log(2) if name == "lognormal" else 1.0) if 0 < mean < math.inf else 1.0
            params = family.fit(data, *start, floc=0, scale=scale0)
        fits[name] = family(*params)
        loglik[name] = censored_loglik(fits[name], fit_exact, right, left)
        if caught:
            notes.append(f"{name} fit: {caught[0].message}")
    return fits, loglik


def horizon(waits: np.ndarray) -> float:
    """The longest wait observed at least :data:`MIN_AT_RISK` times (the longest, with fewer waits)."""
    w = np.sort(np.asarray(waits, dtype=float))
    if not len(w):
        return math.nan
    return float(w[-min(MIN_AT_RISK, len(w))])


def tail_share(dist: Any, tau: float) -> float:
    r""":math:`\int_\tau^\infty S(t)\,dt` over the mean: the share of the mean beyond `tau`."""
    from scipy import integrate

    mean = float(dist.mean())
    if not 0 < mean < math.inf:
        return math.nan
    inside = integrate.quad(dist.sf, 0.0, tau, limit=200)[0] if tau > 0 else 0.0
    return min(max(1.0 - inside / mean, 0.0), 1.0)


def choose(fits: dict[str, Any], aic: dict[str, float], tau: float) -> tuple[str, list[str]]:
    """The family chosen by the rules of this module, and a note for each better-AIC fit refused."""
    if "exponential" not in fits or not math.isfinite(aic.get("exponential", math.nan)):
        return "exponential", []
    base = aic["exponential"]
    refused: list[str] = []
    passed: dict[str, float] = {}
    for name, dist in fits.items():
        if name == "exponential" or not aic[name] < base:
            continue
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):  # a degenerate fit: nan, quietly
            mean, sd = float(dist.mean()), float(dist.std())
        cv = sd / mean if 0 < mean < math.inf and math.isfinite(sd) else math.inf
        share = tail_share(dist, tau)
        why = []
        if base - aic[name] < AIC_MARGIN:
            why.append(f"its AIC is only {base - aic[name]:.1f} below the exponential's ({AIC_MARGIN:.0f} needed)")
        if not share <= MAX_TAIL_SHARE:
            why.append(f"{share:.0%} of its mean ({mean:.0f} s) lies beyond the {tau:.0f} s horizon of the "
                       f"observed waits (at most {MAX_TAIL_SHARE:.0%})")  # fmt: skip
        if not cv <= MAX_CV:
            why.append(f"its cv {cv:.1f} is above {MAX_CV:.0f}")
        if why:
            refused.append(f"{name} fit not chosen: " + "; ".join(why) + ".")
        else:
            passed[name] = aic[name]
    if passed:
        return min(passed, key=passed.__getitem__), refused
    return "exponential", refused


def mean_ci(
    name: str, dist: Any, exact: np.ndarray, right: np.ndarray, left: np.ndarray, confidence: float
) -> tuple[float, float]:
    r"""Delta-method interval of a two-parameter fit's mean, on the log scale.

    Parameters :math:`\phi = (\log\text{shape}, \log\text{scale})`; the observed information is
    the numerical Hessian of the censored log-likelihood at the fit; the interval is
    :math:`\hat m\,e^{\pm z\,\mathrm{se}(\log \hat m)}`. NaN when the Hessian is not negative
    definite (a fit on a boundary).
    """
    from scipy import stats

    family = getattr(stats, FAMILIES[name][0])
    fit_exact, right = np.maximum(exact, MIN_EXACT_S), right[right > 0]
    shapes, _, scale = dist.dist._parse_args(*dist.args, **dist.kwds)
    phi0 = np.log([float(shapes[0]), float(scale)])

    def ll(phi: np.ndarray) -> float:
        return censored_loglik(family(math.exp(phi[0]), scale=math.exp(phi[1])), fit_exact, right, left)

    def log_mean(phi: np.ndarray) -> float:
        return math.log(float(family(math.exp(phi[0]), scale=math.exp(phi[1])).mean()))

    h = 1e-4
    eye = np.eye(2) * h
    hess = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            hess[i, j] = (ll(phi0 + eye[i] + eye[j]) - ll(phi0 + eye[i] - eye[j])
                          - ll(phi0 - eye[i] + eye[j]) + ll(phi0 - eye[i] - eye[j])) / (4 * h * h)  # fmt: skip
    grad = np.array([(log_mean(phi0 + eye[i]) - log_mean(phi0 - eye[i])) / (2 * h) for i in range(2)])
    try:
        cov = np.linalg.inv(-hess)
    except np.linalg.LinAlgError:
        return math.nan, math.nan
    var = float(grad @ cov @ grad)
    if not (np.all(np.linalg.eigvalsh(-hess) > 0) and var > 0):
        return math.nan, math.nan
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    m = math.exp(log_mean(phi0))
    return m * math.exp(-z * math.sqrt(var)), m * math.exp(z * math.sqrt(var))
