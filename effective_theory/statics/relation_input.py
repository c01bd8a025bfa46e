"""Any relation as training data: a name, a matrix, a graph, a graph file, or its content key.

The paper's statics hold for any relation (Eq. (4): the data a model needs depends on the relation
only through its description length ``b``).  This module turns whatever names a relation into its
``n x n`` 0/1 matrix (``R[i, j] = R(x_i, x_j)``, Section II of [1]_) and checks that a network
can learn it:

* a name of Table I (``"mod3"``, ``"greater"``, ``"bipartite"``; :func:`parse_relation_name`),
  built at the ``n`` asked for;
* a name of the catalogue (``"karate"``, ``"divides"``;
  :mod:`~effective_theory.statics.relation_catalogue`);
* a :class:`~effective_theory.Relation`, a square 0/1 numpy array or scipy sparse matrix, a
  networkx graph (an undirected graph is the symmetric relation of its adjacency; edge weights
  and parallel edges are ignored: a pair is related or not);
* a path to a graph file, read by :func:`~effective_theory.read_graph` with its defaults (the
  file reading rules of ``geneft bits``: the format from the content, edge lists and adjacency
  lists undirected, a matrix undirected when symmetric, 0/1 entries);
* a *content key* ``"matrix:<n>:<base64>"``: the matrix's ``n * n`` entries, row by row, packed
  eight to a byte (most significant bit first) and written in standard base64
  (:func:`relation_content_key`), optionally after a label, ``"karate=matrix:34:..."``.

A *relation spec* is the string form that settings and configurations store
(:func:`relation_spec`): a name of Table I as written, a catalogue name, or a content key (a file
or an object becomes its content key, labelled with the file's stem or the object's name).  Two
specs with the same content key name the same data, whatever their labels; a changed file is a
new key.  :func:`relation_label` gives a spec's short name for tables, plots and claim ids.

What a network can learn (:func:`relation_matrix` checks it; a ``ValueError`` names the
parameter): at least :data:`MIN_RELATION_N` elements (with fewer, the ``n^2`` pairs leave no
room for a split), at most :data:`MAX_RELATION_N` (an assumption of this toolkit: the trainer
evaluates all ``n^2`` pairs every few steps, about ``10^6`` at the limit), at least one related
and one unrelated pair (an empty or complete relation is one constant label: nothing to learn).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from effective_theory._checks import check_int
from effective_theory.statics.balls_in_buckets import (
    critical_train_fraction,
    graph_critical_train_fraction,
    p_star,
)
from effective_theory.statics.class_description_length import relation_class_bits
from effective_theory.statics.graph_description_length import description_length, description_length_report
from effective_theory.statics.graph_input import read_graph
from effective_theory.statics.relation_catalogue import CATALOGUE, DEFAULT_N, catalogue_entry
from effective_theory.statics.relations import (
    Relation,
    as_relation_matrix,
    is_equivalence,
    is_strict_total_order,
    parse_relation_name,
    relation_by_name,
)

__all__ = [
    "MIN_RELATION_N",
    "MAX_RELATION_N",
    "relation_content_key",
    "is_table_relation",
    "relation_spec",
    "relation_label",
    "relation_size",
    "relation_matrix",
    "config_relation",
    "relation_bits",
    "relation_p_star",
    "relation_kind",
    "RelationStatics",
    "relation_statics",
]

#: fewest elements of a relation a network is trained on
MIN_RELATION_N = 3
#: most elements of a relation a network is trained on (an assumption: see the module docstring)
MAX_RELATION_N = 1024

_KEY = re.compile(r"(?:(?P<label>[^=:]+)=)?matrix:(?P<n>\d+):(?P<bits>[A-Za-z0-9+/]*={0,2})")
_LABEL_CHARS = re.compile(r"[^A-Za-z0-9_.+-]+")


def _label(text) -> str | None:
    """``text`` as a label (runs of other characters become ``_``), or None when nothing is left."""
    if not isinstance(text, str):
        return None
    out = _LABEL_CHARS.sub("_", text.strip()).strip("_")
    return out or None


def relation_content_key(relation) -> str:
    """The content key ``"matrix:<n>:<base64>"`` of a square 0/1 matrix (or Relation).

    The ``n * n`` entries row by row, packed eight to a byte with ``numpy.packbits`` (most
    significant bit first, the last byte padded with zeros), in standard base64.

    Examples
    --------
    >>> relation_content_key([[0, 1, 1], [0, 0, 1], [0, 0, 0]])
    'matrix:3:ZAA='
    """
    a = as_relation_matrix(relation)
    text = base64.b64encode(np.packbits(a.reshape(-1)).tobytes()).decode("ascii")
    return f"matrix:{a.shape[0]}:{text}"


def _parse_key(spec: str, name: str) -> tuple[str | None, np.ndarray]:
    m = _KEY.fullmatch(spec.strip())
    if m is None:
        raise ValueError(f"{name}: {spec[:40]!r} is not a content key matrix:<n>:<base64>")
    n = int(m.group("n"))
    if n > MAX_RELATION_N:
        raise ValueError(f"{name} has n = {n} elements; the model takes at most {MAX_RELATION_N}")
    try:
        raw = base64.b64decode(m.group("bits"), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{name}: the content key's base64 is malformed") from None
    if len(raw) != (n * n + 7) // 8:
        raise ValueError(f"{name}: a content key of n = {n} holds {(n * n + 7) // 8} bytes, got {len(raw)}")
    bits = np.unpackbits(np.frombuffer(raw, dtype=np.uint8))
    if bits[n * n :].any():
        raise ValueError(f"{name}: the content key's padding bits are not zero")
    return m.group("label"), bits[: n * n].reshape(n, n).astype(bool)


def is_table_relation(relation) -> bool:
    """Whether ``relation`` is a name of Table I (:func:`parse_relation_name` reads it).

    Examples
    --------
    >>> is_table_relation("mod3"), is_table_relation("Greater-than"), is_table_relation("karate")
    (True, True, False)
    """
    if not isinstance(relation, str):
        return False
    try:
        parse_relation_name(relation)
    except ValueError:
        return False
    return True


def _is_catalogue(relation) -> bool:
    return isinstance(relation, str) and relation.strip().lower() in CATALOGUE


def _is_key(relation) -> bool:
    return isinstance(relation, str) and _KEY.fullmatch(relation.strip()) is not None


def _unknown(relation, name: str) -> ValueError:
    return ValueError(
        f"{name}: {relation!r} is no relation: give a name of Table I (mod<k>, greater, bipartite), "
        "a catalogue name (geneft relations), a graph file or a content key matrix:<n>:<base64>"
    )


def _object_matrix(relation, name: str) -> tuple[np.ndarray, str | None]:
    """The matrix and label of a Relation, array, sparse matrix, networkx graph or file path."""
    if isinstance(relation, Relation):
        return relation.matrix, _label(relation.name)
    if isinstance(relation, (str, os.PathLike)):
        path = os.fspath(relation)
        if not os.path.isfile(path):
            raise _unknown(relation, name)
        try:
            g = read_graph(path)
        except ValueError as exc:
            msg = str(exc).splitlines()[0]
            raise ValueError(f"{name} {msg}" if msg.startswith(path) else f"{name} {path}: {msg}") from None
        _check_size(g.n, name)
        rank = _node_order(g.nodes, g.n)
        a = np.zeros((g.n, g.n), dtype=bool)
        if g.edges.size:
            u, v = rank[g.edges[:, 0]], rank[g.edges[:, 1]]
            a[u, v] = True
            if not g.directed:
                a[v, u] = True
        stem = Path(path).name.split(".")[0]
        return a, _label(stem)
    if type(relation).__module__.split(".")[0] == "networkx":
        # imported here: networkx takes 0.10 s to import (measured); a networkx graph brings it
        import networkx as nx

        _check_size(relation.number_of_nodes(), name)
        a = nx.to_numpy_array(relation, nodelist=list(relation), weight=None, dtype=float) != 0
        return a, _label(relation.graph.get("name"))
    try:
        if np.ndim(relation) != 2:
            raise TypeError
        return as_relation_matrix(relation, name=name), None
    except TypeError:
        raise TypeError(
            f"{name} must be a relation name, a Relation, a square 0/1 matrix, a networkx graph or a "
            f"graph file, got {type(relation).__name__}"
        ) from None


def _node_order(nodes, n: int) -> np.ndarray:
    """The element each vertex of a file becomes: its rank among the node names, by value when
    every name is an integer, else as text (so the order of a file's lines does not matter)."""
    if nodes is None:
        return np.arange(n)
    names = [str(x) for x in nodes]
    try:
        keys = [(int(x), "") for x in names]
    except ValueError:
        keys = [(0, x) for x in names]
    rank = np.empty(n, dtype=np.int64)
    rank[sorted(range(n), key=keys.__getitem__)] = np.arange(n)
    return rank


def _check_size(n: int, name: str) -> None:
    if n < MIN_RELATION_N:
        raise ValueError(f"{name} has n = {n} elements; a network needs at least {MIN_RELATION_N}")
    if n > MAX_RELATION_N:
        raise ValueError(f"{name} has n = {n} elements; the model takes at most {MAX_RELATION_N}")


def _check_learnable(a: np.ndarray, name: str) -> np.ndarray:
    _check_size(a.shape[0], name)
    if not a.any():
        raise ValueError(f"{name} is empty (no related pair): one constant label, nothing to learn")
    if a.all():
        raise ValueError(f"{name} relates every pair (all ones): one constant label, nothing to learn")
    a = np.array(a, dtype=bool)
    a.setflags(write=False)
    return a


def relation_spec(relation, *, label: str | None = None, name: str = "relation") -> str:
    """The string that stands for ``relation`` in settings and configurations (a *relation spec*).

    A name of Table I is returned as written (``"Mod 3"`` stays ``"Mod 3"``: configurations and
    their cache keys are those of the name); a catalogue name in its canonical spelling; anything
    else (a content key, a Relation, a matrix, a networkx graph, a graph file) as its content key
    :func:`relation_content_key`, after ``label=`` when it has a label (``label``, else a key's
    own label, a file's stem, a Relation's or a graph's name).  The relation is checked as
    :func:`relation_matrix` checks it.

    Raises
    ------
    TypeError, ValueError
        For what is no relation, or one a network cannot learn; the message names ``name``.

    Examples
    --------
    >>> relation_spec("mod3"), relation_spec(" Karate ")
    ('mod3', 'karate')
    >>> relation_spec([[0, 1, 1], [0, 0, 1], [0, 0, 0]], label="order3")
    'order3=matrix:3:ZAA='
    """
    if label is not None and _label(label) != label:
        raise ValueError(f"label must be letters, digits and _.+- only, got {label!r}")
    if is_table_relation(relation):
        relation_matrix(relation, name=name)
        return relation
    if _is_catalogue(relation):
        return catalogue_entry(relation).name
    if _is_key(relation):
        own, a = _parse_key(relation, name)
        label = label or own
    else:
        a, own = _object_matrix(relation, name)
        label = label or own
    key = relation_content_key(_check_learnable(a, name))
    return f"{label}={key}" if label else key


def relation_label(relation) -> str:
    """The short name of a relation spec: for tables, plots and claim ids.

    A name of Table I: its short form (``"mod3"``); a catalogue name: itself; a labelled content
    key: its label; an unlabelled one: ``"relation-"`` and eight hex digits of its SHA-256.  Any
    other relation is first turned into its spec (:func:`relation_spec`).

    Examples
    --------
    >>> relation_label("Equal mod 3"), relation_label("karate"), relation_label("order3=matrix:3:ZAA=")
    ('mod3', 'karate', 'order3')
    >>> relation_label("matrix:3:ZAA=")
    'relation-f9c55754'
    """
    if is_table_relation(relation):
        return parse_relation_name(relation).short
    if _is_catalogue(relation):
        return catalogue_entry(relation).name
    spec = relation if _is_key(relation) else relation_spec(relation)
    m = _KEY.fullmatch(spec.strip())
    if m.group("label"):
        return m.group("label")
    plain = spec.strip()
    return "relation-" + hashlib.sha256(plain.encode("ascii")).hexdigest()[:8]


def relation_size(relation, *, name: str = "relation") -> int | None:
    """The number of elements a relation has by itself, or ``None`` for a rule that exists at any
    size (a name of Table I, a catalogue entry built by a rule).

    Examples
    --------
    >>> relation_size("mod3"), relation_size("divides"), relation_size("karate")
    (None, None, 34)
    >>> relation_size("matrix:3:ZAA=")
    3
    """
    if is_table_relation(relation):
        return None
    if _is_catalogue(relation):
        return catalogue_entry(relation).n
    if _is_key(relation):
        return int(_KEY.fullmatch(relation.strip()).group("n"))
    return int(_object_matrix(relation, name)[0].shape[0])


@lru_cache(maxsize=512)
def _named_matrix(spec: str, n: int | None, name: str) -> np.ndarray:
    """The checked matrix of a name or content key at ``n`` (cached: configurations ask often)."""
    if is_table_relation(spec):
        size = DEFAULT_N if n is None else check_int(n, "n")
        _check_size(size, name)
        return _check_learnable(relation_by_name(spec, size).matrix, name)
    if _is_catalogue(spec):
        entry = catalogue_entry(spec)
        size = entry.size(None if n is None else _checked_n(n, name))
        return _check_learnable(entry.matrix(size), name)
    return _check_learnable(_parse_key(spec, name)[1], name)


def _checked_n(n, name: str) -> int:
    n = check_int(n, "n")
    _check_size(n, f"{name} at n = {n}")
    return n


def relation_matrix(relation, n: int | None = None, *, name: str = "relation") -> np.ndarray:
    """The read-only boolean ``n x n`` matrix of any relation, checked to be learnable.

    Parameters
    ----------
    relation : str, Relation, array_like, networkx graph or path
        See the module docstring.
    n : int, optional
        The size of a relation given by a rule (a name of Table I, a catalogue rule; default
        :data:`~effective_theory.statics.relation_catalogue.DEFAULT_N`, the paper's 30); for a
        relation with a size of its own it must be that size or ``None``.
    name : str
        The parameter the error messages name.

    Raises
    ------
    TypeError
        For what is no relation.
    ValueError
        For an unknown name or missing file, an ``n`` other than the relation's own, fewer than
        :data:`MIN_RELATION_N` or more than :data:`MAX_RELATION_N` elements, an empty or complete
        relation; one line, naming ``name``.

    Examples
    --------
    >>> int(relation_matrix("mod3", 6).sum()), relation_matrix("karate").shape
    (12, (34, 34))
    >>> relation_matrix(np.ones((4, 4)))
    Traceback (most recent call last):
    ...
    ValueError: relation relates every pair (all ones): one constant label, nothing to learn
    """
    if is_table_relation(relation) or _is_catalogue(relation) or _is_key(relation):
        a = _named_matrix(relation, None if n is None else check_int(n, "n"), name)
    else:
        a = _check_learnable(_object_matrix(relation, name)[0], name)
    if n is not None and a.shape[0] != n:
        raise ValueError(f"{name} has n = {a.shape[0]} elements, not n = {n}")
    return a


def config_relation(relation, n: int | None = None, *, name: str = "relation") -> tuple[str, int]:
    """The relation string and size a training configuration stores: ``(key, n)``.

    A name of Table I is kept as written (so a configuration, and its cache key, is that of the
    name) with ``n`` (default 30); any other relation becomes its unlabelled content key
    (:func:`relation_content_key`) and its size (``n`` defaults to it, and must equal it), so that
    two configurations of the same data are the same, whatever the relation was called.

    Examples
    --------
    >>> config_relation("mod3")
    ('mod3', 30)
    >>> config_relation("order3=matrix:3:ZAA=")
    ('matrix:3:ZAA=', 3)
    """
    a = relation_matrix(relation, n, name=name)
    if is_table_relation(relation):
        return relation, int(a.shape[0])
    return relation_content_key(a), int(a.shape[0])


def relation_bits(relation, n: int | None = None) -> float:
    """Description length ``b = log2(n!/|Aut G|)`` of a relation (Section III of [1]_).

    A name of Table I: the closed form of its class (:func:`~effective_theory.relation_class_bits`);
    any other relation: the automorphism group of its directed graph
    (:func:`~effective_theory.description_length`).

    Examples
    --------
    >>> round(relation_bits("karate"), 2), round(relation_bits("mod3", 30), 2)
    (118.89, 39.75)
    """
    if is_table_relation(relation):
        return float(relation_class_bits(relation, relation_matrix(relation, n).shape[0]))
    return float(description_length(Relation(relation_matrix(relation, n))))


def relation_p_star(relation, n: int | None = None) -> float:
    """The guessing probability ``p_*`` of Eq. (5) for any relation.

    A name of Table I: the paper's value (:func:`~effective_theory.p_star`: ``1/k`` for mod k,
    ``1/3`` for greater-than, ``1/2`` for bipartite).  Any other relation: its fraction of
    related pairs (an assumption of this toolkit: a learner that has not inferred a pair guesses
    the majority label, right with probability ``max(p_*, 1 - p_*)``; it equals the paper's value
    for an equivalence of equal classes and for complete bipartite with equal sides).

    Examples
    --------
    >>> relation_p_star("mod3"), relation_p_star("greater"), relation_p_star("bipartite-10-20") == 400 / 900
    (0.3333333333333333, 0.3333333333333333, True)
    """
    if is_table_relation(relation):
        return float(p_star(relation))
    return float(relation_matrix(relation, n).mean())


def relation_kind(relation, n: int | None = None) -> str | None:
    """The relation class of Table I the relation belongs to, for the exact bounds of Appendix D:
    ``"equivalence"``, ``"total_order"`` (strict), ``"bipartite"`` (complete, two non-empty
    sides) or ``None``.

    Examples
    --------
    >>> relation_kind("mod3"), relation_kind("classes-5-10-15"), relation_kind("bipartite-5-25")
    ('equivalence', 'equivalence', 'bipartite')
    >>> relation_kind("karate") is None
    True
    """
    if is_table_relation(relation):
        return parse_relation_name(relation).kind
    a = relation_matrix(relation, n)
    if is_equivalence(a):
        return "equivalence"
    if is_strict_total_order(a):
        return "total_order"
    side = a[0]  # complete bipartite: element 0 is related exactly to the other side
    if not a[0, 0] and np.array_equal(a, side[:, None] != side[None, :]):
        return "bipartite"
    return None


@dataclass(frozen=True)
class RelationStatics:
    """What the statics predict for one relation (:func:`relation_statics`).

    Attributes
    ----------
    n : int
    pairs : int
        Related pairs (1-entries, loops included).
    bits : float
        ``b = log2(n!/|Aut G|)`` (Section III of [1]_).
    log2_aut : float
    aut : str
        ``|Aut G|`` in full (or in scientific notation beyond 30 digits).
    p_star : float
        Eq. (5)'s guessing probability (:func:`relation_p_star`).
    alpha : float
    p_c : float
        Eq. (4): the training fraction at which a fraction ``alpha`` of the ``N = n^2`` pairs is
        inferable.
    p_ub : float
        The training fraction at which the accuracy bound ``f_UB`` of Eq. (5) reaches ``alpha``:
        Eq. (4) at the inferable fraction ``(alpha - q) / (1 - q)``, ``q = max(p_*, 1 - p_*)``
        (0 when guessing alone reaches ``alpha``).
    """

    n: int
    pairs: int
    bits: float
    log2_aut: float
    aut: str
    p_star: float
    alpha: float
    p_c: float
    p_ub: float

    def to_dict(self) -> dict:
        """The fields as a JSON-ready dict."""
        return asdict(self)


def relation_statics(relation, n: int | None = None, *, alpha: float = 0.9) -> RelationStatics:
    """Description length, ``|Aut G|``, ``p_*`` and the critical training fractions of any relation.

    ``b`` and ``|Aut G|`` of the relation's directed graph
    (:func:`~effective_theory.description_length_report`); ``p_c`` of Eq. (4) with the model's
    ``N = n^2`` samples; ``p_ub``, where Eq. (5)'s bound ``f_UB = q + (1 - q) f(m)`` on the
    accuracy over all pairs reaches ``alpha`` (``q = max(p_*, 1 - p_*)``), which is Eq. (4) at the
    inferable fraction ``(alpha - q) / (1 - q)``.

    Examples
    --------
    >>> st = relation_statics("mod3")
    >>> st.n, st.aut == str(6 * 3628800**3), round(st.p_c, 3), round(st.p_ub, 3)
    (30, True, 0.1, 0.053)
    """
    if not 0 <= alpha < 1:
        raise ValueError(f"alpha must lie in [0, 1), got {alpha}")
    a = relation_matrix(relation, n)
    size = int(a.shape[0])
    report = description_length_report(Relation(a))
    bits = float(report.bits)
    ps = relation_p_star(relation, n)
    q = max(ps, 1.0 - ps)
    p_ub = (
        0.0
        if alpha <= q or bits <= 1
        else float(critical_train_fraction((alpha - q) / (1 - q), bits, size**2))
    )
    return RelationStatics(
        n=size,
        pairs=int(a.sum()),
        bits=bits,
        log2_aut=float(report.log2_aut),
        aut=report.aut_order_text(),
        p_star=float(ps),
        alpha=float(alpha),
        p_c=float(graph_critical_train_fraction(alpha, bits, size, directed=True)),
        p_ub=p_ub,
    )
