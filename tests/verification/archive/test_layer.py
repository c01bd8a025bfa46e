"""The archive as a read-only layer of the result cache (:mod:`verification.archive.layer`): a chunk
whose runs are all archived is rebuilt bit for bit without training; a chunk with one run of
another configuration (a stale archive), schedule or device is not served; nothing is copied into
the cache folder."""

import json

import numpy as np
import pytest

from verification.archive import layer as layer_module
from verification.archive.layer import ArchiveLayer, MissingFromArchive, served_note
from verification.runs import RUN_CHUNK, chunk_configs, train_runs
from verification.runtime.context import RunContext
from verification.runtime.executor import Executor, LocalExecutor
from verification.runtime.result_cache import ResultCache


class NoTraining(Executor):
    """An executor that fails if asked to compute anything: what it maps must come from the cache."""

    def _run(self, fn, items, finished):
        raise AssertionError(f"{len(items)} chunk(s) would have trained")


def _stored_results(root) -> dict:
    """``{chunk key file: result}`` of the training chunks stored in a cache folder."""
    return {p.name: json.loads(p.read_text())["result"] for p in sorted(root.glob(f"{RUN_CHUNK}-*.json"))}


def test_the_layer_names_the_namespace_of_training_chunks():
    assert layer_module._RUN_CHUNK == RUN_CHUNK


def test_a_chunk_is_rebuilt_from_the_archive_bit_for_bit(trained, archived, tiny, tmp_path):
    configs, schedule = tiny
    trained_cache, res = trained
    cache = ResultCache(tmp_path / "empty", layer=ArchiveLayer(archived))
    served = train_runs(configs, schedule, RunContext(cache=cache, executor=NoTraining(), chunk_size=2))
    for f in (
        "steps_to_train",
        "steps_to_test",
        "steps_run",
        "train_acc",
        "test_acc",
        "full_acc",
        "final_loss",
    ):
        np.testing.assert_array_equal(getattr(served, f), getattr(res, f), err_msg=f)
    assert served.phases == res.phases
    # each chunk's rebuilt JSON equals the stored one of the run that trained it, value for value
    chunks, _ = chunk_configs(configs, schedule, chunk_size=2)
    for chunk in chunks:
        stored = json.loads(ResultCache(trained_cache).path(RUN_CHUNK, chunk).read_text())["result"]
        assert json.dumps(cache.load(RUN_CHUNK, chunk)) == json.dumps(stored)
    assert cache.served == 2 * len(chunks) and not list((tmp_path / "empty").glob("*.json"))
    # another chunking of the same runs is served too: a run's numbers do not depend on its chunk
    other = train_runs(configs, schedule, RunContext(cache=cache, executor=NoTraining(), chunk_size=3))
    np.testing.assert_array_equal(other.full_acc, res.full_acc)
    note = served_note(cache.layer.served_runs)
    assert note.startswith(
        f"Rebuilt from the archive without training: {3 * len(configs)} runs (files tiny.jsonl.gz;"
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["configs"][1].update(eta_dec=c["configs"][1]["eta_dec"] * 1.001),  # one run's setting
        lambda c: c["configs"][0].update(init="normal" if c["configs"][0].get("init") is None else "uniform"),
        lambda c: c.update(steps=300),  # the schedule
        lambda c: c.update(early_stop=False),
        lambda c: c.update(device="cuda"),
    ],
)
def test_a_chunk_of_another_configuration_is_not_served(archived, tiny, change):
    configs, schedule = tiny
    chunks, _ = chunk_configs(configs, schedule, chunk_size=2)
    layer = ArchiveLayer(archived)
    assert layer.load(RUN_CHUNK, chunks[0]) is not None  # the control
    stale = json.loads(json.dumps(chunks[0]))
    change(stale)
    assert layer.load(RUN_CHUNK, stale) is None
    with pytest.raises(
        MissingFromArchive,
        match="neither cached nor archived .1 of 2 run|neither cached nor archived .2 of 2",
    ):
        ArchiveLayer(archived, missing="error").load(RUN_CHUNK, stale)


def test_a_stale_archive_trains_or_is_reported_missing(archived, tiny, tmp_path):
    """Runs whose configuration the archive lacks train (and are stored); with missing="error"
    nothing trains and the error names the chunk."""
    configs, schedule = tiny
    changed = [c.replace(eta_dec=2e-2) for c in configs[:2]]
    cache = ResultCache(tmp_path / "c", layer=ArchiveLayer(archived))
    with pytest.raises(MissingFromArchive, match=r"2 of 2 run\(s\), the first mod3 n=6"):
        train_runs(
            changed,
            schedule,
            RunContext(
                cache=ResultCache(tmp_path / "d", layer=ArchiveLayer(archived, missing="error")), chunk_size=2
            ),
        )
    res = train_runs(changed, schedule, RunContext(cache=cache, executor=LocalExecutor(), chunk_size=2))
    assert (
        len(res) == 2 and cache.served == 0 and len(list((tmp_path / "c").glob(f"{RUN_CHUNK}-*.json"))) == 1
    )


def test_fresh_ignores_the_layer_and_other_namespaces_are_not_served(archived, tiny, tmp_path):
    configs, schedule = tiny
    chunk = chunk_configs(configs, schedule, chunk_size=2)[0][0]
    assert ResultCache(tmp_path, fresh=True, layer=ArchiveLayer(archived)).load(RUN_CHUNK, chunk) is None
    assert ArchiveLayer(archived).load("fig6", chunk) is None
    with pytest.raises(TypeError, match="layer must have a load"):
        ResultCache(tmp_path, layer=object())
    with pytest.raises(ValueError, match="missing must be one of train, error"):
        ArchiveLayer(archived, missing="skip")


def test_a_missing_chunk_names_the_archive_relative_to_the_working_directory(
    archived, tiny, tmp_path, monkeypatch
):
    """A report made in the repository names its archive ``archive``, not the machine's absolute
    path; an archive outside the working directory is named in full."""
    configs, schedule = tiny
    chunks, _ = chunk_configs([c.replace(eta_dec=2e-2) for c in configs[:2]], schedule, chunk_size=2)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd, shown in ((archived.parent, f" in {archived.name}; "), (elsewhere, f" in {archived}; ")):
        monkeypatch.chdir(cwd)
        with pytest.raises(MissingFromArchive) as err:
            ArchiveLayer(archived, missing="error").load(RUN_CHUNK, chunks[0])
        assert shown in str(err.value)


@pytest.mark.parametrize("tier", [None, "quick"])
def test_an_archive_that_must_not_train_is_consulted_at_every_tier(tmp_path, tier):
    """A figure computed through a cache whose layer forbids training raises for a missing chunk
    at the quick tier (and with no tier) too, where training is otherwise unchunked: it never
    trains past the layer."""
    from verification.figures.registry import FIGURES

    fig = FIGURES["fig7"]
    layer = ArchiveLayer(tmp_path / "empty", missing="error")
    run = RunContext(cache=ResultCache(tmp_path / "cache", layer=layer), tier=tier)
    with pytest.raises(MissingFromArchive, match="a training chunk is neither cached nor archived"):
        fig.compute(fig.settings("quick"), run)
