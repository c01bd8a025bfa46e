"""The Ray executor: a small phase diagram on a local two-worker Ray cluster, workers killed mid-run.

The Ray path gives exactly the in-process result with the same seeds, a task whose worker dies
is retried and its result lands in the on-disk cache, results gathered before a failure are kept,
and a sweep started on Ray resumes in-process (and vice versa) from the cache.

Runs only when the ``ray`` extra is installed.  One local Ray instance (2 CPUs, so 2 workers
run chunks at once) serves the whole module and is shut down at the end; all training is tiny
(n = 9, 300 steps, chunks of 1-2 configs).
"""

import os
import signal
import sys
import threading
import time

import numpy as np
import pytest

ray = pytest.importorskip("ray")

from verification.runs import RUN_CHUNK, chunk_configs, train_chunk, train_runs  # noqa: E402
from verification.runtime import RayExecutor, get_executor  # noqa: E402
from verification.runtime.context import RunContext  # noqa: E402
from verification.runtime.result_cache import ResultCache  # noqa: E402
from verification.training import Schedule, TrainConfig  # noqa: E402

STEPS = 300
SCHEDULE = Schedule(steps=STEPS, eval_every=10, gap=100)
#: a 2 x 2 grid of (eta_enc, eta_dec); at this budget it shows several phases
GRID = [
    TrainConfig(relation="mod3", n=9, eta_enc=10.0**a, eta_dec=10.0**b, seed=s)
    for a in (-2, -1)
    for b in (-2, -1)
    for s in (0,)
]
FIELDS = ("steps_to_train", "steps_to_test", "train_acc", "test_acc", "full_acc", "steps_run", "final_loss")


@pytest.fixture(scope="module")
def ray_executor():
    quiet = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
    saved = {k: os.environ.get(k) for k in (*quiet, "RAY_ADDRESS")}
    os.environ.update(quiet)
    os.environ.pop("RAY_ADDRESS", None)  # a local instance of our own, whatever the environment says
    if ray.is_initialized():  # pragma: no cover - another test module left Ray running
        ray.shutdown()
    ex = RayExecutor(
        max_retries=2,
        num_cpus_per_task=1,
        init_kwargs={
            "num_cpus": 2,
            "object_store_memory": 80 * 2**20,
            "logging_level": "ERROR",
            "log_to_driver": False,
        },
    )
    ex.start()
    try:
        yield ex
    finally:
        ex.close()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert not ray.is_initialized()


def run_in_process(chunk_size):
    """The in-process run of the grid (train_ensemble uses one torch thread, as each Ray task has)."""
    return train_runs(GRID, SCHEDULE, RunContext(chunk_size=chunk_size, executor="local"))


@pytest.fixture(scope="module")
def local_reference():
    return run_in_process(1)


def assert_same(a, b):
    for f in FIELDS:
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f), err_msg=f)
    assert a.phases == b.phases


def _parent(pid):
    with open(f"/proc/{pid}/stat") as fh:
        return int(fh.read().rsplit(")", 1)[1].split()[1])


def _is_ours(pid):
    """Whether ``pid`` descends from this process (the local Ray instance it started)."""
    try:
        while pid > 1:
            pid = _parent(pid)
            if pid == os.getpid():
                return True
    except (OSError, ValueError, IndexError):
        pass
    return False


