"""Figure 5: phase diagram over the encoder and decoder learning rates (Section IV of [1]_).

Prediction (Theorem 3, Eq. (12)): the probability of generalizable representation learning
depends on the learning rates only through their ratio, so in the log-log plane
``(log10 eta_enc, log10 eta_dec)`` the generalization/memorization boundary is a constant-ratio
line, ``log10 eta_dec* = log10 eta_enc + log10 r*``: slope 1 with ``eta_enc`` on the horizontal
and ``eta_dec`` on the vertical axis, increasing upwards.  (The paper calls it "slope -1"; a
constant ratio has slope +1 in these axes, so the sign refers to the orientation of its figure's
axes.)  The paper reads the critical ratio ``r* = eta_dec / eta_enc`` as about 10 ("generalization
requires eta_dec / eta_enc <~ 10"), the same for mod 3, greater-than and complete bipartite.

:func:`phase_diagram` trains one model per (relation, eta_enc, eta_dec, seed) with
:func:`~verification.training.train_ensemble` and classifies it by Table IV;
:func:`analyze_boundary` locates the boundary in every ``eta_enc`` column
(:func:`~verification.phases.column_boundaries`, generalization and grokking versus memorization,
confusion excluded), fits its slope (:func:`~verification.phases.fit_boundary_line`) and the
critical ratio; :func:`figure5_data` does both for several relations; :func:`plot` draws the
diagrams.  ``geneft figure 5`` is the command-line front-end.

Scale.  The paper trains up to 10^5 Adam steps (Table III defaults otherwise) on a grid whose range
it does not state.  The full tier (``--full``) runs 10^5 steps on rates 1e-5 .. 1e-2 (encoder) and
1e-5 .. 1e-1 (decoder), 0.25-decade steps, 3 seeds per point.  The quick tier runs 4,000 steps on
encoder rates 1e-4 .. 10^-2.5 (Table III's 1e-3 inside) and decoder rates 1e-4 .. 10^-1.5, a 0.5-decade grid,
one seed per point (72 runs).  Measured in a 5,000-step pilot: generalizing runs reach 90% test
accuracy within ~1,200 steps at eta_enc = 10^-3.5 (about 2.5x faster per half decade of rate) and
most memorizing runs reach 90% train accuracy within ~600; none grokked within 5,000 steps.
At higher rates (decoder >= 0.1, encoder 1e-2) Adam training becomes unstable and the high-ratio
side is confusion rather than memorization, leaving no boundary to fit, so the grid stops there.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import argparse
import csv
import os

import numpy as np

from verification.phases import column_boundaries, fit_boundary_line, is_generalizing
from verification.sweeps import add_sweep_arguments, sweep_kwargs_from_args, train_grid
from verification.training import TrainConfig

__all__ = [
    "QUICK",
    "FULL",
    "phase_diagram",
    "analyze_boundary",
    "figure5_data",
    "plot",
    "add_arguments",
    "run",
]

#: quick tier: 4,000 steps, encoder rates 1e-4 .. 10^-2.5, 0.5-decade grid, one seed per point
QUICK = {
    "relations": ["mod3", "greater", "bipartite"],
    "log_eta_enc": [-4.0, -3.5, -3.0, -2.5],
    "log_eta_dec": [-4.0, -3.5, -3.0, -2.5, -2.0, -1.5],
    "seeds": 1,
    "steps": 4_000,
    "n": 30,
}
#: full tier: the paper's 10^5 steps, rates 1e-5 .. 1e-2 on a 0.25-decade grid, 3 seeds
FULL = {
    "relations": ["mod3", "greater", "bipartite"],
    "log_eta_enc": [float(v) for v in np.arange(-5.0, -1.99, 0.25)],
    "log_eta_dec": [float(v) for v in np.arange(-5.0, -0.99, 0.25)],
    "seeds": 3,
    "steps": 100_000,
    "n": 30,
}


def phase_diagram(
    relations,
    *,
    log_eta_enc,
    log_eta_dec,
    seeds=1,
    seed=0,
    steps=10_000,
    n=30,
    train_fraction=0.75,
    eval_every=10,
    gap=1_000,
    extra=None,
    device=None,
    progress=False,
    executor=None,
    cache=None,
    chunk_size=None,
) -> dict:
    """Train and classify one model per (relation, eta_enc, eta_dec, seed); a pure function.

    Parameters
    ----------
    relations : list of str
        Relation names (``"mod3"``, ``"greater"``, ``"bipartite"``); all are trained in one batch.
    log_eta_enc, log_eta_dec : list of float
        log10 of the encoder and decoder learning rates (a full grid).
    seeds : int
        Independent runs per grid point, seeds ``seed, seed + 1, ...`` (initialisation and split).
    steps, n, train_fraction, eval_every, gap :
        Step budget, elements, training fraction, evaluation period and grokking gap.
    extra : dict, optional
        Further :class:`~verification.training.TrainConfig` fields (e.g. ``{"wd_dec": 0.1}``).
    executor, cache, chunk_size : optional
        Run the grid in chunks of ``chunk_size`` configs through an executor (``"local"``, ``"ray"``
        or :func:`verification.runtime.get_executor`) and an on-disk
        :class:`~verification.runtime.result_cache.ResultCache`
        (:func:`verification.sweeps.run_phase_diagram`).  The default is one batched ensemble of the
        whole grid; per-config results depend neither on the chunking nor on the executor.

    Returns
    -------
    dict of lists
        One entry per run: ``relation``, ``log_eta_enc``, ``log_eta_dec``, ``seed``, ``phase``,
        ``steps_to_train``, ``steps_to_test``, ``train_acc``, ``test_acc``; plus ``steps``.
    """
    return grid_phase_diagram(
        relations,
        axes=[("log_eta_enc", "eta_enc", log_eta_enc), ("log_eta_dec", "eta_dec", log_eta_dec)],
        fixed=extra,
        seeds=seeds,
        seed=seed,
        steps=steps,
        n=n,
        train_fraction=train_fraction,
        eval_every=eval_every,
        gap=gap,
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
    )


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
    gap=1_000,
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
    Other parameters as in :func:`phase_diagram`.

    Returns
    -------
    dict of lists
        One entry per run: ``relation``, the axis columns, ``seed``, ``phase``, ``steps_to_train``,
        ``steps_to_test``, ``train_acc``, ``test_acc``; plus ``steps``.
    """
    import itertools

    if isinstance(relations, str):
        relations = [relations]
    if not isinstance(seeds, int) or seeds < 1:
        raise ValueError(f"seeds must be a positive integer, got {seeds!r}")
    fixed = dict(fixed or {})
    rows, configs = [], []
    grids = [[float(v) for v in values] for _, _, values in axes]
    for rel in relations:
        for point in itertools.product(*grids):
            for s in range(seed, seed + seeds):
                fields = {field: 10.0**v for (_, field, _), v in zip(axes, point)}
                configs.append(
                    TrainConfig(relation=rel, n=n, train_fraction=train_fraction, seed=s, **fields, **fixed)
                )
                rows.append((rel, point, s))
    res = train_grid(
        configs,
        steps=steps,
        eval_every=eval_every,
        gap=gap,
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
    )
    out = {"relation": [r[0] for r in rows]}
    for k, (column, _, _) in enumerate(axes):
        out[column] = [r[1][k] for r in rows]
    out.update(
        {
            "seed": [r[2] for r in rows],
            "phase": list(res.phases),
            "steps_to_train": [int(v) for v in res.steps_to_train],
            "steps_to_test": [int(v) for v in res.steps_to_test],
            "train_acc": [float(v) for v in res.train_acc],
            "test_acc": [float(v) for v in res.test_acc],
            "steps": int(steps),
        }
    )
    return out


