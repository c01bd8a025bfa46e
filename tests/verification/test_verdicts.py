"""``verification.verdicts``: Figure 5's "same critical ratio for all relations" row on synthetic boundaries.

Runs are placed on a grid with every run on its side of a known constant-ratio boundary
``y0 = x + a`` (``x = log10 eta_enc``, ``y = log10 eta_dec``), so the fitted ``log10 r*`` is ``a``
within the grid step.  Equal ratios hold the equivalence test, ratios two decades apart fail it,
and a boundary that moves between a quarter of the budget and the full budget makes the row
inconclusive whatever the full-budget data say (the row's budget-convergence condition).
"""

import numpy as np
import pytest

from verification.statistics import fit_boundary
from verification.verdicts import MARGINS, same_ratio_row

CLAIM = "critical ratio is the same for all relations"


def _unit_fit(log_ratio, *, seeds=3):
    xs, ys = np.meshgrid(np.arange(-5.0, -1.9, 0.5), np.arange(-6.0, 2.01, 0.25))
    x, y = np.repeat(xs.ravel(), seeds), np.repeat(ys.ravel(), seeds)
    return fit_boundary(x, y, y < x + log_ratio, slope=1.0)


def test_equal_ratios_hold_and_distant_ones_fail():
    same = same_ratio_row(CLAIM, {"a": _unit_fit(1.0), "b": _unit_fit(1.0), "c": _unit_fit(1.1)})
    assert same["verdict"] == "holds", same["measured"]
    apart = same_ratio_row(CLAIM, {"a": _unit_fit(1.0), "b": _unit_fit(-1.0)})
    assert apart["verdict"] == "fails", apart["measured"]
    assert apart["measured"].startswith("a - b: 2")
    assert f"± {MARGINS['same_ratio']}" in apart["tolerance"]


def test_a_moving_boundary_makes_the_row_inconclusive():
    fits = {"a": _unit_fit(1.0), "b": _unit_fit(-1.0)}
    steady = same_ratio_row(CLAIM, fits, {"a": _unit_fit(1.0), "b": _unit_fit(-1.0)})
    assert steady["verdict"] == "fails" and "budget not converged" not in steady["measured"]
    assert "at T/4: 2" in steady["measured"]
    moved = same_ratio_row(CLAIM, fits, {"a": _unit_fit(0.0), "b": _unit_fit(-1.0)})
    assert moved["verdict"] == "inconclusive" and moved["forced_inconclusive"] == "budget not converged"
    assert "a - b outside the interval at T" in moved["measured"]
    missing = same_ratio_row(CLAIM, fits, {"a": _unit_fit(1.0), "b": None})
    assert missing["verdict"] == "inconclusive"


def test_one_relation_is_an_error():
    with pytest.raises(ValueError, match="at least two relations"):
        same_ratio_row(CLAIM, {"a": _unit_fit(1.0)})
