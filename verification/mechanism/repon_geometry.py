"""Repon geometry of trained embeddings: class distances, collisions and their times (Sec. IV of [1]_).

Theorem 1 of [1]_ says that a decoder reaching zero loss on a classification problem must embed
same-class elements at one point and different classes at different points; Theorems 2-3 say that a
same-class pair either collides (distance to zero) or settles at a positive distance, and Eq. (12)
gives the probability of the first.  This module measures that geometry on embedding snapshots
``E`` of shape ``(n, d)`` (pure numpy; no training here):

* the *classes* a relation can see, :func:`indistinguishable_classes`: elements whose rows and
  columns of the relation matrix are equal (for ``x = y mod 3`` the three residue classes, for the
  complete bipartite relation its two sides, for a total order ``n`` singletons);
* pairwise distances within and between classes, :func:`class_distances`;
* which same-class pairs have *collided*, :func:`collided_pairs`, under the declared criterion

  .. math::

      |E_a - E_b| < f \\cdot \\operatorname{median}_{\\mathrm{class}(i) \\ne \\mathrm{class}(j)}
      |E_i - E_j|, \\qquad f = 0.1 \\;(:data:`COLLISION_FRACTION`),

  and the step at which each pair collided, :func:`collision_steps`;
* for a total order (greater-than), the fraction of pairs whose order along the learned 1-d
  principal direction disagrees with the true order, :func:`order_violations`.

Why this criterion: it is scale free (the embeddings' overall scale drifts in training, the median
between-class distance moves with it); it separates the two outcomes of Theorem 2, since a collided
pair's distance decays to zero while a pair at the no-collision fixed point of Eq. (10) keeps
``c* = sqrt(-eta_x C)``, a finite fraction of its initial separation; and at initialisation it is
almost never met by chance: for i.i.d. Gaussian embeddings in ``d = 2``,
``|E_a - E_b|^2 / 2 ~ chi^2_2`` and ``P(|E_a - E_b| < f median) = 1 - 2^{-f^2} = 0.0069``
(:func:`chance_collision_probability`).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

__all__ = [
    "COLLISION_FRACTION",
    "indistinguishable_classes",
    "same_class_pairs",
    "class_distances",
    "collided_pairs",
    "collision_fraction",
    "collision_steps",
    "chance_collision_probability",
    "order_violations",
    "repon_geometry",
]

#: a same-class pair has collided when its distance is below this fraction of the median
#: between-class distance (declared before the data; see the module docstring)
COLLISION_FRACTION = 0.1


def _embeddings(E) -> np.ndarray:
    a = np.asarray(E, dtype=float)
    if a.ndim != 2 or a.shape[0] < 2 or a.shape[1] < 1:
        raise ValueError(f"embeddings must have shape (n, d) with n >= 2, got {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError("embeddings contain NaN or infinity")
    return a


def _labels(labels, n) -> np.ndarray:
    lab = np.asarray(labels)
    if lab.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), got {lab.shape}")
    return lab


def _check_fraction(fraction) -> float:
    f = float(fraction)
    if not 0 < f < 1:
        raise ValueError(f"fraction must lie in (0, 1), got {fraction}")
    return f


def indistinguishable_classes(R) -> np.ndarray:
    """Class label of each element: elements with equal rows and columns of ``R`` share a label.

    Two such elements are interchangeable for every pair the relation contains, so Theorem 1 of
    [1]_ puts them at one point; labels are ``0, 1, ...`` in order of first appearance.

    Examples
    --------
    >>> from effective_theory import equal_mod, greater_than
    >>> indistinguishable_classes(equal_mod(6, 3)).tolist()
    [0, 1, 2, 0, 1, 2]
    >>> len(set(indistinguishable_classes(greater_than(5)).tolist()))   # a total order: singletons
    5
    """
    M = np.asarray(getattr(R, "matrix", R), dtype=np.int8)
    if M.ndim != 2 or M.shape[0] != M.shape[1]:
        raise ValueError(f"relation must be a square matrix, got shape {M.shape}")
    keys = np.concatenate([M, M.T], axis=1)
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    # relabel by first appearance
    order = np.argsort(first)
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse.reshape(-1)]


def same_class_pairs(labels) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays ``(a, b)``, ``a < b``, of every same-class pair, in row-major order.

    Examples
    --------
    >>> a, b = same_class_pairs([0, 1, 0, 1])
    >>> list(zip(a.tolist(), b.tolist()))
    [(0, 2), (1, 3)]
    """
    lab = np.asarray(labels)
    a, b = np.triu_indices(lab.shape[0], 1)
    same = lab[a] == lab[b]
    return a[same], b[same]


