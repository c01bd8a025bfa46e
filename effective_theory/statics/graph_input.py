"""Bring any supported graph input to the coloured form used by the engines.

Accepted inputs of :func:`effective_theory.description_length`:

* ``networkx`` Graph, DiGraph, MultiGraph, MultiDiGraph;
* ``igraph.Graph`` (directed or not, multi-edges kept);
* a square ``numpy`` array or ``scipy.sparse`` matrix: entries 0/1 (any nonzero
  entry with ``weight=None``, the entries as labels with ``edge_label="weight"``),
  the diagonal holds self-loops; symmetric
  matrices are undirected graphs, the others directed (``directed=True``
  reads a symmetric one as arcs);
* a :class:`~effective_theory.Relation` (Section II of [1]_), a directed graph;
* an edge array: an ``(m, 2)`` integer array together with ``n=`` (and
  optionally ``directed=``), or an :class:`EdgeList` (from :func:`from_edges`
  or :func:`read_graph`);
* a list of edge tuples ``[(u, v), ...]`` with any hashable node names, as
  ``networkx.Graph(edges)`` takes them (lists of lists are matrix rows);
* a path to a graph file (:func:`read_graph`).

Self-loops, multiplicities, directions and edge labels all count.  They are
folded into an equivalent *coloured* graph (:class:`ColouredGraph`) that has
the same automorphisms:

* the loops at a vertex (a multiset of labels) become part of its colour;
* the arcs between an ordered pair ``(u, v)`` (a multiset of labels, so
  parallel edges count) become one arc *type*; the pair ``{u, v}`` carries the
  oriented colour (type of ``u -> v``, type of ``v -> u``).

A permutation preserves every loop multiset and every arc multiset exactly
when it preserves these colours, so the label- and multiplicity-preserving
automorphisms of the input are exactly the automorphisms of the coloured
graph.

Labels and colours are compared as Python values (``1 != "1"``,
``True == 1 == 1.0``), whatever the container; NaN (which equals nothing, not
even itself) and ``None`` (a missing value) are refused, and an attribute that
some but not all edges or nodes carry is an error unless ``default=`` names the
value for the others.  An error that a keyword parameter causes or fixes (``format=`` of an
ambiguous file, ``weight=None`` for a weighted matrix, ``default=`` for a partial attribute)
is a :class:`ParameterError`, a ``ValueError`` whose ``parameter`` names it.

Weights follow one rule on every input: a weight other than 1 (a networkx or
igraph edge attribute ``weight``, a matrix entry, edge data or a numeric third
column in a file) is refused unless ``weight=None`` (ignore them) or
``edge_label="weight"`` (make them labels) says what to do with it.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from effective_theory._checks import ParameterError, check_int
from effective_theory._hashing import multiset_ids, row_ids
from effective_theory.statics._graph_arrays import (
    as_values,
    check_default,
    check_weight,
    igraph_parts,
    is_instance_of,
    is_nan,
    is_sparse,
    matrix_edges,
    networkx_parts,
    show,
    value_ids,
    vertex_colour_values,
)
from effective_theory.statics._graph_files import FORMATS, MAX_GRAPH_BYTES, read_file
from effective_theory.statics.automorphisms import ColouredGraph
from effective_theory.statics.relations import Relation

__all__ = [
    "EdgeList",
    "from_edges",
    "to_coloured_graph",
    "read_graph",
    "GRAPH_FORMATS",
    "EDGE_LIST_SUFFIXES",
    "ParameterError",
]

#: file suffixes read as text (edge list, adjacency matrix or adjacency list, told apart by content)
EDGE_LIST_SUFFIXES = (".txt", ".edgelist", ".edges", ".el", ".tsv", ".csv", ".dat", ".adjlist", ".adj")
#: the values of ``format=`` of :func:`read_graph`
GRAPH_FORMATS = FORMATS


@dataclass(frozen=True, eq=False)
class EdgeList:
    """A graph on ``n`` vertices ``0..n-1`` given by an ``(m, 2)`` integer edge array.

    Attributes
    ----------
    edges : ndarray of shape (m, 2), int64
    n : int
    directed : bool
    labels : ndarray of shape (m,), optional
        One label per edge, compared as Python values (an object array keeps
        ``1`` and ``"1"`` apart).
    vertex_colors : ndarray of shape (n,), optional
        One colour per vertex, compared as Python values.
    nodes : tuple, optional
        The name of each vertex ``0..n-1`` (node names of the file or of the
        edge tuples); ``None`` when the vertices are just ``0..n-1``.
    """

    edges: np.ndarray
    n: int
    directed: bool = False
    labels: np.ndarray | None = None
    vertex_colors: np.ndarray | None = None
    nodes: tuple | None = None

    def __post_init__(self):
        # ids of the labels and colours, computed once (this also refuses NaN and None)
        lab = None if self.labels is None else value_ids(self.labels, "edge labels")
        col = (
            None
            if self.vertex_colors is None
            else value_ids(self.vertex_colors, "vertex colours", self.nodes)
        )
        object.__setattr__(self, "_label_ids", lab)
        object.__setattr__(self, "_colour_ids", col)

    @property
    def num_edges(self) -> int:
        """Number of edges (arcs if directed; loops and parallel edges count)."""
        return int(self.edges.shape[0])

    def to_networkx(self):
        """The same graph as a networkx (Multi)(Di)Graph, labels as the edge attribute ``label``
        and colours as the node attribute ``color``; nodes are named as in :attr:`nodes`."""
        # imported here: networkx takes 0.10 s to import (measured), which reading a graph
        # (and `geneft bits`) does not need
        import networkx as nx

        names = self.nodes if self.nodes is not None else range(self.n)
        multi = (
            len({tuple(e) if self.directed else tuple(sorted(e)) for e in self.edges.tolist()})
            < self.num_edges
        )
        cls = {
            (False, False): nx.Graph,
            (True, False): nx.DiGraph,
            (False, True): nx.MultiGraph,
            (True, True): nx.MultiDiGraph,
        }[(self.directed, multi)]
        G = cls()
        for i, name in enumerate(names):
            if self.vertex_colors is None:
                G.add_node(name)
            else:
                G.add_node(name, color=self.vertex_colors[i])
        for k, (u, v) in enumerate(self.edges.tolist()):
            attrs = {} if self.labels is None else {"label": self.labels[k]}
            G.add_edge(names[u], names[v], **attrs)
        return G


# --------------------------------------------------------------------------
# edge arrays
# --------------------------------------------------------------------------
def from_edges(edges, n=None, *, directed=False, labels=None, vertex_colors=None) -> EdgeList:
    """Validate an ``(m, 2)`` array of vertex ids in ``0..n-1``.

    Parameters
    ----------
    edges : array_like of shape (m, 2)
        Integer vertex ids (floats must be integral).
    n : int, optional
        Number of vertices; vertices without edges count.  Defaults to
        ``max id + 1``.
    directed : bool
        Read rows as arcs ``u -> v``.
    labels : sequence of length m, optional
        Edge labels (Python values: ``1`` and ``"1"`` differ).
    vertex_colors : sequence of length n, optional
        Vertex colours (Python values).

    Raises
    ------
    ValueError
        Wrong shape, NaN or non-integral ids, negative or out-of-range ids,
        NaN or missing labels.

    Examples
    --------
    >>> E = from_edges([[0, 1], [1, 2]], n=4)
    >>> E.n, E.num_edges
    (4, 2)
    """
    if isinstance(edges, (str, bytes)) or edges is None:
        raise TypeError(f"edges must be an (m, 2) integer array, got {type(edges).__name__}")
    a = np.asarray(edges)
    if a.dtype == object:
        raise TypeError(
            "edges must be an (m, 2) array of integer ids, got Python objects (use tuples of names "
            "without n= for named nodes)"
        )
    if a.size == 0:
        a = a.reshape(0, 2)
    if a.ndim != 2 or a.shape[1] != 2:
        raise ValueError(f"edges must have shape (m, 2), got {a.shape}")
    if a.dtype == bool or not np.issubdtype(a.dtype, np.number):
        raise TypeError(f"edge ids must be integers, got {a.dtype} entries")
    if np.issubdtype(a.dtype, np.floating):
        if np.isnan(a).any():
            raise ValueError("edges contain NaN")
        if not np.all(np.isfinite(a)) or np.any(a != np.round(a)):
            raise ValueError("edge ids must be integers")
    elif not np.issubdtype(a.dtype, np.integer):
        raise TypeError(f"edge ids must be integers, got {a.dtype} entries")
    a = a.astype(np.int64)
    if a.size and a.min() < 0:
        raise ValueError(f"negative node id {int(a.min())} in edges")
    n = int(a.max()) + 1 if n is None and a.size else (0 if n is None else check_int(n, "n", minimum=0))
    if a.size and a.max() >= n:
        raise ValueError(f"node id {int(a.max())} out of range for n={n} (ids must be 0..n-1)")
    if labels is not None:
        labels = as_values(labels, a.shape[0], "edge labels (one per edge)")
    if vertex_colors is not None:
        vertex_colors = as_values(vertex_colors, n, "vertex colours (one per vertex)")
    return EdgeList(a, n, bool(directed), labels, vertex_colors)


def _from_tuples(pairs, *, directed, labels) -> EdgeList:
    """A list of edge tuples ``(u, v)`` with hashable node names (``n`` = distinct names)."""
    names: dict = {}
    ids = np.empty((len(pairs), 2), dtype=np.int64)
    for k, e in enumerate(pairs):
        if len(e) != 2:
            raise ValueError(f"edge {k} is {show(e)}: an edge tuple is (u, v)")
        for j, x in enumerate(e):
            if is_nan(x):
                raise ValueError(f"edge {k} has NaN as a node")
            try:
                ids[k, j] = names.setdefault(x, len(names))
            except TypeError:
                raise TypeError(f"node names must be hashable, edge {k} has a {type(x).__name__}") from None
    E = from_edges(ids, len(names), directed=directed, labels=labels)
    return EdgeList(E.edges, E.n, E.directed, E.labels, None, tuple(names))


# --------------------------------------------------------------------------
# the coloured form
# --------------------------------------------------------------------------
def _pair_ids(a, b, n):
    """Ids of the pairs (a[i], b[i]); ``arange`` when all pairs are distinct (the usual case)."""
    if n < 2**31:
        key = np.sort(a * n + b)
        if not np.any(key[1:] == key[:-1]):
            return np.arange(a.size, dtype=np.int64)
    return row_ids([a, b])


def _arc_types(npairs, pid, lab, unlabelled):
    """Type (>= 1) of each pair: the multiset of its labels (just its multiplicity if unlabelled)."""
    if unlabelled:
        if npairs == pid.size:
            return np.ones(npairs, dtype=np.int64)
        return row_ids([np.bincount(pid, minlength=npairs)]) + 1
    return multiset_ids(npairs, pid, [lab]) + 1


def _build(n, src, dst, directed, labels=None, vcol=None) -> ColouredGraph:
    """Coloured graph of a (multi)graph given by arc arrays; see the module docstring."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    lab = np.zeros(src.size, dtype=np.int64) if labels is None else np.asarray(labels, dtype=np.int64)
    base = np.zeros(n, dtype=np.int64) if vcol is None else np.asarray(vcol, dtype=np.int64)
    loop = src == dst
    if loop.any():
        loop_id = multiset_ids(n, src[loop], [lab[loop]])
        colour = row_ids([base, loop_id])
    else:
        colour = row_ids([base]) if vcol is not None and n else base
    s, d, lab = src[~loop], dst[~loop], lab[~loop]
    empty = np.zeros(0, dtype=np.int64)
    if s.size == 0:
        return ColouredGraph(n, colour, empty, empty, empty, empty)
    if not directed:
        a, b = np.minimum(s, d), np.maximum(s, d)
        pid = _pair_ids(a, b, n)
        npairs = int(pid.max()) + 1
        typ = _arc_types(npairs, pid, lab, labels is None)
        first = np.zeros(npairs, dtype=np.int64)
        first[pid] = np.arange(pid.size)
        u, v = a[first], b[first]
        return ColouredGraph(n, colour, u, v, typ, typ.copy())
    oid = _pair_ids(s, d, n)
    nord = int(oid.max()) + 1
    typ = _arc_types(nord, oid, lab, labels is None)
    first = np.zeros(nord, dtype=np.int64)
    first[oid] = np.arange(oid.size)
    os_, od = s[first], d[first]
    a, b = np.minimum(os_, od), np.maximum(os_, od)
    pid = row_ids([a, b])
    npairs = int(pid.max()) + 1
    cuv = np.zeros(npairs, dtype=np.int64)
    cvu = np.zeros(npairs, dtype=np.int64)
    fwd = os_ < od
    cuv[pid[fwd]] = typ[fwd]
    cvu[pid[~fwd]] = typ[~fwd]
    u = np.zeros(npairs, dtype=np.int64)
    v = np.zeros(npairs, dtype=np.int64)
    u[pid], v[pid] = a, b
    return ColouredGraph(n, colour, u, v, cuv, cvu)


