"""Progress that fits where it goes: a bar on a terminal, plain lines in a log.

:func:`progress` is the one progress report of the toolkit (chunks of a sweep, training steps,
Figure 2's points).  On a terminal it is a tqdm bar, redrawn in place; anywhere else (a log file,
CI, a pipe) a bar's carriage returns would fill the log with redrawn lines, so it writes one
plain line per finished unit, with the elapsed time and an estimate of the time left:

.. code-block:: text

    figure 7 runs: 3/8 chunks (38%), 2 min 05 s elapsed, ETA 3 min 28 s

``every`` throttles the lines of fine-grained units (training steps): a line at most every
``every`` seconds, and always the last one.  The estimate assumes the units left take as long as
the units done in this run (units loaded from the cache, ``initial``, do not count).

Examples
--------
>>> import io
>>> log = io.StringIO()
>>> with progress(4, desc="sweep", unit="chunk", file=log) as bar:
...     bar.update(1)
>>> log.getvalue().startswith("sweep: 1/4 chunks (25%), ")
True
>>> "\\r" in log.getvalue()
False
"""

from __future__ import annotations

import math
import sys
import threading
import time

__all__ = ["progress", "LineProgress", "is_terminal", "duration"]


def is_terminal(stream) -> bool:
    """Whether ``stream`` is a terminal (where a bar can redraw itself in place)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed, or not a file
        return False


def duration(seconds: float | None) -> str:
    """Seconds as a log reads them: ``4.2 s``, ``42 s``, ``3 min 05 s``, ``1 h 02 min``; ``?``
    when unknown.

    Examples
    --------
    >>> duration(4.2), duration(42.4), duration(185), duration(3720), duration(None)
    ('4.2 s', '42 s', '3 min 05 s', '1 h 02 min', '?')
    """
    if seconds is None or not math.isfinite(seconds):
        return "?"
    if seconds < 9.95:
        return f"{max(seconds, 0.0):.1f} s"
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class LineProgress:
    """A progress report in plain lines: one per update (at most one every ``every`` seconds),
    each with the count, the elapsed time and an estimate of the time left.

    The same interface as the part of a tqdm bar the toolkit uses (``update``, ``close``, a
    context manager); updates from several threads are safe.
    """

    def __init__(self, total, *, desc, unit="unit", initial=0, every=0.0, file=None, clock=time.monotonic):
        self.total = int(total)
        self.n = int(initial)
        self.desc, self.unit, self.every = desc, unit, float(every)
        self._file = sys.stderr if file is None else file
        self._clock = clock
        self._start, self._start_n = clock(), self.n
        self._last = None  # when the last line was written
        self._lock = threading.Lock()

    def update(self, n=1) -> None:
        with self._lock:
            self.n += n
            now = self._clock()
            since = now - (self._start if self._last is None else self._last)
            if self.n >= self.total or since >= self.every:
                self._write(now)

    def line(self, now: float | None = None) -> str:
        """The line that describes the progress at ``now`` (default: the clock's time)."""
        now = self._clock() if now is None else now
        elapsed = now - self._start
        done = self.n - self._start_n
        left = max(self.total - self.n, 0)
        eta = 0.0 if left == 0 else (elapsed / done * left if done > 0 and elapsed > 0 else None)
        share = f" ({100 * self.n / self.total:.0f}%)" if self.total else ""
        return (
            f"{self.desc}: {self.n}/{self.total} {self.unit}s{share}, {duration(elapsed)} elapsed, "
            f"ETA {duration(eta)}"
        )

    def _write(self, now) -> None:
        try:
            print(self.line(now), file=self._file, flush=True)
        except ValueError:  # the log was closed under us: progress is not worth an error
            pass
        self._last = now

    def close(self) -> None:
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def progress(total, *, desc, unit="unit", initial=0, every=0.0, file=None):
    """A progress report on ``file`` (default stderr): a tqdm bar on a terminal, else a
    :class:`LineProgress` (one plain line per update, at most one every ``every`` seconds).

    Parameters
    ----------
    total : int
        Units of work.
    desc : str
        What is counted (the line's or the bar's label).
    unit : str
        The name of one unit (``"chunk"``, ``"step"``); a line says ``3/8 chunks``.
    initial : int
        Units already done (loaded from the cache): counted, not timed.
    every : float
        Seconds between lines in a log, at least (0: a line per update).
    file : text stream, optional
    """
    file = sys.stderr if file is None else file
    if is_terminal(file):
        # imported here: tqdm.auto takes 40 ms to import (measured), which a command that shows
        # no progress bar does not need
        from tqdm.auto import tqdm

        return tqdm(total=total, initial=initial, desc=desc, unit=unit, leave=False, file=file)
    return LineProgress(total, desc=desc, unit=unit, initial=initial, every=every, file=file)
