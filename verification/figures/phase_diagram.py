"""Phase diagrams over two learning-rate-like axes (Figures 5 and 8 of [1]_): runs, boundary, plot.

Shared by :mod:`verification.figures.figure5` (``x = log10 eta_enc``) and
:mod:`verification.figures.figure8` (``x = log10 wd_dec``); ``y = log10 eta_dec`` in both.

* :func:`grid_phase_diagram` trains one model per (relation, grid point, seed) and classifies it
  by Table IV (Appendix B).
* :func:`boundary_fits` fits the generalization/memorization boundary ``y0(x) = a + b x`` to
  *every* run by maximum likelihood (:func:`verification.statistics.fit_boundary`; generalization
  and grokking on one side, memorization on the other, confusion left out).  A column in which
  every run (or none) generalizes is not dropped: its runs bound the line from one side.  The
  same fit is made with the phases the runs had at a quarter of the budget (read off the same
  runs' first-reached steps), so that a boundary that still moves with the budget (late
  grokking) is seen.
* :func:`analyze_boundary` is the JSON summary the figure stores and plots.
* :func:`plot_phase_diagrams` draws one panel per relation, with a colour key of the phases.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import csv
import itertools
import math
import os

import numpy as np

from verification.figures._common import model_seeds
from verification.phases import classify_phase, is_generalizing
from verification.sweeps import train_points
from verification.training import TrainConfig

__all__ = [
    "PHASE_COLOURS",
    "grid_phase_diagram",
    "adaptive_phase_diagram",
    "column_next_points",
    "boundary_runs",
    "boundary_fits",
    "analyze_boundary",
    "diagram_data",
    "budget_checked_row",
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


def grid_phase_diagram(
    relations,
    *,
    axes,
    fixed=None,
    seeds=1,
    seed=0,
    steps=10_000,
    n=30,
    train_fraction=0.75,
    eval_every=10,
    gap=GAP,
    device=None,
    progress=False,
    executor=None,
    cache=None,
    chunk_size=None,
) -> dict:
    """One model per (relation, grid point, seed) on a log10 grid of two TrainConfig fields; pure.

    Parameters
    ----------
    relations : str or list of str
        Relation names.
    axes : list of (column, field, log10 values)
        The grid axes, outermost first, e.g. ``[("log_eta_enc", "eta_enc", [-4, -3])]``; each
        config gets ``field = 10**value`` and each row the column ``column = value``.
    fixed : dict, optional
        Further :class:`~verification.training.TrainConfig` fields shared by every run.
    seeds : int
        Independent runs per grid point: model seeds ``model_seeds(seed, seeds)`` (initialisation
        and split; disjoint from every other experiment seed's).
    steps, n, train_fraction, eval_every, gap :
        Step budget, elements, training fraction, evaluation period and grokking gap.
    device, progress, executor, cache, chunk_size :
        As in :func:`verification.sweeps.train_points`.

    Returns
    -------
    dict of lists
        One entry per run: ``relation``, the axis columns, ``seed``, ``phase``, ``steps_to_train``,
        ``steps_to_test``, ``train_acc``, ``test_acc``; plus ``steps`` and ``gap``.
    """
    if isinstance(relations, str):
        relations = [relations]
    if isinstance(seeds, bool) or not isinstance(seeds, int) or seeds < 1:
        raise ValueError(f"seeds must be a positive integer, got {seeds!r}")
    fixed = dict(fixed or {})
    grids = [[float(v) for v in values] for _, _, values in axes]
    cells = [(rel, point) for rel in relations for point in itertools.product(*grids)]
    per_point = model_seeds(seed, seeds)
    runs = train_points(
        [
            [
                TrainConfig(
                    relation=rel,
                    n=n,
                    train_fraction=train_fraction,
                    seed=s,
                    **{field: 10.0**v for (_, field, _), v in zip(axes, point)},
                    **fixed,
                )
                for s in per_point
            ]
            for rel, point in cells
        ],
        steps=steps,
        eval_every=eval_every,
        gap=gap,
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
    )
    out = {"relation": [rel for rel, _ in cells for _ in range(seeds)]}
    for k, (column, _, _) in enumerate(axes):
        out[column] = [point[k] for _, point in cells for _ in range(seeds)]
    out["seed"] = [s for _ in cells for s in per_point]
    for key in ("phase", "steps_to_train", "steps_to_test", "train_acc", "test_acc", "steps_run"):
        out[key] = [v for r in runs for v in r[key]]
    out["steps"] = int(steps)
    out["gap"] = int(gap)
    out["model_steps"] = int(sum(out["steps_run"]))
    return out


def column_next_points(y, generalized, *, y_range, precision, resolution, edge_runs=None):
    """The next decoder rates of one column of a sequential phase diagram, or why it is finished.

    The column's boundary ``y0`` (where ``P(generalize) = 1/2``) is fitted by
    :func:`verification.statistics.propose_column_points` (probit maximum likelihood, profile
    interval at 95 %).  Then:

    * ``"precise"``: the interval is narrower than ``precision``;
    * otherwise the proposed points that lie in ``y_range`` (bisection of the interval, or a step
      outward while the column is censored);
    * if every proposal lies outside ``y_range`` (the interval reaches past an end of the range,
      e.g. a column whose runs at the range's end are split), the range is searched *inside*:
      the midpoint of the part of the interval within the range, plus more seeds at the range's
      end on the interval's unbounded side while that end has fewer than ``edge_runs`` runs.
      Only when that part is narrower than ``precision`` is the column finished, ``"beyond the
      range"`` (its boundary lies within ``precision`` of the end, or past it: a censored column,
      which enters the boundary fit as the bound it is).

    Before this rule (session 4), a column whose seeds split at the range's end was closed after
    its first round although the range inside was never sampled (the first run of Figure 8's
    full tier: 10 of 15 columns closed with 4 runs each).

    Parameters
    ----------
    y, generalized : sequences
        The column's non-confusion runs: decoder rate (log10) and whether the run generalized.
    y_range : (float, float)
        Allowed rates.
    precision, resolution : float
        Stopping width of the interval, and the grid new points are rounded to.
    edge_runs : int, optional
        Runs at the range's end beyond which no more seeds are put there (default: no more).

    Returns
    -------
    (str or None, list of float)
        Why the column is finished (``None`` while open) and its next points.

    Examples
    --------
    Seeds split at the lower end, memorization at the upper end: search inside the range.

    >>> column_next_points([-5, -5, -2, -2], [True, False, False, False], y_range=(-5, -2),
    ...                    precision=0.5, resolution=0.125, edge_runs=6)
    (None, [-3.5, -5.0])
    """
    from verification.statistics import propose_column_points

    lo, hi = (float(v) for v in y_range)
    yv = [float(v) for v in y]
    prop = propose_column_points(
        yv,
        list(generalized),
        precision=precision,
        resolution=resolution,
        s_min=precision / 4,
        step=2 * resolution,
    )
    if prop["done"]:
        return "precise", []
    inside = [p for p in prop["next"] if lo - 1e-9 <= p <= hi + 1e-9]
    if inside:
        return None, inside
    a_int, b_int = prop["interval"]
    a, b = max(a_int, lo), min(b_int, hi)
    if not b - a >= precision:
        return "beyond the range", []
    points = [round(0.5 * (a + b) / resolution) * resolution]
    for end, open_side in ((lo, not math.isfinite(a_int)), (hi, not math.isfinite(b_int))):
        runs = sum(abs(v - end) < 1e-9 for v in yv)
        if open_side and edge_runs is not None and runs < edge_runs:
            points.append(end)
    return None, [float(p) for p in dict.fromkeys(points)]


def adaptive_phase_diagram(
    relations,
    *,
    x_axis,
    y_axis,
    y_range,
    initial_points=4,
    seeds=2,
    seed=0,
    precision=0.5,
    resolution=0.125,
    max_rounds=5,
    max_runs=None,
    fixed=None,
    steps=10_000,
    n=30,
    train_fraction=0.75,
    eval_every=10,
    gap=GAP,
    device=None,
    progress=False,
    executor=None,
    cache=None,
    chunk_size=None,
) -> dict:
    """A phase diagram sampled where the boundary is uncertain (sequential design, issue 15).

    Each column ``x`` of each relation starts with ``initial_points`` values of ``y`` spread over
    ``y_range`` (``seeds`` runs each).  After every round the column's boundary is fitted
    (:func:`verification.statistics.propose_column_points`: a probit fit of the column, bisection
    of its profile-likelihood interval, a step outward while the column is censored); the column
    is done when its 95 % interval is narrower than ``precision`` decades, or when the part of the
    interval inside ``y_range`` is (the boundary lies at or beyond an end of the range: a censored
    column, kept as the bound it is); :func:`column_next_points` is the rule.
    All proposed points of all columns and relations train as one batch per round,
    through the result cache when one is given (a finished round is not recomputed), so the rounds
    cost a few batched ensembles instead of a dense grid.

    Parameters
    ----------
    x_axis : (column, field, values)
        The horizontal axis, e.g. ``("log_eta_enc", "eta_enc", [-5, -4.5, ...])``.
    y_axis : (column, field)
        The vertical axis, e.g. ``("log_eta_dec", "eta_dec")``; its values are chosen here.
    y_range : (float, float)
        Allowed ``y`` values (log10).
    precision, resolution : float
        Stopping width of a column's interval, and the grid to which new points are rounded.
    max_rounds, max_runs : int, optional
        At most this many rounds (the first included) and runs in all: a round that would pass
        ``max_runs`` trains only the points that fit (in column order), so the design never costs
        more than ``max_runs`` runs of ``steps`` steps.
    Other parameters as in :func:`grid_phase_diagram`.

    Returns
    -------
    dict
        As :func:`grid_phase_diagram` (one entry per run), plus ``rounds`` (per round: ``runs``,
        ``model_steps``, ``open_columns``), ``model_steps`` (steps actually trained) and
        ``columns_done``.
    """
    if isinstance(relations, str):
        relations = [relations]
    xcol, xfield, xs = x_axis
    ycol, yfield = y_axis
    lo, hi = (float(v) for v in y_range)
    if not lo < hi:
        raise ValueError(f"y_range must be increasing, got {y_range!r}")
    fixed = dict(fixed or {})
    diagram = {
        k: []
        for k in (
            "relation",
            xcol,
            ycol,
            "seed",
            "phase",
            "steps_to_train",
            "steps_to_test",
            "train_acc",
            "test_acc",
            "steps_run",
        )
    }
    runs_at: dict = {}
    start = [
        round((lo + (hi - lo) * i / max(initial_points - 1, 1)) / resolution) * resolution
        for i in range(initial_points)
    ]
    todo = {(rel, float(x)): start for rel in relations for x in xs}
    rounds, done = [], {}
    for r in range(max_rounds):
        if not todo:
            break
        batch, points = [], []
        budget = math.inf if max_runs is None else int(max_runs) - len(diagram["phase"])
        if budget < seeds:
            break
        for (rel, x), ys in todo.items():
            for yv in ys:
                if (len(batch) + 1) * seeds > budget:
                    break
                k = runs_at.get((rel, x, yv), 0)
                cfgs = [
                    TrainConfig(
                        relation=rel,
                        n=n,
                        train_fraction=train_fraction,
                        seed=s,
                        **{xfield: 10.0**x, yfield: 10.0**yv},
                        **fixed,
                    )
                    for s in model_seeds(seed, seeds, start=k)
                ]
                runs_at[(rel, x, yv)] = k + seeds
                batch.append(cfgs)
                points.append((rel, x, yv, k))
        results = train_points(
            batch,
            steps=steps,
            eval_every=eval_every,
            gap=gap,
            device=device,
            progress=progress,
            executor=executor,
            cache=cache,
            chunk_size=chunk_size,
            desc=f"round {r + 1} (of at most {max_rounds}; {len(diagram['phase'])} runs before it"
            + ("" if max_runs is None else f", at most {int(max_runs)}")
            + ")",
        )
        for (rel, x, yv, k), res in zip(points, results):
            m = len(res["phase"])
            diagram["relation"] += [rel] * m
            diagram[xcol] += [x] * m
            diagram[ycol] += [yv] * m
            diagram["seed"] += model_seeds(seed, m, start=k)
            for key in ("phase", "steps_to_train", "steps_to_test", "train_acc", "test_acc", "steps_run"):
                diagram[key] += res[key]
        rounds.append(
            {
                "runs": sum(len(b) for b in batch),
                "model_steps": int(sum(v for res in results for v in res["steps_run"])),
                "open_columns": len(todo),
            }
        )
        nxt = {}
        for rel, x in todo:
            sel = [
                i
                for i, (a, b) in enumerate(zip(diagram["relation"], diagram[xcol]))
                if a == rel and b == x and diagram["phase"][i] != "confusion"
            ]
            if not sel:
                done[(rel, x)] = "confusion only"
                continue
            yv = [diagram[ycol][i] for i in sel]
            g = [is_generalizing(diagram["phase"][i]) for i in sel]
            why, points = column_next_points(
                yv, g, y_range=(lo, hi), precision=precision, resolution=resolution, edge_runs=3 * seeds
            )
            if why is None:
                nxt[(rel, x)] = points
            else:
                done[(rel, x)] = why
        todo = nxt
    for key in todo:
        done[key] = "budget exhausted"
    diagram["steps"] = int(steps)
    diagram["gap"] = int(gap)
    diagram["rounds"] = rounds
    diagram["model_steps"] = int(sum(diagram["steps_run"]))
    diagram["columns_done"] = {f"{rel} {x:g}": why for (rel, x), why in done.items()}
    return diagram


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
    diagram, relation, *, x_key, y_key="log_eta_dec", budget=None, unit_slope=False, free_slope=True
):
    """Maximum-likelihood boundary of one relation (:func:`verification.statistics.fit_boundary`).

    Returns ``(fit, fit_unit_slope)``: (``free_slope=True``) the line with free slope, and
    (``unit_slope=True``) the constant-ratio line ``y0 = a + x`` whose intercept is ``log10 r*``;
    a fit not asked for is None.  Either is None when the runs cannot support it (no run, or a
    single column for the free slope).
    """
    from verification.statistics import fit_boundary

    x, y, g = boundary_runs(diagram, relation, x_key=x_key, y_key=y_key, budget=budget)
    if x.size == 0:
        return None, None
    free = fit_boundary(x, y, g) if free_slope and np.unique(x).size >= 2 else None
    unit = fit_boundary(x, y, g, slope=1.0) if unit_slope else None
    return free, unit


def analyze_boundary(diagram, relation, *, x_key="log_eta_enc", y_key="log_eta_dec", level=0.9) -> dict:
    """JSON summary of the boundary fits of one relation (the figure's data; verdicts refit).

    Returns ``counts`` (phases), ``runs``, and for the free-slope fit ``slope`` with its ``level``
    interval, ``intercept``, ``width`` and ``columns`` (per column ``x``, ``runs``,
    ``generalized``, ``y0`` and its interval, ``censored``); for Figure 5 (``x_key="log_eta_enc"``)
    also ``log_ratio`` (``log10 r*`` of the constant-ratio line) with its interval.
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
    out["level"] = level
    return out


def diagram_data(
    params: dict,
    *,
    x_key: str,
    x_field: str,
    fixed=None,
    adaptive=None,
    device=None,
    progress=False,
    executor=None,
    cache=None,
    chunk_size=None,
) -> dict:
    """Train the phase diagram ``params`` describes, fit every relation's boundary, count the cost.

    ``params`` holds ``relations``, the columns ``params[x_key]``, ``log_eta_dec``, ``seeds``,
    ``seed``, ``steps``, ``n``, ``eval_every`` and ``design``: ``"grid"`` (every point of
    ``params[x_key] x log_eta_dec``) or ``"adaptive"`` (:func:`adaptive_phase_diagram` over the
    range of ``log_eta_dec``, options ``adaptive``; its ``dense_runs_per_relation`` is the dense
    design the cost is compared with).  ``x_field`` is the :class:`~verification.training.TrainConfig`
    field of the columns, ``fixed`` further fields of every run.  Returns the figure's data:
    ``params``, ``diagram``, ``boundary`` (:func:`analyze_boundary` per relation) and ``cost``
    (runs and model-steps against the dense design's).
    """
    if params["design"] not in ("grid", "adaptive"):
        raise ValueError(f"design must be 'grid' or 'adaptive', got {params['design']!r}")
    options = dict(adaptive or {})
    dense_per_rel = options.pop("dense_runs_per_relation", None)
    run = {
        "seeds": params["seeds"],
        "seed": params["seed"],
        "steps": params["steps"],
        "n": params["n"],
        "eval_every": params["eval_every"],
        "fixed": fixed,
        "device": device,
        "progress": progress,
        "executor": executor,
        "cache": cache,
        "chunk_size": chunk_size,
    }
    if params["design"] == "adaptive":
        diagram = adaptive_phase_diagram(
            params["relations"],
            x_axis=(x_key, x_field, params[x_key]),
            y_axis=("log_eta_dec", "eta_dec"),
            y_range=(min(params["log_eta_dec"]), max(params["log_eta_dec"])),
            **run,
            **options,
        )
    else:
        diagram = grid_phase_diagram(
            params["relations"],
            axes=[(x_key, x_field, params[x_key]), ("log_eta_dec", "eta_dec", params["log_eta_dec"])],
            **run,
        )
    per_rel = int(dense_per_rel or len(params[x_key]) * len(params["log_eta_dec"]) * params["seeds"])
    dense = len(params["relations"]) * per_rel
    return {
        "params": params,
        "diagram": diagram,
        "boundary": {rel: analyze_boundary(diagram, rel, x_key=x_key) for rel in params["relations"]},
        "cost": {
            "runs": len(diagram["phase"]),
            "model_steps": int(diagram["model_steps"]),
            "dense_runs": dense,
            "dense_model_steps_bound": dense * params["steps"],
        },
    }


def budget_checked_row(diagram, relation, *, x_key, quantity, make_row, unit_slope=False):
    """A boundary row, checked at a quarter of the budget (:func:`verification.verdicts.budget_check`).

    ``make_row(fit)`` builds the row from the free-slope fit (or, ``unit_slope=True``, the slope-1
    fit); ``quantity`` (``"slope"``, ``"intercept"``) is compared between the full and the quarter
    budget.  Returns ``(row, fit, fit_quarter)`` (``fit_quarter`` None when the runs at the quarter
    budget do not support it), or ``(None, None, None)`` when the runs do not support the fit.
    """
    from verification.verdicts import budget_check

    pick = 1 if unit_slope else 0
    which = {"unit_slope": unit_slope, "free_slope": not unit_slope}  # only the fit the row reads
    fit = boundary_fits(diagram, relation, x_key=x_key, **which)[pick]
    if fit is None:
        return None, None, None
    row = make_row(fit)
    quarter = max(1, int(diagram["steps"]) // 4)
    fit_q = boundary_fits(diagram, relation, x_key=x_key, budget=quarter, **which)[pick]
    if fit_q is not None:
        row = budget_check(row, fit.estimate(quantity, level=0.9), fit_q.estimate(quantity, level=0.9))
    return row, fit, fit_q


def _write_csv(diagram, path):
    # one row per run: only the per-run columns (an adaptive design's ``rounds`` is per round)
    runs = len(diagram["phase"])
    keys = [k for k in diagram if isinstance(diagram[k], list) and len(diagram[k]) == runs]
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(keys)
        for row in zip(*(diagram[k] for k in keys)):
            w.writerow(row)


def _column_boundaries(diagram, relation, *, x_key, y_key, level):
    """``(x, lo, hi, y0)`` per column: the boundary fitted to that column's runs alone and its
    ``level`` profile-likelihood interval (one end infinite for a censored column)."""
    from verification.statistics import fit_column

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
    (key below the panels), so that points whose seeds disagree are visible.  The fitted boundary
    line is solid, with its pointwise interval shaded grey; each column's own boundary, fitted to
    that column's runs alone (:func:`verification.statistics.fit_column`), is a black point with
    its interval (a one-sided interval, as for a column where all or none generalize, is a bar
    from a triangle at its finite end, pointing to the open side), so a boundary that is not a line
    (a threshold) shows as points off it.  The reference line of the paper is dashed.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    os.makedirs(out_dir, exist_ok=True)
    diagram = data["diagram"]
    relations = data["params"]["relations"]
    ncol = len(relations)
    fig, axes = plt.subplots(1, ncol, figsize=(max(4.4 * ncol, 6.4), 4.4), squeeze=False)
    xs_all, ys_all = np.unique(diagram[x_key]), np.unique(diagram[y_key])
    dx = float(np.diff(xs_all).min()) if xs_all.size > 1 else 0.5
    dy = float(np.diff(ys_all).min()) if ys_all.size > 1 else 0.5
    xlim = (xs_all[0] - dx / 2, xs_all[-1] + dx / 2)
    ylim = (ys_all[0] - dy / 2, ys_all[-1] + dy / 2)
    for panel, (ax, rel) in enumerate(zip(axes[0], relations)):
        points: dict = {}
        for k, r in enumerate(diagram["relation"]):
            if r == rel:
                points.setdefault((diagram[x_key][k], diagram[y_key][k]), []).append(diagram["phase"][k])
        order = list(PHASE_COLOURS)
        for (xv, yv), ph in points.items():
            # one vertical stripe per run (seed), so that a point whose seeds disagree shows it
            ph = sorted(ph, key=order.index)
            w = dx / len(ph)
            for j, p in enumerate(ph):
                ax.add_patch(
                    plt.Rectangle((xv - dx / 2 + j * w, yv - dy / 2), w, dy, color=PHASE_COLOURS[p], lw=0)
                )
        b = data["boundary"][rel]
        level = float(b.get("level", 0.9))
        cols = sorted(b.get("columns", []), key=lambda c: c["x"])
        if len(cols) >= 2:
            cx = [c["x"] for c in cols]
            band = np.clip(np.array([c["interval"] for c in cols], dtype=float), *ylim)
            ax.fill_between(
                cx, band[:, 0], band[:, 1], color="0.5", alpha=0.2, lw=0, label=f"line: {100 * level:g}% band"
            )
        for xv, lo, hi, y0 in _column_boundaries(diagram, rel, x_key=x_key, y_key=y_key, level=level):
            ax.plot([xv, xv], [max(lo, ylim[0]), min(hi, ylim[1])], "k-", lw=1.2)
            if math.isfinite(lo) and math.isfinite(hi):
                if ylim[0] <= y0 <= ylim[1]:
                    ax.plot([xv], [y0], "ko", ms=3.5)
            elif math.isfinite(lo):  # one-sided: the boundary is above lo (on the edge if beyond it)
                ax.plot([xv], [min(max(lo, ylim[0]), ylim[1])], "k^", ms=4.5, clip_on=False)
            elif math.isfinite(hi):  # one-sided: below hi
                ax.plot([xv], [min(max(hi, ylim[0]), ylim[1])], "kv", ms=4.5, clip_on=False)
        line_x = np.array(xlim)
        if math.isfinite(b.get("slope", math.nan)):
            lo, hi = b["slope_interval"]
            ax.plot(
                line_x,
                b["slope"] * line_x + b["intercept"],
                "k-",
                lw=1.5,
                label=f"fit: slope {b['slope']:.2f} [{lo:.2f}, {hi:.2f}]",
            )
        ax.plot(line_x, reference_slope * line_x + reference_intercept, "k--", lw=1, label=reference_label)
        ax.errorbar([], [], yerr=[], fmt="ko", ms=3.5, lw=1.2, label=f"per column ({100 * level:g}% CI)")
        ax.set_xlim(xlim)
        ax.set_ylim(ylim)
        ax.set_xticks(xs_all if xs_all.size <= 7 else xs_all[:: int(math.ceil(xs_all.size / 7))])
        ax.tick_params(axis="x", labelrotation=0, labelsize=8)
        ax.set_title(f"({chr(ord('a') + panel)}) {rel}", fontsize=10)
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        ax.legend(fontsize=7, loc="upper left", framealpha=0.85)
    key = [Patch(color=c, label=p) for p, c in PHASE_COLOURS.items()]
    fig.legend(handles=key, loc="lower center", ncol=4, fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    png = os.path.join(out_dir, f"{name}.png")
    fig.savefig(png, dpi=120)
    plt.close(fig)
    path_csv = os.path.join(out_dir, f"{name}.csv")
    _write_csv(diagram, path_csv)
    return [png, path_csv]
