"""Training runs of any design, in batched-ensemble chunks on any executor, through the result cache.

Every experiment of the verification suite (a phase diagram, a ratio sweep, seeds in rounds, a depth
sweep) hands its :class:`~verification.train_config.TrainConfig` list, a
:class:`~verification.train_config.Schedule` and a :class:`~verification.runtime.context.RunContext`
to :func:`train_runs` and gets one :class:`RunResults` back, in the order given, each run
classified by Table IV (Appendix B) of [1]_.  Without an executor, cache or chunk size the runs
train as one batched ensemble in this process (:func:`~verification.training.train_ensemble`);
otherwise they are cut into *chunks* of at most ``chunk_size`` configs of one architecture, each
chunk one batched ensemble run through the executor (:func:`verification.runtime.get_executor`:
in-process, or one Ray task per chunk) and the on-disk result cache: a finished chunk is stored
as soon as it is done, so an interrupted experiment resumes -- locally or on a cluster --
without recomputing it.

A chunk's cache key holds its configs and the schedule, so the same configs with the same
``chunk_size`` give the same chunks (and cache entries) on every executor.  The per-run numbers
do not depend on the chunking at all: the trainer's arithmetic for a model is the same alone, in
any position of any batch and with any companions (see :mod:`verification.training`), so any
``chunk_size`` -- and one unchunked run -- give bit-identical results on the same machine and
device.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from effective_theory._checks import check_int
from verification.model import ModelConfig
from verification.runtime.context import RunContext
from verification.runtime.executor import Executor, LocalExecutor, default_jobs, get_executor
from verification.runtime.result_cache import to_jsonable
from verification.train_config import Schedule, TrainConfig, resolve_device
from verification.training import group_key, train_ensemble

__all__ = [
    "RUN_CHUNK",
    "CHUNK_FIELDS",
    "RunResults",
    "chunk_configs",
    "chunk_runs",
    "train_chunk",
    "train_runs",
]

#: cache namespace of one chunk of training runs (the name under which stored chunks are found)
RUN_CHUNK = "phase-chunk"

#: per-run scalar fields of a chunk's result, and their types
_INTS = ("steps_to_train", "steps_to_test", "steps_run")
_FLOATS = ("train_acc", "test_acc", "full_acc", "final_loss")
#: the per-run columns of a chunk's result, in the order :func:`train_chunk` gives them (then
#: ``embeddings``, ``snapshot_steps`` and ``snapshots`` when the schedule keeps them)
CHUNK_FIELDS = (*_INTS, *_FLOATS, "phase")


@dataclass
class RunResults:
    """Per-run outcomes of :func:`train_runs`, in the order of the configs given.

    Attributes
    ----------
    configs : list of TrainConfig
    steps_to_train, steps_to_test : ndarray of int, shape (K,)
        First evaluated step with train (test) accuracy above the threshold; -1 if never.
    train_acc, test_acc, full_acc, final_loss : ndarray of float, shape (K,)
        Final accuracies (NaN test accuracy when there are no test pairs) and training loss.
    steps_run : ndarray of int, shape (K,)
        Steps actually run (fewer when early stopping settled the phase).
    phases : list of str
        Table IV phase of each run (:func:`~verification.phases.classify_phase`).
    embeddings : list of ndarray (n, d), or None
        Final embeddings, when the schedule keeps them.
    snapshot_steps, snapshots : list of ndarray, or None
        Per run, the steps and embeddings ``(S, n, d)`` recorded with ``snapshot_every``.
    """

    configs: list
    steps_to_train: np.ndarray
    steps_to_test: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray
    full_acc: np.ndarray
    steps_run: np.ndarray
    final_loss: np.ndarray
    phases: list
    embeddings: list | None = None
    snapshot_steps: list | None = None
    snapshots: list | None = None

    def __len__(self):
        return len(self.configs)

    def take(self, index) -> RunResults:
        """The runs at ``index`` (a slice or a sequence of positions), as their own result."""
        rows = range(len(self))[index] if isinstance(index, slice) else list(index)
        rows = list(rows)
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                out[f.name] = None
            elif isinstance(value, np.ndarray):
                out[f.name] = value[rows]
            else:
                out[f.name] = [value[r] for r in rows]
        return RunResults(**out)

    def split(self, sizes) -> list[RunResults]:
        """Consecutive groups of ``sizes`` runs (the runs of each point of a design, in order).

        Examples
        --------
        >>> r = RunResults(list("abc"), *[np.arange(3)] * 7, ["x", "y", "z"])
        >>> [part.phases for part in r.split([1, 2])]
        [['x'], ['y', 'z']]
        """
        sizes = [int(k) for k in sizes]
        if sum(sizes) != len(self) or any(k < 0 for k in sizes):
            raise ValueError(f"sizes must be non-negative and add up to {len(self)} runs, got {sizes}")
        bounds = np.cumsum([0, *sizes])
        return [self.take(slice(a, b)) for a, b in zip(bounds[:-1], bounds[1:])]

    def columns(self) -> dict:
        """Per-run results as JSON-ready lists (NaN as ``float("nan")``), keyed by field name.

        ``phase`` (not ``phases``) as in the figure modules' data dicts; with snapshots also
        ``snapshot_steps`` (per run, a list of int) and ``snapshots`` (per run, an ``(S, n, d)``
        array).

        Examples
        --------
        >>> r = RunResults([0, 1], *[np.array([1, -1])] * 7, ["generalization", "confusion"])
        >>> c = r.columns()
        >>> c["phase"], c["steps_to_test"], type(c["full_acc"][0]).__name__
        (['generalization', 'confusion'], [1, -1], 'float')
        """
        out = {"phase": list(self.phases)}
        for f in (*_INTS[:2], *_FLOATS[:3], _INTS[2]):
            cast = int if f in _INTS else float
            out[f] = [cast(v) for v in getattr(self, f)]
        if self.snapshot_steps is not None:
            out["snapshot_steps"] = [np.asarray(v).tolist() for v in self.snapshot_steps]
            out["snapshots"] = [np.asarray(v) for v in self.snapshots]
        return out


def _config_dict(cfg) -> dict:
    d = to_jsonable(cfg)
    if d.get("init") == "uniform":
        # the default decoder initialisation is left out of a chunk's key, so that the keys of
        # runs with the default stay those of the stored chunks made without the field
        del d["init"]
    return d


def _config_from_dict(d: dict) -> TrainConfig:
    d = dict(d)
    d["model"] = ModelConfig(**d["model"])
    return TrainConfig(**d)


def _checked_configs(configs) -> list:
    configs = list(configs)
    if not configs:
        raise ValueError("configs is empty: give at least one TrainConfig")
    for k, cfg in enumerate(configs):
        if not isinstance(cfg, TrainConfig):
            raise TypeError(f"configs[{k}] must be a TrainConfig, got {type(cfg).__name__}")
    return configs


def chunk_configs(
    configs, schedule: Schedule, *, chunk_size: int, device: str | None = "cpu"
) -> tuple[list[dict], list[list[int]]]:
    """Split configs into JSON chunk configurations of one architecture each.

    Configs are grouped by architecture ``(n, model, optimizer)`` in order of first appearance
    (a chunk is one batched group of :func:`~verification.training.train_ensemble`), and each
    group is cut, in the given order, into chunks of at most ``chunk_size`` configs.  The
    schedule's ``snapshot_every`` enters a chunk's configuration only when given, so the keys of
    chunks without snapshots do not change.

    Returns
    -------
    chunks : list of dict
        The JSON-serialisable chunk configurations (the arguments of :func:`train_chunk`, and the
        cache keys).
    members : list of list of int
        For each chunk, the indices of its configs in ``configs``.

    Examples
    --------
    >>> grid = [TrainConfig(n=6, seed=s, optimizer=o) for s in range(3) for o in ("adam", "sgd")]
    >>> chunks, members = chunk_configs(grid, Schedule(steps=100), chunk_size=2)
    >>> members
    [[0, 2], [4], [1, 3], [5]]
    >>> sorted(chunks[0])
    ['configs', 'device', 'early_stop', 'eval_every', 'gap', 'keep_embeddings', 'steps', 'threshold']
    """
    configs = _checked_configs(configs)
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a Schedule, got {type(schedule).__name__}")
    chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    if device is None:
        # resolved here, on the driver, so that the cache key names the device
        device = resolve_device(None).type
    if not isinstance(device, str):
        raise TypeError(f"device must be a string such as 'cpu' or 'cuda', got {type(device).__name__}")
    groups: dict = {}
    for k, cfg in enumerate(configs):
        groups.setdefault(group_key(cfg), []).append(k)
    options = {
        "steps": schedule.steps,
        "eval_every": schedule.eval_every,
        "threshold": schedule.threshold,
        "gap": schedule.gap,
        "early_stop": schedule.early_stop,
        "device": device,
        "keep_embeddings": schedule.keep_embeddings,
    }
    if schedule.snapshot_every is not None:
        options["snapshot_every"] = schedule.snapshot_every
    chunks, members = [], []
    for idx in groups.values():
        for start in range(0, len(idx), chunk_size):
            part = idx[start : start + chunk_size]
            chunks.append({"configs": [_config_dict(configs[k]) for k in part], **options})
            members.append(part)
    return chunks, members


def chunk_runs(chunk: dict) -> tuple[list[TrainConfig], Schedule, str]:
    """The configs, schedule and device of a chunk configuration (one of :func:`chunk_configs`).

    Examples
    --------
    >>> chunks, _ = chunk_configs([TrainConfig(n=6, init="normal")], Schedule(steps=50), chunk_size=1)
    >>> configs, schedule, device = chunk_runs(chunks[0])
    >>> configs[0].init, schedule.steps, device
    ('normal', 50, 'cpu')
    """
    return [_config_from_dict(d) for d in chunk["configs"]], _chunk_schedule(chunk), chunk["device"]


def _chunk_schedule(chunk: dict) -> Schedule:
    return Schedule(
        steps=chunk["steps"],
        eval_every=chunk["eval_every"],
        threshold=chunk["threshold"],
        gap=chunk["gap"],
        early_stop=chunk["early_stop"],
        keep_embeddings=chunk["keep_embeddings"],
        snapshot_every=chunk.get("snapshot_every"),
    )


def _ensemble_columns(res, schedule: Schedule) -> dict:
    out = {f: getattr(res, f) for f in (*_INTS, *_FLOATS)}
    out["phase"] = res.phases
    if schedule.keep_embeddings:
        out["embeddings"] = [np.asarray(e) for e in res.embeddings]
    if schedule.snapshot_every is not None:
        out["snapshot_steps"] = res.snapshot_steps
        out["snapshots"] = res.snapshots
    return out


def train_chunk(chunk: dict) -> dict:
    """Train one chunk as a batched ensemble; per-config results as JSON-ready lists.

    A pure function of the chunk configuration (same seeds, same numbers), so its result can be
    cached under the chunk's hash and computed on any worker.
    """
    configs, schedule, device = chunk_runs(chunk)
    res = train_ensemble(configs, schedule, device=device)
    return to_jsonable(_ensemble_columns(res, schedule))


def _float(x) -> float:
    # the cache stores non-finite floats as strings
    return float(x) if not isinstance(x, str) else {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[x]


def _results(configs, cols: dict, schedule: Schedule) -> RunResults:
    """A :class:`RunResults` from per-run columns (lists or arrays, as trained or as cached)."""
    snapshots = schedule.snapshot_every is not None
    return RunResults(
        configs=configs,
        phases=list(cols["phase"]),
        embeddings=[np.asarray(e, dtype=np.float32) for e in cols["embeddings"]]
        if schedule.keep_embeddings
        else None,
        snapshot_steps=[np.asarray(v, dtype=np.int64) for v in cols["snapshot_steps"]] if snapshots else None,
        snapshots=[np.asarray(v, dtype=np.float32) for v in cols["snapshots"]] if snapshots else None,
        **{f: np.asarray(cols[f], dtype=np.int64) for f in _INTS},
        **{f: np.asarray([_float(x) for x in cols[f]]) for f in _FLOATS},
    )


def _train_chunked(configs, schedule: Schedule, run: RunContext, desc: str) -> dict:
    chunks, members = chunk_configs(
        configs, schedule, chunk_size=run.chunk_size or len(configs), device=run.device
    )
    owned = not isinstance(run.executor, Executor)
    if run.executor is None:
        # every core busy on the CPU: chunks side by side (the trainer runs one batch per core)
        ex = LocalExecutor(jobs=default_jobs(chunks[0]["device"]))
    else:
        ex = get_executor(run.executor)
    try:
        outs = ex.map(train_chunk, chunks, cache=run.cache, name=RUN_CHUNK, progress=run.progress, desc=desc)
    finally:
        if owned:
            ex.close()
    cols: dict = {}
    for part, out in zip(members, outs):
        for field_name, values in out.items():
            column = cols.setdefault(field_name, [None] * len(configs))
            for r, k in enumerate(part):
                column[k] = values[r]
    return cols


def train_runs(
    configs, schedule: Schedule | None = None, run: RunContext | None = None, *, desc: str = "training"
) -> RunResults:
    """Train every config and classify its phase (Table IV of [1]_): the one way runs are trained.

    Parameters
    ----------
    configs : sequence of TrainConfig
        Any mix of relations, learning rates, weight decays, initialisations, seeds; results come
        back in this order.
    schedule : Schedule, optional
        Budget, evaluation, Table IV classification, early stopping and what to record (default
        ``Schedule()``); part of a chunk's cache key.
    run : RunContext, optional
        Device, executor, cache, chunk size, progress.  Without an executor, cache or chunk size
        the configs train as one batched ensemble in this process; otherwise in chunks of
        ``run.chunk_size`` configs (default: all of them as one chunk), each loaded from or stored
        in ``run.cache`` (namespace :data:`RUN_CHUNK`) and trained by ``run.executor`` (default: a
        :class:`~verification.runtime.executor.LocalExecutor` with
        :func:`~verification.runtime.executor.default_jobs` of the device; an executor created
        here is closed at the end).  The numbers are the same either way.
    desc : str
        Label of the progress report over chunks.

    Returns
    -------
    RunResults

    Examples
    --------
    >>> grid = [TrainConfig(n=6, eta_enc=10.0**a, eta_dec=1e-2, seed=0) for a in (-3, -2)]
    >>> res = train_runs(grid, Schedule(steps=20), RunContext(chunk_size=1))
    >>> len(res), set(res.phases) <= {"generalization", "grokking", "memorization", "confusion"}
    (2, True)
    >>> bool((res.steps_run <= 20).all())
    True
    """
    configs = _checked_configs(configs)
    schedule = Schedule() if schedule is None else schedule
    run = RunContext() if run is None else run
    if not isinstance(run, RunContext):
        raise TypeError(f"run must be a RunContext, got {type(run).__name__}")
    if run.chunked:
        cols = _train_chunked(configs, schedule, run, desc)
    else:
        res = train_ensemble(configs, schedule, device=run.device, progress=run.progress)
        cols = _ensemble_columns(res, schedule)
    return _results(configs, cols, schedule)
