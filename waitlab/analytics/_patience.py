r"""Patience (time to abandon) from censored waits.

Who left and when, by outcome (all times in seconds, :math:`W_i` from
:func:`waitlab.schema.wait_seconds`):

* ``abandoned`` -- left after exactly :math:`W_i`: an uncensored patience.
* ``served`` / ``transferred`` -- still there when answered: patience :math:`> W_i`
  (right-censored).
* ``no_show`` -- gone some time before their number was called: patience :math:`< W_i`
  (left-censored). This is the usual kiosk case.
* ``other`` -- unknown; left out.

Two estimates come back side by side. The *simple estimate* is the exponential maximum
likelihood estimate over all three kinds of observation, with a likelihood-ratio confidence
interval; for phone data (exact + right-censored) it equals "abandonments / total time
waited". It is what Erlang A needs. The *chosen fit* is the exponential, Weibull or lognormal
fit picked by the guarded rule of :mod:`waitlab.analytics._patience_fit` (a two-parameter fit
only with strong AIC evidence and a mean the observed waits support); it is what a
simulation draws from and what reports headline. With ``by=`` every group gets both
(:class:`PatienceTable`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

import numpy as np
import pandas as pd

from waitlab.analytics._patience_fit import (
    FAMILIES,
    MIN_ABANDONS,
    MIN_EXACT_S,
    choose,
    classic,
    exponential_mle,
    fit_families,
    horizon,
    mean_ci,
)
from waitlab.analytics._patience_table import PatienceTable, by_groups
from waitlab.analytics._prepare import outcome_flags, read_contacts, waits_and_services
from waitlab.exceptions import ArgumentError, SchemaError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scipy import stats

__all__ = ["PatienceResult", "PatienceTable", "exponential_mle", "patience", "simple_mean_patience"]


@dataclass(frozen=True)
class PatienceResult:
    """Patience estimates from one contacts table (or one group of it).

    Attributes
    ----------
    mean_patience : float
        The simple estimate, seconds: the exponential MLE (abandonments / total time waited
        for calls; ``inf`` when nobody left). Shown beside the chosen fit, always.
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
        Classic estimate: total time waited / number who left, seconds (equals
        `mean_patience` for calls; overstates patience when there are no-shows).
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
        Assumptions, anything left out, why a fit was not chosen, and why an estimate is
        missing (not enough data, nobody left, no usable contact).
    choice : str
        The chosen family (``"exponential"``, ``"weibull"``, ``"lognormal"``), or ``"none"``
        with fewer than `min_abandons` people who left.
    chosen_mean : float
        Mean of the chosen fit, seconds; NaN when `choice` is ``"none"``.
    chosen_mean_ci : tuple of float
        Its confidence interval (likelihood ratio for the exponential, delta method on the
        log of the mean for two-parameter fits).
    chosen_cv : float
        Coefficient of variation of the chosen fit.
    horizon : float
        The longest wait observed at least 10 times, seconds: the data show patience up
        to here.
    min_abandons : int
        People who had to leave (abandonments + no-shows) for a mean to be chosen.
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
    choice: str = "none"
    chosen_mean: float = math.nan
    chosen_mean_ci: tuple[float, float] = (math.nan, math.nan)
    chosen_cv: float = math.nan
    horizon: float = math.nan
    min_abandons: int = MIN_ABANDONS

    @property
    def aic(self) -> dict[str, float]:
        """Akaike information criterion of each fit (lower is better)."""
        return {k: 2 * FAMILIES[k][1] - 2 * v for k, v in self.loglik.items()}

    @property
    def chosen(self) -> Any:
        """The chosen fit as a frozen scipy.stats distribution, or None when `choice` is ``"none"``."""
        return self.fits.get(self.choice)

    @property
    def enough_data(self) -> bool:
        """True when a mean was chosen (at least `min_abandons` people left)."""
        return self.choice != "none"

    def to_frame(self) -> pd.DataFrame:
        """One row per estimate: ``method, mean_s, ci_lo_s, ci_hi_s, params, loglik, aic``."""
        rows = [
            {"method": f"chosen: {self.choice}", "mean_s": self.chosen_mean,
             "ci_lo_s": self.chosen_mean_ci[0], "ci_hi_s": self.chosen_mean_ci[1]},
            {"method": "simple (exponential MLE)", "mean_s": self.mean_patience,
             "ci_lo_s": self.mean_patience_ci[0], "ci_hi_s": self.mean_patience_ci[1]},
            {"method": "time waited / abandons", "mean_s": self.exponential_estimate,
             "ci_lo_s": self.exponential_estimate_ci[0], "ci_hi_s": self.exponential_estimate_ci[1]},
        ]  # fmt: skip
        for name, dist in self.fits.items():
            shapes, _, scale = dist.dist._parse_args(*dist.args, **dist.kwds)
            params = {**({"shape": float(shapes[0])} if shapes else {}), "scale": float(scale)}
            rows.append({"method": f"{name} fit", "mean_s": float(dist.mean()), "ci_lo_s": np.nan,
                         "ci_hi_s": np.nan, "params": params, "loglik": self.loglik[name],
                         "aic": self.aic[name]})  # fmt: skip
        return pd.DataFrame(
            rows, columns=["method", "mean_s", "ci_lo_s", "ci_hi_s", "params", "loglik", "aic"]
        )

    def summary(self) -> str:
        """A few readable lines: counts, the chosen mean, the simple estimate beside it, the fits."""
        lo, hi = self.mean_patience_ci
        lines = [
            f"Patience{'' if self.channel is None else f' ({self.channel})'}: {self.n_exact} abandoned (exact), "
            f"{self.n_right} answered (right-censored), {self.n_left} no-shows (left-censored), "
            f"{self.n_dropped} left out.",
        ]
        if self.enough_data:
            clo, chi = self.chosen_mean_ci
            lines.append(
                f"Mean patience {self.chosen_mean:.1f} s, {self.confidence:.0%} CI [{clo:.1f}, {chi:.1f}] s "
                f"({self.choice} fit, cv {self.chosen_cv:.2f}; observed waits reach {self.horizon:.0f} s)."
            )
        else:
            lines.append(
                f"Mean patience: not enough data ({self.n_exact + self.n_left} left, at least "
                f"{self.min_abandons} needed)."
            )
        lines.append(
            f"Simple estimate {self.mean_patience:.1f} s, {self.confidence:.0%} CI [{lo:.1f}, {hi:.1f}] s "
            "(exponential MLE: abandonments / time waited)."
        )
        if self.n_left:
            lines.append(
                f"Time waited / abandons: {self.exponential_estimate:.1f} s "
                f"[{self.exponential_estimate_ci[0]:.1f}, {self.exponential_estimate_ci[1]:.1f}]."
            )
        for name, dist in self.fits.items():
            lines.append(f"  {name:<11} mean {float(dist.mean()):.1f} s  AIC {self.aic[name]:.1f}")
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


