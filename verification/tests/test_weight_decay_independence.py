"""Figure 8 / Appendix F of [1]: the boundary does not depend on the decoder's weight decay.

Prediction (Eq. (12)): the probability of generalization depends on the learning rates and the
initialisation only, so in the plane (x = log10 wd_dec, y = log10 eta_dec) at fixed eta_enc the
generalization/memorization boundary is horizontal: slope 0.

Measured quantity
    As for Figure 5: every run of the diagram enters a maximum-likelihood fit of the boundary line
    (:func:`verification.statistics.fit_boundary`); a weight decay at which every run generalizes
    bounds the line instead of being dropped.

Verdict
    In ``verification/tests/test_predictions.py`` (:func:`verification.figures.figure8.evaluate`):
    slope 0 within 0.25 (TOST), also at a quarter of the budget.  This module checks the data.

[1] D. D. Baek, Z. Liu, M. Tegmark, GenEFT (2025).
"""

import numpy as np
import pytest

from verification.figures.phase_diagram import boundary_runs
from verification.figures.registry import FIGURES
from verification.phases import classify_phase

KEY = "fig8"
X_KEY = "log_wd_dec"
QUICK_SETTINGS = FIGURES[KEY].settings("quick")


@pytest.fixture(scope="module")
def quick(results_cache):
    return FIGURES[KEY].compute(QUICK_SETTINGS, device="cpu", cache=results_cache, tier="quick")


def test_every_run_is_in_the_diagram(quick):
    d = quick["diagram"]
    s = QUICK_SETTINGS
    per_rel = len(s[X_KEY]) * len(s["log_eta_dec"]) * s["seeds"]
    assert len(d["phase"]) == len(s["relations"]) * per_rel
    assert set(d["phase"]) <= {"generalization", "grokking", "memorization", "confusion"}
    assert all(0 <= r <= s["steps"] for r in d["steps_run"])


def test_phases_at_the_full_budget_are_the_stored_ones(quick):
    """Re-classifying every run from its first-reached steps at its own budget gives its phase, so
    the quarter-budget boundary of the verdicts is read off the same runs consistently."""
    d = quick["diagram"]
    again = [
        classify_phase(a, b, budget=d["steps"], gap=d["gap"])
        for a, b in zip(d["steps_to_train"], d["steps_to_test"])
    ]
    assert again == d["phase"]


def test_boundary_uses_every_column(quick):
    """Censored columns (all or none generalize) enter the fit as bounds, never dropped."""
    for rel in QUICK_SETTINGS["relations"]:
        b = quick["boundary"][rel]
        x, _, _ = boundary_runs(quick["diagram"], rel, x_key=X_KEY)
        assert len(b["columns"]) == np.unique(x).size
        assert sum(c["runs"] for c in b["columns"]) == x.size
        lo, hi = b["slope_interval"]
        assert lo <= b["slope"] <= hi
