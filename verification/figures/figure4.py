"""Figure 4 of [1]_: phase portrait of the interacting repon dynamics in the (a2, c) plane.

Flow lines of Eq. (10), the conserved hyperbolas :math:`C = \\mathrm{const}` of
Eq. (11), the two fixed-point lines, the separatrices :math:`c = \\pm k a_2` with
:math:`k = \\sqrt{\\eta_x/(2\\eta_A)}`, and the collision (:math:`C > 0`, green:
generalization) and no-collision (:math:`C < 0`, red: memorization) regions.
A few exact trajectories (:func:`~effective_theory.dynamics.conservation.reduced_flow_solution`)
show the end points on the axes.

``geneft figure 4 [--eta-x X] [--eta-A Y] [--extent E] [--dpi D] [--out DIR]``
writes ``DIR/figure4.png``.

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT" (2025).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from effective_theory.dynamics.conservation import conserved_quantity, reduced_flow_solution

__all__ = ["plot_phase_portrait", "figure4", "add_arguments", "run"]


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
    starts = extent * np.array([[0.9, 0.5], [0.5, 0.9], [-0.8, 0.7], [0.7, -0.8], [-0.95, -0.3],
                                [-0.3, -0.95]])
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
    ax.set_title(rf"Repon phase portrait, $\eta_x={eta_x:g}$, $\eta_A={eta_A:g}$: "
                 r"green $C>0$ collide, red $C<0$ not", fontsize=9)
    ax.legend(loc="lower left", fontsize=7, framealpha=0.9)
    return ax


def figure4(out=".", *, eta_x=1.0, eta_A=1.0, extent=2.0, dpi=150):
    """Save Figure 4 as ``out/figure4.png`` and return its path.

    The image is checked by ``tests/verification/test_figure4.py`` (function and CLI).
    """
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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """CLI options of ``geneft figure 4`` (``--out`` is added by the CLI)."""
    parser.add_argument("--eta-x", type=float, default=1.0, help="encoder learning rate eta_x (default 1)")
    parser.add_argument("--eta-A", type=float, default=1.0, help="decoder learning rate eta_A (default 1)")
    parser.add_argument("--extent", type=float, default=2.0,
                        help="half width of the (a2, c) square (default 2)")
    parser.add_argument("--dpi", type=int, default=150, help="PNG resolution (default 150)")


def run(args) -> int:
    """Front-end of ``geneft figure 4``: write the PNG and print its path."""
    path = figure4(getattr(args, "out", "."), eta_x=args.eta_x, eta_A=args.eta_A, extent=args.extent,
                   dpi=args.dpi)
    print(path)
    return 0
