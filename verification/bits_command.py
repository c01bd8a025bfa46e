"""``geneft bits``: description length b = log2(n!/|Aut G|) of graph files or of a relation.

Examples::

    geneft bits effective_theory/data/karate.edgelist
    geneft bits a.graphml b.edgelist.gz graph.col --json
    zcat big.edges.gz | geneft bits -
    geneft bits graph.graphml --labels relation --vertex-colors kind
    geneft bits adjacency.csv --ignore-weights --accuracy 0.9
    geneft bits --relation mod3 --n 10000000
    geneft bits petersen.graphml --orbits --generators

Prints, per graph, n, the number of edges, log2 |Aut|, the exact |Aut| (in full, or in
scientific notation when it is huge), the bits, the engine and the time (Section III of Baek,
Liu, Tegmark 2025); ``--accuracy A`` adds the critical training fraction of Eq. (4);
``--json`` writes the same as one JSON object per graph and line; ``--orbits`` and ``--generators``
add the automorphism group's orbits and generators (:func:`~effective_theory.automorphism_group`).
Like a Unix tool it reads ``-`` as stdin, goes on past a file it cannot read (one line
``geneft: error: FILE: reason`` on stderr per such file) and exits with status 2 at the end when
any file failed.  The numbers come from the theory (:func:`~effective_theory.description_length_report`,
:func:`~effective_theory.relation_automorphism_order`,
:func:`~effective_theory.graph_critical_train_fraction`); this module reads the options, formats
the results and words the theory's errors in its flags (``format=`` is ``--format``).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import signal
import sys
import threading
import time

from effective_theory.statics.automorphisms import ENGINES
from effective_theory.statics.balls_in_buckets import graph_critical_train_fraction, num_entries
from effective_theory.statics.graph_description_length import (
    DescriptionLength,
    description_length_report,
)
from effective_theory.statics.graph_input import GRAPH_FORMATS, MAX_GRAPH_BYTES, ParameterError, read_graph
from effective_theory.statics.relations import (
    parse_relation_name,
    relation_by_name,
    relation_num_arcs,
)

# class_description_length (for --relation above --n 1000) and graph_automorphism_group (for
# --orbits, --generators) are imported where used: the first imports networkx (0.3 s, measured),
# which reading a file and its description length do not need

__all__ = ["add_arguments", "run", "relation_report", "CLOSED_FORM_MIN_N"]

#: ``--relation NAME --n N`` builds the graph up to this n and uses the closed form above it
CLOSED_FORM_MIN_N = 1000


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or math.isinf(value):
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def _accuracy(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must lie in [0, 1) (a target fraction, e.g. 0.9), got {text}")
    return value


def _positive_int(text):
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        try:
            value = float(text)  # 1e7
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if not value.is_integer():
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        value = int(value)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the options of ``geneft bits``."""
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="graph files: edge list, adjacency matrix or adjacency list as text (.txt .edgelist .edges .el "
        ".tsv .csv .dat .adjlist), .npy, .npz, Matrix Market .mtx, .graphml, .gml, Pajek .net, node-link "
        ".json, DIMACS .col/.clq; any of them compressed (.gz .bz2 .xz); - reads stdin. The format is "
        "read from the content. Every file is processed: one that cannot be read is reported on stderr "
        "and the exit status is 2 at the end",
    )
    parser.add_argument(
        "--format",
        choices=GRAPH_FORMATS,
        help="say the format instead of detecting it (needed when the content fits two readings)",
    )
    parser.add_argument(
        "--directed", action="store_true", help="read edges as arcs u -> v (edge lists, symmetric matrices)"
    )
    parser.add_argument(
        "--labels",
        metavar="ATTR",
        help="edge labels: attribute name (GraphML/GML/Pajek/JSON, networkx edge data), a 1-based column "
        "or header name of an edge list (e.g. 3), or weight for a matrix's entries",
    )
    parser.add_argument(
        "--vertex-colors",
        metavar="ATTR",
        help="vertex colours: a node attribute name (GraphML/GML/Pajek/JSON); automorphisms preserve them",
    )
    parser.add_argument(
        "--ignore-weights",
        action="store_true",
        help="ignore edge weights: every edge (or nonzero matrix entry) counts once. By default a weight "
        "other than 1 is refused, in every format (matrix entries, GraphML/GML/Pajek/JSON and networkx "
        "edge data 'weight', a numeric third column of an edge list); --labels weight (--labels 3 for "
        "a 'u v w' edge list) makes the weights edge colours instead",
    )
    parser.add_argument(
        "--header",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="text files: the first line is (not) a header row (default: detected)",
    )
    parser.add_argument(
        "--engine", choices=ENGINES, default="auto", help="automorphism engine (default: auto)"
    )
    parser.add_argument("--time-limit", type=_positive_float, metavar="SECONDS", help="give up after SECONDS")
    parser.add_argument(
        "--max-bytes",
        type=_positive_int,
        default=MAX_GRAPH_BYTES,
        metavar="BYTES",
        help="the most that reading one graph file may take: the file, decompressed, and the arrays "
        f"its declared sizes need (default {MAX_GRAPH_BYTES}, 1 GiB)",
    )
    parser.add_argument(
        "--relation", metavar="NAME", help="one of the paper's relations: mod<k>, greater, bipartite"
    )
    parser.add_argument(
        "--n",
        type=_positive_int,
        metavar="N",
        help=f"number of elements for --relation (default 30; above {CLOSED_FORM_MIN_N} the exact closed "
        "form is used, no graph is built)",
    )
    parser.add_argument(
        "--accuracy",
        type=_accuracy,
        metavar="A",
        help="add the critical training fraction p_c of Eq. (4): the fraction of the N entries a model "
        "needs to infer a fraction A of them",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per graph (one per line)")
    parser.add_argument(
        "--orbits",
        action="store_true",
        help="add the orbits of Aut(G): the classes of vertices that automorphisms map onto each other "
        "(text: the non-trivial ones and the number of fixed vertices; JSON: all of them)",
    )
    parser.add_argument(
        "--generators",
        action="store_true",
        help="add generators of Aut(G), each as its cycles over the vertex names (fixed points left out)",
    )


# --------------------------------------------------------------------------
# the theory's parameters as this command's flags
# --------------------------------------------------------------------------
#: the flag of each keyword parameter of read_graph that takes a value on this command line
_FLAGS = {
    "format": "--format",
    "labels": "--labels",
    "vertex_colors": "--vertex-colors",
    "max_bytes": "--max-bytes",
}


def _flag(mention):
    """A parameter named in a theory error as this command gives it; ``None`` where it cannot
    (``default=`` has no flag, so a hint to pass it is left out)."""
    if mention.parameter == "weight":
        return "--ignore-weights" if mention.has_value and mention.value is None else None
    flag = _FLAGS.get(mention.parameter)
    if flag is None or not mention.has_value:
        return flag
    return f"{flag} {mention.value}"


# --------------------------------------------------------------------------
# relations: the graph, or the closed form for large n
# --------------------------------------------------------------------------
def relation_report(name: str, n: int):
    """``DescriptionLength`` of one of the paper's relations on ``n`` elements from its closed form.

    Exact and instant for any ``n``: ``|Aut|`` is
    :func:`~effective_theory.relation_automorphism_order` (kept factorised), the edges
    :func:`~effective_theory.relation_num_arcs` and the bits
    :func:`~effective_theory.relation_class_bits` (Table II of the paper, exact).
    """
    from effective_theory.statics.class_description_length import (
        relation_automorphism_order,
        relation_class_bits,
    )

    start = time.perf_counter()
    aut = relation_automorphism_order(name, n)
    edges = relation_num_arcs(name, n)
    bits = relation_class_bits(name, n)
    return DescriptionLength(
        n=n,
        edges=edges,
        directed=True,
        aut=aut,
        bits=bits,
        engine="closed form",
        core_n=0,
        core_pairs=0,
        seconds=time.perf_counter() - start,
    )


# --------------------------------------------------------------------------
# output: text and JSON
# --------------------------------------------------------------------------
def _escaped(text: str) -> str:
    """``text`` with its control and other unprintable characters escaped as Python writes them
    (a newline in a file name as ``\\n``), so that one file's output stays on its lines."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _text_lines(source, result, *, method=None, accuracy=None) -> list[str]:
    """The lines ``geneft bits`` prints for one graph (``method`` replaces the engine's name)."""
    core = f" (core: {result.core_n} vertices, {result.core_pairs} edges)" if result.core_n else ""
    lines = [
        f"graph        {_escaped(source)}",
        f"n            {result.n}",
        f"edges        {result.edges}{' (directed)' if result.directed else ''}",
        f"log2|Aut|    {result.log2_aut:.6f}",
        f"|Aut|        {result.aut_order_text()}",
        f"bits         {result.bits:.6f}",
        f"engine       {method or result.engine}{core}",
        f"time         {result.seconds:.3f} s",
    ]
    if accuracy is not None:
        N, pc = _critical_fraction(result, accuracy)
        reach = "  (above 1: out of reach even with every entry)" if pc > 1 else ""
        lines.append(f"p_c          {pc:.6g} of N = {N} entries for alpha = {accuracy:g} (Eq. 4){reach}")
    return lines


def _json_record(source, result, *, method=None, accuracy=None) -> dict:
    """The JSON object ``geneft bits --json`` prints for one graph."""
    record = {
        "graph": source,
        "n": result.n,
        "edges": result.edges,
        "directed": result.directed,
        "log2_aut": result.log2_aut,
        "log10_aut": result.log10_aut,
        "aut_order": result.aut_order,
        "aut_order_text": result.aut_order_text(),
        "bits": result.bits,
        "engine": result.engine,
        "core_n": result.core_n,
        "core_pairs": result.core_pairs,
        "seconds": result.seconds,
    }
    if method:
        record["method"] = method
    if accuracy is not None:
        N, pc = _critical_fraction(result, accuracy)
        record.update(accuracy=accuracy, entries=N, critical_train_fraction=pc)
    return record


def _critical_fraction(result, accuracy):
    """(N, p_c) of Eq. (4) for the graph (N: its independent adjacency entries)."""
    N = num_entries(result.n, directed=result.directed)
    return N, graph_critical_train_fraction(accuracy, result.bits, result.n, directed=result.directed)


def _check_options(args):
    if not args.files and args.relation is None:
        raise ValueError("give a graph FILE or --relation NAME (e.g. geneft bits --relation mod3 --n 30)")
    if args.files and args.relation is not None:
        raise ValueError("give graph FILEs or --relation NAME, not both")
    if args.relation is None and args.n is not None:
        raise ValueError("--n applies to --relation only (a file says its own number of vertices)")
    if args.relation is not None:
        given = [
            opt
            for opt, value in (
                ("--format", args.format),
                ("--labels", args.labels),
                ("--vertex-colors", args.vertex_colors),
                ("--header", args.header),
            )
            if value is not None
        ]
        given += [
            opt
            for opt, on in (("--directed", args.directed), ("--ignore-weights", args.ignore_weights))
            if on
        ]
        if given:
            raise ValueError(
                f"{', '.join(given)} appl{'ies' if len(given) == 1 else 'y'} to graph files, not to "
                "--relation"
            )


def _relation_result(args):
    """(source, DescriptionLength, method) of ``--relation NAME --n N``."""
    n = 30 if args.n is None else args.n
    short = parse_relation_name(args.relation).short
    source = f"relation {short} on n={n}"
    if n > CLOSED_FORM_MIN_N:
        if args.orbits or args.generators:
            raise ValueError(
                f"--orbits and --generators need the relation's graph, which is built up to --n "
                f"{CLOSED_FORM_MIN_N}"
            )
        return source, relation_report(args.relation, n), "closed form (Table II, exact; no graph built)"
    graph = relation_by_name(args.relation, n)
    result = description_length_report(graph, engine=args.engine, time_limit=args.time_limit)
    return source, result, None, _group(args, graph)


def _file_result(args, path):
    """(source, DescriptionLength, method) of one graph file (``-``: stdin)."""
    start = time.perf_counter()
    source = sys.stdin.buffer if path == "-" else path
    shown = "<stdin>" if path == "-" else path
    with _reading_deadline(args.time_limit, shown):
        graph = _read(args, source)
    time_limit = args.time_limit
    if time_limit is not None:  # what reading took counts against the limit
        time_limit -= time.perf_counter() - start
        if time_limit <= 0:
            raise TimeoutError(f"{shown}: --time-limit {args.time_limit:g} s exceeded while reading")
    result = description_length_report(graph, engine=args.engine, time_limit=time_limit)
    return shown, dataclasses.replace(result, seconds=time.perf_counter() - start), None, _group(args, graph)


@contextlib.contextmanager
def _reading_deadline(seconds, shown):
    """Raise ``TimeoutError`` in the reading of ``shown`` once ``seconds`` have passed.

    A SIGALRM timer, so on POSIX in the main thread only (elsewhere reading is not timed); it
    fires between Python operations, so one long compiled call finishes first.  An exception
    raised by the handler while Python runs a finalizer or a weakref callback is swallowed (and
    reported as unraisable), so the expiry is also remembered and raised when the reading ends.
    """
    if (
        seconds is None
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    message = f"{shown}: --time-limit {seconds:g} s exceeded while reading"
    expired = threading.Event()

    def expire(signum, frame):
        expired.set()
        raise TimeoutError(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if expired.is_set():
        raise TimeoutError(message)


def _read(args, source):
    """The graph of one file (or stdin) with this command's reading options."""
    return read_graph(
        source,
        format=args.format,
        directed=True if args.directed else None,
        labels=args.labels,
        vertex_colors=args.vertex_colors,
        weight=None if args.ignore_weights else "weight",
        header=args.header,
        max_bytes=args.max_bytes,
    )


def _reworded(exc) -> str:
    """A theory error in one line, a parameter it names spelled as this command's flag."""
    msg = exc.spelled(_flag) if isinstance(exc, ParameterError) else str(exc)
    return msg.splitlines()[0] if msg else type(exc).__name__


def run(args) -> int:
    """Compute and print the description lengths; returns the exit status.

    Every file is processed in turn: a file that cannot be read or computed is reported in one
    line on stderr (``geneft: error: FILE: reason``) and the next one is read; the status is 2
    when any failed, else 0.  An error of the theory that names one of its parameters is reworded
    with this command's flag for it (``format='matrix'`` becomes ``--format matrix``).
    """
    _check_options(args)
    if args.relation is not None:
        try:
            _print_result(args, *_relation_result(args), first=True)
        except ParameterError as exc:
            raise ValueError(_reworded(exc)) from None
        return 0
    failed = 0
    printed = 0
    for path in args.files:
        try:
            result = _file_result(args, path)
        except (ValueError, TypeError, OSError) as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            failed += 1
            msg = _reworded(exc)
            shown = "<stdin>" if path == "-" else path
            if not msg.startswith(shown) and not msg.endswith(shown):  # the reader names the file
                msg = f"{shown}: {msg}"  # the engines do not
            sys.stdout.flush()  # a log of both streams keeps the files' order
            print(f"geneft: error: {_escaped(msg)}", file=sys.stderr, flush=True)
            continue
        _print_result(args, *result, first=printed == 0)
        printed += 1
    return 2 if failed else 0


def _print_result(args, source, result, method, group=None, *, first) -> None:
    if args.json:
        record = _json_record(source, result, method=method, accuracy=args.accuracy)
        record.update(_group_record(args, group))
        print(json.dumps(record), flush=True)
        return
    if not first:
        print()
    lines = _text_lines(source, result, method=method, accuracy=args.accuracy) + _group_lines(args, group)
    print("\n".join(lines), flush=True)


# --------------------------------------------------------------------------
# --orbits, --generators: the group itself
# --------------------------------------------------------------------------
def _group(args, graph):
    """The automorphism group of ``graph`` when ``--orbits`` or ``--generators`` asks for it."""
    if not (args.orbits or args.generators):
        return None
    from effective_theory.statics.graph_automorphism_group import automorphism_group

    return automorphism_group(graph, engine=args.engine)


def _cycles(group, generator) -> list[list]:
    """The cycles of one generator (image form over ``group.nodes``), fixed points left out."""
    index = {v: i for i, v in enumerate(group.nodes)}
    seen = set()
    cycles = []
    for i, v in enumerate(group.nodes):
        if i in seen or generator[i] == v:
            continue
        cycle = [v]
        seen.add(i)
        j = index[generator[i]]
        while j not in seen:
            seen.add(j)
            cycle.append(group.nodes[j])
            j = index[generator[j]]
        cycles.append(cycle)
    return cycles


def _name(v) -> str:
    return v if isinstance(v, str) else repr(v)


def _group_lines(args, group) -> list[str]:
    """Text lines of ``--orbits`` and ``--generators``: a count, then one orbit or generator a line."""
    if group is None:
        return []
    lines = []
    if args.orbits:
        moved = [o for o in group.orbits if len(o) > 1]
        fixed = len(group.orbits) - len(moved)
        lines.append(f"orbits       {len(group.orbits)} ({fixed} of them a fixed vertex each, not listed)")
        lines += ["             " + " ".join(map(_name, o)) for o in moved]
    if args.generators:
        lines.append(f"generators   {len(group.generators)} ({group.engine})")
        for g in group.generators:
            text = "".join("(" + " ".join(map(_name, c)) + ")" for c in _cycles(group, g))
            lines.append("             " + text)
    return lines


def _group_record(args, group) -> dict:
    """JSON fields of ``--orbits`` (every orbit) and ``--generators`` (each as its cycles)."""
    if group is None:
        return {}
    record = {}
    if args.orbits:
        record["orbits"] = [list(o) for o in group.orbits]
    if args.generators:
        record["generators"] = [_cycles(group, g) for g in group.generators]
        record["group_engine"] = group.engine
    return record
