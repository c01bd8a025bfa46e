"""Learning phases of a training run (Appendix B, Table IV of [1]_, after [2]_).

A run is summarised by two numbers: the first (evaluated) step at which the training accuracy
exceeds 0.9, ``steps_to_train``, and the same for the test accuracy, ``steps_to_test``
(``-1``: never within the run).  Table IV then reads, with the step budget ``budget``
(paper: :math:`10^5`) and the grokking gap ``gap`` (paper: :math:`10^3`):

=============== ============== ============== ====================================
phase           train reached  test reached   steps_to_test - steps_to_train < gap
=============== ============== ============== ====================================
generalization  yes            yes            yes
grokking        yes            yes            no
memorization    yes            no             --
confusion       no             no             --
=============== ============== ============== ====================================

"Reached" means ``0 <= steps <= budget``.  Edge cases, which Table IV leaves open, are defined
here as follows:

* **Test reached but train not** (a row missing from Table IV): ``"confusion"``.  The train
  column is read first; the only row of Table IV with the train criterion failing is confusion.
* **Gap exactly at the threshold** (``steps_to_test - steps_to_train == gap``): ``"grokking"``.
  Table IV's criterion is the strict inequality ``< gap``, so equality fails it.
* **Test reached before train** (negative difference): ``"generalization"`` (the difference is
  below the gap).
* A step count larger than ``budget`` counts as not reached, so a run longer than the budget can
  be classified at the budget.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
.. [2] Z. Liu, O. Kitouni, N. S. Nolte, E. Michaud, M. Tegmark, M. Williams, "Towards
   understanding grokking: an effective theory of representation learning", NeurIPS (2022).
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "PHASES",
    "classify_phase",
    "classify_phases",
    "is_generalizing",
]

#: the four phases of Table IV, in the table's order
PHASES = ("generalization", "grokking", "memorization", "confusion")


def _as_step(value, name) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer step count (-1 for never), got {value!r}")
    if value < -1:
        raise ValueError(f"{name} must be >= -1 (-1 means never reached), got {value}")
    return int(value)


def classify_phase(steps_to_train, steps_to_test, *, budget=10**5, gap=10**3) -> str:
    """Phase of one run by Table IV of [1]_.

    Parameters
    ----------
    steps_to_train, steps_to_test : int
        First step with train (test) accuracy above 0.9; ``-1`` if never.
    budget : int
        Step budget within which an accuracy must be reached (paper: ``10**5``).
    gap : int
        Largest delay ``steps_to_test - steps_to_train`` that is *not* grokking is ``gap - 1``
        (paper: ``10**3``; Table IV's criterion is ``< gap``).

    Returns
    -------
    str
        One of :data:`PHASES`.

    Raises
    ------
    ValueError
        For a step count below -1, ``budget < 1`` or ``gap < 0``.

    Examples
    --------
    >>> classify_phase(100, 300)
    'generalization'
    >>> classify_phase(100, 1100)        # gap exactly at the threshold: not < 10**3
    'grokking'
    >>> classify_phase(100, -1), classify_phase(-1, -1)
    ('memorization', 'confusion')
    >>> classify_phase(-1, 500)          # test reached but train not: the train column decides
    'confusion'
    >>> classify_phase(100, 2000, budget=1000)   # test reached after the budget
    'memorization'
    """
    s_train = _as_step(steps_to_train, "steps_to_train")
    s_test = _as_step(steps_to_test, "steps_to_test")
    _as_step(budget, "budget")
    _as_step(gap, "gap")
    if budget < 1:
        raise ValueError(f"budget must be >= 1, got {budget}")
    if gap < 0:
        raise ValueError(f"gap must be >= 0, got {gap}")
    train_ok = 0 <= s_train <= budget
    test_ok = 0 <= s_test <= budget
    if not train_ok:
        return "confusion"
    if not test_ok:
        return "memorization"
    return "generalization" if s_test - s_train < gap else "grokking"


def classify_phases(steps_to_train, steps_to_test, *, budget=10**5, gap=10**3) -> list[str]:
    """:func:`classify_phase` applied elementwise to two equal-length sequences.

    Examples
    --------
    >>> classify_phases([10, 10, -1], [20, -1, -1], budget=100, gap=50)
    ['generalization', 'memorization', 'confusion']
    """
    a = np.asarray(steps_to_train).reshape(-1)
    b = np.asarray(steps_to_test).reshape(-1)
    if a.shape != b.shape:
        raise ValueError(f"steps_to_train and steps_to_test differ in length: {a.size} != {b.size}")
    return [classify_phase(int(s), int(t), budget=budget, gap=gap) for s, t in zip(a, b)]


def is_generalizing(phase: str) -> bool:
    """True for the phases in which the test accuracy is reached (generalization, grokking).

    Examples
    --------
    >>> [is_generalizing(p) for p in PHASES]
    [True, True, False, False]
    """
    if phase not in PHASES:
        raise ValueError(f"unknown phase {phase!r}; choose one of {', '.join(PHASES)}")
    return phase in ("generalization", "grokking")
