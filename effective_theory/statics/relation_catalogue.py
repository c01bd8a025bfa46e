"""A catalogue of relations with known structure, for experiments beyond Table I of [1]_.

The paper states its statics for any relation ("the only dependence on the properties of the
relation is through its description length b", Eq. (4)) and shows them on four relations at
``n = 30``.  This catalogue names relations of many kinds, each built from a rule (nothing typed
by hand but the rule), so that experiments can put them through the same tests:

* the paper's four (Table I): ``mod3``, ``mod5``, ``greater``, ``bipartite``;
* equivalences: ``mod<k>`` for several ``k``, and classes of unequal sizes;
* complete bipartite relations with unequal sides;
* orders: ``divides`` on ``{1..n}``, a product (grid) order, the ancestor and parent relations of
  a rooted tree;
* ``cyclic-successor`` (``x -> x + 1 mod n``), the undirected ``ring``, ``coprime`` on ``{1..n}``;
* random graphs, seeded: ``gnp-half`` (``G(n, 1/2)``) and ``regular-4`` (a random 4-regular graph);
* real graphs shipped with networkx, edge weights ignored: ``karate`` (Zachary's karate club),
  ``florentine`` (Padgett's Florentine families), ``davis`` (Davis' southern women and the events
  they attended), ``lesmis`` (co-appearances in Les Miserables);
* a piece of a real knowledge graph: ``wordnet-cheese``, the transitive closure of WordNet's noun
  hypernym relation on the subtree below ``cheese`` (38 synsets), read from a small JSON file the
  package ships (``effective_theory/data/wordnet_cheese.json``; ``examples/wordnet_relation.py``
  rebuilds it from Debian's ``wordnet-base``).

A relation is the ``n x n`` 0/1 matrix ``R[i, j] = R(x_i, x_j)``; an undirected graph is the
symmetric relation of its adjacency matrix.  Entries that follow a rule on ``{0..n-1}`` exist at
any size ``n >= 3`` (default :data:`DEFAULT_N`); the others have the size of their data.
:func:`catalogue_row` gives an entry's description length ``b = log2(n!/|Aut G|)`` (Section III
of [1]_, computed by :func:`~effective_theory.description_length_report` on the relation's
directed graph), ``|Aut G|`` and the critical training fraction ``p_c`` of Eq. (4) with
``N = n^2`` (:func:`~effective_theory.graph_critical_train_fraction`).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np

from effective_theory._checks import check_int
from effective_theory.statics.balls_in_buckets import graph_critical_train_fraction
from effective_theory.statics.graph_description_length import description_length_report
from effective_theory.statics.relations import Relation, relation_by_name

__all__ = [
    "DEFAULT_N",
    "CatalogueEntry",
    "CATALOGUE",
    "catalogue_entry",
    "catalogue_name",
    "catalogue_relation",
    "CatalogueRow",
    "catalogue_row",
    "catalogue_table",
    "WORDNET_PIECE_FILE",
    "read_wordnet_piece",
]

#: the size of the entries that exist at any size, unless one is asked for (the paper's n)
DEFAULT_N = 30

#: the WordNet piece the package ships (see :func:`read_wordnet_piece`)
WORDNET_PIECE_FILE = Path(__file__).resolve().parents[1] / "data" / "wordnet_cheese.json"

#: seed of the random entries (``gnp-half``, ``regular-4``): the catalogue is the same everywhere
_SEED = 0


@dataclass(frozen=True)
class CatalogueEntry:
    """One relation of the catalogue: its name, family, a one-line description and how to build it.

    Attributes
    ----------
    name : str
        Lower-case name (``"divides"``).
    family : str
        What kind of relation it is (``"paper"``, ``"equivalence"``, ``"order"``, ...).
    description : str
        One line.
    n : int or None
        The entry's size when it has one (a real graph, a fixed partition); ``None`` when the
        rule exists at any size ``n >= 3``.
    """

    name: str
    family: str
    description: str
    n: int | None
    build: Callable[[int], np.ndarray]

    def matrix(self, n: int | None = None) -> np.ndarray:
        """The relation's read-only boolean matrix at size ``n`` (default: its own size, or
        :data:`DEFAULT_N`).

        Raises
        ------
        ValueError
            For an ``n`` other than a fixed-size entry's, or ``n < 3``.
        """
        return _matrix(self.name, self.size(n))

    def size(self, n: int | None = None) -> int:
        """The size the entry is built at for the requested ``n`` (checked)."""
        if n is None:
            return DEFAULT_N if self.n is None else self.n
        n = check_int(n, "n", minimum=3)
        if self.n is not None and n != self.n:
            raise ValueError(f"relation {self.name!r} has n = {self.n} elements, not n = {n}")
        return n


# --------------------------------------------------------------------------- the rules


def _equivalence(sizes) -> np.ndarray:
    label = np.repeat(np.arange(len(sizes)), sizes)
    return label[:, None] == label[None, :]


def _bipartite(a: int, n: int) -> np.ndarray:
    side = np.arange(n) < a
    return side[:, None] != side[None, :]


def _divides(n: int) -> np.ndarray:
    x = np.arange(1, n + 1)
    return (x[None, :] % x[:, None]) == 0


def _coprime(n: int) -> np.ndarray:
    x = np.arange(1, n + 1)
    return np.gcd(x[:, None], x[None, :]) == 1


def _grid(rows: int, cols: int) -> np.ndarray:
    """The strict product order of a ``rows x cols`` grid: ``(a, b) < (c, d)`` iff ``a <= c``,
    ``b <= d`` and the two differ."""
    a, b = np.divmod(np.arange(rows * cols), cols)
    le = (a[:, None] <= a[None, :]) & (b[:, None] <= b[None, :])
    return le & ~np.eye(rows * cols, dtype=bool)


def _heap_parent(n: int) -> np.ndarray:
    """The rooted tree whose node ``i > 0`` has parent ``(i - 1) // 2`` (a complete binary tree
    filled level by level): ``R[x, y]`` iff ``x`` is the parent of ``y``."""
    R = np.zeros((n, n), dtype=bool)
    child = np.arange(1, n)
    R[(child - 1) // 2, child] = True
    return R


def _transitive_closure(R: np.ndarray) -> np.ndarray:
    """``R`` or any chain ``R(x, z1), R(z1, z2), ..., R(zk, y)`` (Warshall's algorithm)."""
    C = R.copy()
    for k in range(C.shape[0]):
        C |= C[:, k : k + 1] & C[k : k + 1, :]
    return C


def _successor(n: int) -> np.ndarray:
    R = np.zeros((n, n), dtype=bool)
    R[np.arange(n), (np.arange(n) + 1) % n] = True
    return R


def _ring(n: int) -> np.ndarray:
    S = _successor(n)
    return S | S.T


def _gnp_half(n: int) -> np.ndarray:
    """An undirected graph of ``G(n, 1/2)`` without loops, seeded by :data:`_SEED`."""
    upper = np.triu(np.random.default_rng(_SEED).random((n, n)) < 0.5, k=1)
    return upper | upper.T


def _random_regular(n: int, d: int) -> np.ndarray:
    """A random simple ``d``-regular undirected graph on ``n`` vertices, seeded by :data:`_SEED`:
    the pairing model (stubs matched by a random permutation), redrawn until simple."""
    if n * d % 2 or d >= n:
        raise ValueError(f"no simple {d}-regular graph has n = {n} vertices (n*d even and d < n needed)")
    rng = np.random.default_rng(_SEED)
    stubs = np.repeat(np.arange(n), d)
    for _ in range(100_000):
        u, v = rng.permutation(stubs).reshape(-1, 2).T
        if (u == v).any():
            continue
        keys = np.minimum(u, v) * n + np.maximum(u, v)
        if np.unique(keys).size < keys.size:
            continue
        A = np.zeros((n, n), dtype=bool)
        A[u, v] = A[v, u] = True
        return A
    raise RuntimeError(f"no simple {d}-regular graph on {n} vertices drawn")  # pragma: no cover


def _networkx(name: str) -> np.ndarray:
    # imported here: networkx takes 0.10 s to import (measured), which only these entries need
    import networkx as nx

    G = {
        "karate": nx.karate_club_graph,
        "florentine": nx.florentine_families_graph,
        "davis": nx.davis_southern_women_graph,
        "lesmis": nx.les_miserables_graph,
    }[name]()
    return nx.to_numpy_array(G, weight=None, dtype=float) != 0


def read_wordnet_piece(path=WORDNET_PIECE_FILE) -> dict:
    """The shipped WordNet piece: ``root`` (its synset offset), ``synsets`` (offset and first
    lemma of each, ``synsets[0]`` the root) and ``hypernyms`` (pairs ``[i, j]``: synset ``j`` is a
    direct hypernym of synset ``i``), with ``source``.

    Raises
    ------
    ValueError
        For a file that is not such a piece.
    """
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or not {"root", "synsets", "hypernyms"} <= set(data):
        raise ValueError(f"{path}: not a WordNet piece (needs root, synsets and hypernyms)")
    n = len(data["synsets"])
    pairs = np.asarray(data["hypernyms"], dtype=np.int64).reshape(-1, 2)
    if pairs.size and (pairs.min() < 0 or pairs.max() >= n):
        raise ValueError(f"{path}: a hypernym pair names a synset outside 0..{n - 1}")
    return data


def _wordnet(path=WORDNET_PIECE_FILE) -> np.ndarray:
    """``R[x, y]`` iff synset ``y`` is a hypernym of ``x``, directly or through a chain ("an
    ``x`` is a kind of ``y``"): the transitive closure of the direct hypernym pointers."""
    data = read_wordnet_piece(path)
    n = len(data["synsets"])
    direct = np.zeros((n, n), dtype=bool)
    for i, j in data["hypernyms"]:
        direct[i, j] = True
    return _transitive_closure(direct)


def _entries() -> list[CatalogueEntry]:
    E = CatalogueEntry
    paper = [
        E(name, "paper", text, None, lambda n, name=name: relation_by_name(name, n).matrix)
        for name, text in (
            ("mod3", "x = y (mod 3): an equivalence with three classes (Table I)"),
            ("mod5", "x = y (mod 5): an equivalence with five classes (Table I)"),
            ("greater", "x < y: a strict total order (Table I)"),
            ("bipartite", "complete bipartite between the first and the second half (Table I)"),
        )
    ]
    mods = [
        E(f"mod{k}", "equivalence", f"x = y (mod {k}): {k} classes of equal size", None,
          lambda n, k=k: relation_by_name(f"mod{k}", n).matrix)
        for k in (2, 6, 10, 15)
    ]  # fmt: skip
    fixed = [
        E("classes-5-10-15", "equivalence", "an equivalence with classes of 5, 10 and 15 elements", 30,
          lambda n: _equivalence([5, 10, 15])),
        E("classes-2-4-8-16", "equivalence", "an equivalence with classes of 2, 4, 8 and 16 elements", 30,
          lambda n: _equivalence([2, 4, 8, 16])),
        E("bipartite-10-20", "bipartite", "complete bipartite between sides of 10 and 20 elements", 30,
          lambda n: _bipartite(10, n)),
        E("bipartite-5-25", "bipartite", "complete bipartite between sides of 5 and 25 elements", 30,
          lambda n: _bipartite(5, n)),
        E("grid-5x6", "order", "the strict product order of a 5 x 6 grid: (a, b) < (c, d) iff a <= c, "
          "b <= d, not equal", 30, lambda n: _grid(5, 6)),
    ]  # fmt: skip
    rules = [
        E("divides", "order", "x divides y, on 1..n (a partial order, reflexive)", None, _divides),
        E("tree-ancestor", "tree", "x is a proper ancestor of y in the complete binary tree on n nodes "
          "(node i's parent is (i-1)//2)", None, lambda n: _transitive_closure(_heap_parent(n))),
        E("tree-parent", "tree", "x is the parent of y in the complete binary tree on n nodes", None,
          _heap_parent),
        E("cyclic-successor", "cycle", "y = x + 1 (mod n): a directed cycle", None, _successor),
        E("ring", "cycle", "y = x +- 1 (mod n): an undirected cycle", None, _ring),
        E("coprime", "number theory", "gcd(x, y) = 1, on 1..n (symmetric)", None, _coprime),
        E("gnp-half", "random", f"a random undirected graph G(n, 1/2), no loops (seed {_SEED})", None,
          _gnp_half),
        E("regular-4", "random", f"a random 4-regular undirected graph (seed {_SEED})", None,
          lambda n: _random_regular(n, 4)),
    ]  # fmt: skip
    real = [
        E("karate", "real graph", "Zachary's karate club (networkx; weights ignored)", 34,
          lambda n: _networkx("karate")),
        E("florentine", "real graph", "Padgett's Florentine families, marriages (networkx)", 15,
          lambda n: _networkx("florentine")),
        E("davis", "real graph", "Davis' southern women: 18 women and the 14 events they attended "
          "(networkx)", 32, lambda n: _networkx("davis")),
        E("lesmis", "real graph", "co-appearances of the characters of Les Miserables (networkx; "
          "weights ignored)", 77, lambda n: _networkx("lesmis")),
        E("wordnet-cheese", "knowledge graph", "WordNet noun hypernyms below 'cheese', transitively "
          "closed: x is a kind of y (38 synsets)", 38, lambda n: _wordnet()),
    ]  # fmt: skip
    return paper + mods + fixed + rules + real


#: every entry, by name, in the order ``geneft relations`` lists them
CATALOGUE = MappingProxyType({e.name: e for e in _entries()})


def catalogue_entry(name: str) -> CatalogueEntry:
    """The entry called ``name`` (case and surrounding blanks ignored).

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        For a name the catalogue lacks.

    Examples
    --------
    >>> catalogue_entry(" Karate ").n
    34
    """
    if not isinstance(name, str):
        raise TypeError(f"a catalogue name must be a string, got {type(name).__name__}")
    key = name.strip().lower()
    if key not in CATALOGUE:
        raise ValueError(f"no relation {name!r} in the catalogue; it has {', '.join(CATALOGUE)}")
    return CATALOGUE[key]


def catalogue_name(matrix) -> str | None:
    """The name of the catalogue entry whose relation at this size is ``matrix``, or ``None``.

    A relation given by its matrix (a file, a content key) is recognised as the entry it equals,
    so that a table can name it: the first entry in :data:`CATALOGUE` order that exists at the
    matrix's size and has exactly its entries.

    Parameters
    ----------
    matrix : array_like
        A square 0/1 matrix.

    Examples
    --------
    >>> catalogue_name(catalogue_relation("bipartite-5-25").matrix)
    'bipartite-5-25'
    >>> catalogue_name(np.eye(3, dtype=bool)), catalogue_name([[0, 1, 0], [0, 0, 0], [0, 0, 1]]) is None
    ('mod3', True)
    """
    a = np.asarray(matrix, dtype=bool)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"matrix must be square, got shape {a.shape}")
    n = a.shape[0]
    for entry in CATALOGUE.values():
        if n < 3 or entry.n not in (None, n):
            continue
        try:
            built = _matrix(entry.name, n)
        except ValueError:  # a rule with no relation at this size (a 4-regular graph on 3 vertices)
            continue
        if np.array_equal(built, a):
            return entry.name
    return None


