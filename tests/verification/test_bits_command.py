"""``geneft bits``: reading graph files and the command-line front-end."""

import importlib.util
import math
import os
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.io
import scipy.sparse as sp

import effective_theory as et
from verification.cli import main

KARATE = Path(et.__file__).parent / "data" / "karate.edgelist"


def _field(out, name):
    for line in out.splitlines():
        if line.startswith(name):
            return line[len(name) :].split()[0]
    raise AssertionError(f"no {name!r} line in {out!r}")


def test_bundled_karate_example(capsys):
    assert main(["bits", str(KARATE)]) == 0
    out = capsys.readouterr().out
    assert _field(out, "n ") == "34" and _field(out, "edges") == "78"
    assert float(_field(out, "log10|Aut|")) == pytest.approx(math.log10(480))
    assert float(_field(out, "bits")) == pytest.approx(math.log2(math.factorial(34) // 480))
    assert "engine" in out and "time" in out


def test_relation_option(capsys):
    assert main(["bits", "--relation", "mod3", "--n", "30"]) == 0
    out = capsys.readouterr().out
    f = math.factorial
    assert float(_field(out, "bits")) == pytest.approx(math.log2(f(30) // (f(10) ** 3 * f(3))))


@pytest.mark.parametrize("engine", ["nauty", "bliss"])
def test_all_file_formats(tmp_path, capsys, engine):
    G = nx.petersen_graph()
    A = nx.to_numpy_array(G, dtype=np.int8)
    files = {
        "g.graphml": lambda p: nx.write_graphml(G, p),
        "g.gml": lambda p: nx.write_gml(G, p),
        "g.npy": lambda p: np.save(p, A),
        "g.mtx": lambda p: scipy.io.mmwrite(p, sp.coo_matrix(A)),
        "g.csv": lambda p: Path(p).write_text("".join(f"{u},{v}\n" for u, v in G.edges())),
        "g.tsv": lambda p: Path(p).write_text("# comment\n" + "".join(f"{u}\t{v}\n" for u, v in G.edges())),
    }
    for name, write in files.items():
        path = tmp_path / name
        write(str(path))
        assert main(["bits", str(path), "--engine", engine]) == 0, name
        out = capsys.readouterr().out
        assert float(_field(out, "log10|Aut|")) == pytest.approx(math.log10(120)), name


def test_directed_and_labels(tmp_path, capsys):
    path = tmp_path / "c.txt"
    path.write_text("a b r\nb c r\nc a s\n")
    assert main(["bits", str(path)]) == 0
    assert float(_field(capsys.readouterr().out, "log10|Aut|")) == pytest.approx(math.log10(6))
    assert main(["bits", str(path), "--directed"]) == 0
    assert float(_field(capsys.readouterr().out, "log10|Aut|")) == pytest.approx(math.log10(3))
    assert main(["bits", str(path), "--directed", "--labels", "3"]) == 0
    assert float(_field(capsys.readouterr().out, "log10|Aut|")) == pytest.approx(0.0)
    G = nx.cycle_graph(4)
    nx.set_edge_attributes(G, {(0, 1): "x", (1, 2): "y", (2, 3): "x", (0, 3): "y"}, "rel")
    gml = tmp_path / "c.graphml"
    nx.write_graphml(G, gml)
    assert main(["bits", str(gml), "--labels", "rel"]) == 0
    assert float(_field(capsys.readouterr().out, "log10|Aut|")) == pytest.approx(math.log10(4))


def _bad_files(tmp_path):
    (tmp_path / "bad.npy").write_bytes(b"not numpy")
    np.save(tmp_path / "nonsquare.npy", np.zeros((2, 3)))
    np.save(tmp_path / "nonbinary.npy", np.array([[0, 2], [1, 0]]))
    np.save(tmp_path / "nan.npy", np.array([[0, np.nan], [1, 0]]))
    (tmp_path / "short.txt").write_text("1 2\n3\n")
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe\x00\x81 garbage")
    (tmp_path / "g.xyz").write_text("1 2\n")
    (tmp_path / "bad.graphml").write_text("<graphml><oops")
    (tmp_path / "bad.mtx").write_text("nonsense\n")
    return [
        [str(tmp_path / "missing.txt")],
        [str(tmp_path / "bad.npy")],
        [str(tmp_path / "nonsquare.npy")],
        [str(tmp_path / "nonbinary.npy")],
        [str(tmp_path / "nan.npy")],
        [str(tmp_path / "short.txt")],
        [str(tmp_path / "bin.txt")],
        [str(tmp_path / "g.xyz")],
        [str(tmp_path / "bad.graphml")],
        [str(tmp_path / "bad.mtx")],
        [str(tmp_path / "short.txt"), "--labels", "x"],
        ["--relation", "mod0x", "--n", "30"],
        ["--relation", "nosuch"],
        [],
        [str(tmp_path / "g.xyz"), "--relation", "mod3"],
    ]


def test_bad_input_one_line_exit_2(tmp_path, capsys):
    for args in _bad_files(tmp_path):
        assert main(["bits", *args]) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("geneft: error:") and err.count("\n") == 1, (args, err)


def test_read_graph_errors_are_clear(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        et.read_graph(tmp_path / "nope.txt")
    (tmp_path / "short.txt").write_text("1 2\n3\n")
    with pytest.raises(ValueError, match="line 2"):
        et.read_graph(tmp_path / "short.txt")


WORDNET = "/usr/share/wordnet/data.noun"


@pytest.mark.skipif(not os.path.isfile(WORDNET), reason="no WordNet (apt-get install wordnet-base)")
def test_wordnet_example(capsys):
    spec = importlib.util.spec_from_file_location(
        "wordnet_example", Path(__file__).parents[2] / "examples" / "wordnet_description_length.py"
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
        "wordnet_example", Path(__file__).parents[2] / "examples" / "wordnet_description_length.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main([str(tmp_path / "data.noun")]) == 2
    assert "apt-get install wordnet-base" in capsys.readouterr().err
