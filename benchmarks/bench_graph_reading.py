"""Benchmark: memory and time of reading big edge-list files with ``read_graph``.

Prints, in one process (the compressed file in a child process of its own, for its peak RSS):

* the peak memory that reading a ``10**6``-edge edge list takes (``tracemalloc``: every numpy
  array and Python object allocated while reading), as a ratio to the bytes of its ``(m, 2)``
  int64 edge array; the aim is at most 10x.  Two files: ``10**6`` random edges among ``10**5``
  names, and a path ``i i+1`` of ``10**6 + 1`` names (the most names a file of that many edges
  has, each kept as a string in ``EdgeList.nodes``);
* the time of ``read_graph`` on each against python-igraph's ``Graph.Read_Edgelist`` on the same
  file, as a ratio (same process, same file, best of ``--repeat``);
* a 65 kB ``.gz`` that holds 64 MiB of ``0 1`` lines (16.8 million edges): read in a child
  process, which prints its peak resident memory (``ru_maxrss``, the interpreter and numpy
  included) or the one-line error of the named limit (``max_bytes``) that refused it; the aim is
  to read it within 1 GB, or to refuse it by that limit.

Run::

    python benchmarks/bench_graph_reading.py [--edges 1000000] [--repeat 3] [--skip-gz]
"""

from __future__ import annotations

import argparse
import gzip
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import effective_theory as et  # noqa: E402

#: what the compressed file holds: this many bytes of "0 1\n" lines
GZ_TEXT_BYTES = 64 * 2**20

_CHILD = """
import resource, sys
import effective_theory as et
try:
    E = et.read_graph(sys.argv[1])
    outcome = f"read: n {E.n}, {E.num_edges:,} edges"
except ValueError as exc:
    outcome = f"refused: {exc}"
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(f"{outcome}; peak resident memory {rss / 2**20:.0f} MiB ({rss / 1e9:.2f} GB)")
"""


def _peak_ratio(path) -> tuple[float, float, int]:
    """(peak MiB, peak / edge-array bytes, edges) of reading ``path`` under tracemalloc."""
    tracemalloc.start()
    try:
        E = et.read_graph(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / 2**20, peak / E.edges.nbytes, E.num_edges


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--edges", type=int, default=10**6, help="edges of each edge-list file")
    p.add_argument("--repeat", type=int, default=3, help="timed reads of each file (the best counts)")
    p.add_argument("--skip-gz", action="store_true", help="leave out the 64 MiB .gz")
    args = p.parse_args(argv)
    m = args.edges
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as folder:
        files = {
            f"{m:,} random edges among {m // 10:,} names": rng.integers(0, m // 10, size=(m, 2)),
            f"a path of {m:,} edges ({m + 1:,} names)": np.stack([np.arange(m), np.arange(1, m + 1)], axis=1),
        }
        et.read_graph  # noqa: B018 - the first import, not measured
        print(f"read_graph on edge lists of {m:,} edges (edge array {16 * m / 2**20:.1f} MiB):")
        for what, edges in files.items():
            path = os.path.join(folder, "g.edgelist")
            np.savetxt(path, edges, fmt="%d")
            et.read_graph(path)  # warm: imports and caches
            mib, ratio, count = _peak_ratio(path)
            print(f"  {what}: peak {mib:.1f} MiB while reading = {ratio:.1f}x the edge array (aim <= 10x)")
            try:
                import igraph
            except ImportError:
                print("    (python-igraph is not installed: no time ratio)")
                continue
            ours = _best(lambda path=path: et.read_graph(path), args.repeat)
            theirs = _best(lambda path=path: igraph.Graph.Read_Edgelist(path, directed=False), args.repeat)
            print(
                f"    time {ours:.3f} s against igraph's Read_Edgelist {theirs:.3f} s: "
                f"ratio {ours / theirs:.2f}"
            )
        if not args.skip_gz:
            path = os.path.join(folder, "bomb.txt.gz")
            with open(path, "wb") as fh:
                fh.write(gzip.compress(b"0 1\n" * (GZ_TEXT_BYTES // 4), compresslevel=9))
            size = os.path.getsize(path)
            print(f"a {size / 1e3:.0f} kB .gz of {GZ_TEXT_BYTES / 2**20:.0f} MiB of '0 1' lines (aim: 1 GB)")
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, path],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
                check=False,
            )
            print("  " + (out.stdout.strip() or out.stderr.strip().splitlines()[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
