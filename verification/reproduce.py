"""``geneft reproduce``: regenerate every result of the paper and a theory-versus-experiment report.

Each entry of the registry (:data:`verification.figures.registry.FIGURES`: Table II and
Figures 2-8) is a *task*: its data at the chosen tier come through the on-disk
:class:`~verification.runtime.result_cache.ResultCache` (keyed by a hash of the full
configuration, so a rerun recomputes nothing, an interrupted run resumes, and ``pytest
verification/`` reuses what this command computed), its plot function writes PNG and CSV/JSON
files, and its checks give the report's rows (:mod:`verification.report`).  The report is
rewritten after every task.  Under the cache there may be the archive of trained runs
(:class:`~verification.archive.layer.ArchiveLayer`): a training chunk the cache lacks is rebuilt
from it when every run of it is archived under the same configuration, and the task's notes say
which archived runs were used (files, code commits, hosts).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from verification.archive.layer import MissingFromArchive, served_note
from verification.figures.registry import FIGURES, TIERS, Figure, get_figure
from verification.report import Check, TaskOutput, adjust, write_report
from verification.runtime.context import RunContext
from verification.runtime.progress import duration
from verification.runtime.result_cache import ResultCache

__all__ = [
    "run_figure",
    "run_reproduce",
    "task_names",
    "evaluate_tier",
    "evaluate_runs_csv",
    "check_device",
    "default_cache",
]


def default_cache(out) -> Path:
    """The result cache of an output folder: ``out/.cache``."""
    return Path(out) / ".cache"


def check_device(device: str | None) -> str | None:
    """``device`` if it can be used here; a ValueError naming the problem otherwise."""
    if device is None:
        return None
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    if device == "cuda":
        # imported here: torch takes 1.1 s to import (measured), and only --device cuda asks
        # whether CUDA is there; `geneft figure table2` and the statics figures train nothing
        import torch

        if not torch.cuda.is_available():
            raise ValueError("--device cuda was asked for, but CUDA is not available on this machine")
    return device


def _command(fig, tier: str, seed: int, device: str | None) -> str:
    cmd = f"geneft reproduce --{tier} --only {fig.key}"
    if fig.trains and device:
        cmd += f" --device {device}"
    return cmd + f" --seed {seed}"


def _checks(fig, settings, data, command) -> list[Check]:
    """The report rows of one figure's data, each carrying the id of the claim it checks."""
    claims = fig.claims_by_words(settings)
    out = []
    for prediction, row in fig.evaluate(data):
        if prediction not in claims:
            raise ValueError(f"{fig.key}: a check row names no declared claim: {prediction!r}")
        out.append(
            Check(
                claims[prediction].text,
                row.get("source", fig.source),
                row["theory"],
                row["measured"],
                row["tolerance"],
                row["verdict"],
                row.get("command", command),
                statistics=row.get("statistics"),
                forced_inconclusive=row.get("forced_inconclusive"),
                claim_id=claims[prediction].id,
                evidence=fig.evidence,
                critical_margin=row.get("critical_margin"),
            )
        )
    return out


def evaluate_tier(
    tier: str = "quick", *, seed: int = 0, run: RunContext | None = None, figures=None
) -> dict[str, Check]:
    """Every check row of a tier, Holm-adjusted together as in the report, without drawing anything.

    ``pytest verification/`` reads its verdicts from here (through the same cache as
    ``geneft reproduce``, so the two agree row by row).  ``run`` gives the device, cache and
    progress (:class:`~verification.runtime.context.RunContext`).  Returns ``{claim id: Check}``.
    """
    figures = FIGURES if figures is None else figures
    run = (RunContext() if run is None else run).replace(tier=tier)
    rows = []
    for fig in figures.values():
        settings = fig.settings(tier, seed=seed)
        rows += _checks(fig, settings, fig.compute(settings, run), _command(fig, tier, seed, run.device))
    return {c.claim_id: c for c in adjust(rows)}


def evaluate_runs_csv(name, path, *, tier: str = "full", seed: int = 0) -> dict[str, Check]:
    """The rows of a phase diagram (Figure 5 or 8) re-checked from its runs' CSV, training nothing.

    ``path`` is the CSV the figure's plot writes (``docs/img/figure5-full.csv``), ``tier`` and
    ``seed`` the settings it was run with; the rows are Holm-adjusted among the figure's own rows,
    as ``geneft reproduce --only`` does (:func:`verification.figures.phase_diagram.data_from_csv`).
    """
    # imported here: the phase-diagram module imports torch (1.1 s, measured) through the trainer's
    # configuration, which the other commands of this module need only when they train
    from verification.figures.phase_diagram import data_from_csv

    fig = name if isinstance(name, Figure) else get_figure(name)
    settings = fig.settings(tier, seed=seed)
    data = data_from_csv(path, settings)
    return {c.claim_id: c for c in adjust(_checks(fig, settings, data, _command(fig, tier, seed, None)))}


