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
