"""Isomorphic connected components, grouped before any engine runs.

A graph whose connected components (weak components of a digraph) fall into isomorphism classes
``C_1, ..., C_r`` with multiplicities ``k_1, ..., k_r`` has

.. math::

    |\\mathrm{Aut}(G)| = \\prod_i |\\mathrm{Aut}(C_i)|^{k_i} \\, k_i!

(an automorphism permutes the copies of each class and maps each copy to its image by an
isomorphism).  :func:`group_components` splits the reduced core into components, sorts them into
isomorphism classes and returns one representative per class, so the engine sees each class once:
10^5 copies of C5 cost one engine call on five vertices instead of one on 5 * 10^5.

Classes are found in two steps.  An isomorphism-invariant key (size, number of pairs, and the
multiset of colour-refinement hashes) proposes *buckets*; only buckets with two or more members
are examined.  Inside a bucket the decision is exact, by a certificate that two components share
exactly when they are isomorphic:

* small components (at most :data:`SEARCH_MAX_N` vertices) by a vectorised
  individualisation-refinement search, all components of a size at once: each component follows
  one path of the search tree to a discrete colouring (a leaf), a representative of the bucket
  expands its whole tree, and a component belongs to the representative's class when its leaf
  is among the representative's leaves;
* larger components, and searches that exceed their budget, by bliss's canonical labelling
  (``igraph.Graph.canonical_permutation``) of the encoded component.

A leaf is a vertex order; its certificate is the component written in that order (vertex
colours, then every pair ``(rank u, rank v, c_uv, c_vu)`` sorted).  Equal certificates give an
explicit isomorphism, so a certificate can never merge two non-isomorphic components.  The
refinement, the choice of the cell to individualise and the stopping rule are functions of the
component and the vertices individualised so far (64-bit hashes of invariant data, the order of
the hash values, a stop at the first round that splits no cell), so an isomorphism maps the
path of one component onto a path of the other's tree: isomorphic components are never split
either.  A hash collision can only cost a deeper search or send a bucket to bliss.

Trees need none of this: the pendant-tree reduction already encodes every rooted tree in the
colour of its last vertex (AHU), so identical trees end as isolated vertices of one colour.
"""

from __future__ import annotations

import time

import numpy as np

from effective_theory._hashing import mix64, ranges, row_hash, row_ids
from effective_theory.statics.automorphisms.coloured_graph import SMALL_HALF_EDGES, ColouredGraph
from effective_theory.statics.automorphisms.engines import encode_simple
from effective_theory.statics.automorphisms.reductions import Factors

__all__ = ["group_components"]

#: components of at most this many vertices are classified by the vectorised search
SEARCH_MAX_N = 64
#: a representative's search tree may hold at most this many vertex rows at one level
TREE_MAX_ROWS = 1 << 21
#: representatives tried per bucket before the rest of the bucket goes to bliss
MAX_REPRESENTATIVES = 4
#: rounds of colour refinement in the bucket key
KEY_ROUNDS = 2

_IND = np.uint64(0xD6E8FEB86659FD93)  # individualisation salt (one per search level, mixed in)


def _components(g: ColouredGraph):
    """Component label of every vertex and the number of components (weak for digraphs).

    Components are numbered in the order of their smallest vertex (as scipy numbers them).
    """
    if g.num_pairs <= SMALL_HALF_EDGES:
        return _small_components(g.n, g.u, g.v)
    # imported here: scipy.sparse.csgraph takes 0.30 s to import (measured), and no module of the
    # theory imports scipy when it is imported
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    A = sp.csr_matrix((np.ones(g.num_pairs, dtype=np.int8), (g.u, g.v)), shape=(g.n, g.n))
    ncomp, label = connected_components(A, directed=False)
    return ncomp, label.astype(np.int64)


