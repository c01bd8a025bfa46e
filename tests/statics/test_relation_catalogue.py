"""The relation catalogue: each entry has the structure its name says, and its statics are computed."""

import importlib.util
import math
import os
from pathlib import Path

import numpy as np
import pytest

import effective_theory as et
from effective_theory.statics.relation_catalogue import (
    CATALOGUE,
    WORDNET_PIECE_FILE,
    catalogue_relation,
    catalogue_row,
    catalogue_table,
    read_wordnet_piece,
)

ROOT = Path(__file__).resolve().parents[2]


def M(name, n=None):
    return catalogue_relation(name, n).matrix


@pytest.fixture(scope="module")
def table():
    return catalogue_table()


def test_at_least_twenty_relations_at_n30_spanning_b(table):
    at30 = [r for r in table if r.n == 30]
    assert len(at30) >= 20
    bits = [r.bits for r in table]
    assert min(bits) <= 20 and max(bits) >= 110
    assert len({r.name for r in table}) == len(table) == len(CATALOGUE)


def test_rows_are_computed_from_the_relation(table):
    for r in table:
        R = catalogue_relation(r.name, r.n)
        assert r.pairs == int(R.matrix.sum())
        # b = log2 n! - log2 |Aut|, and p_c is Eq. (4) with N = n^2
        assert r.bits == pytest.approx(math.lgamma(r.n + 1) / math.log(2) - r.log2_aut, abs=1e-6)
        assert r.p_c == pytest.approx(float(et.critical_train_fraction(0.9, r.bits, r.n * r.n)), rel=1e-12)
        assert 0 < r.pairs < r.n * r.n


