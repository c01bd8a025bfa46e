"""Reading a graph file is bounded: bombs, huge declared sizes and special files give one line."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import zipfile

import numpy as np
import pytest

from effective_theory import read_graph
from effective_theory.statics.graph_input import MAX_GRAPH_BYTES


def _one_line(err) -> str:
    msg = str(err.value)
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress], ids=["gz", "bz2", "xz"])
def test_a_compression_bomb_stops_at_the_limit(tmp_path, compress):
    suffix = {gzip.compress: ".gz", bz2.compress: ".bz2", lzma.compress: ".xz"}[compress]
    p = tmp_path / f"bomb.txt{suffix}"
    p.write_bytes(compress(b"0 1\n" * 2_000_000))  # 8 MB of text in a few KB
    with pytest.raises(ValueError) as err:
        read_graph(p, max_bytes=10**6)
    msg = _one_line(err)
    assert str(p) in msg and "decompresses to more" in msg and "max_bytes=1000000" in msg


def test_text_that_would_take_too_much_to_parse_is_refused(tmp_path):
    p = tmp_path / "edges.txt"
    p.write_text("a b\n" * 10_000)  # 40 KB of names for the general parser, about 5 MB to parse
    with pytest.raises(ValueError, match="parsing 40,000 bytes of text") as err:
        read_graph(p, max_bytes=10**6)
    assert str(p) in _one_line(err)
    assert read_graph(p, max_bytes=10**7).n == 2
    p.write_text("0 1\n" * 10_000)  # numbers: the numpy reader, a smaller multiple of the text
    assert read_graph(p, max_bytes=10**6).n == 2
    with pytest.raises(ValueError, match="parsing 40,000 bytes of text") as err:
        read_graph(p, max_bytes=10**5)
    assert str(p) in _one_line(err)


@pytest.mark.parametrize(
    "text, what",
    [
        (
            "%%MatrixMarket matrix coordinate pattern general\n100000000 100000000 1\n1 2\n",
            "100,000,000 vertices",
        ),
        (
            "%%MatrixMarket matrix coordinate pattern general\n% c\n1000000000000 1000000000000 1\n1 2\n",
            "vertices",
        ),
        (
            "%%MatrixMarket matrix coordinate pattern general\n4 4 1000000000000\n1 2\n",
            "1,000,000,000,000 entries",
        ),
        ("%%MatrixMarket matrix array real general\n100000 100000\n1\n", "a dense 100,000 x 100,000 matrix"),
    ],
    ids=["mtx-1e8", "mtx-1e12", "mtx-entries", "mtx-dense"],
)
def test_huge_declared_matrix_market_sizes_are_refused_before_allocation(tmp_path, text, what):
    p = tmp_path / "g.mtx"
    p.write_text(text)
    with pytest.raises(ValueError) as err:
        read_graph(p)
    msg = _one_line(err)
    assert str(p) in msg and what in msg and f"max_bytes={MAX_GRAPH_BYTES}" in msg


def test_a_huge_dimacs_problem_line_is_refused(tmp_path):
    p = tmp_path / "g.col"
    p.write_text("p edge 1000000000000 1\ne 1 2\n")
    with pytest.raises(ValueError, match="1,000,000,000,000 vertices") as err:
        read_graph(p)
    assert str(p) in _one_line(err)


def test_an_npz_whose_members_inflate_past_the_limit_is_refused(tmp_path):
    p = tmp_path / "g.npz"
    np.savez_compressed(p, np.zeros((1000, 1000), dtype=np.int8))  # 1 MB inflated, a few KB stored
    with pytest.raises(ValueError, match="members decompress to") as err:
        read_graph(p, max_bytes=10**5)
    assert str(p) in _one_line(err)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_without_writer_is_refused_at_once(tmp_path):
    p = tmp_path / "pipe.txt"
    os.mkfifo(p)
    with pytest.raises(ValueError, match="is a FIFO, not a regular file") as err:
        read_graph(p)
    assert str(p) in _one_line(err)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused():
    with pytest.raises(ValueError, match="/dev/zero is a device"):
        read_graph("/dev/zero")


def test_an_endless_stream_is_read_up_to_the_limit():
    class Zeros(io.RawIOBase):
        name = "<stdin>"

        def readable(self):
            return True

        def readinto(self, b):
            b[:] = bytes(len(b))
            return len(b)

    with pytest.raises(ValueError, match="the input is larger"):
        read_graph(io.BufferedReader(Zeros()), max_bytes=10**5)


def test_max_bytes_must_be_a_positive_integer(tmp_path):
    p = tmp_path / "g.txt"
    p.write_text("0 1\n1 2\n")
    with pytest.raises((ValueError, TypeError), match="max_bytes"):
        read_graph(p, max_bytes=0)


def test_a_zip_member_is_read_inside_the_error_handling(tmp_path):
    buf = io.BytesIO()
    np.savez(buf, np.eye(3, dtype=np.int8))
    data = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.infolist()[0]
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 40
    data[start : start + 8] = b"\xff" * 8  # corrupt the member's content: its CRC no longer holds
    p = tmp_path / "g.npz"
    p.write_bytes(bytes(data))
    with pytest.raises(ValueError) as err:
        read_graph(p)
    assert str(p) in _one_line(err)