def _small_components(n: int, u: np.ndarray, v: np.ndarray):
    """``(count, label)`` of the components of a small graph, by minimum-label propagation with
    pointer jumping (numpy only), numbered in the order of their smallest vertex."""
    low = np.arange(n, dtype=np.int64)
    while True:
        nxt = low.copy()
        np.minimum.at(nxt, u, low[v])
        np.minimum.at(nxt, v, low[u])
        nxt = nxt[nxt]
        if np.array_equal(nxt, low):
            break
        low = nxt
    roots, label = np.unique(low, return_inverse=True)
    return int(roots.size), label.reshape(-1).astype(np.int64)


class _Sorted:
    """The graph relabelled so that every component is a contiguous range of vertices and pairs."""

    def __init__(self, g: ColouredGraph, label: np.ndarray, ncomp: int):
        order = np.argsort(label, kind="stable")
        new = np.empty(g.n, dtype=np.int64)
        new[order] = np.arange(g.n)
        u, v = new[g.u], new[g.v]
        swap = u > v
        self.u = np.where(swap, v, u)
        self.v = np.where(swap, u, v)
        self.cuv = np.where(swap, g.cvu, g.cuv)
        self.cvu = np.where(swap, g.cuv, g.cvu)
        self.colour = g.colour[order].astype(np.int64)
        self.size = np.bincount(label, minlength=ncomp).astype(np.int64)
        self.vstart = np.zeros(ncomp + 1, dtype=np.int64)
        np.cumsum(self.size, out=self.vstart[1:])
        pcomp = label[g.u]
        porder = np.argsort(pcomp, kind="stable")
        self.u, self.v, self.cuv, self.cvu = (x[porder] for x in (self.u, self.v, self.cuv, self.cvu))
        self.pairs = np.bincount(pcomp, minlength=ncomp).astype(np.int64)
        self.pstart = np.zeros(ncomp + 1, dtype=np.int64)
        np.cumsum(self.pairs, out=self.pstart[1:])
        self.n = g.n
        self.ncomp = ncomp
        self.K = int(max(self.cuv.max(initial=0), self.cvu.max(initial=0))) + 1

    def component(self, j: int) -> ColouredGraph:
        """Component ``j`` as a coloured graph on ``0..size-1``."""
        a, b = self.vstart[j], self.vstart[j + 1]
        p, q = self.pstart[j], self.pstart[j + 1]
        return ColouredGraph(
            int(b - a), self.colour[a:b], self.u[p:q] - a, self.v[p:q] - a, self.cuv[p:q], self.cvu[p:q]
        )

    def union(self, comps: np.ndarray) -> ColouredGraph:
        """The disjoint union of the components ``comps`` (in their order)."""
        vidx, _ = ranges(self.vstart[comps], self.size[comps])
        pidx, _ = ranges(self.pstart[comps], self.pairs[comps])
        new = np.full(self.n, -1, dtype=np.int64)
        new[vidx] = np.arange(vidx.size)
        return ColouredGraph(
            int(vidx.size),
            self.colour[vidx],
            new[self.u[pidx]],
            new[self.v[pidx]],
            self.cuv[pidx],
            self.cvu[pidx],
        )

    def bucket_keys(self) -> np.ndarray:
        """Isomorphism-invariant bucket of every component: size, pairs, refinement hash multiset."""
        n = self.n
        rows = np.concatenate([self.u, self.v])
        nbr = np.concatenate([self.v, self.u])
        code = np.concatenate([self.cuv * self.K + self.cvu, self.cvu * self.K + self.cuv])
        o = np.argsort(rows, kind="stable")
        rows, nbr, code = rows[o], nbr[o], code[o]
        ch = mix64(code.astype(np.uint64))
        deg = np.bincount(rows, minlength=n)
        nz = np.flatnonzero(deg)
        starts = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(deg, out=starts[1:])
        c = mix64(self.colour.astype(np.uint64))
        for _ in range(KEY_ROUNDS):
            s = np.zeros(n, dtype=np.uint64)
            if nbr.size:
                s[nz] = np.add.reduceat(mix64(c[nbr] ^ ch), starts[:-1][nz])
            c = mix64(c ^ mix64(s))
        hsum = np.zeros(self.ncomp, dtype=np.uint64)
        ne = np.flatnonzero(self.size)
        hsum[ne] = np.add.reduceat(mix64(c), self.vstart[:-1][ne])
        return row_ids([self.size, self.pairs, hsum.view(np.int64)])


