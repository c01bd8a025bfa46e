"""Benchmark: ``description_length`` on million-node graphs and on knowledge-graph shapes.

Prints, in one process, the time of ``description_length_report`` (default engine, input
conversion included) for

* the scale cases: a Barabasi-Albert graph (m = 2) with ``10**6`` nodes given as an edge array
  (floor: 5 s on the project's 2-core machine), a random recursive tree and a star with ``10**6``
  nodes (floor: 10 s each);
* knowledge-graph shapes (many isomorphic components, labelled arcs), each checked exactly
  against a reference computed another way (a closed form, or bliss on the raw graph) and shown
  beside the unreduced bliss time (``reduce=False``, under ``--raw-limit`` seconds; ``>limit``
  when it does not finish):
  ``10**5`` copies of C5 and ``10**4`` Petersen graphs (floor 2 s each), 200 copies of C5 and
  160 copies of C6 with alternating edge labels (floor 0.5 s), a random forest of ``10**6``
  vertices made of ``10**5`` components drawn from 1000 random small trees, BA with
  ``5 * 10**6`` vertices and ``10**7`` edges (floor 15 s), and all of WordNet 3.0 (every synset
  of nouns, verbs, adjectives and adverbs, one labelled arc per pointer, the pointer symbol as
  the label; floor 2 s; needs ``apt-get install wordnet-base``);
* the engines alone (``reduce=False``) on a BA graph with ``3 * 10**4`` nodes and on a star.

Every graph is given with shuffled vertex ids.  Graph generation and the first import of the
engines are not timed.  Timings on a shared machine are inflated by contention; compare the ratios
(the BA ``10**6`` line took 1.48 s on an idle 2-core machine at commit 507d908, 2026-11-29).

Run::

    python benchmarks/bench_description_length.py [--quick] [--raw-limit 60] [--skip-big]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from graph_generators import (  # noqa: E402
    barabasi_albert_edges,
    copies_edges,
    random_recursive_tree_edges,
    shuffled,
    star_edges,
)

import effective_theory as et  # noqa: E402

WORDNET = "/usr/share/wordnet"
FLOORS = {
    "BA m=2": 5.0,
    "random recursive tree": 10.0,
    "star": 10.0,
    "10^5 x C5": 2.0,
    "10^4 x Petersen": 2.0,
    "200 x C5": 0.5,
    "160 x labelled C6": 0.5,
    "BA 5x10^6": 15.0,
    "WordNet 3.0": 2.0,
}
PETERSEN = np.array(
    [[0, 1], [1, 2], [2, 3], [3, 4], [4, 0], [0, 5], [1, 6], [2, 7], [3, 8], [4, 9]]
    + [[5, 7], [7, 9], [9, 6], [6, 8], [8, 5]]
)


def cycle(s):
    return np.stack([np.arange(s), (np.arange(s) + 1) % s], axis=1)


def _timed(label, G, n=None, *, reference=None, **kw):
    t0 = time.perf_counter()
    r = et.description_length_report(G, n=n, **kw)
    dt = time.perf_counter() - t0
    floor = FLOORS.get(label)
    verdict = "" if floor is None else f"  (floor {floor:g} s: {'ok' if dt < floor else 'OVER'})"
    exact = ""
    if reference is not None:
        exact = "  exact" if reference(r) else "  WRONG"
        assert exact == "  exact", f"{label}: |Aut| differs from the reference"
    print(
        f"{label:<28} n={r.n:>8}  {dt:8.3f} s  log10|Aut|={r.log10_aut:14.3f}  bits={r.bits:16.3f}  "
        f"engine={r.engine} core={r.core_n}{verdict}{exact}",
        flush=True,
    )
    return dt, r


def _raw_bliss(label, G, n=None, limit=60.0, **kw):
    """Unreduced bliss (``reduce=False``) under a time limit; returns the report or None."""
    t0 = time.perf_counter()
    try:
        r = et.description_length_report(G, n=n, engine="bliss", reduce=False, time_limit=limit, **kw)
    except TimeoutError:
        print(f"{label + ', bliss unreduced':<28} {'':>10}  >{limit:g} s (did not finish)", flush=True)
        return None
    print(f"{label + ', bliss unreduced':<28} n={r.n:>8}  {time.perf_counter() - t0:8.3f} s", flush=True)
    return r


def closed_form(factors, powers=()):
    """``prod base**k * prod k!`` as an exact integer."""
    out = 1
    for base, k in powers:
        out *= base**k
    for k in factors:
        out *= math.factorial(k)
    return out


def random_forest(n_vertices, n_components, pool, seed):
    """``n_components`` trees drawn from a pool of random small trees, ``n_vertices`` vertices in all.

    Returns ``(edges, n, reference)``; the reference is ``prod |Aut(T)|^k k!`` over the
    isomorphism classes of the drawn trees, the classes and orders from bliss's canonical form
    and automorphism count of each pool tree (not from the reductions).
    """
    import igraph

    rng = np.random.default_rng(seed)
    mean = n_vertices / n_components
    sizes = np.clip(rng.poisson(mean - 1, size=pool) + 1, 1, None)
    trees = [random_recursive_tree_edges(int(s), seed=int(rng.integers(2**31))) for s in sizes]
    draw = rng.integers(0, pool, size=n_components)
    total = int(sizes[draw].sum())
    # pad with isolated vertices (trees of one vertex) up to n_vertices
    n = max(total, n_vertices)
    canon, aut = [], []
    for s, e in zip(sizes.tolist(), trees):
        g = igraph.Graph(n=s, edges=e.tolist())
        perm = g.canonical_permutation()
        canon.append((s, tuple(sorted(tuple(sorted(x)) for x in g.permute_vertices(perm).get_edgelist()))))
        aut.append(int(g.count_automorphisms()))
    counts: dict = {}
    for j in draw.tolist():
        counts.setdefault(canon[j], [aut[j], 0])[1] += 1
    counts.setdefault((1, ()), [1, 0])[1] += n - total  # the padding: isolated vertices
    reference = closed_form([k for _, k in counts.values()], [(a, k) for a, k in counts.values()])
    offsets = np.concatenate([[0], np.cumsum(sizes[draw])[:-1]])
    edges = np.concatenate([trees[j] + off for j, off in zip(draw.tolist(), offsets.tolist())])
    return edges, n, reference


def read_wordnet(root=WORDNET):
    """All of WordNet 3.0: every synset a vertex, one arc per pointer labelled by its symbol.

    Synsets are ``(part of speech, offset)`` (satellite adjectives ``s`` live in ``data.adj``
    beside ``a``); lexical pointers (between words) are arcs between their synsets.
    """
    files = {"n": "data.noun", "v": "data.verb", "a": "data.adj", "r": "data.adv"}
    file_of = {"n": "n", "v": "v", "a": "a", "s": "a", "r": "r"}
    index: dict = {}
    src, dst, lab = [], [], []
    symbols: dict = {}
    for pos, name in files.items():
        with open(os.path.join(root, name), encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith(" "):
                    continue
                f = line.split(" | ", 1)[0].split()
                me = index.setdefault((pos, f[0]), len(index))
                k = 4 + 2 * int(f[3], 16)
                for j in range(int(f[k])):
                    sym, target, tpos = f[k + 1 + 4 * j : k + 4 + 4 * j]
                    src.append(me)
                    dst.append((file_of[tpos], target))
                    lab.append(symbols.setdefault(sym, len(symbols)))
    dst_ids = np.array([index[t] for t in dst], dtype=np.int64)
    edges = np.stack([np.array(src, dtype=np.int64), dst_ids], axis=1)
    return len(index), edges, np.array(lab, dtype=np.int64), len(symbols)


def knowledge_graph_shapes(args):
    rng = np.random.default_rng(args.seed)
    limit = args.raw_limit
    k = 10**3 if args.quick else 10**5
    E, n = shuffled(copies_edges(cycle(5), 5, k), 5 * k, rng)
    ref = closed_form([k], [(10, k)])
    _timed("10^5 x C5" if k == 10**5 else f"{k} x C5", E, n, reference=lambda r: int(r.aut) == ref)
    _raw_bliss(f"{k} x C5", E, n, limit=limit)

    k = 10**2 if args.quick else 10**4
    E, n = shuffled(copies_edges(PETERSEN, 10, k), 10 * k, rng)
    ref = closed_form([k], [(120, k)])
    name = "10^4 x Petersen" if k == 10**4 else f"{k} x Petersen"
    _timed(name, E, n, reference=lambda r: int(r.aut) == ref)
    _raw_bliss(f"{k} x Petersen", E, n, limit=limit)

    E, n = shuffled(copies_edges(cycle(5), 5, 200), 1000, rng)
    raw = _raw_bliss("200 x C5", E, n, limit=limit)
    ref = closed_form([200], [(10, 200)])
    assert raw is None or int(raw.aut) == ref
    _timed("200 x C5", E, n, reference=lambda r: int(r.aut) == ref)

    lab = np.tile(np.arange(6) % 2, 160)
    E, n = copies_edges(cycle(6), 6, 160), 960
    perm = rng.permutation(n)
    E = perm[E]
    raw = _raw_bliss("160 x labelled C6", E, n, limit=limit, edge_label=lab)
    ref = closed_form([160], [(6, 160)])
    assert raw is None or int(raw.aut) == ref
    _timed("160 x labelled C6", E, n, edge_label=lab, reference=lambda r: int(r.aut) == ref)

    nv, nc = (10**4, 10**3) if args.quick else (10**6, 10**5)
    E, n, ref = random_forest(nv, nc, pool=1000, seed=args.seed)
    E, n = shuffled(E, n, rng)
    _timed("random forest", E, n, reference=lambda r: int(r.aut) == ref)
    _raw_bliss("random forest", E, n, limit=limit)

    if not args.skip_big:
        N = 10**5 if args.quick else 5 * 10**6
        t0 = time.perf_counter()
        ba = barabasi_albert_edges(N, 2, seed=args.seed)
        print(f"(BA {N} generated in {time.perf_counter() - t0:.1f} s, {len(ba)} edges)", flush=True)
        raw = _raw_bliss("BA 5x10^6", ba, N, limit=limit)
        check = None if raw is None else (lambda r: int(r.aut) == int(raw.aut))
        _timed("BA 5x10^6" if N == 5 * 10**6 else f"BA {N}", ba, N, reference=check)
        del ba

    if os.path.isfile(os.path.join(WORDNET, "data.noun")):
        n, E, lab, nsym = read_wordnet()
        print(f"(WordNet 3.0: {n} synsets, {len(E)} pointers, {nsym} pointer symbols)", flush=True)
        raw = _raw_bliss("WordNet 3.0", E, n, limit=limit, directed=True, edge_label=lab)
        check = None if raw is None else (lambda r: int(r.aut) == int(raw.aut))
        _timed("WordNet 3.0", E, n, directed=True, edge_label=lab, reference=check)
    else:
        print("WordNet 3.0: not installed (apt-get install wordnet-base)")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=10**6, help="nodes of the large graphs (default 10^6)")
    p.add_argument("--n-nauty", type=int, default=3 * 10**4, help="nodes for the nauty comparison")
    p.add_argument("--raw-limit", type=float, default=60.0, help="seconds for each unreduced bliss run")
    p.add_argument("--quick", action="store_true", help="small versions of the knowledge-graph shapes")
    p.add_argument("--skip-big", action="store_true", help="leave out BA 5 x 10^6")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    start = time.perf_counter()
    for engine in ("bliss", "nauty"):  # load the engines once (a graph the reductions leave whole)
        et.description_length_report(PETERSEN, n=10, engine=engine, reduce=False)

    N = args.n
    ba = barabasi_albert_edges(N, 2, seed=args.seed)
    t_ba, _ = _timed("BA m=2", ba, N)
    del ba
    _timed("random recursive tree", random_recursive_tree_edges(N, seed=args.seed), N)
    _timed("star", star_edges(N), N)

    knowledge_graph_shapes(args)

    # the engines alone (reduce=False): since colour refinement prunes every fixed vertex, the
    # reductions leave them nothing to do on a BA graph
    small = barabasi_albert_edges(args.n_nauty, 2, seed=args.seed)
    t_nauty, r1 = _timed("BA m=2, nauty unreduced", small, args.n_nauty, engine="nauty", reduce=False)
    t_bliss, r2 = _timed("BA m=2, bliss unreduced", small, args.n_nauty, engine="bliss", reduce=False)
    t_red, r0 = _timed("BA m=2, reductions", small, args.n_nauty)
    assert int(r1.aut) == int(r2.aut) == int(r0.aut), "engines disagree"
    print(f"nauty / bliss time ratio at n={args.n_nauty}: {t_nauty / t_bliss:.2f}")
    print(f"bliss unreduced / reductions time ratio at n={args.n_nauty}: {t_bliss / max(t_red, 1e-9):.1f}")

    k = 1200  # the unreduced star: bliss alone grows steeply with the number of leaves
    t_raw, r3 = _timed("star, bliss unreduced", star_edges(k), k, engine="bliss", reduce=False)
    t_red, r4 = _timed("star, reductions", star_edges(k), k, engine="bliss")
    assert int(r3.aut) == int(r4.aut), "reductions changed |Aut|"
    print(f"unreduced / reduced time ratio on a {k}-node star: {t_raw / max(t_red, 1e-9):.0f}")
    print(f"total benchmark time {time.perf_counter() - start:.1f} s")
    print(f"{t_ba:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
