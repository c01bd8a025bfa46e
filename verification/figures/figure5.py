"""Figure 5: phase diagram over the encoder and decoder learning rates (Section IV of [1]_).

Prediction (Theorem 3, Eq. (12)): the probability of generalizable representation learning
depends on the learning rates only through their ratio, so in the log-log plane
``(log10 eta_enc, log10 eta_dec)`` the generalization/memorization boundary is a constant-ratio
line, ``log10 eta_dec* = log10 eta_enc + log10 r*``: slope 1 with ``eta_enc`` on the horizontal
and ``eta_dec`` on the vertical axis, increasing upwards.  (The paper calls it "slope -1"; a
constant ratio has slope +1 in these axes, so the sign refers to the orientation of its figure's
axes.)  The paper reads the critical ratio ``r* = eta_dec / eta_enc`` as "generalization requires
eta_dec / eta_enc <~ 10", the same for mod 3, greater-than and complete bipartite.

:func:`figure5_data` trains one model per (relation, eta_enc, eta_dec, seed), classifies it by
Table IV and fits the boundary of each relation to every run by maximum likelihood
(:func:`verification.figures.phase_diagram.analyze_boundary`: censored columns bound the line
instead of being dropped); :func:`evaluate` tests the three claims
(:mod:`verification.verdicts`: slope 1 within 0.25, ``log10 r* <= 1.5``, the same ratio for all
relations within half a decade), each also at a quarter of the budget; :func:`plot` draws the
diagrams.  The settings of the quick and full tiers are those of
:data:`verification.figures.registry.FIGURES` (``"fig5"``).

Where.  The boundary need not be a line (over wide rate ranges it bends), so it is fitted with a
curvature term; slope 1 is tested on the lower, small-rate half of the sampled encoder rates,
where training is closest to the gradient flow Eq. (12) is derived for, and ``r*`` is read at
Table III's ``eta_enc = 1e-3`` (both declared in :mod:`verification.verdicts`, ``SLOPE_AT`` and
``RATIO_AT_LOG_ETA_ENC``, before the runs they are applied to).

Scale.  The paper trains up to 10^5 steps (Table IV; Table III defaults otherwise) and names
neither the optimizer nor the range of rates: Adam and the ranges are the toolkit's assumptions,
and a gradient-descent arm (``optimizer="sgd"``, registry ``"fig5-gd"``) runs plain full-batch
gradient descent beside it.  The Adam full tier runs 10^5 steps on encoder rates 1e-5 .. 1e-2 and
decoder rates 1e-5 .. 1, past Adam's stability limit (a column that generalizes up to where the
decoder diverges is censored by the optimizer, not by the range), located by the adaptive design
with 2 seeds a point.  The quick tier runs 4,000 steps on encoder rates 1e-4 .. 10^-2.5 (Table
III's 1e-3 inside) and decoder rates 1e-4 .. 10^-1.5, a 0.5-decade grid, one seed per point (72
runs).  At higher decoder rates (from about 10^-0.5) Adam training becomes unstable and the
high-ratio side is confusion rather than memorization.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

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
from verification.train_config import OPTIMIZERS
from verification.verdicts import (
    RATIO_AT_LOG_ETA_ENC,
    Claim,
    ratio_row,
    same_ratio_row,
    slope_point,
    slope_row,
)

__all__ = ["Figure5Settings", "figure5_data", "plot", "claims", "evaluate"]

SLOPE_CLAIM = "boundary is a constant-ratio line (slope 1 in log-log), {rel}"
RATIO_CLAIM = "critical ratio eta_dec/eta_enc <~ 10, {rel}"
SAME_CLAIM = "critical ratio is the same for all relations"


@dataclass(frozen=True)
class Figure5Settings:
    """Settings of Figure 5's phase diagrams; the defaults are the quick tier.

    The tiers are declared in :data:`verification.figures.registry.FIGURES` (``"fig5"``).

    Parameters
    ----------
    relations : sequence of str
        Relations (``"mod3"``, ``"greater"``, ``"bipartite"``, or any relation
        :func:`effective_theory.relation_spec` reads, stored as its spec); all are trained in one
        batch.
    log_eta_enc : sequence of float
        log10 of the encoder learning rates: the columns.
    log_eta_dec : sequence of float
        log10 of the decoder learning rates: the rows of the grid design, the range of the
        adaptive one.
    seeds : int
        Runs per point: model seeds ``model_seeds(seed, seeds)`` (initialisation and split;
        disjoint from every other experiment seed's).
    steps, n, eval_every : int
        Step budget, elements and evaluation period (Table III otherwise).
    optimizer : {"adam", "sgd"}
        ``"adam"`` (PyTorch's defaults; an assumption: the paper names no optimizer) or ``"sgd"``,
        plain full-batch gradient descent, the discrete form of the gradient flow Eqs. (8)-(12)
        are derived for.
    ratio_at : float
        ``log10 eta_enc`` at which the critical ratio is read (:func:`evaluate`); inside the
        sampled columns.  Default Table III's ``eta_enc = 1e-3``
        (:data:`verification.verdicts.RATIO_AT_LOG_ETA_ENC`).
    design : {"grid", "adaptive"}
        ``"grid"`` trains every point of ``log_eta_enc x log_eta_dec``; ``"adaptive"`` locates
        each column's boundary round by round where it is uncertain
        (:func:`verification.figures.phase_diagram.adaptive_diagram`).
    adaptive : mapping
        Options of the adaptive design (:data:`verification.figures.phase_diagram.ADAPTIVE_OPTIONS`:
        ``initial_points``, ``precision``, ``resolution``, ``max_rounds``, ``max_runs``, and
        ``dense_runs_per_relation`` for the cost comparison).
    seed : int
        Experiment seed.

    Raises
    ------
    TypeError, ValueError
        For a field of the wrong type or out of range, naming the field.
    """

    relations: tuple = ("mod3", "greater", "bipartite")
    log_eta_enc: tuple = (-4.0, -3.5, -3.0, -2.5)
    log_eta_dec: tuple = (-4.0, -3.5, -3.0, -2.5, -2.0, -1.5)
    seeds: int = 1
    steps: int = 4_000
    n: int = 30
    eval_every: int = 10
    design: str = "grid"
    adaptive: Mapping = field(default_factory=dict)
    optimizer: str = "adam"
    ratio_at: float = RATIO_AT_LOG_ETA_ENC
    seed: int = 0

    def __post_init__(self):
        check_diagram_settings(self, ("log_eta_enc", "log_eta_dec"))
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {self.optimizer!r}")
        if isinstance(self.ratio_at, bool) or not isinstance(self.ratio_at, (int, float)):
            raise TypeError(f"ratio_at must be a number, got {type(self.ratio_at).__name__}")
        object.__setattr__(self, "ratio_at", float(self.ratio_at))
        lo, hi = min(self.log_eta_enc), max(self.log_eta_enc)
        if not lo <= self.ratio_at <= hi:
            raise ValueError(
                f"ratio_at must lie within log_eta_enc's range [{lo:g}, {hi:g}], got {self.ratio_at:g}"
            )


def figure5_data(settings: Figure5Settings | None = None, run: RunContext | None = None) -> dict:
    """Phase diagrams and boundary fits for every relation (JSON-serialisable; pure).

    Parameters
    ----------
    settings : Figure5Settings, optional
        Default: the quick tier.
    run : RunContext, optional
        Device, executor, cache, chunk size, progress.

    Returns
    -------
    dict
        ``params``, ``diagram`` (one entry per run), ``boundary`` (per relation) and ``cost``
        (:func:`verification.figures.phase_diagram.diagram_data`).
    """
    s = Figure5Settings() if settings is None else settings
    params = {
        "relations": list(s.relations),
        "log_eta_enc": list(s.log_eta_enc),
        "log_eta_dec": list(s.log_eta_dec),
        "seeds": s.seeds,
        "seed": s.seed,
        "steps": s.steps,
        "n": s.n,
        "eval_every": s.eval_every,
        "design": s.design,
        "optimizer": s.optimizer,
        "ratio_at": s.ratio_at,
    }
    fixed = {"optimizer": s.optimizer}
    return diagram_data(
        params, x_key="log_eta_enc", x_field="eta_enc", fixed=fixed, adaptive=s.adaptive, run=run
    )


def plot(data, out_dir) -> list[str]:
    """One panel per relation (PNG: runs by phase, fitted boundary, the paper's ratio 10) and the
    runs (CSV); return the paths."""
    return plot_phase_diagrams(
        data,
        out_dir,
        name="figure5",
        x_key="log_eta_enc",
        x_label=r"$\log_{10}\,\eta_{\rm enc}$",
        reference_slope=1.0,
        reference_intercept=1.0,
        reference_label=r"paper: $\eta_{\rm dec}/\eta_{\rm enc} = 10$",
    )


def claims(settings) -> list[Claim]:
    """The predictions :func:`evaluate` checks at these settings (ids ``fig5.slope.<relation>``,
    ``fig5.ratio.<relation>``, ``fig5.same-ratio``)."""
    rels = [relation_label(r) for r in settings["relations"]]
    out = [
        Claim(f"fig5.{kind}.{r}", text.format(rel=r))
        for r in rels
        for kind, text in (("slope", SLOPE_CLAIM), ("ratio", RATIO_CLAIM))
    ]
    return out + ([Claim("fig5.same-ratio", SAME_CLAIM)] if len(rels) >= 2 else [])


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows for Figure 5 (Eq. 12): slope 1, ``r* <~ 10``, the same ``r*`` for every relation.

    The boundary of each relation is fitted allowing curvature
    (:func:`verification.figures.phase_diagram.boundary_fits`, ``curvature=True``).  Slope 1 is
    tested on its local slope at :func:`verification.verdicts.slope_point` of the sampled
    ``log10 eta_enc`` (the mean slope over the lower, small-rate half of the range); the row also
    gives the local slope at the low end, centre and high end and the curvature.  ``r*`` is read
    at the settings' ``ratio_at`` (default Table III's ``eta_enc = 1e-3``: ``log10 r* = y0(-3) + 3``,
    :data:`verification.verdicts.RATIO_AT_LOG_ETA_ENC`), for the ratio and the same-ratio rows.
    Each row is also computed from the phases the runs had at a quarter of the budget; a row whose
    estimate then lies outside its interval at the full budget is inconclusive.
    """
    diagram = data["diagram"]
    xs = data["params"]["log_eta_enc"]
    at = slope_point(xs)
    at_x = float(data["params"].get("ratio_at", RATIO_AT_LOG_ETA_ENC))
    ratio = ("ratio", at_x)
    where = f" at eta_enc = 10^{at_x:g}"
    rows, fits, quarter_fits = [], {}, {}
    for rel in data["params"]["relations"]:
        claim = SLOPE_CLAIM.format(rel=relation_label(rel))
        r, fit, _ = budget_checked_row(
            diagram,
            rel,
            x_key="log_eta_enc",
            quantity=("slope", at),
            curvature=True,
            make_row=lambda fit, claim=claim: slope_row(
                claim, fit, expected=1.0, at=at, x_name="log10 eta_enc"
            ),
        )
        if r is not None:
            r["measured"] += "; " + local_slopes_text(fit, xs, x_name="log10 eta_enc")
            rows.append((claim, r))
        claim = RATIO_CLAIM.format(rel=relation_label(rel))
        r, fit, fit_q = budget_checked_row(
            diagram,
            rel,
            x_key="log_eta_enc",
            quantity=ratio,
            curvature=True,
            make_row=lambda fit, claim=claim: ratio_row(claim, fit, quantity=ratio, where=where),
        )
        if r is not None:
            fits[relation_label(rel)] = fit
            rows.append((claim, r))
            quarter_fits[relation_label(rel)] = fit_q
    if len(fits) >= 2:
        rows.append((SAME_CLAIM, same_ratio_row(SAME_CLAIM, fits, quarter_fits, quantity=ratio)))
    return rows
