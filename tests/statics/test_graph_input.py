"""Graph input: reading files without guessing, labels and colours as Python values."""

import bz2
import gzip
import json
import lzma
import math
import re

import igraph
import networkx as nx
import numpy as np
import pytest
import scipy.io
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import effective_theory as et

KARATE_AUT = 480


@pytest.fixture
def weighted_karate():
    """networkx's karate club, whose edges carry the weights 1..7."""
    return nx.karate_club_graph()


@pytest.fixture
def karate(weighted_karate):
    """The karate club without its weights (the graph of Zachary's edges)."""
    for _, _, d in weighted_karate.edges(data=True):
        del d["weight"]
    return weighted_karate


def _aut(x, **kw):
    return et.automorphism_group_order(x, **kw)


# ---------------------------------------------------------------------------
# read_graph: formats, detection, ambiguity
# ---------------------------------------------------------------------------
def _dimacs(G, *, both_ways=False) -> str:
    """``G`` (nodes 0..n-1) as a DIMACS graph; ``both_ways`` lists every edge as ``e u v`` and
    ``e v u`` and counts both, as some colouring benchmarks do."""
    pairs = [(u, v) for u, v in G.edges()] + ([(v, u) for u, v in G.edges()] if both_ways else [])
    return f"c written by the tests\np edge {G.number_of_nodes()} {len(pairs)}\n" + "".join(
        f"e {u + 1} {v + 1}\n" for u, v in pairs
    )


def _writers(G):
    A = nx.to_numpy_array(G, weight=None, dtype=int)
    edges = "".join(f"{u} {v}\n" for u, v in G.edges())
    return {
        "g.edgelist": lambda p: p.write_text(edges),
        "g.tsv": lambda p: p.write_text("# comment\n" + edges.replace(" ", "\t")),
        "g_head.csv": lambda p: p.write_text("source,target\n" + edges.replace(" ", ",")),
        "g_names.csv": lambda p: p.write_text("from;to\n" + "".join(f"n{u};n{v}\n" for u, v in G.edges())),
        "g_adj.txt": lambda p: np.savetxt(p, A, fmt="%d"),
        "g_adj.csv": lambda p: np.savetxt(p, A, fmt="%d", delimiter=","),
        "g_float.txt": lambda p: np.savetxt(p, A.astype(float)),  # savetxt's default %.18e
        "g_pandas.csv": lambda p: p.write_text(
            "," + ",".join(map(str, G)) + "\n" + "".join(f"{u}," + ",".join(map(str, A[u])) + "\n" for u in G)
        ),
        "g.adjlist": lambda p: nx.write_adjlist(G, p),
        "g.graphml": lambda p: nx.write_graphml(G, p),
        "g.gml": lambda p: nx.write_gml(G, p),
        "g.net": lambda p: nx.write_pajek(G, p),
        "g.json": lambda p: p.write_text(json.dumps(nx.node_link_data(G))),
        "g_links.json": lambda p: p.write_text(json.dumps(nx.node_link_data(G, edges="links"))),
        "g.npy": lambda p: np.save(p, A),
        "g.npz": lambda p: np.savez(p, A),
        "g_sparse.npz": lambda p: sp.save_npz(p, sp.csr_matrix(A)),
        "g.mtx": lambda p: scipy.io.mmwrite(p, sp.coo_matrix(A)),
        "g_sym.mtx": lambda p: scipy.io.mmwrite(p, sp.coo_matrix(A), symmetry="symmetric"),
        "g.col": lambda p: p.write_text(_dimacs(G)),
        "g_both.clq": lambda p: p.write_text(_dimacs(G, both_ways=True)),
    }


def test_every_format_reads_the_same_graph(tmp_path, karate):
    for name, write in _writers(karate).items():
        path = tmp_path / name
        write(path)
        E = et.read_graph(path)
        assert isinstance(E, et.EdgeList), name
        assert (E.n, E.num_edges, E.directed) == (34, 78, False), name
        assert _aut(E) == KARATE_AUT, name
        assert et.description_length(path) == et.description_length(karate), name  # a path is an input


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_files_are_read_transparently(tmp_path, karate, compress):
    for name, write in _writers(karate).items():
        plain = tmp_path / name
        write(plain)
        suffix = {gzip.compress: ".gz", bz2.compress: ".bz2", lzma.compress: ".xz"}[compress]
        packed = tmp_path / (name + suffix)
        packed.write_bytes(compress(plain.read_bytes()))
        assert _aut(str(packed)) == KARATE_AUT, packed.name


def test_read_graph_keeps_labels_colours_and_names(tmp_path):
    G = nx.cycle_graph(4)
    nx.set_edge_attributes(G, {(0, 1): "x", (1, 2): "y", (2, 3): "x", (0, 3): "y"}, "rel")
    nx.set_node_attributes(G, {0: "a", 1: "b", 2: "a", 3: "b"}, "kind")
    nx.write_graphml(G, tmp_path / "c.graphml")
    E = et.read_graph(tmp_path / "c.graphml", labels="rel", vertex_colors="kind")
    assert E.nodes == ("0", "1", "2", "3") and sorted(E.labels) == ["x", "x", "y", "y"]
    assert list(E.vertex_colors) == ["a", "b", "a", "b"]
    assert _aut(E) == _aut(G, edge_label="rel", vertex_colors="kind") == 2
    assert _aut(E.to_networkx(), edge_label="label", vertex_colors="color") == 2
    with pytest.raises(TypeError, match="already"):
        _aut(E, vertex_colors=[0, 0, 0, 0])


