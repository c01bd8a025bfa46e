"""Benchmark: what a user of ``description_length`` and ``geneft bits`` feels, against igraph.

Three measurements, each against an igraph baseline timed in the same process (or, for the cold
start, the same kind of fresh process), printed as ratios:

* **many small graphs**: all 1,253 graphs of networkx's atlas (up to seven vertices) through
  :func:`effective_theory.description_lengths`, against igraph's ``count_automorphisms`` on the
  same graphs built as igraph graphs beforehand (so igraph's conversion is not timed, ours is);
  the target is at most 10x igraph's time per graph;
* **a big edge-list file**: ``read_graph`` of a text file of ``10**6`` random edges (two integers a
  line) against ``igraph.Graph.Read_Edgelist`` of the same file; the target is at most 2x;
* **a cold start**: ``geneft bits`` (``python -m verification.cli bits``) on the bundled karate
  file in a fresh Python process, against a fresh process that imports igraph, reads the file
  (its comment line skipped by Python: igraph's ``Read_Edgelist`` refuses comments) and counts
  its automorphisms; the target is under 1 s, and the run also checks that the
  command imports none of torch, numba, matplotlib and scipy.stats.

Each time is the best of ``--repeats`` runs.  Timings on a shared machine are inflated by
contention; the ratios compare like with like.

Run::

    python benchmarks/bench_everyday.py [--repeats 5] [--edges 1000000]
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import effective_theory as et  # noqa: E402

KARATE = os.path.join(ROOT, "effective_theory", "data", "karate.edgelist")
HEAVY = ("torch", "numba", "matplotlib", "scipy.stats")


def best_of(repeats, fn):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def atlas(repeats):
    import igraph
    import networkx as nx

    graphs = nx.graph_atlas_g()
    built = [igraph.Graph(n=G.number_of_nodes(), edges=list(G.edges())) for G in graphs]
    ours = et.description_lengths(graphs)
    theirs = [g.count_automorphisms() for g in built]
    # the same answers: log2(n!/|Aut|) from igraph's counts
    expected = [math.log2(math.factorial(G.number_of_nodes()) // a) for G, a in zip(graphs, theirs)]
    assert np.allclose(ours, expected, rtol=1e-12, atol=1e-12), "the atlas's bits differ from igraph's counts"
    t_igraph = best_of(repeats, lambda: [g.count_automorphisms() for g in built])
    t_ours = best_of(repeats, lambda: et.description_lengths(graphs))
    return len(graphs), t_ours, t_igraph


def big_file(repeats, edges, folder):
    import igraph

    rng = np.random.default_rng(0)
    n = edges // 2
    pairs = rng.integers(0, n, size=(edges, 2))
    path = os.path.join(folder, "big.edgelist")
    with open(path, "w") as fh:
        fh.write("\n".join(f"{a} {b}" for a, b in pairs.tolist()) + "\n")
    E = et.read_graph(path)
    g = igraph.Graph.Read_Edgelist(path, directed=False)
    assert E.num_edges == g.ecount() == edges
    t_igraph = best_of(repeats, lambda: igraph.Graph.Read_Edgelist(path, directed=False))
    t_ours = best_of(repeats, lambda: et.read_graph(path))
    return os.path.getsize(path), t_ours, t_igraph


def cold_start(repeats):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    ours_cmd = [sys.executable, "-m", "verification.cli", "bits", KARATE]
    igraph_cmd = [
        sys.executable,
        "-c",
        "import igraph\n"
        f"lines = [x.split() for x in open({KARATE!r}) if not x.startswith('#')]\n"
        "print(igraph.Graph(edges=[(int(a), int(b)) for a, b in lines]).count_automorphisms())",
    ]

    def run(cmd):
        subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)

    t_ours = best_of(repeats, lambda: run(ours_cmd))
    t_igraph = best_of(repeats, lambda: run(igraph_cmd))
    probe = (
        "import sys\n"
        "from verification.cli import main\n"
        f"main(['bits', {KARATE!r}])\n"
        f"print('IMPORTED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    imported = out.rsplit("IMPORTED", 1)[1].strip()
    return t_ours, t_igraph, imported


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--edges", type=int, default=10**6)
    args = ap.parse_args()

    rows = []
    count, t_ours, t_igraph = atlas(args.repeats)
    print(
        f"atlas: {count} graphs, description_lengths {t_ours * 1e3:.1f} ms "
        f"({t_ours / count * 1e6:.1f} us a graph), igraph count_automorphisms {t_igraph * 1e3:.1f} ms "
        f"({t_igraph / count * 1e6:.1f} us a graph)"
    )
    rows.append(("many small graphs (atlas), time per graph", t_ours / t_igraph, 10.0))
    with tempfile.TemporaryDirectory() as folder:
        size, t_ours, t_igraph = big_file(max(2, args.repeats // 2), args.edges, folder)
    print(
        f"edge list: {args.edges} edges, {size / 1e6:.1f} MB, read_graph {t_ours:.3f} s, "
        f"igraph Read_Edgelist {t_igraph:.3f} s"
    )
    rows.append((f"read a {args.edges}-edge list", t_ours / t_igraph, 2.0))
    t_ours, t_igraph, imported = cold_start(args.repeats)
    print(
        f"cold start: geneft bits karate {t_ours:.3f} s (target < 1 s), a fresh igraph process "
        f"{t_igraph:.3f} s; heavy modules imported: {imported}"
    )
    rows.append(("cold geneft bits karate vs a cold igraph process", t_ours / t_igraph, None))
    print()
    print(f"{'measurement':52s} {'ratio to igraph':>16s} {'target':>8s}")
    for name, ratio, target in rows:
        shown = f"<= {target:g}x" if target else "< 1 s"
        print(f"{name:52s} {ratio:15.2f}x {shown:>8s}")


if __name__ == "__main__":
    main()
