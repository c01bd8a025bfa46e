"""A process-wide request to stop training promptly (Ctrl-C).

SIGINT raises :class:`KeyboardInterrupt` in the main thread only; batches training in worker
threads would go on to the end of their schedule, and the process would wait for them on exit.
Whoever catches the interrupt in the main thread calls :func:`request_stop`; every training batch
checks :func:`stop_requested` between steps and raises :class:`KeyboardInterrupt` in its own
thread, so the whole computation unwinds within a step.  Chunks finished before the interrupt
are already in the cache (they are stored one by one as they finish).
"""

from __future__ import annotations

import threading

__all__ = ["check_stop", "clear_stop", "request_stop", "stop_requested"]

_STOP = threading.Event()


def request_stop() -> bool:
    """Ask every training batch to stop; ``True`` if this call made the request (not a prior one)."""
    first = not _STOP.is_set()
    _STOP.set()
    return first


def stop_requested() -> bool:
    """Whether a stop has been requested and not cleared.

    >>> stop_requested()
    False
    """
    return _STOP.is_set()


def clear_stop() -> None:
    """Withdraw the request, once the computation it stopped has unwound."""
    _STOP.clear()


def check_stop() -> None:
    """Raise :class:`KeyboardInterrupt` when a stop has been requested (called between steps)."""
    if _STOP.is_set():
        raise KeyboardInterrupt("training stopped on request")