def to_coloured_graph(
    G, *, vertex_colors=None, edge_label=None, n=None, directed=None, weight="weight", default=None
):
    """Convert any supported input; returns ``(ColouredGraph, n, edges, directed)``.

    ``edges`` counts the input's edges: undirected edges of an undirected
    graph, arcs of a directed one, self-loops and parallel edges included.  See
    the module docstring for the inputs.
    """
    check_default(default)
    check_weight(weight)
    if isinstance(G, (str, os.PathLike)):
        try:
            G = read_graph(
                G,
                directed=directed,
                labels=edge_label,
                vertex_colors=vertex_colors if isinstance(vertex_colors, str) else None,
                weight=weight,
                default=default,
            )
        except ParameterError as exc:  # read_graph's labels= is edge_label= here
            raise exc.renamed({"labels": "edge_label"}) from None
        edge_label, directed = None, None
        if isinstance(vertex_colors, str):
            vertex_colors = None
    if n is not None:
        labels = None
        if edge_label is not None:
            if isinstance(edge_label, str):
                raise TypeError("for an edge array, edge_label must be a sequence with one label per edge")
            labels = edge_label
        G = from_edges(G, n, directed=bool(directed), labels=labels)
        edge_label = None
    elif isinstance(G, list) and G and all(isinstance(e, tuple) for e in G):
        labels = None
        if edge_label is not None:
            if isinstance(edge_label, str):
                raise TypeError(
                    "for a list of edge tuples, edge_label must be a sequence with one label per edge"
                )
            labels = edge_label
        G = _from_tuples(G, directed=bool(directed), labels=labels)
        edge_label = None
    if isinstance(G, EdgeList):
        if edge_label is not None:
            raise TypeError("an EdgeList carries its labels itself (from_edges(..., labels=...))")
        if G.vertex_colors is not None and vertex_colors is not None:
            raise TypeError("this EdgeList carries its vertex colours already; pass no vertex_colors")
        labels, vcol = G._label_ids, G._colour_ids
        if vertex_colors is not None:
            values = vertex_colour_values(vertex_colors, G.n, G.nodes, None, default)
            vcol = value_ids(values, "vertex colours", G.nodes)
        cg = _build(G.n, G.edges[:, 0], G.edges[:, 1], G.directed, labels, vcol)
        return cg, G.n, G.num_edges, G.directed
    if is_instance_of(G, "networkx", "Graph"):
        if directed is not None:
            raise TypeError(
                "directed= applies to edge arrays, tuples and matrices; a networkx graph has its own"
            )
        size, arr, is_dir, labels, colours, nodes = networkx_parts(
            G, vertex_colors, edge_label, default, weight=weight
        )
        lab = None if labels is None else value_ids(labels, "edge labels", list(G.edges()))
        vcol = None if colours is None else value_ids(colours, "vertex colours", nodes)
        return _build(size, arr[:, 0], arr[:, 1], is_dir, lab, vcol), size, arr.shape[0], is_dir
    if is_instance_of(G, "igraph", "Graph"):
        if directed is not None:
            raise TypeError(
                "directed= applies to edge arrays, tuples and matrices; an igraph graph has its own"
            )
        size, arr, is_dir, labels, colours = igraph_parts(
            G, vertex_colors, edge_label, default, weight=weight
        )
        lab = None if labels is None else value_ids(labels, "edge labels")
        vcol = None if colours is None else value_ids(colours, "vertex colours")
        return _build(size, arr[:, 0], arr[:, 1], is_dir, lab, vcol), size, arr.shape[0], is_dir
    if edge_label is not None and edge_label != "weight":
        raise TypeError(
            "edge_label needs a networkx/igraph graph, an edge array with n=, edge tuples or a labelled "
            "file (a matrix takes edge_label='weight': its entries as edge colours)"
        )
    if isinstance(G, Relation):  # a relation is a directed graph: its pairs are arcs
        G, directed = G.matrix, (True if directed is None else directed)
    if isinstance(G, (np.ndarray, list, tuple)) or is_sparse(G):
        if isinstance(G, np.ndarray) and G.ndim == 2 and G.shape[1] == 2 and G.shape[0] != 2:
            raise ValueError(
                f"a {G.shape[0]} x 2 array is not a square adjacency matrix: to read it as an edge array "
                f"pass n= (the number of vertices; vertices without edges count), e.g. n={_max_plus_one(G)}"
            )
        arr, size, is_dir, *entries = matrix_edges(
            G, weight=weight, directed=directed, values=edge_label == "weight"
        )
        lab = value_ids(entries[0], "edge labels") if entries else None
        colours = vertex_colour_values(vertex_colors, size, None, None, default)
        vcol = None if colours is None else value_ids(colours, "vertex colours")
        return _build(size, arr[:, 0], arr[:, 1], is_dir, lab, vcol), size, arr.shape[0], is_dir
    raise TypeError(
        "expected a networkx or igraph graph, a square numpy/scipy matrix, a Relation, an edge array "
        f"with n=, a list of edge tuples or a file path, got {type(G).__name__}"
    )


