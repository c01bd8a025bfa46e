"""Graphs held in memory as arrays: networkx and igraph graphs, square matrices, attribute values.

Private module of :mod:`effective_theory.statics`, shared by :mod:`~effective_theory.statics.graph_input`
(in-memory inputs) and ``_graph_files`` (what a file holds).  Labels and colours are kept as
Python values and compared as such (``1 != "1"``, ``True == 1 == 1.0``); NaN and ``None`` are
refused, and an attribute that some but not all edges or nodes carry is an error unless
``default=`` names the value for the others.  An error that a keyword parameter fixes is a
:class:`~effective_theory.ParameterError` that names it.
"""

from __future__ import annotations

import importlib
import numbers
from collections.abc import Mapping

import numpy as np

from effective_theory._checks import Mention, ParameterError

__all__ = [
    "MISSING",
    "show",
    "as_values",
    "is_nan",
    "value_ids",
    "value_key",
    "fill_missing",
    "vertex_colour_values",
    "networkx_parts",
    "igraph_parts",
    "is_instance_of",
    "is_sparse",
    "matrix_edges",
    "check_default",
    "is_unit_weight",
    "check_weight",
    "weighted_error",
]

#: an attribute value that an edge or node lacks
MISSING = object()


def show(x) -> str:
    """A value for an error message: Python's repr, never numpy's (``2.5``, not ``np.float64(2.5)``)."""
    if isinstance(x, np.ndarray):
        if x.ndim:
            return f"an array of shape {' x '.join(map(str, x.shape))}"
        x = x.item()
    if isinstance(x, np.generic):
        x = x.item()
    text = repr(x)
    return text if len(text) <= 40 else text[:37] + "..."


def as_values(values, count, what) -> np.ndarray:
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


def is_nan(x) -> bool:
    try:
        return bool(x != x)
    except Exception:  # an array-like value: not a scalar NaN (it will fail as unhashable)
        return False


def value_ids(values, what, keys=None) -> np.ndarray:
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
        if x is None or x is MISSING:
            raise ParameterError(
                f"{what} contain None{where(i)}: a missing value",
                hint=(" (pass ", Mention("default"), " to fill it)"),
            )
        if is_nan(x):
            raise ValueError(f"{what} contain NaN{where(i)}; NaN equals nothing, not even itself")
        try:
            out[i] = table.setdefault(x, len(table))
        except TypeError:
            raise TypeError(f"{what} must be hashable, got {type(x).__name__}{where(i)}") from None
    if len(table) > 1:  # ids in the order of the values, not of their first occurrence
        rank = np.empty(len(table), dtype=np.int64)
        rank[sorted(range(len(table)), key=[value_key(x) for x in table].__getitem__)] = np.arange(len(table))
        out = rank[out]
    return out


def value_key(x) -> tuple:
    """A sort key of a label or colour that equal values share (``1``, ``1.0``, ``True``).

    Ids sorted by it do not depend on the order of the vertices or edges, so isomorphic inputs
    get the same coloured graph up to relabelling (what a canonical form needs).  Numbers sort by
    value, then strings, bytes, and other values by type name and ``repr`` (an assumption: equal
    values of other types are taken to have equal ``repr``).
    """
    if isinstance(x, numbers.Real):
        return (0, x, "")
    if isinstance(x, str):
        return (1, 0, x)
    if isinstance(x, bytes):
        return (2, 0, x.decode("latin-1"))
    return (3, 0, f"{type(x).__qualname__}:{x!r}")


def fill_missing(values, keys, attr, what, default, available=None):
    """Values of an attribute, checked: none missing, or every missing one given ``default``.

    ``values`` holds ``MISSING`` (or ``None``) where an item lacks ``attr``.
    """
    missing = [i for i, x in enumerate(values) if x is MISSING or x is None]
    if not missing:
        return values
    if len(missing) == len(values):
        known = (
            f" ({what} attributes: {', '.join(map(str, sorted(available, key=str)))})" if available else ""
        )
        raise ValueError(f"no {what} has the attribute {attr!r}{known}")
    if default is None:
        raise ParameterError(
            f"the {what} attribute {attr!r} is missing on {len(missing)} of {len(values)} {what}s "
            f"(first: {show(keys[missing[0]])})",
            hint=("; pass ", Mention("default"), " to give them a value"),
        )
    out = list(values)
    for i in missing:
        out[i] = default
    return out


