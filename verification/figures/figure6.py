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
of equal mod 3 (Table III: n = 30, training fraction 0.75) are trained with
independent seeds and the fraction that generalizes (phase "generalization" or
"grokking" of Table IV, i.e. test accuracy above 0.9 within the step budget) is
the measured probability, with its binomial standard error.  The bound uses
``sigma_a / sigma_c = 1`` (the paper's single black line) and, beside it, the
ratio measured on the networks at initialisation;
:func:`effective_theory.representation_learning_probability` evaluates it.

The sharpest form of the claim uses every input of Eq. (12) as measured on the networks at
initialisation: ``K = (sigma_a / sigma_c) sqrt(eta_x / (2 eta_A))`` with the optimizer's
*effective* rates (:func:`verification.mechanism.initial_quantities.initial_quantities`, the
toolkit's one definition).  Two rows test it: the probability stays below ``(2/pi) arctan K`` at
every cell, and the cells of different init scales fall on one curve of ``K``
(:func:`verification.statistics.collapse.collapse_verdict`: each cell within ``COLLAPSE_MARGIN``
of the curve fitted to the other scales' cells).

Two designs (:class:`Figure6Settings`, :func:`figure6_data`): ``"dense"`` trains ``seeds``
models at every point (:func:`generalization_counts`); ``"sequential"`` (the full tier) trains
them in rounds (:func:`sequential_counts`, :func:`verification.designs.seed_rounds.seed_rounds`)
and stops a point when its verdict against the bound is decided by a group-sequential exact
binomial test with Bonferroni alpha spending over the rounds
(:func:`verification.statistics.sequential_binomial_verdict`), when its simultaneous interval is
narrower than a declared precision, or at the seed cap.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from effective_theory import representation_learning_probability
from effective_theory._checks import check_int
from verification.designs.seed_rounds import RoundsPlan, RoundsState, row_levels, seed_rounds
from verification.figures._common import (
    binomial_sem,
    check_positive_int,
    model_seeds,
    seeded_configs,
    write_csv,
)
from verification.mechanism.initial_quantities import initial_quantities, initial_widths
from verification.model import INITS
from verification.runs import RunResults, train_runs
from verification.runtime.context import RunContext
from verification.statistics import (
    all_of,
    binomial_bound_verdict,
    sequential_binomial_verdict,
    stopping_reason,
)
from verification.statistics.collapse import collapse_verdict
from verification.train_config import OPTIMIZERS, Schedule
from verification.verdicts import ALPHA, Claim, row

__all__ = [
    "GENERALIZING_PHASES",
    "Figure6Settings",
    "generalization_bound",
    "generalization_counts",
    "sequential_counts",
    "initial_sigma_ratio",
    "measured_K",
    "K_NETWORKS",
    "COLLAPSE_MARGIN",
    "figure6_data",
    "plot",
    "evaluate",
]

#: the Figure 6 row with sigma_a / sigma_c measured on the networks at initialisation
MEASURED_CLAIM = (
    "probability of generalization <= Eq. 12 bound with sigma_a/sigma_c measured at initialisation"
)

#: the Figure 6 row with every input of Eq. 12 measured on the networks at initialisation
MEASURED_K_CLAIM = "probability of generalization <= (2/pi) arctan K with K measured at initialisation"

#: the collapse row: cells of every init scale on one curve of the measured K
COLLAPSE_CLAIM = "probability of generalization is one function of the measured K across init scales"

#: networks per cell on which ``K`` is measured (one optimizer update each,
#: :func:`~verification.mechanism.initial_quantities.initial_quantities`): ``log10 K`` varies by
#: about 0.1 between seeds of a cell (measured), so four give its mean to about 0.05 decade
K_NETWORKS = 4

#: the collapse row's equivalence margin on the probability: a cell more than 0.2 from the curve
#: of the other init scales is off the curve.  Declared with the row, after the probabilities of
#: the full tier's normal-initialisation arm were known and before any K was measured on them or
#: any run of the gradient-descent arm's full tier had finished; the row prints the critical margin
COLLAPSE_MARGIN = 0.2

#: Phases of Table IV counted as "generalized" (grokking is delayed generalization, Figure 8 of [1]_).
GENERALIZING_PHASES = ("generalization", "grokking")

#: the relation, its size and the training fraction of every run (Figure 6 of [1]_, Table III)
RELATION, N, TRAIN_FRACTION = "mod3", 30, 0.75

#: ``sigma_a / sigma_c`` of the bound drawn as the paper's black line
SIGMA_RATIO = 1.0

#: the options of the sequential design, and those it cannot do without
_SEQUENTIAL_OPTIONS = ("schedule", "precision", "rows", "max_runs", "max_model_steps")
_SEQUENTIAL_REQUIRED = ("precision", "rows")


def _check_rate(x, name) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(x).__name__}")
    x = float(x)
    if not x > 0 or math.isinf(x):
        raise ValueError(f"{name} must be positive and finite, got {x}")
    return x


@dataclass(frozen=True)
class Figure6Settings:
    """What Figure 6 trains: the registry's tier settings (defaults: the quick tier).

    Parameters
    ----------
    ratios : sequence of float
        ``eta_dec / eta_enc`` of the grid (stored as a tuple).
    init_scales : sequence of float
        Initialisation scales ``s``: the embeddings' N(0, 1) and the decoder's initialisation are
        both multiplied by ``s`` (stored as a tuple).
    seeds : int
        Independent models (initialisation and split) per point, the same at every point; the
        sequential design's seed cap.
    steps : int
        Step budget of the phase classification (Table IV; paper: 10^5).
    eta_enc : float
        Encoder learning rate, held fixed: ``eta_dec = ratio * eta_enc``.
    init : {"uniform", "normal"}
        Decoder initialisation (:func:`verification.model.init_parameters`): ``"uniform"``
        (PyTorch's ``nn.Linear`` default times the scale; what the report's tables use) or
        ``"normal"`` (standard normal times the scale, the caption of Figure 6 of [1]_).
    optimizer : {"adam", "sgd"}
        Adam (the report's tables) or plain gradient descent, the discrete gradient flow Eq. (12)
        is derived for (give it larger rates, e.g. ``eta_enc = 0.1``: at Adam's 1e-3 SGD barely
        moves).
    design : {"dense", "sequential"}
        Every point's ``seeds`` models (:func:`generalization_counts`), or seeds in rounds
        (:func:`sequential_counts`).
    sequential : mapping
        The sequential design's options: ``schedule`` (the looks, seed counts ending at
        ``seeds``), ``precision``, ``rows`` and optionally ``max_runs``, ``max_model_steps``
        (:func:`sequential_counts`).  Ignored by the dense design.
    seed : int
        Experiment seed (:func:`~verification.figures._common.model_seeds`).

    Raises
    ------
    TypeError, ValueError
        For a setting of the wrong type or out of range, naming it.

    Examples
    --------
    >>> Figure6Settings(ratios=[1, 10]).points
    [(0.001, 0.001, 1.0), (0.001, 0.01, 1.0)]
    >>> Figure6Settings(design="sequential", sequential={"schedule": [4, 8], "precision": 0.2, "rows": 9})
    Traceback (most recent call last):
    ...
    ValueError: the sequential schedule must end at the seed cap seeds = 12
    """

    ratios: tuple = (0.1, 1.0, 10.0)
    init_scales: tuple = (1.0,)
    seeds: int = 12
    steps: int = 3000
    eta_enc: float = 1e-3
    init: str = "uniform"
    optimizer: str = "adam"
    design: str = "dense"
    sequential: Mapping = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self):
        ratios = tuple(_check_rate(r, "ratio") for r in self.ratios)
        scales = tuple(_check_rate(s, "init_scale") for s in self.init_scales)
        if not ratios or not scales:
            raise ValueError("ratios and init_scales must not be empty")
        object.__setattr__(self, "ratios", ratios)
        object.__setattr__(self, "init_scales", scales)
        object.__setattr__(self, "eta_enc", _check_rate(self.eta_enc, "eta_enc"))
        object.__setattr__(self, "seeds", check_positive_int(self.seeds, "seeds"))
        object.__setattr__(self, "steps", check_positive_int(self.steps, "steps"))
        object.__setattr__(self, "seed", check_int(self.seed, "seed", minimum=0))
        if self.init not in INITS:
            raise ValueError(f"unknown init {self.init!r}; choose one of {', '.join(INITS)}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
        if not isinstance(self.sequential, Mapping):
            raise TypeError(f"sequential must be a mapping, got {type(self.sequential).__name__}")
        object.__setattr__(self, "sequential", dict(self.sequential))
        if self.design == "sequential":
            _check_sequential(self.sequential, self.seeds)
            _check_budget(self.plan, len(self.points), self.steps)
        elif self.design != "dense":
            raise ValueError(f"design must be 'dense' or 'sequential', got {self.design!r}")

    @property
    def points(self) -> list[tuple[float, float, float]]:
        """The grid's ``(eta_enc, eta_dec, init_scale)`` points, ratios varying fastest."""
        return [(self.eta_enc, r * self.eta_enc, s) for s in self.init_scales for r in self.ratios]

    @property
    def schedule(self) -> Schedule:
        """How every run trains: ``steps``, evaluated every 10 steps, stopped once its phase is
        settled (Table IV)."""
        return Schedule(steps=self.steps, early_stop=True)

    @property
    def plan(self) -> RoundsPlan:
        """The sequential design's looks and budget."""
        options = self.sequential
        return RoundsPlan(
            looks=options["schedule"],
            max_runs=options.get("max_runs"),
            max_model_steps=options.get("max_model_steps"),
        )


def _check_sequential(options: dict, seeds: int) -> None:
    unknown = sorted(set(options) - set(_SEQUENTIAL_OPTIONS))
    if unknown:
        raise TypeError(
            f"sequential has no option {', '.join(unknown)}; it has {', '.join(_SEQUENTIAL_OPTIONS)}"
        )
    if list(options.get("schedule", []))[-1:] != [seeds]:
        raise ValueError(f"the sequential schedule must end at the seed cap seeds = {seeds}")
    missing = [k for k in _SEQUENTIAL_REQUIRED if k not in options]
    if missing:
        raise TypeError(f"sequential needs the option {', '.join(missing)}")
    try:
        RoundsPlan(options["schedule"], options.get("max_runs"), options.get("max_model_steps"))
    except (TypeError, ValueError) as e:
        raise type(e)(f"sequential: {e}") from e
    check_positive_int(options["rows"], "sequential rows")


def _check_budget(plan: RoundsPlan, points: int, steps: int) -> None:
    if (plan.max_runs is not None and plan.max_runs < points) or (
        plan.max_model_steps is not None and plan.max_model_steps < points * steps
    ):
        raise ValueError(f"the budget must allow one run of {steps} steps at each of the {points} points")


def generalization_bound(eta_enc: float, eta_dec: float, *, sigma_ratio: float = SIGMA_RATIO) -> float:
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
    eta_enc = _check_rate(eta_enc, "eta_enc")
    eta_dec = _check_rate(eta_dec, "eta_dec")
    sigma_ratio = _check_rate(sigma_ratio, "sigma_ratio")
    return float(representation_learning_probability(eta_enc, eta_dec, sigma_ratio, 1.0))


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


def _configs(points, settings: Figure6Settings, indices) -> list[list]:
    """Per point, the :class:`~verification.train_config.TrainConfig` of the model seeds number
    ``indices`` of the experiment seed (the same seeds at every point)."""
    seeds = model_seeds(settings.seed, max(indices) + 1) if len(indices) else []
    fields = []
    for eta_enc, eta_dec, scale in points:
        fields.append({"eta_enc": eta_enc, "eta_dec": eta_dec, "init_enc": scale, "init_dec": scale})
    return seeded_configs(
        fields,
        [seeds[j] for j in indices],
        relation=RELATION,
        n=N,
        train_fraction=TRAIN_FRACTION,
        init=settings.init,
        optimizer=settings.optimizer,
    )


def generalization_counts(
    points, settings: Figure6Settings | None = None, run: RunContext | None = None
) -> list[dict]:
    """Measured probability of generalization at each ``(eta_enc, eta_dec, init_scale)`` point.

    The dense design: ``settings.seeds`` models at every point, all trained in one call of
    :func:`verification.runs.train_runs` (one batched ensemble, or cached chunks through an
    executor: finished chunks survive an interruption).

    Parameters
    ----------
    points : sequence of (float, float, float)
        ``(eta_enc, eta_dec, init_scale)`` triples; ``init_scale`` multiplies both the
        embeddings' N(0, 1) initialisation and the decoder's initialisation.
    settings : Figure6Settings, optional
        Seeds, steps, decoder initialisation, optimizer and experiment seed (its grid is not
        used).
    run : RunContext, optional
        Device, executor, cache, chunk size, progress.

    Returns
    -------
    list of dict
        Per point: ``eta_enc``, ``eta_dec``, ``ratio`` (``eta_dec / eta_enc``), ``init_scale``,
        ``trials``, ``generalized`` (count), ``p`` and ``sem`` (binomial), ``phases`` (counts
        of each phase), ``test_acc`` (per seed), ``model_steps`` (trained), ``bound`` (Eq. 12) and
        the bound with ``sigma_a / sigma_c`` measured at initialisation (``bound_measured``).
    """
    settings = Figure6Settings() if settings is None else settings
    pts = _check_points(points)
    groups = _configs(pts, settings, range(settings.seeds))
    results = train_runs([cfg for g in groups for cfg in g], settings.schedule, run, desc="figure 6 runs")
    return [
        _summary(point, runs, group)
        for point, runs, group in zip(pts, results.split(map(len, groups)), groups)
    ]


def _summary(point, runs: RunResults, sigma_group) -> dict:
    """One point's row of the figure: its runs, the Eq. (12) bound with ``sigma_a / sigma_c = 1``
    and with ``sigma_a / sigma_c`` measured on the configs ``sigma_group``."""
    eta_enc, eta_dec, scale = point
    ratios = [initial_sigma_ratio(cfg) for cfg in sigma_group]
    measured = float(np.mean(ratios))
    K = measured_K(sigma_group[:K_NETWORKS])
    phases = list(runs.phases)
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
        "test_acc": [float(v) for v in runs.test_acc],
        "model_steps": int(runs.steps_run.sum()),
        "bound": generalization_bound(eta_enc, eta_dec),
        "sigma_ratio_measured": measured,
        "sigma_ratio_measured_sd": float(np.std(ratios, ddof=1)) if len(ratios) > 1 else 0.0,
        "bound_measured": generalization_bound(eta_enc, eta_dec, sigma_ratio=measured),
        **K,
    }


def measured_K(configs) -> dict:
    """``K`` of Eq. (12) measured on the networks ``configs`` at initialisation.

    Each network's ``K = (sigma_a / sigma_c) sqrt(eta_x / (2 eta_A))`` with the effective rates of its
    own optimizer's first update (:func:`verification.mechanism.initial_quantities.initial_quantities`);
    the cell's ``K`` is their geometric mean.

    Returns
    -------
    dict
        ``K_measured`` (geometric mean), ``log10_K_sd`` (the spread of ``log10 K`` over the
        networks), ``K_networks`` (how many), ``eta_ratio_effective`` (the mean of ``eta_x / eta_A``)
        and ``bound_measured_K`` (``(2/pi) arctan K_measured``, Eq. (12)).
    """
    qs = [initial_quantities(cfg) for cfg in configs]
    logs = np.log10([q["K"] for q in qs])
    K = float(10 ** np.mean(logs))
    return {
        "K_measured": K,
        "log10_K_sd": float(np.std(logs, ddof=1)) if len(logs) > 1 else 0.0,
        "K_networks": len(qs),
        "eta_ratio_effective": float(np.mean([q["eta_x"] / q["eta_A"] for q in qs])),
        "bound_measured_K": float(2.0 / math.pi * math.atan(K)),
    }


def _stop_rule(bounds, plan: RoundsPlan, options: dict):
    """The sequential design's ``update``: a point stops when its group-sequential exact binomial
    test of ``P <= bound`` decides it at the report's levels, or its interval is precise."""
    alpha_hold, alpha_fail = row_levels(ALPHA, rows=options["rows"], parts=len(bounds))
    max_looks = len(plan.looks)

    def update(state: RoundsState) -> dict:
        out = {}
        for i in state.open_points:
            if not state.looks[i]:
                continue  # a round the budget trimmed left it short of its first look
            g = [ph in GENERALIZING_PHASES for ph in state.results[i].phases]
            v = sequential_binomial_verdict(
                "P <= bound", g, state.looks[i], bound=bounds[i], max_looks=max_looks, alpha=ALPHA
            )
            why = stopping_reason(
                v, alpha_hold=alpha_hold, alpha_fail=alpha_fail, precision=options["precision"]
            )
            if why is not None:
                out[i] = why
        return out

    return update


def sequential_counts(points, settings: Figure6Settings | None = None, run: RunContext | None = None) -> dict:
    """The probability of generalization at each point, seeds in rounds (the sequential design).

    Each round trains every open point up to its next look ``settings.sequential["schedule"][j]``
    seeds (the same model seeds, in the same order, as the dense design with the last look's
    seeds) in one call through the cache (:func:`verification.designs.seed_rounds.seed_rounds`).
    At its looks a point stops

    * when its verdict on ``P <= bound`` (Eq. 12 with ``sigma_a / sigma_c = 1``) is decided by the
      group-sequential exact binomial test of
      :func:`verification.statistics.sequential_binomial_verdict` (at most as many looks as the
      schedule has, linear alpha spending by the union bound), at the levels the report needs
      (:func:`verification.designs.seed_rounds.row_levels`: ``ALPHA / rows`` to hold, since the
      report Holm-adjusts its ``rows`` statistical rows and the row holds only when every point
      holds; ``ALPHA / (rows * points)`` to fail, the row's Bonferroni factor);
    * when its interval (simultaneous over the looks, level ``1 - 2 ALPHA``) is narrower than
      ``precision``;
    * at the cap (the last look), or when ``max_runs`` / ``max_model_steps`` are spent.

    Every stop is a stopping time of the same sequential test, so the verdicts of
    :func:`evaluate` are valid whichever rule stopped a point.  A run that does not generalize
    within ``steps`` (memorization, confusion: it never settles, and runs its whole budget) counts
    as not generalized, as in the dense design.  ``sigma_a / sigma_c`` is measured on the cap's
    seeds (the initialisation does not depend on how many were trained), so the measured bound is
    the dense design's.

    Parameters
    ----------
    points : sequence of (float, float, float)
        As in :func:`generalization_counts`.
    settings : Figure6Settings, optional
        As in :func:`generalization_counts`, and the options ``sequential``.
    run : RunContext, optional
        Device, executor, cache, chunk size, progress.

    Returns
    -------
    dict
        ``points`` (as :func:`generalization_counts`, plus ``outcomes``: generalized or not per seed
        in order, ``looks``: seeds after each round, ``stopped``: why), ``rounds``, ``runs``,
        ``model_steps`` and ``max_looks``.
    """
    settings = Figure6Settings() if settings is None else settings
    options = settings.sequential
    _check_sequential(options, settings.seeds)
    pts = _check_points(points)
    plan = settings.plan
    _check_budget(plan, len(pts), settings.steps)
    bounds = [generalization_bound(e, d) for e, d, _ in pts]

    def make_configs(i, indices):
        return _configs([pts[i]], settings, indices)[0]

    d = seed_rounds(
        range(len(pts)),
        make_configs,
        _stop_rule(bounds, plan, options),
        plan,
        settings.schedule,
        run,
        desc="figure 6 round",
    )
    out = []
    for i, point in enumerate(pts):
        runs = d.results[i]
        summary = _summary(point, runs, make_configs(i, range(plan.cap)))
        summary["outcomes"] = [int(ph in GENERALIZING_PHASES) for ph in runs.phases]
        summary["looks"] = d.looks[i]
        summary["stopped"] = d.stopped[i]
        out.append(summary)
    return {
        "points": out,
        "rounds": d.rounds,
        "runs": d.runs,
        "model_steps": d.model_steps,
        "max_looks": len(plan.looks),
    }


def initial_sigma_ratio(config) -> float:
    """``sigma_a / sigma_c`` of one network at initialisation, as Eq. (12) defines them.

    Eq. (12) is derived for a linear decoder ``A`` with i.i.d. entries of width ``sigma_a`` acting on
    a repon pair of half separation ``r`` with entries of width ``sigma_c``.  For the network at
    initialisation, ``A`` is the decoder's Jacobian with respect to both embeddings of every training
    pair (``sigma_a`` its root-mean-square entry) and ``r0 = (x_a - x_b)/2`` over the pairs of
    elements the relation cannot tell apart (equal rows and columns of the relation matrix; for
    mod 3 the classes), ``sigma_c`` its root-mean-square component: the toolkit's one estimator,
    :func:`verification.mechanism.initial_quantities.initial_widths` (``nan`` when no two elements
    are alike).
    """
    return initial_widths(config)["sigma_ratio"]


def figure6_data(settings: Figure6Settings | None = None, run: RunContext | None = None) -> dict:
    """Figure 6 of [1]_: probability of generalization on the grid ``ratios x init_scales``.

    Parameters
    ----------
    settings : Figure6Settings, optional
        The grid, seeds, budget and design (default: the quick tier's).
    run : RunContext, optional
        Device, executor, cache, chunk size, progress (default: one batched ensemble on the CPU).

    Returns
    -------
    dict
        The settings (``relation``, ``n``, ``train_fraction``, ``steps``, ``seeds``, ``init``,
        ``optimizer``, ``sigma_ratio``, ``design``), ``points`` (see
        :func:`generalization_counts`; the sequential design's see :func:`sequential_counts`),
        the bound on a fine ratio grid (``bound_ratios``, ``bound``) for plotting, and ``cost``
        (runs and model-steps against the dense design's); the sequential design adds
        ``sequential`` (its options and ``max_looks``) and ``rounds``.
    """
    settings = Figure6Settings() if settings is None else settings
    points = settings.points
    extra = {}
    if settings.design == "dense":
        pts = generalization_counts(points, settings, run)
        runs = len(pts) * settings.seeds
        model_steps = sum(p["model_steps"] for p in pts)
    else:
        d = sequential_counts(points, settings, run)
        pts, runs, model_steps = d["points"], d["runs"], d["model_steps"]
        extra = {"sequential": {**settings.sequential, "max_looks": d["max_looks"]}, "rounds": d["rounds"]}
    rs = settings.ratios
    lo, hi = math.log10(min(rs)) - 0.5, math.log10(max(rs)) + 0.5
    fine = [10 ** (lo + (hi - lo) * i / 200) for i in range(201)]
    dense = len(points) * settings.seeds
    return {
        "relation": RELATION,
        "n": N,
        "train_fraction": TRAIN_FRACTION,
        "steps": settings.steps,
        "seeds": settings.seeds,
        "init": settings.init,
        "optimizer": settings.optimizer,
        "sigma_ratio": SIGMA_RATIO,
        "design": settings.design,
        "points": pts,
        "bound_ratios": fine,
        "bound": [generalization_bound(1.0, r) for r in fine],
        **extra,
        "cost": {
            "runs": runs,
            "model_steps": int(model_steps),
            "dense_runs": dense,
            "dense_model_steps_bound": dense * int(settings.steps),
        },
    }


def plot(data: dict, out_dir: str) -> list[str]:
    """Write ``figure6.png`` and ``figure6.csv`` to ``out_dir``; return the paths."""
    # imported here: matplotlib.pyplot takes 0.37 s to import (measured), which the data and the
    # checks do not need, and choosing the Agg backend at import would change the caller's
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
    init = {"normal": "every parameter N(0, s^2)", "uniform": "decoder U(+-s/sqrt(fan_in))"}
    optimizer = {"sgd": "gradient descent", "adam": "Adam"}.get(data.get("optimizer"), data.get("optimizer"))
    conditions = f"{init.get(data.get('init'), data.get('init'))}, {optimizer}"
    ax.set_title(f"{data['relation']}, {conditions}\n{seeds}, {data['steps']:,} steps", fontsize=10)
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
    header += ["sigma_ratio_measured", "bound_eq12_measured_sigma"]
    if all("K_measured" in p for p in data["points"]):
        header += ["K_measured", "log10_K_sd", "bound_eq12_measured_K"]
        for r, p in zip(rows, data["points"]):
            r += [p["K_measured"], p["log10_K_sd"], p["bound_measured_K"]]
    csv_path = write_csv(os.path.join(out_dir, "figure6.csv"), header, rows)
    out = [png, csv_path]
    if all("K_measured" in p for p in data["points"]):
        out.insert(1, _plot_collapse(data, out_dir, plt))
    return out


def _plot_collapse(data: dict, out_dir: str, plt) -> str:
    """``figure6-collapse.png``: each cell's probability against its measured ``K``, with Eq. (12)."""
    fig, ax = plt.subplots(figsize=(7.6, 4.6))
    lo = min(p["K_measured"] for p in data["points"])
    hi = max(p["K_measured"] for p in data["points"])
    grid = np.logspace(math.log10(lo) - 0.5, math.log10(hi) + 0.5, 200)
    ax.plot(grid, 2.0 / math.pi * np.arctan(grid), "k-", label=r"Eq. (12): $(2/\pi)\arctan K$")
    ratios = sorted({p["ratio"] for p in data["points"]})
    markers = dict(zip(ratios, "osD^vP*X"))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, s in enumerate(sorted({p["init_scale"] for p in data["points"]})):
        for p in (p for p in data["points"] if p["init_scale"] == s):
            K, sd = p["K_measured"], p["log10_K_sd"]
            ax.errorbar(
                [K],
                [p["p"]],
                yerr=[p["sem"]],
                xerr=[[K * (1 - 10**-sd)], [K * (10**sd - 1)]],
                marker=markers.get(p["ratio"], "o"),
                color=colors[i % len(colors)],
                linestyle="none",
                capsize=3,
                alpha=0.85,
            )
        ax.plot([], [], "s", color=colors[i % len(colors)], label=f"init scale {s:g}")
    for r in ratios:
        ax.plot([], [], markers.get(r, "o"), color="0.4", label=rf"$\eta_{{dec}}/\eta_{{enc}}$ = {r:g}")
    ax.set_xscale("log")
    ax.set_xlabel(r"$K = (\sigma_a/\sigma_c)\sqrt{\eta_x/(2\eta_A)}$ measured at initialisation")
    ax.set_ylabel("probability of generalization")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(
        "Each cell against its measured K\n(bars: binomial SE; spread of K over the networks measured)",
        fontsize=9,
    )
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    path = os.path.join(out_dir, "figure6-collapse.png")
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def claims(settings) -> list[Claim]:
    """The predictions :func:`evaluate` checks."""
    return [
        Claim("fig6.bound", "probability of generalization <= Eq. 12 bound at every point"),
        Claim("fig6.bound-measured-widths", MEASURED_CLAIM),
        Claim("fig6.bound-measured-k", MEASURED_K_CLAIM),
        *([Claim("fig6.collapse", COLLAPSE_CLAIM)] if len(settings["init_scales"]) > 1 else []),
    ]


def _parts(data, key) -> tuple[list, str]:
    """Per point, the verdict on ``P <= p[key]``; and the test's description for the row."""
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


def _bound_row(data, key: str, claim: str, theory: str, detail) -> dict:
    """The row "probability of generalization <= the bound ``key`` at every point": the per-point
    tests of :func:`_parts`, all of them; ``detail(p)`` says what the point's bound rests on."""
    parts, test = _parts(data, key)
    r = row(all_of(claim, parts), theory=theory, tolerance=test)
    r["measured"] = (
        "; ".join(
            f"{_label(p, data)}: {p['generalized']}/{p['trials']} ({detail(p)}bound {p[key]:.3f})"
            for p in data["points"]
        )
        + f"; worst: {r['measured']}"
    )
    return r


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows for Figure 6: the probability of generalization stays below Eq. (12) at every point
    (the row holds only when every point holds).  Dense design: the exact one-sided binomial test
    per point; sequential design: the group-sequential exact binomial test of its rounds
    (:func:`verification.statistics.sequential_binomial_verdict`), whose p-values and intervals are
    valid at the round where each point stopped."""
    eq12 = "P <= (2/pi) arctan(sigma_a/sigma_c sqrt(eta_enc / (2 eta_dec))), "
    claim = "probability of generalization <= Eq. 12 bound at every point"
    theory = eq12 + f"sigma_a/sigma_c = {data['sigma_ratio']:g}"
    rows = [(claim, _bound_row(data, "bound", claim, theory, lambda p: ""))]
    if all("bound_measured" in p for p in data["points"]):
        r = _bound_row(
            data,
            "bound_measured",
            MEASURED_CLAIM,
            eq12 + "sigma_a/sigma_c measured",
            lambda p: f"sigma_a/sigma_c = {p['sigma_ratio_measured']:.2f}, ",
        )
        rows.append((MEASURED_CLAIM, r))
    if all("bound_measured_K" in p for p in data["points"]):
        rows += _measured_K_rows(data)
    return rows


def _measured_K_rows(data) -> list[tuple[str, dict]]:
    """The rows with every input of Eq. (12) measured: the bound at ``K``, and the collapse."""
    r = _bound_row(
        data,
        "bound_measured_K",
        MEASURED_K_CLAIM,
        "P <= (2/pi) arctan K, K = sigma_a/sigma_c sqrt(eta_x / (2 eta_A)) measured at "
        "initialisation (effective rates of the optimizer's first update)",
        lambda p: f"K = {p['K_measured']:.3g}, ",
    )
    rows = [(MEASURED_K_CLAIM, r)]
    pts = data["points"]
    if len({p["init_scale"] for p in pts}) > 1:
        v = collapse_verdict(
            COLLAPSE_CLAIM,
            [p["K_measured"] for p in pts],
            [p["generalized"] for p in pts],
            [p["trials"] for p in pts],
            [p["init_scale"] for p in pts],
            margin=COLLAPSE_MARGIN,
            labels=[f"ratio {p['ratio']:g}, init {p['init_scale']:g}" for p in pts],
        )
        r = row(
            v,
            theory="P = f(K) for one curve f across init scales and ratios (Eq. 12: f = (2/pi) arctan)",
            tolerance=f"every cell within +-{COLLAPSE_MARGIN:g} of the curve (2/pi) arctan(e^a K^b) "
            "fitted to the other init scales' cells (margin set after the cells' probabilities were "
            "known, before K was measured)",
        )
        r["measured"] = f"deviation of the worst cell: {r['measured']}"
        rows.append((COLLAPSE_CLAIM, r))
    return rows
