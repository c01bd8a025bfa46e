"""Entries of a relation inferable from training entries (step (a) of Section III of [1]_).

Given the observed entries ``R[i, j]`` (a training mask and their 0/1 labels)
and the class the relation is known to belong to, the *inference closure* is
every entry whose value is the same in all relations of the class that agree
with the observations:

- ``kind="equivalence"`` (reflexive, symmetric, transitive): union-find on the
  1-entries gives blocks of elements known to be equal; a 0-entry between two
  blocks is a *conflict*.  ``R[i, j] = 1`` is inferred inside a block and
  ``R[i, j] = 0`` between conflicting blocks (Appendix D of [1]_).  This is exact
  for the class of all equivalence relations.
- ``kind="total_order"`` (strict total order, ``R[i, j] = 1`` iff ``i`` precedes
  ``j``): every observed entry is a comparison; the transitive closure of the
  comparisons is inferred (antisymmetry and transitivity).  Exact for the class
  of all strict total orders.
- ``kind="bipartite"`` (complete bipartite ``K_{S, S^c}``): the complement
  ``1 - R`` is an equivalence relation with (at most) two classes (Appendix D
  of [1]_), so a 1-entry says "other side", a 0-entry "same side", and the
  closure is a union-find with parity (a two-colouring).  Exact for the class
  of all complete bipartite relations.

Inconsistent observations raise :class:`ValueError` naming the clashing pairs.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np
from numba import njit

from effective_theory.statics.bounds.linear_extensions import transitive_closure
from effective_theory.statics.relations import Relation, as_relation_matrix

__all__ = ["KINDS", "Closure", "inference_closure", "closure_from_entries", "normalize_kind"]

#: relation classes understood by the closure and the accuracy bounds
KINDS = ("equivalence", "total_order", "bipartite")

_ALIASES = {
    "equivalence": "equivalence",
    "equiv": "equivalence",
    "total_order": "total_order",
    "total-order": "total_order",
    "order": "total_order",
    "greater": "total_order",
    "bipartite": "bipartite",
    "complete_bipartite": "bipartite",
    "complete-bipartite": "bipartite",
}


def normalize_kind(kind) -> str:
    """Return the canonical relation class name (one of :data:`KINDS`)."""
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a string, got {type(kind).__name__}")
    key = kind.strip().lower()
    if key not in _ALIASES:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    return _ALIASES[key]


@dataclass(frozen=True, eq=False)
class Closure:
    """The inferable entries of a relation given training entries.

    Attributes
    ----------
    values : ndarray of int8, shape (n, n)
        ``1`` or ``0`` where the entry is inferred, ``-1`` where it is not.
    kind : str
        The relation class used for the inference.
    block : ndarray of int, shape (n,)
        For ``"equivalence"`` and ``"bipartite"``: the union-find component of
        each element (elements known equal, resp. connected by observations).
    parity : ndarray of int8, shape (n,)
        For ``"bipartite"``: the side of each element relative to its component
        root (``0`` same side as the root).  Zeros otherwise.
    before : ndarray of bool, shape (n, n)
        For ``"total_order"``: ``before[i, j]`` iff ``i`` is known to precede
        ``j`` (the transitive closure of the comparisons).
    """

    values: np.ndarray
    kind: str
    block: np.ndarray = field(repr=False)
    parity: np.ndarray = field(repr=False)
    before: np.ndarray | None = field(default=None, repr=False)

    @property
    def n(self) -> int:
        return self.values.shape[0]

    @property
    def known(self) -> np.ndarray:
        """Boolean mask of the inferred entries."""
        return self.values >= 0

    @property
    def n_inferred(self) -> int:
        """Number of inferred entries (training entries included)."""
        return int(np.count_nonzero(self.values >= 0))

    @property
    def inferred_fraction(self) -> float:
        return self.n_inferred / self.values.size

    def conflicts(self) -> np.ndarray:
        """For ``"equivalence"``: boolean block-by-block matrix of blocks known to differ."""
        if self.kind != "equivalence":
            raise ValueError("conflicts() is defined for kind='equivalence' only")
        nb = int(self.block.max()) + 1 if self.n else 0
        c = np.zeros((nb, nb), dtype=bool)
        zero = self.values == 0
        i, j = np.nonzero(zero)
        c[self.block[i], self.block[j]] = True
        return c


def _check_entries(n, rows, cols, labels):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    rows = np.asarray(rows)
    cols = np.asarray(cols)
    labels = np.asarray(labels)
    if not (rows.shape == cols.shape == labels.shape) or rows.ndim != 1:
        raise ValueError(
            f"rows, cols and labels must be 1-d of equal length, got shapes {rows.shape}, "
            f"{cols.shape}, {labels.shape}"
        )
    for name, a in (("rows", rows), ("cols", cols)):
        if a.size and not np.issubdtype(a.dtype, np.integer):
            raise TypeError(f"{name} must hold integer element ids, got dtype {a.dtype}")
    if rows.size:
        bad = (rows < 0) | (rows >= n) | (cols < 0) | (cols >= n)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"training pair ({rows[k]}, {cols[k]}) is out of range for n={n} (ids in [0, {n - 1}])"
            )
        if labels.dtype != bool:
            if not np.issubdtype(labels.dtype, np.number):
                raise TypeError(f"labels must be 0/1, got dtype {labels.dtype}")
            badl = (labels != 0) & (labels != 1)
            if badl.any():
                k = int(np.flatnonzero(badl)[0])
                raise ValueError(f"label of pair ({rows[k]}, {cols[k]}) must be 0 or 1, got {labels[k]!r}")
    return int(n), rows.astype(np.int64), cols.astype(np.int64), labels.astype(bool)


def _fmt(pairs):
    return ", ".join(f"({a}, {b})" for a, b in pairs)


class _ParityUnionFind:
    """Union-find whose edges carry a parity (0 = same, 1 = different); records the edges."""

    def __init__(self, n):
        self.parent = list(range(n))
        self.par = [0] * n  # parity to parent
        self.adj = [[] for _ in range(n)]  # (neighbour, parity, original pair) of accepted edges

    def find(self, x):
        path = []
        while self.parent[x] != x:
            path.append(x)
            x = self.parent[x]
        root = x
        # path compression, accumulating parities from the top
        acc = 0
        for y in reversed(path):
            acc ^= self.par[y]
            self.par[y] = acc
            self.parent[y] = root
        return root

    def parity(self, x):
        self.find(x)
        return self.par[x] if self.parent[x] != x else 0

    def path(self, a, b):
        """Observed pairs along a path of accepted edges from a to b, with its parity."""
        prev = {a: None}
        q = deque([a])
        while q:
            x = q.popleft()
            if x == b:
                break
            for y, p, pair in self.adj[x]:
                if y not in prev:
                    prev[y] = (x, p, pair)
                    q.append(y)
        pairs, x = [], b
        while prev[x] is not None:
            x0, _p, pair = prev[x]
            pairs.append(pair)
            x = x0
        return pairs[::-1]

    def union(self, a, b, p, pair):
        """Merge with parity p; return None, or the clashing path if inconsistent."""
        ra, rb = self.find(a), self.find(b)
        pa, pb = self.parity(a), self.parity(b)
        if ra == rb:
            if pa ^ pb != p:
                return self.path(a, b)
            return None
        self.parent[rb] = ra
        self.par[rb] = pa ^ pb ^ p
        self.adj[a].append((b, p, pair))
        self.adj[b].append((a, p, pair))
        return None


@njit(cache=True)
def _uf_equivalence(n, rows, cols, labels):
    """Union-find closure; returns ``ok = False`` on any clash (the Python path then explains it)."""
    parent = np.arange(n)
    for t in range(rows.size):
        r, c = rows[t], cols[t]
        if r == c:
            if not labels[t]:
                return False, parent, np.zeros((0, 0), np.bool_), np.zeros((0, 0), np.int8)
            continue
        if labels[t]:
            a, b = r, c
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            while parent[b] != b:
                parent[b] = parent[parent[b]]
                b = parent[b]
            if a != b:
                parent[max(a, b)] = min(a, b)
    root = np.empty(n, np.int64)
    for x in range(n):
        a = x
        while parent[a] != a:
            a = parent[a]
        root[x] = a
    rank = -np.ones(n, np.int64)
    nb = 0
    for x in range(n):  # roots in increasing order, like np.unique
        if root[x] == x:
            rank[x] = nb
            nb += 1
    block = np.empty(n, np.int64)
    for x in range(n):
        block[x] = rank[root[x]]
    conflict = np.zeros((nb, nb), np.bool_)
    for t in range(rows.size):
        if not labels[t]:
            a, b = block[rows[t]], block[cols[t]]
            if a == b:
                return False, block, conflict, np.zeros((0, 0), np.int8)
            conflict[a, b] = True
            conflict[b, a] = True
    values = np.empty((n, n), np.int8)
    for i in range(n):
        for j in range(n):
            a, b = block[i], block[j]
            values[i, j] = 1 if a == b else (0 if conflict[a, b] else -1)
    return True, block, conflict, values


def _closure_equivalence(n, rows, cols, labels):
    ok, block, _conflict, values = _uf_equivalence(n, rows, cols, labels)
    if ok:
        return Closure(values, "equivalence", block, np.zeros(n, dtype=np.int8))
    return _closure_equivalence_explained(n, rows, cols, labels)


def _closure_equivalence_explained(n, rows, cols, labels):
    uf = _ParityUnionFind(n)
    diag0 = [(int(r), int(r)) for r, c, v in zip(rows, cols, labels) if r == c and not v]
    if diag0:
        raise ValueError(f"labels clash with reflexivity of an equivalence: pairs {_fmt(diag0)} are 0")
    for r, c, v in zip(rows.tolist(), cols.tolist(), labels.tolist()):
        if v and r != c:
            uf.union(r, c, 0, (r, c))
    roots = np.array([uf.find(x) for x in range(n)], dtype=np.int64)
    _, block = np.unique(roots, return_inverse=True)
    block = block.astype(np.int64)
    for r, c, v in zip(rows.tolist(), cols.tolist(), labels.tolist()):
        if not v and block[r] == block[c]:
            chain = uf.path(r, c)
            raise ValueError(
                f"labels clash with transitivity: pair ({r}, {c}) is 0 but 1-pairs {_fmt(chain)} join them"
            )
    nb = int(block.max()) + 1 if n else 0
    conflict = np.zeros((nb, nb), dtype=bool)
    z = ~labels
    conflict[block[rows[z]], block[cols[z]]] = True
    conflict |= conflict.T
    values = np.full((n, n), -1, dtype=np.int8)
    same = block[:, None] == block[None, :]
    values[same] = 1
    values[conflict[block[:, None], block[None, :]]] = 0
    return Closure(values, "equivalence", block, np.zeros(n, dtype=np.int8))


def _closure_bipartite(n, rows, cols, labels):
    diag1 = [(int(r), int(r)) for r, c, v in zip(rows, cols, labels) if r == c and v]
    if diag1:
        raise ValueError(f"labels clash with a complete bipartite relation: diagonal pairs {_fmt(diag1)} = 1")
    uf = _ParityUnionFind(n)
    for r, c, v in zip(rows.tolist(), cols.tolist(), labels.tolist()):
        if r == c:
            continue
        clash = uf.union(r, c, int(v), (r, c))
        if clash is not None:
            odd = clash + [(r, c)]
            raise ValueError(
                "labels clash with a complete bipartite relation (two sides): the pairs "
                f"{_fmt(odd)} form a cycle with an odd number of 1-labels"
            )
    roots = np.array([uf.find(x) for x in range(n)], dtype=np.int64)
    par = np.array([uf.parity(x) for x in range(n)], dtype=np.int8)
    _, block = np.unique(roots, return_inverse=True)
    block = block.astype(np.int64)
    values = np.full((n, n), -1, dtype=np.int8)
    same = block[:, None] == block[None, :]
    differ = (par[:, None] ^ par[None, :]).astype(np.int8)
    values[same] = differ[same]
    return Closure(values, "bipartite", block, par)


def _find_cycle(n, rows, cols, labels):
    """A directed cycle of the comparison graph, as observed pairs."""
    adj = [[] for _ in range(n)]
    for r, c, v in zip(rows.tolist(), cols.tolist(), labels.tolist()):
        if r == c:
            continue
        a, b = (r, c) if v else (c, r)  # a precedes b
        adj[a].append((b, (r, c)))
    color = [0] * n
    stack_pairs = []
    for s in range(n):
        if color[s]:
            continue
        # iterative DFS
        it = [(s, iter(adj[s]))]
        color[s] = 1
        nodes = [s]
        while it:
            x, children = it[-1]
            nxt = next(children, None)
            if nxt is None:
                color[x] = 2
                it.pop()
                nodes.pop()
                if stack_pairs:
                    stack_pairs.pop()
                continue
            y, pair = nxt
            if color[y] == 0:
                color[y] = 1
                it.append((y, iter(adj[y])))
                nodes.append(y)
                stack_pairs.append(pair)
            elif color[y] == 1:
                k = nodes.index(y)
                return stack_pairs[k:] + [pair]
    return []  # pragma: no cover - only called when a cycle exists


def _transitive_closure(adj: np.ndarray) -> np.ndarray:
    """Boolean transitive closure (Warshall on bit rows)."""
    return transitive_closure(adj)


def _closure_total_order(n, rows, cols, labels):
    diag1 = [(int(r), int(r)) for r, c, v in zip(rows, cols, labels) if r == c and v]
    if diag1:
        raise ValueError(f"labels clash with a strict total order (irreflexive): pairs {_fmt(diag1)} are 1")
    adj = np.zeros((n, n), dtype=bool)
    off = rows != cols
    r, c, v = rows[off], cols[off], labels[off]
    adj[r[v], c[v]] = True
    adj[c[~v], r[~v]] = True
    before = _transitive_closure(adj)
    if n and np.diag(before).any():
        cyc = _find_cycle(n, rows, cols, labels)
        raise ValueError(
            f"labels clash with a strict total order: the pairs {_fmt(cyc)} form a cycle of comparisons"
        )
    values = np.full((n, n), -1, dtype=np.int8)
    values[before] = 1
    values[before.T] = 0
    np.fill_diagonal(values, 0)
    return Closure(values, "total_order", np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int8), before)


def closure_from_entries(n, rows, cols, labels, *, kind) -> Closure:
    """Inference closure from a list of observed entries ``R[rows[t], cols[t]] = labels[t]``.

    Parameters
    ----------
    n : int
        Number of elements.
    rows, cols : array_like of int
        The observed pairs.
    labels : array_like of 0/1
        Their values.
    kind : {"equivalence", "total_order", "bipartite"}
        The relation class (see the module docstring).

    Returns
    -------
    Closure

    Raises
    ------
    ValueError
        If a pair is out of range, a label is not 0/1, or the labels are
        inconsistent with the class (the message names the clashing pairs).

    Examples
    --------
    >>> c = closure_from_entries(4, [0, 1], [1, 2], [1, 1], kind="equivalence")
    >>> int(c.values[0, 2]), int(c.values[2, 0]), int(c.values[0, 3])
    (1, 1, -1)
    >>> c = closure_from_entries(3, [0, 1], [1, 2], [1, 1], kind="total_order")
    >>> int(c.values[0, 2]), int(c.values[2, 0])
    (1, 0)
    """
    kind = normalize_kind(kind)
    n, rows, cols, labels = _check_entries(n, rows, cols, labels)
    if kind == "equivalence":
        return _closure_equivalence(n, rows, cols, labels)
    if kind == "bipartite":
        return _closure_bipartite(n, rows, cols, labels)
    return _closure_total_order(n, rows, cols, labels)


def check_train_mask(train_mask, n) -> np.ndarray:
    """Validate a boolean ``n x n`` training mask."""
    if train_mask is None:
        raise TypeError("train_mask must be a boolean n x n array, got None")
    m = np.asarray(train_mask)
    if m.shape != (n, n):
        raise ValueError(f"train_mask must have shape ({n}, {n}) like the relation, got {m.shape}")
    if m.dtype != bool:
        if not np.issubdtype(m.dtype, np.number):
            raise TypeError(f"train_mask must be boolean, got dtype {m.dtype}")
        if ((m != 0) & (m != 1)).any():
            raise ValueError("train_mask must be boolean (0/1 entries)")
        m = m.astype(bool)
    return m


def inference_closure(relation, train_mask, *, kind) -> Closure:
    """Inference closure of the entries of ``relation`` selected by ``train_mask``.

    Parameters
    ----------
    relation : Relation or array_like
        The true ``n x n`` 0/1 relation (only the masked entries are read).
    train_mask : array_like of bool, shape (n, n)
        The observed entries.
    kind : {"equivalence", "total_order", "bipartite"}

    Examples
    --------
    >>> from effective_theory.statics.relations import equal_mod
    >>> R = equal_mod(6, 3)
    >>> c = inference_closure(R, np.ones((6, 6), bool), kind="equivalence")
    >>> c.n_inferred == 36 and bool((c.values == R.matrix).all())
    True
    """
    a = relation.matrix if isinstance(relation, Relation) else as_relation_matrix(relation)
    mask = check_train_mask(train_mask, a.shape[0])
    rows, cols = np.nonzero(mask)
    return closure_from_entries(a.shape[0], rows, cols, a[rows, cols], kind=kind)