def vertex_colour_values(vertex_colors, n, nodes=None, attr_lookup=None, default=None):
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
        values = [vertex_colors.get(v, MISSING) for v in names]
        if any(x is MISSING for x in values):
            if default is None:
                first = next(v for v, x in zip(names, values) if x is MISSING)
                raise ParameterError(
                    f"vertex_colors has no colour for node {show(first)}",
                    hint=("; pass ", Mention("default"), " to give the nodes it leaves out a colour"),
                )
            values = [default if x is MISSING else x for x in values]
        return values
    values = as_values(vertex_colors, n, "vertex_colors (one colour per vertex)")
    if default is not None and values.dtype == object:
        values = [default if x is None else x for x in values]
    return values


def networkx_parts(G, vertex_colors, edge_label, default, *, weight="weight", label_parameter="edge_label"):
    """(n, (m, 2) ids, directed, label values, colour values, node names) of a networkx graph.

    A ``weight`` attribute other than 1 is refused unless ``weight`` is ``None`` or the weights
    are the labels (``edge_label="weight"``; ``label_parameter`` names that parameter).
    """
    check_weight(weight)
    nodes = list(G.nodes())
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    if edge_label is not None and not isinstance(edge_label, str):
        raise TypeError("for a networkx graph, edge_label must be an edge attribute name")
    if weight is not None and edge_label != "weight":
        for u, v, w in G.edges(data="weight", default=1):
            if not is_unit_weight(w):
                raise weighted_error(f"the edge {show((u, v))}", w, label_parameter)
    labels = None
    if edge_label is None:
        pairs = list(G.edges())
    else:
        triples = list(G.edges(data=True))
        pairs = [(x, y) for x, y, _ in triples]
        labels = fill_missing(
            [d.get(edge_label, MISSING) for _, _, d in triples],
            pairs,
            edge_label,
            "edge",
            default,
            {k for _, _, d in triples for k in d},
        )
    m = len(pairs)
    arr = np.fromiter((index[x] for p in pairs for x in p), dtype=np.int64, count=2 * m).reshape(m, 2)

    def lookup(attr):
        values = [G.nodes[v].get(attr, MISSING) for v in nodes]
        return fill_missing(values, nodes, attr, "node", default, {k for v in nodes for k in G.nodes[v]})

    colours = vertex_colour_values(vertex_colors, n, nodes, lookup, default)
    return n, arr, G.is_directed(), labels, colours, nodes


def igraph_parts(g, vertex_colors, edge_label, default, *, weight="weight"):
    """(n, (m, 2) ids, directed, label values, colour values) of an igraph graph; weights as in
    :func:`networkx_parts`."""
    check_weight(weight)
    n, m = g.vcount(), g.ecount()
    arr = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(m, 2)
    if weight is not None and edge_label != "weight" and "weight" in g.es.attributes():
        for k, w in enumerate(g.es["weight"]):
            if w is not None and not is_unit_weight(w):
                raise weighted_error(f"the edge {show(tuple(arr[k].tolist()))}", w, "edge_label")
    labels = None
    if edge_label is not None:
        if not isinstance(edge_label, str):
            raise TypeError("for an igraph graph, edge_label must be an edge attribute name")
        if edge_label not in g.es.attributes():
            known = ", ".join(g.es.attributes()) or "none"
            raise ValueError(f"no edge has the attribute {edge_label!r} (edge attributes: {known})")
        labels = fill_missing(
            list(g.es[edge_label]), [tuple(e) for e in arr.tolist()], edge_label, "edge", default
        )

    def lookup(attr):
        if attr not in g.vs.attributes():
            known = ", ".join(g.vs.attributes()) or "none"
            raise ValueError(f"no node has the attribute {attr!r} (node attributes: {known})")
        return fill_missing(list(g.vs[attr]), list(range(n)), attr, "node", default)

    colours = vertex_colour_values(vertex_colors, n, None, lookup, default)
    return n, arr, g.is_directed(), labels, colours