def _select(diagram, relation):
    idx = [k for k, r in enumerate(diagram["relation"]) if r == relation]
    if not idx:
        raise ValueError(f"relation {relation!r} is not in the diagram")
    return idx


def analyze_boundary(diagram, relation, *, x_key="log_eta_enc", y_key="log_eta_dec") -> dict:
    """Boundary between generalization (incl. grokking) and memorization for one relation.

    Confusion runs are left out (they are neither side of this boundary).  Returns the per-column
    boundaries, the fitted line (slope, intercept, slope standard error), and the critical log
    ratio ``u* = mean over columns of (y*_c - x_c)`` with its standard error
    ``max(sd(u_c) / sqrt(C), h / sqrt(12 C))`` (``h`` the grid step), plus phase counts.
    """
    idx = _select(diagram, relation)
    phases = [diagram["phase"][k] for k in idx]
    keep = [k for k, p in zip(idx, phases) if p != "confusion"]
    x = [diagram[x_key][k] for k in keep]
    y = [diagram[y_key][k] for k in keep]
    g = [is_generalizing(diagram["phase"][k]) for k in keep]
    ygrid = np.unique(diagram[y_key])
    h = float(np.diff(ygrid).min()) if ygrid.size > 1 else float("nan")
    cols = column_boundaries(x, y, g, resolution=h) if keep else []
    fit = fit_boundary_line(cols)
    u = np.array([c["boundary"] - c["x"] for c in cols if c["censored"] is None])
    if u.size:
        se = max(float(np.std(u, ddof=1) / np.sqrt(u.size)) if u.size > 1 else 0.0, h / np.sqrt(12 * u.size))
        log_ratio, log_ratio_se = float(u.mean()), float(se)
    else:
        log_ratio, log_ratio_se = float("nan"), float("nan")
    counts = {p: phases.count(p) for p in ("generalization", "grokking", "memorization", "confusion")}
    return {
        "columns": cols,
        "fit": fit,
        "log_ratio": log_ratio,
        "log_ratio_se": log_ratio_se,
        "critical_ratio": float(10.0**log_ratio) if np.isfinite(log_ratio) else float("nan"),
        "counts": counts,
        "runs": len(idx),
    }


