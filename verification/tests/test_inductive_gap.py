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
    Final accuracy over all n^2 = 900 pairs (training and test together) of the tier's seeds per
    (relation, decoder, fraction), trained full batch with Adam; seed ``i`` uses the same training
    split for every decoder, so decoders are compared pairwise on identical data.

Verdicts
    The claims are tested in ``verification/tests/test_predictions.py`` with the report's
    statistics (:func:`verification.figures.figure3.evaluate`): (a) a one-sided t test of the
    per-seed difference averaged over the fractions <= 0.2; (b) one-sided t tests of accuracy
    minus the exact Bayes bound of the same training set, at every decoder and fraction, slack
    1/n^2 (a decoder above the Bayes bound would mean label leakage); (c) a seed bootstrap of the
    crossing fraction, within a factor 5 of b / n^2.  This module checks the data themselves.

[1] Baek, Liu, Tegmark, "GenEFT" (2025), Section III, Eqs. (3)-(5) and Figure 3.
"""

import numpy as np
import pytest

from verification.figures.figure3 import FIGURE3_VARIANTS
from verification.figures.registry import FIGURES
from verification.runtime.context import RunContext

QUICK_SETTINGS = FIGURES["fig3"].settings("quick")
QUICK = {k: QUICK_SETTINGS[k] for k in ("fractions", "seeds", "steps")}
RELATIONS = QUICK_SETTINGS["relations"]


@pytest.fixture(scope="module")
def quick_data(results_cache):
    data = FIGURES["fig3"].compute(QUICK_SETTINGS, RunContext(cache=results_cache, tier="quick"))
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
        # the exact bound of each training set: one per fraction and seed, in [acc of the training
        # entries alone, 1], and on average non-decreasing in the fraction
        exact = np.asarray(panel["exact_f_ub"])
        assert exact.shape == (len(QUICK["fractions"]), QUICK["seeds"])
        assert np.all(exact <= 1 + 1e-12) and np.all(exact >= np.asarray(QUICK["fractions"])[:, None] - 1e-12)
        assert np.all(np.diff(exact.mean(axis=1)) >= -1e-12)


def test_full_tier_trains_every_decoder_of_the_figure():
    assert FIGURES["fig3"].settings("full")["variant_set"] == "full"
    assert {len(v) for v in FIGURE3_VARIANTS.values()} == {5}
