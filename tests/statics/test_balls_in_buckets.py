"""Eqs. 1-5: closed forms, limits and a Monte Carlo check of the balls-in-buckets expectation."""

import math

import numpy as np
import pytest

from effective_theory.statics import balls_in_buckets as bib


def test_eq1_matches_simulation():
    # Eq. (1) is an expectation; check it against simulation within 5 standard errors
    rng = np.random.default_rng(0)
    b, m, trials = 40, 60, 20000
    empties = np.array([b - np.unique(rng.integers(0, b, m)).size for _ in range(trials)])
    se = empties.std(ddof=1) / math.sqrt(trials)
    assert abs(empties.mean() - bib.expected_empty_buckets(m, b)) < 5 * se


def test_eq2_eq3_consistency_and_limits():
    m = np.arange(0, 500)
    f = bib.inferable_fraction(m, 100)
    assert f[0] == 0 and np.all(np.diff(f) > 0) and f[-1] < 1
    assert np.allclose(bib.expected_filled_buckets(m, 100), 100 * f)
    assert np.allclose(bib.expected_empty_buckets(m, 100) + bib.expected_filled_buckets(m, 100), 100)
    assert bib.inferable_fraction(5, 0) == 1.0  # nothing to learn


def test_eq4_inverts_eq3():
    for alpha in (0.5, 0.9, 0.99):
        for b in (2.0, 17.3, 1e3, 1e6):
            N = 900
            pc = bib.critical_train_fraction(alpha, b, N)
            assert bib.inferable_fraction(N * pc, b) == pytest.approx(alpha, rel=1e-12)


def test_eq5_bound_between_guess_and_one():
    m = np.linspace(0, 5000, 101)
    for p in (1 / 3, 1 / 5, 1 / 2):
        ub = bib.f_upper_bound(m, 80, p)
        assert np.all(ub >= max(p, 1 - p) - 1e-15) and np.all(ub <= 1 + 1e-15)
        assert ub[0] == pytest.approx(max(p, 1 - p))
        assert np.all(np.diff(ub) >= 0)


def test_p_star_values():
    assert bib.p_star("equivalence", k=5) == 1 / 5
    assert bib.p_star("mod3") == 1 / 3
    assert bib.p_star("bipartite") == 1 / 2
    assert bib.p_star("total_order") == 1 / 3


@pytest.mark.parametrize(
    "call",
    [
        lambda: bib.inferable_fraction(-1, 10),
        lambda: bib.inferable_fraction(1, 0.5),
        lambda: bib.critical_train_fraction(1.0, 10, 900),
        lambda: bib.critical_train_fraction(0.9, 10, 0),
        lambda: bib.f_upper_bound(1, 10, 1.5),
        lambda: bib.p_star("equivalence"),
        lambda: bib.p_star("tree"),
    ],
)
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()


def test_eq4_entries_of_a_graph():
    """Eq. (4)'s N: n^2 entries of a relation (directed graph), n(n+1)/2 free ones when symmetric."""
    assert bib.num_entries(30) == 900 == 30**2
    for n in range(6):
        upper = sum(1 for i in range(n) for j in range(n) if i <= j)
        assert bib.num_entries(n, directed=False) == upper
    b = 118.888
    assert bib.graph_critical_train_fraction(0.5, b, 34, directed=False) == pytest.approx(
        bib.critical_train_fraction(0.5, b, 595)
    )
    assert bib.graph_critical_train_fraction(0.9, 1.0, 10) == 0.0  # one bit: one guess, no sample needed
    assert bib.graph_critical_train_fraction(0.9, 0.0, 0) == 0.0
