"""Bring any supported graph input to the coloured form used by the engines.

Accepted inputs of :func:`effective_theory.description_length`:

* ``networkx`` Graph, DiGraph, MultiGraph, MultiDiGraph;
* ``igraph.Graph`` (directed or not, multi-edges kept);
* a square 0/1 ``numpy`` array or ``scipy.sparse`` matrix, read as a
  directed graph / relation whose diagonal entries are self-loops;
* a :class:`~effective_theory.Relation` (Section II of [1]_);
* an edge array: an ``(m, 2)`` integer array together with ``n=`` (and
  optionally ``directed=``), or an :class:`EdgeList` from :func:`from_edges`.

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
graph.  :func:`read_graph` reads the file formats of ``geneft bits``.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from effective_theory._hashing import multiset_ids, row_ids
from effective_theory.statics.automorphisms import ColouredGraph
from effective_theory.statics.relations import Relation, as_relation_matrix

__all__ = ["EdgeList", "from_edges", "to_coloured_graph", "read_graph", "EDGE_LIST_SUFFIXES"]

EDGE_LIST_SUFFIXES = (".txt", ".edgelist", ".edges", ".el", ".tsv", ".csv")


@dataclass(frozen=True, eq=False)
class EdgeList:
    """A graph on ``n`` vertices ``0..n-1`` given by an ``(m, 2)`` integer edge array.

    Attributes
    ----------
    edges : ndarray of shape (m, 2), int64
    n : int
    directed : bool
    labels : ndarray of shape (m,), optional
        One label per edge (any values; equal values = same label).
    """

    edges: np.ndarray
    n: int
    directed: bool = False
    labels: np.ndarray | None = None

    @property
    def num_edges(self) -> int:
        return int(self.edges.shape[0])


def _check_n(n) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be a non-negative integer, got {n!r}")
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    return int(n)


def from_edges(edges, n=None, *, directed=False, labels=None) -> EdgeList:
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
    labels : array_like of shape (m,), optional
        Edge labels.

    Raises
    ------
    ValueError
        Wrong shape, NaN or non-integral ids, negative or out-of-range ids.

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
        raise TypeError("edges must be an (m, 2) numeric integer array, got dtype object")
    if a.size == 0:
        a = a.reshape(0, 2)
    if a.ndim != 2 or a.shape[1] != 2:
        raise ValueError(f"edges must have shape (m, 2), got {a.shape}")
    if a.dtype == bool or not np.issubdtype(a.dtype, np.number):
        raise TypeError(f"edge ids must be integers, got dtype {a.dtype}")
    if np.issubdtype(a.dtype, np.floating):
        if np.isnan(a).any():
            raise ValueError("edges contain NaN")
        if not np.all(np.isfinite(a)) or np.any(a != np.round(a)):
            raise ValueError("edge ids must be integers")
    elif not np.issubdtype(a.dtype, np.integer):
        raise TypeError(f"edge ids must be integers, got dtype {a.dtype}")
    a = a.astype(np.int64)
    if a.size and a.min() < 0:
        raise ValueError(f"negative node id {int(a.min())} in edges")
    n = int(a.max()) + 1 if n is None and a.size else (0 if n is None else _check_n(n))
    if a.size and a.max() >= n:
        raise ValueError(f"node id {int(a.max())} out of range for n={n} (ids must be 0..n-1)")
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (a.shape[0],):
            raise ValueError(f"labels must have one entry per edge ({a.shape[0]}), got shape {labels.shape}")
    return EdgeList(a, n, bool(directed), labels)


def _value_ids(values, what) -> np.ndarray:
    """Map arbitrary hashable values to ids (equal values, equal ids)."""
    arr = np.asarray(values) if not isinstance(values, list) else None
    if arr is not None and arr.dtype != object and arr.ndim == 1 and np.issubdtype(arr.dtype, np.number):
        if np.issubdtype(arr.dtype, np.floating) and np.isnan(arr).any():
            raise ValueError(f"{what} contain NaN")
        return np.unique(arr, return_inverse=True)[1].astype(np.int64).reshape(-1)
    table = {}
    out = np.empty(len(values), dtype=np.int64)
    for i, x in enumerate(values):
        try:
            out[i] = table.setdefault(x, len(table))
        except TypeError as exc:
            raise TypeError(f"{what} must be hashable, got {type(x).__name__}") from exc
    return out


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


def _vertex_colour_ids(vertex_colors, n, nodes=None, attr_lookup=None) -> np.ndarray | None:
    if vertex_colors is None:
        return None
    if isinstance(vertex_colors, str):
        if attr_lookup is None:
            raise TypeError("vertex_colors as an attribute name needs a networkx or igraph graph")
        values = attr_lookup(vertex_colors)
    elif isinstance(vertex_colors, Mapping):
        if nodes is None:
            nodes = range(n)
        missing = [v for v in nodes if v not in vertex_colors]
        if missing:
            raise ValueError(f"vertex_colors has no colour for node {missing[0]!r}")
        values = [vertex_colors[v] for v in nodes]
    else:
        values = list(vertex_colors) if not isinstance(vertex_colors, np.ndarray) else vertex_colors
        if len(values) != n:
            raise ValueError(f"vertex_colors has {len(values)} entries, the graph has {n} vertices")
    return _value_ids(values, "vertex colours")


def _from_networkx(G, vertex_colors, edge_label):
    nodes = list(G.nodes())
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    if edge_label is not None and not isinstance(edge_label, str):
        raise TypeError("for a networkx graph, edge_label must be an edge attribute name")
    if edge_label is None:
        pairs = list(G.edges())
        labels = None
    else:
        triples = list(G.edges(data=edge_label, default=None))
        pairs = [(x, y) for x, y, _ in triples]
        labels = _value_ids([t[2] for t in triples], "edge labels")
    m = len(pairs)
    arr = np.fromiter((index[x] for p in pairs for x in p), dtype=np.int64, count=2 * m).reshape(m, 2)

    def lookup(attr):
        values = [G.nodes[v].get(attr) for v in nodes]
        if all(x is None for x in values) and n:
            raise ValueError(f"no node has the attribute {attr!r}")
        return values

    vcol = _vertex_colour_ids(vertex_colors, n, nodes, lookup)
    return _build(n, arr[:, 0], arr[:, 1], G.is_directed(), labels, vcol), n, m, G.is_directed()


def _from_igraph(g, vertex_colors, edge_label):
    n, m = g.vcount(), g.ecount()
    arr = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(m, 2)
    labels = None
    if edge_label is not None:
        if not isinstance(edge_label, str):
            raise TypeError("for an igraph graph, edge_label must be an edge attribute name")
        if edge_label not in g.es.attributes():
            raise ValueError(f"the graph has no edge attribute {edge_label!r}")
        labels = _value_ids(list(g.es[edge_label]), "edge labels")

    def lookup(attr):
        if attr not in g.vs.attributes():
            raise ValueError(f"the graph has no vertex attribute {attr!r}")
        return list(g.vs[attr])

    vcol = _vertex_colour_ids(vertex_colors, n, None, lookup)
    return _build(n, arr[:, 0], arr[:, 1], g.is_directed(), labels, vcol), n, m, g.is_directed()


def _from_sparse(A):
    import scipy.sparse as sp

    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"adjacency matrix must be square n x n, got shape {A.shape}")
    coo = sp.coo_matrix(A)
    coo.sum_duplicates()
    data = coo.data
    if data.dtype != bool:
        if not np.issubdtype(data.dtype, np.number):
            raise TypeError(f"adjacency matrix must be numeric or boolean, got dtype {data.dtype}")
        if np.issubdtype(data.dtype, np.floating) and np.isnan(data).any():
            raise ValueError("adjacency matrix contains NaN")
        bad = (data != 0) & (data != 1)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"adjacency matrix must be binary (0/1); entry ({coo.row[i]}, {coo.col[i]}) is {data[i]!r}"
            )
    nz = data != 0
    return coo.shape[0], coo.row[nz].astype(np.int64), coo.col[nz].astype(np.int64)


def to_coloured_graph(G, *, vertex_colors=None, edge_label=None, n=None, directed=None):
    """Convert any supported input; returns ``(ColouredGraph, n, edges, directed)``.

    ``edges`` counts the input's edges (arcs of a directed graph, self-loops
    and parallel edges included).  See the module docstring for the inputs.
    """
    if n is not None:
        labels = None
        if edge_label is not None:
            if isinstance(edge_label, str):
                raise TypeError("for an edge array, edge_label must be an array with one label per edge")
            labels = edge_label
        G = from_edges(G, n, directed=bool(directed), labels=labels)
        edge_label = None
    elif directed is not None and not isinstance(G, EdgeList):
        raise TypeError("directed= applies to edge arrays only (pass n= with an (m, 2) edge array)")
    if isinstance(G, EdgeList):
        if edge_label is not None:
            raise TypeError("an EdgeList carries its labels itself (from_edges(..., labels=...))")
        labels = None if G.labels is None else _value_ids(G.labels, "edge labels")
        vcol = _vertex_colour_ids(vertex_colors, G.n)
        cg = _build(G.n, G.edges[:, 0], G.edges[:, 1], G.directed, labels, vcol)
        return cg, G.n, G.num_edges, G.directed
    try:
        import networkx as nx

        if isinstance(G, nx.Graph):
            return _from_networkx(G, vertex_colors, edge_label)
    except ImportError:  # pragma: no cover
        pass
    try:
        import igraph

        if isinstance(G, igraph.Graph):
            return _from_igraph(G, vertex_colors, edge_label)
    except ImportError:  # pragma: no cover
        pass
    if edge_label is not None:
        raise TypeError("edge_label needs a networkx/igraph graph or an edge array with n=")
    import scipy.sparse as sp

    if sp.issparse(G):
        size, rows, cols = _from_sparse(G)
    elif isinstance(G, Relation) or isinstance(G, (np.ndarray, list, tuple)):
        a = as_relation_matrix(G, name="adjacency matrix")
        size = a.shape[0]
        rows, cols = np.nonzero(a)
    else:
        raise TypeError(
            "expected a networkx or igraph graph, a square 0/1 numpy/scipy matrix, a Relation, "
            f"or an edge array with n=, got {type(G).__name__}"
        )
    vcol = _vertex_colour_ids(vertex_colors, size)
    return _build(size, rows, cols, True, None, vcol), size, int(rows.size), True


# --------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------
def _read_edge_list(path, *, directed, label_column):
    names: dict[str, int] = {}
    src, dst, labs = [], [], []
    splitter = re.compile(r"[,\s]+")
    try:
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                line = line.split("#", 1)[0].strip()
                if not line or line.startswith("%"):
                    continue
                tok = splitter.split(line)
                if len(tok) < 2:
                    raise ValueError(f"{path}: line {lineno}: expected 'u v [...]', got {line[:40]!r}")
                if label_column is not None:
                    if len(tok) < label_column:
                        raise ValueError(
                            f"{path}: line {lineno}: no column {label_column} for the edge label"
                        )
                    labs.append(tok[label_column - 1])
                src.append(names.setdefault(tok[0], len(names)))
                dst.append(names.setdefault(tok[1], len(names)))
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a text edge list ({exc.reason})") from exc
    labels = None if label_column is None else labs
    edges = np.stack([np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)], axis=1)
    return from_edges(edges, len(names), directed=directed, labels=labels)


def read_graph(path, *, directed=False, labels=None):
    """Read a graph file for ``geneft bits``.

    Parameters
    ----------
    path : str or path-like
        ``.txt``/``.edgelist``/``.edges``/``.el``/``.tsv``/``.csv``: one edge
        ``u v`` per line (whitespace or commas; ``#`` starts a comment; node
        names are arbitrary tokens, ``n`` = number of distinct names).
        ``.graphml``, ``.gml``: networkx readers (direction from the file).
        ``.npy``: square 0/1 adjacency matrix (directed, diagonal = loops).
        ``.mtx``: Matrix Market adjacency matrix (directed as stored).
    directed : bool
        Edge lists only: read ``u v`` as the arc ``u -> v``.
    labels : str or int, optional
        Edge labels: the attribute name (GraphML, GML) or the 1-based column
        (edge lists, e.g. ``3``).

    Returns
    -------
    graph, edge_label
        Arguments for :func:`~effective_theory.description_length`.

    Raises
    ------
    OSError
        The file cannot be opened.
    ValueError
        Unknown suffix or malformed content.
    """
    path = os.fspath(path)
    suffix = os.path.splitext(path)[1].lower()
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no such file: {path}")
    if suffix in EDGE_LIST_SUFFIXES:
        col = None
        if labels is not None:
            try:
                col = int(labels)
            except ValueError:
                raise ValueError(
                    f"for an edge list, --labels is a column number (e.g. 3), got {labels!r}"
                ) from None
            if col < 3:
                raise ValueError(f"the label column must be 3 or later, got {col}")
        return _read_edge_list(path, directed=directed, label_column=col), None
    if suffix in (".graphml", ".gml"):
        import networkx as nx

        try:
            G = nx.read_graphml(path) if suffix == ".graphml" else nx.read_gml(path, label="id")
        except Exception as exc:
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ValueError(f"{path}: cannot parse {suffix[1:]} ({msg})") from exc
        if directed and not G.is_directed():
            G = G.to_directed()
        return G, labels
    if labels is not None:
        raise ValueError(f"--labels is not available for {suffix} files (an adjacency matrix has no labels)")
    if suffix == ".npy":
        try:
            A = np.load(path, allow_pickle=False)
        except Exception as exc:
            raise ValueError(f"{path}: not a readable .npy array ({exc})") from exc
        return A, None
    if suffix == ".mtx":
        import scipy.io

        try:
            A = scipy.io.mmread(path)
        except Exception as exc:
            msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ValueError(f"{path}: not a readable Matrix Market file ({msg})") from exc
        return A, None
    raise ValueError(
        f"unknown graph file type {suffix or '(none)'!r}; use an edge list "
        f"({', '.join(EDGE_LIST_SUFFIXES)}), .graphml, .gml, .npy or .mtx"
    )
