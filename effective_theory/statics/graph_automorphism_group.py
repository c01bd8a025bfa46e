r"""The automorphism group of a graph: generators, orbits, a canonical labelling and a certificate.

:func:`~effective_theory.description_length` needs only the order ``|Aut(G)|`` (Section III of
[1]_); :func:`automorphism_group` returns the group itself, as nauty [2]_ and bliss [3]_ give it:

* ``generators``: permutations of the vertices that generate ``Aut(G)``;
* ``orbits``: the classes of vertices that some automorphism maps onto each other;
* ``canonical_labelling``: a numbering of the vertices such that isomorphic graphs, each
  renumbered by its own, become the same graph;
* ``certificate``: bytes that are equal for two graphs exactly when they are isomorphic (the
  canonically renumbered graph itself, with its labels and colours).

It takes every input of :func:`~effective_theory.description_length` (directed or not, with
self-loops, parallel edges, edge labels and vertex colours) and the same ``engine=`` rule.  The
generators, orbits, labelling and the exact order come from the engine run on the whole graph
(:func:`~effective_theory.automorphism_group_order` reduces the graph first and reaches the same
integer another way), so their size (up to ``n - 1`` generators of length ``n``) limits this function to
graphs whose generators fit in memory.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
.. [2] B. D. McKay, A. Piperno, "Practical graph isomorphism, II",
   J. Symbolic Comput. 60, 94-112 (2014) (nauty).
.. [3] T. Junttila, P. Kaski, "Engineering an efficient canonical labeling
   tool for large and sparse graphs", ALENEX 2007 (bliss).
"""

from __future__ import annotations

import functools
import math
import os
import struct
from dataclasses import dataclass

import numpy as np

from effective_theory.statics._graph_arrays import (
    igraph_parts,
    is_instance_of,
    is_sparse,
    matrix_edges,
    networkx_parts,
    value_key,
    vertex_colour_values,
)
from effective_theory.statics.automorphisms.coloured_graph import ColouredGraph
from effective_theory.statics.automorphisms.engines import (
    NAUTY_MAX_N,
    bliss_order,
    complement,
    encode_simple,
    nauty_order,
)
from effective_theory.statics.automorphisms.order import (
    AUTO_NAUTY_MAX_N,
    ENGINES,
    choose_engine,
)
from effective_theory.statics.graph_input import EdgeList, from_edges, read_graph, to_coloured_graph
from effective_theory.statics.relations import Relation

__all__ = ["AutomorphismGroup", "automorphism_group"]

#: first bytes of every certificate (its format's name and version)
_MAGIC = b"geneft-certificate-1\n"


@dataclass(frozen=True)
class AutomorphismGroup:
    """The automorphism group of a graph, from :func:`automorphism_group`.

    Vertices are named as the input names them (``nodes``): node names of a networkx graph or of
    a file, ``0..n-1`` for arrays, matrices and igraph graphs.

    Attributes
    ----------
    nodes : tuple
        The vertices, in the input's order.
    order : int
        ``|Aut(G)|``, exact.
    generators : tuple of tuples
        Permutations that generate ``Aut(G)``, none of them the identity, each in image form
        over ``nodes``: ``g[i]`` is the image of ``nodes[i]`` (a node name).  Empty when the
        group is trivial.
    orbits : tuple of tuples
        The orbits of ``Aut(G)`` on the vertices, each in the order of ``nodes``, ordered by
        their first vertex; a fixed vertex is an orbit of its own.
    canonical_labelling : tuple of int
        ``canonical_labelling[i]`` is the canonical number (``0..n-1``) of ``nodes[i]``: two
        isomorphic graphs, renumbered by theirs, are the same graph (edges, directions,
        multiplicities, labels and colours).
    certificate : bytes
        The graph renumbered by ``canonical_labelling``, written out: equal for two graphs
        exactly when they are isomorphic (computed with the same engine; see
        :func:`automorphism_group`).  ``certificate.hex()`` gives it as text.
    directed : bool
    engine : str
        The engine that gave the generators and the labelling (``"nauty"`` or ``"bliss"``;
        ``"none"`` for a graph without vertices).
    """

    nodes: tuple
    order: int
    generators: tuple
    orbits: tuple
    canonical_labelling: tuple
    certificate: bytes
    directed: bool
    engine: str

    @property
    def n(self) -> int:
        """Number of vertices."""
        return len(self.nodes)

    @property
    def log2_order(self) -> float:
        """``log2 |Aut(G)|``, exact when the order is a power of two."""
        return math.log2(self.order)

    def permutations(self) -> list[np.ndarray]:
        """The generators as integer arrays over positions ``0..n-1`` (``p[i]`` is the position of
        the image of ``nodes[i]``), the form :func:`~effective_theory.schreier_sims_order` takes."""
        index = {v: i for i, v in enumerate(self.nodes)}
        return [np.fromiter((index[v] for v in g), dtype=np.int64, count=self.n) for g in self.generators]

    def __repr__(self) -> str:
        order = self.order if self.order < 10**30 else f"2^{self.log2_order:.6g}"
        return (
            f"AutomorphismGroup(n={self.n}, order={order}, generators={len(self.generators)}, "
            f"orbits={len(self.orbits)}, engine={self.engine!r})"
        )


