"""Table II: closed forms against brute-force counts of relations on small n."""

import itertools
import math
from collections import Counter

import networkx as nx
import numpy as np
import pytest

import effective_theory as et
from effective_theory.statics import class_description_length as cdl
from tests.statics._enumerate_relations import all_relations, set_partitions


def _all_relations(n):
    for bits in itertools.product([False, True], repeat=n * n):
        yield np.array(bits, dtype=bool).reshape(n, n)


@pytest.fixture(scope="module")
def relations_n3():
    return list(_all_relations(3))


def _count(rels, pred):
    return sum(1 for R in rels if pred(R))


def test_generic_symmetric_reflexive_antisymmetric_counts(relations_n3):
    n = 3
    assert 2 ** cdl.bits_generic(n) == len(relations_n3)
    assert 2 ** cdl.bits_symmetric(n) == _count(relations_n3, et.is_symmetric)
    assert 2 ** cdl.bits_reflexive(n) == _count(relations_n3, et.is_reflexive)
    exact = round(2 ** cdl.bits_antisymmetric(n, exact=True))
    assert exact == _count(relations_n3, et.is_antisymmetric)
    # the paper's n(n-1)/2 counts tournaments: irreflexive, exactly one direction per pair
    tournaments = _count(
        relations_n3, lambda R: et.is_irreflexive(R) and bool(np.all((R ^ R.T)[~np.eye(3, dtype=bool)]))
    )
    assert 2 ** cdl.bits_antisymmetric(n) == tournaments


def test_equivalence_and_total_order_counts_n4():
    n = 4
    rels = list(_all_relations(n))
    equivalences = [R for R in rels if et.is_equivalence(R)]
    for k in range(1, n + 1):
        count = sum(1 for R in equivalences if len(et.equivalence_classes(R)) == k)
        assert round(2 ** cdl.bits_equivalence(n, k, exact=True)) == count
    two_equal = sum(1 for R in equivalences if sorted(map(len, et.equivalence_classes(R))) == [2, 2])
    assert round(2 ** cdl.bits_equivalence(n, 2, exact=True, equal_sizes=True)) == two_equal
    orders = sum(1 for R in rels if et.is_strict_total_order(R))
    assert round(2 ** cdl.bits_total_order(n)) == orders == math.factorial(n)


def test_complete_bipartite_counts():
    n = 5
    rels = set()
    for r in range(1, n):
        for S in itertools.combinations(range(n), r):
            rels.add(et.complete_bipartite(n, S).matrix.tobytes())
    assert round(2 ** cdl.bits_complete_bipartite(n, exact=True)) == len(rels) == 2 ** (n - 1) - 1
    for a in range(1, n):
        with_side = {
            et.complete_bipartite(n, S).matrix.tobytes() for S in itertools.combinations(range(n), a)
        }
        assert round(2 ** cdl.bits_complete_bipartite(n, exact=True, side=a)) == len(with_side)
    even = {et.complete_bipartite(4, S).matrix.tobytes() for S in itertools.combinations(range(4), 2)}
    assert round(2 ** cdl.bits_complete_bipartite(4, exact=True, side=2)) == len(even) == 3


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6])
def test_cayley_trees(n):
    K = list(itertools.combinations(range(n), 2))
    trees = sum(1 for E in itertools.combinations(K, n - 1) if nx.is_tree(nx.Graph(E)))
    assert round(2 ** cdl.bits_tree(n, exact=True)) == trees
    assert round(2 ** cdl.bits_tree(n, exact=True, rooted=True)) == trees * n


