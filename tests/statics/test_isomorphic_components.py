"""Isomorphic components grouped before the engines, and the engine choice.

|Aut(G)| = prod |Aut(C)|^k k! over the isomorphism classes C (k copies each): checked against the
unreduced bliss engine on random unions (colours, labels, loops, direction), against closed forms,
and on components that colour refinement cannot tell apart.
"""

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import effective_theory.statics.automorphisms.components as components
from effective_theory.statics.automorphisms.order import AutomorphismOrder, choose_engine
from effective_theory.statics.graph_description_length import description_length_report


def _random_union(seed):
    """A few random small components, each copied 1-5 times with random relabellings.

    Components are cycles with random chords and loops; a copy may have its arcs reversed (a
    different digraph unless the base is self-converse).  Colours and labels are drawn per base
    and carried to the copies, so copies are isomorphic and bases mostly are not.
    """
    rng = np.random.default_rng(seed)
    edges, labels, colours, n = [], [], [], 0
    for _ in range(int(rng.integers(1, 5))):
        s = int(rng.integers(3, 11))
        ring = np.stack([np.arange(s), (np.arange(s) + 1) % s], 1)
        e = np.concatenate([ring, rng.integers(0, s, size=(int(rng.integers(0, 4)), 2))])  # chords, loops
        lab = rng.integers(0, 2, size=len(e)) * int(rng.integers(0, 2))
        col = rng.integers(0, 2, size=s) * int(rng.integers(0, 2))
        for _copy in range(int(rng.integers(1, 6))):
            p = rng.permutation(s)
            ce = p[e] + n
            edges.append(ce[:, ::-1] if rng.random() < 0.3 else ce)
            labels.append(lab)
            c = np.empty(s, dtype=np.int64)
            c[p] = col
            colours.append(c)
            n += s
    q = rng.permutation(n)
    E = q[np.concatenate(edges)]
    C = np.empty(n, dtype=np.int64)
    C[q] = np.concatenate(colours)
    o = rng.permutation(len(E))
    return n, E[o], np.concatenate(labels)[o], C, rng


def _check_union(seed):
    n, E, L, C, rng = _random_union(seed)
    kw = dict(
        n=n,
        directed=bool(rng.integers(0, 2)),
        edge_label=L if rng.integers(0, 2) else None,
        vertex_colors=C if rng.integers(0, 2) else None,
    )
    grouped = description_length_report(E, **kw)
    raw = description_length_report(E, engine="bliss", reduce=False, **kw)
    assert int(grouped.aut) == int(raw.aut)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1))
def test_grouped_unions_agree_with_unreduced_bliss(seed):
    _check_union(seed)