# --------------------------------------------------------------------------
# the input as an edge list that keeps its node names, labels and colours
# --------------------------------------------------------------------------
def _as_edge_list(G, *, vertex_colors, edge_label, n, directed, weight, default) -> EdgeList:
    """Any input of :func:`~effective_theory.description_length` as an :class:`EdgeList` carrying
    its node names, edge label values and vertex colour values (what the certificate writes out);
    the reading rules are those of :func:`~effective_theory.statics.graph_input.to_coloured_graph`."""
    if isinstance(G, (str, os.PathLike)):
        G = read_graph(
            G,
            directed=directed,
            labels=edge_label,
            vertex_colors=vertex_colors if isinstance(vertex_colors, str) else None,
            weight=weight,
            default=default,
        )
        edge_label, directed = None, None
        if isinstance(vertex_colors, str):
            vertex_colors = None
    elif n is not None:
        if isinstance(edge_label, str):
            raise TypeError("for an edge array, edge_label must be a sequence with one label per edge")
        G, edge_label = from_edges(G, n, directed=bool(directed), labels=edge_label), None
    elif isinstance(G, list) and G and all(isinstance(e, tuple) for e in G):
        to_coloured_graph(G, directed=directed, edge_label=edge_label)  # description_length's checks
        index = {x: i for i, x in enumerate(dict.fromkeys(x for e in G for x in e))}
        ids = np.array([[index[u], index[v]] for u, v in G], dtype=np.int64)
        E = from_edges(ids, len(index), directed=bool(directed), labels=edge_label)
        G, edge_label = EdgeList(E.edges, E.n, E.directed, E.labels, None, tuple(index)), None
    if isinstance(G, EdgeList):
        if edge_label is not None:
            raise TypeError("an EdgeList carries its labels itself (from_edges(..., labels=...))")
        if vertex_colors is None:
            return G
        if G.vertex_colors is not None:
            raise TypeError("this EdgeList carries its vertex colours already; pass no vertex_colors")
        colours = vertex_colour_values(vertex_colors, G.n, G.nodes, None, default)
        return EdgeList(G.edges, G.n, G.directed, G.labels, _values(colours), G.nodes)
    if is_instance_of(G, "networkx", "Graph"):
        if directed is not None:
            raise TypeError(
                "directed= applies to edge arrays, tuples and matrices; a networkx graph has its own"
            )
        size, arr, is_dir, labels, colours, nodes = networkx_parts(
            G, vertex_colors, edge_label, default, weight=weight
        )
        return EdgeList(arr, size, is_dir, _values(labels), _values(colours), tuple(nodes))
    if is_instance_of(G, "igraph", "Graph"):
        if directed is not None:
            raise TypeError(
                "directed= applies to edge arrays, tuples and matrices; an igraph graph has its own"
            )
        size, arr, is_dir, labels, colours = igraph_parts(
            G, vertex_colors, edge_label, default, weight=weight
        )
        return EdgeList(arr, size, is_dir, _values(labels), _values(colours))
    if edge_label is not None:
        raise TypeError(
            "edge_label needs a networkx/igraph graph, an edge array with n=, edge tuples or a labelled file"
        )
    if isinstance(G, Relation):
        G, directed = G.matrix, (True if directed is None else directed)
    if isinstance(G, (np.ndarray, list, tuple)) or is_sparse(G):
        if isinstance(G, np.ndarray) and G.ndim == 2 and G.shape[1] == 2 and G.shape[0] != 2:
            to_coloured_graph(G)  # the same error as description_length's (an edge array without n=)
        arr, size, is_dir = matrix_edges(G, weight=weight, directed=directed)
        colours = vertex_colour_values(vertex_colors, size, None, None, default)
        return EdgeList(arr, size, is_dir, None, _values(colours))
    to_coloured_graph(G)  # raises description_length's TypeError for an unsupported input
    raise AssertionError("unreachable")  # pragma: no cover


