"""Figure 8: phase diagram over the decoder weight decay and learning rate (Appendix F of [1]_).

Prediction (Eq. (12)): the probability of generalizable representation learning depends on the
learning rates and the initialisation only, not on the decoder's weight decay, so in the plane
``(log10 wd_dec, log10 eta_dec)`` at fixed ``eta_enc`` (paper: 1e-5) the generalization /
memorization boundary ``log10 eta_dec*`` is a horizontal line: its slope against
``log10 wd_dec`` is zero.  Grokking counts as generalization (delayed), as in the paper's caption.

Weight decay is decoupled (AdamW, see :mod:`verification.training`): each step multiplies the
decoder weights by ``1 - eta_dec * wd_dec``.

Scale.  The full tier (``--full``) is the paper's setting: ``eta_enc = 1e-5``, 10^5 steps, three
relations.  At ``eta_enc = 1e-5`` a run needs of order 10^5 steps, out of reach of the quick tier;
as for Figure 5 (:mod:`verification.figures.figure5`) the quick tier runs 3,000 steps at the top of the
rate range, ``eta_enc = 1e-3`` (Table III's default), mod 3, two seeds per point.  The prediction
-- no dependence on ``wd_dec`` -- does not involve the value of ``eta_enc``.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import argparse

import numpy as np

from verification.figures.figure5 import analyze_boundary, grid_phase_diagram
from verification.figures.figure5 import plot as _plot_diagrams
from verification.sweeps import add_sweep_arguments, sweep_kwargs_from_args

__all__ = ["QUICK", "FULL", "wd_phase_diagram", "figure8_data", "plot", "add_arguments", "run"]

#: quick tier: 3,000 steps at the Table III encoder rate 1e-3 (see the module docstring), 2 seeds
QUICK = {
    "relations": ["mod3"],
    "log_eta_enc": -3.0,
    "log_wd_dec": [-3.0, -2.0, -1.0, 0.0],
    "log_eta_dec": [-3.5, -3.0, -2.5, -2.0, -1.5],
    "seeds": 2,
    "steps": 3_000,
    "n": 30,
}
#: full tier: the paper's eta_enc = 1e-5 and 10^5 steps, three relations, 3 seeds per point
FULL = {
    "relations": ["mod3", "greater", "bipartite"],
    "log_eta_enc": -5.0,
    "log_wd_dec": [float(v) for v in np.arange(-4.0, 0.01, 0.5)],
    "log_eta_dec": [float(v) for v in np.arange(-5.0, -1.99, 0.25)],
    "seeds": 3,
    "steps": 100_000,
    "n": 30,
}


def wd_phase_diagram(
    relations,
    *,
    log_eta_enc,
    log_wd_dec,
    log_eta_dec,
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
    """Train and classify one model per (relation, wd_dec, eta_dec, seed) at fixed eta_enc; pure.

    Returns a dict of lists (``relation``, ``log_wd_dec``, ``log_eta_dec``, ``seed``, ``phase``,
    ``steps_to_train``, ``steps_to_test``, ``train_acc``, ``test_acc``) and ``steps``.
    ``executor``, ``cache`` and ``chunk_size`` are as in :func:`verification.figures.figure5.phase_diagram`.
    """
    return grid_phase_diagram(
        relations,
        axes=[("log_wd_dec", "wd_dec", log_wd_dec), ("log_eta_dec", "eta_dec", log_eta_dec)],
        fixed={"eta_enc": 10.0**log_eta_enc},
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


def figure8_data(
    *,
    relations=None,
    log_eta_enc=None,
    log_wd_dec=None,
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
    """Diagrams and boundary analysis (slope of ``log10 eta_dec*`` against ``log10 wd_dec``); pure.

    Unset arguments take the values of :data:`QUICK` (``tier="quick"``) or :data:`FULL`.
    """
    preset = {"quick": QUICK, "full": FULL}.get(tier)
    if preset is None:
        raise ValueError(f"tier must be 'quick' or 'full', got {tier!r}")

    def pick(value, key):
        return value if value is not None else preset[key]

    params = {
        "relations": list(pick(relations, "relations")),
        "log_eta_enc": float(pick(log_eta_enc, "log_eta_enc")),
        "log_wd_dec": [float(v) for v in pick(log_wd_dec, "log_wd_dec")],
        "log_eta_dec": [float(v) for v in pick(log_eta_dec, "log_eta_dec")],
        "seeds": int(pick(seeds, "seeds")),
        "seed": int(seed),
        "steps": int(pick(steps, "steps")),
        "n": int(pick(n, "n")),
        "eval_every": int(eval_every),
    }
    diagram = wd_phase_diagram(
        params["relations"],
        log_eta_enc=params["log_eta_enc"],
        log_wd_dec=params["log_wd_dec"],
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
    boundary = {rel: analyze_boundary(diagram, rel, x_key="log_wd_dec") for rel in params["relations"]}
    for b in boundary.values():
        # log_ratio from analyze_boundary is relative to x = log10 wd_dec and meaningless here
        ys = np.array([c["boundary"] for c in b["columns"] if c["censored"] is None])
        b.pop("critical_ratio")
        b.pop("log_ratio_se")
        b.pop("log_ratio")
        b["boundary_mean"] = float(ys.mean()) if ys.size else float("nan")
        b["boundary_range"] = float(ys.max() - ys.min()) if ys.size else float("nan")
        # smallest range consistent with every column, censored ones included (a column that
        # generalizes at every eta_dec has its boundary above the grid)
        lowers = [c["lower"] for c in b["columns"]]
        uppers = [c["upper"] for c in b["columns"]]
        b["boundary_range_min"] = float(max(lowers) - min(uppers)) if lowers else float("nan")
    return {"params": params, "diagram": diagram, "boundary": boundary}


def plot(data, out_dir) -> list[str]:
    """One panel per relation (PNG) and the runs (CSV); the dashed line is the wd-independent
    boundary at the mean of the measured column boundaries."""
    rel0 = data["params"]["relations"][0]
    mean = data["boundary"][rel0]["boundary_mean"]
    return _plot_diagrams(
        data,
        out_dir,
        name="figure8",
        x_key="log_wd_dec",
        x_label=r"$\log_{10}\,{\rm wd}_{\rm dec}$",
        reference_slope=0.0,
        reference_label="wd-independent (paper)",
        reference_intercept=mean if np.isfinite(mean) else data["params"]["log_eta_enc"] + 1,
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``geneft figure 8``."""
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
        "--relations", nargs="+", default=None, help="relations (default: quick mod3, full all)"
    )
    parser.add_argument(
        "--eta-enc", type=float, default=None, help="encoder learning rate (quick 1e-3, full 1e-5)"
    )

    add_sweep_arguments(parser)


