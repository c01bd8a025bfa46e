"""Executors: cache semantics of the local executor, resume after an interruption, the missing-Ray error.

The Ray executor itself runs on a real local cluster in ``test_ray_executor.py`` beside this file;
here only its argument checks (no cluster is started).
"""

import json
import sys
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verification.runtime import EXECUTORS, LocalExecutor, MissingDependencyError, get_executor
from verification.runtime.executor import Executor
from verification.runtime.provenance import code_commit, host_info
from verification.runtime.result_cache import ResultCache


class Interrupt(Exception):
    pass


def square_chunk(chunk):
    return {"i": chunk["i"], "square": chunk["i"] ** 2, "pair": (chunk["i"], -chunk["i"])}


def test_local_map_is_the_list_comprehension_in_order():
    chunks = [{"i": i} for i in (3, 1, 2, 0)]
    assert get_executor("local").map(square_chunk, chunks) == [square_chunk(c) for c in chunks]


def test_cached_results_are_the_stored_json_form(tmp_path):
    cache = ResultCache(tmp_path)
    chunks = [{"i": i} for i in range(4)]
    first = get_executor("local").map(square_chunk, chunks, cache=cache, name="sq")
    # the tuple became a JSON list: computed and loaded results have the same form
    assert first[2] == {"i": 2, "square": 4, "pair": [2, -2]}
    assert (cache.hits, cache.misses) == (0, 4)
    assert len(list(tmp_path.glob("sq-*.json"))) == 4
    again = get_executor("local").map(square_chunk, chunks, cache=cache, name="sq")
    assert again == first
    assert (cache.hits, cache.misses) == (4, 4)
    stored = json.loads(cache.path("sq", chunks[3]).read_text())
    assert stored["config"] == {"i": 3} and stored["result"]["square"] == 9


def test_each_stored_chunk_keeps_when_which_commit_and_which_host(tmp_path):
    """A chunk a local executor computed is stored with its record: date, code commit and this
    host (what the archive of runs keeps as the chunk's provenance)."""
    cache = ResultCache(tmp_path)
    LocalExecutor().map(abs, [-2], cache=cache, name="abs")
    record = cache.record("abs", -2)
    assert record["host"] == host_info() and record["commit"] == code_commit()
    assert record["stored_at"].endswith("Z")


def test_name_keys_the_cache(tmp_path):
    cache = ResultCache(tmp_path)
    ex = LocalExecutor()
    ex.map(square_chunk, [{"i": 1}], cache=cache, name="a")
    ex.map(square_chunk, [{"i": 1}], cache=cache, name="b")
    assert cache.misses == 2 and cache.hits == 0


def test_each_chunk_is_stored_when_it_finishes_and_a_rerun_resumes(tmp_path):
    cache = ResultCache(tmp_path)
    calls = []

    def flaky(chunk):
        if chunk["i"] == 4 and not calls.count("resumed"):
            raise Interrupt("killed")
        calls.append(chunk["i"])
        return square_chunk(chunk)

    chunks = [{"i": i} for i in range(7)]
    with pytest.raises(Interrupt):
        LocalExecutor().map(flaky, chunks, cache=cache, name="sq")
    assert calls == [0, 1, 2, 3]
    assert len(list(tmp_path.glob("sq-*.json"))) == 4  # gathered before the interruption: kept
    calls.append("resumed")
    resumed = LocalExecutor().map(flaky, chunks, cache=cache, name="sq")
    assert calls == [0, 1, 2, 3, "resumed", 4, 5, 6]  # only the missing chunks were computed
    fresh = LocalExecutor().map(square_chunk, chunks, cache=ResultCache(tmp_path / "other"), name="sq")
    assert resumed == fresh


def test_fresh_cache_recomputes(tmp_path):
    LocalExecutor().map(square_chunk, [{"i": 1}], cache=ResultCache(tmp_path), name="sq")
    cache = ResultCache(tmp_path, fresh=True)
    LocalExecutor().map(square_chunk, [{"i": 1}], cache=cache, name="sq")
    assert cache.misses == 1 and cache.hits == 0


