"""Benchmark: end-to-end time of ``description_length`` on million-node graphs.

Prints, in one process, the time of ``description_length(edges, n=N)`` for

* a Barabasi-Albert graph (m = 2) with ``10**6`` nodes given as an edge array
  (floor: 5 s on the project's 2-core machine),
* a random recursive tree and a star with ``10**6`` nodes (floor: 10 s each),
* and, beside them, the nauty engine and the bliss engine alone
  (``reduce=False``) on a BA graph with ``3 * 10**4`` nodes (the dense
  engine's practical size) against the exact reductions, and the reductions
  against the unreduced bliss engine on a star (the ratios).

The last line is the BA ``10**6``-node time in seconds.  Graph generation
and the first import of the engines are not timed.  Timings on a shared
machine are inflated by contention; compare the ratios.

Run::

    python benchmarks/bench_description_length.py [--n 1000000]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from graph_generators import (  # noqa: E402
    barabasi_albert_edges,
    random_recursive_tree_edges,
    star_edges,
)

import effective_theory as et  # noqa: E402

FLOORS = {"BA m=2": 5.0, "random recursive tree": 10.0, "star": 10.0}


def _timed(label, edges, n, **kw):
    t0 = time.perf_counter()
    r = et.description_length_report(edges, n=n, **kw)
    dt = time.perf_counter() - t0
    floor = FLOORS.get(label)
    verdict = "" if floor is None else (f"  (floor {floor:g} s: {'ok' if dt < floor else 'OVER'})")
    print(
        f"{label:<28} n={n:>8}  {dt:8.3f} s  log10|Aut|={r.log10_aut:14.3f}  bits={r.bits:16.3f}  "
        f"engine={r.engine} core={r.core_n}{verdict}",
        flush=True,
    )
    return dt, r


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=10**6, help="nodes of the large graphs (default 10^6)")
    p.add_argument("--n-nauty", type=int, default=3 * 10**4, help="nodes for the nauty comparison")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    start = time.perf_counter()
    et.description_length(star_edges(5), n=5, engine="bliss")  # load the engines once
    et.description_length(star_edges(5), n=5, engine="nauty")

    N = args.n
    ba = barabasi_albert_edges(N, 2, seed=args.seed)
    t_ba, _ = _timed("BA m=2", ba, N)
    del ba
    _timed("random recursive tree", random_recursive_tree_edges(N, seed=args.seed), N)
    _timed("star", star_edges(N), N)

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