@overload
def patience(
    contacts: pd.DataFrame, channel: str | None = ..., *, by: None = ..., confidence: float = ...,
    min_abandons: int = ...,
) -> PatienceResult: ...
@overload
def patience(
    contacts: pd.DataFrame, channel: str | None = ..., *, by: str | Sequence[str], confidence: float = ...,
    min_abandons: int = ...,
) -> PatienceTable: ...
def patience(
    contacts: pd.DataFrame, channel: str | None = None, *, by: str | Sequence[str] | None = None,
    confidence: float = 0.95, min_abandons: int = MIN_ABANDONS,
) -> PatienceResult | PatienceTable:  # fmt: skip
    """Estimate customer patience from a contacts table, overall or per group.

    Parameters
    ----------
    contacts : DataFrame
        A contacts table with ``outcome`` and the timestamps :func:`waitlab.schema.wait_seconds`
        needs.
    channel : {"phone", "kiosk"} or str, optional
        Only contacts of this channel. With None all are pooled (a note says so when the
        table mixes channels).
    by : str or list of str, optional
        Columns to group by, e.g. ``"queue"`` or ``["queue", "priority"]``: one estimate per
        group, as a :class:`PatienceTable`. None (default): one estimate for the whole table.
    confidence : float, default 0.95
        Level of the confidence intervals.
    min_abandons : int, default 10
        A group where fewer people left (abandonments + no-shows) gets "not enough data":
        choice ``"none"`` and a NaN chosen mean. The simple estimate is still given, with
        its (wide) interval.

    Returns
    -------
    PatienceResult or PatienceTable
        A PatienceResult without `by`; with `by`, a PatienceTable (``.table`` one row per
        group, ``.results`` the PatienceResult of each group, ``.overall`` the pooled one).

    Raises
    ------
    SchemaError
        If the table has no ``outcome`` column, `channel` is given and there is no
        ``channel`` column, or a `by` column is missing.
    ArgumentError
        If `confidence` is not between 0 and 1 or `min_abandons` is below 1.

    Notes
    -----
    The chosen fit follows the rule in :mod:`waitlab.analytics._patience_fit`: the
    exponential (the simple estimate) unless a Weibull or lognormal fit beats its AIC by 10
    or more, keeps at least half of its mean within the observed waits, and has a cv of at
    most 3. When nobody left (every observation right-censored) the simple mean is ``inf``
    with a finite lower confidence bound and no distribution is fitted; when no contact is
    usable every estimate is NaN. The result's ``notes`` say so, with the counts.
    """
    if not 0 < confidence < 1:
        raise ArgumentError(f"`confidence` must be between 0 and 1, got {confidence!r}.")
    if isinstance(min_abandons, bool) or not isinstance(min_abandons, int | np.integer) or min_abandons < 1:
        raise ArgumentError(f"`min_abandons` must be a whole number of at least 1, got {min_abandons!r}.")
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
    if by is None:
        return _estimate(contacts, channel, confidence, int(min_abandons), notes)
    keys, groups = by_groups(contacts, by)
    results = {key: _estimate(sub, channel, confidence, int(min_abandons), []) for key, sub in groups}
    overall = _estimate(contacts, channel, confidence, int(min_abandons), list(notes))
    return PatienceTable.build(keys, results, overall, tuple(notes))