def test_edge_list_label_column_by_number_or_header_name(tmp_path):
    (tmp_path / "r.tsv").write_text("head\ttail\trelation\na\tb\tr\nb\tc\tr\nc\ta\ts\n")
    by_name = et.read_graph(tmp_path / "r.tsv", directed=True, labels="relation")
    by_col = et.read_graph(tmp_path / "r.tsv", directed=True, labels=3)
    assert list(by_name.labels) == list(by_col.labels) == ["r", "r", "s"]
    assert _aut(by_name) == 1 and _aut(et.read_graph(tmp_path / "r.tsv", directed=True)) == 3
    with pytest.raises(ValueError, match="no column 'nosuch'"):
        et.read_graph(tmp_path / "r.tsv", labels="nosuch")
    (tmp_path / "partial.txt").write_text("a b r\nb c\nc a s\n")
    with pytest.raises(ValueError, match="line 2"):
        et.read_graph(tmp_path / "partial.txt", labels=3)
    E = et.read_graph(tmp_path / "partial.txt", labels=3, format="edgelist", default="r")
    assert list(E.labels) == ["r", "r", "s"]


def test_header_detection_can_be_overridden(tmp_path):
    (tmp_path / "h.txt").write_text("alice bob\nbob carol\ncarol alice\nalice dave\n")
    assert et.read_graph(tmp_path / "h.txt").n == 4  # names everywhere: no header
    assert et.read_graph(tmp_path / "h.txt", header=True).num_edges == 3
    (tmp_path / "n.csv").write_text("u,v\n0,1\n1,2\n")
    assert et.read_graph(tmp_path / "n.csv").num_edges == 2
    assert et.read_graph(tmp_path / "n.csv", header=False, format="edgelist").num_edges == 3


@pytest.mark.parametrize(
    "text, match",
    [
        ("0 1\n1 0\n", "2 x 2 adjacency matrix or 2 edges"),
        ("0 1 2.5\n1 2 0.5\n2 0 1.5\n", "3 x 3 weighted adjacency matrix or 3 edges"),
        ("1 2\n3\n", "line 2"),  # an adjacency list or a broken edge list
        ("1 2 x\n3 4\n", "format='adjlist'"),
    ],
)
def test_ambiguous_text_is_refused_naming_the_choices(tmp_path, text, match):
    path = tmp_path / "g.txt"
    path.write_text(text)
    with pytest.raises(et.ParameterError, match=match) as info:
        et.read_graph(path)
    assert isinstance(info.value, ValueError) and info.value.parameter == "format"
    assert "format='" in str(info.value) and "\n" not in str(info.value)
    assert "--" not in str(info.value)  # the API names its parameters, not the command line's flags


@pytest.mark.parametrize(
    "name, content, kwargs, parameter, text",
    [
        ("two.txt", "0 1\n1 0\n", {}, "format", "say which with format='matrix', format='edgelist'"),
        ("g.xyz", "0 1\n", {}, "format", "(format=), or use a known suffix"),
        ("g.gml", "<graphml></graphml>", {}, "format", "pass format='graphml' if the content is right"),
        ("g.txt", "0 1\n", {"format": "graphml"}, "format", "format='graphml', but the content is not"),
        ("g.txt", "0 1\n1 2\n", {"labels": "x"}, "labels", "for an edge list, labels= is a column number"),
        (
            "m.txt",
            "0 1 1\n1 0 1\n1 1 0\n",
            {"format": "matrix", "labels": 3},
            "labels",
            "no edge labels but its entries (labels='weight')",
        ),
        (
            "g.txt",
            "a b\nb c\n",
            {"vertex_colors": "kind"},
            "vertex_colors",
            "node attributes for vertex_colors=",
        ),
        (
            "w.txt",
            "0 2 1\n2 0 1\n1 1 0\n",
            {"format": "matrix"},
            "weight",
            "pass weight=None to ignore the weights",
        ),
        ("p.txt", "a b r\nb c\n", {"labels": 3, "format": "edgelist"}, "default", "(pass default= to give"),
    ],
)
def test_file_errors_name_the_keyword_parameter(tmp_path, name, content, kwargs, parameter, text):
    """A file that a keyword parameter would fix raises a ParameterError (a ValueError) naming it."""
    (tmp_path / name).write_text(content)
    with pytest.raises(ValueError) as info:
        et.read_graph(tmp_path / name, **kwargs)
    assert isinstance(info.value, et.ParameterError) and info.value.parameter == parameter
    assert text in str(info.value) and "--" not in str(info.value) and "geneft" not in str(info.value)


