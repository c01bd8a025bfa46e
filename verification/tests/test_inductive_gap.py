"""Figure 3 / Section III of [1]: accuracy versus training fraction, the f_UB bound and the inductive gap.

Predictions
    (a) Decoders with the right inductive bias have a smaller inductive gap: the squared
        difference mode with no hidden layer for equal mod 3, the difference mode with no
        hidden layer for greater-than, beat the Table III decoder (concatenation, 3 x 50 tanh)
        at low training fractions.
    (b) The accuracy over all n^2 pairs never exceeds the balls-in-buckets bound f_UB of
        Eq. (5) (the paper calls the theory curve an upper bound, with the experiment rising
        later).
    (c) The rise happens at the scale b / n^2 (Section III: "b indeed sets the approximate scale
        for how many training data samples are needed"), with b the exact description length
        of the relation's class.

Measured quantity
    Final accuracy over all n^2 = 900 pairs (training and test together) of ``SEEDS`` models
    per (relation, decoder, fraction), trained full batch with Adam (learning rate 1e-3) for
    ``STEPS`` steps; seed ``i`` uses the same training split for every decoder, so decoders are
    compared pairwise on identical data.

Tolerances
    (a) The seed-paired difference (biased - default), averaged over the low fractions
        ``LOW = fractions <= 0.2`` (declared before any run: below the fraction where f_UB
        saturates for both relations), must exceed ``Z = 3`` standard errors of its mean over
        seeds (one-sided 3 sigma).
    (b) At every fraction, mean accuracy <= f_UB + ``Z`` * SEM + 1/n^2: the SEM is the
        seed-to-seed sampling error of the mean; 1/n^2 is the resolution of an accuracy over
        n^2 pairs (Eq. (5) is a continuous expectation, an accuracy moves in steps of one pair).
        20 comparisons at one-sided 3 sigma: family-wise false-alarm rate below 3%.
    (c) The fraction where the biased decoder's mean accuracy first reaches ``ALPHA = 0.9``
        (linear interpolation on the grid) lies within a factor ``SCALE = 5`` of b / n^2.  This
        is a scale statement, not a sampling statement: Eq. (4) itself puts the 90% point of f(m)
        at ln(10) b / n^2 ~ 2.3 b / n^2 and f_UB reaches 0.9 at ~1.2 b / n^2, and the quick grid
        resolves the crossing to a factor 2; a factor 5 either side is inside one decade.

[1] Baek, Liu, Tegmark, "GenEFT" (2025), Section III, Eqs. (3)-(5) and Figure 3.
"""

import numpy as np
import pytest

from verification.figures.figure3 import (
    CHECK_QUICK,
    FIGURE3_VARIANTS,
    SCALE,
    Z,
    bias_advantage,
    bound_excess,
    figure3_data,
    rise,
)
from verification.tiers import figure_data

ALPHA = CHECK_QUICK["alpha"]
QUICK = {k: CHECK_QUICK[k] for k in ("fractions", "seeds", "steps")}
RELATIONS = CHECK_QUICK["relations"]

# Measured disagreements (quick tier, seed 0, 6 seeds, 3000 steps; docs/findings.md):
_XF_ADVANTAGE = pytest.mark.xfail(
    strict=True,
    reason=(
        "mod3: sqdiff n_h=0 minus Table III averaged over fractions <= 0.2 is 0.048 +- 0.032 (1.5 SE < 3); "
        "sqdiff n_h=0 is itself unreliable at 3000 steps (SEM up to 0.06, mean 0.898 at fraction 0.5)"
    ),
)
_XF_BOUND = pytest.mark.xfail(
    strict=True,
    reason=(
        "greater: diff n_h=0 at fraction 0.05 reaches 0.8093 +- 0.0086 > f_UB 0.7809 + 3 SEM + 1/n^2 "
        "(Eq. 5 with p* = 1/3 is not an upper bound there)"
    ),
)
_XF_RISE = pytest.mark.xfail(
    strict=True,
    reason=(
        "mod3: sqdiff n_h=0 never reaches 0.9 on the grid (0.898 +- 0.062 at fraction 0.5); b/n^2 = 0.044"
    ),
)


@pytest.fixture(scope="module")
def quick_data():
    data = figure3_data(**CHECK_QUICK, device="cpu")
    return {d["relation"]: d for d in data["relations"]}


@pytest.fixture(scope="module")
def full_data(results_cache):
    data = figure_data("fig3", "full", device=None, cache=results_cache, progress=True)
    return {d["relation"]: d for d in data["relations"]}


def test_quick_curves_are_well_formed(quick_data):
    for rel in RELATIONS:
        panel = quick_data[rel]
        assert len(panel["variants"]) == 2
        for v in panel["variants"]:
            acc = np.asarray(v["full_acc"])
            assert acc.shape == (len(QUICK["fractions"]), QUICK["seeds"])
            assert np.all((acc >= 0) & (acc <= 1))
        # f_UB (Eq. 5) is increasing in the number of samples and below 1
        ub = np.asarray(panel["f_ub"])
        assert np.all(np.diff(ub) > 0) and np.all(ub < 1)


@pytest.mark.parametrize("relation", [pytest.param("mod3", marks=_XF_ADVANTAGE), "greater"])
def test_inductive_bias_beats_default_at_low_fractions_quick(quick_data, relation):
    mean, se = bias_advantage(quick_data[relation])
    assert mean > Z * se and mean > 0, f"{relation}: biased - default = {mean:.4f} +- {se:.4f}"


@pytest.mark.parametrize("relation", ["mod3", pytest.param("greater", marks=_XF_BOUND)])
def test_accuracy_below_f_ub_quick(quick_data, relation):
    bad = bound_excess(quick_data[relation])
    assert not bad, "; ".join(bad)


@pytest.mark.parametrize("relation", [pytest.param("mod3", marks=_XF_RISE), "greater"])
def test_rise_near_b_over_n2_quick(quick_data, relation):
    cross, scale = rise(quick_data[relation])
    assert cross is not None, f"{relation}: the biased decoder never reaches {ALPHA} on the grid"
    assert scale / SCALE <= cross <= SCALE * scale, f"{relation}: crossing {cross:.3f}, b/n^2 {scale:.3f}"


@pytest.mark.slow
@pytest.mark.parametrize("relation", RELATIONS)
def test_inductive_gap_full(full_data, relation):
    panel = full_data[relation]
    assert len(panel["variants"]) == len(FIGURE3_VARIANTS[relation])
    mean, se = bias_advantage(panel)
    assert mean > Z * se and mean > 0, f"{relation}: biased - default = {mean:.4f} +- {se:.4f}"
    bad = bound_excess(panel)
    assert not bad, "; ".join(bad)
    cross, scale = rise(panel)
    assert cross is not None and scale / SCALE <= cross <= SCALE * scale, (cross, scale)
