"""Conserved quantity Eq. (11) of [1]_, fixed points and the phase rule of Theorem 2.

Along the reduced repon flow Eq. (10),

.. math::

    \\dot a_2 = -2\\eta_A c^2 a_2, \\qquad \\dot c = -\\eta_x a_2^2 c,

the quantity :math:`C = a_2^2/(2\\eta_A) - c^2/\\eta_x` is conserved, the fixed
points are the two axes :math:`a_2 = 0` and :math:`c = 0`, and since
:math:`|a_2|` and :math:`|c|` both decrease monotonically every trajectory ends
on the axis its hyperbola meets: :math:`C > 0` gives :math:`c \\to 0`,
:math:`a_2 \\to \\pm\\sqrt{2\\eta_A C}` (collision, generalization); :math:`C < 0`
gives :math:`a_2 \\to 0`, :math:`c \\to \\pm\\sqrt{-\\eta_x C}` (memorization).

:func:`derive_conserved_quantity` proves all of this with sympy, including the
closed-form solution :math:`c(t)^2 = \\eta_x C c_0^2 / ((\\eta_x C + c_0^2)
e^{4\\eta_A\\eta_x C t} - c_0^2)`; the numeric functions evaluate it.

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT" (2025).
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from effective_theory.dynamics.derivation_steps import Derivation, DerivationStep
from effective_theory.dynamics.repon_flow import exact_pair_flow

__all__ = [
    "conserved_quantity",
    "collides",
    "fixed_point",
    "reduced_flow_solution",
    "reduced_flow_fixed_points",
    "derive_conserved_quantity",
    "conserved_matrix",
    "matrix_flow_collides",
    "matrix_flow_solution",
    "derive_conserved_matrix",
    "full_conserved_matrix",
    "derive_full_conserved_matrix",
]


def _matrix_symbols(m, d):
    """``A``, ``r`` and their time derivatives as matrix symbols, for printing a step in matrix notation."""
    return (
        sp.MatrixSymbol("A", m, d),
        sp.MatrixSymbol("r", d, 1),
        sp.MatrixSymbol("Adot", m, d),
        sp.MatrixSymbol("rdot", d, 1),
    )


def _rates(eta_x, eta_A):
    eta_x = np.asarray(eta_x, dtype=float)
    eta_A = np.asarray(eta_A, dtype=float)
    if np.isnan(eta_x).any() or (eta_x <= 0).any():
        raise ValueError(f"eta_x must be positive, got {eta_x!r}")
    if np.isnan(eta_A).any() or (eta_A <= 0).any():
        raise ValueError(f"eta_A must be positive, got {eta_A!r}")
    return eta_x, eta_A


def _out(x):
    x = np.asarray(x)
    return x[()] if x.ndim == 0 else x


def conserved_quantity(a2, c, eta_x, eta_A):
    """:math:`C = a_2^2/(2\\eta_A) - c^2/\\eta_x`, Eq. (11) of [1]_ (vectorised).

    Examples
    --------
    >>> float(conserved_quantity(2.0, 1.0, eta_x=1.0, eta_A=1.0))
    1.0
    """
    eta_x, eta_A = _rates(eta_x, eta_A)
    a2 = np.asarray(a2, dtype=float)
    c = np.asarray(c, dtype=float)
    return _out(a2**2 / (2 * eta_A) - c**2 / eta_x)


def collides(a2, c, eta_x, eta_A):
    """Phase rule of Theorem 2: True where :math:`C > 0` (repons collide, generalization).

    Examples
    --------
    >>> collides([1.0, 1.0], [0.5, 2.0], eta_x=2.0, eta_A=1.0).tolist()
    [True, False]
    """
    return _out(np.asarray(conserved_quantity(a2, c, eta_x, eta_A)) > 0)


def fixed_point(a2, c, eta_x, eta_A):
    """End point :math:`(a_2^*, c^*)` of Eq. (10) started at ``(a2, c)``.

    :math:`C > 0`: :math:`(\\mathrm{sign}(a_2)\\sqrt{2\\eta_A C}, 0)`; :math:`C < 0`:
    :math:`(0, \\mathrm{sign}(c)\\sqrt{-\\eta_x C})`; :math:`C = 0`: the origin.

    Examples
    --------
    >>> [float(v) for v in fixed_point(-2.0, 1.0, eta_x=1.0, eta_A=1.0)]
    [-1.4142135623730951, 0.0]
    """
    C = np.asarray(conserved_quantity(a2, c, eta_x, eta_A))
    eta_x, eta_A = _rates(eta_x, eta_A)
    a_star = np.sign(a2) * np.sqrt(2 * eta_A * np.clip(C, 0, None))
    c_star = np.sign(c) * np.sqrt(eta_x * np.clip(-C, 0, None))
    return _out(a_star), _out(c_star)


def reduced_flow_solution(a2_0, c_0, t, eta_x, eta_A):
    """Closed-form solution :math:`(a_2(t), c(t))` of Eq. (10) of [1]_ (vectorised).

    With :math:`w = c^2` and :math:`a_2^2 = 2\\eta_A(C + w/\\eta_x)`,
    :math:`\\dot w = -4\\eta_A(\\eta_x C + w)w`, whose solution is

    .. math::

        w(t) = \\frac{\\eta_x C w_0}{(\\eta_x C + w_0)e^{4\\eta_A\\eta_x C t} - w_0},
        \\qquad w(t) = \\frac{w_0}{1 + 4\\eta_A w_0 t}\\ \\ (C = 0).

    Signs of :math:`a_2` and :math:`c` never change.

    Examples
    --------
    >>> a, c = reduced_flow_solution(2.0, 1.0, 50.0, eta_x=1.0, eta_A=1.0)
    >>> bool(abs(c) < 1e-12 and np.isclose(a, np.sqrt(2.0)))
    True
    """
    eta_x, eta_A = _rates(eta_x, eta_A)
    a2_0 = np.asarray(a2_0, dtype=float)
    c_0 = np.asarray(c_0, dtype=float)
    t = np.asarray(t, dtype=float)
    if (t < 0).any():
        raise ValueError("t must be non-negative")
    C = a2_0**2 / (2 * eta_A) - c_0**2 / eta_x
    w = _logistic(c_0**2, eta_x * C, 4 * eta_A * t)
    # a2^2 from its own logistic equation, v' = -2 eta_x (v - 2 eta_A C) v (no cancellation near a2 = 0)
    v = _logistic(a2_0**2, -2 * eta_A * C, 2 * eta_x * t)
    return _out(np.sign(a2_0) * np.sqrt(v)), _out(np.sign(c_0) * np.sqrt(w))


def _logistic(w0, g, rate_t):
    """Solution of w' = -(rate)(g + w) w at time t, w(0) = w0: g w0 / ((g + w0) e^{x} - w0), x = rate t g."""
    x = rate_t * g
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        em = np.exp(-np.abs(x))
        pos = g * w0 * em / (g - w0 * np.expm1(-np.abs(x)))  # g > 0: no cancellation
        neg = g * w0 / (g * em + w0 * np.expm1(-np.abs(x)))  # g < 0: both terms negative
        zero = w0 / (1 + rate_t * w0)
        w = np.where(g > 0, pos, np.where(g < 0, neg, zero))
        w = np.where(w0 == 0, 0.0, w)
    return np.clip(w, 0, None)


