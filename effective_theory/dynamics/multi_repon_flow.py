"""One repon facing a cluster of N others: derivation of Eq. (13) of [1]_.

Repon :math:`x_0` and :math:`N` repons clustered at :math:`x_c` share a class;
the loss is the sum of Eq. (6)'s per-repon terms,
:math:`\\ell = \\tfrac12|A x_0 + b - y|^2 + \\tfrac N2|A x_c + b - y|^2`, and every
repon follows its own gradient (so the cluster stays clustered).  With the
centroid :math:`s = (x_0 + N x_c)/(N + 1)`, the separation :math:`D = x_0 - x_c`
and :math:`e = A s + b - y`,

.. math::

    \\ell = \\tfrac{N+1}{2}|e|^2 + \\tfrac{N}{2(N+1)}|A D|^2,\\quad
    \\dot D = -\\eta_x A^T A D,\\quad
    \\dot A = -\\eta_A\\left[(N+1) e s^T + \\tfrac{N}{N+1} A D D^T\\right].

On :math:`s = e = 0` and with the half separation :math:`r = D/2` this is
Eq. (8) with :math:`2\\eta_A \\to 4\\eta_A/(1 + 1/N)`, so the wedge becomes
:math:`|c|/|a_2| < \\sqrt{\\eta_x/(\\frac{4}{1+1/N}\\eta_A)}` and the Gaussian
integral of Eq. (12) gives Eq. (13).  The result depends on measuring
:math:`c` as half the lone-repon-to-cluster distance; measured from the
centroid instead, the threshold is :math:`\\sqrt{\\eta_x N/((N+1)\\eta_A)}`, which
*grows* with :math:`N` (step ``"centroid convention"``).

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT" (2025).
"""

from __future__ import annotations

import functools

import sympy as sp

from effective_theory.dynamics.derivation_steps import Derivation, DerivationStep

__all__ = ["derive_multi_repon_flow", "cluster_stays_clustered"]


def _vec(name, n):
    return sp.Matrix(n, 1, lambda i, _j: sp.Symbol(f"{name}{i + 1}", real=True))


def cluster_stays_clustered(N: int, d: int = 1):
    """Velocities of ``N`` clustered repons computed with separate symbols, each from its own gradient.

    Returns the list of ``N`` velocity vectors evaluated at ``x_1 = ... = x_N = x_c``;
    they are all equal, so a cluster stays a cluster under the flow.

    Examples
    --------
    >>> vs = cluster_stays_clustered(3)
    >>> all(sp.simplify(v - vs[0]) == sp.zeros(1, 1) for v in vs)
    True
    """
    if not isinstance(N, int) or N < 1:
        raise ValueError(f"N must be an integer >= 1, got {N!r}")
    m = d
    A = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"A{i + 1}{j + 1}", real=True))
    b, y, x0, xc = _vec("b", m), _vec("y", m), _vec("x_0", d), _vec("x_c", d)
    xs = [_vec(f"x_{j + 1}", d) for j in range(N)]
    eta_x = sp.Symbol("eta_x", positive=True)

    def sq(v):
        return (v.T * v)[0]

    loss = sp.Rational(1, 2) * (sq(A * x0 + b - y) + sum(sq(A * x + b - y) for x in xs))
    sub = {xj[i]: xc[i] for xj in xs for i in range(d)}
    return [(-eta_x * x.applyfunc(lambda v: sp.diff(loss, v))).subs(sub) for x in xs]


