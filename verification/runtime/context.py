"""How an experiment runs: one object instead of the same five keywords threaded by hand.

A :class:`RunContext` says where networks train (``device``), who trains their chunks
(``executor``), where finished results are kept (``cache``), how many configurations a cached chunk
holds (``chunk_size``), whether progress is shown, and at which tier of the registry the experiment
runs.  None of it changes a number: the trainer's arithmetic for a model does not depend on its
batch, chunk, executor or device placement (:mod:`verification.training`), so a context only
decides how the work is spread and kept.

Examples
--------
>>> RunContext().chunked, RunContext(chunk_size=16).chunked
(False, True)
>>> RunContext(progress=True).replace(progress=False).progress
False
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

__all__ = ["RunContext"]


@dataclass(frozen=True)
class RunContext:
    """Where and how experiments run; nothing here changes what they compute.

    Parameters
    ----------
    device : str or None
        Torch device of the training (``"cpu"``, ``"cuda"``); ``None``: CUDA when available.
    executor : str or Executor, optional
        Trains chunks of configurations (``"local"``, ``"ray"`` or an executor of
        :func:`verification.runtime.get_executor`); implies chunked training.
    cache : ResultCache, optional
        Finished chunks are loaded from and stored in it.
    chunk_size : int, optional
        Configurations per cached chunk (part of a chunk's cache key).  Default: the whole set of
        configurations as one chunk when chunked, else one batched ensemble in this process.
    progress : bool
        Progress reports on stderr (a bar on a terminal).
    tier : {"quick", "full"} or None
        The registry tier being run, when there is one.
    """

    device: str | None = "cpu"
    executor: Any = None
    cache: Any = None
    chunk_size: int | None = None
    progress: bool = False
    tier: str | None = None

    def __post_init__(self):
        if self.device is not None and not isinstance(self.device, str):
            raise TypeError(
                f"device must be a string such as 'cpu' or 'cuda', got {type(self.device).__name__}"
            )
        if self.chunk_size is not None and (
            isinstance(self.chunk_size, bool) or not isinstance(self.chunk_size, int) or self.chunk_size < 1
        ):
            raise ValueError(f"chunk_size must be a positive integer, got {self.chunk_size!r}")
        if self.tier not in (None, "quick", "full"):
            raise ValueError(f"tier must be 'quick', 'full' or None, got {self.tier!r}")

    @property
    def chunked(self) -> bool:
        """True when training goes through chunks (an executor, a cache or a chunk size is set)."""
        return self.executor is not None or self.cache is not None or self.chunk_size is not None

    def replace(self, **changes) -> RunContext:
        """A copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)