def test_format_says_what_the_content_cannot(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("0 1\n1 0\n")
    assert et.read_graph(path, format="matrix").num_edges == 1
    assert et.read_graph(path, format="edgelist").num_edges == 2
    path.write_text("1 2\n3\n")
    E = et.read_graph(path, format="adjlist")
    assert (E.n, E.num_edges) == (3, 1)
    path.write_text("0 1 2.5\n1 2 0.5\n2 0 1.5\n")
    assert _aut(et.read_graph(path, format="edgelist", weight=None)) == 6  # a triangle
    with pytest.raises(et.ParameterError, match="line 1: the edge 0 1 has weight 2.5") as info:
        et.read_graph(path, format="edgelist")  # a third column of numbers: weights, never ignored
    assert info.value.parameter == "weight" and "labels=3" in str(info.value)
    with pytest.raises(ValueError, match="weighted"):
        et.read_graph(path, format="matrix")


@pytest.mark.parametrize("name", ["k.adjlist", "k.txt", "k.edgelist"])
def test_multiline_adjacency_lists_are_detected_and_read(tmp_path, weighted_karate, name):
    """``nx.write_multiline_adjlist(nx.karate_club_graph(), f)``: a line ``u d`` then ``d``
    neighbour lines ending in a data dict; read as that, never as an edge list whose dict
    fragments become vertices."""
    path = tmp_path / name
    nx.write_multiline_adjlist(weighted_karate, path)
    E = et.read_graph(path, weight=None)
    assert (E.n, E.num_edges, E.directed, _aut(E)) == (34, 78, False, KARATE_AUT)
    assert {frozenset(map(int, map(E.nodes.__getitem__, e))) for e in E.edges.tolist()} == {
        frozenset(e) for e in weighted_karate.edges()
    }
    with pytest.raises(et.ParameterError, match="has weight") as info:
        et.read_graph(path)  # karate's weights, never ignored silently
    assert info.value.parameter == "weight" and "\n" not in str(info.value)
    labelled = et.read_graph(path, labels="weight")
    assert sorted(labelled.labels) == sorted(w for _, _, w in weighted_karate.edges(data="weight"))
    assert _aut(labelled) == _aut(weighted_karate, edge_label="weight")
    assert et.read_graph(path, format="multiline_adjlist", weight=None).num_edges == 78


def test_multiline_adjacency_list_without_data_and_directed(tmp_path):
    path = tmp_path / "p.adjlist"
    nx.write_multiline_adjlist(nx.path_graph(5), path)  # 0 1 / 1 / 1 1 / 2 / ...: no dicts
    E = et.read_graph(path)
    assert (E.n, E.num_edges, _aut(E)) == (5, 4, 2)
    D = nx.DiGraph([(0, 1), (1, 2), (2, 0), (0, 3)])
    nx.write_multiline_adjlist(D, path)
    E = et.read_graph(path, directed=True)
    assert (E.n, E.num_edges, E.directed) == (4, 4, True) and _aut(E) == _aut(D) == 1
    nx.write_adjlist(nx.path_graph(5), path)  # the plain format is still the plain format
    assert (et.read_graph(path).n, et.read_graph(path).num_edges) == (5, 4)
    path.write_text("0 2\n1\n2\n")  # a plain list: 0-2 and an isolated 1, not 0-1 and 0-2
    assert (et.read_graph(path).n, et.read_graph(path).num_edges) == (3, 1)
    assert et.read_graph(path, format="multiline_adjlist").num_edges == 2


def test_networkx_edge_data_is_read_and_weights_are_never_ignored(tmp_path, weighted_karate):
    path = tmp_path / "k.edgelist"
    nx.write_edgelist(weighted_karate, path)  # 0 1 {'weight': 4}
    with pytest.raises(et.ParameterError, match="line 1: the edge 0 1 has weight 4"):
        et.read_graph(path)
    assert _aut(et.read_graph(path, weight=None)) == KARATE_AUT
    assert _aut(et.read_graph(path, labels="weight")) == _aut(weighted_karate, edge_label="weight")
    nx.write_edgelist(nx.cycle_graph(4), path)  # 0 1 {}: no data
    assert _aut(et.read_graph(path)) == 8


@pytest.mark.parametrize(
    "name, text, match",
    [
        ("g.txt", "0 1\n1 {'weight':\n", "line 2: \"{'weight':\" is not a node name"),
        ("g.txt", "0 1 }\n1 2\n", "line 1: '}' is not a node name"),
        ("g.txt", "0 1 {'w': 1} x\n", "is not a node name"),
        ("g.txt", "0 1 2 {'weight': 1}\n", "an attribute dict after 3 entries"),
        ("g.txt", "0 1\n{'weight': 1}\n", "without the nodes"),
        ("g.adjlist", "0 1 2 {'weight': 1}\n", "which an adjacency list cannot have"),
        ("g.txt", "0 1 {'weight': [1]}\n", "not hashable"),
    ],
)
def test_dict_fragments_are_refused_in_one_line(tmp_path, name, text, match):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises((ValueError, TypeError), match=re.escape(match) if "{" in match else match) as info:
        et.read_graph(path, labels="weight" if "[1]" in text else None)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    "name, content",
    [
        ("h.csv", b"source,target\n"),  # a header and nothing under it
        ("e.txt", b""),
        ("c.txt", b"# only a comment\n"),
        ("t.net", b"*Network cut short\n"),
        ("v.net", b"*Vertices 0\n"),
        ("e.mtx", b""),
        ("z.mtx", b"%%MatrixMarket matrix coordinate pattern general\n0 0 0\n"),
        ("e.json", b'{"nodes": [], "links": []}'),
        ("e.graphml", b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph/></graphml>'),
        ("e.col", b"p edge 0 0\n"),
        ("e.txt.gz", gzip.compress(b"  \n")),
    ],
)
def test_no_vertices_is_one_error_for_every_format(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValueError) as info:
        et.read_graph(path)
    assert (
        str(info.value)
        == f"{path}: no vertices (n = 0): the file is empty, holds only a header or is truncated"
    )


@pytest.mark.parametrize(
    "content, match",
    [
        ("*Vertices\n1 a\n", "line 1: expected '*Vertices N'"),
        ("*Vertices 3\n1 a\n", "line 1: 3 vertices declared but only 1 line(s) follow"),
        ("*Vertices 2\n1 a\n2\n", "line 3: a vertex line needs 'id label'"),
        ("*Vertices 2\n1 a\n2 a\n", "line 3: the vertex label 'a' is also on line 2"),
        ("*Vertices 2\n1 a\n2 b\n*Edges\n1\n", "line 5: an edge line needs two vertices"),
        ("*Vertices 2\n1 a\n2 b\n*Edges\n1 3\n", "line 5: vertex '3' is not among the *Vertices"),
        ("*Vertices 2\n1 a\n2 b\n*Edges\n1 2\n*Arcs\n2 1\n", "line 6: '*Arcs' after *Edges"),
        ('*Vertices 2\n1 "a\n2 b\n', "line 2: No closing quotation"),
        ("*Vertices 2\n1 a\n2 b\nEdges\n1 2\n", "line 4: expected a section line"),
        ("*Vertices 2\n1 a\n2 b\n*Matrix\n0 1\n1\n", "line 6: a *Matrix of 2 vertices"),
    ],
)
def test_malformed_pajek_is_refused_naming_the_line(tmp_path, content, match):
    path = tmp_path / "g.net"
    path.write_text(content)
    with pytest.raises(ValueError, match=re.escape(match)) as info:
        et.read_graph(path)
    assert str(info.value).startswith(f"{path}: ") and "\n" not in str(info.value)
    assert "unpack" not in str(info.value)


def test_pajek_comments_among_edges_are_not_edges(tmp_path):
    path = tmp_path / "g.net"
    path.write_text("*Vertices 3\n1 a\n2 b\n3 c\n*Edges\n% a comment\n1 2\n\n2 3\n")
    E = et.read_graph(path)
    assert (E.n, E.num_edges) == (3, 2)


@pytest.mark.parametrize(
    "obj, match",
    [
        ({"nodes": [1, 2], "links": []}, r"nodes\[0\] is 1, not an object"),
        ({"nodes": [{"id": 0}], "links": [1]}, r"links\[0\] is 1, not an object with 'source' and 'target'"),
        ({"nodes": [{"id": "a"}, {"id": "b"}], "links": [{"source": 0, "target": 1}]}, "the source 0 is not"),
        ({"nodes": [{"id": {"x": 1}}], "links": []}, "cannot name a node"),
        ({"nodes": [{"id": 1}, {"id": 1}], "links": []}, "the id 1 is repeated"),
        ({"nodes": [], "edges": {}}, "'edges' is {}, not a list"),
        ({"nodes": [{"id": 1}], "links": [], "directed": "yes"}, "'directed' is \"yes\""),
        ({"edges": []}, "expected an object with a list 'nodes'"),
    ],
)
def test_malformed_node_link_json_is_refused_naming_the_problem(tmp_path, obj, match):
    path = tmp_path / "g.json"
    path.write_text(json.dumps(obj))
    with pytest.raises(ValueError, match=match) as info:
        et.read_graph(path)
    assert str(info.value).startswith(f"{path}: node-link JSON: ") and "object has no attribute" not in str(
        info.value
    )


@pytest.mark.parametrize("prolog", [9000, 3 * 2**20])
def test_graphml_after_a_long_prolog(tmp_path, prolog):
    """Valid GraphML whose ``<graphml`` element comes after a long comment: read by its content
    when within the first MiB, and with ``format="graphml"`` wherever it is."""
    path = tmp_path / "g.graphml"
    G = nx.petersen_graph()
    text = "".join(nx.generate_graphml(G))
    head, body = text.split("\n", 1) if text.startswith("<?xml") else ("", text)
    path.write_text(head + "\n<!-- " + "x" * prolog + " -->\n" + body)
    assert _aut(et.read_graph(path, format="graphml")) == 120
    if prolog < 2**20:
        assert _aut(et.read_graph(path)) == 120
    else:
        with pytest.raises(ValueError, match="XML that is not GraphML"):
            et.read_graph(path)


@pytest.mark.parametrize(
    "name, content, match",
    [
        ("g.xyz", "C 0.0 1.2 3.4\n", "unknown graph file type"),
        ("g", "0 1\n", "unknown graph file type"),
        ("g.graphml", "0 1\n1 2\n", "the suffix says graphml"),
        ("g.mtx", "0 1\n1 2\n", "the suffix says mtx"),
        ("g.gml", "<?xml version='1.0'?><graphml></graphml>", "says gml but the content is graphml"),
        ("g.txt.gz", "0 1\n", "not compressed"),
        ("g.txt", "", "empty"),
    ],
)
def test_suffix_and_content_must_agree(tmp_path, name, content, match):
    (tmp_path / name).write_text(content)
    with pytest.raises(ValueError, match=match):
        et.read_graph(tmp_path / name)


def test_unknown_suffix_with_format_or_magic(tmp_path, karate):
    (tmp_path / "karate").write_text("".join(f"{u} {v}\n" for u, v in karate.edges()))
    assert _aut(et.read_graph(tmp_path / "karate", format="edgelist")) == KARATE_AUT
    np.save(tmp_path / "a.npy", nx.to_numpy_array(karate, weight=None))
    (tmp_path / "a.npy").rename(tmp_path / "matrix.bin")
    assert _aut(et.read_graph(tmp_path / "matrix.bin")) == KARATE_AUT  # the .npy magic says it


def test_matrix_files_are_undirected_when_symmetric(tmp_path):
    A = np.zeros((4, 4), dtype=int)
    A[0, 1] = A[1, 2] = A[2, 3] = 1  # a directed path
    np.save(tmp_path / "d.npy", A)
    E = et.read_graph(tmp_path / "d.npy")
    assert E.directed and E.num_edges == 3 and _aut(E) == 1
    np.save(tmp_path / "u.npy", A + A.T)
    E = et.read_graph(tmp_path / "u.npy")
    assert not E.directed and E.num_edges == 3 and _aut(E) == 2
    E = et.read_graph(tmp_path / "u.npy", directed=True)
    assert E.directed and E.num_edges == 6 and _aut(E) == 2


def test_npy_edge_array_is_not_guessed(tmp_path):
    np.save(tmp_path / "e.npy", np.array([[0, 1], [1, 2], [2, 0]]))
    with pytest.raises(ValueError, match="edge array"):
        et.read_graph(tmp_path / "e.npy")
    np.savez(tmp_path / "two.npz", a=np.eye(3), b=np.eye(3))
    with pytest.raises(ValueError, match="2 arrays"):
        et.read_graph(tmp_path / "two.npz")


# ---------------------------------------------------------------------------
# weights
# ---------------------------------------------------------------------------
def test_weighted_matrices_need_weight_none(weighted_karate):
    W = nx.to_numpy_array(weighted_karate)  # networkx's default: the weights 1..7
    by_weight = _aut(weighted_karate, edge_label="weight")
    for M in (W, sp.csr_matrix(W)):
        with pytest.raises(ValueError, match=r"entry \(0, 1\) has weight 4\.0; .*: pass weight=None"):
            _aut(M)
        assert _aut(M, weight=None) == KARATE_AUT
        assert _aut(M, edge_label="weight") == by_weight < KARATE_AUT  # the entries as edge colours
    with pytest.raises(ValueError, match="weight must be"):
        _aut(W, weight="w")


def _weighted_inputs(G, tmp_path):
    """The weighted graph ``G`` (nodes 0..n-1) as every input that can carry its weights."""
    W = nx.to_numpy_array(G)
    ig = igraph.Graph(n=G.number_of_nodes(), edges=list(G.edges()))
    ig.es["weight"] = [w for _, _, w in G.edges(data="weight")]
    files = {
        "w.graphml": lambda p: nx.write_graphml(G, p),
        "w.gml": lambda p: nx.write_gml(G, p),
        "w.json": lambda p: p.write_text(json.dumps(nx.node_link_data(G))),
        "w.edgelist": lambda p: nx.write_edgelist(G, p),
        "w3.edgelist": lambda p: nx.write_weighted_edgelist(G, p),  # u v w
        "w.adjlist": lambda p: nx.write_multiline_adjlist(G, p),
        "w.mtx": lambda p: scipy.io.mmwrite(p, sp.coo_matrix(W)),
        "w.npy": lambda p: np.save(p, W),
        "w.txt": lambda p: np.savetxt(p, W, fmt="%g"),
    }
    inputs = {"networkx": G, "igraph": ig, "numpy": W, "scipy": sp.csr_matrix(W)}
    for name, write in files.items():
        write(tmp_path / name)
        inputs[name] = tmp_path / name
    return inputs


def test_one_weight_rule_for_every_input(tmp_path, weighted_karate):
    """A weight other than 1 is refused in one line by every input type, which names both ways on
    (``weight=None``, ``edge_label="weight"``); each way gives the same answer for every input."""
    by_weight = _aut(weighted_karate, edge_label="weight")
    for name, G in _weighted_inputs(weighted_karate, tmp_path).items():
        with pytest.raises(et.ParameterError, match="has weight") as info:
            _aut(G)
        message = str(info.value)
        assert info.value.parameter == "weight" and "\n" not in message, name
        assert "weight=None" in message and "edge_label=" in message and "labels=" not in message, name
        assert _aut(G, weight=None) == KARATE_AUT, name
        column = name == "w3.edgelist"  # the weights of a u v w edge list are its third column
        assert _aut(G, edge_label=3 if column else "weight") == by_weight, name
        if isinstance(G, type(tmp_path)):
            with pytest.raises(et.ParameterError, match="labels=3" if column else "labels='weight'"):
                et.read_graph(G)  # read_graph names its own parameter


def test_weights_of_one_are_no_weights(tmp_path):
    G = nx.cycle_graph(5)
    nx.set_edge_attributes(G, 1, "weight")
    for name, H in _weighted_inputs(G, tmp_path).items():
        assert _aut(H) == 10, name


def test_les_miserables_weights_are_refused_then_counted_either_way():
    G = nx.convert_node_labels_to_integers(nx.les_miserables_graph())
    with pytest.raises(et.ParameterError, match="weight=None"):
        et.automorphism_group_order(G)
    plain = nx.Graph(G.edges())
    plain.add_nodes_from(G)
    assert et.automorphism_group_order(G, weight=None) == et.automorphism_group_order(plain)
    assert et.automorphism_group_order(G, edge_label="weight") < et.automorphism_group_order(plain)


# ---------------------------------------------------------------------------
# the Python API: edge tuples, paths, messages
# ---------------------------------------------------------------------------
def test_list_of_edge_tuples_with_any_node_names(karate):
    assert _aut(list(karate.edges())) == KARATE_AUT
    assert _aut([("a", "b"), ("b", "c")]) == 2
    assert _aut([("a", "b"), ("b", "c")], directed=True) == 1
    assert _aut([(0, 1), (1, 2)], edge_label=["x", "y"]) == 1
    assert _aut([(0, 1), (1, 2)], vertex_colors={0: "r", 1: "g", 2: "r"}) == 2
    assert _aut([(0, 1), (5, 6)]) == 8  # nodes are the names that occur, as in nx.Graph(edges)
    assert _aut([(0, 1), (5, 6)], n=7) == 8 * math.factorial(3)  # with n=, ids 0..n-1


def test_edge_array_without_n_says_to_pass_it():
    with pytest.raises(ValueError, match=r"pass n= .*e\.g\. n=4"):
        _aut(np.array([[0, 1], [1, 2], [2, 3]]))
    with pytest.raises(ValueError, match="pass n=.*tuples"):
        _aut([[0, 1], [1, 2], [2, 3]])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: _aut(np.array([[0, 4.0], [1, 0]])), "has weight 4.0;"),
        (lambda: _aut(np.array([[0, 2], [1, 0]], dtype=np.int64)), "has weight 2;"),
        (lambda: et.description_length(nx.path_graph(3), time_limit=np.float64(-4.0)), "got -4.0"),
        (lambda: et.from_edges([[0, 1]], n=np.float64(4.0)), "got 4.0"),
    ],
)
def test_errors_carry_no_numpy_reprs(call, match):
    with pytest.raises((ValueError, TypeError), match=match) as info:
        call()
    assert "np." not in str(info.value) and "array(" not in str(info.value)