def reduced_flow_fixed_points():
    """Solutions of :math:`\\dot a_2 = \\dot c = 0` from ``sympy.solve`` (two lines).

    Examples
    --------
    >>> sorted(str(s) for s in reduced_flow_fixed_points())
    ['(0, c)', '(a_2, 0)']
    """
    a2, c = sp.symbols("a_2 c", real=True)
    eta_A, eta_x = sp.symbols("eta_A eta_x", positive=True)
    sols = sp.solve([-2 * eta_A * c**2 * a2, -eta_x * a2**2 * c], [a2, c], dict=True)
    return [sp.Tuple(s.get(a2, a2), s.get(c, c)) for s in sols]


@functools.cache
def derive_conserved_quantity() -> Derivation:
    """Prove Eq. (11), the fixed points and the phase rule of Theorem 2 with sympy.

    Returns
    -------
    Derivation
        Steps ``"Eq. 11: dC/dt"``, ``"fixed line c = 0"``, ``"fixed line a2 = 0"``,
        ``"monotone a2^2"``, ``"monotone c^2"``, ``"C > 0 end point"``,
        ``"C < 0 end point"``, ``"wedge"``, ``"c^2 ODE"``, ``"c^2(t) closed form"``,
        ``"c^2(0)"``, ``"limit C > 0"``, ``"limit C < 0"``, ``"stability on c = 0"``,
        ``"stability on a2 = 0"``.

    Examples
    --------
    >>> all(s.holds for s in derive_conserved_quantity().steps)
    True
    """
    a2, c = sp.symbols("a_2 c", real=True)
    eta_A, eta_x, t = sp.symbols("eta_A eta_x t", positive=True)
    da2 = -2 * eta_A * c**2 * a2
    dc = -eta_x * a2**2 * c
    C = a2**2 / (2 * eta_A) - c**2 / eta_x
    # the same along a trajectory, a2(t) and c(t), with Eq. 10 as the substitution for their derivatives
    a2t, ct = sp.Function("a_2")(t), sp.Function("c")(t)
    eq10 = ((sp.Derivative(a2t, t), -2 * eta_A * ct**2 * a2t), (sp.Derivative(ct, t), -eta_x * a2t**2 * ct))
    Ct = C.subs({a2: a2t, c: ct})
    steps = [
        DerivationStep(
            "Eq. 11: dC/dt",
            "C = a2^2/(2 eta_A) - c^2/eta_x is conserved along Eq. 10",
            sp.Derivative(Ct, t),
            sp.Integer(0),
            where=eq10,
        ),
        DerivationStep(
            "fixed line c = 0",
            "every (a2, 0) is a fixed point of Eq. 10",
            sp.Matrix([sp.Subs(da2, c, 0), sp.Subs(dc, c, 0)]),
            sp.zeros(2, 1),
        ),
        DerivationStep(
            "fixed line a2 = 0",
            "every (0, c) is a fixed point of Eq. 10",
            sp.Matrix([sp.Subs(da2, a2, 0), sp.Subs(dc, a2, 0)]),
            sp.zeros(2, 1),
        ),
        DerivationStep(
            "monotone a2^2",
            "d(a2^2)/dt = -4 eta_A c^2 a2^2 <= 0",
            sp.Derivative(a2t**2, t),
            -4 * eta_A * ct**2 * a2t**2,
            where=eq10[:1],
        ),
        DerivationStep(
            "monotone c^2",
            "d(c^2)/dt = -2 eta_x a2^2 c^2 <= 0",
            sp.Derivative(ct**2, t),
            -2 * eta_x * a2t**2 * ct**2,
            where=eq10[1:],
        ),
    ]
    Cp, Cn = sp.symbols("C_+ C_-", positive=True)
    steps.append(
        DerivationStep(
            "C > 0 end point",
            "C > 0: the hyperbola meets c = 0 at a2* = +-sqrt(2 eta_A C) (collision)",
            sp.Subs(C, (a2, c), (sp.sqrt(2 * eta_A * Cp), 0)),
            Cp,
        )
    )
    steps.append(
        DerivationStep(
            "C < 0 end point",
            "C < 0: the hyperbola meets a2 = 0 at c* = +-sqrt(-eta_x C) (no collision)",
            sp.Subs(C, (a2, c), (0, sp.sqrt(eta_x * Cn))),
            -Cn,
        )
    )
    steps.append(
        DerivationStep(
            "wedge",
            "C = (a2^2/eta_x)(eta_x/(2 eta_A) - (c/a2)^2): C > 0 iff |c|/|a2| < sqrt(eta_x/(2 eta_A))",
            C,
            a2**2 / eta_x * (eta_x / (2 * eta_A) - (c / a2) ** 2),
        )
    )
    # closed form of w = c^2
    w0 = sp.Symbol("w_0", positive=True)
    Cs = sp.Symbol("C", real=True)
    steps.append(
        DerivationStep(
            "c^2 ODE",
            "with a2^2 = 2 eta_A (C + c^2/eta_x): d(c^2)/dt = -4 eta_A (eta_x C + c^2) c^2",
            sp.Derivative(ct**2, t),
            -4 * eta_A * (eta_x * Cs + ct**2) * ct**2,
            where=eq10[1:] + ((a2t**2, 2 * eta_A * (Cs + ct**2 / eta_x)),),
        )
    )
    w = sp.Symbol("w")
    wsol = eta_x * Cs * w0 / ((eta_x * Cs + w0) * sp.exp(4 * eta_A * eta_x * Cs * t) - w0)
    steps.append(
        DerivationStep(
            "c^2(t) closed form",
            "w(t) = eta_x C w0 / ((eta_x C + w0) exp(4 eta_A eta_x C t) - w0) solves it",
            sp.Derivative(wsol, t),
            -4 * eta_A * (eta_x * Cs + w) * w,
            where=((w, wsol),),
        )
    )
    steps.append(DerivationStep("c^2(0)", "initial value", sp.Subs(wsol, t, 0), w0))
    steps.append(
        DerivationStep(
            "limit C > 0",
            "t -> oo with C > 0: c^2 -> 0 (repons collide)",
            sp.Limit(wsol.subs(Cs, Cp), t, sp.oo),
            sp.Integer(0),
        )
    )
    steps.append(
        DerivationStep(
            "limit C < 0",
            "t -> oo with C < 0: c^2 -> -eta_x C (repons stay apart)",
            sp.Limit(wsol.subs(Cs, -Cn), t, sp.oo),
            eta_x * Cn,
        )
    )
    J = sp.Matrix([da2, dc]).jacobian([a2, c])
    a_s, c_s = sp.symbols("a_* c_*", positive=True)
    mu = sp.Symbol("mu")
    steps.append(
        DerivationStep(
            "stability on c = 0",
            "characteristic polynomial of the Jacobian at (a*, 0): eigenvalues 0 (along the line) and "
            "-eta_x a*^2 (attracting)",
            sp.Determinant(sp.ImmutableMatrix(J.subs({a2: a_s, c: 0}) - mu * sp.eye(2))),
            mu * (mu + eta_x * a_s**2),
        )
    )
    steps.append(
        DerivationStep(
            "stability on a2 = 0",
            "at (0, c*): eigenvalues 0 and -2 eta_A c*^2 (attracting)",
            sp.Determinant(sp.ImmutableMatrix(J.subs({a2: 0, c: c_s}) - mu * sp.eye(2))),
            mu * (mu + 2 * eta_A * c_s**2),
        )
    )
    return Derivation(
        title="Conserved quantity Eq. 11, fixed points and phase rule",
        steps=tuple(steps),
        symbols=dict(a2=a2, c=c, eta_A=eta_A, eta_x=eta_x, t=t, C=C),
    )


