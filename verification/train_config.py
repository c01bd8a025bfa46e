"""Hyperparameters of one training run (Table III of the paper) and its training split.

:class:`TrainConfig` holds a run's relation, size, training fraction, learning rates, weight
decays, initialisation scales, optimizer, seeds and model (:class:`~verification.model.ModelConfig`),
with Table III's defaults; :func:`split_pairs` draws its training pairs; :func:`resolve_device`
picks the torch device.  :mod:`verification.training` trains many of them at once.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass, field

import numpy as np
import torch

from effective_theory.statics.relation_input import (
    MAX_RELATION_N,
    MIN_RELATION_N,
    config_relation,
    relation_matrix,
)
from verification.model import INITS, ModelConfig

__all__ = ["OPTIMIZERS", "TrainConfig", "Schedule", "split_pairs", "resolve_device"]

#: supported optimizers
OPTIMIZERS = ("adam", "sgd")
#: Adam's moment decay rates and epsilon (PyTorch's defaults, as the paper's runs use)
ADAM_BETAS, ADAM_EPS = (0.9, 0.999), 1e-8


def check_real(value, name, *, positive=False, nonnegative=False):
    """A TypeError unless ``value`` is a real number; a ValueError unless it is finite (and
    positive or non-negative when asked)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    if nonnegative and value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")


