"""On-disk cache of finished results, keyed by a hash of their full configuration.

Every long computation of ``geneft reproduce`` (a figure's data, one chunk of
a sweep) is stored as one JSON file named by the SHA-256 of its canonical
configuration.  Files are written atomically (temporary file, then
``os.replace``), so an interrupted run never leaves a half-written result, and
a rerun with the same settings recomputes nothing.

Each entry proves what it is: it stores its ``name``, its full ``config`` and a ``checksum``, the
SHA-256 of the canonical JSON of name, config and result (:func:`entry_checksum`).  On load the
checksum is recomputed and the stored configuration is hashed again and compared with the key the
file is filed under, so an edited number, a NaN written in, one entry copied over another's name
or valid JSON of the wrong shape is never used: the entry is treated as missing (one warning line
on stderr names the file, and it is recomputed and overwritten), or, with ``strict=True``, a
one-line :class:`ValueError` names it.  Entries written before checksums (no ``checksum`` field)
are still read, after the same name, configuration and shape checks; they carry no checksum, so an
edit to their result cannot be detected (``fresh=True`` rewrites them with one).  Writes are
durable (:mod:`~verification.runtime.durable_write`): the temporary file is flushed and fsynced
before the rename, and the folder after it.

Under the folder there may be a read-only *layer*: any object with ``load(name, config)`` that
returns a stored result or ``None`` (the archive of runs shipped with the code,
:class:`verification.archive.ArchiveLayer`, which rebuilds training chunks from archived runs).  An
entry missing from the folder is looked up there before it is computed; what the layer serves is
not copied into the folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from effective_theory import __version__
from verification.runtime.durable_write import durable_open

__all__ = ["ResultCache", "config_hash", "entry_checksum", "to_jsonable"]


def to_jsonable(obj: Any) -> Any:
    """Convert numpy scalars/arrays, dataclasses, tuples and paths to plain JSON types.

    Non-finite floats stay floats: they are stored as Python's JSON extension
    ``NaN`` / ``Infinity`` and read back as floats, so a result loaded from the
    cache equals the one computed (a string ``"nan"`` would break arithmetic
    and formatting on a rerun).
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, (np.integer, int)):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        return float(obj)
    if isinstance(obj, Path):
        return str(obj)
    if obj is None or isinstance(obj, str):
        return obj
    raise TypeError(f"cannot store {type(obj).__name__} in the result cache")