def figure5_data(
    *,
    relations=None,
    log_eta_enc=None,
    log_eta_dec=None,
    seeds=None,
    seed=0,
    steps=None,
    n=None,
    eval_every=10,
    device=None,
    progress=False,
    tier="quick",
    executor=None,
    cache=None,
    chunk_size=None,
) -> dict:
    """Phase diagrams and boundary fits for every relation (JSON-serialisable; pure).

    Unset arguments take the values of :data:`QUICK` (``tier="quick"``) or :data:`FULL`.
    """
    preset = {"quick": QUICK, "full": FULL}.get(tier)
    if preset is None:
        raise ValueError(f"tier must be 'quick' or 'full', got {tier!r}")
    params = {
        "relations": list(relations if relations is not None else preset["relations"]),
        "log_eta_enc": [
            float(v) for v in (log_eta_enc if log_eta_enc is not None else preset["log_eta_enc"])
        ],
        "log_eta_dec": [
            float(v) for v in (log_eta_dec if log_eta_dec is not None else preset["log_eta_dec"])
        ],
        "seeds": int(seeds if seeds is not None else preset["seeds"]),
        "seed": int(seed),
        "steps": int(steps if steps is not None else preset["steps"]),
        "n": int(n if n is not None else preset["n"]),
        "eval_every": int(eval_every),
    }
    diagram = phase_diagram(
        params["relations"],
        log_eta_enc=params["log_eta_enc"],
        log_eta_dec=params["log_eta_dec"],
        seeds=params["seeds"],
        seed=params["seed"],
        steps=params["steps"],
        n=params["n"],
        eval_every=params["eval_every"],
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
    )
    return {
        "params": params,
        "diagram": diagram,
        "boundary": {rel: analyze_boundary(diagram, rel) for rel in params["relations"]},
    }


_COLORS = {
    "generalization": "#2ca02c",
    "grokking": "#ffd92f",
    "memorization": "#7b3294",
    "confusion": "#bbbbbb",
}


def _write_csv(diagram, path):
    keys = [k for k in diagram if isinstance(diagram[k], list)]
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(keys)
        for row in zip(*(diagram[k] for k in keys)):
            w.writerow(row)


