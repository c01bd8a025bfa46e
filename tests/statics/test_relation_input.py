"""Any relation as data: names, matrices, graphs, files and content keys, and what is refused."""

import networkx as nx
import numpy as np
import pytest

import effective_theory as et
from effective_theory.statics.relation_catalogue import catalogue_relation
from effective_theory.statics.relation_input import (
    MAX_RELATION_N,
    config_relation,
    is_table_relation,
    relation_bits,
    relation_content_key,
    relation_kind,
    relation_label,
    relation_matrix,
    relation_p_star,
    relation_size,
    relation_spec,
    relation_statics,
)


@pytest.mark.parametrize("n", [3, 5, 8, 11, 30])
def test_content_key_round_trip(n):
    rng = np.random.default_rng(n)
    a = rng.random((n, n)) < 0.4
    a[0, 0], a[0, 1] = True, False  # neither empty nor complete
    key = relation_content_key(a)
    assert key.startswith(f"matrix:{n}:")
    assert np.array_equal(relation_matrix(key), a)
    assert relation_size(key) == n
    flipped = a.copy()
    flipped[n - 1, n - 1] ^= True  # the last entry is in the last byte: another key
    assert relation_content_key(flipped) != key


def test_table_names_keep_their_spelling():
    assert relation_spec("Mod 3") == "Mod 3"
    assert config_relation("greater-than", 12) == ("greater-than", 12)
    assert config_relation("mod3") == ("mod3", 30)
    assert is_table_relation("equal_mod5") and not is_table_relation("karate")
    assert relation_size("mod3") is None


def test_every_form_of_one_relation_gives_one_configuration(tmp_path):
    K = catalogue_relation("karate").matrix
    G = nx.karate_club_graph()  # weighted: the weights are ignored
    path = tmp_path / "club.edgelist"
    path.write_text("\n".join(f"{u} {v}" for u, v in G.edges()) + "\n")
    forms = ["karate", G, K, K.astype(int), et.Relation(K, name="club"), str(path), relation_content_key(K)]
    keys = {config_relation(f) for f in forms}
    assert keys == {(relation_content_key(K), 34)}
    assert relation_spec(str(path)) == "club=" + relation_content_key(K)
    assert relation_label(relation_spec(str(path))) == "club"
    assert relation_label(relation_spec(et.Relation(K, name="club"))) == "club"
    assert relation_spec(K, label="k34") == "k34=" + relation_content_key(K)


def test_file_elements_are_ordered_by_node_name(tmp_path):
    lines = ["0 2", "2 10", "10 1"]
    (tmp_path / "a.edgelist").write_text("\n".join(lines) + "\n")
    (tmp_path / "b.edgelist").write_text("\n".join(reversed(lines)) + "\n")
    a = relation_matrix(str(tmp_path / "a.edgelist"))
    assert np.array_equal(a, relation_matrix(str(tmp_path / "b.edgelist")))
    assert a[0, 2] and a[2, 3] and a[3, 1]  # names 0, 1, 2, 10 are elements 0, 1, 2, 3
    (tmp_path / "c.edgelist").write_text("bo ann\nann cy\n")
    c = relation_matrix(str(tmp_path / "c.edgelist"))
    assert c[1, 0] and c[0, 2] and not c[1, 2]  # ann, bo, cy


def test_a_directed_file_keeps_its_arcs(tmp_path):
    path = tmp_path / "arcs.txt"
    path.write_text("0 1 1 0\n0 0 1 0\n0 0 0 1\n0 0 0 0\n")  # an adjacency matrix, not symmetric
    a = relation_matrix(str(path))
    assert a[0, 1] and not a[1, 0] and int(a.sum()) == 4
    assert relation_kind(str(path)) is None


def test_labels_tell_relations_apart():
    a = relation_content_key(np.eye(4, dtype=bool))
    b = relation_content_key(~np.eye(4, dtype=bool))
    assert relation_label(a) != relation_label(b)
    assert relation_label(a).startswith("relation-")
    assert relation_label("x=" + a) == "x"


