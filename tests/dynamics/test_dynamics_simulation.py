"""Theory versus simulation for the repon dynamics (Eqs. 8, 10, 12, 13 and GD on Eq. 6).

Every comparison of a collided fraction with Eq. (12)/(13) uses the binomial
Monte Carlo standard error SE = sqrt(p (1 - p) / n) at the theory value p and
the tolerance Z_TOL * SE declared here (not tuned per test).  Sample sizes are
chosen so that the check is sharp: the alternatives it must reject (the signed
wedge of the printed Eq. 12, Eq. 12 instead of Eq. 13) lie >= 8 SE away.
"""

import numpy as np
import pytest

import effective_theory as et

Z_TOL = 4.0  # two-sided false-alarm probability 6e-5 per check
N_HEADLINE = 10_000  # initial conditions for the headline Eq. 10 vs Eq. 12 comparison
N_RULES = 100_000  # exact-rule statistics of the matrix flow (no integration)
N_MATRIX = 1000  # integrated matrix flows in the default run (10^4 with --full)


def signed_wedge_probability(eta_x, eta_A, sigma_a, sigma_c):
    """The literal domain c/a < k of the printed Eq. 12: 1/2 + atan(K)/pi."""
    K = sigma_a / sigma_c * np.sqrt(eta_x / (2 * eta_A))
    return 0.5 + np.arctan(K) / np.pi


@pytest.mark.parametrize("eta_x, eta_A, sigma_a, sigma_c", [(2.0, 1.0, 1.0, 1.0), (1.0, 4.0, 1.0, 0.5)])
def test_reduced_flow_matches_eq12(eta_x, eta_A, sigma_a, sigma_c):
    res = et.simulate_reduced_flow(eta_x, eta_A, sigma_a, sigma_c, n=N_HEADLINE, seed=12)
    assert res.n_undecided == 0  # every run reached its fixed point
    assert res.extra["C_drift"] < 1e-5  # the integrator conserves Eq. 11
    assert np.array_equal(res.extra["collided"], res.extra["predicted"])  # phase rule, run by run
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr, (res.fraction, res.theory, res.stderr)
    # sharpness: the signed-domain reading of Eq. 12 is rejected
    alt = signed_wedge_probability(eta_x, eta_A, sigma_a, sigma_c)
    assert abs(res.fraction - alt) > 2 * Z_TOL * res.stderr


def test_reduced_cluster_flow_matches_eq13_not_eq12():
    res = et.simulate_reduced_flow(1.0, 1.0, 1.0, 1.0, n=N_HEADLINE, N=5, seed=13)
    assert res.n_undecided == 0
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr
    eq12 = et.representation_learning_probability(1.0, 1.0, 1.0, 1.0)
    assert abs(res.fraction - eq12) > 2 * Z_TOL * res.stderr


def test_closed_form_matches_scipy():
    from scipy.integrate import solve_ivp

    a0, c0 = et.sample_initial_conditions(20, 1.0, 1.0, seed=4)
    eta_x, eta_A = 1.5, 0.7

    def rhs(_t, z):
        a, c = z[:20], z[20:]
        return np.concatenate([-2 * eta_A * c**2 * a, -eta_x * a**2 * c])

    ts = [0.3, 1.0, 4.0]
    sol = solve_ivp(rhs, (0, 4.0), np.concatenate([a0, c0]), t_eval=ts, rtol=1e-11, atol=1e-13)
    for j, t in enumerate(ts):
        a, c = et.reduced_flow_solution(a0, c0, t, eta_x, eta_A)
        np.testing.assert_allclose(a, sol.y[:20, j], rtol=1e-7, atol=1e-10)
        np.testing.assert_allclose(c, sol.y[20:, j], rtol=1e-7, atol=1e-10)
    a7, c7 = et.reduced_flow_solution(a0, c0, 7.0, eta_x, eta_A)
    C0 = et.conserved_quantity(a0, c0, eta_x, eta_A)
    np.testing.assert_allclose(et.conserved_quantity(a7, c7, eta_x, eta_A), C0, rtol=1e-10, atol=1e-12)


