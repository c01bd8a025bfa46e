"""Description lengths of classes of relations: Table II of [1]_.

For relations drawn uniformly from a class of ``C`` relations on ``n``
labelled elements, the description length is ``b = log2 C`` bits
(Section III of [1]_).  Each function returns the paper's expression by
default and the exact ``log2 C`` with ``exact=True`` where a closed form
exists; where the paper's entry is itself exact the two agree.

Everything is computed in log space (``math.lgamma``), so ``n = 10**7`` does
not overflow.

================================  =========================  ==========================================
class                             Table II (paper)           exact ``log2 C`` (first: the reading tested)
================================  =========================  ==========================================
generic                           ``n^2``                    same
symmetric                         ``n(n+1)/2``               same
antisymmetric                     ``n(n-1)/2``               ``n + n(n-1)/2 log2 3``; irreflexive:
                                                             ``n(n-1)/2 log2 3``
reflexive                         ``n(n-1)``                 same
transitive                        ``~ n^2/(<k>-1)!``         no closed form
equivalence, ``k`` classes        ``~ n log2 k``             ``log2 S(n, k)`` (Stirling, 2nd kind);
                                                             equal sizes: ``log2 n!/((n/k)!^k k!)``;
                                                             at most ``k``: ``log2 sum_j<=k S(n, j)``
total order                       ``log2 n! ~ n log2(n/e)``  ``log2 n!``
complete bipartite                ``n``                      ``log2(2^(n-1) - 1)``; sides ``a, c``:
                                                             ``log2 C(n, a)`` (halved if ``a = c``)
incomplete bipartite (S1, S2)     ``|S1| |S2|``              same (given the sides)
tree, average depth ``<d>``       ``~ n log2 <d>``           rooted labelled trees of average depth
                                                             ``<d>`` (:func:`bits_tree_mean_depth`);
                                                             all: ``(n-2) log2 n`` (Cayley; rooted:
                                                             ``n-1``)
================================  =========================  ==========================================

Where a row's words admit several classes, :func:`table_ii` gives each reading's exact count
(:class:`Table2Reading`), the most natural first: the one its verdict is taken on
(``verification.figures.table2``).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from effective_theory.statics.automorphisms.order import AutomorphismOrder
from effective_theory.statics.relations import parse_relation_name
from effective_theory.statics.tree_description_length import bits_tree_mean_depth, total_depth

__all__ = [
    "log2_factorial",
    "log2_binomial",
    "log2_stirling2",
    "bits_generic",
    "bits_symmetric",
    "bits_antisymmetric",
    "bits_reflexive",
    "bits_transitive",
    "bits_equivalence",
    "bits_total_order",
    "bits_complete_bipartite",
    "bits_incomplete_bipartite",
    "bits_tree",
    "relation_automorphism_order",
    "relation_class_bits",
    "Table2Reading",
    "Table2Row",
    "table_ii",
]

_LN2 = math.log(2.0)


def _n(n, name="n", minimum=0) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        try:
            if isinstance(n, np.integer):
                n = int(n)
            else:
                raise TypeError
        except TypeError:
            raise TypeError(f"{name} must be an integer, got {type(n).__name__}") from None
    if n < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {n}")
    return n


def log2_factorial(n: int) -> float:
    """``log2 n!`` via ``lgamma`` (no overflow for ``n = 10**7``).

    Examples
    --------
    >>> log2_factorial(0), round(log2_factorial(4), 12) == round(math.log2(24), 12)
    (0.0, True)
    """
    n = _n(n)
    return math.lgamma(n + 1) / _LN2


def log2_binomial(n: int, k: int) -> float:
    """``log2 C(n, k)``.

    Examples
    --------
    >>> round(2 ** log2_binomial(30, 12)) == math.comb(30, 12)
    True
    """
    n, k = _n(n), _n(k, "k")
    if k > n:
        raise ValueError(f"k must be at most n, got k={k} > n={n}")
    return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)) / _LN2


@lru_cache(maxsize=256)
def _stirling2_exact(n: int, k: int) -> int:
    # S(n, k) = (1/k!) sum_j (-1)^j C(k, j) (k - j)^n, exact integers
    total = sum((-1) ** j * math.comb(k, j) * (k - j) ** n for j in range(k + 1))
    return total // math.factorial(k)


def log2_stirling2(n: int, k: int) -> float:
    """``log2 S(n, k)``: the number of partitions of ``n`` labelled elements into exactly ``k`` blocks.

    Exact integer arithmetic for ``n <= 5000``; above that the leading term
    ``k^n / k!`` with its inclusion-exclusion correction, accurate to far
    below one bit.

    Examples
    --------
    >>> round(2 ** log2_stirling2(5, 2))  # S(5, 2) = 15
    15
    >>> log2_stirling2(4, 5)
    -inf
    """
    n, k = _n(n), _n(k, "k")
    if k > n or (k == 0 and n > 0):
        return -math.inf
    if k == 0:
        return 0.0
    if n <= 5000:
        return _log2_int(_stirling2_exact(n, k))
    # S(n,k) = k^n/k! * sum_j (-1)^j C(k,j) (1 - j/k)^n ; the sum is 1 - k e^{-n/k} + ...
    correction = sum((-1) ** j * math.comb(k, j) * (1 - j / k) ** n for j in range(k + 1))
    return n * math.log2(k) - log2_factorial(k) + math.log2(correction)


def _log2_int(x: int) -> float:
    """``log2`` of a positive Python int of any size (no int-to-str conversion)."""
    if x <= 0:
        return -math.inf
    shift = max(x.bit_length() - 64, 0)
    return math.log2(x >> shift) + shift


def bits_generic(n: int) -> float:
    """Generic relation: every entry free, ``b = n^2`` (Table II of [1]_)."""
    n = _n(n)
    return float(n * n)


def bits_symmetric(n: int) -> float:
    """Symmetric relation: ``b = n(n+1)/2`` (Table II of [1]_; exact)."""
    n = _n(n)
    return n * (n + 1) / 2.0


def bits_antisymmetric(n: int, *, exact: bool = False, irreflexive: bool = False) -> float:
    r"""Antisymmetric relation, Table II of [1]_.

    The paper's ``n(n-1)/2`` counts one bit per unordered pair (which of the
    two directions): it is exact for tournaments, not for antisymmetric
    relations.  Exactly, each unordered pair has three allowed states
    (neither, one way, the other way) and the diagonal is free:

    .. math::

        C = 2^n\, 3^{n(n-1)/2};

    ``irreflexive=True`` counts the asymmetric relations (antisymmetric with
    an empty diagonal), ``3^{n(n-1)/2}``.  Under either reading the paper's
    count is short by a factor ``(log2 3)`` on the pairs.

    Examples
    --------
    >>> bits_antisymmetric(2), round(2 ** bits_antisymmetric(2, exact=True))
    (1.0, 12)
    >>> round(2 ** bits_antisymmetric(3, exact=True, irreflexive=True))
    27
    """
    n = _n(n)
    pairs = n * (n - 1) / 2.0
    if not exact:
        return pairs
    return pairs * math.log2(3) + (0 if irreflexive else n)


def bits_reflexive(n: int) -> float:
    """Reflexive relation: the diagonal is fixed, ``b = n(n-1)`` (Table II of [1]_; exact)."""
    n = _n(n)
    return float(n * (n - 1))


def bits_transitive(n: int, mean_chain_length: float) -> float:
    """Transitive relation, the paper's approximation ``b ~ n^2/(<k>-1)!`` (Table II of [1]_).

    ``<k>`` is the average length of a transitive chain; ``(<k>-1)!`` is
    ``Gamma(<k>)`` for non-integer ``<k>``.  The number of transitive
    relations has no known closed form (OEIS A006905), so there is no
    ``exact`` option.
    """
    n = _n(n)
    if not mean_chain_length >= 1:
        raise ValueError(f"mean chain length <k> must be >= 1, got {mean_chain_length!r}")
    return n * n / math.gamma(mean_chain_length)


def bits_equivalence(
    n: int, k: int, *, exact: bool = False, equal_sizes: bool = False, at_most: bool = False
) -> float:
    r"""Equivalence relation with ``k`` classes, Table II of [1]_.

    Paper: ``b ~ n log2 k`` (each element names its class).  That is exactly
    ``log2`` of the ``k^n`` ways to give each element one of ``k`` class
    *labels*; an equivalence relation does not see the labels, so the exact
    counts are, for the readings of "with ``k`` classes":

    .. math::

        C = S(n, k) \;\text{(exactly } k \text{ classes, any sizes)}, \qquad
        C = \frac{n!}{((n/k)!)^k\, k!} \;\text{(} k \text{ equal classes)}, \qquad
        C = \sum_{j=1}^{k} S(n, j) \;\text{(at most } k \text{)},

    with ``S`` the Stirling number of the second kind.  The first is the most
    natural reading (the class of all equivalence relations with ``k``
    classes); since ``S(n, k) ~ k^n / k!``, the paper's expression exceeds it
    by about ``log2 k!`` bits, a relative error that vanishes as ``n`` grows.

    Examples
    --------
    >>> round(bits_equivalence(30, 3), 6) == round(30 * math.log2(3), 6)
    True
    >>> b = bits_equivalence(30, 3, exact=True, equal_sizes=True)
    >>> round(2 ** b) == math.factorial(30) // (math.factorial(10) ** 3 * 6)
    True
    >>> round(2 ** bits_equivalence(4, 2, exact=True, at_most=True))  # S(4, 1) + S(4, 2) = 1 + 7
    8
    """
    n, k = _n(n), _n(k, "k", minimum=1)
    if equal_sizes and at_most:
        raise ValueError("equal_sizes and at_most are different readings; ask for one")
    if not exact:
        return n * math.log2(k)
    if equal_sizes:
        if n % k:
            raise ValueError(f"k={k} equal classes need n divisible by k, got n={n}")
        s = n // k
        return log2_factorial(n) - k * log2_factorial(s) - log2_factorial(k)
    if at_most:
        terms = [log2_stirling2(n, j) for j in range(1, k + 1)]
        top = max(terms)
        if top == -math.inf:
            return -math.inf
        return top + math.log2(sum(2.0 ** (t - top) for t in terms))
    return log2_stirling2(n, k)


def bits_total_order(n: int, *, exact: bool = True, c: float = math.e) -> float:
    """Total order: ``b = log2 n! ~ n log2(n/c)`` (Table II of [1]_).

    The exact value is the default; ``exact=False`` gives Stirling's
    ``n log2(n/c)`` with ``c = e`` (the paper's text uses ``c = 2`` in
    ``n log2(n/2)``).

    Examples
    --------
    >>> bits_total_order(1), round(bits_total_order(3), 12) == round(math.log2(6), 12)
    (0.0, True)
    """
    n = _n(n)
    if exact:
        return log2_factorial(n)
    return n * math.log2(n / c) if n else 0.0


def bits_complete_bipartite(n: int, *, exact: bool = False, side: int | None = None) -> float:
    """Complete bipartite relation ``K_{S, S^c}``, Table II of [1]_.

    Paper: ``b ~ n`` (one bit per element: which side).  Exactly, over all
    bipartitions into two non-empty sides there are ``2^{n-1} - 1`` such
    relations; with a given side size ``a`` (``c = n - a``) there are
    ``C(n, a)``, halved when ``a = c`` (swapping the sides gives the same
    relation), i.e. ``n! / |Aut(K_{a,c})|``.

    Examples
    --------
    >>> round(bits_complete_bipartite(30, exact=True, side=12), 9) == round(math.log2(math.comb(30, 12)), 9)
    True
    """
    n = _n(n)
    if not exact:
        return float(n)
    if side is None:
        if n < 2:
            return -math.inf
        # log2(2^(n-1) - 1) without overflow
        return (n - 1) + math.log2(-math.expm1((1 - n) * _LN2)) if n > 1 else -math.inf
    a = _n(side, "side")
    if a > n:
        raise ValueError(f"side must be at most n={n}, got {a}")
    b = log2_binomial(n, a)
    return b - 1.0 if 2 * a == n and n > 0 else b


def bits_incomplete_bipartite(size_1: int, size_2: int) -> float:
    """Bipartite graph with given sides ``S1, S2``: every cross pair free, ``b = |S1| |S2|``.

    Table II of [1]_ (exact, given the sides).
    """
    return float(_n(size_1, "size_1") * _n(size_2, "size_2"))


def bits_tree(n: int, mean_depth: float | None = None, *, exact: bool = False, rooted: bool = False) -> float:
    """Tree graph, Table II of [1]_.

    Paper: ``b ~ n log2 <d>`` with ``<d>`` the average node depth.  With
    ``exact=True``, the classes that ignore ``<d>``: Cayley's formula gives
    ``n^{n-2}`` labelled trees (``n^{n-1}`` rooted).  The class of rooted
    labelled trees whose average depth is ``<d>``, the row's most natural
    reading, is :func:`~effective_theory.bits_tree_mean_depth`.

    Examples
    --------
    >>> round(2 ** bits_tree(4, exact=True))  # 4^2 labelled trees on 4 nodes
    16
    """
    n = _n(n)
    if exact:
        if n <= 1:
            return 0.0
        return (n - 1 if rooted else n - 2) * math.log2(n)
    if mean_depth is None or not mean_depth >= 1:
        raise ValueError(f"the approximation needs mean depth <d> >= 1, got {mean_depth!r}")
    return n * math.log2(mean_depth)


def _mod_class_sizes(n: int, k: int) -> tuple[list[int], dict[int, int]]:
    """Sizes ``s_i`` of the classes of ``x mod k`` on ``0..n-1``, and ``m_s``: how many have size ``s``."""
    sizes = [len(range(r, n, k)) for r in range(min(k, n))]
    mult: dict[int, int] = {}
    for s in sizes:
        mult[s] = mult.get(s, 0) + 1
    return sizes, mult


def relation_automorphism_order(name: str, n: int):
    r"""``|Aut|`` of one of the paper's relations on ``n`` elements, in closed form, kept factorised.

    The order of the automorphism group of the relation's directed graph
    (:func:`~effective_theory.relation_by_name`), the denominator of the description length
    ``b = log2(n!/|Aut|)`` (Section III of [1]_):

    .. math::

        |\mathrm{Aut}(\mathrm{mod}\,k)| = \prod_i s_i! \prod_s m_s!, \qquad
        |\mathrm{Aut}(\mathrm{greater})| = 1, \qquad
        |\mathrm{Aut}(K_{a, n-a})| = a!\,(n-a)!\,(1 + [2a = n])

    where ``s_i`` are the sizes of the classes of ``x mod k`` and ``m_s`` the number of classes
    of size ``s`` (the elements of a class are interchangeable, and so are classes of one size),
    a total order has no symmetry, and ``K_{a, n-a}`` with ``a = n // 2`` (the first half, as
    :func:`~effective_theory.complete_bipartite` takes it) permutes each side and swaps equal
    sides.  Exact and instant for any ``n``; ``log2(n!) - log2 |Aut|`` is
    :func:`relation_class_bits`.

    Returns
    -------
    AutomorphismOrder
        ``int()`` of it is the exact order.

    Examples
    --------
    >>> f = math.factorial
    >>> int(relation_automorphism_order("mod3", 30)) == f(10) ** 3 * f(3)
    True
    >>> int(relation_automorphism_order("mod4", 10)) == f(3) ** 2 * f(2) ** 2 * f(2) * f(2)
    True
    >>> int(relation_automorphism_order("greater", 30)), int(relation_automorphism_order("bipartite", 6))
    (1, 72)
    """
    parsed = parse_relation_name(name)
    n = _n(n)
    if parsed.kind == "equivalence":
        _, mult = _mod_class_sizes(n, parsed.k)
        return AutomorphismOrder(tuple(mult.items()) + tuple((m, 1) for m in mult.values()))
    if parsed.kind == "total_order":
        return AutomorphismOrder()
    a = n // 2
    return AutomorphismOrder(((a, 1), (n - a, 1)), 2 if 2 * a == n and a > 0 else 1)


def relation_class_bits(name: str, n: int, *, side: int | None = None) -> float:
    """Exact description length ``b = log2(n!/|Aut|)`` of one of the paper's relations.

    For the relations of Table I on ``n`` elements this is ``log2`` of the
    number of relations isomorphic to it (Section III of [1]_):

    - ``"mod<k>"``: equivalence with the class sizes of ``x mod k``:
      ``n! / (prod_i s_i! * prod_s m_s!)`` with ``m_s`` the number of classes of size ``s``;
    - ``"greater"``: a total order, ``log2 n!``;
    - ``"bipartite"``: ``K_{a, n-a}`` with ``a = side`` (default ``n // 2``).

    Examples
    --------
    >>> b = relation_class_bits("mod3", 30)
    >>> round(b, 9) == round(math.log2(math.factorial(30) / (math.factorial(10) ** 3 * 6)), 9)
    True
    >>> round(relation_class_bits("greater", 30), 9) == round(math.log2(math.factorial(30)), 9)
    True
    """
    parsed = parse_relation_name(name)
    n = _n(n)
    if parsed.kind == "equivalence":
        sizes, mult = _mod_class_sizes(n, parsed.k)
        return (
            log2_factorial(n)
            - sum(log2_factorial(s) for s in sizes)
            - sum(log2_factorial(c) for c in mult.values())
        )
    if parsed.kind == "total_order":
        return log2_factorial(n)
    return bits_complete_bipartite(n, exact=True, side=n // 2 if side is None else side)


@dataclass(frozen=True)
class Table2Reading:
    """One reading of a row of Table II: the class it counts and its exact ``log2 C``."""

    label: str
    bits: float


@dataclass(frozen=True)
class Table2Row:
    """One row of Table II: the paper's expression and, where it exists, the exact ``log2 C``.

    ``readings`` are the classes the row's words admit, the most natural first; ``exact_bits``
    is that first reading's count (``None`` where no exact count is known).
    """

    relation: str
    formula: str
    paper_bits: float
    exact_bits: float | None
    readings: tuple[Table2Reading, ...] = ()


def _row(relation: str, formula: str, paper_bits: float, *readings: Table2Reading) -> Table2Row:
    return Table2Row(relation, formula, paper_bits, readings[0].bits if readings else None, readings)


def table_ii(
    n: int = 30,
    *,
    k: int = 3,
    mean_chain_length: float = 3.0,
    mean_depth: float = 3.0,
    bipartite_sides: tuple[int, int] | None = None,
) -> list[Table2Row]:
    r"""All rows of Table II of [1]_ for ``n`` elements, each with the exact counts of its readings.

    Where a row's words admit several classes, each reading's ``log2 C`` is given
    (:attr:`Table2Row.readings`), the most natural first:

    * antisymmetric: the diagonal free (``2^n 3^{n(n-1)/2}``); irreflexive (asymmetric,
      ``3^{n(n-1)/2}``);
    * equivalence with ``k`` classes: exactly ``k`` classes of any sizes (``S(n, k)``: the class of
      all such relations); ``k`` equal classes (where ``k`` divides ``n``; the paper's mod-``k``
      relations); at most ``k`` classes;
    * complete bipartite: any two non-empty sides (``2^(n-1) - 1``); the sides of the paper's
      relation, ``n // 2`` and ``n - n // 2``;
    * tree: rooted labelled trees whose average node depth is ``<d>`` (the class the expression
      names, :func:`~effective_theory.bits_tree_mean_depth`; only where ``n <d>`` is an integer
      total depth a tree can have); all labelled trees (Cayley, ``n^(n-2)``); all rooted labelled
      trees (``n^(n-1)``).

    Parameters
    ----------
    n : int
        Number of elements.
    k : int
        Number of equivalence classes.
    mean_chain_length, mean_depth : float
        ``<k>`` of the transitive row and ``<d>`` of the tree row.  The paper gives no value for
        either; the default 3 (the ``k`` of the equivalence row) makes the tree row's
        ``n log2 <d>`` equal to the equivalence row's ``n log2 k``, 47.55 bits at ``n = 30``.
    bipartite_sides : (int, int), optional
        Sides of the incomplete bipartite graph; default ``(n // 2, n - n // 2)``.

    Examples
    --------
    >>> rows = table_ii(30)
    >>> [r.relation for r in rows][:3]
    ['generic', 'symmetric', 'antisymmetric']
    >>> all(r.exact_bits is None or r.exact_bits <= 30**2 for r in rows)
    True
    >>> eq = rows[5]
    >>> eq.relation, [(r.label, round(r.bits, 2)) for r in eq.readings][:2]
    ('equivalence, 3 classes', [('exactly 3 classes, any sizes', 44.96), ('3 equal classes', 39.75)])
    """
    n = _n(n)
    s1, s2 = bipartite_sides if bipartite_sides is not None else (n // 2, n - n // 2)
    exact = Table2Reading
    equivalence = [exact(f"exactly {k} classes, any sizes", bits_equivalence(n, k, exact=True))]
    if n % k == 0:
        equivalence.append(exact(f"{k} equal classes", bits_equivalence(n, k, exact=True, equal_sizes=True)))
    equivalence.append(exact(f"at most {k} classes", bits_equivalence(n, k, exact=True, at_most=True)))
    trees = [
        exact("all labelled trees (Cayley)", bits_tree(n, exact=True)),
        exact("all rooted labelled trees", bits_tree(n, exact=True, rooted=True)),
    ]
    if total_depth(n, mean_depth) is not None:
        trees.insert(0, exact(f"rooted, average depth {mean_depth:g}", bits_tree_mean_depth(n, mean_depth)))
    a = n // 2
    return [
        _row("generic", "n^2", bits_generic(n), exact("all relations", bits_generic(n))),
        _row("symmetric", "n(n+1)/2", bits_symmetric(n), exact("all symmetric", bits_symmetric(n))),
        _row(
            "antisymmetric",
            "n(n-1)/2",
            bits_antisymmetric(n),
            exact("diagonal free", bits_antisymmetric(n, exact=True)),
            exact("irreflexive (asymmetric)", bits_antisymmetric(n, exact=True, irreflexive=True)),
        ),
        _row("reflexive", "n(n-1)", bits_reflexive(n), exact("all reflexive", bits_reflexive(n))),
        _row("transitive", "n^2/(<k>-1)!", bits_transitive(n, mean_chain_length)),
        _row(f"equivalence, {k} classes", "n log2 k", bits_equivalence(n, k), *equivalence),
        _row(
            "total order",
            "log2 n! ~ n log2(n/e)",
            bits_total_order(n, exact=False),
            exact("all total orders", bits_total_order(n)),
        ),
        _row(
            "complete bipartite",
            "n",
            bits_complete_bipartite(n),
            exact("any two non-empty sides", bits_complete_bipartite(n, exact=True)),
            exact(f"sides {a} and {n - a}", bits_complete_bipartite(n, exact=True, side=a)),
        ),
        _row(
            "incomplete bipartite",
            "|S1||S2|",
            bits_incomplete_bipartite(s1, s2),
            exact("given sides", bits_incomplete_bipartite(s1, s2)),
        ),
        _row("tree", "n log2 <d>", bits_tree(n, mean_depth), *trees),
    ]
