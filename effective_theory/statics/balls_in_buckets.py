"""The balls-in-buckets approximation of Section III of [1]_ (Eqs. 1-5).

The ``b`` bits that describe a relation are ``b`` buckets; each of the ``m``
training samples is a ball thrown into a uniformly random bucket and carries
at most one bit.  A bucket that receives at least one ball is a bit learned.

.. math::

    E\\left[\\sum_i Z_i\\right] = b\\,(1 - 1/b)^m                      \\quad (1)

    f(m) = 1 - (1 - 1/b)^m                                          \\quad (3)

    p_c = \\frac{1}{N}\\frac{\\log(1-\\alpha)}{\\log(1 - 1/b)}           \\quad (4)

    f_{UB}(m) = f(m) + \\max(p_*, 1 - p_*)\\,(1 - f(m))              \\quad (5)

where ``N = n**2`` is the number of entries of the relation matrix (``n(n+1)/2`` for an
undirected graph: :func:`num_entries`) and ``p_*`` the probability of guessing an
un-inferable entry correctly.

All functions broadcast over numpy arrays and are computed with ``log1p`` /
``expm1`` so that ``b`` of millions of bits loses no precision.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import numpy as np

from effective_theory._checks import check_int
from effective_theory.statics.relations import parse_relation_name

__all__ = [
    "expected_empty_buckets",
    "expected_filled_buckets",
    "inferable_fraction",
    "critical_train_fraction",
    "num_entries",
    "graph_critical_train_fraction",
    "f_upper_bound",
    "p_star",
]


def _check_bits(b):
    b = np.asarray(b, dtype=float)
    if np.isnan(b).any():
        raise ValueError("description length b is NaN")
    if ((b < 1) & (b != 0)).any():
        raise ValueError(f"description length b must be 0 or at least 1 bit, got {b.min()!r}")
    return b


def _check_nonneg(x, name):
    x = np.asarray(x, dtype=float)
    if np.isnan(x).any() or (x < 0).any():
        raise ValueError(f"{name} must be non-negative, got {x.min() if x.size else x!r}")
    return x


def _log_keep(b):
    """``log(1 - 1/b)``: log-probability that one ball misses a given bucket."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 1, np.log1p(-1.0 / np.where(b > 1, b, 2.0)), -np.inf)


def _scalar_or_array(x):
    return float(x) if np.ndim(x) == 0 else x


def expected_empty_buckets(m, b):
    """Expected number of empty buckets after ``m`` balls, Eq. (1) of [1]_.

    .. math:: E\\left[\\sum_i Z_i\\right] = b\\,(1 - 1/b)^m

    Parameters
    ----------
    m : float or array_like
        Number of training samples (balls), ``m >= 0``.
    b : float or array_like
        Description length in bits (buckets), ``b = 0`` or ``b >= 1``.

    Examples
    --------
    >>> expected_empty_buckets(0, 10)
    10.0
    >>> round(expected_empty_buckets(1, 10), 12)
    9.0
    """
    return _scalar_or_array(np.asarray(_check_bits(b)) - expected_filled_buckets(m, b))


def expected_filled_buckets(m, b):
    """Expected number of non-empty buckets (bits learned), Eq. (2) of [1]_.

    .. math:: E\\left[\\sum_i (1 - Z_i)\\right] = b\\left[1 - (1 - 1/b)^m\\right]
    """
    b = _check_bits(b)
    return _scalar_or_array(b * inferable_fraction(m, b))


def inferable_fraction(m, b):
    """Fraction of the relation inferable from ``m`` samples, Eq. (3) of [1]_.

    .. math:: f(m) = 1 - \\left(1 - \\frac{1}{b}\\right)^m

    A relation with ``b = 0`` bits (one possible graph) is fully known: ``f = 1``.

    Examples
    --------
    >>> inferable_fraction(0, 50)
    0.0
    >>> inferable_fraction(1, 1)
    1.0
    >>> bool(abs(inferable_fraction(10**6, 10**6) - (1 - np.exp(-1))) < 1e-6)
    True
    """
    m = _check_nonneg(m, "number of samples m")
    b = _check_bits(b)
    # (1 - 1/b)^m = exp(m log(1 - 1/b)); 0**0 = 1 (no balls, nothing learned)
    with np.errstate(invalid="ignore"):
        log_miss = np.where(m == 0, 0.0, m * _log_keep(b))
    f = 0.0 - np.expm1(log_miss)  # 0.0 - x turns -0.0 into +0.0
    f = np.where(b == 0, 1.0, f)
    return _scalar_or_array(f)


