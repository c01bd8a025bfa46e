"""The quick and full tiers of the verification figures, computed once and cached.

``pytest verification/`` (``--full`` for the paper's scale) and ``geneft reproduce``
(``--quick`` / ``--full``) check the same predictions on the same data: each figure module
declares its settings (``CHECK_QUICK``, ``CHECK_FULL``) and its verdicts (``evaluate``), and
:func:`figure_data` computes a tier's data through the on-disk result cache
(:class:`verification.runtime.result_cache.ResultCache`) under one key.  A full-tier run of either
command therefore reuses what the other finished, and an interrupted run loses at most the
chunk in progress: at the full tier on the CPU the models train in chunks of
:data:`FULL_CPU_CHUNK`, each stored as soon as it is done.

Examples
--------
>>> sorted(FIGURES)
['fig3', 'fig5', 'fig6', 'fig7', 'fig8']
>>> tier_settings("fig7", "full")["steps"]
100000
"""

from __future__ import annotations

import importlib

__all__ = ["FIGURES", "FULL_CPU_CHUNK", "figure_data", "tier_settings"]

#: figure -> (module, data function); each module has CHECK_QUICK, CHECK_FULL, evaluate and plot
FIGURES = {
    "fig3": ("verification.figures.figure3", "figure3_data"),
    "fig5": ("verification.figures.figure5", "figure5_data"),
    "fig6": ("verification.figures.figure6", "figure6_data"),
    "fig7": ("verification.figures.figure7", "goldilocks_data"),
    "fig8": ("verification.figures.figure8", "figure8_data"),
}

#: configs per cached chunk at the full tier on the CPU (the numbers do not depend on it): two of
#: the CPU trainer's batches of 8, one per core, and at most about 15 minutes of work per chunk
FULL_CPU_CHUNK = 16

SCALES = ("quick", "full")


def _module(fig: str):
    if fig not in FIGURES:
        raise ValueError(f"unknown figure {fig!r}; choose one of {', '.join(FIGURES)}")
    name, fn = FIGURES[fig]
    module = importlib.import_module(name)
    return module, getattr(module, fn)


def _settings(module, scale: str, seed: int) -> dict:
    if scale not in SCALES:
        raise ValueError(f"scale must be 'quick' or 'full', got {scale!r}")
    settings = dict(module.CHECK_QUICK if scale == "quick" else module.CHECK_FULL)
    settings["seed"] = settings.get("seed", 0) + int(seed)
    return settings


def tier_settings(fig: str, scale: str, *, seed: int = 0) -> dict:
    """The keyword arguments of ``fig``'s data function at ``scale`` (``seed`` added to its seed)."""
    return _settings(_module(fig)[0], scale, seed)


def figure_data(
    fig: str,
    scale: str = "quick",
    *,
    device: str | None = "cpu",
    seed: int = 0,
    cache=None,
    progress: bool = False,
    executor=None,
    chunk_size: int | None = None,
) -> dict:
    """The data of figure ``fig`` at ``scale``, from ``cache`` when it holds them.

    Parameters
    ----------
    fig : {"fig3", "fig5", "fig6", "fig7", "fig8"}
    scale : {"quick", "full"}
        The settings ``CHECK_QUICK`` or ``CHECK_FULL`` of the figure's module.
    device : str or None
        ``"cpu"`` or ``"cuda"``; ``None``: CUDA when available.  Part of the cache key.
    seed : int
        Added to the tier's experiment seed.
    cache : ResultCache, optional
        Where finished results (the figure's data, and its chunks) are stored and found.
    progress : bool
        Progress bars (on stderr).
    executor : Executor, optional
        Trains the chunks (e.g. on a Ray cluster); implies chunked training.
    chunk_size : int, optional
        Configs per chunk.  Default: none (one batched ensemble), except at the full tier on the
        CPU with a cache, where it is :data:`FULL_CPU_CHUNK` so that finished chunks are kept.

    Returns
    -------
    dict
        The data function's JSON-ready result, as ``evaluate`` and ``plot`` take it.
    """
    from verification.training import resolve_device

    module, data_fn = _module(fig)
    settings = _settings(module, scale, seed)
    device = resolve_device(device).type
    if chunk_size is None and scale == "full" and device == "cpu" and cache is not None:
        chunk_size = FULL_CPU_CHUNK
    kw, key = {}, {}
    if executor is not None or chunk_size is not None:
        kw = {"executor": executor, "cache": cache, "chunk_size": chunk_size}
        key = {"chunk_size": chunk_size}

    def compute():
        return data_fn(**settings, device=device, progress=progress, **kw)

    if cache is None:
        return compute()
    return cache.get_or_compute(fig, {"settings": settings, "device": device, **key}, compute)
