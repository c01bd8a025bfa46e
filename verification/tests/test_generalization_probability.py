"""Figure 6 / Eq. (12) of [1]: the probability of generalization is bounded by an arctan of the ratio.

Prediction
    (a) The probability that a model generalizes is at most
    ``p_r = (2/pi) arctan((sigma_a/sigma_c) sqrt(eta_enc / (2 eta_dec)))`` (Eq. 12, Theorem 3),
    the black line of Figure 6, with ``sigma_a = sigma_c`` (every weight drawn from the same
    scaled normal: the bound is one curve for all initialisation scales).
    (b) It depends on the learning rates only through the ratio ``eta_dec / eta_enc``.

Measured quantity
    The fraction of ``SEEDS`` independent models (seeds of initialisation and training split)
    of equal mod 3 (n = 30, Table III architecture, training fraction 0.75, Adam) whose Table IV
    phase is generalization or grokking (test accuracy > 0.9 within ``STEPS`` steps), at each
    ``(eta_enc, eta_dec, init_scale)`` point.

Verdict
    (a) is tested in ``verification/tests/test_predictions.py`` (exact one-sided binomial test at
    every point, :func:`verification.figures.figure6.evaluate`); this module checks the data.
    (b) needs two points at the same ratio with different rates, which the tiers of Figure 6 do
    not sample: it is not tested here (docs/findings.md).

[1] Baek, Liu, Tegmark, "GenEFT" (2025), Section IV, Eq. (12) and Figure 6.
"""

import pytest

from verification.figures.registry import FIGURES
from verification.runtime.context import RunContext

QUICK_SETTINGS = FIGURES["fig6"].settings("quick")

QUICK = {k: QUICK_SETTINGS[k] for k in ("ratios", "init_scales", "seeds", "steps")}


@pytest.fixture(scope="module")
def quick_data(results_cache):
    return FIGURES["fig6"].compute(QUICK_SETTINGS, RunContext(cache=results_cache, tier="quick"))


def test_quick_points_are_well_formed(quick_data):
    pts = quick_data["points"]
    assert len(pts) == len(QUICK["ratios"]) * len(QUICK["init_scales"])
    for p in pts:
        assert p["trials"] == QUICK["seeds"]
        assert 0 <= p["generalized"] <= p["trials"]
        assert sum(p["phases"].values()) == p["trials"]
        assert 0 < p["bound"] < 1
