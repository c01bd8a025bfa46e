"""Graph files: detect the format from the content (checked against the suffix) and parse it.

Private module of :mod:`effective_theory.statics`; the public entry point is
:func:`effective_theory.read_graph` (``graph_input.py``), which validates the one
:class:`FileGraph` read here into an :class:`~effective_theory.EdgeList`.  Every format ends as
the same edge arrays: a matrix as its nonzero entries, a networkx-readable file as its edges
with their labels and its nodes' colours.  The rule everywhere: content that fits two readings
is refused with a one-line error naming the choices, never guessed.

DIMACS graphs (``p edge n m``, ``e u v``) are read here too, as simple undirected graphs.

Only the standard library and numpy are imported at module level; scipy (Matrix Market,
sparse ``.npz``) and networkx (GraphML, GML, Pajek, node-link JSON) only for those formats.
"""

from __future__ import annotations

import ast
import bz2
import gzip
import io
import json
import lzma
import os
import re
import shlex
import stat
import warnings
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np

from effective_theory._checks import Mention, ParameterError
from effective_theory.statics._graph_arrays import (
    MISSING,
    check_weight,
    fill_missing,
    is_unit_weight,
    matrix_edges,
    networkx_parts,
    show,
    weighted_error,
)
from effective_theory.statics._numeric_edge_list import is_numeric_edge_list, parse_numeric_edge_list

__all__ = ["FORMATS", "MAX_GRAPH_BYTES", "FileGraph", "read_file"]

#: the values of ``format=``
FORMATS = (
    "edgelist",
    "adjlist",
    "multiline_adjlist",
    "matrix",
    "npy",
    "npz",
    "mtx",
    "graphml",
    "gml",
    "pajek",
    "json",
    "dimacs",
)

_TEXT_SUFFIXES = (".txt", ".edgelist", ".edges", ".el", ".tsv", ".csv", ".dat")
_SUFFIX_FORMAT = {
    ".npy": "npy",
    ".npz": "npz",
    ".mtx": "mtx",
    ".mm": "mtx",
    ".graphml": "graphml",
    ".gml": "gml",
    ".net": "pajek",
    ".pajek": "pajek",
    ".paj": "pajek",
    ".json": "json",
    ".adjlist": "adjlist",
    ".adj": "adjlist",
    ".col": "dimacs",
    ".clq": "dimacs",
    ".dimacs": "dimacs",
}
_TEXT_FORMATS = ("edgelist", "adjlist", "multiline_adjlist", "matrix")
_COMPRESSED = {".gz": "gzip", ".bz2": "bz2", ".xz": "xz"}

#: the default bound on what reading one graph file may take, in bytes (1 GiB): the file as read,
#: the file decompressed, and the arrays its declared sizes imply (:func:`_check_declared`);
#: ``read_graph(..., max_bytes=...)`` raises or lowers it
MAX_GRAPH_BYTES = 2**30

#: bytes of arrays a declared vertex and a declared edge or entry cost at least while a graph is
#: built (ids, names, endpoints, sorting); a declared size is checked against ``max_bytes`` with
#: these before anything is allocated
_BYTES_PER_VERTEX = 64
_BYTES_PER_ENTRY = 32
#: what the general parser of text takes, at most, per line and per byte (measured on
#: 10^6-line edge lists: 270 bytes a line for ``0 1`` lines, 440 for ``i i+1`` lines with 10^6
#: names, 32-68x the text); a text file that it parses is refused when the larger of the two
#: exceeds ``max_bytes`` (plain integer edge lists are read by :mod:`._numeric_edge_list` instead)
_PARSE_BYTES_PER_LINE = 512
_PARSE_BYTES_PER_BYTE = 40


def _too_large(path, what: str, size: int, max_bytes: int) -> ParameterError:
    """The one-line error of an input over the limit, naming the parameter that raises it."""
    return ParameterError(
        f"{path}: {what}: {size:,} bytes, over the limit ",
        Mention("max_bytes", max_bytes),
        " (raise it to read this input)",
    )


def _check_declared(path, what: str, *, vertices: int = 0, entries: int = 0, max_bytes: int) -> None:
    """Refuse a declared size whose arrays would exceed ``max_bytes``, before allocating them."""
    need = _BYTES_PER_VERTEX * vertices + _BYTES_PER_ENTRY * entries
    if need > max_bytes:
        raise _too_large(path, f"{what} would need at least", need, max_bytes)


#: what one read of an input or of decompressed data asks for at a time: a stream of unknown
#: length is read in such chunks, so that nothing of the size of ``max_bytes`` is allocated for it
_CHUNK_BYTES = 1 << 20


def _read_capped(
    fh, path, max_bytes: int, what: str = "the input is larger", size: int | None = None
) -> bytes:
    """All of ``fh`` up to ``max_bytes`` bytes, or a one-line error naming the limit.

    ``size``, the length when known (a regular file), is read in one call; otherwise the stream is
    read in chunks of :data:`_CHUNK_BYTES` (a read of ``max_bytes + 1`` would allocate that much
    at once, whatever the stream holds).
    """
    if size is not None:
        data = fh.read(min(size, max_bytes) + 1)
        if len(data) <= size:  # the whole file (or all it held by now)
            more = b"" if len(data) > max_bytes else fh.read(1)
            if not more:
                if len(data) > max_bytes:
                    raise _too_large(path, what, len(data), max_bytes)
                return data
            data += more
        chunks = [data]
    else:
        chunks = []
    total = sum(map(len, chunks))
    while total <= max_bytes:
        chunk = fh.read(min(_CHUNK_BYTES, max_bytes + 1 - total))
        if not chunk:
            break
        if isinstance(chunk, str):
            raise TypeError(
                "a stream to read a graph from must be binary (sys.stdin.buffer, open(..., 'rb'))"
            )
        chunks.append(chunk)
        total += len(chunk)
    if total > max_bytes:
        raise _too_large(path, what, total, max_bytes)
    return b"".join(chunks)


#: how far into an XML file the ``<graphml`` element is looked for
_GRAPHML_SNIFF_BYTES = 2**20

_MAGIC = {"gzip": b"\x1f\x8b", "bz2": b"BZh", "xz": b"\xfd7zXZ\x00"}

#: first-line names that make a header row even when the nodes are names too
_HEAD_U = frozenset({"source", "src", "from", "u", "node1", "node_1", "head", "subject", "id1", "start"})
_HEAD_V = frozenset({"target", "dst", "to", "v", "node2", "node_2", "tail", "object", "id2", "end"})
_SPLIT = re.compile(r"\s*[,;\t]\s*|\s+")
#: the problem line of a DIMACS graph (``p edge n m``; ``col`` in some colouring benchmarks)
_DIMACS_PROBLEM = re.compile(r"p\s+(edge|col)\s+(\d+)\s+(\d+)\s*$", re.I)


