"""Table II's tree row: labelled rooted trees by total depth, and rooted tree shapes, against
brute-force enumeration with networkx."""

import itertools
import math
from collections import Counter

import networkx as nx
import pytest

import effective_theory as et


def _rooted_labelled_trees(n):
    """Every (tree, root) on the labels 0..n-1: each labelled tree (Pruefer) at each root."""
    if n == 1:
        yield nx.empty_graph(1), 0
        return
    if n == 2:
        for root in range(2):
            yield nx.path_graph(2), root
        return
    for seq in itertools.product(range(n), repeat=n - 2):
        T = nx.from_prufer_sequence(list(seq))
        for root in range(n):
            yield T, root


def _total_depth(T, root):
    return sum(nx.single_source_shortest_path_length(T, root).values())


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 6])
def test_counts_by_total_depth_match_enumeration(n):
    counted = Counter(_total_depth(T, r) for T, r in _rooted_labelled_trees(n))
    counts = et.rooted_trees_by_total_depth(n)
    assert len(counts) == n * (n - 1) // 2 + 1
    assert {P: c for P, c in enumerate(counts) if c} == dict(counted)
    assert sum(counts) == n ** (n - 1)  # Cayley, rooted


def test_truncated_counts_agree_with_the_full_table():
    full = et.rooted_trees_by_total_depth(12)
    assert et.rooted_trees_by_total_depth(12, 30) == full[:31]


def test_mean_depth_bits_at_the_paper_n():
    # the reading Table II's tree row is tested on: rooted labelled trees with <d> = 3 at n = 30
    b = et.bits_tree_mean_depth(30, 3.0)
    assert b == pytest.approx(math.log2(et.rooted_trees_by_total_depth(30, 90)[90]), abs=1e-12)
    assert round(b, 2) == 132.13
    # a class of all rooted labelled trees, summed over every depth, is Cayley's n^(n-1)
    assert math.log2(sum(et.rooted_trees_by_total_depth(30))) == pytest.approx(29 * math.log2(30), abs=1e-12)


@pytest.mark.parametrize("mean_depth", [3.01, 0.5, 15.0])
def test_mean_depth_outside_the_trees_is_an_error(mean_depth):
    with pytest.raises(ValueError):
        et.bits_tree_mean_depth(30, mean_depth)


def _relabellings(D):
    """Number of distinct parent relations obtained by relabelling the rooted tree D."""
    nodes = list(D)
    seen = set()
    for perm in itertools.permutations(nodes):
        m = dict(zip(nodes, perm))
        seen.add(frozenset((m[u], m[v]) for u, v in D.edges))
    return len(seen)


@pytest.mark.parametrize(
    "T, root",
    [
        (nx.path_graph(5), 0),
        (nx.path_graph(5), 2),
        (nx.star_graph(5), 0),
        (nx.star_graph(5), 1),
        (nx.full_rary_tree(2, 6), 0),
        (nx.full_rary_tree(2, 7), 0),
        (nx.balanced_tree(2, 2), 3),
    ],
)
def test_shape_bits_count_the_relabelled_relations(T, root):
    D = nx.bfs_tree(T, root)
    assert round(2 ** et.bits_rooted_tree(T, root)) == _relabellings(D)


def test_shapes_of_the_paper_n():
    # a path rooted at an end is a total order; a complete binary tree has 2^(internal nodes
    # with two isomorphic subtrees) automorphisms
    assert et.bits_rooted_tree(nx.path_graph(30), 0) == pytest.approx(et.log2_factorial(30), abs=1e-9)
    assert et.tree_mean_depth(nx.path_graph(30), 0) == 14.5
    assert et.bits_rooted_tree(nx.full_rary_tree(2, 31), 0) == pytest.approx(et.log2_factorial(31) - 15)


def test_not_a_tree_is_an_error():
    with pytest.raises(ValueError, match="tree"):
        et.bits_rooted_tree(nx.cycle_graph(4), 0)
    with pytest.raises(ValueError, match="root"):
        et.tree_mean_depth(nx.path_graph(3), 7)
