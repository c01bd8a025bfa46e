"""Bring any supported graph input to the coloured form used by the engines.

Accepted inputs of :func:`effective_theory.description_length`:

* ``networkx`` Graph, DiGraph, MultiGraph, MultiDiGraph;
* ``igraph.Graph`` (directed or not, multi-edges kept);
* a square ``numpy`` array or ``scipy.sparse`` matrix: entries 0/1 (any nonzero
  entry with ``weight=None``), the diagonal holds self-loops; symmetric
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
value for the others.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from effective_theory._checks import check_int
from effective_theory._hashing import multiset_ids, row_ids
from effective_theory.statics._graph_files import FORMATS, read_file, show
from effective_theory.statics.automorphisms import ColouredGraph
from effective_theory.statics.relations import Relation

__all__ = ["EdgeList", "from_edges", "to_coloured_graph", "read_graph", "GRAPH_FORMATS", "EDGE_LIST_SUFFIXES"]

#: file suffixes read as text (edge list, adjacency matrix or adjacency list, told apart by content)
EDGE_LIST_SUFFIXES = (".txt", ".edgelist", ".edges", ".el", ".tsv", ".csv", ".dat", ".adjlist", ".adj")
#: the values of ``format=`` (``--format``) of :func:`read_graph`
GRAPH_FORMATS = FORMATS

_MISSING = object()


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
        lab = None if self.labels is None else _value_ids(self.labels, "edge labels")
        col = (
            None
            if self.vertex_colors is None
            else _value_ids(self.vertex_colors, "vertex colours", self.nodes)
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
# values: labels and colours
# --------------------------------------------------------------------------
def _as_values(values, count, what) -> np.ndarray:
    """``values`` as a 1-D array that keeps Python values apart (never ``np.asarray`` of a list,
    which turns ``[1, "1"]`` into two equal strings)."""
    if isinstance(values, np.ndarray) and values.dtype != object:
        arr = values.reshape(-1) if values.ndim == 1 else values
    else:
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
            raise TypeError(f"{what} must be a sequence with one entry each, got {type(values).__name__}")
        arr = np.empty(len(values), dtype=object)
        for i, x in enumerate(values):
            arr[i] = x
    if arr.ndim != 1 or arr.shape[0] != count:
        shape = arr.shape[0] if arr.ndim == 1 else "x".join(map(str, arr.shape))
        raise ValueError(f"{what} must have {count} entries, got {shape}")
    return arr


def _is_nan(x) -> bool:
    try:
        return bool(x != x)
    except Exception:  # an array-like value: not a scalar NaN (it will fail as unhashable)
        return False


def _value_ids(values, what, keys=None) -> np.ndarray:
    """Ids of arbitrary hashable values: equal Python values, equal ids.

    ``keys[i]`` names entry ``i`` in error messages (default: its position).
    """

    def where(i):
        return f" (at {show(keys[i])})" if keys is not None else f" (entry {i})"

    if isinstance(values, np.ndarray) and values.dtype != object and values.dtype.kind in "biufcUS":
        arr = values.reshape(-1)
        if arr.dtype.kind in "fc":
            bad = np.flatnonzero(np.isnan(arr))
            if bad.size:
                raise ValueError(
                    f"{what} contain NaN{where(int(bad[0]))}; NaN equals nothing, not even itself"
                )
        return np.unique(arr, return_inverse=True)[1].astype(np.int64).reshape(-1)
    table: dict = {}
    out = np.empty(len(values), dtype=np.int64)
    for i, x in enumerate(values):
        if x is None or x is _MISSING:
            raise ValueError(f"{what} contain None{where(i)}: a missing value (pass default= to fill it)")
        if _is_nan(x):
            raise ValueError(f"{what} contain NaN{where(i)}; NaN equals nothing, not even itself")
        try:
            out[i] = table.setdefault(x, len(table))
        except TypeError:
            raise TypeError(f"{what} must be hashable, got {type(x).__name__}{where(i)}") from None
    return out


def _fill_missing(values, keys, attr, what, default, available=None):
    """Values of an attribute, checked: none missing, or every missing one given ``default``.

    ``values`` holds ``_MISSING`` (or ``None``) where an item lacks ``attr``.
    """
    missing = [i for i, x in enumerate(values) if x is _MISSING or x is None]
    if not missing:
        return values
    if len(missing) == len(values):
        known = (
            f" ({what} attributes: {', '.join(map(str, sorted(available, key=str)))})" if available else ""
        )
        raise ValueError(f"no {what} has the attribute {attr!r}{known}")
    if default is None:
        raise ValueError(
            f"the {what} attribute {attr!r} is missing on {len(missing)} of {len(values)} {what}s "
            f"(first: {show(keys[missing[0]])}); pass default= to give them a value"
        )
    out = list(values)
    for i in missing:
        out[i] = default
    return out


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
        labels = _as_values(labels, a.shape[0], "edge labels (one per edge)")
    if vertex_colors is not None:
        vertex_colors = _as_values(vertex_colors, n, "vertex colours (one per vertex)")
    return EdgeList(a, n, bool(directed), labels, vertex_colors)


def _from_tuples(pairs, *, directed, labels) -> EdgeList:
    """A list of edge tuples ``(u, v)`` with hashable node names (``n`` = distinct names)."""
    names: dict = {}
    ids = np.empty((len(pairs), 2), dtype=np.int64)
    for k, e in enumerate(pairs):
        if len(e) != 2:
            raise ValueError(f"edge {k} is {show(e)}: an edge tuple is (u, v)")
        for j, x in enumerate(e):
            if _is_nan(x):
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


def _vertex_colour_values(vertex_colors, n, nodes=None, attr_lookup=None, default=None):
    """Colours in vertex order (Python values, unchecked), or ``None``."""
    if vertex_colors is None:
        return None
    if isinstance(vertex_colors, str):
        if attr_lookup is None:
            raise TypeError(
                f"vertex_colors={vertex_colors!r} names a node attribute, which needs a networkx or igraph "
                "graph or a file with node attributes; for this input give one colour per vertex"
            )
        return attr_lookup(vertex_colors)
    names = list(range(n)) if nodes is None else list(nodes)
    if isinstance(vertex_colors, Mapping):
        values = [vertex_colors.get(v, _MISSING) for v in names]
        if any(x is _MISSING for x in values):
            if default is None:
                first = next(v for v, x in zip(names, values) if x is _MISSING)
                raise ValueError(
                    f"vertex_colors has no colour for node {show(first)}; pass default= to give the "
                    "nodes it leaves out a colour"
                )
            values = [default if x is _MISSING else x for x in values]
        return values
    values = _as_values(vertex_colors, n, "vertex_colors (one colour per vertex)")
    if default is not None and values.dtype == object:
        values = [default if x is None else x for x in values]
    return values


def _networkx_parts(G, vertex_colors, edge_label, default):
    """(n, (m, 2) ids, directed, label values, colour values, node names) of a networkx graph."""
    nodes = list(G.nodes())
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    if edge_label is not None and not isinstance(edge_label, str):
        raise TypeError("for a networkx graph, edge_label must be an edge attribute name")
    labels = None
    if edge_label is None:
        pairs = list(G.edges())
    else:
        triples = list(G.edges(data=True))
        pairs = [(x, y) for x, y, _ in triples]
        labels = _fill_missing(
            [d.get(edge_label, _MISSING) for _, _, d in triples],
            pairs,
            edge_label,
            "edge",
            default,
            {k for _, _, d in triples for k in d},
        )
    m = len(pairs)
    arr = np.fromiter((index[x] for p in pairs for x in p), dtype=np.int64, count=2 * m).reshape(m, 2)

    def lookup(attr):
        values = [G.nodes[v].get(attr, _MISSING) for v in nodes]
        return _fill_missing(values, nodes, attr, "node", default, {k for v in nodes for k in G.nodes[v]})

    colours = _vertex_colour_values(vertex_colors, n, nodes, lookup, default)
    return n, arr, G.is_directed(), labels, colours, nodes


def _igraph_parts(g, vertex_colors, edge_label, default):
    n, m = g.vcount(), g.ecount()
    arr = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(m, 2)
    labels = None
    if edge_label is not None:
        if not isinstance(edge_label, str):
            raise TypeError("for an igraph graph, edge_label must be an edge attribute name")
        if edge_label not in g.es.attributes():
            known = ", ".join(g.es.attributes()) or "none"
            raise ValueError(f"no edge has the attribute {edge_label!r} (edge attributes: {known})")
        labels = _fill_missing(
            list(g.es[edge_label]), [tuple(e) for e in arr.tolist()], edge_label, "edge", default
        )

    def lookup(attr):
        if attr not in g.vs.attributes():
            known = ", ".join(g.vs.attributes()) or "none"
            raise ValueError(f"no node has the attribute {attr!r} (node attributes: {known})")
        return _fill_missing(list(g.vs[attr]), list(range(n)), attr, "node", default)

    colours = _vertex_colour_values(vertex_colors, n, None, lookup, default)
    return n, arr, g.is_directed(), labels, colours


def _is_instance_of(G, module: str, name: str) -> bool:
    """``isinstance(G, module.name)`` without importing ``module`` unless ``G`` could be one."""
    if not any(c.__module__.split(".")[0] == module for c in type(G).__mro__):
        return False
    import importlib

    return isinstance(G, getattr(importlib.import_module(module), name))


def _is_sparse(A) -> bool:
    if not type(A).__module__.startswith("scipy.sparse"):
        return False
    import scipy.sparse as sp

    return sp.issparse(A)


def _matrix_edges(A, *, weight, directed, what="adjacency matrix") -> EdgeList:
    """Edges of a square dense or sparse matrix (see the module docstring)."""
    if weight not in ("weight", None):
        raise ValueError(
            f"weight must be 'weight' (entries 0/1) or None (any nonzero entry is an edge), "
            f"got {show(weight)}"
        )
    if not _is_sparse(A):
        a = np.asarray(A) if not isinstance(A, (list, tuple)) else _list_matrix(A)
        if a.dtype == object:
            raise TypeError(f"{what} must hold numbers, got Python objects")
        if a.ndim != 2 or a.shape[0] != a.shape[1]:
            raise ValueError(f"{what} must be a square n x n matrix, got shape {a.shape}")
        n = a.shape[0]
        if a.dtype != bool and not np.issubdtype(a.dtype, np.number):
            raise TypeError(f"{what} must be numeric or boolean, got {a.dtype} entries")
        rows, cols = np.nonzero(a)
        data = a[rows, cols]
        nan_rows, nan_cols = np.nonzero(np.isnan(a)) if a.dtype.kind in "fc" else ((), ())
    else:
        if A.ndim != 2 or A.shape[0] != A.shape[1]:
            raise ValueError(f"{what} must be a square n x n matrix, got shape {A.shape}")
        coo = A.tocoo()
        coo.sum_duplicates()
        n = coo.shape[0]
        data = coo.data
        if data.dtype != bool and not np.issubdtype(data.dtype, np.number):
            raise TypeError(f"{what} must be numeric or boolean, got {data.dtype} entries")
        nz = data != 0
        rows, cols, data = coo.row[nz].astype(np.int64), coo.col[nz].astype(np.int64), data[nz]
        nan = np.isnan(data) if data.dtype.kind in "fc" else np.zeros(0, bool)
        nan_rows, nan_cols = rows[nan] if nan.size else (), cols[nan] if nan.size else ()
    if len(nan_rows):
        raise ValueError(f"{what} contains NaN at entry ({int(nan_rows[0])}, {int(nan_cols[0])})")
    if weight is not None and data.dtype != bool:
        bad = np.flatnonzero(data != 1)
        if bad.size:
            i = int(bad[0])
            raise ValueError(
                f"{what} must be binary (0/1); entry ({int(rows[i])}, {int(cols[i])}) is {show(data[i])} "
                "(a weighted matrix): pass weight=None (geneft bits --ignore-weights) to count every "
                "nonzero entry as one edge"
            )
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    if directed is None:
        # symmetric <=> the set of (row, col) equals the set of (col, row)
        fwd = np.sort(rows * max(n, 1) + cols)
        bwd = np.sort(cols * max(n, 1) + rows)
        directed = not np.array_equal(fwd, bwd)
    elif directed is False:
        fwd, bwd = np.sort(rows * max(n, 1) + cols), np.sort(cols * max(n, 1) + rows)
        if not np.array_equal(fwd, bwd):
            raise ValueError(f"{what} is not symmetric, so it cannot be read as an undirected graph")
    if not directed:
        keep = rows <= cols
        rows, cols = rows[keep], cols[keep]
    return EdgeList(np.stack([rows, cols], axis=1).reshape(-1, 2), int(n), bool(directed))


def _list_matrix(A):
    """A nested list as a numeric matrix, or a clear error (a list of pairs wants ``n=``)."""
    try:
        a = np.asarray(A)
    except ValueError:
        raise ValueError("adjacency matrix rows have different lengths; a matrix must be square") from None
    if a.dtype.kind in "US":
        raise TypeError(
            "adjacency matrix must hold numbers, got strings (edge tuples of names are (u, v) tuples)"
        )
    if a.ndim == 2 and a.shape[1] == 2 and a.shape[0] != 2:
        raise ValueError(
            f"a list of {a.shape[0]} pairs is not a square matrix: to read it as edges pass n= (the number "
            "of vertices) or give the edges as tuples [(u, v), ...]"
        )
    return a


def _check_default(default):
    if default is not None and _is_nan(default):
        raise ValueError("default= is NaN; NaN equals nothing, not even itself, so it cannot be a label")


def to_coloured_graph(
    G, *, vertex_colors=None, edge_label=None, n=None, directed=None, weight="weight", default=None
):
    """Convert any supported input; returns ``(ColouredGraph, n, edges, directed)``.

    ``edges`` counts the input's edges: undirected edges of an undirected
    graph, arcs of a directed one, self-loops and parallel edges included.  See
    the module docstring for the inputs.
    """
    _check_default(default)
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
            values = _vertex_colour_values(vertex_colors, G.n, G.nodes, None, default)
            vcol = _value_ids(values, "vertex colours", G.nodes)
        cg = _build(G.n, G.edges[:, 0], G.edges[:, 1], G.directed, labels, vcol)
        return cg, G.n, G.num_edges, G.directed
    if _is_instance_of(G, "networkx", "Graph"):
        if directed is not None:
            raise TypeError(
                "directed= applies to edge arrays, tuples and matrices; a networkx graph has its own"
            )
        size, arr, is_dir, labels, colours, nodes = _networkx_parts(G, vertex_colors, edge_label, default)
        lab = None if labels is None else _value_ids(labels, "edge labels", list(G.edges()))
        vcol = None if colours is None else _value_ids(colours, "vertex colours", nodes)
        return _build(size, arr[:, 0], arr[:, 1], is_dir, lab, vcol), size, arr.shape[0], is_dir
    if _is_instance_of(G, "igraph", "Graph"):
        if directed is not None:
            raise TypeError(
                "directed= applies to edge arrays, tuples and matrices; an igraph graph has its own"
            )
        size, arr, is_dir, labels, colours = _igraph_parts(G, vertex_colors, edge_label, default)
        lab = None if labels is None else _value_ids(labels, "edge labels")
        vcol = None if colours is None else _value_ids(colours, "vertex colours")
        return _build(size, arr[:, 0], arr[:, 1], is_dir, lab, vcol), size, arr.shape[0], is_dir
    if edge_label is not None:
        raise TypeError(
            "edge_label needs a networkx/igraph graph, an edge array with n=, edge tuples or a labelled file"
        )
    if isinstance(G, Relation):  # a relation is a directed graph: its pairs are arcs
        G, directed = G.matrix, (True if directed is None else directed)
    if isinstance(G, (np.ndarray, list, tuple)) or _is_sparse(G):
        if isinstance(G, np.ndarray) and G.ndim == 2 and G.shape[1] == 2 and G.shape[0] != 2:
            raise ValueError(
                f"a {G.shape[0]} x 2 array is not a square adjacency matrix: to read it as an edge array "
                f"pass n= (the number of vertices; vertices without edges count), e.g. n={_max_plus_one(G)}"
            )
        E = _matrix_edges(G, weight=weight, directed=directed)
        colours = _vertex_colour_values(vertex_colors, E.n, None, None, default)
        vcol = None if colours is None else _value_ids(colours, "vertex colours")
        return _build(E.n, E.edges[:, 0], E.edges[:, 1], E.directed, None, vcol), E.n, E.num_edges, E.directed
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
) -> EdgeList:
    """Read a graph file, with its edge labels and vertex colours on it.

    The format comes from the content, checked against the suffix: binary
    ``.npy``/``.npz`` and compressed files by their magic bytes (``.gz``,
    ``.bz2``, ``.xz`` are read transparently); Matrix Market, GraphML, GML,
    Pajek and node-link JSON by their first line; plain text (``.txt``,
    ``.edgelist``, ``.edges``, ``.el``, ``.tsv``, ``.csv``, ``.dat``) is an
    adjacency matrix when it has ``n`` lines of ``n`` numbers, an edge list
    when every line has the same number (two or more) of entries, and an
    adjacency list (``.adjlist``, ``.adj``, or ``format="adjlist"``) when
    each line is a node followed by its neighbours.  A first line of names
    (``source,target``) above numeric lines is a header.  Content that fits
    two readings (two lines of two numbers; lines of different lengths in an
    edge list) and unknown suffixes are refused with a one-line error that
    names the choices for ``format``.

    Parameters
    ----------
    path : str or path-like
    format : str, optional
        One of :data:`GRAPH_FORMATS`: ``"edgelist"``, ``"adjlist"``,
        ``"matrix"`` (dense text), ``"npy"``, ``"npz"``, ``"mtx"``,
        ``"graphml"``, ``"gml"``, ``"pajek"``, ``"json"`` (node-link).
    directed : bool, optional
        ``None``: as the file says (edge and adjacency lists are undirected,
        a matrix is undirected when symmetric, GraphML/GML/Pajek/JSON carry
        their own).  ``True``: read edges as arcs (an undirected file's edges
        become arcs both ways).
    labels : str or int, optional
        Edge labels: an attribute name (GraphML, GML, Pajek, JSON) or, for an
        edge list, a 1-based column (e.g. ``3``) or a header name.
    vertex_colors : str, optional
        A node attribute name (GraphML, GML, Pajek, JSON).
    weight : {"weight", None}
        Matrices: ``None`` counts every nonzero entry as an edge; by default
        entries other than 0/1 are refused.
    header : bool, optional
        Text files: ``None`` detects a header row, ``True``/``False`` say.
    default : optional
        The label or colour of the edges or nodes that lack the attribute
        (by default a partial attribute is an error).

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
        Unknown or ambiguous format, malformed content, a missing attribute.
    """
    _check_default(default)
    part = read_file(
        os.fspath(path),
        format=format,
        directed=directed,
        labels=labels,
        vertex_colors=vertex_colors,
        weight=weight,
        header=header,
        default=default,
    )
    kind = part[0]
    if kind == "networkx":
        G = part[1]
        try:
            n, arr, is_dir, lab, colours, nodes = _networkx_parts(G, vertex_colors, labels, default)
        except ValueError as exc:
            raise ValueError(f"{os.fspath(path)}: {exc}") from None
        if directed is False and is_dir:
            raise ValueError(f"{os.fspath(path)}: the file holds a directed graph")
        if directed and not is_dir:
            arr = np.concatenate([arr, arr[:, ::-1]])
            lab = None if lab is None else list(lab) + list(lab)
            is_dir = True
        return _edge_list(arr, n, is_dir, lab, colours, tuple(nodes))
    if kind == "matrix":
        if vertex_colors is not None:
            raise ValueError(
                f"{os.fspath(path)}: an adjacency matrix has no node attributes for --vertex-colors"
            )
        E = _matrix_edges(
            part[1], weight=weight, directed=directed, what=f"{os.fspath(path)}: adjacency matrix"
        )
        return E if part[2] is None else EdgeList(E.edges, E.n, E.directed, None, None, tuple(part[2]))
    # ("edges", ids (m, 2), n, directed, labels or None, node names)
    _, arr, n, is_dir, lab, nodes = part
    if vertex_colors is not None:
        raise ValueError(
            f"{os.fspath(path)}: an edge or adjacency list has no node attributes for "
            "--vertex-colors (use GraphML, GML, Pajek or node-link JSON)"
        )
    return _edge_list(arr, n, is_dir, lab, None, nodes)


def _edge_list(arr, n, directed, labels, colours, nodes) -> EdgeList:
    lab = None if labels is None else _as_values(labels, arr.shape[0], "edge labels")
    col = None if colours is None else _as_values(colours, n, "vertex colours")
    return EdgeList(np.asarray(arr, dtype=np.int64).reshape(-1, 2), int(n), bool(directed), lab, col, nodes)
