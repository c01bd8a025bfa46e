"""Upper bounds on prediction accuracy from a fraction of a relation's entries (Fig. 2, Appendix D of [1]_).

A learner that sees the training entries of a relation ``R`` of known class
can at best predict each entry with the posterior probability of its more
likely value.  With ``p_ij = Pr(R_ij = 1 | training data)``,

.. math::

    f_{UB} = \\frac{1}{n^2}\\Big(\\#\\text{inferred} + \\sum_{(i,j)\\ \\text{not inferred}}
             \\max(p_{ij}, 1 - p_{ij})\\Big),

step (a) and (b) of Section III of [1]_.  Two ways to get ``p_ij``:

``method="exact"`` (Bayes-optimal)
    ``p_ij`` under the uniform prior over all relations of the class that agree
    with the training entries: exact linear-extension probabilities for total
    orders (:mod:`effective_theory.statics.bounds.linear_extensions`), exact partition counts for
    equivalence relations and complete bipartite relations
    (:mod:`effective_theory.statics.bounds.equivalence_posterior`).  When the exact computation
    exceeds its state budget a sampler is used instead and ``.method`` says so:
    ``"sampler:bubley-dyer"`` (independent Bubley-Dyer chains, total orders) or
    ``"sampler:importance"`` (sequential importance sampling of colourings,
    equivalence); ``.stderr`` is then the standard error of the bound.
``method="paper"`` (Appendix D of [1]_, faithfully)
    equivalence / bipartite: every element is assumed uniformly distributed
    over its candidate classes ``pos[i]`` (the reference class of a known-equal
    element, else all classes not excluded by a known 0-entry), independently;
    bipartite is treated as the two-class equivalence ``1 - R``.  Total orders:
    ``p_ij`` is the fraction of ``n_orderings`` sampled orders in which ``i``
    precedes ``j``, with ``sampler="topological"`` (random topological sort, our
    reading of the paper; not uniform) or ``sampler="uniform"`` (exactly uniform
    linear extensions).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numba import njit

from effective_theory._checks import check_int
from effective_theory.statics.bounds.equivalence_posterior import (
    DEFAULT_MAX_STATES,
    EquivalencePrior,
    StateSpaceTooLarge,
    equivalence_pair_probabilities,
)
from effective_theory.statics.bounds.equivalence_sampler import equivalence_pair_frequencies
from effective_theory.statics.bounds.inference import (
    check_train_mask,
    closure_from_entries,
    normalize_kind,
)
from effective_theory.statics.bounds.linear_extensions import (
    DEFAULT_MAX_DOWNSETS,
    DownsetLatticeTooLarge,
    batch_pair_counts,
    bubley_dyer_sample,
    precedence_probabilities,
    topological_sort_pair_counts,
    uniform_linear_extensions,
)
from effective_theory.statics.relations import Relation, as_relation_matrix, parse_relation_name

__all__ = [
    "AccuracyBound",
    "accuracy_upper_bound",
    "random_train_mask",
    "prior_guessing_accuracy",
    "METHODS",
    "SAMPLERS",
]

METHODS = ("exact", "paper")
SAMPLERS = ("topological", "uniform")


@dataclass(frozen=True, eq=False)
class AccuracyBound:
    """Result of :func:`accuracy_upper_bound`.

    Attributes
    ----------
    bound : float
        The accuracy upper bound ``f_UB`` (fraction of the ``n^2`` entries).
    stderr : float
        Monte Carlo standard error of ``bound`` (0 for an exact computation).
    method : str
        What was actually used: ``"exact"``, ``"sampler:bubley-dyer"``,
        ``"sampler:importance"``, ``"paper:candidate-classes"``,
        ``"paper:topological"`` or ``"paper:uniform"``.
    n_inferred : int
        Entries inferred by the closure (step (a)), training entries included.
    probabilities : ndarray, shape (n, n)
        ``Pr(R_ij = 1)`` used for the bound (1/0 on inferred entries).
    """

    bound: float
    stderr: float
    method: str
    n_inferred: int
    probabilities: np.ndarray = field(repr=False)

    @property
    def n(self) -> int:
        return self.probabilities.shape[0]

    @property
    def inferred_fraction(self) -> float:
        return self.n_inferred / self.probabilities.size

    @property
    def p_star_effective(self) -> float:
        """Mean of ``min(p, 1 - p)`` over the entries not inferred (``nan`` if none).

        The paper's ``p_*`` of Eq. (5) read off this bound: the guessing accuracy on
        un-inferred entries is ``1 - p_star_effective``.
        """
        p = self.probabilities
        un = (p > 0) & (p < 1)
        if not un.any():
            return float("nan")
        return float(np.minimum(p[un], 1 - p[un]).mean())


def random_train_mask(n, fraction, *, seed=None) -> np.ndarray:
    """A training mask of ``round(fraction * n^2)`` entries drawn uniformly without replacement.

    Examples
    --------
    >>> int(random_train_mask(30, 0.1, seed=0).sum())
    90
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")
    try:
        fraction = float(fraction)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"fraction must be a number, got {type(fraction).__name__}") from exc
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"training fraction must be in [0, 1], got {fraction}")
    N = int(n) * int(n)
    m = int(round(fraction * N))
    rng = np.random.default_rng(seed)
    mask = np.zeros(N, dtype=bool)
    mask[rng.choice(N, size=m, replace=False)] = True
    return mask.reshape(int(n), int(n))