@dataclass(frozen=True, eq=False)
class FileGraph:
    """What a graph file holds, read but not yet validated: the one result of :func:`read_file`.

    Attributes
    ----------
    edges : ndarray of shape (m, 2), int64
        Vertex ids ``0..n-1``, arcs when ``directed`` (a matrix's nonzero entries).
    n : int
    directed : bool
    labels : sequence of length m, optional
        The edge labels, as read (Python values, unchecked).
    vertex_colors : sequence of length n, optional
        The vertex colours, as read.
    nodes : tuple, optional
        The file's name of each vertex; ``None`` when the vertices are just ``0..n-1``.
    """

    edges: np.ndarray
    n: int
    directed: bool
    labels: object = None
    vertex_colors: object = None
    nodes: tuple | None = None


def _choices(formats) -> tuple:
    """Parts of a message naming ``format=`` with each of ``formats``, comma-separated."""
    parts = []
    for f in formats:
        parts += [", "] if parts else []
        parts.append(Mention("format", f))
    return tuple(parts)


# --------------------------------------------------------------------------
# bytes: decompression and sniffing
# --------------------------------------------------------------------------
def _decompress(path: str, data: bytes, max_bytes: int = MAX_GRAPH_BYTES) -> tuple[bytes, str]:
    """The file's bytes, decompressed if compressed; and the suffix under the compression one."""
    stem, suffix = os.path.splitext(path)
    kind = next((k for k, magic in _MAGIC.items() if data.startswith(magic)), None)
    if suffix.lower() in _COMPRESSED and kind is None:
        raise ValueError(
            f"{path}: the suffix says {_COMPRESSED[suffix.lower()]} but the content is not compressed"
        )
    if kind is None:
        return data, suffix.lower()
    opener = {"gzip": gzip.GzipFile, "bz2": bz2.BZ2File, "xz": lzma.LZMAFile}[kind]
    try:  # streamed, so that a small bomb stops at the limit instead of filling the memory
        with opener(fileobj=io.BytesIO(data)) if kind == "gzip" else opener(io.BytesIO(data)) as fh:
            data = _read_capped(fh, path, max_bytes, f"the {kind} data decompresses to more")
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
        raise ValueError(f"{path}: cannot decompress {kind} data ({_first_line(exc)})") from None
    except ValueError as exc:
        if isinstance(exc, ParameterError):
            raise
        raise ValueError(f"{path}: cannot decompress {kind} data ({_first_line(exc)})") from None
    inner = os.path.splitext(stem)[1].lower() if suffix.lower() in _COMPRESSED else suffix.lower()
    return data, inner


def _sniff(data: bytes) -> str:
    """The format the content shows by itself: a structured one, ``"text"`` or ``"binary"``."""
    if data.startswith(b"\x93NUMPY"):
        return "npy"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "npz"
    head = data[:8192]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "binary"
        text = head[: exc.start].decode("utf-8")
    text = text.lstrip("\ufeff").lstrip()
    if text.startswith("%%MatrixMarket"):
        return "mtx"
    if text.startswith("<"):  # a long prolog (comments, a DTD) may put <graphml past the sample
        return "graphml" if b"<graphml" in data[:_GRAPHML_SNIFF_BYTES] else "xml"
    if text.startswith("{"):
        return "json"
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("%"):
            continue
        if re.match(r"\*(vertices|network)\b", s, re.I):
            return "pajek"
        break
    for line in text.splitlines():  # DIMACS: comment lines "c ...", then the problem line
        s = line.strip()
        if not s or s == "c" or s.startswith("c "):
            continue
        if _DIMACS_PROBLEM.match(s):
            return "dimacs"
        break
    if re.search(r"^\s*graph\s*\[", text, re.M):
        return "gml"
    return "text"


def _resolve_format(path: str, suffix: str, content: str, requested: str | None, *, stream=False) -> str:
    """The format to read: ``requested``, or the content's, checked against the suffix (a stream
    without a suffix, such as stdin, is read by its content alone)."""
    if requested is not None:
        if requested not in FORMATS:
            raise ValueError(f"unknown format {requested!r}; choose one of {', '.join(FORMATS)}")
        if requested in _TEXT_FORMATS and content != "text":
            raise ParameterError(
                f"{path}: ", Mention("format", requested), f" needs plain text, the content is {content}"
            )
        if (
            requested not in _TEXT_FORMATS
            and content != requested
            and (requested, content) != ("graphml", "xml")
        ):
            raise ParameterError(
                f"{path}: ",
                Mention("format", requested),
                f", but the content is not {requested} ({content})",
            )
        return requested
    by_suffix = _SUFFIX_FORMAT.get(suffix)
    if content in ("text", "binary"):
        if content == "binary" and (by_suffix in _TEXT_FORMATS or suffix in _TEXT_SUFFIXES):
            raise ValueError(f"{path}: not a text file (binary content with suffix {suffix})")
        if by_suffix == "adjlist":
            return "adjlist"
        if suffix in _TEXT_SUFFIXES or (stream and not suffix and content == "text"):
            return "text"
        if by_suffix is not None:
            raise ValueError(
                f"{path}: the suffix says {by_suffix} but the content is not {by_suffix} "
                f"({'binary data' if content == 'binary' else 'plain text'})"
            )
        raise ParameterError(
            f"{path}: unknown graph file type {suffix or '(no suffix)'!r}; name the format with one of "
            f"{', '.join(FORMATS)} (",
            Mention("format"),
            "), or use a known suffix",
        )
    if content == "xml":
        raise ValueError(f"{path}: XML that is not GraphML")
    if by_suffix is not None and by_suffix != content and by_suffix not in _TEXT_FORMATS:
        raise ParameterError(
            f"{path}: the suffix says {by_suffix} but the content is {content}; pass ",
            Mention("format", content),
            " if the content is right",
        )
    return content


# --------------------------------------------------------------------------
# plain text: edge list, adjacency matrix, adjacency list
# --------------------------------------------------------------------------
def _is_number(tok: str) -> bool:
    try:
        float(tok)
    except ValueError:
        return False
    return True


def _rows(path, text: str):
    """(line number, tokens) of every line that is not blank or a comment (``#`` anywhere, ``%`` first),
    and the attribute dict that ends a line, by line number.

    networkx writes an edge's or a neighbour's data as a Python dict at the end of the line
    (``0 1 {'weight': 4}``); such a dict is read as Python literals (never evaluated as code) and
    kept apart from the tokens.  A brace anywhere else is refused: it would otherwise become part
    of a node name.
    """
    out = []
    attrs: dict[int, dict] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("%"):
            continue
        brace = min((i for i in (line.find("{"), line.find("}")) if i >= 0), default=-1)
        if brace >= 0:
            attrs[lineno] = _attr_dict(path, lineno, line[brace:])
            line = line[:brace].strip()
        tokens = [t.strip("\"'") for t in _SPLIT.split(line)]
        while tokens and tokens[-1] == "":  # a trailing separator
            tokens.pop()
        if not tokens:
            raise ValueError(f"{path}: line {lineno}: an attribute dict without the nodes it belongs to")
        out.append((lineno, tokens))
    return out, attrs