def conserved_matrix(A, r, eta_x, eta_A):
    """:math:`M = A^TA/(2\\eta_A) - rr^T/\\eta_x`, the matrix conserved by the full flow Eq. (8).

    ``A`` has shape ``(..., m, d)`` and ``r`` shape ``(..., d)``.  For ``d = 1``
    and ``m = 1`` it is Eq. (11).  Along Eq. (8) :math:`\\dot M = 0` exactly
    (:func:`derive_conserved_matrix`); the repons collide iff :math:`M` is
    positive definite (:func:`matrix_flow_collides`).

    Examples
    --------
    >>> M = conserved_matrix(np.array([[2.0]]), np.array([1.0]), eta_x=1.0, eta_A=1.0)
    >>> float(M[0, 0]) == float(conserved_quantity(2.0, 1.0, 1.0, 1.0))
    True
    """
    eta_x, eta_A = _rates(eta_x, eta_A)
    A = np.asarray(A, dtype=float)
    r = np.asarray(r, dtype=float)
    return np.swapaxes(A, -1, -2) @ A / (2 * eta_A) - r[..., :, None] * r[..., None, :] / eta_x


def matrix_flow_collides(A0, r0, eta_x, eta_A):
    """Exact phase rule of the matrix flow Eq. (8): collision iff :math:`M_0 \\succ 0`.

    By Eq. (8), :math:`A^TA = 2\\eta_A(M + rr^T/\\eta_x)` with :math:`M` constant,
    so :math:`\\dot r = -2\\eta_A(\\eta_x M + |r|^2)r`; :math:`r \\to 0` iff every
    eigenvalue of :math:`M` is positive (for :math:`r_0` with a component on
    every eigenvector).  When :math:`r_0` is an eigenvector of
    :math:`A_0^TA_0` this is the scalar rule :math:`C > 0` of Eq. (11) with
    :math:`a_2 = |A_0 \\hat r_0|, c = |r_0|`; otherwise it is stricter.

    Examples
    --------
    ``r0 = (0.6, 0)`` is not an eigenvector of ``A0^T A0``; the scalar rule with
    :math:`a_2 = |A_0\\hat r_0| = 1` predicts a collision, the exact rule does not:

    >>> A0 = np.array([[1.0, 1.0], [0.0, 1.0]])
    >>> bool(collides(1.0, 0.6, 1.0, 1.0)), bool(matrix_flow_collides(A0, np.array([0.6, 0.0]), 1.0, 1.0))
    (True, False)
    """
    M = conserved_matrix(A0, r0, eta_x, eta_A)
    return _out(np.linalg.eigvalsh(M)[..., 0] > 0)


