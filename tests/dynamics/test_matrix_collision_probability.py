"""The collision probability of the full matrix flow Eq. 8 from i.i.d. Gaussian A0, r0 (F distribution).

Theory versus Monte Carlo uses the binomial SE at the theory value and Z_TOL = 4 SE, declared here
(two-sided false-alarm probability 6e-5 per check); the exact collision rule M0 > 0 is the outcome
of Eq. 8 run by run (tests/dynamics/test_dynamics_simulation.py checks that by integration).
"""

import numpy as np
import pytest
import sympy as sp
from scipy import stats

import effective_theory as et

Z_TOL = 4.0
N_RULES = 100_000  # exact-rule samples per (m, d): SE <= 0.0016
# (m, d): square, tall, and m < d; K values 1 (eta_x = 2 eta_A) and 1/2, 2 (eta_x = eta_A/2, 8 eta_A)
SHAPES = [(1, 1), (2, 2), (3, 3), (2, 1), (3, 2), (4, 2), (5, 3)]
K_RATES = {0.5: 0.5, 1.0: 2.0, 2.0: 8.0}  # K -> eta_x at eta_A = sigma_a = sigma_c = 1


@pytest.mark.parametrize("m, d", SHAPES)
@pytest.mark.parametrize("K", sorted(K_RATES))
def test_monte_carlo_matches_f_family(m, d, K):
    res = et.matrix_collision_check(K_RATES[K], 1.0, 1.0, 1.0, n=N_RULES, m=m, d=d, seed=100 * m + d)
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr, (m, d, K, res.fraction, res.theory)


def test_monte_carlo_sharp_against_eq12():
    # m = d = 2 at K = 1: the F-family (0.2929) is > 100 SE from Eq. 12 (0.5), so the check above is sharp
    res = et.matrix_collision_check(2.0, 1.0, 1.0, 1.0, n=N_RULES, m=2, d=2, seed=7)
    assert res.extra["eq12_z"] < -100 and abs(res.z) <= Z_TOL


def test_m_less_than_d_never_collides():
    assert et.matrix_collision_probability(2.0, 1.0, 1.0, 1.0, 1, 3) == 0.0
    assert et.matrix_collision_check(2.0, 1.0, 1.0, 1.0, n=1000, m=1, d=3, seed=0).fraction == 0.0


def test_independent_engine_scipy_f_distribution():
    rng = np.random.default_rng(0)
    for m, d in SHAPES:
        ex, eA, sa, sc = rng.uniform(0.2, 5.0, size=4)
        K = sa / sc * np.sqrt(ex / (2 * eA))
        nu = m - d + 1
        expected = stats.f.cdf(K**2 * nu / d, d, nu)
        assert et.matrix_collision_probability(ex, eA, sa, sc, m, d) == pytest.approx(expected, rel=1e-10)


def test_closed_forms_and_eq12_special_case():
    K = np.linspace(0.05, 6.0, 40)
    ex = 2 * K**2  # eta_A = sigma = 1 gives K
    p11 = et.matrix_collision_probability(ex, 1.0, 1.0, 1.0, 1, 1)
    np.testing.assert_allclose(p11, et.representation_learning_probability(ex, 1.0, 1.0, 1.0), rtol=1e-12)
    np.testing.assert_allclose(
        et.matrix_collision_probability(ex, 1.0, 1.0, 1.0, 2, 2), 1 - 1 / np.sqrt(1 + K**2), rtol=1e-12
    )
    np.testing.assert_allclose(
        et.matrix_collision_probability(ex, 1.0, 1.0, 1.0, 3, 3),
        2 / np.pi * (np.arctan(K) - K / (1 + K**2)),
        rtol=1e-10,
    )


@pytest.mark.parametrize("d, m", [(1, 1), (2, 2), (1, 2), (2, 3), pytest.param(3, 3, marks=pytest.mark.slow)])
def test_derivation_exact(d, m):
    D = et.derive_matrix_collision_probability(d, m)
    assert all(s.holds for s in D.steps), [s.label for s in D.steps if not s.holds]
    K = D.symbols["K"]
    # the m = d = 1 member is Eq. 12's arctan
    assert sp.simplify(D["m = d = 1 is Eq. 12"].rhs - 2 * sp.atan(K) / sp.pi) == 0
    with pytest.raises(ValueError):
        et.derive_matrix_collision_probability(3, 2)


def test_eq12_upper_bound_where_theory_says():
    K = np.exp(np.linspace(np.log(0.02), np.log(50.0), 200))
    eq12 = 2 / np.pi * np.arctan(K)
    for m, d in SHAPES + [(6, 2), (7, 4), (10, 1)]:
        P = et.matrix_collision_probability(2 * K**2, 1.0, 1.0, 1.0, m, d)
        # the Cauchy-Schwarz bound always holds
        assert (P <= et.wedge_bound_probability(2 * K**2, 1.0, 1.0, 1.0, m, d) + 1e-12).all()
        Ks = et.eq12_bound_crossover(m, d)
        holds = P <= eq12 + 1e-12
        if m == d:
            assert Ks == np.inf and holds.all()  # Theorem 3's bound holds for every square decoder
        elif d == 1:
            assert Ks == 0.0 and not holds.any()  # exceeded at every K
        else:  # one sign change, at K*
            assert np.array_equal(holds, K <= Ks * (1 + 1e-9)), (m, d, Ks)
    assert et.eq12_bound_crossover(3, 2) == pytest.approx(1.0, abs=1e-9)


def test_vs_eq12_record():
    r = et.matrix_collision_vs_eq12(2.0, 1.0, 1.0, 1.0, 2, 2)
    assert r.K == pytest.approx(1.0) and r.eq12 == pytest.approx(0.5)
    assert r.general == pytest.approx(1 - 2**-0.5) and r.eq12_is_upper_bound
    assert et.matrix_collision_vs_eq12(2.0, 1.0, 1.0, 1.0, 1, 1).eq12_is_upper_bound  # equality
    assert not et.matrix_collision_vs_eq12(8.0, 1.0, 1.0, 1.0, 3, 2).eq12_is_upper_bound  # K = 2 > K* = 1


@pytest.mark.parametrize(
    "kwargs", [dict(eta_x=-1.0), dict(sigma_c=0.0), dict(m=0), dict(d=1.5), dict(eta_A=float("nan"))]
)
def test_bad_input(kwargs):
    args = dict(eta_x=1.0, eta_A=1.0, sigma_a=1.0, sigma_c=1.0, m=2, d=2) | kwargs
    with pytest.raises(ValueError):
        et.matrix_collision_probability(**args)