def run(args) -> int:
    """Compute the diagrams, write ``figure8.png``/``figure8.csv`` under ``--out``, print the fits."""
    eta_enc = args.eta_enc
    if eta_enc is not None and not eta_enc > 0:
        raise ValueError(f"--eta-enc must be > 0, got {eta_enc}")
    from verification.runtime.executor import executor_from_args

    with executor_from_args(args) as ex:
        data = figure8_data(
            relations=args.relations,
            seeds=args.seeds,
            seed=args.seed,
            steps=args.steps,
            log_eta_enc=None if eta_enc is None else float(np.log10(eta_enc)),
            device=args.device,
            progress=True,
            tier=args.tier,
            **sweep_kwargs_from_args(args, ex),
        )
    paths = plot(data, args.out)
    for rel, b in data["boundary"].items():
        f = b["fit"]
        print(
            f"{rel}: slope of log10 eta_dec* vs log10 wd_dec {f['slope']:.2f} +- {f['slope_se']:.2f} "
            f"(prediction 0); boundaries span >= {b['boundary_range_min']:.2f} decades around "
            f"log10 eta_dec* = {b['boundary_mean']:.2f}; phases {b['counts']}"
        )
    print("wrote " + ", ".join(paths))
    return 0


# --------------------------------------------------------------------------- verdicts (report)

#: settings of the quick and full checks (verification/tests/test_weight_decay_independence.py)
CHECK_QUICK = {"tier": "quick", "seed": 0}
CHECK_FULL = {"tier": "full", "seed": 0}


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows for Figure 8 (Eq. 12): the boundary does not move with the decoder's weight decay."""
    from verification.verdicts import range_verdict, slope_verdict

    rows = []
    for rel, b in data["boundary"].items():
        rows.append((f"slope of log eta_dec* against log wd_dec is 0, {rel}", slope_verdict(b, expected=0.0)))
        rows.append((f"no weight decay moves the boundary, {rel}", range_verdict(b)))
    return rows
