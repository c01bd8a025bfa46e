"""Figure 7 / Appendix E of [1]: the Goldilocks zone of decoder complexity.

Prediction
    For equal mod 3 (n = 30) with decoder width w = 10 and training fraction 0.3, test
    accuracy peaks at an intermediate decoder depth: a too-shallow decoder cannot decode the
    embeddings (confusion), a too-deep one memorizes; both ends are worse than the peak.

Measured quantity
    Final test accuracy of ``SEEDS`` models per depth (Table III otherwise: concatenation,
    d = 2, Adam, learning rate 1e-3), each seed using the same training split at every depth.
    The shallowest depth of the grid is 0 (a linear read-out), the deepest is ``DEPTHS[-1]``;
    the peak is the intermediate depth with the highest mean test accuracy.

Tolerance
    For each end, the seed-paired difference ``peak - end`` of test accuracy must exceed
    ``Z`` standard errors of its mean (SE from the spread over seeds, paired by split).
    ``Z = 3``: the peak is chosen among ``len(DEPTHS) - 2`` intermediate depths and two ends
    are compared, so a one-sided 3-sigma criterion keeps the chance of a spurious pass from
    seed noise below about 1% even after that selection (Bonferroni over 3 x 2 comparisons,
    normal approximation).

[1] Baek, Liu, Tegmark, "GenEFT" (2025), Appendix E and Figure 7.
"""

import numpy as np
import pytest

from verification.figures.registry import FIGURES
from verification.runtime.context import RunContext

QUICK_SETTINGS = FIGURES["fig7"].settings("quick")
QUICK = {k: v for k, v in QUICK_SETTINGS.items() if k != "seed"}


@pytest.fixture(scope="module")
def quick_data(results_cache):
    return FIGURES["fig7"].compute(QUICK_SETTINGS, RunContext(cache=results_cache, tier="quick"))


def test_quick_run_is_complete(quick_data):
    """Every model ran; accuracies are proper fractions and the depth-0 decoder is confused."""
    test = np.asarray(quick_data["test_acc"])
    assert test.shape == (len(QUICK["depths"]), QUICK["seeds"])
    assert np.all((test >= 0) & (test <= 1))
    # a linear read-out of [E1, E2] is a sum f(x1) + g(x2): it cannot express x1 = x2 (mod 3)
    assert quick_data["phases"][0].get("confusion", 0) == QUICK["seeds"]
