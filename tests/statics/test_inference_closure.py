"""Inference closure (step (a) of Section III): exactness against brute force, and clash messages."""

import numpy as np
import pytest

from effective_theory import closure_from_entries, inference_closure
from effective_theory.statics.relations import complete_bipartite, equal_mod, greater_than
from tests.statics._enumerate_relations import consistent

N_CASES = 25  # random (relation, mask) cases per class


def _random_case(rng, kind, n):
    if kind == "equivalence":
        lab = rng.integers(0, rng.integers(1, 4), n)
        R = lab[:, None] == lab[None, :]
    elif kind == "total_order":
        pos = rng.permutation(n)
        R = pos[:, None] < pos[None, :]
    else:
        s = rng.random(n) < 0.5
        R = s[:, None] != s[None, :]
    mask = rng.random((n, n)) < rng.uniform(0.0, 0.5)
    return R, mask


@pytest.mark.parametrize("kind", ["equivalence", "total_order", "bipartite"])
def test_closure_equals_entries_fixed_in_every_consistent_relation(kind):
    rng = np.random.default_rng({"equivalence": 1, "total_order": 2, "bipartite": 3}[kind])
    for _ in range(N_CASES):
        n = int(rng.integers(2, 7))
        R, mask = _random_case(rng, kind, n)
        c = inference_closure(R, mask, kind=kind)
        Ms = np.array(consistent(n, kind, R, mask))
        fixed = Ms.all(axis=0) | (~Ms).all(axis=0)
        assert np.array_equal(c.known, fixed)
        assert np.array_equal(c.values[fixed], R[fixed].astype(np.int8))
        assert np.all(c.values[mask] == R[mask])


def test_full_and_empty_masks():
    for R, kind in (
        (equal_mod(9, 3), "equivalence"),
        (greater_than(9), "total_order"),
        (complete_bipartite(9), "bipartite"),
    ):
        c = inference_closure(R, np.ones((9, 9), bool), kind=kind)
        assert c.n_inferred == 81 and np.array_equal(c.values, R.matrix.astype(np.int8))
        c0 = inference_closure(R, np.zeros((9, 9), bool), kind=kind)
        assert c0.n_inferred == 9  # only the diagonal (reflexive / irreflexive)


def test_bipartite_uses_two_classes_parity():
    # 0-1 differ, 1-2 differ => 0, 2 same side (a two-class inference the plain equivalence closure lacks)
    c = closure_from_entries(3, [0, 1], [1, 2], [1, 1], kind="bipartite")
    assert c.values[0, 2] == 0 and c.values[2, 0] == 0


def test_equivalence_clash_names_the_pairs():
    with pytest.raises(ValueError, match=r"pair \(0, 2\) is 0 but 1-pairs \(0, 1\), \(1, 2\)"):
        closure_from_entries(3, [0, 1, 0], [1, 2, 2], [1, 1, 0], kind="equivalence")
    with pytest.raises(ValueError, match=r"reflexivity.*\(1, 1\)"):
        closure_from_entries(3, [1], [1], [0], kind="equivalence")


def test_total_order_cycle_names_the_pairs():
    with pytest.raises(ValueError, match=r"\(0, 1\), \(1, 2\), \(2, 0\) form a cycle"):
        closure_from_entries(3, [0, 1, 2], [1, 2, 0], [1, 1, 1], kind="total_order")
    with pytest.raises(ValueError, match="irreflexive"):
        closure_from_entries(3, [2], [2], [1], kind="total_order")


def test_bipartite_odd_cycle_names_the_pairs():
    with pytest.raises(ValueError, match=r"\(0, 1\), \(1, 2\), \(0, 2\).*odd number"):
        closure_from_entries(3, [0, 1, 0], [1, 2, 2], [1, 1, 1], kind="bipartite")


def test_bad_input():
    with pytest.raises(ValueError, match=r"\(0, 5\) is out of range for n=4"):
        closure_from_entries(4, [0], [5], [1], kind="equivalence")
    with pytest.raises(ValueError, match="must be 0 or 1"):
        closure_from_entries(4, [0], [1], [2], kind="equivalence")
    with pytest.raises(ValueError, match="unknown kind"):
        closure_from_entries(4, [0], [1], [1], kind="tree")
    with pytest.raises(ValueError, match="shape"):
        inference_closure(equal_mod(4, 2), np.ones((3, 3), bool), kind="equivalence")
