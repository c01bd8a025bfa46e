"""Training runs (:func:`verification.runs.train_runs`): chunking, agreement with the trainer, order,
cache, bad input.

All runs are tiny (n <= 8, <= 200 steps).
"""

import numpy as np
import pytest
import torch

from verification.model import ModelConfig
from verification.phases import PHASES
from verification.runs import RUN_CHUNK, chunk_configs, train_chunk, train_runs
from verification.runtime import LocalExecutor
from verification.runtime.context import RunContext
from verification.runtime.result_cache import ResultCache
from verification.training import Schedule, TrainConfig, train_ensemble

STEPS = 200


def mixed_grid():
    """Two architectures and two optimizers interleaved, so chunks reorder the configs."""
    out = []
    for s in range(3):
        out.append(TrainConfig(relation="mod3", n=6, eta_enc=1e-2, eta_dec=1e-2, seed=s))
        out.append(
            TrainConfig(
                relation="greater",
                n=6,
                eta_enc=1e-2,
                eta_dec=1e-2,
                seed=s,
                optimizer="sgd",
                model=ModelConfig(depth=1, width=8),
            )
        )
    return out


def test_chunks_group_architectures_and_cover_every_config_once():
    grid = mixed_grid()
    chunks, members = chunk_configs(grid, Schedule(steps=STEPS), chunk_size=2)
    assert sorted(k for part in members for k in part) == list(range(len(grid)))
    assert members == [[0, 2], [4], [1, 3], [5]]
    for chunk, part in zip(chunks, members):
        assert len(chunk["configs"]) <= 2
        assert len({(c["n"], str(c["model"]), c["optimizer"]) for c in chunk["configs"]}) == 1
        assert [c["seed"] for c in chunk["configs"]] == [grid[k].seed for k in part]


def test_phase_diagram_equals_the_trainer_on_each_chunk():
    grid = mixed_grid()
    schedule = Schedule(steps=STEPS, gap=50)
    res = train_runs(grid, schedule, RunContext(chunk_size=2))
    assert res.configs == grid
    _, members = chunk_configs(grid, schedule, chunk_size=2)
    for part in members:
        direct = train_ensemble([grid[k] for k in part], schedule, device="cpu")
        for r, k in enumerate(part):
            assert res.steps_to_train[k] == direct.steps_to_train[r]
            assert res.steps_to_test[k] == direct.steps_to_test[r]
            assert res.full_acc[k] == direct.full_acc[r]
            assert res.final_loss[k] == direct.final_loss[r]
            assert res.phases[k] == direct.phases[r]
    assert set(res.phases) <= set(PHASES)
    assert res.steps_to_train.dtype == np.int64 and res.full_acc.dtype == np.float64


def test_every_chunking_equals_one_unchunked_run(tmp_path):
    """A model's arithmetic does not depend on its batch: any chunk size gives the same numbers."""
    grid = [
        TrainConfig(relation="mod3", n=6, eta_enc=10.0 ** (-3 + s % 3), eta_dec=1e-2, seed=s)
        for s in range(19)
    ]
    schedule = Schedule(steps=60, eval_every=5, gap=20, early_stop=False)
    whole = train_runs(grid, schedule)
    for chunk_size in (1, 3, 8, 16):
        part = train_runs(
            grid, schedule, RunContext(cache=ResultCache(tmp_path / str(chunk_size)), chunk_size=chunk_size)
        )
        for f in ("steps_to_train", "steps_to_test", "train_acc", "test_acc", "full_acc", "steps_run"):
            np.testing.assert_array_equal(getattr(part, f), getattr(whole, f), err_msg=f)
        assert list(part.phases) == list(whole.phases)
    assert (whole.steps_run == 60).all()  # early_stop=False reaches the trainer


def test_cached_sweep_resumes_with_identical_results(tmp_path):
    grid = mixed_grid()
    cache = ResultCache(tmp_path)
    schedule = Schedule(steps=STEPS, keep_embeddings=True)
    first = train_runs(grid, schedule, RunContext(cache=cache, chunk_size=2))
    assert cache.misses == 4 and len(list(tmp_path.glob(f"{RUN_CHUNK}-*.json"))) == 4
    # drop one chunk's file (as if the sweep had been interrupted) and rerun
    chunks, _ = chunk_configs(grid, schedule, chunk_size=2)
    cache.path(RUN_CHUNK, chunks[1]).unlink()
    again = train_runs(grid, schedule, RunContext(cache=cache, chunk_size=2, executor=LocalExecutor()))
    assert (cache.hits, cache.misses) == (3, 5)
    for f in (
        "steps_to_train",
        "steps_to_test",
        "train_acc",
        "test_acc",
        "full_acc",
        "steps_run",
        "final_loss",
    ):
        np.testing.assert_array_equal(getattr(first, f), getattr(again, f), err_msg=f)
    assert first.phases == again.phases
    assert all(np.array_equal(a, b) for a, b in zip(first.embeddings, again.embeddings))
    assert first.embeddings[0].shape == (6, 2)