@pytest.mark.parametrize("k", [2, 3, 5, 6, 10, 15])
def test_mod_entries_are_equivalences_with_k_classes(k):
    classes = et.equivalence_classes(M(f"mod{k}"))
    assert sorted(len(c) for c in classes) == [30 // k] * k


@pytest.mark.parametrize(
    "name, sizes", [("classes-5-10-15", [5, 10, 15]), ("classes-2-4-8-16", [2, 4, 8, 16])]
)
def test_unequal_equivalences(name, sizes):
    assert sorted(len(c) for c in et.equivalence_classes(M(name))) == sizes
    # |Aut| of an equivalence with distinct class sizes is the product of s!
    assert int(catalogue_row(name).aut) == math.prod(math.factorial(s) for s in sizes)


@pytest.mark.parametrize("name, a", [("bipartite-10-20", 10), ("bipartite-5-25", 5), ("bipartite", 15)])
def test_complete_bipartite_sides(name, a):
    R = M(name)
    assert et.is_symmetric(R) and not R.diagonal().any()
    degrees = sorted(set(R.sum(axis=1).tolist()))
    assert degrees == sorted({a, 30 - a})
    assert int(R.sum()) == 2 * a * (30 - a)


def test_orders():
    D = M("divides")
    assert et.is_reflexive(D) and et.is_antisymmetric(D) and et.is_transitive(D)
    assert D[1, 5] and not D[5, 1] and not D[3, 5]  # 2 | 6; 6 does not divide 2; 4 does not divide 6
    G = M("grid-5x6")
    assert et.is_irreflexive(G) and et.is_antisymmetric(G) and et.is_transitive(G)
    assert not et.is_strict_total_order(G)  # (0, 5) and (1, 0) are incomparable
    assert G[0, 29] and not G[5, 1]


def test_trees():
    P, A = M("tree-parent"), M("tree-ancestor")
    assert int(P.sum()) == 29 and (P.sum(axis=0) == np.r_[0, np.ones(29)]).all()  # one root
    # the ancestor relation is the transitive closure of the parent relation: the paths
    closure = P.copy()
    for _ in range(30):
        closure = closure | ((closure.astype(int) @ P.astype(int)) > 0)
    assert np.array_equal(A, closure)
    assert A[0, 1:].all() and et.is_transitive(A) and et.is_irreflexive(A)


def test_cycles_and_their_automorphisms():
    S, R = M("cyclic-successor", 12), M("ring", 12)
    assert (S.sum(axis=0) == 1).all() and (S.sum(axis=1) == 1).all()
    assert np.array_equal(R, S | S.T)
    assert int(catalogue_row("cyclic-successor", 12).aut) == 12  # the rotations
    assert int(catalogue_row("ring", 12).aut) == 24  # the dihedral group


def test_coprime():
    C = M("coprime")
    x = np.arange(1, 31)
    assert et.is_symmetric(C) and C[0].all()  # 1 is coprime to everything
    assert np.array_equal(C.diagonal(), x == 1)
    assert not C[5, 9] and C[6, 9]  # gcd(6, 10) = 2; gcd(7, 10) = 1


def test_random_graphs():
    G = M("gnp-half")
    assert et.is_symmetric(G) and not G.diagonal().any()
    m, pairs = int(np.triu(G).sum()), 30 * 29 // 2
    assert abs(m - pairs / 2) <= 5 * math.sqrt(pairs / 4)  # binomial(435, 1/2) within 5 sigma
    R = M("regular-4", 40)
    assert et.is_symmetric(R) and not R.diagonal().any() and (R.sum(axis=1) == 4).all()
    with pytest.raises(ValueError, match="4-regular"):
        M("regular-4", 3)


def test_real_graphs():
    K = M("karate")
    assert K.shape == (34, 34) and int(K.sum()) == 2 * 78 and et.is_symmetric(K)
    # the same graph as the edge list the package ships, by another reader and another count
    shipped = et.description_length_report(ROOT / "effective_theory" / "data" / "karate.edgelist")
    assert catalogue_row("karate").aut == shipped.aut_order_text() == "480"
    D = M("davis")
    assert D.shape == (32, 32) and et.is_symmetric(D)
    # bipartite: women (0..17) attend events (18..31) only
    assert not D[:18, :18].any() and not D[18:, 18:].any()
    assert M("florentine").shape == (15, 15) and M("lesmis").shape == (77, 77)


def test_wordnet_piece_is_a_closed_hierarchy():
    W = M("wordnet-cheese")
    data = read_wordnet_piece()
    assert W.shape == (len(data["synsets"]),) * 2 and 30 <= W.shape[0] <= 60
    assert data["synsets"][0]["lemma"] == "cheese"
    assert et.is_irreflexive(W) and et.is_antisymmetric(W) and et.is_transitive(W)
    assert W[1:, 0].all()  # every synset below the root is a kind of cheese
    for i, j in data["hypernyms"]:
        assert W[i, j]


@pytest.mark.skipif(not os.path.isfile("/usr/share/wordnet/data.noun"), reason="wordnet-base not installed")
def test_shipped_wordnet_piece_matches_the_database():
    script = ROOT / "examples" / "wordnet_relation.py"
    spec = importlib.util.spec_from_file_location("wordnet_relation", script)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rebuilt = mod.dumps(mod.wordnet_piece())
    assert rebuilt == WORDNET_PIECE_FILE.read_text(encoding="utf-8")


def test_fixed_size_entries_refuse_another_n():
    with pytest.raises(ValueError, match="34 elements, not n = 30"):
        catalogue_relation("karate", 30)
    with pytest.raises(ValueError, match="no relation 'nope' in the catalogue"):
        catalogue_relation("nope")
    assert catalogue_relation("divides", 60).n == 60


def test_rule_entries_follow_n():
    rows = catalogue_table(12)
    assert all(r.n == 12 for r in rows if CATALOGUE[r.name].n is None)
    assert {r.n for r in rows if CATALOGUE[r.name].n is not None} >= {30, 34}


def test_catalogue_name_recognises_every_entry_by_its_matrix():
    """Each entry's matrix at its size names an entry with that very matrix (the first in catalogue
    order: an entry equal to an earlier one is named by the earlier); a matrix no entry has, None."""
    from effective_theory.statics.relation_catalogue import CATALOGUE, catalogue_name, catalogue_relation

    for name in CATALOGUE:
        m = catalogue_relation(name).matrix
        found = catalogue_name(m)
        assert found is not None and np.array_equal(catalogue_relation(found, m.shape[0]).matrix, m), name
        assert list(CATALOGUE).index(found) <= list(CATALOGUE).index(name)
    assert catalogue_name(np.eye(30, dtype=bool)) is None
    with pytest.raises(ValueError, match="square"):
        catalogue_name(np.zeros((3, 4)))
