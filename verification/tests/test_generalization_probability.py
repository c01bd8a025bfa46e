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

Tolerance
    Binomial sampling error, exactly: (a) fails when the one-sided exact binomial p-value of the
    observed count under ``p = bound`` is below ``ALPHA``; (b) fails when Fisher's exact test of
    two points with the same ratio but learning rates 3x apart gives a two-sided p-value below
    ``ALPHA``.  ``ALPHA = 0.00135`` is the one-sided 3-sigma level of a normal variable.

[1] Baek, Liu, Tegmark, "GenEFT" (2025), Section IV, Eq. (12) and Figure 6.
"""

import pytest
from scipy import stats

from verification.figures.figure6 import (
    ALPHA,
    CHECK_QUICK,
    bound_violations,
    figure6_data,
    generalization_counts,
)
from verification.tiers import figure_data

QUICK = {k: CHECK_QUICK[k] for k in ("ratios", "init_scales", "seeds", "steps")}
#: same ratio (10, where the measured probability is not saturated), learning rates 3x apart:
#: Eq. (12) predicts equal probabilities
RATIO_PAIR = [(1e-3, 1e-2, 1.0), (3e-3, 3e-2, 1.0)]
BOUND_REASON = (
    "mod3, Table III, eta_enc 1e-3, 3000 steps, 12 seeds: eta_dec/eta_enc = 1 generalizes 12/12 against the "
    "Eq. (12) bound 0.392 (binomial p = 1.3e-5); ratio 0.1: 12/12 vs 0.732; ratio 10: 6/12 vs 0.140"
)
FULL_REASON = (
    "the quick tier's violation (12/12 at ratio 1 vs bound 0.392) can only grow with a larger step budget"
)


@pytest.fixture(scope="module")
def quick_data():
    return figure6_data(**CHECK_QUICK, device="cpu")


def test_quick_points_are_well_formed(quick_data):
    pts = quick_data["points"]
    assert len(pts) == len(QUICK["ratios"]) * len(QUICK["init_scales"])
    for p in pts:
        assert p["trials"] == QUICK["seeds"]
        assert 0 <= p["generalized"] <= p["trials"]
        assert sum(p["phases"].values()) == p["trials"]
        assert 0 < p["bound"] < 1


@pytest.mark.xfail(strict=True, reason=BOUND_REASON)
def test_probability_below_eq12_bound_quick(quick_data):
    bad = bound_violations(quick_data["points"])
    assert not bad, "; ".join(bad)


def test_probability_depends_only_on_ratio_quick():
    a, b = generalization_counts(RATIO_PAIR, seeds=QUICK["seeds"], steps=QUICK["steps"], seed=1, device="cpu")
    table = [[p["generalized"], p["trials"] - p["generalized"]] for p in (a, b)]
    pval = stats.fisher_exact(table).pvalue
    assert pval >= ALPHA, (
        f"same ratio {a['ratio']:g}, rates 3x apart: {a['generalized']}/{a['trials']} vs "
        f"{b['generalized']}/{b['trials']} (Fisher p = {pval:.2g})"
    )


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=FULL_REASON)
def test_probability_below_eq12_bound_full(results_cache):
    data = figure_data("fig6", "full", device=None, cache=results_cache, progress=True)
    bad = bound_violations(data["points"])
    assert not bad, "; ".join(bad)
