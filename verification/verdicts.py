"""Verdicts of the phase-boundary predictions (Figures 5 and 8), shared by the tests and the report.

Each function turns a boundary analysis of :mod:`verification.figures.figure5` /
:mod:`verification.figures.figure8` into one row: the theory value, the measured
value, the tolerance and a verdict, exactly one of ``"holds"``, ``"fails"``
or ``"inconclusive"`` (the experiment does not resolve the quantity: too few
columns with a boundary inside the grid, or a standard error above the
resolution limit).  The tolerances are justified in the docstrings of
``verification/tests/test_phase_boundary.py`` and
``test_weight_decay_independence.py``.
"""

from __future__ import annotations

import itertools
import math

__all__ = ["slope_verdict", "ratio_verdict", "same_ratio_verdict", "range_verdict"]


def _columns(b):
    return [(c["x"], c["boundary"], c["censored"]) for c in b["columns"]]


def slope_verdict(b, *, expected, n_sigma=3.0, max_se=0.35, min_columns=3) -> dict:
    """Slope of the boundary (log-log) against ``expected``: ``|slope - expected| <= n_sigma se``."""
    fit = b["fit"]
    measured = (
        f"slope {fit['slope']:.3f} ± {fit['slope_se']:.3f} from {fit['columns_used']} columns; "
        f"columns {_columns(b)}, phases {b['counts']}"
    )
    if fit["columns_used"] < min_columns or not fit["slope_se"] <= max_se:
        verdict = "inconclusive"
        measured = "boundary not resolved: " + measured
    else:
        verdict = "holds" if abs(fit["slope"] - expected) <= n_sigma * fit["slope_se"] else "fails"
    return {
        "theory": f"slope {expected:g}",
        "measured": measured,
        "tolerance": f"{n_sigma:g} SE (needs SE <= {max_se}, >= {min_columns} columns)",
        "verdict": verdict,
    }


def ratio_verdict(b, *, expected_log=1.0, tol=0.5) -> dict:
    """Critical ratio: ``|log10 r* - expected_log| <= tol`` decades."""
    lr, se = b["log_ratio"], b["log_ratio_se"]
    measured = f"log10 r* = {lr:.3f} ± {se:.3f} (r* = {b['critical_ratio']:.3g})"
    if not math.isfinite(lr):
        return {
            "theory": f"r* = {10**expected_log:g}",
            "measured": "no boundary inside the grid: " + measured,
            "tolerance": f"{tol:g} decade",
            "verdict": "inconclusive",
        }
    verdict = "holds" if abs(lr - expected_log) <= tol else "fails"
    return {
        "theory": f"r* = {10**expected_log:g}",
        "measured": measured,
        "tolerance": f"{tol:g} decade",
        "verdict": verdict,
    }


def same_ratio_verdict(boundary, relations, *, n_sigma=3.0) -> dict:
    """The critical ratio is the same for every relation: each pair within ``n_sigma`` combined SE.

    ``inconclusive`` when some relation's ratio is not resolved (or there is no pair), unless a
    resolved pair already differs.
    """
    worst, compared, failed, unresolved = "", 0, False, False
    for a, c in itertools.combinations(relations, 2):
        la, lc = boundary[a]["log_ratio"], boundary[c]["log_ratio"]
        if not (math.isfinite(la) and math.isfinite(lc)):
            worst += f"{a} vs {c}: not resolved; "
            unresolved = True
            continue
        compared += 1
        diff = abs(la - lc)
        tol = n_sigma * math.hypot(boundary[a]["log_ratio_se"], boundary[c]["log_ratio_se"])
        worst += f"{a} vs {c}: {la:.3f} vs {lc:.3f} (diff {diff:.3f}, allowed {tol:.3f}); "
        failed |= diff > tol
    verdict = "fails" if failed else ("holds" if compared and not unresolved else "inconclusive")
    return {
        "theory": "equal log10 r*",
        "measured": worst.rstrip("; ") or "fewer than two relations",
        "tolerance": f"{n_sigma:g} combined SE",
        "verdict": verdict,
    }


def range_verdict(b, *, grid_steps=2.0, min_columns=3) -> dict:
    """No column's boundary moves: the span of boundaries is at most ``grid_steps`` grid steps."""
    h = min(c["resolution"] for c in b["columns"])
    measured = (
        f"boundaries span >= {b['boundary_range_min']:.3f} decades (grid step {h}); columns {_columns(b)}"
    )
    if b["fit"]["columns_used"] < min_columns:
        verdict = "inconclusive"
        measured = "boundary not resolved: " + measured
    else:
        verdict = "holds" if b["boundary_range_min"] <= grid_steps * h + 1e-9 else "fails"
    return {
        "theory": "span 0",
        "measured": measured,
        "tolerance": f"{grid_steps:g} grid steps",
        "verdict": verdict,
    }
