"""Seeded fuzzing of the graph readers: every mutated file is read, or refused in one line.

A few hundred mutations (byte flips, truncations, insertions, repeated slices) of small files in
every format, compressed and zipped ones included; each outcome must be a graph or a
``ValueError`` / ``TypeError`` whose message is one line naming the file.  A larger run:
``GENEFT_FUZZ_CASES=10000 GENEFT_FUZZ_SEED=1 pytest tests/statics/test_graph_fuzz.py``, or the
benchmark ``python benchmarks/fuzz_readers.py`` (10,000 files of 25 seeds, with a per-file
timeout, the graphs measured too).
"""

from __future__ import annotations

import bz2
import gzip
import io
import os
import random
import zipfile

import numpy as np
import pytest

from effective_theory import read_graph

CASES = int(os.environ.get("GENEFT_FUZZ_CASES", "400"))
SEED = int(os.environ.get("GENEFT_FUZZ_SEED", "20240229"))


def _npy(a) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


def _npz(a) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, a)
    return buf.getvalue()


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(name, data)
    return buf.getvalue()


_EDGES = b"0 1\n1 2\n2 0\n2 3\n"
SEEDS = {
    "g.txt": _EDGES,
    "g.csv": b"source,target\na,b\nb,c\nc,a\n",
    "g.adjlist": b"0 1 2\n1 2\n3 0\n",
    "g.mtx": b"%%MatrixMarket matrix coordinate pattern symmetric\n4 4 3\n2 1\n3 2\n4 1\n",
    "g.col": b"c tiny\np edge 4 3\ne 1 2\ne 2 3\ne 3 4\n",
    "g.npy": _npy(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=np.int8)),
    "g.npz": _npz(np.eye(4, k=1, dtype=np.int8) + np.eye(4, k=-1, dtype=np.int8)),
    "g.txt.gz": gzip.compress(_EDGES),
    "g.txt.bz2": bz2.compress(_EDGES),
    "g.graphml": b'<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    b'<graph edgedefault="undirected"><node id="a"/><node id="b"/><edge source="a" target="b"/>'
    b"</graph></graphml>",
    "g.gml": b'graph [\n node [ id 0 label "a" ]\n node [ id 1 label "b" ]\n edge [ source 0 target 1 ]\n]\n',
    "g.net": b"*Vertices 3\n1 a\n2 b\n3 c\n*Edges\n1 2\n2 3\n",
    "g.json": b'{"directed": false, "multigraph": false, "graph": {}, "nodes": [{"id": 0}, {"id": 1}],'
    b' "links": [{"source": 0, "target": 1}]}',
    "m.adjlist": b"0 2\n1 {'weight': 1}\n2 {}\n1 1\n2\n2 0\n",
    "g.zip": _zip("g.txt", _EDGES),
}


def _mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        k = rng.randrange(len(b) + 1)
        if op == 0 and b:  # flip a byte
            b[min(k, len(b) - 1)] = rng.randrange(256)
        elif op == 1:  # truncate
            del b[k:]
        elif op == 2:  # insert random bytes
            b[k:k] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 3:  # insert a digit run or a separator
            b[k:k] = rng.choice([b"9" * rng.randint(1, 30), b"\n", b" ", b",", b"-1", b"nan", b"\x00"])
        elif b:  # repeat a slice
            j = rng.randrange(len(b))
            b[k:k] = b[j : j + rng.randint(1, 32)]
    return bytes(b)


def test_mutated_graph_files_are_read_or_refused_in_one_line(tmp_path):
    rng = random.Random(SEED)
    names = sorted(SEEDS)
    failures = []
    for case in range(CASES):
        name = names[case % len(names)]
        p = tmp_path / f"{case}-{name}"
        p.write_bytes(_mutate(SEEDS[name], rng))
        try:
            read_graph(p, max_bytes=10**7)
        except (ValueError, TypeError) as exc:
            msg = str(exc)
            if "\n" in msg or str(p) not in msg:
                failures.append(f"{p.name}: {type(exc).__name__}: {msg!r}")
        except Exception as exc:  # any other exception would be a traceback on the command line
            failures.append(f"{p.name}: {type(exc).__name__}: {exc}")
        else:
            pass
        p.unlink()
    assert not failures, f"{len(failures)} of {CASES}:\n" + "\n".join(failures[:20])


@pytest.mark.parametrize("name", sorted(set(SEEDS) - {"g.zip"}))
def test_the_seed_files_are_read(tmp_path, name):
    p = tmp_path / name
    p.write_bytes(SEEDS[name])
    assert read_graph(p).n >= 2


@pytest.mark.parametrize(
    "name, data, outcome",
    [
        # scipy's compiled Matrix Market reader crashed the process on a vertical tab ending a line
        (
            "vt.mtx",
            b"%%MatrixMarket matrix coordinate integer symmetric\n3 3 2\n2 1 1\n3 2 1\x0b",
            2,
        ),
        # a zip whose member is not a .npy array: np.load hands back its bytes
        ("g.zip", _zip("g.txt", _EDGES), "member 'g.txt' is not a .npy array"),
    ],
)
def test_files_that_fuzzing_found(tmp_path, name, data, outcome):
    p = tmp_path / name
    p.write_bytes(data)
    if isinstance(outcome, int):
        assert read_graph(p).num_edges == outcome
    else:
        with pytest.raises(ValueError, match=outcome) as info:
            read_graph(p)
        assert str(info.value).startswith(str(p)) and "\n" not in str(info.value)
