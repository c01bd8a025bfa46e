"""The general engines on a reduced core: nauty [1]_ and bliss [2]_, and the encoding they need.

:func:`encode_simple` turns a :class:`~.coloured_graph.ColouredGraph` (oriented edge colours) into
a simple vertex-coloured graph or digraph with the same automorphisms; :func:`bliss_order` and
:func:`nauty_order` return the exact order of its automorphism group.

References
----------
.. [1] B. D. McKay, A. Piperno, "Practical graph isomorphism, II",
   J. Symbolic Comput. 60, 94-112 (2014) (nauty).
.. [2] T. Junttila, P. Kaski, "Engineering an efficient canonical labeling
   tool for large and sparse graphs", ALENEX 2007 (bliss).
"""

from __future__ import annotations

import sys

import numpy as np
import pynauty

from effective_theory._hashing import row_ids
from effective_theory.statics.automorphisms.coloured_graph import ColouredGraph

__all__ = ["NAUTY_MAX_N", "encode_simple", "complement", "bliss_order", "nauty_order"]

#: largest core the dense nauty engine accepts (n^2/8 bytes of adjacency)
NAUTY_MAX_N = 40_000


def encode_simple(g: ColouredGraph, *, allow_directed=True):
    """Return (n, arcs (m,2), directed, colours) with the same automorphisms.

    * one symmetric edge type: an undirected simple graph;
    * one arc type: a directed simple graph (if ``allow_directed``; pynauty
      was seen to hang in digraph mode on an oriented tree with 43 vertices,
      so the nauty engine always gets the undirected encoding below);
    * otherwise the pair ``{u, v}`` with oriented colour (a, b) is subdivided:
      by one vertex coloured ``("sym", a)`` when ``a == b``, else by a path
      ``u - x - y - v`` with ``x`` coloured ``("end", a, b)`` and ``y``
      coloured ``("end", b, a)``.  Gadget colours differ from vertex colours,
      a gadget is fixed by its original endpoints, and ``x`` records the
      colour seen from the endpoint it touches, so the automorphisms of the
      encoding restricted to the original vertices are exactly the
      colour-preserving automorphisms of ``g``.
    """
    n = g.n
    col = g.colour
    if n and (col.min() < 0 or col.max() >= 2**30):
        col = row_ids([col])
    types = np.unique(np.concatenate([g.cuv, g.cvu]))
    types = types[types > 0]
    if g.num_pairs == 0:
        return n, np.zeros((0, 2), dtype=np.int64), False, col
    if types.size == 1 and np.array_equal(g.cuv, g.cvu):
        return n, np.stack([g.u, g.v], axis=1), False, col
    if types.size == 1 and allow_directed:
        fwd = g.cuv > 0
        bwd = g.cvu > 0
        arcs = np.concatenate([np.stack([g.u[fwd], g.v[fwd]], 1), np.stack([g.v[bwd], g.u[bwd]], 1)])
        return n, arcs, True, col
    ncol = int(col.max()) + 1
    symm = g.cuv == g.cvu
    su, sv, sc = g.u[symm], g.v[symm], g.cuv[symm]
    au, av, a, b = g.u[~symm], g.v[~symm], g.cuv[~symm], g.cvu[~symm]
    ns, na = su.size, au.size
    s_ids = n + np.arange(ns)
    x_ids = n + ns + np.arange(na)
    y_ids = n + ns + na + np.arange(na)
    kind = np.concatenate([np.zeros(ns, np.int64), np.ones(2 * na, np.int64)])
    ga = np.concatenate([sc, a, b])
    gb = np.concatenate([sc, b, a])
    gcol = ncol + row_ids([kind, ga, gb])
    arcs = np.concatenate(
        [
            np.stack([su, s_ids], 1),
            np.stack([s_ids, sv], 1),
            np.stack([au, x_ids], 1),
            np.stack([x_ids, y_ids], 1),
            np.stack([y_ids, av], 1),
        ]
    )
    return n + ns + 2 * na, arcs, False, np.concatenate([col, gcol])