def test_zero_dimensional_time_limit_is_a_number():
    assert _aut(nx.petersen_graph(), time_limit=np.array(60.0)) == 120


# ---------------------------------------------------------------------------
# labels and colours as Python values, NaN, partial attributes
# ---------------------------------------------------------------------------
def _labelled_path_inputs(labels):
    """The path 0-1-2 with edge labels ``labels``, once per input path that takes labels."""
    G = nx.Graph()
    G.add_edge(0, 1, r=labels[0])
    G.add_edge(1, 2, r=labels[1])
    g = igraph.Graph([(0, 1), (1, 2)])
    g.es["r"] = list(labels)
    E = np.array([[0, 1], [1, 2]])
    return {
        "networkx": (G, {"edge_label": "r"}),
        "igraph": (g, {"edge_label": "r"}),
        "edge array": (E, {"n": 3, "edge_label": list(labels)}),
        "edge array, object labels": (E, {"n": 3, "edge_label": np.array(labels, dtype=object)}),
        "EdgeList": (et.from_edges(E, 3, labels=list(labels)), {}),
        "edge tuples": ([(0, 1), (1, 2)], {"edge_label": list(labels)}),
    }


@pytest.mark.parametrize(
    "labels, order",
    [([1, "1"], 1), ([1, 1.0], 2), ([True, 1], 2), ([0, False], 2), (["a", "a"], 2), ([(1, 2), (1, 2)], 2)],
    ids=["1 vs '1'", "1 vs 1.0", "True vs 1", "0 vs False", "equal strings", "tuples"],
)
def test_labels_compare_as_python_values_on_every_path(labels, order):
    for name, (x, kw) in _labelled_path_inputs(labels).items():
        if name == "edge array, object labels" and isinstance(labels[0], tuple):
            continue  # np.array of tuples is a 2-D array, not a list of tuple labels
        assert _aut(x, **kw) == order, name