def test_options_are_part_of_the_cache_key(tmp_path):
    cache = ResultCache(tmp_path)
    grid = mixed_grid()[:1]
    run = RunContext(cache=cache, chunk_size=1)
    train_runs(grid, Schedule(steps=20), run)
    train_runs(grid, Schedule(steps=30), run)
    train_runs(grid, Schedule(steps=20, gap=10), run)
    assert cache.misses == 3 and cache.hits == 0


def test_nan_test_accuracy_survives_the_cache(tmp_path):
    # train_fraction 1: no test pairs, so the test accuracy is NaN (stored as JSON NaN)
    grid = [TrainConfig(n=4, train_fraction=1.0, eta_enc=1e-2, eta_dec=1e-2)]
    cache = ResultCache(tmp_path)
    run = RunContext(cache=cache, chunk_size=1)
    a = train_runs(grid, Schedule(steps=20), run)
    b = train_runs(grid, Schedule(steps=20), run)
    assert np.isnan(a.test_acc[0]) and np.isnan(b.test_acc[0]) and cache.hits == 1
    assert np.isnan(train_chunk(chunk_configs(grid, Schedule(steps=20), chunk_size=1)[0][0])["test_acc"][0])


def test_device_none_is_resolved_on_the_driver():
    chunks, _ = chunk_configs(mixed_grid()[:1], Schedule(steps=10), chunk_size=1, device=None)
    assert chunks[0]["device"] == ("cuda" if torch.cuda.is_available() else "cpu")


def test_bad_input():
    grid = mixed_grid()
    with pytest.raises(ValueError, match="configs is empty"):
        train_runs([], Schedule(steps=10))
    with pytest.raises(TypeError, match=r"configs\[1\] must be a TrainConfig"):
        train_runs([grid[0], {"n": 6}], Schedule(steps=10))
    with pytest.raises(ValueError, match="chunk_size must be a positive integer"):
        RunContext(chunk_size=0)
    with pytest.raises(ValueError, match="chunk_size must be >= 1"):
        chunk_configs(grid, Schedule(steps=10), chunk_size=0)
    with pytest.raises(TypeError, match="steps must be an integer"):
        Schedule(steps=10.5)
    with pytest.raises(ValueError, match="threshold"):
        Schedule(steps=10, threshold=1.5)
    with pytest.raises(TypeError, match="device must be a string"):
        RunContext(device=0)
    with pytest.raises(TypeError, match="schedule must be a Schedule"):
        train_runs(grid, {"steps": 10})
    with pytest.raises(TypeError, match="run must be a RunContext"):
        train_runs(grid, Schedule(steps=10), {"chunk_size": 2})
    with pytest.raises(ValueError, match="unknown executor"):
        train_runs(grid, Schedule(steps=10), RunContext(executor="spark"))


def test_chunks_trained_side_by_side_give_the_numbers_of_one_at_a_time(tmp_path):
    """LocalExecutor(jobs=2): concurrent chunks, each on one core, are bit-identical to serial ones."""
    grid = mixed_grid() + [
        TrainConfig(relation="mod3", n=6, eta_enc=10.0 ** (-3 + s % 3), eta_dec=1e-2, seed=s)
        for s in range(7)
    ]
    threads = torch.get_num_threads()
    schedule = Schedule(steps=STEPS, gap=50)
    serial = train_runs(grid, schedule, RunContext(chunk_size=3, executor=LocalExecutor()))
    side = train_runs(grid, schedule, RunContext(chunk_size=3, executor=LocalExecutor(jobs=2)))
    default = train_runs(grid, schedule, RunContext(chunk_size=3))  # jobs = the cores
    for res in (side, default):
        for f in ("steps_to_train", "steps_to_test", "train_acc", "test_acc", "full_acc", "final_loss"):
            np.testing.assert_array_equal(getattr(res, f), getattr(serial, f), err_msg=f)
        assert list(res.phases) == list(serial.phases)
    assert torch.get_num_threads() == threads  # the concurrent chunks restored torch's setting


def test_split_gives_each_point_its_runs_in_order():
    grid = mixed_grid()
    res = train_runs(grid, Schedule(steps=20))
    parts = res.split([2, 0, 4])
    assert [len(p) for p in parts] == [2, 0, 4]
    assert parts[2].configs == grid[2:]
    np.testing.assert_array_equal(parts[2].full_acc, res.full_acc[2:])
    assert parts[0].columns()["phase"] == res.phases[:2]
    with pytest.raises(ValueError, match="add up to 6 runs"):
        res.split([1, 2])