def _values(values):
    """Label or colour values as a 1-D object array (``None`` stays ``None``)."""
    if values is None:
        return None
    if isinstance(values, np.ndarray):
        return values.reshape(-1)
    out = np.empty(len(values), dtype=object)
    for i, x in enumerate(values):
        out[i] = x
    return out


# --------------------------------------------------------------------------
# the engines: generators, orbits and a canonical order of the original vertices
# --------------------------------------------------------------------------
def _choose(cg: ColouredGraph, engine: str):
    """``(engine, encoding)`` for ``cg``: the rule of :func:`automorphism_order` on its encoding."""
    if engine == "bliss":
        return "bliss", encode_simple(cg, allow_directed=True)
    n, arcs, directed, col = encode_simple(cg, allow_directed=False)
    if engine == "nauty":
        if n > NAUTY_MAX_N:
            raise ValueError(
                f"engine='nauty' is dense (n^2/8 bytes); the encoded graph has {n} > {NAUTY_MAX_N} vertices"
            )
        return "nauty", (n, arcs, directed, col)
    pairs = n * (n - 1) // 2
    if n <= AUTO_NAUTY_MAX_N and 2 * len(arcs) > pairs:  # denser than half: the complement is sparser
        arcs = complement(n, arcs)
    if choose_engine(n, len(arcs)) == "nauty":
        return "nauty", (n, arcs, directed, col)
    return "bliss", encode_simple(cg, allow_directed=True)


def _nauty_group(n, arcs, directed, col):
    """(``|Aut|``, generators (k, N), orbit id of every vertex, the vertex at each canonical position)."""
    import pynauty

    adjacency: dict = {}
    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    for s, d in arcs.tolist():
        adjacency.setdefault(s, []).append(d)
    col = np.asarray(col, dtype=np.int64)
    by_colour = np.argsort(col, kind="stable")
    bounds = np.flatnonzero(np.r_[True, col[by_colour][1:] != col[by_colour][:-1]])
    cells = [set(c.tolist()) for c in np.split(by_colour, bounds[1:])]
    graph = pynauty.Graph(n, directed=directed, adjacency_dict=adjacency, vertex_coloring=cells)
    generators, size1, size2, orbits, _k = pynauty.autgrp(graph)
    lab = pynauty.canon_label(graph)
    gens = np.asarray(generators, dtype=np.int64).reshape(-1, n)
    if size2 == 0 and size1 == int(size1) and size1 < 2**50:  # nauty's float order is exact
        order = int(size1)
    else:  # the orbit-stabiliser chain of nauty runs, exact
        order = nauty_order(n, arcs, directed, col)
    return order, gens, np.asarray(orbits, dtype=np.int64), np.asarray(lab, dtype=np.int64)


