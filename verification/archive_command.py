"""``geneft archive add`` and ``geneft verify-archive``: the command line of the archive of runs.

* ``geneft archive add CACHE_DIR [--archive DIR] [--name NAME] [--figure KEY] [--commit SHA]``
  appends every training chunk of a result cache to the archive
  (:func:`verification.archive.collect.add_cache`), each run once;
* ``geneft archive list [--archive DIR]`` says what the archive holds, file by file: runs, step
  budgets, phases, code commits with their data versions, dates and hosts (:func:`describe_file`);
* ``geneft archive migrate FILE...`` converts archive files to the current record format in
  place (:func:`verification.archive.records.migrate_archive_file`: content hashes added);
* ``geneft verify-archive --sample K [--seed S] [--archive DIR]`` retrains ``K`` archived runs
  drawn with seed ``S`` and compares them with their records
  (:mod:`verification.archive.verify`); exit status 0 when all agree, 1 when one does not.

The archive's records, collection and verification import torch (1.1 s, measured), so the
handlers import them, not this module: ``geneft --help`` builds these parsers.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from functools import cache
from pathlib import Path

from verification.archive.layer import DEFAULT_ARCHIVE, display_path
from verification.figures.registry import get_figure

__all__ = [
    "add_parser_arguments",
    "list_parser_arguments",
    "migrate_parser_arguments",
    "verify_parser_arguments",
    "run_add",
    "run_list",
    "describe_file",
    "run_migrate",
    "run_verify",
]


def add_parser_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``geneft archive add``."""
    p.add_argument("cache", metavar="CACHE_DIR", help="a result cache folder (such as geneft-results/.cache)")
    p.add_argument(
        "--archive",
        default=None,
        metavar="DIR",
        help="the archive folder (default: the repository's archive/)",
    )
    p.add_argument(
        "--figure",
        default=None,
        metavar="KEY",
        help="the registry entry the runs were trained for (fig6, fig5, ...): its data version is "
        "recorded, and it names the file unless --name does",
    )
    p.add_argument(
        "--name",
        default=None,
        help="the archive file, without .jsonl.gz: the figure entry and experiment seed, such as "
        "fig6-full-seed0 (default: --figure, else the name of the folder holding CACHE_DIR)",
    )
    p.add_argument(
        "--commit",
        default=None,
        metavar="SHA",
        help="the code commit that trained chunks stored without one (default: this checkout's)",
    )


def run_add(args) -> int:
    """Handle ``geneft archive add``."""
    from verification.archive.collect import add_cache

    cache = Path(args.cache)
    data_version = None
    if args.figure is not None:
        data_version = get_figure(args.figure).data_version
    name = args.name or args.figure or cache.resolve().parent.name
    archive = Path(args.archive) if args.archive else DEFAULT_ARCHIVE
    s = add_cache(cache, archive, name=name, commit=args.commit, data_version=data_version)
    print(f"added {s.added} runs of {s.chunks} training chunks to {s.path} ({s.skipped} already archived)")
    return 0


def list_parser_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``geneft archive list``."""
    p.add_argument(
        "--archive",
        default=None,
        metavar="DIR",
        help="the archive folder (default: the repository's archive/)",
    )


def _counted(counter: Counter) -> str:
    """``"a (3 runs), b (1)"``: the counter's items, most common first; one item alone, unnumbered."""
    if len(counter) == 1:
        return str(next(iter(counter)))
    items = counter.most_common()
    return ", ".join(f"{k} ({n} runs)" if i == 0 else f"{k} ({n})" for i, (k, n) in enumerate(items))


def describe_file(name: str, runs) -> list[str]:
    """The lines ``geneft archive list`` prints for one archive file and its checked runs
    (:func:`verification.archive.records.read_archive_file`).

    Examples
    --------
    >>> describe_file("empty.jsonl.gz", [])
    ['empty.jsonl.gz: no runs']
    """
    if not runs:
        return [f"{name}: no runs"]
    steps = Counter(f"{r.schedule.steps:,} steps" for r in runs)
    phases = Counter(r.results["phase"] for r in runs)
    commits = Counter(
        r.provenance["commit"][:7]
        + (
            ""
            if r.provenance.get("data_version") is None
            else f" (data version {r.provenance['data_version']})"
        )
        for r in runs
    )
    dates = sorted(r.provenance["date"][:10] for r in runs)
    hosts = Counter(
        f"{h['cpu']}, {h['cores']} cores, torch {h['torch']}, {r.device}"
        for r in runs
        for h in [r.provenance["host"]]
    )
    relations = Counter(_relation_name(r.config.relation) for r in runs)
    when = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
    return [
        f"{name}: {len(runs)} runs of {_counted(steps)}; relation{'s' if len(relations) > 1 else ''} "
        f"{_counted(relations)}",
        f"  phases: {_counted(phases)}",
        f"  trained {when} at {_counted(commits)}",
        f"  on {_counted(hosts)}",
    ]