#: the longest attribute dict at the end of a text line that is read (longer ones are refused)
_ATTR_MAX_CHARS = 4096


def _attr_dict(path, lineno: int, text: str) -> dict:
    """The dict literal ``text`` that ends line ``lineno`` (``{'weight': 4}``), or a one-line error."""
    what = text if len(text) <= 30 else text[:27] + "..."
    if len(text) <= _ATTR_MAX_CHARS and text.startswith("{"):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            value = None
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return value
    raise ValueError(
        f"{path}: line {lineno}: {what!r} is not a node name: braces belong only to an attribute dict "
        "at the end of a line ({'weight': 4}), as networkx writes edge data"
    )


def _header_kind(rows) -> str | None:
    """``"edges"`` for a first line of endpoint names (``source,target``), ``"names"`` for a first
    line of names above numeric lines, else None."""
    first = rows[0][1]
    if len(first) >= 2 and first[0].lower() in _HEAD_U and first[1].lower() in _HEAD_V:
        return "edges"
    if len(rows) < 2 or len(first) < 2 or _is_number(first[0]) or _is_number(first[1]):
        return None
    if all(len(t) >= 2 and _is_number(t[0]) and _is_number(t[1]) for _, t in rows[1:]):
        return "names"
    return None


def _labelled_matrix(rows):
    """Node names of a matrix written with a header row and a name column (pandas ``to_csv``), or None."""
    head = rows[0][1]
    head = head[1:] if head and head[0] == "" else head
    data = rows[1:]
    if len(head) != len(data) or not data:
        return None
    for name, (_, t) in zip(head, data):
        if len(t) != len(head) + 1 or t[0] != name or not all(_is_number(x) for x in t[1:]):
            return None
    return head


def _square_numeric(data) -> bool:
    k = len(data)
    return k > 0 and all(len(t) == k for _, t in data) and all(_is_number(x) for _, t in data for x in t)


def _as_matrix(path, data):
    try:
        return np.array([t for _, t in data], dtype=float)
    except ValueError:
        raise ValueError(f"{path}: an adjacency matrix needs numbers in every entry") from None


def _label_column(path, labels, header):
    if labels is None:
        return None
    if isinstance(labels, int) and not isinstance(labels, bool):
        col = labels
    else:
        text = str(labels)
        if text.isdigit():
            col = int(text)
        elif header is not None and text in header:
            col = header.index(text) + 1
        elif header is not None:
            raise ValueError(f"{path}: no column {text!r} in the header ({', '.join(header)})")
        else:
            raise ParameterError(
                "for an edge list, ",
                Mention("labels"),
                f" is a column number (e.g. 3) or a header name, got {text!r}",
            )
    if col < 3:
        raise ValueError(f"the label column must be 3 or later (columns 1 and 2 are the nodes), got {col}")
    return col


def _edge_rows(path, data, *, directed, col, strict, default, attrs=None, attr=None, weight="weight"):
    """An edge list's rows ``u v [more columns] [{data}]``: labels from column ``col`` or from the
    attribute ``attr`` of the line's dict; weights (a numeric third column, or ``'weight'`` in the
    dicts) other than 1 refused unless ``weight`` is ``None`` or they are the labels."""
    attrs = attrs or {}
    names: dict[str, int] = {}
    ids = np.empty((len(data), 2), dtype=np.int64)
    labs = [] if col is not None else None
    width = len(data[0][1]) if data else 0
    for k, (lineno, t) in enumerate(data):
        if len(t) < 2:
            message = f"{path}: line {lineno}: expected 'u v [...]', got {' '.join(t)[:40]!r}"
            if not strict:
                raise ValueError(message)
            raise ParameterError(message, " (for an adjacency list, ", Mention("format", "adjlist"), ")")
        if lineno in attrs and len(t) != 2:
            raise ValueError(
                f"{path}: line {lineno}: an attribute dict after {len(t)} entries; an edge with data is "
                "'u v {...}', as networkx's write_edgelist writes it"
            )
        if strict and len(t) != width:
            raise ParameterError(
                f"{path}: line {lineno} has {len(t)} entries, line {data[0][0]} has {width}: an edge list "
                "has the same columns on every line; ",
                *_choices(("adjlist", "edgelist")),
                " (extra columns ignored)",
            )
        if col is not None:
            if len(t) < col:
                if default is None:
                    raise ParameterError(
                        f"{path}: line {lineno}: no column {col} for the edge label",
                        hint=(" (pass ", Mention("default"), " to give such edges a label)"),
                    )
                labs.append(default)
            else:
                labs.append(t[col - 1])
        ids[k, 0] = names.setdefault(t[0], len(names))
        ids[k, 1] = names.setdefault(t[1], len(names))
    if weight is not None and col != 3:
        _check_weight_column(path, data)
    if attrs:
        labs = _attr_labels(path, data, attrs, attr=attr, weight=weight, default=default)
    return FileGraph(ids, len(names), bool(directed), labs, None, tuple(names))


def _check_weight_column(path, data) -> None:
    """Refuse a third column of numbers that are not all 1: the weights of a weighted edge list
    (a third column of names is not a weight, and is ignored)."""
    third = [(ln, t[2]) for ln, t in data if len(t) >= 3]
    if not third or not all(_is_number(x) for _, x in third):
        return
    ln, x = next(((ln, x) for ln, x in third if float(x) != 1), (None, None))
    if ln is not None:
        t = next(t for n, t in data if n == ln)
        raise weighted_error(f"{path}: line {ln}: the edge {' '.join(t[:2])}", _number(x), "labels", 3)


def _number(tok: str):
    """A numeric token as the number it reads as (``4`` an int, ``2.5`` a float), for messages."""
    try:
        return int(tok)
    except ValueError:
        return float(tok)


def _attr_labels(path, data, attrs, *, attr, weight, default):
    """Labels from the attribute dicts that end the lines ``data`` (``None`` without ``attr``),
    after refusing weights other than 1 unless ``weight`` is ``None`` or ``attr`` is ``'weight'``."""
    dicts = [attrs.get(ln) or {} for ln, _ in data]
    if weight is not None and attr != "weight":
        for (ln, t), d in zip(data, dicts):
            if "weight" in d and not is_unit_weight(d["weight"]):
                edge = " ".join(t[:2])
                raise weighted_error(f"{path}: line {ln}: the edge {edge}", d["weight"], "labels", "weight")
    if attr is None:
        return None
    values = [d.get(attr, MISSING) for d in dicts]
    try:
        values = fill_missing(
            values, [f"line {ln}" for ln, _ in data], attr, "edge", default, {k for d in dicts for k in d}
        )
    except ParameterError as exc:
        raise exc.prefixed(f"{path}: ") from None
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    for (ln, _), x in zip(data, values):
        try:
            hash(x)
        except TypeError:
            raise TypeError(f"{path}: line {ln}: the label {show(x)} is not hashable") from None
    return values


