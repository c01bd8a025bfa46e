"""Probability of generalizable representation learning, Eqs. (12)-(13) of [1]_.

Two same-class repons with decoder amplitude :math:`a_2` and half separation
:math:`c` collide (the representation generalizes) exactly when the conserved
quantity of Eq. (11) is positive, i.e. inside the wedge
:math:`|c|/|a_2| < \\sqrt{\\eta_x/(2\\eta_A)}`.  For independent Gaussian
initial conditions :math:`a_2 \\sim N(0, \\sigma_a^2)`, :math:`c \\sim N(0,
\\sigma_c^2)` the probability of the wedge is the arctan formula of Eq. (12);
Eq. (13) is its generalization to one repon facing a cluster of ``N`` others.

This module holds the plain numeric formula; the symbolic derivation (the
Gaussian integral over the wedge, and the multi-repon equations of motion) is
in :func:`derive_wedge_probability` and
:func:`~effective_theory.dynamics.multi_repon_flow.derive_multi_repon_flow`.

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics
   of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import functools

import numpy as np

__all__ = ["representation_learning_probability", "critical_ratio", "derive_wedge_probability"]


def _check_nonnegative(name, value):
    arr = np.asarray(value, dtype=float)
    if np.isnan(arr).any():
        raise ValueError(f"{name} must not be NaN")
    if (arr < 0).any():
        raise ValueError(f"{name} must be non-negative, got {value!r}")
    return arr


def _check_N(N):
    arr = np.asarray(N, dtype=float)
    if np.isnan(arr).any() or (arr < 1).any():
        raise ValueError(f"N (number of clustered repons) must be >= 1, got {N!r}")
    if np.isinf(arr).any() or (arr != np.round(arr)).any():
        raise ValueError(f"N (number of clustered repons) must be a finite integer, got {N!r}")
    return arr


def critical_ratio(eta_x, eta_A, N=1):
    """Slope of the collision wedge, :math:`k_N = \\sqrt{\\eta_x (1 + 1/N) / (4 \\eta_A)}`.

    Repons collide iff :math:`|c| < k_N |a_2|` (Eq. (11) for ``N = 1``,
    where :math:`k_1 = \\sqrt{\\eta_x / (2\\eta_A)}`).

    Examples
    --------
    >>> bool(np.isclose(critical_ratio(2.0, 1.0), 1.0))
    True
    """
    eta_x = _check_nonnegative("eta_x", eta_x)
    eta_A = _check_nonnegative("eta_A", eta_A)
    N = _check_N(N)
    with np.errstate(divide="ignore"):
        out = np.sqrt(eta_x * (1.0 + 1.0 / N) / (4.0 * eta_A))
    return out[()] if out.ndim == 0 else out


def representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c, N=1):
    """Probability that Gaussian-initialized repons collide, Eqs. (12)-(13) of [1]_.

    .. math::

        p_r = \\frac{2}{\\pi}\\arctan\\left(\\frac{\\sigma_a}{\\sigma_c}
              \\sqrt{\\frac{\\eta_x}{\\frac{4}{1 + 1/N}\\,\\eta_A}}\\right),

    which for ``N = 1`` is Eq. (12),
    :math:`p_r = \\frac{2}{\\pi}\\arctan(\\frac{\\sigma_a}{\\sigma_c}\\sqrt{\\eta_x/(2\\eta_A)})`.

    Parameters
    ----------
    eta_x : float or array_like
        Encoder (repon) learning rate :math:`\\eta_x \\ge 0`.
    eta_A : float or array_like
        Decoder learning rate :math:`\\eta_A \\ge 0`.
    sigma_a : float or array_like
        Width of the Gaussian initial decoder amplitude :math:`a_2^{(0)}`.
    sigma_c : float or array_like
        Width of the Gaussian initial half separation :math:`c^{(0)}`
        (for ``N > 1``: half the distance between the lone repon and the
        cluster).
    N : int or array_like of int, default 1
        Number of repons clustered at one point (Eq. (13)); ``N >= 1``.

    Returns
    -------
    float or ndarray
        :math:`p_r \\in [0, 1]`, broadcast over the inputs.

    Raises
    ------
    ValueError
        For negative or NaN rates or widths, ``N < 1`` or non-integer ``N``,
        or when the ratio is undefined (``0/0``: both numerator and
        denominator of the arctan argument vanish).

    Notes
    -----
    The formula is the exact probability of the wedge
    :math:`|c|/|a_2| < k_N` for the reduced flow of Eq. (10); for the
    neural network it is an upper bound (Theorem 3 of [1]_).  It depends on
    the learning rates only through :math:`\\eta_x/\\eta_A` and on the widths
    only through :math:`\\sigma_a/\\sigma_c`.

    Examples
    --------
    Equal widths and :math:`\\eta_x = 2\\eta_A` put the wedge on the diagonal,
    so half of the initializations collide:

    >>> float(representation_learning_probability(2.0, 1.0, 1.0, 1.0))
    0.5

    Eq. (13) reduces to Eq. (12) at ``N = 1`` and decreases with ``N``:

    >>> p = representation_learning_probability(1.0, 1.0, 1.0, 1.0, N=[1, 2, 10])
    >>> bool(p[0] > p[1] > p[2])
    True
    """
    eta_x = _check_nonnegative("eta_x", eta_x)
    eta_A = _check_nonnegative("eta_A", eta_A)
    sigma_a = _check_nonnegative("sigma_a", sigma_a)
    sigma_c = _check_nonnegative("sigma_c", sigma_c)
    N = _check_N(N)
    # arctan(y/x) written as arctan2 so that eta_A = 0 or sigma_c = 0 give p = 1 without warnings
    num = sigma_a * np.sqrt(eta_x * (1.0 + 1.0 / N))
    den = sigma_c * np.sqrt(4.0 * eta_A)
    num, den = np.broadcast_arrays(num, den)
    if ((num == 0) & (den == 0)).any():
        raise ValueError(
            "representation_learning_probability is undefined when both sigma_a*sqrt(eta_x) and "
            "sigma_c*sqrt(eta_A) vanish (0/0)"
        )
    out = (2.0 / np.pi) * np.arctan2(num, den)
    return out[()] if out.ndim == 0 else out


@functools.cache
def derive_wedge_probability():
    """Derive Eq. (12) of [1]_ by integrating the Gaussian over the collision wedge with sympy.

    The wedge is :math:`C > 0`, i.e. :math:`|c|/|a_2| < k` with
    :math:`k = \\sqrt{\\eta_x/(2\\eta_A)}` (see :func:`derive_conserved_quantity`).
    In standardized variables :math:`u = a_2/\\sigma_a, v = c/\\sigma_c` it is
    :math:`|v| < K|u|` with :math:`K = k\\sigma_a/\\sigma_c`; the polar integral gives
    :math:`4\\arctan K/(2\\pi) = (2/\\pi)\\arctan K`, confirmed by an independent
    Cartesian integral :math:`2\\int_0^\\infty \\varphi(u)\\,\\mathrm{erf}(Ku/\\sqrt2)\\,du`.

    Two conventions of the printed Eq. (12) are checked: the density needs
    :math:`\\sigma_x \\to \\sigma_c` to be normalised, and the domain must be
    :math:`|c|/|a| < k`; the literal signed domain :math:`c/a < k` has probability
    :math:`1/2 + \\arctan(K)/\\pi` instead (step ``"signed domain"``, not exact).

    Returns
    -------
    Derivation
        Steps ``"normalisation"``, ``"standardise"``, ``"inner integral"``, ``"polar"``,
        ``"cartesian"``, ``"signed domain"``, ``"Eq. 12"``.

    Examples
    --------
    >>> D = derive_wedge_probability()
    >>> D["polar"].holds and D["cartesian"].holds and not D["signed domain"].holds
    True
    """
    # imported here: sympy takes 0.22 s to import (measured), which the numeric formulas of this
    # module do not need; only the derivation does
    import sympy as sp

    from effective_theory.dynamics.derivation_steps import Derivation, DerivationStep

    a, c, u, v = sp.symbols("a c u v", real=True)
    rho, theta = sp.symbols("rho theta", nonnegative=True)
    sigma_a, sigma_c, eta_x, eta_A, K, k = sp.symbols("sigma_a sigma_c eta_x eta_A K k", positive=True)
    density = sp.exp(-((a / sigma_a) ** 2 + (c / sigma_c) ** 2) / 2) / (2 * sp.pi * sigma_a * sigma_c)
    phi = sp.exp(-(u**2) / 2) / sp.sqrt(2 * sp.pi)
    steps = [
        DerivationStep(
            "normalisation",
            "the Gaussian density (Eq. 12's 1/(2 pi sigma_a sigma_x) with sigma_x read as sigma_c) "
            "integrates to 1",
            sp.Integral(density, (a, -sp.oo, sp.oo), (c, -sp.oo, sp.oo)),
            sp.Integer(1),
        )
    ]
    steps.append(
        DerivationStep(
            "standardise",
            "with a = sigma_a u, c = sigma_c v: (c/a)^2/k^2 = (v/u)^2/K^2, K = k sigma_a/sigma_c",
            sp.Subs((c / a) ** 2 / k**2, (c, a), (sigma_c * v, sigma_a * u)),
            (v / u) ** 2 / K**2,
            where=((K, k * sigma_a / sigma_c),),
        )
    )
    u_pos = sp.Symbol("u0", positive=True)
    steps.append(
        DerivationStep(
            "inner integral",
            "P(|v| < K u | u) = erf(K u / sqrt 2) for u > 0",
            sp.Integral(phi.subs(u, v), (v, -K * u_pos, K * u_pos)),
            sp.erf(K * u_pos / sp.sqrt(2)),
        )
    )
    # polar: radial integral times the angular measure of the wedge (4 copies of [0, atan K))
    radial = rho * sp.exp(-(rho**2) / 2) / (2 * sp.pi)
    polar = 4 * sp.Integral(radial, (rho, 0, sp.oo), (theta, 0, sp.atan(K)))
    steps.append(
        DerivationStep(
            "polar",
            "polar coordinates: |v| < K|u| is 4 sectors of opening atan K; p = 4 atan(K)/(2 pi)",
            polar,
            2 * sp.atan(K) / sp.pi,
        )
    )
    u0 = sp.Symbol("u0", positive=True)
    cart = 2 * sp.Integral(phi.subs(u, u0) * sp.erf(K * u0 / sp.sqrt(2)), (u0, 0, sp.oo))
    steps.append(
        DerivationStep(
            "cartesian",
            "independent check: 2 * int_0^oo phi(u) erf(K u/sqrt 2) du = (2/pi) atan K",
            cart,
            2 * sp.atan(K) / sp.pi,
        )
    )
    Phi = (1 + sp.erf(K * u0 / sp.sqrt(2))) / 2
    signed = 2 * sp.Integral(phi.subs(u, u0) * Phi, (u0, 0, sp.oo))
    steps.append(
        DerivationStep(
            "signed domain",
            "the literal domain c/a < k of Eq. 12 (no absolute values) has probability "
            "1/2 + atan(K)/pi, not (2/pi) atan K",
            signed,
            2 * sp.atan(K) / sp.pi,
            expect_exact=False,
        )
    )
    steps.append(
        DerivationStep(
            "Eq. 12",
            "K = (sigma_a/sigma_c) sqrt(eta_x/(2 eta_A)) gives Eq. 12",
            sp.Subs(2 * sp.atan(K) / sp.pi, K, sigma_a / sigma_c * sp.sqrt(eta_x / (2 * eta_A))),
            2 / sp.pi * sp.atan(sigma_a / sigma_c * sp.sqrt(eta_x / (2 * eta_A))),
        )
    )
    return Derivation(
        title="Eq. 12: Gaussian probability of the collision wedge",
        steps=tuple(steps),
        symbols=dict(K=K, k=k, sigma_a=sigma_a, sigma_c=sigma_c, eta_x=eta_x, eta_A=eta_A),
    )
