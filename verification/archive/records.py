"""The archive's file format: one record per trained run, JSON Lines compressed with gzip.

An archive is a folder of files ``NAME.jsonl.gz`` (one per figure entry and experiment seed, e.g.
``fig6-full-seed0.jsonl.gz``, the runs of ``geneft reproduce --full --only fig6 --seed 0``).  Each
line of a file is one JSON object, a trained run:

* ``format`` -- the format version, :data:`FORMAT`;
* ``sha256`` -- the record's content hash (:func:`record_hash`): the SHA-256 of the canonical
  JSON (sorted keys, no spaces) of every other field;
* ``config`` -- the run's full :class:`~verification.train_config.TrainConfig` (every field,
  ``model`` nested);
* ``schedule`` -- the chunk's :class:`~verification.train_config.Schedule` (every field);
* ``device`` -- the torch device type it trained on (``"cpu"``, ``"cuda"``);
* ``phase`` -- its Table IV phase (:data:`~verification.phases.PHASES`);
* ``steps_to_train``, ``steps_to_test`` -- the first evaluated step with train (test) accuracy
  above the threshold, -1 if never; ``steps_run`` -- the steps run (early stopping);
* ``train_acc``, ``test_acc``, ``full_acc``, ``final_loss`` -- the final accuracies on the
  training pairs, the test pairs and all pairs, and the final training loss (float32 values,
  written exactly; a non-finite value is the string ``"NaN"``, ``"Infinity"`` or
  ``"-Infinity"``, so that every line is strict JSON);
* ``provenance`` -- of the chunk the run trained in: ``chunk`` (its cache key), ``commit`` (the
  git commit of the code, or ``"unknown"``), ``geneft_version`` (the version that keyed its
  cache entry, or ``"unknown"``), ``data_version`` (the figure entry's, or ``null``), ``date``
  (UTC, ISO 8601) and ``host`` (:func:`~verification.runtime.provenance.host_info`: ``cpu``,
  ``simd``, ``cores``, ``torch``, ``numpy``, ``gpu``);
* ``embeddings``, ``snapshot_steps``, ``snapshots`` -- only when the chunk's schedule kept them:
  the final embeddings ``(n, d)``, and the steps and embeddings ``(S, n, d)`` of
  ``snapshot_every``.

Why this format: JSON Lines is text any language reads line by line (plain Python:
``gzip.open`` and ``json.loads``; a pandas table: ``pandas.json_normalize`` of the parsed lines,
one column per nested field); one self-describing record per run keeps every
run's configuration beside its outcome, so a run can be matched, retrained or filtered alone;
gzip (standard library, no new dependency) shrinks the repeated field names and configurations
seventeenfold; and a file grows by appending a gzip member (concatenated members are one valid
gzip stream), so adding runs never rewrites the older ones' bytes (files are written with a zero
gzip timestamp, so the same runs give the same bytes).  One file per figure entry and experiment
seed, rather than one per figure or one in all: a figure's runs are read, replaced or diffed
alone, a rerun of one entry touches one file, and a second seed is a file of its own.

Size, measured on the 91 finished runs of Figure 6's full tier (``archive/fig6-full-seed0``):
5,071 bytes, 56 bytes per run compressed (950 bytes per record uncompressed).  At that rate the
full tiers' runs without snapshots (about 4,000) take about 0.2 MB.  Snapshots are kept when the
chunk kept them (the cache serves such a chunk only with them) and dominate where they exist:
about 9.5 bytes per float compressed (measured: float32 values written as shortest decimal
strings compress poorly), so Figure 6b's full tier (672 runs of 41 embeddings of 30 x 2 floats)
takes 22.6 kB per run, 15.2 MB (measured: ``archive/fig6b-full-seed0``).  The content hash
adds 32 bytes of entropy (64 hex digits, which do not compress) to every record.

Every record is checked on load (:func:`read_archive_file`): its shape (a missing or mistyped
field) and its content hash, so that an edited number, a record copied from elsewhere or a line
cut short is never used.  Each record that fails is one warning line on stderr naming the file,
the line and the problem; then the file is refused as a whole (one ``ValueError``,
:class:`ArchiveIntegrityError`), so nothing is reported from an archive that is not what was
written.  Files of format 1 (written before the hash) are refused with the command that converts
them, ``geneft archive migrate FILE`` (:func:`migrate_archive_file`).

Examples
--------
>>> import tempfile
>>> from verification.train_config import Schedule, TrainConfig
>>> rec = {"config": TrainConfig(n=6), "schedule": Schedule(steps=50), "device": "cpu",
...        "phase": "confusion", "steps_to_train": -1, "steps_to_test": -1, "steps_run": 50,
...        "train_acc": 0.5, "test_acc": float("nan"), "full_acc": 0.5, "final_loss": 0.69,
...        "provenance": {"chunk": "0" * 16, "commit": "unknown", "geneft_version": "0.1.0",
...                       "data_version": None, "date": "2026-12-07T04:52:01Z",
...                       "host": {"cpu": "X", "simd": "avx2", "cores": 2, "torch": "2.3",
...                                "numpy": "2.0", "gpu": None}}}
>>> path = Path(tempfile.mkdtemp()) / "demo.jsonl.gz"
>>> append_records(path, [rec, rec])
2
>>> runs = read_archive_file(path)
>>> [r.where for r in runs], runs[0].config.n, runs[0].results["test_acc"]
(['demo.jsonl.gz:1', 'demo.jsonl.gz:2'], 6, nan)
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import math
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verification.model import ModelConfig
from verification.phases import PHASES
from verification.runtime.durable_write import write_durably
from verification.runtime.result_cache import to_jsonable
from verification.train_config import Schedule, TrainConfig

__all__ = [
    "FORMAT",
    "SUFFIX",
    "RESULT_FIELDS",
    "ArchivedRun",
    "run_key",
    "append_records",
    "read_archive_file",
    "read_archive",
    "record_hash",
    "migrate_archive_file",
    "ArchiveIntegrityError",
]

#: version of the record layout (a reader refuses another; format 1, without ``sha256``, is
#: converted by :func:`migrate_archive_file`)
FORMAT = 2
#: file name ending of an archive file
SUFFIX = ".jsonl.gz"
#: the per-run outcomes of a record, in the order of a chunk's result
RESULT_FIELDS = (
    "steps_to_train",
    "steps_to_test",
    "steps_run",
    "train_acc",
    "test_acc",
    "full_acc",
    "final_loss",
    "phase",
)
#: outcomes kept only when the chunk's schedule kept them
OPTIONAL_FIELDS = ("embeddings", "snapshot_steps", "snapshots")

_INTS = ("steps_to_train", "steps_to_test", "steps_run")
_FLOATS = ("train_acc", "test_acc", "full_acc", "final_loss")
_NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_HOST = {"cpu": "str", "simd": "str", "cores": "int", "torch": "str", "numpy": "str", "gpu": "str | None"}
_PROVENANCE = {
    "chunk": "str",
    "commit": "str",
    "geneft_version": "str",
    "data_version": "int | None",
    "date": "str",
}


@dataclass(frozen=True)
class ArchivedRun:
    """One archived run, checked and decoded.

    Attributes
    ----------
    config : TrainConfig
    schedule : Schedule
    device : str
    results : dict
        :data:`RESULT_FIELDS` (floats decoded, NaN as ``float("nan")``), and the optional
        embeddings and snapshots when archived.
    provenance : dict
        Of the chunk it trained in (see the module docstring).
    where : str
        ``FILE:LINE`` of its record.
    """

    config: TrainConfig
    schedule: Schedule
    device: str
    results: dict
    provenance: dict
    where: str

    @property
    def key(self) -> str:
        """:func:`run_key` of the run: what a chunk's run must equal to be served by it."""
        return run_key(self.config, self.schedule, self.device)


