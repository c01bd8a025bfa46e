"""Collision probability of the full matrix flow Eq. (8) of [1]_ from i.i.d. Gaussian initial conditions.

Along Eq. (8) the matrix :math:`M = A^TA/(2\\eta_A) - rr^T/\\eta_x` is conserved and the repons
collide iff :math:`M_0 \\succ 0` (:func:`~effective_theory.dynamics.conservation.derive_conserved_matrix`).
For :math:`A_0 \\in \\mathbb{R}^{m\\times d}` with i.i.d. :math:`N(0, \\sigma_a^2)` entries and
:math:`r_0` with i.i.d. :math:`N(0, \\sigma_c^2)` entries this probability is

.. math::

    P = P\\big(r_0^T (A_0^TA_0)^{-1} r_0 < \\tfrac{\\eta_x}{2\\eta_A}\\big)
      = P\\Big(\\frac{\\chi^2_d}{\\chi^2_{m-d+1}} < K^2\\Big)
      = F_{d,\\,m-d+1}\\Big(K^2\\,\\frac{m-d+1}{d}\\Big)
      = I_{K^2/(1+K^2)}\\big(\\tfrac d2, \\tfrac{m-d+1}{2}\\big),
    \\qquad K = \\frac{\\sigma_a}{\\sigma_c}\\sqrt{\\frac{\\eta_x}{2\\eta_A}},

(:math:`F_{d_1,d_2}` the CDF of Fisher's F distribution, :math:`I_x(a, b)` the regularised
incomplete beta function), and :math:`P = 0` for :math:`m < d`.  :math:`K` is the argument of
the arctan of Eq. (12).  The derivation (:func:`derive_matrix_collision_probability`):

1. *rank-one criterion*: :math:`W = A_0^TA_0 \\succ 0` a.s. for :math:`m \\ge d`, and
   :math:`W/(2\\eta_A) - r_0r_0^T/\\eta_x` has at most one non-positive eigenvalue (a rank-one
   perturbation), so it is positive definite iff its determinant
   :math:`\\det(W/2\\eta_A)(1 - \\tfrac{2\\eta_A}{\\eta_x} r_0^TW^{-1}r_0)` is positive;
2. *rotation invariance*: :math:`A_0Q` has the law of :math:`A_0` for orthogonal :math:`Q`, so
   with :math:`Q^Tr_0 = |r_0|e_d`, :math:`r_0^TW^{-1}r_0 = |r_0|^2/\\rho` with
   :math:`\\rho = 1/(W^{-1})_{dd}` independent of :math:`r_0`;
3. *Schur complement*: :math:`\\rho` is the squared residual of the last column of :math:`A_0`
   regressed on the other :math:`d-1`, a Gaussian vector projected on an
   :math:`(m-d+1)`-dimensional complement: :math:`\\rho/\\sigma_a^2 \\sim \\chi^2_{m-d+1}`, while
   :math:`|r_0|^2/\\sigma_c^2 \\sim \\chi^2_d` (this is Hotelling's :math:`T^2` [2]_);
4. *ratio of chi-squares*: the density of :math:`X = \\chi^2_d/\\chi^2_\\nu` is
   :math:`x^{d/2-1}(1+x)^{-(d+\\nu)/2}/B(d/2, \\nu/2)`; :math:`x = t/(1-t)` turns
   :math:`P(X < K^2)` into the incomplete beta function above.

For :math:`m = d = 1` the result is :math:`\\tfrac2\\pi\\arctan K`, Eq. (12) itself; for
:math:`m = d = 2`, :math:`1 - (1 + K^2)^{-1/2}`; for :math:`m = d = 3`,
:math:`\\tfrac2\\pi(\\arctan K - K/(1+K^2))`.

*Eq. (12) as an upper bound* (Theorem 3 of [1]_).  Two bounds hold:

* Cauchy-Schwarz, :math:`|r|^4 \\le (r^TWr)(r^TW^{-1}r)`: a collision implies the Eq. (11)
  wedge for :math:`a_2 = |A_0\\hat r_0|`, :math:`c = |r_0|`, so
  :math:`P \\le P(\\chi^2_d/\\chi^2_m < K^2)` (:func:`wedge_bound_probability`; for i.i.d.
  :math:`A_0`, :math:`a_2^2/\\sigma_a^2 \\sim \\chi^2_m`, not the :math:`\\chi^2_1` of Eq. (12));
* :math:`|r_0|^2 \\ge r_{0,1}^2`: :math:`P \\le P(\\chi^2_1/\\chi^2_{m-d+1} < K^2)`, which is
  Eq. (12) when :math:`m = d`.

So Eq. (12) bounds :math:`P` for every :math:`K` when :math:`m = d` (and trivially when
:math:`m < d`); for :math:`d = 1 < m` it is exceeded at every :math:`K > 0`; for
:math:`2 \\le d < m` it holds for :math:`K` below a crossover :math:`K^*(m, d)`
(:func:`eq12_bound_crossover`) and fails above it, since :math:`P \\sim K^d` at small and
:math:`1 - P \\sim K^{-(m-d+1)}` at large :math:`K`, against :math:`\\tfrac{2}{\\pi}K` and
:math:`\\tfrac{2}{\\pi K}`.

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics
   of Model Generalization via Physics-Inspired Effective Theory" (2025).
.. [2] T. W. Anderson, *An Introduction to Multivariate Statistical Analysis*, 3rd ed.,
   Wiley (2003), Sec. 5.2 (Hotelling's :math:`T^2`) and Sec. 7.2 (Bartlett decomposition).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from effective_theory.dynamics.collision_probability import representation_learning_probability

__all__ = [
    "matrix_collision_probability",
    "wedge_bound_probability",
    "eq12_bound_crossover",
    "MatrixCollisionProbability",
    "matrix_collision_vs_eq12",
    "derive_matrix_collision_probability",
]


def _argument(eta_x, eta_A, sigma_a, sigma_c):
    """:math:`K = (\\sigma_a/\\sigma_c)\\sqrt{\\eta_x/(2\\eta_A)}`, the arctan argument of Eq. (12)."""
    vals = [np.asarray(v, dtype=float) for v in (eta_x, eta_A, sigma_a, sigma_c)]
    for name, v in zip(("eta_x", "eta_A", "sigma_a", "sigma_c"), vals, strict=True):
        if np.isnan(v).any() or (v <= 0).any() or np.isinf(v).any():
            raise ValueError(f"{name} must be positive and finite, got {v!r}")
    ex, eA, sa, sc = vals
    return sa / sc * np.sqrt(ex / (2 * eA))


def _dims(m, d):
    for name, v in (("m", m), ("d", d)):
        if not isinstance(v, int | np.integer) or isinstance(v, bool) or v < 1:
            raise ValueError(f"{name} (dimension) must be a positive integer, got {v!r}")
    return int(m), int(d)


def _chi2_ratio_cdf(K, dof_num, dof_den):
    """:math:`P(\\chi^2_{a}/\\chi^2_{b} < K^2) = I_{K^2/(1+K^2)}(a/2, b/2)`."""
    # imported here: scipy.special takes 0.22 s to import (measured); no module of the theory
    # imports scipy when it is imported
    from scipy.special import betainc

    K2 = np.asarray(K, dtype=float) ** 2
    out = betainc(dof_num / 2, dof_den / 2, K2 / (1 + K2))
    return out[()] if np.ndim(out) == 0 else out


def matrix_collision_probability(eta_x, eta_A, sigma_a, sigma_c, m, d):
    """Probability that the full matrix flow Eq. (8) of [1]_ ends in a collision, from i.i.d. Gaussian init.

    .. math::

        P = F_{d,\\,m-d+1}\\Big(K^2\\,\\frac{m-d+1}{d}\\Big),\\qquad
        K = \\frac{\\sigma_a}{\\sigma_c}\\sqrt{\\frac{\\eta_x}{2\\eta_A}},

    with :math:`A_0 \\in \\mathbb{R}^{m\\times d}`, entries :math:`N(0, \\sigma_a^2)`, and
    :math:`r_0 \\in \\mathbb{R}^d`, entries :math:`N(0, \\sigma_c^2)`; :math:`P = 0` for
    :math:`m < d`.  Derived in :func:`derive_matrix_collision_probability`; for
    ``m = d = 1`` it is Eq. (12).

    Parameters
    ----------
    eta_x, eta_A : float or array_like
        Encoder (repon) and decoder learning rates, positive.
    sigma_a, sigma_c : float or array_like
        Standard deviations of the entries of :math:`A_0` and :math:`r_0`, positive.
    m, d : int
        Decoder output dimension and embedding dimension.

    Returns
    -------
    float or ndarray
        :math:`P \\in [0, 1]`.

    Examples
    --------
    ``m = d = 1`` is Eq. (12); ``m = d = 2`` is :math:`1 - (1 + K^2)^{-1/2}`:

    >>> import numpy as np
    >>> from effective_theory.dynamics.collision_probability import representation_learning_probability
    >>> bool(np.isclose(matrix_collision_probability(2.0, 1.0, 1.0, 1.0, 1, 1),
    ...                 representation_learning_probability(2.0, 1.0, 1.0, 1.0)))
    True
    >>> round(float(matrix_collision_probability(2.0, 1.0, 1.0, 1.0, 2, 2)), 4)  # 1 - 1/sqrt(2)
    0.2929
    >>> float(matrix_collision_probability(2.0, 1.0, 1.0, 1.0, 1, 3))  # m < d: never
    0.0
    """
    m, d = _dims(m, d)
    K = _argument(eta_x, eta_A, sigma_a, sigma_c)
    if m < d:
        out = np.zeros_like(K)
        return out[()] if out.ndim == 0 else out
    return _chi2_ratio_cdf(K, d, m - d + 1)


def wedge_bound_probability(eta_x, eta_A, sigma_a, sigma_c, m, d):
    """Cauchy-Schwarz bound: probability of the Eq. (11) wedge for :math:`(|A_0\\hat r_0|, |r_0|)`.

    Since :math:`|r|^4 \\le (r^TA^TAr)(r^T(A^TA)^{-1}r)`, :math:`M_0 \\succ 0` implies
    :math:`C > 0` for :math:`a_2 = |A_0\\hat r_0|, c = |r_0|`; for i.i.d. Gaussian init
    :math:`a_2^2/\\sigma_a^2 \\sim \\chi^2_m` and :math:`c^2/\\sigma_c^2 \\sim \\chi^2_d`, independent, so

    .. math::

        P \\le P(\\chi^2_d/\\chi^2_m < K^2) = I_{K^2/(1+K^2)}(d/2, m/2).

    Examples
    --------
    >>> p = matrix_collision_probability(1.0, 1.0, 1.0, 1.0, 3, 2)
    >>> bool(p <= wedge_bound_probability(1.0, 1.0, 1.0, 1.0, 3, 2))
    True
    """
    m, d = _dims(m, d)
    return _chi2_ratio_cdf(_argument(eta_x, eta_A, sigma_a, sigma_c), d, m)


@functools.cache
def eq12_bound_crossover(m: int, d: int) -> float:
    """The :math:`K^*` below which Eq. (12) upper-bounds :func:`matrix_collision_probability`.

    Returns ``inf`` when Eq. (12) is a bound at every :math:`K` (:math:`m \\le d`), ``0.0``
    when it is a bound at none (:math:`d = 1 < m`), and otherwise the root of
    :math:`\\tfrac2\\pi\\arctan K = P(\\chi^2_d/\\chi^2_{m-d+1} < K^2)` (unique: the difference
    changes sign once on :math:`(0, \\infty)`, checked in the tests).

    Examples
    --------
    ``m = 3, d = 2``: :math:`P = K^2/(1 + K^2)` meets :math:`\\tfrac2\\pi\\arctan K` at :math:`K = 1`:

    >>> round(eq12_bound_crossover(3, 2), 6)
    1.0
    >>> eq12_bound_crossover(2, 2), eq12_bound_crossover(2, 1)
    (inf, 0.0)
    """
    m, d = _dims(m, d)
    if m <= d:
        return float("inf")
    if d == 1:
        return 0.0
    # imported here: scipy.optimize takes 0.42 s to import (measured), for this one root
    from scipy.optimize import brentq

    def gap(logK):
        K = np.exp(logK)
        return 2 / np.pi * np.arctan(K) - _chi2_ratio_cdf(K, d, m - d + 1)

    return float(np.exp(brentq(gap, -20.0, 20.0, xtol=1e-13)))


@dataclass(frozen=True)
class MatrixCollisionProbability:
    """The general collision probability of Eq. (8) next to Eq. (12).

    Attributes
    ----------
    K : float
        :math:`(\\sigma_a/\\sigma_c)\\sqrt{\\eta_x/(2\\eta_A)}`.
    m, d : int
        Decoder output and embedding dimensions.
    general : float
        :func:`matrix_collision_probability` (exact for Eq. (8) from i.i.d. Gaussian init).
    eq12 : float
        Eq. (12), :math:`\\tfrac2\\pi\\arctan K`.
    wedge_bound : float
        :func:`wedge_bound_probability` (Cauchy-Schwarz; always :math:`\\ge` ``general``).
    eq12_is_upper_bound : bool
        ``general <= eq12``: Theorem 3's reading of Eq. (12) holds at these parameters.
    crossover_K : float
        :func:`eq12_bound_crossover` for ``(m, d)``.
    """

    K: float
    m: int
    d: int
    general: float
    eq12: float
    wedge_bound: float
    eq12_is_upper_bound: bool
    crossover_K: float


def matrix_collision_vs_eq12(eta_x, eta_A, sigma_a, sigma_c, m, d) -> MatrixCollisionProbability:
    """General collision probability of Eq. (8), Eq. (12)'s value, and whether Eq. (12) bounds it.

    Parameters
    ----------
    eta_x, eta_A, sigma_a, sigma_c : float
        Positive learning rates and initial widths (scalars).
    m, d : int
        Decoder output and embedding dimensions.

    Returns
    -------
    MatrixCollisionProbability

    Examples
    --------
    >>> r = matrix_collision_vs_eq12(2.0, 1.0, 1.0, 1.0, m=2, d=2)
    >>> round(r.general, 4), r.eq12, r.eq12_is_upper_bound
    (0.2929, 0.5, True)
    >>> matrix_collision_vs_eq12(2.0, 1.0, 1.0, 1.0, m=2, d=1).eq12_is_upper_bound  # d = 1 < m
    False
    """
    for name, v in (("eta_x", eta_x), ("eta_A", eta_A), ("sigma_a", sigma_a), ("sigma_c", sigma_c)):
        if np.ndim(v) != 0:
            raise ValueError(f"{name} must be a scalar, got shape {np.shape(v)}")
    general = float(matrix_collision_probability(eta_x, eta_A, sigma_a, sigma_c, m, d))
    eq12 = float(representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c))
    return MatrixCollisionProbability(
        K=float(_argument(eta_x, eta_A, sigma_a, sigma_c)),
        m=int(m),
        d=int(d),
        general=general,
        eq12=eq12,
        wedge_bound=float(wedge_bound_probability(eta_x, eta_A, sigma_a, sigma_c, m, d)),
        eq12_is_upper_bound=bool(general <= eq12 + 1e-12),
        crossover_K=eq12_bound_crossover(m, d),
    )


_CLOSED_FORMS = {1: "2 atan(K)/pi (Eq. 12)", 2: "1 - 1/sqrt(1 + K^2)", 3: "(2/pi)(atan K - K/(1 + K^2))"}


@functools.cache
def derive_matrix_collision_probability(d: int = 2, m: int | None = None):
    """Derive :func:`matrix_collision_probability` with sympy, step by step, for ``(m, d)``.

    Parameters
    ----------
    d : int
        Embedding dimension (explicit components for the matrix steps; 1, 2, 3).
    m : int, optional
        Decoder output dimension, ``m >= d`` (default ``d``).

    Returns
    -------
    Derivation
        Steps ``"rank-one criterion"``, ``"Schur complement"``, ``"degrees of freedom"``,
        ``"ratio density"``, ``"incomplete beta"``, ``"F distribution"``, ``"this (m, d)"`` (closed
        form, ``m = d <= 3``), ``"m = d = 1 is Eq. 12"``, ``"Cauchy-Schwarz"`` (``d >= 2``); the probabilistic
        facts the steps use (independence,
        :math:`\\chi^2` laws) are listed in their ``assumptions``.

    Examples
    --------
    >>> D = derive_matrix_collision_probability(2)
    >>> all(s.holds for s in D.steps)
    True
    """
    # imported here: sympy takes 0.22 s to import (measured), which the numeric formulas of this
    # module do not need; only the derivation does
    import sympy as sp

    from effective_theory.dynamics.derivation_steps import Derivation, DerivationStep

    m = d if m is None else m
    m, d = _dims(m, d)
    if m < d:
        raise ValueError(
            f"m >= d needed (for m < d the probability is 0: A0^T A0 is singular), got m={m}, d={d}"
        )
    nu = m - d + 1
    eta_A, eta_x, K = sp.symbols("eta_A eta_x K", positive=True)
    steps = []

    # 1. rank-one criterion (matrix determinant lemma)
    W = sp.Matrix(d, d, lambda i, j: sp.Symbol(f"w_{min(i, j) + 1}{max(i, j) + 1}", real=True))
    r = sp.Matrix(d, 1, lambda i, _j: sp.Symbol(f"r_{i + 1}", real=True))
    Wm, rm = sp.MatrixSymbol("W", d, d), sp.MatrixSymbol("r", d, 1)
    steps.append(
        DerivationStep(
            "rank-one criterion",
            "matrix determinant lemma: M0 = W/(2 eta_A) - r r^T/eta_x (W = A0^T A0 > 0) has at most one "
            "non-positive eigenvalue, so M0 > 0 iff r^T W^-1 r < eta_x/(2 eta_A)",
            sp.Determinant(Wm / (2 * eta_A) - rm * rm.T / eta_x),
            sp.Determinant(Wm / (2 * eta_A)) * (sp.Identity(1) - 2 * eta_A / eta_x * (rm.T * Wm.I * rm)),
            where=((Wm, W), (rm, r)),
            assumptions=("W = A0^T A0 positive definite (m >= d)",),
        )
    )

    A = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"A_{i + 1}{j + 1}", real=True))
    # 2. Schur complement: 1/(W^-1)_dd = |P_perp a_d|^2, the residual of column d regressed on the others
    a_d = A[:, d - 1]
    if d == 1:
        resid = a_d
        P_perp = sp.eye(m)
    else:
        Al = A[:, : d - 1]
        P_perp = sp.eye(m) - Al * (Al.T * Al).inv() * Al.T
        resid = P_perp * a_d
    rho = sp.Symbol("rho", positive=True)
    steps.append(
        DerivationStep(
            "Schur complement",
            "rotation invariance (A0 Q has the law of A0 for orthogonal Q; choose Q^T r0 = |r0| e_d) gives "
            "r0^T W^-1 r0 = |r0|^2/rho with rho = 1/(W^-1)_dd independent of r0; rho is the squared "
            "residual of "
            "the last column a_d of A0 regressed on the other d - 1 columns",
            rho,
            (resid.T * resid)[0],
            where=((rho, 1 / W.inv()[d - 1, d - 1]), (W, A.T * A)),
            assumptions=("A0 has i.i.d. Gaussian entries (its law is rotation invariant)",),
        )
    )
    steps.append(
        DerivationStep(
            "degrees of freedom",
            "the residual projector P = I - A_<(A_<^T A_<)^-1 A_<^T has trace m - d + 1: for Gaussian a_d "
            "independent of A_<, rho/sigma_a^2 ~ chi^2_{m-d+1}, while |r0|^2/sigma_c^2 ~ chi^2_d",
            sp.Trace(sp.ImmutableMatrix(P_perp)),
            sp.Integer(nu),
            assumptions=("a_d ~ N(0, sigma_a^2 I_m) independent of A_<", "r0 ~ N(0, sigma_c^2 I_d)"),
        )
    )

    # 4. ratio of chi-squares, for general degrees of freedom 2a, 2b
    a, b, x, v, t = sp.symbols("a b x v t", positive=True)

    def chi2(z, k):  # density of chi^2 with 2k degrees of freedom
        return z ** (k - 1) * sp.exp(-z / 2) / (2**k * sp.gamma(k))

    beta = sp.gamma(a) * sp.gamma(b) / sp.gamma(a + b)
    f_ratio = x ** (a - 1) * (1 + x) ** (-a - b) / beta
    steps.append(
        DerivationStep(
            "ratio density",
            "X = chi^2_{2a}/chi^2_{2b} (independent) has density int_0^oo v f_2a(x v) f_2b(v) dv = "
            "x^(a-1) (1+x)^(-a-b)/B(a, b)",
            sp.Integral(v * chi2(x * v, a) * chi2(v, b), (v, 0, sp.oo)),
            f_ratio,
            assumptions=("chi^2_{2a} and chi^2_{2b} independent",),
        )
    )

    def P_integral(dd, nn):
        fx = f_ratio.subs({a: sp.Rational(dd, 2), b: sp.Rational(nn, 2)})
        return sp.Integral(fx, (x, 0, K**2))

    beta_density = (t ** (a - 1) * (1 - t) ** (b - 1) / beta).subs(
        {a: sp.Rational(d, 2), b: sp.Rational(nu, 2)}
    )
    steps.append(
        DerivationStep(
            "incomplete beta",
            f"x = t/(1 - t) maps P(X < K^2) (here X = chi^2_{d}/chi^2_{nu}) to the regularised "
            "incomplete beta "
            f"I_{{K^2/(1+K^2)}}({d}/2, {nu}/2): both sides vanish at K = 0 and have equal K-derivatives",
            sp.Derivative(P_integral(d, nu), K),
            sp.Derivative(sp.Integral(beta_density, (t, 0, K**2 / (1 + K**2))), K),
        )
    )
    y = sp.Symbol("y", positive=True)
    steps.append(
        DerivationStep(
            "F distribution",
            "F_{d1,d2}(y) = I_{d1 y/(d1 y + d2)}(d1/2, d2/2); at y = K^2 (m-d+1)/d the argument is "
            "K^2/(1+K^2), "
            "so P = F_{d, m-d+1}(K^2 (m-d+1)/d)",
            sp.Subs(d * y / (d * y + nu), y, K**2 * nu / d),
            K**2 / (1 + K**2),
        )
    )
    closed = {
        1: 2 * sp.atan(K) / sp.pi,
        2: 1 - 1 / sp.sqrt(1 + K**2),
        3: 2 / sp.pi * (sp.atan(K) - K / (1 + K**2)),
    }
    if m == d and d in closed:
        steps.append(
            DerivationStep(
                "this (m, d)", f"m = d = {d}: P = {_CLOSED_FORMS[d]}", P_integral(d, nu), closed[d]
            )
        )
    steps.append(
        DerivationStep(
            "m = d = 1 is Eq. 12",
            "for m = d = 1 (chi^2_1/chi^2_1, the ratio of two squared standard normals) "
            "P = (2/pi) atan K: Eq. 12",
            P_integral(1, 1),
            2 * sp.atan(K) / sp.pi,
        )
    )

    # Cauchy-Schwarz gap (d = 2 explicit; for d = 1 it is an equality)
    if d >= 2:
        W2 = W[:2, :2]
        r2 = r[:2, :]
        W2m, r2m = sp.MatrixSymbol("W", 2, 2), sp.MatrixSymbol("r", 2, 1)
        p_, q_, s_ = W2[0, 0], W2[0, 1], W2[1, 1]
        r1_, r2_ = r2
        gap = (p_ * r1_ * r2_ - q_ * r1_**2 + q_ * r2_**2 - r1_ * r2_ * s_) ** 2 / (p_ * s_ - q_**2)
        steps.append(
            DerivationStep(
                "Cauchy-Schwarz",
                "(r^T W r)(r^T W^-1 r) - |r|^4 is a square over det W >= 0 (d = 2): a collision "
                "(r^T W^-1 r < eta_x/(2 eta_A)) implies the Eq. 11 wedge for a2 = |A0 r_hat|, c = |r|",
                (r2m.T * W2m * r2m) * (r2m.T * W2m.I * r2m) - (r2m.T * r2m) * (r2m.T * r2m),
                gap,
                where=((W2m, W2), (r2m, r2)),
            )
        )
    return Derivation(
        title=f"Collision probability of the matrix flow Eq. 8 from i.i.d. Gaussian A0, r0 "
        f"(m = {m}, d = {d})",
        steps=tuple(steps),
        symbols=dict(K=K, eta_A=eta_A, eta_x=eta_x),
    )
