"""Dynamics: the interacting-repon theory of representation learning (Section IV, Appendix C).

* :mod:`~effective_theory.dynamics.derivation_steps` -- a derivation as a list of sympy steps;
* :mod:`~effective_theory.dynamics.repon_flow` -- the pair loss Eq. (6) and the flow Eqs. (7)-(8);
* :mod:`~effective_theory.dynamics.repon_ansatz` -- the ansatz Eq. (9) and reduced flow Eq. (10);
* :mod:`~effective_theory.dynamics.conservation` -- the conserved quantity Eq. (11) and its
  matrix form;
* :mod:`~effective_theory.dynamics.collision_probability` -- the arctan law Eq. (12) and Eq. (13);
* :mod:`~effective_theory.dynamics.matrix_collision` -- the collision probability of the
  full matrix flow Eq. (8) from i.i.d. Gaussian initial conditions (F distribution; Eq. 12 at m = d = 1);
* :mod:`~effective_theory.dynamics.multi_repon_flow` -- one repon against a cluster (Eq. 13);
* :mod:`~effective_theory.dynamics.repon_simulation` -- Monte Carlo checks of Eqs. (8)-(13).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(
    __name__,
    (
        "derivation_steps",
        "repon_flow",
        "repon_ansatz",
        "conservation",
        "collision_probability",
        "matrix_collision",
        "multi_repon_flow",
        "repon_simulation",
    ),
)
