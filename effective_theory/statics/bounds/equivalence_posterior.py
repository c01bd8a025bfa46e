"""Exact posterior of an equivalence relation given training entries (Bayes-optimal step (b) of [1]_).

After the inference closure (:mod:`effective_theory.statics.bounds.inference`) the
elements fall into *blocks* known to be equal, with *conflicts* between blocks
known to differ.  Under a uniform prior over the equivalence relations of a
class that agree with the training entries, the posterior probability that
``i ~ j`` is

.. math::

    p_{ij} = \\frac{Z(c(B_i) = c(B_j))}{Z},

where ``Z`` counts the labelled colourings ``c`` of the blocks with ``k``
colours that are proper on the conflict graph and satisfy the prior:

- ``prior="class_sizes"``: colour ``c`` is used by exactly ``s_c`` elements
  (uniform over partitions with the given multiset of class sizes, e.g. the
  ``k`` classes of size ``n/k`` of equality mod ``k``);
- ``prior="k_classes"``: every one of the ``k`` colours is used (uniform over
  partitions into exactly ``k`` non-empty classes, any sizes).

Both are uniform over partitions because every partition corresponds to the
same number of labelled colourings.

Counting.  Singleton blocks without conflicts ("free" elements) are counted in
closed form at the end (a multinomial for fixed sizes, a surjection count by
inclusion-exclusion for ``k`` classes).  The other blocks are added one at a
time in an order that keeps the *frontier* (blocks with a neighbour not yet
added) small; the state is the colours of the frontier and the class-size
vector (or the set of used colours).  When the prior is symmetric in the
colours, states are reduced modulo colour permutations.  Pair probabilities
come from one forward-backward pass per *anchor* block ``a`` with its colour
fixed: the single-block marginal ``Pr(c(b) = c(a))`` for every other block
``b`` falls out of the pass.  Counts are exact Python integers.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit
from numba import types as _nbt
from numba.typed import Dict as _NbDict

__all__ = [
    "EquivalencePrior",
    "StateSpaceTooLarge",
    "equivalence_pair_probabilities",
    "count_consistent_partitions",
    "DEFAULT_MAX_STATES",
]

#: frontier-DP states (per step) above which the exact count is abandoned
DEFAULT_MAX_STATES = 200_000


class StateSpaceTooLarge(RuntimeError):
    """The exact frontier dynamic programme needs more states than allowed."""


@dataclass(frozen=True)
class EquivalencePrior:
    """A uniform prior over a class of equivalence relations on ``n`` elements.

    Parameters
    ----------
    kind : {"class_sizes", "k_classes"}
        Fixed class sizes, or exactly ``k`` non-empty classes of any size.
    k : int
        Number of classes.
    class_sizes : tuple of int, optional
        The class sizes (``kind="class_sizes"``); they sum to ``n``.
    """

    kind: str
    k: int
    class_sizes: tuple[int, ...] | None = None

    def __post_init__(self):
        if self.kind not in ("class_sizes", "k_classes"):
            raise ValueError(f"unknown equivalence prior {self.kind!r}; known: class_sizes, k_classes")
        if isinstance(self.k, bool) or not isinstance(self.k, (int, np.integer)) or self.k < 1:
            raise ValueError(f"the number of classes k must be a positive integer, got {self.k!r}")
        if self.kind == "class_sizes":
            if self.class_sizes is None or len(self.class_sizes) != self.k:
                raise ValueError(f"class_sizes must list k={self.k} sizes, got {self.class_sizes!r}")
            if any(int(s) < 1 for s in self.class_sizes):
                raise ValueError(f"class sizes must be positive, got {self.class_sizes!r}")

    @property
    def symmetric(self) -> bool:
        """Whether the prior is invariant under every permutation of the colours."""
        return self.kind == "k_classes" or len(set(self.class_sizes)) == 1

    @classmethod
    def equal_sizes(cls, n, k) -> EquivalencePrior:
        """``k`` classes of equal size ``n / k``."""
        if n % k:
            raise ValueError(f"n={n} is not divisible into k={k} classes of equal size")
        return cls("class_sizes", int(k), (n // k,) * int(k))


# ----------------------------------------------------------------------------- prior arithmetic


def _cover(nf, r, k):
    """Maps from ``nf`` items to ``k`` colours that hit ``r`` given colours (inclusion-exclusion)."""
    return sum((-1) ** j * math.comb(r, j) * (k - j) ** nf for j in range(r + 1))


class _PriorOps:
    """State updates and closed-form completions for a prior; ``u`` is a tuple."""

    def __init__(self, prior: EquivalencePrior, n_free: int):
        self.prior = prior
        self.k = prior.k
        self.nf = n_free
        if prior.kind == "class_sizes":
            self.s = tuple(int(x) for x in prior.class_sizes)
            self.u0 = (0,) * self.k
        else:
            self.u0 = (0,) * self.k  # used flags
        self._W = {}

    def add(self, u, col, w):
        if self.prior.kind == "class_sizes":
            v = u[col] + w
            if v > self.s[col]:
                return None
            return u[:col] + (v,) + u[col + 1 :]
        if u[col]:
            return u
        return u[:col] + (1,) + u[col + 1 :]

    def W(self, u):
        """Number of completions by the free elements."""
        r = self._W.get(u)
        if r is None:
            if self.prior.kind == "class_sizes":
                rest = [s - x for s, x in zip(self.s, u)]
                if sum(rest) != self.nf or min(rest) < 0:
                    r = 0
                else:
                    r = math.factorial(self.nf)
                    for x in rest:
                        r //= math.factorial(x)
            else:
                r = _cover(self.nf, self.k - sum(u), self.k)
            self._W[u] = r
        return r

    def W_block(self, u, col):
        """Completions weighted by ``Pr(free x ~ block of colour col)`` times ``nf`` (an integer)."""
        if self.nf == 0:
            return 0
        if self.prior.kind == "class_sizes":
            return self.W(u) * (self.s[col] - u[col])
        # x takes colour col (used): the other nf-1 free elements must cover the unused colours
        return _cover(self.nf - 1, self.k - sum(u), self.k) * self.nf

    def W_pair(self, u):
        """Completions weighted by ``Pr(free x ~ free y)`` times ``nf (nf - 1)``."""
        if self.nf < 2:
            return 0
        if self.prior.kind == "class_sizes":
            return self.W(u) * sum((s - x) * (s - x - 1) for s, x in zip(self.s, u))
        return _cover(self.nf - 1, self.k - sum(u), self.k) * self.nf * (self.nf - 1)


# ----------------------------------------------------------------------------- frontier DP


def _order_blocks(adj):
    """A greedy elimination order keeping the frontier small."""
    m = len(adj)
    placed = [False] * m
    remaining_nb = [len(a) for a in adj]
    order = []
    frontier = set()
    for _ in range(m):
        best, best_key = -1, None
        for b in range(m):
            if placed[b]:
                continue
            # frontier size after adding b
            closes = sum(1 for f in frontier if f in adj[b] and remaining_nb[f] == 1)
            opens = 1 if any(not placed[x] for x in adj[b]) else 0
            key = (len(frontier) - closes + opens, -sum(1 for x in adj[b] if placed[x]), -len(adj[b]), b)
            if best_key is None or key < best_key:
                best, best_key = b, key
        placed[best] = True
        order.append(best)
        for x in adj[best]:
            remaining_nb[x] -= 1
        frontier = {f for f in frontier | {best} if any(not placed[x] for x in adj[f])}
    return order


class _Plan:
    """The sequence of frontier updates for a block order."""

    def __init__(self, order, adj, weights):
        m = len(order)
        pos = {b: t for t, b in enumerate(order)}
        last = {b: max([pos[x] for x in adj[b]], default=-1) for b in order}
        self.order = order
        self.weights = [weights[b] for b in order]
        self.nbr_idx = []  # positions in the current frontier of the new block's neighbours
        self.keep = []  # indices into (frontier + [new]) kept in the next frontier
        frontier = []
        for t, b in enumerate(order):
            self.nbr_idx.append(tuple(i for i, f in enumerate(frontier) if f in adj[b]))
            ext = frontier + [b]
            keep = tuple(i for i, f in enumerate(ext) if last[f] > t)
            self.keep.append(keep)
            frontier = [ext[i] for i in keep]
        self.m = m
        self.max_frontier = max((len(k) for k in self.keep), default=0)


def _canon(fr, u, fixed0, k):
    """Canonical representative of (frontier colours, u) under colour permutations (colour 0 fixed
    when ``fixed0``)."""
    mapping = [-1] * k
    nxt = 0
    if fixed0:
        mapping[0] = 0
        nxt = 1
    for c in fr:
        if mapping[c] < 0:
            mapping[c] = nxt
            nxt += 1
    if nxt < k:
        rest = sorted((c for c in range(k) if mapping[c] < 0), key=lambda c: -u[c])
        for c in rest:
            mapping[c] = nxt
            nxt += 1
    new_u = [0] * k
    for c in range(k):
        new_u[mapping[c]] = u[c]
    return tuple(mapping[c] for c in fr), tuple(new_u)


def _forward(plan, ops, allowed, symmetric, fixed0, max_states):
    """Forward messages alpha_0..alpha_m (dicts state -> count)."""
    k = ops.k
    alphas = [{((), ops.u0): 1}]
    for t in range(plan.m):
        w = plan.weights[t]
        nb = plan.nbr_idx[t]
        keep = plan.keep[t]
        cols = allowed[t]
        nxt = {}
        for (fr, u), cnt in alphas[-1].items():
            banned = {fr[i] for i in nb}
            for col in cols:
                if col in banned:
                    continue
                u2 = ops.add(u, col, w)
                if u2 is None:
                    continue
                ext = fr + (col,)
                fr2 = tuple(ext[i] for i in keep)
                key = _canon(fr2, u2, fixed0, k) if symmetric else (fr2, u2)
                nxt[key] = nxt.get(key, 0) + cnt
        if len(nxt) > max_states:
            raise StateSpaceTooLarge(f"{len(nxt)} states at step {t + 1} of {plan.m}")
        alphas.append(nxt)
    return alphas


def _backward_marginals(plan, ops, alphas, allowed, symmetric, fixed0, target_col):
    """Sum over colourings of W(u) with block t coloured ``target_col``, for every t."""
    k = ops.k
    beta = {s: ops.W(s[1]) for s in alphas[-1]}
    hits = [0] * plan.m
    for t in range(plan.m - 1, -1, -1):
        w = plan.weights[t]
        nb = plan.nbr_idx[t]
        keep = plan.keep[t]
        cols = allowed[t]
        new_beta = {}
        hit = 0
        for (fr, u), cnt in alphas[t].items():
            banned = {fr[i] for i in nb}
            tot = 0
            for col in cols:
                if col in banned:
                    continue
                u2 = ops.add(u, col, w)
                if u2 is None:
                    continue
                ext = fr + (col,)
                fr2 = tuple(ext[i] for i in keep)
                key = _canon(fr2, u2, fixed0, k) if symmetric else (fr2, u2)
                bv = beta.get(key, 0)
                tot += bv
                if col == target_col:
                    hit += cnt * bv
            new_beta[(fr, u)] = tot
        hits[t] = hit
        beta = new_beta
    return hits


def _blocks_and_conflicts(block, conflict):
    block = np.asarray(block, dtype=np.int64)
    n = block.size
    nb = int(block.max()) + 1 if n else 0
    conflict = np.asarray(conflict, dtype=bool)
    if conflict.shape != (nb, nb):
        raise ValueError(f"conflict must be a {nb} x {nb} block matrix, got shape {conflict.shape}")
    if np.diag(conflict).any():
        b = int(np.flatnonzero(np.diag(conflict))[0])
        raise ValueError(f"block {b} conflicts with itself")
    return block, n, nb, conflict | conflict.T


def _check_prior_fits(prior, block, n):
    if prior.kind == "class_sizes" and sum(prior.class_sizes) != n:
        raise ValueError(f"class sizes {prior.class_sizes} do not sum to n={n}")


def count_consistent_partitions(block, conflict, prior: EquivalencePrior) -> int:
    """Number of partitions of the prior's class that agree with the blocks and conflicts.

    Examples
    --------
    >>> pr = EquivalencePrior.equal_sizes(6, 3)
    >>> count_consistent_partitions(np.arange(6), np.zeros((6, 6), bool), pr)  # 6!/(2!^3 3!)
    15
    """
    block, n, nb, conflict = _blocks_and_conflicts(block, conflict)
    _check_prior_fits(prior, block, n)
    Z, _ = _solve(block, n, nb, conflict, prior, anchors=False, max_states=10**9)
    return Z


def _solve(block, n, nb, conflict, prior, *, anchors, max_states):
    """Return (number of consistent partitions, P matrix or None)."""
    k = prior.k
    weights = np.bincount(block, minlength=nb)
    deg = conflict.sum(axis=1)
    free = [b for b in range(nb) if weights[b] == 1 and deg[b] == 0]
    cons = [b for b in range(nb) if not (weights[b] == 1 and deg[b] == 0)]
    idx = {b: i for i, b in enumerate(cons)}
    adj = [{idx[x] for x in np.flatnonzero(conflict[b])} for b in cons]
    order = _order_blocks(adj)
    plan = _Plan(order, adj, [int(weights[b]) for b in cons])
    ops = _PriorOps(prior, len(free))
    sym = prior.symmetric
    all_cols = tuple(range(k))
    # colour multiplicity: labelled colourings per partition
    if prior.kind == "class_sizes":
        mult = 1
        for c in {s: list(prior.class_sizes).count(s) for s in prior.class_sizes}.values():
            mult *= math.factorial(c)
    else:
        mult = math.factorial(k)

    allowed = [all_cols] * plan.m
    alphas = _forward(plan, ops, allowed, sym, False, max_states)
    Z = sum(cnt * ops.W(u) for (fr, u), cnt in alphas[-1].items())
    if Z == 0:
        raise ValueError(
            "the training labels are inconsistent with the prior "
            f"({prior.kind}, k={k}{', sizes ' + str(prior.class_sizes) if prior.class_sizes else ''})"
        )
    if Z % mult:  # pragma: no cover - an internal consistency check
        raise AssertionError("labelled colourings are not a multiple of the colour symmetry")
    if not anchors:
        return Z // mult, None

    # pair probabilities between blocks (B x B), with blocks of free elements
    Pb = np.zeros((nb, nb))
    nf = len(free)
    if nf >= 2:
        num = sum(cnt * ops.W_pair(u) for (fr, u), cnt in alphas[-1].items())
        pff = num / (Z * nf * (nf - 1))
        for a in free:
            Pb[a, free] = pff
    anchor_cols = (0,) if sym else all_cols
    for ia in range(plan.m):
        if nf == 0 and ia == plan.m - 1:
            break
        t_a = plan.order.index(ia)
        hits_tot = [0] * plan.m
        free_num = 0
        for col in anchor_cols:
            allowed_a = list(allowed)
            allowed_a[t_a] = (col,)
            al = _forward(plan, ops, allowed_a, sym, sym, max_states)
            hits = _backward_marginals(plan, ops, al, allowed_a, sym, sym, col)
            for t in range(plan.m):
                hits_tot[t] += hits[t]
            if nf:
                free_num += sum(cnt * ops.W_block(u, col) for (fr, u), cnt in al[-1].items())
        # with symmetry the anchored count is Z / k
        Za = Z // k if sym else Z
        ba = cons[ia]
        for t in range(plan.m):
            bb = cons[plan.order[t]]
            Pb[ba, bb] = hits_tot[t] / Za
            Pb[bb, ba] = Pb[ba, bb]
        if nf:
            pfb = free_num / (Za * nf)
            Pb[ba, free] = pfb
            Pb[free, ba] = pfb
    np.fill_diagonal(Pb, 1.0)
    Pb[conflict] = 0.0
    P = Pb[block[:, None], block[None, :]]
    return Z // mult, P


def equivalence_pair_probabilities(
    block, conflict, prior: EquivalencePrior, *, max_states=DEFAULT_MAX_STATES, engine="auto"
):
    """Posterior ``P[i, j] = Pr(i ~ j)`` under a uniform prior over consistent equivalence relations.

    Parameters
    ----------
    block : array_like of int, shape (n,)
        Union-find block of each element (elements known to be equal).
    conflict : array_like of bool, shape (B, B)
        Blocks known to be in different classes.
    prior : EquivalencePrior
        The class of equivalence relations (uniform prior over it).
    max_states : int
        Largest number of dynamic-programme states per step.
    engine : {"auto", "numba", "python"}
        ``"numba"``: packed int64 states and float64 counts (fast); ``"python"``:
        exact integer counts (reference); ``"auto"``: numba when the states fit.

    Returns
    -------
    P : ndarray, shape (n, n)
        Exact posterior probabilities (1 inside blocks, 0 across conflicts).

    Raises
    ------
    StateSpaceTooLarge
        If the exact dynamic programme exceeds ``max_states``.
    ValueError
        If no relation of the prior's class agrees with the data.

    Examples
    --------
    No data, 3 classes of size 2: ``Pr(i ~ j) = (s - 1)/(n - 1) = 1/5``; every row sums to ``s``.

    >>> P = equivalence_pair_probabilities(np.arange(6), np.zeros((6, 6), bool),
    ...                                    EquivalencePrior.equal_sizes(6, 3))
    >>> round(float(P[0, 1]), 12), bool(np.allclose(P.sum(axis=1), 2))
    (0.2, True)
    """
    block, n, nb, conflict = _blocks_and_conflicts(block, conflict)
    _check_prior_fits(prior, block, n)
    if engine not in ("auto", "numba", "python"):
        raise ValueError(f"engine must be 'auto', 'numba' or 'python', got {engine!r}")
    if engine != "python":
        P = _solve_numba(block, n, nb, conflict, prior, max_states=max_states)
        if P is not None:
            return P
        if engine == "numba":
            raise ValueError("the problem does not fit the numba engine's packed states (k <= 8)")
    _, P = _solve(block, n, nb, conflict, prior, anchors=True, max_states=max_states)
    return P


# ----------------------------------------------------------------------------- numba engine
#
# The same frontier DP with states packed into int64 keys: ``u`` (class sizes used, or used
# flags) in 5-bit fields, then the frontier colours in 3-bit fields.  Counts are float64.
# Pair probabilities use one common forward-backward pass (colour 0 kept distinguishable)
# and, per anchor block ``a``, a forward pass from ``a`` onwards with ``c(a) = 0`` that reads
# the common backward messages: ``Pr(c(b) = c(a))`` for every ``b`` after ``a``.


_UBITS = 5
_CBITS = 3


@njit(cache=True)
def _decode(key, L, k, fr, u):
    for c in range(k):
        u[c] = (key >> (_UBITS * c)) & 31
    base = _UBITS * k
    for i in range(L):
        fr[i] = (key >> (base + _CBITS * i)) & 7


@njit(cache=True)
def _encode(fr, L, u, k, sym, fixed0):
    mapping = np.empty(k, dtype=np.int64)
    if sym:
        for c in range(k):
            mapping[c] = -1
        nxt = 0
        if fixed0:
            mapping[0] = 0
            nxt = 1
        for i in range(L):
            c = fr[i]
            if mapping[c] < 0:
                mapping[c] = nxt
                nxt += 1
        while nxt < k:
            best = -1
            for c in range(k):
                if mapping[c] < 0 and (best < 0 or u[c] > u[best]):
                    best = c
            mapping[best] = nxt
            nxt += 1
    else:
        for c in range(k):
            mapping[c] = c
    key = np.int64(0)
    for c in range(k):
        key |= np.int64(u[c]) << (_UBITS * mapping[c])
    base = _UBITS * k
    for i in range(L):
        key |= np.int64(mapping[fr[i]]) << (base + _CBITS * i)
    return key


@njit(cache=True)
def _step(
    keys, vals, L_in, nbr, keep, w, allowed, sizes, by_size, k, sym, fixed0, bkeys, bvals, target, want_hits
):
    """One forward step; with ``want_hits`` also the weight of colouring the block ``target``
    (``sum alpha * beta_next``)."""
    out = _NbDict.empty(key_type=_nbt.int64, value_type=_nbt.float64)
    fr = np.empty(L_in + 1, dtype=np.int64)
    fr2 = np.empty(L_in + 1, dtype=np.int64)
    u = np.empty(k, dtype=np.int64)
    hit = 0.0
    for s in range(keys.size):
        _decode(keys[s], L_in, k, fr, u)
        for col in range(k):
            if not allowed[col]:
                continue
            bad = False
            for i in nbr:
                if fr[i] == col:
                    bad = True
                    break
            if bad:
                continue
            old = u[col]
            if by_size:
                if old + w > sizes[col]:
                    continue
                u[col] = old + w
            else:
                u[col] = 1
            fr[L_in] = col
            for i in range(keep.size):
                fr2[i] = fr[keep[i]]
            key = _encode(fr2, keep.size, u, k, sym, fixed0)
            u[col] = old
            out[key] = out.get(key, 0.0) + vals[s]
            if want_hits and col == target:
                j = np.searchsorted(bkeys, key)
                if j < bkeys.size and bkeys[j] == key:
                    hit += vals[s] * bvals[j]
    nk = np.empty(len(out), dtype=np.int64)
    nv = np.empty(len(out), dtype=np.float64)
    i = 0
    for key, v in out.items():
        nk[i] = key
        nv[i] = v
        i += 1
    order = np.argsort(nk)
    return nk[order], nv[order], hit


@njit(cache=True)
def _back_step(keys, L_in, nbr, keep, w, sizes, by_size, k, sym, fixed0, bkeys, bvals):
    """``beta_t(s) = sum_col beta_{t+1}(s . col)`` on the forward states ``keys``."""
    fr = np.empty(L_in + 1, dtype=np.int64)
    fr2 = np.empty(L_in + 1, dtype=np.int64)
    u = np.empty(k, dtype=np.int64)
    out = np.zeros(keys.size)
    for s in range(keys.size):
        _decode(keys[s], L_in, k, fr, u)
        tot = 0.0
        for col in range(k):
            bad = False
            for i in nbr:
                if fr[i] == col:
                    bad = True
                    break
            if bad:
                continue
            old = u[col]
            if by_size:
                if old + w > sizes[col]:
                    continue
                u[col] = old + w
            else:
                u[col] = 1
            fr[L_in] = col
            for i in range(keep.size):
                fr2[i] = fr[keep[i]]
            key = _encode(fr2, keep.size, u, k, sym, fixed0)
            u[col] = old
            j = np.searchsorted(bkeys, key)
            if j < bkeys.size and bkeys[j] == key:
                tot += bvals[j]
        out[s] = tot
    return out


def _decode_u(keys, k):
    return (
        np.stack([(keys >> (_UBITS * c)) & 31 for c in range(k)], axis=1)
        if keys.size
        else np.zeros((0, k), dtype=np.int64)
    )


def _final_weights(ops, keys):
    """``W(u)``, ``nf * W_block(u, 0)`` and ``nf (nf-1) W_pair(u)`` for final states, as floats."""
    k = ops.k
    U = _decode_u(keys, k)
    nf = ops.nf
    if ops.prior.kind == "class_sizes":
        s = np.array(ops.s)
        rest = s[None, :] - U
        lf = np.array([math.lgamma(x + 1) for x in range(max(ops.s) + 1)])
        ok = (rest >= 0).all(axis=1) & (rest.sum(axis=1) == nf)
        restc = np.clip(rest, 0, None)
        W = np.where(ok, np.exp(math.lgamma(nf + 1) - lf[restc].sum(axis=1)), 0.0)
        Wb = W[:, None] * rest  # per colour
        Wp = W * (rest * (rest - 1)).sum(axis=1)
        return W, Wb, Wp
    r = k - U.sum(axis=1)
    cov = np.array([float(_cover(nf, rr, k)) for rr in range(k + 1)])
    cov1 = np.array([float(_cover(nf - 1, rr, k)) if nf >= 1 else 0.0 for rr in range(k + 1)])
    W = cov[r]
    Wb = np.repeat((cov1[r] * nf)[:, None], k, axis=1)
    Wp = cov1[r] * nf * (nf - 1)
    return W, Wb, Wp


def _solve_numba(block, n, nb, conflict, prior, *, max_states):
    k = prior.k
    weights = np.bincount(block, minlength=nb)
    deg = conflict.sum(axis=1)
    free = [b for b in range(nb) if weights[b] == 1 and deg[b] == 0]
    cons = [b for b in range(nb) if not (weights[b] == 1 and deg[b] == 0)]
    idx = {b: i for i, b in enumerate(cons)}
    adj = [{idx[x] for x in np.flatnonzero(conflict[b])} for b in cons]
    order = _order_blocks(adj)
    plan = _Plan(order, adj, [int(weights[b]) for b in cons])
    by_size = prior.kind == "class_sizes"
    if k > 8 or (by_size and max(prior.class_sizes) > 31) or _UBITS * k + _CBITS * plan.max_frontier > 63:
        return None  # does not fit the packed keys: use the Python engine
    ops = _PriorOps(prior, len(free))
    sym = prior.symmetric
    sizes = np.array(prior.class_sizes if by_size else [0] * k, dtype=np.int64)
    m = plan.m
    Ls = [0] + [len(kp) for kp in plan.keep]
    nbrs = [np.array(x, dtype=np.int64) for x in plan.nbr_idx]
    keeps = [np.array(x, dtype=np.int64) for x in plan.keep]
    all_ok = np.ones(k, dtype=np.bool_)
    empty_k = np.zeros(0, dtype=np.int64)
    empty_v = np.zeros(0)

    def forward(start_keys, start_vals, t0, restrict, target, betas):
        keys, vals = start_keys, start_vals
        hits = np.zeros(m)
        layers = []
        for t in range(t0, m):
            allowed = all_ok
            if restrict is not None and t == restrict[0]:
                allowed = np.zeros(k, dtype=np.bool_)
                allowed[restrict[1]] = True
            want = betas is not None
            bk, bv = betas[t + 1] if want else (empty_k, empty_v)
            keys, vals, hit = _step(
                keys,
                vals,
                Ls[t],
                nbrs[t],
                keeps[t],
                plan.weights[t],
                allowed,
                sizes,
                by_size,
                k,
                sym,
                True,
                bk,
                bv,
                target,
                want,
            )
            hits[t] = hit
            if keys.size > max_states:
                raise StateSpaceTooLarge(f"{keys.size} states at step {t + 1} of {m}")
            layers.append((keys, vals))
        return layers, hits

    k0 = np.zeros(1, dtype=np.int64)
    v0 = np.ones(1)
    layers, _ = forward(k0, v0, 0, None, 0, None)
    alphas = [(k0, v0)] + layers
    fk, fv = alphas[-1]
    W, Wb, Wp = _final_weights(ops, fk)
    Z = float(fv @ W)
    if Z == 0:
        raise ValueError(
            "the training labels are inconsistent with the prior "
            f"({prior.kind}, k={k}{', sizes ' + str(prior.class_sizes) if prior.class_sizes else ''})"
        )
    # common backward messages beta_t on the forward states
    betas = [None] * (m + 1)
    betas[m] = (fk, W)
    for t in range(m - 1, -1, -1):
        bvals = _back_step(
            alphas[t][0],
            Ls[t],
            nbrs[t],
            keeps[t],
            plan.weights[t],
            sizes,
            by_size,
            k,
            sym,
            True,
            betas[t + 1][0],
            betas[t + 1][1],
        )
        betas[t] = (alphas[t][0], bvals)

    Pb = np.zeros((nb, nb))
    nf = len(free)
    if nf >= 2:
        Pb[np.ix_(free, free)] = float(fv @ Wp) / (Z * nf * (nf - 1))
    anchor_cols = (0,) if sym else tuple(range(k))
    for t_a in range(m):
        if nf == 0 and t_a == m - 1:
            break
        hits_tot = np.zeros(m)
        Za = 0.0
        free_num = 0.0
        for col in anchor_cols:
            layers_a, hits = forward(alphas[t_a][0], alphas[t_a][1], t_a, (t_a, col), col, betas)
            hits_tot += hits
            Za += hits[t_a]
            if nf:
                ak, av = layers_a[-1]
                _W, Wb_a, _Wp = _final_weights(ops, ak)
                free_num += float(av @ Wb_a[:, col])
        ba = cons[plan.order[t_a]]
        for t in range(t_a + 1, m):
            bb = cons[plan.order[t]]
            Pb[ba, bb] = Pb[bb, ba] = hits_tot[t] / Za
        if nf:
            Pb[ba, free] = Pb[free, ba] = free_num / (Za * nf)
    np.fill_diagonal(Pb, 1.0)
    Pb[conflict] = 0.0
    return Pb[block[:, None], block[None, :]]
