"""Upper bounds on the accuracy achievable from a training set (Appendix D of the paper).

* :mod:`~effective_theory.statics.bounds.inference` -- what a training set implies;
* :mod:`~effective_theory.statics.bounds.linear_extensions` -- counting and sampling linear
  extensions (the total-order class);
* :mod:`~effective_theory.statics.bounds.equivalence_posterior` -- exact posterior pair
  probabilities of the equivalence class; :mod:`~effective_theory.statics.bounds.equivalence_sampler`
  their Monte Carlo estimate;
* :mod:`~effective_theory.statics.bounds.accuracy_bound` -- the Monte Carlo and exact bounds
  ``f_UB`` (Figure 2).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(
    __name__,
    (
        "inference",
        "linear_extensions",
        "equivalence_posterior",
        "equivalence_sampler",
        "accuracy_bound",
    ),
)
