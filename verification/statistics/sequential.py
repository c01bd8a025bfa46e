"""Sequential designs: column bisection for phase diagrams, SPRT and alpha spending for rates and means.

Part of :mod:`verification.statistics` (see its docstring for the model and the verdict rules).

References
----------
.. [4] A. Wald, "Sequential tests of statistical hypotheses", Ann. Math. Statist. 16, 117 (1945).
.. [6] K. K. G. Lan, D. L. DeMets, "Discrete sequential boundaries for clinical trials",
   Biometrika 70, 659 (1983).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from verification.statistics.boundary import fit_column
from verification.statistics.decisions import check_alpha, one_sided_verdict
from verification.statistics.estimates import Estimate

__all__ = [
    "propose_column_points",
    "propose_next",
    "SPRTResult",
    "sprt_binomial",
    "group_sequential_bounds",
    "group_sequential_verdict",
]


def propose_column_points(
    y,
    generalized,
    *,
    precision,
    n_points=1,
    step=None,
    resolution=None,
    level=0.95,
    **kwargs,
) -> dict:
    """Next ``y`` values to run in one phase-diagram column (bisection on the profile likelihood).

    The column's boundary ``y0`` is fitted with :func:`fit_column` (keyword arguments go there:
    ``direction``, ``link``, ``s_min``; give a fixed ``s_min`` such as ``precision / 4`` so that
    the separation rule does not shrink with the sampled spacing).  Then:

    * **done** when the ``level`` interval of ``y0`` is narrower than ``precision``;
    * if an end is unbounded (censored column: the boundary lies beyond the sampled range), the
      next point steps out past the extreme sampled ``y`` by ``max(step, span of sampled y)``
      (doubling the bracket each round);
    * otherwise ``n_points`` points spread evenly over the interval (one point: the estimate,
      centre of the interval, which for perfectly separated seeds is the midpoint of the gap:
      bisection).

    Points are rounded to multiples of ``resolution`` (so that repeated proposals hit the same
    runs of a result cache) and points already sampled are kept (more seeds there).

    Returns
    -------
    dict
        ``y0``, ``interval``, ``width``, ``done`` and ``next`` (list of ``y``; empty when done).

    Examples
    --------
    Three seeds at each of five points, split between 0.5 and 0.75: the next point bisects the gap.

    >>> y = [0.0, 0.25, 0.5, 0.75, 1.0] * 3
    >>> r = propose_column_points(y, [v < 0.6 for v in y], precision=0.1, s_min=0.02, resolution=0.005)
    >>> r["done"], r["next"]
    (False, [0.625])
    """
    y = np.asarray(y, dtype=float).ravel()
    if not precision > 0:
        raise ValueError(f"precision must be > 0, got {precision}")
    fit = fit_column(y, generalized, **kwargs)
    y0 = fit.value(0.0)
    lo, hi = fit.interval(0.0, level)
    width = hi - lo
    out = {"y0": y0, "interval": (lo, hi), "width": width, "done": bool(width < precision), "next": []}
    if out["done"]:
        return out
    ys = np.unique(y)
    span = float(ys[-1] - ys[0]) if ys.size > 1 else 0.0
    stride = max(float(step) if step is not None else precision, span)
    if not math.isfinite(hi) and not math.isfinite(lo):
        pts = [float(ys[0] - stride), float(ys[-1] + stride)]
    elif not math.isfinite(hi):
        pts = [float(ys[-1] + stride)]
    elif not math.isfinite(lo):
        pts = [float(ys[0] - stride)]
    elif n_points == 1:
        pts = [0.5 * (lo + hi)]
    else:
        pts = list(np.linspace(lo, hi, n_points + 2)[1:-1])
    if resolution is not None:
        pts = [round(p / resolution) * resolution for p in pts]
    out["next"] = [float(p) for p in dict.fromkeys(pts)]
    return out


def propose_next(x, y, generalized, *, precision, **kwargs) -> list[dict]:
    """:func:`propose_column_points` for every column of a phase diagram (one dict per ``x``).

    Each dict also holds ``x``.  The experiment is finished when every column is ``done``; a
    round runs the proposed points of all columns (and relations) as one batch.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    g = np.asarray(generalized, dtype=bool).ravel()
    out = []
    for xc in np.unique(x):
        sel = x == xc
        r = propose_column_points(y[sel], g[sel], precision=precision, **kwargs)
        r["x"] = float(xc)
        out.append(r)
    return out