def class_distances(E, labels) -> dict:
    """Euclidean distances of the same-class and of the different-class pairs ``i < j``.

    Returns
    -------
    dict
        ``within`` (same-class pairs, in :func:`same_class_pairs` order) and ``between``
        (different-class pairs), 1-d arrays.

    Examples
    --------
    >>> E = [[0.0, 0.0], [3.0, 4.0], [0.0, 0.0]]
    >>> d = class_distances(E, [0, 1, 0])
    >>> d["within"].tolist(), d["between"].tolist()
    ([0.0], [5.0, 5.0])
    """
    E = _embeddings(E)
    lab = _labels(labels, E.shape[0])
    a, b = np.triu_indices(E.shape[0], 1)
    dist = np.linalg.norm(E[a] - E[b], axis=1)
    same = lab[a] == lab[b]
    return {"within": dist[same], "between": dist[~same]}


def collided_pairs(E, labels, *, fraction: float = COLLISION_FRACTION) -> np.ndarray:
    """Which same-class pairs have collided: distance below ``fraction`` x the median between-class distance.

    Returns
    -------
    ndarray of bool
        One entry per same-class pair, in :func:`same_class_pairs` order.

    Raises
    ------
    ValueError
        When there is no same-class pair or no different-class pair.

    Examples
    --------
    >>> E = [[0.0, 0.0], [1.0, 0.0], [0.01, 0.0], [1.5, 0.0]]
    >>> collided_pairs(E, [0, 1, 0, 1]).tolist()    # 0-2 at 0.01 collided, 1-3 at 0.5 not
    [True, False]
    """
    f = _check_fraction(fraction)
    d = class_distances(E, labels)
    if d["within"].size == 0 or d["between"].size == 0:
        raise ValueError("need at least one same-class and one different-class pair")
    return d["within"] < f * np.median(d["between"])


def collision_fraction(E, labels, *, fraction: float = COLLISION_FRACTION) -> float:
    """Fraction of the same-class pairs that have collided (:func:`collided_pairs`).

    Examples
    --------
    >>> collision_fraction([[0, 0], [1, 0], [0, 0], [1.5, 0]], [0, 1, 0, 1])
    0.5
    """
    return float(np.mean(collided_pairs(E, labels, fraction=fraction)))


def collision_steps(snapshots, steps, labels, *, fraction: float = COLLISION_FRACTION) -> np.ndarray:
    """Step at which each same-class pair collided for good; -1 for pairs not collided at the end.

    The collision step of a pair is the first snapshot step from which it stays collided
    (:func:`collided_pairs`) at every later snapshot, so a pair that touches and separates again
    counts only from its last arrival.

    Parameters
    ----------
    snapshots : array_like, shape (S, n, d)
        Embeddings at the steps ``steps`` (increasing).
    steps : array_like of int, shape (S,)
    labels : array_like, shape (n,)

    Examples
    --------
    >>> snaps = [[[0, 0], [1, 0], [0.5, 0], [2, 0]],      # step 0: apart
    ...          [[0, 0], [1, 0], [0.01, 0], [2, 0]],     # step 10: pair 0-2 collided
    ...          [[0, 0], [1, 0], [0.0, 0], [2, 0]]]      # step 20: still collided
    >>> collision_steps(snaps, [0, 10, 20], [0, 1, 0, 1]).tolist()
    [10, -1]
    """
    S = np.asarray(snapshots, dtype=float)
    t = np.asarray(steps, dtype=np.int64)
    if S.ndim != 3 or t.shape != (S.shape[0],) or S.shape[0] < 1:
        raise ValueError(f"snapshots must be (S, n, d) with S = len(steps) >= 1, got {S.shape}, {t.shape}")
    if np.any(np.diff(t) <= 0):
        raise ValueError("steps must be increasing")
    hit = np.stack([collided_pairs(E, labels, fraction=fraction) for E in S])  # (S, pairs)
    # last snapshot at which the pair was apart; it collided for good at the next one
    apart = ~hit
    last_apart = np.where(apart.any(0), S.shape[0] - 1 - np.argmax(apart[::-1], axis=0), -1)
    out = np.full(hit.shape[1], -1, dtype=np.int64)
    ok = hit[-1]
    out[ok] = t[last_apart[ok] + 1]
    return out


def chance_collision_probability(d: int, *, fraction: float = COLLISION_FRACTION) -> float:
    """Probability that two i.i.d. ``N(0, I_d)`` embeddings meet the collision criterion by chance.

    With ``|E_a - E_b|^2 / 2 ~ chi^2_d`` and the median of the between-class distances taken as
    that of the same law, the probability is ``F_{chi^2_d}(f^2 m_d)`` with ``m_d`` the median of
    ``chi^2_d``; for ``d = 2`` it is ``1 - 2^{-f^2}``.

    Examples
    --------
    >>> round(chance_collision_probability(2), 4)
    0.0069
    """
    f = _check_fraction(fraction)
    return float(stats.chi2.cdf(f * f * stats.chi2.median(d), d))


