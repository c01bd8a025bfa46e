"""Theory-versus-experiment verification of GenEFT: the paper's autoencoder trained in ensembles.

Public API (see ``docs/verification.md``):

* :class:`ModelConfig`, :class:`TrainConfig` -- the model of Section II and its hyperparameters
  (Table III defaults);
* :func:`train_ensemble` -> :class:`EnsembleResult` -- many models trained as one batched
  computation; :func:`train_reference` -- the plain one-model PyTorch loop;
* :func:`classify_phase`, :data:`PHASES` -- Table IV / Appendix B phases.
"""

from .model import MODES, AutoEncoder, ModelConfig, init_parameters, parameter_shapes
from .phases import PHASES, classify_phase, classify_phases, is_generalizing
from .training import (
    OPTIMIZERS,
    EnsembleResult,
    TrainConfig,
    resolve_device,
    split_pairs,
    train_ensemble,
    train_reference,
)

__all__ = [
    "MODES",
    "OPTIMIZERS",
    "PHASES",
    "AutoEncoder",
    "EnsembleResult",
    "ModelConfig",
    "TrainConfig",
    "classify_phase",
    "classify_phases",
    "init_parameters",
    "is_generalizing",
    "parameter_shapes",
    "resolve_device",
    "split_pairs",
    "train_ensemble",
    "train_reference",
]
