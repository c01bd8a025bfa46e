"""Property tests (hypothesis) for the invariants of the repon flows: Eq. 11 and its matrix form."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import effective_theory as et

val = st.floats(min_value=-3.0, max_value=3.0).filter(lambda v: abs(v) > 1e-3)
rate = st.floats(min_value=0.05, max_value=5.0)
time = st.floats(min_value=0.0, max_value=50.0)


@settings(max_examples=60, deadline=None)
@given(val, val, rate, rate, time)
def test_closed_form_conserves_C_and_keeps_signs(a0, c0, eta_x, eta_A, t):
    a, c = et.reduced_flow_solution(a0, c0, t, eta_x, eta_A)
    C0 = et.conserved_quantity(a0, c0, eta_x, eta_A)
    scale = a0**2 / (2 * eta_A) + c0**2 / eta_x
    assert abs(et.conserved_quantity(a, c, eta_x, eta_A) - C0) <= 1e-9 * scale
    assert abs(a) <= abs(a0) * (1 + 1e-12) and abs(c) <= abs(c0) * (1 + 1e-12)  # both shrink
    assert np.sign(a) * np.sign(a0) >= 0 and np.sign(c) * np.sign(c0) >= 0
    # the end point is the predicted fixed point
    a_inf, c_inf = et.reduced_flow_solution(a0, c0, 1e9, eta_x, eta_A)
    a_star, c_star = et.fixed_point(a0, c0, eta_x, eta_A)
    if abs(C0) > 1e-3 * scale:
        assert np.isclose(a_inf, a_star, atol=1e-6) and np.isclose(c_inf, c_star, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 3), st.integers(1, 3), rate, rate, time)
def test_matrix_solution_conserves_M_rule(seed, m, d, eta_x, eta_A, t):
    rng = np.random.default_rng(seed)
    A0, r0 = rng.standard_normal((m, d)), rng.standard_normal(d)
    r = et.matrix_flow_solution(A0, r0, t, eta_x, eta_A)
    assert np.linalg.norm(r) <= np.linalg.norm(r0) * (1 + 1e-9)  # |r| never grows
    # exact collision rule implies the Eq. 11 wedge with a2 = |A0 r_hat0| (Cauchy-Schwarz)
    rhat = r0 / np.linalg.norm(r0)
    if et.matrix_flow_collides(A0, r0, eta_x, eta_A):
        assert et.collides(np.linalg.norm(A0 @ rhat), np.linalg.norm(r0), eta_x, eta_A)
    if m < d:
        assert not et.matrix_flow_collides(A0, r0, eta_x, eta_A)