@dataclass(frozen=True)
class Schedule:
    """How long runs train, how they are evaluated and classified, and what they record.

    Parameters
    ----------
    steps : int
        Step budget (full-batch updates) per run; also the budget of the phase classification
        (Table IV of [1]_: ``10**5``).
    eval_every : int
        Accuracy evaluation period; ``steps_to_train``/``steps_to_test`` are multiples of it.
    threshold : float
        Accuracy threshold of Table IV (0.9), in ``[0, 1)``; "reached" means ``accuracy > threshold``.
    gap : int
        Grokking gap of :func:`~verification.phases.classify_phase` (Table IV: ``10**3``).
    early_stop : bool
        Stop a run once both accuracies have been reached (its phase is settled).
    keep_embeddings : bool
        Also keep each run's final embeddings.
    snapshot_every : int or None
        Record each run's embeddings every ``snapshot_every`` steps (a multiple of ``eval_every``)
        and after its last step.

    Raises
    ------
    TypeError, ValueError
        For a field of the wrong type or out of range.

    Examples
    --------
    >>> Schedule(steps=100).gap, Schedule(steps=100).threshold
    (1000, 0.9)
    >>> Schedule(steps=100, eval_every=10, snapshot_every=15)
    Traceback (most recent call last):
    ...
    ValueError: snapshot_every (15) must be a multiple of eval_every (10)
    """

    steps: int = 10_000
    eval_every: int = 10
    threshold: float = 0.9
    gap: int = 1_000
    early_stop: bool = True
    keep_embeddings: bool = False
    snapshot_every: int | None = None

    def __post_init__(self):
        for name, minimum in (("steps", 0), ("eval_every", 1), ("gap", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
            if value < minimum:
                raise ValueError(f"{name} must be >= {minimum}, got {value}")
            object.__setattr__(self, name, int(value))
        check_real(self.threshold, "threshold")
        if not 0 <= self.threshold < 1:
            raise ValueError(f"threshold must be in [0, 1), got {self.threshold}")
        object.__setattr__(self, "threshold", float(self.threshold))
        if self.snapshot_every is not None:
            value = self.snapshot_every
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise TypeError(f"snapshot_every must be an integer, got {type(value).__name__}")
            if value < 1:
                raise ValueError(f"snapshot_every must be >= 1, got {value}")
            if value % self.eval_every:
                raise ValueError(
                    f"snapshot_every ({value}) must be a multiple of eval_every ({self.eval_every})"
                )
            object.__setattr__(self, "snapshot_every", int(value))

    def replace(self, **changes) -> Schedule:
        """A copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters of one training run (defaults: Table III of [1]_).

    Parameters
    ----------
    relation : str, Relation, array_like, networkx graph or path
        Any relation :func:`effective_theory.relation_matrix` reads: a name of Table I
        (``"mod3"``, ``"greater"``, ``"bipartite"``, ...), a catalogue name (``"karate"``), a
        Relation, a square 0/1 matrix, a networkx graph, a graph file or a content key.  A name of
        Table I is stored as written; anything else as its content key ``"matrix:<n>:<base64>"``
        (:func:`effective_theory.config_relation`), so the configuration, and the cache key made
        from it, depends on the relation's data and not on how it was given.
    n : int, optional
        Number of elements (paper: 30); there are ``n**2`` pairs.  Default: the relation's own
        size, or 30 for a relation given by a rule (a name of Table I, a catalogue rule); between
        :data:`~effective_theory.MIN_RELATION_N` and :data:`~effective_theory.MAX_RELATION_N`.
    train_fraction : float
        Fraction of the ``n**2`` pairs used for training, in ``(0, 1]`` (Table III: 0.75); the
        number of training pairs is ``round(train_fraction * n**2)``, at least 1.
    eta_enc, eta_dec : float
        Learning rates of the embeddings and of the decoder (Table III: 1e-3), ``> 0``.
    wd_enc, wd_dec : float
        Weight decays, ``>= 0`` (Table III: 0).
    init_enc : float
        Embeddings start as ``init_enc * N(0, 1)``.
    init_dec : float
        Scale of the decoder's initialisation.
    init : {"uniform", "normal"}
        Decoder initialisation (:func:`~verification.model.init_parameters`): ``init_dec`` times
        ``nn.Linear``'s ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` (default; every table of the
        report uses it unless it says otherwise), or ``init_dec * N(0, 1)`` (the caption of
        Figure 6 of [1]_).
    optimizer : {"adam", "sgd"}
    seed : int
        Seeds the initialisation and, unless ``split_seed`` is given, the train/test split.
    split_seed : int or None
        Seed of the train/test split.
    model : ModelConfig

    Raises
    ------
    ValueError
        On construction (and from :meth:`validate`) for a non-positive learning rate, negative
        weight decay or init scale, a training fraction outside ``(0, 1]``, ``n < 3``, an unknown
        optimizer, a relation that is unknown or cannot be learned (empty, complete, too large,
        another size than ``n``), or a bad :class:`ModelConfig`.

    Examples
    --------
    >>> TrainConfig().num_train_pairs
    675
    >>> TrainConfig(eta_enc=-1e-3)
    Traceback (most recent call last):
    ...
    ValueError: eta_enc must be > 0, got -0.001
    >>> TrainConfig(relation="karate").n
    34
    """

    relation: str = "mod3"
    n: int | None = None
    train_fraction: float = 0.75
    eta_enc: float = 1e-3
    eta_dec: float = 1e-3
    wd_enc: float = 0.0
    wd_dec: float = 0.0
    init_enc: float = 1.0
    init_dec: float = 1.0
    optimizer: str = "adam"
    seed: int = 0
    split_seed: int | None = None
    model: ModelConfig = field(default_factory=ModelConfig)
    init: str = "uniform"

    def __post_init__(self):
        if self.n is not None:
            self._check_n()
        relation, n = config_relation(self.relation, self.n, name="relation")
        object.__setattr__(self, "relation", relation)
        object.__setattr__(self, "n", n)
        self.validate()

    def _check_n(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, numbers.Integral):
            raise TypeError(f"n must be an integer, got {type(self.n).__name__}")
        if not MIN_RELATION_N <= self.n <= MAX_RELATION_N:
            raise ValueError(f"n must be in [{MIN_RELATION_N}, {MAX_RELATION_N}], got {self.n}")

    def validate(self) -> None:
        """Raise ValueError/TypeError naming the first bad hyperparameter."""
        if not isinstance(self.relation, str):
            raise TypeError(f"relation must be a string, got {type(self.relation).__name__}")
        self._check_n()
        relation_matrix(self.relation, self.n)  # an unknown or unlearnable relation, another n
        check_real(self.train_fraction, "train_fraction")
        if not 0 < self.train_fraction <= 1:
            raise ValueError(f"train_fraction must be in (0, 1], got {self.train_fraction}")
        for name in ("eta_enc", "eta_dec"):
            check_real(getattr(self, name), name, positive=True)
        for name in ("wd_enc", "wd_dec", "init_enc", "init_dec"):
            check_real(getattr(self, name), name, nonnegative=True)
        if self.init not in INITS:
            raise ValueError(f"unknown init {self.init!r}; choose one of {', '.join(INITS)}")
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {self.optimizer!r}; choose one of {', '.join(OPTIMIZERS)}")
        for name in ("seed", "split_seed"):
            value = getattr(self, name)
            if value is None and name == "split_seed":
                continue
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise TypeError(f"{name} must be an integer, got {type(value).__name__}")
        if not isinstance(self.model, ModelConfig):
            raise TypeError(f"model must be a ModelConfig, got {type(self.model).__name__}")
        self.model.validate()

    @property
    def num_train_pairs(self) -> int:
        """Number of training pairs, ``max(1, round(train_fraction * n**2))``."""
        return max(1, int(round(self.train_fraction * self.n * self.n)))

    def replace(self, **changes) -> TrainConfig:
        """A copy with some fields changed (validated)."""
        return dataclasses.replace(self, **changes)


def split_pairs(config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """Flat indices ``i * n + j`` of the training and test pairs of ``config``.

    The split is a uniformly random subset of ``num_train_pairs`` of the ``n**2`` pairs, drawn
    with ``numpy.random.default_rng(split_seed if given else seed)``.

    Examples
    --------
    >>> tr, te = split_pairs(TrainConfig(n=10, train_fraction=0.3))
    >>> len(tr), len(te), len(set(tr) | set(te))
    (30, 70, 100)
    """
    seed = config.seed if config.split_seed is None else config.split_seed
    perm = np.random.default_rng(int(seed)).permutation(config.n * config.n)
    k = config.num_train_pairs
    return np.sort(perm[:k]), np.sort(perm[k:])


def resolve_device(device=None) -> torch.device:
    """``device`` as a ``torch.device``; ``None`` picks CUDA when available, else CPU."""
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        return torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(f"invalid device {device!r}: {exc}") from exc
