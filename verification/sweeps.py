"""Phase-diagram sweeps in batched-ensemble chunks, on any executor (Figures 5 and 8 of [1]_).

A phase diagram (Figure 5: encoder against decoder learning rate; Figure 8: decoder weight decay
against decoder learning rate) is a grid of :class:`~verification.training.TrainConfig`, each
trained for ``steps`` updates and classified by Table IV (Appendix B) of [1]_.
:func:`run_phase_diagram` splits the grid into *chunks* of at most ``chunk_size`` configs of one
architecture, trains each chunk as one batched ensemble (:func:`~verification.training.train_ensemble`),
and runs the chunks through an executor (:func:`verification.runtime.get_executor`: in-process, or one
Ray task per chunk) and the on-disk result cache: a finished chunk is stored as soon as it is done,
so an interrupted sweep resumes -- locally or on a cluster -- without recomputing it, and the
per-config results are the same whichever executor ran them.

A chunk's cache key holds its configs and training options, so the same grid with the same
``chunk_size`` gives the same chunks (and cache entries) on every executor.  The per-config
numbers do not depend on the chunking at all: the trainer's arithmetic for a model is the same
alone, in any position of any batch and with any companions (see
:mod:`verification.training`), so any ``chunk_size`` -- and one unchunked run -- give
bit-identical results on the same machine and device.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from effective_theory._checks import check_int

__all__ = [
    "PHASE_CHUNK",
    "PhaseDiagramResult",
    "phase_chunks",
    "run_phase_chunk",
    "run_phase_diagram",
    "train_grid",
    "train_points",
]

#: cache namespace of one phase-diagram chunk
PHASE_CHUNK = "phase-chunk"

#: per-config fields of a chunk's result
_FIELDS = (
    "steps_to_train",
    "steps_to_test",
    "train_acc",
    "test_acc",
    "full_acc",
    "steps_run",
    "final_loss",
    "phase",
)


@dataclass
class PhaseDiagramResult:
    """Per-config outcome of :func:`run_phase_diagram`, in the order of the configs given.

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
        Table IV phase of each config (:func:`~verification.phases.classify_phase`).
    embeddings : list of ndarray (n, d), or None
        Final embeddings, when asked for (``keep_embeddings=True``).
    snapshot_steps, snapshots : list of ndarray, or None
        Per config, the steps and embeddings ``(S, n, d)`` recorded with ``snapshot_every``.
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

    def columns(self) -> dict:
        """Per-config results as JSON-ready lists (NaN as ``float("nan")``), keyed by field name.

        ``phase`` (not ``phases``) as in the figure modules' data dicts.

        Examples
        --------
        >>> r = PhaseDiagramResult([0, 1], *[np.array([1, -1])] * 7, ["generalization", "confusion"])
        >>> c = r.columns()
        >>> c["phase"], c["steps_to_test"], type(c["full_acc"][0]).__name__
        (['generalization', 'confusion'], [1, -1], 'float')
        """
        out = {"phase": list(self.phases)}
        for f in ("steps_to_train", "steps_to_test", "steps_run"):
            out[f] = [int(v) for v in getattr(self, f)]
        for f in ("train_acc", "test_acc", "full_acc", "final_loss"):
            out[f] = [float(v) for v in getattr(self, f)]
        return out

    def phase_grid(self, shape) -> np.ndarray:
        """The phases reshaped to a grid (configs given in row-major grid order).

        Examples
        --------
        >>> r = PhaseDiagramResult([0] * 4, *[np.zeros(4)] * 7, ["a", "b", "c", "d"])
        >>> r.phase_grid((2, 2))[1].tolist()   # second row of the grid
        ['c', 'd']
        """
        return np.asarray(self.phases, dtype=object).reshape(shape)


def _config_dict(cfg) -> dict:
    from verification.runtime.result_cache import to_jsonable

    d = to_jsonable(cfg)
    if d.get("init") == "uniform":
        # the default decoder initialisation is left out, so chunk keys made before the option
        # existed still find their cached results
        del d["init"]
    return d


def _config_from_dict(d: dict):
    from verification.model import ModelConfig
    from verification.training import TrainConfig

    d = dict(d)
    d["model"] = ModelConfig(**d["model"])
    return TrainConfig(**d)


