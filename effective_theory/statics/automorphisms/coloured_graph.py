"""The coloured graph that the reductions and engines work on, with its half-edge view.

:class:`ColouredGraph` is a loop-free graph with vertex colours and *oriented* edge colours: the
pair ``{u, v}`` carries ``(c_uv, c_vu)``, the types of the arcs ``u -> v`` and ``v -> u`` (0 =
no arc).  Every input of :func:`effective_theory.description_length` is brought to this form by
:mod:`effective_theory.statics.graph_input`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["ColouredGraph"]

#: graphs with at most this many half-edges are sorted by numpy (scipy's counting sort, and its
#: import, pay off only on larger ones)
SMALL_HALF_EDGES = 1 << 16

#: ``touched=SAME`` in :meth:`ColouredGraph.subgraph`: keep the graph's own ``touched`` marks
SAME = object()


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

    def half_edges(self):
        """Owner, neighbour and oriented code (out * K + in) of every half-edge, CSR-sorted.

        Returns ``(owner, nbr, code, indptr, K)``: the half-edges of vertex ``w`` are
        ``indptr[w]:indptr[w + 1]``; ``code = out * K + in`` is the oriented colour seen from
        the owner (``>= 1``).
        """
        cached = self.__dict__.get("_half_edge_view")
        if cached is not None:
            return cached
        K = int(max(self.cuv.max(initial=0), self.cvu.max(initial=0))) + 1
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        # >= 1: never an explicit zero
        code = np.concatenate([self.cuv * K + self.cvu, self.cvu * K + self.cuv])
        if rows.size <= SMALL_HALF_EDGES:
            order = np.lexsort((cols, rows))  # by owner, then by neighbour, as scipy's CSR
            indptr = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(np.bincount(rows, minlength=self.n), out=indptr[1:])
            nbr, data = cols[order], code[order]
        else:
            # imported here: scipy.sparse takes 0.22 s to import (measured), and no module of the
            # theory imports scipy when it is imported; its COO -> CSR conversion is a linear-time
            # counting sort (pairs are unique)
            import scipy.sparse as sp

            csr = sp.csr_matrix((code, (rows, cols)), shape=(self.n, self.n))
            csr.sort_indices()
            indptr = csr.indptr.astype(np.int64)
            nbr, data = csr.indices.astype(np.int64), csr.data.astype(np.int64)
        owner = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(indptr))
        view = owner, nbr, data, indptr, K
        for a in view[:4]:
            a.flags.writeable = False  # shared by every caller: computed once per graph
        self.__dict__["_half_edge_view"] = view
        return view

    def subgraph(self, keep: np.ndarray, colour: np.ndarray, touched=SAME) -> ColouredGraph:
        """Induced subgraph on the vertices where ``keep`` is True, with new colours.

        ``touched``: the new graph's marks for the twin pass, indexed like this graph's vertices
        (:data:`SAME`: keep this graph's own marks).
        """
        new_index = np.full(self.n, -1, dtype=np.int64)
        new_index[keep] = np.arange(int(keep.sum()))
        e = keep[self.u] & keep[self.v]
        if touched is SAME:
            touched = self.touched
        return ColouredGraph(
            int(keep.sum()),
            colour[keep],
            new_index[self.u[e]],
            new_index[self.v[e]],
            self.cuv[e],
            self.cvu[e],
            self.info,
            None if touched is None else touched[keep],
        )
