"""Sequential importance sampling of equivalence relations consistent with training data.

The fallback of :func:`effective_theory.accuracy_upper_bound` when the exact
frontier dynamic programme of :mod:`effective_theory.statics.bounds.equivalence_posterior` is
too large.  Blocks (elements known to be equal) are coloured one at a time,
each uniformly among the colours still allowed (no conflicting block has it,
the class still has room); the sample's weight is the product of the numbers
of allowed colours, or 0 at a dead end or when the prior's class sizes (or
"every class used") are not met.  Then ``E[w 1{c(a) = c(b)}] / E[w]`` is the
posterior ``Pr(a ~ b)`` under the uniform prior over consistent labelled
colourings, i.e. over consistent partitions (Appendix D of [1]_ with exact
weights instead of the independence assumption).  The self-normalised estimate
converges almost surely (law of large numbers) and its standard error is the
ratio-estimator formula ``sqrt(sum w^2 (Y - Ybar)^2) / sum w``.

Samples are drawn in parallel (numba ``prange``), each with its own splitmix64
stream, so results are deterministic for a given ``seed``.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from effective_theory._random import rand_below, seed_words, threads_for_work

__all__ = ["sample_colourings", "equivalence_pair_frequencies"]


@njit(cache=True, parallel=True)
def _sis_kernel(order, weights, conflict, sizes, by_size, k, seeds):
    S = seeds.size
    nb = order.size
    cols = np.full((S, nb), -1, dtype=np.int64)
    w_out = np.zeros(S)
    for s in prange(S):
        state = seeds[s]
        used = np.zeros(k, dtype=np.int64)
        w = 1.0
        ok = True
        opts = np.empty(k, dtype=np.int64)
        for t in range(nb):
            b = order[t]
            no = 0
            for c in range(k):
                if by_size and used[c] + weights[b] > sizes[c]:
                    continue
                bad = False
                for t2 in range(t):
                    b2 = order[t2]
                    if conflict[b, b2] and cols[s, b2] == c:
                        bad = True
                        break
                if not bad:
                    opts[no] = c
                    no += 1
            if no == 0:
                ok = False
                break
            state, r = rand_below(state, no)
            c = opts[r]
            cols[s, b] = c
            used[c] += weights[b]
            w *= no
        if ok and not by_size:
            for c in range(k):
                if used[c] == 0:
                    ok = False
        w_out[s] = w if ok else 0.0
    return cols, w_out


def sample_colourings(block, conflict, prior, n_samples, *, seed=None):
    """Importance-weighted colourings of the blocks.

    Returns
    -------
    colours : ndarray of int64, shape (n_samples, B)
        Colour of each block (``-1`` where a sample hit a dead end).
    weights : ndarray, shape (n_samples,)
        Importance weights (0 for rejected samples).
    """
    block = np.asarray(block, dtype=np.int64)
    nb = int(block.max()) + 1 if block.size else 0
    conflict = np.asarray(conflict, dtype=bool)
    conflict = conflict | conflict.T
    weights = np.bincount(block, minlength=nb).astype(np.int64)
    deg = conflict.sum(axis=1)
    # most constrained first: large blocks, many conflicts
    order = np.lexsort((deg * -1, weights * -1)).astype(np.int64)
    by_size = prior.kind == "class_sizes"
    sizes = np.array(prior.class_sizes if by_size else [0] * prior.k, dtype=np.int64)
    with threads_for_work(n_samples * nb * nb):
        seeds = seed_words(seed, n_samples)
        return _sis_kernel(order, weights, conflict, sizes, by_size, int(prior.k), seeds)


@njit(cache=True)
def _pair_kernel(cols, w, G):
    S, nb = cols.shape
    M = np.zeros((nb, nb))
    Y = np.zeros(S)
    for s in range(S):
        if w[s] == 0.0:
            continue
        y = 0.0
        for a in range(nb):
            for b in range(nb):
                if cols[s, a] == cols[s, b]:
                    M[a, b] += w[s]
                    y += G[a, b]
        Y[s] = y
    return M, Y


def equivalence_pair_frequencies(block, conflict, prior, n_samples, *, seed=None, sign=None):
    """Importance-sampling estimate of ``Pr(i ~ j)`` and of a linear functional's standard error.

    Parameters
    ----------
    block, conflict, prior
        As for :func:`effective_theory.equivalence_pair_probabilities`.
    n_samples : int
        Number of sequential-importance samples.
    sign : ndarray, shape (n, n), optional
        Coefficients ``g_ij``; the standard error returned is that of
        ``sum_ij g_ij P_ij`` (the bound's linearisation uses ``sign(P - 1/2)``).
        Default: the estimate's own ``sign(P - 1/2)``.

    Returns
    -------
    P : ndarray, shape (n, n)
    stderr : float
        Standard error of ``sum_ij g_ij P_ij``.

    Examples
    --------
    >>> from effective_theory.statics.bounds.equivalence_posterior import EquivalencePrior
    >>> P, se = equivalence_pair_frequencies(np.arange(6), np.zeros((6, 6), bool),
    ...                                      EquivalencePrior.equal_sizes(6, 3), 4000, seed=0)
    >>> abs(P[0, 1] - 0.2) < 0.03 and bool(np.allclose(P.sum(axis=1).mean(), 2))
    True
    """
    block = np.asarray(block, dtype=np.int64)
    cols, w = sample_colourings(block, conflict, prior, int(n_samples), seed=seed)
    if not (w > 0).any():
        raise ValueError("importance sampling found no colouring consistent with the data and the prior")
    nb = cols.shape[1]
    M, _ = _pair_kernel(cols, w, np.zeros((nb, nb)))
    Pb = M / w.sum()
    P = Pb[block[:, None], block[None, :]]
    g = np.sign(P - 0.5) if sign is None else np.asarray(sign, dtype=float)
    G = np.zeros((nb, nb))
    np.add.at(G, (block[:, None].repeat(block.size, 1), block[None, :].repeat(block.size, 0)), g)
    _, Y = _pair_kernel(cols, w, G)
    Ybar = float((w * Y).sum() / w.sum())
    se = float(np.sqrt((w**2 * (Y - Ybar) ** 2).sum()) / w.sum())
    return P, se