class _BigIntStrings:
    """Lift Python's int-string limit while an engine hands back a huge order."""

    def __enter__(self):
        self.old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
        if self.old is not None:
            sys.set_int_max_str_digits(0)

    def __exit__(self, *exc):
        if self.old is not None:
            sys.set_int_max_str_digits(self.old)


def complement(n, arcs):
    """Edges of the complement of a simple undirected graph (the same automorphisms, colours kept)."""
    A = np.ones((n, n), dtype=bool)
    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    A[arcs[:, 0], arcs[:, 1]] = False
    A[arcs[:, 1], arcs[:, 0]] = False
    u, v = np.nonzero(np.triu(A, 1))
    return np.stack([u, v], axis=1).astype(np.int64)


def bliss_order(n, arcs, directed, col) -> int:
    # imported here: igraph takes 0.41 s to import (measured), which graphs decided by the exact
    # reductions or by nauty do not need
    import igraph

    col = np.asarray(col, dtype=np.int64)
    col = None if col.size and col.min() == col.max() else col.tolist()  # one colour: no vector
    if col is not None and len(col) != n:  # a wrong-length colour vector crashes bliss: never pass one
        raise AssertionError(f"colour vector has length {len(col)}, graph has {n} vertices")
    arcs = np.asarray(arcs, dtype=np.int64).reshape(-1, 2)
    edges = list(zip(arcs[:, 0].tolist(), arcs[:, 1].tolist()))
    graph = igraph.Graph(n=n, edges=edges, directed=directed)
    with _BigIntStrings():
        return int(graph.count_automorphisms(sh="fl", color=col))


def _nauty_run(n, arcs, directed, col, fixed=()):
    adjacency = {}
    arcs = np.asarray(arcs, dtype=np.int64)
    if arcs.size:
        order = np.argsort(arcs[:, 0], kind="stable")
        src, dst = arcs[order, 0], arcs[order, 1]
        starts = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
        for s, chunk in zip(src[starts].tolist(), np.split(dst, starts[1:])):
            adjacency[s] = chunk.tolist()
    col = np.asarray(col, dtype=np.int64).copy()
    if len(fixed):
        col[np.asarray(fixed)] = col.max(initial=0) + 1 + np.arange(len(fixed))
    order = np.argsort(col, kind="stable")
    bounds = np.flatnonzero(np.r_[True, col[order][1:] != col[order][:-1]])
    cells = [set(c.tolist()) for c in np.split(order, bounds[1:])]
    G = pynauty.Graph(n, directed=directed, adjacency_dict=adjacency, vertex_coloring=cells)
    return pynauty.autgrp(G)


def nauty_order(n, arcs, directed, col, *, max_runs=None) -> int | None:
    """Exact order from nauty via the orbit-stabiliser chain.

    nauty reports ``|Aut| = grpsize1 * 10**grpsize2`` with a float mantissa,
    exact only while the order is small.  When it is not, a vertex ``v`` of
    a non-trivial orbit is individualised (given a colour of its own) and
    nauty runs again on the stabiliser: ``|Aut| = |orbit(v)| * |Aut_v|``,
    with exact orbit sizes, until the remaining stabiliser is small enough
    for the float to be exact.  With ``max_runs``, gives up (returns None)
    rather than run nauty more often: a group of order ``10**k`` can need
    about ``k`` runs (200 copies of C5: more than 20 s), where bliss needs one.
    """
    if n > NAUTY_MAX_N:
        raise ValueError(f"the nauty engine is dense (n^2/8 bytes); core has {n} > {NAUTY_MAX_N} vertices")
    fixed: list[int] = []
    order = 1
    while True:
        if max_runs is not None and len(fixed) >= max_runs:
            return None
        _gens, size1, size2, orbits, _norb = _nauty_run(n, arcs, directed, col, fixed)
        if size2 == 0 and size1 == int(size1) and size1 < 2**50:
            return order * int(size1)
        orbits = np.asarray(orbits)
        sizes = np.bincount(orbits, minlength=n)
        v = int(np.argmax(sizes[orbits]))  # a vertex in a largest orbit
        order *= int(sizes[orbits[v]])
        fixed.append(v)
