"""GenEFT effective theory: statics and dynamics of generalization.

Implements the theory of Baek, Liu and Tegmark, "GenEFT: Understanding Statics
and Dynamics of Model Generalization via Physics-Inspired Effective Theory"
(2025).  The public API is listed in ``__all__``; ``docs/equations.md`` maps
each equation of the paper to the function that computes it.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

# --- relations (Section II, Table I) ---
from .relations import (  # noqa: E402
    RELATION_NAMES,
    Relation,
    as_relation_matrix,
    complete_bipartite,
    equal_mod,
    equivalence_classes,
    greater_than,
    is_antisymmetric,
    is_equivalence,
    is_irreflexive,
    is_reflexive,
    is_strict_total_order,
    is_symmetric,
    is_transitive,
    relation_by_name,
)

__all__ += [
    "RELATION_NAMES",
    "Relation",
    "as_relation_matrix",
    "complete_bipartite",
    "equal_mod",
    "equivalence_classes",
    "greater_than",
    "is_antisymmetric",
    "is_equivalence",
    "is_irreflexive",
    "is_reflexive",
    "is_strict_total_order",
    "is_symmetric",
    "is_transitive",
    "relation_by_name",
]

# --- statics: Table II class counts and balls in buckets (Eqs. 1-5) ---

from .balls_in_buckets import (  # noqa: E402
    critical_train_fraction,
    expected_empty_buckets,
    expected_filled_buckets,
    f_upper_bound,
    inferable_fraction,
    p_star,
)
from .class_description_length import (  # noqa: E402
    Table2Row,
    bits_antisymmetric,
    bits_complete_bipartite,
    bits_equivalence,
    bits_generic,
    bits_incomplete_bipartite,
    bits_reflexive,
    bits_symmetric,
    bits_total_order,
    bits_transitive,
    bits_tree,
    log2_binomial,
    log2_factorial,
    log2_stirling2,
    relation_class_bits,
    table_ii,
)

__all__ += [
    "critical_train_fraction",
    "expected_empty_buckets",
    "expected_filled_buckets",
    "f_upper_bound",
    "inferable_fraction",
    "p_star",
    "Table2Row",
    "bits_antisymmetric",
    "bits_complete_bipartite",
    "bits_equivalence",
    "bits_generic",
    "bits_incomplete_bipartite",
    "bits_reflexive",
    "bits_symmetric",
    "bits_total_order",
    "bits_transitive",
    "bits_tree",
    "log2_binomial",
    "log2_factorial",
    "log2_stirling2",
    "relation_class_bits",
    "table_ii",
]

# --- statics: description length and automorphism groups (Section III) ---

from .automorphisms import AutomorphismOrder, schreier_sims_order  # noqa: E402
from .description_length import (  # noqa: E402
    DescriptionLength,
    automorphism_group_order,
    description_length,
    description_length_report,
)
from .graph_input import EdgeList, from_edges, read_graph  # noqa: E402

__all__ += [
    "AutomorphismOrder",
    "DescriptionLength",
    "EdgeList",
    "automorphism_group_order",
    "description_length",
    "description_length_report",
    "from_edges",
    "read_graph",
    "schreier_sims_order",
]

# --- statics: accuracy upper bounds (Appendix D) ---

from .accuracy_bound import (  # noqa: E402
    AccuracyBound,
    accuracy_upper_bound,
    prior_guessing_accuracy,
    random_train_mask,
)
from .equivalence_posterior import (  # noqa: E402
    EquivalencePrior,
    StateSpaceTooLarge,
    count_consistent_partitions,
    equivalence_pair_probabilities,
)
from .equivalence_sampler import equivalence_pair_frequencies  # noqa: E402
from .figure2 import figure2_data, plot_figure2  # noqa: E402
from .inference_closure import Closure, closure_from_entries, inference_closure  # noqa: E402
from .linear_extensions import (  # noqa: E402
    DownsetLatticeTooLarge,
    bubley_dyer_sample,
    count_linear_extensions,
    precedence_probabilities,
    random_topological_sorts,
    transitive_closure,
    uniform_linear_extensions,
)

__all__ += [
    "AccuracyBound",
    "accuracy_upper_bound",
    "prior_guessing_accuracy",
    "random_train_mask",
    "EquivalencePrior",
    "StateSpaceTooLarge",
    "count_consistent_partitions",
    "equivalence_pair_probabilities",
    "equivalence_pair_frequencies",
    "figure2_data",
    "plot_figure2",
    "Closure",
    "closure_from_entries",
    "inference_closure",
    "DownsetLatticeTooLarge",
    "bubley_dyer_sample",
    "count_linear_extensions",
    "precedence_probabilities",
    "random_topological_sorts",
    "transitive_closure",
    "uniform_linear_extensions",
]

# --- dynamics: interacting repon theory (Section IV, Appendix C) ---

from .conserved_quantity import (  # noqa: E402
    collides,
    conserved_matrix,
    conserved_quantity,
    derive_conserved_matrix,
    derive_conserved_quantity,
    fixed_point,
    matrix_flow_collides,
    matrix_flow_solution,
    reduced_flow_fixed_points,
    reduced_flow_solution,
)
from .derivation_steps import Derivation, DerivationStep  # noqa: E402
from .multi_repon_flow import cluster_stays_clustered, derive_multi_repon_flow  # noqa: E402
from .repon_ansatz import ansatz_residual, derive_repon_ansatz  # noqa: E402
from .repon_flow import derive_repon_flow, exact_pair_flow, pair_loss  # noqa: E402
from .repon_simulation import (  # noqa: E402
    MonteCarloResult,
    ansatz_initial_conditions,
    classify_collision,
    matrix_collision_rules,
    sample_initial_conditions,
    simulate_cluster_flow,
    simulate_matrix_flow,
    simulate_pair_flow,
    simulate_pair_gradient_descent,
    simulate_reduced_flow,
)
from .representation_learning_probability import (  # noqa: E402
    critical_ratio,
    derive_wedge_probability,
    representation_learning_probability,
)

__all__ += [
    "Derivation",
    "DerivationStep",
    "MonteCarloResult",
    "ansatz_initial_conditions",
    "ansatz_residual",
    "classify_collision",
    "cluster_stays_clustered",
    "collides",
    "conserved_matrix",
    "conserved_quantity",
    "critical_ratio",
    "derive_conserved_matrix",
    "derive_conserved_quantity",
    "derive_multi_repon_flow",
    "derive_repon_ansatz",
    "derive_repon_flow",
    "derive_wedge_probability",
    "exact_pair_flow",
    "fixed_point",
    "matrix_collision_rules",
    "matrix_flow_collides",
    "matrix_flow_solution",
    "pair_loss",
    "reduced_flow_fixed_points",
    "reduced_flow_solution",
    "representation_learning_probability",
    "sample_initial_conditions",
    "simulate_cluster_flow",
    "simulate_matrix_flow",
    "simulate_pair_flow",
    "simulate_pair_gradient_descent",
    "simulate_reduced_flow",
]

# --- sweeps: executors (local, Ray) ---

from .executor import (  # noqa: E402
    EXECUTORS,
    Executor,
    LocalExecutor,
    MissingDependencyError,
    RayExecutor,
    add_executor_arguments,
    executor_from_args,
    get_executor,
)

__all__ += [
    "EXECUTORS",
    "Executor",
    "LocalExecutor",
    "MissingDependencyError",
    "RayExecutor",
    "add_executor_arguments",
    "executor_from_args",
    "get_executor",
]