@pytest.mark.parametrize(
    "colours, order",
    [([1, "1", 1], 2), ([1, 1.0, True], 6), (["a", "b", "a"], 2)],
)
def test_colours_compare_as_python_values_on_every_path(colours, order):
    G = nx.complete_graph(3)
    nx.set_node_attributes(G, dict(enumerate(colours)), "c")
    g = igraph.Graph.Full(3)
    g.vs["c"] = list(colours)
    inputs = [
        (G, "c"),
        (g, "c"),
        (G, list(colours)),
        (G, dict(enumerate(colours))),
        (np.ones((3, 3)) - np.eye(3), list(colours)),
        (np.ones((3, 3)) - np.eye(3), np.array(colours, dtype=object)),
        (et.from_edges([[0, 1], [1, 2], [0, 2]], 3, vertex_colors=list(colours)), None),
    ]
    for x, vc in inputs:
        assert _aut(x, vertex_colors=vc) == order, (type(x).__name__, vc)


def test_nan_is_refused_on_every_path():
    nan, other_nan = float("nan"), float("nan")
    cases = [
        dict(x=nx.path_graph(3), vertex_colors=[nan, 1, other_nan]),
        dict(x=nx.path_graph(3), vertex_colors=[nan, 1, nan]),
        dict(x=nx.path_graph(3), vertex_colors=np.array([np.nan, 1, 2])),
        dict(x=nx.path_graph(3), vertex_colors={0: nan, 1: 1, 2: 1}),
        dict(x=np.array([[0, 1], [1, 2]]), n=3, edge_label=[nan, 1]),
        dict(x=np.array([[0, 1], [1, 2]]), n=3, edge_label=np.array([np.nan, 1.0])),
        dict(x=[(0, 1), (1, 2)], edge_label=[1, nan]),
        dict(x=[(0, nan)]),
        dict(x=nx.path_graph(3), edge_label="r", default=nan),
    ]
    G = nx.path_graph(3)
    nx.set_edge_attributes(G, nan, "r")
    nx.set_node_attributes(G, nan, "c")
    cases += [dict(x=G, edge_label="r"), dict(x=G, vertex_colors="c")]
    g = igraph.Graph([(0, 1), (1, 2)])
    g.es["r"] = [nan, 1.0]
    cases += [dict(x=g, edge_label="r")]
    for kw in cases:
        x = kw.pop("x")
        with pytest.raises(ValueError, match="NaN"):
            _aut(x, **kw)
    with pytest.raises(ValueError, match="NaN"):
        et.from_edges([[0, 1]], 2, labels=[nan])


