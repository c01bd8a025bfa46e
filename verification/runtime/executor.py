"""Executors: run the chunks of a sweep in-process or as tasks on a Ray cluster.

Every sweep of the toolkit (phase diagrams, fraction sweeps, Monte Carlo bounds)
is a list of *chunks*: JSON-serialisable configurations, each computed by a pure
function (for training, one batched-ensemble call per chunk).  An executor maps
that function over the chunks *through* the on-disk
:class:`~verification.runtime.result_cache.ResultCache`:

* a chunk already in the cache is loaded, not recomputed;
* every other chunk is computed -- in this process (:class:`LocalExecutor`) or
  as one Ray task per chunk (:class:`RayExecutor`) -- and stored in the cache
  *as soon as it finishes*, so an interrupted sweep keeps what it gathered and
  resumes on either executor;
* the results come back in chunk order, and with a cache they are exactly the
  stored JSON form, so a sweep run locally, on Ray, or loaded from the cache
  gives identical numbers.

Ray is an optional extra: ``pip install "geneft[ray]"``.  A Ray task whose
worker dies (killed, out of memory, node lost) is retried up to ``max_retries``
times by Ray; a chunk whose function raises is not retried (the error is
deterministic) -- the remaining chunks are still gathered and stored, then the
error is raised.  See ``docs/cluster.md``.

Examples
--------
>>> import tempfile
>>> from verification.runtime.result_cache import ResultCache
>>> cache = ResultCache(tempfile.mkdtemp())
>>> ex = get_executor("local")
>>> ex.map(abs, [-2, 3, -5], cache=cache, name="abs")
[2, 3, 5]
>>> cache.misses, ex.map(abs, [-2, 3, -5], cache=cache, name="abs"), cache.hits   # all from disk
(3, [2, 3, 5], 3)
"""

from __future__ import annotations

import abc
import numbers
import os
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from verification.runtime.interrupt import request_stop
from verification.runtime.progress import progress as report_progress
from verification.runtime.provenance import chunk_meta

__all__ = [
    "EXECUTORS",
    "Executor",
    "LocalExecutor",
    "default_jobs",
    "RayExecutor",
    "MissingDependencyError",
    "get_executor",
]

#: executor names understood by :func:`get_executor`
EXECUTORS = ("local", "ray")

_RAY_HINT = 'the Ray executor needs the optional dependency Ray: pip install "geneft[ray]"'


class MissingDependencyError(ImportError, ValueError):
    """An optional dependency (an extra of ``geneft``) is not installed.

    It is an :class:`ImportError`, and also a :class:`ValueError` so that the
    command line reports it in one line (``geneft: error: ...``).
    """


def _import_ray():
    """``import ray``, or a :class:`MissingDependencyError` saying how to install it."""
    try:
        # imported here: Ray is an optional dependency (geneft[ray]), and takes 0.30 s to import
        # (measured)
        import ray
    except ImportError as exc:
        raise MissingDependencyError(f"{_RAY_HINT} ({exc})") from exc
    return ray