def test_paper_relations_n30_closed_forms():
    f = math.factorial
    assert cdl.relation_class_bits("mod3", 30) == pytest.approx(
        math.log2(f(30) / (f(10) ** 3 * f(3))), abs=1e-9
    )
    assert cdl.relation_class_bits("greater", 30) == pytest.approx(math.log2(f(30)), abs=1e-9)
    assert cdl.relation_class_bits("bipartite", 30, side=12) == pytest.approx(
        math.log2(math.comb(30, 12)), abs=1e-9
    )
    # mod 5 on 30 elements: five classes of size 6
    assert cdl.relation_class_bits("mod5", 30) == pytest.approx(
        math.log2(f(30) / (f(6) ** 5 * f(5))), abs=1e-9
    )
    # unequal classes: mod 3 on 31 elements has sizes 11, 10, 10
    assert cdl.relation_class_bits("mod3", 31) == pytest.approx(
        math.log2(f(31) / (f(11) * f(10) ** 2 * f(2))), abs=1e-9
    )


@pytest.mark.parametrize("name", ["mod3", "mod7", "greater", "bipartite"])
@pytest.mark.parametrize("n", [0, 1, 2, 11, 30, 31])
def test_relation_closed_forms_match_the_graph(name, n):
    """|Aut| and the arc count in closed form equal the automorphism engines' on the built relation."""
    R = et.relation_by_name(name, n)
    aut = cdl.relation_automorphism_order(name, n)
    assert int(aut) == et.automorphism_group_order(R)
    assert et.relation_num_arcs(name, n) == int(R.matrix.sum())
    # and log2(n!/|Aut|) is relation_class_bits, exactly (n!/|Aut| is an integer)
    assert cdl.relation_class_bits(name, n) == pytest.approx(
        math.log2(math.factorial(n) // int(aut)), abs=1e-9
    )


def test_relation_closed_forms_at_large_n():
    n = 10**7
    aut = cdl.relation_automorphism_order("mod3", n)
    assert cdl.log2_factorial(n) - aut.log2 == pytest.approx(cdl.relation_class_bits("mod3", n), rel=1e-12)
    assert (
        et.relation_num_arcs("mod3", n) == 3 * (n // 3) ** 2 + 2 * (n // 3) + 1
    )  # sizes 3333334, 3333333 x 2
    assert et.relation_num_arcs("bipartite", n) == n * n // 2


def test_large_n_log_space():
    n = 10**7
    b = cdl.bits_total_order(n)
    assert math.isfinite(b) and b == pytest.approx(
        n * math.log2(n / math.e) + 0.5 * math.log2(2 * math.pi * n), rel=1e-12
    )
    assert math.isfinite(cdl.bits_equivalence(n, 3, exact=True))
    assert cdl.bits_equivalence(n, 3, exact=True) == pytest.approx(n * math.log2(3) - math.log2(6), abs=1e-6)


def test_stirling_large_n_matches_exact_branch():
    # the asymptotic branch above n = 5000 agrees with exact integer arithmetic
    exact = cdl._log2_int(cdl._stirling2_exact(6000, 7))
    n, k = 6000, 7
    corr = sum((-1) ** j * math.comb(k, j) * (1 - j / k) ** n for j in range(k + 1))
    approx = n * math.log2(k) - cdl.log2_factorial(k) + math.log2(corr)
    assert approx == pytest.approx(exact, abs=1e-9)


def test_table_ii_rows_and_paper_approximations():
    rows = {r.relation.split(",")[0]: r for r in cdl.table_ii(30)}
    assert rows["generic"].paper_bits == 900
    assert rows["equivalence"].paper_bits == pytest.approx(30 * math.log2(3))
    # the approximation n log2 k overestimates the exact equal-size count
    assert rows["equivalence"].exact_bits < rows["equivalence"].paper_bits
    assert rows["total order"].exact_bits == pytest.approx(math.log2(math.factorial(30)))
    assert rows["complete bipartite"].exact_bits == pytest.approx(math.log2(2**29 - 1))


@pytest.mark.parametrize(
    "call",
    [
        lambda: cdl.bits_equivalence(10, 0),
        lambda: cdl.bits_equivalence(10, 3, exact=True, equal_sizes=True),
        lambda: cdl.bits_total_order(-1),
        lambda: cdl.bits_transitive(10, 0.5),
        lambda: cdl.bits_tree(10),
        lambda: cdl.relation_class_bits("foo", 10),
        lambda: cdl.bits_complete_bipartite(5, exact=True, side=6),
    ],
)
def test_bad_parameters_raise(call):
    with pytest.raises(ValueError):
        call()


def test_non_integer_n_is_type_error():
    with pytest.raises(TypeError):
        cdl.bits_generic(3.5)


@pytest.mark.parametrize("n", range(0, 9))
def test_stirling_against_enumerated_partitions(n):
    """S(n, k) and the at-most-k sums against every set partition of n elements."""
    blocks = Counter(max(lab, default=-1) + 1 for lab in set_partitions(n))
    for k in range(0, n + 2):
        assert round(2 ** cdl.log2_stirling2(n, k)) == blocks.get(k, 0)
        if k >= 1 and n >= 1:
            at_most = sum(blocks.get(j, 0) for j in range(1, k + 1))
            assert round(2 ** cdl.bits_equivalence(n, k, exact=True, at_most=True)) == at_most


def test_equivalence_readings_against_enumerated_relations():
    n, k = 6, 3
    rels = list(all_relations(n, "equivalence", k=k))
    assert round(2 ** cdl.bits_equivalence(n, k, exact=True)) == len(rels) == 90
    equal = list(all_relations(n, "equivalence", class_sizes=[2, 2, 2]))
    assert round(2 ** cdl.bits_equivalence(n, k, exact=True, equal_sizes=True)) == len(equal) == 15
    # the paper's n log2 k counts the k^n labellings, each relation k! times over (when surjective)
    assert cdl.bits_equivalence(30, 3) - cdl.bits_equivalence(30, 3, exact=True) == pytest.approx(
        math.log2(6) + math.log2(1 / (1 - 3 * (2 / 3) ** 30 + 3 * (1 / 3) ** 30)), abs=1e-9
    )


def test_asymmetric_count(relations_n3):
    asym = _count(relations_n3, lambda R: et.is_antisymmetric(R) and et.is_irreflexive(R))
    assert round(2 ** cdl.bits_antisymmetric(3, exact=True, irreflexive=True)) == asym == 27


def test_table_ii_readings_at_the_paper_n():
    rows = {r.relation: r for r in cdl.table_ii(30)}
    bits = {name: [(x.label, round(x.bits, 2)) for x in r.readings] for name, r in rows.items()}
    assert bits["equivalence, 3 classes"] == [
        ("exactly 3 classes, any sizes", 44.96),
        ("3 equal classes", 39.75),
        ("at most 3 classes", 44.96),
    ]
    assert bits["tree"] == [
        ("rooted, average depth 3", 132.13),
        ("all labelled trees (Cayley)", 137.39),
        ("all rooted labelled trees", 142.3),
    ]
    assert bits["antisymmetric"] == [("diagonal free", 719.46), ("irreflexive (asymmetric)", 689.46)]
    assert bits["complete bipartite"] == [("any two non-empty sides", 29.0), ("sides 15 and 15", 26.21)]
    # the exact count of a row is its first (most natural) reading's; none for the transitive row
    assert all(r.exact_bits == (r.readings[0].bits if r.readings else None) for r in rows.values())
    assert rows["transitive"].exact_bits is None
    # the paper's expressions are kept as they are: n log2 k = n log2 <d> = 30 log2 3
    assert (
        rows["tree"].paper_bits
        == rows["equivalence, 3 classes"].paper_bits
        == pytest.approx(30 * math.log2(3))
    )


def test_table_ii_readings_away_from_the_paper_n():
    rows = {r.relation.split(",")[0]: r for r in cdl.table_ii(31)}
    # 3 does not divide 31: no equal-size reading; 31 * 3 is a total depth a tree can have
    assert [x.label for x in rows["equivalence"].readings] == [
        "exactly 3 classes, any sizes",
        "at most 3 classes",
    ]
    assert rows["tree"].readings[0].label == "rooted, average depth 3"
    # <d> = 2.5 at n = 3 is no tree's: the Cayley counts are left
    assert [x.label for x in cdl.table_ii(3, mean_depth=2.5)[-1].readings][0] == "all labelled trees (Cayley)"
