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
        of each phase), ``test_acc`` (per seed) and ``bound`` (Eq. 12).
    """
    from verification.sweeps import train_points

    seeds = check_positive_int(seeds, "seeds")
    steps = check_positive_int(steps, "steps")
    pts = []
    for p in points:
        if len(p) != 3:
            raise ValueError(f"each point must be (eta_enc, eta_dec, init_scale), got {p!r}")
        pts.append(
            (_check_rate(p[0], "eta_enc"), _check_rate(p[1], "eta_dec"), _check_rate(p[2], "init_scale"))
        )
    if not pts:
        raise ValueError("points must not be empty")
    groups = seeded_configs(
        [{"eta_enc": e, "eta_dec": d, "init_enc": s, "init_dec": s} for e, d, s in pts],
        model_seeds(seed, seeds),
        relation=relation,
        n=n,
        train_fraction=train_fraction,
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
    out = []
    for (eta_enc, eta_dec, scale), r, group in zip(pts, runs, groups):
        ratios = [initial_sigma_ratio(cfg) for cfg in group]
        measured = float(np.mean(ratios))
        phases = r["phase"]
        k = sum(ph in GENERALIZING_PHASES for ph in phases)
        p = k / seeds
        out.append(
            {
                "eta_enc": eta_enc,
                "eta_dec": eta_dec,
                "ratio": eta_dec / eta_enc,
                "init_scale": scale,
                "trials": seeds,
                "generalized": k,
                "p": p,
                "sem": binomial_sem(p, seeds),
                "phases": dict(Counter(phases)),
                "test_acc": r["test_acc"],
                "bound": generalization_bound(eta_enc, eta_dec, sigma_ratio=sigma_ratio),
                "sigma_ratio_measured": measured,
                "sigma_ratio_measured_sd": float(np.std(ratios, ddof=1)) if len(ratios) > 1 else 0.0,
                "bound_measured": generalization_bound(eta_enc, eta_dec, sigma_ratio=measured),
            }
        )
    return out


def initial_sigma_ratio(config) -> float:
    """``sigma_a / sigma_c`` of one network at initialisation, as Eq. (12) defines them (issue 12).

    Eq. (12) is derived for a linear decoder ``A`` with i.i.d. entries of width ``sigma_a`` acting on
    a repon pair of half separation ``r`` with entries of width ``sigma_c``.  For the network at
    initialisation, ``A`` is the decoder's Jacobian with respect to the first element's embedding
    at the training pairs (``sigma_a`` its root-mean-square entry) and ``r0 = (x_a - x_b)/2`` over the
    pairs of elements the relation cannot tell apart (equal rows of the relation matrix; for mod 3
    the classes), ``sigma_c`` its root-mean-square component.
    """
    import torch

    from effective_theory import relation_by_name
    from verification.model import AutoEncoder, init_parameters
    from verification.train_config import split_pairs

    n = config.n
    params = init_parameters(
        config.model, n, seed=config.seed, init_enc=config.init_enc, init_dec=config.init_dec
    )
    net = AutoEncoder(config.model, n, params)
    train, _ = split_pairs(config)
    i, j = torch.as_tensor(train // n), torch.as_tensor(train % n)
    emb = net.embedding.detach()
    e1 = emb[i].clone().requires_grad_(True)
    e2 = emb[j]
    mode = config.model.mode
    h = torch.cat([e1, e2], dim=-1) if mode == "concat" else (e1 - e2 if mode == "diff" else (e1 - e2) ** 2)
    net.decoder(h).sum().backward()  # each logit depends on its own pair's e1 only: rows are Jacobians
    sigma_a = float(e1.grad.pow(2).mean().sqrt())
    R = np.asarray(relation_by_name(config.relation, n).matrix, dtype=bool)
    a, b = np.triu_indices(n, 1)
    same = np.all(R[a] == R[b], axis=1)
    if not same.any():
        return float("nan")
    r0 = (emb[a[same]] - emb[b[same]]) / 2
    sigma_c = float(r0.pow(2).mean().sqrt())
    return sigma_a / sigma_c


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
    sigma_ratio: float = 1.0,
    seed: int = 0,
    device: str | None = None,
    progress: bool = False,
    executor=None,
    cache=None,
    chunk_size=None,
) -> dict:
    """Figure 6 of [1]_: probability of generalization on the grid ``ratios x init_scales``.

    ``eta_enc`` is held fixed and ``eta_dec = ratio * eta_enc``; ``executor``, ``cache`` and
    ``chunk_size`` as in :func:`generalization_counts`.  Returns ``points`` (see
    :func:`generalization_counts`) and the bound on a fine ratio grid (``bound_ratios``,
    ``bound``) for plotting.
    """
    rs = [_check_rate(r, "ratio") for r in ratios]
    scales = [_check_rate(s, "init_scale") for s in init_scales]
    if not rs or not scales:
        raise ValueError("ratios and init_scales must not be empty")
    eta_enc = _check_rate(eta_enc, "eta_enc")
    points = [(eta_enc, r * eta_enc, s) for s in scales for r in rs]
    pts = generalization_counts(
        points,
        relation=relation,
        seeds=seeds,
        steps=steps,
        n=n,
        train_fraction=train_fraction,
        sigma_ratio=sigma_ratio,
        seed=seed,
        device=device,
        progress=progress,
        executor=executor,
        cache=cache,
        chunk_size=chunk_size,
    )
    lo, hi = math.log10(min(rs)) - 0.5, math.log10(max(rs)) + 0.5
    fine = [10 ** (lo + (hi - lo) * i / 200) for i in range(201)]
    return {
        "relation": relation,
        "n": n,
        "train_fraction": train_fraction,
        "steps": steps,
        "seeds": seeds,
        "sigma_ratio": sigma_ratio,
        "points": pts,
        "bound_ratios": fine,
        "bound": [generalization_bound(1.0, r, sigma_ratio=sigma_ratio) for r in fine],
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
    measured = [p["sigma_ratio_measured"] for p in data["points"] if "sigma_ratio_measured" in p]
    if measured:
        s = float(np.mean(measured))
        ax.plot(
            data["bound_ratios"],
            [generalization_bound(1.0, r, sigma_ratio=s) for r in data["bound_ratios"]],
            "k--",
            label=rf"Eq. (12), $\sigma_a/\sigma_c$ = {s:.3f} (measured at init)",
        )
    scales = sorted({p["init_scale"] for p in data["points"]})
    for s in scales:
        pts = sorted((p for p in data["points"] if p["init_scale"] == s), key=lambda p: p["ratio"])
        ax.errorbar(
            [p["ratio"] for p in pts],
            [p["p"] for p in pts],
            yerr=[p["sem"] for p in pts],
            marker="o",
            capsize=3,
            label=f"init scale {s:g} (± binomial SE)",
        )
    ax.set_xscale("log")
    ax.set_xlabel(r"$\eta_{dec} / \eta_{enc}$")
    ax.set_ylabel("probability of generalization")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(f"{data['relation']}, {data['seeds']} seeds/point, {data['steps']} steps")
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
        ]
        for p in data["points"]
    ]
    csv_path = write_csv(
        os.path.join(out_dir, "figure6.csv"),
        ["eta_enc", "eta_dec", "ratio", "init_scale", "trials", "generalized", "p", "sem", "bound_eq12"],
        rows,
    )
    return [png, csv_path]


def claims(settings) -> list[str]:
    """The prediction :func:`evaluate` checks."""
    return ["probability of generalization <= Eq. 12 bound at every point", MEASURED_CLAIM]


def evaluate(data) -> list[tuple[str, dict]]:
    """Report row for Figure 6: the probability of generalization stays below Eq. (12) at every point
    (exact one-sided binomial test per point; the row holds only when every point holds)."""
    from verification.statistics import all_of, binomial_bound_verdict
    from verification.verdicts import ALPHA, row

    parts = [
        binomial_bound_verdict(
            f"ratio {p['ratio']:g}, init {p['init_scale']:g}",
            p["generalized"],
            p["trials"],
            bound=p["bound"],
            alpha=ALPHA,
        )
        for p in data["points"]
    ]
    claim = "probability of generalization <= Eq. 12 bound at every point"
    r = row(
        all_of(claim, parts),
        theory="P <= (2/pi) arctan(sigma_a/sigma_c sqrt(eta_enc / (2 eta_dec))), "
        f"sigma_a/sigma_c = {data['sigma_ratio']:g}",
        tolerance=f"exact one-sided binomial at each of {len(parts)} points (all of)",
    )
    r["measured"] = (
        "; ".join(
            f"ratio {p['ratio']:g}: {p['generalized']}/{p['trials']} (bound {p['bound']:.3f})"
            for p in data["points"]
        )
        + f"; worst: {r['measured']}"
    )
    rows = [(claim, r)]
    if all("bound_measured" in p for p in data["points"]):
        parts = [
            binomial_bound_verdict(
                f"ratio {p['ratio']:g}, init {p['init_scale']:g}",
                p["generalized"],
                p["trials"],
                bound=p["bound_measured"],
                alpha=ALPHA,
            )
            for p in data["points"]
        ]
        claim = MEASURED_CLAIM
        r = row(
            all_of(claim, parts),
            theory="P <= (2/pi) arctan(sigma_a/sigma_c sqrt(eta_enc / (2 eta_dec))), "
            "sigma_a/sigma_c measured",
            tolerance=f"exact one-sided binomial at each of {len(parts)} points (all of)",
        )
        r["measured"] = (
            "; ".join(
                f"ratio {p['ratio']:g}: {p['generalized']}/{p['trials']} (sigma_a/sigma_c = "
                f"{p['sigma_ratio_measured']:.2f}, bound {p['bound_measured']:.3f})"
                for p in data["points"]
            )
            + f"; worst: {r['measured']}"
        )
        rows.append((claim, r))
    return rows