def _multiline_blocks(rows, attrs):
    """A multiline adjacency list (networkx's ``write_multiline_adjlist``: a line ``u d``, then
    ``d`` lines ``v [{data}]``, one per neighbour): ``(edges, heads), None`` with the edges as
    ``(u, v, line number)`` and the names on the ``u d`` lines; ``None, line`` at the first line
    that does not fit."""
    edges = []
    heads = []
    i = 0
    while i < len(rows):
        ln, t = rows[i]
        if len(t) != 2 or ln in attrs or not (t[1].isascii() and t[1].isdigit()):
            return None, ln
        d = int(t[1])
        if d > len(rows) - i - 1:
            return None, ln
        heads.append(t[0])
        for ln2, t2 in rows[i + 1 : i + 1 + d]:
            if len(t2) != 1:
                return None, ln2
            edges.append((t[0], t2[0], ln2))
        i += 1 + d
    return (edges, heads), None


def _is_multiline(rows, attrs) -> bool:
    """Whether ``rows`` are a multiline adjacency list as networkx writes one: every node on one
    ``u d`` line of its own, at least one neighbour line.  A plain adjacency list or an edge list
    never is (its neighbours would each start a second line), so this is no guess."""
    blocks, _ = _multiline_blocks(rows, attrs)
    if blocks is None:
        return False
    edges, heads = blocks
    return bool(edges) and len(set(heads)) == len(heads) and {v for _, v, _ in edges} <= set(heads)


def _multiline_rows(path, rows, attrs, *, directed, labels, weight, default) -> FileGraph:
    """The graph of a multiline adjacency list; a simple graph, as networkx's
    ``read_multiline_adjlist`` reads it (an edge given twice is one edge, its last data kept)."""
    blocks, bad = _multiline_blocks(rows, attrs)
    if blocks is None:
        raise ValueError(
            f"{path}: line {bad}: not a multiline adjacency list (a line 'u d', then d lines 'v [{{data}}]')"
        )
    if labels is not None and not isinstance(labels, str):
        raise ParameterError(
            f"{path}: ", Mention("labels"), " of a multiline adjacency list is an attribute name"
        )
    edges, _ = blocks
    names: dict[str, int] = {}
    for _, t in rows:
        names.setdefault(t[0], len(names))
    where: dict[tuple, int] = {}
    for k, (u, v, _) in enumerate(edges):
        a, b = names[u], names[v]
        where[(a, b) if directed else (min(a, b), max(a, b))] = k
    kept = sorted(where.values())
    ids = np.asarray([(names[edges[k][0]], names[edges[k][1]]) for k in kept], dtype=np.int64).reshape(-1, 2)
    data = [(edges[k][2], edges[k][:2]) for k in kept]
    labs = _attr_labels(path, data, attrs, attr=labels, weight=weight, default=default)
    return FileGraph(ids, len(names), bool(directed), labs, None, tuple(names))


def _no_attrs(path, attrs, what: str) -> None:
    """Refuse the attribute dicts of a file read as ``what``, which has none."""
    if attrs:
        ln = min(attrs)
        raise ParameterError(
            f"{path}: line {ln}: an attribute dict, which {what} cannot have (networkx writes them in ",
            *_choices(("edgelist", "multiline_adjlist")),
            ")",
        )


#: what reading a plain integer edge list (:mod:`._numeric_edge_list`) takes at most, per byte of
#: text (measured by ``benchmarks/bench_graph_reading.py``), checked against ``max_bytes``
#: before it parses
_FAST_PARSE_BYTES_PER_BYTE = 12


def _adjacency_rows(path, data, *, directed):
    names: dict[str, int] = {}
    seen = set()
    pairs = []
    for _, t in data:
        if not t:
            continue
        u = names.setdefault(t[0], len(names))
        for x in t[1:]:
            v = names.setdefault(x, len(names))
            key = (u, v) if directed else (min(u, v), max(u, v))
            if key not in seen:  # networkx's read_adjlist: a simple graph
                seen.add(key)
                pairs.append(key)
    ids = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return FileGraph(ids, len(names), bool(directed), None, None, tuple(names))