def _chunk_worker_pids():
    """PIDs of our Ray workers running a chunk now (their process title is ``ray::_call_chunk``)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    running = fh.read().startswith(b"ray::_call_chunk")
            except OSError:
                continue
            if running and _is_ours(int(entry)):
                pids.append(int(entry))
    return pids


def crash_once(fn, marker_dir, victim):
    """``fn``, except that the first attempt at chunk ``victim`` kills its own worker process."""

    def chunk_fn(chunk):
        index = chunk["index"]
        with open(os.path.join(marker_dir, f"attempts-{index}"), "a") as fh:
            fh.write(f"{os.getpid()}\n")
        if index == victim and not os.path.exists(os.path.join(marker_dir, "crashed")):
            open(os.path.join(marker_dir, "crashed"), "w").close()
            os._exit(1)  # the worker dies mid-task, as when killed
        return fn(chunk["chunk"])

    return chunk_fn


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds worker processes through /proc")
def test_phase_diagram_survives_a_killed_worker(ray_executor, local_reference, tmp_path):
    cache = ResultCache(tmp_path)
    killed = []
    stop = threading.Event()

    def killer():
        # SIGKILL the first worker seen running a chunk, mid-task
        while not stop.is_set() and not killed:
            for pid in _chunk_worker_pids():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                break
            time.sleep(0.02)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        res = train_runs(GRID, SCHEDULE, RunContext(chunk_size=1, executor=ray_executor, cache=cache))
    finally:
        stop.set()
        thread.join()
    assert killed, "no worker was seen running a chunk"
    assert_same(res, local_reference)
    assert len(set(local_reference.phases)) >= 2  # the grid is not trivially one phase
    # every chunk, the retried one included, is in the cache: a rerun computes nothing
    assert cache.misses == len(GRID) and len(list(tmp_path.glob(f"{RUN_CHUNK}-*.json"))) == len(GRID)
    again = train_runs(GRID, SCHEDULE, RunContext(chunk_size=1, executor="local", cache=cache))
    assert cache.hits == len(GRID)
    assert_same(again, local_reference)


def test_retried_chunk_lands_in_the_cache(ray_executor, tmp_path):
    # chunks of 2: the batch a config is trained in changes its float rounding, so the
    # reference is the in-process run with the same chunks (see docs/findings.md)
    reference = run_in_process(2)
    chunks, members = chunk_configs(GRID, SCHEDULE, chunk_size=2)
    items = [{"index": i, "chunk": c} for i, c in enumerate(chunks)]
    cache = ResultCache(tmp_path / "cache")
    (tmp_path / "marks").mkdir()
    out = ray_executor.map(
        crash_once(train_chunk, str(tmp_path / "marks"), victim=1), items, cache=cache, name="wrapped"
    )
    attempts = [len((tmp_path / "marks" / f"attempts-{i}").read_text().split()) for i in range(len(chunks))]
    assert attempts == [1, 2]  # chunk 1 ran twice: its first worker died
    assert cache.load("wrapped", items[1]) == out[1]
    for part, o in zip(members, out):
        for r, k in enumerate(part):
            assert o["steps_to_test"][r] == reference.steps_to_test[k]
            assert o["full_acc"][r] == reference.full_acc[k]
            assert o["phase"][r] == reference.phases[k]


def test_failed_chunk_keeps_the_others_and_resumes_in_process(ray_executor, local_reference, tmp_path):
    chunks, _ = chunk_configs(GRID, SCHEDULE, chunk_size=1)
    cache = ResultCache(tmp_path)

    def broken_on_third(chunk):
        if chunk == chunks[2]:
            raise ValueError("chunk 2 is broken")
        return train_chunk(chunk)

    with pytest.raises(ValueError, match="chunk 2 is broken") as info:
        ray_executor.map(broken_on_third, chunks, cache=cache, name=RUN_CHUNK)
    assert "3 finished and were kept" in "\n".join(getattr(info.value, "__notes__", []))
    assert [cache.load(RUN_CHUNK, c) is not None for c in chunks] == [True, True, False, True]
    # resume in-process: only the missing chunk is computed
    res = train_runs(GRID, SCHEDULE, RunContext(chunk_size=1, executor=get_executor("local"), cache=cache))
    assert (cache.hits, cache.misses) == (3, 4)
    assert_same(res, local_reference)


def test_worker_that_always_dies_fails_after_the_retries(ray_executor, tmp_path):
    def always_dies(chunk):
        if chunk == 1:
            os._exit(1)
        return chunk * 10

    ex = RayExecutor(max_retries=1)  # Ray already runs: the fixture's instance is reused, not stopped
    with pytest.raises(RuntimeError, match="worker died 2 times"):
        ex.map(always_dies, [0, 1, 2], cache=ResultCache(tmp_path), name="dies")
    ex.close()
    assert ray.is_initialized()
    assert ResultCache(tmp_path).load("dies", 2) == 20
