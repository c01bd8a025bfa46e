"""A fast reading of the most common large graph file: lines of two non-negative integers.

Private module of :mod:`effective_theory.statics`, used by ``_graph_files``.  An edge list of a
million lines parsed line by line in Python takes seconds and about 70 times the memory of its
edge array; here the whole text is checked and parsed by numpy in a few passes over its bytes.
:func:`is_numeric_edge_list` says whether the text is exactly such a list (digits, spaces, tabs
and line breaks; two numbers on every line that is not blank; no leading zeros, so each number's
text is its node's name; at most 18 digits, so each fits int64), and
:func:`parse_numeric_edge_list` gives what the general reader gives for it: node ids in the order
of first appearance, node names the numbers' text.  Anything else (comments, a header, signs,
other columns, two or fewer lines, which could be a matrix) is left to the general reader.

Memory: the checks use arrays of one byte per byte of text, the parse one int64 per number, and
the ids replace the parsed numbers in place (``benchmarks/bench_graph_reading.py`` measures it).
"""

from __future__ import annotations

import numpy as np

__all__ = ["is_numeric_edge_list", "parse_numeric_edge_list", "numeric_edge_list"]

#: the class of each byte: 1 a digit, 2 a blank, 3 a line feed, 0 anything else
_BYTE_CLASS = np.zeros(256, dtype=np.uint8)
_BYTE_CLASS[np.frombuffer(b"0123456789", dtype=np.uint8)] = 1
_BYTE_CLASS[np.frombuffer(b" \t\r", dtype=np.uint8)] = 2
_BYTE_CLASS[ord("\n")] = 3
#: ids up to this multiple of the number of entries are mapped through a dense table, larger ones
#: through the sorted distinct values
_DENSE_FACTOR = 8
#: how many numbers are mapped to ids at a time
_CHUNK = 1 << 20


def is_numeric_edge_list(data: bytes) -> bool:
    """Whether ``data`` is lines of exactly two decimal integers (no sign, no leading zero, at most
    18 digits) separated by blanks, blank lines allowed, at least three of them."""
    a = np.frombuffer(data, dtype=np.uint8)
    cls = _BYTE_CLASS[a]
    if not cls.all():
        return False
    digit = cls == 1
    start = digit.copy()
    start[1:] &= ~digit[:-1]
    if np.count_nonzero(start) < 6:  # two or fewer lines could be a matrix: the general reader decides
        return False
    if np.any(start[:-1] & (a[:-1] == ord("0")) & digit[1:]):  # a leading zero: "007" is not "7"
        return False
    run = digit  # runs of 19 digits, by doubling: run[i] means digits at i .. i + k - 1
    for k in (1, 2, 4, 8):  # k = 2, 4, 8, 16
        run = run[:-k] & run[k:]
    if run.size > 3 and np.any(run[:-3] & run[3:]):
        return False
    del digit, start, run
    # the runs of one class, blanks left out: every group of numbers between line feeds is two
    first_of_run = np.empty(cls.size, dtype=bool)
    first_of_run[0] = True
    np.not_equal(cls[1:], cls[:-1], out=first_of_run[1:])
    runs = cls[first_of_run]
    del first_of_run, cls
    runs = runs[runs != 2]
    number = np.concatenate([[False], runs == 1, [False]])
    alone = number[1:-1] & ~number[:-2] & ~number[2:]
    three = number[:-2] & number[1:-1] & number[2:]
    return not (alone.any() or three.any())


def parse_numeric_edge_list(data: bytes) -> tuple[np.ndarray, tuple]:
    """``(ids (m, 2) int64, names)`` of text for which :func:`is_numeric_edge_list` holds.

    ``names[i]`` is the text of the node with id ``i``; ids follow the order in which the nodes
    first appear (row by row, left to right), as the general text reader numbers them.
    """
    values = np.fromstring(data, dtype=np.int64, sep=" ")  # every number, in order
    order = _to_first_appearance_ids(values)
    return values.reshape(-1, 2), tuple(map(str, order.tolist()))


def numeric_edge_list(data: bytes):
    """``(ids, names)`` of an edge list of two integers a line (:func:`parse_numeric_edge_list`),
    or ``None`` for any other text."""
    return parse_numeric_edge_list(data) if is_numeric_edge_list(data) else None


def _to_first_appearance_ids(values: np.ndarray) -> np.ndarray:
    """Replace ``values`` in place by ids ``0..k-1`` of its ``k`` distinct values in order of first
    appearance (as ``dict.setdefault(value, len(dict))`` numbers them); returns the distinct
    values in that order."""
    count = values.size
    top = int(values.max())
    if top <= _DENSE_FACTOR * count:  # small numbers: a table indexed by value, filled by chunks
        first = np.full(top + 1, count, dtype=np.int64)
        for lo in range(0, count, _CHUNK):
            u, i = np.unique(values[lo : lo + _CHUNK], return_index=True)
            new = first[u] == count
            first[u[new]] = i[new] + lo
        present = np.flatnonzero(first < count)
        order = present[np.argsort(first[present], kind="stable")]
        del first, present
        table = np.empty(top + 1, dtype=np.int64)
        table[order] = np.arange(order.size, dtype=np.int64)
        np.take(table, values, out=values)
        return order
    distinct, first = np.unique(values, return_index=True)
    order = distinct[np.argsort(first, kind="stable")]
    rank = np.empty(distinct.size, dtype=np.int64)  # the id of each distinct value, in sorted order
    rank[np.searchsorted(distinct, order)] = np.arange(order.size, dtype=np.int64)
    del first
    for lo in range(0, count, _CHUNK):
        part = values[lo : lo + _CHUNK]
        part[:] = rank[np.searchsorted(distinct, part)]
    return order