def matrix_flow_solution(A0, r0, t, eta_x, eta_A):
    """Closed-form :math:`r(t)` of the full matrix flow Eq. (8) of [1]_.

    In the eigenbasis of the conserved :math:`M` (eigenvalues :math:`\\mu_i`),
    :math:`w_i = r_i^2` obeys :math:`\\dot w_i = -4\\eta_A(\\eta_x\\mu_i + \\sum_j w_j) w_i`, so

    .. math::

        w_i(t) = \\frac{w_i(0) e^{-4\\eta_A\\eta_x\\mu_i t}}
                 {1 + \\sum_j w_j(0)\\,(1 - e^{-4\\eta_A\\eta_x\\mu_j t})/(\\eta_x\\mu_j)}.

    ``A0``: ``(..., m, d)``, ``r0``: ``(..., d)``, ``t`` broadcast against the
    batch shape.  Returns ``r(t)`` with the shape of ``r0``.

    Examples
    --------
    >>> r = matrix_flow_solution(np.array([[2.0]]), np.array([1.0]), 50.0, 1.0, 1.0)
    >>> bool(abs(r[0]) < 1e-12)
    True
    """
    eta_x, eta_A = _rates(eta_x, eta_A)
    M = conserved_matrix(A0, r0, eta_x, eta_A)
    mu, V = np.linalg.eigh(M)
    rho = np.einsum("...ji,...j->...i", V, np.asarray(r0, dtype=float))
    w0 = rho**2
    t = np.asarray(t, dtype=float)[..., None]
    x = 4 * eta_A * eta_x * mu * t  # exponent, E_i = exp(-x_i)
    L = np.maximum(0.0, np.max(-x, axis=-1, keepdims=True))  # overflow guard: everything times exp(-L)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        small = np.abs(x) < 1e-8
        F = np.where(small, 4 * eta_A * t * np.exp(-L), (np.exp(-L) - np.exp(-x - L)) / (eta_x * mu))
    denom = np.exp(-L) + np.sum(w0 * F, axis=-1, keepdims=True)
    w = w0 * np.exp(-x - L) / denom
    rt = np.sign(rho) * np.sqrt(w)
    return np.einsum("...ij,...j->...i", V, rt)


