"""The separable ansatz Eq. (9) of [1]_ and its reduction of Eq. (8) to Eq. (10).

Eq. (9) posits :math:`A(t) = a(t) A_0 + b(t) A_0 r_0 r_0^T`, :math:`r(t) = c(t) r_0`.
:func:`derive_repon_ansatz` substitutes it into Eq. (8) with sympy and finds:

* the :math:`\\dot A` equation is solved exactly for *any* :math:`A_0, r_0` by
  :math:`\\dot a = 0` and :math:`\\dot a_2 = -2\\eta_A |r_0|^2 c^2 a_2` with
  :math:`a_2 = a + b|r_0|^2` (Eq. (10) when :math:`|r_0| = 1`);
* the :math:`\\dot r` equation leaves a residual orthogonal to :math:`r_0`,
  :math:`\\eta_x c\\, a\\, a_2 (I - \\hat r_0 \\hat r_0^T) A_0^T A_0 r_0`, so the ansatz is exact
  iff :math:`r_0` is an eigenvector of :math:`A_0^T A_0` (given :math:`a \\equiv 1`,
  :math:`c, a_2 \\neq 0`);
* with :math:`A_0^T A_0 r_0 = \\lambda r_0`, :math:`\\dot c = -\\eta_x \\lambda a_2^2 c`, i.e.
  Eq. (10) needs :math:`\\lambda = 1` *and* :math:`|r_0| = 1`; in the variables
  :math:`(\\tilde a, \\tilde c) = (|A \\hat r|, |r|) = (\\sqrt\\lambda\\, a_2, |r_0| c)` Eq. (10)
  holds with no normalisation at all;
* "rescale so that :math:`|r_0| = 1`" is a symmetry of Eq. (8) only together
  with :math:`\\eta_x \\to \\lambda^2\\eta_x, \\eta_A \\to \\eta_A/\\lambda^2` (the ratio
  changes by :math:`\\lambda^4`); the conserved :math:`C` and the arctan argument of
  Eq. (12) are invariant under it.

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT" (2025).
"""

from __future__ import annotations

import functools

import sympy as sp

from effective_theory.dynamics.derivation_steps import Derivation, DerivationStep

__all__ = ["derive_repon_ansatz", "ansatz_residual"]


def _symbols(d, m):
    for name, v in (("d", d), ("m", m)):
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"{name} must be an int, got {type(v).__name__}")
        if v < 1:
            raise ValueError(f"{name} (dimension) must be >= 1, got {v}")
    A0 = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"A^0_{i + 1}{j + 1}", real=True))  # prints A^0_12
    r0 = sp.Matrix(d, 1, lambda i, _j: sp.Symbol(f"r^0_{i + 1}", real=True))
    a, b, c = sp.symbols("a b c", real=True)
    da, db, dc = sp.symbols("adot bdot cdot", real=True)
    eta_A, eta_x = sp.symbols("eta_A eta_x", positive=True)
    return dict(A0=A0, r0=r0, a=a, b=b, c=c, da=da, db=db, dc=dc, eta_A=eta_A, eta_x=eta_x)


def ansatz_residual(A0, r0, a, b, c, da, db, dc, eta_A, eta_x):
    """Residuals of Eq. (8) under the ansatz Eq. (9).

    Returns ``(RA, Rr)`` with ``RA = dA/dt + 2 eta_A A r r^T`` and
    ``Rr = dr/dt + eta_x A^T A r``, where ``dA/dt = da A0 + db A0 r0 r0^T``,
    ``dr/dt = dc r0``.  Works for sympy or numpy inputs.

    Examples
    --------
    >>> import numpy as np
    >>> A0, r0 = np.eye(2), np.array([[1.0], [0.0]])
    >>> RA, Rr = ansatz_residual(A0, r0, 1.0, 0.0, 1.0, 0.0, -2.0, -1.0, 1.0, 1.0)
    >>> bool(np.allclose(RA, 0) and np.allclose(Rr, 0))
    True
    """
    P = A0 * r0 * r0.T if isinstance(A0, sp.MatrixBase) else A0 @ r0 @ r0.T
    A = a * A0 + b * P
    r = c * r0
    if isinstance(A0, sp.MatrixBase):
        RA = da * A0 + db * P + 2 * eta_A * A * r * r.T
        Rr = dc * r0 + eta_x * A.T * A * r
    else:
        RA = da * A0 + db * P + 2 * eta_A * A @ r @ r.T
        Rr = dc * r0 + eta_x * A.T @ A @ r
    return RA, Rr