@settings(max_examples=25, deadline=None)
@given(values=st.lists(st.integers(-50, 50), max_size=8), cached=st.sets(st.integers(0, 7)))
def test_map_through_a_partly_filled_cache_equals_computing_everything(values, cached):
    """Whatever subset of chunks is already on disk, the result is the same list, in order."""
    with tempfile.TemporaryDirectory() as root:
        cache = ResultCache(root)
        chunks = [{"i": v} for v in values]
        pre = [c for k, c in enumerate(chunks) if k in cached]
        LocalExecutor().map(square_chunk, pre, cache=cache, name="sq")
        computed = []
        out = LocalExecutor().map(
            lambda c: computed.append(c) or square_chunk(c), chunks, cache=cache, name="sq"
        )
        expected = LocalExecutor().map(square_chunk, chunks, cache=ResultCache(root + "/ref"), name="sq")
        assert out == expected
        assert all(c not in pre for c in computed)


def test_progress_in_a_log_is_one_line_per_chunk(tmp_path, capsys):
    """stderr that is not a terminal (a log, CI): a plain line per computed chunk, no carriage return."""
    cache = ResultCache(tmp_path)
    LocalExecutor().map(square_chunk, [{"i": 2}], cache=cache, name="sq")
    out = LocalExecutor().map(
        square_chunk, [{"i": i} for i in (1, 2, 3)], cache=cache, name="sq", progress=True, desc="squares"
    )
    assert [r["square"] for r in out] == [1, 4, 9]
    err = capsys.readouterr().err
    assert "\r" not in err
    lines = err.splitlines()  # the cached chunk counts, the two computed ones each write a line
    assert [line.split(",")[0] for line in lines] == [
        "squares: 2/3 chunks (67%)",
        "squares: 3/3 chunks (100%)",
    ]
    assert all("elapsed, ETA" in line for line in lines)


def test_bad_arguments():
    ex = LocalExecutor()
    with pytest.raises(ValueError, match="name is required"):
        ex.map(square_chunk, [{"i": 1}], cache=ResultCache(tempfile.mkdtemp()))
    with pytest.raises(TypeError, match="fn must be callable"):
        ex.map(3, [{"i": 1}])
    with pytest.raises(TypeError, match="ResultCache"):
        ex.map(square_chunk, [{"i": 1}], cache="dir", name="sq")
    with pytest.raises(ValueError, match="unknown executor 'dask'"):
        get_executor("dask")
    with pytest.raises(ValueError, match="address only apply to the Ray executor"):
        get_executor("local", address="auto")
    assert get_executor(ex) is ex
    assert EXECUTORS == ("local", "ray")
    with pytest.raises(TypeError, match="abstract"):
        Executor()  # the base class only defines the cache and ordering logic


def test_missing_ray_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    with pytest.raises(MissingDependencyError, match=r'pip install "geneft\[ray\]"') as info:
        get_executor("ray")
    # an ImportError, and a ValueError so that the CLI prints it in one line
    assert isinstance(info.value, ImportError) and isinstance(info.value, ValueError)
    assert get_executor("local").map(abs, [-1]) == [1]  # the local path does not need Ray


def test_ray_executor_checks_its_arguments_without_starting_ray():
    ray = pytest.importorskip("ray")
    from verification.runtime import RayExecutor

    with pytest.raises(TypeError, match="address must be a string"):
        RayExecutor(address=6379)
    with pytest.raises(ValueError, match="max_retries must be >= 0"):
        RayExecutor(max_retries=-1)
    with pytest.raises(TypeError, match="num_cpus_per_task must be a number"):
        RayExecutor(num_cpus_per_task="2")
    with pytest.raises(ValueError, match="both 0"):
        RayExecutor(num_cpus_per_task=0)
    with pytest.raises(ValueError, match="max_in_flight must be >= 1"):
        RayExecutor(max_in_flight=0)
    ex = get_executor("ray", address="ray://head:10001", num_gpus_per_task=1, max_retries=5)
    assert isinstance(ex, RayExecutor)
    assert (ex.address, ex.num_gpus_per_task, ex.max_retries) == ("ray://head:10001", 1, 5)
    ex.close()  # never started: nothing to shut down
    assert not ray.is_initialized()


def _parse(argv):
    import argparse

    from verification.cli_options import add_executor_arguments

    p = argparse.ArgumentParser()
    add_executor_arguments(p)
    return p.parse_args(argv)


