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
    "column_boundaries",
    "fit_boundary_line",
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


def column_boundaries(x, y, generalized, *, resolution=None):
    """Generalization boundary ``y*`` in each column of a phase diagram.

    Points ``(x, y)`` (log10 axes, e.g. ``x = log10 eta_enc``, ``y = log10 eta_dec``) are labelled
    generalizing (True) or not (False); the diagram is expected to generalize *below* the boundary.
    In each column (equal ``x``) the boundary is the threshold ``t`` that minimises the number of
    misclassified points under the rule "generalizing iff ``y < t``", with ``t`` ranging over the
    midpoints between the column's grid values; ties are broken by averaging the minimisers.  A
    column with only one label has no boundary inside the grid and is reported as censored.

    Parameters
    ----------
    x, y : array_like
        Coordinates (any units; log10 of the rates in Figures 5 and 8), one per run.
    generalized : array_like of bool
    resolution : float, optional
        Grid spacing in ``y``; default: the smallest spacing of the column's grid.

    Returns
    -------
    list of dict
        Per column, sorted by ``x``: ``x``, ``boundary`` (NaN when censored), ``errors``
        (misclassified runs at the best threshold), ``runs``, ``censored`` (None,
        ``"all_generalize"`` or ``"none_generalize"``), ``resolution``, and the bounds ``lower``,
        ``upper`` on the boundary that the column implies (equal to ``boundary`` when it is
        inside the grid; a column that generalizes everywhere puts the boundary above its top
        grid value, ``lower = top + resolution / 2``, ``upper = inf``, and vice versa).

    Examples
    --------
    >>> cols = column_boundaries([0, 0, 0, 1, 1, 1], [0, 1, 2, 0, 1, 2],
    ...                          [True, False, False, True, True, False])
    >>> [c["boundary"] for c in cols]
    [0.5, 1.5]
    """
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    g = np.asarray(generalized, dtype=bool).reshape(-1)
    if not (x.shape == y.shape == g.shape):
        raise ValueError(f"x, y and generalized must have equal lengths, got {x.size}, {y.size}, {g.size}")
    out = []
    for xc in np.unique(x):
        sel = x == xc
        yc, gc = y[sel], g[sel]
        grid = np.unique(yc)
        res = (
            resolution
            if resolution is not None
            else (float(np.diff(grid).min()) if grid.size > 1 else np.nan)
        )
        entry = {"x": float(xc), "runs": int(sel.sum()), "resolution": res}
        if gc.all() or not gc.any():
            entry.update(
                boundary=float("nan"),
                errors=0,
                censored="all_generalize" if gc.all() else "none_generalize",
                lower=float(grid[-1] + res / 2) if gc.all() else -np.inf,
                upper=np.inf if gc.all() else float(grid[0] - res / 2),
            )
            out.append(entry)
            continue
        cuts = np.concatenate([[grid[0] - res / 2], (grid[:-1] + grid[1:]) / 2, [grid[-1] + res / 2]])
        errors = np.array([int(np.sum(gc != (yc < t))) for t in cuts])
        best = cuts[errors == errors.min()]
        entry.update(boundary=float(best.mean()), errors=int(errors.min()), censored=None)
        entry.update(lower=entry["boundary"], upper=entry["boundary"])
        out.append(entry)
    return out


def fit_boundary_line(columns):
    """Least-squares line ``y* = slope * x + intercept`` through the uncensored column boundaries.

    The standard error of the slope combines the scatter of the boundaries about the line
    (residual variance, ``C - 2`` degrees of freedom) with the grid resolution: each boundary is
    only known to within one grid step ``h``, a uniform error of variance ``h**2 / 12``; the larger
    of the two variances is used.

    Returns
    -------
    dict
        ``slope``, ``intercept``, ``slope_se``, ``sigma`` (per-boundary standard deviation used),
        ``columns_used``; slope NaN if fewer than two columns have a boundary.

    Examples
    --------
    >>> cols = [{"x": float(a), "boundary": a + 1.0, "resolution": 0.5, "censored": None} for a in range(4)]
    >>> fit = fit_boundary_line(cols)
    >>> round(fit["slope"], 12), round(fit["intercept"], 12), round(fit["slope_se"], 4)
    (1.0, 1.0, 0.0645)
    """
    xs = np.array([c["x"] for c in columns if c.get("censored") is None and np.isfinite(c["boundary"])])
    ys = np.array(
        [c["boundary"] for c in columns if c.get("censored") is None and np.isfinite(c["boundary"])]
    )
    hs = np.array(
        [c["resolution"] for c in columns if c.get("censored") is None and np.isfinite(c["boundary"])]
    )
    out = {"columns_used": int(xs.size)}
    if xs.size < 2:
        out.update(slope=float("nan"), intercept=float("nan"), slope_se=float("nan"), sigma=float("nan"))
        return out
    slope, intercept = np.polyfit(xs, ys, 1)
    var_res = float(np.sum((ys - (slope * xs + intercept)) ** 2) / (xs.size - 2)) if xs.size > 2 else 0.0
    var_grid = float(np.mean(hs**2) / 12.0)
    sigma = float(np.sqrt(max(var_res, var_grid)))
    sxx = float(np.sum((xs - xs.mean()) ** 2))
    out.update(
        slope=float(slope), intercept=float(intercept), slope_se=float(sigma / np.sqrt(sxx)), sigma=sigma
    )
    return out