def test_partial_attribute_is_an_error_unless_default_names_the_value():
    P = nx.petersen_graph()
    nx.set_edge_attributes(P, "w", "w")
    del P.edges[0, 1]["w"]
    with pytest.raises(ValueError, match=r"'w' is missing on 1 of 15 edges \(first: \(0, 1\)\); pass def"):
        _aut(P, edge_label="w")
    assert _aut(P, edge_label="w", default="w") == 120
    assert _aut(P, edge_label="w", default="other") == 8  # edge (0, 1) is singled out
    C = nx.cycle_graph(6)
    C.nodes[0]["col"] = "red"
    with pytest.raises(ValueError, match="'col' is missing on 5 of 6 nodes"):
        _aut(C, vertex_colors="col")
    assert _aut(C, vertex_colors="col", default="blue") == 2
    with pytest.raises(ValueError, match="no colour for node 3"):
        _aut(C, vertex_colors={0: "a", 1: "b", 2: "a"})
    assert _aut(C, vertex_colors={0: "a"}, default="b") == 2
    g = igraph.Graph.Ring(6)
    g.vs["col"] = ["red", None, None, None, None, None]
    with pytest.raises(ValueError, match="missing on 5 of 6 nodes"):
        _aut(g, vertex_colors="col")
    assert _aut(g, vertex_colors="col", default="blue") == 2
    with pytest.raises(ValueError, match="None"):
        _aut(np.array([[0, 1], [1, 2]]), n=3, edge_label=[None, 1])


