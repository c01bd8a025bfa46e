"""Theory-versus-experiment verification of GenEFT: the paper's autoencoder trained in ensembles.

Public API (see ``docs/verification.md``):

* :class:`ModelConfig`, :class:`TrainConfig` -- the model of Section II and its hyperparameters
  (Table III defaults);
* :func:`train_ensemble` -> :class:`EnsembleResult` -- many models trained as one batched
  computation; :func:`train_reference` -- the plain one-model PyTorch loop;
* :func:`classify_phase`, :data:`PHASES` -- Table IV / Appendix B phases;
  :func:`column_boundaries`, :func:`fit_boundary_line` -- phase boundaries of a diagram;
* Figure 5: :func:`figure5_data` (:func:`phase_diagram`, :func:`analyze_boundary`);
  Figure 8: :func:`figure8_data` (:func:`wd_phase_diagram`).
"""

from .figure5 import analyze_boundary, figure5_data, phase_diagram
from .figure8 import figure8_data, wd_phase_diagram
from .model import MODES, AutoEncoder, ModelConfig, init_parameters, parameter_shapes
from .phases import (
    PHASES,
    classify_phase,
    classify_phases,
    column_boundaries,
    fit_boundary_line,
    is_generalizing,
)
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
    "analyze_boundary",
    "classify_phase",
    "classify_phases",
    "column_boundaries",
    "figure5_data",
    "figure8_data",
    "fit_boundary_line",
    "init_parameters",
    "is_generalizing",
    "parameter_shapes",
    "phase_diagram",
    "resolve_device",
    "split_pairs",
    "train_ensemble",
    "train_reference",
    "wd_phase_diagram",
]
