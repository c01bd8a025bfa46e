"""Figure 6: probability of generalization versus eta_dec/eta_enc, against the arctan bound of Eq. (12).

The interacting-repon theory (Section IV of [1]_) predicts that a pair of
same-class representations collides (the precondition of generalization) with
probability at most

.. math::

    p_r = \\frac{2}{\\pi}\\arctan\\left(\\frac{\\sigma_a}{\\sigma_c}
          \\sqrt{\\frac{\\eta_x}{2\\eta_A}}\\right)

(Eq. (12) of [1]_), where ``eta_x = eta_enc`` and ``eta_A = eta_dec`` are the
encoder and decoder learning rates and ``sigma_a``, ``sigma_c`` the widths of
the initial decoder weight and repon separation.  The bound depends on the
learning rates only through their ratio.

Here, for each ratio ``eta_dec / eta_enc`` and initialisation scale ``s`` (all
weights and embeddings scaled by ``s``, so ``sigma_a / sigma_c`` is the same
for every ``s``: the bound is one curve, as in Figure 6 of [1]_), many models
are trained with independent seeds and the fraction that generalizes (phase
"generalization" or "grokking" of Table IV, i.e. test accuracy above 0.9
within the step budget) is the measured probability, with its binomial
standard error.  The bound uses ``sigma_a / sigma_c = sigma_ratio`` (default
1: the paper's single black line); :func:`effective_theory.representation_learning_probability`
evaluates it.

Two designs (:func:`figure6_data`): ``"dense"`` trains ``seeds`` models at every point;
``"sequential"`` (the full tier, issue 15) trains them in rounds (:func:`sequential_counts`,
:func:`verification.figures.seed_rounds.seed_rounds`) and stops a point when its verdict against
the bound is decided by a group-sequential exact binomial test with Bonferroni alpha spending over
the rounds (:func:`verification.statistics.sequential_binomial_verdict`), when its simultaneous
interval is narrower than a declared precision, or at the seed cap.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
import os
from collections import Counter

import numpy as np

from verification.figures._common import (
    binomial_sem,
    check_positive_int,
    model_seeds,
    seeded_configs,
    write_csv,
)

__all__ = [
    "GENERALIZING_PHASES",
    "generalization_bound",
    "generalization_counts",
    "sequential_counts",
    "figure6_data",
    "plot",
    "evaluate",
]

#: the Figure 6 row with sigma_a / sigma_c measured on the networks at initialisation (issue 12)
MEASURED_CLAIM = (
    "probability of generalization <= Eq. 12 bound with sigma_a/sigma_c measured at initialisation"
)

#: Phases of Table IV counted as "generalized" (grokking is delayed generalization, Figure 8 of [1]_).
GENERALIZING_PHASES = ("generalization", "grokking")


def _check_rate(x, name) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(x).__name__}")
    x = float(x)
    if not x > 0 or math.isinf(x):
        raise ValueError(f"{name} must be positive and finite, got {x}")
    return x


def generalization_bound(eta_enc: float, eta_dec: float, *, sigma_ratio: float = 1.0) -> float:
    """Upper bound of Eq. (12) of [1]_ on the probability of generalization.

    Delegates to :func:`effective_theory.representation_learning_probability` with
    ``eta_x = eta_enc``, ``eta_A = eta_dec``, ``sigma_a = sigma_ratio``, ``sigma_c = 1``.

    Examples
    --------
    >>> round(generalization_bound(1.0, 0.5), 6)  # arctan(1) = pi/4
    0.5
    >>> generalization_bound(1e-3, 1e-2) == generalization_bound(1e-1, 1.0)  # only the ratio matters
    True
    """
    from effective_theory import representation_learning_probability

    eta_enc = _check_rate(eta_enc, "eta_enc")
    eta_dec = _check_rate(eta_dec, "eta_dec")
    sigma_ratio = _check_rate(sigma_ratio, "sigma_ratio")
    return float(representation_learning_probability(eta_enc, eta_dec, sigma_ratio, 1.0))


def generalization_counts(
    points,
    *,
    relation: str = "mod3",
    seeds: int = 24,
    steps: int = 3000,
    n: int = 30,
    train_fraction: float = 0.75,
    init: str = "uniform",
    optimizer: str = "adam",
    sigma_ratio: float = 1.0,
    seed: int = 0,
    device: str | None = None,
    progress: bool = False,
    executor=None,
    cache=None,
    chunk_size=None,
) -> list[dict]:
    """Measured probability of generalization at each ``(eta_enc, eta_dec, init_scale)`` point (one chunk).

    Parameters
    ----------
    points : sequence of (float, float, float)
        ``(eta_enc, eta_dec, init_scale)`` triples; ``init_scale`` multiplies both the
        embeddings' N(0, 1) initialisation and the decoder's default initialisation.
    relation : str
        Relation (default mod 3, Figure 6 of [1]_).
    seeds : int
        Independent models (initialisation and split) per point; the same seeds are used at
        every point.
    steps : int
        Step budget of the phase classification (Table IV; paper: 10^5).
    n, train_fraction : int, float
        Elements and training fraction (Table III: 30, 0.75).
    init : {"uniform", "normal"}
        Decoder initialisation (:func:`verification.model.init_parameters`): ``"uniform"`` (PyTorch's
        ``nn.Linear`` default times the scale; what the report's tables use) or ``"normal"`` (standard
        normal times the scale, the caption of Figure 6 of [1]_).
    optimizer : {"adam", "sgd"}
        Adam (the report's tables) or plain gradient descent, the discrete gradient flow Eq. (12) is
        derived for (give it larger rates, e.g. ``--eta-enc 0.1``: at Adam's 1e-3 SGD barely moves).
    sigma_ratio : float
        ``sigma_a / sigma_c`` used for the bound.
    seed : int
        Experiment seed.
    executor, cache, chunk_size : optional
        Train in chunks through an executor and the on-disk result cache
        (:func:`~verification.sweeps.train_grid`): finished chunks survive an interruption.
        Default: one batched ensemble in this process.

    Returns
    -------
    list of dict
        Per point: ``eta_enc``, ``eta_dec``, ``ratio`` (``eta_dec / eta_enc``), ``init_scale``,
        ``trials``, ``generalized`` (count), ``p`` and ``sem`` (binomial), ``phases`` (counts
        of each phase), ``test_acc`` (per seed), ``model_steps`` (trained), ``bound`` (Eq. 12) and
        the bound with ``sigma_a / sigma_c`` measured at initialisation (``bound_measured``).
    """
    from verification.sweeps import train_points

    seeds = check_positive_int(seeds, "seeds")
    steps = check_positive_int(steps, "steps")
    pts = _check_points(points)
    groups = seeded_configs(
        [_fields(p) for p in pts],
        model_seeds(seed, seeds),
        relation=relation,
        n=n,
        train_fraction=train_fraction,
        init=init,
        optimizer=optimizer,
    )
    runs = train_points(
        groups,
        steps=steps,
        early_stop=True,
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
        desc="figure 6 chunks",
    )
    return [_summary(point, r, group, sigma_ratio=sigma_ratio) for point, r, group in zip(pts, runs, groups)]


def _check_points(points) -> list[tuple[float, float, float]]:
    pts = []
    for p in points:
        if len(p) != 3:
            raise ValueError(f"each point must be (eta_enc, eta_dec, init_scale), got {p!r}")
        pts.append(
            (_check_rate(p[0], "eta_enc"), _check_rate(p[1], "eta_dec"), _check_rate(p[2], "init_scale"))
        )
    if not pts:
        raise ValueError("points must not be empty")
    return pts


def _fields(point) -> dict:
    eta_enc, eta_dec, scale = point
    return {"eta_enc": eta_enc, "eta_dec": eta_dec, "init_enc": scale, "init_dec": scale}


def _summary(point, runs, sigma_group, *, sigma_ratio) -> dict:
    """One point's row of the figure: its runs ``runs`` (from ``train_points``), the Eq. (12) bound
    with ``sigma_ratio`` and with ``sigma_a / sigma_c`` measured on the configs ``sigma_group``."""
    eta_enc, eta_dec, scale = point
    ratios = [initial_sigma_ratio(cfg) for cfg in sigma_group]
    measured = float(np.mean(ratios))
    phases = runs["phase"]
    trials = len(phases)
    k = sum(ph in GENERALIZING_PHASES for ph in phases)
    p = k / trials
    return {
        "eta_enc": eta_enc,
        "eta_dec": eta_dec,
        "ratio": eta_dec / eta_enc,
        "init_scale": scale,
        "trials": trials,
        "generalized": k,
        "p": p,
        "sem": binomial_sem(p, trials),
        "phases": dict(Counter(phases)),
        "test_acc": runs["test_acc"],
        "model_steps": int(sum(runs["steps_run"])),
        "bound": generalization_bound(eta_enc, eta_dec, sigma_ratio=sigma_ratio),
        "sigma_ratio_measured": measured,
        "sigma_ratio_measured_sd": float(np.std(ratios, ddof=1)) if len(ratios) > 1 else 0.0,
        "bound_measured": generalization_bound(eta_enc, eta_dec, sigma_ratio=measured),
    }


def sequential_counts(
    points,
    *,
    schedule,
    precision,
    rows,
    max_runs=None,
    max_model_steps=None,
    relation: str = "mod3",
    steps: int = 3000,
    n: int = 30,
    train_fraction: float = 0.75,
    init: str = "uniform",
    optimizer: str = "adam",
    sigma_ratio: float = 1.0,
    seed: int = 0,
    device: str | None = None,
    progress: bool = False,
    executor=None,
    cache=None,
    chunk_size=None,
) -> dict:
    """The probability of generalization at each point, seeds in rounds (the sequential design).

    Each round trains every open point up to its next look ``schedule[j]`` seeds (the same model
    seeds, in the same order, as the dense design with ``schedule[-1]`` seeds) in one batched call
    through the cache (:func:`verification.figures.seed_rounds.seed_rounds`).  At its looks a
    point stops

    * when its verdict on ``P <= bound`` (Eq. 12 with ``sigma_ratio``) is decided by the
      group-sequential exact binomial test of
      :func:`verification.statistics.sequential_binomial_verdict` (at most ``len(schedule)`` looks,
      linear alpha spending by the union bound), at the levels the report needs
      (:func:`verification.figures.seed_rounds.row_levels`: ``ALPHA / rows`` to hold, since the
      report Holm-adjusts its ``rows`` statistical rows and the row holds only when every point
      holds; ``ALPHA / (rows * points)`` to fail, the row's Bonferroni factor);
    * when its interval (simultaneous over the looks, level ``1 - 2 ALPHA``) is narrower than
      ``precision``;
    * at the cap ``schedule[-1]``, or when ``max_runs`` / ``max_model_steps`` are spent.

    Every stop is a stopping time of the same sequential test, so the verdicts of
    :func:`evaluate` are valid whichever rule stopped a point.  A run that does not generalize
    within ``steps`` (memorization, confusion: it never settles, and runs its whole budget) counts
    as not generalized, as in the dense design.  ``sigma_a / sigma_c`` is measured on the cap's
    seeds (the initialisation does not depend on how many were trained), so the measured bound is
    the dense design's.

    Returns
    -------
    dict
        ``points`` (as :func:`generalization_counts`, plus ``outcomes``: generalized or not per seed
        in order, ``looks``: seeds after each round, ``stopped``: why), ``rounds``, ``runs``,
        ``model_steps`` and ``max_looks``.
    """
    from verification.figures.seed_rounds import check_schedule, row_levels, seed_rounds
    from verification.statistics import sequential_binomial_verdict, stopping_reason
    from verification.verdicts import ALPHA

    pts = _check_points(points)
    schedule = check_schedule(schedule)
    steps = check_positive_int(steps, "steps")
    if (max_runs is not None and max_runs < len(pts)) or (
        max_model_steps is not None and max_model_steps < len(pts) * steps
    ):
        raise ValueError(f"the budget must allow one run of {steps} steps at each of the {len(pts)} points")
    seeds = model_seeds(seed, schedule[-1])
    common = {
        "relation": relation,
        "n": n,
        "train_fraction": train_fraction,
        "init": init,
        "optimizer": optimizer,
    }
    bounds = [generalization_bound(e, d, sigma_ratio=sigma_ratio) for e, d, _ in pts]
    max_looks = len(schedule)
    alpha_hold, alpha_fail = row_levels(ALPHA, rows=rows, parts=len(pts))

    def make_configs(i, indices):
        return seeded_configs([_fields(pts[i])], [seeds[j] for j in indices], **common)[0]

    def update(state):
        out = {}
        for i in state["open"]:
            if not state["looks"][i]:
                continue  # a round the budget trimmed left it short of its first look
            g = [ph in GENERALIZING_PHASES for ph in state["results"][i]["phase"]]
            v = sequential_binomial_verdict(
                "P <= bound", g, state["looks"][i], bound=bounds[i], max_looks=max_looks, alpha=ALPHA
            )
            why = stopping_reason(v, alpha_hold=alpha_hold, alpha_fail=alpha_fail, precision=precision)
            if why is not None:
                out[i] = why
        return out

    d = seed_rounds(
        range(len(pts)),
        make_configs,
        update,
        schedule=schedule,
        steps=steps,
        max_runs=max_runs,
        max_model_steps=max_model_steps,
        early_stop=True,
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
        desc="figure 6 round",
    )
    out = []
    for i, point in enumerate(pts):
        runs = d["results"][i]
        row = _summary(point, runs, make_configs(i, range(schedule[-1])), sigma_ratio=sigma_ratio)
        row["outcomes"] = [int(ph in GENERALIZING_PHASES) for ph in runs["phase"]]
        row["looks"] = d["looks"][i]
        row["stopped"] = d["stopped"][i]
        out.append(row)
    return {
        "points": out,
        "rounds": d["rounds"],
        "runs": d["runs"],
        "model_steps": d["model_steps"],
        "max_looks": max_looks,
    }


def initial_sigma_ratio(config) -> float:
    """``sigma_a / sigma_c`` of one network at initialisation, as Eq. (12) defines them (issue 12).

    Eq. (12) is derived for a linear decoder ``A`` with i.i.d. entries of width ``sigma_a`` acting on
    a repon pair of half separation ``r`` with entries of width ``sigma_c``.  For the network at
    initialisation, ``A`` is the decoder's Jacobian with respect to both embeddings of every training
    pair (``sigma_a`` its root-mean-square entry) and ``r0 = (x_a - x_b)/2`` over the pairs of
    elements the relation cannot tell apart (equal rows and columns of the relation matrix; for
    mod 3 the classes), ``sigma_c`` its root-mean-square component: the toolkit's one estimator,
    :func:`verification.mechanism.initial_quantities.initial_widths` (``nan`` when no two elements
    are alike).
    """
    from verification.mechanism.initial_quantities import initial_widths

    return initial_widths(config)["sigma_ratio"]


def figure6_data(
    *,
    ratios=(0.1, 1.0, 10.0),
    init_scales=(1.0,),
    eta_enc: float = 1e-3,
    relation: str = "mod3",
    seeds: int = 24,
    steps: int = 3000,
    n: int = 30,
    train_fraction: float = 0.75,
    init: str = "uniform",
    optimizer: str = "adam",
    sigma_ratio: float = 1.0,
    seed: int = 0,
    design: str = "dense",
    sequential=None,
    device: str | None = None,
    progress: bool = False,
    executor=None,
    cache=None,
    chunk_size=None,
) -> dict:
    """Figure 6 of [1]_: probability of generalization on the grid ``ratios x init_scales``.

    ``eta_enc`` is held fixed and ``eta_dec = ratio * eta_enc``; ``executor``, ``cache`` and
    ``chunk_size`` as in :func:`generalization_counts`.  ``design="dense"`` trains ``seeds``
    models at every point (:func:`generalization_counts`); ``design="sequential"`` trains them
    in rounds and stops each point when it is decided, precise or capped at ``seeds``
    (:func:`sequential_counts`, options ``sequential``: ``schedule`` ending at ``seeds``,
    ``precision``, ``rows``, ``max_runs``, ``max_model_steps``).  Returns ``points`` (see
    :func:`generalization_counts`), the bound on a fine ratio grid (``bound_ratios``, ``bound``)
    for plotting, ``design`` and ``cost`` (runs and model-steps against the dense design's);
    the sequential design adds ``sequential`` (its options and ``max_looks``) and ``rounds``.
    """
    rs = [_check_rate(r, "ratio") for r in ratios]
    scales = [_check_rate(s, "init_scale") for s in init_scales]
    if not rs or not scales:
        raise ValueError("ratios and init_scales must not be empty")
    eta_enc = _check_rate(eta_enc, "eta_enc")
    seeds = check_positive_int(seeds, "seeds")
    points = [(eta_enc, r * eta_enc, s) for s in scales for r in rs]
    run = {
        "relation": relation,
        "steps": steps,
        "n": n,
        "train_fraction": train_fraction,
        "init": init,
        "optimizer": optimizer,
        "sigma_ratio": sigma_ratio,
        "seed": seed,
        "device": device,
        "progress": progress,
        "executor": executor,
        "cache": cache,
        "chunk_size": chunk_size,
    }
    extra = {}
    if design == "dense":
        pts = generalization_counts(points, seeds=seeds, **run)
        runs = len(pts) * seeds
        model_steps = sum(p["model_steps"] for p in pts)
    elif design == "sequential":
        options = dict(sequential or {})
        if list(options.get("schedule", []))[-1:] != [seeds]:
            raise ValueError(f"the sequential schedule must end at the seed cap seeds = {seeds}")
        d = sequential_counts(points, **options, **run)
        pts, runs, model_steps = d["points"], d["runs"], d["model_steps"]
        extra = {"sequential": {**options, "max_looks": d["max_looks"]}, "rounds": d["rounds"]}
    else:
        raise ValueError(f"design must be 'dense' or 'sequential', got {design!r}")
    lo, hi = math.log10(min(rs)) - 0.5, math.log10(max(rs)) + 0.5
    fine = [10 ** (lo + (hi - lo) * i / 200) for i in range(201)]
    dense = len(points) * seeds
    return {
        "relation": relation,
        "n": n,
        "train_fraction": train_fraction,
        "steps": steps,
        "seeds": seeds,
        "init": init,
        "optimizer": optimizer,
        "sigma_ratio": sigma_ratio,
        "design": design,
        "points": pts,
        "bound_ratios": fine,
        "bound": [generalization_bound(1.0, r, sigma_ratio=sigma_ratio) for r in fine],
        **extra,
        "cost": {
            "runs": runs,
            "model_steps": int(model_steps),
            "dense_runs": dense,
            "dense_model_steps_bound": dense * int(steps),
        },
    }


def plot(data: dict, out_dir: str) -> list[str]:
    """Write ``figure6.png`` and ``figure6.csv`` to ``out_dir``; return the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6.0, 5.0))
    ax.plot(
        data["bound_ratios"],
        data["bound"],
        "k-",
        label=rf"Eq. (12), $\sigma_a/\sigma_c$ = {data['sigma_ratio']:g}",
    )
    scales = sorted({p["init_scale"] for p in data["points"]})
    for s in scales:
        pts = sorted((p for p in data["points"] if p["init_scale"] == s), key=lambda p: p["ratio"])
        line = ax.errorbar(
            [p["ratio"] for p in pts],
            [p["p"] for p in pts],
            yerr=[p["sem"] for p in pts],
            marker="o",
            capsize=3,
            label=f"init scale {s:g} (± binomial SE)",
        )
        measured = [p["sigma_ratio_measured"] for p in pts if "sigma_ratio_measured" in p]
        if measured:
            # the networks of one init scale share sigma_a/sigma_c: its own Eq. (12) curve, dashed
            sigma = float(np.mean(measured))
            ax.plot(
                data["bound_ratios"],
                [generalization_bound(1.0, r, sigma_ratio=sigma) for r in data["bound_ratios"]],
                "--",
                color=line[0].get_color(),
                linewidth=1,
                label=rf"Eq. (12), $\sigma_a/\sigma_c$ = {sigma:.3f} measured at init {s:g}",
            )
    ax.set_xscale("log")
    ax.set_xlabel(r"$\eta_{dec} / \eta_{enc}$")
    ax.set_ylabel("probability of generalization")
    ax.set_ylim(-0.03, 1.03)
    seeds = f"{data['seeds']} seeds/point"
    if data.get("design") == "sequential":
        seeds = f"<= {data['seeds']} seeds/point (sequential)"
    ax.set_title(f"{data['relation']}, {seeds}, {data['steps']} steps")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)
    fig.tight_layout()
    png = os.path.join(out_dir, "figure6.png")
    fig.savefig(png, dpi=130)
    plt.close(fig)
    rows = [
        [
            p["eta_enc"],
            p["eta_dec"],
            p["ratio"],
            p["init_scale"],
            p["trials"],
            p["generalized"],
            p["p"],
            p["sem"],
            p["bound"],
            p.get("sigma_ratio_measured", float("nan")),
            p.get("bound_measured", float("nan")),
        ]
        for p in data["points"]
    ]
    header = ["eta_enc", "eta_dec", "ratio", "init_scale", "trials", "generalized", "p", "sem", "bound_eq12"]
    csv_path = write_csv(
        os.path.join(out_dir, "figure6.csv"),
        header + ["sigma_ratio_measured", "bound_eq12_measured_sigma"],
        rows,
    )
    return [png, csv_path]


def claims(settings) -> list[str]:
    """The prediction :func:`evaluate` checks."""
    return ["probability of generalization <= Eq. 12 bound at every point", MEASURED_CLAIM]


def _parts(data, key) -> tuple[list, str]:
    """Per point, the verdict on ``P <= p[key]``; and the test's description for the row."""
    from verification.statistics import binomial_bound_verdict, sequential_binomial_verdict
    from verification.verdicts import ALPHA

    pts = data["points"]
    if data.get("design") == "sequential":
        K = data["sequential"]["max_looks"]
        parts = [
            sequential_binomial_verdict(
                f"ratio {p['ratio']:g}, init {p['init_scale']:g}",
                p["outcomes"],
                p["looks"],
                bound=p[key],
                max_looks=K,
                alpha=ALPHA,
            )
            for p in pts
        ]
        test = (
            f"group-sequential exact binomial at each of {len(parts)} points (all of; <= {K} looks, "
            "Bonferroni alpha spending)"
        )
        return parts, test
    parts = [
        binomial_bound_verdict(
            f"ratio {p['ratio']:g}, init {p['init_scale']:g}",
            p["generalized"],
            p["trials"],
            bound=p[key],
            alpha=ALPHA,
        )
        for p in pts
    ]
    return parts, f"exact one-sided binomial at each of {len(parts)} points (all of)"


def _label(p, data) -> str:
    # the init scale is named only where the grid has several (the quick tier's rows stay as they were)
    several = len({q["init_scale"] for q in data["points"]}) > 1
    return f"ratio {p['ratio']:g}" + (f", init {p['init_scale']:g}" if several else "")


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows for Figure 6: the probability of generalization stays below Eq. (12) at every point
    (the row holds only when every point holds).  Dense design: the exact one-sided binomial test
    per point; sequential design: the group-sequential exact binomial test of its rounds
    (:func:`verification.statistics.sequential_binomial_verdict`), whose p-values and intervals are
    valid at the round where each point stopped."""
    from verification.statistics import all_of
    from verification.verdicts import row

    parts, test = _parts(data, "bound")
    claim = "probability of generalization <= Eq. 12 bound at every point"
    r = row(
        all_of(claim, parts),
        theory="P <= (2/pi) arctan(sigma_a/sigma_c sqrt(eta_enc / (2 eta_dec))), "
        f"sigma_a/sigma_c = {data['sigma_ratio']:g}",
        tolerance=test,
    )
    r["measured"] = (
        "; ".join(
            f"{_label(p, data)}: {p['generalized']}/{p['trials']} (bound {p['bound']:.3f})"
            for p in data["points"]
        )
        + f"; worst: {r['measured']}"
    )
    rows = [(claim, r)]
    if all("bound_measured" in p for p in data["points"]):
        parts, test = _parts(data, "bound_measured")
        claim = MEASURED_CLAIM
        r = row(
            all_of(claim, parts),
            theory="P <= (2/pi) arctan(sigma_a/sigma_c sqrt(eta_enc / (2 eta_dec))), "
            "sigma_a/sigma_c measured",
            tolerance=test,
        )
        r["measured"] = (
            "; ".join(
                f"{_label(p, data)}: {p['generalized']}/{p['trials']} (sigma_a/sigma_c = "
                f"{p['sigma_ratio_measured']:.2f}, bound {p['bound_measured']:.3f})"
                for p in data["points"]
            )
            + f"; worst: {r['measured']}"
        )
        rows.append((claim, r))
    return rows
