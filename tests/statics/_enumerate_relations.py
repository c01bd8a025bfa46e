"""Brute-force enumeration of every relation of a class on a few elements, for the tests."""

import itertools

import numpy as np


def set_partitions(n):
    """All set partitions of range(n) as restricted-growth label tuples."""

    def rec(i, a, m):
        if i == n:
            yield tuple(a)
            return
        for c in range(m + 1):
            a.append(c)
            yield from rec(i + 1, a, max(m, c + 1))
            a.pop()

    yield from rec(0, [], 0)


def all_relations(n, kind, *, class_sizes=None, k=None):
    """Every relation matrix of the class (optionally with fixed class sizes / exactly k classes)."""
    if kind == "total_order":
        for perm in itertools.permutations(range(n)):
            pos = np.argsort(perm)
            yield pos[:, None] < pos[None, :]
    elif kind == "equivalence":
        for lab in set_partitions(n):
            lab = np.array(lab)
            sizes = sorted(np.bincount(lab).tolist())
            if class_sizes is not None and sizes != sorted(class_sizes):
                continue
            if k is not None and lab.max() + 1 != k:
                continue
            yield lab[:, None] == lab[None, :]
    elif kind == "bipartite":
        for bits in itertools.product((False, True), repeat=n):
            s = np.array(bits)
            if class_sizes is not None and sorted([int(s.sum()), int(n - s.sum())]) != sorted(class_sizes):
                continue
            if k is not None and len({*bits}) != k:
                continue
            yield s[:, None] != s[None, :]
    else:  # pragma: no cover
        raise ValueError(kind)


def consistent(n, kind, R, mask, **prior):
    """The relations of the class that agree with R on the mask."""
    return [M for M in all_relations(n, kind, **prior) if np.array_equal(M[mask], R[mask])]
