"""``geneft reproduce``: regenerate every figure of the paper and a theory-versus-experiment report.

Each figure (and Table II) is a *task*: it computes its data through the
on-disk :class:`~verification.runtime.result_cache.ResultCache` (keyed by a hash
of the full configuration, so a rerun recomputes nothing and an interrupted
run resumes), writes PNG + CSV/JSON, and returns rows for the report: the
prediction (with its equation or figure number), the theory value, the
measured value, the tolerance, the verdict (exactly one of ``holds``,
``fails``, ``inconclusive``) and the command that reproduces the row.

The report is written as ``report.md`` and a self-contained ``report.html``
(figures embedded) after every task, so an interrupted run still leaves the
report of what finished.
"""

from __future__ import annotations

import base64
import html
import importlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verification.runtime.result_cache import ResultCache

__all__ = ["Check", "TaskOutput", "Context", "TASKS", "VERDICTS", "run_reproduce", "add_arguments", "run"]

VERDICTS = ("holds", "fails", "inconclusive")


@dataclass(frozen=True)
class Check:
    """One row of the report: a prediction of the paper against a measurement."""

    prediction: str
    source: str
    theory: str
    measured: str
    tolerance: str
    verdict: str
    command: str

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")


@dataclass
class TaskOutput:
    """What a task produced: files written and report rows."""

    title: str
    figures: list[Path] = field(default_factory=list)
    data_files: list[Path] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class Context:
    """Settings shared by every task of one ``geneft reproduce`` run."""

    out: Path
    cache: ResultCache
    scale: str = "quick"  # "quick" | "full"
    device: str = "cpu"
    seed: int = 0
    progress: bool = True
    executor: Any = None  # None: in-process; else an Executor from verification.runtime.get_executor
    chunk_size: int | None = None  # configs per chunk of a phase-diagram sweep (None: one chunk)

    @property
    def quick(self) -> bool:
        return self.scale == "quick"

    def command(self, only: str) -> str:
        return f"geneft reproduce --{self.scale} --only {only} --device {self.device} --seed {self.seed}"


def verdict_within(measured: float, theory: float, tolerance: float) -> str:
    """``holds`` if ``|measured - theory| <= tolerance``, else ``fails`` (NaN: ``inconclusive``)."""
    import math

    if any(math.isnan(x) for x in (measured, theory, tolerance)):
        return "inconclusive"
    return "holds" if abs(measured - theory) <= tolerance else "fails"


# --------------------------------------------------------------------------- tasks


def _task_table2(ctx: Context) -> TaskOutput:
    """Table II, and the paper's relations' b from closed forms against automorphism counts."""
    import csv

    from effective_theory.statics.class_description_length import relation_class_bits, table_ii
    from effective_theory.statics.relations import relation_by_name

    out = TaskOutput("Table II: description lengths of relation classes (n = 30)")
    rows = table_ii(30)
    path = ctx.out / "table2.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["relation", "paper_formula", "paper_bits", "exact_bits"])
        for r in rows:
            w.writerow(
                [
                    r.relation,
                    r.formula,
                    f"{r.paper_bits:.6g}",
                    "" if r.exact_bits is None else f"{r.exact_bits:.6g}",
                ]
            )
    out.data_files.append(path)
    try:
        from effective_theory import description_length
    except ImportError:
        out.notes.append("description_length is not available: automorphism check skipped")
        return out
    for name in ("mod3", "mod5", "greater", "bipartite"):
        theory = relation_class_bits(name, 30)
        measured = ctx.cache.get_or_compute(
            "bits",
            {"relation": name, "n": 30},
            lambda name=name: description_length(relation_by_name(name, 30)),
        )
        out.checks.append(
            Check(
                prediction=f"b = log2(n!/|Aut G|) of {name} (n=30) equals its Table II class count",
                source="Sec. III, Table II",
                theory=f"{theory:.4f} bits",
                measured=f"{measured:.4f} bits",
                tolerance="1e-6 bits",
                verdict=verdict_within(measured, theory, 1e-6),
                command=f"geneft bits --relation {name} --n 30",
            )
        )
    return out


def _z_check(prediction, source, res: dict, command, *, z_tol=4.0) -> Check:
    """A Monte Carlo fraction against its theory value, tolerance ``z_tol`` binomial standard errors."""
    se = res["stderr"]
    verdict = "holds" if abs(res["fraction"] - res["theory"]) <= z_tol * se else "fails"
    return Check(
        prediction,
        source,
        f"{res['theory']:.4f}",
        f"{res['fraction']:.4f} ± {se:.4f} (n = {res['n']})",
        f"{z_tol:g} SE",
        verdict,
        command,
    )