def is_instance_of(G, module: str, name: str) -> bool:
    """``isinstance(G, module.name)`` without importing ``module`` unless ``G`` could be one."""
    if not any(c.__module__.split(".")[0] == module for c in type(G).__mro__):
        return False
    return isinstance(G, getattr(importlib.import_module(module), name))


def is_sparse(A) -> bool:
    if not type(A).__module__.startswith("scipy.sparse"):
        return False
    # imported here, once ``A`` is known to come from scipy.sparse (which is then loaded already):
    # scipy.sparse takes 0.22 s to import (measured),
    # and no module of the theory imports scipy when it is imported
    import scipy.sparse as sp

    return sp.issparse(A)


def check_weight(weight) -> None:
    """Refuse a ``weight=`` other than ``"weight"`` (weights other than 1 refused) and ``None``."""
    if weight not in ("weight", None) or isinstance(weight, bool):
        raise ValueError(
            "weight must be 'weight' (weights other than 1 are refused) or None (weights ignored), "
            f"got {show(weight)}"
        )


def matrix_edges(
    A, *, weight, directed, what="adjacency matrix", values=False, label_parameter="edge_label"
) -> tuple:
    """``(edges, n, directed)`` of a square dense or sparse matrix: the ``(m, 2)`` nonzero entries.

    A symmetric matrix is undirected unless ``directed=True`` (its edges are then the upper
    triangle, diagonal included), any other one directed; ``weight="weight"`` refuses entries
    other than 0/1, ``weight=None`` counts every nonzero entry as one edge.  With ``values`` the
    entries are the edges' labels (``edge_label="weight"``): nothing is refused, a matrix is
    symmetric only when its values are too, and the values of the edges come fourth.
    """
    check_weight(weight)
    if not is_sparse(A):
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
    if weight is not None and not values and data.dtype != bool:
        bad = np.flatnonzero(data != 1)
        if bad.size:
            i = int(bad[0])
            raise weighted_error(
                f"{what}: the entry ({int(rows[i])}, {int(cols[i])})", data[i], label_parameter
            )
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    if directed is not True:
        # symmetric <=> the set of (row, col) equals the set of (col, row) (and, with values, the
        # value of each entry that of its transpose)
        fwd_key, bwd_key = rows * max(n, 1) + cols, cols * max(n, 1) + rows
        fwd, bwd = np.argsort(fwd_key, kind="stable"), np.argsort(bwd_key, kind="stable")
        symmetric = np.array_equal(fwd_key[fwd], bwd_key[bwd]) and (
            not values or np.array_equal(data[fwd], data[bwd])
        )
        if directed is False and not symmetric:
            raise ValueError(f"{what} is not symmetric, so it cannot be read as an undirected graph")
        directed = not symmetric
    if not directed:
        keep = rows <= cols
        rows, cols, data = rows[keep], cols[keep], data[keep]
    edges = np.stack([rows, cols], axis=1).reshape(-1, 2)
    if values:
        return edges, int(n), bool(directed), data
    return edges, int(n), bool(directed)


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


def is_unit_weight(w) -> bool:
    """Whether the edge weight ``w`` is 1 (``True`` and ``1.0`` are; anything that does not
    compare to a truth value is not)."""
    try:
        return bool(w == 1)
    except Exception:  # an array-like value
        return False


def weighted_error(where: str, value, label_parameter: str, label_value="weight") -> ParameterError:
    """The one error of a weight other than 1, whatever the input: weights are never ignored
    silently.  ``where`` says which edge or entry carries ``value``; ``label_parameter`` set to
    ``label_value`` makes the weights edge colours (``edge_label='weight'`` in memory,
    ``labels='weight'`` or ``labels=3``, a column, for a file)."""
    return ParameterError(
        f"{where} has weight {show(value)}; a weighted graph is refused unless told: pass ",
        Mention("weight", None),
        " to ignore the weights (every edge counts once) or ",
        Mention(label_parameter, label_value),
        " to make them edge colours",
    )


def check_default(default):
    if default is not None and is_nan(default):
        raise ParameterError(
            Mention("default"), " is NaN; NaN equals nothing, not even itself, so it cannot be a label"
        )