@dataclass(frozen=True)
class SPRTResult:
    """State of Wald's sequential probability ratio test after the data so far.

    ``decision`` is ``"reject"`` (``P > p0``: the bound is violated), ``"accept"`` (``P < p1``),
    ``"continue"`` or, once ``max_n`` trials are spent without crossing, ``"inconclusive"``.
    """

    decision: str
    llr: float
    lower: float
    upper: float
    k: int
    n: int

    @property
    def verdict(self) -> str:
        """The claim ``P <= p0``: "fails" on reject, "holds" on accept, else "inconclusive"."""
        return {"reject": "fails", "accept": "holds"}.get(self.decision, "inconclusive")


def sprt_binomial(k, n, *, p0, p1, alpha=0.05, beta=0.2, max_n=None) -> SPRTResult:
    """Wald's SPRT [4]_ of ``H0: P <= p0`` against ``H1: P >= p1`` (``p1 > p0``) after ``k`` of ``n``.

    .. math::

       \\Lambda = k \\log\\frac{p_1}{p_0} + (n - k) \\log\\frac{1 - p_1}{1 - p_0},
       \\quad \\text{reject if } \\Lambda \\ge \\log\\frac{1}{\\alpha},
       \\quad \\text{accept if } \\Lambda \\le \\log\\beta.

    The likelihood ratio is a nonnegative martingale under ``p0``, so by Ville's inequality the
    probability of ever rejecting is at most ``alpha`` (and of ever accepting under ``p1`` at most
    ``beta``) whatever the stopping rule: call it after every round of seeds, rounds of any size.
    The ratio is monotone in ``P``, so the bounds hold for every ``P <= p0`` (``P >= p1``).
    Figure 6: ``p0`` the Eq. (12) bound, ``p1 = p0 + margin``.  Truncation at ``max_n`` only
    lowers both error rates.

    Examples
    --------
    >>> sprt_binomial(12, 12, p0=0.392, p1=0.6).decision
    'reject'
    >>> sprt_binomial(0, 12, p0=0.392, p1=0.6).decision
    'accept'
    """
    k, n = int(k), int(n)
    if not 0 < p0 < p1 < 1:
        raise ValueError(f"need 0 < p0 < p1 < 1, got {p0}, {p1}")
    check_alpha(alpha)
    if not 0 < beta < 1:
        raise ValueError(f"beta must lie in (0, 1), got {beta}")
    if n < 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    llr = k * math.log(p1 / p0) + (n - k) * math.log((1 - p1) / (1 - p0))
    upper, lower = math.log(1 / alpha), math.log(beta)
    if llr >= upper:
        d = "reject"
    elif llr <= lower:
        d = "accept"
    elif max_n is not None and n >= max_n:
        d = "inconclusive"
    else:
        d = "continue"
    return SPRTResult(d, llr, lower, upper, k, n)


def _spending(t, alpha, kind):
    if kind == "obrien-fleming":
        return 2.0 * stats.norm.sf(stats.norm.isf(alpha / 2) / np.sqrt(t))
    if kind == "pocock":
        return alpha * np.log1p((math.e - 1.0) * t)
    raise ValueError(f"spending must be 'obrien-fleming' or 'pocock', got {kind!r}")


