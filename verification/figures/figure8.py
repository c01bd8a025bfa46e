"""Figure 8: phase diagram over the decoder weight decay and learning rate (Appendix F of [1]_).

Prediction (Eq. (12)): the probability of generalizable representation learning depends on the
learning rates and the initialisation only, not on the decoder's weight decay, so in the plane
``(log10 wd_dec, log10 eta_dec)`` at fixed ``eta_enc`` (paper: 1e-5) the generalization /
memorization boundary ``log10 eta_dec*`` is a horizontal line: its slope against
``log10 wd_dec`` is zero.  Grokking counts as generalization (delayed), as in the paper's caption.
:func:`evaluate` tests it as an equivalence, slope 0 within 0.25 (:mod:`verification.verdicts`),
on the boundary fitted to every run by maximum likelihood (censored columns included), also at a
quarter of the budget.

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

from verification.figures.phase_diagram import (
    budget_checked_row,
    diagram_data,
    grid_phase_diagram,
    plot_phase_diagrams,
)

__all__ = ["wd_phase_diagram", "figure8_data", "plot", "claims", "evaluate"]

CLAIM = "the boundary log eta_dec* does not depend on log wd_dec (slope 0), {rel}"


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
    ``executor``, ``cache`` and ``chunk_size`` are as in
    :func:`verification.figures.phase_diagram.grid_phase_diagram`.
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
    relations=("mod3",),
    log_eta_enc=-3.0,
    log_wd_dec=(-3.0, -2.0, -1.0, 0.0),
    log_eta_dec=(-3.5, -3.0, -2.5, -2.0, -1.5),
    seeds=2,
    seed=0,
    steps=3_000,
    n=30,
    eval_every=10,
    design="grid",
    adaptive=None,
    device=None,
    progress=False,
    executor=None,
    cache=None,
    chunk_size=None,
) -> dict:
    """Diagrams and boundary analysis (slope of ``log10 eta_dec*`` against ``log10 wd_dec``); pure.

    ``design`` and ``adaptive`` as in :func:`verification.figures.figure5.figure5_data`, with the
    weight decay as the columns.  The defaults are the quick tier; the tiers are declared in
    :data:`verification.figures.registry.FIGURES` (``"fig8"``).
    """
    params = {
        "relations": [str(r) for r in relations],
        "log_eta_enc": float(log_eta_enc),
        "log_wd_dec": [float(v) for v in log_wd_dec],
        "log_eta_dec": [float(v) for v in log_eta_dec],
        "seeds": int(seeds),
        "seed": int(seed),
        "steps": int(steps),
        "n": int(n),
        "eval_every": int(eval_every),
        "design": design,
    }
    return diagram_data(
        params,
        x_key="log_wd_dec",
        x_field="wd_dec",
        fixed={"eta_enc": 10.0 ** params["log_eta_enc"]},
        adaptive=adaptive,
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
    )


def plot(data, out_dir) -> list[str]:
    """One panel per relation (PNG) and the runs (CSV); the dashed line is a weight-decay-independent
    boundary through the fitted line's value at the middle of the weight-decay range."""
    import math

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


def claims(settings) -> list[str]:
    """The predictions :func:`evaluate` checks at these settings."""
    return [CLAIM.format(rel=r) for r in settings["relations"]]


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows for Figure 8 (Eq. 12): the boundary does not move with the decoder's weight decay."""
    from verification.verdicts import slope_row

    rows = []
    for rel in data["params"]["relations"]:
        claim = CLAIM.format(rel=rel)
        r, *_ = budget_checked_row(
            data["diagram"],
            rel,
            x_key="log_wd_dec",
            quantity="slope",
            make_row=lambda fit, claim=claim: slope_row(claim, fit, expected=0.0),
        )
        if r is not None:
            rows.append((claim, r))
    return rows
