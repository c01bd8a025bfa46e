"""Small graphs skip scipy: numpy's sort of the half-edges and its component labels agree with
scipy's CSR and ``connected_components`` (which large graphs still use)."""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from effective_theory.statics.automorphisms import coloured_graph
from effective_theory.statics.automorphisms.coloured_graph import ColouredGraph
from effective_theory.statics.automorphisms.components import _components


def _random_graph(rng):
    n = int(rng.integers(1, 80))
    m = int(rng.integers(0, 3 * n))
    pairs = np.unique(np.sort(rng.integers(0, n, size=(m, 2)), axis=1), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    cuv = rng.integers(0, 3, size=len(pairs))
    cvu = np.where(cuv == 0, rng.integers(1, 3, size=len(pairs)), rng.integers(0, 3, size=len(pairs)))
    colour = rng.integers(0, 2, size=n)
    return ColouredGraph(n, colour, pairs[:, 0].copy(), pairs[:, 1].copy(), cuv, cvu)


def test_half_edges_by_numpy_and_by_scipy_agree(monkeypatch):
    rng = np.random.default_rng(3)
    for _ in range(60):
        g = _random_graph(rng)
        small = g.half_edges()
        monkeypatch.setattr(coloured_graph, "SMALL_HALF_EDGES", -1)
        large = ColouredGraph(g.n, g.colour, g.u, g.v, g.cuv, g.cvu).half_edges()
        monkeypatch.setattr(coloured_graph, "SMALL_HALF_EDGES", 1 << 16)
        for a, b in zip(small[:4], large[:4]):
            assert np.array_equal(a, b)
        assert small[4] == large[4]


def test_components_by_numpy_and_by_scipy_agree():
    rng = np.random.default_rng(4)
    for _ in range(60):
        g = _random_graph(rng)
        A = sp.csr_matrix((np.ones(g.num_pairs), (g.u, g.v)), shape=(g.n, g.n))
        count, label = connected_components(A, directed=False)
        got_count, got_label = _components(g)
        assert got_count == count and np.array_equal(got_label, label)
