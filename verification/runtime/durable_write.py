"""Durable writes: a saved file is, after a crash or a power cut, either whole or as it was.

Every result the project saves (a cache entry, the archive of runs, a figure's CSV, the report)
goes through :func:`durable_open` or :func:`write_durably`, which

1. write to a temporary file in the destination's folder (so that the rename stays on one file
   system),
2. flush Python's buffer and ``fsync`` the file (its bytes are on the disk),
3. ``os.replace`` it over the destination (atomic: a reader sees the old file or the new one,
   never a half-written one),
4. ``fsync`` the folder (the rename itself is on the disk; without it a power cut can leave the
   old name or no name at all).

On any exception (a full disk, Ctrl-C) the temporary file is removed and the destination is left
as it was.  The new file gets the permissions an ordinary ``open(path, "w")`` would give
(``0o666`` less the umask), not ``mkstemp``'s private ``0o600``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["durable_open", "write_durably", "fsync_directory"]


def fsync_directory(folder) -> None:
    """``fsync`` the folder ``folder``, so that a rename or a new name in it is on the disk.

    A no-op where folders cannot be opened (Windows) or the file system refuses it.
    """
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems (and platforms) do not sync folders
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def durable_open(path, mode: str = "w", *, encoding: str | None = "utf-8", newline: str | None = None):
    """Open a temporary file that replaces ``path`` durably when the ``with`` block ends.

    Parameters
    ----------
    path : str or path-like
        The destination; its folder is created if needed.
    mode : {"w", "wb"}
        Text or binary.
    encoding, newline
        As for :func:`open` (text mode only).

    Yields
    ------
    file object
        Write to it; on leaving the block without an exception it is flushed, fsynced and renamed
        over ``path``, and the folder is fsynced.  On an exception the temporary file is removed
        and ``path`` is untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with durable_open(folder / "rows.csv", newline="") as fh:
    ...     _ = fh.write("a,b\\n1,2\\n")
    >>> (folder / "rows.csv").read_text()
    'a,b\\n1,2\\n'
    """
    if mode not in ("w", "wb"):
        raise ValueError(f"mode must be 'w' or 'wb', got {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        if mode == "wb":
            fh = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_directory(path.parent)


def write_durably(path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text or bytes) to ``path`` durably (see the module docstring); returns ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_durably(pathlib.Path(tempfile.mkdtemp()) / "r.json", '{"x": 1}')
    >>> p.read_text()
    '{"x": 1}'
    """
    binary = isinstance(data, bytes)
    with durable_open(path, "wb" if binary else "w", encoding=None if binary else encoding) as fh:
        fh.write(data)
    return Path(path)