@cache
def _relation_name(spec: str) -> str:
    """A run's relation as a table names it: a relation stored by its matrix (a content key) by
    the catalogue entry it equals, else by its label (:func:`effective_theory.relation_label`)."""
    from effective_theory import catalogue_name, relation_label, relation_matrix

    named = catalogue_name(relation_matrix(spec)) if spec.startswith("matrix:") else None
    return named or relation_label(spec)


def run_list(args) -> int:
    """Handle ``geneft archive list``: a paragraph per archive file, then the total."""
    from verification.archive.records import read_archive_file

    archive = Path(args.archive) if args.archive else DEFAULT_ARCHIVE
    if not archive.is_dir():
        raise ValueError(f"{archive}: no such archive folder")
    files = sorted(archive.glob("*.jsonl.gz"))
    total = 0
    for path in files:
        runs = read_archive_file(path)
        total += len(runs)
        print("\n".join(describe_file(path.name, runs)))
    print(f"{len(files)} file{'' if len(files) == 1 else 's'}, {total} runs in {archive}")
    return 0


def migrate_parser_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``geneft archive migrate``."""
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="archive files (NAME.jsonl.gz), each converted in place"
    )


def run_migrate(args) -> int:
    """Handle ``geneft archive migrate``: one line per file saying what was done."""
    from verification.archive.records import FORMAT, migrate_archive_file

    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise ValueError(f"{name}: no such archive file")
        count, old = migrate_archive_file(path)
        if old == FORMAT:
            print(f"{path}: {count} records, already format {FORMAT}; left as it is")
        else:
            print(f"{path}: {count} records converted from format {old} to format {FORMAT}")
    return 0


def verify_parser_arguments(p: argparse.ArgumentParser) -> None:
    """The arguments of ``geneft verify-archive``."""
    p.add_argument("--sample", type=int, required=True, metavar="K", help="how many archived runs to retrain")
    p.add_argument("--seed", type=int, default=0, help="seed of the draw (default 0)")
    p.add_argument(
        "--archive",
        default=None,
        metavar="DIR",
        help="the archive folder (default: the repository's archive/)",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bars on stderr (default: when stderr is a terminal)",
    )


def _label(run) -> str:
    c = run.config
    return (
        f"{run.where}  {c.relation} n={c.n} eta_enc={c.eta_enc:g} eta_dec={c.eta_dec:g} "
        f"init={c.init_enc:g}/{c.init_dec:g} {c.init} {c.optimizer} seed={c.seed}, "
        f"{run.results['steps_run']} of {run.schedule.steps} steps on {run.device}"
    )


def run_verify(args) -> int:
    """Handle ``geneft verify-archive``; 0 when every drawn run agrees, 1 otherwise."""
    from verification.archive.records import read_archive
    from verification.archive.verify import ACC_PAIRS, sample_runs, verify_runs

    archive = Path(args.archive) if args.archive else DEFAULT_ARCHIVE
    runs = read_archive(archive)
    if not runs:
        raise ValueError(f"no archived runs in {archive}")
    if args.seed < 0:
        raise ValueError(f"--seed must be a non-negative integer, got {args.seed}")
    picked = sample_runs(runs, args.sample, seed=args.seed)
    print(
        f"drew {len(picked)} of {len(runs)} archived runs in {display_path(archive)} with seed {args.seed}: "
        + ", ".join(runs[i].where for i in picked),
        flush=True,
    )
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    results = verify_runs([runs[i] for i in picked], progress=progress)
    for a in results:
        if a.agree:
            how = (
                "bit for bit (same host class)"
                if a.same_class
                else "bit for bit (another host class)"
                if a.identical
                else f"within {ACC_PAIRS} pairs (another host class)"
            )
            print(f"{_label(a.run)}: agrees {how}")
        else:
            print(f"{_label(a.run)}: DISAGREES: " + "; ".join(a.differences))
    agree = sum(a.agree for a in results)
    exact = sum(a.agree and a.same_class for a in results)
    other = sum(a.agree and not a.same_class and a.identical for a in results)
    phase = sum(a.run.results["phase"] == a.retrained["phase"] for a in results)
    print(
        f"{agree} of {len(results)} in agreement ({exact} bit for bit on the same host class, "
        f"{agree - exact} within tolerance on another, {other} of them bit for bit); "
        f"the same phase in {phase} of {len(results)}"
    )
    return 0 if agree == len(results) else 1