class _Batch:
    """Components of one size ``s`` and pair count ``m``, as (copies x s) arrays for the search."""

    def __init__(self, S: _Sorted, comps: np.ndarray):
        self.comps = comps
        T = comps.size
        s = self.s = int(S.size[comps[0]])
        m = self.m = int(S.pairs[comps[0]])
        pidx, _ = ranges(S.pstart[comps], S.pairs[comps])
        base = np.repeat(S.vstart[comps], m)
        pu = (S.u[pidx] - base).reshape(T, m)
        pv = (S.v[pidx] - base).reshape(T, m)
        self.cuv = S.cuv[pidx].reshape(T, m)
        self.cvu = S.cvu[pidx].reshape(T, m)
        self.pu, self.pv = pu, pv
        vidx, _ = ranges(S.vstart[comps], S.size[comps])
        self.colour = S.colour[vidx].reshape(T, s)
        # half-edges of each component, sorted by owner (every vertex has one: components are connected)
        own = np.concatenate([pu, pv], axis=1)
        nb = np.concatenate([pv, pu], axis=1)
        code = np.concatenate([self.cuv * S.K + self.cvu, self.cvu * S.K + self.cuv], axis=1)
        o = np.argsort(own, axis=1, kind="stable")
        self.own = np.take_along_axis(own, o, 1)
        self.nbr = np.take_along_axis(nb, o, 1)
        # an odd multiplier per oriented code: a neighbour's term is mix(colour) * multiplier
        self.ch = mix64(np.take_along_axis(code, o, 1).astype(np.uint64)) | np.uint64(1)
        self.all = np.arange(T)

    def _rows(self, x: np.ndarray, which: np.ndarray) -> np.ndarray:
        return x if which is self.all else x[which]

    def refine(self, C: np.ndarray, which: np.ndarray, distinct: np.ndarray | None = None):
        """Refine the colourings ``C`` (copies x s) of the components ``which`` to stability.

        Each round hashes a vertex's colour with the multiset of (neighbour colour, oriented
        code).  A copy stops at the first round that splits no cell and keeps the colours it had,
        so the result is a function of the component and of its colours on entry.  Returns the
        colours and the number of distinct colours of each copy.
        """
        T, s = C.shape
        if distinct is None:
            distinct = _distinct(C)
        if T == 0 or self.m == 0:
            return C, distinct
        offset = (np.arange(T, dtype=np.int64) * s)[:, None]
        nbr = (self._rows(self.nbr, which) + offset).ravel()
        ch = self._rows(self.ch, which).ravel()
        owner = (self._rows(self.own, which) + offset).ravel()
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        active = np.ones(T, dtype=bool)
        for _ in range(s):
            agg = np.add.reduceat(mix64(C.ravel())[nbr] * ch, starts).reshape(T, s)
            new = mix64(C ^ agg)
            d = _distinct(new)
            grew = active & (d > distinct)
            if not grew.any():
                break
            C = np.where(grew[:, None], new, C)
            distinct = np.where(grew, d, distinct)
            active = grew
        return C, distinct

    def certificates(self, C: np.ndarray, which: np.ndarray) -> np.ndarray:
        """The component written in the vertex order of its discrete colouring (one row each)."""
        order = np.argsort(C, axis=1)
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, np.arange(self.s)[None, :], 1)
        col = np.take_along_axis(self._rows(self.colour, which), order, 1)
        ru = np.take_along_axis(rank, self._rows(self.pu, which), 1)
        rv = np.take_along_axis(rank, self._rows(self.pv, which), 1)
        a, b = np.minimum(ru, rv), np.maximum(ru, rv)
        fwd = ru < rv
        c1, c2 = self._rows(self.cuv, which), self._rows(self.cvu, which)
        cuv, cvu = np.where(fwd, c1, c2), np.where(fwd, c2, c1)
        o = np.argsort(a * self.s + b, axis=1)
        parts = [np.take_along_axis(x, o, 1) for x in (a, b, cuv, cvu)]
        return np.concatenate([col, *parts], axis=1)