def phase_chunks(
    configs,
    *,
    steps: int,
    chunk_size: int,
    eval_every: int = 10,
    threshold: float = 0.9,
    gap: int = 1_000,
    early_stop: bool = True,
    device: str | None = "cpu",
    keep_embeddings: bool = False,
    snapshot_every: int | None = None,
) -> tuple[list[dict], list[list[int]]]:
    """Split a grid of configs into JSON chunk configurations of one architecture each.

    Configs are grouped by architecture ``(n, model, optimizer)`` in order of first appearance
    (a chunk is one batched group of :func:`~verification.training.train_ensemble`), and each
    group is cut, in grid order, into chunks of at most ``chunk_size`` configs.  ``snapshot_every``
    (embedding snapshots, :func:`~verification.training.train_ensemble`) enters a chunk's
    configuration only when given, so the keys of chunks without snapshots do not change.

    Returns
    -------
    chunks : list of dict
        The JSON-serialisable chunk configurations (the arguments of :func:`run_phase_chunk`,
        and the cache keys).
    members : list of list of int
        For each chunk, the indices of its configs in ``configs``.

    Examples
    --------
    >>> from verification.training import TrainConfig
    >>> grid = [TrainConfig(n=6, seed=s, optimizer=o) for s in range(3) for o in ("adam", "sgd")]
    >>> chunks, members = phase_chunks(grid, steps=100, chunk_size=2)
    >>> members
    [[0, 2], [4], [1, 3], [5]]
    >>> sorted(chunks[0])
    ['configs', 'device', 'early_stop', 'eval_every', 'gap', 'keep_embeddings', 'steps', 'threshold']
    """
    from verification.training import TrainConfig

    configs = list(configs)
    if not configs:
        raise ValueError("configs is empty: give at least one TrainConfig")
    for k, cfg in enumerate(configs):
        if not isinstance(cfg, TrainConfig):
            raise TypeError(f"configs[{k}] must be a TrainConfig, got {type(cfg).__name__}")
    steps = check_int(steps, "steps", minimum=0)
    chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    eval_every = check_int(eval_every, "eval_every", minimum=1)
    gap = check_int(gap, "gap", minimum=0)
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 <= threshold < 1:
        raise ValueError(f"threshold must be a number in [0, 1), got {threshold!r}")
    if device is None:
        # resolved here, on the driver, so that the cache key names the device
        from verification.training import resolve_device

        device = resolve_device(None).type
    if not isinstance(device, str):
        raise TypeError(f"device must be a string such as 'cpu' or 'cuda', got {type(device).__name__}")
    from verification.training import group_key

    groups: dict = {}
    for k, cfg in enumerate(configs):
        groups.setdefault(group_key(cfg), []).append(k)
    options = {
        "steps": steps,
        "eval_every": eval_every,
        "threshold": float(threshold),
        "gap": gap,
        "early_stop": bool(early_stop),
        "device": device,
        "keep_embeddings": bool(keep_embeddings),
    }
    if snapshot_every is not None:
        options["snapshot_every"] = check_int(snapshot_every, "snapshot_every", minimum=1)
    chunks, members = [], []
    for idx in groups.values():
        for start in range(0, len(idx), chunk_size):
            part = idx[start : start + chunk_size]
            chunks.append({"configs": [_config_dict(configs[k]) for k in part], **options})
            members.append(part)
    return chunks, members


def run_phase_chunk(chunk: dict) -> dict:
    """Train one chunk as a batched ensemble; per-config results as JSON-ready lists.

    A pure function of the chunk configuration (same seeds, same numbers), so its result can be
    cached under the chunk's hash and computed on any worker.
    """
    from verification.runtime.result_cache import to_jsonable
    from verification.training import train_ensemble

    configs = [_config_from_dict(d) for d in chunk["configs"]]
    res = train_ensemble(
        configs,
        steps=chunk["steps"],
        eval_every=chunk["eval_every"],
        device=chunk["device"],
        early_stop=chunk["early_stop"],
        threshold=chunk["threshold"],
        gap=chunk["gap"],
        snapshot_every=chunk.get("snapshot_every"),
    )
    out = {
        "steps_to_train": res.steps_to_train,
        "steps_to_test": res.steps_to_test,
        "train_acc": res.train_acc,
        "test_acc": res.test_acc,
        "full_acc": res.full_acc,
        "steps_run": res.steps_run,
        "final_loss": res.final_loss,
        "phase": res.phases,
    }
    if chunk.get("keep_embeddings"):
        out["embeddings"] = [np.asarray(e) for e in res.embeddings]
    if chunk.get("snapshot_every") is not None:
        out["snapshot_steps"] = res.snapshot_steps
        out["snapshots"] = res.snapshots
    return to_jsonable(out)


