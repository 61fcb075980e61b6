"""Independent, slow, obviously-correct references for the queueing models (tests only).

* `erlang_b_mp` / `erlang_c_mp`: 50-digit mpmath sums of the Erlang terms ``a**k / k!``
  (accumulated term by term, so no factorial is ever formed).
* `erlang_a_mp`: the birth-death chain of M/M/n+M summed in mpmath, state by state, until the
  tail terms are below 1e-40 of the total.
* `erlang_a_ctmc`: the same chain truncated and solved with numpy/scipy, plus the tagged
  customer's absorbing chain (position in queue -> served / abandoned) solved with
  ``scipy.linalg.expm`` for P(wait > t) and the service level.

None of this shares code or formulas with `waitlab.models` (which uses incomplete gamma
functions and 1F1 series).
"""

from __future__ import annotations

import mpmath as mp
import numpy as np
import scipy.linalg as sla

DPS = 50


def _erlang_terms(n: int, a: mp.mpf) -> tuple[mp.mpf, mp.mpf]:
    """(sum_{k<n} a**k/k!, a**n/n!) scaled by exp(-a), built term by term."""
    term = mp.e ** (-a)
    below = mp.mpf(0)
    for k in range(n):
        below += term
        term = term * a / (k + 1)
    return below, term


def erlang_b_mp(n: int, a: float) -> mp.mpf:
    """Erlang B = (a^n/n!) / sum_{k<=n} a^k/k!, 50 digits."""
    with mp.workdps(DPS):
        below, top = _erlang_terms(n, mp.mpf(a))
        return top / (below + top)


def erlang_c_mp(n: int, a: float) -> mp.mpf:
    """Erlang C = top / (sum_{k<n} a^k/k! + top), top = a^n/n! * n/(n-a); 1 if a >= n."""
    with mp.workdps(DPS):
        a = mp.mpf(a)
        if a >= n:
            return mp.mpf(1)
        below, top = _erlang_terms(n, a)
        top = top * n / (n - a)
        return top / (below + top)


def erlang_a_mp(lam: float, s: float, pat: float, n: int) -> dict[str, mp.mpf]:
    """prob_wait, prob_abandon and mean_wait of M/M/n+M by summing the chain's probabilities."""
    with mp.workdps(DPS):
        lam_, mu, th = mp.mpf(lam), 1 / mp.mpf(s), 1 / mp.mpf(pat)
        a = lam_ / mu
        below, w = mp.mpf(0), mp.mpf(1)  # weights relative to state n
        for i in range(n, 0, -1):
            w = w * i / a
            below += w
        tail, queue, w, j = mp.mpf(0), mp.mpf(0), mp.mpf(1), 0
        tol = mp.mpf(10) ** -40
        while True:
            tail += w
            queue += j * w
            j += 1
            w = w * lam_ / (n * mu + j * th)
            if j > 5 and w * (j + 1) < tol * tail:
                break
        z = below + tail
        eq = queue / z
        return {"prob_wait": tail / z, "prob_abandon": th * eq / lam_, "mean_wait": eq / lam_}


def erlang_a_ctmc(lam: float, s: float, pat: float, n: int, ts: list[float], depth: int = 200) -> dict:
    """Numerical CTMC solution (truncated at n + depth) of M/M/n+M, and P(W > t), SL(t)."""
    mu, th = 1 / s, 1 / pat
    size = n + depth + 1
    q = np.zeros((size, size))
    for i in range(size - 1):
        q[i, i + 1] = lam
        q[i + 1, i] = min(i + 1, n) * mu + max(i + 1 - n, 0) * th
    np.fill_diagonal(q, -q.sum(axis=1))
    lhs = np.vstack([q.T, np.ones(size)])
    rhs = np.zeros(size + 1)
    rhs[-1] = 1.0
    pi = np.linalg.lstsq(lhs, rhs, rcond=None)[0]
    pw = pi[n:].sum()
    queue = np.arange(size - n) @ pi[n:]
    # tagged customer: k = customers ahead (0..depth-1), then absorbing "served", "abandoned"
    k_states = depth
    g = np.zeros((k_states + 2, k_states + 2))
    for k in range(k_states):
        if k == 0:
            g[0, k_states] = n * mu
        else:
            g[k, k - 1] = n * mu + k * th
        g[k, k_states + 1] = th
    np.fill_diagonal(g, -g.sum(axis=1))
    start = np.zeros(k_states + 2)
    start[:k_states] = pi[n : n + k_states]
    exceed, sl = [], []
    for t in ts:
        p_t = start @ sla.expm(g * t)
        exceed.append(p_t[:k_states].sum())
        sl.append(1 - pw + p_t[k_states])
    return {
        "prob_wait": pw,
        "prob_abandon": th * queue / lam,
        "mean_wait": queue / lam,
        "prob_wait_exceeds": np.array(exceed),
        "service_level": np.array(sl),
    }


# -- fractional desks: the defining integrals, by mpmath quadrature --------------------------------