def _distinct(C: np.ndarray) -> np.ndarray:
    S = np.sort(C, axis=1)
    return 1 + np.count_nonzero(S[:, 1:] != S[:, :-1], axis=1)


def _target_cells(C: np.ndarray) -> np.ndarray:
    """Per copy (none discrete): the smallest colour that more than one vertex has (the cell to split)."""
    S = np.sort(C, axis=1)
    first = np.argmax(S[:, 1:] == S[:, :-1], axis=1)
    return S[np.arange(C.shape[0]), first]


def _search(batch: _Batch, which: np.ndarray, full: bool):
    """Leaves of the search tree: one path per component (``full=False``) or the whole tree.

    Returns ``(owner, certificates)`` (``owner`` indexes ``which``), or None when a level makes
    no progress or a tree outgrows :data:`TREE_MAX_ROWS` (the caller then falls back to bliss).
    """
    s = batch.s
    C = mix64(batch._rows(batch.colour, which).astype(np.uint64))
    owner = np.arange(which.size)
    C, distinct = batch.refine(C, which if full else batch.all)
    done_owner, done_cert = [], []
    for level in range(s + 1):
        leaf = distinct == s
        if leaf.any():
            done_owner.append(owner[leaf])
            done_cert.append(batch.certificates(C[leaf], which[owner[leaf]]))
        if leaf.all():
            break
        if level == s:
            return None
        keep = ~leaf
        C, owner, before = C[keep], owner[keep], distinct[keep]
        tv = _target_cells(C)
        in_cell = C == tv[:, None]
        if full:
            t, v = np.nonzero(in_cell)
            if t.size * s > TREE_MAX_ROWS:
                return None
        else:
            t, v = np.arange(C.shape[0]), np.argmax(in_cell, axis=1)
        C, owner, before = C[t], owner[t], before[t]
        salt = mix64(np.full(1, _IND + np.uint64(level), dtype=np.uint64))[0]
        C[np.arange(t.size), v] = mix64(C[np.arange(t.size), v] ^ salt)
        C, distinct = batch.refine(C, which[owner])
        if np.any(distinct <= before):  # a collision undid the individualisation
            return None
    return np.concatenate(done_owner), np.concatenate(done_cert)


def _classify_batch(batch: _Batch, bucket: np.ndarray, cls: np.ndarray):
    """Set ``cls`` (indexed like ``batch.comps``) to a representative for every component it can.

    ``bucket`` is each component's bucket; components left at -1 go to bliss.
    """
    path = _search(batch, batch.all, full=False)
    if path is None:
        return
    powner, pcert = path
    cert = np.empty_like(pcert)
    cert[powner] = pcert
    for _ in range(MAX_REPRESENTATIVES):
        todo = np.flatnonzero(cls < 0)
        if todo.size == 0:
            return
        # the first unclassified component of each bucket represents it
        _, first = np.unique(bucket[todo], return_index=True)
        reps = todo[first]
        tree = _search(batch, reps, full=True)
        if tree is None:
            return
        towner, tcert = tree
        # is each component's leaf among the leaves of its bucket's representative?  A 64-bit hash
        # of (bucket, certificate) finds the candidate leaf, an exact comparison decides
        leaf_hash = row_hash([bucket[reps[towner]], *tcert.T])
        o = np.argsort(leaf_hash)
        leaf_hash, tcert = leaf_hash[o], tcert[o]
        h = row_hash([bucket[todo], *cert[todo].T])
        at = np.minimum(np.searchsorted(leaf_hash, h), leaf_hash.size - 1)
        hit = (leaf_hash[at] == h) & np.all(tcert[at] == cert[todo], axis=1)
        rep_of_bucket = np.zeros(int(bucket.max()) + 1, dtype=np.int64)
        rep_of_bucket[bucket[reps]] = reps
        cls[todo[hit]] = rep_of_bucket[bucket[todo[hit]]]


