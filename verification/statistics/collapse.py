"""Whether binomial cells fall on one curve of a measured variable (a collapse test).

Eq. (12) of [1]_ says the probability of generalization is a function of one number,
``K = (sigma_a / sigma_c) sqrt(eta_x / (2 eta_A))``: cells of an experiment that differ in the
learning-rate ratio and in the initialisation scale but share ``K`` should share the probability.
The test here takes cells ``c`` with a measured ``K_c``, ``k_c`` successes of ``n_c`` trials and a
group label ``g_c`` (Figure 6: the initialisation scale) and asks whether each cell agrees with the
curve fitted to the *other* groups' cells, within a margin declared before the data:

* the curve family is Eq. (12)'s own shape with a free scale and exponent,
  ``P(K) = (2/pi) arctan(exp(a) K^b)`` (``a = 0, b = 1`` is Eq. (12)), fitted by binomial maximum
  likelihood with a weak ridge towards Eq. (12) (``RIDGE``) that keeps the fit finite when the
  cells separate perfectly;
* cell ``c``'s deviation is ``P_c - P_{-g_c}(K_c)``, the curve fitted without ``c``'s group:
  leave one group out, so a group cannot fit its own cells;
* its distribution is that of the deviation under independent Jeffreys posterior draws
  ``Beta(k + 1/2, n - k + 1/2)`` of every cell's probability, the curve refitted on each draw
  (:func:`collapse_deviations`), so the curve's uncertainty enters the interval; ``K_c`` is taken
  as measured (its spread over seeds is reported beside it, not propagated).

The verdict (:func:`collapse_verdict`) is a TOST of every cell's deviation against ``+-margin``
(:func:`~verification.statistics.decisions.equivalence_verdict`, all cells jointly).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from verification.statistics.decisions import Verdict, all_of, equivalence_verdict
from verification.statistics.estimates import Estimate, draws_estimate

__all__ = ["DRAWS", "RIDGE", "arctan_curve", "fit_arctan_curve", "collapse_deviations", "collapse_verdict"]

#: weight of the ridge ``RIDGE * (a^2 + (b - 1)^2)`` added to the negative log-likelihood: small
#: beside one cell's likelihood, so it decides the fit only where the data leave it free
RIDGE = 1e-2

#: posterior draws of a collapse test: a deviation's p-value is at least ``1 / (DRAWS + 2)``, so that
#: a row of 15 cells can reach ``15 / 20002 = 7.5e-4`` (below 0.05 / 51, the strictest Holm level
#: of the full report); 20,000 draws take about 3 s
DRAWS = 20_000

_TINY = 1e-12


def arctan_curve(K, a: float, b: float) -> np.ndarray:
    """``(2/pi) arctan(exp(a) K^b)``: Eq. (12) at ``a = 0, b = 1`` (``K > 0``)."""
    K = np.asarray(K, dtype=float)
    return 2.0 / math.pi * np.arctan(np.exp(a + b * np.log(K)))


def fit_arctan_curve(K, k, n) -> tuple[float, float]:
    """``(a, b)`` of :func:`arctan_curve` by binomial maximum likelihood (``k`` may be fractional).

    The negative log-likelihood plus ``RIDGE * (a^2 + (b - 1)^2)`` is minimised by Fisher scoring
    with step halving (:func:`_fit_many`, which fits many count vectors at once).

    Parameters
    ----------
    K : array_like
        The measured variable of each cell (positive).
    k, n : array_like
        Successes and trials per cell.

    Examples
    --------
    Cells drawn exactly from Eq. (12) give back ``a ~ 0, b ~ 1``:

    >>> K = np.array([0.1, 0.3, 1.0, 3.0, 10.0])
    >>> a, b = fit_arctan_curve(K, 1000 * arctan_curve(K, 0.0, 1.0), np.full(5, 1000))
    >>> round(a, 2), round(b, 2)
    (0.0, 1.0)
    """
    a, b = _fit_many(np.log(np.asarray(K, dtype=float)), np.asarray(k, dtype=float)[None, :], n)
    return float(a[0]), float(b[0])


def _objective(theta, x, k, n):
    """Penalised negative log-likelihood of each row of ``theta`` (B, 2) for counts ``k`` (B, C)."""
    p = np.clip(2.0 / math.pi * np.arctan(np.exp(theta[:, :1] + theta[:, 1:] * x)), _TINY, 1 - _TINY)
    nll = -np.sum(k * np.log(p) + (n - k) * np.log1p(-p), axis=1)
    return nll + RIDGE * (theta[:, 0] ** 2 + (theta[:, 1] - 1.0) ** 2)


def _fit_many(x, k, n, *, iterations: int = 100, tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """``(a, b)`` for every row of ``k`` (B, C) at ``x = log K`` (C,): Fisher scoring, step halving."""
    x = np.asarray(x, dtype=float)
    n = np.asarray(n, dtype=float)
    k = np.asarray(k, dtype=float)
    theta = np.tile([0.0, 1.0], (k.shape[0], 1))
    f = _objective(theta, x, k, n)
    for _ in range(iterations):
        eta = np.clip(theta[:, :1] + theta[:, 1:] * x, -30.0, 30.0)
        e = np.exp(eta)
        p = np.clip(2.0 / math.pi * np.arctan(e), _TINY, 1 - _TINY)
        dp = 2.0 / math.pi * e / (1.0 + e * e)
        score = -(k - n * p) / (p * (1 - p)) * dp  # d(nll)/d(eta), per cell
        w = n * dp * dp / (p * (1 - p))  # Fisher information of eta, per cell
        g = np.stack(
            [score.sum(1) + 2 * RIDGE * theta[:, 0], (score * x).sum(1) + 2 * RIDGE * (theta[:, 1] - 1)], 1
        )
        F00 = w.sum(1) + 2 * RIDGE
        F01 = (w * x).sum(1)
        F11 = (w * x * x).sum(1) + 2 * RIDGE
        det = F00 * F11 - F01 * F01
        step = np.stack([(F11 * g[:, 0] - F01 * g[:, 1]) / det, (F00 * g[:, 1] - F01 * g[:, 0]) / det], 1)
        scale = np.ones(len(theta))
        for _halving in range(30):
            trial = theta - scale[:, None] * step
            f_new = _objective(trial, x, k, n)
            worse = f_new > f + 1e-12
            if not worse.any():
                break
            scale[worse] /= 2
        better = ~worse
        theta[better] = trial[better]
        f[better] = f_new[better]
        if np.max(np.abs(scale[:, None] * step)) < tol:
            break
    return theta[:, 0], theta[:, 1]


def _check_cells(K, k, n, groups):
    K = np.asarray(K, dtype=float)
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    groups = np.asarray(groups)
    if not (K.shape == k.shape == n.shape == groups.shape) or K.ndim != 1:
        raise ValueError("K, k, n and groups must be 1-d sequences of one length")
    if not np.all(np.isfinite(K) & (K > 0)):
        raise ValueError("every measured K must be finite and > 0")
    if np.any(n < 1) or np.any(k < 0) or np.any(k > n):
        raise ValueError("each cell needs n >= 1 trials and 0 <= k <= n successes")
    if len(set(groups.tolist())) < 2:
        raise ValueError("a collapse test needs cells of at least two groups")
    return K, k, n, groups


def collapse_deviations(K, k, n, groups, *, draws: int = DRAWS, seed: int = 0) -> list[Estimate]:
    """Per cell, the deviation of its probability from the curve fitted to the other groups.

    Parameters
    ----------
    K : sequence of float
        Measured variable per cell (Figure 6: ``K`` of Eq. (12) measured at initialisation).
    k, n : sequence of int
        Successes and trials per cell.
    groups : sequence
        Group label per cell; at least two groups (Figure 6: the initialisation scale).
    draws : int
        Jeffreys posterior draws.
    seed : int
        Seed of the draws.

    Returns
    -------
    list of Estimate
        Per cell, the deviation ``p - P_{-g}(K)`` of its probability from the curve fitted to the
        other groups, over Jeffreys posterior draws of every cell's probability: ``value`` is the
        draws' median, and their distribution gives the tests and intervals (percentiles).
    """
    K, k, n, groups = _check_cells(K, k, n, groups)
    labels = sorted(set(groups.tolist()))
    others = {g: groups != g for g in labels}
    rng = np.random.default_rng(seed)
    p = rng.beta(k + 0.5, n - k + 0.5, size=(int(draws), len(K)))
    sims = np.empty_like(p)
    for g in labels:
        mine, rest = groups == g, others[g]
        a, b = _fit_many(np.log(K[rest]), p[:, rest] * n[rest], n[rest])
        sims[:, mine] = p[:, mine] - 2.0 / math.pi * np.arctan(
            np.exp(a[:, None] + b[:, None] * np.log(K[mine]))
        )
    # the estimate is the draws' median, so that it lies inside the interval of the same draws (the
    # observed k/n of a cell at 0 or 1 lies outside its Jeffreys interval)
    return [_draws_estimate(float(np.median(sims[:, c])), sims[:, c]) for c in range(len(K))]


def _draws_estimate(value: float, sims: np.ndarray) -> Estimate:
    """An :class:`Estimate` whose tests and intervals are those of the draws ``sims``."""
    return draws_estimate(value, sims, test=f"Jeffreys posterior draws ({len(sims)})")


def collapse_verdict(
    claim: str, K, k, n, groups, *, margin: float, labels: Sequence[str], draws: int = DRAWS, seed: int = 0
) -> Verdict:
    """Every cell within ``+-margin`` of the curve fitted to the other groups (TOST, all cells).

    Parameters
    ----------
    claim : str
        The row's claim.
    K, k, n, groups, draws, seed
        As in :func:`collapse_deviations`.
    margin : float
        The equivalence margin on the probability, declared before the data.
    labels : sequence of str
        Per cell, its name in the row.
    """
    ests = collapse_deviations(K, k, n, groups, draws=draws, seed=seed)
    parts = [equivalence_verdict(lab, e, target=0.0, margin=margin) for lab, e in zip(labels, ests)]
    return all_of(claim, parts)