def _bound_from_p(p, known):
    return float(np.where(known, 1.0, np.maximum(p, 1.0 - p)).mean())


#: batches of sampled orders used for the standard error of the paper's method
N_BATCHES = 10


def _order_posterior(counts_fn, closure_values, known, n_samples):
    """Frequencies ``p_ij`` over sampled orders and the standard error of the bound.

    Only un-inferred pairs ``i < j`` are counted (``p_ji = 1 - p_ij``).  Locally
    ``bound = const + (2/n^2) sum_{i<j} sign(p_ij - 1/2) p_ij``, linear in the frequencies;
    its standard error is estimated from ``N_BATCHES`` batches of samples (delta method with
    batch means: the linear functional evaluated on each batch's frequencies).
    """
    n = closure_values.shape[0]
    ui, uj = np.nonzero(np.triu(~known, 1))
    p = closure_values.astype(float)
    if ui.size == 0:
        return p, 0.0
    counts = counts_fn(ui, uj)  # (batches, U)
    sizes = np.diff((n_samples * np.arange(counts.shape[0] + 1)) // counts.shape[0])
    pu = counts.sum(axis=0) / n_samples
    p[ui, uj] = pu
    p[uj, ui] = 1.0 - pu
    Xb = (counts / sizes[:, None]) @ np.sign(pu - 0.5)
    se = float(Xb.std(ddof=1) / np.sqrt(Xb.size) * 2 / (n * n))
    return p, se


def prior_guessing_accuracy(n, *, kind, prior=None) -> float:
    """The bound with no training data: the accuracy of guessing every entry from the prior.

    Total order: the diagonal is known (0) and each off-diagonal entry is a coin flip.
    Equivalence with fixed class sizes ``s_c``: ``Pr(i ~ j) = sum_c s_c (s_c - 1) / (n (n - 1))``
    for a random pair; the diagonal is known (1).

    Examples
    --------
    >>> prior_guessing_accuracy(30, kind="total_order") == (30 + 870 / 2) / 900
    True
    """
    kind = normalize_kind(kind)
    if n <= 1:
        return 1.0
    off = n * (n - 1)
    if kind == "total_order":
        return (n + off / 2) / (n * n)
    if prior is None:
        raise ValueError("prior_guessing_accuracy needs the prior for equivalence / bipartite relations")
    if prior.kind != "class_sizes":
        raise ValueError("the closed form is implemented for fixed class sizes only")
    # each unordered pair is in the same class with probability q (exchangeable elements)
    s = np.array(prior.class_sizes, dtype=float)
    q = float((s * (s - 1)).sum() / off)
    if kind == "bipartite":
        q = 1 - q  # R = 1 iff different sides
    return (n + off * max(q, 1 - q)) / (n * n)


def _equivalence_prior(sizes, prior, k, class_sizes):
    if isinstance(prior, EquivalencePrior):
        return prior
    if prior not in ("class_sizes", "k_classes"):
        raise ValueError(f"prior must be 'class_sizes', 'k_classes' or an EquivalencePrior, got {prior!r}")
    if prior == "class_sizes":
        if class_sizes is None:
            class_sizes = sorted(sizes.tolist(), reverse=True)
        class_sizes = tuple(int(s) for s in class_sizes)
        return EquivalencePrior("class_sizes", len(class_sizes), class_sizes)
    return EquivalencePrior("k_classes", int(sizes.size if k is None else k))


def _equivalence_labels(E):
    """Class index of every element (classes ordered by smallest member), or None if E is not
    an equivalence relation: ``E`` must equal ``[rep_i == rep_j]`` with ``rep_i`` the first
    element related to ``i``."""
    ok, lab, _k = _equivalence_labels_kernel(np.ascontiguousarray(E, dtype=np.bool_))
    return lab if ok else None


@njit(cache=True)
def _equivalence_labels_kernel(E):
    n = E.shape[0]
    rep = np.empty(n, np.int64)
    for i in range(n):
        if not E[i, i]:
            return False, rep, 0
        r = 0
        while not E[i, r]:
            r += 1
        rep[i] = r
    for i in range(n):
        for j in range(n):
            if E[i, j] != (rep[i] == rep[j]):
                return False, rep, 0
    lab = np.empty(n, np.int64)
    k = 0
    for i in range(n):
        if rep[i] == i:
            lab[i] = k
            k += 1
        else:
            lab[i] = lab[rep[i]]
    return True, lab, k


@njit(cache=True)
def _paper_candidates_kernel(values, labels, k, complement):
    """Appendix D candidate classes; returns ``(Pr(R_ij = 1), bound, n_inferred)``."""
    n = values.shape[0]
    pos = np.zeros((n, k), np.bool_)
    cnt = np.zeros(n)
    for i in range(n):
        first = -1
        for j in range(n):
            if j != i and values[i, j] == 1:
                first = j
                break
        if first >= 0:
            pos[i, labels[first]] = True
        else:
            for c in range(k):
                pos[i, c] = True
            for j in range(n):
                if values[i, j] == 0:
                    pos[i, labels[j]] = False
        for c in range(k):
            if pos[i, c]:
                cnt[i] += 1.0
    p = np.empty((n, n))
    total = 0.0
    ninf = 0
    for i in range(n):
        for j in range(n):
            v = values[i, j]
            if v >= 0:
                q = float(v)
                total += 1.0
                ninf += 1
            else:
                both = 0.0
                for c in range(k):
                    if pos[i, c] and pos[j, c]:
                        both += 1.0
                q = both / (cnt[i] * cnt[j])
                total += max(q, 1.0 - q)
            p[i, j] = 1.0 - q if complement else q
    return p, total / (n * n), ninf


def _kind_of(relation) -> str:
    """The class of a :class:`Relation`: from its name (``"mod3"``, ``"greater"``, ...), else its matrix."""
    if not isinstance(relation, Relation):
        raise TypeError(
            "kind= is needed for a plain matrix (equivalence, total_order or bipartite); "
            "a Relation carries its own"
        )
    if relation.name:
        try:
            return parse_relation_name(relation.name).kind
        except ValueError:
            pass
    a = relation.matrix
    if relation.is_equivalence():
        return "equivalence"
    if relation.is_strict_total_order():
        return "total_order"
    side = ~a[0]  # True on element 0's side: the elements not related to it
    if not a.diagonal().any() and np.array_equal(a, side[:, None] != side[None, :]):
        return "bipartite"
    label = f" {relation.name!r}" if relation.name else ""
    raise ValueError(
        f"the relation{label} is not an equivalence, a strict total order or complete bipartite; pass kind="
    )


def accuracy_upper_bound(
    relation,
    train_mask,
    *,
    kind=None,
    method="exact",
    seed=None,
    prior="class_sizes",
    k=None,
    class_sizes=None,
    sampler="topological",
    n_orderings=1000,
    n_samples=None,
    max_states=DEFAULT_MAX_STATES,
    max_downsets=DEFAULT_MAX_DOWNSETS,
) -> AccuracyBound:
    """Best accuracy any learner can reach on ``relation`` from the entries in ``train_mask``.

    Parameters
    ----------
    relation : Relation or array_like
        The true ``n x n`` 0/1 relation matrix.
    train_mask : array_like of bool, shape (n, n)
        The observed entries.
    kind : {"equivalence", "total_order", "bipartite"}, optional
        The relation class; ``R[i, j] = 1`` means ``i`` precedes ``j`` for a total order.
        Default: the class of a :class:`~effective_theory.Relation` named by the paper's
        relations (``equal_mod``, ``greater_than``, ``complete_bipartite`` name theirs), or
        else the class its matrix has (an equivalence, a strict total order, complete
        bipartite); needed for a plain matrix.
    method : {"exact", "paper"}
        Bayes-optimal bound, or the paper's recipe (see the module docstring).
    seed : int, optional
        Seed of every random choice (samplers); same seed, same numbers.
    prior : {"class_sizes", "k_classes"} or EquivalencePrior
        Equivalence / bipartite prior for ``method="exact"``: the class sizes
        (``class_sizes``, default: those of ``relation``) are known, or exactly
        ``k`` non-empty classes of any size (default: those of ``relation``).
        For ``"bipartite"`` the classes are the two sides.
    sampler : {"topological", "uniform"}
        Orderings sampler of the paper's method for total orders.
    n_orderings : int
        Orderings per training draw in the paper's method (1000 in [1]_).
    n_samples : int, optional
        Samples for the fallback samplers of ``method="exact"``.
    max_states, max_downsets : int
        State budgets of the exact computations; beyond them a sampler is used.

    Returns
    -------
    AccuracyBound

    Raises
    ------
    ValueError
        For bad input, or training labels inconsistent with the class (naming the clashing pairs).

    Examples
    --------
    >>> from effective_theory.statics.relations import equal_mod, greater_than
    >>> R = greater_than(6)
    >>> accuracy_upper_bound(R, np.ones((6, 6), bool), kind="total_order").bound
    1.0
    >>> r = accuracy_upper_bound(R, np.zeros((6, 6), bool), kind="total_order")
    >>> r.bound == prior_guessing_accuracy(6, kind="total_order"), r.method
    (True, 'exact')
    >>> m, R = np.zeros((6, 6), bool), equal_mod(6, 3)  # the kind is read from the Relation
    >>> accuracy_upper_bound(R, m).bound == accuracy_upper_bound(R, m, kind="equivalence").bound
    True
    """
    kind = normalize_kind(_kind_of(relation) if kind is None else kind)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler must be one of {SAMPLERS}, got {sampler!r}")
    a = relation.matrix if isinstance(relation, Relation) else as_relation_matrix(relation)
    n = a.shape[0]
    mask = check_train_mask(train_mask, n)
    if kind == "total_order" and not _is_strict_total_order(a):
        raise ValueError("relation is not a strict total order (R[i, j] = 1 iff i precedes j)")
    if kind == "bipartite" and a.diagonal().any():
        i = int(np.flatnonzero(a.diagonal())[0])
        raise ValueError(f"relation is not complete bipartite: diagonal entry ({i}, {i}) is 1")
    rows, cols = np.nonzero(mask)
    labels = a[rows, cols]
    if kind == "total_order" or method == "exact":
        closure = closure_from_entries(n, rows, cols, labels, kind=kind)
        known = closure.known
        n_inf = closure.n_inferred

    if kind == "total_order":
        if method == "paper":
            n_orderings = check_int(n_orderings, "n_orderings", minimum=1)
            if sampler == "topological":

                def counts_fn(ui, uj):
                    return topological_sort_pair_counts(
                        closure.before, n_orderings, ui, uj, seed=seed, n_batches=N_BATCHES, _closed=True
                    )
            else:

                def counts_fn(ui, uj):
                    pos = uniform_linear_extensions(
                        closure.before, n_orderings, seed=seed, max_downsets=max_downsets
                    )
                    return batch_pair_counts(pos, ui, uj, N_BATCHES)

            p, se = _order_posterior(counts_fn, closure.values, known, n_orderings)
            return AccuracyBound(_bound_from_p(p, known), se, f"paper:{sampler}", n_inf, p)
        try:
            p = precedence_probabilities(closure.before, max_downsets=max_downsets)
            p = np.where(known, closure.values, p)
            return AccuracyBound(_bound_from_p(p, known), 0.0, "exact", n_inf, p)
        except DownsetLatticeTooLarge:
            S = check_int(n_samples if n_samples is not None else 500, "n_samples", minimum=1)
            pos = bubley_dyer_sample(closure.before, S, seed=seed)
            p, se = _order_posterior(
                lambda ui, uj: batch_pair_counts(pos, ui, uj, N_BATCHES), closure.values, known, S
            )
            return AccuracyBound(_bound_from_p(p, known), se, "sampler:bubley-dyer", n_inf, p)

    # equivalence and bipartite: work with the equivalence E (E = 1 - R for bipartite)
    if kind == "bipartite":
        E = ~a
        np.fill_diagonal(E, True)
    else:
        E = a
    lab = _equivalence_labels(E)
    if lab is None:
        what = (
            "complete bipartite (its complement is not an equivalence)"
            if kind == "bipartite"
            else ("an equivalence relation")
        )
        raise ValueError(f"relation is not {what}")
    sizes = np.bincount(lab)
    if kind == "equivalence" and method == "exact":
        eclosure = closure
    else:
        eclosure = closure_from_entries(n, rows, cols, E[rows, cols], kind="equivalence")
    if method == "paper":
        kk = sizes.size if k is None else max(int(k), sizes.size)
        p, bound, ninf = _paper_candidates_kernel(eclosure.values, lab, kk, kind == "bipartite")
        return AccuracyBound(bound, 0.0, "paper:candidate-classes", int(ninf), p)
    pr = _equivalence_prior(sizes, prior, k, class_sizes)
    try:
        pe = equivalence_pair_probabilities(eclosure.block, eclosure.conflicts(), pr, max_states=max_states)
        se, used = 0.0, "exact"
    except StateSpaceTooLarge:
        S = check_int(n_samples if n_samples is not None else 5000, "n_samples", minimum=1)
        pe, se_lin = equivalence_pair_frequencies(eclosure.block, eclosure.conflicts(), pr, S, seed=seed)
        used = "sampler:importance"
        # delta method: bound = const + (1/n^2) sum_ij sign(p_ij - 1/2) p_ij near the estimate
        se = se_lin / (n * n)
    p = 1.0 - pe if kind == "bipartite" else pe
    p = np.where(known, closure.values, p)
    return AccuracyBound(_bound_from_p(p, known), se, used, n_inf, p)


def _is_strict_total_order(a):
    """O(n^2) check: the predecessor counts are a permutation and R[i, j] = [rank_i < rank_j]."""
    n = a.shape[0]
    rank = a.sum(axis=0)
    if not np.array_equal(np.sort(rank), np.arange(n)):
        return False
    return bool(np.array_equal(a, rank[:, None] < rank[None, :]))
