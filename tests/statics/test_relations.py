import numpy as np
import pytest

import effective_theory as et


@pytest.mark.parametrize("k", [1, 2, 3, 5, 7])
def test_equal_mod_is_equivalence_with_k_classes(k):
    R = et.equal_mod(30, k)
    assert R.is_equivalence()
    assert len(et.equivalence_classes(R)) == min(k, 30)
    assert not R.is_antisymmetric() or k >= 30


def test_greater_than_is_strict_total_order():
    R = et.greater_than(30)
    assert R.is_strict_total_order()
    assert R.is_antisymmetric() and R.is_transitive() and not R.is_symmetric()
    assert R.matrix[0, 1] and not R.matrix[1, 0]


def test_complete_bipartite_properties():
    R = et.complete_bipartite(30, range(12))
    assert R.is_symmetric() and not R.is_reflexive() and not R.is_transitive()
    assert int(R.matrix.sum()) == 2 * 12 * 18
    # anti-transitive: R(x,y), R(y,z) => not R(x,z)
    a = R.matrix.astype(int)
    assert not ((a @ a > 0) & R.matrix).any()


def test_predicates_on_small_cases():
    assert et.is_transitive(np.zeros((3, 3)))
    assert not et.is_transitive([[0, 1, 0], [0, 0, 1], [0, 0, 0]])
    assert et.is_antisymmetric([[1, 1], [0, 1]])
    assert not et.is_strict_total_order([[0, 1], [1, 0]])


@pytest.mark.parametrize(
    "bad, exc",
    [
        (np.zeros((2, 3)), ValueError),
        (np.array([[0, 2], [1, 0]]), ValueError),
        (np.array([[0, np.nan], [1, 0]]), ValueError),
        ("abc", TypeError),
        (np.zeros(3), ValueError),
    ],
)
def test_bad_matrices_raise(bad, exc):
    with pytest.raises(exc):
        et.Relation(bad)


def test_relation_by_name():
    assert et.relation_by_name("mod5", 10) == et.equal_mod(10, 5)
    assert et.relation_by_name("greater", 4) == et.greater_than(4)
    with pytest.raises(ValueError, match="unknown relation"):
        et.relation_by_name("mod", 4)


def test_relation_by_name_refuses_a_matrix_over_its_size_limit_before_allocating():
    with pytest.raises(
        et.ParameterError, match=r"needs 100,000,000,000,000 bytes, over the limit max_bytes="
    ) as info:
        et.relation_by_name("mod3", 10**7)  # 10^14 bytes: refused at once, not by numpy's allocator
    assert info.value.parameter == "max_bytes" and "relation_class_bits" in str(info.value)
    with pytest.raises(et.ParameterError, match="max_bytes=99"):
        et.relation_by_name("greater", 10, max_bytes=99)
    assert et.relation_by_name("greater", 10, max_bytes=100) == et.greater_than(10)


def test_relation_is_immutable():
    R = et.equal_mod(4, 2)
    with pytest.raises(ValueError):
        R.matrix[0, 0] = False
