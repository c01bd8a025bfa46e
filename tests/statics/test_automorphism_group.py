"""The automorphism group itself: generators, orbits, canonical labelling and certificate.

Checked against pynauty and igraph (bliss) on every graph of networkx's atlas and on famous
graphs, and by brute force on small directed, looped, labelled, coloured graphs: the order is
``|Aut|``, the generators are automorphisms that generate a group of that order (Schreier-Sims),
the orbits are the engines' (or brute force's), and certificates agree exactly for isomorphic
graphs.
"""

import itertools
import math
from collections import Counter

import igraph
import networkx as nx
import numpy as np
import pynauty
import pytest

import effective_theory as et
from effective_theory import automorphism_group, schreier_sims_order
from effective_theory.statics.graph_description_length import description_length_report

ATLAS = nx.graph_atlas_g()


def _unweighted(G):
    """``G``'s structure alone (nodes in order, edges, no attributes)."""
    H = G.__class__()
    H.add_nodes_from(G.nodes())
    H.add_edges_from(G.edges())
    return H


def _famous():
    graphs = {
        "petersen": nx.petersen_graph(),
        "cube": nx.hypercube_graph(3),
        "dodecahedral": nx.dodecahedral_graph(),
        "icosahedral": nx.icosahedral_graph(),
        "karate": _unweighted(nx.karate_club_graph()),
        "florentine": nx.florentine_families_graph(),
        "les_miserables": _unweighted(nx.les_miserables_graph()),
        "davis": _unweighted(nx.davis_southern_women_graph()),
        "heawood": nx.heawood_graph(),
        "desargues": nx.desargues_graph(),
        "pappus": nx.pappus_graph(),
        "mcgee": nx.LCF_graph(24, [12, 7, -7], 8),
        "frucht": nx.frucht_graph(),
        "tutte": nx.tutte_graph(),
        "truncated_tetrahedron": nx.truncated_tetrahedron_graph(),
        "grid_4x5": nx.grid_2d_graph(4, 5),
        "K_3_4": nx.complete_bipartite_graph(3, 4),
        "wheel_9": nx.wheel_graph(9),
        "binary_tree_depth_4": nx.balanced_tree(2, 4),
        "circular_ladder_7": nx.circular_ladder_graph(7),
        "star_12": nx.star_graph(12),
    }
    return graphs


FAMOUS = _famous()


def _shuffled(G, seed):
    """An isomorphic copy: the same node names, permuted, inserted in a random order."""
    rng = np.random.default_rng(seed)
    nodes = list(G.nodes())
    image = dict(zip(nodes, [nodes[i] for i in rng.permutation(len(nodes))]))
    H = G.__class__()
    H.add_nodes_from(image[v] for v in [nodes[i] for i in rng.permutation(len(nodes))])
    edges = [(image[u], image[v]) for u, v in G.edges()]
    H.add_edges_from(edges[i] for i in rng.permutation(len(edges)))
    return H


def _is_automorphism(G, perm):
    """``perm`` (image form over ``G.nodes()``) maps the edge set of ``G`` onto itself."""
    image = dict(zip(G.nodes(), perm))
    if sorted(image.values(), key=repr) != sorted(G.nodes(), key=repr):
        return False
    return all(G.has_edge(image[u], image[v]) for u, v in G.edges())


def _partition(groups):
    return {frozenset(g) for g in groups}