def _task_fig4(ctx: Context) -> TaskOutput:
    """Figure 4 (phase portrait) and Monte Carlo checks of Eqs. 12-13 against the flows they come from."""
    from effective_theory.dynamics import repon_simulation as rs
    from verification.figures.figure4 import figure4

    out = TaskOutput("Figure 4 and Eqs. 10-13: repon collisions against the arctan law")
    out.figures.append(figure4(ctx.out, eta_x=2.0, eta_A=1.0))
    n = 10_000 if ctx.quick else 100_000

    def mc(kind, **kw):
        def compute():
            if kind == "reduced":
                r = rs.simulate_reduced_flow(n=n, seed=ctx.seed, **kw)
            elif kind == "gd":
                r = rs.simulate_pair_gradient_descent(n=n, seed=ctx.seed, **kw)
            elif kind == "cluster":
                r = rs.simulate_cluster_flow(n=n // 5, seed=ctx.seed, **kw)
            else:
                m = rs.matrix_collision_rules(n=10 * n, seed=ctx.seed, **kw)
                return {"fraction": m["exact"], "theory": m["eq12"], "n": 10 * n, "stderr": m["stderr"]}
            return {"fraction": r.fraction, "theory": r.theory, "n": r.n, "stderr": r.stderr}

        return ctx.cache.get_or_compute("fig4-" + kind, {"n": n, "seed": ctx.seed, **kw}, compute)

    cmd = ctx.command("fig4")
    base = {"eta_A": 1.0, "sigma_a": 1.0, "sigma_c": 1.0}
    out.checks += [
        _z_check(
            "Eq. 12: P(collision) of the reduced flow Eq. 10, eta_x/eta_A = 2",
            "Eqs. 10-12, Fig. 4",
            mc("reduced", eta_x=2.0, **base),
            cmd,
        ),
        _z_check(
            "Eq. 12: P(collision) of the reduced flow Eq. 10, eta_x/eta_A = 0.1",
            "Eqs. 10-12",
            mc("reduced", eta_x=0.1, **base),
            cmd,
        ),
        _z_check(
            "Eq. 12 vs gradient descent on the pair loss Eq. 6 (step 0.05, on the manifold b = y)",
            "Eqs. 6, 12",
            mc("gd", eta_x=2.0, step=0.05, **base),
            cmd,
        ),
        _z_check(
            "Eq. 13: one repon vs a cluster of N = 3 (explicit N + 1 repon flow)",
            "Eq. 13",
            mc("cluster", eta_x=2.0, N=3, **base),
            cmd,
        ),
        _z_check(
            "Eq. 12 vs the full matrix flow Eq. 8 from i.i.d. Gaussian A0, r0 (m = d = 2)",
            "Eqs. 8, 12",
            mc("matrix", eta_x=2.0, init="iid", **base),
            cmd,
        ),
        _z_check(
            "Eq. 12 vs gradient descent from Appendix C's b(0) = 0, target y = 1",
            "App. C, Eq. 12",
            mc("gd", eta_x=2.0, step=0.05, y=1.0, **base),
            cmd,
        ),
    ]
    out.notes.append(
        "Rows that fail are findings (see docs/findings.md, Dynamics): Eq. 12 assumes the "
        "ansatz of Eq. 9 and the invariant manifold x1 + x2 = 0, b = y."
    )
    return out


def _evaluated_figure_task(fig: str, title: str, source: str):
    """A task for a verification figure whose module has ``CHECK_QUICK``/``CHECK_FULL``, ``plot`` and
    ``evaluate`` (the same settings, cache entries and verdicts as its test in ``verification/tests``,
    through :func:`verification.tiers.figure_data`)."""

    def task(ctx: Context) -> TaskOutput:
        from verification.tiers import FIGURES, figure_data

        module = importlib.import_module(FIGURES[fig][0])
        data = figure_data(
            fig,
            ctx.scale,
            device=ctx.device,
            seed=ctx.seed,
            cache=ctx.cache,
            progress=ctx.progress,
            executor=ctx.executor,
            chunk_size=ctx.chunk_size,
        )
        out = TaskOutput(title)
        paths = [Path(p) for p in module.plot(data, ctx.out)]
        out.figures += [p for p in paths if p.suffix == ".png"]
        out.data_files += [p for p in paths if p.suffix != ".png"]
        out.checks += [
            Check(pred, source, v["theory"], v["measured"], v["tolerance"], v["verdict"], ctx.command(fig))
            for pred, v in module.evaluate(data)
        ]
        return out

    task.__doc__ = f"{title} (verification.tiers.figure_data({fig!r}), verdicts from its module's evaluate)."
    return task


def _figure_task(module_name: str) -> Callable[[Context], TaskOutput]:
    def task(ctx: Context) -> TaskOutput:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if not (exc.name and module_name.startswith(exc.name)):
                raise
            return TaskOutput(module_name, notes=[f"{module_name} is not available in this version"])
        return module.reproduce(ctx)

    task.__doc__ = f"Figure task backed by {module_name}.reproduce(ctx)."
    return task


#: task name -> callable(ctx) -> TaskOutput, in report order
TASKS: dict[str, Callable[[Context], TaskOutput]] = {
    "table2": _task_table2,
    "fig2": _figure_task("verification.figures.figure2"),
    "fig3": _evaluated_figure_task(
        "fig3",
        "Figure 3: accuracy versus training fraction, and the inductive gap",
        "Sec. III, Eq. 5, Fig. 3",
    ),
    "fig4": _task_fig4,
    "fig5": _evaluated_figure_task(
        "fig5",
        "Figure 5: generalization/memorization boundary over (eta_enc, eta_dec)",
        "Eq. 12, Fig. 5",
    ),
    "fig6": _evaluated_figure_task(
        "fig6",
        "Figure 6: probability of generalization against the Eq. 12 bound",
        "Eq. 12, Fig. 6",
    ),
    "fig7": _evaluated_figure_task(
        "fig7",
        "Figure 7: test accuracy versus decoder depth (Goldilocks zone)",
        "App. E, Fig. 7",
    ),
    "fig8": _evaluated_figure_task(
        "fig8",
        "Figure 8: the boundary does not depend on the decoder's weight decay",
        "Eq. 12, Fig. 8",
    ),
}


# --------------------------------------------------------------------------- report


def _md_escape(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def write_report(out: Path, outputs: dict[str, TaskOutput], *, scale: str, pending: list[str]) -> None:
    """Write ``report.md`` and a self-contained ``report.html`` for the finished tasks."""
    head = ["prediction", "source", "theory", "measured", "tolerance", "verdict", "command"]
    checks = [c for o in outputs.values() for c in o.checks]
    counts = {v: sum(c.verdict == v for c in checks) for v in VERDICTS}
    md = [
        "# GenEFT: theory versus experiment",
        "",
        f"Scale: `{scale}`. Verdicts: {counts['holds']} holds, {counts['fails']} fails, "
        f"{counts['inconclusive']} inconclusive.",
        "",
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for c in checks:
        cells = [
            c.prediction,
            c.source,
            c.theory,
            c.measured,
            c.tolerance,
            f"**{c.verdict}**",
            f"`{c.command}`",
        ]
        md.append("| " + " | ".join(_md_escape(x) for x in cells) + " |")
    if pending:
        md += ["", f"Not finished in this run: {', '.join(pending)}."]
    for name, o in outputs.items():
        md += ["", f"## {o.title}", "", f"Task `{name}`, {o.seconds:.1f} s."]
        md += [f"- {note}" for note in o.notes]
        md += [f"![{p.name}]({p.relative_to(out)})" for p in o.figures]
        md += [f"- data: [{p.name}]({p.relative_to(out)})" for p in o.data_files]
    (out / "report.md").write_text("\n".join(md) + "\n")

    def img(p: Path) -> str:
        b64 = base64.b64encode(p.read_bytes()).decode()
        return (
            f'<figure><img alt="{html.escape(p.name)}" src="data:image/png;base64,{b64}"/>'
            f"<figcaption>{html.escape(p.name)}</figcaption></figure>"
        )

    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(x))}</td>"
            for x in (c.prediction, c.source, c.theory, c.measured, c.tolerance)
        )
        + f'<td class="{c.verdict}">{c.verdict}</td><td><code>{html.escape(c.command)}</code></td></tr>'
        for c in checks
    )
    sections = "".join(
        f"<h2>{html.escape(o.title)}</h2>"
        + "".join(f"<p>{html.escape(n)}</p>" for n in o.notes)
        + "".join(img(p) for p in o.figures if p.exists())
        for o in outputs.values()
    )
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>GenEFT report</title><style>
body{{font-family:sans-serif;max-width:1100px;margin:auto}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px;font-size:13px}} .holds{{background:#cfc}} .fails{{background:#fcc}}
.inconclusive{{background:#ffc}} img{{max-width:100%}}</style></head><body>
<h1>GenEFT: theory versus experiment</h1><p>Scale: {html.escape(scale)}. Verdicts: {counts["holds"]} holds,
{counts["fails"]} fails, {counts["inconclusive"]} inconclusive.</p>
<table><tr>{"".join(f"<th>{h}</th>" for h in head)}</tr>{rows}</table>{sections}</body></html>"""
    (out / "report.html").write_text(page)


# --------------------------------------------------------------------------- driver


def run_reproduce(
    out,
    *,
    scale: str = "quick",
    only=None,
    device: str = "cpu",
    seed: int = 0,
    fresh: bool = False,
    progress: bool = True,
    tasks=None,
    executor=None,
    chunk_size: int | None = None,
) -> dict[str, TaskOutput]:
    """Run the tasks, caching every result under ``out/.cache``, and write the report.

    Parameters
    ----------
    out : path
        Output folder (created if needed; must be writable).
    scale : {"quick", "full"}
        Quick mode finishes in minutes on a laptop; full is the paper's scale.
    only : iterable of str, optional
        Task names (``table2``, ``fig2`` ... ``fig8``); default all.
    device : {"cpu", "cuda"}
        Where the neural-network experiments run.
    fresh : bool
        Ignore the cache.
    executor : Executor, optional
        Runs phase-diagram sweeps in chunks (e.g. on a Ray cluster,
        :func:`verification.runtime.get_executor`).
    chunk_size : int, optional
        Configs per sweep chunk (default: one chunk per diagram).
    """
    tasks = TASKS if tasks is None else tasks
    if scale not in ("quick", "full"):
        raise ValueError(f"scale must be 'quick' or 'full', got {scale!r}")
    names = list(tasks) if not only else list(only)
    unknown = [n for n in names if n not in tasks]
    if unknown:
        raise ValueError(f"unknown task(s) {', '.join(unknown)}; choose from {', '.join(tasks)}")
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    if device == "cuda":
        import torch

        if not torch.cuda.is_available():
            raise ValueError("--device cuda was asked for, but CUDA is not available on this machine")
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
    ctx = Context(
        out=out,
        cache=ResultCache(out / ".cache", fresh=fresh),
        scale=scale,
        device=device,
        seed=seed,
        progress=progress,
        executor=executor,
        chunk_size=chunk_size,
    )
    outputs: dict[str, TaskOutput] = {}
    for i, name in enumerate(names):
        t0 = time.perf_counter()
        o = tasks[name](ctx)
        o.seconds = time.perf_counter() - t0
        outputs[name] = o
        write_report(out, outputs, scale=scale, pending=names[i + 1 :])
        if progress:
            verdicts = ", ".join(c.verdict for c in o.checks) or "no checks"
            print(f"[{i + 1}/{len(names)}] {name}: {o.seconds:.1f} s ({verdicts})", flush=True)
    return outputs


def add_arguments(parser) -> None:
    g = parser.add_mutually_exclusive_group()
    g.add_argument(
        "--quick",
        dest="scale",
        action="store_const",
        const="quick",
        help="reduced grids and budgets (default; minutes on 2 CPU cores)",
    )
    g.add_argument(
        "--full",
        dest="scale",
        action="store_const",
        const="full",
        help="the paper's scale (10^5 steps, fine grids; a GPU is recommended)",
    )
    parser.set_defaults(scale="quick")
    parser.add_argument("--out", default="geneft-results", help="output folder (default: geneft-results)")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--only", default=None, help=f"comma-separated tasks: {','.join(TASKS)}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fresh", action="store_true", help="ignore cached results")
    parser.add_argument("--no-progress", dest="progress", action="store_false")
    parser.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        help="configs per phase-diagram chunk (default: one batched ensemble per diagram)",
    )
    from verification.runtime.executor import add_executor_arguments

    add_executor_arguments(parser)


def run(args) -> int:
    from verification.runtime.executor import executor_from_args

    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    if args.chunk_size is not None and args.chunk_size < 1:
        raise ValueError(f"--chunk-size must be a positive integer, got {args.chunk_size}")
    local = getattr(args, "executor", "local") == "local"
    if args.scale == "full" and args.device == "cpu" and local and args.progress:
        print(
            "note: the full tier on a CPU takes hours to a day per figure (docs/reproducing.md); "
            f"finished chunks are kept in {Path(args.out) / '.cache'}, so an interrupted run resumes",
            file=sys.stderr,
            flush=True,
        )
    with executor_from_args(args) as ex:
        outputs = run_reproduce(
            args.out,
            scale=args.scale,
            only=only,
            device=args.device,
            seed=args.seed,
            fresh=args.fresh,
            progress=args.progress,
            executor=None if local else ex,
            chunk_size=args.chunk_size,
        )
    n_checks = sum(len(o.checks) for o in outputs.values())
    print(f"wrote {Path(args.out) / 'report.md'} and report.html ({len(outputs)} tasks, {n_checks} checks)")
    return 0
