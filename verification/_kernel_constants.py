"""The constants of one training step's fused kernels, shared by both kernel sets.

:mod:`verification._step_kernels` (the torch kernels, and the entry point) and
:mod:`verification._numba_step_kernels` (the compiled CPU kernels) both import them from here, so
neither kernel module imports the other's constants and the compiled set is imported on first use
alone.  Adam's decay rates and epsilon are the trainer's (:data:`verification.train_config.ADAM_BETAS`,
``ADAM_EPS``); the tanh coefficients are Eigen's ``generic_fast_tanh_float``, a 13/6 rational
minimax form, ``tanh(x) ~ x P(x^2) / Q(x^2)`` on ``[-TANH_CLAMP, TANH_CLAMP]`` and ``+-1`` beyond.
"""

from __future__ import annotations

import numpy as np

from verification.train_config import ADAM_BETAS, ADAM_EPS

__all__ = [
    "A1", "A3", "A5", "A7", "A9", "A11", "A13", "B0", "B2", "B4", "B6",
    "BETA1", "BETA2", "EPS", "ONE", "TANH_CLAMP", "TWO", "f32",
]  # fmt: skip

(BETA1, BETA2), EPS = ADAM_BETAS, ADAM_EPS

f32 = np.float32
TANH_CLAMP = f32(7.99881172180175781)
# numerator x P(x^2): odd coefficients
A1, A3, A5, A7, A9, A11, A13 = (
    f32(c)
    for c in (
        4.89352455891786e-03,
        6.37261928875436e-04,
        1.48572235717979e-05,
        5.12229709037114e-08,
        -8.60467152213735e-11,
        2.00018790482477e-13,
        -2.76076847742355e-16,
    )
)
# denominator Q(x^2): even coefficients
B0, B2, B4, B6 = (
    f32(c) for c in (4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04, 1.19825839466702e-06)
)
ONE, TWO = f32(1.0), f32(2.0)