def test_matrix_flow_solution_matches_scipy():
    from scipy.integrate import solve_ivp

    rng = np.random.default_rng(5)
    eta_x, eta_A = 0.8, 1.3
    for _ in range(5):
        A0, r0 = rng.standard_normal((3, 2)), rng.standard_normal(2)

        def rhs(_t, z, A0=A0):
            A, r = z[:6].reshape(3, 2), z[6:]
            return np.concatenate([(-2 * eta_A * np.outer(A @ r, r)).ravel(), -eta_x * A.T @ A @ r])

        sol = solve_ivp(rhs, (0, 3.0), np.concatenate([A0.ravel(), r0]), rtol=1e-11, atol=1e-13)
        np.testing.assert_allclose(
            et.matrix_flow_solution(A0, r0, 3.0, eta_x, eta_A), sol.y[6:, -1], rtol=1e-7, atol=1e-10
        )
        AT, rT = sol.y[:6, -1].reshape(3, 2), sol.y[6:, -1]
        M0 = et.conserved_matrix(A0, r0, eta_x, eta_A)
        np.testing.assert_allclose(et.conserved_matrix(AT, rT, eta_x, eta_A), M0, atol=1e-8)


@pytest.mark.parametrize("n", [N_MATRIX, pytest.param(10_000, marks=pytest.mark.slow)])
def test_matrix_flow_in_ansatz_regime_matches_eq12(n):
    res = et.simulate_matrix_flow(2.0, 1.0, 1.0, 1.0, n=n, m=2, d=2, seed=21)
    assert res.extra["closed_form_error"] < 1e-5
    assert res.extra["M_drift"] < 1e-6
    # in the ansatz regime the exact rule (M_0 > 0) is the Eq. 11 rule; every decided run obeys it
    assert res.extra["agree_exact"] >= 1 - res.n_undecided / n
    assert res.extra["exact_fraction"] == res.extra["naive_fraction"]
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr


def test_matrix_rules_in_ansatz_regime_match_eq12():
    out = et.matrix_collision_rules(2.0, 1.0, 1.0, 1.0, n=N_RULES, m=3, d=3, seed=22)
    assert out["agree"] == 1.0
    assert abs(out["exact"] - out["eq12"]) <= Z_TOL * out["stderr"]


@pytest.mark.parametrize("init, perturbation", [("ansatz", 0.3), ("iid", 0.0)])
def test_matrix_flow_outside_ansatz_follows_conserved_matrix(init, perturbation):
    res = et.simulate_matrix_flow(
        2.0, 1.0, 1.0, 1.0, n=500, m=2, d=2, init=init, perturbation=perturbation, seed=23
    )
    assert res.extra["agree_exact"] >= 1 - res.n_undecided / res.n
    assert res.extra["agree_naive"] < res.extra["agree_exact"]  # the Eq. 11 rule misclassifies here
    out = et.matrix_collision_rules(
        2.0, 1.0, 1.0, 1.0, n=N_RULES, m=2, d=2, init=init, perturbation=perturbation, seed=24
    )
    # exact collision implies the naive wedge (Cauchy-Schwarz): the Eq. 11 rule over-predicts
    assert out["exact"] <= out["naive"]
    assert out["exact"] < out["eq12"] - Z_TOL * out["stderr"]


def test_gradient_descent_converges_to_flow():
    agree = {}
    for step in (0.2, 0.1, 0.05):
        res = et.simulate_pair_gradient_descent(2.0, 1.0, 1.0, 1.0, n=N_HEADLINE, step=step, seed=31)
        agree[step] = res.extra["agree_C"]
    assert agree[0.05] >= agree[0.1] >= agree[0.2]
    assert agree[0.05] >= 0.999
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr


