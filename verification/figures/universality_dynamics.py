"""The dynamics across relations: is the critical learning-rate ratio task-independent?

Eq. (12) of [1]_ makes the probability of generalizable representation learning a function of
the learning rates and the initialisation only: the generalization/memorization boundary is
"task-independent, and only depends on the weight initialization".  The paper shows it on three
relations (Figure 5); this study measures the critical ratio ``r* = eta_dec* / eta_enc`` for many
relations of the catalogue (:data:`effective_theory.statics.relation_catalogue.CATALOGUE`) at
Table III's ``eta_enc = 1e-3`` and tests that they agree.

Measurement.  Each relation is one column of a Figure 5 phase diagram, at ``log10 eta_enc = -3``:
the decoder rates are chosen round by round where the column's boundary is uncertain
(:func:`verification.figures.phase_diagram.diagram_data` with the adaptive design,
:mod:`verification.designs.adaptive_columns`; the runs of all relations of a round train together,
through the result cache), each run classified by Table IV, and the boundary ``y0`` (the
``log10 eta_dec`` at which a run generalizes with probability 1/2; grokking counts as
generalization, confusion is left out) is fitted to the column's runs by maximum likelihood, with
its profile-likelihood interval.  ``log10 r* = y0 + 3``, read at the column itself, so no slope of
the boundary is assumed (the critical ratio at Table III's rate, as Figure 5's ratio row reads it,
:data:`verification.verdicts.RATIO_AT_LOG_ETA_ENC`).

Row (:func:`evaluate`): every pair of relations has the same ``log10 r*`` within
``MARGINS["same_ratio"]`` = half a decade (:func:`verification.verdicts.same_ratio_row`: TOST on
each pairwise difference, all pairs at once; declared before the data with Figure 5's same-ratio
row), also checked at a quarter of the budget.  A relation should be one a network can generalize
at Table III's training fraction 0.75 and whose majority label is right for well under 90 % of the
pairs, or Table IV's test accuracy above 0.9 says nothing: the tiers choose such relations.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from effective_theory import relation_label
from verification.figures._common import write_csv
from verification.figures.phase_diagram import (
    PHASE_COLOURS,
    boundary_fits,
    check_diagram_settings,
    diagram_data,
)
from verification.runtime.context import RunContext
from verification.train_config import check_real
from verification.verdicts import ALPHA, MARGINS, Claim, same_ratio_row

__all__ = [
    "DynamicsUniversalitySettings",
    "dynamics_universality_data",
    "critical_ratios",
    "claims",
    "evaluate",
    "tables",
    "plot",
]

CLAIM = (
    "the critical ratio eta_dec/eta_enc at eta_enc = 10^{x:g} is the same for every relation "
    "(task-independent)"
)

#: the columns' key in the data (Figure 5's)
X_KEY = "log_eta_enc"


@dataclass(frozen=True)
class DynamicsUniversalitySettings:
    """Settings of the dynamics universality study; the defaults are a small test.

    The tiers are declared in :data:`verification.figures.registry.FIGURES` (``"univ-dynamics"``).

    Parameters
    ----------
    relations : sequence of str
        Relations (catalogue names, or anything :func:`effective_theory.relation_spec` reads): one
        column each, all trained together.
    log_eta_enc : float
        log10 of the encoder learning rate of every run (Table III: -3).
    log_eta_dec : sequence of float
        log10 of the decoder learning rates: the range of the adaptive design, the rows of the grid.
    seeds : int
        Runs per point.
    steps, n, eval_every : int
        Step budget, elements of a relation given by a rule, and evaluation period.
    design : {"adaptive", "grid"}
        As in :class:`~verification.figures.figure5.Figure5Settings`.
    adaptive : mapping
        Options of the adaptive design, as in :class:`~verification.figures.figure5.Figure5Settings`.
    seed : int
        Experiment seed.

    Raises
    ------
    TypeError, ValueError
        For a field of the wrong type or out of range, naming the field.
    """

    relations: tuple = ("mod3", "greater")
    log_eta_enc: float = -3.0
    log_eta_dec: tuple = (-4.0, -3.0, -2.0, -1.0)
    seeds: int = 1
    steps: int = 300
    n: int = 30
    eval_every: int = 10
    design: str = "grid"
    adaptive: Mapping = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self):
        check_real(self.log_eta_enc, "log_eta_enc")
        object.__setattr__(self, "log_eta_enc", float(self.log_eta_enc))
        check_diagram_settings(self, ("log_eta_dec",))


def dynamics_universality_data(
    settings: DynamicsUniversalitySettings | None = None, run: RunContext | None = None
) -> dict:
    """One phase-diagram column per relation at ``eta_enc``; the diagram, boundaries and cost.

    Returns
    -------
    dict
        ``params``, ``diagram`` (one entry per run), ``boundary`` (per relation) and ``cost``
        (:func:`verification.figures.phase_diagram.diagram_data`).
    """
    s = DynamicsUniversalitySettings() if settings is None else settings
    params = {
        "relations": list(s.relations),
        X_KEY: [s.log_eta_enc],
        "log_eta_dec": list(s.log_eta_dec),
        "seeds": s.seeds,
        "seed": s.seed,
        "steps": s.steps,
        "n": s.n,
        "eval_every": s.eval_every,
        "design": s.design,
    }
    return diagram_data(params, x_key=X_KEY, x_field="eta_enc", adaptive=s.adaptive, run=run)


def _fits(diagram, relations, budget=None) -> dict:
    """``{label: the column's boundary fitted with slope 1}`` (intercept ``log10 r*``); a relation
    whose runs are all confusion is absent."""
    out = {}
    for rel in relations:
        fit = boundary_fits(diagram, rel, x_key=X_KEY, budget=budget, unit_slope=True, free_slope=False)[1]
        if fit is not None:
            out[relation_label(rel)] = fit
    return out


def critical_ratios(data, level: float = 1 - 2 * ALPHA) -> dict:
    """``{relation: (log10 r*, (lo, hi))}`` with the ``level`` profile-likelihood interval (an
    infinite end where the column's runs do not bound it)."""
    fits = _fits(data["diagram"], data["params"]["relations"])
    return {r: (fit.intercept, tuple(fit.interval("intercept", level))) for r, fit in fits.items()}


def _ratio_text(fit, level: float = 1 - 2 * ALPHA) -> str:
    """``log10 r*`` of a column's fit, or the bound its runs give when they do not bound it on both
    sides (a column in which every run, or none, generalizes below or above some rate)."""
    lo, hi = fit.interval("intercept", level)
    if not math.isfinite(hi) and math.isfinite(lo):
        return f"> {lo:.2f}"
    if not math.isfinite(lo) and math.isfinite(hi):
        return f"< {hi:.2f}"
    return f"{fit.intercept:.2f}"


def claims(settings) -> list[Claim]:
    """The prediction :func:`evaluate` checks: one row, for two relations or more."""
    words = CLAIM.format(x=float(settings["log_eta_enc"]))
    return [Claim("univ-dynamics.same-ratio", words)] if len(settings["relations"]) >= 2 else []


def evaluate(data) -> list[tuple[str, dict]]:
    """Every pair of relations within ``MARGINS["same_ratio"]`` of ``log10 r*``, at ``T`` and ``T / 4``.

    The relations whose columns hold only confusion are left out (the row names them).
    """
    relations = data["params"]["relations"]
    fits = _fits(data["diagram"], relations)
    if len(relations) < 2 or len(fits) < 2:
        return []
    quarter = max(1, int(data["diagram"]["steps"]) // 4)
    fits_q = _fits(data["diagram"], relations, budget=quarter)
    claim = CLAIM.format(x=float(data["params"][X_KEY][0]))
    r = same_ratio_row(claim, fits, fits_q, quantity="intercept")
    ranked = sorted(fits.items(), key=lambda kv: kv[1].intercept)
    ests = ", ".join(f"{k} {_ratio_text(f)}" for k, f in ranked)
    r["measured"] += f"; log10 r* by relation: {ests}"
    missing = [relation_label(x) for x in relations if relation_label(x) not in fits]
    if missing:
        r["measured"] += f"; left out (confusion only): {', '.join(missing)}"
    return [(claim, r)]


def tables(data) -> list[tuple[str, list[str], list[list]]]:
    """Each relation's critical ratio with its interval, runs and phases."""
    ratios = critical_ratios(data)
    diagram, done = data["diagram"], data["diagram"].get("columns_done", {})
    x = data["params"][X_KEY][0]
    rows = []
    for rel in data["params"]["relations"]:
        label = relation_label(rel)
        phases = [p for r, p in zip(diagram["relation"], diagram["phase"]) if r == rel]
        counts = ", ".join(f"{p} {phases.count(p)}" for p in PHASE_COLOURS if phases.count(p))
        if label in ratios:
            v, (lo, hi) = ratios[label]
            if math.isfinite(lo) and math.isfinite(hi):
                ratio = f"{v:.2f} [{lo:.2f}, {hi:.2f}]"
            elif math.isfinite(lo):
                ratio = f"> {lo:.2f} (unbounded above)"
            else:
                ratio = f"< {hi:.2f} (unbounded below)"
        else:
            ratio = "no fit (confusion only)"
        rows.append([label, ratio, len(phases), counts, done.get(f"{rel} {x:g}", "")])
    header = ["relation", "log10 r* (90% CI)", "runs", "phases", "column stopped"]
    return [(f"Critical ratio at eta_enc = 10^{x:g}", header, rows)]


def plot(data, out_dir) -> list[str]:
    """All relations' columns side by side (PNG: each run a stripe coloured by its phase, each
    column's boundary with its 90 % interval, a band as wide as the margin about the median) and the
    runs and the critical ratios (CSV); return the paths."""
    # imported here: matplotlib's import cost, which the data and the checks do not need
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    os.makedirs(out_dir, exist_ok=True)
    diagram, relations = data["diagram"], data["params"]["relations"]
    labels = [relation_label(r) for r in relations]
    x = data["params"][X_KEY][0]
    ratios = critical_ratios(data)
    ys_all = np.unique(diagram["log_eta_dec"]) if diagram["log_eta_dec"] else np.array([x])
    dy = float(np.diff(ys_all).min()) if ys_all.size > 1 else 0.25
    fig, ax = plt.subplots(figsize=(max(6.4, 0.9 * len(relations) + 2.5), 5.2))
    order = list(PHASE_COLOURS)
    for i, rel in enumerate(relations):
        points: dict = {}
        for r, y, p in zip(diagram["relation"], diagram["log_eta_dec"], diagram["phase"]):
            if r == rel:
                points.setdefault(y, []).append(p)
        for y, phases in points.items():
            phases = sorted(phases, key=order.index)
            w = 0.5 / len(phases)
            for j, p in enumerate(phases):
                ax.add_patch(Rectangle((i - 0.25 + j * w, y - dy / 2), w, dy, color=PHASE_COLOURS[p], lw=0))
    ylim = (float(ys_all.min()) - dy, float(ys_all.max()) + dy)
    finite = [v for v, _ in ratios.values() if math.isfinite(v)]
    if finite:
        mid = float(np.median(finite)) + x
        half = MARGINS["same_ratio"] / 2
        ax.axhspan(mid - half, mid + half, color="0.85", zorder=0)
    for i, label in enumerate(labels):
        if label not in ratios:
            continue
        v, (lo, hi) = ratios[label]
        y0, ylo, yhi = v + x, lo + x, hi + x
        ax.plot([i + 0.33, i + 0.33], [max(ylo, ylim[0]), min(yhi, ylim[1])], "k-", lw=1.2)
        if math.isfinite(ylo) and math.isfinite(yhi):
            if ylim[0] <= y0 <= ylim[1]:
                ax.plot([i + 0.33], [y0], "ko", ms=4)
        elif math.isfinite(ylo):  # one-sided: the boundary lies above ylo
            ax.plot([i + 0.33], [min(max(ylo, ylim[0]), ylim[1])], "k^", ms=5, clip_on=False)
        elif math.isfinite(yhi):
            ax.plot([i + 0.33], [min(max(yhi, ylim[0]), ylim[1])], "kv", ms=5, clip_on=False)
    ax.axhline(x + 1.0, color="k", ls="--", lw=1)
    ax.set_xlim(-0.6, len(relations) - 0.4)
    ax.set_ylim(ylim)
    ax.set_xticks(range(len(relations)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel(r"$\log_{10}\,\eta_{\rm dec}$")
    steps = data["params"]["steps"]
    ax.set_title(f"Critical ratio at eta_enc = 10^{x:g} across relations ({steps} steps)", fontsize=10)
    keys = [Patch(color=c, label=p) for p, c in PHASE_COLOURS.items()]
    keys += [
        plt.Line2D([], [], color="k", marker="o", ms=4, lw=1.2, label="boundary (90% CI)"),
        plt.Line2D([], [], color="k", marker="^", ms=5, ls="none", label="unbounded: the CI's finite end"),
        plt.Line2D([], [], color="k", ls="--", lw=1, label="paper: ratio 10"),
        Patch(color="0.85", label=f"{MARGINS['same_ratio']:g} decade about the median"),
    ]
    ax.legend(
        handles=keys, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, frameon=False
    )
    fig.tight_layout()
    png = os.path.join(out_dir, "universality_dynamics.png")
    fig.savefig(png, dpi=130)
    plt.close(fig)
    keys_ = ["relation", X_KEY, "log_eta_dec", "seed", "phase", "steps_to_train", "steps_to_test"]
    keys_ += ["train_acc", "test_acc", "steps_run"]
    runs = write_csv(
        os.path.join(out_dir, "universality_dynamics_runs.csv"),
        keys_,
        (
            [relation_label(v) if k == "relation" else v for k, v in zip(keys_, vals)]
            for vals in zip(*(diagram[k] for k in keys_))
        ),
    )
    ratio_csv = write_csv(
        os.path.join(out_dir, "universality_dynamics.csv"),
        ["relation", "log10_ratio", "lo_90", "hi_90"],
        ([label, v, lo, hi] for label, (v, (lo, hi)) in ratios.items()),
    )
    return [png, ratio_csv, runs]
