"""Exact equivalence posteriors against full enumeration; the row-sum invariant; the importance sampler."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from effective_theory import (
    EquivalencePrior,
    count_consistent_partitions,
    equivalence_pair_frequencies,
    equivalence_pair_probabilities,
    inference_closure,
    random_train_mask,
)
from effective_theory.statics.relations import equal_mod
from tests.statics._enumerate_relations import consistent

N_SIGMA = 4


def _cases(seed, count):
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < count:
        n = int(rng.integers(3, 9))
        k = int(rng.integers(2, 4))
        lab = rng.integers(0, k, n)
        sizes = tuple(int(x) for x in np.bincount(lab, minlength=k))
        if min(sizes) == 0:
            continue
        R = lab[:, None] == lab[None, :]
        mask = rng.random((n, n)) < rng.uniform(0, 0.35)
        out.append((n, k, sizes, R, mask))
    return out


@pytest.mark.parametrize("engine", ["numba", "python"])
def test_exact_posterior_matches_enumeration(engine):
    for n, k, sizes, R, mask in _cases(7, 14):
        c = inference_closure(R, mask, kind="equivalence")
        for prior, sel in (
            (EquivalencePrior("class_sizes", k, sizes), {"class_sizes": sizes}),
            (EquivalencePrior("k_classes", k), {"k": k}),
        ):
            Ms = consistent(n, "equivalence", R, mask, **sel)
            P = equivalence_pair_probabilities(c.block, c.conflicts(), prior, engine=engine)
            assert np.allclose(P, np.mean(Ms, axis=0), atol=1e-12), (n, sizes, prior)
            assert count_consistent_partitions(c.block, c.conflicts(), prior) == len(Ms)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31), frac=st.floats(0.0, 0.2), k=st.sampled_from([2, 3, 5]))
def test_rows_sum_to_the_class_size(seed, frac, k):
    n = 30
    R = equal_mod(n, k)
    c = inference_closure(R, random_train_mask(n, frac, seed=seed), kind="equivalence")
    P = equivalence_pair_probabilities(c.block, c.conflicts(), EquivalencePrior.equal_sizes(n, k))
    assert np.allclose(P.sum(axis=1), n // k) and np.allclose(P, P.T)
    assert np.all(P[c.values == 1] == 1) and np.all(P[c.values == 0] == 0)


def test_importance_sampler_within_four_standard_errors():
    n, k = 12, 3
    R = equal_mod(n, k)
    c = inference_closure(R, random_train_mask(n, 0.08, seed=4), kind="equivalence")
    prior = EquivalencePrior.equal_sizes(n, k)
    P = equivalence_pair_probabilities(c.block, c.conflicts(), prior)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n) if 0 < P[i, j] < 1][:6]
    assert pairs
    for i, j in pairs:
        g = np.zeros((n, n))
        g[i, j] = 1.0
        F, se = equivalence_pair_frequencies(c.block, c.conflicts(), prior, 20000, seed=1, sign=g)
        assert se > 0 and abs(F[i, j] - P[i, j]) <= N_SIGMA * se


def test_inconsistent_prior_is_reported():
    # five elements known equal cannot fit classes of size 2
    block, none = np.array([0, 0, 0, 0, 0, 1]), np.zeros((2, 2), bool)
    with pytest.raises(ValueError, match="inconsistent with the prior"):
        equivalence_pair_probabilities(block, none, EquivalencePrior("class_sizes", 3, (2, 2, 2)))
    with pytest.raises(ValueError, match="do not sum"):
        equivalence_pair_probabilities(block, none, EquivalencePrior("class_sizes", 2, (2, 2)))