def _float(x) -> float:
    # the cache stores non-finite floats as strings
    return float(x) if not isinstance(x, str) else {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[x]


def run_phase_diagram(
    configs,
    *,
    steps: int = 10_000,
    chunk_size: int = 64,
    executor=None,
    cache=None,
    eval_every: int = 10,
    threshold: float = 0.9,
    gap: int = 1_000,
    early_stop: bool = True,
    device: str | None = "cpu",
    keep_embeddings: bool = False,
    progress: bool = False,
    desc: str = "phase diagram",
    snapshot_every: int | None = None,
) -> PhaseDiagramResult:
    """Train every config of a phase-diagram grid and classify its phase (Table IV of [1]_).

    Parameters
    ----------
    configs : sequence of TrainConfig
        The grid (any mix of relations, learning rates, weight decays, seeds); results come back
        in this order.
    steps : int
        Step budget per config (paper: ``10**5``); also the budget of the phase classification.
    chunk_size : int
        Configs per chunk, i.e. per batched ensemble and per Ray task.  Part of the cache key.
    executor : str or Executor, optional
        ``"local"``, ``"ray"``, or an executor from :func:`verification.runtime.get_executor`
        (to pass a cluster address, resources per task, retries, local ``jobs``).  Default: a
        :class:`~verification.runtime.executor.LocalExecutor` with
        :func:`~verification.runtime.executor.default_jobs` of the device (on the CPU, one chunk
        per core).  An executor created here is closed at the end.
    cache : ResultCache, optional
        Finished chunks are loaded from / stored in it (namespace :data:`PHASE_CHUNK`).
    eval_every, threshold, gap, early_stop :
        As in :func:`~verification.training.train_ensemble`.
    device : str or None
        Torch device of every chunk (``"cpu"``, ``"cuda"``); part of the cache key.  ``None``:
        CUDA if this (driving) process sees a GPU, else CPU.  With Ray and ``device="cuda"`` give
        the executor ``num_gpus_per_task``.
    keep_embeddings : bool
        Also return (and cache) the final embeddings.
    progress : bool
        Progress bar over chunks.
    snapshot_every : int, optional
        Also return (and cache) embedding snapshots every ``snapshot_every`` steps.

    Returns
    -------
    PhaseDiagramResult

    Examples
    --------
    >>> from verification.training import TrainConfig
    >>> grid = [TrainConfig(n=6, eta_enc=10.0**a, eta_dec=1e-2, seed=0) for a in (-3, -2)]
    >>> res = run_phase_diagram(grid, steps=20, chunk_size=1)
    >>> len(res), set(res.phases) <= {"generalization", "grokking", "memorization", "confusion"}
    (2, True)
    >>> bool((res.steps_run <= 20).all())
    True
    """
    from verification.runtime.executor import Executor, LocalExecutor, default_jobs, get_executor

    configs = list(configs)
    chunks, members = phase_chunks(
        configs,
        steps=steps,
        chunk_size=chunk_size,
        eval_every=eval_every,
        threshold=threshold,
        gap=gap,
        early_stop=early_stop,
        device=device,
        keep_embeddings=keep_embeddings,
        snapshot_every=snapshot_every,
    )
    owned = not isinstance(executor, Executor)
    if executor is None:
        # every core busy on the CPU: chunks side by side (the trainer runs one batch per core)
        ex = LocalExecutor(jobs=default_jobs(chunks[0]["device"]) if chunks else 1)
    else:
        ex = get_executor(executor)
    try:
        outs = ex.map(run_phase_chunk, chunks, cache=cache, name=PHASE_CHUNK, progress=progress, desc=desc)
    finally:
        if owned:
            ex.close()
    K = len(configs)
    cols = {f: [None] * K for f in _FIELDS}
    embeddings = [None] * K if keep_embeddings else None
    snap_steps = [None] * K if snapshot_every is not None else None
    snaps = [None] * K if snapshot_every is not None else None
    for part, out in zip(members, outs):
        for r, k in enumerate(part):
            for f in _FIELDS:
                cols[f][k] = out[f][r]
            if keep_embeddings:
                embeddings[k] = np.asarray(out["embeddings"][r], dtype=np.float32)
            if snaps is not None:
                snap_steps[k] = np.asarray(out["snapshot_steps"][r], dtype=np.int64)
                snaps[k] = np.asarray(out["snapshots"][r], dtype=np.float32)
    ints = {f: np.asarray(cols[f], dtype=np.int64) for f in ("steps_to_train", "steps_to_test", "steps_run")}
    floats = {
        f: np.asarray([_float(x) for x in cols[f]])
        for f in ("train_acc", "test_acc", "full_acc", "final_loss")
    }
    return PhaseDiagramResult(
        configs=configs,
        phases=list(cols["phase"]),
        embeddings=embeddings,
        snapshot_steps=snap_steps,
        snapshots=snaps,
        **ints,
        **floats,
    )


def train_grid(
    configs,
    *,
    steps,
    eval_every=10,
    gap=1_000,
    early_stop=True,
    device=None,
    progress=False,
    executor=None,
    cache=None,
    chunk_size=None,
    desc="phase diagram",
    snapshot_every=None,
):
    """Train a grid of configs: one batched ensemble, or chunks through an executor and a cache.

    With neither ``executor`` nor ``cache`` (and no ``chunk_size``) this is one
    :func:`~verification.training.train_ensemble` call over the whole grid; otherwise
    :func:`run_phase_diagram` with ``chunk_size`` (default: the whole grid as one chunk, so the
    results equal the single call).  Both return objects with ``phases``, ``steps_to_train``,
    ``steps_to_test``, ``train_acc``, ``test_acc`` and ``full_acc`` in the order of ``configs``.

    Every chunking gives the same numbers as the single call (the trainer's arithmetic for a model
    does not depend on its batch; checked in ``tests/verification/test_sweeps.py``).  ``desc`` labels the
    progress bar over chunks; ``snapshot_every`` records embedding snapshots (``snapshot_steps``,
    ``snapshots`` of the result).
    """
    configs = list(configs)
    if executor is None and cache is None and chunk_size is None:
        from verification.training import train_ensemble

        return train_ensemble(
            configs,
            steps=steps,
            eval_every=eval_every,
            gap=gap,
            early_stop=early_stop,
            device=device,
            progress=progress,
            snapshot_every=snapshot_every,
        )
    return run_phase_diagram(
        configs,
        steps=steps,
        chunk_size=chunk_size or max(len(configs), 1),
        executor=executor,
        cache=cache,
        eval_every=eval_every,
        gap=gap,
        early_stop=early_stop,
        device=device,
        progress=progress,
        desc=desc,
        snapshot_every=snapshot_every,
    )


def train_points(
    points,
    *,
    steps,
    eval_every=10,
    gap=1_000,
    early_stop=True,
    device=None,
    progress=False,
    executor=None,
    cache=None,
    chunk_size=None,
    desc="phase diagram",
    snapshot_every=None,
) -> list[dict]:
    """Train the runs of several design points at once; the results regrouped per point.

    The shared experiment loop of Figures 5 to 8: a figure builds, for each point of its design
    (a grid cell, a learning-rate ratio, a decoder depth), the :class:`~verification.training.TrainConfig`
    of each of its seeds; all of them are trained in one :func:`train_grid` call (batched, or in
    cached chunks through an executor), and each point gets back its runs' outcomes in seed order.

    Parameters
    ----------
    points : sequence of sequence of TrainConfig
        The configs of each point.
    steps, eval_every, gap, early_stop, device, progress, executor, cache, chunk_size, desc :
        As in :func:`train_grid`.
    snapshot_every : int, optional
        Record embedding snapshots every ``snapshot_every`` steps (a multiple of ``eval_every``).

    Returns
    -------
    list of dict
        Per point: ``phase`` (list of str), ``steps_to_train``, ``steps_to_test``, ``steps_run``
        (lists of int), ``train_acc``, ``test_acc``, ``full_acc`` (lists of float); with
        ``snapshot_every`` also ``snapshot_steps`` (per run, a list of int) and ``snapshots``
        (per run, an ``(S, n, d)`` array).

    Examples
    --------
    >>> from verification.training import TrainConfig
    >>> pts = [[TrainConfig(n=6, eta_dec=10.0**a, seed=s) for s in (0, 1)] for a in (-3, -2)]
    >>> out = train_points(pts, steps=20)
    >>> [len(p["phase"]) for p in out]
    [2, 2]
    """
    points = [list(p) for p in points]
    if not points or any(not p for p in points):
        raise ValueError("points must be a non-empty list of non-empty lists of TrainConfig")
    res = train_grid(
        [cfg for p in points for cfg in p],
        steps=steps,
        eval_every=eval_every,
        gap=gap,
        early_stop=early_stop,
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
        desc=desc,
        snapshot_every=snapshot_every,
    )
    out, start = [], 0
    for p in points:
        sl = slice(start, start + len(p))
        start += len(p)
        out.append(
            {
                "phase": list(res.phases[sl]),
                "steps_to_train": [int(v) for v in res.steps_to_train[sl]],
                "steps_to_test": [int(v) for v in res.steps_to_test[sl]],
                "train_acc": [float(v) for v in res.train_acc[sl]],
                "test_acc": [float(v) for v in res.test_acc[sl]],
                "full_acc": [float(v) for v in res.full_acc[sl]],
                "steps_run": [int(v) for v in res.steps_run[sl]],
            }
        )
        if snapshot_every is not None:
            out[-1]["snapshot_steps"] = [np.asarray(v).tolist() for v in res.snapshot_steps[sl]]
            out[-1]["snapshots"] = [np.asarray(v) for v in res.snapshots[sl]]
    return out