@pytest.mark.xfail(
    strict=True,
    reason=(
        "discrete GD with eta_x*step = 1 (step 0.5, eta_x = 2, eta_A = 1, sigma = 1): collided fraction "
        "0.4364 vs Eq. 12 0.5 (n = 10^4, seed 31, z = -12.7); 1375 runs diverge"
    ),
)
def test_large_step_gradient_descent_matches_eq12():
    res = et.simulate_pair_gradient_descent(2.0, 1.0, 1.0, 1.0, n=N_HEADLINE, step=0.5, seed=31)
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr


@pytest.mark.xfail(
    strict=True,
    reason=(
        "Appendix C's b(0) = 0 with target y = 1 (eta_x = 2, eta_A = 1, sigma = 1): GD step 0.05 gives "
        "0.5679 vs Eq. 12 0.5 (n = 10^4, seed 31, z = +13.6); the term -2 eta_A e s^T dropped by Eq. 8 "
        "matters"
    ),
)
def test_paper_initialisation_b0_zero_matches_eq12():
    res = et.simulate_pair_gradient_descent(2.0, 1.0, 1.0, 1.0, n=N_HEADLINE, step=0.05, y=1.0, seed=31)
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr


def test_on_invariant_manifold_dropped_term_vanishes():
    res = et.simulate_pair_gradient_descent(2.0, 1.0, 1.0, 1.0, n=2000, step=0.05, y=0.0, seed=32)
    assert res.extra["max_centroid"] == 0.0  # measured at every step (y = 0 included)
    assert res.extra["max_dropped_ratio"] == 0.0
    # the same measurement off the manifold (Appendix C's b(0) = 0, y = 1) sees the centroid move,
    # so the assertion above can fail
    off = et.simulate_pair_gradient_descent(2.0, 1.0, 1.0, 1.0, n=2000, step=0.05, y=1.0, seed=32)
    assert off.extra["max_centroid"] > 0.1 and off.extra["max_dropped_ratio"] > 1.0


@pytest.mark.parametrize(
    "m, d, n", [(1, 1, 400), (2, 2, 400), pytest.param(2, 2, 2000, marks=pytest.mark.slow)]
)
def test_full_loss_collides_at_least_as_often_as_M0_positive(m, d, n):
    """Lower bound P(collision) >= P(M0 > 0) for the whole loss Eq. 6 from s(0) = 0, b(0) = 0, y = 1."""
    res = et.simulate_full_pair_flow(2.0, 1.0, 1.0, 1.0, n=n, m=m, d=d, y=1.0, seed=51)
    assert res.extra["M_full_drift"] < 1e-5  # M_full is conserved along the integrated flow
    assert res.extra["bound_violations"] == 0  # run by run: M0 > 0 implies a collision
    assert res.fraction >= res.extra["exact_fraction"] - res.extra["undecided_bound_runs"] / n
    assert res.fraction >= res.theory - Z_TOL * res.stderr  # and against the derived F-family value
    assert res.extra["final_centroid_median"] > 0.1  # the centroid did move: Eq. 8 alone does not apply


def test_matrix_flow_iid_initialisation_matches_f_family():
    """The integrated Eq. 8 from i.i.d. Gaussian init collides with the derived probability 1 - 2^-1/2."""
    res = et.simulate_matrix_flow(2.0, 1.0, 1.0, 1.0, n=1000, m=2, d=2, init="iid", seed=25)
    theory = et.matrix_collision_probability(2.0, 1.0, 1.0, 1.0, 2, 2)
    se = np.sqrt(theory * (1 - theory) / res.n)
    assert abs(res.fraction - theory) <= Z_TOL * se + res.n_undecided / res.n


@pytest.mark.slow
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_continuous_pair_flow(y):
    res = et.simulate_pair_flow(2.0, 1.0, 1.0, 1.0, n=10_000, y=y, seed=33)
    if y == 0.0:
        assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr
    else:
        assert res.fraction - res.theory > Z_TOL * res.stderr  # the b(0) = 0 excess collisions