def _igraph_orbits(G):
    """Orbits from bliss's generators (igraph), as sets of node names."""
    nodes = list(G.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges()])
    parent = list(range(len(nodes)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for g in ig.automorphism_group():
        for i, j in enumerate(g):
            parent[find(i)] = find(j)
    classes = {}
    for i, v in enumerate(nodes):
        classes.setdefault(find(i), set()).add(v)
    return _partition(classes.values()), ig.count_automorphisms()


def _pynauty_orbits(G):
    nodes = list(G.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    adjacency = {}
    for u, v in G.edges():
        adjacency.setdefault(index[u], []).append(index[v])
    if not nodes:
        return set()
    orbits = pynauty.autgrp(pynauty.Graph(len(nodes), adjacency_dict=adjacency))[3]
    classes = {}
    for v, o in zip(nodes, orbits):
        classes.setdefault(o, set()).add(v)
    return _partition(classes.values())


def _check_group(G, A):
    """Order, generators, orbits of ``A`` against igraph, pynauty and Schreier-Sims."""
    orbits, order = _igraph_orbits(G)
    assert A.order == order == et.automorphism_group_order(G)
    assert A.nodes == tuple(G.nodes())
    assert all(_is_automorphism(G, g) for g in A.generators)
    assert schreier_sims_order(A.permutations(), degree=A.n) == A.order
    assert _partition(A.orbits) == orbits == _pynauty_orbits(G)
    assert [o[0] for o in A.orbits] == sorted((o[0] for o in A.orbits), key=list(G.nodes()).index)
    assert sorted(A.canonical_labelling) == list(range(A.n))


# ---------------------------------------------------------------------------
# the atlas: every graph on at most 7 vertices
# ---------------------------------------------------------------------------
def test_atlas_against_igraph_and_pynauty():
    certificates = set()
    for k, G in enumerate(ATLAS):
        A = automorphism_group(G)
        _check_group(G, A)
        certificates.add(A.certificate)
        if k % 7 == 0:  # an isomorphic copy has the same certificate
            assert automorphism_group(_shuffled(G, k)).certificate == A.certificate
    # the atlas's graphs are pairwise non-isomorphic: every certificate differs
    assert len(certificates) == len(ATLAS)


@pytest.mark.parametrize("engine", ["nauty", "bliss"])
def test_atlas_both_engines(engine):
    """Each engine alone: the same groups, and certificates that tell every atlas graph apart."""
    certificates = set()
    for k, G in enumerate(ATLAS[::3]):
        A = automorphism_group(G, engine=engine)
        assert A.engine == (engine if A.n else "none")
        assert A.order == et.automorphism_group_order(G)
        assert schreier_sims_order(A.permutations(), degree=A.n) == A.order
        assert all(_is_automorphism(G, g) for g in A.generators)
        assert automorphism_group(_shuffled(G, k), engine=engine).certificate == A.certificate
        certificates.add(A.certificate)
    assert len(certificates) == len(ATLAS[::3])


# ---------------------------------------------------------------------------
# famous graphs
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FAMOUS))
def test_famous_graphs(name):
    G = FAMOUS[name]
    A = automorphism_group(G)
    _check_group(G, A)
    for seed in range(3):
        B = automorphism_group(_shuffled(G, seed))
        assert B.certificate == A.certificate and B.order == A.order
        # renumbered canonically, the two graphs are the same graph
        pa = dict(zip(A.nodes, A.canonical_labelling))
        pb = dict(zip(B.nodes, B.canonical_labelling))
        edges_a = sorted(tuple(sorted((pa[u], pa[v]))) for u, v in G.edges())
        H = _shuffled(G, seed)
        edges_b = sorted(tuple(sorted((pb[u], pb[v]))) for u, v in H.edges())
        assert edges_a == edges_b


def test_famous_graphs_certificates_differ():
    """Pairwise non-isomorphic graphs (checked by networkx), pairwise different certificates;
    among them cubic graphs on 20 (dodecahedral, desargues) and 24 vertices (mcgee, the
    truncated cube's relatives) that colour refinement cannot tell apart."""
    names = sorted(FAMOUS)
    for a, b in itertools.combinations(names, 2):
        assert not nx.is_isomorphic(FAMOUS[a], FAMOUS[b]), (a, b)
    certificates = {automorphism_group(FAMOUS[x]).certificate for x in names}
    assert len(certificates) == len(names)


def test_regular_graphs_certificate_iff_isomorphic():
    """Random 3-regular graphs on 10 vertices (many isomorphic pairs, all refinement-equivalent):
    equal certificates exactly for the pairs networkx finds isomorphic."""
    graphs = [nx.random_regular_graph(3, 10, seed=s) for s in range(25)]
    cert = [automorphism_group(G).certificate for G in graphs]
    for i, j in itertools.combinations(range(len(graphs)), 2):
        assert (cert[i] == cert[j]) == nx.is_isomorphic(graphs[i], graphs[j])


def test_strongly_regular_pair():
    """The 4x4 rook's graph and the Shrikhande graph: strongly regular with the same parameters
    (16, 6, 2, 2), not isomorphic; |Aut| 1152 and 192."""
    rook = nx.cartesian_product(nx.complete_graph(4), nx.complete_graph(4))
    shrikhande = nx.Graph()
    for a, b in itertools.product(range(4), repeat=2):
        for da, db in ((0, 1), (1, 0), (1, 1)):
            shrikhande.add_edge((a, b), ((a + da) % 4, (b + db) % 4))
    A, B = automorphism_group(rook), automorphism_group(shrikhande)
    assert (A.order, B.order) == (1152, 192)
    assert A.certificate != B.certificate
    _check_group(shrikhande, B)


# ---------------------------------------------------------------------------
# directed, looped, labelled, coloured: brute force
# ---------------------------------------------------------------------------
def _random_case(rng, n):
    m = int(rng.integers(0, 2 * n + 1))
    edges = rng.integers(0, n, size=(m, 2))
    labels = rng.integers(0, 2, size=m)
    colours = rng.integers(0, 2, size=n)
    return edges, labels, colours


def _arcs(edges, labels, directed, perm):
    c = Counter()
    for (a, b), lab in zip(edges.tolist(), labels.tolist()):
        a, b = perm[a], perm[b]
        if not directed and a > b:
            a, b = b, a
        c[(a, b, lab)] += 1
    return c


def _brute(n, edges, labels, colours, directed):
    """(order, orbits as sets) by trying every permutation."""
    base = _arcs(edges, labels, directed, range(n))
    auts = [
        p
        for p in itertools.permutations(range(n))
        if all(colours[i] == colours[p[i]] for i in range(n)) and _arcs(edges, labels, directed, p) == base
    ]
    orbits = {frozenset(p[i] for p in auts) for i in range(n)}
    return len(auts), orbits


def _brute_isomorphic(n, a, b, directed):
    (ea, la, ca), (eb, lb, cb) = a, b
    target = _arcs(eb, lb, directed, range(n))
    return any(
        all(ca[i] == cb[p[i]] for i in range(n)) and _arcs(ea, la, directed, p) == target
        for p in itertools.permutations(range(n))
    )


def _group(n, case, directed, engine):
    edges, labels, colours = case
    return automorphism_group(
        edges,
        n=n,
        directed=directed,
        edge_label=labels.tolist(),
        vertex_colors=colours.tolist(),
        engine=engine,
    )


@pytest.mark.parametrize("engine", ["auto", "nauty", "bliss"])
def test_labelled_looped_digraphs_against_brute_force(engine):
    rng = np.random.default_rng(7)
    for trial in range(40):
        n = int(rng.integers(1, 6))
        directed = bool(trial % 2)
        case = _random_case(rng, n)
        A = _group(n, case, directed, engine)
        order, orbits = _brute(n, *case, directed)
        assert A.order == order
        assert _partition(A.orbits) == orbits
        assert schreier_sims_order(A.permutations(), degree=n) == order
        base = _arcs(case[0], case[1], directed, range(n))
        for g in A.generators:
            assert _arcs(case[0], case[1], directed, g) == base
            assert all(case[2][i] == case[2][g[i]] for i in range(n))
        # a random relabelling: the same certificate
        p = rng.permutation(n)
        edges, labels, colours = case
        moved = (p[edges], labels, colours[np.argsort(p)])
        assert _group(n, moved, directed, engine).certificate == A.certificate
        # one change (an arc's end, a label, a colour): the same certificate iff still isomorphic
        changed = [edges.copy(), labels.copy(), colours.copy()]
        what = int(rng.integers(0, 3))
        if what == 0 and len(edges):
            changed[0][int(rng.integers(len(edges))), 1] = int(rng.integers(n))
        elif what == 1 and len(labels):
            changed[1][int(rng.integers(len(labels)))] ^= 1
        else:
            changed[2][int(rng.integers(n))] ^= 1
        same = _group(n, tuple(changed), directed, engine).certificate == A.certificate
        assert same == _brute_isomorphic(n, case, tuple(changed), directed)


def test_direction_loops_and_multiplicity_enter_the_certificate():
    def cert(G):
        return automorphism_group(G).certificate

    path = nx.DiGraph([(0, 1), (1, 2)])
    assert cert(path) == cert(nx.DiGraph([(2, 1), (1, 0)]))
    assert cert(path) != cert(nx.DiGraph([(0, 1), (2, 1)]))
    assert cert(path) != cert(nx.Graph([(0, 1), (1, 2)]))
    looped = nx.Graph([(0, 1), (1, 2), (0, 0)])
    assert cert(looped) == cert(nx.Graph([(2, 1), (1, 0), (2, 2)]))
    assert cert(looped) != cert(nx.Graph([(0, 1), (1, 2), (1, 1)]))
    double = nx.MultiGraph([(0, 1), (0, 1), (1, 2)])
    assert cert(double) != cert(nx.MultiGraph([(0, 1), (1, 2), (1, 2), (1, 2)]))
    assert cert(double) == cert(nx.MultiGraph([(2, 1), (1, 0), (1, 0)]))
    assert automorphism_group(nx.MultiGraph([(0, 1), (0, 1), (1, 2)])).order == 1


def test_colours_and_labels_by_value():
    """Equal Python values are one colour whatever their type; the certificate names the values."""
    G = nx.path_graph(3)
    assert automorphism_group(G, vertex_colors=[1, "x", True]).order == 2
    a = automorphism_group(G, vertex_colors=[1, "x", 1.0]).certificate
    assert a == automorphism_group(G, vertex_colors=[True, "x", 1]).certificate
    assert a != automorphism_group(G, vertex_colors=[2, "x", 2]).certificate
    assert a != automorphism_group(G, vertex_colors=[1, "y", 1]).certificate
    # the colour order of first appearance does not matter
    P = nx.path_graph(4)
    c1 = automorphism_group(P, vertex_colors=["red", "blue", "blue", "green"]).certificate
    c2 = automorphism_group(P, vertex_colors=["green", "blue", "blue", "red"]).certificate
    assert c1 == c2
    assert automorphism_group(P, vertex_colors=["red", "blue", "blue", "green"]).order == 1
    H = nx.cycle_graph(4)
    for i in range(4):
        H.edges[i, (i + 1) % 4]["rel"] = "ab"[i % 2]
    K = nx.relabel_nodes(H, {0: 1, 1: 2, 2: 3, 3: 0})
    assert automorphism_group(H, edge_label="rel").certificate == (
        automorphism_group(K, edge_label="rel").certificate
    )
    assert automorphism_group(H, edge_label="rel").order == 4


def test_inputs_and_node_names(tmp_path):
    """Files, matrices, edge tuples, igraph: generators over the input's own vertex names."""
    A = automorphism_group([("a", "b"), ("b", "c")])
    assert A.nodes == ("a", "b", "c") and A.generators == (("c", "b", "a"),)
    assert A.orbits == (("a", "c"), ("b",))
    path = tmp_path / "g.edgelist"
    path.write_text("x y\ny z\nz w\n")
    F = automorphism_group(str(path))
    assert F.nodes == ("x", "y", "z", "w") and F.generators == (("w", "z", "y", "x"),)
    M = automorphism_group(nx.to_numpy_array(nx.cycle_graph(5)))
    assert M.nodes == tuple(range(5)) and M.order == 10
    ig = automorphism_group(igraph.Graph.Famous("Petersen"))
    assert ig.order == 120 and ig.certificate == automorphism_group(nx.petersen_graph()).certificate
    R = automorphism_group(et.equal_mod(9, 3))
    assert R.directed and R.order == int(description_length_report(et.equal_mod(9, 3)).aut)
    empty = automorphism_group(nx.Graph())
    assert (empty.order, empty.generators, empty.orbits, empty.n) == (1, (), (), 0)
    assert automorphism_group(nx.empty_graph(3)).order == 6


def test_bad_input():
    with pytest.raises(ValueError, match="engine"):
        automorphism_group(nx.path_graph(3), engine="saucy")
    with pytest.raises(TypeError):
        automorphism_group(3.5)


# ---------------------------------------------------------------------------
# exact log2 |Aut| for powers of two
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [1, 2, 3, 4, 6])
def test_log2_exact_for_powers_of_two(depth):
    """A complete binary tree of depth d: |Aut| = 2^(2^d - 1), log2 exactly that integer."""
    T = nx.balanced_tree(2, depth)
    k = 2**depth - 1
    assert automorphism_group(T).order == 2**k
    assert automorphism_group(T).log2_order == k
    assert description_length_report(T).log2_aut == k
    assert description_length_report(nx.path_graph(2)).log2_aut == 1.0
    assert description_length_report(nx.Graph([(0, 1), (2, 3)])).log2_aut == 3.0  # 2 * 2 * 2!
    petersen = description_length_report(nx.petersen_graph())
    assert math.isclose(petersen.log2_aut, math.log2(120), rel_tol=1e-15)


def test_the_weight_rule_is_description_length_s():
    """A weighted graph is refused as description_length refuses it; weight=None ignores the
    weights and edge_label='weight' colours the edges, for networkx and igraph graphs alike."""
    G = nx.karate_club_graph()
    h = igraph.Graph.from_networkx(G)
    for graph in (G, h):
        with pytest.raises(ValueError, match="weight=None"):
            et.automorphism_group(graph)
        with pytest.raises(ValueError, match="weight=None"):
            et.description_length(graph)
        assert et.automorphism_group(graph, weight=None).order == 480
        assert et.automorphism_group(graph, edge_label="weight").order == int(
            description_length_report(graph, edge_label="weight").aut
        )