def _observations(
    contacts: pd.DataFrame, notes: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Waits; exact, right- and left-censored patience times (no-shows at 0 s dropped); how many dropped."""
    work = read_contacts(contacts, [], who="patience")
    notes.extend(work.notes)
    wait, _ = waits_and_services(work.frame)
    flags = outcome_flags(work.frame["outcome"])
    known = np.isfinite(wait)
    exact = wait[flags["abandoned"] & known]
    right = wait[flags["answered"] & known]
    left = wait[flags["no_show"] & known]
    n_zero_left = int((left <= 0).sum())
    return wait, exact, right, left[left > 0], n_zero_left


def simple_mean_patience(contacts: pd.DataFrame, confidence: float = 0.95) -> tuple[float, tuple[float, float]]:
    """``patience(contacts).mean_patience`` and its interval, without fitting the other families.

    The exponential maximum likelihood estimate alone (what Erlang A needs): the same numbers as
    :func:`patience`, at a fraction of the cost (no Weibull or lognormal fit, no Kaplan-Meier).
    """
    _, exact, right, left, _ = _observations(contacts, [])
    return exponential_mle(exact, right, left, confidence)


def _estimate(
    contacts: pd.DataFrame, channel: str | None, confidence: float, min_abandons: int, notes: list[str]
) -> PatienceResult:
    from scipy import stats

    wait, exact, right, left, n_zero_left = _observations(contacts, notes)
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
    simple, simple_ci = classic(exact, left, waited, confidence)
    if len(left):
        notes.append(
            "time waited / abandons counts no-shows' whole wait until called, so it overstates patience."
        )
    fits: dict[str, Any] = {}
    loglik: dict[str, float] = {}
    leavers = len(exact) + len(left)
    if leavers == 0:
        msg = (
            f"patience: nobody left among {len(right)} answered contact(s), so every observation is "
            f"censored; mean patience is at least {ci[0]:.0f} s ({confidence:.0%} bound) and no "
            "distribution is fitted."
        )
        if not len(right):
            msg = "patience: no usable contacts (need outcome and a known wait); every estimate is NaN."
        notes.append(msg)
    elif len(exact) + len(right) > 0:
        fits, loglik = fit_families(exact, right, left, mean, notes)
    tau = horizon(np.concatenate([exact, right, left]))
    choice, chosen_mean, chosen_ci, chosen_cv = "none", math.nan, (math.nan, math.nan), math.nan
    if 0 < leavers < min_abandons:
        notes.append(
            f"patience: not enough data: {leavers} contact(s) left (abandoned or no-show), at least "
            f"{min_abandons} are needed for a mean; the simple estimate is shown with its interval only."
        )
    elif leavers >= min_abandons and fits and 0 < mean < math.inf:
        aic = {k: 2 * FAMILIES[k][1] - 2 * v for k, v in loglik.items()}
        choice, refused = choose(fits, aic, tau)
        notes.extend(f"patience: {r}" for r in refused)
        dist = fits[choice]
        chosen_mean, chosen_cv = float(dist.mean()), float(dist.std() / dist.mean())
        chosen_ci = ci if choice == "exponential" else mean_ci(choice, dist, exact, right, left, confidence)
        if choice == "exponential":
            chosen_mean, chosen_cv = mean, 1.0  # the closed-form MLE, not scipy's optimiser
        if chosen_mean > tau:
            notes.append(
                f"patience: the chosen mean ({chosen_mean:.0f} s) is beyond the {tau:.0f} s that the "
                f"observed waits reach; it extrapolates the {choice} fit past the data."
            )
    elif leavers >= min_abandons and mean == 0:
        choice, chosen_mean, chosen_ci, chosen_cv = "exponential", 0.0, ci, 1.0
    km = None
    if len(left) == 0 and len(exact) + len(right) > 0:
        km = stats.ecdf(stats.CensoredData(uncensored=exact, right=right))
    elif len(left):
        notes.append(
            "no Kaplan-Meier curve: it needs exact or right-censored times, and no-shows are left-censored."
        )
    return PatienceResult(
        mean_patience=mean, mean_patience_ci=ci, fits=fits, loglik=loglik, km=km,
        exponential_estimate=simple, exponential_estimate_ci=simple_ci, data=data,
        n_exact=len(exact), n_right=len(right), n_left=len(left), n_dropped=n_dropped,
        channel=channel, confidence=confidence, notes=tuple(notes), choice=choice,
        chosen_mean=chosen_mean, chosen_mean_ci=chosen_ci, chosen_cv=chosen_cv, horizon=tau,
        min_abandons=min_abandons,
    )  # fmt: skip