def test_attribute_no_item_has_is_an_error_on_every_input(tmp_path):
    G = nx.karate_club_graph()
    nx.write_graphml(G, tmp_path / "k.graphml")
    g = igraph.Graph.from_networkx(G)
    for x in (G, g, str(tmp_path / "k.graphml")):
        with pytest.raises(ValueError, match="no edge has the attribute 'nosuch'"):
            _aut(x, edge_label="nosuch", weight=None)
        with pytest.raises(ValueError, match="no node has the attribute 'nosuch'"):
            _aut(x, vertex_colors="nosuch", weight=None)
    with pytest.raises(TypeError, match="node attribute"):
        _aut(np.eye(3), vertex_colors="nosuch")


# ---------------------------------------------------------------------------
# property: every format reads every graph alike
# ---------------------------------------------------------------------------
@st.composite
def _graphs(draw):
    n = draw(st.integers(3, 9))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda e: e[0] < e[1])
    pairs = draw(st.sets(pair, min_size=3))
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(pairs)
    return G


@settings(max_examples=25, deadline=None)
@given(_graphs())
def test_matrix_files_agree_with_networkx(G):
    import tempfile
    from pathlib import Path

    expected = _aut(G)
    A = nx.to_numpy_array(G, weight=None, dtype=int)
    with tempfile.TemporaryDirectory() as d:
        for name, write in [
            ("a.txt", lambda p: np.savetxt(p, A, fmt="%d")),
            ("a.npy", lambda p: np.save(p, A)),
            ("a.mtx", lambda p: scipy.io.mmwrite(p, sp.coo_matrix(A))),
            ("a.graphml", lambda p: nx.write_graphml(G, p)),
        ]:
            p = Path(d) / name
            write(p)
            E = et.read_graph(p)
            assert (E.n, E.num_edges, _aut(E)) == (G.number_of_nodes(), G.number_of_edges(), expected), name


# ---------------------------------------------------------------------------
# DIMACS graphs and streams
# ---------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(_graphs(), st.booleans())
def test_dimacs_files_agree_with_networkx(G, both_ways):
    """A DIMACS graph is networkx's graph on vertices 1..n: isolated vertices kept, an edge listed
    both ways one edge."""
    import io

    G.add_node(G.number_of_nodes())  # an isolated vertex: only the problem line knows it
    E = et.read_graph(io.BytesIO(_dimacs(G, both_ways=both_ways).encode()), format="dimacs")
    H = nx.relabel_nodes(G, {v: v + 1 for v in G})
    assert E.nodes == tuple(range(1, H.number_of_nodes() + 1)) and not E.directed
    assert (E.n, E.num_edges) == (H.number_of_nodes(), H.number_of_edges())
    assert {frozenset(map(E.nodes.__getitem__, e)) for e in E.edges.tolist()} == {
        frozenset(e) for e in H.edges()
    }
    assert _aut(E) == _aut(G) and et.description_length(E) == et.description_length(G)