def _read_text(
    path, data: bytes, fmt, *, directed, labels, vertex_colors, weight, header, default, told=False
):
    """A text graph: ``fmt`` is the format asked for (``told``) or implied by the suffix
    (``"adjlist"``), or ``None`` to tell an edge list from a matrix by the content."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a text file ({exc.reason} at byte {exc.start})") from None
    rows, attrs = _rows(path, text)
    if not rows:
        raise _no_vertices(path)
    if fmt == "multiline_adjlist" or (
        not told and header is None and fmt in (None, "adjlist") and _is_multiline(rows, attrs)
    ):
        g = _multiline_rows(
            path, rows, attrs, directed=directed, labels=labels, weight=weight, default=default
        )
        return _without_colours(path, g, vertex_colors)
    names = None
    head = None
    kind = None
    if header is None:
        names = _labelled_matrix(rows) if fmt in (None, "matrix") and not attrs else None
        kind = "matrix" if names is not None else _header_kind(rows)
    elif header:
        kind = "names"
    if kind is not None:
        head = rows[0][1]
        rows = rows[1:]
        if names is not None:
            rows = [(ln, t[1:]) for ln, t in rows]
        elif fmt is None and kind == "edges":
            fmt = "edgelist-strict"  # endpoint names in the header: an edge list
        elif fmt in (None, "matrix") and labels is None and len(head) == len(rows) >= 3 and not attrs:
            names = head if _square_numeric(rows) else None  # a matrix under a row of node names
    if fmt == "adjlist":
        _no_attrs(path, attrs, "an adjacency list")
        if labels is not None:
            raise ValueError(f"{path}: an adjacency list has no edge labels")
        return _without_colours(path, _adjacency_rows(path, rows, directed=directed), vertex_colors)
    if fmt == "matrix" or names is not None:
        _no_attrs(path, attrs, "an adjacency matrix")
        if labels not in (None, "weight"):
            raise ParameterError(
                f"{path}: an adjacency matrix has no edge labels but its entries (",
                Mention("labels", "weight"),
                ")",
            )
        if not _square_numeric(rows):
            k = len(rows)
            bad = next(((ln, t) for ln, t in rows if len(t) != k), rows[0])
            raise ValueError(
                f"{path}: not a square matrix of numbers ({k} rows; line {bad[0]} has {len(bad[1])} entries)"
            )
        A = _as_matrix(path, rows)
        return _matrix_graph(
            path, A, names, directed=directed, vertex_colors=vertex_colors, weight=weight, labels=labels
        )
    attr = None
    if attrs and isinstance(labels, str) and not labels.isdigit() and not (head and labels in head):
        attr, labels = labels, None  # an attribute of the dicts that end the lines
    edges = dict(directed=directed, default=default, attrs=attrs, attr=attr, weight=weight)
    if fmt in ("edgelist", "edgelist-strict"):
        col = _label_column(path, labels, head)
        g = _edge_rows(path, rows, col=col, strict=fmt == "edgelist-strict", **edges)
        return _without_colours(path, g, vertex_colors)
    # fmt is None: tell a square numeric matrix from an edge list
    if labels in (None, "weight") and not attrs and _square_numeric(rows):
        k = len(rows)
        A = _as_matrix(path, rows)
        binary = bool(np.all((A == 0) | (A == 1)))
        if k == 1 or (k >= 3 and binary) or k >= 5:
            return _matrix_graph(
                path, A, None, directed=directed, vertex_colors=vertex_colors, weight=weight, labels=labels
            )
        what = (
            "a 2 x 2 adjacency matrix or 2 edges"
            if k == 2
            else (f"a {k} x {k} weighted adjacency matrix or {k} edges with {k - 2} more column(s)")
        )
        raise ParameterError(
            f"{path}: ambiguous: {k} lines of {k} numbers could be {what}; say which with ",
            *_choices(("matrix", "edgelist")),
        )
    g = _edge_rows(path, rows, col=_label_column(path, labels, head), strict=True, **edges)
    return _without_colours(path, g, vertex_colors)


def _without_colours(path, g: FileGraph, vertex_colors) -> FileGraph:
    """``g``, read from an edge or adjacency list, which has no node attributes to colour by."""
    if vertex_colors is not None:
        raise ParameterError(
            f"{path}: an edge or adjacency list has no node attributes for ",
            Mention("vertex_colors"),
            " (use GraphML, GML, Pajek or node-link JSON)",
        )
    return g


def _matrix_graph(path, A, names, *, directed, vertex_colors, weight, labels=None) -> FileGraph:
    """The edges of the square matrix ``A`` read from ``path`` (``names``: its node names or None);
    ``labels="weight"``: the entries are the edges' labels."""
    if vertex_colors is not None:
        raise ParameterError(
            f"{path}: an adjacency matrix has no node attributes for ", Mention("vertex_colors")
        )
    edges, n, is_directed, *entries = matrix_edges(
        A,
        weight=weight,
        directed=directed,
        what=f"{path}: adjacency matrix",
        values=labels == "weight",
        label_parameter="labels",
    )
    lab = entries[0].tolist() if entries else None
    return FileGraph(edges, n, is_directed, lab, nodes=None if names is None else tuple(names))