def order_violations(E, order) -> float:
    """Fraction of pairs ordered wrongly along the embeddings' first principal direction.

    The embeddings are projected on their first principal component (the learned 1-d direction of
    a total order); a pair ``i, j`` is a violation when its projected order disagrees with
    ``order`` (ties count as half).  The sign of the direction is arbitrary, so the smaller of the
    two fractions is returned: 0 for a perfectly ordered line, about 1/2 for a random one.

    Parameters
    ----------
    E : array_like, shape (n, d)
    order : array_like, shape (n,)
        True rank of each element (e.g. the row sums of the greater-than matrix).

    Examples
    --------
    >>> E = [[0.0, 0.0], [1.0, 0.1], [2.0, -0.1], [3.0, 0.0]]
    >>> order_violations(E, [0, 1, 2, 3]), order_violations(E, [3, 2, 1, 0])   # either sign
    (0.0, 0.0)
    >>> order_violations(E, [1, 0, 2, 3])     # one of the six pairs swapped
    0.16666666666666666
    """
    E = _embeddings(E)
    rank = np.asarray(order, dtype=float)
    if rank.shape != (E.shape[0],):
        raise ValueError(f"order must have shape ({E.shape[0]},), got {rank.shape}")
    X = E - E.mean(0)
    _, _, vt = np.linalg.svd(X, full_matrices=False)
    proj = X @ vt[0]
    a, b = np.triu_indices(E.shape[0], 1)
    s = np.sign(proj[a] - proj[b]) * np.sign(rank[a] - rank[b])
    wrong = np.mean(np.where(s == 0, 0.5, s < 0))
    return float(min(wrong, 1.0 - wrong))


def repon_geometry(snapshots, steps, R, *, fraction: float = COLLISION_FRACTION) -> dict:
    """The repon geometry of one training run, from its embedding snapshots (JSON-ready).

    Parameters
    ----------
    snapshots : array_like, shape (S, n, d)
        Embeddings at ``steps`` (the last one the final embeddings).
    steps : array_like of int, shape (S,)
    R : Relation or array_like
        The relation trained on.

    Returns
    -------
    dict
        ``steps``; per snapshot ``within_median``, ``between_median`` (median distances),
        ``collision_fraction`` (of the same-class pairs) and, for a total order,
        ``order_violations``; at the end ``final_collision_fraction``, ``between_collided``
        (fraction of different-class pairs that meet the criterion: Theorem 1 wants 0),
        ``collision_steps`` (per same-class pair, :func:`collision_steps`), ``pairs`` (number of
        same-class pairs) and ``fraction`` (the criterion's ``f``).  Without a same-class pair (a
        total order) the collision entries are absent.

    Examples
    --------
    >>> from effective_theory import equal_mod
    >>> snaps = np.zeros((2, 6, 2)); snaps[:, :, 0] = [0, 1, 2, 0.5, 1, 2]  # step 10: 1-4, 2-5 met
    >>> snaps[0, 3:, 1] = 1.0                                              # step 0: all apart
    >>> g = repon_geometry(snaps, [0, 10], equal_mod(6, 3))
    >>> g["collision_fraction"], g["collision_steps"]
    ([0.0, 0.6666666666666666], [-1, 10, 10])
    """
    S = np.asarray(snapshots, dtype=float)
    f = _check_fraction(fraction)
    M = np.asarray(getattr(R, "matrix", R), dtype=bool)
    labels = indistinguishable_classes(M)
    out = {"steps": [int(s) for s in steps], "fraction": f}
    has_pairs = len(same_class_pairs(labels)[0]) > 0 and labels.max() > 0
    total_order = labels.max() == M.shape[0] - 1
    if has_pairs:
        within, between, frac = [], [], []
        for E in S:
            d = class_distances(E, labels)
            within.append(float(np.median(d["within"])))
            between.append(float(np.median(d["between"])))
            frac.append(float(np.mean(d["within"] < f * between[-1])))
        d = class_distances(S[-1], labels)
        out.update(
            within_median=within,
            between_median=between,
            collision_fraction=frac,
            final_collision_fraction=frac[-1],
            between_collided=float(np.mean(d["between"] < f * np.median(d["between"]))),
            collision_steps=collision_steps(S, steps, labels, fraction=f).tolist(),
            pairs=int(len(d["within"])),
        )
    if total_order:
        rank = M.sum(1)
        out["order_violations"] = [order_violations(E, rank) for E in S]
    return out