def config_hash(name: str, config: Any) -> str:
    """SHA-256 (hex, 16 characters) of ``name`` and the canonical JSON of ``config``."""
    payload = json.dumps(
        {"name": name, "config": to_jsonable(config), "version": __version__},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def entry_checksum(name: str, config: Any, result: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of a cache entry's ``name``, ``config`` and ``result``.

    Canonical: keys sorted, no spaces, non-finite floats as ``NaN`` / ``Infinity``; a float is
    written by its shortest round-tripping repr, so an entry read back hashes as it was written.
    """
    payload = json.dumps(
        {"name": name, "config": to_jsonable(config), "result": to_jsonable(result)},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _entry_problem(data: Any, name: str, config: Any) -> str | None:
    """Why the loaded JSON ``data`` is not a valid entry for ``(name, config)``, or ``None``."""
    if not isinstance(data, dict) or not {"name", "config", "result"} <= data.keys():
        return "not a cache entry (wrong shape: needs name, config and result)"
    if data["name"] != name or config_hash(data["name"], data["config"]) != config_hash(name, config):
        return "its stored configuration is not the one it is filed under (a swapped or copied file)"
    checksum = data.get("checksum")
    if checksum is None:
        return None  # written before checksums: accepted (see the module docstring)
    if checksum != entry_checksum(data["name"], data["config"], data["result"]):
        return "its checksum does not match its content (edited or corrupted)"
    return None


class ResultCache:
    """A folder of JSON results keyed by configuration hash.

    Parameters
    ----------
    root : path
        Folder for the cache files (created if needed).
    fresh : bool
        Ignore (and overwrite) existing entries, and the layer.
    strict : bool
        An invalid entry (wrong checksum, configuration or shape) raises a one-line
        :class:`ValueError` naming the file, instead of a warning and recomputation.
    layer : object, optional
        A read-only layer (``layer.load(name, config)`` -> result or ``None``) consulted for an
        entry that is not in the folder; :attr:`served` counts what it served.

    Examples
    --------
    >>> import tempfile
    >>> cache = ResultCache(tempfile.mkdtemp())
    >>> calls = []
    >>> f = lambda: calls.append(1) or {"x": 1}
    >>> cache.get_or_compute("demo", {"a": 1}, f), cache.get_or_compute("demo", {"a": 1}, f)
    ({'x': 1}, {'x': 1})
    >>> len(calls)  # the second call came from disk
    1
    """

    def __init__(self, root, *, fresh: bool = False, layer=None, strict: bool = False):
        self.root = Path(root)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OSError(f"cannot create cache folder {self.root}: {exc.strerror or exc}") from exc
        if not os.access(self.root, os.W_OK):
            raise OSError(f"cache folder {self.root} is not writable")
        if layer is not None and not callable(getattr(layer, "load", None)):
            raise TypeError(f"layer must have a load(name, config) method, got {type(layer).__name__}")
        self.fresh = fresh
        self.strict = strict
        self.layer = layer
        #: files found invalid by :meth:`load` (treated as missing, or refused when ``strict``)
        self.rejected: list[Path] = []
        self.hits = 0
        self.misses = 0
        #: entries served by the layer (also counted in :attr:`hits` by the callers that count hits)
        self.served = 0

    def path(self, name: str, config: Any) -> Path:
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        return self.root / f"{safe}-{config_hash(name, config)}.json"

    def load(self, name: str, config: Any):
        """The stored result (from the folder, else from the layer), or ``None`` if absent (or
        ``fresh``).

        An entry that fails its checks (see the module docstring) counts as absent, after one
        warning line on stderr naming the file; with ``strict`` it raises :class:`ValueError`.
        """
        if self.fresh:
            return None
        p = self.path(name, config)
        if p.exists():
            try:
                with open(p) as fh:
                    data = json.load(fh)
                problem = _entry_problem(data, name, config)
            except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
                problem = f"unreadable ({type(exc).__name__})"
            if problem is None:
                return data["result"]
            self._reject(p, problem)
        if self.layer is None:
            return None
        hit = self.layer.load(name, config)
        if hit is not None:
            self.served += 1
        return hit

    def _reject(self, path: Path, problem: str) -> None:
        """Refuse the entry at ``path``: a one-line error when strict, else a one-line warning."""
        self.rejected.append(path)
        if self.strict:
            raise ValueError(f"invalid cache entry {path}: {problem}")
        print(f"warning: ignoring cache entry {path}: {problem}; recomputing it", file=sys.stderr)

    def record(self, name: str, config: Any) -> dict | None:
        """How the stored result for ``(name, config)`` was made, or ``None``.

        A dict with ``seconds`` (wall time of the computation that stored it), ``loaded`` and
        ``computed`` (the cache entries it found already stored and the ones it computed itself,
        e.g. the chunks of a sweep; an interrupted run's chunks count as loaded when a later run
        finishes the result) and ``stored_at`` (UTC, ISO 8601).  ``None`` when there is no entry
        or it was stored without a record (by :meth:`store` alone, or by a version before records).
        """
        try:
            with open(self.path(name, config)) as fh:
                meta = json.load(fh).get("meta")
        except (OSError, ValueError, AttributeError):  # no entry, unreadable, or not a dict
            return None
        return meta if isinstance(meta, dict) else None

    def store(self, name: str, config: Any, result: Any, *, meta: dict | None = None) -> Any:
        """Atomically write ``result``; returns its JSON form (what a later load returns).

        ``meta`` (optional) is kept beside the result and read back by :meth:`record`; it is not
        part of the key or of the result.
        """
        p = self.path(name, config)
        data = {"name": name, "config": to_jsonable(config), "result": to_jsonable(result)}
        data["checksum"] = entry_checksum(name, data["config"], data["result"])
        if meta is not None:
            data["meta"] = to_jsonable(meta)
        with durable_open(p) as fh:
            json.dump(data, fh)
        return data["result"]

    def get_or_compute(self, name: str, config: Any, compute: Callable[[], Any]) -> Any:
        """Load the result for ``(name, config)`` or compute, store and return it.

        A computed result is stored with its :meth:`record`: how long ``compute`` took and how many
        cache entries it loaded and computed on the way (the chunks of a sweep).
        """
        hit = self.load(name, config)
        if hit is not None:
            self.hits += 1
            return hit
        self.misses += 1
        hits, misses, t0 = self.hits, self.misses, time.perf_counter()
        result = compute()
        meta = {
            "seconds": time.perf_counter() - t0,
            "loaded": self.hits - hits,
            "computed": self.misses - misses,
            "stored_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        return self.store(name, config, result, meta=meta)

    def map(
        self,
        name: str,
        configs: Iterable[Any],
        compute: Callable[[Any], Any],
        *,
        progress: bool = True,
        desc: str | None = None,
    ) -> list:
        """Compute each chunk of a sweep through the cache, with a progress bar.

        Finished chunks are stored one by one, so an interrupted sweep resumes
        where it stopped.
        """
        configs = list(configs)
        out = []
        for cfg in tqdm(configs, desc=desc or name, disable=not progress, leave=False):
            out.append(self.get_or_compute(name, cfg, lambda cfg=cfg: compute(cfg)))
        return out