def plot(
    data,
    out_dir,
    *,
    name="figure5",
    x_key="log_eta_enc",
    y_key="log_eta_dec",
    x_label=r"$\log_{10}\,\eta_{\rm enc}$",
    y_label=r"$\log_{10}\,\eta_{\rm dec}$",
    reference_slope=1.0,
    reference_intercept=1.0,
    reference_label="paper: ratio 10",
) -> list[str]:
    """Draw one phase-diagram panel per relation (PNG) and write the runs (CSV); return the paths.

    Each grid cell shows the majority phase over seeds (green generalization, yellow grokking,
    purple memorization, grey confusion); the fitted boundary is drawn solid, the paper's
    reference line (ratio 10 for Figure 5) dashed.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    os.makedirs(out_dir, exist_ok=True)
    diagram = data["diagram"]
    relations = data["params"]["relations"]
    phases = list(_COLORS)
    fig, axes = plt.subplots(1, len(relations), figsize=(4.2 * len(relations), 3.8), squeeze=False)
    xs, ys = np.unique(diagram[x_key]), np.unique(diagram[y_key])
    for ax, rel in zip(axes[0], relations):
        grid = np.full((ys.size, xs.size), np.nan)
        for ix, xv in enumerate(xs):
            for iy, yv in enumerate(ys):
                ph = [
                    diagram["phase"][k]
                    for k in range(len(diagram["phase"]))
                    if diagram["relation"][k] == rel and diagram[x_key][k] == xv and diagram[y_key][k] == yv
                ]
                if ph:
                    grid[iy, ix] = phases.index(max(set(ph), key=ph.count))
        dx = (xs[1] - xs[0]) / 2 if xs.size > 1 else 0.5
        dy = (ys[1] - ys[0]) / 2 if ys.size > 1 else 0.5
        ax.imshow(
            grid,
            origin="lower",
            cmap=ListedColormap(list(_COLORS.values())),
            vmin=-0.5,
            vmax=3.5,
            extent=(xs[0] - dx, xs[-1] + dx, ys[0] - dy, ys[-1] + dy),
            aspect="auto",
        )
        b = data["boundary"][rel]
        bx = [c["x"] for c in b["columns"] if c["censored"] is None]
        by = [c["boundary"] for c in b["columns"] if c["censored"] is None]
        ax.plot(bx, by, "ko", ms=4)
        line_x = np.array([xs[0] - dx, xs[-1] + dx])
        if np.isfinite(b["fit"]["slope"]):
            ax.plot(
                line_x,
                b["fit"]["slope"] * line_x + b["fit"]["intercept"],
                "k-",
                label=f"fit: slope {b['fit']['slope']:.2f}",
            )
        ax.plot(line_x, reference_slope * line_x + reference_intercept, "k--", lw=1, label=reference_label)
        ax.set_xlim(line_x)
        ax.set_ylim(ys[0] - dy, ys[-1] + dy)
        ax.set_title(rel)
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    png = os.path.join(out_dir, f"{name}.png")
    fig.savefig(png, dpi=120)
    plt.close(fig)
    path_csv = os.path.join(out_dir, f"{name}.csv")
    _write_csv(diagram, path_csv)
    return [png, path_csv]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``geneft figure 5``."""
    tier = parser.add_mutually_exclusive_group()
    tier.add_argument(
        "--quick", dest="tier", action="store_const", const="quick", help="reduced grid (default)"
    )
    tier.add_argument(
        "--full", dest="tier", action="store_const", const="full", help="paper scale (GPU advised)"
    )
    parser.set_defaults(tier="quick")
    parser.add_argument("--device", default=None, help="torch device (default: cuda if available, else cpu)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--seeds", type=int, default=None, help="runs per grid point")
    parser.add_argument("--steps", type=int, default=None, help="step budget per run")
    parser.add_argument(
        "--relations", nargs="+", default=None, help="relations (default: mod3 greater bipartite)"
    )

    add_sweep_arguments(parser)


def run(args) -> int:
    """Compute the diagrams, write ``figure5.png``/``figure5.csv`` under ``--out``, print the fits."""
    from verification.runtime.executor import executor_from_args

    with executor_from_args(args) as ex:
        data = figure5_data(
            relations=args.relations,
            seeds=args.seeds,
            seed=args.seed,
            steps=args.steps,
            device=args.device,
            progress=True,
            tier=args.tier,
            **sweep_kwargs_from_args(args, ex),
        )
    paths = plot(data, args.out)
    for rel, b in data["boundary"].items():
        f = b["fit"]
        print(
            f"{rel}: boundary slope {f['slope']:.2f} +- {f['slope_se']:.2f} (prediction 1), "
            f"critical ratio eta_dec/eta_enc = {b['critical_ratio']:.3g} "
            f"(log10 {b['log_ratio']:.2f} +- {b['log_ratio_se']:.2f}; paper ~10), phases {b['counts']}"
        )
    print("wrote " + ", ".join(paths))
    return 0


# --------------------------------------------------------------------------- verdicts (report)

#: settings of the quick and full checks (verification/tests/test_phase_boundary.py)
CHECK_QUICK = {"tier": "quick", "seed": 0}
CHECK_FULL = {"tier": "full", "seed": 0}


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows for Figure 5 (Eq. 12): slope 1, critical ratio about 10, the same for every relation."""
    from verification.verdicts import ratio_verdict, same_ratio_verdict, slope_verdict

    rows = []
    for rel, b in data["boundary"].items():
        rows.append(
            (f"boundary is a constant-ratio line (slope 1 in log-log), {rel}", slope_verdict(b, expected=1.0))
        )
        rows.append((f"critical ratio eta_dec/eta_enc about 10, {rel}", ratio_verdict(b)))
    rows.append(
        (
            "critical ratio is the same for all relations",
            same_ratio_verdict(data["boundary"], list(data["boundary"])),
        )
    )
    return rows
