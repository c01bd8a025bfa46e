"""GenEFT effective theory: statics and dynamics of generalization.

Implements the theory of Baek, Liu and Tegmark, "GenEFT: Understanding Statics and Dynamics of
Model Generalization via Physics-Inspired Effective Theory" (2025), and nothing else: no
training, plotting, caching or command line (those live in :mod:`verification`).

* :mod:`effective_theory.statics` -- how much data a model needs: relations (Section II, Table I),
  description lengths (Section III, Table II, ``b = log2(n!/|Aut G|)``), balls in buckets
  (Eqs. 1-5) and the accuracy upper bounds of Appendix D (:mod:`effective_theory.statics.bounds`).
* :mod:`effective_theory.dynamics` -- the interacting-repon theory (Section IV, Appendix C,
  Eqs. 6-13), derived with sympy and simulated with numpy/scipy.

Every public name of both subpackages is re-exported here (``__all__``, imported on first
use); ``docs/equations.md``
maps each equation of the paper to the function that computes it.
"""

__version__ = "0.1.0"

from effective_theory._lazy import attach  # noqa: E402

# the names are imported on first use (sympy and numba only when a name needs them)
__getattr__, __dir__ = attach(__name__, ("statics", "dynamics"))
