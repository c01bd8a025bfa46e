"""The fast reading of edge lists of two integers a line agrees with the general text reader.

A comment line sends the same content through the general reader (line by line in Python), so
each file is read both ways and compared: edges, node count, node names in order of first
appearance, direction.  Text that is not such a list is left to the general reader.
"""

import numpy as np
import pytest

import effective_theory as et
from effective_theory.statics._numeric_edge_list import numeric_edge_list


def _text(rng, m, top):
    """An edge list with assorted whitespace: spaces or tabs between, CRLF or LF, blank lines,
    trailing spaces, maybe no final line break."""
    edges = rng.integers(0, top, size=(m, 2))
    lines = []
    for a, b in edges.tolist():
        sep = [" ", "\t", "  ", " \t "][int(rng.integers(4))]
        tail = [" ", "", "", "\t"][int(rng.integers(4))]
        lines.append(f"{a}{sep}{b}{tail}")
        if rng.random() < 0.05:
            lines.append("")
    end = ["\r\n", "\n"][int(rng.integers(2))]
    return end.join(lines) + (end if rng.random() < 0.5 else "")


def _both_ways(tmp_path, text, **kw):
    fast, slow = tmp_path / "fast.edgelist", tmp_path / "slow.edgelist"
    fast.write_bytes(text.encode())
    slow.write_bytes(("# the general reader\n" + text).encode())
    return et.read_graph(fast, **kw), et.read_graph(slow, **kw)


@pytest.mark.parametrize("top", [5, 300, 10**6, 10**15])  # dense id tables and sorted ids
def test_agrees_with_the_general_reader(tmp_path, top):
    rng = np.random.default_rng(top)
    for m in (3, 17, 2000):
        text = _text(rng, m, top)
        assert numeric_edge_list(text.encode()) is not None
        for directed in (None, True):
            a, b = _both_ways(tmp_path, text, directed=directed)
            assert np.array_equal(a.edges, b.edges)
            assert (a.n, a.nodes, a.directed) == (b.n, b.nodes, b.directed)
            assert et.description_length(a) == et.description_length(b)


@pytest.mark.parametrize(
    "text",
    [
        "0 1\n1 2\n007 3\n",  # a leading zero: the name is "007"
        "0 1\n1 2\n-3 4\n",  # a sign
        "0 1 5\n1 2 5\n2 3 5\n",  # a third column
        "0 1\n1 2\n2\n3 4\n",  # a line of one number
        "0 1\n1 2 3\n4 5\n",  # one line of three
        "0 1\n1 0\n",  # two lines of two: a matrix or two edges
        "0 1\n1 2\n2 3  # a comment\n",
        "source target\n0 1\n1 2\n2 3\n",
        "0 1\n1 2\n2 3.0\n",
        "1234567890123456789 1\n1 2\n2 3\n",  # beyond 18 digits
        "",
    ],
)
def test_other_text_is_left_to_the_general_reader(text):
    assert numeric_edge_list(text.encode()) is None


def test_names_keep_their_text(tmp_path):
    path = tmp_path / "g.edgelist"
    path.write_text("10 007\n007 3\n3 10\n")
    assert et.read_graph(path).nodes == ("10", "007", "3")
    path.write_text("10 7\n7 3\n3 10\n4 4\n")
    E = et.read_graph(path)
    assert E.nodes == ("10", "7", "3", "4") and E.edges.tolist() == [[0, 1], [1, 2], [2, 0], [3, 3]]
