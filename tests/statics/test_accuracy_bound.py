"""The accuracy upper bound f_UB (Section III, Appendix D): limits, brute force, samplers, bad input."""

import math

import numpy as np
import pytest

from effective_theory import (
    EquivalencePrior,
    accuracy_upper_bound,
    prior_guessing_accuracy,
    random_train_mask,
)
from effective_theory.statics.relations import complete_bipartite, equal_mod, greater_than
from tests.statics._enumerate_relations import consistent

N_SIGMA = 4
CASES = [
    (equal_mod(12, 3), "equivalence"),
    (greater_than(12), "total_order"),
    (complete_bipartite(12), "bipartite"),
]


def _brute_bound(R, mask, kind, **prior):
    Ms = np.array(consistent(R.shape[0], kind, R, mask, **prior))
    p = Ms.mean(axis=0)
    return float(np.maximum(p, 1 - p).mean())


@pytest.mark.parametrize("R,kind", CASES)
@pytest.mark.parametrize("method", ["exact", "paper"])
def test_bound_is_one_with_all_entries(R, kind, method):
    r = accuracy_upper_bound(R, np.ones((12, 12), bool), kind=kind, method=method, seed=0)
    assert r.bound == 1.0 and r.n_inferred == 144


@pytest.mark.parametrize("R,kind", CASES)
def test_exact_bound_without_data_is_prior_guessing(R, kind):
    n = R.n
    k = 3 if kind == "equivalence" else 2
    prior = None if kind == "total_order" else EquivalencePrior.equal_sizes(n, k)
    r = accuracy_upper_bound(R, np.zeros((n, n), bool), kind=kind)
    assert r.method == "exact" and r.stderr == 0.0
    assert math.isclose(r.bound, prior_guessing_accuracy(n, kind=kind, prior=prior), rel_tol=1e-12)


def test_paper_bound_without_data_is_one_minus_one_over_k():
    # Appendix D: every element equally likely in each of the k classes, p_1 = 1/k off the diagonal
    n, k = 15, 5
    r = accuracy_upper_bound(equal_mod(n, k), np.zeros((n, n), bool), kind="equivalence", method="paper")
    assert math.isclose(r.bound, (n + n * (n - 1) * (1 - 1 / k)) / n**2)


@pytest.mark.parametrize(
    "R,kind,prior",
    [
        (equal_mod(7, 3), "equivalence", {"class_sizes": (3, 2, 2)}),
        (greater_than(7), "total_order", {}),
        (complete_bipartite(7, range(3)), "bipartite", {"class_sizes": (3, 4)}),
    ],
)
def test_exact_bound_matches_enumeration(R, kind, prior):
    rng = np.random.default_rng(0)
    for _ in range(6):
        mask = rng.random((7, 7)) < rng.uniform(0.05, 0.3)
        r = accuracy_upper_bound(R, mask, kind=kind)
        assert math.isclose(r.bound, _brute_bound(R.matrix, mask, kind, **prior), rel_tol=1e-12)


def test_paper_method_candidate_classes_by_hand():
    # mod 2 on 4 elements (classes {0,2}, {1,3}); observed R[0,1] = 0 only.
    # closure: (0,1),(1,0) = 0 plus the diagonal; pos[0] = {1}, pos[1] = {0}, pos[2] = pos[3] = {0, 1}
    mask = np.zeros((4, 4), bool)
    mask[0, 1] = True
    r = accuracy_upper_bound(equal_mod(4, 2), mask, kind="equivalence", method="paper")
    # undetermined: (0,2),(0,3),(1,2),(1,3) and transposes with p = 1/2; (2,3),(3,2) with p = 2/4
    assert math.isclose(r.bound, (4 + 2 + 10 * 0.5) / 16)


def test_total_order_sampler_fallback_within_four_standard_errors():
    R = greater_than(10)
    mask = random_train_mask(10, 0.1, seed=3)
    exact = accuracy_upper_bound(R, mask, kind="total_order")
    r = accuracy_upper_bound(R, mask, kind="total_order", max_downsets=5, n_samples=800, seed=1)
    assert r.method == "sampler:bubley-dyer" and r.stderr > 0
    assert abs(r.bound - exact.bound) <= N_SIGMA * r.stderr