def _cost_note(fig, data) -> str | None:
    cost = data.get("cost") if isinstance(data, dict) else None
    if cost is None and fig.cost is not None:  # a dense design: its cost follows from its data
        cost = fig.function("cost")(data)
    if not cost:
        return None
    return (
        f"Cost: {cost['runs']} runs, {cost['model_steps']:,} model-steps trained, against the dense "
        f"design's {cost['dense_runs']} runs and at most {cost['dense_model_steps_bound']:,} model-steps "
        f"({cost['model_steps'] / max(cost['dense_model_steps_bound'], 1):.1%})."
    )


def run_figure(
    name: str,
    out,
    *,
    tier: str = "quick",
    seed: int = 0,
    overrides: dict | None = None,
    run: RunContext | None = None,
) -> TaskOutput:
    """Compute (or load), draw and check one registry entry; the files go to ``out``.

    Parameters
    ----------
    name : str or Figure
        Registry key or figure number (``"fig5"``, ``"5"``, ``"table2"``), or an entry.
    out : path
        Output folder (created if needed); an arm's files go to its subfolder ``out/<key>``.
    tier : {"quick", "full"}
        The registry's settings to use.
    seed : int
        Added to the tier's seed.
    overrides : dict, optional
        Settings that replace the tier's (``geneft figure 5 --steps 1000``).
    run : RunContext, optional
        Device, cache, progress, executor and chunk size
        (:meth:`verification.figures.registry.Figure.compute`).
    """
    fig = name if isinstance(name, Figure) else get_figure(name)
    run = (RunContext() if run is None else run).replace(tier=tier)
    # an arm draws the files of its figure's module: in a folder of its own, so that none is overwritten
    out = Path(out) / fig.key if fig.arm else Path(out)
    out.mkdir(parents=True, exist_ok=True)
    settings = fig.settings(tier, seed=seed, **(overrides or {}))
    t0 = time.perf_counter()
    cache = run.cache
    misses = cache.misses if cache is not None else None
    served = getattr(getattr(cache, "layer", None), "served_runs", None)
    served_before = len(served) if served is not None else 0
    data = fig.compute(settings, run)
    task = TaskOutput(fig.title, caption=fig.caption, conditions=fig.conditions, arm=fig.arm)
    if fig.conditions:
        task.notes.append(f"Conditions: {fig.conditions}")
    if served is not None and len(served) > served_before:
        task.notes.append(served_note(served[served_before:]))
    if overrides:
        changed = ", ".join(f"{k} = {v}" for k, v in overrides.items())
        task.notes.append(f"Settings changed from the {tier} tier's: {changed}.")
    if cache is not None and cache.misses == misses:  # nothing computed: the figure's data were stored
        task.cached = True
        task.record = fig.record(settings, run)
    if fig.tables is not None:
        task.tables += fig.function("tables")(data)
    paths = [Path(p) for p in fig.function("plot")(data, out)]
    task.figures += [p for p in paths if p.suffix == ".png"]
    task.data_files += [p for p in paths if p.suffix != ".png"]
    task.checks += _checks(fig, settings, data, _command(fig, tier, seed, run.device))
    if fig.note is not None:
        task.notes.append(fig.function("note"))
    cost = _cost_note(fig, data)
    if cost:
        task.notes.append(cost)
    task.seconds = time.perf_counter() - t0
    return task


def _task_line(i: int, names: list[str], o: TaskOutput, elapsed: float) -> str:
    """The log line of the ``i``-th finished task: no ETA, as the tasks' costs differ a
    hundredfold (Table II: a second; a training figure: minutes), so the next task is named."""
    verdicts = ", ".join(c.verdict for c in o.checks) or "no checks"
    cached = " (from the cache)" if o.cached else ""
    after = f"; next {names[i + 1]}" if i + 1 < len(names) else "; the last task"
    return (
        f"[{i + 1}/{len(names)}] {names[i]}: {duration(o.seconds)}{cached} ({verdicts}; before "
        f"adjustment); {duration(elapsed)} elapsed{after}"
    )


