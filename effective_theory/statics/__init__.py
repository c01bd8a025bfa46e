"""Statics: how much data a model needs to generalize (Sections II-III and Appendix D of the paper).

* :mod:`~effective_theory.statics.relations` -- the relations of Table I and their properties;
* :mod:`~effective_theory.statics.class_description_length` -- Table II: ``b`` of each relation class;
* :mod:`~effective_theory.statics.balls_in_buckets` -- Eqs. (1)-(5);
* :mod:`~effective_theory.statics.relation_catalogue` -- relations of known structure beyond Table I;
* :mod:`~effective_theory.statics.relation_input` -- any relation (name, matrix, graph, file) as data;
* :mod:`~effective_theory.statics.graph_input` -- graphs from networkx, igraph, arrays, files;
* :mod:`~effective_theory.statics.graph_description_length` -- ``b = log2(n!/|Aut G|)`` of any graph;
* :mod:`~effective_theory.statics.graph_automorphism_group` -- ``Aut G`` itself: generators, orbits,
  a canonical labelling and an isomorphism certificate;
* :mod:`~effective_theory.statics.tree_description_length` -- Table II's tree row: trees of a given
  average depth;
* :mod:`~effective_theory.statics.automorphisms` -- ``|Aut G|`` (exact reductions, nauty, bliss);
* :mod:`~effective_theory.statics.bounds` -- upper bounds on achievable accuracy (Appendix D).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(
    __name__,
    (
        "relations",
        "class_description_length",
        "balls_in_buckets",
        "graph_input",
        "graph_description_length",
        "relation_catalogue",
        "relation_input",
        "graph_automorphism_group",
        "tree_description_length",
        "automorphisms",
        "bounds",
    ),
)
