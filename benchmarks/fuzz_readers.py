"""Fuzz benchmark: seeded mutations of graph files in every format, each read as ``geneft bits`` would.

Each of ``--files`` cases (default 10,000) takes one seed file of one format -- text edge lists
(plain, CSV with a header, networkx's data dicts), adjacency lists (plain and multiline), a text
matrix, ``.npy``, ``.npz`` (numpy and scipy.sparse), a ``.zip`` archive, Matrix Market, GraphML,
GML, Pajek, node-link JSON, DIMACS, and ``.gz``/``.bz2``/``.xz`` files of them -- and mutates it
with a seeded random generator: numbers replaced by others, byte flips, truncations, insertions
of random bytes, digit runs and separators, repeated and deleted slices, and, for compressed and
zipped files, the same mutations of the content inside, compressed again (so that the readers
behind the decompression are reached too).

Every mutated file is read by :func:`effective_theory.read_graph` (``weight=None`` for two files
in three, as ``geneft bits --ignore-weights``) and, when it is read, measured
by :func:`effective_theory.description_length_report`, in a worker process with a per-file
timeout.  Each outcome is counted as

* ``read`` -- a graph (and its bits);
* ``refused`` -- a ``ValueError`` / ``TypeError`` / ``OSError`` whose message is one line naming
  the file (what ``geneft bits`` prints as ``geneft: error: ...``);
* ``traceback`` -- any other exception, or a message of several lines or without the file's name;
* ``hang`` -- no answer within ``--timeout`` seconds (the worker is killed and replaced);
* ``crash`` -- the worker died (a segfault in compiled code).

The counts are printed, then the first failures with their case numbers; ``--keep DIR`` saves
every failing file there.  The same ``--seed`` and ``--files`` give the same files.  (A smaller
run of the same idea is a test: ``tests/statics/test_graph_fuzz.py``.)

Run::

    python benchmarks/fuzz_readers.py [--files 10000] [--seed 1] [--timeout 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import json
import lzma
import multiprocessing as mp
import os
import random
import re
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

#: what reading one fuzzed file may take (the readers' ``max_bytes``)
MAX_BYTES = 10**7


def _seeds() -> dict[str, bytes]:
    """One small valid file per format (name -> bytes); the names carry the suffixes."""
    import networkx as nx
    import scipy.io
    import scipy.sparse as sp

    G = nx.petersen_graph()
    H = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3)])
    nx.set_edge_attributes(H, {e: w for e, w in zip(H.edges(), (1, 2, 1, 3))}, "weight")
    A = nx.to_numpy_array(G, dtype=np.int8, weight=None)

    def text(write) -> bytes:
        buf = io.BytesIO()
        write(buf)
        return buf.getvalue()

    def npy(a) -> bytes:
        return text(lambda b: np.save(b, a))

    edges = "".join(f"{u} {v}\n" for u, v in G.edges()).encode()
    out = {
        "g.txt": edges,
        "g.csv": b"source,target\n" + b"".join(f"n{u},n{v}\n".encode() for u, v in G.edges()),
        "g.edgelist": text(lambda b: nx.write_edgelist(H, b)),
        "g.adjlist": text(lambda b: nx.write_adjlist(G, b)),
        "m.adjlist": text(lambda b: nx.write_multiline_adjlist(H, b)),
        "m.txt": text(lambda b: np.savetxt(b, A, fmt="%d")),
        "g.npy": npy(A),
        "g.npz": text(lambda b: np.savez_compressed(b, A)),
        "s.npz": text(lambda b: sp.save_npz(b, sp.csr_matrix(A))),
        "g.mtx": text(lambda b: scipy.io.mmwrite(b, sp.coo_matrix(A), symmetry="symmetric")),
        "g.graphml": text(lambda b: nx.write_graphml(H, b)),
        "g.gml": "".join(line + "\n" for line in nx.generate_gml(H)).encode(),
        "g.net": text(lambda b: nx.write_pajek(H, b)),
        "g.json": json.dumps(nx.node_link_data(H, edges="links")).encode(),
        "g.col": b"c petersen\np edge 10 15\n"
        + b"".join(f"e {u + 1} {v + 1}\n".encode() for u, v in G.edges()),
    }
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("g.txt", edges)
    out["g.zip"] = zipped.getvalue()
    for name in ("g.txt", "g.mtx", "g.json", "g.net", "m.adjlist", "g.col", "g.graphml"):
        out[name + ".gz"] = gzip.compress(out[name], mtime=0)
    out["g.txt.bz2"] = bz2.compress(edges)
    out["g.csv.xz"] = lzma.compress(out["g.csv"])
    return out


def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.choices(range(1, 7), weights=(32, 16, 8, 4, 2, 1))[0]):
        op = rng.randrange(7)
        k = rng.randrange(len(b) + 1)
        if op == 6:  # replace a number by another (the file stays well formed more often)
            runs = list(re.finditer(rb"[0-9]+", bytes(b)))
            if runs:
                r = rng.choice(runs)
                new = str(rng.choice([0, 1, 2, rng.randrange(50), rng.randrange(10**6), 10**12])).encode()
                b[r.start() : r.end()] = new
        elif op == 0 and b:  # flip a byte
            b[min(k, len(b) - 1)] = rng.randrange(256)
        elif op == 1:  # truncate
            del b[k:]
        elif op == 2:  # insert random bytes
            b[k:k] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 3:  # insert a digit run, a separator or a token that parsers trip on
            b[k:k] = rng.choice(
                [b"9" * rng.randint(1, 30), b"\n", b" ", b",", b"-1", b"nan", b"\x00", b"{", b"}", b'"', b"*"]
            )
        elif op == 4 and b:  # repeat a slice
            j = rng.randrange(len(b))
            b[k:k] = b[j : j + rng.randint(1, 64)]
        elif b:  # delete a slice
            del b[k : k + rng.randint(1, 16)]
    return bytes(b)


def _mutate(name: str, data: bytes, rng: random.Random) -> bytes:
    """A mutation of the seed file ``name``; for compressed and zipped files half the time a
    mutation of the content inside, packed again."""
    inside = rng.random() < 0.5
    if inside and name.endswith(".gz"):
        return gzip.compress(_mutate_bytes(gzip.decompress(data), rng), mtime=0)
    if inside and name.endswith(".bz2"):
        return bz2.compress(_mutate_bytes(bz2.decompress(data), rng))
    if inside and name.endswith(".xz"):
        return lzma.compress(_mutate_bytes(lzma.decompress(data), rng))
    if inside and name.endswith((".npz", ".zip")):
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(data)) as zin,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
        ):
            for info in zin.infolist():
                zout.writestr(info.filename, _mutate_bytes(zin.read(info), rng))
        return out.getvalue()
    return _mutate_bytes(data, rng)


def _outcome(path: str, weight) -> tuple[str, str]:
    """(kind, detail) of reading and measuring ``path``."""
    import effective_theory as et

    try:
        E = et.read_graph(path, max_bytes=MAX_BYTES, weight=weight)
        et.description_length_report(E)
    except (ValueError, TypeError, OSError) as exc:
        message = str(exc)
        if "\n" in message or path not in message:
            return "traceback", f"{type(exc).__name__}: {message!r}"
        return "refused", message
    except Exception as exc:  # anything else would be a traceback on the command line
        tb = traceback.format_exc().strip().splitlines()
        return "traceback", f"{type(exc).__name__}: {exc} [{tb[-3].strip() if len(tb) >= 3 else ''}]"
    return "read", ""


def _worker(conn) -> None:
    import effective_theory as et

    et.read_graph  # noqa: B018 - imported before the first file, so that its time is not a file's
    while True:
        job = conn.recv()
        if job is None:
            return
        conn.send(_outcome(*job))


class _Reader:
    """A worker process that reads files, replaced when it hangs or dies."""

    def __init__(self):
        self.ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
        self._start()

    def _start(self):
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()
        child.close()

    def read(self, path: str, weight, timeout: float) -> tuple[str, str]:
        self.conn.send((path, weight))
        try:
            if self.conn.poll(timeout):
                return self.conn.recv()
        except (EOFError, OSError):
            pass
        alive = self.proc.is_alive()
        self.proc.kill()
        self.proc.join()
        self._start()
        if alive:
            return "hang", f"no answer within {timeout:g} s"
        return "crash", f"the worker died (exit code {self.proc.exitcode})"

    def close(self):
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--files", type=int, default=10_000, help="mutated files to read (default 10000)")
    p.add_argument("--seed", type=int, default=1, help="seed of the mutations (default 1)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds per file before it is a hang")
    p.add_argument("--keep", metavar="DIR", help="save every failing file in DIR")
    p.add_argument("--show", type=int, default=20, help="failures printed in full (default 20)")
    args = p.parse_args(argv)
    seeds = _seeds()
    names = sorted(seeds)
    rng = random.Random(args.seed)
    counts: Counter = Counter()
    by_format: dict[str, Counter] = {}
    failures = []
    reader = _Reader()
    start = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as folder:
            for case in range(args.files):
                name = names[case % len(names)]
                data = _mutate(name, seeds[name], rng)
                path = os.path.join(folder, f"{case}-{name}")
                with open(path, "wb") as fh:
                    fh.write(data)
                # two files in three with weights ignored, so that weighted seeds reach the engines
                kind, detail = reader.read(path, "weight" if case % 3 == 0 else None, args.timeout)
                counts[kind] += 1
                by_format.setdefault(name, Counter())[kind] += 1
                if kind in ("traceback", "hang", "crash"):
                    failures.append((case, name, kind, detail))
                    if args.keep:
                        os.makedirs(args.keep, exist_ok=True)
                        with open(os.path.join(args.keep, f"{case}-{name}"), "wb") as fh:
                            fh.write(data)
                os.unlink(path)
    finally:
        reader.close()
    seconds = time.perf_counter() - start
    kinds = ("read", "refused", "traceback", "hang", "crash")
    print(
        f"{args.files} mutated files (seed {args.seed}, {len(names)} seed files, timeout {args.timeout:g} s) "
        f"in {seconds:.0f} s: " + ", ".join(f"{counts[k]} {k}" for k in kinds)
    )
    for name in names:
        c = by_format.get(name, Counter())
        print(f"  {name:14s} " + "  ".join(f"{k} {c[k]}" for k in kinds if c[k]))
    for case, name, kind, detail in failures[: args.show]:
        print(f"case {case} ({name}): {kind}: {detail}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
