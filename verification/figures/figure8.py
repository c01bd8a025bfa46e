"""Figure 8: phase diagram over the decoder weight decay and learning rate (Appendix F of [1]_).

Prediction (Eq. (12)): the probability of generalizable representation learning depends on the
learning rates and the initialisation only, not on the decoder's weight decay, so in the plane
``(log10 wd_dec, log10 eta_dec)`` at fixed ``eta_enc`` (paper: 1e-5) the generalization /
memorization boundary ``log10 eta_dec*`` is a horizontal line: its slope against
``log10 wd_dec`` is zero.  Grokking counts as generalization (delayed), as in the paper's caption.
:func:`evaluate` tests it as an equivalence, slope 0 within 0.25 (:mod:`verification.verdicts`),
on the boundary fitted to every run by maximum likelihood (censored columns included), also at a
quarter of the budget.  The boundary is fitted allowing curvature (weight decay may act only above
a threshold), and its local slope is tested on the lower, weak-decay half of the sampled range
(``SLOPE_AT`` in :mod:`verification.verdicts`, declared before the runs it is applied to): Eq. (12)
is derived from a gradient flow without weight decay (Eq. 7), which weak decay approaches best.

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

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from effective_theory import relation_label
from verification.figures.phase_diagram import (
    budget_checked_row,
    check_diagram_settings,
    diagram_data,
    local_slopes_text,
    plot_phase_diagrams,
)
from verification.runtime.context import RunContext
from verification.train_config import check_real
from verification.verdicts import Claim, slope_point, slope_row

__all__ = ["Figure8Settings", "figure8_data", "plot", "claims", "evaluate"]

CLAIM = "the boundary log eta_dec* does not depend on log wd_dec (slope 0), {rel}"


@dataclass(frozen=True)
class Figure8Settings:
    """Settings of Figure 8's phase diagrams; the defaults are the quick tier.

    The tiers are declared in :data:`verification.figures.registry.FIGURES` (``"fig8"``).

    Parameters
    ----------
    relations : sequence of str
        Relation names; all are trained in one batch.
    log_eta_enc : float
        log10 of the encoder learning rate, shared by every run (paper: -5).
    log_wd_dec : sequence of float
        log10 of the decoder weight decays: the columns.
    log_eta_dec : sequence of float
        log10 of the decoder learning rates: the rows of the grid design, the range of the
        adaptive one.
    seeds : int
        Runs per point: model seeds ``model_seeds(seed, seeds)``.
    steps, n, eval_every : int
        Step budget, elements and evaluation period.
    design : {"grid", "adaptive"}
        As in :class:`~verification.figures.figure5.Figure5Settings`, with the weight decays as the
        columns.
    adaptive : mapping
        Options of the adaptive design, as in :class:`~verification.figures.figure5.Figure5Settings`.
    seed : int
        Experiment seed.

    Raises
    ------
    TypeError, ValueError
        For a field of the wrong type or out of range, naming the field.
    """

    relations: tuple = ("mod3",)
    log_eta_enc: float = -3.0
    log_wd_dec: tuple = (-3.0, -2.0, -1.0, 0.0)
    log_eta_dec: tuple = (-3.5, -3.0, -2.5, -2.0, -1.5)
    seeds: int = 2
    steps: int = 3_000
    n: int = 30
    eval_every: int = 10
    design: str = "grid"
    adaptive: Mapping = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self):
        check_real(self.log_eta_enc, "log_eta_enc")
        object.__setattr__(self, "log_eta_enc", float(self.log_eta_enc))
        check_diagram_settings(self, ("log_wd_dec", "log_eta_dec"))


def figure8_data(settings: Figure8Settings | None = None, run: RunContext | None = None) -> dict:
    """Diagrams and boundary analysis (slope of ``log10 eta_dec*`` against ``log10 wd_dec``); pure.

    Parameters
    ----------
    settings : Figure8Settings, optional
        Default: the quick tier.
    run : RunContext, optional
        Device, executor, cache, chunk size, progress.

    Returns
    -------
    dict
        ``params``, ``diagram`` (one entry per run), ``boundary`` (per relation) and ``cost``
        (:func:`verification.figures.phase_diagram.diagram_data`).
    """
    s = Figure8Settings() if settings is None else settings
    params = {
        "relations": list(s.relations),
        "log_eta_enc": s.log_eta_enc,
        "log_wd_dec": list(s.log_wd_dec),
        "log_eta_dec": list(s.log_eta_dec),
        "seeds": s.seeds,
        "seed": s.seed,
        "steps": s.steps,
        "n": s.n,
        "eval_every": s.eval_every,
        "design": s.design,
    }
    return diagram_data(
        params,
        x_key="log_wd_dec",
        x_field="wd_dec",
        fixed={"eta_enc": 10.0**s.log_eta_enc},
        adaptive=s.adaptive,
        run=run,
    )


def plot(data, out_dir) -> list[str]:
    """One panel per relation (PNG) and the runs (CSV); the dashed line is a weight-decay-independent
    boundary through the fitted line's value at the middle of the weight-decay range."""
    rel0 = data["params"]["relations"][0]
    b = data["boundary"][rel0]
    wds = data["params"]["log_wd_dec"]
    mid = 0.5 * (min(wds) + max(wds))
    level = (
        b["intercept"] + b["slope"] * mid
        if math.isfinite(b.get("slope", math.nan))
        else data["params"]["log_eta_enc"] + 1
    )
    return plot_phase_diagrams(
        data,
        out_dir,
        name="figure8",
        x_key="log_wd_dec",
        x_label=r"$\log_{10}\,{\rm wd}_{\rm dec}$",
        reference_slope=0.0,
        reference_intercept=level,
        reference_label="independent of wd (paper)",
    )


def claims(settings) -> list[Claim]:
    """The predictions :func:`evaluate` checks at these settings (ids ``fig8.slope.<relation>``)."""
    labels = [relation_label(r) for r in settings["relations"]]
    return [Claim(f"fig8.slope.{r}", CLAIM.format(rel=r)) for r in labels]


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows for Figure 8 (Eq. 12): the boundary does not move with the decoder's weight decay.

    The boundary is fitted allowing curvature; slope 0 is tested on its local slope at
    :func:`verification.verdicts.slope_point` of the sampled ``log10 wd_dec`` (the mean slope over
    the lower, weak-decay half: Eq. (12) is derived from a gradient flow without weight decay,
    Eq. (7), so its prediction is meant where the decay perturbs that flow least).  The row also
    gives the local slope at the low end, centre and high end and the curvature, and is checked at
    a quarter of the budget.
    """
    xs = data["params"]["log_wd_dec"]
    at = slope_point(xs)
    rows = []
    for rel in data["params"]["relations"]:
        claim = CLAIM.format(rel=relation_label(rel))
        r, fit, _ = budget_checked_row(
            data["diagram"],
            rel,
            x_key="log_wd_dec",
            quantity=("slope", at),
            curvature=True,
            make_row=lambda fit, claim=claim: slope_row(
                claim, fit, expected=0.0, at=at, x_name="log10 wd_dec"
            ),
        )
        if r is not None:
            r["measured"] += "; " + local_slopes_text(fit, xs, x_name="log10 wd_dec")
            rows.append((claim, r))
    return rows
