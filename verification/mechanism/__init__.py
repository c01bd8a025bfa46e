"""The repon mechanism measured inside trained networks (Section IV, Theorems 1-3 of [1]_).

* :mod:`~verification.mechanism.repon_geometry` -- pure numpy on embedding snapshots: distances
  within and between the relation's classes, which same-class pairs have collided and when, and
  order violations along the learned direction for a total order;
* :mod:`~verification.mechanism.initial_quantities` -- the quantities Eq. (12) and its matrix
  generalization take, measured on a network at initialisation: effective learning rates of the
  embedding and the decoder, ``sigma_a / sigma_c`` from the decoder's Jacobian, the effective
  ``(m, d)``, and the collision probabilities they predict.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from effective_theory._lazy import attach

__getattr__, __dir__ = attach(__name__, ("repon_geometry", "initial_quantities"))