@lru_cache(maxsize=256)
def _matrix(name: str, n: int) -> np.ndarray:
    a = np.array(CATALOGUE[name].build(n), dtype=bool)
    if a.shape != (n, n):  # pragma: no cover - a rule that builds another size is a bug
        raise AssertionError(f"{name} built a {a.shape} matrix at n = {n}")
    a.setflags(write=False)
    return a


def catalogue_relation(name: str, n: int | None = None) -> Relation:
    """The catalogue's relation ``name`` at size ``n`` (default: its own size, or :data:`DEFAULT_N`).

    Examples
    --------
    >>> R = catalogue_relation("divides", 6)
    >>> R.name, bool(R.matrix[1, 3]), bool(R.matrix[3, 1])  # 2 divides 4; 4 does not divide 2
    ('divides', True, False)
    >>> catalogue_relation("karate").n
    34
    """
    entry = catalogue_entry(name)
    return Relation(entry.matrix(n), name=entry.name)


@dataclass(frozen=True)
class CatalogueRow:
    """An entry's statics at one size (:func:`catalogue_row`).

    Attributes
    ----------
    name, family, description : str
    n : int
    pairs : int
        Related pairs (1-entries of the matrix, loops included).
    symmetric : bool
        Whether the relation is symmetric (an undirected graph).
    bits : float
        ``b = log2(n!/|Aut G|)``.
    log2_aut : float
    aut : str
        ``|Aut G|`` in full (or in scientific notation beyond 30 digits).
    alpha : float
        The accuracy level of ``p_c``.
    p_c : float
        Eq. (4): the training fraction at which a fraction ``alpha`` of the ``n^2`` pairs is
        inferable, ``N = n^2``.
    """

    name: str
    family: str
    description: str
    n: int
    pairs: int
    symmetric: bool
    bits: float
    log2_aut: float
    aut: str
    alpha: float
    p_c: float

    def to_dict(self) -> dict:
        """The row as a JSON-ready dict."""
        return dict(self.__dict__)


