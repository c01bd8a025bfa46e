"""Fast seeded generators of large sparse test graphs as (m, 2) edge arrays."""

from __future__ import annotations

import numpy as np

__all__ = ["barabasi_albert_edges", "copies_edges", "random_recursive_tree_edges", "shuffled", "star_edges"]


def barabasi_albert_edges(n: int, m: int = 2, *, seed=None) -> np.ndarray:
    """Barabasi-Albert preferential attachment (networkx's model): ``(n - m) * m`` edges.

    Each new vertex attaches to ``m`` distinct existing vertices drawn with
    probability proportional to degree (the first new vertex to ``0..m-1``).
    """
    rng = np.random.default_rng(seed)
    edges = np.empty(((n - m) * m, 2), dtype=np.int64)
    repeated = np.empty(2 * (n - m) * m + m, dtype=np.int64)  # each vertex once per unit of degree
    size = 0
    targets = list(range(m))
    uniform = rng.random(4 * n * m)
    k = 0
    row = 0
    for v in range(m, n):
        for t in targets:
            edges[row] = (v, t)
            row += 1
        repeated[size : size + m] = targets
        repeated[size + m : size + 2 * m] = v
        size += 2 * m
        chosen: set[int] = set()
        while len(chosen) < m:
            if k == uniform.size:
                uniform = rng.random(4 * n * m)
                k = 0
            chosen.add(int(repeated[int(uniform[k] * size)]))
            k += 1
        targets = list(chosen)
    return edges


def random_recursive_tree_edges(n: int, *, seed=None) -> np.ndarray:
    """Vertex ``i >= 1`` attaches to a uniform random earlier vertex."""
    rng = np.random.default_rng(seed)
    child = np.arange(1, n, dtype=np.int64)
    parent = (rng.random(n - 1) * child).astype(np.int64)
    return np.stack([child, parent], axis=1)


def star_edges(n: int) -> np.ndarray:
    """Centre 0 joined to ``1..n-1``."""
    return np.stack([np.zeros(n - 1, dtype=np.int64), np.arange(1, n, dtype=np.int64)], axis=1)


def copies_edges(base: np.ndarray, size: int, k: int) -> np.ndarray:
    """``k`` disjoint copies of a graph on ``0..size-1`` (copy ``j`` on ``j * size ...``), as edges."""
    off = (np.arange(k, dtype=np.int64) * size)[:, None, None]
    return (np.asarray(base, dtype=np.int64)[None] + off).reshape(-1, 2)


def shuffled(edges: np.ndarray, n: int, rng) -> tuple[np.ndarray, int]:
    """The same graph with its vertex ids permuted and its rows in random order."""
    perm = rng.permutation(n)
    return perm[edges][rng.permutation(len(edges))], n
