"""Description length of the WordNet 3.0 noun graph (Section III of Baek, Liu, Tegmark 2025).

The graph: one labelled arc per hypernym (``@``) and part-meronym (``%p``)
pointer between noun synsets of ``/usr/share/wordnet/data.noun`` (84,947
arcs, two edge labels) on the 77,607 synsets that these arcs touch (the
other 4,508 of the 82,115 noun synsets have no such pointer).  Real
knowledge graphs have huge automorphism groups made of interchangeable
pendant trees; the exact reductions of ``effective_theory`` handle them
before bliss sees the small remaining core.

Get the database with ``apt-get install wordnet-base`` (Debian/Ubuntu), or
pass the path of ``data.noun`` as the first argument.

Run::

    python examples/wordnet_description_length.py [path/to/data.noun]
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

import effective_theory as et

DEFAULT_PATH = "/usr/share/wordnet/data.noun"
POINTERS = {"@": 0, "%p": 1}  # hypernym, part meronym


def read_wordnet_nouns(path=DEFAULT_PATH):
    """Parse ``data.noun``; returns ``(n, edges (m, 2), labels (m,))`` with label 0 = ``@``, 1 = ``%p``.

    The vertices are the ``n`` synsets that have or receive such a pointer.

    Each data line is ``offset lex_filenum ss_type w_cnt word lex_id ... p_cnt
    [ptr_symbol offset pos source/target] ... | gloss``; lines starting with a
    space are the licence header.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"WordNet noun database not found at {path}; install it with "
            "'apt-get install wordnet-base' (Debian/Ubuntu) or pass the path to data.noun"
        )
    offsets, src, dst, lab = [], [], [], []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.startswith(" "):
                continue
            fields = line.split(" | ", 1)[0].split()
            offset = fields[0]
            w_cnt = int(fields[3], 16)
            k = 4 + 2 * w_cnt
            p_cnt = int(fields[k])
            offsets.append(offset)
            for j in range(p_cnt):
                sym, target, pos = fields[k + 1 + 4 * j : k + 4 + 4 * j]
                if pos == "n" and sym in POINTERS:
                    src.append(offset)
                    dst.append(target)
                    lab.append(POINTERS[sym])
    known = set(offsets)
    missing = [t for t in dst if t not in known]
    if missing:
        raise ValueError(f"{path}: pointer to unknown synset {missing[0]}")
    index: dict[str, int] = {}  # synsets touched by a pointer, in order of appearance
    edges = np.array(
        [[index.setdefault(s, len(index)), index.setdefault(t, len(index))] for s, t in zip(src, dst)],
        dtype=np.int64,
    ).reshape(-1, 2)
    return len(index), edges, np.array(lab, dtype=np.int64)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = argv[0] if argv else DEFAULT_PATH
    start = time.perf_counter()
    try:
        n, edges, labels = read_wordnet_nouns(path)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    parsed = time.perf_counter() - start
    print(
        f"WordNet nouns: {n} synsets, {len(edges)} labelled arcs "
        f"({int((labels == 0).sum())} hypernym, {int((labels == 1).sum())} part-meronym)"
    )
    r = et.description_length_report(edges, n=n, directed=True, edge_label=labels)
    print(f"n            {r.n}")
    print(f"edges        {r.edges} (directed)")
    print(f"log2|Aut|    {r.log2_aut:.1f}")
    print(f"|Aut|        {r.aut_order_text()}")
    print(f"bits         {r.bits:.6f}")
    print(f"engine       {r.engine} (core: {r.core_n} vertices, {r.core_pairs} edges)")
    print(f"time         {r.seconds:.3f} s")
    hyper = edges[labels == 0]
    r0 = et.description_length_report(hyper, n=n, directed=True)
    print(f"hypernyms only: log2|Aut| = {r0.log2_aut:.1f}, bits = {r0.bits:.1f}, {r0.seconds:.2f} s")
    print(f"total time   {time.perf_counter() - start:.2f} s (parsing {parsed:.2f} s)")
    return 0


if __name__ == "__main__":
    # any stdout encoding: a character it cannot encode is written as its escape (\u23a1)
    sys.stdout.reconfigure(errors="backslashreplace")
    sys.exit(main())
