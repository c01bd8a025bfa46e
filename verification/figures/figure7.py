"""Figure 7: test accuracy versus decoder depth (mod 3, width 10, training fraction 0.3): the Goldilocks zone.

Appendix E of [1]_ (after Liu et al., its ref. [27]) claims that a decoder of
``n_h`` hidden layers of width ``w`` (about ``w^2 n_h`` parameters) generalizes
only in an intermediate range of complexity: a decoder too simple cannot decode
the embeddings and gives the encoder no useful gradient (confusion: not even
the training accuracy becomes good); a decoder too complex decodes even random
embeddings and also gives no useful gradient (memorization: high training
accuracy, low test accuracy).  Test accuracy therefore peaks at an
intermediate depth.

:func:`goldilocks_data` trains ``seeds`` models per depth (Table III otherwise:
concatenation, embedding dimension 2, Adam, learning rate 1e-3) and records
the final train and test accuracy and the phase (Table IV) of each.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and
   Dynamics of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from effective_theory import relation_label, relation_matrix, relation_size, relation_spec
from effective_theory._checks import check_int
from verification.figures._common import (
    check_positive_int,
    dense_cost,
    mean_and_sem,
    model_seeds,
    seeded_configs,
    write_csv,
)
from verification.model import ModelConfig
from verification.runs import train_runs
from verification.runtime.context import RunContext
from verification.statistics import all_of, one_sided_verdict, t_estimate
from verification.train_config import Schedule
from verification.verdicts import ALPHA, Claim, row

__all__ = [
    "Figure7Settings",
    "cost",
    "decoder_parameter_count",
    "goldilocks_data",
    "goldilocks_verdict",
    "best_interior_depth",
    "plot",
    "evaluate",
]

#: the relation, its size, the decoder width and the training fraction (Appendix E of [1]_)
RELATION, N, WIDTH, TRAIN_FRACTION = "mod3", 30, 10, 0.3

#: learning rate of both the encoder and the decoder, embedding dimension and how the decoder
#: reads a pair (Table III)
ETA, EMBED_DIM, MODE = 1e-3, 2, "concat"

#: steps between evaluations: only the resolution of the phase labels (the runs are not stopped
#: early; the quantity is the final test accuracy)
EVAL_EVERY = 100


def decoder_parameter_count(depth: int, width: int, *, in_dim: int = 4) -> int:
    """Exact number of weights and biases of a tanh MLP decoder (Appendix E: about ``width**2 * depth``).

    ``in_dim`` is the decoder's input size (``2 d`` for concatenation, ``d`` otherwise).

    Examples
    --------
    >>> decoder_parameter_count(0, 10)  # linear map to one logit
    5
    >>> decoder_parameter_count(3, 10) == (4 * 10 + 10) + 2 * (10 * 10 + 10) + (10 + 1)
    True
    """
    depth = int(depth)
    if depth < 0:
        raise ValueError(f"depth must be >= 0, got {depth}")
    width = check_positive_int(width, "width")
    if depth == 0:
        return in_dim + 1
    return (in_dim + 1) * width + (depth - 1) * (width + 1) * width + width + 1


@dataclass(frozen=True)
class Figure7Settings:
    """What Figure 7 trains: the registry's tier settings (defaults: the quick tier).

    Parameters
    ----------
    depths : sequence of int
        Distinct numbers of hidden decoder layers ``n_h >= 0`` (stored as a tuple).
    seeds : int
        Models per depth; model ``i`` at every depth uses the same seed for its split and
        initialisation, so depths are compared on identical training sets.
    steps : int
        Updates per run (the whole budget: no early stop).
    seed : int
        Experiment seed (:func:`~verification.figures._common.model_seeds`).
    relation : str
        The relation every run learns (Appendix E: mod 3): any relation
        :func:`effective_theory.relation_spec` reads, stored as its spec; a relation given by a
        rule has 30 elements, any other its own number.

    Raises
    ------
    TypeError, ValueError
        For a setting of the wrong type or out of range, naming it.

    Examples
    --------
    >>> Figure7Settings(depths=[0, 2]).depths
    (0, 2)
    >>> Figure7Settings(depths=[1, 1])
    Traceback (most recent call last):
    ...
    ValueError: depths must be distinct, got [1, 1]
    """

    depths: tuple = (0, 1, 2, 4, 8)
    seeds: int = 8
    steps: int = 4000
    seed: int = 0
    relation: str = RELATION

    def __post_init__(self):
        ds = [int(d) for d in self.depths]
        if not ds:
            raise ValueError("depths must not be empty")
        if any(d < 0 for d in ds):
            raise ValueError(f"depths must be >= 0, got {ds}")
        if len(set(ds)) != len(ds):
            raise ValueError(f"depths must be distinct, got {ds}")
        object.__setattr__(self, "depths", tuple(ds))
        object.__setattr__(self, "seeds", check_positive_int(self.seeds, "seeds"))
        object.__setattr__(self, "steps", check_positive_int(self.steps, "steps"))
        object.__setattr__(self, "seed", check_int(self.seed, "seed", minimum=0))
        object.__setattr__(self, "relation", relation_spec(self.relation, name="relation"))
        relation_matrix(self.relation, self.n, name="relation")

    @property
    def n(self) -> int:
        """Elements of the relation: its own number, or :data:`N` for a relation given by a rule."""
        size = relation_size(self.relation)
        return N if size is None else size

    @property
    def schedule(self) -> Schedule:
        """How every run trains: all ``steps`` (the quantity is the final test accuracy),
        evaluated every :data:`EVAL_EVERY` steps for the phase labels."""
        return Schedule(steps=self.steps, eval_every=EVAL_EVERY, early_stop=False)


def goldilocks_data(settings: Figure7Settings | None = None, run: RunContext | None = None) -> dict:
    """Train ``seeds`` models per decoder depth; return final accuracies and phases (Figure 7 of [1]_).

    Every run has the same relation, width, training fraction, learning rate and embedding
    (module constants: Appendix E and Table III) and trains its whole budget.

    Parameters
    ----------
    settings : Figure7Settings, optional
        Depths, seeds, steps and experiment seed (default: the quick tier's).
    run : RunContext, optional
        Device, executor, cache, chunk size, progress (default: one batched ensemble on the CPU).

    Returns
    -------
    dict
        ``depths``, ``test_acc`` / ``train_acc`` (per depth, per seed), ``test_mean``,
        ``test_sem``, ``train_mean``, ``train_sem``, ``phases`` (per depth, counts),
        ``parameters`` (decoder size per depth) and ``best_depth`` (highest mean test accuracy).
    """
    settings = Figure7Settings() if settings is None else settings
    ds = list(settings.depths)
    groups = seeded_configs(
        [{"model": ModelConfig(embed_dim=EMBED_DIM, depth=d, width=WIDTH, mode=MODE)} for d in ds],
        model_seeds(settings.seed, settings.seeds),
        relation=settings.relation,
        n=settings.n,
        train_fraction=TRAIN_FRACTION,
        eta_enc=ETA,
        eta_dec=ETA,
    )
    results = train_runs([cfg for g in groups for cfg in g], settings.schedule, run, desc="figure 7 runs")
    per_depth = results.split([len(g) for g in groups])
    test = np.asarray([r.test_acc for r in per_depth], dtype=float)
    train = np.asarray([r.train_acc for r in per_depth], dtype=float)
    phases = [dict(Counter(r.phases)) for r in per_depth]
    test_stats = [mean_and_sem(t) for t in test]
    train_stats = [mean_and_sem(t) for t in train]
    in_dim = 2 * EMBED_DIM if MODE == "concat" else EMBED_DIM
    means = [m for m, _ in test_stats]
    return {
        "relation": relation_label(settings.relation),
        "n": settings.n,
        "width": WIDTH,
        "train_fraction": TRAIN_FRACTION,
        "steps": settings.steps,
        "seeds": settings.seeds,
        "eta": ETA,
        "depths": ds,
        "parameters": [decoder_parameter_count(d, WIDTH, in_dim=in_dim) for d in ds],
        "test_acc": test.tolist(),
        "train_acc": train.tolist(),
        "test_mean": means,
        "test_sem": [s for _, s in test_stats],
        "train_mean": [m for m, _ in train_stats],
        "train_sem": [s for _, s in train_stats],
        "phases": phases,
        "best_depth": ds[int(np.argmax(means))],
    }


def cost(data: dict) -> dict:
    """Runs and model-steps of this dense design (every depth's seeds, each trained for its whole
    ``steps``: no early stop), for the report (:func:`~verification.figures._common.dense_cost`)."""
    return dense_cost(len(data["depths"]) * int(data["seeds"]), data["steps"])


def plot(data: dict, out_dir: str) -> list[str]:
    """Write ``figure7.png`` and ``figure7.csv`` to ``out_dir``; return the paths."""
    # imported here: matplotlib.pyplot takes 0.37 s to import (measured), which the data and the
    # checks do not need, and choosing the Agg backend at import would change the caller's
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    ax.errorbar(
        data["depths"],
        data["test_mean"],
        yerr=data["test_sem"],
        marker="o",
        capsize=3,
        label="test (mean ± SEM over seeds)",
    )
    ax.errorbar(
        data["depths"],
        data["train_mean"],
        yerr=data["train_sem"],
        marker="s",
        capsize=3,
        ls="--",
        label="train (mean ± SEM)",
    )
    ax.set_xlabel("decoder depth $n_h$ (hidden layers)")
    ax.set_xticks(data["depths"])
    ax.set_ylabel("accuracy")
    ax.set_title(
        f"{data['relation']}, w={data['width']}, fraction {data['train_fraction']:g}, "
        f"{data['seeds']} seeds, {data['steps']} steps",
        fontsize=9,
    )
    ax.set_ylim(0.4, 1.02)
    ax.legend()
    fig.tight_layout()
    png = os.path.join(out_dir, "figure7.png")
    fig.savefig(png, dpi=130)
    plt.close(fig)
    phase_names = ("generalization", "grokking", "memorization", "confusion")
    rows = []
    for i, d in enumerate(data["depths"]):
        rows.append(
            [
                d,
                data["parameters"][i],
                data["test_mean"][i],
                data["test_sem"][i],
                data["train_mean"][i],
                data["train_sem"][i],
                *[data["phases"][i].get(p, 0) for p in phase_names],
            ]
        )
    csv_path = write_csv(
        os.path.join(out_dir, "figure7.csv"),
        ["depth", "decoder_parameters", "test_mean", "test_sem", "train_mean", "train_sem", *phase_names],
        rows,
    )
    return [png, csv_path]


# --------------------------------------------------------------------------- verdicts (tests + report)


def goldilocks_verdict(data):
    """Some intermediate depth beats both the shallowest and the deepest decoder (Appendix E).

    For each intermediate depth, paired per-seed differences of test accuracy against each end,
    one-sided t tests (``> 0``), both required (intersection-union); across the intermediate depths
    the evidence for "some depth" is Bonferroni-adjusted: the row holds when the depth with the
    smallest p (the *deciding* depth, chosen from the same data) passes at ``ALPHA / m``, and fails
    when every depth fails.  The deciding depth need not be the depth with the highest mean test
    accuracy (:func:`best_interior_depth`): a depth with a slightly lower mean and less spread
    between seeds can give the stronger evidence.  Returns ``(deciding depth, Verdict)``, the
    Verdict's estimate and interval those of the deciding depth (its smaller difference).
    """
    depths = data["depths"]
    test = np.asarray(data["test_acc"])
    per_depth = []
    for i in range(1, len(depths) - 1):
        ends = [
            one_sided_verdict(
                f"depth {depths[i]} vs {depths[e]}",
                t_estimate(test[i] - test[e]),
                bound=0.0,
                direction=">=",
                alpha=ALPHA,
            )
            for e in (0, len(depths) - 1)
        ]
        per_depth.append((depths[i], all_of(f"depth {depths[i]} beats both ends", ends)))
    m = len(per_depth)
    deciding_depth, best = min(per_depth, key=lambda dv: dv[1].p_hold)
    p_hold = min(1.0, m * best.p_hold)
    p_fail = max(v.p_fail for _, v in per_depth)
    verdict = (
        "holds" if p_hold <= ALPHA and p_hold <= p_fail else ("fails" if p_fail <= ALPHA else "inconclusive")
    )
    v = replace(
        best,
        claim="an intermediate depth beats both ends",
        test=f"paired one-sided t tests, Bonferroni over {m} depths",
        p_hold=p_hold,
        p_fail=p_fail,
        p_raw=min(p_hold, p_fail),
        p_adjusted=min(p_hold, p_fail),
        verdict=verdict,
    )
    return deciding_depth, v


def best_interior_depth(data) -> tuple[int, float]:
    """The intermediate depth (neither the shallowest nor the deepest) with the highest mean test
    accuracy, and that mean: the peak of the Goldilocks zone as the figure draws it.

    Examples
    --------
    >>> best_interior_depth({"depths": [0, 1, 2, 8], "test_mean": [0.5, 0.8, 0.9, 0.95]})
    (2, 0.9)
    """
    depths, means = data["depths"][1:-1], data["test_mean"][1:-1]
    i = int(np.argmax(means))
    return depths[i], float(means[i])


def claims(settings) -> list[Claim]:
    """The prediction :func:`evaluate` checks."""
    return [
        Claim(
            "fig7.goldilocks",
            "test accuracy at an intermediate depth beats the shallowest and the deepest decoder",
        )
    ]


def evaluate(data) -> list[tuple[str, dict]]:
    """Report row for Figure 7 (Appendix E): the Goldilocks zone of decoder depth."""
    claim = "test accuracy at an intermediate depth beats the shallowest and the deepest decoder"
    depths = data["depths"]
    if len(depths) < 3:
        return [
            (
                claim,
                {
                    "theory": "difference > 0",
                    "measured": f"only {len(depths)} depths: no intermediate depth to compare",
                    "tolerance": "paired one-sided t tests",
                    "verdict": "inconclusive",
                },
            )
        ]
    deciding, v = goldilocks_verdict(data)
    best, best_mean = best_interior_depth(data)
    r = row(v, theory="difference > 0 against both ends", tolerance=v.test)
    r["measured"] = (
        f"best depth {best} (highest mean test accuracy among the intermediate depths, {best_mean:.3f}); "
        f"deciding depth {deciding} (smallest p) vs depths {depths[0]} and {depths[-1]}: smaller "
        "difference " + r["measured"]
    )
    return [(claim, r)]
