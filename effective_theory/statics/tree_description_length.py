r"""Description length of trees of a given average depth: the tree row of Table II of [1]_.

Table II of [1]_ gives ``b ~ n log2 <d>`` for a "tree graph", ``<d>`` the average node depth.
A depth needs a root, and a tree as a relation is its parent relation (``R(x, y) = 1`` iff ``x``
is the parent of ``y``), so the relations are the rooted trees on ``n`` labelled nodes.  The
class the row names, "tree graphs whose average node depth is ``<d>``", then has

.. math::

    C(n, \langle d\rangle) = \#\{\text{rooted labelled trees on } n \text{ nodes with }
    \textstyle\sum_v \mathrm{depth}(v) = n \langle d\rangle\}

members (depth 0 at the root, the mean over all ``n`` nodes), and ``b = log2 C`` (Section III of
[1]_: graphs drawn uniformly from the class of those with the stated properties).  This is the
reading :func:`effective_theory.table_ii` tests.  Two wider classes ignore ``<d>``: all labelled
trees (Cayley, ``n^(n-2)``) and all rooted labelled trees (``n^(n-1)``,
:func:`~effective_theory.bits_tree`).  A narrower reading is one tree shape ``T``: its relations
number ``n!/|Aut T|`` (the graph's own description length, Section III of [1]_), which the
expression cannot follow, since shapes of one average depth differ by tens of bits
(:func:`bits_rooted_tree`).

:func:`rooted_trees_by_total_depth` counts the rooted labelled trees by total depth ``P``: a
tree is a root (``n`` choices) over a forest on the other ``n - 1`` nodes, every forest node one
level deeper; the forest is built from the tree holding its smallest label (``C(m-1, s-1)``
ways to label a tree of size ``s``), so

.. math::

    t_n(P) = n\,f_{n-1}(P - n + 1), \qquad
    f_m(Q) = \sum_{s=1}^{m} \binom{m-1}{s-1} \sum_{P'} t_s(P')\, f_{m-s}(Q - P'),
    \qquad f_0(0) = 1,

in exact integers, ``O(n^2 P^2)`` operations (a fraction of a second at ``n = 30, P = 90``).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math

import networkx as nx

from effective_theory._checks import check_int
from effective_theory.statics.graph_description_length import description_length

__all__ = [
    "total_depth",
    "rooted_trees_by_total_depth",
    "bits_tree_mean_depth",
    "tree_mean_depth",
    "bits_rooted_tree",
]


def rooted_trees_by_total_depth(n: int, max_total_depth: int | None = None) -> list[int]:
    r"""Number of rooted labelled trees on ``n`` nodes with each total depth ``P = 0, 1, ...``.

    The total depth is the sum of the nodes' depths (the root at depth 0); it runs from ``n - 1``
    (a star rooted at its centre) to ``n(n-1)/2`` (a path rooted at an end).

    Parameters
    ----------
    n : int
        Number of nodes, at least 1.
    max_total_depth : int, optional
        Largest ``P`` counted (default ``n(n-1)/2``, every tree); a smaller one is faster.

    Returns
    -------
    list of int
        ``counts[P]``, exact.

    Examples
    --------
    Summed over ``P``, every rooted labelled tree, ``n^(n-1)`` (Cayley); ``n`` stars and ``n!``
    paths at the two ends:

    >>> c = rooted_trees_by_total_depth(6)
    >>> sum(c) == 6**5, c[5] == 6, c[15] == math.factorial(6)
    (True, True, True)
    """
    n = check_int(n, "n", minimum=1)
    top = n * (n - 1) // 2 if max_total_depth is None else check_int(max_total_depth, "max_total_depth")
    trees = [[0] * (top + 1) for _ in range(n + 1)]  # trees[m][P]
    forests = [[0] * (top + 1) for _ in range(n + 1)]  # forests[m][Q], depths inside each tree
    forests[0][0] = 1
    for m in range(1, n + 1):
        # a tree on m nodes: a root over a forest on m - 1 nodes, each of them one level deeper
        for q in range(top - (m - 1) + 1):
            trees[m][q + m - 1] = m * forests[m - 1][q]
        for s in range(1, m + 1):  # s: size of the tree holding the forest's smallest label
            ways, rest = math.comb(m - 1, s - 1), forests[m - s]
            for p, t in enumerate(trees[s]):
                if t:
                    tw = ways * t
                    row = forests[m]
                    for q in range(top + 1 - p):
                        if rest[q]:
                            row[p + q] += tw * rest[q]
    return trees[n]


def total_depth(n: int, mean_depth: float) -> int | None:
    """The total depth ``n <d>`` of a rooted tree on ``n`` nodes with average depth ``<d>``, or
    ``None`` when no such tree exists (``n <d>`` not an integer, up to float rounding, or outside
    ``[n - 1, n (n - 1) / 2]``: a star to a path).

    Examples
    --------
    >>> total_depth(30, 3), total_depth(30, 0.5), total_depth(3, 4 / 3)
    (90, None, None)
    """
    total = n * float(mean_depth)
    P = round(total)
    if not math.isclose(total, P, abs_tol=1e-9):  # float rounding of n <d>, not a tolerance
        return None
    return P if n - 1 <= P <= n * (n - 1) // 2 else None


def bits_tree_mean_depth(n: int, mean_depth: float) -> float:
    r"""``log2`` of the number of rooted labelled trees on ``n`` nodes with average depth ``<d>``.

    The exact class size of Table II's tree row (module docstring): ``b = log2 C(n, <d>)`` with
    ``C`` from :func:`rooted_trees_by_total_depth` at total depth ``n <d>``, which must be an
    integer in ``[n - 1, n(n-1)/2]``.

    Examples
    --------
    The shallowest trees are the ``n`` stars rooted at their centre, the deepest the ``n!``
    paths rooted at an end (a total order):

    >>> round(2 ** bits_tree_mean_depth(30, 29 / 30))
    30
    >>> round(bits_tree_mean_depth(30, 14.5), 6) == round(math.log2(math.factorial(30)), 6)
    True
    """
    n = check_int(n, "n", minimum=1)
    P = total_depth(n, mean_depth)
    if P is None:
        total = n * float(mean_depth)
        if not math.isclose(total, round(total), abs_tol=1e-9):
            raise ValueError(f"n <d> must be an integer total depth, got n = {n}, <d> = {mean_depth!r}")
        raise ValueError(f"a tree on {n} nodes has average depth in [{(n - 1) / n:g}, {(n - 1) / 2:g}]")
    count = rooted_trees_by_total_depth(n, P)[P]
    shift = max(count.bit_length() - 64, 0)
    return math.log2(count >> shift) + shift


def _rooted(T, root) -> nx.DiGraph:
    """The parent relation of ``T`` rooted at ``root`` (arcs parent -> child), checked to be a tree."""
    if not nx.is_tree(T):
        raise ValueError("T must be a tree (connected, n - 1 edges)")
    if root not in T:
        raise ValueError(f"root {root!r} is not a node of T")
    D = nx.bfs_tree(T, root)
    D.add_nodes_from(T)
    return D


def tree_mean_depth(T, root) -> float:
    """Average depth ``<d>`` of the nodes of the tree ``T`` rooted at ``root`` (the root has depth 0).

    Examples
    --------
    >>> tree_mean_depth(nx.path_graph(30), 0), tree_mean_depth(nx.star_graph(29), 0)
    (14.5, 0.9666666666666667)
    """
    _rooted(T, root)
    depths = nx.single_source_shortest_path_length(T, root)
    return sum(depths.values()) / len(depths)


def bits_rooted_tree(T, root) -> float:
    r"""Description length ``log2(n!/|Aut|)`` of one rooted tree shape (Section III of [1]_).

    The relations isomorphic to ``T``'s parent relation (arcs from ``root`` outwards) number
    ``n!/|Aut|``, ``Aut`` the automorphisms of ``T`` that fix the root, computed by
    :func:`effective_theory.description_length` of the directed tree.

    Examples
    --------
    A path rooted at an end is a total order (``log2 n!``); a star rooted at its centre is fixed
    by its centre's label (``log2 n``); the complete binary tree on 7 nodes has ``|Aut| = 2^3``:

    >>> round(bits_rooted_tree(nx.path_graph(5), 0), 9) == round(math.log2(120), 9)
    True
    >>> round(2 ** bits_rooted_tree(nx.star_graph(29), 0))
    30
    >>> round(2 ** bits_rooted_tree(nx.full_rary_tree(2, 7), 0))  # 7!/8
    630
    """
    return description_length(_rooted(T, root))
