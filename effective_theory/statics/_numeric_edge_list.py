"""A fast reading of the most common large graph file: lines of two non-negative integers.

Private module of :mod:`effective_theory.statics`, used by ``_graph_files``.  An edge list of a
million lines parsed line by line in Python takes seconds; here the whole text is checked and
parsed by numpy in a few passes over its bytes.  :func:`numeric_edge_list` answers only when the
text is exactly such a list (digits, spaces, tabs and line breaks; two numbers on every line that
is not blank; no leading zeros, so each number's text is its node's name) and gives what the
general reader gives for it: node ids in the order of first appearance, node names the numbers'
text.  Anything else (comments, a header, signs, other columns, two or fewer lines, which could
be a matrix) returns ``None`` and is left to the general reader.
"""

from __future__ import annotations

import numpy as np

__all__ = ["numeric_edge_list"]

#: the bytes such a file may hold
_ALLOWED = b"0123456789 \t\r\n"
#: at most this many digits per number (int64 holds 18 digits in full)
_MAX_DIGITS = 18
#: ids up to this multiple of the number of entries are mapped through a dense table, larger ones by
#: sorting
_DENSE_FACTOR = 8


def numeric_edge_list(data: bytes):
    """``(ids (m, 2) int64, names tuple)`` of an edge list of non-negative integers, or ``None``.

    ``names[i]`` is the text of the node with id ``i``; ids follow the order in which the nodes
    first appear (row by row, left to right), as the general text reader numbers them.
    """
    if not data or data.translate(None, _ALLOWED):
        return None
    b = np.frombuffer(data, dtype=np.uint8)
    digit = (b > 47).view(np.int8)  # only digits and whitespace (all below '0') are left
    edge = np.diff(digit, prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)  # one past each number
    k = starts.size
    if k < 6 or k % 2:  # two or fewer lines could be a matrix: the general reader decides
        return None
    if int((ends - starts).max()) > _MAX_DIGITS:
        return None
    if np.any((b[starts] == 48) & (ends - starts > 1)):  # a leading zero: "007" is not "7"
        return None
    line = np.searchsorted(np.flatnonzero(b == 10), starts)
    if not (np.array_equal(line[0::2], line[1::2]) and np.all(line[2::2] > line[1:-1:2])):
        return None  # not two numbers on every line
    values = np.fromstring(data, dtype=np.int64, sep=" ")  # every number, in order
    if values.size != k:  # pragma: no cover - the checks above leave nothing it could stop at
        return None
    ids, first = _first_appearance_ids(values)
    names = tuple(map(str, first.tolist()))
    return ids.reshape(-1, 2), names


def _first_appearance_ids(values: np.ndarray):
    """Ids ``0..k-1`` of ``values`` in the order of first appearance, and the value of each id."""
    top = int(values.max())
    if top <= _DENSE_FACTOR * values.size:
        first = np.full(top + 1, values.size, dtype=np.int64)
        np.minimum.at(first, values, np.arange(values.size, dtype=np.int64))
        present = np.flatnonzero(first < values.size)
        order = present[np.argsort(first[present])]
        table = np.empty(top + 1, dtype=np.int64)
        table[order] = np.arange(order.size, dtype=np.int64)
        return table[values], order
    distinct, first, inverse = np.unique(values, return_index=True, return_inverse=True)
    rank = np.empty(distinct.size, dtype=np.int64)
    order = np.argsort(first)
    rank[order] = np.arange(distinct.size, dtype=np.int64)
    return rank[inverse.reshape(-1)], distinct[order]