@pytest.mark.parametrize(
    "relation, message",
    [
        (np.zeros((5, 5)), "relations is empty"),
        (np.ones((5, 5)), "relations relates every pair"),
        (np.array([[0, 1], [1, 0]]), "at least 3"),
        ("mod1", "relates every pair"),
        ("no-such-relation", "is no relation"),
        ("missing/file.edgelist", "is no relation"),
        ("matrix:3:ZA==", "holds 2 bytes, got 1"),
        ("matrix:3:ZA=", "base64 is malformed"),
        ("matrix:3:Z!A=", "is no relation"),
        ("matrix:3:ZAE=", "padding"),
        (f"matrix:{MAX_RELATION_N + 1}:", "at most"),
    ],
)
def test_bad_relations_get_one_line_naming_the_parameter(relation, message):
    with pytest.raises(ValueError, match=message) as info:
        relation_matrix(relation, name="relations")
    text = str(info.value)
    assert "\n" not in text and text.startswith("relations")


def test_a_too_large_file_is_refused_before_its_matrix_is_built(tmp_path):
    path = tmp_path / "big.edgelist"
    path.write_text("".join(f"0 {i}\n" for i in range(1, MAX_RELATION_N + 6)))
    with pytest.raises(ValueError, match=f"n = {MAX_RELATION_N + 6} elements; the model takes at most"):
        relation_spec(str(path))


def test_n_must_agree_with_a_relation_of_its_own_size():
    with pytest.raises(ValueError, match="34 elements, not n = 30"):
        relation_matrix("karate", 30)
    with pytest.raises(ValueError, match="not n = 5"):
        relation_matrix(np.eye(4, dtype=bool), 5)
    assert relation_matrix("divides", 45).shape == (45, 45)
    with pytest.raises(TypeError, match="must be a relation name"):
        relation_matrix(3.5)


def test_statics_of_any_relation():
    for name in ("mod3", "mod5", "greater", "bipartite"):
        # the closed form of Table I and the automorphism count agree
        key = relation_content_key(relation_matrix(name))
        assert relation_bits(name, 30) == pytest.approx(relation_bits(key))
    karate = et.description_length(nx.karate_club_graph(), weight=None)  # the relation has no weights
    assert relation_bits("karate") == pytest.approx(karate)
    assert relation_p_star("mod5") == pytest.approx(1 / 5)
    # outside Table I: the fraction of related pairs (the paper's value for equal classes)
    assert relation_p_star("mod15") == pytest.approx(1 / 15)
    assert relation_p_star("karate") == pytest.approx(156 / 34**2)


@pytest.mark.parametrize(
    "name, kind",
    [
        ("mod10", "equivalence"),
        ("classes-2-4-8-16", "equivalence"),
        ("bipartite-10-20", "bipartite"),
        ("greater", "total_order"),
        ("grid-5x6", None),
        ("ring", None),
    ],
)
def test_relation_kind(name, kind):
    assert relation_kind(name) == kind
    R = relation_matrix(name)
    assert relation_kind(relation_content_key(R)) == kind


@pytest.mark.parametrize("name", ["mod3", "karate", "bipartite-5-25", "divides"])
def test_relation_statics_solve_eqs_4_and_5(name):
    st = relation_statics(name)
    N = st.n**2
    assert st.bits == pytest.approx(relation_bits(name))
    assert st.p_star == pytest.approx(relation_p_star(name))
    # Eq. (4): a fraction alpha is inferable at p_c; Eq. (5)'s bound reaches alpha at p_ub
    assert et.inferable_fraction(st.p_c * N, st.bits) == pytest.approx(st.alpha)
    assert et.f_upper_bound(st.p_ub * N, st.bits, st.p_star) == pytest.approx(st.alpha)
    assert 0 < st.p_ub < st.p_c


def test_guessing_alone_reaches_alpha_on_a_sparse_relation():
    st = relation_statics("tree-parent")  # 29 related pairs of 900: guessing "unrelated" is 96.8 % right
    assert st.p_ub == 0.0 and st.p_c > 0
    with pytest.raises(ValueError, match="alpha"):
        relation_statics("mod3", alpha=1.0)