def test_dimacs_read_as_arcs_and_detected_by_content(tmp_path):
    (tmp_path / "p.txt").write_text("c a path\nc on 3 vertices\np edge 3 2\ne 1 2\ne 2 3\n")
    E = et.read_graph(tmp_path / "p.txt")  # the problem line says DIMACS, whatever the suffix
    assert (E.n, E.num_edges, _aut(E)) == (3, 2, 2)
    D = et.read_graph(tmp_path / "p.txt", directed=True)
    assert D.directed and D.num_edges == 4 and _aut(D) == 2


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("p edge 3 2\ne 1 2\n", "says 2 edges, the file has 1 'e' lines"),
        ("p edge 3 1\ne 1 4\n", "line 2: vertex 4 is not in 1..3"),
        ("p edge 3 1\ne 1 x\n", "line 2: expected 'e u v'"),
        ("p edge 3 1\nn 1 5\ne 1 2\n", "line 2: expected a 'c', 'p' or 'e' line"),
        ("p edge 3 1\np edge 3 1\ne 1 2\n", "line 2: a second problem line"),
        ("c only comments\ne 1 2\n", "the suffix says dimacs but the content is not dimacs"),
    ],
)
def test_malformed_dimacs_is_refused_in_one_line(tmp_path, content, match):
    (tmp_path / "g.col").write_text(content)
    with pytest.raises(ValueError, match=re.escape(match)) as info:
        et.read_graph(tmp_path / "g.col")
    assert "\n" not in str(info.value)


def test_dimacs_has_no_labels_or_colours(tmp_path):
    (tmp_path / "g.col").write_text("p edge 2 1\ne 1 2\n")
    with pytest.raises(et.ParameterError, match="no edge labels"):
        et.read_graph(tmp_path / "g.col", labels=3)
    with pytest.raises(et.ParameterError, match="no node attributes"):
        et.read_graph(tmp_path / "g.col", vertex_colors="kind")


def test_binary_stream_is_read_by_its_content(karate):
    """A stream named without a suffix (``<stdin>``) is read by its content; a text stream is refused."""
    import io

    edges = "".join(f"{u} {v}\n" for u, v in karate.edges()).encode()
    stdin = io.BytesIO(gzip.compress(edges))
    stdin.name = "<stdin>"
    assert _aut(et.read_graph(stdin)) == KARATE_AUT
    with pytest.raises(TypeError, match="binary"):
        et.read_graph(io.StringIO("0 1\n"))


# ---------------------------------------------------------------------------
# the numpy reader of plain integer edge lists
# ---------------------------------------------------------------------------
def _both_readers(path, **kw):
    """``read_graph(path)`` as it is (the numpy reader where it applies) and by the general parser."""
    from effective_theory.statics import _graph_files

    fast = _outcome(path, **kw)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_graph_files, "is_numeric_edge_list", lambda data: False)
        slow = _outcome(path, **kw)
    return fast, slow


def _outcome(path, **kw):
    try:
        E = et.read_graph(path, **kw)
    except ValueError as exc:
        return type(exc).__name__, str(exc)
    return E.n, E.edges.tolist(), E.nodes, E.directed


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=40),
    st.sampled_from([" ", "\t", "  ", " \t"]),
    st.sampled_from(["\n", "\r\n", "\n\n", " \n"]),
    st.booleans(),
    st.sampled_from(["", "007", "1234567890123456789", "5 6 7", "-1", "x"]),
)
def test_numpy_edge_list_reader_agrees_with_the_general_parser(edges, sep, newline, last, odd):
    """Whatever the text, the numpy reader gives the general parser's graph (names, their order,
    the ids) or leaves the file to it; a leading zero, a 19-digit name, a third column, a sign or
    a name hands the file over."""
    import tempfile
    from pathlib import Path

    lines = [f"{u}{sep}{v}" for u, v in edges]
    if odd:
        lines.insert(len(lines) // 2, f"{odd}{sep}3" if " " not in odd else odd)
    text = newline.join(lines) + (newline if last else "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.edgelist"
        path.write_text(text)
        fast, slow = _both_readers(path, format="edgelist")
        assert fast == slow
        fast, slow = _both_readers(path)
        assert fast == slow


def test_numpy_edge_list_reader_memory_is_a_small_multiple_of_the_edge_arrays(tmp_path):
    """Reading 2 * 10^5 edges among 2 * 10^5 names takes at most 10 times the edge array's bytes
    (the general parser took about 70 times)."""
    import tracemalloc

    rng = np.random.default_rng(0)
    m = 200_000
    np.savetxt(tmp_path / "g.edgelist", rng.integers(0, m, size=(m, 2)), fmt="%d")
    tracemalloc.start()
    try:
        E = et.read_graph(tmp_path / "g.edgelist")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert E.num_edges == m and peak <= 10 * E.edges.nbytes, peak / E.edges.nbytes


def test_a_compressed_edge_list_beyond_max_bytes_is_refused_by_name(tmp_path):
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"0 1\n" * 2**20))  # 4 MiB of text in a few kB
    assert et.read_graph(path).num_edges == 2**20
    with pytest.raises(et.ParameterError, match="decompresses to more.*max_bytes=1000000") as info:
        et.read_graph(path, max_bytes=10**6)
    assert info.value.parameter == "max_bytes"
    with pytest.raises(et.ParameterError, match=r"parsing 4,194,304 bytes of text would need about"):
        et.read_graph(path, max_bytes=2 * 2**22)
