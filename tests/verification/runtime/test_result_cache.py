"""The result cache never uses a tampered, swapped or malformed entry silently."""

from __future__ import annotations

import json
import math
import shutil

import pytest

from verification.runtime.result_cache import ResultCache, entry_checksum

CHUNKS = [{"chunk": k, "steps": 10} for k in range(3)]


def _compute(cfg):
    return {"loss": [0.25 + cfg["chunk"], 0.125], "best_depth": cfg["chunk"] + 1}


def _filled(tmp_path):
    cache = ResultCache(tmp_path)
    original = cache.map("phase-chunk", CHUNKS, _compute, progress=False)
    return cache, original


def _rerun(tmp_path, capsys):
    """A fresh cache over the folder: the results, the chunks recomputed, the warning lines."""
    cache = ResultCache(tmp_path)
    computed = []
    out = cache.map(
        "phase-chunk", CHUNKS, lambda c: computed.append(c["chunk"]) or _compute(c), progress=False
    )
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning")]
    return out, computed, warnings


def _edit(path, edit):
    data = json.loads(path.read_text())
    edit(data["result"])
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "tamper",
    [
        lambda r: r["loss"].__setitem__(0, 0.257),  # one number edited
        lambda r: r["loss"].__setitem__(1, math.nan),  # a NaN written in
        lambda r: r.__setitem__("best_depth", 5),
    ],
    ids=["number", "nan", "field"],
)
def test_an_edited_entry_is_recomputed_with_one_warning(tmp_path, capsys, tamper):
    cache, original = _filled(tmp_path)
    target = cache.path("phase-chunk", CHUNKS[1])
    _edit(target, tamper)
    out, computed, warnings = _rerun(tmp_path, capsys)
    assert out == original and computed == [1]
    assert len(warnings) == 1 and str(target) in warnings[0] and "checksum" in warnings[0]
    assert _rerun(tmp_path, capsys)[1:] == ([], [])  # rewritten: valid again


def test_a_file_copied_over_another_name_is_recomputed(tmp_path, capsys):
    cache, original = _filled(tmp_path)
    target = cache.path("phase-chunk", CHUNKS[2])
    shutil.copy(cache.path("phase-chunk", CHUNKS[0]), target)
    out, computed, warnings = _rerun(tmp_path, capsys)
    assert out == original and computed == [2]
    assert len(warnings) == 1 and str(target) in warnings[0] and "swapped" in warnings[0]


@pytest.mark.parametrize(
    "text",
    [
        "[1, 2, 3]",
        '{"result": {"loss": [0.1]}}',
        "{}",
        '"x"',
        "{not json",
        "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"),
    ],
    ids=["list", "no-config", "empty", "string", "invalid", "bytes"],
)
def test_an_entry_of_the_wrong_shape_is_recomputed(tmp_path, capsys, text):
    cache, original = _filled(tmp_path)
    target = cache.path("phase-chunk", CHUNKS[0])
    target.write_text(text, encoding="latin-1")
    out, computed, warnings = _rerun(tmp_path, capsys)
    assert out == original and computed == [0]
    assert len(warnings) == 1 and str(target) in warnings[0]


def test_strict_refuses_with_one_line_naming_the_file(tmp_path):
    cache, _ = _filled(tmp_path)
    target = cache.path("phase-chunk", CHUNKS[1])
    _edit(target, lambda r: r["loss"].__setitem__(0, 9.0))
    with pytest.raises(ValueError, match="checksum") as err:
        ResultCache(tmp_path, strict=True).map("phase-chunk", CHUNKS, _compute, progress=False)
    assert str(target) in str(err.value) and "\n" not in str(err.value)


def test_an_entry_without_checksum_is_still_read(tmp_path, capsys):
    cache, original = _filled(tmp_path)
    for cfg in CHUNKS:  # as written by the code before checksums
        p = cache.path("phase-chunk", cfg)
        data = json.loads(p.read_text())
        del data["checksum"]
        p.write_text(json.dumps(data))
    out, computed, warnings = _rerun(tmp_path, capsys)
    assert out == original and computed == [] and warnings == []


def test_the_checksum_survives_non_finite_values(tmp_path, capsys):
    cache = ResultCache(tmp_path)
    result = {"x": [math.nan, math.inf, -math.inf, 1e-300, 0.1 + 0.2]}
    cache.store("demo", {"a": 1}, result)
    loaded = ResultCache(tmp_path).load("demo", {"a": 1})
    assert loaded is not None and capsys.readouterr().err == ""
    assert entry_checksum("demo", {"a": 1}, loaded) == entry_checksum("demo", {"a": 1}, result)