def _max_plus_one(a) -> str:
    try:
        return str(int(np.max(a)) + 1) if a.size else "0"
    except (TypeError, ValueError):
        return "N"


# --------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------
def read_graph(
    path,
    *,
    format=None,
    directed=None,
    labels=None,
    vertex_colors=None,
    weight="weight",
    header=None,
    default=None,
    max_bytes=MAX_GRAPH_BYTES,
) -> EdgeList:
    """Read a graph file, with its edge labels and vertex colours on it.

    The format comes from the content, checked against the suffix: binary
    ``.npy``/``.npz`` and compressed files by their magic bytes (``.gz``,
    ``.bz2``, ``.xz`` are read transparently); Matrix Market, GraphML, GML,
    Pajek and node-link JSON by their first line, a DIMACS graph (``.col``,
    ``.clq``: ``p edge n m`` then ``e u v`` lines) by its problem line; plain text (``.txt``,
    ``.edgelist``, ``.edges``, ``.el``, ``.tsv``, ``.csv``, ``.dat``) is an
    adjacency matrix when it has ``n`` lines of ``n`` numbers, an edge list
    when every line has the same number (two or more) of entries, and an
    adjacency list (``.adjlist``, ``.adj``, or ``format="adjlist"``) when
    each line is a node followed by its neighbours, and a multiline adjacency
    list (networkx's ``write_multiline_adjlist``) when every node has one line
    ``u d`` followed by ``d`` lines that name its neighbours.  networkx's edge
    data at the end of a line (``0 1 {'weight': 4}``) is read as a dict of
    Python literals; a brace anywhere else is refused.  A first line of names
    (``source,target``) above numeric lines is a header.  Content that fits
    two readings (two lines of two numbers; lines of different lengths in an
    edge list) and unknown suffixes are refused with a one-line error that
    names the choices for ``format``.

    Parameters
    ----------
    path : str, path-like or binary stream
        A file name, or a stream read to its end (``sys.stdin.buffer``,
        ``open(name, "rb")``); a stream named without a suffix (``<stdin>``)
        is read by its content alone.
    format : str, optional
        One of :data:`GRAPH_FORMATS`: ``"edgelist"``, ``"adjlist"``,
        ``"multiline_adjlist"``, ``"matrix"`` (dense text), ``"npy"``, ``"npz"``, ``"mtx"``,
        ``"graphml"``, ``"gml"``, ``"pajek"``, ``"json"`` (node-link),
        ``"dimacs"`` (a simple undirected graph on vertices ``1..n``: an edge
        listed twice is one edge, isolated vertices are kept).
    directed : bool, optional
        ``None``: as the file says (edge and adjacency lists are undirected,
        a matrix is undirected when symmetric, GraphML/GML/Pajek/JSON carry
        their own).  ``True``: read edges as arcs (an undirected file's edges
        become arcs both ways).
    labels : str or int, optional
        Edge labels: an attribute name (GraphML, GML, Pajek, JSON, the data
        dicts of networkx's edge lists and multiline adjacency lists), for an
        edge list a 1-based column (e.g. ``3``) or a header name, for a
        matrix ``"weight"`` (its entries).
    vertex_colors : str, optional
        A node attribute name (GraphML, GML, Pajek, JSON).
    weight : {"weight", None}
        By default a weight other than 1 is refused (a matrix entry other
        than 0/1, a GraphML/GML/Pajek/JSON edge attribute ``weight``,
        networkx's ``{'weight': w}`` edge data, a numeric third column of an
        edge list); ``None`` ignores weights (every edge, or nonzero matrix
        entry, counts once).  ``labels="weight"`` (``labels=3`` for a
        ``u v w`` edge list) makes them the edge labels instead.
    header : bool, optional
        Text files: ``None`` detects a header row, ``True``/``False`` say.
    default : optional
        The label or colour of the edges or nodes that lack the attribute
        (by default a partial attribute is an error).
    max_bytes : int
        The most that reading may take, in bytes (default :data:`MAX_GRAPH_BYTES`, 1 GiB): the
        file, its decompressed content, a ``.npz`` archive's members, and the arrays that the
        sizes a Matrix Market or DIMACS file declares would need (64 bytes a vertex, 32 an
        entry), checked before anything is allocated.  Beyond it: a one-line
        :class:`ValueError` naming ``max_bytes``.  FIFOs and devices are refused (pipe them to
        standard input, which is read up to the same limit).

    Returns
    -------
    EdgeList
        Node names in ``nodes``, labels in ``labels``, colours in
        ``vertex_colors``; pass it to :func:`~effective_theory.description_length`.

    Raises
    ------
    OSError
        The file cannot be opened.
    ValueError
        Unknown or ambiguous format, malformed content, a missing attribute, a
        weight without ``weight=None``, no vertices (``n = 0``: an empty,
        header-only or truncated file, one message for every format).
    """
    check_default(default)
    g = read_file(
        path if hasattr(path, "read") else os.fspath(path),
        format=format,
        directed=directed,
        labels=labels,
        vertex_colors=vertex_colors,
        weight=weight,
        header=header,
        default=default,
        max_bytes=check_int(max_bytes, "max_bytes", minimum=1),
    )
    lab = None if g.labels is None else as_values(g.labels, g.edges.shape[0], "edge labels")
    col = None if g.vertex_colors is None else as_values(g.vertex_colors, g.n, "vertex colours")
    return EdgeList(g.edges, g.n, g.directed, lab, col, g.nodes)