@functools.cache
def derive_conserved_matrix(d: int = 2, m: int | None = None) -> Derivation:
    """Prove that :math:`M = A^TA/(2\\eta_A) - rr^T/\\eta_x` is conserved by Eq. (8); solve for :math:`r(t)`.

    Returns
    -------
    Derivation
        Steps ``"dM/dt"`` (exactly zero, explicit components), ``"closed r equation"``
        (:math:`\\dot r = -2\\eta_A(\\eta_x M + |r|^2) r`), ``"d = 1 is Eq. 11"``, and
        ``"w_i(t) solves the flow"`` (the closed form, checked in ``d = 2`` for diagonal ``M``).

    Examples
    --------
    >>> all(s.holds for s in derive_conserved_matrix(2).steps)
    True
    """
    m = d if m is None else m
    A = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"A{i + 1}{j + 1}", real=True))
    r = sp.Matrix(d, 1, lambda i, _j: sp.Symbol(f"r{i + 1}", real=True))
    eta_A, eta_x, t = sp.symbols("eta_A eta_x t", positive=True)
    dA = -2 * eta_A * A * r * r.T
    dr = -eta_x * A.T * A * r
    M = A.T * A / (2 * eta_A) - r * r.T / eta_x
    Am, rm, Adot, rdot = _matrix_symbols(m, d)
    dM_m = (Adot.T * Am + Am.T * Adot) / (2 * eta_A) - (rdot * rm.T + rm * rdot.T) / eta_x
    steps = [
        DerivationStep(
            "dM/dt",
            "M = A^T A/(2 eta_A) - r r^T/eta_x is conserved by Eq. 8 (matrix Eq. 11): dM/dt, with "
            "Eq. 8 inserted for dA/dt and dr/dt, vanishes identically",
            dM_m,
            sp.zeros(d, d),
            where=((Adot, dA), (rdot, dr), (Am, A), (rm, r)),
        )
    ]
    steps.append(
        DerivationStep(
            "closed r equation",
            "eliminating A^T A = 2 eta_A (M + r r^T/eta_x): dr/dt = -2 eta_A (eta_x M + |r|^2) r",
            rdot,
            -2 * eta_A * (eta_x * M + (r.T * r)[0] * sp.eye(d)) * r,
            where=((rdot, dr),),
        )
    )
    a, c = sp.symbols("a_2 c", real=True)
    steps.append(
        DerivationStep(
            "d = 1 is Eq. 11",
            "for m = d = 1 (A = a2, r = c), M is C of Eq. 11",
            sp.Subs(A[0, 0] ** 2 / (2 * eta_A) - r[0] ** 2 / eta_x, (A[0, 0], r[0]), (a, c)),
            a**2 / (2 * eta_A) - c**2 / eta_x,
        )
    )
    # closed form in the eigenbasis (d = 2, M = diag(mu1, mu2))
    mu1, mu2 = sp.symbols("mu_1 mu_2", real=True, nonzero=True)
    w10, w20 = sp.symbols("w_10 w_20", positive=True)
    pairs = ((w10, mu1), (w20, mu2))
    den = 1 + sum(w0 * (1 - sp.exp(-4 * eta_A * eta_x * mu * t)) / (eta_x * mu) for w0, mu in pairs)
    w = [w0 * sp.exp(-4 * eta_A * eta_x * mu * t) / den for w0, mu in ((w10, mu1), (w20, mu2))]
    lhs = sp.Matrix([sp.Derivative(wi, t) for wi in w])
    rhs = sp.Matrix(
        [-4 * eta_A * (eta_x * mu + w[0] + w[1]) * wi for wi, mu in zip(w, (mu1, mu2), strict=True)]
    )
    steps.append(
        DerivationStep(
            "w_i(t) solves the flow",
            "w_i = r_i^2 in M's eigenbasis: w_i(t) = w_i0 exp(-4 eta_A eta_x mu_i t) / "
            "(1 + sum_j w_j0 (1 - exp(-4 eta_A eta_x mu_j t))/(eta_x mu_j))",
            lhs,
            rhs,
        )
    )
    steps.append(
        DerivationStep(
            "w_i(0)", "initial values", sp.Matrix([sp.Subs(wi, t, 0) for wi in w]), sp.Matrix([w10, w20])
        )
    )
    return Derivation(
        title=f"Conserved matrix of the full flow Eq. 8 (d = {d}, m = {m})",
        steps=tuple(steps),
        symbols=dict(A=A, r=r, M=M),
    )