@pytest.mark.parametrize("path", ["bliss certificates", "one representative per bucket"])
@settings(
    max_examples=25,
    deadline=None,
    # the patched constant is the same for every example
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(seed=st.integers(0, 2**32 - 1))
def test_every_classification_path_agrees(monkeypatch, path, seed):
    """The fallbacks (bliss canonical labelling; a bucket given up after one representative)."""
    if path == "bliss certificates":
        monkeypatch.setattr(components, "SEARCH_MAX_N", 0)
    else:
        monkeypatch.setattr(components, "MAX_REPRESENTATIVES", 1)
    _check_union(seed)


def _relabelled_union(graphs, seed):
    U = nx.disjoint_union_all(graphs)
    perm = np.random.default_rng(seed).permutation(U.number_of_nodes()).tolist()
    return nx.relabel_nodes(U, dict(zip(U.nodes(), perm)))


def test_components_that_refinement_cannot_separate():
    """The prism and K_{3,3} are both cubic on 6 vertices: one bucket, two classes (12 and 72)."""
    prism, k33 = nx.circular_ladder_graph(3), nx.complete_bipartite_graph(3, 3)
    a, b = 4, 3
    G = _relabelled_union([prism] * a + [k33] * b, seed=1)
    r = description_length_report(G)
    assert int(r.aut) == 12**a * math.factorial(a) * 72**b * math.factorial(b)
    # cubic graphs on 10 vertices (Petersen and random ones), and large components (bliss path)
    parts = [nx.petersen_graph()] * 3 + [nx.random_regular_graph(3, 10, seed=s) for s in range(4)] * 2
    parts += [nx.random_regular_graph(3, 80, seed=0)] * 2
    G = _relabelled_union(parts, seed=2)
    raw = description_length_report(G, engine="bliss", reduce=False)
    assert int(description_length_report(G).aut) == int(raw.aut)


@pytest.mark.parametrize("k", [2, 200, 3000])
def test_many_copies_closed_form(k):
    """k x C5: |Aut| = 10^k k!; the engine sees one C5."""
    c5 = np.stack([np.arange(5), (np.arange(5) + 1) % 5], axis=1)
    E = (c5[None] + (np.arange(k) * 5)[:, None, None]).reshape(-1, 2)
    E = np.random.default_rng(k).permutation(5 * k)[E]
    r = description_length_report(E, n=5 * k)
    assert int(r.aut) == 10**k * math.factorial(k)
    assert r.core_n == 5
    assert r.log10_aut == pytest.approx(k + math.lgamma(k + 1) / math.log(10), rel=1e-12)


def test_labelled_copies_and_their_mirror_images():
    """Copies of a labelled C6 merge; a copy with other labels stays apart."""
    G = nx.disjoint_union_all([nx.cycle_graph(6)] * 5)
    for c in range(5):
        for i in range(6):
            G.edges[6 * c + i, 6 * c + (i + 1) % 6]["w"] = i % 2 if c < 4 else int(i == 0)
    # four alternating C6 (|Aut| 6 each) and one with a single distinguished edge (|Aut| 2)
    assert int(description_length_report(G, edge_label="w").aut) == 6**4 * math.factorial(4) * 2


def test_factorised_order_with_powers():
    order = AutomorphismOrder(factorials=((3, 2),), core=5, powers=((10, 4), (7, 1)))
    exact = 5 * 10**4 * 7 * math.factorial(3) ** 2
    assert int(order) == exact
    assert order.log10 == pytest.approx(math.log10(exact), rel=1e-12)


def test_engine_choice_by_cost():
    """nauty only for dense encodings of at most 2000 vertices; the size is the encoded size."""
    assert choose_engine(100, 100 * 99 // 2 // 2) == "nauty"  # half of the pairs
    assert choose_engine(100, 300) == "bliss"  # sparse
    assert choose_engine(5000, 5000 * 4999 // 4) == "bliss"  # dense but large
    paley = nx.paley_graph(101).to_undirected()
    paley.remove_edges_from(nx.selfloop_edges(paley))
    r = description_length_report(paley, reduce=False)
    assert (r.engine, int(r.aut)) == ("nauty", 101 * 50)
    # dense with a huge group: nauty would need many runs, auto hands the core to bliss
    r = description_length_report(nx.complete_bipartite_graph(30, 31), reduce=False)
    assert (r.engine, int(r.aut)) == ("bliss", math.factorial(30) * math.factorial(31))
    # 160 labelled C6 unreduced: 960 vertices but sparse, so bliss (nauty's loop took ~60 s)
    G = nx.disjoint_union_all([nx.cycle_graph(6)] * 160)
    for c in range(160):
        for i in range(6):
            G.edges[6 * c + i, 6 * c + (i + 1) % 6]["w"] = i % 2
    r = description_length_report(G, edge_label="w", reduce=False)
    assert (r.engine, int(r.aut)) == ("bliss", 6**160 * math.factorial(160))


def test_time_limit_covers_grouped_engine_calls():
    G = _relabelled_union([nx.random_regular_graph(3, 2000, seed=3)] * 2 + [nx.petersen_graph()] * 3, seed=4)
    with pytest.raises(TimeoutError, match="engine did not finish"):
        description_length_report(G, engine="nauty", time_limit=1.0)
    r = description_length_report(G, time_limit=60)
    assert int(r.aut) == 2 * 120**3 * math.factorial(3)