def catalogue_row(name: str, n: int | None = None, *, alpha: float = 0.9) -> CatalogueRow:
    """Description length, ``|Aut G|`` and Eq. (4)'s ``p_c`` of one catalogue entry.

    ``b = log2(n!/|Aut G|)`` of the relation read as a directed graph (its pairs are arcs, the
    diagonal loops; Section III of [1]_), and ``p_c`` of Eq. (4) at level ``alpha`` with the
    model's ``N = n^2`` samples.

    Examples
    --------
    >>> import math
    >>> row = catalogue_row("mod3")
    >>> row.n, row.aut == str(math.factorial(10) ** 3 * 6), round(row.p_c * 900 / row.bits, 2)
    (30, True, 2.27)
    """
    entry = catalogue_entry(name)
    R = catalogue_relation(name, n)
    report = description_length_report(R)
    return CatalogueRow(
        name=entry.name,
        family=entry.family,
        description=entry.description,
        n=R.n,
        pairs=int(R.matrix.sum()),
        symmetric=bool(np.array_equal(R.matrix, R.matrix.T)),
        bits=float(report.bits),
        log2_aut=float(report.log2_aut),
        aut=report.aut_order_text(),
        alpha=float(alpha),
        p_c=float(graph_critical_train_fraction(alpha, report.bits, R.n, directed=True)),
    )


def catalogue_table(n: int | None = None, *, alpha: float = 0.9) -> list[CatalogueRow]:
    """:func:`catalogue_row` of every entry: the rule-built ones at ``n`` (default
    :data:`DEFAULT_N`), the others at their own size.

    Examples
    --------
    >>> rows = catalogue_table()
    >>> len(rows) >= 20, sum(r.n == 30 for r in rows) >= 20
    (True, True)
    """
    return [
        catalogue_row(name, n if entry.n is None else None, alpha=alpha) for name, entry in CATALOGUE.items()
    ]