@functools.cache
def derive_repon_ansatz(d: int = 2, m: int | None = None) -> Derivation:
    """Substitute Eq. (9) into Eq. (8) and derive Eq. (10) with its exactness conditions.

    Parameters
    ----------
    d : int
        Embedding dimension (>= 2 shows the orthogonal residual).
    m : int, optional
        Decoder output dimension (default ``d``).

    Returns
    -------
    Derivation
        Steps ``"A equation"``, ``"Eq. 10: a2"``, ``"r equation: orthogonal residual"``,
        ``"counterexample"``, ``"eigenvector case"``, ``"Eq. 10: c"``,
        ``"Eq. 10 without normalisation"``, ``"rescaling symmetry"``,
        ``"C invariant under rescaling"``.

    Examples
    --------
    >>> D = derive_repon_ansatz(2)
    >>> D["A equation"].holds, D["eigenvector case"].holds, D["counterexample"].holds
    (True, True, False)
    """
    m = d if m is None else m
    S = _symbols(d, m)
    A0, r0, a, b, c, da, db, dc = (S[k] for k in ("A0", "r0", "a", "b", "c", "da", "db", "dc"))
    eta_A, eta_x = S["eta_A"], S["eta_x"]
    rho = (r0.T * r0)[0]  # |r0|^2
    a2 = a + b * rho
    steps = []

    # A equation: da = 0, db = -2 eta_A c^2 (a + b rho) solves it exactly
    sol_A = {da: 0, db: -2 * eta_A * c**2 * a2}
    RA, _ = ansatz_residual(A0, r0, a, b, c, da, db, dc, eta_A, eta_x)
    steps.append(
        DerivationStep(
            "A equation",
            "Eq. 9 in dA/dt = -2 eta_A A r r^T: solved by a' = 0, b' = -2 eta_A c^2 (a + b|r0|^2), "
            "for any A0 and r0",
            RA.subs(sol_A),
            sp.zeros(m, d),
        )
    )
    steps.append(
        DerivationStep(
            "Eq. 10: a2",
            "a2 = a + b|r0|^2 obeys a2' = a' + |r0|^2 b' = -2 eta_A |r0|^2 c^2 a2 (Eq. 10 when |r0| = 1)",
            sp.Subs(da + rho * db, (da, db), (sol_A[da], sol_A[db])),
            -2 * eta_A * rho * c**2 * a2,
        )
    )

    # r equation: residual component orthogonal to r0
    A = a * A0 + b * A0 * r0 * r0.T
    force = eta_x * c * A.T * A * r0  # = -dr/dt of Eq. 8 at r = c r0
    P = sp.eye(d) * rho - r0 * r0.T  # rho (I - r0 r0^T/rho): projector off r0, times rho
    steps.append(
        DerivationStep(
            "r equation: orthogonal residual",
            "the part of eta_x A^T A r orthogonal to r0 (times |r0|^2) is "
            "eta_x c a a2 (|r0|^2 - r0 r0^T) A0^T A0 r0; "
            "it must vanish for r = c r0, so the ansatz needs r0 to be an eigenvector of A0^T A0",
            P * force,
            eta_x * c * a * a2 * P * A0.T * A0 * r0,
        )
    )

    # a generic A0 breaks it: A0 = [[1, 1], [0, 1]] (padded), r0 = e1
    if d >= 2:
        A0_num = sp.zeros(m, d)
        for i in range(min(m, d)):
            A0_num[i, i] = 1
        A0_num[0, 1] = 1
        r0_num = sp.Matrix([1] + [0] * (d - 1))
        sub = {**dict(zip(A0, A0_num, strict=True)), **dict(zip(r0, r0_num, strict=True))}
        steps.append(
            DerivationStep(
                "counterexample",
                "A0 = I + E_12, r0 = e1 (not an eigenvector): the orthogonal residual is nonzero",
                (P * force).subs(sub),
                sp.zeros(d, 1),
                assumptions=("a = 1, b = 0, c = 1 (t = 0)",),
                expect_exact=False,
            )
        )

    # eigenvector case: r0 = e1, A0 with orthogonal columns (p, q, 0...) and k(-q, p, 0...)
    p, q, k, lam = sp.symbols("p q k lambda", real=True)
    if d >= 2 and m >= 2:
        A0_eig = sp.zeros(m, d)
        A0_eig[0, 0], A0_eig[1, 0] = p, q
        A0_eig[0, 1], A0_eig[1, 1] = -k * q, k * p
        for j in range(2, min(m, d)):
            A0_eig[j, j] = k
        r0_e = sp.Matrix([sp.Symbol("rho0", positive=True)] + [0] * (d - 1))
        sub = {**dict(zip(A0, A0_eig, strict=True)), **dict(zip(r0, r0_e, strict=True))}
        lam_val = p**2 + q**2  # A0^T A0 e1 = (p^2 + q^2) e1
        _, Rr = ansatz_residual(A0_eig, r0_e, a, b, c, da, db, dc, eta_A, eta_x)
        a2e = a + b * r0_e[0] ** 2
        steps.append(
            DerivationStep(
                "eigenvector case",
                "r0 eigenvector of A0^T A0 (eigenvalue lambda = p^2 + q^2): the r equation closes with "
                "c' = -eta_x lambda a2^2 c",
                Rr.subs(dc, -eta_x * lam_val * a2e**2 * c),
                sp.zeros(d, 1),
                assumptions=("A0^T A0 r0 = lambda r0",),
            )
        )
    steps.append(
        DerivationStep(
            "Eq. 10: c",
            "substituting lambda = 1 (|A0 r0| = |r0|) the c equation is Eq. 10: c' = -eta_x a2^2 c",
            sp.Subs(-eta_x * lam * a2**2 * c, lam, 1),
            -eta_x * a2**2 * c,
            assumptions=("A0^T A0 r0 = r0",),
        )
    )

    # no normalisation needed in the variables (|A rhat|, |r|) = (sqrt(lam) a2, sqrt(rho) c)
    rho_s, lam_s = sp.symbols("rho lambda", positive=True)
    t = sp.Symbol("t", nonnegative=True)
    a2f, cf, atf, ctf = (sp.Function(n)(t) for n in ("a_2", "c", "atilde", "ctilde"))
    flow = (
        (sp.Derivative(a2f, t), -2 * eta_A * rho_s * cf**2 * a2f),
        (sp.Derivative(cf, t), -eta_x * lam_s * a2f**2 * cf),
    )
    steps.append(
        DerivationStep(
            "Eq. 10 without normalisation",
            "a~ = sqrt(lambda) a2 = |A rhat|, c~ = |r0| c = |r| obey Eq. 10 exactly: "
            "(a~' + 2 eta_A c~^2 a~, c~' + eta_x a~^2 c~) = 0",
            sp.Matrix(
                [
                    sp.Derivative(atf, t) + 2 * eta_A * ctf**2 * atf,
                    sp.Derivative(ctf, t) + eta_x * atf**2 * ctf,
                ]
            ),
            sp.zeros(2, 1),
            assumptions=("A0^T A0 r0 = lambda r0", "|r0|^2 = rho"),
            where=((atf, sp.sqrt(lam_s) * a2f), (ctf, sp.sqrt(rho_s) * cf)) + flow,
        )
    )

    # rescaling x -> L x (A -> A/L) maps Eq. 8 to itself only with eta_x -> L^2 eta_x, eta_A -> eta_A/L^2
    L = sp.Symbol("L", positive=True)
    Am = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"A{i + 1}{j + 1}", real=True))
    rm = sp.Matrix(d, 1, lambda i, _j: sp.Symbol(f"r{i + 1}", real=True))
    dA = -2 * eta_A * Am * rm * rm.T
    dr = -eta_x * Am.T * Am * rm
    Ap, rp = Am / L, L * rm
    steps.append(
        DerivationStep(
            "rescaling symmetry",
            "for A' = A/L, r' = L r: (dA'/dt, dr'/dt) equal Eq. 8 with eta_A' = eta_A/L^2, "
            "eta_x' = L^2 eta_x",
            sp.Matrix.vstack(dA.reshape(m * d, 1) / L, L * dr),
            sp.Matrix.vstack(
                (-2 * (eta_A / L**2) * Ap * rp * rp.T).reshape(m * d, 1), -(L**2 * eta_x) * Ap.T * Ap * rp
            ),
        )
    )
    a_, c_ = sp.symbols("a_2 c", real=True)
    C = a_**2 / (2 * eta_A) - c_**2 / eta_x
    steps.append(
        DerivationStep(
            "C invariant under rescaling",
            "C = a2^2/(2 eta_A) - c^2/eta_x is unchanged by "
            "(a2, c, eta_A, eta_x) -> (a2/L, L c, eta_A/L^2, L^2 eta_x); "
            "so is the Eq. 12 argument (sigma_a/sigma_c) sqrt(eta_x/(2 eta_A))",
            sp.Subs(C, (a_, c_, eta_A, eta_x), (a_ / L, L * c_, eta_A / L**2, L**2 * eta_x)),
            C,
        )
    )
    return Derivation(title=f"Ansatz Eq. 9 -> Eq. 10 (d = {d}, m = {m})", steps=tuple(steps), symbols=S)
