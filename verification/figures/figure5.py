"""Figure 5: phase diagram over the encoder and decoder learning rates (Section IV of [1]_).

Prediction (Theorem 3, Eq. (12)): the probability of generalizable representation learning
depends on the learning rates only through their ratio, so in the log-log plane
``(log10 eta_enc, log10 eta_dec)`` the generalization/memorization boundary is a constant-ratio
line, ``log10 eta_dec* = log10 eta_enc + log10 r*``: slope 1 with ``eta_enc`` on the horizontal
and ``eta_dec`` on the vertical axis, increasing upwards.  (The paper calls it "slope -1"; a
constant ratio has slope +1 in these axes, so the sign refers to the orientation of its figure's
axes.)  The paper reads the critical ratio ``r* = eta_dec / eta_enc`` as "generalization requires
eta_dec / eta_enc <~ 10", the same for mod 3, greater-than and complete bipartite.

:func:`phase_diagram` trains one model per (relation, eta_enc, eta_dec, seed) and classifies it
by Table IV; :func:`figure5_data` fits the boundary of each relation to every run by maximum
likelihood (:func:`verification.figures.phase_diagram.analyze_boundary`: censored columns bound
the line instead of being dropped); :func:`evaluate` tests the three claims
(:mod:`verification.verdicts`: slope 1 within 0.25, ``log10 r* <= 1.5``, the same ratio for all
relations within half a decade), each also at a quarter of the budget; :func:`plot` draws the
diagrams.  The settings of the quick and full tiers are those of
:data:`verification.figures.registry.FIGURES` (``"fig5"``).

Scale.  The paper trains up to 10^5 Adam steps (Table III defaults otherwise) on a grid whose range
it does not state.  The full tier runs 10^5 steps on rates 1e-5 .. 1e-2 (encoder) and 1e-5 .. 1e-1
(decoder), 0.25-decade steps, 3 seeds per point.  The quick tier runs 4,000 steps on encoder rates
1e-4 .. 10^-2.5 (Table III's 1e-3 inside) and decoder rates 1e-4 .. 10^-1.5, a 0.5-decade grid, one
seed per point (72 runs).  At higher rates (decoder >= 0.1, encoder 1e-2) Adam training becomes
unstable and the high-ratio side is confusion rather than memorization.

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

__all__ = ["phase_diagram", "figure5_data", "plot", "claims", "evaluate"]

SLOPE_CLAIM = "boundary is a constant-ratio line (slope 1 in log-log), {rel}"
RATIO_CLAIM = "critical ratio eta_dec/eta_enc <~ 10, {rel}"
SAME_CLAIM = "critical ratio is the same for all relations"


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
        Independent runs per grid point: model seeds ``model_seeds(seed, seeds)`` (initialisation
        and split; disjoint from every other experiment seed's).
    steps, n, train_fraction, eval_every, gap :
        Step budget, elements, training fraction, evaluation period and grokking gap.
    extra : dict, optional
        Further :class:`~verification.training.TrainConfig` fields (e.g. ``{"wd_dec": 0.1}``).
    executor, cache, chunk_size : optional
        Run the grid in chunks of ``chunk_size`` configs through an executor and an on-disk
        :class:`~verification.runtime.result_cache.ResultCache`
        (:func:`verification.sweeps.train_points`).  Per-config results depend neither on the
        chunking nor on the executor.

    Returns
    -------
    dict of lists
        One entry per run: ``relation``, ``log_eta_enc``, ``log_eta_dec``, ``seed``, ``phase``,
        ``steps_to_train``, ``steps_to_test``, ``train_acc``, ``test_acc``; plus ``steps``, ``gap``.
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


def figure5_data(
    *,
    relations=("mod3", "greater", "bipartite"),
    log_eta_enc=(-4.0, -3.5, -3.0, -2.5),
    log_eta_dec=(-4.0, -3.5, -3.0, -2.5, -2.0, -1.5),
    seeds=1,
    seed=0,
    steps=4_000,
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
    """Phase diagrams and boundary fits for every relation (JSON-serialisable; pure).

    ``design="grid"`` trains every point of ``log_eta_enc x log_eta_dec``; ``design="adaptive"``
    trains the columns ``log_eta_enc`` at decoder rates chosen round by round where the boundary
    is uncertain (:func:`verification.figures.phase_diagram.adaptive_phase_diagram`, options in
    ``adaptive``: ``initial_points``, ``precision``, ``resolution``, ``max_rounds``; the decoder
    range is ``log_eta_dec``'s).  The defaults are the quick tier; the tiers are declared in
    :data:`verification.figures.registry.FIGURES` (``"fig5"``).
    """
    params = {
        "relations": [str(r) for r in relations],
        "log_eta_enc": [float(v) for v in log_eta_enc],
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
        x_key="log_eta_enc",
        x_field="eta_enc",
        adaptive=adaptive,
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
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


def claims(settings) -> list[str]:
    """The predictions :func:`evaluate` checks at these settings."""
    rels = settings["relations"]
    out = [c.format(rel=r) for r in rels for c in (SLOPE_CLAIM, RATIO_CLAIM)]
    return out + ([SAME_CLAIM] if len(rels) >= 2 else [])


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows for Figure 5 (Eq. 12): slope 1, ``r* <~ 10``, the same ``r*`` for every relation.

    Each row is also computed from the phases the runs had at a quarter of the budget; a row whose
    estimate then lies outside its interval at the full budget is inconclusive.
    """
    from verification.verdicts import ratio_row, same_ratio_row, slope_row

    diagram = data["diagram"]
    rows, unit_fits, quarter_fits = [], {}, {}
    for rel in data["params"]["relations"]:
        claim = SLOPE_CLAIM.format(rel=rel)
        r, *_ = budget_checked_row(
            diagram,
            rel,
            x_key="log_eta_enc",
            quantity="slope",
            make_row=lambda fit, claim=claim: slope_row(claim, fit, expected=1.0),
        )
        if r is not None:
            rows.append((claim, r))
        claim = RATIO_CLAIM.format(rel=rel)
        r, fit, fit_q = budget_checked_row(
            diagram,
            rel,
            x_key="log_eta_enc",
            quantity="intercept",
            unit_slope=True,
            make_row=lambda fit, claim=claim: ratio_row(claim, fit),
        )
        if r is not None:
            unit_fits[rel] = fit
            rows.append((claim, r))
            quarter_fits[rel] = fit_q
    if len(unit_fits) >= 2:
        rows.append((SAME_CLAIM, same_ratio_row(SAME_CLAIM, unit_fits, quarter_fits)))
    return rows
