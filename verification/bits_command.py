"""``geneft bits``: description length b = log2(n!/|Aut G|) of a graph file or a relation.

Examples::

    geneft bits effective_theory/data/karate.edgelist
    geneft bits graph.graphml --labels relation
    geneft bits --relation mod3 --n 30

Prints n, the number of edges, log10 |Aut|, the bits, the engine and the time
(Section III of Baek, Liu, Tegmark 2025).
"""

from __future__ import annotations

import argparse

from effective_theory.statics.automorphisms import ENGINES

__all__ = ["add_arguments", "run"]


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the options of ``geneft bits``."""
    parser.add_argument(
        "file",
        nargs="?",
        help="graph file: edge list (.txt .edgelist .edges .el .tsv .csv), .graphml, .gml, "
        ".npy adjacency matrix or .mtx Matrix Market",
    )
    parser.add_argument("--directed", action="store_true", help="read an edge list's rows as arcs u -> v")
    parser.add_argument(
        "--labels",
        metavar="ATTR",
        help="edge labels: attribute name (GraphML/GML) or 1-based column of an edge list (e.g. 3)",
    )
    parser.add_argument(
        "--engine", choices=ENGINES, default="auto", help="automorphism engine (default: auto)"
    )
    parser.add_argument("--time-limit", type=_positive_float, metavar="SECONDS", help="give up after SECONDS")
    parser.add_argument(
        "--relation", metavar="NAME", help="one of the paper's relations: mod<k>, greater, bipartite"
    )
    parser.add_argument("--n", type=int, default=30, help="number of elements for --relation (default 30)")


def run(args) -> int:
    """Compute and print the description length; returns the exit status."""
    from effective_theory.statics.graph_description_length import description_length_report
    from effective_theory.statics.graph_input import read_graph
    from effective_theory.statics.relations import relation_by_name

    if (args.file is None) == (args.relation is None):
        raise ValueError(
            "give either a graph FILE or --relation NAME (e.g. geneft bits --relation mod3 --n 30)"
        )
    if args.relation is not None:
        if args.n < 1:
            raise ValueError(f"--n must be a positive integer, got {args.n}")
        graph, label = relation_by_name(args.relation, args.n), None
        source = f"relation {args.relation} on n={args.n}"
    else:
        graph, label = read_graph(args.file, directed=args.directed, labels=args.labels)
        source = args.file
    result = description_length_report(
        graph, engine=args.engine, edge_label=label, time_limit=args.time_limit
    )
    print(f"graph        {source}")
    print(result.summary())
    return 0
