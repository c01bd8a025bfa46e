"""The collapse test of Figure 6: cells on one curve of a measured K, within a declared margin."""

import math

import numpy as np
import pytest
from scipy import optimize

from verification.statistics.collapse import (
    _objective,
    arctan_curve,
    collapse_deviations,
    collapse_verdict,
    fit_arctan_curve,
)

K = np.array([0.1, 0.3, 1.0, 3.0, 10.0])


def test_arctan_curve_is_eq12_at_a0_b1():
    assert arctan_curve(1.0, 0.0, 1.0) == pytest.approx(0.5)  # (2/pi) arctan 1
    assert np.allclose(arctan_curve(K, 0.0, 1.0), 2 / math.pi * np.arctan(K))
    # the scale multiplies K, the exponent powers it
    assert arctan_curve(2.0, math.log(3.0), 2.0) == pytest.approx(2 / math.pi * math.atan(12.0))


@pytest.mark.parametrize("sl", [slice(0, 5), slice(1, 4)])
def test_fit_is_the_penalised_maximum_likelihood(sl):
    """Fisher scoring reaches the optimum a derivative-free search finds."""
    k = np.array([1.0, 3.0, 7.0, 8.0, 10.0])[sl]
    n = np.full(len(k), 10.0)
    a, b = fit_arctan_curve(K[sl], k, n)
    ref = optimize.minimize(
        lambda t: _objective(t[None], np.log(K[sl]), k[None], n)[0],
        [0.0, 1.0],
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 20_000},
    )
    assert (a, b) == pytest.approx(tuple(ref.x), abs=1e-5)


def test_separated_cells_give_a_finite_fit():
    a, b = fit_arctan_curve(K, [0, 0, 0, 10, 10], [10] * 5)
    assert math.isfinite(a) and math.isfinite(b) and b > 1


def test_cells_on_one_curve_hold():
    """Two groups drawn from the same curve at large n: every deviation ~ 0, the row holds."""
    Ks = np.concatenate([K, K * 1.5])
    n = np.full(10, 4000)
    k = np.round(n * arctan_curve(Ks, 0.3, 0.8))
    groups = [0] * 5 + [1] * 5
    devs = collapse_deviations(Ks, k, n, groups, draws=500, seed=1)
    assert max(abs(d.value) for d in devs) < 0.01
    v = collapse_verdict("one curve", Ks, k, n, groups, margin=0.1, labels=[str(i) for i in range(10)])
    assert v.verdict == "holds"
    assert v.critical_margin.holds_at_or_above < 0.1


def test_shifted_curves_fail():
    """The second group's curve is the first's at 100 x K: off the curve by far more than 0.2."""
    n = np.full(10, 200)
    k = np.concatenate(
        [np.round(n[:5] * arctan_curve(K, 0, 1)), np.round(n[5:] * arctan_curve(K * 100, 0, 1))]
    )
    v = collapse_verdict(
        "one curve", np.concatenate([K, K]), k, n, [0] * 5 + [1] * 5, margin=0.2, labels=list("abcdefghij")
    )
    assert v.verdict == "fails"


def test_same_seed_same_numbers_and_errors():
    args = (K, [1, 3, 5, 7, 9], [10] * 5, [0, 0, 1, 1, 1])
    a = [d.interval(0.9) for d in collapse_deviations(*args, draws=300, seed=4)]
    b = [d.interval(0.9) for d in collapse_deviations(*args, draws=300, seed=4)]
    assert a == b
    with pytest.raises(ValueError, match="two groups"):
        collapse_deviations(K, [1] * 5, [10] * 5, [0] * 5)
    with pytest.raises(ValueError, match="K must be finite"):
        collapse_deviations([0.1, -1, 1, 2, 3], [1] * 5, [10] * 5, [0, 0, 1, 1, 1])
    with pytest.raises(ValueError, match="0 <= k <= n"):
        collapse_deviations(K, [11, 1, 1, 1, 1], [10] * 5, [0, 0, 1, 1, 1])