def group_sequential_bounds(looks, *, alpha=0.025, spending="obrien-fleming", step=0.02) -> np.ndarray:
    """One-sided z boundaries of a group-sequential test with ``looks`` equally spaced analyses.

    Lan-DeMets alpha spending [6]_: the type I error spent by information fraction ``t`` is
    ``2 - 2 Phi(z_{alpha/2} / sqrt t)`` (O'Brien-Fleming type) or ``alpha log(1 + (e - 1) t)``
    (Pocock type).  The boundary ``c_k`` of look ``k`` solves
    ``P(Z_j < c_j, j < k; Z_k >= c_k) = alpha(k / K) - alpha((k - 1) / K)`` for the standardised
    partial sums ``Z_k = S_k / sqrt k`` of i.i.d. normal increments, by recursive numerical
    integration of the continuation density on a grid of spacing ``step``.

    Examples
    --------
    >>> float(group_sequential_bounds(1, alpha=0.025)[0]) == float(stats.norm.isf(0.025))
    True
    >>> [round(float(c), 2) for c in group_sequential_bounds(5, alpha=0.025)]
    [4.88, 3.36, 2.68, 2.29, 2.03]
    """
    return np.array(_gs_bounds(int(looks), float(alpha), spending, float(step)))


@functools.lru_cache(maxsize=64)
def _gs_bounds(looks, alpha, spending, step):
    """The boundaries of :func:`group_sequential_bounds` (cached: they depend on the design only)."""
    K = int(looks)
    if K < 1:
        raise ValueError(f"looks must be >= 1, got {looks}")
    check_alpha(alpha)
    t = np.arange(1, K + 1) / K
    spent = np.diff(np.concatenate([[0.0], _spending(t, alpha, spending)]))
    spent[-1] = alpha - float(np.sum(spent[:-1]))  # both spending functions reach alpha at t = 1
    grid = np.arange(-10.0 * math.sqrt(K), 10.0 * math.sqrt(K) + step, step)
    bounds = [float(stats.norm.isf(spent[0]))]
    dens = stats.norm.pdf(grid) * (grid < bounds[0]) * step  # mass of S_1 on the continuation region
    kernel = None
    for k in range(2, K + 1):

        def tail(b, dens=dens):
            return float(dens @ stats.norm.sf(b - grid))

        b = optimize.brentq(lambda b, tail=tail, target=spent[k - 1]: tail(b) - target, -50.0, 50.0)
        bounds.append(b / math.sqrt(k))
        if k < K:
            if kernel is None:
                kernel = stats.norm.pdf(grid[:, None] - grid[None, :]) * step
            dens = (kernel @ dens) * (grid < b)
    return tuple(bounds)


def group_sequential_verdict(
    claim,
    est: Estimate,
    *,
    look,
    looks,
    bound,
    direction=">=",
    margin=0.0,
    alpha=0.05,
    spending="obrien-fleming",
) -> str:
    """Decision after look ``look`` of ``looks`` on a one-sided claim about a mean (Figure 3).

    Both directions are monitored with the boundaries of :func:`group_sequential_bounds` at
    ``alpha`` each: **holds** when the z statistic of "the claim is false" (see
    :func:`one_sided_verdict`) crosses the boundary, **fails** when that of "the claim is true"
    does, ``"continue"`` before the last look otherwise, and **inconclusive** after it.  A t
    statistic enters through its p-value (``z = Phi^-1(1 - p)``), exact for the normal reference
    and a close approximation for a t with the degrees of freedom of several seeds.
    """
    if not 1 <= look <= looks:
        raise ValueError(f"need 1 <= look <= looks, got {look}, {looks}")
    v = one_sided_verdict(claim, est, bound=bound, direction=direction, margin=margin, alpha=alpha)
    c = float(group_sequential_bounds(looks, alpha=alpha, spending=spending)[look - 1])
    z_hold, z_fail = -special.ndtri(max(v.p_hold, 1e-300)), -special.ndtri(max(v.p_fail, 1e-300))
    if z_hold >= c:
        return "holds"
    if z_fail >= c:
        return "fails"
    return "inconclusive" if look == looks else "continue"
