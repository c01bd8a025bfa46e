"""The archive as a read-only layer of the result cache: training chunks rebuilt from archived runs.

A training chunk (namespace :data:`~verification.runs.RUN_CHUNK`, configuration
:func:`~verification.runs.chunk_configs`) that is not in the cache folder is rebuilt from the
archive when *every* run of it is archived under the chunk's exact
:class:`~verification.train_config.TrainConfig`, :class:`~verification.train_config.Schedule` and
device (:func:`~verification.archive.records.run_key`): the result is the one
:func:`~verification.runs.train_chunk` returned when the runs trained, value for value (the
records keep the stored JSON numbers, and a run's numbers do not depend on the chunk it trained
in: :mod:`verification.training`), and nothing trains.  Figure-level entries are then computed
from the chunks as usual.

Matching is by configuration only, never by closeness: a chunk with one run that the archive
lacks -- a new setting, a changed tier, an archive made for another configuration (*stale*) --
is not served at all, so it trains (``missing="train"``) or is reported as missing
(``missing="error"``, :class:`MissingFromArchive`); archived and trained runs of different
configurations are never mixed.  The trainer's arithmetic is not part of the match (as in the
cache, whose key holds only the package version); ``geneft verify-archive`` checks that the
archive still agrees with the code.

Examples
--------
>>> import tempfile
>>> from verification.runtime.result_cache import ResultCache
>>> layer = ArchiveLayer(tempfile.mkdtemp())   # an empty archive serves nothing
>>> cache = ResultCache(tempfile.mkdtemp(), layer=layer)
>>> cache.load("phase-chunk", {"configs": [], "steps": 10}) is None
True
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

#: the cache namespace of training chunks (:data:`verification.runs.RUN_CHUNK`, which imports torch)
_RUN_CHUNK = "phase-chunk"

__all__ = ["DEFAULT_ARCHIVE", "MISSING", "ArchiveLayer", "MissingFromArchive", "display_path", "served_note"]

#: the archive shipped with the code: the folder ``archive/`` of the repository (found from this
#: file, as the README's editable install leaves it; an installed copy elsewhere has none there and
#: is given its archive with ``--archive DIR``)
DEFAULT_ARCHIVE = Path(__file__).resolve().parents[2] / "archive"

#: what a chunk the archive cannot serve does: train, or raise :class:`MissingFromArchive`
MISSING = ("train", "error")


class MissingFromArchive(ValueError):
    """A training chunk is neither in the cache nor (every run of it) in the archive, and the
    layer was told not to let it train (``missing="error"``)."""


def _describe(run_configs, schedule) -> str:
    c = run_configs[0]
    return (
        f"{len(run_configs)} run(s), the first {c.relation} n={c.n} eta_enc={c.eta_enc:g} "
        f"eta_dec={c.eta_dec:g} init={c.init} {c.optimizer} seed={c.seed}, {schedule.steps} steps"
    )


def display_path(path: Path) -> str:
    """``path`` as a message names it: relative to the working directory when inside it (a report
    made in the repository says ``archive``, the same on every machine), else as given."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class ArchiveLayer:
    """Serves training chunks of the result cache from the archive folder ``root``.

    Parameters
    ----------
    root : path
        The archive folder (its ``*.jsonl.gz`` files are read, and checked, on the first chunk
        looked up).  A folder that does not exist is an empty archive.
    missing : {"train", "error"}
        A chunk not fully archived under its exact configuration: ``None`` (the cache computes
        it), or a :class:`MissingFromArchive` naming it (nothing trains).

    Attributes
    ----------
    served_runs : list of ArchivedRun
        Every archived run served so far, in order (a run served twice appears twice).

    Notes
    -----
    Making a layer reads nothing and imports no torch (the command line makes one for every
    figure, Table II's included); the archive is read on the first training chunk looked up.
    """

    def __init__(self, root, *, missing: str = "train"):
        if missing not in MISSING:
            raise ValueError(f"missing must be one of {', '.join(MISSING)}, got {missing!r}")
        self.root = Path(root)
        self.missing = missing
        self.served_runs: list = []
        self._index: dict | None = None

    def __repr__(self):
        return f"ArchiveLayer({str(self.root)!r}, missing={self.missing!r})"

    @property
    def index(self) -> dict:
        """``{run_key: ArchivedRun}`` of every archived run (the first record of a key wins)."""
        if self._index is None:
            # imported here: the records import the training configuration, and so torch (1.1 s,
            # measured), which a cache that serves only figures that train nothing never needs
            from verification.archive.records import read_archive

            index: dict = {}
            for run in read_archive(self.root):
                index.setdefault(run.key, run)
            self._index = index
        return self._index

    def load(self, name: str, config):
        """The result of the chunk ``config`` rebuilt from archived runs, or ``None`` when this
        namespace is not one of training chunks or a run of the chunk is not archived."""
        if name != _RUN_CHUNK or not isinstance(config, dict) or not config.get("configs"):
            return None
        # imported here: torch, 1.1 s (measured); a training chunk has imported it already
        from verification.archive.records import RESULT_FIELDS, run_key
        from verification.runs import chunk_runs

        run_configs, schedule, device = chunk_runs(config)
        runs = [self.index.get(run_key(c, schedule, device)) for c in run_configs]
        if any(r is None for r in runs):
            if self.missing == "error":
                absent = sum(r is None for r in runs)
                raise MissingFromArchive(
                    f"a training chunk is neither cached nor archived ({absent} of "
                    f"{_describe(run_configs, schedule)}) in {display_path(self.root)}; "
                    "without --archive-only it trains"
                )
            return None
        result = {f: [r.results[f] for r in runs] for f in RESULT_FIELDS}
        if schedule.keep_embeddings:
            result["embeddings"] = [r.results["embeddings"] for r in runs]
        if schedule.snapshot_every is not None:
            result["snapshot_steps"] = [r.results["snapshot_steps"] for r in runs]
            result["snapshots"] = [r.results["snapshots"] for r in runs]
        self.served_runs += runs
        return result


def served_note(runs) -> str:
    """One sentence saying which archived runs were used: how many, from which files, code
    commits and hosts.

    Examples
    --------
    >>> served_note([])
    ''
    """
    if not runs:
        return ""
    files = Counter(r.where.rsplit(":", 1)[0] for r in runs)
    commits = Counter(r.provenance["commit"][:7] for r in runs)
    hosts = Counter(
        f"{h['cpu']}, {h['simd']}, {h['cores']} cores, torch {h['torch']}, {r.device}"
        + (f" {h['gpu']}" if r.device.startswith("cuda") and h.get("gpu") else "")
        for r in runs
        for h in [r.provenance["host"]]
    )

    def listed(counter):
        return "; ".join(f"{k} ({v})" if len(counter) > 1 else k for k, v in counter.items())

    return (
        f"Rebuilt from the archive without training: {len(runs)} runs (files {listed(files)}; "
        f"code commit {listed(commits)}; host {listed(hosts)})."
    )
