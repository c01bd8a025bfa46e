"""Theory-versus-experiment verification of GenEFT: the paper's autoencoder trained in ensembles.

Public API (see ``docs/verification.md``):

* :class:`ModelConfig`, :class:`TrainConfig` -- the model of Section II and its hyperparameters
  (Table III defaults);
* :func:`train_ensemble` -> :class:`EnsembleResult` -- many models trained as one batched
  computation; :func:`train_reference` -- the plain one-model PyTorch loop;
* :func:`classify_phase`, :data:`PHASES` -- Table IV / Appendix B phases;
  :func:`column_boundaries`, :func:`fit_boundary_line` -- phase boundaries of a diagram;
* Figure 5: :func:`figure5_data` (:func:`phase_diagram`, :func:`analyze_boundary`);
  Figure 8: :func:`figure8_data` (:func:`wd_phase_diagram`);
* Figure 3: :func:`figure3_data`; Figure 6: :func:`figure6_data`; Figure 7: :func:`goldilocks_data`;
* sweeps in chunks through an executor and a cache: :func:`run_phase_diagram`, :func:`train_grid`;
* the quick and full tiers of every figure, cached and shared by ``pytest verification/`` and
  ``geneft reproduce``: :func:`figure_data`, :func:`tier_settings`.
"""

from verification.figures.figure3 import (
    DEFAULT_VARIANT,
    FIGURE3_VARIANTS,
    INDUCTIVE_BIAS_VARIANTS,
    accuracy_curves,
    crossing_fraction,
    figure3_data,
    theory_curve,
    variant_label,
)
from verification.figures.figure5 import analyze_boundary, figure5_data, phase_diagram
from verification.figures.figure6 import (
    GENERALIZING_PHASES,
    figure6_data,
    generalization_bound,
    generalization_counts,
)
from verification.figures.figure7 import decoder_parameter_count, goldilocks_data
from verification.figures.figure8 import figure8_data, wd_phase_diagram
from verification.model import MODES, AutoEncoder, ModelConfig, init_parameters, parameter_shapes
from verification.phases import (
    PHASES,
    classify_phase,
    classify_phases,
    column_boundaries,
    fit_boundary_line,
    is_generalizing,
)
from verification.sweeps import PhaseDiagramResult, run_phase_diagram, train_grid
from verification.tiers import figure_data, tier_settings
from verification.training import (
    OPTIMIZERS,
    EnsembleResult,
    TrainConfig,
    resolve_device,
    split_pairs,
    train_ensemble,
    train_reference,
)

__all__ = [
    "DEFAULT_VARIANT",
    "FIGURE3_VARIANTS",
    "GENERALIZING_PHASES",
    "INDUCTIVE_BIAS_VARIANTS",
    "PhaseDiagramResult",
    "accuracy_curves",
    "crossing_fraction",
    "decoder_parameter_count",
    "figure3_data",
    "figure6_data",
    "figure_data",
    "generalization_bound",
    "generalization_counts",
    "goldilocks_data",
    "run_phase_diagram",
    "theory_curve",
    "tier_settings",
    "train_grid",
    "variant_label",
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