def jagerman_inv_b_mp(x: float, a: float) -> mp.mpf:
    """Jagerman (1974): ``1 / B(x, a) = a * int_0^inf exp(-a t) (1 + t)**x dt``, by quadrature (30 digits).

    The integrand peaks at ``t = x / a - 1`` when x > a, with width about sqrt(x) / a; the
    interval is split there so tanh-sinh sees a smooth bump.
    """
    with mp.workdps(30):
        x_, a_ = mp.mpf(x), mp.mpf(a)
        peak = max(x_ / a_ - 1, mp.mpf(0))
        width = (mp.sqrt(x_) + 1) / a_
        pts = sorted({mp.mpf(0), peak, peak + width, peak + 5 * width, peak + 20 * width, peak + 80 * width})
        # log form keeps (1 + t)**x e**-at representable for large x and a
        f = lambda t: mp.exp(x_ * mp.log1p(t) - a_ * t)  # noqa: E731
        return a_ * mp.quad(f, [*pts, mp.inf])


def erlang_c_jagerman_mp(x: float, a: float) -> mp.mpf:
    """``C = x B / (x - a (1 - B))`` with B from `jagerman_inv_b_mp`; 1 when a >= x."""
    with mp.workdps(30):
        if a >= x:
            return mp.mpf(1)
        b = 1 / jagerman_inv_b_mp(x, a)
        return x * b / (x - a * (1 - b))


def erlang_a_law_mp(lam: float, s: float, pat: float, n: float, ts: tuple[float, ...] = ()) -> dict:
    """M/M/n+M for real n from Mandelbaum and Zeltyn's waiting-time law, by mpmath quadrature (25 digits).

    ``E = 1 / B(n, lam s)`` by Jagerman's integral; ``A(x, y) = x int_0^1 u**(x-1) e**(y (1-u)) du``
    with ``x = n pat / s``, ``y = lam pat``; ``P(W > 0) = A / (A + E - 1)``.  Given a wait the offered
    wait V has ``P(V > t) = gamma(x, y e**(-t/pat)) / gamma(x, y)`` (lower incomplete gamma, mpmath's
    own ``gammainc``) and ``W = min(V, patience)``, so, integrating over t::

        P(ab | wait)      = int theta e**(-theta t) P(V > t) dt
        E[W; ab | wait]   = int theta t e**(-theta t) P(V > t) dt        (= theta E[W**2] / 2)
        E[W; sr | wait]   = int t e**(-theta t) f_V(t) dt                  (= E[V e**(-theta V)])
    """
    with mp.workdps(25):
        th, mu = 1 / mp.mpf(pat), 1 / mp.mpf(s)
        x, y = mp.mpf(n) * mu / th, mp.mpf(lam) / th
        e = jagerman_inv_b_mp(n, lam * s)
        a = x * mp.quad(lambda u: u ** (x - 1) * mp.exp(y * (1 - u)), [0, mp.mpf(1) / 2, 1])
        pw = a / (a + e - 1)
        gy = mp.gammainc(x, 0, y)

        def surv(t: mp.mpf) -> mp.mpf:
            return mp.gammainc(x, 0, y * mp.exp(-th * t)) / gy

        def dens(t: mp.mpf) -> mp.mpf:
            z = y * mp.exp(-th * t)
            return th * z * z ** (x - 1) * mp.exp(-z) / gy

        p = mp.mpf(pat)
        pts = [0, p / 1000, p / 100, p / 10, p / 3, p, 3 * p, 10 * p, 40 * p, mp.inf]
        p_ab = mp.quad(lambda t: th * mp.exp(-th * t) * surv(t), pts)
        w_ab = mp.quad(lambda t: th * t * mp.exp(-th * t) * surv(t), pts)
        w_sr = mp.quad(lambda t: t * mp.exp(-th * t) * dens(t), pts)
        prob_ab = pw * p_ab
        return {
            "prob_wait": pw,
            "prob_abandon": prob_ab,
            "mean_wait": pw * (w_ab + w_sr),
            "mean_wait_answered": pw * w_sr / (1 - prob_ab),
            "mean_wait_abandoned": w_ab / p_ab,
            "prob_wait_exceeds": [pw * mp.exp(-th * t) * surv(t) for t in ts],
        }


def erlang_a_split_ctmc(lam: float, s: float, pat: float, n: int, depth: int = 300) -> dict:
    """E[W; answered] and E[W; abandoned] of M/M/n+M from the tagged customer's absorbing chain.

    Stationary law of the truncated birth-death chain (PASTA), then for the tagged customer with
    k customers ahead the transient generator ``T`` (k -> k-1 at ``n mu + k theta``, leaves at
    ``theta`` by abandonment, ``n mu`` from k = 0 into service).  With ``N = (-T)^-1``,
    ``E[time in queue; absorbed in X] = start N N r_X`` (time spent before absorption, weighted by
    the absorption probability from each state), ``r_X`` the rates into X.  Linear algebra only.
    """
    mu, th = 1 / s, 1 / pat
    logp = np.zeros(n + depth + 1)
    for i in range(n + depth):
        death = min(i + 1, n) * mu + max(i + 1 - n, 0) * th
        logp[i + 1] = logp[i] + np.log(lam / death)
    pi = np.exp(logp - logp.max())
    pi /= pi.sum()
    start = pi[n : n + depth]
    t = np.zeros((depth, depth))
    for k in range(depth):
        if k > 0:
            t[k, k - 1] = n * mu + k * th
        t[k, k] = -(n * mu + (k + 1) * th)
    r_sr = np.zeros(depth)
    r_sr[0] = n * mu
    r_ab = np.full(depth, th)
    nn = np.linalg.inv(-t)
    served = 1 - start @ nn @ r_ab  # P(answered)
    return {
        "mean_wait_answered": start @ nn @ nn @ r_sr / served,
        "mean_wait_abandoned": (start @ nn @ nn @ r_ab) / (start @ nn @ r_ab),
    }
