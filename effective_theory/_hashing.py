"""Exact canonical ids for rows and multisets of rows (shared by the statics modules; private).

64-bit splitmix64 hashes propose groups; every proposed group is then checked exactly, so a hash
collision costs time, never exactness.  Pure numpy (no numba), so that importing it is cheap.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GOLDEN", "M1", "M2", "mix64", "row_hash", "row_ids", "ranges", "multiset_ids"]

#: the splitmix64 increment and multipliers (also used by :mod:`effective_theory._random`)
M1 = np.uint64(0xBF58476D1CE4E5B9)
M2 = np.uint64(0x94D049BB133111EB)
GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, elementwise on a uint64 array."""
    x = x + GOLDEN
    x = (x ^ (x >> np.uint64(30))) * M1
    x = (x ^ (x >> np.uint64(27))) * M2
    return x ^ (x >> np.uint64(31))


def row_hash(cols) -> np.ndarray:
    h = np.zeros(len(cols[0]), dtype=np.uint64)
    for c in cols:
        h = mix64(h ^ np.asarray(c).astype(np.uint64))
    return h


def _row_ids_lex(cols):
    size = len(cols[0])
    order = np.lexsort(tuple(reversed([np.asarray(c) for c in cols])))
    new = np.zeros(size, dtype=bool)
    new[0] = True
    for c in cols:
        cs = np.asarray(c)[order]
        new[1:] |= cs[1:] != cs[:-1]
    ids = np.empty(size, dtype=np.int64)
    ids[order] = np.cumsum(new) - 1
    return ids


def row_ids(cols):
    """Ids ``0..k-1`` with ``ids[i] == ids[j]`` iff all ``cols`` agree at ``i`` and ``j``.

    Rows are grouped by a 64-bit hash (one sort of one key) and every group is
    checked column by column; on a collision the exact lexicographic sort is used.
    """
    size = len(cols[0])
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    cols = [np.asarray(c) for c in cols]
    if len(cols) == 1:
        return np.unique(cols[0], return_inverse=True)[1].reshape(-1).astype(np.int64)
    h = row_hash(cols)
    order = np.argsort(h)
    hs = h[order]
    new = np.empty(size, dtype=bool)
    new[0] = True
    new[1:] = hs[1:] != hs[:-1]
    gid = np.cumsum(new) - 1
    start = np.flatnonzero(new)
    for c in cols:
        cs = c[order]
        if np.any(cs != cs[start][gid]):
            return _row_ids_lex(cols)  # a hash collision: exact fallback
    ids = np.empty(size, dtype=np.int64)
    ids[order] = gid
    return ids


def ranges(starts, lens):
    """Concatenated ``arange(s, s + l)`` for each pair, and the segment index of each entry."""
    total = int(lens.sum())
    seg = np.repeat(np.arange(lens.size), lens)
    within = np.arange(total) - np.repeat(np.cumsum(lens) - lens, lens)
    return np.repeat(starts, lens) + within, seg


def multiset_ids(n_owners, owner, items, fixed=()):
    """Exact ids of (fixed values, multiset of item rows) per owner.

    ``ids[a] == ids[b]`` iff ``fixed[k][a] == fixed[k][b]`` for every k and
    the multisets ``{items[:, r] : owner[r] == a}`` and ``... == b`` are equal.
    An order-free 64-bit multiset hash (a sum of row hashes) proposes the
    groups; only owners that share a proposed group are then sorted and
    compared entry by entry, so a collision costs time, never exactness.
    """
    owner = np.asarray(owner, dtype=np.int64)
    items = [np.asarray(c, dtype=np.int64) for c in items]
    fixed = [np.asarray(c, dtype=np.int64) for c in fixed]
    if owner.size > 1 and np.any(owner[1:] < owner[:-1]):
        order = np.argsort(owner, kind="stable")
        owner = owner[order]
        items = [c[order] for c in items]
    cnt = np.bincount(owner, minlength=n_owners).astype(np.int64)
    indptr = np.zeros(n_owners + 1, dtype=np.int64)
    np.cumsum(cnt, out=indptr[1:])
    hsum = np.zeros(n_owners, dtype=np.uint64)
    if owner.size:
        rh = row_hash(items)
        nonempty = np.flatnonzero(cnt)
        hsum[nonempty] = np.add.reduceat(rh, indptr[:-1][nonempty])
    ids = row_ids([*fixed, cnt, hsum.view(np.int64)])
    # owners whose proposed group has another member with a nonempty multiset
    gsize = np.bincount(ids)
    cand = np.flatnonzero((gsize[ids] > 1) & (cnt > 0))
    if cand.size == 0:
        return ids
    # sort the candidates' rows and compare each with its group's first candidate
    rows, seg = ranges(indptr[cand], cnt[cand])
    sub = [c[rows] for c in items]
    o = np.lexsort(tuple(reversed(sub)) + (seg,))
    sub = [c[o] for c in sub]
    sptr = np.zeros(cand.size + 1, dtype=np.int64)
    np.cumsum(cnt[cand], out=sptr[1:])
    first = np.full(int(ids.max()) + 1, -1, dtype=np.int64)
    first[ids[cand][::-1]] = np.arange(cand.size - 1, -1, -1)
    rep = first[ids[cand]]  # index into cand
    members = np.flatnonzero(rep != np.arange(cand.size))
    if members.size == 0:
        return ids
    lens = cnt[cand[members]]
    io, mseg = ranges(sptr[members], lens)
    ir, _ = ranges(sptr[rep[members]], lens)
    bad = np.zeros(io.size, dtype=bool)
    for c in sub:
        bad |= c[io] != c[ir]
    if not bad.any():
        return ids
    # hash collision (astronomically rare): regroup the affected ids exactly
    bad_ids = np.unique(ids[cand[members[np.unique(mseg[bad])]]])
    next_id = int(ids.max()) + 1
    pos_in_cand = {int(o_): k for k, o_ in enumerate(cand)}
    for bid in bad_ids:
        groups = {}
        for o_ in np.flatnonzero(ids == bid):
            k = pos_in_cand[int(o_)]
            key = tuple(tuple(c[sptr[k] : sptr[k + 1]].tolist()) for c in sub)
            groups.setdefault(key, []).append(o_)
        for j, key in enumerate(sorted(groups)):  # in the order of the multisets: ids stay canonical
            os_ = groups[key]
            if j:
                ids[os_] = next_id
                next_id += 1
    return row_ids([ids])
