"""Gradient flow of a linearized repon pair: Eq. (6) -> Eq. (7)/(C1) -> (C2) -> (C3)/Eq. (8) of [1]_.

Two same-class embeddings :math:`x_1, x_2 \\in \\mathbb{R}^d` meet a locally
linear decoder :math:`D(x) = A x + b` (:math:`A \\in \\mathbb{R}^{m\\times d}`)
with the pair loss of Eq. (6),

.. math::

    \\ell = \\tfrac12\\left(|A x_1 + b - y|^2 + |A x_2 + b - y|^2\\right).

:func:`derive_repon_flow` derives every step of Appendix C with sympy, using
explicit components for a given ``d`` (and ``m``), and records for each step
the assumptions it uses.  With the centroid :math:`s = (x_1 + x_2)/2`, the
half separation :math:`r = (x_1 - x_2)/2` and the mean residual
:math:`e = A s + b - y` the loss is exactly :math:`\\ell = |e|^2 + |A r|^2`,
and the exact flow is

.. math::

    \\dot A = -2\\eta_A A r r^T - 2\\eta_A e s^T,\\quad
    \\dot b = -2\\eta_A e,\\quad
    \\dot s = -\\eta_x A^T e,\\quad
    \\dot r = -\\eta_x A^T A r.

Eq. (8) keeps only the first term of :math:`\\dot A`; the dropped term
:math:`-2\\eta_A e s^T` vanishes on the invariant manifold :math:`s = e = 0`
but not with the paper's choice :math:`s(0) = 0, b(0) = 0` when
:math:`A^T y \\neq 0`, because then :math:`\\dot s = \\eta_x e^{-2\\eta_A t}A^T y \\neq 0`:
the coordinate choice :math:`x_1 + x_2 = 0` is not preserved by the flow.
:math:`\\dot r = -\\eta_x A^T A r` holds exactly, without any assumption.

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics
   of Model Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import functools

import sympy as sp

from effective_theory.dynamics.derivation_steps import Derivation, DerivationStep

__all__ = ["pair_loss", "derive_repon_flow", "exact_pair_flow"]


def _vec(name, n):
    """Column of real symbols ``name1 .. namen`` (``x_1`` gives ``x_11, x_12``: repon 1, components 1, 2)."""
    return sp.Matrix(n, 1, lambda i, _j: sp.Symbol(f"{name}{i + 1}", real=True))


def _check_dims(d, m):
    for name, v in (("d", d), ("m", m)):
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"{name} must be an int, got {type(v).__name__}")
        if v < 1:
            raise ValueError(f"{name} (dimension) must be >= 1, got {v}")


def pair_loss(d: int = 2, m: int | None = None) -> tuple:
    """Symbols and loss of Eq. (6) with explicit components.

    Parameters
    ----------
    d : int
        Embedding dimension.
    m : int, optional
        Decoder output dimension (default ``d``).

    Returns
    -------
    loss : sympy.Expr
        :math:`\\ell` of Eq. (6).
    symbols : dict
        ``A`` (m x d Matrix), ``b``, ``y`` (m x 1), ``x1``, ``x2``, ``s``, ``r``
        (d x 1), ``eta_A``, ``eta_x``, ``t``.

    Examples
    --------
    >>> loss, S = pair_loss(1)
    >>> sp.expand(loss.subs({S["x1"][0]: 0, S["x2"][0]: 0}) - (S["b"][0] - S["y"][0])**2)
    0
    """
    m = d if m is None else m
    _check_dims(d, m)
    A = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"A{i + 1}{j + 1}", real=True))
    S = dict(
        A=A,
        b=_vec("b", m),
        y=_vec("y", m),
        x1=_vec("x_1", d),
        x2=_vec("x_2", d),
        s=_vec("s", d),
        r=_vec("r", d),
        eta_A=sp.Symbol("eta_A", positive=True),
        eta_x=sp.Symbol("eta_x", positive=True),
        t=sp.Symbol("t", nonnegative=True),
        d=d,
        m=m,
    )
    res1 = A * S["x1"] + S["b"] - S["y"]
    res2 = A * S["x2"] + S["b"] - S["y"]
    loss = sp.Rational(1, 2) * ((res1.T * res1)[0] + (res2.T * res2)[0])
    return loss, S


def _grad(loss, M):
    return M.applyfunc(lambda v: sp.diff(loss, v))


def exact_pair_flow(d: int = 2, m: int | None = None) -> dict:
    """Exact gradient flow of Eq. (7) written in ``(A, b, s, r)``, derived from Eq. (6).

    Returns a dict with sympy matrices ``dA``, ``db``, ``ds``, ``dr``, ``de`` (the
    time derivatives), ``e`` (mean residual) and the symbols.  No assumption
    is made; compare with Eq. (8) in :func:`derive_repon_flow`.

    Examples
    --------
    >>> F = exact_pair_flow(1)
    >>> S = F["symbols"]
    >>> sp.expand(F["dr"][0] + S["eta_x"] * S["A"][0]**2 * S["r"][0])
    0
    """
    loss, S = pair_loss(d, m)
    A, b, x1, x2, s, r = (S[k] for k in ("A", "b", "x1", "x2", "s", "r"))
    eta_A, eta_x = S["eta_A"], S["eta_x"]
    sub = {**{x1[i]: s[i] + r[i] for i in range(S["d"])}, **{x2[i]: s[i] - r[i] for i in range(S["d"])}}
    dA = (-eta_A * _grad(loss, A)).subs(sub)
    db = (-eta_A * _grad(loss, b)).subs(sub)
    dx1 = (-eta_x * _grad(loss, x1)).subs(sub)
    dx2 = (-eta_x * _grad(loss, x2)).subs(sub)
    ds = (dx1 + dx2) / 2
    dr = (dx1 - dx2) / 2
    e = A * s + b - S["y"]
    de = dA * s + A * ds + db
    return dict(dA=dA, db=db, ds=ds, dr=dr, de=de, e=e, loss=loss.subs(sub), symbols=S)


@functools.cache
def derive_repon_flow(d: int = 2, m: int | None = None) -> Derivation:
    """Derive Eq. (7)/(C1), (C2) and (C3)/Eq. (8) of [1]_ from the loss of Eq. (6).

    Every step is a :class:`~effective_theory.dynamics.derivation_steps.DerivationStep`;
    steps with ``expect_exact=False`` compare the exact expression (lhs) with
    the paper's (rhs) and expose the dropped term as ``residual``.

    Parameters
    ----------
    d : int
        Embedding dimension (explicit components; 1, 2, 3 take well under a second).
    m : int, optional
        Decoder output dimension (default ``d``).

    Returns
    -------
    Derivation
        Steps labelled ``"Eq. 6"``, ``"C1: dA/dt"``, ``"C1: db/dt"``,
        ``"C1: dx1/dt"``, ``"C1: dx2/dt"``, ``"split"``, ``"C3: dr/dt"``,
        ``"ds/dt"``, ``"x1+x2=0 preserved?"``, ``"b(t)"``, ``"C2: dA/dt"``,
        ``"C2: dx1/dt"``, ``"C2: dx2/dt"``, ``"Eq. 8: dA/dt"``,
        ``"Eq. 8: dropped term"``, ``"invariant manifold: ds/dt"``, ``"invariant manifold: de/dt"``,
        ``"late time: de/dt"``, ``"potential"``.

    Examples
    --------
    >>> D = derive_repon_flow(1)
    >>> D["C3: dr/dt"].holds, D["C1: db/dt"].holds, D["Eq. 8: dA/dt"].holds
    (True, False, False)
    """
    loss, S = pair_loss(d, m)
    A, b, y, x1, x2, s, r = (S[k] for k in ("A", "b", "y", "x1", "x2", "s", "r"))
    eta_A, eta_x, t = S["eta_A"], S["eta_x"], S["t"]
    d, m = S["d"], S["m"]
    ell = sp.Symbol("ell")  # the loss l of Eq. 6, kept as a symbol so that gradients print unevaluated
    steps = []

    def nabla(M):
        """Matrix of unevaluated partial derivatives of l (printed as dl/dM_ij)."""
        return M.applyfunc(lambda v: sp.Derivative(ell, v))

    # the same loss in matrix notation, for printing
    Am, bm, ym = sp.MatrixSymbol("A", m, d), sp.MatrixSymbol("b", m, 1), sp.MatrixSymbol("y", m, 1)
    x1m, x2m = sp.MatrixSymbol("x_1", d, 1), sp.MatrixSymbol("x_2", d, 1)
    res1m, res2m = Am * x1m + bm - ym, Am * x2m + bm - ym
    loss_m = sp.Rational(1, 2) * (res1m.T * res1m + res2m.T * res2m)
    given_loss = ((ell, loss),)
    given_split = given_loss + ((x1, s + r), (x2, s - r))  # x1 = s + r, x2 = s - r
    comp = sp.Rational(1, 2) * sum(
        (sum(A[k, j] * x[j] for j in range(d)) + b[k] - y[k]) ** 2 for x in (x1, x2) for k in range(m)
    )
    steps.append(
        DerivationStep(
            "Eq. 6",
            "pair loss l = 1/2(|A x1 + b - y|^2 + |A x2 + b - y|^2), written in components",
            ell,
            comp,
            where=((ell, loss_m), (Am, A), (bm, b), (ym, y), (x1m, x1), (x2m, x2)),
        )
    )

    # --- C1: the gradient flow of Eq. (7), derived by differentiating Eq. (6)
    steps.append(
        DerivationStep(
            "C1: dA/dt",
            "-eta_A dl/dA equals the paper's C1 expression",
            -eta_A * nabla(A),
            -eta_A * (A * (x1 * x1.T + x2 * x2.T) + (b - y) * (x1 + x2).T),
            where=given_loss,
        )
    )
    steps.append(
        DerivationStep(
            "C1: db/dt",
            "-eta_A dl/db versus the paper's C1 -eta_A(A(x1+x2) + b - y): C1 drops a factor 2 on (b - y) "
            "(a typo: the paper's own b(t) = (1 - exp(-2 eta_A t)) y needs the factor 2)",
            -eta_A * nabla(b),
            -eta_A * (A * (x1 + x2) + b - y),
            expect_exact=False,
            where=given_loss,
        )
    )
    for name, x in (("dx1/dt", x1), ("dx2/dt", x2)):
        steps.append(
            DerivationStep(
                f"C1: {name}",
                "-eta_x dl/dx_i = -eta_x A^T (A x_i + b - y)",
                -eta_x * nabla(x),
                -eta_x * A.T * (A * x + b - y),
                where=given_loss,
            )
        )

    # --- centroid / half-separation split (exact change of variables)
    e = A * s + b - y
    vel_r = (-eta_x * nabla(x1) + eta_x * nabla(x2)) / 2  # (dx1/dt - dx2/dt)/2
    vel_s = (-eta_x * nabla(x1) - eta_x * nabla(x2)) / 2  # (dx1/dt + dx2/dt)/2
    steps.append(
        DerivationStep(
            "split",
            "with x1 = s + r, x2 = s - r and e = A s + b - y: l = |e|^2 + |A r|^2 (identity)",
            ell,
            (e.T * e)[0] + ((A * r).T * (A * r))[0],
            where=given_split,
        )
    )
    steps.append(
        DerivationStep(
            "C3: dr/dt",
            "(dx1/dt - dx2/dt)/2 = -eta_x A^T A r holds exactly, with no assumption",
            vel_r,
            -eta_x * A.T * A * r,
            where=given_split,
        )
    )
    steps.append(
        DerivationStep(
            "ds/dt",
            "centroid velocity (dx1/dt + dx2/dt)/2 = -eta_x A^T e (identity)",
            vel_s,
            -eta_x * A.T * e,
            where=given_split,
        )
    )
    at_s0 = {s[i]: 0 for i in range(d)}
    steps.append(
        DerivationStep(
            "x1+x2=0 preserved?",
            "at s = 0 the centroid still moves: ds/dt = -eta_x A^T (b - y) != 0, so x1 + x2 = 0 is "
            "not preserved unless A^T (b - y) = 0",
            vel_s,
            sp.zeros(d, 1),
            assumptions=("s = (x1 + x2)/2 = 0 at this instant",),
            expect_exact=False,
            where=given_split + ((s, sp.zeros(d, 1)),),
        )
    )

    # --- b(t): db/dt at s = 0 is -2 eta_A (b - y); its solution with b(0) = 0
    b_t = (1 - sp.exp(-2 * eta_A * t)) * y
    steps.append(
        DerivationStep(
            "b(t)",
            "b(t) = (1 - exp(-2 eta_A t)) y solves db/dt = -eta_A dl/db = -2 eta_A (A s + b - y) "
            "with b(0) = 0",
            b_t.applyfunc(lambda v: sp.Derivative(v, t)),
            -eta_A * nabla(b),
            assumptions=("A (x1 + x2) = 0 for all t (s = 0 kept, which the flow does not do)", "b(0) = 0"),
            where=given_split + ((s, sp.zeros(d, 1)), (b, b_t)),
        )
    )

    # --- C2
    steps.append(
        DerivationStep(
            "C2: dA/dt",
            "with x1 = r, x2 = -r the (b - y)(x1 + x2)^T term vanishes: dA/dt = -2 eta_A A r r^T",
            -eta_A * nabla(A),
            -2 * eta_A * A * r * r.T,
            assumptions=("x1 + x2 = 0 at this instant",),
            where=given_loss + ((x1, r), (x2, -r)),
        )
    )
    for name, x in (("C2: dx1/dt", x1), ("C2: dx2/dt", x2)):
        steps.append(
            DerivationStep(
                name,
                "inserting b(t): dx_i/dt = -eta_x A^T A x_i + eta_x exp(-2 eta_A t) A^T y",
                -eta_x * nabla(x),
                -eta_x * A.T * A * x + eta_x * sp.exp(-2 * eta_A * t) * A.T * y,
                assumptions=("b(t) = (1 - exp(-2 eta_A t)) y",),
                where=given_loss + ((b, b_t),),
            )
        )

    # --- Eq. 8 / C3 for dA/dt: what is dropped when s != 0
    steps.append(
        DerivationStep(
            "Eq. 8: dA/dt",
            "exact dA/dt in (s, r) versus Eq. 8's -2 eta_A A r r^T: the dropped term is -2 eta_A e s^T",
            -eta_A * nabla(A),
            -2 * eta_A * A * r * r.T,
            expect_exact=False,
            where=given_split,
        )
    )
    steps.append(
        DerivationStep(
            "Eq. 8: dropped term",
            "the term Eq. 8 drops from dA/dt is exactly -2 eta_A e s^T",
            steps[-1].residual,
            -2 * eta_A * e * s.T,
        )
    )
    # de/dt = (dA/dt) s + A ds/dt + db/dt, printed in matrix notation
    F = exact_pair_flow(d, m)
    Adot, sdot, bdot = (
        sp.MatrixSymbol("Adot", m, d),
        sp.MatrixSymbol("sdot", d, 1),
        sp.MatrixSymbol("bdot", m, 1),
    )
    sm = sp.MatrixSymbol("s", d, 1)
    de_m = Adot * sm + Am * sdot + bdot
    given_de = ((Adot, F["dA"]), (sdot, F["ds"]), (bdot, F["db"]), (Am, A), (sm, s))
    on_manifold = ((s, sp.zeros(d, 1)), (b, y))
    steps.append(
        DerivationStep(
            "invariant manifold: ds/dt",
            "on s = 0, e = 0 (b = y) the centroid stays put",
            vel_s,
            sp.zeros(d, 1),
            assumptions=("s = 0", "b = y (so e = 0)"),
            where=given_split + on_manifold,
        )
    )
    steps.append(
        DerivationStep(
            "invariant manifold: de/dt",
            "on s = 0, e = 0 the residual stays zero, so Eq. 8 is exact there",
            de_m,
            sp.zeros(m, 1),
            assumptions=("s = 0", "b = y (so e = 0)"),
            where=given_de + on_manifold,
        )
    )
    steps.append(
        DerivationStep(
            "late time: de/dt",
            "at s = 0 the residual decays, de/dt = -(2 eta_A + eta_x A A^T) e, so the dropped term "
            "-2 eta_A e s^T dies out at late times (t >> 1/(2 eta_A))",
            de_m,
            -(2 * eta_A * sp.eye(m) + eta_x * A * A.T) * e.subs(at_s0),
            assumptions=("s = 0 at this instant",),
            where=given_de + ((s, sp.zeros(d, 1)),),
        )
    )
    U = sp.Rational(1, 2) * ((A * r).T * (A * r))[0]
    steps.append(
        DerivationStep(
            "potential",
            "dr/dt = -eta_x grad_r U with U = r^T A^T A r / 2 (Hooke-like attraction)",
            vel_r,
            -eta_x * r.applyfunc(lambda v: sp.Derivative(U, v)),
            where=given_split,
        )
    )
    return Derivation(
        title=f"Eq. 6 -> C1 -> C2 -> C3 / Eq. 8 (d = {d}, m = {m})", steps=tuple(steps), symbols=S
    )
