"""``geneft archive add`` (:mod:`verification.archive.collect`): each run archived once, with the
provenance of its chunk."""

import json

import pytest

from effective_theory import __version__
from verification.archive.collect import add_cache
from verification.archive.records import read_archive
from verification.runs import RUN_CHUNK, train_runs
from verification.runtime.context import RunContext
from verification.runtime.provenance import code_commit, host_info
from verification.runtime.result_cache import ResultCache


def test_adding_twice_or_an_overlapping_cache_archives_each_run_once(trained, tiny, tmp_path):
    configs, schedule = tiny
    cache_dir, _ = trained
    first = add_cache(cache_dir, tmp_path / "a", name="tiny")
    assert (first.chunks, first.added, first.skipped) == (3, 5, 0)
    again = add_cache(cache_dir, tmp_path / "a", name="other-name")
    assert (again.added, again.skipped) == (0, 5) and not again.path.exists()
    # a second cache: two runs already archived, one new
    other = tmp_path / "other-cache"
    train_runs(
        [*configs[:2], configs[0].replace(seed=17)],
        schedule,
        RunContext(cache=ResultCache(other), chunk_size=3),
    )
    more = add_cache(other, tmp_path / "a", name="tiny")
    assert (more.added, more.skipped) == (1, 2)
    runs = read_archive(tmp_path / "a")
    assert len(runs) == 6 and len({r.key for r in runs}) == 6


def test_provenance_comes_from_the_chunk_record_else_from_here(trained, tmp_path):
    cache_dir, _ = trained
    runs = read_archive(add_cache(cache_dir, tmp_path / "a", name="tiny", data_version=4).path.parent)
    p = runs[0].provenance
    assert p["commit"] == code_commit() and p["host"] == host_info()  # stored by a local executor
    assert p["geneft_version"] == __version__ and p["data_version"] == 4 and p["date"].endswith("Z")
    assert len(p["chunk"]) == 16
    # a chunk stored before chunks kept records: the commit given, this host, the file's date
    old = tmp_path / "old-cache"
    old.mkdir()
    for path in cache_dir.glob(f"{RUN_CHUNK}-*.json"):
        entry = json.loads(path.read_text())
        entry.pop("meta")
        (old / path.name).write_text(json.dumps(entry))
    runs = read_archive(add_cache(old, tmp_path / "b", name="tiny", commit="47e86a4" + "0" * 33).path.parent)
    assert {r.provenance["commit"] for r in runs} == {"47e86a4" + "0" * 33}
    assert runs[0].provenance["host"] == host_info()


def test_bad_input_is_one_line(tmp_path):
    with pytest.raises(ValueError, match="is not a folder"):
        add_cache(tmp_path / "nothing", tmp_path / "a", name="x")
    with pytest.raises(ValueError, match="plain name"):
        add_cache(tmp_path, tmp_path / "a", name="../x")
    (tmp_path / f"{RUN_CHUNK}-0000000000000000.json").write_text('{"name": "phase-chunk", "config": {}}')
    with pytest.raises(ValueError, match="not a training chunk"):
        add_cache(tmp_path, tmp_path / "a", name="x")