def _bliss_group(n, arcs, directed, col):
    """As :func:`_nauty_group`, from bliss (python-igraph)."""
    import igraph

    col = np.asarray(col, dtype=np.int64)
    colours = None if col.size and col.min() == col.max() else col.tolist()
    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    graph = igraph.Graph(n=n, edges=arcs.tolist(), directed=directed)
    gens = np.asarray(graph.automorphism_group(sh="fl", color=colours), dtype=np.int64).reshape(-1, n)
    perm = np.asarray(graph.canonical_permutation(sh="fl", color=colours), dtype=np.int64)
    if _igraph_permutes_by_position():  # perm[v]: the canonical position of v
        lab = np.empty(n, dtype=np.int64)
        lab[perm] = np.arange(n)
    else:  # perm[j]: the vertex at canonical position j
        lab = perm
    return bliss_order(n, arcs, directed, col), gens, _orbit_ids(n, gens), lab


@functools.cache
def _igraph_permutes_by_position() -> bool:
    """Whether ``Graph.permute_vertices(p)`` moves vertex ``v`` to ``p[v]`` (else vertex ``p[j]``
    to ``j``).  ``permute_vertices(canonical_permutation())`` is the canonical graph in every
    igraph version, but the direction of the permutation changed between versions (1.0 returns
    the vertex at each position), so it is read off a three-vertex graph once."""
    import igraph

    return igraph.Graph(n=3, edges=[(0, 1)]).permute_vertices([1, 2, 0]).get_edgelist() == [(1, 2)]


def _orbit_ids(n: int, gens: np.ndarray) -> np.ndarray:
    """An orbit id of every vertex under the group that ``gens`` generate: the connected
    components of the graph joining each ``i`` to each ``g[i]``."""
    if gens.shape[0] == 0:
        return np.arange(n)
    # imported here: scipy.sparse takes 0.22 s to import (measured), which nauty's graphs do not need
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    src = np.tile(np.arange(n), gens.shape[0])
    link = coo_matrix((np.ones(src.size, dtype=np.int8), (src, gens.reshape(-1))), shape=(n, n))
    return connected_components(link, directed=False)[1].astype(np.int64)


# --------------------------------------------------------------------------
# the certificate
# --------------------------------------------------------------------------
def _value_text(x) -> bytes:
    """Bytes of a label or colour that equal values share (numbers by value: ``1``, ``1.0`` and
    ``True`` alike)."""
    key = value_key(x)
    if key[0] != 0:
        return b"sbo"[key[0] - 1 : key[0]] + key[2].encode("utf-8", "surrogatepass")
    if math.isfinite(x) and x == int(x):
        return b"i" + str(int(x)).encode()
    if float(x) == x:
        return b"f" + float(x).hex().encode()
    return b"r" + repr(x).encode()  # a number that no float holds (Fraction(1, 3))


def _blob(parts) -> bytes:
    """Length-prefixed concatenation (no two lists of parts give the same bytes)."""
    return b"".join(struct.pack("<Q", len(p)) + p for p in parts)


def _table(values) -> tuple[list[bytes], np.ndarray]:
    """Sorted distinct texts of ``values`` and the index of each value's text in them."""
    texts = [_value_text(x) for x in values]
    table = sorted(set(texts))
    index = {t: i for i, t in enumerate(table)}
    return table, np.fromiter((index[t] for t in texts), dtype=np.int64, count=len(texts))


def _certificate(E: EdgeList, position: np.ndarray) -> bytes:
    """The graph with vertex ``i`` renumbered ``position[i]``, written out canonically."""
    src, dst = position[E.edges[:, 0]], position[E.edges[:, 1]]
    if not E.directed:
        src, dst = np.minimum(src, dst), np.maximum(src, dst)
    cols = [src, dst]
    parts = [_MAGIC, struct.pack("<?QQ", E.directed, E.n, E.num_edges)]
    if E.labels is not None:
        table, lab = _table(E.labels)
        cols.append(lab)
        parts += [b"labels", _blob(table)]
    rows = np.stack(cols, axis=1).astype("<i8")
    rows = rows[np.lexsort(tuple(reversed(cols)))] if rows.size else rows
    parts += [b"edges", rows.tobytes()]
    if E.vertex_colors is not None:
        table, col = _table(E.vertex_colors)
        by_position = np.empty(E.n, dtype="<i8")
        by_position[position] = col
        parts += [b"colours", _blob(table), by_position.tobytes()]
    return _blob(parts)


