"""Exact automorphism group orders of large coloured graphs (Section III of [1]_).

The description length ``b = log2(n!/|Aut(G)|)`` of Section III needs the
order of the automorphism group.  This module computes ``|Aut(G)|`` exactly
for a vertex-coloured graph whose edges carry *oriented colours*: the pair
``{u, v}`` carries ``(c_uv, c_vu)``, the type of the arcs ``u -> v`` and
``v -> u`` (0 = no arc).  Every input of :func:`effective_theory.description_length`
(directed or not, with self-loops, multi-edges and edge labels) is brought
to this form by :mod:`effective_theory.statics.graph_input`.

Exact reductions run before a general engine (nauty [2]_ or bliss [3]_):

* **pendant trees** are peeled level by level; each removed leaf is folded
  into the colour of its neighbour, and ``k`` identical leaves of one
  neighbour contribute ``k!``;
* **twin classes** (vertices whose transposition is an automorphism) are
  contracted to one coloured vertex each, contributing ``k!``;
* **isolated vertices** are grouped by colour, contributing ``k!`` each;
* **fixed vertices** (alone in their class after colour refinement, hence
  fixed by every automorphism) are removed, their neighbours recording them
  in their colours; this contributes no factor and leaves sparse graphs
  without symmetry (Barabasi-Albert, Erdos-Renyi) with a tiny core.

The reductions repeat until nothing changes; the general engine then sees
only the remaining core.  The group order is kept factorised
(:class:`AutomorphismOrder`): a star with ``10**6`` leaves has
``|Aut| = (10**6 - 1)!``, which is never written out unless asked for.

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

import math
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from effective_theory._hashing import mix64, multiset_ids, ranges, row_hash, row_ids

__all__ = [
    "AutomorphismOrder",
    "ColouredGraph",
    "ENGINES",
    "automorphism_order",
    "schreier_sims_order",
]

#: engines accepted by ``engine=``
ENGINES = ("auto", "nauty", "bliss")

#: ``engine="auto"`` hands cores with at most this many vertices to nauty
AUTO_NAUTY_MAX_N = 1000
#: largest core the dense nauty engine accepts (n^2/8 bytes of adjacency)
NAUTY_MAX_N = 40_000

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


# --------------------------------------------------------------------------
# the factorised group order
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class AutomorphismOrder:
    """``|Aut(G)| = core * prod_k (k!)**factorials[k]``, kept factorised.

    Attributes
    ----------
    factorials : tuple of (k, multiplicity)
        Factorials contributed by the exact reductions.
    core : int
        Order of the automorphism group of the reduced core (exact).
    """

    factorials: tuple = ()
    core: int = 1

    @property
    def ln(self) -> float:
        """Natural logarithm of the order, from ``lgamma`` (never overflows)."""
        terms = [m * math.lgamma(k + 1) for k, m in self.factorials]
        terms.append(math.log(self.core))
        return math.fsum(terms)

    @property
    def log2(self) -> float:
        """``log2 |Aut(G)|``."""
        return self.ln / _LN2

    @property
    def log10(self) -> float:
        """``log10 |Aut(G)|``."""
        return self.ln / _LN10

    def __int__(self) -> int:
        out = self.core
        for k, m in self.factorials:
            out *= math.factorial(k) ** m
        return out

    def __repr__(self) -> str:
        return f"AutomorphismOrder(log10={self.log10:.6g})"


# --------------------------------------------------------------------------
# the coloured graph
# --------------------------------------------------------------------------
@dataclass
class ColouredGraph:
    """A loop-free graph with vertex colours and oriented edge colours.

    Each unordered pair ``{u[i], v[i]}`` (``u[i] < v[i]``, pairs unique)
    carries ``cuv[i]``, the type (``>= 1``, or 0 for none) of the arc
    ``u -> v``, and ``cvu[i]`` of the arc ``v -> u``; at least one is
    nonzero.  An automorphism is a permutation of ``0..n-1`` that preserves
    ``colour`` and maps every pair to a pair with the same oriented colour.
    """

    n: int
    colour: np.ndarray
    u: np.ndarray
    v: np.ndarray
    cuv: np.ndarray
    cvu: np.ndarray
    info: dict = field(default_factory=dict)
    #: vertices whose colour or neighbourhood changed since the last twin pass (None = all)
    touched: np.ndarray | None = None

    @property
    def num_pairs(self) -> int:
        return int(self.u.size)


# --------------------------------------------------------------------------
# half-edge views
# --------------------------------------------------------------------------
def _half_edges(g: ColouredGraph):
    """Owner, neighbour and oriented code (out * K + in) of every half-edge, CSR-sorted."""
    import scipy.sparse as sp

    K = int(max(g.cuv.max(initial=0), g.cvu.max(initial=0))) + 1
    rows = np.concatenate([g.u, g.v])
    cols = np.concatenate([g.v, g.u])
    code = np.concatenate([g.cuv * K + g.cvu, g.cvu * K + g.cuv])  # >= 1: never an explicit zero
    # scipy's COO -> CSR conversion is a linear-time counting sort (pairs are unique)
    csr = sp.csr_matrix((code, (rows, cols)), shape=(g.n, g.n))
    indptr = csr.indptr.astype(np.int64)
    owner = np.repeat(np.arange(g.n, dtype=np.int64), np.diff(indptr))
    return owner, csr.indices.astype(np.int64), csr.data.astype(np.int64), indptr, K


_SAME = object()


def _subgraph(g: ColouredGraph, keep: np.ndarray, colour: np.ndarray, touched=_SAME) -> ColouredGraph:
    """Induced subgraph on the vertices where ``keep`` is True, with new colours."""
    new_index = np.full(g.n, -1, dtype=np.int64)
    new_index[keep] = np.arange(int(keep.sum()))
    e = keep[g.u] & keep[g.v]
    touched = None if touched is _SAME and g.touched is None else (g.touched if touched is _SAME else touched)
    return ColouredGraph(
        int(keep.sum()),
        colour[keep],
        new_index[g.u[e]],
        new_index[g.v[e]],
        g.cuv[e],
        g.cvu[e],
        g.info,
        None if touched is None else touched[keep],
    )


class _Factors:
    """Multiset of factorials ``k!`` collected by the reductions."""

    def __init__(self):
        self.counts = Counter()

    def add(self, sizes):
        sizes = np.asarray(sizes, dtype=np.int64)
        sizes = sizes[sizes > 1]
        if sizes.size:
            ks, ms = np.unique(sizes, return_counts=True)
            for k, m in zip(ks.tolist(), ms.tolist()):
                self.counts[k] += m

    def as_tuple(self):
        return tuple(sorted(self.counts.items()))


# --------------------------------------------------------------------------
# reduction 1: pendant trees
# --------------------------------------------------------------------------
def _peel_pendant_trees(g: ColouredGraph, factors: _Factors):
    """Peel all pendant trees level by level; returns (reduced graph, removed count).

    Every vertex of degree 1 is removed together with its edge, and the
    colour of its neighbour ``p`` becomes a fresh id of (old colour of p,
    multiset of (leaf colour, oriented edge code seen from p)).  Automorphisms
    map leaves to leaves and preserve the neighbour colours so refined, and
    the only automorphisms fixing every non-leaf permute identical leaves of
    one neighbour, hence ``|Aut(G)| = |Aut(G')| * prod k!``.  A vertex whose
    subtree has height h is removed at level h, so the fresh colour ranges of
    successive levels never collide and colours stay canonical.  A component
    that is a single edge keeps the end with the smaller (colour, code)
    descriptor, times 2 when both descriptors agree.
    """
    if g.n == 0 or g.num_pairs == 0:
        return g, 0
    if not np.any(np.bincount(np.concatenate([g.u, g.v]), minlength=g.n) == 1):
        return g, 0
    owner, nbr, code, indptr, K = _half_edges(g)
    colour = g.colour.astype(np.int64, copy=True)
    next_colour = int(colour.max()) + 1
    alive = np.ones(g.n, dtype=bool)
    deg = np.diff(indptr)
    frontier = np.flatnonzero(deg == 1)
    removed = 0
    while frontier.size:
        idx, seg = ranges(indptr[frontier], indptr[frontier + 1] - indptr[frontier])
        ok = alive[nbr[idx]]
        parent = np.empty(frontier.size, dtype=np.int64)
        lcode = np.empty(frontier.size, dtype=np.int64)
        parent[seg[ok]] = nbr[idx[ok]]
        lcode[seg[ok]] = code[idx[ok]]
        in_frontier = np.zeros(g.n, dtype=bool)
        in_frontier[frontier] = True
        k2 = in_frontier[parent]
        keep_leaf = np.ones(frontier.size, dtype=bool)
        if k2.any():
            a, b, ca = frontier[k2], parent[k2], lcode[k2]
            cb = (ca % K) * K + ca // K  # the same edge seen from b
            less = (colour[a] < colour[b]) | ((colour[a] == colour[b]) & (ca < cb))
            equal = (colour[a] == colour[b]) & (ca == cb)
            survivor = less | (equal & (a < b))
            keep_leaf[np.flatnonzero(k2)[survivor]] = False
            factors.add(np.full(int((equal & (a < b)).sum()), 2))
        leaves, par = frontier[keep_leaf], parent[keep_leaf]
        pcode = (lcode[keep_leaf] % K) * K + lcode[keep_leaf] // K  # edge code seen from the parent
        lcol = colour[leaves]
        factors.add(np.bincount(row_ids([par, lcol, pcode])))
        P, pinv = np.unique(par, return_inverse=True)
        local = multiset_ids(P.size, pinv, [lcol, pcode], fixed=[colour[P]])
        colour[P] = next_colour + local
        next_colour += int(local.max()) + 1
        alive[leaves] = False
        removed += leaves.size
        deg[P] -= np.bincount(pinv, minlength=P.size)
        deg[leaves] = 0
        frontier = P[deg[P] == 1]
    if removed == 0:
        return g, 0
    touched = None
    if g.touched is not None:
        touched = g.touched.copy()
        touched[colour != g.colour] = True  # parents: new colour and fewer neighbours
    return _subgraph(g, alive, colour, touched), removed


# --------------------------------------------------------------------------
# reduction 2: twin classes
# --------------------------------------------------------------------------
def _contract_twins(g: ColouredGraph, factors: _Factors):
    """Contract every twin class to one vertex; returns (quotient, removed count).

    ``u`` and ``v`` are twins when the transposition ``(u v)`` is an
    automorphism: same colour, the same oriented colours to every third
    vertex, and a symmetric colour ``(c, c)`` (or none) between them.  Since
    ``(u w) = (u v)(v w)(u v)``, twinship is an equivalence relation, every
    permutation inside a class is an automorphism, automorphisms map classes
    to classes, and the colours between two classes are uniform.  Hence
    ``Aut(G)`` is ``prod Sym(C)`` extended by the automorphisms of the quotient
    whose vertices are coloured by (colour, class size, colour inside the
    class): ``|Aut(G)| = |Aut(Q)| * prod |C|!``.

    Non-adjacent twins have equal open neighbourhood profiles; twins joined
    by a symmetric colour c have equal closed profiles ``P(u) + {(u, c)}``.
    """
    if g.n < 2:
        return g, 0
    if g.touched is not None and not g.touched.any():
        return g, 0
    owner, nbr, code, indptr, K = _half_edges(g)
    deg = np.diff(indptr)
    n = g.n
    if g.touched is None:
        cand_mask = np.ones(n, dtype=bool)
        fid = multiset_ids(n, owner, [nbr, code], fixed=[g.colour])
        cls = np.where(np.bincount(fid)[fid] > 1, fid, -1)
    else:
        # Twins created since the last pass contain a touched vertex (an untouched pair has the
        # profiles and colours it had then, when it was not a twin pair); in a graph without
        # isolated vertices twins are at distance <= 2, so only that neighbourhood is examined.
        cand_mask = g.touched.copy()
        cand_mask[nbr[cand_mask[owner]]] = True
        cand_mask[nbr[cand_mask[owner]]] = True
        S = np.flatnonzero(cand_mask)
        local = np.full(n, -1, dtype=np.int64)
        local[S] = np.arange(S.size)
        rows = cand_mask[owner]
        fid = multiset_ids(S.size, local[owner[rows]], [nbr[rows], code[rows]], fixed=[g.colour[S]])
        cls = np.full(n, -1, dtype=np.int64)
        cls[S] = np.where(np.bincount(fid)[fid] > 1, fid, -1)
    mutual = np.zeros(n, dtype=np.int64)
    # closed profiles, one per (vertex, symmetric colour at that vertex)
    sym = ((code // K) == (code % K)) & cand_mask[owner]
    if sym.any():
        tu, tc = owner[sym], code[sym]  # owner-sorted
        sym_codes = np.unique(tc)
        if sym_codes.size <= 8:  # distinct (vertex, symmetric colour) pairs, one code at a time
            parts_u, parts_c = [], []
            for c in sym_codes.tolist():
                w = tu[tc == c]
                w = w[np.r_[True, w[1:] != w[:-1]]]
                parts_u.append(w)
                parts_c.append(np.full(w.size, c, dtype=np.int64))
            tu, tc = np.concatenate(parts_u), np.concatenate(parts_c)
        else:
            pid = row_ids([tu, tc])
            first = np.zeros(int(pid.max()) + 1, dtype=np.int64)
            first[pid] = np.arange(pid.size)
            tu, tc = tu[first], tc[first]
        # cheap hash prefilter: profile hash + hash of the self entry
        hp = np.zeros(n, dtype=np.uint64)
        rh = row_hash([nbr, code])
        nz = np.flatnonzero(deg)
        hp[nz] = np.add.reduceat(rh, indptr[:-1][nz])
        hself = hp[tu] + row_hash([tu, tc])
        pre = row_ids([g.colour[tu], deg[tu], tc, hself.view(np.int64)])
        cand = np.bincount(pre)[pre] > 1
        if cand.any():
            cu, cc = tu[cand], tc[cand]
            idx, seg = ranges(indptr[cu], deg[cu])
            m = cu.size
            own = np.concatenate([seg, np.arange(m)])
            it_n = np.concatenate([nbr[idx], cu])
            it_c = np.concatenate([code[idx], cc])
            tid = multiset_ids(m, own, [it_n, it_c], fixed=[g.colour[cu], cc])
            tsize = np.bincount(tid)[tid]
            real = tsize > 1
            if real.any():
                if (cls[cu[real]] >= 0).any():  # pragma: no cover - impossible by the lemma above
                    raise AssertionError("a vertex lies in two twin classes")
                cls[cu[real]] = n + tid[real]
                mutual[cu[real]] = cc[real]
    members = np.flatnonzero(cls >= 0)
    if members.size == 0:
        return replace(g, touched=np.zeros(n, dtype=bool)), 0
    _, cinv, csize = np.unique(cls[members], return_inverse=True, return_counts=True)
    factors.add(csize)
    size = np.ones(n, dtype=np.int64)
    size[members] = csize[cinv]
    keep = np.ones(n, dtype=bool)
    keep[members] = False
    # representative: the smallest vertex of each class
    rep = np.full(csize.size, n, dtype=np.int64)
    np.minimum.at(rep, cinv, members)
    keep[rep] = True
    # fresh colours (above all current ones) for the class representatives only
    colour = g.colour.astype(np.int64, copy=True)
    colour[rep] = int(colour.max()) + 1 + row_ids([g.colour[rep], size[rep], mutual[rep]])
    touched = np.zeros(n, dtype=bool)
    touched[rep] = True
    touched[nbr[~keep[owner]]] = True  # lost a neighbour
    return _subgraph(g, keep, colour, touched), int(members.size - rep.size)


# --------------------------------------------------------------------------
# reduction 3: vertices fixed by every automorphism
# --------------------------------------------------------------------------
#: a refinement round must split off at least ``n >> _REFINE_GAIN_SHIFT`` new classes
#: (at least one) for colour refinement to go on; slower progress is left to the engine
_REFINE_GAIN_SHIFT = 10
#: ... after this many rounds (the first rounds often split little: degrees, then neighbour degrees)
_REFINE_MIN_ROUNDS = 4
#: at most this many rounds per pruning pass, and this many passes per reduction, so that a graph
#: whose refinement creeps (a long chain of distinct colours) costs at most ~128 sweeps of its edges
_REFINE_MAX_ROUNDS = 32
_PRUNE_MAX_PASSES = 4


def _count_distinct(x: np.ndarray) -> int:
    xs = np.sort(x)  # (a sort beats numpy's hash-based unique on a million distinct keys)
    return int(xs.size > 0) + int(np.count_nonzero(xs[1:] != xs[:-1]))


def _refine_colours(g: ColouredGraph, nbr, code, indptr, deadline=None):
    """Colour refinement (1-dimensional Weisfeiler-Leman) with 64-bit hash colours.

    Each round replaces a vertex's colour by a hash of (its colour, multiset
    of (neighbour colour, oriented edge code)).  The hash is an order-free
    function of isomorphism-invariant data, so every automorphism preserves
    every round's colouring; a hash collision only merges classes, which
    stays invariant (it can cost pruning power, never exactness).  Rounds
    stop when the colouring is stable, after 32 rounds, or, after four rounds,
    when a round splits fewer than ``max(1, n >> 10)`` new classes (slow
    refinement, as along a long chain, is left to the engine's own refinement).
    Returns the class id of every vertex and the class sizes.
    """
    n = g.n
    deg = np.diff(indptr)
    nz = np.flatnonzero(deg)
    starts = indptr[:-1][nz]
    c = mix64(g.colour.astype(np.uint64))
    ch = mix64(code.astype(np.uint64))
    classes = _count_distinct(c)
    min_gain = max(1, n >> _REFINE_GAIN_SHIFT)
    for rounds in range(1, min(n, _REFINE_MAX_ROUNDS) + 1):
        if deadline is not None and time.perf_counter() > deadline:
            raise TimeoutError("description length: time_limit exceeded during the exact reductions")
        s = np.zeros(n, dtype=np.uint64)
        s[nz] = np.add.reduceat(mix64(c[nbr] ^ ch), starts)
        c_next = mix64(c ^ mix64(s))
        k = _count_distinct(c_next)
        if k <= classes:  # stable (a collision may even lose a class: stop there too)
            break
        gain = k - classes
        c, classes = c_next, k
        if rounds >= _REFINE_MIN_ROUNDS and gain < min_gain:
            break
    _, cls, size = np.unique(c, return_inverse=True, return_counts=True)
    return cls.reshape(-1).astype(np.int64), size


def _prune_fixed(g: ColouredGraph, factors: _Factors, deadline=None):
    """Remove the vertices that every automorphism fixes; returns (graph, removed count).

    Every automorphism preserves the refined colouring of
    :func:`_refine_colours`, so a vertex alone in its class is fixed by all
    of them.  Let ``S`` be these vertices and ``R`` the rest.  Each ``w`` in
    ``R`` gets the exact id of (its colour, its refined class, multiset of
    ``(s, oriented code of {w, s})`` over its neighbours ``s`` in ``S``).
    Restricting to ``R`` maps ``Aut(G)`` one-to-one (``S`` is fixed
    pointwise) into ``Aut(G - S)`` with these colours; conversely such a
    permutation, extended by the identity on ``S``, keeps every pair
    ``{w, s}`` because ``w`` and its image record the same neighbours in
    ``S`` with the same codes.  Hence ``|Aut(G)| = |Aut(G - S)|``: no factor.
    In sparse graphs without symmetry (Barabasi-Albert, Erdos-Renyi) a few
    rounds isolate almost every vertex and the engine sees a tiny core.
    """
    if g.n < 2 or g.num_pairs == 0:
        return g, 0
    owner, nbr, code, indptr, _ = _half_edges(g)
    cls, size = _refine_colours(g, nbr, code, indptr, deadline)
    fixed = size[cls] == 1
    if not fixed.any():
        return g, 0
    keep = ~fixed
    nk = int(keep.sum())
    local = np.full(g.n, -1, dtype=np.int64)
    local[keep] = np.arange(nk)
    rows = keep[owner] & fixed[nbr]
    colour = np.zeros(g.n, dtype=np.int64)
    if nk:
        colour[keep] = multiset_ids(
            nk, local[owner[rows]], [nbr[rows], code[rows]], fixed=[g.colour[keep], cls[keep]]
        )
    return _subgraph(g, keep, colour, None), int(fixed.sum())


def _drop_isolated(g: ColouredGraph, factors: _Factors):
    """Remove isolated vertices: those of one colour are interchangeable (k!)."""
    deg = np.bincount(np.concatenate([g.u, g.v]), minlength=g.n)
    iso = deg == 0
    if not iso.any():
        return g, 0
    factors.add(np.unique(g.colour[iso], return_counts=True)[1])
    return _subgraph(g, ~iso, g.colour), int(iso.sum())


def reduce_graph(g: ColouredGraph, factors: _Factors, *, deadline=None) -> ColouredGraph:
    """Apply the exact reductions until none changes the graph (at most four pruning passes)."""
    passes = 0
    while g.n:
        n_before = g.n
        g, a = _peel_pendant_trees(g, factors)
        g, b = _drop_isolated(g, factors)
        d = 0
        if passes < _PRUNE_MAX_PASSES:
            g, d = _prune_fixed(g, factors, deadline)
            passes += 1
        g, c = _contract_twins(g, factors)
        if deadline is not None and time.perf_counter() > deadline:
            raise TimeoutError("description length: time_limit exceeded during the exact reductions")
        # a pruning pass that removed only a sliver (slow refinement) does not earn another round
        if a == b == c == 0 and d < max(1, n_before >> _REFINE_GAIN_SHIFT):
            break
    return g


# --------------------------------------------------------------------------
# encoding the core as a simple vertex-coloured (di)graph
# --------------------------------------------------------------------------
def _encode_simple(g: ColouredGraph, *, allow_directed=True):
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


# --------------------------------------------------------------------------
# engines
# --------------------------------------------------------------------------
class _BigIntStrings:
    """Lift Python's int-string limit while an engine hands back a huge order."""

    def __enter__(self):
        self.old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
        if self.old is not None:
            sys.set_int_max_str_digits(0)

    def __exit__(self, *exc):
        if self.old is not None:
            sys.set_int_max_str_digits(self.old)


def _bliss_order(n, arcs, directed, col) -> int:
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
    import pynauty

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


def _nauty_order(n, arcs, directed, col) -> int:
    """Exact order from nauty via the orbit-stabiliser chain.

    nauty reports ``|Aut| = grpsize1 * 10**grpsize2`` with a float mantissa,
    exact only while the order is small.  When it is not, a vertex ``v`` of
    a non-trivial orbit is individualised (given a colour of its own) and
    nauty runs again on the stabiliser: ``|Aut| = |orbit(v)| * |Aut_v|``,
    with exact orbit sizes, until the remaining stabiliser is small enough
    for the float to be exact.
    """
    if n > NAUTY_MAX_N:
        raise ValueError(f"the nauty engine is dense (n^2/8 bytes); core has {n} > {NAUTY_MAX_N} vertices")
    fixed: list[int] = []
    order = 1
    while True:
        _gens, size1, size2, orbits, _norb = _nauty_run(n, arcs, directed, col, fixed)
        if size2 == 0 and size1 == int(size1) and size1 < 2**50:
            return order * int(size1)
        orbits = np.asarray(orbits)
        sizes = np.bincount(orbits, minlength=n)
        v = int(np.argmax(sizes[orbits]))  # a vertex in a largest orbit
        order *= int(sizes[orbits[v]])
        fixed.append(v)


def schreier_sims_order(generators, degree=None) -> int:
    """Exact order of the permutation group generated by ``generators``.

    A deterministic Schreier-Sims algorithm on the points the generators
    move: it builds a base and strong generating set by sifting every
    Schreier generator, and returns the product of the basic orbit lengths.

    Parameters
    ----------
    generators : sequence of sequences of int
        Permutations in image form (``g[x]`` is the image of ``x``).
    degree : int, optional
        Number of points; defaults to the generators' length.

    Examples
    --------
    >>> schreier_sims_order([[1, 2, 3, 0], [1, 0, 2, 3]])  # S_4
    24
    >>> schreier_sims_order([[1, 2, 3, 4, 0]])  # a 5-cycle
    5
    """
    gens = [np.asarray(x, dtype=np.int64) for x in generators]
    if not gens:
        return 1
    n = degree if degree is not None else gens[0].size
    ident = np.arange(n)
    gens = [x for x in gens if not np.array_equal(x, ident)]
    if not gens:
        return 1
    moved = np.unique(np.concatenate([np.flatnonzero(x != ident) for x in gens]))
    pos = np.full(n, -1, dtype=np.int64)
    pos[moved] = np.arange(moved.size)
    dtype = np.int32 if moved.size < 2**31 else np.int64
    gens = [pos[x[moved]].astype(dtype) for x in gens]
    s = moved.size
    ident = np.arange(s, dtype=dtype)

    base: list[int] = []
    strong: list[tuple[int, np.ndarray]] = []  # (level, permutation)
    trans: list[dict] = []  # level -> {point: u with u[base] = point}
    tested: list[set] = []

    def level_gens(i):
        return [(k, x) for k, (lev, x) in enumerate(strong) if lev >= i]

    def extend_orbit(i):
        T = trans[i]
        queue = list(T.keys())
        gi = level_gens(i)
        while queue:
            p = queue.pop()
            for _k, x in gi:
                q = int(x[p])
                if q not in T:
                    T[q] = x[T[p]]
                    queue.append(q)

    def add_strong(x, level):
        if level == len(base):
            base.append(int(np.flatnonzero(x != ident)[0]))
            trans.append({base[-1]: ident})
            tested.append(set())
        strong.append((level, x))
        for lev in range(level + 1):
            extend_orbit(lev)

    def strip(x, start):
        for j in range(start, len(base)):
            p = int(x[base[j]])
            if p not in trans[j]:
                return x, j
            u = trans[j][p]
            inv = np.empty_like(u)
            inv[u] = ident
            x = inv[x]
        return x, len(base)

    for x in gens:
        x, j = strip(x, 0)
        if not np.array_equal(x, ident):
            add_strong(x, j)
    i = len(base) - 1
    while i >= 0:
        restart = False
        for p in list(trans[i].keys()):
            for k, x in level_gens(i):
                if (p, k) in tested[i]:
                    continue
                tested[i].add((p, k))
                u = trans[i][p]
                q = int(x[p])
                tq = trans[i][q]
                inv = np.empty_like(tq)
                inv[tq] = ident
                h = inv[x[u]]  # Schreier generator t_q^-1 x t_p, fixes base[i]
                if np.array_equal(h, ident):
                    continue
                res, j = strip(h, i + 1)
                if not np.array_equal(res, ident):
                    add_strong(res, j)
                    i = j
                    restart = True
                    break
            if restart:
                break
        if not restart:
            i -= 1
    return math.prod(len(T) for T in trans)


def _core_order(g: ColouredGraph, engine: str) -> tuple[int, str]:
    if g.n == 0:
        return 1, "none"
    if engine == "auto":
        engine = "nauty" if g.n <= AUTO_NAUTY_MAX_N else "bliss"
    n, arcs, directed, col = _encode_simple(g, allow_directed=engine == "bliss")
    if engine == "nauty":
        return _nauty_order(n, arcs, directed, col), "nauty"
    return _bliss_order(n, arcs, directed, col), "bliss"


def _run_with_time_limit(func, args, time_limit):
    """Run ``func(*args)`` in a forked child so that it can be abandoned."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)

    def target():
        try:
            send.send(("ok", func(*args)))
        except BaseException as exc:  # pragma: no cover - reported to the parent
            send.send(("err", exc))

    proc = ctx.Process(target=target, daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(max(time_limit, 0.0)):
            raise TimeoutError(
                f"automorphism engine did not finish within the time_limit ({time_limit:.3g} s were left "
                "after the exact reductions; hard graphs such as random regular graphs can take minutes)"
            )
        status, value = recv.recv()
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        recv.close()
    if status == "err":
        raise value
    return value


def automorphism_order(g: ColouredGraph, *, engine="auto", reduce=True, time_limit=None):
    """Exact ``|Aut(g)|`` in factorised form, with a report dictionary.

    Parameters
    ----------
    g : ColouredGraph
    engine : {"auto", "nauty", "bliss"}
        General engine for the reduced core.
    reduce : bool
        Apply the exact reductions first (turn off only to cross-check them).
    time_limit : float, optional
        Seconds; the engine then runs in a child process that is killed on
        expiry and ``TimeoutError`` is raised.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if time_limit is not None and not (time_limit > 0):
        raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit
    factors = _Factors()
    core = reduce_graph(g, factors, deadline=deadline) if reduce else g
    if time_limit is None:
        core_order, used = _core_order(core, engine)
    else:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise TimeoutError("description length: time_limit exceeded during the exact reductions")
        if core.n == 0:
            core_order, used = 1, "none"
        else:
            core_order, used = _run_with_time_limit(_core_order, (core, engine), remaining)
    order = AutomorphismOrder(factors.as_tuple(), core_order)
    report = {
        "engine": used if core.n else "reductions",
        "core_n": core.n,
        "core_pairs": core.num_pairs,
        "seconds": time.perf_counter() - start,
    }
    return order, report