def run_key(config: TrainConfig, schedule: Schedule, device: str) -> str:
    """The identity of a run in the archive: its full configuration, schedule and device, as
    canonical JSON.

    Examples
    --------
    >>> run_key(TrainConfig(), Schedule(), "cpu") == run_key(TrainConfig(seed=0), Schedule(), "cpu")
    True
    >>> run_key(TrainConfig(), Schedule(), "cpu") == run_key(TrainConfig(init="normal"), Schedule(), "cpu")
    False
    """
    payload = {"config": to_jsonable(config), "schedule": to_jsonable(schedule), "device": str(device)}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


# --------------------------------------------------------------------------- writing


def _encode_float(x) -> float | str:
    x = float(x)
    if math.isfinite(x):
        return x
    return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")


class ArchiveIntegrityError(ValueError):
    """An archive file with a record that fails its checks (shape or content hash): nothing is
    reported from it."""


def record_hash(line: dict) -> str:
    """The content hash of a record: the SHA-256 (hex) of the canonical JSON of every field but
    ``sha256`` itself (sorted keys, no spaces, strict JSON).

    Examples
    --------
    >>> record_hash({"b": 1, "a": [0.5, "NaN"]}) == record_hash({"a": [0.5, "NaN"], "b": 1, "sha256": "x"})
    True
    """
    body = {k: v for k, v in line.items() if k != "sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _encode(record: dict) -> dict:
    """A record (configs and schedule as dataclasses or dicts) as its strict-JSON line object."""
    out: dict[str, Any] = {"format": FORMAT}
    out["config"] = to_jsonable(record["config"])
    out["schedule"] = to_jsonable(record["schedule"])
    out["device"] = str(record["device"])
    out["phase"] = record["phase"]
    for f in _INTS:
        out[f] = int(record[f])
    for f in _FLOATS:
        out[f] = _encode_float(record[f])
    out["provenance"] = to_jsonable(record["provenance"])
    for f in OPTIONAL_FIELDS:
        if f in record:
            out[f] = to_jsonable(record[f])
    out["sha256"] = record_hash(out)
    return out


def append_records(path, records) -> int:
    """Append runs to the archive file ``path`` (created if needed) as one new gzip member.

    Each record is a dict with the fields of the module docstring (``config`` and ``schedule`` may
    be dataclasses); each is checked as a reader would check it before anything is written.  The
    file is replaced atomically (its old bytes, then the new member), so an interruption leaves
    it as it was.  Returns the number of records written.
    """
    path = Path(path)
    lines = []
    for k, record in enumerate(records):
        line = _encode(record)
        _decode(line, f"{path.name}:new record {k + 1}")
        lines.append(json.dumps(line, allow_nan=False, separators=(",", ":")))
    if not lines:
        return 0
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(("\n".join(lines) + "\n").encode())
    old = path.read_bytes() if path.exists() else b""
    write_durably(path, old + buf.getvalue())
    return len(lines)


# --------------------------------------------------------------------------- reading


def _kind_ok(value, kind: str) -> bool:
    if kind.endswith(" | None"):
        return value is None or _kind_ok(value, kind[: -len(" | None")])
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "dict":
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    raise AssertionError(f"unknown kind {kind}")  # pragma: no cover - a bug in the tables


def _fields(obj: dict, kinds: dict, where: str, prefix: str) -> None:
    """A ValueError naming the first field of ``kinds`` that ``obj`` lacks or mistypes."""
    if not isinstance(obj, dict):
        raise ValueError(f"{where}: field {prefix.rstrip('.')!r} must be an object, got {type(obj).__name__}")
    for name, kind in kinds.items():
        if name not in obj:
            raise ValueError(f"{where}: missing field {prefix + name!r}")
        if not _kind_ok(obj[name], kind):
            got = type(obj[name]).__name__
            raise ValueError(f"{where}: field {prefix + name!r} must be {kind}, got {got}")


def _dataclass_kinds(cls) -> dict:
    # the annotations are strings ("int", "int | None", "ModelConfig"): postponed evaluation
    return {f.name: ("dict" if f.type == "ModelConfig" else str(f.type)) for f in dataclasses.fields(cls)}


def _decode_float(value, where: str, name: str) -> float:
    if isinstance(value, str):
        if value not in _NONFINITE:
            raise ValueError(
                f"{where}: field {name!r} must be a number, 'NaN' or '+-Infinity', got {value!r}"
            )
        return _NONFINITE[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{where}: field {name!r} must be a number, got {type(value).__name__}")
    return float(value)


def _decode(line: dict, where: str) -> ArchivedRun:
    """The checked run of one line object; a ValueError names the first bad field."""
    if not isinstance(line, dict):
        raise ValueError(f"{where}: a record must be a JSON object, got {type(line).__name__}")
    _fields(line, {"format": "int"}, where, "")
    if line["format"] == 1 and "sha256" not in line:
        raise ValueError(
            f"{where}: format 1, written before records carried a content hash; convert the file with "
            "geneft archive migrate FILE"
        )
    if line["format"] != FORMAT:
        raise ValueError(f"{where}: field 'format' is {line['format']}; this reader knows format {FORMAT}")
    _fields(line, {"sha256": "str"}, where, "")
    kinds = {"config": "dict", "schedule": "dict", "device": "str", "phase": "str", "provenance": "dict"}
    _fields(line, {**kinds, **dict.fromkeys(_INTS, "int")}, where, "")
    config = dict(line["config"])
    _fields(config, _dataclass_kinds(TrainConfig), where, "config.")
    _fields(config["model"], _dataclass_kinds(ModelConfig), where, "config.model.")
    _fields(line["schedule"], _dataclass_kinds(Schedule), where, "schedule.")
    _fields(line["provenance"], {**_PROVENANCE, "host": "dict"}, where, "provenance.")
    _fields(line["provenance"]["host"], _HOST, where, "provenance.host.")
    try:
        config["model"] = ModelConfig(**config["model"])
        run_config = TrainConfig(**config)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: field 'config': {exc}") from None
    try:
        schedule = Schedule(**line["schedule"])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: field 'schedule': {exc}") from None
    if line["phase"] not in PHASES:
        raise ValueError(f"{where}: field 'phase' must be one of {', '.join(PHASES)}, got {line['phase']!r}")
    results: dict[str, Any] = {f: line[f] for f in _INTS}
    for f in _FLOATS:
        if f not in line:
            raise ValueError(f"{where}: missing field {f!r}")
        results[f] = _decode_float(line[f], where, f)
    results["phase"] = line["phase"]
    for f in OPTIONAL_FIELDS:
        if f in line:
            if not isinstance(line[f], list):
                raise ValueError(f"{where}: field {f!r} must be a list, got {type(line[f]).__name__}")
            results[f] = line[f]
    if schedule.keep_embeddings and "embeddings" not in results:
        raise ValueError(f"{where}: missing field 'embeddings' (its schedule keeps them)")
    if schedule.snapshot_every is not None and not {"snapshot_steps", "snapshots"} <= set(results):
        raise ValueError(f"{where}: missing field 'snapshots' (its schedule records them)")
    if line["sha256"] != record_hash(line):
        raise ValueError(
            f"{where}: the content hash does not match the record (edited, or copied from another "
            "record, since it was written)"
        )
    return ArchivedRun(run_config, schedule, line["device"], results, line["provenance"], where)


def _read_lines(path: Path) -> list[tuple[int, str]]:
    """``(line number, text)`` of the non-blank lines of the archive file ``path``."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, EOFError, UnicodeDecodeError, zlib.error) as exc:
        raise ValueError(f"{path}: not a readable gzip file ({exc})") from None
    return [(number, raw) for number, raw in enumerate(text.splitlines(), start=1) if raw.strip()]


def read_archive_file(path, *, warn=None) -> list[ArchivedRun]:
    """Every run of one archive file, each checked (shape and content hash).

    A record that fails is reported by ``warn`` (one line naming the file, the line and the
    problem; default: printed on stderr as ``warning: ...``), and once every record is checked a
    file with any such record is refused: :class:`ArchiveIntegrityError`, one line naming the file,
    how many records failed and the first.
    """
    path = Path(path)
    if warn is None:

        def warn(message):
            print(f"warning: {message}", file=sys.stderr, flush=True)

    runs, bad = [], []
    for number, raw in _read_lines(path):
        where = f"{path.name}:{number}"
        try:
            try:
                line = json.loads(raw)
            except (ValueError, RecursionError) as exc:
                raise ValueError(f"{where}: not a JSON object ({exc})") from None
            runs.append(_decode(line, where))
        except ValueError as exc:
            bad.append(str(exc))
            warn(str(exc))
    if bad:
        raise ArchiveIntegrityError(
            f"{path}: {len(bad)} of {len(runs) + len(bad)} records failed their checks (first: {bad[0]}); "
            "nothing is used from this file: restore it (git checkout archive/), or run without it "
            "(--no-archive)"
        )
    return runs


def read_archive(root) -> list[ArchivedRun]:
    """Every run of every file of the archive folder ``root``, files in name order (none if the
    folder does not exist)."""
    root = Path(root)
    if root.is_file():
        raise ValueError(f"{root} is a file: give the archive folder that holds the *{SUFFIX} files")
    return [run for path in sorted(root.glob(f"*{SUFFIX}")) for run in read_archive_file(path)]


def migrate_archive_file(path) -> tuple[int, int]:
    """Convert the archive file ``path`` to :data:`FORMAT` in place; returns ``(records, from_format)``.

    A format-1 file (records without ``sha256``) is checked record by record as format 1 was
    (its shape), then written again with ``format`` set to :data:`FORMAT` and each record's
    content hash, every other value kept as it was (the JSON numbers unchanged); durably, so an
    interruption leaves the old file.  A file already of :data:`FORMAT` is checked and left as it
    is (``from_format`` is then :data:`FORMAT`).  A record that fails is a ``ValueError`` naming
    its line, and nothing is written.
    """
    path = Path(path)
    lines = []
    formats = set()
    for number, raw in _read_lines(path):
        where = f"{path.name}:{number}"
        try:
            line = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise ValueError(f"{where}: not a JSON object ({exc})") from None
        if not isinstance(line, dict) or line.get("format") not in (1, FORMAT):
            got = line.get("format") if isinstance(line, dict) else type(line).__name__
            raise ValueError(f"{where}: not a record of format 1 or {FORMAT} (format {got!r})")
        formats.add(line["format"])
        if line["format"] == 1:
            line = {**{k: v for k, v in line.items() if k != "sha256"}, "format": FORMAT}
            line["sha256"] = record_hash(line)
        _decode(line, where)
        lines.append(line)
    if formats <= {FORMAT}:
        return len(lines), FORMAT
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(
            "".join(json.dumps(x, allow_nan=False, separators=(",", ":")) + "\n" for x in lines).encode()
        )
    write_durably(path, buf.getvalue())
    return len(lines), min(formats)
