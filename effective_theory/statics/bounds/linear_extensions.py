"""Linear extensions of a partial order: exact counts, precedence probabilities and samplers.

The total orders consistent with training comparisons are the linear
extensions of the partial order given by the transitive closure of the
comparisons (step (b) of Section III and Appendix D of [1]_).  Under the
uniform prior over total orders, the posterior probability that ``i``
precedes ``j`` is the fraction of linear extensions in which it does.

Exact computation (``precedence_probabilities``).  A linear extension is a
maximal chain ``{} = D_0 < D_1 < ... < D_m`` in the lattice of down-sets
(order ideals).  With ``F(D)`` the number of linear extensions of ``D`` and
``G(D)`` that of its complement,

.. math::

    L = F(P) = G(\\emptyset), \\qquad
    \\Pr(i \\prec j) = \\frac{1}{L} \\sum_{D \\ni i,\\ D \\not\\ni j,\\ D \\cup j \\text{ down-set}}
        F(D)\\, G(D \\cup \\{j\\}),

since every extension places ``j`` right after exactly one down-set ``D``.
The poset is first split into connected components of its comparability
graph; within a component the probabilities are unchanged, and across
components ``Pr(x < y)`` follows from the rank distributions of ``x`` and ``y``
in their components and a hypergeometric interleaving: in a uniform
interleaving of ``a`` and ``b`` items, the ``(r+1)``-th of the first kind
comes before the ``(s+1)``-th of the second iff at least ``r+1`` of the first
``r+s+1`` items are of the first kind.

Samplers.  ``random_topological_sorts`` picks uniformly among the currently
minimal elements (probably what the paper did; it is *not* uniform over
linear extensions).  ``uniform_linear_extensions`` samples exactly uniformly
through the down-set lattice, component by component, when the lattice is
small enough, and otherwise runs the Bubley-Dyer Markov chain [2]_ for a
burn-in of ``O(n^3 log(n / eps))`` steps, whose mixing time bound gives the
convergence guarantee.  All kernels are numba-compiled, parallel over samples
(``prange``) and deterministic for a given ``seed`` (each sample has its own
splitmix64 stream).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
.. [2] R. Bubley, M. Dyer, "Faster random generation of linear extensions",
   Discrete Math. 201, 81-88 (1999).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from effective_theory._random import (
    rand_below,
    rand_unit,
    seed_words,
    threads_for_work,
)

__all__ = [
    "transitive_closure",
    "poset_components",
    "DownsetLatticeTooLarge",
    "count_linear_extensions",
    "precedence_probabilities",
    "random_topological_sorts",
    "uniform_linear_extensions",
    "bubley_dyer_sample",
    "precedence_frequencies",
    "pair_order_indicators",
    "batch_pair_counts",
    "topological_sort_pair_counts",
    "cover_relation",
    "DEFAULT_MAX_DOWNSETS",
]

#: down-sets per component above which the exact lattice is abandoned
DEFAULT_MAX_DOWNSETS = 4_000_000

_U64 = np.uint64


class DownsetLatticeTooLarge(RuntimeError):
    """The down-set lattice of a component exceeds the allowed number of states."""


# ----------------------------------------------------------------------------- closure


@njit(cache=True)
def _warshall(c):
    n = c.shape[0]
    for k in range(n):
        for i in range(n):
            if c[i, k]:
                for j in range(n):
                    if c[k, j]:
                        c[i, j] = True
    return c


def transitive_closure(adj) -> np.ndarray:
    """Boolean transitive closure of a directed graph (``adj[i, j]``: edge ``i -> j``).

    Examples
    --------
    >>> a = np.zeros((3, 3), bool); a[0, 1] = a[1, 2] = True
    >>> bool(transitive_closure(a)[0, 2])
    True
    """
    a = np.array(adj, dtype=np.bool_, copy=True)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"adjacency must be square, got shape {a.shape}")
    return _warshall(a)


def _check_poset(before):
    b = np.asarray(before)
    if b.ndim != 2 or b.shape[0] != b.shape[1]:
        raise ValueError(f"a partial order must be a square boolean matrix, got shape {b.shape}")
    b = transitive_closure(b.astype(bool))
    if np.diag(b).any():
        i = int(np.flatnonzero(np.diag(b))[0])
        raise ValueError(f"the relation has a cycle through element {i}; it is not a partial order")
    return b


def poset_components(before) -> list[np.ndarray]:
    """Connected components of the comparability graph, each a sorted index array."""
    b = np.asarray(before, dtype=bool)
    n = b.shape[0]
    und = b | b.T
    label = -np.ones(n, dtype=np.int64)
    comps = []
    for s in range(n):
        if label[s] >= 0:
            continue
        stack = [s]
        label[s] = len(comps)
        members = []
        while stack:
            x = stack.pop()
            members.append(x)
            for y in np.flatnonzero(und[x]):
                if label[y] < 0:
                    label[y] = len(comps)
                    stack.append(y)
        comps.append(np.array(sorted(members), dtype=np.int64))
    return comps


# ----------------------------------------------------------------------------- down-set lattice


@njit(cache=True)
def _build_lattice(pred, max_states):
    """Down-sets of a poset on ``m <= 63`` elements, level by level, with their transitions.

    Returns ``(ok, masks, offsets, t_ptr, t_dst, t_elem)``: down-set bitmasks grouped by
    size (``offsets``), and for each down-set its transitions (CSR): the element added and the
    index of the larger down-set.
    """
    m = pred.shape[0]
    levels = [np.zeros(1, dtype=np.uint64)]
    total = 1
    for k in range(m):
        cur = levels[k]
        buf = np.empty(cur.size * (m - k), dtype=np.uint64)
        cnt = 0
        for a in range(cur.size):
            d = cur[a]
            for v in range(m):
                bit = _U64(1) << _U64(v)
                if (d & bit) == 0 and (pred[v] & ~d) == 0:
                    buf[cnt] = d | bit
                    cnt += 1
        nxt = np.unique(buf[:cnt])
        total += nxt.size
        if total > max_states:
            e = np.zeros(0, dtype=np.int64)
            return False, np.zeros(0, dtype=np.uint64), e, e, e, e
        levels.append(nxt)
    offsets = np.zeros(m + 2, dtype=np.int64)
    for k in range(m + 1):
        offsets[k + 1] = offsets[k] + levels[k].size
    masks = np.empty(total, dtype=np.uint64)
    for k in range(m + 1):
        masks[offsets[k] : offsets[k + 1]] = levels[k]
    # transitions (CSR)
    t_ptr = np.zeros(total + 1, dtype=np.int64)
    for k in range(m):
        for a in range(offsets[k], offsets[k + 1]):
            d = masks[a]
            c = 0
            for v in range(m):
                bit = _U64(1) << _U64(v)
                if (d & bit) == 0 and (pred[v] & ~d) == 0:
                    c += 1
            t_ptr[a + 1] = c
    for a in range(total):
        t_ptr[a + 1] += t_ptr[a]
    t_dst = np.empty(t_ptr[total], dtype=np.int64)
    t_elem = np.empty(t_ptr[total], dtype=np.int64)
    for k in range(m):
        lev = levels[k + 1]
        for a in range(offsets[k], offsets[k + 1]):
            d = masks[a]
            p = t_ptr[a]
            for v in range(m):
                bit = _U64(1) << _U64(v)
                if (d & bit) == 0 and (pred[v] & ~d) == 0:
                    t_dst[p] = offsets[k + 1] + np.searchsorted(lev, d | bit)
                    t_elem[p] = v
                    p += 1
    return True, masks, offsets, t_ptr, t_dst, t_elem


@njit(cache=True)
def _lattice_counts(m, masks, offsets, t_ptr, t_dst):
    total = masks.size
    f = np.zeros(total)
    g = np.zeros(total)
    f[0] = 1.0
    for a in range(total):
        for p in range(t_ptr[a], t_ptr[a + 1]):
            f[t_dst[p]] += f[a]
    g[total - 1] = 1.0
    for a in range(total - 2, -1, -1):
        s = 0.0
        for p in range(t_ptr[a], t_ptr[a + 1]):
            s += g[t_dst[p]]
        g[a] = s
    return f, g


@njit(cache=True)
def _lattice_marginals(m, masks, offsets, t_ptr, t_dst, t_elem, f, g):
    """``Q[i, j] = Pr(i before j)`` and ``rank[v, k] = Pr(v at position k)`` in one component."""
    L = g[0]
    Q = np.zeros((m, m))
    rank = np.zeros((m, m))
    for k in range(m):
        for a in range(offsets[k], offsets[k + 1]):
            d = masks[a]
            for p in range(t_ptr[a], t_ptr[a + 1]):
                v = t_elem[p]
                w = f[a] * g[t_dst[p]] / L
                rank[v, k] += w
                for i in range(m):
                    if (d >> _U64(i)) & _U64(1):
                        Q[i, v] += w
    return Q, rank


def _component_pred(before, comp):
    sub = before[np.ix_(comp, comp)]
    m = comp.size
    if m > 63:
        return None
    pred = np.zeros(m, dtype=np.uint64)
    weights = (np.uint64(1) << np.arange(m, dtype=np.uint64)).astype(np.uint64)
    for v in range(m):
        pred[v] = np.bitwise_or.reduce(weights[sub[:, v]]) if sub[:, v].any() else np.uint64(0)
    return pred


class _Lattice:
    __slots__ = ("m", "masks", "offsets", "t_ptr", "t_dst", "t_elem", "f", "g")

    def __init__(self, pred, max_states):
        if pred is None:
            raise DownsetLatticeTooLarge("component has more than 63 elements")
        ok, masks, offsets, t_ptr, t_dst, t_elem = _build_lattice(pred, int(max_states))
        if not ok:
            raise DownsetLatticeTooLarge(f"more than {max_states} down-sets in a component of {pred.size}")
        self.m = pred.size
        self.masks, self.offsets, self.t_ptr, self.t_dst, self.t_elem = masks, offsets, t_ptr, t_dst, t_elem
        self.f, self.g = _lattice_counts(self.m, masks, offsets, t_ptr, t_dst)

    @property
    def count(self) -> float:
        return float(self.g[0])

    def marginals(self):
        return _lattice_marginals(
            self.m, self.masks, self.offsets, self.t_ptr, self.t_dst, self.t_elem, self.f, self.g
        )


def count_linear_extensions(before, *, max_downsets=DEFAULT_MAX_DOWNSETS) -> float:
    """Number of linear extensions of a partial order (a float; exact below ``2**53``).

    The product over connected components of their counts times the multinomial
    coefficient for interleaving them.

    Parameters
    ----------
    before : array_like of bool, shape (n, n)
        ``before[i, j]`` iff ``i`` must precede ``j`` (transitivity is added).
    max_downsets : int
        Largest down-set lattice allowed per component.

    Examples
    --------
    >>> count_linear_extensions(np.zeros((5, 5), bool))  # antichain: 5!
    120.0
    >>> count_linear_extensions(np.triu(np.ones((5, 5), bool), 1))  # chain
    1.0
    """
    b = _check_poset(before)
    n = b.shape[0]
    total = math.lgamma(n + 1)
    for comp in poset_components(b):
        lat = _Lattice(_component_pred(b, comp), max_downsets)
        total += math.log(lat.count) - math.lgamma(comp.size + 1)
    return float(round(math.exp(total))) if total < 36 else math.exp(total)


def _interleave_matrix(a, b):
    """``H[r, s]`` = Pr(the (r+1)-th of ``a`` items precedes the (s+1)-th of ``b`` items)."""
    # imported here: scipy.stats takes 0.69 s to import (measured), for this one distribution
    from scipy.stats import hypergeom

    r = np.arange(a)[:, None]
    s = np.arange(b)[None, :]
    # X = number of first-kind items among the first r+s+1 of a uniform interleaving
    return hypergeom.sf(r, a + b, a, r + s + 1)


def precedence_probabilities(before, *, max_downsets=DEFAULT_MAX_DOWNSETS) -> np.ndarray:
    """Exact ``P[i, j] = Pr(i precedes j)`` for a uniformly random linear extension.

    Parameters
    ----------
    before : array_like of bool, shape (n, n)
        ``before[i, j]`` iff ``i`` must precede ``j``.
    max_downsets : int
        Largest down-set lattice allowed per component.

    Raises
    ------
    DownsetLatticeTooLarge
        If a component's lattice is too large (use a sampler instead).

    Examples
    --------
    >>> b = np.zeros((3, 3), bool); b[0, 1] = True  # x < y, z free
    >>> P = precedence_probabilities(b)
    >>> round(float(P[2, 0]), 12), round(float(P[0, 1] + P[1, 0]), 12)  # the paper's 1/3
    (0.333333333333, 1.0)
    """
    b = _check_poset(before)
    n = b.shape[0]
    P = np.zeros((n, n))
    comps = poset_components(b)
    ranks = []
    for comp in comps:
        if comp.size == 1:
            ranks.append(np.ones((1, 1)))
            continue
        lat = _Lattice(_component_pred(b, comp), max_downsets)
        Q, rank = lat.marginals()
        P[np.ix_(comp, comp)] = Q
        ranks.append(rank)
    cache = {}
    for x in range(len(comps)):
        for y in range(x + 1, len(comps)):
            a, c = comps[x].size, comps[y].size
            if (a, c) not in cache:
                cache[(a, c)] = _interleave_matrix(a, c)
            Pxy = ranks[x] @ cache[(a, c)] @ ranks[y].T
            P[np.ix_(comps[x], comps[y])] = Pxy
            P[np.ix_(comps[y], comps[x])] = 1.0 - Pxy.T
    np.fill_diagonal(P, 0.0)
    return P


# ----------------------------------------------------------------------------- samplers


def cover_relation(before) -> np.ndarray:
    """Cover (Hasse) edges of a transitively closed order: ``i < j`` with nothing in between."""
    b = np.asarray(before, dtype=bool)
    bi = b.astype(np.int32)
    return b & ~((bi @ bi) > 0)


@njit(cache=True, parallel=True)
def _topo_sort_kernel(succ_ptr, succ_idx, npred, seeds):
    n = npred.size
    S = seeds.size
    pos = np.empty((S, n), dtype=np.int32)
    for s in prange(S):
        state = seeds[s]
        cnt = npred.copy()
        avail = np.empty(n, dtype=np.int64)
        na = 0
        for v in range(n):
            if cnt[v] == 0:
                avail[na] = v
                na += 1
        for t in range(n):
            state, k = rand_below(state, na)
            v = avail[k]
            avail[k] = avail[na - 1]
            na -= 1
            pos[s, v] = t
            for e in range(succ_ptr[v], succ_ptr[v + 1]):
                w = succ_idx[e]
                cnt[w] -= 1
                if cnt[w] == 0:
                    avail[na] = w
                    na += 1
    return pos


def random_topological_sorts(before, n_samples, *, seed=None) -> np.ndarray:
    """Random topological sorts: repeatedly place a uniformly chosen minimal element.

    This is the natural reading of "randomly generate total ordering sequences
    compatible with sampled entries" in Appendix D of [1]_.  It is *not* uniform
    over linear extensions (for ``a < b`` and a free ``c`` it gives ``c`` first
    with probability 1/2 instead of 1/3).

    Returns
    -------
    ndarray of int32, shape (n_samples, n)
        ``pos[s, v]`` is the position of ``v`` in sample ``s``.

    Examples
    --------
    >>> b = np.zeros((3, 3), bool); b[0, 1] = True
    >>> pos = random_topological_sorts(b, 2000, seed=1)
    >>> bool((pos[:, 0] < pos[:, 1]).all()), round(float((pos[:, 2] < pos[:, 0]).mean()), 1)
    (True, 0.5)
    """
    b = _check_poset(before)
    n_samples = _check_samples(n_samples)
    succ_ptr, succ_idx, npred = _cover_csr(b)
    with threads_for_work(n_samples * (b.shape[0] + succ_idx.size)):
        return _topo_sort_kernel(succ_ptr, succ_idx, npred, seed_words(seed, n_samples))


def _check_samples(n_samples):
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}")
    return int(n_samples)


@njit(cache=True, parallel=True)
def _lattice_sample_kernel(m, t_ptr, t_dst, t_elem, g, seeds):
    S = seeds.size
    out = np.empty((S, m), dtype=np.int64)
    for s in prange(S):
        state = seeds[s]
        a = 0
        for t in range(m):
            state, u = rand_unit(state)
            u = u * g[a]
            acc = 0.0
            p_end = t_ptr[a + 1]
            chosen = p_end - 1
            for p in range(t_ptr[a], p_end):
                acc += g[t_dst[p]]
                if u < acc:
                    chosen = p
                    break
            out[s, t] = t_elem[chosen]
            a = t_dst[chosen]
    return out


@njit(cache=True, parallel=True)
def _interleave_kernel(orders, comp_start, comp_size, seeds, n):
    """Uniform interleaving of per-component orders (``orders[s]`` holds them back to back)."""
    S = seeds.size
    C = comp_size.size
    pos = np.empty((S, n), dtype=np.int32)
    for s in prange(S):
        state = seeds[s]
        lab = np.empty(n, dtype=np.int64)
        t = 0
        for c in range(C):
            for _ in range(comp_size[c]):
                lab[t] = c
                t += 1
        for i in range(n - 1, 0, -1):
            state, k = rand_below(state, i + 1)
            tmp = lab[i]
            lab[i] = lab[k]
            lab[k] = tmp
        used = np.zeros(C, dtype=np.int64)
        for t in range(n):
            c = lab[t]
            v = orders[s, comp_start[c] + used[c]]
            used[c] += 1
            pos[s, v] = t
    return pos


@njit(cache=True, parallel=True)
def _bubley_dyer_kernel(before, init, steps, seeds):
    """Bubley-Dyer chain: position p with probability prop. to (p+1)(n-1-p), lazy adjacent swap."""
    S = seeds.size
    n = init.size
    pos = np.empty((S, n), dtype=np.int32)
    # cumulative position weights
    cw = np.empty(n - 1)
    acc = 0.0
    for p in range(n - 1):
        acc += (p + 1) * (n - 1 - p)
        cw[p] = acc
    for s in prange(S):
        state = seeds[s]
        perm = init.copy()
        for _ in range(steps):
            state, u = rand_unit(state)
            u = u * acc
            lo = 0
            hi = n - 2
            while lo < hi:
                mid = (lo + hi) // 2
                if cw[mid] > u:
                    hi = mid
                else:
                    lo = mid + 1
            state, h = rand_unit(state)
            if h < 0.5:
                x = perm[lo]
                y = perm[lo + 1]
                if not before[x, y]:
                    perm[lo] = y
                    perm[lo + 1] = x
        for t in range(n):
            pos[s, perm[t]] = t
    return pos


def bubley_dyer_steps(n, eps=1e-3) -> int:
    """Burn-in for the Bubley-Dyer chain: ``ceil(n^3 ln(n/eps))``, a bound of order ``O(n^3 log(n/eps))``."""
    if n < 2:
        return 0
    return int(math.ceil(n**3 * math.log(n / eps)))


def bubley_dyer_sample(before, n_samples, *, seed=None, steps=None) -> np.ndarray:
    """Approximately uniform linear extensions from independent Bubley-Dyer chains [2]_.

    Each chain starts from a topological sort and runs ``steps`` moves
    (default :func:`bubley_dyer_steps`, total-variation distance of order
    ``1e-3`` by the chain's ``O(n^3 log(n/eps))`` mixing bound).

    Returns
    -------
    ndarray of int32, shape (n_samples, n)
        Positions of each element.

    Examples
    --------
    >>> b = np.zeros((3, 3), bool); b[0, 1] = True
    >>> pos = bubley_dyer_sample(b, 3000, seed=0)
    >>> abs(float((pos[:, 2] < pos[:, 0]).mean()) - 1 / 3) < 0.04
    True
    """
    b = _check_poset(before)
    n_samples = _check_samples(n_samples)
    n = b.shape[0]
    if n < 2:
        return np.zeros((n_samples, n), dtype=np.int32)
    init = np.argsort(b.sum(axis=0), kind="stable").astype(np.int64)  # fewer predecessors first
    steps = bubley_dyer_steps(n) if steps is None else int(steps)
    with threads_for_work(n_samples * steps):
        return _bubley_dyer_kernel(b, init, steps, seed_words(seed, n_samples))


def uniform_linear_extensions(before, n_samples, *, seed=None, max_downsets=DEFAULT_MAX_DOWNSETS):
    """Uniformly random linear extensions.

    Exact sampling through the down-set lattice of each component (choose the
    next element with probability proportional to the number of completions),
    followed by a uniform interleaving of the components.  If a lattice is too
    large, falls back to :func:`bubley_dyer_sample`.

    Returns
    -------
    ndarray of int32, shape (n_samples, n)
        Positions of each element.

    Examples
    --------
    >>> b = np.zeros((3, 3), bool); b[0, 1] = True
    >>> pos = uniform_linear_extensions(b, 3000, seed=0)
    >>> abs(float((pos[:, 2] < pos[:, 0]).mean()) - 1 / 3) < 0.04
    True
    """
    b = _check_poset(before)
    n_samples = _check_samples(n_samples)
    n = b.shape[0]
    comps = poset_components(b)
    seeds = seed_words(seed, n_samples * (len(comps) + 1)).reshape(len(comps) + 1, n_samples)
    orders = np.empty((n_samples, n), dtype=np.int64)
    start = 0
    starts, sizes = [], []
    try:
        for c, comp in enumerate(comps):
            if comp.size == 1:
                orders[:, start] = comp[0]
            else:
                lat = _Lattice(_component_pred(b, comp), max_downsets)
                with threads_for_work(n_samples * comp.size * comp.size):
                    local = _lattice_sample_kernel(lat.m, lat.t_ptr, lat.t_dst, lat.t_elem, lat.g, seeds[c])
                orders[:, start : start + comp.size] = comp[local]
            starts.append(start)
            sizes.append(comp.size)
            start += comp.size
    except DownsetLatticeTooLarge:
        return bubley_dyer_sample(b, n_samples, seed=seed)
    with threads_for_work(n_samples * n * 4):
        return _interleave_kernel(
            orders, np.array(starts, dtype=np.int64), np.array(sizes, dtype=np.int64), seeds[-1], n
        )


@njit(cache=True, parallel=True)
def _precedence_counts(pos):
    S, n = pos.shape
    out = np.zeros((n, n))
    for i in prange(n):
        for s in range(S):
            pi = pos[s, i]
            for j in range(n):
                if pi < pos[s, j]:
                    out[i, j] += 1.0
    return out / S


def precedence_frequencies(pos) -> np.ndarray:
    """``F[i, j]``: fraction of the sampled orders (positions ``pos``) in which ``i`` precedes ``j``."""
    p = np.ascontiguousarray(pos, dtype=np.int32)
    if p.ndim != 2:
        raise ValueError(f"pos must be a (samples, n) array, got shape {p.shape}")
    with threads_for_work(p.size * p.shape[1]):
        return _precedence_counts(p)


@njit(cache=True, parallel=True)
def _pair_order_bits(pos, ui, uj):
    S = pos.shape[0]
    U = ui.size
    bits = np.empty((S, U), dtype=np.uint8)
    for s in prange(S):
        for u in range(U):
            bits[s, u] = 1 if pos[s, ui[u]] < pos[s, uj[u]] else 0
    return bits


@njit(cache=True, parallel=True)
def _batch_pair_counts(pos, ui, uj, n_batches):
    S = pos.shape[0]
    U = ui.size
    counts = np.zeros((n_batches, U))
    for b in prange(n_batches):
        lo = (S * b) // n_batches
        hi = (S * (b + 1)) // n_batches
        for s in range(lo, hi):
            for u in range(U):
                if pos[s, ui[u]] < pos[s, uj[u]]:
                    counts[b, u] += 1.0
    return counts


@njit(cache=True, parallel=True)
def _topo_sort_pair_counts(succ_ptr, succ_idx, npred, seeds, ui, uj, n_batches):
    """Random topological sorts counted on the fly: ``counts[b, u]`` = samples of batch ``b``
    in which ``ui[u]`` precedes ``uj[u]`` (no per-sample output)."""
    n = npred.size
    S = seeds.size
    U = ui.size
    counts = np.zeros((n_batches, U))
    for b in prange(n_batches):
        lo = (S * b) // n_batches
        hi = (S * (b + 1)) // n_batches
        cnt = np.empty(n, dtype=np.int64)
        avail = np.empty(n, dtype=np.int64)
        pos = np.empty(n, dtype=np.int64)
        for s in range(lo, hi):
            state = seeds[s]
            na = 0
            for v in range(n):
                cnt[v] = npred[v]
                if cnt[v] == 0:
                    avail[na] = v
                    na += 1
            for t in range(n):
                state, k = rand_below(state, na)
                v = avail[k]
                avail[k] = avail[na - 1]
                na -= 1
                pos[v] = t
                for e in range(succ_ptr[v], succ_ptr[v + 1]):
                    w = succ_idx[e]
                    cnt[w] -= 1
                    if cnt[w] == 0:
                        avail[na] = w
                        na += 1
            for u in range(U):
                if pos[ui[u]] < pos[uj[u]]:
                    counts[b, u] += 1.0
    return counts


def _cover_csr(b):
    cov = cover_relation(b)
    succ_ptr = np.concatenate([[0], np.cumsum(cov.sum(axis=1))]).astype(np.int64)
    succ_idx = np.nonzero(cov)[1].astype(np.int64)
    npred = cov.sum(axis=0).astype(np.int64)
    return succ_ptr, succ_idx, npred


def batch_pair_counts(pos, ui, uj, n_batches=10) -> np.ndarray:
    """``counts[b, u]``: samples of batch ``b`` (consecutive rows of ``pos``) with ``ui[u]`` first."""
    p = np.ascontiguousarray(pos, dtype=np.int32)
    ui = np.ascontiguousarray(ui, np.int64)
    with threads_for_work(p.shape[0] * ui.size):
        return _batch_pair_counts(p, ui, np.ascontiguousarray(uj, np.int64), int(n_batches))


def topological_sort_pair_counts(before, n_samples, ui, uj, *, seed=None, n_batches=10, _closed=False):
    """:func:`random_topological_sorts` counted into ``counts[b, u]`` (see :func:`batch_pair_counts`).

    The same samples as :func:`random_topological_sorts` with the same ``seed``.
    """
    b = before if _closed else _check_poset(before)  # _closed: an already validated closure
    n_samples = _check_samples(n_samples)
    succ_ptr, succ_idx, npred = _cover_csr(b)
    ui = np.ascontiguousarray(ui, np.int64)
    with threads_for_work(n_samples * (b.shape[0] + succ_idx.size + ui.size)):
        return _topo_sort_pair_counts(
            succ_ptr,
            succ_idx,
            npred,
            seed_words(seed, n_samples),
            ui,
            np.ascontiguousarray(uj, np.int64),
            int(n_batches),
        )


def pair_order_indicators(pos, ui, uj) -> np.ndarray:
    """``bits[s, u] = 1`` iff ``ui[u]`` precedes ``uj[u]`` in sample ``s`` (uint8, shape (S, U))."""
    p = np.ascontiguousarray(pos, dtype=np.int32)
    ui = np.ascontiguousarray(ui, dtype=np.int64)
    uj = np.ascontiguousarray(uj, dtype=np.int64)
    with threads_for_work(p.shape[0] * ui.size):
        return _pair_order_bits(p, ui, uj)
