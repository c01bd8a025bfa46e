"""Linear extensions: known counts, exact precedence probabilities, samplers within 4 standard errors."""

import math

import numpy as np
import pytest

from effective_theory import (
    _random,
    bubley_dyer_sample,
    count_linear_extensions,
    inference_closure,
    precedence_probabilities,
    random_topological_sorts,
    uniform_linear_extensions,
)
from effective_theory.statics.bounds.linear_extensions import precedence_frequencies
from effective_theory.statics.relations import greater_than
from tests.statics._enumerate_relations import consistent

N_SIGMA = 4  # sampler tolerance in standard errors


def _chains(lengths):
    n = sum(lengths)
    b = np.zeros((n, n), bool)
    start = 0
    for L in lengths:
        for i in range(start, start + L - 1):
            b[i, i + 1] = True
        start += L
    return b


def test_antichain_and_chain():
    assert count_linear_extensions(np.zeros((7, 7), bool)) == math.factorial(7)
    assert count_linear_extensions(np.triu(np.ones((9, 9), bool), 1)) == 1


@pytest.mark.parametrize("m", range(1, 9))
def test_two_by_m_grid_is_catalan(m):
    n = 2 * m
    b = np.zeros((n, n), bool)
    for c in range(m):
        if c + 1 < m:
            b[c, c + 1] = b[m + c, m + c + 1] = True
        b[c, m + c] = True
    assert count_linear_extensions(b) == math.comb(2 * m, m) // (m + 1)


def test_disjoint_chains_give_a_multinomial():
    lengths = (2, 3, 4, 1)
    expected = math.factorial(10) // math.prod(math.factorial(x) for x in lengths)
    assert count_linear_extensions(_chains(lengths)) == expected


def test_precedence_probabilities_match_enumeration():
    rng = np.random.default_rng(5)
    for _ in range(15):
        n = int(rng.integers(2, 8))
        R = greater_than(n).matrix[np.ix_(p := rng.permutation(n), p)]
        mask = rng.random((n, n)) < rng.uniform(0, 0.4)
        c = inference_closure(R, mask, kind="total_order")
        orders = consistent(n, "total_order", R, mask)
        assert count_linear_extensions(c.before) == len(orders)
        assert np.allclose(precedence_probabilities(c.before), np.mean(orders, axis=0), atol=1e-12)


def test_disjoint_chains_cross_probabilities():
    # chain a0<a1 and a free element c: Pr(c < a0) = 1/3, Pr(c < a1) = 2/3
    P = precedence_probabilities(_chains((2, 1)))
    assert np.isclose(P[2, 0], 1 / 3) and np.isclose(P[2, 1], 2 / 3)
    assert np.allclose(P + P.T + np.eye(3), 1)


def _poset(seed=11, n=9, frac=0.12):
    rng = np.random.default_rng(seed)
    R = greater_than(n).matrix
    mask = rng.random((n, n)) < frac
    return inference_closure(R, mask, kind="total_order").before


@pytest.mark.parametrize("sampler", ["uniform", "bubley-dyer"])
def test_uniform_samplers_within_four_standard_errors(sampler):
    before = _poset()
    P = precedence_probabilities(before)
    S = 4000 if sampler == "uniform" else 1500
    fn = uniform_linear_extensions if sampler == "uniform" else bubley_dyer_sample
    F = precedence_frequencies(fn(before, S, seed=3))
    se = np.sqrt(P * (1 - P) / S)
    free = (P > 0) & (P < 1)
    assert np.all(np.abs(F - P)[free] <= N_SIGMA * se[free] + 1e-12)
    assert np.array_equal(F[~free], P[~free])


def test_random_topological_sort_is_not_uniform():
    # a < b, c free: a random topological sort puts c first half of the time, uniform says 1/3
    b = np.zeros((3, 3), bool)
    b[0, 1] = True
    S = 20000
    f = precedence_frequencies(random_topological_sorts(b, S, seed=0))[2, 0]
    se = math.sqrt(0.25 / S)
    assert abs(f - 0.5) < N_SIGMA * se and abs(f - 1 / 3) > 10 * se


def test_samplers_are_deterministic_under_a_seed():
    before = _poset(seed=2)
    for fn in (random_topological_sorts, uniform_linear_extensions, bubley_dyer_sample):
        a, b, c = fn(before, 50, seed=7), fn(before, 50, seed=7), fn(before, 50, seed=8)
        assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_cycle_is_rejected():
    b = np.zeros((3, 3), bool)
    b[0, 1] = b[1, 2] = b[2, 0] = True
    with pytest.raises(ValueError, match="cycle"):
        count_linear_extensions(b)


def test_parallel_kernels_give_the_same_numbers(monkeypatch):
    # small problems run on one thread; forcing prange onto every thread must not change a number
    import effective_theory.statics.bounds.linear_extensions as le

    before = _poset(seed=4)
    ui, uj = np.nonzero(np.triu(~(before | before.T), 1))
    serial = [fn(before, 64, seed=5) for fn in (random_topological_sorts, uniform_linear_extensions)]
    serial.append(le.topological_sort_pair_counts(before, 64, ui, uj, seed=5))
    monkeypatch.setattr(_random, "PARALLEL_MIN_WORK", 0)
    parallel = [fn(before, 64, seed=5) for fn in (random_topological_sorts, uniform_linear_extensions)]
    parallel.append(le.topological_sort_pair_counts(before, 64, ui, uj, seed=5))
    for a, b in zip(serial, parallel):
        assert np.array_equal(a, b)
