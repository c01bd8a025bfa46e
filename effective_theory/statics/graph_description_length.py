r"""Description length of a graph, ``b = log2(n!/|Aut(G)|)`` (Section III of [1]_).

The number of graphs with the same structure as ``G`` on ``n`` labelled
vertices is ``n!/|Aut(G)|``, so describing which one is meant takes

.. math::

    b = \log_2 \frac{n!}{|\mathrm{Aut}(G)|}

bits (Section III of [1]_; for a total order ``|Aut| = 1`` and
``b = log2 n!``, for ``K_{a,c}`` with ``a != c`` it is ``log2 C(n, a)``).
Both terms are computed in log space (``lgamma``), so ``n = 10**7`` does not
overflow; ``|Aut(G)|`` itself comes from :mod:`effective_theory.statics.automorphisms`
(exact reductions, then nauty or bliss).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
import numbers
import time
from dataclasses import dataclass

import numpy as np

from effective_theory.statics._graph_arrays import show
from effective_theory.statics.automorphisms import AutomorphismOrder, automorphism_order
from effective_theory.statics.graph_input import to_coloured_graph

__all__ = [
    "DescriptionLength",
    "description_length",
    "description_length_report",
    "description_lengths",
    "automorphism_group_order",
]

#: below this many vertices ``bits`` is computed from the exact integer n!/|Aut|
_EXACT_N = 3000
#: ``aut_order`` is the exact integer below this many digits (Python's int-to-text limit is 4300)
_EXACT_DIGITS = 4000


@dataclass(frozen=True)
class DescriptionLength:
    """Result of :func:`description_length_report`.

    Attributes
    ----------
    n : int
        Number of vertices.
    edges : int
        Number of input edges (arcs if directed; loops and parallel edges count).
    directed : bool
    aut : AutomorphismOrder
        ``|Aut(G)|`` in factorised form (``int(aut)`` gives the integer).
    bits : float
        ``log2(n!/|Aut(G)|)``.
    engine : str
        Engine used on the reduced core (``"reductions"`` when the exact
        reductions alone finished the job; ``"nauty+bliss"`` when the parts of
        the core went to different engines).  A plain networkx graph (undirected, no
        multi-edges, no edge attributes) with at most 64 vertices goes to nauty whole, without
        the reductions: one call costs tens of microseconds.
    core_n, core_pairs : int
        Size of what the engines see: one copy of each class of isomorphic
        components of the reduced core.
    seconds : float
        Wall time, input conversion included.
    """

    n: int
    edges: int
    directed: bool
    aut: AutomorphismOrder
    bits: float
    engine: str
    core_n: int
    core_pairs: int
    seconds: float

    @property
    def log10_aut(self) -> float:
        """``log10 |Aut(G)|``."""
        return self.aut.log10

    @property
    def log2_aut(self) -> float:
        """``log2 |Aut(G)|``."""
        return self.aut.log2

    @property
    def aut_order(self) -> int | None:
        """``|Aut(G)|`` as an exact integer when it has at most 4000 digits, else ``None``
        (``int(aut)`` always works, but a star with ``10**6`` leaves has 5.6 million digits)."""
        return int(self.aut) if self.aut.log10 < _EXACT_DIGITS else None

    def aut_order_text(self, digits: int = 30) -> str:
        """``|Aut(G)|`` in full when it has at most ``digits`` digits, else as ``1.23457e+5565708``.

        Up to 4000 digits the mantissa is the exact integer's (rounded to six significant
        digits); beyond, it comes from ``log10 |Aut|`` (about ten significant digits).
        """
        order = self.aut_order
        if order is not None and len(str(order)) <= digits:
            return str(order)
        if order is not None:
            e = len(str(order)) - 1
            q = (order + 5 * 10 ** (e - 6)) // 10 ** (e - 5)  # six significant digits, rounded
            if q >= 10**6:
                q, e = q // 10, e + 1
            return f"{q / 10**5:.5f}e+{e}"
        e = math.floor(self.aut.log10)
        m = 10 ** (self.aut.log10 - e)
        if round(m, 5) >= 10:
            m, e = m / 10, e + 1
        return f"{m:.5f}e+{e}"


#: a plain networkx graph with at most this many vertices goes to nauty directly (one call, no
#: numpy, no reductions): what many small graphs cost is this per-call overhead
SMALL_GRAPH_MAX_N = 64


def _small_graph_aut(G):
    """``(n, edges, pairs, |Aut|)`` of a small plain networkx graph from one nauty call, or ``None``.

    Plain: undirected, not a multigraph, at most :data:`SMALL_GRAPH_MAX_N` vertices and no edge
    attributes (so that no weight or label rule applies); a self-loop colours its vertex.  nauty's
    order is a float, used only when it is an exact integer (below ``2**50``); ``None`` sends the
    graph to the general path.
    """
    if G.is_directed() or G.is_multigraph():
        return None
    adj = getattr(G, "_adj", None)  # networkx's own dict of dicts: iterating its views costs more
    if type(adj) is not dict:
        adj = G.adj
    n = len(adj)
    if n > SMALL_GRAPH_MAX_N:
        return None
    index = {v: i for i, v in enumerate(adj)}
    rows: dict = {}
    loops = set()
    pairs = 0
    for u, nbrs in adj.items():
        iu = index[u]
        row = []
        for v, data in nbrs.items():
            if data:
                return None
            iv = index[v]
            if iv > iu:
                row.append(iv)
            elif iv == iu:
                loops.add(iu)
        if row:
            rows[iu] = row
            pairs += len(row)
    if n <= 1:
        return n, len(loops), 0, 1
    import pynauty

    cells = [set(range(n)) - loops, loops] if loops else []
    _gens, size1, size2, _orbits, _k = pynauty.autgrp(
        pynauty.Graph(n, adjacency_dict=rows, vertex_coloring=cells)
    )
    if size2 or size1 >= 2**50 or size1 != int(size1):
        return None
    return n, pairs + len(loops), pairs, int(size1)


def _plain_networkx(G) -> bool:
    """Whether ``G`` is a networkx graph (checked without importing networkx)."""
    return type(G).__module__.startswith("networkx.") and hasattr(G, "adj")


def _bits(n: int, aut: AutomorphismOrder) -> float:
    if n <= _EXACT_N:
        ratio = math.factorial(n) // int(aut)  # an integer by Lagrange's theorem
        return math.log2(ratio)
    return max(0.0, (math.lgamma(n + 1) - aut.ln) / math.log(2.0))


def description_length_report(
    G,
    *,
    engine="auto",
    vertex_colors=None,
    edge_label=None,
    time_limit=None,
    n=None,
    directed=None,
    weight="weight",
    default=None,
    reduce=True,
) -> DescriptionLength:
    """Description length of ``G`` with the details (see :func:`description_length`).

    Examples
    --------
    >>> import networkx as nx
    >>> r = description_length_report(nx.petersen_graph())
    >>> int(r.aut), r.n, r.edges
    (120, 10, 15)
    """
    start = time.perf_counter()
    if (
        reduce
        and engine == "auto"
        and time_limit is None
        and vertex_colors is None
        and edge_label is None
        and n is None
        and directed is None
        and weight == "weight"
        and default is None
        and _plain_networkx(G)
    ):
        small = _small_graph_aut(G)
        if small is not None:
            size, m, pairs, order = small
            aut = AutomorphismOrder(core=order)
            return DescriptionLength(
                n=size,
                edges=m,
                directed=False,
                aut=aut,
                bits=_bits(size, aut),
                engine="nauty",
                core_n=size,
                core_pairs=pairs,
                seconds=time.perf_counter() - start,
            )
    cg, size, m, is_directed = to_coloured_graph(
        G,
        vertex_colors=vertex_colors,
        edge_label=edge_label,
        n=n,
        directed=directed,
        weight=weight,
        default=default,
    )
    remaining = None
    if time_limit is not None:
        if getattr(time_limit, "ndim", None) == 0 and hasattr(time_limit, "item"):
            time_limit = time_limit.item()  # a 0-d numpy array
        if isinstance(time_limit, bool) or not isinstance(time_limit, numbers.Real) or not time_limit > 0:
            raise ValueError(f"time_limit must be a positive number of seconds, got {show(time_limit)}")
        time_limit = float(time_limit)
        remaining = max(time_limit - (time.perf_counter() - start), 1e-3)
    aut, report = automorphism_order(cg, engine=engine, reduce=reduce, time_limit=remaining)
    bits = _bits(size, aut)
    return DescriptionLength(
        n=size,
        edges=m,
        directed=is_directed,
        aut=aut,
        bits=bits,
        engine=report["engine"],
        core_n=report["core_n"],
        core_pairs=report["core_pairs"],
        seconds=time.perf_counter() - start,
    )


def description_length(
    G,
    *,
    engine="auto",
    vertex_colors=None,
    edge_label=None,
    time_limit=None,
    n=None,
    directed=None,
    weight="weight",
    default=None,
) -> float:
    r"""Description length ``b = log2(n!/|Aut(G)|)`` in bits (Section III of [1]_).

    .. math::

        b = \log_2 n! - \log_2 |\mathrm{Aut}(G)|

    Parameters
    ----------
    G : graph
        A networkx Graph/DiGraph/MultiGraph/MultiDiGraph, an igraph Graph, a
        square 0/1 numpy array or scipy.sparse matrix (a directed graph whose
        diagonal entries are self-loops), a :class:`~effective_theory.Relation`,
        an :class:`~effective_theory.EdgeList`, or an ``(m, 2)`` integer edge
        array together with ``n=``.
    engine : {"auto", "nauty", "bliss"}
        Engine for the core left by the exact reductions and the grouping of
        isomorphic components; ``"auto"`` takes nauty when the encoded core is
        dense (at least a quarter of all pairs, after complementing a core
        denser than half) and has at most 2000 vertices, and for at most two
        nauty runs; bliss otherwise.
    vertex_colors : sequence, mapping or str, optional
        One colour per vertex (a sequence in vertex order, a mapping node ->
        colour, or a node attribute name of a networkx/igraph graph).
        Automorphisms must preserve colours.
    edge_label : str or array_like, optional
        Edge attribute name (networkx, igraph) or one label per row of an edge
        array.  Automorphisms must preserve labels.
    time_limit : float, optional
        Seconds.  The general engine then runs in a child process that is
        killed when the limit expires, raising ``TimeoutError``.
    n : int, optional
        Number of vertices when ``G`` is an ``(m, 2)`` edge array.
    directed : bool, optional
        Edge arrays, edge tuples, matrices and files: read edges as arcs
        (``None``: as the input says).
    weight : {"weight", None}
        One rule for weighted inputs of every type: a weight other than 1 (a
        networkx or igraph edge attribute ``weight``, a matrix entry other
        than 0/1, networkx's ``{'weight': w}`` edge data or a numeric third
        column in an edge list file) raises a :class:`ParameterError`, never
        ignored silently.  ``None`` ignores the weights (every edge, or
        nonzero matrix entry, counts once); ``edge_label="weight"`` (a
        ``u v w`` file: ``edge_label=3``) makes them edge colours instead.
    default : optional
        The label or colour of the edges or nodes that lack the attribute
        named by ``edge_label`` or ``vertex_colors`` (or that a colour mapping
        leaves out).  Without it, an attribute that some but not all edges or
        nodes carry is an error.

    Returns
    -------
    float
        Bits; 0 for the empty and the complete graph.

    Raises
    ------
    TypeError, ValueError
        Unsupported input, non-square matrices, weights without ``weight=None``
        or ``edge_label="weight"``, NaN, negative or out-of-range node ids,
        unknown engine.
    TimeoutError
        ``time_limit`` expired.

    Examples
    --------
    A strict total order has no symmetry: ``b = log2 n!`` (Table II of [1]_).

    >>> from effective_theory import greater_than
    >>> import math
    >>> math.isclose(description_length(greater_than(30)), math.log2(math.factorial(30)))
    True
    >>> description_length([[0, 0], [0, 0]])  # the empty graph
    0.0
    """
    return description_length_report(
        G,
        engine=engine,
        vertex_colors=vertex_colors,
        edge_label=edge_label,
        time_limit=time_limit,
        n=n,
        directed=directed,
        weight=weight,
        default=default,
    ).bits


def description_lengths(graphs, **options) -> np.ndarray:
    """Description lengths of many graphs, in bits, one per graph (see :func:`description_length`).

    ``options`` are :func:`description_length`'s keyword parameters, applied to every graph.
    Small plain networkx graphs (undirected, no multi-edges, no edge attributes, at most 64
    vertices; networkx's atlas of all 1,253 graphs on up to seven vertices, say) cost one nauty
    call each.

    Examples
    --------
    >>> import networkx as nx
    >>> description_lengths([nx.path_graph(3), nx.complete_graph(4)]).tolist()  # log2(3!/2), 0
    [1.584962500721156, 0.0]
    """
    return np.fromiter((description_length_report(G, **options).bits for G in graphs), dtype=np.float64)


def automorphism_group_order(
    G,
    *,
    vertex_colors=None,
    edge_label=None,
    engine="auto",
    time_limit=None,
    n=None,
    directed=None,
    weight="weight",
    default=None,
) -> int:
    """Exact order ``|Aut(G)|`` of the automorphism group of ``G``.

    Automorphisms preserve direction, self-loops, edge multiplicities, edge
    labels and vertex colours.  Takes the same inputs as
    :func:`description_length`.  Beware: the integer can have millions of
    digits (a star with ``10**6`` leaves); use
    :func:`description_length_report` and its ``log10_aut`` for huge groups.

    Examples
    --------
    >>> import networkx as nx
    >>> automorphism_group_order(nx.hypercube_graph(3))  # 2^3 * 3!
    48
    >>> automorphism_group_order(nx.complete_bipartite_graph(2, 3))
    12
    """
    return int(
        description_length_report(
            G,
            engine=engine,
            vertex_colors=vertex_colors,
            edge_label=edge_label,
            time_limit=time_limit,
            n=n,
            directed=directed,
            weight=weight,
            default=default,
        ).aut
    )
