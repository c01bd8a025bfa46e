"""Figure 4 of [1]_: phase portrait of the interacting repon dynamics in the (a2, c) plane.

Flow lines of Eq. (10), the conserved hyperbolas :math:`C = \\mathrm{const}` of
Eq. (11), the two fixed-point lines, the separatrices :math:`c = \\pm k a_2` with
:math:`k = \\sqrt{\\eta_x/(2\\eta_A)}`, and the collision (:math:`C > 0`, green:
generalization) and no-collision (:math:`C < 0`, red: memorization) regions.
A few exact trajectories (:func:`~effective_theory.dynamics.conservation.reduced_flow_solution`)
show the end points on the axes.

``geneft figure 4 [--eta-x X] [--eta-A Y] [--n N] [--out DIR]`` writes ``DIR/figure4.png`` and checks
Eqs. (12)-(13) by Monte Carlo (:func:`figure4_data`, :func:`evaluate`).

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT" (2025).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from effective_theory.dynamics import repon_simulation as rs
from effective_theory.dynamics.conservation import conserved_quantity, reduced_flow_solution
from verification.runtime.context import RunContext
from verification.runtime.durable_write import durable_open
from verification.statistics import binomial_bound_verdict
from verification.verdicts import ALPHA, Claim, probability_row, row

__all__ = [
    "plot_phase_portrait",
    "figure4",
    "Figure4Settings",
    "figure4_data",
    "plot",
    "claims",
    "evaluate",
    "CHECKS",
]


def _check(eta_x, eta_A, extent, dpi=100):
    for name, v in (("eta_x", eta_x), ("eta_A", eta_A), ("extent", extent)):
        if not np.isfinite(v) or v <= 0:
            raise ValueError(f"{name} must be a positive number, got {v!r}")
    if int(dpi) < 10:
        raise ValueError(f"dpi must be >= 10, got {dpi!r}")


def plot_phase_portrait(ax, eta_x=1.0, eta_A=1.0, *, extent=2.0, n_grid=201):
    """Draw the Figure 4 phase portrait on a matplotlib ``ax``; returns ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Target axes.
    eta_x, eta_A : float
        Encoder and decoder learning rates (positive).
    extent : float
        Half width of the plotted square :math:`|a_2|, |c| \\le` ``extent``.
    n_grid : int
        Grid points per axis for the regions and hyperbolas.
    """
    _check(eta_x, eta_A, extent)
    g = np.linspace(-extent, extent, n_grid)
    a2, c = np.meshgrid(g, g)
    C = conserved_quantity(a2, c, eta_x, eta_A)
    ax.contourf(a2, c, C, levels=[-np.inf, 0, np.inf], colors=["#f4a6a6", "#a8e0a0"], alpha=0.8)
    cmax = float(np.abs(C).max())
    levels = np.linspace(-cmax, cmax, 17)
    levels = levels[np.abs(levels) > 1e-12]
    ax.contour(a2, c, C, levels=levels, colors="0.35", linewidths=0.6, linestyles="dotted")
    # Eq. (10) vector field
    gs = np.linspace(-extent, extent, 31)
    A, Cc = np.meshgrid(gs, gs)
    U = -2 * eta_A * Cc**2 * A
    V = -eta_x * A**2 * Cc
    ax.streamplot(A, Cc, U, V, color="0.15", density=1.1, linewidth=0.6, arrowsize=0.8)
    k = np.sqrt(eta_x / (2 * eta_A))
    ax.plot(g, k * g, "k--", lw=1.2, label=r"separatrix $C=0$: $c=\pm\sqrt{\eta_x/2\eta_A}\,a_2$")
    ax.plot(g, -k * g, "k--", lw=1.2)
    ax.axhline(0, color="tab:green", lw=2.5, label=r"fixed points $c^*=0$ (collision)")
    ax.axvline(0, color="tab:red", lw=2.5, label=r"fixed points $a_2^*=0$ (no collision)")
    # exact trajectories from a few starting points
    t = np.concatenate([[0.0], np.geomspace(1e-3, 1e3, 300)])
    starts = extent * np.array(
        [[0.9, 0.5], [0.5, 0.9], [-0.8, 0.7], [0.7, -0.8], [-0.95, -0.3], [-0.3, -0.95]]
    )
    for a0, c0 in starts:
        at, ct = reduced_flow_solution(a0, c0, t, eta_x, eta_A)
        ax.plot(at, ct, color="tab:blue", lw=1.6)
        ax.plot([a0], [c0], "o", color="tab:blue", ms=4)
        ax.plot([at[-1]], [ct[-1]], "s", color="tab:blue", ms=5)
    ax.set_xlim(-extent, extent)
    ax.set_ylim(-extent, extent)
    ax.set_aspect("equal")
    ax.set_xlabel(r"$a_2$ (decoder weight along $\mathbf{r}$)")
    ax.set_ylabel(r"$c$ (half repon separation)")
    ax.set_title(
        rf"Repon phase portrait, $\eta_x={eta_x:g}$, $\eta_A={eta_A:g}$: "
        r"green $C>0$ collide, red $C<0$ not",
        fontsize=9,
    )
    ax.legend(loc="lower left", fontsize=7, framealpha=0.9)
    return ax


def figure4(out=".", *, eta_x=1.0, eta_A=1.0, extent=2.0, dpi=150):
    """Save Figure 4 as ``out/figure4.png`` and return its path.

    The image is checked by ``tests/verification/figures/test_figure4.py`` (function and CLI).
    """
    # imported here: matplotlib.figure takes 0.35 s to import (measured), which the Monte Carlo
    # data and the checks do not need
    from matplotlib.figure import Figure

    _check(eta_x, eta_A, extent, dpi)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=(6.4, 6.4))
    plot_phase_portrait(fig.add_subplot(1, 1, 1), eta_x, eta_A, extent=extent)
    fig.tight_layout()
    path = out / "figure4.png"
    fig.savefig(path, dpi=int(dpi))
    return path


#: Monte Carlo checks of Eqs. (10)-(13) against the flows they come from:
#: (row, source, simulation, its options, claim direction); each row draws its own initial conditions
CHECKS = (
    (
        "Eq. 12: P(collision) of the reduced flow Eq. 10, eta_x/eta_A = 2",
        "Eqs. 10-12, Fig. 4",
        "reduced",
        {"eta_x": 2.0},
        "==",
    ),
    (
        "Eq. 12: P(collision) of the reduced flow Eq. 10, eta_x/eta_A = 0.1",
        "Eqs. 10-12",
        "reduced",
        {"eta_x": 0.1},
        "==",
    ),
    (
        "Eq. 12 vs gradient descent on the pair loss Eq. 6 (step 0.05, on the manifold b = y)",
        "Eqs. 6, 12",
        "gd",
        {"eta_x": 2.0, "step": 0.05},
        "==",
    ),
    (
        "Eq. 13: one repon vs a cluster of N = 3 (explicit N + 1 repon flow)",
        "Eq. 13",
        "cluster",
        {"eta_x": 2.0, "N": 3},
        "==",
    ),
    (
        "Eq. 12 bounds the full matrix flow Eq. 8 from i.i.d. Gaussian A0, r0 (m = d = 2; Theorem 3)",
        "Eqs. 8, 12, Thm. 3",
        "matrix",
        {"eta_x": 2.0, "init": "iid"},
        "<=",
    ),
    (
        "P = F_{d,m-d+1}(K^2 (m-d+1)/d), derived here, vs the full matrix flow Eq. 8 "
        "(i.i.d. A0, r0; m = d = 2)",
        "Eq. 8 (derived: effective_theory.matrix_collision_probability)",
        "matrix-general",
        {"eta_x": 2.0, "m": 2, "d": 2},
        "==",
    ),
    (
        "Eq. 12 is a lower bound from Appendix C's b(0) = 0, target y = 1 (conserved M_full)",
        "App. C, Eq. 12 (derived: effective_theory.derive_full_conserved_matrix)",
        "gd",
        {"eta_x": 2.0, "step": 0.05, "y": 1.0},
        ">=",
    ),
)
#: a note under the figure in the report
NOTE = (
    "Rows that fail are findings (see docs/findings.md, Dynamics): Eq. 12 assumes the "
    "ansatz of Eq. 9 and the invariant manifold x1 + x2 = 0, b = y."
)


def _monte_carlo(kind: str, n: int, seed: int, options: dict) -> dict:
    kw = {"eta_A": 1.0, "sigma_a": 1.0, "sigma_c": 1.0, **options}
    if kind == "matrix":
        m = rs.matrix_collision_rules(n=10 * n, seed=seed, **kw)
        return {"fraction": m["exact"], "theory": m["eq12"], "n": 10 * n, "stderr": m["stderr"]}
    if kind == "matrix-general":
        r = rs.matrix_collision_check(n=10 * n, seed=seed, **kw)
        return {"fraction": r.fraction, "theory": r.theory, "n": r.n, "stderr": r.stderr}
    sim = {
        "reduced": rs.simulate_reduced_flow,
        "gd": rs.simulate_pair_gradient_descent,
        "cluster": rs.simulate_cluster_flow,
    }[kind]
    r = sim(n=n // 5 if kind == "cluster" else n, seed=seed, **kw)
    return {"fraction": r.fraction, "theory": r.theory, "n": r.n, "stderr": r.stderr}


@dataclass(frozen=True)
class Figure4Settings:
    """Settings of :func:`figure4_data`.

    Parameters
    ----------
    n : int
        Monte Carlo runs of each check (the matrix-flow rule uses ``10 n``, the cluster flow
        ``n / 5``).
    eta_x : float
        Repon learning rate of the phase portrait (Eq. 10), ``> 0``.
    eta_A : float
        Decoder learning rate of the phase portrait (Eq. 10), ``> 0``.
    seed : int
        Seed of the first check; check ``i`` uses ``seed + i``.
    """

    n: int = 10_000
    eta_x: float = 2.0
    eta_A: float = 1.0
    seed: int = 0

    def __post_init__(self):
        _check(self.eta_x, self.eta_A, 1.0)


def figure4_data(settings: Figure4Settings | None = None, run: RunContext | None = None) -> dict:
    """The phase portrait's parameters and the Monte Carlo checks of :data:`CHECKS`.

    ``run`` is accepted for the common figure interface (nothing here trains).
    """
    s = Figure4Settings() if settings is None else settings
    n, eta_x, eta_A, seed = s.n, s.eta_x, s.eta_A, s.seed
    return {
        "eta_x": float(eta_x),
        "eta_A": float(eta_A),
        "checks": [
            {
                "prediction": pred,
                "source": src,
                "direction": direction,
                **_monte_carlo(kind, int(n), int(seed) + i, opts),
            }
            for i, (pred, src, kind, opts, direction) in enumerate(CHECKS)
        ],
    }


#: the columns of ``figure4.csv``: one row per Monte Carlo check of :data:`CHECKS`
CSV_HEADER = ("claim_id", "prediction", "source", "direction", "runs", "fraction", "stderr", "theory")


def plot(data: dict, out_dir=".") -> list[str]:
    """Write ``figure4.png`` (the phase portrait at the data's learning rates) and ``figure4.csv``
    (each Monte Carlo check: its claim id, runs, measured fraction and standard error, and the
    closed form it is compared with, :data:`CSV_HEADER`); return the paths."""
    png = str(figure4(out_dir, eta_x=data["eta_x"], eta_A=data["eta_A"]))
    rows = [
        [
            i,
            c["prediction"],
            c["source"],
            c.get("direction", "=="),
            c["n"],
            c["fraction"],
            c["stderr"],
            c["theory"],
        ]
        for i, c in zip(CLAIM_IDS, data["checks"], strict=True)
    ]
    path = Path(out_dir) / "figure4.csv"
    # written here, not by figures._common.write_csv, which imports torch (1.1 s, measured)
    # through the training settings: nothing of Figure 4 trains
    with durable_open(path, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_HEADER)
        w.writerows([f"{v:.6g}" if isinstance(v, float) else v for v in r] for r in rows)
    return [png, str(path)]


#: the identity of each check of :data:`CHECKS`, in order
CLAIM_IDS = (
    "fig4.reduced-flow",
    "fig4.reduced-flow-slow-repons",
    "fig4.pair-loss-descent",
    "fig4.cluster",
    "fig4.matrix-flow-bound",
    "fig4.matrix-flow-law",
    "fig4.lower-bound-from-b0",
)


def claims(settings) -> list[Claim]:
    """The predictions :func:`evaluate` checks (one per Monte Carlo check of :data:`CHECKS`)."""
    return [Claim(i, c[0]) for i, c in zip(CLAIM_IDS, CHECKS, strict=True)]


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows: each Monte Carlo probability against its closed form.

    ``"=="`` rows are equivalence tests within :data:`verification.verdicts.MARGINS`
    ``["probability"]``; the bound rows are one-sided exact binomial tests: Eq. (12) as the upper
    bound Theorem 3 states for the full matrix flow at ``m = d``, and as the lower bound that the
    conserved ``M_full`` of the whole loss Eq. (6) gives from ``b(0) = 0``
    (:func:`effective_theory.derive_full_conserved_matrix`).  The general probability of the matrix
    flow, ``F_{d, m-d+1}`` (:func:`effective_theory.matrix_collision_probability`), is an equivalence
    row.
    """
    rows = []
    for c in data["checks"]:
        direction = c.get("direction", "==")
        if direction in ("<=", ">="):
            k = int(round(c["fraction"] * c["n"]))
            v = binomial_bound_verdict(
                c["prediction"], k, c["n"], bound=c["theory"], direction=direction, alpha=ALPHA
            )
            r = row(
                v,
                theory=f"P {direction} {c['theory']:.4f}",
                tolerance="one-sided exact binomial",
                source=c["source"],
            )
        else:
            r = probability_row(c["prediction"], c["fraction"], c["stderr"], c["theory"], source=c["source"])
        r["measured"] += f" (n = {c['n']})"
        rows.append((c["prediction"], r))
    return rows