def _check_count(value, name, *, minimum=0, real=False):
    kinds = numbers.Real if real else numbers.Integral
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise TypeError(f"{name} must be {'a number' if real else 'an integer'}, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


class Executor(abc.ABC):
    """Maps a chunk function over chunk configurations, through an optional result cache.

    Subclasses implement :meth:`_run`; :meth:`map` does the cache look-ups and
    ordering, so every executor has the same cache semantics.
    """

    name = "base"

    def map(
        self,
        fn: Callable[[Any], Any],
        chunks: Iterable[Any],
        *,
        cache=None,
        name: str | None = None,
        progress: bool = False,
        desc: str | None = None,
    ) -> list:
        """``[fn(c) for c in chunks]``, computing only the chunks missing from ``cache``.

        Parameters
        ----------
        fn : callable
            Pure function of one chunk configuration.  For :class:`RayExecutor` it
            must be picklable (a module-level function, or a closure over picklable
            values) and its module importable on the workers.
        chunks : iterable
            Chunk configurations; with a cache they must be JSON-serialisable
            (:func:`~verification.runtime.result_cache.to_jsonable`), as they are its keys.
        cache : ResultCache, optional
            Finished chunks are loaded from it and new ones stored in it, one by one
            as they finish, each with its record
            (:func:`~verification.runtime.provenance.chunk_meta`: date, code commit, host).
        name : str
            Cache namespace of this kind of chunk (required with ``cache``); part of
            the key, so two sweeps with different functions must use different names.
        progress : bool
            Report progress over the chunks on stderr: a bar on a terminal, one line per finished
            chunk with the elapsed time and an ETA elsewhere
            (:func:`~verification.runtime.progress.progress`).
        desc : str, optional
            Label of the progress bar (default: ``name``).

        Returns
        -------
        list
            One result per chunk, in chunk order.  With a cache, each result is its
            stored JSON form (what a later load returns), whichever executor computed it.
        """
        if not callable(fn):
            raise TypeError(f"fn must be callable, got {type(fn).__name__}")
        chunks = list(chunks)
        if cache is not None and not name:
            raise ValueError("name is required with a cache: it keys the stored chunks")
        if cache is not None and not hasattr(cache, "load"):
            raise TypeError(f"cache must be a ResultCache, got {type(cache).__name__}")
        results: list = [None] * len(chunks)
        todo = []
        for i, chunk in enumerate(chunks):
            hit = cache.load(name, chunk) if cache is not None else None
            if hit is not None:
                cache.hits += 1
                results[i] = hit
            else:
                todo.append(i)

        bar = None
        if progress:
            bar = report_progress(
                len(chunks), initial=len(chunks) - len(todo), desc=desc or name or "chunks", unit="chunk"
            )

        def finished(i: int, result: Any) -> None:
            # store as soon as a chunk is done: an interruption keeps it, with when, which code
            # commit and (computed in this process) which host
            if cache is not None:
                cache.misses += 1
                meta = chunk_meta(on_this_host=isinstance(self, LocalExecutor))
                result = cache.store(name, chunks[i], result, meta=meta)
            results[i] = result
            if bar is not None:
                bar.update(1)

        try:
            if todo:
                self._run(fn, [(i, chunks[i]) for i in todo], finished)
        finally:
            if bar is not None:
                bar.close()
        return results

    @abc.abstractmethod
    def _run(self, fn, items: Sequence[tuple[int, Any]], finished: Callable[[int, Any], None]) -> None:
        """Run ``fn`` on each ``(index, chunk)`` and call ``finished(index, result)`` as each completes."""

    def close(self) -> None:
        """Release resources (a Ray instance this executor started); nothing by default."""
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __repr__(self):
        return f"{type(self).__name__}()"


class LocalExecutor(Executor):
    """Runs the chunks in this process: one after the other, or ``jobs`` at a time on threads.

    Parameters
    ----------
    jobs : int
        Chunks computed at once (default 1).  With ``jobs > 1`` and more than one chunk to
        compute, each chunk runs on a worker thread of its own.  For training sweeps on the CPU,
        ``jobs`` = the number of cores keeps every core busy while the chunks of a sweep last:
        each chunk trains as batches on threads, and the trainer lets at most one batch per core
        run at a time across all chunks (:func:`verification.training.train_ensemble`), so a core
        whose batch has settled early takes a waiting batch of another chunk instead of idling
        until its own chunk's other batch ends.  The chunk function must be thread-safe and
        release the GIL in its heavy work (torch and the compiled training kernels do); being
        pure, its results do not depend on ``jobs``.  A single chunk, or ``jobs = 1``, runs in
        the calling thread.

    Notes
    -----
    Finished chunks are stored (and the progress bar advanced) by the calling thread, as each
    completes.  An error in a chunk stops the sweep: no further chunk starts, the chunks already
    running finish and are stored, then the error is raised.  An interruption (Ctrl-C) returns
    at once; the worker threads are daemons, so the chunks they were computing are lost and
    every finished one is already in the cache.
    """

    name = "local"

    def __init__(self, jobs: int = 1):
        self.jobs = _check_count(jobs, "jobs", minimum=1)

    def _run(self, fn, items, finished):
        if self.jobs == 1 or len(items) == 1:
            for i, chunk in items:
                finished(i, fn(chunk))
            return
        _run_on_threads(fn, items, finished, min(self.jobs, len(items)))

    def __repr__(self):
        return "LocalExecutor()" if self.jobs == 1 else f"LocalExecutor(jobs={self.jobs})"


def default_jobs(device: str = "cpu") -> int:
    """Chunks a :class:`LocalExecutor` computes at once by default for training on ``device``.

    Every core on the CPU (the trainer still runs at most one batch per core, whichever chunk it
    belongs to: :func:`verification.training.train_ensemble`); one on a GPU, where a chunk already
    keeps several batches in flight on streams of their own and CUDA-graph capture must not
    overlap another thread's launches.

    Examples
    --------
    >>> default_jobs("cuda")
    1
    >>> default_jobs("cpu") == (os.cpu_count() or 1)
    True
    """
    return (os.cpu_count() or 1) if device == "cpu" else 1


def _run_on_threads(fn, items, finished, threads: int) -> None:
    """``finished(i, fn(chunk))`` for every item, ``threads`` chunks at a time (see LocalExecutor)."""
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for item in items:
        todo.put(item)
    done: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()

    def work():
        try:
            while not stop.is_set():
                try:
                    i, chunk = todo.get_nowait()
                except queue.Empty:
                    break
                try:
                    done.put((i, True, fn(chunk)))
                except BaseException as exc:  # handed to the calling thread, which raises it
                    stop.set()
                    done.put((i, False, exc))
        finally:
            done.put(None)

    for k in range(threads):
        threading.Thread(target=work, name=f"geneft-chunk-{k}", daemon=True).start()
    running, error = threads, None
    try:
        while running:
            try:
                message = done.get(timeout=0.2)  # a timeout keeps Ctrl-C responsive
            except queue.Empty:
                continue
            if message is None:
                running -= 1
                continue
            i, ok, value = message
            if ok:
                finished(i, value)
            elif error is None:
                error = value
                stop.set()
    except KeyboardInterrupt:
        # the chunks in flight stop within a training step (their finished ones are stored)
        stop.set()
        request_stop()
        raise
    except BaseException:
        stop.set()
        raise
    if error is not None:
        raise error


def _package_root() -> str:
    """The folder holding the ``effective_theory`` package (put on the workers' path)."""
    return str(Path(__file__).resolve().parent.parent)


class RayExecutor(Executor):
    """Runs each chunk missing from the cache as one Ray task.

    Parameters
    ----------
    address : str, optional
        Cluster to connect to: ``"auto"`` (the cluster started with ``ray start``
        on this node), ``"host:6379"`` (its head's GCS address),
        ``"ray://host:10001"`` (Ray Client; needs ``ray[client]``), or ``"local"``
        (a new local instance).  ``None``: the Ray already initialised in this
        process if any, else ``$RAY_ADDRESS`` (set by ``ray job submit``), else
        a new local instance.  :meth:`close` disconnects (and stops a local
        instance it started).
    num_cpus_per_task : float
        CPU cores reserved for each chunk (Ray sets ``OMP_NUM_THREADS`` to it,
        so torch uses that many threads).
    num_gpus_per_task : float
        GPUs reserved for each chunk (pass ``device="cuda"`` to the sweep).
    max_retries : int
        Times Ray resubmits a chunk whose worker died; a chunk that still fails
        raises after the other chunks have been gathered.
    runtime_env : dict, optional
        Ray runtime environment of the job (e.g. ``{"working_dir": "."}`` or a pip
        list for a cluster without geneft installed).  When this executor starts a
        local instance, the folder holding the package is added to the workers'
        ``PYTHONPATH``.
    max_in_flight : int, optional
        At most this many chunks submitted at once (default: all); bounds the
        memory of results waiting in the object store for very large sweeps.
    init_kwargs : dict, optional
        Extra arguments of ``ray.init`` (e.g. ``num_cpus`` of a local instance).
    """

    name = "ray"

    def __init__(
        self,
        *,
        address: str | None = None,
        num_cpus_per_task: float = 1,
        num_gpus_per_task: float = 0,
        max_retries: int = 3,
        runtime_env: dict | None = None,
        max_in_flight: int | None = None,
        init_kwargs: dict | None = None,
    ):
        if address is not None and not isinstance(address, str):
            raise TypeError(
                f"address must be a string such as 'auto' or 'ray://host:10001', got {type(address).__name__}"
            )
        _check_count(num_cpus_per_task, "num_cpus_per_task", real=True)
        _check_count(num_gpus_per_task, "num_gpus_per_task", real=True)
        if num_cpus_per_task == 0 and num_gpus_per_task == 0:
            raise ValueError("num_cpus_per_task and num_gpus_per_task are both 0: a task needs some resource")
        _check_count(max_retries, "max_retries")
        if max_in_flight is not None:
            _check_count(max_in_flight, "max_in_flight", minimum=1)
        if runtime_env is not None and not isinstance(runtime_env, dict):
            raise TypeError(f"runtime_env must be a dict, got {type(runtime_env).__name__}")
        if init_kwargs is not None and not isinstance(init_kwargs, dict):
            raise TypeError(f"init_kwargs must be a dict, got {type(init_kwargs).__name__}")
        self._ray = _import_ray()
        self.address = address
        self.num_cpus_per_task = num_cpus_per_task
        self.num_gpus_per_task = num_gpus_per_task
        self.max_retries = int(max_retries)
        self.runtime_env = runtime_env
        self.max_in_flight = max_in_flight
        self.init_kwargs = dict(init_kwargs or {})
        self._started = False

    def __repr__(self):
        return (
            f"RayExecutor(address={self.address!r}, num_cpus_per_task={self.num_cpus_per_task}, "
            f"num_gpus_per_task={self.num_gpus_per_task}, max_retries={self.max_retries})"
        )

    def start(self) -> None:
        """Connect to the cluster (or start a local instance) if Ray is not initialised yet."""
        ray = self._ray
        if ray.is_initialized():
            return
        kwargs = {"include_dashboard": False, "log_to_driver": True}
        kwargs.update(self.init_kwargs)
        runtime_env = dict(self.runtime_env or {})
        # no address: the cluster of a `ray job submit` (RAY_ADDRESS), else a new local instance --
        # never silently the last cluster started on this machine, as ray.init() would
        address = self.address or os.environ.get("RAY_ADDRESS") or "local"
        if address == "local":
            # a local instance: let its workers import geneft from where this process does
            env_vars = dict(runtime_env.get("env_vars", {}))
            path = [_package_root()] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
            env_vars.setdefault("PYTHONPATH", os.pathsep.join(dict.fromkeys(path)))
            runtime_env["env_vars"] = env_vars
        if runtime_env:
            kwargs["runtime_env"] = runtime_env
        try:
            ray.init(address=address, **kwargs)
        except ConnectionError as exc:
            raise OSError(f"cannot connect to the Ray cluster at {address!r}: {exc}") from exc
        self._started = True

    def close(self) -> None:
        """Shut Ray down if this executor started or connected it."""
        if self._started:
            self._started = False
            self._ray.shutdown()

    def _run(self, fn, items, finished):
        ray = self._ray
        self.start()
        remote = ray.remote(_call_chunk).options(
            num_cpus=self.num_cpus_per_task,
            num_gpus=self.num_gpus_per_task,
            max_retries=self.max_retries,
            retry_exceptions=False,
        )
        fn_ref = ray.put(fn)
        queue = list(items)
        queue.reverse()  # pop() submits in chunk order
        limit = self.max_in_flight or len(queue)
        pending: dict = {}
        errors: list[tuple[int, BaseException]] = []

        def submit():
            while queue and len(pending) < limit:
                i, chunk = queue.pop()
                pending[remote.remote(fn_ref, chunk)] = i

        submit()
        try:
            while pending:
                done, _ = ray.wait(list(pending), num_returns=1)
                for ref in done:
                    i = pending.pop(ref)
                    try:
                        result = ray.get(ref)
                    except ray.exceptions.RayTaskError as exc:
                        # fn raised: deterministic, not retried; gather the rest first
                        cause = exc.as_instanceof_cause() if hasattr(exc, "as_instanceof_cause") else exc
                        errors.append((i, cause))
                    except ray.exceptions.RayError as exc:
                        # a system failure that outlived the retries: worker or node died, OOM, ...
                        died = isinstance(
                            exc,
                            tuple(
                                getattr(ray.exceptions, name)
                                for name in ("WorkerCrashedError", "NodeDiedError", "OutOfMemoryError")
                                if hasattr(ray.exceptions, name)
                            ),
                        )
                        what = (
                            f"its Ray worker died {self.max_retries + 1} times"
                            if died
                            else "Ray could not run it"
                        )
                        detail = str(exc).splitlines()[0] if str(exc) else ""
                        errors.append(
                            (i, RuntimeError(f"chunk {i} failed: {what} ({type(exc).__name__}: {detail})"))
                        )
                    else:
                        finished(i, result)
                submit()
        except BaseException:
            # interrupted (Ctrl-C) or the driver failed: stop the chunks still queued
            for ref in pending:
                try:
                    ray.cancel(ref, force=True)
                except Exception:  # best effort: the original error is what matters
                    pass
            raise
        if errors:
            i, exc = min(errors, key=lambda e: e[0])  # the first failed chunk in chunk order
            n_ok = len(items) - len(errors)
            exc.add_note(f"(chunk {i}; {len(errors)} chunk(s) failed, {n_ok} finished and were kept)")
            raise exc


def _call_chunk(fn, chunk):
    """The Ray task: one chunk."""
    return fn(chunk)


def get_executor(
    name: str | Executor = "local",
    *,
    address: str | None = None,
    num_cpus_per_task: float = 1,
    num_gpus_per_task: float = 0,
    max_retries: int = 3,
    **kwargs,
) -> Executor:
    """An executor by name: ``"local"`` (in-process, the default) or ``"ray"``.

    Parameters
    ----------
    name : {"local", "ray"} or Executor
        An :class:`Executor` instance is returned as is.
    address : str, optional
        Ray cluster address (``"auto"``, ``"ray://host:10001"``); only for ``"ray"``.
    num_cpus_per_task, num_gpus_per_task : float
        Resources reserved per chunk on Ray.
    max_retries : int
        Retries of a chunk whose Ray worker died.
    **kwargs
        ``jobs`` of :class:`LocalExecutor`; further options of :class:`RayExecutor`
        (``runtime_env``, ``max_in_flight``, ``init_kwargs``).

    Raises
    ------
    ValueError
        For an unknown name, or Ray options given to the local executor.
    MissingDependencyError
        For ``"ray"`` when Ray is not installed (says ``pip install "geneft[ray]"``).

    Examples
    --------
    >>> get_executor()
    LocalExecutor()
    >>> get_executor("dask")
    Traceback (most recent call last):
    ...
    ValueError: unknown executor 'dask'; choose one of local, ray
    """
    if isinstance(name, Executor):
        return name
    if name == "local":
        jobs = kwargs.pop("jobs", 1)
        extra = [
            k
            for k, v in (("address", address), ("num_gpus_per_task", num_gpus_per_task or None))
            if v is not None
        ] + sorted(kwargs)
        if extra:
            raise ValueError(f"{', '.join(extra)} only apply to the Ray executor (executor='ray')")
        return LocalExecutor(jobs=jobs)
    if name == "ray":
        return RayExecutor(
            address=address,
            num_cpus_per_task=num_cpus_per_task,
            num_gpus_per_task=num_gpus_per_task,
            max_retries=max_retries,
            **kwargs,
        )
    raise ValueError(f"unknown executor {name!r}; choose one of {', '.join(EXECUTORS)}")