# --------------------------------------------------------------------------
# DIMACS graphs (.col, .clq)
# --------------------------------------------------------------------------
def _read_dimacs(
    path, data: bytes, *, directed, labels, vertex_colors, max_bytes=MAX_GRAPH_BYTES
) -> FileGraph:
    """A DIMACS graph: comment lines ``c ...``, one problem line ``p edge n m``, then ``m`` edge
    lines ``e u v`` with vertices ``1..n``; a simple undirected graph.

    An edge listed twice (``e 1 2`` and ``e 2 1``, as some colouring benchmarks list every edge)
    is one edge, and ``m`` may count either the ``e`` lines or the distinct edges; any other count
    is refused, as are vertices outside ``1..n`` and lines of another kind.  The ``n`` vertices
    are all there, the isolated ones included (they are named ``1..n``).
    """
    if labels is not None:
        raise ParameterError(f"{path}: a DIMACS graph has no edge labels (", Mention("labels"), ")")
    if vertex_colors is not None:
        raise ParameterError(f"{path}: a DIMACS graph has no node attributes for ", Mention("vertex_colors"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a text file ({exc.reason} at byte {exc.start})") from None
    n = m = None
    pairs = []
    for lineno, line in enumerate(text.splitlines(), 1):
        t = line.split()
        if not t or t[0] == "c":
            continue
        if t[0] == "p":
            match = _DIMACS_PROBLEM.match(line.strip())
            if n is not None or match is None:
                what = "a second problem line" if n is not None else f"expected 'p edge n m', got {line!r}"
                raise ValueError(f"{path}: line {lineno}: {what}")
            n, m = int(match.group(2)), int(match.group(3))
            _check_declared(
                path, f"line {lineno}: {n:,} vertices", vertices=n, entries=m, max_bytes=max_bytes
            )
            continue
        if t[0] != "e":
            raise ValueError(f"{path}: line {lineno}: expected a 'c', 'p' or 'e' line, got {line[:40]!r}")
        if n is None:
            raise ValueError(f"{path}: line {lineno}: an edge before the problem line 'p edge n m'")
        if len(t) != 3 or not (t[1].isdigit() and t[2].isdigit()):
            raise ValueError(f"{path}: line {lineno}: expected 'e u v' (vertex numbers), got {line[:40]!r}")
        u, v = int(t[1]), int(t[2])
        if not (1 <= u <= n and 1 <= v <= n):
            raise ValueError(f"{path}: line {lineno}: vertex {u if not 1 <= u <= n else v} is not in 1..{n}")
        pairs.append((min(u, v) - 1, max(u, v) - 1))
    if n is None:
        raise ValueError(f"{path}: no problem line 'p edge n m'")
    edges = np.unique(np.asarray(pairs, dtype=np.int64).reshape(-1, 2), axis=0)
    if m not in (len(pairs), len(edges)):
        raise ValueError(
            f"{path}: the problem line says {m} edges, the file has {len(pairs)} 'e' lines "
            f"({len(edges)} distinct edges)"
        )
    if directed:  # read as arcs: each edge both ways, a loop once
        arcs = edges[:, ::-1][edges[:, 0] != edges[:, 1]]
        edges = np.concatenate([edges, arcs])
    return FileGraph(edges, n, bool(directed), nodes=tuple(range(1, n + 1)))


# --------------------------------------------------------------------------
# binary and structured formats
# --------------------------------------------------------------------------
def _square_array(path, a, what):
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        shape = " x ".join(map(str, a.shape)) or "0-d"
        hint = (
            (
                " (an edge array: pass it to description_length(edges, n=...) in Python, or save it as text "
                "with np.savetxt and read it as an edge list)"
            )
            if a.ndim == 2 and a.shape[1] == 2
            else ""
        )
        raise ValueError(f"{path}: {what} holds a {shape} array, not a square adjacency matrix{hint}")
    return a


def _read_npy(path, data):
    try:
        a = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as exc:
        raise ValueError(f"{path}: not a readable .npy array ({_first_line(exc)})") from None
    return _square_array(path, a, ".npy")


def _read_npz(path, data, max_bytes=MAX_GRAPH_BYTES):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            inflated = sum(info.file_size for info in zf.infolist())
    except Exception as exc:
        raise ValueError(f"{path}: not a readable .npz archive ({_first_line(exc)})") from None
    if inflated > max_bytes:
        raise _too_large(path, "the archive's members decompress to", inflated, max_bytes)
    try:
        z = np.load(io.BytesIO(data), allow_pickle=False)
        keys = list(z.keys())
    except Exception as exc:
        raise ValueError(f"{path}: not a readable .npz archive ({_first_line(exc)})") from None
    if {"format", "shape", "data"} <= set(keys):
        # imported here: scipy.sparse takes 0.22 s to import (measured),
        # and no module of the theory imports scipy when it is imported
        import scipy.sparse as sp

        try:
            return sp.load_npz(io.BytesIO(data))
        except Exception as exc:
            raise ValueError(f"{path}: not a readable scipy.sparse .npz ({_first_line(exc)})") from None
    if len(keys) != 1:
        raise ValueError(
            f"{path}: the archive holds {len(keys)} arrays ({', '.join(keys) or 'none'}); expected one "
            "square matrix (np.savez(path, A)) or a scipy.sparse.save_npz file"
        )
    try:
        a = z[keys[0]]
    except Exception as exc:
        raise ValueError(f"{path}: not a readable .npz archive ({_first_line(exc)})") from None
    if not isinstance(a, np.ndarray):  # a member that is not a .npy file comes back as bytes
        raise ValueError(f"{path}: the archive's member {keys[0][:40]!r} is not a .npy array")
    return _square_array(path, a, ".npz")


_MTX_FIELD_WIDTH = {b"pattern": 0, b"real": 1, b"integer": 1, b"double": 1, b"complex": 2}


#: a number of a Matrix Market entry as this checker accepts it (no nan, inf or underscores)
_MTX_NUMBER = re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_MTX_SYMMETRY = (b"general", b"symmetric", b"skew-symmetric", b"hermitian")


def _mtx_checked(path, data, max_bytes) -> bytes:
    """Check a Matrix Market file in Python and return the text that scipy is given to read.

    The banner, the size line (its declared sizes against ``max_bytes``, before anything is
    allocated) and every entry line (the number of fields, indices within the sizes, numbers
    that are plain decimals, as many entries as declared).  scipy's compiled reader can crash the
    process on some malformed bodies (found by fuzzing: a vertical tab at the end of a line), so
    it never reads the file's bytes: it reads a copy rebuilt from the checked fields, one space
    between fields, comments left out.
    """
    lines = io.BytesIO(data)
    banner = lines.readline().split()
    if len(banner) != 5 or banner[0].lower() != b"%%matrixmarket" or banner[1].lower() != b"matrix":
        raise ValueError(f"{path}: line 1: expected '%%MatrixMarket matrix FORMAT FIELD SYMMETRY'")
    layout, field, symmetry = banner[2].lower(), banner[3].lower(), banner[4].lower()
    width = _MTX_FIELD_WIDTH.get(field)
    if (
        layout not in (b"coordinate", b"array")
        or width is None
        or (layout == b"array" and not width)
        or symmetry not in _MTX_SYMMETRY
    ):
        raise ValueError(f"{path}: line 1: unsupported Matrix Market kind {b' '.join(banner[2:5])!r}")
    coordinate = layout == b"coordinate"
    out = [b"%%MatrixMarket matrix " + b" ".join((layout, field, symmetry))]
    sizes = None
    count = 0
    for lineno, line in enumerate(lines, 2):
        t = line.split()
        if not t or t[0].startswith(b"%"):
            continue
        if sizes is None:
            if len(t) != (3 if coordinate else 2) or not all(x.isdigit() for x in t):
                raise ValueError(
                    f"{path}: line {lineno}: expected the sizes 'rows cols{' entries' if coordinate else ''}'"
                )
            sizes = [int(x) for x in t]
            rows, cols = sizes[:2]
            if coordinate:
                expected = sizes[2]
            elif symmetry == b"general":
                expected = rows * cols
            else:  # a symmetric dense matrix lists one triangle (skew-symmetric: without the diagonal)
                expected = rows * (rows + (-1 if symmetry == b"skew-symmetric" else 1)) // 2
            if coordinate:
                what = f"{max(rows, cols):,} vertices and {expected:,} entries"
                _check_declared(path, what, vertices=max(rows, cols), entries=expected, max_bytes=max_bytes)
            else:
                what = f"a dense {rows:,} x {cols:,} matrix"
                _check_declared(path, what, entries=expected // 4, max_bytes=max_bytes)
            out.append(b" ".join(str(x).encode() for x in sizes))
            continue
        if len(t) != (2 + width if coordinate else width):
            raise ValueError(
                f"{path}: line {lineno}: expected {2 + width if coordinate else width} fields, got {len(t)}"
            )
        if coordinate:
            if not (t[0].isdigit() and t[1].isdigit() and 1 <= int(t[0]) <= rows and 1 <= int(t[1]) <= cols):
                raise ValueError(f"{path}: line {lineno}: an index outside 1..{rows} x 1..{cols}")
        if not all(_MTX_NUMBER.fullmatch(x) for x in (t[2:] if coordinate else t)):
            raise ValueError(f"{path}: line {lineno}: not a number")
        count += 1
        if count > expected:
            raise ValueError(f"{path}: line {lineno}: more entries than the {expected:,} declared")
        out.append(b" ".join(t))
    if sizes is None:
        raise ValueError(f"{path}: no size line")
    if coordinate and count != expected:
        raise ValueError(f"{path}: {count:,} entries, the size line declares {expected:,}")
    if not coordinate and count != expected:
        raise ValueError(f"{path}: {count:,} entries, this dense {rows} x {cols} matrix has {expected:,}")
    return b"\n".join(out) + b"\n"


def _read_mtx(path, data, max_bytes=MAX_GRAPH_BYTES):
    # imported here: scipy.io takes 0.24 s to import (measured), which only a Matrix Market file needs
    import scipy.io

    checked = _mtx_checked(path, data, max_bytes)
    try:
        A = scipy.io.mmread(io.BytesIO(checked))
    except Exception as exc:
        raise ValueError(f"{path}: not a readable Matrix Market file ({_first_line(exc)})") from None
    return A


def _first_line(exc) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _read_networkx(path, data, fmt):
    # imported here: networkx takes 0.10 s to import (measured), which only the GraphML, GML,
    # Pajek and JSON formats need
    import networkx as nx

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a text file ({exc.reason})") from None
    obj = None
    lines = None
    if fmt == "pajek":
        lines = _check_pajek(path, text)
    elif fmt == "json":
        try:
            obj = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise ValueError(f"{path}: not JSON ({_first_line(exc)})") from None
        _check_node_link(path, obj)
    try:
        if fmt == "graphml":
            G = nx.parse_graphml(text)
        elif fmt == "gml":
            G = nx.parse_gml(text.splitlines(), label="id")
        elif fmt == "pajek":
            G = nx.parse_pajek(lines)
        else:
            key = "links" if "links" in obj and "edges" not in obj else "edges"
            G = nx.node_link_graph(obj, edges=key)
    except Exception as exc:
        raise ValueError(f"{path}: cannot parse {fmt} ({_first_line(exc)})") from None
    return G


def _pajek_tokens(path, lineno: int, line: str) -> list[str]:
    """A Pajek line split as networkx's reader splits it (shell-like quoting)."""
    try:
        return shlex.split(line)
    except ValueError as exc:
        raise ValueError(f"{path}: line {lineno}: {exc} (unbalanced quotes)") from None


def _check_pajek(path, text: str) -> list[str]:
    """Check a Pajek file in Python before networkx's reader, and return the lines to give it.

    networkx's reader misreads some malformed files silently (an edge line with one vertex is
    skipped, a vertex label given twice merges two vertices, an edge to an undeclared vertex adds
    one, a comment among the edges is an edge) and fails on others with messages that name no
    line ("not enough values to unpack").  Refused here, each in one line that names it: a
    malformed section line, a vertex line without ``id label``, a repeated id or label, fewer
    vertex lines than declared, an edge line without two vertices or with an undeclared one, a
    malformed ``*Matrix`` row, a second section after the edges or the matrix (networkx reads every
    line after them as theirs), and any other line outside a section.  Comment lines (``%``) are
    left out of what networkx reads, except among the vertex lines, which it takes by count.
    """
    lines = text.splitlines()
    kept = []
    ids: dict[str, int] = {}
    labels: dict[str, int] = {}
    section = None
    declared = rows = 0
    i = 0
    while i < len(lines):
        lineno, line = i + 1, lines[i].strip()
        i += 1
        if not line or line.startswith("%"):
            continue
        low = line.lower()
        if section in ("edges", "arcs", "matrix"):
            if low.startswith("*"):
                raise ValueError(
                    f"{path}: line {lineno}: {line.split()[0][:20]!r} after *{section.capitalize()}: "
                    "networkx reads every line after an edge or matrix section as part of it: it comes last"
                )
            kept.append(line)
            if section == "matrix":
                t = line.split()
                rows += 1
                if (
                    rows > declared
                    or len(t) != declared
                    or not all(x.isascii() and x.lstrip("-").isdigit() for x in t)
                ):
                    raise ValueError(
                        f"{path}: line {lineno}: a *Matrix of {declared} vertices has {declared} rows of "
                        f"{declared} integers"
                    )
                continue
            t = _pajek_tokens(path, lineno, line)
            if len(t) < 2:
                raise ValueError(f"{path}: line {lineno}: an edge line needs two vertices, got {line[:40]!r}")
            for x in t[:2]:
                if ids and x not in ids:
                    raise ValueError(f"{path}: line {lineno}: vertex {x[:20]!r} is not among the *Vertices")
            continue
        kept.append(line)
        if low.startswith("*network"):
            continue
        if low.startswith("*vertices"):
            t = line.split()
            if len(t) != 2 or not (t[1].isascii() and t[1].isdigit()) or t[0].lower() != "*vertices":
                raise ValueError(f"{path}: line {lineno}: expected '*Vertices N', got {line[:40]!r}")
            if section is not None:
                raise ValueError(f"{path}: line {lineno}: a second *Vertices section")
            declared = int(t[1])
            if declared > len(lines) - i:
                raise ValueError(
                    f"{path}: line {lineno}: {declared:,} vertices declared but only {len(lines) - i:,} "
                    "line(s) follow (a truncated file?)"
                )
            for _ in range(declared):  # networkx takes the next N lines, whatever they hold
                lineno, line = i + 1, lines[i]
                i += 1
                kept.append(line)
                t = _pajek_tokens(path, lineno, line)
                if len(t) < 2:
                    raise ValueError(
                        f"{path}: line {lineno}: a vertex line needs 'id label', got {line[:40]!r}"
                    )
                if t[0] in ids or t[1] in labels:
                    what = f"id {t[0][:20]!r}" if t[0] in ids else f"label {t[1][:20]!r}"
                    first = ids.get(t[0]) or labels.get(t[1])
                    raise ValueError(f"{path}: line {lineno}: the vertex {what} is also on line {first}")
                ids[t[0]], labels[t[1]] = lineno, lineno
            section = "vertices"
            continue
        if low.startswith(("*edges", "*arcs")):
            section = "edges" if low.startswith("*edges") else "arcs"
            continue
        if low.startswith("*matrix"):
            section = "matrix"
            continue
        raise ValueError(
            f"{path}: line {lineno}: expected a section line (*Vertices N, *Edges, *Arcs, *Matrix), "
            f"got {line[:40]!r}"
        )
    return kept


def _json_hashable(x):
    """A node id of node-link JSON as networkx makes it (lists become tuples), or ``TypeError``."""
    if isinstance(x, list):
        return tuple(_json_hashable(y) for y in x)
    hash(x)
    return x


def _check_node_link(path, obj) -> None:
    """Check node-link JSON before networkx builds it, naming what is wrong: its reader fails with
    messages such as "'int' object has no attribute 'get'", and adds a node silently for an edge
    whose endpoint is no node's id (as when links give positions but nodes have names)."""
    where = f"{path}: node-link JSON"

    def shown(x):
        text = json.dumps(x)
        return text if len(text) <= 30 else text[:27] + "..."

    if not isinstance(obj, dict) or not isinstance(obj.get("nodes"), list):
        raise ValueError(f"{where}: expected an object with a list 'nodes' and a list 'edges' (or 'links')")
    key = "links" if "links" in obj and "edges" not in obj else "edges"
    edges = obj.get(key, [])
    if not isinstance(edges, list):
        raise ValueError(f"{where}: {key!r} is {shown(edges)}, not a list")
    for flag in ("directed", "multigraph"):
        if flag in obj and not isinstance(obj[flag], bool):
            raise ValueError(f"{where}: {flag!r} is {shown(obj[flag])}, not true or false")
    ids = set()
    counter = 0
    for k, d in enumerate(obj["nodes"]):
        if not isinstance(d, dict):
            raise ValueError(f"{where}: nodes[{k}] is {shown(d)}, not an object")
        if "id" in d:
            x = d["id"]
        else:  # networkx numbers the nodes without an id
            x, counter = counter, counter + 1
        try:
            x = _json_hashable(x)
        except TypeError:
            raise ValueError(
                f"{where}: nodes[{k}] has the id {shown(d['id'])}, which cannot name a node"
            ) from None
        if x is None or x in ids:
            raise ValueError(
                f"{where}: nodes[{k}]: the id {shown(x)} is {'null' if x is None else 'repeated'}"
            )
        ids.add(x)
    for k, d in enumerate(edges):
        if not isinstance(d, dict) or "source" not in d or "target" not in d:
            raise ValueError(f"{where}: {key}[{k}] is {shown(d)}, not an object with 'source' and 'target'")
        for end in ("source", "target"):
            try:
                x = _json_hashable(d[end])
            except TypeError:
                x = None
            if x is None or x not in ids:
                raise ValueError(f"{where}: {key}[{k}]: the {end} {shown(d[end])} is not the id of a node")


def _networkx_graph(path, G, *, directed, labels, vertex_colors, default, weight="weight") -> FileGraph:
    """The edges, labels and colours of the networkx graph ``G`` read from ``path``."""
    try:
        n, arr, is_dir, lab, colours, nodes = networkx_parts(
            G, vertex_colors, labels, default, weight=weight, label_parameter="labels"
        )
    except ParameterError as exc:
        raise exc.prefixed(f"{path}: ") from None
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    if directed is False and is_dir:
        raise ValueError(f"{path}: the file holds a directed graph")
    if directed and not is_dir:  # an undirected file read as arcs: each edge both ways
        arr = np.concatenate([arr, arr[:, ::-1]])
        lab = None if lab is None else list(lab) + list(lab)
        is_dir = True
    return FileGraph(arr, n, is_dir, lab, colours, tuple(nodes))


def read_file(
    path: str,
    *,
    format=None,
    directed=None,
    labels=None,
    vertex_colors=None,
    weight="weight",
    header=None,
    default=None,
    max_bytes=MAX_GRAPH_BYTES,
) -> FileGraph:
    """Read the graph file ``path``, whatever its format, as one :class:`FileGraph`.

    ``path`` is a file name or a binary stream (``sys.stdin.buffer``), read to its end and named
    in messages by its ``name`` (``<stdin>``); a stream whose name has no suffix is read by its
    content alone.  The keyword parameters are those of :func:`effective_theory.read_graph`; a
    matrix's entries are checked against ``weight`` here, the labels and colours are checked by the
    caller.
    """
    check_weight(weight)
    where = [path if isinstance(path, str) else getattr(path, "name", "<stream>")]
    # the libraries' warnings about a file's quirks (a GraphML key without a type, a .npy header
    # of Python 2) are not shown: the file is read, or refused in one line
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = _read_file(
            path,
            where,
            format=format,
            directed=directed,
            labels=labels,
            vertex_colors=vertex_colors,
            weight=weight,
            header=header,
            default=default,
            max_bytes=max_bytes,
        )
    if g.n == 0:
        raise _no_vertices(where[0])
    return g


def _no_vertices(path) -> ValueError:
    """The one error of a file without vertices, whatever its format (empty, header-only, truncated)."""
    return ValueError(f"{path}: no vertices (n = 0): the file is empty, holds only a header or is truncated")


def _read_file(
    path,
    where: list,
    *,
    format,
    directed,
    labels,
    vertex_colors,
    weight,
    header,
    default,
    max_bytes,
) -> FileGraph:
    """:func:`read_file` up to the check of ``n``; ``where[0]`` becomes the name messages give."""
    stream = hasattr(path, "read")
    if stream:
        name = getattr(path, "name", None)
        shown = name if isinstance(name, str) else "<stream>"
        where[0] = shown
        data = _read_capped(path, shown, max_bytes)
        path = shown
    else:
        if not os.path.exists(path):
            raise FileNotFoundError(f"no such file: {path}")
        if os.path.isdir(path):
            raise IsADirectoryError(f"{path} is a directory, not a graph file")
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):  # a FIFO with no writer would block, /dev/zero never ends
            kind = (
                "a FIFO"
                if stat.S_ISFIFO(mode)
                else "a device"
                if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a special file"
            )
            raise ValueError(f"{path} is {kind}, not a regular file: pipe it to standard input instead")
        size = os.path.getsize(path)
        if size > max_bytes:
            raise _too_large(path, "the file", size, max_bytes)
        with open(path, "rb") as fh:
            data = _read_capped(fh, path, max_bytes, size=size)
    data, suffix = _decompress(path, data, max_bytes)
    if not data.strip():
        raise _no_vertices(path)
    if stream and path.startswith("<"):
        suffix = ""  # <stdin>: a name, not a file's
    fmt = _resolve_format(path, suffix, _sniff(data), format, stream=stream)
    if (
        fmt in ("text", "edgelist")
        and header is not True
        and labels is None
        and vertex_colors is None
        and is_numeric_edge_list(data)
    ):  # lines of two integers: parsed by numpy, with no Python object per token
        need = _FAST_PARSE_BYTES_PER_BYTE * len(data)
        if need > max_bytes:
            raise _too_large(path, f"parsing {len(data):,} bytes of text would need about", need, max_bytes)
        ids, names = parse_numeric_edge_list(data)
        return FileGraph(ids, len(names), bool(directed), None, None, names)
    if fmt not in ("npy", "npz", "mtx"):  # text: parsing takes a multiple of its size
        need = max(_PARSE_BYTES_PER_LINE * (data.count(b"\n") + 1), _PARSE_BYTES_PER_BYTE * len(data))
        if need > max_bytes:
            raise _too_large(path, f"parsing {len(data):,} bytes of text would need about", need, max_bytes)
    if fmt in ("text", *_TEXT_FORMATS):
        return _read_text(
            path,
            data,
            None if fmt == "text" else fmt,
            directed=directed,
            labels=labels,
            vertex_colors=vertex_colors,
            weight=weight,
            header=header,
            default=default,
            told=format is not None,
        )
    if fmt == "dimacs":
        return _read_dimacs(
            path, data, directed=directed, labels=labels, vertex_colors=vertex_colors, max_bytes=max_bytes
        )
    if labels not in (None, "weight") and fmt in ("npy", "npz", "mtx"):
        raise ParameterError(
            f"{path}: ",
            Mention("labels"),
            f" is not available for {fmt} files (an adjacency matrix has no labels but its entries, ",
            Mention("labels", "weight"),
            ")",
        )
    read_matrix = {"npy": _read_npy, "npz": _read_npz, "mtx": _read_mtx}.get(fmt)
    if read_matrix is not None:
        A = read_matrix(path, data) if fmt == "npy" else read_matrix(path, data, max_bytes)
        return _matrix_graph(
            path, A, None, directed=directed, vertex_colors=vertex_colors, weight=weight, labels=labels
        )
    G = _read_networkx(path, data, fmt)
    return _networkx_graph(
        path, G, directed=directed, labels=labels, vertex_colors=vertex_colors, default=default, weight=weight
    )
