"""Durable writes: fsync of the file before the rename and of the folder after it, nothing left
behind on failure, and every writer of results goes through them."""

from __future__ import annotations

import os
import stat

import pytest

from verification.runtime.durable_write import durable_open, write_durably


@pytest.fixture
def syncs(monkeypatch):
    """The order of fsyncs (``"file"`` or ``"dir"``, with the path) and renames that happen."""
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        kind = "dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        events.append((kind, os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else ""))
        return real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", str(dst)))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return events


def test_file_synced_then_renamed_then_folder_synced(tmp_path, syncs):
    target = tmp_path / "sub" / "r.json"
    write_durably(target, '{"x": 1}')
    assert target.read_text() == '{"x": 1}'
    kinds = [kind for kind, _ in syncs]
    assert kinds == ["file", "replace", "dir"]
    assert syncs[1][1] == str(target)
    if syncs[2][1]:  # where /proc tells which folder
        assert syncs[2][1] == str(target.parent)
    assert [p.name for p in target.parent.iterdir()] == ["r.json"]  # no temporary file left


def test_permissions_are_those_of_an_ordinary_file(tmp_path):
    mask = os.umask(0o022)
    try:
        p = write_durably(tmp_path / "a.bin", b"\x00\x01")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(p.stat().st_mode) == 0o644 and p.read_bytes() == b"\x00\x01"


def test_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "rows.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with durable_open(target, newline="") as fh:
            fh.write("half of the new")
            raise RuntimeError("disk full")
    assert target.read_text() == "old\n" and [p.name for p in tmp_path.iterdir()] == ["rows.csv"]
    with pytest.raises(ValueError, match="mode"):
        with durable_open(target, "a"):
            pass


def _dir_synced(events, folder) -> bool:
    return any(kind == "dir" and where in ("", str(folder)) for kind, where in events)


def test_result_cache_and_csv_write_durably(tmp_path, syncs):
    """(The archive's writer: tests/verification/archive/test_records.py.)"""
    from verification.figures._common import write_csv
    from verification.runtime.result_cache import ResultCache

    ResultCache(tmp_path / "cache").store("x", {"a": 1}, {"y": 2})
    assert _dir_synced(syncs, tmp_path / "cache")
    syncs.clear()
    write_csv(str(tmp_path / "csv" / "t.csv"), ["a"], [[1.5]])
    assert (
        _dir_synced(syncs, tmp_path / "csv") and (tmp_path / "csv" / "t.csv").read_bytes() == b"a\r\n1.5\r\n"
    )


def test_report_is_written_durably(tmp_path, syncs):
    from verification.report import write_report

    write_report(tmp_path, {}, scale="quick", pending=[])
    assert {p.name for p in tmp_path.iterdir()} == {"report.md", "report.html", "report.json"}
    assert [kind for kind, _ in syncs].count("replace") == 3
    assert [kind for kind, _ in syncs].count("dir") == 3