def _canonical_certificate(g: ColouredGraph) -> bytes:
    """Certificate of a component from bliss's canonical labelling of its encoding."""
    # imported here: igraph takes 0.41 s to import (measured), which only components too large for
    # the vectorised search need
    import igraph

    n, arcs, directed, col = encode_simple(g, allow_directed=True)
    col = np.asarray(col, dtype=np.int64)
    graph = igraph.Graph(n=n, edges=arcs.tolist(), directed=directed)
    # igraph returns the vertex placed at each canonical position (its docstring says the inverse;
    # checked on relabelled copies of a cycle): the canonical position of v is its inverse
    placed = np.asarray(graph.canonical_permutation(sh="fl", color=col.tolist()), dtype=np.int64)
    pos = np.argsort(placed)[: g.n]
    rank = np.argsort(np.argsort(pos))
    order = np.argsort(pos)
    ru, rv = rank[g.u], rank[g.v]
    a, b = np.minimum(ru, rv), np.maximum(ru, rv)
    cuv = np.where(ru < rv, g.cuv, g.cvu)
    cvu = np.where(ru < rv, g.cvu, g.cuv)
    o = np.lexsort((b, a))
    return np.concatenate([g.colour[order], a[o], b[o], cuv[o], cvu[o]]).astype(np.int64).tobytes()


def group_components(g: ColouredGraph, factors: Factors, *, deadline=None):
    """Split ``g`` into components and group the isomorphic ones.

    Returns ``(parts, stats)``: ``parts`` is a list of ``(graph, k)``, one per multiplicity ``k``
    that occurs, ``graph`` the disjoint union of one representative of every class with ``k``
    members, so that ``|Aut(g)| = prod |Aut(graph)|**k`` times the factorials ``k!`` added to
    ``factors``.  ``stats`` counts the components and the classes with more than one member.
    """
    if g.n == 0:
        return [], {"components": 0, "grouped_classes": 0}
    ncomp, label = _components(g)
    if ncomp == 1:
        return [(g, 1)], {"components": 1, "grouped_classes": 0}
    S = _Sorted(g, label, ncomp)
    key = S.bucket_keys()
    bsize = np.bincount(key)
    cls = np.arange(ncomp)  # class representative of every component
    multi = np.flatnonzero(bsize[key] > 1)
    if multi.size:
        small = multi[S.size[multi] <= SEARCH_MAX_N]
        cls[multi] = -1
        if small.size:
            for batch_ids in _split_by(row_ids([S.size[small], S.pairs[small]]), small):
                batch = _Batch(S, batch_ids)
                sub = np.full(batch_ids.size, -1, dtype=np.int64)
                _classify_batch(batch, key[batch_ids], sub)
                ok = sub >= 0
                cls[batch_ids[ok]] = batch_ids[sub[ok]]
        left = np.flatnonzero(cls < 0)
        if left.size:
            first: dict = {}
            for j, b in zip(left.tolist(), key[left].tolist()):
                if deadline is not None and time.perf_counter() > deadline:
                    raise TimeoutError("description length: time_limit exceeded while grouping components")
                cls[j] = first.setdefault((b, _canonical_certificate(S.component(j))), j)
    reps, k = np.unique(cls, return_counts=True)
    factors.add(k)
    # pairwise non-isomorphic representatives with the same multiplicity k share one engine call:
    # |Aut(R_1 + ... + R_j)|**k = prod |Aut(R_i)|**k
    parts = [(S.union(reps[k == kk]), int(kk)) for kk in np.unique(k).tolist()]
    return parts, {"components": ncomp, "grouped_classes": int(np.count_nonzero(k > 1))}


def _split_by(ids: np.ndarray, items: np.ndarray):
    """``items`` grouped by ``ids`` (one array per distinct id)."""
    o = np.argsort(ids, kind="stable")
    cuts = np.flatnonzero(np.diff(ids[o])) + 1
    return np.split(items[o], cuts)