@functools.cache
def derive_multi_repon_flow(d: int = 1) -> Derivation:
    """Derive Eq. (13) of [1]_ from the equations of motion of one repon and a cluster of ``N``.

    ``N`` is a positive symbol; the cluster members move with their own
    gradient :math:`-\\eta_x A^T(A x_c + b - y)` (checked with separate symbols for
    small ``N`` in :func:`cluster_stays_clustered`).

    Returns
    -------
    Derivation
        Steps ``"loss split"``, ``"dD/dt"``, ``"ds/dt"``, ``"dA/dt"``, ``"invariant manifold"``,
        ``"Eq. 8 analogue: dA/dt"``, ``"Eq. 8 analogue: dr/dt"``, ``"conserved C_N"``, ``"wedge"``,
        ``"Eq. 13"``, ``"N = 1 is Eq. 12"``, ``"centroid convention"``.

    Examples
    --------
    >>> D = derive_multi_repon_flow()
    >>> D["Eq. 13"].holds and D["N = 1 is Eq. 12"].holds
    True
    """
    if not isinstance(d, int) or d < 1:
        raise ValueError(f"d must be an integer >= 1, got {d!r}")
    m = d
    N = sp.Symbol("N", positive=True, integer=True)
    eta_A, eta_x = sp.symbols("eta_A eta_x", positive=True)
    A = sp.Matrix(m, d, lambda i, j: sp.Symbol(f"A{i + 1}{j + 1}", real=True))
    b, y, x0, xc = _vec("b", m), _vec("y", m), _vec("x_0", d), _vec("x_c", d)
    s, D = _vec("s", d), _vec("D", d)

    def sq(v):
        return (v.T * v)[0]

    def grad(f, M):
        return M.applyfunc(lambda v: sp.diff(f, v))

    loss = sp.Rational(1, 2) * sq(A * x0 + b - y) + N / 2 * sq(A * xc + b - y)
    dA = -eta_A * grad(loss, A)
    dx0 = -eta_x * grad(loss, x0)
    dxc = -eta_x * grad(loss, xc) / N  # each cluster member follows its own gradient
    sub = {
        **{x0[i]: s[i] + N * D[i] / (N + 1) for i in range(d)},
        **{xc[i]: s[i] - D[i] / (N + 1) for i in range(d)},
    }
    e = A * s + b - y
    steps = [
        DerivationStep(
            "loss split",
            "l = (N+1)/2 |e|^2 + N/(2(N+1)) |A D|^2 with s the centroid, D = x0 - xc",
            loss.subs(sub),
            (N + 1) / 2 * sq(e) + N / (2 * (N + 1)) * sq(A * D),
        ),
        DerivationStep(
            "dD/dt", "dD/dt = -eta_x A^T A D (exact)", (dx0 - dxc).subs(sub), -eta_x * A.T * A * D
        ),
        DerivationStep(
            "ds/dt",
            "centroid: ds/dt = -eta_x A^T e (exact)",
            ((dx0 + N * dxc) / (N + 1)).subs(sub),
            -eta_x * A.T * e,
        ),
        DerivationStep(
            "dA/dt",
            "dA/dt = -eta_A [(N+1) e s^T + N/(N+1) A D D^T] (exact)",
            dA.subs(sub),
            -eta_A * ((N + 1) * e * s.T + N / (N + 1) * A * D * D.T),
        ),
    ]
    on = {**{s[i]: 0 for i in range(d)}, **{b[i]: y[i] for i in range(m)}}
    de = dA.subs(sub) * s + A * ((dx0 + N * dxc) / (N + 1)).subs(sub) + (-eta_A * grad(loss, b)).subs(sub)
    vel = sp.Matrix.vstack(((dx0 + N * dxc) / (N + 1)).subs(sub), de)
    steps.append(
        DerivationStep(
            "invariant manifold",
            "s = 0, e = 0 (b = y) is invariant: (ds/dt, de/dt) = 0 there",
            vel.applyfunc(lambda v: sp.Subs(v, tuple(on), tuple(on.values()))),
            sp.zeros(d + m, 1),
            assumptions=("s = 0", "b = y"),
        )
    )
    r = _vec("r", d)
    half = {D[i]: 2 * r[i] for i in range(d)}
    steps.append(
        DerivationStep(
            "Eq. 8 analogue: dA/dt",
            "with r = D/2: dA/dt = -(4/(1 + 1/N)) eta_A A r r^T (Eq. 8 has 2 eta_A at N = 1)",
            dA.subs(sub).subs(on).subs(half),
            -(4 / (1 + 1 / N)) * eta_A * A * r * r.T,
            assumptions=("s = 0", "b = y"),
        )
    )
    steps.append(
        DerivationStep(
            "Eq. 8 analogue: dr/dt",
            "dr/dt = -eta_x A^T A r",
            ((dx0 - dxc) / 2).subs(sub).subs(half),
            -eta_x * A.T * A * r,
        )
    )
    a2, c = sp.symbols("a_2 c", real=True)
    kappa = 4 / (1 + 1 / N) * eta_A  # effective 2 eta_A
    CN = a2**2 / (2 * kappa) - c**2 / (2 * eta_x)
    t = sp.Symbol("t", nonnegative=True)
    a2t, ct = sp.Function("a_2")(t), sp.Function("c")(t)
    steps.append(
        DerivationStep(
            "conserved C_N",
            "along a2' = -(4/(1+1/N)) eta_A c^2 a2, c' = -eta_x a2^2 c, "
            "C_N = (1 + 1/N) a2^2/(8 eta_A) - c^2/(2 eta_x) is conserved",
            sp.Derivative(CN.subs({a2: a2t, c: ct}), t),
            sp.Integer(0),
            where=(
                (sp.Derivative(a2t, t), -kappa * ct**2 * a2t),
                (sp.Derivative(ct, t), -eta_x * a2t**2 * ct),
            ),
        )
    )
    kN = sp.sqrt(eta_x / (4 / (1 + 1 / N) * eta_A))
    steps.append(
        DerivationStep(
            "wedge",
            "C_N = (a2^2/(2 eta_x)) (k_N^2 - (c/a2)^2), k_N = sqrt(eta_x / ((4/(1 + 1/N)) eta_A))",
            CN,
            a2**2 / (2 * eta_x) * (kN**2 - (c / a2) ** 2),
        )
    )
    sigma_a, sigma_c, K = sp.symbols("sigma_a sigma_c K", positive=True)
    eq13 = 2 / sp.pi * sp.atan(sigma_a / sigma_c * sp.sqrt(eta_x / (4 / (1 + 1 / N) * eta_A)))
    steps.append(
        DerivationStep(
            "Eq. 13",
            "the wedge probability (2/pi) atan K of Eq. 12 with K = (sigma_a/sigma_c) k_N is Eq. 13",
            sp.Subs(2 * sp.atan(K) / sp.pi, K, sigma_a / sigma_c * kN),
            eq13,
        )
    )
    eq12 = 2 / sp.pi * sp.atan(sigma_a / sigma_c * sp.sqrt(eta_x / (2 * eta_A)))
    steps.append(
        DerivationStep("N = 1 is Eq. 12", "Eq. 13 at N = 1 equals Eq. 12", sp.Subs(eq13, N, 1), eq12)
    )
    # centroid convention, derived: the lone repon's distance to the centroid in terms of D = 2 r
    steps.append(
        DerivationStep(
            "centroid distance",
            "the lone repon's offset from the centroid is x0 - s = N D/(N + 1) = (2N/(N+1)) r",
            sp.Matrix([sp.Subs(x0[i] - s[i], x0[i], sub[x0[i]]) for i in range(d)]),
            2 * N / (N + 1) * r,
            where=((D, 2 * r),),
        )
    )
    g = sp.Symbol("g", positive=True)  # |x0 - s|
    a2p = sp.Symbol("a_2", positive=True)
    # the wedge boundary C_N = 0 written in g = (2N/(N+1)) c: solve for g/a2
    g_threshold = sp.solve(sp.Eq(CN.subs({c: (N + 1) * g / (2 * N), a2: a2p}), 0), g)[0] / a2p
    steps.append(
        DerivationStep(
            "centroid threshold",
            "substituting c = (N+1) g/(2N) into C_N = 0 and solving for g: the wedge measured from the "
            "centroid is |g|/|a2| < sqrt(eta_x N/((N+1) eta_A)), which grows with N",
            sp.Symbol("g_*"),
            sp.sqrt(eta_x * N / ((N + 1) * eta_A)),
            where=((sp.Symbol("g_*"), g_threshold),),
        )
    )
    steps.append(
        DerivationStep(
            "centroid convention",
            "the centroid threshold (derived above) is not k_N of Eq. 13 (they agree only at N = 1)",
            g_threshold,
            kN,
            expect_exact=False,
        )
    )
    return Derivation(
        title=f"Eq. 13: one repon and a cluster of N (d = {d})",
        steps=tuple(steps),
        symbols=dict(N=N, eta_A=eta_A, eta_x=eta_x, A=A, s=s, D=D, r=r),
    )