@pytest.mark.parametrize("N, n", [(5, 2000), pytest.param(10, 10_000, marks=pytest.mark.slow)])
def test_explicit_cluster_matches_eq13(N, n):
    res = et.simulate_cluster_flow(1.0, 1.0, 1.0, 1.0, N, n=n, seed=41)
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr
    assert abs(res.fraction - res.extra["eq12"]) > Z_TOL * res.stderr


def test_reproducible():
    a = et.simulate_reduced_flow(1.0, 1.0, 1.0, 1.0, n=300, seed=7)
    b = et.simulate_reduced_flow(1.0, 1.0, 1.0, 1.0, n=300, seed=7)
    assert a.fraction == b.fraction and np.array_equal(a.extra["collided"], b.extra["collided"])


@pytest.mark.parametrize(
    "fn, kwargs",
    [
        (et.simulate_reduced_flow, dict(eta_x=-1.0)),
        (et.simulate_reduced_flow, dict(sigma_a=0.0)),
        (et.simulate_reduced_flow, dict(N=0)),
        (et.simulate_reduced_flow, dict(n=0)),
        (et.simulate_matrix_flow, dict(perturbation=-1.0)),
        (et.simulate_matrix_flow, dict(init="bogus")),
        (et.simulate_pair_gradient_descent, dict(step=-0.1)),
        (et.simulate_cluster_flow, dict(N=0)),
        (et.matrix_collision_rules, dict(m=0)),
    ],
)
def test_bad_parameters(fn, kwargs):
    args = dict(eta_x=1.0, eta_A=1.0, sigma_a=1.0, sigma_c=1.0, n=10)
    if fn is et.simulate_cluster_flow:
        args["N"] = 2
    with pytest.raises(ValueError):
        fn(**(args | kwargs))


def test_numeric_helpers_bad_rates():
    with pytest.raises(ValueError, match="eta_A"):
        et.conserved_quantity(1.0, 1.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="eta_x"):
        et.reduced_flow_solution(1.0, 1.0, 1.0, 0.0, 1.0)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "full matrix flow Eq. 8 (m = d = 2) from i.i.d. Gaussian A0 (sigma_a = 1) and r0 (sigma_c = 1), "
        "eta_x = 2, eta_A = 1: integrated n = 1000 (seed 25) collide 0.301 (z = -12.6), exact rule M0 > 0 on "
        "n = 10^5 gives 0.2935 vs Eq. 12 0.5; Eq. 11 applied to (|A0 r_hat0|, |r0|) gives 0.4994 but "
        "misclassifies 20.6% of runs. Not a failure of the theory: the derived F-family probability "
        "1 - 2^-1/2 = 0.2929 (matrix_collision_probability) holds: "
        "test_matrix_flow_iid_initialisation_matches_f_family"
    ),
)
def test_matrix_flow_iid_initialisation_matches_eq12():
    res = et.simulate_matrix_flow(2.0, 1.0, 1.0, 1.0, n=1000, m=2, d=2, init="iid", seed=25)
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason=(
        "one repon against N = 5 others whose positions are jittered by 0.3 sigma_c (eta_x = eta_A, "
        "sigma = 1): "
        "0.2255 collide vs Eq. 13 0.3190 (n = 2000, seed 42, z = -9.0); Eq. 13 needs an exactly clustered N"
    ),
)
def test_spread_cluster_matches_eq13():
    res = et.simulate_cluster_flow(1.0, 1.0, 1.0, 1.0, 5, n=2000, spread=0.3, seed=42)
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr


def test_cluster_gradient_descent_matches_eq13():
    res = et.simulate_cluster_flow(1.0, 1.0, 1.0, 1.0, 3, n=N_HEADLINE, step=0.1, seed=43)
    assert abs(res.fraction - res.theory) <= Z_TOL * res.stderr
    assert abs(res.fraction - res.extra["eq12"]) > 2 * Z_TOL * res.stderr
