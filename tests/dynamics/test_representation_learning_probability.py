"""Numeric formula of Eqs. (12)-(13): closed-form values, invariants, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import effective_theory as et

pos = st.floats(min_value=1e-3, max_value=1e3)


def test_known_values():
    # K = 1 -> 1/2; K = sqrt(3) -> 2/3; K = 1/sqrt(3) -> 1/3
    assert et.representation_learning_probability(2.0, 1.0, 1.0, 1.0) == pytest.approx(0.5, abs=1e-15)
    assert et.representation_learning_probability(6.0, 1.0, 1.0, 1.0) == pytest.approx(2 / 3, abs=1e-15)
    assert et.representation_learning_probability(2.0, 3.0, 1.0, 1.0) == pytest.approx(1 / 3, abs=1e-15)
    # Eq. 13 with N -> large: 4/(1+1/N) -> 4, so eta_x = 4 eta_A gives 1/2 in the limit
    assert et.representation_learning_probability(4.0, 1.0, 1.0, 1.0, N=10**9) == pytest.approx(0.5, abs=1e-9)


def test_limits():
    assert et.representation_learning_probability(1.0, 0.0, 1.0, 1.0) == 1.0
    assert et.representation_learning_probability(0.0, 1.0, 1.0, 1.0) == 0.0
    assert et.representation_learning_probability(1.0, 1.0, 1.0, 0.0) == 1.0


def test_vectorised_broadcast():
    p = et.representation_learning_probability(np.array([1.0, 2.0]), 1.0, 1.0, 1.0, N=np.array([[1], [3]]))
    assert p.shape == (2, 2)
    assert isinstance(et.representation_learning_probability(1.0, 1.0, 1.0, 1.0), float)


@settings(max_examples=50, deadline=None)
@given(pos, pos, pos, pos, st.integers(1, 50), st.floats(min_value=1e-2, max_value=1e2))
def test_invariances(eta_x, eta_A, sa, sc, N, lam):
    p = et.representation_learning_probability(eta_x, eta_A, sa, sc, N=N)
    assert 0.0 <= p <= 1.0
    # depends only on eta_x/eta_A and sigma_a/sigma_c
    assert et.representation_learning_probability(lam * eta_x, lam * eta_A, sa, sc, N=N) == pytest.approx(p)
    assert et.representation_learning_probability(eta_x, eta_A, lam * sa, lam * sc, N=N) == pytest.approx(p)
    # swapping roles: p(K) + p(1/K) = 1
    k = et.critical_ratio(eta_x, eta_A, N) * sa / sc
    assert (2 / np.pi) * (np.arctan(k) + np.arctan(1 / k)) == pytest.approx(1.0)
    # more clustered repons -> harder to collide
    assert et.representation_learning_probability(eta_x, eta_A, sa, sc, N=N + 1) <= p


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(eta_x=-1.0), "eta_x"),
        (dict(eta_A=-1.0), "eta_A"),
        (dict(sigma_a=-1.0), "sigma_a"),
        (dict(sigma_c=-0.5), "sigma_c"),
        (dict(N=0), "N"),
        (dict(N=1.5), "N"),
        (dict(eta_x=float("nan")), "NaN"),
        (dict(eta_x=0.0, sigma_c=0.0), "undefined"),
    ],
)
def test_bad_parameters_raise(kwargs, match):
    args = dict(eta_x=1.0, eta_A=1.0, sigma_a=1.0, sigma_c=1.0, N=1) | kwargs
    with pytest.raises(ValueError, match=match):
        et.representation_learning_probability(**args)