def task_names(only=None, figures=None) -> list[str]:
    """The registry keys of the tasks ``geneft reproduce --only ONLY`` runs, in order: keys or
    figure numbers (``"5"``), all of ``figures`` (default the registry) when ``only`` is empty;
    a ValueError names an unknown one."""
    figures = FIGURES if figures is None else figures
    if not only:
        return list(figures)
    keys = {f.number: k for k, f in figures.items()}
    names = [n if n in figures else keys.get(n, n) for n in only]
    unknown = [n for n in names if n not in figures]
    if unknown:
        raise ValueError(f"unknown figure {unknown[0]!r}; choose one of {', '.join(figures)}")
    return names


def _writable(out) -> Path:
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OSError(f"cannot create output folder {out}: {exc.strerror or exc}") from exc
    probe = out / ".geneft-write-test"
    try:
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise OSError(f"output folder {out} is not writable: {exc.strerror or exc}") from exc
    return out


def run_reproduce(
    out,
    *,
    scale: str = "quick",
    only=None,
    seed: int = 0,
    fresh: bool = False,
    strict_cache: bool = False,
    run: RunContext | None = None,
    figures=None,
    archive=None,
    log=None,
) -> dict[str, TaskOutput]:
    """Run the registry's tasks, caching every result under ``out/.cache``, and write the report.

    Parameters
    ----------
    out : path
        Output folder (created if needed; must be writable).
    scale : {"quick", "full"}
        Quick finishes in minutes on two CPU cores; full is the paper's scale.
    only : iterable of str, optional
        Task names (``table2``, ``fig2`` ... ``fig8``); default all.
    seed : int
        Added to every tier's seed.
    fresh : bool
        Ignore the cache.
    strict_cache : bool
        An invalid cache entry (edited, swapped or malformed) is an error naming the file, instead
        of a warning and recomputation (:class:`~verification.runtime.result_cache.ResultCache`).
    run : RunContext, optional
        Device (``"cpu"`` or ``"cuda"``), progress, executor (e.g. on a Ray cluster,
        :func:`verification.runtime.get_executor`) and chunk size (default: one chunk per figure,
        or :data:`~verification.figures.registry.FULL_CPU_CHUNK` at the full tier on the CPU); its
        cache is replaced by ``out/.cache``.  Default: ``RunContext(progress=True)``.
    figures : mapping of str to Figure, optional
        The entries to run (default: :data:`~verification.figures.registry.FIGURES`).
    archive : ArchiveLayer, optional
        The archive of trained runs under the cache
        (:class:`~verification.archive.layer.ArchiveLayer`); ``fresh`` ignores it too.
    log : text stream, optional
        Where one plain line per finished task goes, as it finishes: its time, the run's time so
        far, its verdicts before adjustment and the next task (default: stdout with
        ``run.progress``, else nowhere).  ``geneft reproduce`` always gives stdout, so a log or
        CI shows each task as it finishes, whether or not progress is reported within tasks.

    Returns
    -------
    dict of str to TaskOutput
        The finished tasks by name.  With an archive that may not train
        (:class:`~verification.archive.layer.ArchiveLayer` with ``missing="error"``), a task one of
        whose training chunks is neither cached nor archived is left out and the others still
        run; the report lists it, with the chunk, under "Not in the archive".
    """
    if scale not in TIERS:
        raise ValueError(f"scale must be 'quick' or 'full', got {scale!r}")
    figures = FIGURES if figures is None else figures
    names = task_names(only, figures)
    run = RunContext(progress=True) if run is None else run
    log = (sys.stdout if run.progress else None) if log is None else log
    check_device(run.device)
    out = _writable(out)
    run = run.replace(
        cache=ResultCache(default_cache(out), fresh=fresh, layer=archive, strict=strict_cache), tier=scale
    )
    outputs: dict[str, TaskOutput] = {}
    missing: dict[str, str] = {}
    start = time.perf_counter()
    for i, name in enumerate(names):
        try:
            outputs[name] = o = run_figure(figures[name], out, tier=scale, seed=seed, run=run)
        except MissingFromArchive as exc:  # an archive-only run: the task is reported, the others go on
            missing[name] = str(exc)
            line = f"[{i + 1}/{len(names)}] {name}: not in the archive, not rebuilt ({exc})"
        else:
            line = _task_line(i, names, o, time.perf_counter() - start)
        write_report(out, outputs, scale=scale, pending=names[i + 1 :], seed=seed, missing=missing)
        if log is not None:
            print(line, file=log, flush=True)
    # the verdicts of the report: Holm-adjusted across every statistical row of this run
    checks = iter(adjust([c for o in outputs.values() for c in o.checks]))
    for o in outputs.values():
        o.checks = [next(checks) for _ in o.checks]
    return outputs