# --------------------------------------------------------------------------
# the public function
# --------------------------------------------------------------------------
def automorphism_group(
    G,
    *,
    vertex_colors=None,
    edge_label=None,
    engine="auto",
    n=None,
    directed=None,
    weight="weight",
    default=None,
) -> AutomorphismGroup:
    """The automorphism group of ``G``: exact order, generators, orbits, canonical labelling, certificate.

    Automorphisms preserve direction, self-loops, edge multiplicities, edge labels and vertex
    colours, as for :func:`~effective_theory.description_length` (Section III of [1]_), whose
    inputs and keyword parameters this function takes.

    Parameters
    ----------
    G : graph
        Any input of :func:`~effective_theory.description_length`: a networkx or igraph graph, a
        square numpy/scipy matrix, a :class:`~effective_theory.Relation`, an
        :class:`~effective_theory.EdgeList`, an ``(m, 2)`` edge array with ``n=``, a list of edge
        tuples or a file path.
    vertex_colors, edge_label, n, directed, weight, default
        As for :func:`~effective_theory.description_length`.
    engine : {"auto", "nauty", "bliss"}
        Engine for the generators and the canonical labelling, chosen by
        :func:`~effective_theory.description_length`'s rule applied to the whole graph
        (``"auto"``: nauty for a dense encoding of at most 2000 vertices, bliss otherwise).  The
        rule depends only on the number of vertices and edges, so isomorphic graphs get the
        same engine and their certificates can be compared; certificates computed with
        different engines (or library versions) differ even for isomorphic graphs.

    Returns
    -------
    AutomorphismGroup

    Raises
    ------
    TypeError, ValueError
        As :func:`~effective_theory.description_length`.

    Notes
    -----
    Labels and colours enter the certificate as text (numbers by value, so that ``1``, ``1.0``
    and ``True`` agree, as they do as Python values; other values by type and ``repr``): an
    assumption that equal values of types other than numbers, strings and bytes have equal
    ``repr``.  The engines see the coloured graph of
    :mod:`~effective_theory.statics.graph_input` encoded as a simple graph
    (:func:`~effective_theory.statics.automorphisms.engines.encode_simple`); its colour
    classes are numbered by the values they stand for, never by the vertex order, so the
    canonical labelling of isomorphic inputs is the same.

    Examples
    --------
    >>> import networkx as nx
    >>> A = automorphism_group(nx.petersen_graph())
    >>> A.order, len(A.orbits)
    (120, 1)
    >>> A.certificate == automorphism_group(nx.relabel_nodes(nx.petersen_graph(), {0: 1, 1: 0})).certificate
    True
    >>> automorphism_group(nx.path_graph(3)).orbits
    ((0, 2), (1,))
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    E = _as_edge_list(
        G,
        vertex_colors=vertex_colors,
        edge_label=edge_label,
        n=n,
        directed=directed,
        weight=weight,
        default=default,
    )
    cg, size, _m, is_directed = to_coloured_graph(E)
    nodes = E.nodes if E.nodes is not None else tuple(range(size))
    if size == 0:
        empty = _certificate(E, np.zeros(0, np.int64))
        return AutomorphismGroup((), 1, (), (), (), empty, is_directed, "none")
    used, encoding = _choose(cg, engine)
    order, gens, orbit, lab = (_nauty_group if used == "nauty" else _bliss_group)(*encoding)
    gens = gens[:, :size]
    gens = gens[np.any(gens != np.arange(size), axis=1)]
    canonical = lab[lab < size]  # the input's vertices in canonical order (the encoding's own dropped)
    position = np.empty(size, dtype=np.int64)
    position[canonical] = np.arange(size)
    names = list(nodes)
    groups: dict = {}
    for i, o in enumerate(orbit[:size].tolist()):
        groups.setdefault(o, []).append(names[i])
    return AutomorphismGroup(
        nodes=tuple(nodes),
        order=order,
        generators=tuple(tuple(names[j] for j in g) for g in gens.tolist()),
        orbits=tuple(tuple(g) for g in groups.values()),
        canonical_labelling=tuple(position.tolist()),
        certificate=_certificate(E, position),
        directed=is_directed,
        engine=used,
    )
