"""Exact reductions of a coloured graph before a general engine runs (Section III of [1]_).

Each reduction returns a smaller graph and records the factorials it removes in
:class:`Factors`, so that ``|Aut(G)| = |Aut(G')| * prod k!``:

* **pendant trees** are peeled level by level; each removed leaf is folded
  into the colour of its neighbour, and ``k`` identical leaves of one
  neighbour contribute ``k!`` (AHU tree canonisation, level by level);
* **twin classes** (vertices whose transposition is an automorphism) are
  contracted to one coloured vertex each, contributing ``k!``;
* **isolated vertices** are grouped by colour, contributing ``k!`` each;
* **fixed vertices** (alone in their class after colour refinement, hence
  fixed by every automorphism) are removed, their neighbours recording them
  in their colours; this contributes no factor and leaves sparse graphs
  without symmetry (Barabasi-Albert, Erdos-Renyi) with a tiny core.

:func:`reduce_graph` repeats them until nothing changes.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace

import numpy as np

from effective_theory._hashing import mix64, multiset_ids, ranges, row_hash, row_ids
from effective_theory.statics.automorphisms.coloured_graph import ColouredGraph

__all__ = ["Factors", "reduce_graph"]


class Factors:
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
def _peel_pendant_trees(g: ColouredGraph, factors: Factors):
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
    owner, nbr, code, indptr, K = g.half_edges()
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
    return g.subgraph(alive, colour, touched), removed


# --------------------------------------------------------------------------
# reduction 2: twin classes
# --------------------------------------------------------------------------
def _contract_twins(g: ColouredGraph, factors: Factors):
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
    owner, nbr, code, indptr, K = g.half_edges()
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
    return g.subgraph(keep, colour, touched), int(members.size - rep.size)


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


def _prune_fixed(g: ColouredGraph, factors: Factors, deadline=None):
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
    owner, nbr, code, indptr, _ = g.half_edges()
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
    return g.subgraph(keep, colour, None), int(fixed.sum())


def _drop_isolated(g: ColouredGraph, factors: Factors):
    """Remove isolated vertices: those of one colour are interchangeable (k!)."""
    deg = np.bincount(np.concatenate([g.u, g.v]), minlength=g.n)
    iso = deg == 0
    if not iso.any():
        return g, 0
    factors.add(np.unique(g.colour[iso], return_counts=True)[1])
    return g.subgraph(~iso, g.colour), int(iso.sum())


def reduce_graph(g: ColouredGraph, factors: Factors, *, deadline=None) -> ColouredGraph:
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
