"""Phase diagrams over two learning-rate-like axes (Figures 5 and 8 of [1]_): runs, boundary, plot.

Shared by :mod:`verification.figures.figure5` (``x = log10 eta_enc``) and
:mod:`verification.figures.figure8` (``x = log10 wd_dec``); ``y = log10 eta_dec`` in both.

* :class:`PhasePlane` says what a diagram trains: one model per (relation, ``x``, ``y``, seed),
  each classified by Table IV (Appendix B).
* :func:`grid_diagram` trains every point of the plane (:mod:`verification.designs.grid`);
  :func:`adaptive_diagram` locates the boundary column by column
  (:mod:`verification.designs.adaptive_columns`); both give the runs as JSON-ready lists.
* :func:`boundary_fits` fits the generalization/memorization boundary ``y0(x) = a + b x`` to
  *every* run by maximum likelihood (:func:`verification.statistics.fit_boundary`; generalization
  and grokking on one side, memorization on the other, confusion left out), or with
  ``curvature=True`` the parabola ``a + b (x - x_c) + c (x - x_c)^2``, whose local slope the rows
  test where the theory is meant to apply (:data:`verification.verdicts.SLOPE_AT`).  A column in
  which every run (or none) generalizes is not dropped: its runs bound the line from one side.  The
  same fit is made with the phases the runs had at a quarter of the budget (read off the same
  runs' first-reached steps), so that a boundary that still moves with the budget (late
  grokking) is seen.
* :func:`analyze_boundary` is the JSON summary the figure stores and plots; :func:`diagram_data`
  is a figure's whole data (runs, boundaries, cost).
* :func:`plot_phase_diagrams` draws one panel per relation, with a colour key of the phases.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from effective_theory import relation_label, relation_matrix, relation_size, relation_spec
from effective_theory._checks import check_int
from verification.designs.adaptive_columns import ColumnDesign, adaptive_columns
from verification.designs.grid import grid_points, train_grid
from verification.figures._common import model_seeds
from verification.phases import classify_phase, is_generalizing
from verification.runtime.context import RunContext
from verification.runtime.durable_write import durable_open
from verification.statistics import fit_boundary, fit_column
from verification.train_config import Schedule, TrainConfig
from verification.verdicts import budget_check

__all__ = [
    "PHASE_COLOURS",
    "DESIGNS",
    "ADAPTIVE_OPTIONS",
    "PhasePlane",
    "check_diagram_settings",
    "grid_diagram",
    "adaptive_diagram",
    "boundary_runs",
    "boundary_fits",
    "curve_summary",
    "analyze_boundary",
    "diagram_data",
    "data_from_csv",
    "budget_checked_row",
    "local_slopes_text",
    "plot_phase_diagrams",
]

#: colour of each phase of Table IV in the diagrams
PHASE_COLOURS = {
    "generalization": "#2ca02c",
    "grokking": "#ffd92f",
    "memorization": "#7b3294",
    "confusion": "#bbbbbb",
}

#: the grokking gap of Table IV (steps), as used by the trainer
GAP = 1_000

#: the designs of a phase diagram: every point of the plane, or the boundary column by column
DESIGNS = ("grid", "adaptive")

#: options of the adaptive design (:class:`~verification.designs.adaptive_columns.ColumnDesign`'s
#: fields beyond the range and the seeds), and the size of the dense design its cost is compared with
ADAPTIVE_OPTIONS = (
    "initial_points",
    "precision",
    "resolution",
    "max_rounds",
    "max_runs",
    "dense_runs_per_relation",
)

#: the rows of both diagrams: the decoder learning rate
Y_KEY, Y_FIELD = "log_eta_dec", "eta_dec"

#: per-run results of a diagram, after its coordinates and seed
RUN_KEYS = ("phase", "steps_to_train", "steps_to_test", "train_acc", "test_acc", "steps_run")


@dataclass(frozen=True)
class PhasePlane:
    """What a phase diagram trains: one model per (relation, ``x``, ``y``, seed).

    Parameters
    ----------
    relations : sequence of str
        Relation specs (:func:`effective_theory.relation_spec`: ``"mod3"``, ``"greater"``,
        ``"karate"``, a content key).
    x_key, x_field : str
        The columns: the data's key (``"log_eta_enc"``) and the
        :class:`~verification.train_config.TrainConfig` field set to ``10**x`` (``"eta_enc"``).
    xs, ys : sequence of float
        Column values and decoder learning rates ``log10 eta_dec`` (the grid design's rows, the
        adaptive design's range).
    seeds : int
        Runs per point: model seeds ``model_seeds(seed, seeds)`` (initialisation and split;
        disjoint from every other experiment seed's).
    seed : int
        Experiment seed.
    n : int
        Elements of a relation given by a rule; a relation with a size of its own (a real graph,
        a file) has that size.
    fixed : mapping
        Further TrainConfig fields of every run (Figure 8: ``{"eta_enc": 10**log_eta_enc}``).

    Examples
    --------
    >>> plane = PhasePlane(["mod3"], "log_eta_enc", "eta_enc", [-3.0], [-2.0], seeds=2, seed=1)
    >>> [(c.eta_enc, c.eta_dec, c.seed) for c in plane.configs("mod3", -3.0, -2.0)]
    [(0.001, 0.01, 1000000), (0.001, 0.01, 1000001)]
    """

    relations: tuple
    x_key: str
    x_field: str
    xs: tuple
    ys: tuple
    seeds: int = 1
    seed: int = 0
    n: int = 30
    fixed: Mapping = field(default_factory=dict)

    def __post_init__(self):
        rels = (self.relations,) if isinstance(self.relations, str) else tuple(self.relations)
        object.__setattr__(self, "relations", rels)
        object.__setattr__(self, "xs", tuple(float(v) for v in self.xs))
        object.__setattr__(self, "ys", tuple(float(v) for v in self.ys))
        object.__setattr__(self, "seeds", check_int(self.seeds, "seeds", minimum=1))
        object.__setattr__(self, "fixed", dict(self.fixed))

    def configs(
        self, relation: str, x: float, y: float, replicates: range | None = None
    ) -> list[TrainConfig]:
        """The runs at ``(relation, x, y)``: replicates ``0 .. seeds - 1``, or ``replicates``."""
        reps = range(self.seeds) if replicates is None else replicates
        point = {self.x_field: 10.0**x, Y_FIELD: 10.0**y}
        size = relation_size(relation)
        return [
            TrainConfig(relation=relation, n=self.n if size is None else size, seed=s, **point, **self.fixed)
            for s in model_seeds(self.seed, len(reps), start=reps.start)
        ]


def check_diagram_settings(settings, axes: tuple[str, ...]) -> None:
    """Validate and normalise the settings the phase-diagram figures share, in place.

    ``settings`` is a frozen settings dataclass (:class:`~verification.figures.figure5.Figure5Settings`,
    :class:`~verification.figures.figure8.Figure8Settings`) with ``relations``, the list-valued
    ``axes``, ``seeds``, ``seed``, ``steps``, ``n``, ``eval_every``, ``design`` and ``adaptive``:
    lists become tuples, ``adaptive`` a dict, and a bad field raises TypeError or ValueError
    naming it.
    """

    def put(name, value):
        object.__setattr__(settings, name, value)

    rels = settings.relations
    rels = (rels,) if isinstance(rels, str) else tuple(rels)
    put("relations", tuple(relation_spec(r, name="relations") for r in rels))
    for name in axes:
        put(name, tuple(float(v) for v in getattr(settings, name)))
    for name in ("relations", *axes):
        if not getattr(settings, name):
            raise ValueError(f"{name} must not be empty")
    for name, minimum in (("seeds", 1), ("seed", 0), ("steps", 0), ("n", 2), ("eval_every", 1)):
        put(name, check_int(getattr(settings, name), name, minimum=minimum))
    labels = [relation_label(r) for r in settings.relations]
    if len(set(labels)) < len(labels):
        raise ValueError(f"relations must have distinct names, got {', '.join(labels)}")
    for r in settings.relations:
        if relation_size(r) is None:
            relation_matrix(r, settings.n, name="relations")
    if settings.design not in DESIGNS:
        raise ValueError(f"design must be 'grid' or 'adaptive', got {settings.design!r}")
    put("adaptive", dict(settings.adaptive))
    unknown = sorted(set(settings.adaptive) - set(ADAPTIVE_OPTIONS))
    if unknown:
        raise TypeError(f"adaptive has unknown options {unknown}; known: {list(ADAPTIVE_OPTIONS)}")
    if settings.design == "adaptive":
        if len(set(settings.log_eta_dec)) < 2:
            raise ValueError(
                f"log_eta_dec must span a range for the adaptive design, got {settings.log_eta_dec}"
            )
        try:
            _column_design(settings.log_eta_dec, settings.seeds, settings.adaptive)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"adaptive: {exc}") from exc


def _column_design(ys, seeds, adaptive) -> ColumnDesign:
    options = {k: v for k, v in adaptive.items() if k != "dense_runs_per_relation"}
    return ColumnDesign(y_range=(min(ys), max(ys)), seeds=seeds, **options)


def _diagram(plane: PhasePlane, points, results) -> dict:
    """Per-run lists of the runs ``results`` at ``points`` ``(relation, x, y)``."""
    out = {k: [] for k in ("relation", plane.x_key, Y_KEY, "seed", *RUN_KEYS)}
    for (relation, x, y), res in zip(points, results):
        m, columns = len(res), res.columns()
        out["relation"] += [relation] * m
        out[plane.x_key] += [x] * m
        out[Y_KEY] += [y] * m
        out["seed"] += [cfg.seed for cfg in res.configs]
        for key in RUN_KEYS:
            out[key] += columns[key]
    return out


def grid_diagram(plane: PhasePlane, schedule: Schedule, run: RunContext | None = None) -> dict:
    """Every point of ``relations x xs x ys``, with its seeds (:func:`~verification.designs.grid.train_grid`).

    Returns
    -------
    dict
        One entry per run: ``relation``, ``plane.x_key``, ``log_eta_dec``, ``seed``, ``phase``,
        ``steps_to_train``, ``steps_to_test``, ``train_acc``, ``test_acc``, ``steps_run``; plus
        ``steps``, ``gap`` and ``model_steps`` (steps actually trained).
    """
    points = grid_points(plane.relations, plane.xs, plane.ys)
    results = train_grid(points, lambda point: plane.configs(*point), schedule, run, desc="phase diagram")
    out = _diagram(plane, points, results)
    out.update(steps=schedule.steps, gap=schedule.gap, model_steps=int(sum(out["steps_run"])))
    return out


def adaptive_diagram(
    plane: PhasePlane, design: ColumnDesign, schedule: Schedule, run: RunContext | None = None
) -> dict:
    """The boundary of each column ``(relation, x)``, its rows chosen round by round.

    :func:`~verification.designs.adaptive_columns.adaptive_columns` chooses the rows, within
    ``design.y_range`` (``plane.ys`` is not used).

    Returns
    -------
    dict
        As :func:`grid_diagram` (one entry per run), plus ``rounds`` (per round: ``runs``,
        ``model_steps``, ``open_columns``) and ``columns_done`` (why each column ``"relation x"``
        stopped).
    """
    columns = [(rel, x) for rel in plane.relations for x in plane.xs]
    runs = adaptive_columns(
        columns,
        lambda column, y, replicates: plane.configs(*column, y, replicates),
        design,
        schedule,
        run,
    )
    out = _diagram(plane, [(rel, x, y) for (rel, x), y in runs.points], runs.results)
    out.update(steps=schedule.steps, gap=schedule.gap, rounds=runs.rounds)
    out["model_steps"] = int(sum(out["steps_run"]))
    out["columns_done"] = {f"{rel} {x:g}": why for (rel, x), why in runs.finished.items()}
    return out


def boundary_runs(diagram, relation, *, x_key, y_key="log_eta_dec", budget=None):
    """``(x, y, generalized)`` of the relation's runs that are not confusion, at ``budget`` steps.

    ``budget=None`` is the diagram's own budget; a smaller one re-classifies each run by Table IV
    from its first-reached steps (a run reaches the same accuracies at the same steps whatever
    the budget it was given, and early stopping ends a run only once its phase at the full budget
    is settled).
    """
    idx = [k for k, r in enumerate(diagram["relation"]) if r == relation]
    if not idx:
        raise ValueError(f"relation {relation!r} is not in the diagram")
    gap = int(diagram.get("gap", GAP))
    if budget is None:
        phases = [diagram["phase"][k] for k in idx]
    else:
        phases = [
            classify_phase(
                int(diagram["steps_to_train"][k]), int(diagram["steps_to_test"][k]), budget=budget, gap=gap
            )
            for k in idx
        ]
    keep = [(k, p) for k, p in zip(idx, phases) if p != "confusion"]
    x = np.array([diagram[x_key][k] for k, _ in keep], dtype=float)
    y = np.array([diagram[y_key][k] for k, _ in keep], dtype=float)
    g = np.array([is_generalizing(p) for _, p in keep], dtype=bool)
    return x, y, g


def boundary_fits(
    diagram,
    relation,
    *,
    x_key,
    y_key="log_eta_dec",
    budget=None,
    unit_slope=False,
    free_slope=True,
    curvature=False,
):
    """Maximum-likelihood boundary of one relation (:func:`verification.statistics.fit_boundary`).

    Returns ``(fit, fit_unit_slope)``: (``free_slope=True``) the line with free slope -- with
    ``curvature=True`` the parabola ``y0 = a + b (x - x_c) + c (x - x_c)^2``, or the line when
    there are fewer than three columns (a line's local slope is its slope) -- and
    (``unit_slope=True``) the constant-ratio line ``y0 = a + x`` whose intercept is ``log10 r*``;
    a fit not asked for is None.  Either is None when the runs cannot support it (no run, or a
    single column for the free slope).
    """
    x, y, g = boundary_runs(diagram, relation, x_key=x_key, y_key=y_key, budget=budget)
    if x.size == 0:
        return None, None
    columns = np.unique(x).size
    free = None
    if free_slope and columns >= 2:
        free = fit_boundary(x, y, g, curvature=curvature and columns >= 3)
    unit = fit_boundary(x, y, g, slope=1.0) if unit_slope else None
    return free, unit


def local_slopes_text(fit, xs, *, level=0.9, x_name="x") -> str:
    """The local slope of ``fit`` with its ``level`` interval at the low end, centre and high end of
    ``xs``, and the curvature: the words a phase-diagram row adds to its measurement."""
    lo, hi = min(xs), max(xs)
    parts = []
    for x in (lo, 0.5 * (lo + hi), hi):
        e = fit.local_slope(x, level)
        a, b = e.interval(level)
        parts.append(f"{e.value:.3g} [{a:.3g}, {b:.3g}] at {x:g}")
    text = f"local slope along {x_name} ({100 * level:g}% CI): " + ", ".join(parts)
    if fit.curved:
        a, b = fit.interval("curvature", level)
        c = fit.curvature if abs(fit.curvature) > 1e-9 else 0.0  # a symmetric diagram's is 0 to rounding
        text += f"; curvature {c:.3g} [{a:.3g}, {b:.3g}]"
    return text


def curve_summary(diagram, relation, *, x_key, y_key="log_eta_dec", level=0.9, points=13) -> dict | None:
    """JSON summary of the curvature-allowing boundary of one relation (None with under three columns).

    ``x_centre``, ``slope`` (at ``x_centre``), ``curvature`` and its ``level`` interval,
    ``local_slopes`` (``[x, slope, lo, hi]`` at the low end, centre and high end of the columns)
    and ``band`` (``[x, y0, lo, hi]`` at ``points`` values of ``x`` across the columns: the curve
    with its pointwise interval).
    """
    fit, _ = boundary_fits(diagram, relation, x_key=x_key, y_key=y_key, curvature=True)
    if fit is None or not fit.curved:
        return None
    xs = [c["x"] for c in fit.columns]
    lo, hi = min(xs), max(xs)
    slopes = []
    for x in (lo, 0.5 * (lo + hi), hi):
        e = fit.local_slope(x, level)
        slopes.append([float(x), e.value, *e.interval(level)])
    return {
        "x_centre": fit.x_centre,
        "slope": fit.slope,
        "curvature": fit.curvature,
        "curvature_interval": list(fit.interval("curvature", level)),
        "local_slopes": slopes,
        "band": [
            [float(x), fit.value(float(x)), *fit.interval(float(x), level)]
            for x in np.linspace(lo, hi, points)
        ],
        "level": level,
    }


def analyze_boundary(diagram, relation, *, x_key="log_eta_enc", y_key="log_eta_dec", level=0.9) -> dict:
    """JSON summary of the boundary fits of one relation (the figure's data; verdicts refit).

    Returns ``counts`` (phases), ``runs``, and for the free-slope fit ``slope`` with its ``level``
    interval, ``intercept``, ``width`` and ``columns`` (per column ``x``, ``runs``,
    ``generalized``, ``y0`` and its interval, ``censored``); ``curve``, the curvature-allowing fit
    (:func:`curve_summary`); for Figure 5 (``x_key="log_eta_enc"``) also ``log_ratio``
    (``log10 r*`` of the constant-ratio line) with its interval.
    """
    idx = [k for k, r in enumerate(diagram["relation"]) if r == relation]
    phases = [diagram["phase"][k] for k in idx]
    counts = {p: phases.count(p) for p in PHASE_COLOURS}
    out = {"counts": counts, "runs": len(idx)}
    free, unit = boundary_fits(diagram, relation, x_key=x_key, y_key=y_key, unit_slope=x_key == "log_eta_enc")
    nan2 = [math.nan, math.nan]
    if free is not None:
        out.update(
            slope=free.slope,
            slope_interval=list(free.interval("slope", level)),
            intercept=free.intercept,
            width=list(free.width),
            columns=[{**c, "interval": list(free.interval(c["x"], level))} for c in free.columns],
        )
    else:
        out.update(slope=math.nan, slope_interval=nan2, intercept=math.nan, width=[], columns=[])
    if unit is not None:
        out.update(log_ratio=unit.intercept, log_ratio_interval=list(unit.interval("intercept", level)))
        out["critical_ratio"] = 10.0**unit.intercept
    out["curve"] = curve_summary(diagram, relation, x_key=x_key, y_key=y_key, level=level)
    out["level"] = level
    return out


def diagram_data(params: dict, *, x_key: str, x_field: str, fixed=None, adaptive=None, run=None) -> dict:
    """Train the phase diagram ``params`` describes, fit every relation's boundary, count the cost.

    Parameters
    ----------
    params : dict
        The figure's settings as stored with its data: ``relations``, the columns
        ``params[x_key]``, ``log_eta_dec``, ``seeds``, ``seed``, ``steps``, ``n``, ``eval_every``
        and ``design``: ``"grid"`` (:func:`grid_diagram`: every point of
        ``params[x_key] x log_eta_dec``) or ``"adaptive"`` (:func:`adaptive_diagram` over the range
        of ``log_eta_dec``).
    x_key, x_field : str
        The columns' key and :class:`~verification.train_config.TrainConfig` field.
    fixed : dict, optional
        Further TrainConfig fields of every run.
    adaptive : dict, optional
        Options of the adaptive design (:data:`ADAPTIVE_OPTIONS`); its ``dense_runs_per_relation``
        is the dense design the cost is compared with.
    run : RunContext, optional
        Device, executor, cache, chunk size, progress.

    Returns
    -------
    dict
        The figure's data: ``params``, ``diagram``, ``boundary`` (:func:`analyze_boundary` per
        relation) and ``cost`` (runs and model-steps against the dense design's).
    """
    if params["design"] not in DESIGNS:
        raise ValueError(f"design must be 'grid' or 'adaptive', got {params['design']!r}")
    adaptive = dict(adaptive or {})
    plane = PhasePlane(
        params["relations"],
        x_key,
        x_field,
        params[x_key],
        params[Y_KEY],
        seeds=params["seeds"],
        seed=params["seed"],
        n=params["n"],
        fixed=fixed or {},
    )
    schedule = Schedule(steps=params["steps"], eval_every=params["eval_every"], gap=GAP)
    if params["design"] == "adaptive":
        design = _column_design(plane.ys, plane.seeds, adaptive)
        diagram = adaptive_diagram(plane, design, schedule, run)
    else:
        diagram = grid_diagram(plane, schedule, run)
    per_rel = adaptive.get("dense_runs_per_relation") or len(plane.xs) * len(plane.ys) * plane.seeds
    dense = len(plane.relations) * int(per_rel)
    return {
        "params": params,
        "diagram": diagram,
        "boundary": {rel: analyze_boundary(diagram, rel, x_key=x_key) for rel in plane.relations},
        "cost": {
            "runs": len(diagram["phase"]),
            "model_steps": int(diagram["model_steps"]),
            "dense_runs": dense,
            "dense_model_steps_bound": dense * params["steps"],
        },
    }


def budget_checked_row(diagram, relation, *, x_key, quantity, make_row, unit_slope=False, curvature=False):
    """A boundary row, checked at a quarter of the budget (:func:`verification.verdicts.budget_check`).

    ``make_row(fit)`` builds the row from the free-slope fit (``curvature=True``: the
    curvature-allowing one; see :func:`boundary_fits`) or, ``unit_slope=True``, the slope-1 fit;
    ``quantity`` (``"slope"``, ``"intercept"``, ``("slope", x)``, ``("ratio", x)``, ...) is compared
    between the full and the quarter budget.  Returns ``(row, fit, fit_quarter)`` (``fit_quarter``
    None when the runs at the quarter budget do not support it), or ``(None, None, None)`` when the
    runs do not support the fit.
    """
    pick = 1 if unit_slope else 0
    # only the fit the row reads
    which = {"unit_slope": unit_slope, "free_slope": not unit_slope, "curvature": curvature}
    fit = boundary_fits(diagram, relation, x_key=x_key, **which)[pick]
    if fit is None:
        return None, None, None
    row = make_row(fit)
    quarter = max(1, int(diagram["steps"]) // 4)
    fit_q = boundary_fits(diagram, relation, x_key=x_key, budget=quarter, **which)[pick]
    if fit_q is not None:
        row = budget_check(row, fit.estimate(quantity, level=0.9), fit_q.estimate(quantity, level=0.9))
    return row, fit, fit_q


def data_from_csv(path, settings: Mapping) -> dict:
    """A phase diagram's data for its checks (``evaluate``), rebuilt from the runs' CSV.

    The CSV is the one :func:`plot_phase_diagrams` writes (one row per run: relation, the column,
    ``log_eta_dec``, seed, phase, the steps at which the train and test accuracies were first
    reached, the final accuracies, the steps run), ``settings`` the figure's tier settings (the
    registry's).  Every per-run list is restored with its type, so the checks, which read the
    runs, their first-reached steps and the budget, give the rows the full data give; what the
    CSV does not hold (an adaptive design's ``rounds`` and ``columns_done``, the stored boundary
    summaries) is left out.

    Returns
    -------
    dict
        ``params`` (``settings`` without the adaptive options) and ``diagram`` (the per-run lists,
        ``steps``, ``gap`` and ``model_steps``).
    """
    types = {
        "relation": str,
        "phase": str,
        "seed": int,
        "steps_to_train": int,
        "steps_to_test": int,
        "steps_run": int,
    }
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    if not rows:
        raise ValueError(f"{path}: no runs")
    diagram = {k: [types.get(k, float)(r[k]) for r in rows] for k in rows[0]}
    params = {k: v for k, v in settings.items() if k != "adaptive"}
    diagram.update(steps=int(params["steps"]), gap=GAP, model_steps=int(sum(diagram["steps_run"])))
    return {"params": params, "diagram": diagram}


def _write_csv(diagram, path):
    # one row per run: only the per-run columns (an adaptive design's ``rounds`` is per round)
    runs = len(diagram["phase"])
    keys = [k for k in diagram if isinstance(diagram[k], list) and len(diagram[k]) == runs]
    with durable_open(path, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(keys)
        for row in zip(*(diagram[k] for k in keys)):
            w.writerow(row)


def _column_boundaries(diagram, relation, *, x_key, y_key, level):
    """``(x, lo, hi, y0)`` per column: the boundary fitted to that column's runs alone and its
    ``level`` profile-likelihood interval (one end infinite for a censored column)."""
    x, y, g = boundary_runs(diagram, relation, x_key=x_key, y_key=y_key)
    out = []
    for xv in np.unique(x):
        m = x == xv
        try:
            fit = fit_column(y[m], g[m], x=float(xv))
        except ValueError:
            continue
        lo, hi = fit.interval(float(xv), level)
        out.append((float(xv), float(lo), float(hi), float(fit.value(float(xv)))))
    return out


def _draw_runs(ax, diagram, relation, *, x_key, y_key, size):
    """Each sampled point of ``relation`` as a ``size`` rectangle split into one vertical stripe
    per run, coloured by the run's phase, so that a point whose seeds disagree shows it."""
    # imported here, as in plot_phase_diagrams (the caller, which has imported it already):
    # matplotlib.patches takes 0.17 s to import (measured), which the data and the checks do not need
    from matplotlib.patches import Rectangle

    dx, dy = size
    points: dict = {}
    for k, r in enumerate(diagram["relation"]):
        if r == relation:
            points.setdefault((diagram[x_key][k], diagram[y_key][k]), []).append(diagram["phase"][k])
    order = list(PHASE_COLOURS)
    for (xv, yv), phases in points.items():
        phases = sorted(phases, key=order.index)
        w = dx / len(phases)
        for j, phase in enumerate(phases):
            ax.add_patch(
                Rectangle((xv - dx / 2 + j * w, yv - dy / 2), w, dy, color=PHASE_COLOURS[phase], lw=0)
            )


def _draw_column_boundaries(ax, columns, ylim) -> None:
    """Each column's own boundary: a point with its interval, or a triangle at the finite end of a
    one-sided interval (pointing to the open side; on the edge when beyond it)."""
    for xv, lo, hi, y0 in columns:
        ax.plot([xv, xv], [max(lo, ylim[0]), min(hi, ylim[1])], "k-", lw=1.2)
        if math.isfinite(lo) and math.isfinite(hi):
            if ylim[0] <= y0 <= ylim[1]:
                ax.plot([xv], [y0], "ko", ms=3.5)
        elif math.isfinite(lo):  # one-sided: the boundary is above lo
            ax.plot([xv], [min(max(lo, ylim[0]), ylim[1])], "k^", ms=4.5, clip_on=False)
        elif math.isfinite(hi):  # one-sided: below hi
            ax.plot([xv], [min(max(hi, ylim[0]), ylim[1])], "kv", ms=4.5, clip_on=False)


def _draw_keys(fig, ncol, level, reference_label) -> None:
    """The keys of the lines and of the phases below the panels, so that they hide no run."""
    # imported here, as pyplot is in plot_phase_diagrams (matplotlib's import cost, measured there)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    pct = f"{100 * level:g}%"
    lines = [
        (Line2D([], [], color="k", lw=1.6), "fit allowing curvature"),
        (Patch(color="0.5", alpha=0.25, lw=0), f"its {pct} band"),
        (Line2D([], [], color="0.15", ls=":", lw=1.3), "straight-line fit"),
        (Line2D([], [], color="k", ls="--", lw=1), reference_label),
        (Line2D([], [], color="k", marker="o", ms=3.5, lw=1.2), f"per column ({pct} CI)"),
    ]
    phases = [(Patch(color=c), p) for p, c in PHASE_COLOURS.items()]
    # one row of line keys under two or more panels, two rows under one (so that none is cut off)
    per_row = 5 if ncol >= 2 else 3
    rows = math.ceil(len(lines) / per_row)
    inch = 1 / fig.get_figheight()  # a line of 8-point keys is about 0.22 inch high
    fig.legend(
        *zip(*phases), loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=4, fontsize=8, frameon=False
    )
    fig.legend(
        *zip(*lines),
        loc="lower center",
        bbox_to_anchor=(0.5, 0.25 * inch),
        ncol=per_row,
        fontsize=8,
        frameon=False,
    )
    fig.tight_layout(rect=(0, (0.3 + 0.22 * rows) * inch, 1, 1))


def plot_phase_diagrams(
    data,
    out_dir,
    *,
    name,
    x_key,
    x_label,
    reference_slope,
    reference_intercept,
    reference_label,
    y_key="log_eta_dec",
    y_label=r"$\log_{10}\,\eta_{\rm dec}$",
) -> list[str]:
    """One panel per relation (PNG) and the runs (CSV); return the paths.

    Each sampled point is a rectangle split into one stripe per run, coloured by the run's phase
    (key below the panels), so that points whose seeds disagree are visible.  The fitted boundary,
    allowing curvature (:func:`curve_summary`), is solid, with its pointwise interval shaded grey,
    and its local slope at the low end, centre and high end of the columns is in the panel's title;
    the straight line fitted to the same runs is dotted.  Each column's own boundary, fitted to that
    column's runs alone (:func:`verification.statistics.fit_column`), is a black point with its
    interval (a one-sided interval, as for a column where all or none generalize, is a bar from a
    triangle at its finite end, pointing to the open side), so a boundary that is not a line (a
    threshold) shows as points off it.  The reference line of the paper is dashed.  The key of the
    lines and of the phases is below the panels, so that it hides no run.
    """
    # imported here: matplotlib.pyplot takes 0.37 s to import (measured), which the data and the
    # checks do not need, and choosing the Agg backend at import would change the caller's
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    diagram = data["diagram"]
    relations = data["params"]["relations"]
    ncol = len(relations)
    fig, axes = plt.subplots(1, ncol, figsize=(max(4.4 * ncol, 6.4), 4.9), squeeze=False)
    xs_all, ys_all = np.unique(diagram[x_key]), np.unique(diagram[y_key])
    dx = float(np.diff(xs_all).min()) if xs_all.size > 1 else 0.5
    dy = float(np.diff(ys_all).min()) if ys_all.size > 1 else 0.5
    xlim = (xs_all[0] - dx / 2, xs_all[-1] + dx / 2)
    ylim = (ys_all[0] - dy / 2, ys_all[-1] + dy / 2)
    level = 0.9
    for panel, (ax, rel) in enumerate(zip(axes[0], relations)):
        _draw_runs(ax, diagram, rel, x_key=x_key, y_key=y_key, size=(dx, dy))
        b = data["boundary"][rel]
        level = float(b.get("level", 0.9))
        # data cached before the curved fit existed carry no "curve": fit it from the runs
        curve = (
            b["curve"] if "curve" in b else curve_summary(diagram, rel, x_key=x_key, y_key=y_key, level=level)
        )
        title = f"({chr(ord('a') + panel)}) {relation_label(rel)}"
        if curve is not None:
            band = np.array(curve["band"], dtype=float)
            ax.fill_between(band[:, 0], *np.clip(band[:, 2:4].T, *ylim), color="0.5", alpha=0.25, lw=0)
            ax.plot(band[:, 0], band[:, 1], "k-", lw=1.6)
            at = " / ".join(f"{s[0]:g}" for s in curve["local_slopes"])
            slopes = " / ".join(f"{s[1]:.2f}" for s in curve["local_slopes"])
            title += f"\nlocal slope at {at}: {slopes}"
        _draw_column_boundaries(
            ax, _column_boundaries(diagram, rel, x_key=x_key, y_key=y_key, level=level), ylim
        )
        line_x = np.array(xlim)
        if math.isfinite(b.get("slope", math.nan)):
            ax.plot(line_x, b["slope"] * line_x + b["intercept"], ":", color="0.15", lw=1.3)
        ax.plot(line_x, reference_slope * line_x + reference_intercept, "k--", lw=1)
        ax.set_xlim(xlim)
        ax.set_ylim(ylim)
        ax.set_xticks(xs_all if xs_all.size <= 7 else xs_all[:: int(math.ceil(xs_all.size / 7))])
        ax.tick_params(axis="x", labelrotation=0, labelsize=8)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
    _draw_keys(fig, ncol, level, reference_label)
    png = os.path.join(out_dir, f"{name}.png")
    fig.savefig(png, dpi=120)
    plt.close(fig)
    path_csv = os.path.join(out_dir, f"{name}.csv")
    _write_csv(diagram, path_csv)
    return [png, path_csv]
