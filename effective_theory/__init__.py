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

# (section owned by the Table II / balls-in-buckets work)

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

# (section owned by the accuracy-bound work)

# --- dynamics: interacting repon theory (Section IV, Appendix C) ---

# (section owned by the dynamics work)
