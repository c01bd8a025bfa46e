"""Binary relations on n elements and their properties (Section II, Table I of [1]_).

A binary relation ``R`` on the elements ``x_1, ..., x_n`` is the boolean
``n x n`` matrix ``R[i, j] = R(x_i, x_j)``; equivalently a directed graph on
``n`` vertices whose diagonal entries are self-loops.  This module holds the
small :class:`Relation` type, constructors for the paper's four relations
(Table I) and predicates for the properties that the statics use
(reflexive, symmetric, antisymmetric, transitive, equivalence, strict total
order).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from effective_theory._checks import Mention, ParameterError, check_int

__all__ = [
    "Relation",
    "as_relation_matrix",
    "equal_mod",
    "greater_than",
    "complete_bipartite",
    "relation_by_name",
    "MAX_RELATION_BYTES",
    "relation_num_arcs",
    "RelationName",
    "parse_relation_name",
    "RELATION_NAMES",
    "is_reflexive",
    "is_irreflexive",
    "is_symmetric",
    "is_antisymmetric",
    "is_transitive",
    "is_equivalence",
    "is_strict_total_order",
    "equivalence_classes",
]


def as_relation_matrix(R, *, name="relation") -> np.ndarray:
    """Return ``R`` as a read-only square boolean matrix, validating it.

    Parameters
    ----------
    R : Relation or array_like or scipy.sparse matrix
        A square matrix of 0/1 (or boolean) entries.
    name : str
        Name used in error messages.

    Raises
    ------
    TypeError
        If ``R`` is not array-like.
    ValueError
        If ``R`` is not square, not two-dimensional, contains NaN, or has
        entries other than 0 and 1.
    """
    if isinstance(R, Relation):
        return R.matrix
    try:
        # imported here: scipy.sparse takes 0.22 s to import (measured),
        # and no module of the theory imports scipy when it is imported
        import scipy.sparse as sp

        if sp.issparse(R):
            R = R.toarray()
    except ImportError:  # pragma: no cover - scipy is a hard dependency
        pass
    if isinstance(R, (str, bytes)) or R is None:
        raise TypeError(f"{name} must be a square 0/1 matrix, got {type(R).__name__}")
    try:
        a = np.asarray(R)
    except Exception as exc:  # pragma: no cover - defensive
        raise TypeError(f"{name} must be a square 0/1 matrix: {exc}") from exc
    if a.dtype == object:
        raise TypeError(f"{name} must be a numeric square 0/1 matrix, got dtype object")
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"{name} must be a square n x n matrix, got shape {a.shape}")
    if a.dtype != bool:
        if not np.issubdtype(a.dtype, np.number):
            raise TypeError(f"{name} must be numeric or boolean, got dtype {a.dtype}")
        if np.issubdtype(a.dtype, np.floating) and np.isnan(a).any():
            raise ValueError(f"{name} contains NaN")
        bad = (a != 0) & (a != 1)
        if bad.any():
            i, j = np.argwhere(bad)[0]
            raise ValueError(f"{name} must be binary (0/1); entry ({i}, {j}) is {a[i, j]!r}")
        a = a.astype(bool)
    a = np.array(a, dtype=bool, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Relation:
    """A binary relation on ``n`` elements, stored as a boolean ``n x n`` matrix.

    ``matrix[i, j]`` is ``R(x_i, x_j)``; read as a directed graph, the diagonal
    holds self-loops.

    Parameters
    ----------
    matrix : array_like
        Square 0/1 matrix; it is copied and made read-only.
    name : str, optional
        A label such as ``"mod3"``.

    Examples
    --------
    >>> R = equal_mod(6, 3)
    >>> R.n, int(R.matrix.sum()), R.is_equivalence()
    (6, 12, True)
    """

    matrix: np.ndarray
    name: str = field(default="")

    def __post_init__(self):
        object.__setattr__(self, "matrix", as_relation_matrix(self.matrix))

    @property
    def n(self) -> int:
        """Number of elements."""
        return self.matrix.shape[0]

    @property
    def num_pairs(self) -> int:
        """Number of entries ``n**2`` (the paper's ``N``)."""
        return self.n * self.n

    def __eq__(self, other):
        if not isinstance(other, Relation):
            return NotImplemented
        return np.array_equal(self.matrix, other.matrix)

    def __hash__(self):
        return hash((self.n, self.matrix.tobytes()))

    def __repr__(self):
        label = f" {self.name!r}" if self.name else ""
        return f"<Relation{label} on n={self.n}, {int(self.matrix.sum())} pairs>"

    def is_reflexive(self) -> bool:
        return is_reflexive(self)

    def is_symmetric(self) -> bool:
        return is_symmetric(self)

    def is_antisymmetric(self) -> bool:
        return is_antisymmetric(self)

    def is_transitive(self) -> bool:
        return is_transitive(self)

    def is_equivalence(self) -> bool:
        return is_equivalence(self)

    def is_strict_total_order(self) -> bool:
        return is_strict_total_order(self)


def equal_mod(n: int, k: int) -> Relation:
    """Equality modulo ``k`` on ``{0, ..., n-1}`` (Table I): ``R(x, y)`` iff ``x = y (mod k)``.

    An equivalence relation with ``k`` classes (fewer if ``n < k``).

    Examples
    --------
    >>> int(equal_mod(30, 3).matrix.sum()) == 3 * 10**2
    True
    """
    n = check_int(n, "n", minimum=0)
    k = check_int(k, "k", minimum=1)
    x = np.arange(n)
    return Relation((x[:, None] % k) == (x[None, :] % k), name=f"mod{k}")


def greater_than(n: int) -> Relation:
    """The paper's "greater-than" relation (Table I): ``R(x, y)`` iff ``x < y``.

    ``R[i, j] = 1`` means ``i`` precedes ``j`` (``j`` is greater than ``i``); a
    strict total order with trivial automorphism group, so ``b = log2 n!``.

    Examples
    --------
    >>> R = greater_than(4)
    >>> bool(R.matrix[0, 3]), bool(R.matrix[3, 0]), R.is_strict_total_order()
    (True, False, True)
    """
    n = check_int(n, "n", minimum=0)
    x = np.arange(n)
    return Relation(x[:, None] < x[None, :], name="greater")


def complete_bipartite(n: int, S=None) -> Relation:
    """Complete bipartite relation on ``(S, complement of S)`` (Table I).

    ``R(x, y)`` iff exactly one of ``x, y`` is in ``S``.

    Parameters
    ----------
    n : int
        Number of elements.
    S : iterable of int, optional
        One side of the bipartition; defaults to the first ``n // 2`` elements.

    Examples
    --------
    >>> R = complete_bipartite(30, range(12))
    >>> int(R.matrix.sum()) == 2 * 12 * 18
    True
    """
    n = check_int(n, "n", minimum=0)
    in_S = np.zeros(n, dtype=bool)
    if S is None:
        in_S[: n // 2] = True
    else:
        idx = np.asarray(list(S))
        if idx.size:
            if not np.issubdtype(idx.dtype, np.integer):
                raise TypeError("S must contain integer element ids")
            if idx.min() < 0 or idx.max() >= n:
                raise ValueError(f"S must contain ids in [0, {n - 1}], got {idx.min()}..{idx.max()}")
            in_S[idx] = True
    return Relation(in_S[:, None] != in_S[None, :], name="bipartite")


RELATION_NAMES = ("modK (e.g. mod3, mod5)", "greater", "bipartite")


class RelationName(NamedTuple):
    """A parsed relation name: its class (``kind``) and, for ``mod<k>``, the modulus ``k``."""

    kind: str  # "equivalence" | "total_order" | "bipartite"
    k: int | None = None

    @property
    def short(self) -> str:
        """The canonical short name: ``"mod3"``, ``"greater"`` or ``"bipartite"``."""
        return {"equivalence": f"mod{self.k}", "total_order": "greater", "bipartite": "bipartite"}[self.kind]


_MOD_NAME = re.compile(r"(?:equal[-_ ]?)?mod[-_ ]?(\d+)")
_GREATER_NAMES = frozenset({"greater", "greater-than", "greater_than", "greater than", "gt"})
_BIPARTITE_NAMES = frozenset({"bipartite", "complete-bipartite", "complete_bipartite", "complete bipartite"})


def parse_relation_name(name: str) -> RelationName:
    """Parse one of the paper's relation names (Table I) into its class and modulus.

    ``"mod<k>"`` (also ``"equal mod k"``, ``"equal_mod5"``) is the equivalence ``x = y (mod k)``;
    ``"greater"`` (``"greater-than"``, ``"greater_than"``, ``"gt"``) the strict total order; and
    ``"bipartite"`` (``"complete-bipartite"``, ``"complete_bipartite"``) the complete bipartite
    relation.  Case and surrounding blanks are ignored.  Every function that takes a relation name
    (:func:`relation_by_name`, :func:`~effective_theory.relation_class_bits`,
    :func:`~effective_theory.p_star`) parses it here.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        For an unknown name, or ``mod0``.

    Examples
    --------
    >>> parse_relation_name("Equal mod 5")
    RelationName(kind='equivalence', k=5)
    >>> parse_relation_name("greater-than").short
    'greater'
    """
    if not isinstance(name, str):
        raise TypeError(f"relation name must be a string, got {type(name).__name__}")
    key = name.strip().lower()
    m = _MOD_NAME.fullmatch(key)
    if m:
        k = int(m.group(1))
        if k < 1:
            raise ValueError(f"relation {name!r}: mod k needs k >= 1")
        return RelationName("equivalence", k)
    if key in _GREATER_NAMES:
        return RelationName("total_order")
    if key in _BIPARTITE_NAMES:
        return RelationName("bipartite")
    raise ValueError(f"unknown relation {name!r}; known: mod<k> (e.g. mod3, mod5), greater, bipartite")


#: the default bound on the ``n x n`` matrix that :func:`relation_by_name` builds, in bytes (1 GiB)
MAX_RELATION_BYTES = 2**30


def relation_by_name(name: str, n: int, *, max_bytes: int = MAX_RELATION_BYTES) -> Relation:
    """Build one of the paper's relations from its short name.

    ``"mod3"``, ``"mod5"`` (any ``"mod<k>"``), ``"greater"`` and ``"bipartite"`` (``S`` = first
    half); the accepted spellings are those of :func:`parse_relation_name`.

    Parameters
    ----------
    name : str
    n : int
        Number of elements.
    max_bytes : int
        The most that the relation's ``n x n`` boolean matrix (``n**2`` bytes) may take; a larger
        one is refused before anything is allocated (default :data:`MAX_RELATION_BYTES`, 1 GiB,
        ``n`` up to 32768).  The closed forms (:func:`relation_num_arcs`,
        ``relation_automorphism_order``, ``relation_class_bits``) need no matrix at any ``n``.

    Raises
    ------
    ValueError
        For an unknown name, or a matrix over ``max_bytes`` (a :class:`ParameterError` naming it).

    Examples
    --------
    >>> relation_by_name("mod3", 10**7)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    effective_theory._checks.ParameterError: ... needs 100,000,000,000,000 bytes, over the limit max_bytes=...
    """
    parsed = parse_relation_name(name)
    n = check_int(n, "n", minimum=0)
    max_bytes = check_int(max_bytes, "max_bytes", minimum=1)
    if n * n > max_bytes:
        raise ParameterError(
            f"relation_by_name({name!r}, n={n}): its {n} x {n} matrix needs {n * n:,} bytes, over the limit ",
            Mention("max_bytes", max_bytes),
            " (raise it, or use the closed forms relation_num_arcs, relation_automorphism_order, "
            "relation_class_bits)",
        )
    if parsed.kind == "equivalence":
        return equal_mod(n, parsed.k)
    if parsed.kind == "total_order":
        return greater_than(n)
    return complete_bipartite(n)


def relation_num_arcs(name: str, n: int) -> int:
    r"""Number of related pairs ``(x, y)`` of one of the paper's relations on ``n`` elements.

    The arcs of the relation's directed graph (loops included), i.e. the 1-entries of
    ``relation_by_name(name, n).matrix``, in closed form without building the matrix
    (Table I of [1]_):

    .. math::

        \sum_i s_i^2 \ (\mathrm{mod}\,k), \qquad \frac{n(n-1)}{2} \ (\mathrm{greater}), \qquad
        2a(n-a) \ (\mathrm{bipartite},\ a = \lfloor n/2 \rfloor)

    with ``s_i`` the sizes of the classes of ``x mod k``.

    Examples
    --------
    >>> relation_num_arcs("mod3", 30), relation_num_arcs("greater", 30), relation_num_arcs("bipartite", 30)
    (300, 435, 450)
    >>> all(
    ...     relation_num_arcs(name, n) == int(relation_by_name(name, n).matrix.sum())
    ...     for name in ("mod3", "mod7", "greater", "bipartite")
    ...     for n in (0, 1, 2, 11)
    ... )
    True
    """
    parsed = parse_relation_name(name)
    n = check_int(n, "n", minimum=0)
    if parsed.kind == "equivalence":
        return sum(len(range(r, n, parsed.k)) ** 2 for r in range(min(parsed.k, n)))
    if parsed.kind == "total_order":
        return n * (n - 1) // 2
    a = n // 2
    return 2 * a * (n - a)


def is_reflexive(R) -> bool:
    """``R(x, x)`` for every ``x``."""
    a = as_relation_matrix(R)
    return bool(np.all(np.diag(a)))


def is_irreflexive(R) -> bool:
    """``not R(x, x)`` for every ``x``."""
    a = as_relation_matrix(R)
    return not bool(np.any(np.diag(a)))


def is_symmetric(R) -> bool:
    """``R(x, y) => R(y, x)``."""
    a = as_relation_matrix(R)
    return bool(np.array_equal(a, a.T))


def is_antisymmetric(R) -> bool:
    """``R(x, y) and R(y, x) => x = y``."""
    a = as_relation_matrix(R)
    both = a & a.T
    np.fill_diagonal(both := both.copy(), False)
    return not bool(both.any())


def is_transitive(R) -> bool:
    """``R(x, y) and R(y, z) => R(x, z)``: the boolean square of ``R`` is contained in ``R``."""
    a = as_relation_matrix(R)
    ai = a.astype(np.int64)
    return not bool(((ai @ ai > 0) & ~a).any())


def is_equivalence(R) -> bool:
    """Reflexive, symmetric and transitive."""
    return is_reflexive(R) and is_symmetric(R) and is_transitive(R)


def is_strict_total_order(R) -> bool:
    """Irreflexive, transitive and total: exactly one of ``R(x, y)``, ``R(y, x)`` for ``x != y``."""
    a = as_relation_matrix(R)
    n = a.shape[0]
    off = ~np.eye(n, dtype=bool)
    total = bool(np.all((a ^ a.T)[off]))
    return is_irreflexive(a) and total and is_transitive(a)


def equivalence_classes(R) -> list[list[int]]:
    """The classes of an equivalence relation, each sorted, ordered by smallest member.

    Raises
    ------
    ValueError
        If ``R`` is not an equivalence relation.
    """
    a = as_relation_matrix(R)
    if not is_equivalence(a):
        raise ValueError("relation is not an equivalence relation")
    seen = np.zeros(a.shape[0], dtype=bool)
    classes = []
    for i in range(a.shape[0]):
        if not seen[i]:
            members = np.flatnonzero(a[i])
            seen[members] = True
            classes.append(members.tolist())
    return classes
