"""Figure 5 of [1]: the generalization/memorization boundary in the (eta_enc, eta_dec) plane.

Prediction (Theorem 3, Eq. (12); Section IV, Figure 5)
    P1. The boundary is a constant-ratio line: in the axes (x = log10 eta_enc, y = log10 eta_dec)
        its slope is 1 (the paper's "slope -1" refers to its figure's axis orientation; a
        constant ratio eta_dec / eta_enc is slope +1 in these axes).
    P2. The critical ratio r* = eta_dec / eta_enc is about 10 ("generalization requires
        eta_dec / eta_enc <~ 10").
    P3. r* is the same for mod 3, greater-than and complete bipartite (Eq. (12) is task
        independent).

Measured quantity
    One model per grid point (:func:`verification.figures.figure5.figure5_data`), classified by Table IV;
    generalization and grokking count as generalizing, memorization not, confusion runs are left
    out.  In every eta_enc column the boundary y*_c is the threshold with fewest misclassified
    runs (:func:`verification.phases.column_boundaries`).  P1: least-squares slope of y*_c
    against x_c.  P2, P3: log10 r* = mean over columns of (y*_c - x_c).

Tolerances, from sampling error
    A column boundary is known only to within one grid step h (uniform error, variance
    h^2 / 12), and seed-to-seed scatter adds to it; the slope's standard error ``slope_se`` uses
    the larger of h^2/12 and the residual variance about the fitted line
    (:func:`verification.phases.fit_boundary_line`), and log10 r* has standard error
    ``max(sd / sqrt(C), h / sqrt(12 C))`` over C columns.
    P1: |slope - 1| <= 3 slope_se, and the experiment must resolve the slope: slope_se <= 0.35
        and at least 3 columns with a boundary inside the grid.
    P2: |log10 r* - 1| <= 0.5: "about 10" read off decade-spaced log axes means that 10 is the
        nearest power of ten; 0.5 decade is also 3x the quick tier's resolution-limited standard
        error (h = 0.5, C = 4: 0.072), so sampling error alone cannot fail it.
    P3: |log10 r*_a - log10 r*_b| <= 3 sqrt(se_a^2 + se_b^2) for every pair of relations.

Scale (see :mod:`verification.figures.figure5`)
    quick: 4,000 steps, eta_enc in 1e-4 .. 10^-2.5, eta_dec in 1e-4 .. 10^-1.5 (0.5-decade grid),
    n = 30, one seed per point (72 runs); full (``--full``): 10^5 steps, 1e-5 .. 1e-2 x 1e-5 .. 1e-1,
    0.25 decade, 3 seeds.

[1] D. D. Baek, Z. Liu, M. Tegmark, GenEFT (2025).
"""

import pytest

from verification.figures.figure5 import figure5_data
from verification.tiers import figure_data
from verification.verdicts import ratio_verdict, same_ratio_verdict, slope_verdict

RELATIONS = ("mod3", "greater", "bipartite")
SLOPE = 1.0
N_SIGMA = 3.0
MAX_SLOPE_SE = 0.35
MIN_COLUMNS = 3
LOG_RATIO = 1.0
TOL_LOG_RATIO = 0.5

#: quick-tier results that contradict the paper (strict xfail, measured values in the reason)
QUICK_XFAIL = {
    ("slope", "mod3"): (
        "measured (quick tier, CPU): boundary inside the grid in 2 of 4 eta_enc columns only "
        "(log10 eta_dec* = -3.25 at log10 eta_enc = -3.5 and -2.25 at -3.0; at -4.0 no run generalizes "
        "within 4,000 steps, at -2.5 every run does): slope 2.00 +- 0.41, resolution limit 0.35"
    ),
    ("slope", "bipartite"): (
        "measured (quick tier, CPU): boundaries -3.75, -2.25, -1.75 at log10 eta_enc = -4, -3.5, -3 "
        "(at -2.5 every run generalizes): slope 2.00 +- 0.58, above the resolution limit 0.35"
    ),
    ("ratio", "greater"): (
        "measured (quick tier, CPU): log10 r* = 0.375 +- 0.125 (r* = 2.4; boundaries -3.75, -3.25, "
        "-2.75, -1.75 at log10 eta_enc = -4 .. -2.5, slope 1.30 +- 0.17), |0.375 - 1| > 0.5"
    ),
}


@pytest.fixture(scope="module")
def quick():
    return figure5_data(tier="quick", device="cpu")


@pytest.fixture(scope="module")
def full(results_cache):
    return figure_data("fig5", "full", device=None, cache=results_cache, progress=True)


def _maybe_xfail(key):
    reason = QUICK_XFAIL.get(key)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def check_slope(data, rel):
    v = slope_verdict(data["boundary"][rel], expected=SLOPE, n_sigma=N_SIGMA, max_se=MAX_SLOPE_SE,
                      min_columns=MIN_COLUMNS)
    assert v["verdict"] == "holds", f"{rel}: {v['measured']}"


def check_ratio(data, rel):
    v = ratio_verdict(data["boundary"][rel], expected_log=LOG_RATIO, tol=TOL_LOG_RATIO)
    assert v["verdict"] == "holds", f"{rel}: {v['measured']}"


def check_same_ratio(data):
    v = same_ratio_verdict(data["boundary"], RELATIONS, n_sigma=N_SIGMA)
    assert v["verdict"] == "holds", v["measured"]


@pytest.mark.parametrize("rel", [pytest.param(r, marks=_maybe_xfail(("slope", r))) for r in RELATIONS])
def test_boundary_slope_is_one(quick, rel):
    check_slope(quick, rel)


@pytest.mark.parametrize("rel", [pytest.param(r, marks=_maybe_xfail(("ratio", r))) for r in RELATIONS])
def test_critical_ratio_about_ten(quick, rel):
    check_ratio(quick, rel)


@pytest.mark.parametrize("dummy", [pytest.param(0, marks=_maybe_xfail(("same", None)))])
def test_critical_ratio_same_for_all_relations(quick, dummy):
    check_same_ratio(quick)


@pytest.mark.slow
@pytest.mark.parametrize("rel", RELATIONS)
def test_full_boundary_slope_is_one(full, rel):
    check_slope(full, rel)


@pytest.mark.slow
@pytest.mark.parametrize("rel", RELATIONS)
def test_full_critical_ratio_about_ten(full, rel):
    check_ratio(full, rel)


@pytest.mark.slow
def test_full_critical_ratio_same_for_all_relations(full):
    check_same_ratio(full)