def full_conserved_matrix(A, r, s, eta_x, eta_A):
    """:math:`M_{\\rm full} = A^TA/(2\\eta_A) - (rr^T + ss^T)/\\eta_x`, conserved by the flow of Eq. (6).

    ``A``: ``(..., m, d)``; ``r`` (half separation) and ``s`` (centroid): ``(..., d)``.  The
    decoder bias ``b`` and the target ``y`` do not enter.  With ``X = [x_1, x_2]`` (the
    embeddings as a first layer) :math:`rr^T + ss^T = XX^T/2`, so :math:`M_{\\rm full}` is the
    learning-rate weighted layer balancedness :math:`A^TA/\\eta_A - XX^T/\\eta_x` (halved) that
    gradient flow conserves in two-layer linear networks (Arora, Cohen, Hazan 2018 [2]_;
    Du, Hu, Lee 2018 [3]_); :func:`derive_full_conserved_matrix` proves it.  At ``s = 0`` it is
    :func:`conserved_matrix`.

    References
    ----------
    .. [2] S. Arora, N. Cohen, E. Hazan, "On the optimization of deep networks: implicit
       acceleration by overparameterization", ICML (2018).
    .. [3] S. S. Du, W. Hu, J. D. Lee, "Algorithmic regularization in learning deep homogeneous
       models: layers are automatically balanced", NeurIPS (2018).

    Examples
    --------
    >>> A, r = np.array([[2.0]]), np.array([1.0])
    >>> M_full = full_conserved_matrix(A, r, np.zeros(1), 1.0, 1.0)
    >>> bool(np.allclose(M_full, conserved_matrix(A, r, 1.0, 1.0)))
    True
    """
    s = np.asarray(s, dtype=float)
    eta_x_, _ = _rates(eta_x, eta_A)
    return conserved_matrix(A, r, eta_x, eta_A) - s[..., :, None] * s[..., None, :] / eta_x_