def test_equivalence_sampler_fallback_within_four_standard_errors():
    R = equal_mod(12, 3)
    mask = random_train_mask(12, 0.08, seed=0)
    exact = accuracy_upper_bound(R, mask, kind="equivalence")
    r = accuracy_upper_bound(R, mask, kind="equivalence", max_states=1, n_samples=20000, seed=1)
    assert r.method == "sampler:importance" and r.stderr > 0
    assert abs(r.bound - exact.bound) <= N_SIGMA * r.stderr


def test_paper_orderings_are_deterministic_under_a_seed():
    R = greater_than(15)
    mask = random_train_mask(15, 0.1, seed=1)
    for sampler in ("topological", "uniform"):
        a = accuracy_upper_bound(R, mask, kind="total_order", method="paper", sampler=sampler, seed=4)
        b = accuracy_upper_bound(R, mask, kind="total_order", method="paper", sampler=sampler, seed=4)
        assert a.bound == b.bound and a.method == f"paper:{sampler}" and a.stderr > 0


def test_bad_input():
    R = equal_mod(6, 3)
    with pytest.raises(ValueError, match=r"training fraction must be in \[0, 1\]"):
        random_train_mask(6, 1.5)
    with pytest.raises(ValueError, match="shape"):
        accuracy_upper_bound(R, np.ones((5, 5), bool), kind="equivalence")
    with pytest.raises(ValueError, match="method"):
        accuracy_upper_bound(R, np.ones((6, 6), bool), kind="equivalence", method="magic")
    with pytest.raises(ValueError, match="unknown kind"):
        accuracy_upper_bound(R, np.ones((6, 6), bool), kind="lattice")
    with pytest.raises(ValueError, match="not a strict total order"):
        accuracy_upper_bound(equal_mod(6, 3), np.ones((6, 6), bool), kind="total_order")
    bad = complete_bipartite(6).matrix.copy()
    bad[2, 2] = True
    with pytest.raises(ValueError, match=r"diagonal entry \(2, 2\)"):
        accuracy_upper_bound(bad, np.ones((6, 6), bool), kind="bipartite")
    # greater-than read as an equivalence: R[0, 1] = 1 but R[1, 0] = 0 breaks symmetry
    mask = np.zeros((4, 4), bool)
    mask[0, 1] = mask[1, 0] = True
    with pytest.raises(ValueError, match=r"pair \(1, 0\) is 0 but 1-pairs \(0, 1\)"):
        accuracy_upper_bound(greater_than(4), mask, kind="equivalence")


@pytest.mark.slow
def test_figure2_paper_scale_exact_bounds():
    # paper scale: n = 30, 20 fractions x 20 draws; every bound exact, 1 once the data pin the relation
    from verification.figures.figure2 import Figure2Settings, figure2_data

    data = figure2_data(Figure2Settings(curves=("exact",)))
    for name, e in data["relations"].items():
        cv = e["curves"]["exact"]
        assert cv["methods_used"] == {"exact": 400}
        assert all(0.5 < m <= 1.0 for m in cv["mean"])
        if name != "greater":
            assert cv["mean"][-1] == 1.0 and cv["std"][-1] == 0.0


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="measured: mean min(p, 1-p) for greater-than is 0.214 at fraction "
    "0.08 and 0.252 at 0.2 (n = 30, 20 draws), not the paper's 1/3; see docs/findings.md",
)
def test_greater_than_p_star_is_one_third():
    # Section III: un-inferred greater-than entries are guessed right with probability 1 - p_* = 2/3
    R = greater_than(30)
    for f in (0.02, 0.08, 0.2):
        ps = [
            accuracy_upper_bound(R, random_train_mask(30, f, seed=s), kind="total_order").p_star_effective
            for s in range(20)
        ]
        assert abs(np.mean(ps) - 1 / 3) < 0.05
