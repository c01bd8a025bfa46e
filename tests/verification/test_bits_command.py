"""``geneft bits``: the command-line front-end (reading is tested in tests/statics/test_graph_input.py).

Inputs that ``geneft bits`` once read wrongly are run as written (a matrix saved by ``np.savetxt``,
a CSV header row, a label attribute the graph lacks, a relation on 10^5 elements, a symmetric matrix
file): each gives the right answer or one line on stderr with exit status 2.
"""

import gzip
import importlib.util
import io
import json
import math
import os
import re
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.io
import scipy.sparse as sp

import effective_theory as et
from verification.cli import main

ROOT = Path(__file__).parents[2]
KARATE = Path(et.__file__).parent / "data" / "karate.edgelist"
KARATE_BITS = math.log2(math.factorial(34) // 480)  # 118.888...
#: a keyword parameter of the Python API as an error message of the theory spells it
API_SPELLING = re.compile(r"\b(format|labels|vertex_colors|weight|default|header|directed)=")


def _field(out, name):
    for line in out.splitlines():
        if line.startswith(name + " "):
            return line[len(name) :].split()[0]
    raise AssertionError(f"no {name!r} line in {out!r}")


def _bits_of(capsys, *args):
    assert main(["bits", *map(str, args)]) == 0, args
    return float(_field(capsys.readouterr().out, "bits"))


def _one_line_error(capsys, *args):
    try:
        status = main(["bits", *map(str, args)])
    except SystemExit as exc:  # argparse's own errors (an invalid choice), one line by the CLI's parser
        status = exc.code
    assert status == 2, args
    err = capsys.readouterr().err
    assert err.startswith(("geneft: error:", "geneft bits: error:")) and err.count("\n") == 1, (args, err)
    assert "np.float64" not in err and "array(" not in err, err
    assert not API_SPELLING.search(err), err  # the command line names its flags, never keyword parameters
    return err


@pytest.fixture
def karate_adjacency():
    return nx.to_numpy_array(nx.karate_club_graph(), weight=None, dtype=int)


def test_bundled_karate_example(capsys):
    assert main(["bits", str(KARATE)]) == 0
    out = capsys.readouterr().out
    assert _field(out, "n") == "34" and _field(out, "edges") == "78"
    assert _field(out, "|Aut|") == "480"
    assert float(_field(out, "log2|Aut|")) == pytest.approx(math.log2(480))
    assert float(_field(out, "bits")) == pytest.approx(KARATE_BITS)
    assert "engine" in out and "time" in out


def test_json_has_the_group_order_and_the_bits(tmp_path, capsys):
    """Done-when: ``geneft bits karate.edgelist --json`` has ``aut_order`` 480 and ``bits`` 118.888."""
    assert main(["bits", str(KARATE), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["aut_order"] == 480 and round(record["bits"], 3) == 118.888
    assert record["n"] == 34 and record["edges"] == 78 and record["directed"] is False
    assert record["log2_aut"] == pytest.approx(math.log2(480)) and record["engine"] == "nauty"
    assert record["core_pairs"] == et.description_length_report(KARATE).core_pairs  # the API's name
    path = tmp_path / "p.txt"
    path.write_text("0 1\n1 2\n2 3\n")  # a path: |Aut| = 2
    assert main(["bits", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["log2_aut"] == 1.0  # exactly


def test_several_files_one_json_object_each(tmp_path, capsys):
    nx.write_graphml(nx.petersen_graph(), tmp_path / "p.graphml")
    assert main(["bits", str(KARATE), str(tmp_path / "p.graphml"), "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["aut_order"] for r in records] == [480, 120]
    assert records[1]["graph"].endswith("p.graphml")
    assert main(["bits", str(KARATE), str(tmp_path / "p.graphml")]) == 0
    assert capsys.readouterr().out.count("bits ") == 2


def test_batch_processes_every_file_and_fails_at_the_end(tmp_path, capsys):
    """A bad file among several: each failure one line on stderr, every other file read, status 2."""
    nx.write_graphml(nx.petersen_graph(), tmp_path / "p.graphml")
    (tmp_path / "two.txt").write_text("0 1\n1 0\n")  # ambiguous
    argv = [tmp_path / "missing.txt", KARATE, tmp_path / "two.txt", tmp_path / "p.graphml"]
    assert main(["bits", *map(str, argv), "--json"]) == 2
    captured = capsys.readouterr()
    assert [json.loads(line)["aut_order"] for line in captured.out.splitlines()] == [480, 120]
    errors = captured.err.splitlines()
    assert len(errors) == 2 and all(e.startswith("geneft: error: ") for e in errors), errors
    assert "missing.txt" in errors[0] and errors[1].startswith(f"geneft: error: {tmp_path / 'two.txt'}: ")
    assert "--format matrix" in errors[1]  # worded in the command's flags
    assert main(["bits", str(KARATE), str(tmp_path / "p.graphml")]) == 0


def test_dash_reads_stdin(capsys, monkeypatch):
    """``geneft bits -`` reads the graph from stdin (compressed or not), named ``<stdin>``."""
    stdin = io.TextIOWrapper(io.BytesIO(gzip.compress(KARATE.read_bytes())))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["bits", "-", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["graph"] == "<stdin>" and record["aut_order"] == 480 and record["n"] == 34


def test_dimacs_graph(tmp_path, capsys):
    """A DIMACS graph (``p edge n m``, ``e u v``): the Petersen graph and an isolated vertex."""
    G = nx.petersen_graph()
    lines = "".join(f"e {u + 1} {v + 1}\n" for u, v in G.edges())
    (tmp_path / "petersen.col").write_text(f"c Petersen graph and vertex 11\np edge 11 15\n{lines}")
    assert main(["bits", str(tmp_path / "petersen.col"), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["n"], record["edges"], record["aut_order"]) == (11, 15, 120)
    assert record["bits"] == pytest.approx(math.log2(math.factorial(11) // 120))


def test_huge_group_order_in_scientific_notation(tmp_path, capsys):
    path = tmp_path / "star.edgelist"
    path.write_text("".join(f"0 {i}\n" for i in range(1, 5001)))  # |Aut| = 5000!, 16326 digits
    assert main(["bits", str(path)]) == 0
    out = capsys.readouterr().out
    assert _field(out, "|Aut|") == "4.22858e+16325"  # 5000! = 4.2285779...e16325
    assert main(["bits", str(path), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["aut_order"] is None and record["aut_order_text"] == "4.22858e+16325"
    assert record["log10_aut"] == pytest.approx(math.lgamma(5001) / math.log(10))


def test_dense_matrix_text_files(tmp_path, capsys, karate_adjacency):
    """A matrix written by ``np.savetxt(A, fmt="%d")`` is read as the karate club (it was once read
    as n 2, edges 34, bits 1.0)."""
    np.savetxt(tmp_path / "k_adj.txt", karate_adjacency, fmt="%d")
    np.savetxt(tmp_path / "k_adj.csv", karate_adjacency, fmt="%d", delimiter=",")
    for name in ("k_adj.txt", "k_adj.csv"):
        assert main(["bits", str(tmp_path / name)]) == 0
        out = capsys.readouterr().out
        assert (_field(out, "n"), _field(out, "edges")) == ("34", "78"), name
        assert float(_field(out, "bits")) == pytest.approx(KARATE_BITS), name


def test_csv_with_a_header_row(tmp_path, capsys):
    """A ``source,target`` header row is read as a header, not as an edge (it once gave n 36, edges
    79); a label column is found by its name or its number."""
    G = nx.karate_club_graph()
    path = tmp_path / "k.csv"
    path.write_text("source,target\n" + "".join(f"{u},{v}\n" for u, v in G.edges()))
    assert main(["bits", str(path)]) == 0
    out = capsys.readouterr().out
    assert (_field(out, "n"), _field(out, "edges")) == ("34", "78")
    assert float(_field(out, "bits")) == pytest.approx(KARATE_BITS)
    labelled = tmp_path / "rel.csv"
    labelled.write_text("source,target,relation\na,b,r\nb,c,r\nc,a,s\n")
    assert _bits_of(capsys, labelled, "--directed", "--labels", "relation") == pytest.approx(math.log2(6))
    assert _bits_of(capsys, labelled, "--directed", "--labels", "3") == pytest.approx(math.log2(6))


def test_missing_label_or_colour_attribute_is_an_error(tmp_path, capsys):
    """``--labels`` or ``--vertex-colors`` naming an attribute the graph lacks is a one-line error
    (``--labels nosuch`` on GraphML was once ignored), and vertex colours split the group."""
    G = nx.karate_club_graph()
    nx.write_graphml(G, tmp_path / "k.graphml")
    k = tmp_path / "k.graphml"
    assert "nosuch" in _one_line_error(capsys, k, "--labels", "nosuch", "--ignore-weights")
    assert "nosuch" in _one_line_error(capsys, k, "--vertex-colors", "nosuch", "--ignore-weights")
    # the karate club's two factions as colours: |Aut| 480 -> 48 (Mr. Hi's and the officer's sides)
    assert main(["bits", str(k), "--vertex-colors", "club", "--ignore-weights", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["aut_order"] == int(
        et.automorphism_group_order(G, vertex_colors="club", weight=None)
    )
    assert "node attributes" in _one_line_error(capsys, KARATE, "--vertex-colors", "club")


def test_relation_closed_form_at_large_n(capsys):
    """``--relation mod3 --n N`` takes under a second up to n = 10^7, from the closed form (building
    the graph took 7 s at n = 3000 and ran out of memory, 49.7 GiB, at n = 100000)."""
    f = math.factorial
    assert _bits_of(capsys, "--relation", "mod3", "--n", "30") == pytest.approx(
        math.log2(f(30) // (f(10) ** 3 * f(3)))
    )
    for n in ("3000", "100000", "10000000"):
        start = time.perf_counter()
        assert main(["bits", "--relation", "mod3", "--n", n]) == 0
        assert time.perf_counter() - start < 1.0, n
        out = capsys.readouterr().out
        assert "closed form" in out and float(_field(out, "bits")) == pytest.approx(
            et.relation_class_bits("mod3", int(n))
        )


@pytest.mark.parametrize("name", ["mod3", "mod7", "greater", "bipartite"])
@pytest.mark.parametrize("n", [1, 2, 30, 31])
def test_closed_form_report_matches_the_graph(name, n):
    from verification.bits_command import relation_report

    closed = relation_report(name, n)
    graph = et.description_length_report(et.relation_by_name(name, n))
    assert int(closed.aut) == int(graph.aut)
    assert closed.bits == pytest.approx(graph.bits, abs=1e-9)
    assert closed.edges == graph.edges


def test_accuracy_adds_the_critical_training_fraction(capsys):
    assert main(["bits", "--relation", "mod3", "--n", "30", "--accuracy", "0.9", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    b = et.relation_class_bits("mod3", 30)
    assert record["entries"] == 900
    assert record["critical_train_fraction"] == pytest.approx(et.critical_train_fraction(0.9, b, 900))
    assert main(["bits", str(KARATE), "--accuracy", "0.5"]) == 0
    out = capsys.readouterr().out
    N = 34 * 35 // 2  # undirected: the independent entries of a symmetric adjacency matrix
    expected = et.critical_train_fraction(0.5, KARATE_BITS, N)
    assert float(_field(out, "p_c")) == pytest.approx(expected, rel=1e-5)


def test_edge_counts_do_not_depend_on_the_format(tmp_path, capsys, karate_adjacency):
    """The karate club has 78 undirected edges read from .npy and .mtx files as from an edge list
    (the matrix files, symmetric ones too, were once read as 156 directed arcs)."""
    A = karate_adjacency
    np.save(tmp_path / "k.npy", A)
    scipy.io.mmwrite(tmp_path / "k_sym.mtx", sp.coo_matrix(A), symmetry="symmetric")
    scipy.io.mmwrite(tmp_path / "k_gen.mtx", sp.coo_matrix(A))
    for name in ("k.npy", "k_sym.mtx", "k_gen.mtx"):
        assert main(["bits", str(tmp_path / name)]) == 0
        out = capsys.readouterr().out
        assert _field(out, "edges") == "78" and "directed" not in out, name
    assert main(["bits", str(tmp_path / "k.npy"), "--directed"]) == 0
    assert "156 (directed)" in capsys.readouterr().out


def test_more_formats_and_compression(tmp_path, capsys):
    G = nx.Graph(nx.karate_club_graph().edges())  # the edges without networkx's weights
    nx.write_pajek(G, tmp_path / "k.net")
    nx.write_adjlist(G, tmp_path / "k.adjlist")
    (tmp_path / "k.json").write_text(json.dumps(nx.node_link_data(G)))
    np.savez(tmp_path / "k.npz", nx.to_numpy_array(G, weight=None))
    (tmp_path / "k.edgelist.gz").write_bytes(gzip.compress(KARATE.read_bytes()))
    for name in ("k.net", "k.adjlist", "k.json", "k.npz", "k.edgelist.gz"):
        assert _bits_of(capsys, tmp_path / name) == pytest.approx(KARATE_BITS), name


@pytest.mark.parametrize("name", ["karate.adjlist", "karate.txt"])
def test_multiline_adjacency_list_reads_as_karate(tmp_path, capsys, name):
    """``nx.write_multiline_adjlist(nx.karate_club_graph(), f)`` then ``geneft bits f``: never the
    n 42, 107 edges that its ``{'weight':`` fragments made; karate's weights are refused in one
    line that names the two ways on, each of which gives a right answer."""
    f = tmp_path / name
    nx.write_multiline_adjlist(nx.karate_club_graph(), f)
    err = _one_line_error(capsys, f)
    assert "weight 4" in err and "--ignore-weights" in err and "--labels weight" in err
    assert main(["bits", str(f), "--ignore-weights", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["n"], record["edges"], record["aut_order"]) == (34, 78, 480)
    assert main(["bits", str(f), "--labels", "weight", "--json"]) == 0
    labelled = json.loads(capsys.readouterr().out)
    assert labelled["aut_order"] == et.automorphism_group_order(nx.karate_club_graph(), edge_label="weight")


def test_control_characters_in_file_names_are_escaped(tmp_path, capsys):
    """A newline in a file name would split one graph's text output, or its error, in two."""
    good = tmp_path / "new\nline.txt"
    good.write_text("0 1\n1 2\n2 3\n")
    bad = tmp_path / "esc\x1bape.txt"
    bad.write_text("0 1\n1\n")
    assert main(["bits", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert f"graph        {tmp_path}/new\\nline.txt\n" in captured.out
    assert captured.err.count("\n") == 1 and "esc\\x1bape.txt" in captured.err and "\x1b" not in captured.err


def test_files_without_vertices_are_one_error(tmp_path, capsys):
    (tmp_path / "h.csv").write_text("source,target\n")
    (tmp_path / "t.net").write_text("*Network cut short\n")
    (tmp_path / "e.edgelist").write_text("")
    for name in ("h.csv", "t.net", "e.edgelist"):
        assert "no vertices (n = 0)" in _one_line_error(capsys, tmp_path / name), name


def test_weighted_matrix_needs_ignore_weights(tmp_path, capsys):
    np.save(tmp_path / "w.npy", nx.to_numpy_array(nx.karate_club_graph()))  # weights 1..7
    err = _one_line_error(capsys, tmp_path / "w.npy")
    assert "--ignore-weights" in err and "4.0" in err
    assert _bits_of(capsys, tmp_path / "w.npy", "--ignore-weights") == pytest.approx(KARATE_BITS)


def test_theory_errors_are_worded_in_flags(tmp_path, capsys):
    """The same mistake: the API's error names the keyword parameter, the command's the flag."""
    (tmp_path / "two.txt").write_text("0 1\n1 0\n")
    np.save(tmp_path / "w.npy", np.array([[0, 2], [2, 0]]))
    (tmp_path / "p.txt").write_text("a b r\nb c\nc a s\n")
    (tmp_path / "e.txt").write_text("a b\nb c\n")
    cases = [
        (
            [tmp_path / "two.txt"],
            {},
            "format",
            "format='matrix', format='edgelist'",
            "--format matrix, --format edgelist",
        ),
        ([tmp_path / "w.npy"], {}, "weight", "pass weight=None to ignore", "pass --ignore-weights to ignore"),
        (
            [tmp_path / "two.txt", "--format", "graphml"],
            {"format": "graphml"},
            "format",
            "format='graphml', but",
            "--format graphml, but",
        ),
        (
            [tmp_path / "e.txt", "--labels", "x"],
            {"labels": "x"},
            "labels",
            "list, labels= is",
            "list, --labels is",
        ),
        (
            [tmp_path / "e.txt", "--vertex-colors", "kind"],
            {"vertex_colors": "kind"},
            "vertex_colors",
            "attributes for vertex_colors= (use",
            "attributes for --vertex-colors (use",
        ),
        (
            [tmp_path / "p.txt", "--labels", "3", "--format", "edgelist"],
            {"labels": 3, "format": "edgelist"},
            "default",
            "no column 3 for the edge label (pass default= to",
            "no column 3 for the edge label\n",  # no flag gives a default label: no hint
        ),
    ]
    for argv, kwargs, parameter, api_text, cli_text in cases:
        with pytest.raises(et.ParameterError) as info:
            et.read_graph(argv[0], **kwargs)
        assert info.value.parameter == parameter and api_text in str(info.value), str(info.value)
        assert "--" not in str(info.value)
        assert cli_text in _one_line_error(capsys, *argv), argv


def test_format_option_settles_an_ambiguous_file(tmp_path, capsys):
    path = tmp_path / "two.txt"
    path.write_text("0 1\n1 0\n")  # a 2 x 2 matrix (one edge) or two edges (a 2-cycle multigraph)?
    err = _one_line_error(capsys, path)
    assert "--format matrix" in err and "--format edgelist" in err
    assert main(["bits", str(path), "--format", "matrix", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["edges"] == 1
    assert main(["bits", str(path), "--format", "edgelist", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["edges"] == 2


def _bad_files(tmp_path):
    (tmp_path / "bad.npy").write_bytes(b"not numpy")
    np.save(tmp_path / "nonsquare.npy", np.zeros((2, 3)))
    np.save(tmp_path / "nonbinary.npy", np.array([[0, 2], [1, 0]]))
    np.save(tmp_path / "nan.npy", np.array([[0, np.nan], [1, 0]]))
    (tmp_path / "short.txt").write_text("1 2\n3\n")
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe\x00\x81 garbage")
    (tmp_path / "g.xyz").write_text("C 0.0 1.2 3.4\n")
    (tmp_path / "bad.graphml").write_text("<graphml><oops")
    (tmp_path / "bad.mtx").write_text("nonsense\n")
    (tmp_path / "fake.gz").write_text("0 1\n")
    (tmp_path / "ok.txt").write_text("a b\nb c\n")
    ok = str(tmp_path / "ok.txt")
    return [
        [str(tmp_path / "missing.txt")],
        [str(tmp_path)],
        [str(tmp_path / "bad.npy")],
        [str(tmp_path / "nonsquare.npy")],
        [str(tmp_path / "nonbinary.npy")],
        [str(tmp_path / "nan.npy")],
        [str(tmp_path / "short.txt")],
        [str(tmp_path / "bin.txt")],
        [str(tmp_path / "g.xyz")],
        [str(tmp_path / "bad.graphml")],
        [str(tmp_path / "bad.mtx")],
        [str(tmp_path / "fake.gz")],
        [str(tmp_path / "short.txt"), "--labels", "x"],
        [ok, "--labels", "3"],
        [ok, "--labels", "2"],
        [ok, "--n", "30"],
        [ok, "--format", "pajek"],
        [ok, "--format", "nosuch"],
        [ok, "--accuracy", "1.5"],
        [ok, "--time-limit", "-1"],
        ["--relation", "mod0x", "--n", "30"],
        ["--relation", "nosuch"],
        ["--relation", "mod3", "--n", "0"],
        ["--relation", "mod3", "--n", "abc"],
        ["--relation", "mod3", "--labels", "3"],
        [],
        [str(tmp_path / "g.xyz"), "--relation", "mod3"],
    ]


def test_bad_input_one_line_exit_2(tmp_path, capsys):
    for args in _bad_files(tmp_path):
        _one_line_error(capsys, *args)


WORDNET = "/usr/share/wordnet/data.noun"


@pytest.mark.skipif(not os.path.isfile(WORDNET), reason="no WordNet (apt-get install wordnet-base)")
def test_wordnet_example(capsys):
    spec = importlib.util.spec_from_file_location(
        "wordnet_example", ROOT / "examples" / "wordnet_description_length.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    n, edges, labels = mod.read_wordnet_nouns(WORDNET)
    assert (n, len(edges)) == (77607, 84947)
    r = et.description_length_report(edges, n=n, directed=True, edge_label=labels)
    assert round(r.log2_aut) == 118254  # the 2^118254
    assert mod.main([WORDNET]) == 0
    assert "77607" in capsys.readouterr().out


def test_wordnet_example_missing_database(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        "wordnet_example", ROOT / "examples" / "wordnet_description_length.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main([str(tmp_path / "data.noun")]) == 2
    assert "apt-get install wordnet-base" in capsys.readouterr().err


# the SIGALRM handler's TimeoutError can land in a weakref callback, where Python swallows it and
# reports it as unraisable; the reader raises the expiry again when the reading ends (the message
# below), so that report is expected here and is not a lost error
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_time_limit_covers_reading(tmp_path, capsys):
    big = tmp_path / "big.txt"
    # names, not numbers: the general parser, about 2 s to read
    big.write_text("".join(f"n{i} n{i + 1}\n" for i in range(400_000)))
    assert main(["bits", str(big), "--time-limit", "0.2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"geneft: error: {big}: --time-limit 0.2 s exceeded while reading"


def test_max_bytes_is_named_as_the_flag(tmp_path, capsys):
    g = tmp_path / "g.txt"
    g.write_text("0 1\n1 2\n" * 100)
    assert main(["bits", str(g), "--max-bytes", "100"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"geneft: error: {g}: the file: 800 bytes") and "--max-bytes 100" in err
    assert "\n" not in err


# ---------------------------------------------------------------------------
# --orbits and --generators
# ---------------------------------------------------------------------------
def _permutation(nodes, cycles):
    """Image form over ``nodes`` of a generator given as cycles of node names."""
    index = {v: i for i, v in enumerate(nodes)}
    perm = list(range(len(nodes)))
    for cycle in cycles:
        for a, b in zip(cycle, cycle[1:] + cycle[:1]):
            perm[index[a]] = index[b]
    return perm


def test_orbits_and_generators_json(capsys):
    """karate: the generators are automorphisms of the file's graph and generate |Aut| = 480; the
    orbits partition the vertices as the generators' orbits."""
    from effective_theory import schreier_sims_order

    assert main(["bits", str(KARATE), "--json", "--orbits", "--generators"]) == 0
    record = json.loads(capsys.readouterr().out)
    G = nx.read_edgelist(KARATE)
    nodes = list(G.nodes())
    perms = [_permutation(nodes, cycles) for cycles in record["generators"]]
    for p in perms:
        image = dict(zip(nodes, (nodes[i] for i in p)))
        assert all(G.has_edge(image[u], image[v]) for u, v in G.edges())
    assert schreier_sims_order(perms, degree=len(nodes)) == record["aut_order"] == 480
    orbits = record["orbits"]
    assert sorted(v for o in orbits for v in o) == sorted(nodes)
    joined = nx.Graph()
    joined.add_nodes_from(nodes)
    joined.add_edges_from((nodes[i], nodes[j]) for p in perms for i, j in enumerate(p))
    assert {frozenset(o) for o in orbits} == {frozenset(c) for c in nx.connected_components(joined)}
    assert record["group_engine"] in ("nauty", "bliss")


def test_orbits_and_generators_text(tmp_path, capsys):
    """A path a-b-c-d-e: one reflection; orbits {a, e}, {b, d} and the fixed c."""
    path = tmp_path / "path.edgelist"
    path.write_text("a b\nb c\nc d\nd e\n")
    assert main(["bits", str(path), "--orbits", "--generators"]) == 0
    out = capsys.readouterr().out.splitlines()
    at = next(i for i, line in enumerate(out) if line.startswith("orbits "))
    assert out[at].split()[1] == "3" and "1 of them a fixed vertex" in out[at]
    assert sorted(line.split() for line in out[at + 1 : at + 3]) == [["a", "e"], ["b", "d"]]
    assert out[at + 3].startswith("generators") and out[at + 3].split()[1] == "1"
    assert out[at + 4].strip() == "(a e)(b d)"
    assert len(out) == at + 5


def test_orbits_of_a_relation_and_their_limits(capsys):
    assert main(["bits", "--relation", "mod3", "--n", "6", "--orbits", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["orbits"] == [[0, 1, 2, 3, 4, 5]] and "generators" not in record
    err = _one_line_error(capsys, "--relation", "mod3", "--n", "5000", "--generators")
    assert "--n 1000" in err


def test_log2_aut_is_exact_for_powers_of_two(tmp_path, capsys):
    """|Aut| = 2 prints log2 |Aut| = 1 exactly (not 0.9999999999999996)."""
    path = tmp_path / "p4.edgelist"
    path.write_text("0 1\n1 2\n2 3\n")
    assert main(["bits", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["log2_aut"] == 1.0