@functools.cache
def derive_full_conserved_matrix(d: int = 2, m: int | None = None) -> Derivation:
    """Prove that the flow of the whole pair loss Eq. (6) conserves :math:`M_{\\rm full}`; the lower bound.

    The flow is the exact gradient flow Eq. (7) of Eq. (6) in ``(A, b, s, r)``
    (:func:`~effective_theory.dynamics.repon_flow.exact_pair_flow`: decoder bias and centroid
    included, no assumption).  Then

    * :math:`\\dot M_{\\rm full} = 0` with :math:`M_{\\rm full} = A^TA/(2\\eta_A) - (rr^T + ss^T)/\\eta_x`;
    * :math:`r^T\\dot r = -\\eta_x|Ar|^2`, so a fixed point has :math:`Ar = 0`, and at a fixed
      point without collision (:math:`r \\neq 0`)
      :math:`r^TM_{\\rm full}r = -(|r|^4 + (s^Tr)^2)/\\eta_x < 0`;
    * hence if :math:`M_{\\rm full}(0) \\succ 0` the flow cannot end at :math:`r \\neq 0`: a
      trajectory that converges collides.  From :math:`s(0) = 0`,
      :math:`M_{\\rm full}(0) = M_0` of Eq. (8), so :math:`P(\\text{collision}) \\ge P(M_0 \\succ 0)`,
      whatever ``b(0)`` and ``y`` (Appendix C's :math:`b(0) = 0` included).

    Returns
    -------
    Derivation
        Steps ``"dM_full/dt"``, ``"balancedness"``, ``"s = 0 gives M"``, ``"r.dr/dt"``,
        ``"quadratic form"``, ``"non-collision fixed point"``.

    Examples
    --------
    >>> all(s.holds for s in derive_full_conserved_matrix(1).steps)
    True
    """
    m = d if m is None else m
    F = exact_pair_flow(d, m)
    S = F["symbols"]
    A, b, y, s, r, x1, x2 = (S[k] for k in ("A", "b", "y", "s", "r", "x1", "x2"))
    eta_A, eta_x = S["eta_A"], S["eta_x"]
    Am, rm, Adot, rdot = _matrix_symbols(m, d)
    sm, sdot = sp.MatrixSymbol("s", d, 1), sp.MatrixSymbol("sdot", d, 1)
    Mf = Am.T * Am / (2 * eta_A) - (rm * rm.T + sm * sm.T) / eta_x
    dMf = (Adot.T * Am + Am.T * Adot) / (2 * eta_A) - (
        rdot * rm.T + rm * rdot.T + sdot * sm.T + sm * sdot.T
    ) / eta_x
    explicit = ((Am, A), (rm, r), (sm, s))
    flow = ((Adot, F["dA"]), (rdot, F["dr"]), (sdot, F["ds"]))
    steps = [
        DerivationStep(
            "dM_full/dt",
            "M_full = A^T A/(2 eta_A) - (r r^T + s s^T)/eta_x is conserved by the exact flow of Eq. 6 "
            "(decoder bias b, target y and centroid s included)",
            dMf,
            sp.zeros(d, d),
            where=flow + explicit,
        )
    ]
    X1, X2 = sp.MatrixSymbol("x_1", d, 1), sp.MatrixSymbol("x_2", d, 1)
    steps.append(
        DerivationStep(
            "balancedness",
            "x1 x1^T + x2 x2^T = 2 (r r^T + s s^T): M_full = A^T A/(2 eta_A) - X X^T/(2 eta_x) "
            "with X = [x1, x2], "
            "the learning-rate weighted layer balancedness of two-layer linear networks "
            "(Arora, Cohen, Hazan 2018; Du, Hu, Lee 2018)",
            X1 * X1.T + X2 * X2.T,
            2 * (rm * rm.T + sm * sm.T),
            where=((X1, x1), (X2, x2), (x1, s + r), (x2, s - r), (rm, r), (sm, s)),
        )
    )
    steps.append(
        DerivationStep(
            "s = 0 gives M",
            "at s = 0 (Appendix C's x1 + x2 = 0 at t = 0) M_full is the conserved M of Eq. 8",
            Mf,
            Am.T * Am / (2 * eta_A) - rm * rm.T / eta_x,
            where=explicit + ((s, sp.zeros(d, 1)),),
        )
    )
    steps.append(
        DerivationStep(
            "r.dr/dt",
            "r^T dr/dt = -eta_x |A r|^2: dr/dt = 0 needs A r = 0",
            rm.T * rdot,
            -eta_x * (Am * rm).T * (Am * rm),
            where=flow[1:2] + explicit,
        )
    )
    q, rho, sigma = sp.symbols("q rho sigma", real=True)  # |A r|^2, |r|^2, s^T r
    quad = rm.T * Mf * rm
    steps.append(
        DerivationStep(
            "quadratic form",
            "r^T M_full r = |A r|^2/(2 eta_A) - (|r|^4 + (s^T r)^2)/eta_x",
            quad,
            ((Am * rm).T * (Am * rm)) / (2 * eta_A)
            - ((rm.T * rm) * (rm.T * rm) + (sm.T * rm) * (sm.T * rm)) / eta_x,
            where=explicit,
        )
    )
    steps.append(
        DerivationStep(
            "non-collision fixed point",
            "at a fixed point with r != 0 (A r = 0, so |A r|^2 = q = 0): "
            "r^T M_full r = -(|r|^4 + (s^T r)^2)/eta_x "
            "< 0, so M_full is not positive definite; M_full(0) > 0 therefore forces a collision",
            sp.Subs(q / (2 * eta_A) - (rho**2 + sigma**2) / eta_x, q, 0),
            -(rho**2 + sigma**2) / eta_x,
            assumptions=("q = |A r|^2, rho = |r|^2, sigma = s^T r",),
        )
    )
    return Derivation(
        title=f"Conserved matrix of the whole pair loss Eq. 6 (d = {d}, m = {m})",
        steps=tuple(steps),
        symbols=dict(A=A, b=b, y=y, s=s, r=r, eta_A=eta_A, eta_x=eta_x),
    )