def critical_train_fraction(alpha, b, N):
    """Critical training fraction ``p_c`` with ``f(N p_c) = alpha``, Eq. (4) of [1]_.

    .. math:: p_c = \\frac{1}{N} \\frac{\\log_2(1 - \\alpha)}{\\log_2(1 - 1/b)}

    Parameters
    ----------
    alpha : float or array_like
        Target inferable fraction, ``0 <= alpha < 1``.
    b : float or array_like
        Description length in bits (``b >= 1``).
    N : int
        Number of entries of the relation, ``n**2``.

    Returns
    -------
    float or ndarray
        ``p_c``; a value above 1 means the target is out of reach even with
        all ``N`` entries.

    Examples
    --------
    >>> # alpha = 1 - 1/e needs about b samples when b is large
    >>> b = 10**4
    >>> round(critical_train_fraction(1 - np.exp(-1), b, 10**6) * 10**6 / b, 3)
    1.0
    """
    alpha = np.asarray(alpha, dtype=float)
    if np.isnan(alpha).any() or (alpha < 0).any() or (alpha >= 1).any():
        raise ValueError(f"alpha must lie in [0, 1), got {alpha!r}")
    b = _check_bits(b)
    if (b < 1).any():
        raise ValueError("critical_train_fraction needs b >= 1 bit")
    N = np.asarray(N, dtype=float)
    if (N <= 0).any() or np.isnan(N).any():
        raise ValueError(f"N must be positive, got {N!r}")
    with np.errstate(divide="ignore"):
        pc = np.log1p(-alpha) / _log_keep(b) / N
    return _scalar_or_array(np.where(b == 1, 0.0 * alpha, pc) + 0.0)


def num_entries(n: int, *, directed: bool = True) -> int:
    """Number ``N`` of independent entries of a relation or graph on ``n`` elements, Eq. (4) of [1]_.

    The samples a model learns from: a relation (a directed graph) has one entry per ordered
    pair, ``N = n**2`` (Eq. (4)'s ``N``); an undirected graph's adjacency matrix is symmetric,
    so its free entries are the upper triangle with the diagonal, ``N = n(n+1)/2``.

    Examples
    --------
    >>> num_entries(30), num_entries(34, directed=False)
    (900, 595)
    """
    n = check_int(n, "n", minimum=0)
    return n * n if directed else n * (n + 1) // 2


def graph_critical_train_fraction(alpha, b, n: int, *, directed: bool = True) -> float:
    """Critical training fraction ``p_c`` of Eq. (4) of [1]_ for a graph of ``b`` bits on ``n`` vertices.

    :func:`critical_train_fraction` with ``N =`` :func:`num_entries` ``(n, directed=directed)``;
    a graph of at most one bit (one possible graph, or one guess between two) needs no sample,
    ``p_c = 0``.  A value above 1 means the fraction ``alpha`` is out of reach even with every
    entry.

    Examples
    --------
    >>> bool(graph_critical_train_fraction(0.9, 50.0, 30) == critical_train_fraction(0.9, 50.0, 900))
    True
    >>> graph_critical_train_fraction(0.9, 0.0, 30)  # the empty graph: nothing to learn
    0.0
    """
    N = num_entries(n, directed=directed)
    if b <= 1 or N == 0:
        return 0.0
    return float(critical_train_fraction(alpha, b, N))


def f_upper_bound(m, b, p_star):
    """Upper bound on prediction accuracy after ``m`` samples, Eq. (5) of [1]_.

    .. math:: f_{UB}(m) = f(m) + \\max(p_*, 1 - p_*)\\,(1 - f(m))

    Parameters
    ----------
    m : float or array_like
        Number of training samples.
    b : float or array_like
        Description length in bits.
    p_star : float
        Probability that an un-inferable entry is 1 (see :func:`p_star`).

    Examples
    --------
    >>> round(f_upper_bound(0, 100, 1/3), 12)  # no data: guess the majority answer
    0.666666666667
    >>> f_upper_bound(10**9, 100, 1/3)
    1.0
    """
    p = np.asarray(p_star, dtype=float)
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise ValueError(f"p_star must lie in [0, 1], got {p_star!r}")
    f = np.asarray(inferable_fraction(m, b))
    return _scalar_or_array(f + np.maximum(p, 1 - p) * (1 - f))


#: relation classes by their accepted spellings (relation names go through parse_relation_name)
_KINDS = {
    "equivalence": "equivalence",
    "bipartite": "bipartite",
    "complete_bipartite": "bipartite",
    "complete-bipartite": "bipartite",
    "total_order": "total_order",
    "total-order": "total_order",
}


def p_star(kind, k=None) -> float:
    """The paper's guessing probability ``p_*`` for a relation class (Section III of [1]_).

    ``1/k`` for an equivalence relation with ``k`` classes, ``1/2`` for a
    complete bipartite graph, ``1/3`` for a total order (the three-symbol
    argument of Section III).

    Parameters
    ----------
    kind : str
        ``"equivalence"`` (needs ``k``), ``"bipartite"``, ``"total_order"``, or
        one of the paper's relation names (``"mod3"``, ``"mod5"``, ``"greater"``,
        ``"bipartite"``).
    k : int, optional
        Number of equivalence classes.

    Examples
    --------
    >>> p_star("mod3"), p_star("bipartite"), p_star("greater")
    (0.3333333333333333, 0.5, 0.3333333333333333)
    """
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a string, got {type(kind).__name__}")
    key = _KINDS.get(kind.strip().lower())
    if key is None:
        try:
            parsed = parse_relation_name(kind)
        except ValueError:
            raise ValueError(
                f"unknown relation kind {kind!r}; known: equivalence, bipartite, total_order, mod<k>"
            ) from None
        key, k = parsed.kind, parsed.k if parsed.k is not None else k
    if key == "equivalence":
        if k is None or int(k) < 1:
            raise ValueError(f"an equivalence relation needs k >= 1 classes, got k={k!r}")
        return 1.0 / int(k)
    if key == "bipartite":
        return 0.5
    return 1.0 / 3.0