def test_command_line_options_make_the_executor(monkeypatch):
    from verification.cli_options import executor_from_args

    assert isinstance(executor_from_args(_parse([])), LocalExecutor)
    with pytest.raises(ValueError, match="--ray-address needs --executor ray"):
        executor_from_args(_parse(["--ray-address", "auto"]))
    with pytest.raises(ValueError, match="--ray-gpus-per-task needs --executor ray"):
        executor_from_args(_parse(["--ray-gpus-per-task", "1"]))
    import argparse
    import os

    from verification.runtime import default_jobs

    # --jobs: default one chunk per core on the CPU, one on CUDA
    assert executor_from_args(_parse([])).jobs == default_jobs("cpu") == (os.cpu_count() or 1)
    assert executor_from_args(argparse.Namespace(device="cuda", executor="local")).jobs == 1
    assert executor_from_args(_parse(["--jobs", "3"])).jobs == 3
    with pytest.raises(ValueError, match="--jobs must be a positive integer, got 0"):
        executor_from_args(_parse(["--jobs", "0"]))
    with pytest.raises(ValueError, match="--jobs applies to the local executor"):
        executor_from_args(_parse(["--executor", "ray", "--jobs", "2"]))
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ValueError, match=r'pip install "geneft\[ray\]"'):  # the CLI prints it in one line
        executor_from_args(_parse(["--executor", "ray"]))


def test_command_line_ray_options_reach_the_ray_executor():
    pytest.importorskip("ray")
    from verification.cli_options import executor_from_args
    from verification.runtime import RayExecutor

    ex = executor_from_args(
        _parse(
            [
                "--executor",
                "ray",
                "--ray-address",
                "ray://head:10001",
                "--ray-cpus-per-task",
                "4",
                "--ray-gpus-per-task",
                "1",
                "--ray-max-retries",
                "7",
            ]
        )
    )
    assert isinstance(ex, RayExecutor)
    assert (ex.address, ex.num_cpus_per_task, ex.num_gpus_per_task, ex.max_retries) == (
        "ray://head:10001",
        4.0,
        1.0,
        7,
    )


# --- chunks side by side on threads (LocalExecutor(jobs=...))


def test_jobs_give_the_same_results_in_order_and_store_every_chunk(tmp_path):
    chunks = [{"i": i} for i in (5, 3, 1, 4, 2, 0, 6)]
    serial = LocalExecutor().map(square_chunk, chunks, cache=ResultCache(tmp_path / "a"), name="sq")
    cache = ResultCache(tmp_path / "b")
    threaded = LocalExecutor(jobs=3).map(square_chunk, chunks, cache=cache, name="sq", progress=True)
    assert threaded == serial
    assert (cache.hits, cache.misses) == (0, 7)
    assert len(list((tmp_path / "b").glob("sq-*.json"))) == 7


def test_jobs_run_chunks_at_the_same_time_on_worker_threads():
    import threading

    barrier = threading.Barrier(2, timeout=10)  # both chunks must be running at once to pass it
    names = []

    def chunk_fn(chunk):
        barrier.wait()
        names.append(threading.current_thread().name)
        return chunk["i"]

    assert LocalExecutor(jobs=2).map(chunk_fn, [{"i": 0}, {"i": 1}]) == [0, 1]
    assert len(set(names)) == 2 and threading.current_thread().name not in names
    # one chunk, or jobs=1: the calling thread
    one = LocalExecutor(jobs=2).map(lambda c: threading.current_thread().name, [{"i": 0}])
    assert one == [threading.current_thread().name]


def test_an_error_with_jobs_stops_new_chunks_keeps_finished_ones_and_raises(tmp_path):
    import threading

    started = []
    gate = threading.Event()

    def fn(chunk):
        started.append(chunk["i"])
        if chunk["i"] == 0:
            gate.wait(10)  # still running when chunk 1 fails: it must finish and be stored
            return square_chunk(chunk)
        gate.set()
        raise Interrupt("chunk 1 failed")

    cache = ResultCache(tmp_path)
    chunks = [{"i": i} for i in range(6)]
    with pytest.raises(Interrupt, match="chunk 1 failed"):
        LocalExecutor(jobs=2).map(fn, chunks, cache=cache, name="sq")
    assert sorted(started) == [0, 1]  # nothing new started after the failure
    assert cache.load("sq", {"i": 0}) is not None and cache.load("sq", {"i": 1}) is None


def test_jobs_is_checked_and_reaches_the_executor():
    assert repr(get_executor("local", jobs=2)) == "LocalExecutor(jobs=2)"
    with pytest.raises(ValueError, match="jobs must be >= 1"):
        LocalExecutor(jobs=0)
    with pytest.raises(TypeError, match="jobs must be an integer"):
        LocalExecutor(jobs=1.5)
