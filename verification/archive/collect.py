"""Adding the training chunks of a result cache to the archive (``geneft archive add``).

Every stored training chunk of a cache folder (namespace :data:`~verification.runs.RUN_CHUNK`) is
split into its runs, one record each (:mod:`verification.archive.records`), with the chunk's
provenance:

* ``date`` -- when the chunk was stored (its record's ``stored_at``; for a chunk stored before
  chunks kept records, the file's modification time, which the atomic write sets when the chunk
  finished);
* ``commit`` and ``host`` -- from the chunk's record (:func:`~verification.runtime.provenance.
  chunk_meta`); for a chunk stored without them, the commit given (else this checkout's) and the
  host running the command, so such caches are added on the machine that trained them (a chunk
  that a remote worker trained keeps an unknown host);
* ``geneft_version`` -- the package version whose cache key names the chunk's file (found by
  recomputing the key with this version; ``"unknown"`` when it differs);
* ``data_version`` -- the figure entry's, when the runs are added for one.

Runs already archived (the same :func:`~verification.archive.records.run_key`, in any file of the
archive) are skipped, so adding a cache twice, or a cache that shares runs with another, adds each
run once.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from effective_theory import __version__
from verification.archive.records import SUFFIX, append_records, read_archive, run_key
from verification.runs import CHUNK_FIELDS, RUN_CHUNK, chunk_runs
from verification.runtime.provenance import UNKNOWN, code_commit, host_info
from verification.runtime.result_cache import config_hash

__all__ = ["AddSummary", "add_cache", "UNKNOWN_HOST"]

#: the host of a chunk whose record says a remote worker computed it
UNKNOWN_HOST = {"cpu": UNKNOWN, "simd": UNKNOWN, "cores": 0, "torch": UNKNOWN, "numpy": UNKNOWN, "gpu": None}


@dataclass(frozen=True)
class AddSummary:
    """What :func:`add_cache` did: chunks read, runs added and runs skipped (already archived),
    and the archive file written to."""

    chunks: int
    added: int
    skipped: int
    path: Path


def _entries(cache_dir: Path):
    """``(path, stored entry)`` of every training chunk of the cache folder, in file-name order."""
    for path in sorted(cache_dir.glob(f"{RUN_CHUNK}-*.json")):
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not a readable cache entry ({exc})") from None
        if isinstance(entry, dict) and entry.get("name") == RUN_CHUNK:
            yield path, entry


def _provenance(path: Path, entry: dict, *, commit: str | None, data_version: int | None) -> dict:
    meta = entry.get("meta") if isinstance(entry.get("meta"), dict) else {}
    stored_key = path.stem.rsplit("-", 1)[-1]
    if "host" in meta:
        host = meta["host"] if isinstance(meta["host"], dict) else UNKNOWN_HOST
    else:
        host = host_info()
    mtime = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
    return {
        "chunk": stored_key,
        "commit": meta["commit"] if meta.get("commit", UNKNOWN) != UNKNOWN else (commit or code_commit()),
        "geneft_version": __version__ if config_hash(RUN_CHUNK, entry["config"]) == stored_key else UNKNOWN,
        "data_version": data_version,
        "date": meta.get("stored_at") or mtime.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "host": host,
    }


def _records(path: Path, entry: dict, provenance: dict) -> list[dict]:
    try:
        configs, schedule, device = chunk_runs(entry["config"])
        result = entry["result"]
        columns = [*CHUNK_FIELDS, *(f for f in ("embeddings", "snapshot_steps", "snapshots") if f in result)]
        if any(len(result[f]) != len(configs) for f in columns):
            raise ValueError("a result column's length differs from the number of configs")
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: not a training chunk ({type(exc).__name__}: {exc})") from None
    return [
        {"config": cfg, "schedule": schedule, "device": device, "provenance": provenance}
        | {f: result[f][k] for f in columns}
        for k, cfg in enumerate(configs)
    ]


def add_cache(
    cache_dir, archive_dir, *, name: str, commit: str | None = None, data_version: int | None = None
) -> AddSummary:
    """Append every training chunk of the cache folder ``cache_dir`` to ``archive_dir/NAME.jsonl.gz``.

    Parameters
    ----------
    cache_dir : path
        A result cache folder (``OUT/.cache`` of ``geneft reproduce``).
    archive_dir : path
        The archive folder (created if needed).
    name : str
        The archive file's name without ending: the figure entry and experiment seed
        (``fig6-full-seed0``).
    commit : str, optional
        The code commit that trained the chunks stored without one (default: this checkout's).
    data_version : int, optional
        The figure entry's data version, when the runs are added for one.

    Returns
    -------
    AddSummary
    """
    cache_dir, archive_dir = Path(cache_dir), Path(archive_dir)
    if not cache_dir.is_dir():
        raise ValueError(f"{cache_dir} is not a folder: give a result cache folder (such as OUT/.cache)")
    if not name or any(c in name for c in "/\\") or name.startswith("."):
        raise ValueError(f"the archive file name must be a plain name such as fig6-full-seed0, got {name!r}")
    seen = {run.key for run in read_archive(archive_dir)}
    new, chunks, skipped = [], 0, 0
    for path, entry in _entries(cache_dir):
        chunks += 1
        provenance = _provenance(path, entry, commit=commit, data_version=data_version)
        for record in _records(path, entry, provenance):
            key = run_key(record["config"], record["schedule"], record["device"])
            if key in seen:
                skipped += 1
                continue
            seen.add(key)
            new.append(record)
    target = archive_dir / f"{name}{SUFFIX}"
    added = append_records(target, new)
    return AddSummary(chunks=chunks, added=added, skipped=skipped, path=target)
