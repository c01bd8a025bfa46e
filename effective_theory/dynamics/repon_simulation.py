"""Numerical checks of the repon theory of [1]_: Eq. (10), Eq. (8), discrete GD on Eq. (6), N+1 repons.

Every simulator starts from Gaussian initial conditions
:math:`a_2^{(0)} \\sim N(0, \\sigma_a^2)`, :math:`c^{(0)} \\sim N(0, \\sigma_c^2)` (half
separation), runs the dynamics to ``t_max`` and classifies each run as a
collision when the separation has shrunk by a larger factor than the decoder
amplitude along it (:func:`classify_collision`).  The collided fraction is
returned with its Monte Carlo standard error in a :class:`MonteCarloResult`
and compared with Eq. (12)/(13) (:func:`representation_learning_probability`).

* :func:`simulate_reduced_flow` integrates Eq. (10) (scipy ``solve_ivp`` in
  log variables, all samples in one vectorised system).
* :func:`simulate_matrix_flow` integrates the full matrix flow Eq. (8) for
  :math:`A \\in \\mathbb{R}^{m\\times d}`, either inside the ansatz regime (``r0`` an
  eigenvector of :math:`A_0^TA_0`) or with a Gaussian perturbation of size
  ``perturbation`` that leaves it.  Outside the ansatz the exact criterion is
  the positive-definiteness of the conserved matrix
  :math:`M = A^TA/(2\\eta_A) - rr^T/\\eta_x` (see
  :func:`~effective_theory.dynamics.conservation.derive_conserved_matrix`).
* :func:`simulate_pair_gradient_descent` runs discrete gradient descent on the
  loss Eq. (6) itself (decoder bias ``b`` and both repons), step size
  ``step`` in units of the learning rates.
* :func:`simulate_cluster_flow` integrates one repon and ``N`` others (each
  with its own coordinate) for Eq. (13).

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT" (2025).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from effective_theory.dynamics.collision_probability import representation_learning_probability
from effective_theory.dynamics.matrix_collision import (
    matrix_collision_probability,
    wedge_bound_probability,
)

__all__ = [
    "MonteCarloResult",
    "classify_collision",
    "sample_initial_conditions",
    "ansatz_initial_conditions",
    "simulate_reduced_flow",
    "simulate_matrix_flow",
    "matrix_collision_rules",
    "simulate_pair_gradient_descent",
    "simulate_cluster_flow",
    "simulate_pair_flow",
    "matrix_collision_check",
    "simulate_full_pair_flow",
]


@dataclass(frozen=True)
class MonteCarloResult:
    """Collided fraction of ``n`` runs versus the theory.

    Attributes
    ----------
    fraction : float
        Fraction of runs classified as collisions.
    theory : float
        Eq. (12) (or Eq. (13)) for the same parameters.
    n : int
        Number of initial conditions.
    n_undecided : int
        Runs where neither the separation nor the decoder amplitude had
        decayed below ``tol`` of its initial value by ``t_max`` (classified by
        the smaller ratio).
    extra : dict
        Simulator-specific diagnostics (documented by each simulator).
    """

    fraction: float
    theory: float
    n: int
    n_undecided: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def stderr(self) -> float:
        """Binomial standard error :math:`\\sqrt{p(1-p)/n}` at the theory value ``p``."""
        p = min(max(self.theory, 1.0 / self.n), 1 - 1.0 / self.n)
        return float(np.sqrt(p * (1 - p) / self.n))

    @property
    def z(self) -> float:
        """(fraction - theory) in units of :attr:`stderr`."""
        return (self.fraction - self.theory) / self.stderr


def solve_ivp(*args, **kwargs):
    """``scipy.integrate.solve_ivp``, imported on first use."""
    # imported here: scipy.integrate takes 0.44 s to import (measured), which only the ODE
    # integrations need
    from scipy.integrate import solve_ivp as _solve_ivp

    return _solve_ivp(*args, **kwargs)


def _check_common(eta_x, eta_A, sigma_a, sigma_c, n, N=1):
    for name, v in (("eta_x", eta_x), ("eta_A", eta_A), ("sigma_a", sigma_a), ("sigma_c", sigma_c)):
        if not np.isfinite(v) or v <= 0:
            raise ValueError(f"{name} must be a positive finite number, got {v!r}")
    if not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"n (number of initial conditions) must be a positive integer, got {n!r}")
    if not isinstance(N, int | np.integer) or N < 1:
        raise ValueError(f"N (number of clustered repons) must be an integer >= 1, got {N!r}")


def sample_initial_conditions(n, sigma_a, sigma_c, *, seed=None):
    """Draw ``n`` pairs :math:`(a_2^{(0)}, c^{(0)})` from :math:`N(0, \\sigma_a^2) \\times N(0, \\sigma_c^2)`.

    Examples
    --------
    >>> a, c = sample_initial_conditions(3, 1.0, 2.0, seed=0)
    >>> a.shape == c.shape == (3,)
    True
    """
    rng = np.random.default_rng(seed)
    return sigma_a * rng.standard_normal(n), sigma_c * rng.standard_normal(n)


def classify_collision(sep0, sepT, amp0, ampT, tol=1e-3):
    """Collision verdict from the initial/final separation and decoder amplitude.

    Returns ``(collided, undecided)`` boolean arrays: a run collided when the
    separation shrank by a larger factor than the amplitude; it is undecided
    when neither fell below ``tol`` times its initial value.

    Examples
    --------
    >>> col, und = classify_collision(np.ones(2), np.array([1e-5, 0.7]), np.ones(2), np.array([0.9, 1e-6]))
    >>> col.tolist(), und.tolist()
    ([True, False], [False, False])
    """
    rs = np.abs(sepT) / np.abs(sep0)
    ra = np.abs(ampT) / np.abs(amp0)
    return rs < ra, (rs > tol) & (ra > tol)


def simulate_reduced_flow(
    eta_x, eta_A, sigma_a, sigma_c, n=10_000, *, N=1, t_max=None, seed=None, rtol=1e-8, atol=1e-10
):
    """Integrate Eq. (10) (or its ``N``-cluster version) from ``n`` Gaussian initial conditions.

    In log variables :math:`u = \\ln|a_2|, v = \\ln|c|` the flow
    :math:`\\dot u = -\\kappa e^{2v}`, :math:`\\dot v = -\\eta_x e^{2u}`, with
    :math:`\\kappa = 4\\eta_A/(1 + 1/N)` (:math:`2\\eta_A` for a pair), is free of
    exponential decays, so ``solve_ivp`` reaches long times cheaply.

    Parameters
    ----------
    eta_x, eta_A, sigma_a, sigma_c : float
        Positive learning rates and initial widths.
    n : int
        Number of initial conditions.
    N : int
        Cluster size (Eq. (13)); 1 is the pair of Eq. (10).
    t_max : float, optional
        Integration time; default ``1e7 / (eta_x sigma_a^2 + kappa sigma_c^2)``.
    seed : int, optional
        Seed of the initial conditions.

    Returns
    -------
    MonteCarloResult
        ``extra`` has ``C_drift``: the largest relative change of the
        conserved quantity over the run (an integrator check).

    Examples
    --------
    >>> res = simulate_reduced_flow(2.0, 1.0, 1.0, 1.0, n=400, seed=1)
    >>> abs(res.z) < 4
    True
    """
    _check_common(eta_x, eta_A, sigma_a, sigma_c, n, N)
    kappa = 4 * eta_A / (1 + 1 / N)
    if t_max is None:
        t_max = 1e7 / (eta_x * sigma_a**2 + kappa * sigma_c**2)
    a0, c0 = sample_initial_conditions(n, sigma_a, sigma_c, seed=seed)

    def rhs(_t, y):
        u, v = y[:n], y[n:]
        return np.concatenate([-kappa * np.exp(2 * v), -eta_x * np.exp(2 * u)])

    y0 = np.concatenate([np.log(np.abs(a0)), np.log(np.abs(c0))])
    sol = solve_ivp(rhs, (0.0, t_max), y0, method="RK45", rtol=rtol, atol=atol)
    if not sol.success:  # pragma: no cover - scipy failure
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    uT, vT = sol.y[:n, -1], sol.y[n:, -1]
    aT, cT = np.sign(a0) * np.exp(uT), np.sign(c0) * np.exp(vT)
    collided, undecided = classify_collision(c0, cT, a0, aT)
    C0 = a0**2 / kappa - c0**2 / eta_x
    CT = aT**2 / kappa - cT**2 / eta_x
    drift = float(np.max(np.abs(CT - C0) / (a0**2 / kappa + c0**2 / eta_x)))
    theory = float(representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c, N=N))
    return MonteCarloResult(
        float(collided.mean()),
        theory,
        n,
        int(undecided.sum()),
        dict(C_drift=drift, nfev=int(sol.nfev), predicted=C0 > 0, collided=collided),
    )


def _random_orthogonal(rng, n, k):
    q, r = np.linalg.qr(rng.standard_normal((n, k, k)))
    return q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]


def ansatz_initial_conditions(a2, c, m=2, d=2, *, sigma_rest=1.0, seed=None):
    """Matrix initial conditions ``(A0, r0)`` in the ansatz regime of Eq. (9).

    ``r0 = c r_hat`` and ``A0 = a2 u r_hat^T + B`` with ``B r_hat = 0`` and
    ``u`` orthogonal to the range of ``B``, so ``A0^T A0 r_hat = a2^2 r_hat``:
    ``r_hat`` is an eigenvector and ``|A0 r_hat| = |a2|``.  The other singular
    values of ``A0`` are ``|N(0, sigma_rest^2)|``.  Needs ``m >= d``.

    Examples
    --------
    >>> A0, r0 = ansatz_initial_conditions(np.array([2.0]), np.array([0.5]), 3, 2, seed=0)
    >>> rh = r0[0] / np.linalg.norm(r0[0])
    >>> bool(np.allclose(A0[0].T @ A0[0] @ rh, 4.0 * rh))
    True
    """
    if m < d:
        raise ValueError(f"the ansatz construction needs m >= d, got m={m}, d={d}")
    rng = np.random.default_rng(seed)
    a2 = np.asarray(a2, dtype=float)
    c = np.asarray(c, dtype=float)
    n = a2.shape[0]
    Qo = _random_orthogonal(rng, n, m)
    Qi = _random_orthogonal(rng, n, d)
    s = np.abs(sigma_rest * rng.standard_normal((n, d)))
    s[:, 0] = a2
    A0 = np.einsum("nij,nj,nkj->nik", Qo[:, :, :d], s, Qi)
    r0 = c[:, None] * Qi[:, :, 0]
    return A0, r0


def _matrix_initial_conditions(rng, n, sigma_a, sigma_c, m, d, init, perturbation):
    if init == "ansatz":
        a0, c0 = sample_initial_conditions(n, sigma_a, sigma_c, seed=rng)
        A0, r0 = ansatz_initial_conditions(a0, c0, m, d, sigma_rest=sigma_a, seed=rng)
    elif init == "iid":
        A0 = sigma_a * rng.standard_normal((n, m, d))
        r0 = sigma_c * rng.standard_normal((n, d))
    else:
        raise ValueError(f"init must be 'ansatz' or 'iid', got {init!r}")
    if perturbation > 0:
        A0 = A0 + perturbation * sigma_a * rng.standard_normal(A0.shape)
    return A0, r0


def _check_matrix_args(m, d, perturbation):
    for name, v in (("m", m), ("d", d)):
        if not isinstance(v, int | np.integer) or v < 1:
            raise ValueError(f"{name} (dimension) must be a positive integer, got {v!r}")
    if not np.isfinite(perturbation) or perturbation < 0:
        raise ValueError(f"perturbation must be >= 0, got {perturbation!r}")


def matrix_collision_rules(
    eta_x, eta_A, sigma_a, sigma_c, n=100_000, *, m=2, d=2, init="ansatz", perturbation=0.0, seed=None
):
    """Collision probabilities of the matrix flow Eq. (8) from the exact rule, without integrating.

    Draws ``n`` initial conditions (``init="ansatz"``: :func:`ansatz_initial_conditions`
    with Gaussian :math:`a_2, c`, plus ``perturbation * sigma_a`` Gaussian noise on
    ``A0``; ``init="iid"``: i.i.d. :math:`N(0,\\sigma_a^2)` entries of ``A0`` and
    :math:`N(0,\\sigma_c^2)` entries of ``r0``) and returns a dict with

    * ``exact``: fraction with :math:`M_0 \\succ 0` (the exact outcome of Eq. (8),
      see :func:`~effective_theory.dynamics.conservation.matrix_flow_collides`),
    * ``naive``: fraction with :math:`C > 0` for :math:`a_2 = |A_0\\hat r_0|, c = |r_0|`
      (Eq. (11) applied as if the ansatz held),
    * ``eq12``: Eq. (12), and ``stderr`` of ``exact`` at ``eq12``;
    * for ``init="iid"`` (no perturbation) also ``general``: the exact probability
      :func:`~effective_theory.dynamics.matrix_collision.matrix_collision_probability`
      :math:`F_{d,m-d+1}(K^2(m-d+1)/d)`, ``general_stderr`` (binomial SE of ``exact`` at
      ``general``) and ``wedge_bound`` (the Cauchy-Schwarz bound, the probability of ``naive``).

    Examples
    --------
    >>> out = matrix_collision_rules(2.0, 1.0, 1.0, 1.0, n=20000, seed=0)
    >>> abs(out["exact"] - out["eq12"]) < 4 * out["stderr"]
    True
    """
    # imported here: the conservation module imports sympy, 0.22 s (measured), which the scalar
    # simulations of this module do not need
    from effective_theory.dynamics.conservation import matrix_flow_collides

    _check_common(eta_x, eta_A, sigma_a, sigma_c, n)
    _check_matrix_args(m, d, perturbation)
    rng = np.random.default_rng(seed)
    A0, r0 = _matrix_initial_conditions(rng, n, sigma_a, sigma_c, m, d, init, perturbation)
    c = np.linalg.norm(r0, axis=1)
    a2 = np.linalg.norm(np.einsum("nij,nj->ni", A0, r0), axis=1) / c
    naive = a2**2 / (2 * eta_A) - c**2 / eta_x > 0
    exact = matrix_flow_collides(A0, r0, eta_x, eta_A)
    p = float(representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c))
    out = dict(
        exact=float(exact.mean()),
        naive=float(naive.mean()),
        eq12=p,
        agree=float((exact == naive).mean()),
        stderr=float(np.sqrt(p * (1 - p) / n)),
    )
    if init == "iid" and perturbation == 0:
        g = float(matrix_collision_probability(eta_x, eta_A, sigma_a, sigma_c, m, d))
        gc = min(max(g, 1.0 / n), 1 - 1.0 / n)
        out.update(
            general=g,
            general_stderr=float(np.sqrt(gc * (1 - gc) / n)),
            wedge_bound=float(wedge_bound_probability(eta_x, eta_A, sigma_a, sigma_c, m, d)),
        )
    return out


def simulate_matrix_flow(
    eta_x,
    eta_A,
    sigma_a,
    sigma_c,
    n=1000,
    *,
    m=2,
    d=2,
    init="ansatz",
    perturbation=0.0,
    tau_max=400.0,
    seed=None,
    rtol=1e-8,
    atol=1e-13,
):
    """Integrate the full matrix flow Eq. (8) of [1]_ with scipy from ``n`` random initial conditions.

    Initial conditions as in :func:`matrix_collision_rules`.  Each sample runs
    on its own clock :math:`t = \\tau/\\lambda` with
    :math:`\\lambda = \\eta_x\\,\\mathrm{tr}(A_0^TA_0) + 2\\eta_A|r_0|^2`, an upper bound of its
    rates (both :math:`\\mathrm{tr}A^TA` and :math:`|r|` decrease along Eq. (8)),
    so one explicit ``solve_ivp`` run handles all samples; the end state does
    not depend on the clock.  Collision: ``|r|`` shrank by more than ``|A r_hat|``.

    Returns
    -------
    MonteCarloResult
        ``extra``: ``agree_exact`` (fraction whose outcome equals :math:`M_0 \\succ 0`),
        ``agree_naive`` (equals the Eq. (11) rule with :math:`a_2 = |A_0\\hat r_0|`),
        ``M_drift`` (largest :math:`|M(t) - M_0|/|M_0|` entry-wise, an integrator check),
        ``closed_form_error`` (largest :math:`|r(t) - r_{\\rm exact}(t)|/|r_0|` against
        :func:`~effective_theory.dynamics.conservation.matrix_flow_solution`),
        ``exact_fraction``, ``naive_fraction``.

    Examples
    --------
    >>> res = simulate_matrix_flow(2.0, 1.0, 1.0, 1.0, n=50, seed=0)
    >>> res.extra["agree_exact"] >= 1 - res.n_undecided / res.n
    True
    """
    # imported here: the conservation module imports sympy, 0.22 s (measured), which the scalar
    # simulations of this module do not need
    from effective_theory.dynamics.conservation import (
        conserved_matrix,
        matrix_flow_collides,
        matrix_flow_solution,
    )

    _check_common(eta_x, eta_A, sigma_a, sigma_c, n)
    _check_matrix_args(m, d, perturbation)
    rng = np.random.default_rng(seed)
    A0, r0 = _matrix_initial_conditions(rng, n, sigma_a, sigma_c, m, d, init, perturbation)
    lam = eta_x * np.einsum("nij,nij->n", A0, A0) + 2 * eta_A * np.einsum("ni,ni->n", r0, r0)
    k = m * d + d

    def rhs(_tau, z):
        z = z.reshape(n, k)
        A = z[:, : m * d].reshape(n, m, d)
        r = z[:, m * d :]
        Ar = (A @ r[:, :, None])[:, :, 0]
        dA = -2 * eta_A * Ar[:, :, None] * r[:, None, :]
        dr = -eta_x * (np.swapaxes(A, 1, 2) @ Ar[:, :, None])[:, :, 0]
        return (np.concatenate([dA.reshape(n, m * d), dr], axis=1) / lam[:, None]).ravel()

    z0 = np.concatenate([A0.reshape(n, m * d), r0], axis=1).ravel()
    sol = solve_ivp(rhs, (0.0, tau_max), z0, method="RK45", rtol=rtol, atol=atol)
    if not sol.success:  # pragma: no cover
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    zT = sol.y[:, -1].reshape(n, k)
    AT = zT[:, : m * d].reshape(n, m, d)
    rT = zT[:, m * d :]
    sep0, sepT = np.linalg.norm(r0, axis=1), np.linalg.norm(rT, axis=1)
    amp0 = np.linalg.norm(np.einsum("nij,nj->ni", A0, r0), axis=1) / sep0
    # amplitude along the current direction; r may have collapsed to ~0, so use r0's direction as fallback
    rhatT = np.where(sepT[:, None] > 0, rT / np.where(sepT > 0, sepT, 1.0)[:, None], r0 / sep0[:, None])
    ampT = np.linalg.norm(np.einsum("nij,nj->ni", AT, rhatT), axis=1)
    collided, undecided = classify_collision(sep0, sepT, amp0, ampT)
    exact = matrix_flow_collides(A0, r0, eta_x, eta_A)
    naive = amp0**2 / (2 * eta_A) - sep0**2 / eta_x > 0
    M0, MT = conserved_matrix(A0, r0, eta_x, eta_A), conserved_matrix(AT, rT, eta_x, eta_A)
    drift = float((np.abs(MT - M0).max(axis=(1, 2)) / np.abs(M0).max(axis=(1, 2))).max())
    r_exact = matrix_flow_solution(A0, r0, tau_max / lam, eta_x, eta_A)
    cf_err = float((np.linalg.norm(rT - r_exact, axis=1) / sep0).max())
    theory = float(representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c))
    return MonteCarloResult(
        float(collided.mean()),
        theory,
        n,
        int(undecided.sum()),
        dict(
            agree_exact=float((exact == collided).mean()),
            agree_naive=float((naive == collided).mean()),
            M_drift=drift,
            closed_form_error=cf_err,
            exact_fraction=float(exact.mean()),
            naive_fraction=float(naive.mean()),
            nfev=int(sol.nfev),
        ),
    )


def simulate_pair_gradient_descent(
    eta_x, eta_A, sigma_a, sigma_c, n=10_000, *, step=0.01, y=0.0, t_max=None, seed=None
):
    """Discrete gradient descent on the pair loss Eq. (6) itself (scalar decoder, ``m = d = 1``).

    Each iteration updates ``A -= step eta_A dl/dA``, ``b -= step eta_A dl/db``,
    ``x_i -= step eta_x dl/dx_i`` with the exact gradients of Eq. (6), so
    ``step -> 0`` is the gradient flow Eq. (7) at time ``t = step * iterations``.
    Initial conditions: ``A = a2 ~ N(0, sigma_a^2)``, ``x1 = -x2 = c ~ N(0, sigma_c^2)``,
    ``b = 0``; the target is ``y``.  ``y = 0`` starts on the invariant manifold
    ``s = e = 0`` where Eq. (8) is exact; ``y != 0`` is the paper's choice
    ``b(0) = 0`` of Appendix C, where the dropped term :math:`-2\\eta_A e s^T` acts.

    Returns
    -------
    MonteCarloResult
        ``extra``: ``diverged`` (runs whose parameters overflowed, counted as
        no collision), ``max_centroid`` (largest ``|s| = |x1 + x2|/2`` reached),
        ``max_dropped_ratio`` (largest ``|2 eta_A e s| / |2 eta_A A r^2|`` over the
        run, median over samples), ``agree_C`` (fraction of runs whose outcome
        equals the sign of the initial :math:`C`).
    """
    _check_common(eta_x, eta_A, sigma_a, sigma_c, n)
    if not np.isfinite(step) or step <= 0:
        raise ValueError(f"step must be positive, got {step!r}")
    if t_max is None:
        t_max = 300.0 / (eta_x * sigma_a**2 + eta_A * sigma_c**2)
    n_iter = int(np.ceil(t_max / step))
    a0, c0 = sample_initial_conditions(n, sigma_a, sigma_c, seed=seed)
    A, b = a0.copy(), np.zeros(n)
    x1, x2 = c0.copy(), -c0.copy()
    ha, hx = step * eta_A, step * eta_x
    max_s = np.zeros(n)
    max_ratio = np.zeros(n)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_iter):
            r1 = A * x1 + b - y
            r2 = A * x2 + b - y
            gA = r1 * x1 + r2 * x2
            gb = r1 + r2
            x1, x2 = x1 - hx * A * r1, x2 - hx * A * r2
            A = A - ha * gA
            b = b - ha * gb
            # tracked for every y (y = 0 included), so that "the centroid stays at 0" is a measurement
            s = 0.5 * (x1 + x2)
            r = 0.5 * (x1 - x2)
            e = A * s + b - y
            max_s = np.fmax(max_s, np.where(np.isfinite(s), np.abs(s), np.nan))
            ratio = np.abs(e * s) / np.maximum(np.abs(A) * r * r, 1e-300)
            max_ratio = np.fmax(max_ratio, np.where(np.isfinite(ratio), ratio, np.nan))
    sepT = np.abs(x1 - x2) / 2
    diverged = ~np.isfinite(sepT) | ~np.isfinite(A)
    sepT = np.where(diverged, np.inf, sepT)
    AT = np.where(diverged, 0.0, A)
    collided, undecided = classify_collision(c0, sepT, a0, AT)
    undecided &= ~diverged
    theory = float(representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c))
    C0 = a0**2 / (2 * eta_A) - c0**2 / eta_x
    return MonteCarloResult(
        float(collided.mean()),
        theory,
        n,
        int(undecided.sum()),
        dict(
            diverged=int(diverged.sum()),
            max_centroid=float(max_s[~diverged].max(initial=0.0)),
            max_dropped_ratio=float(np.median(max_ratio[~diverged])),
            agree_C=float(((C0 > 0) == collided).mean()),
            step=step,
            n_iter=n_iter,
        ),
    )


def simulate_cluster_flow(
    eta_x,
    eta_A,
    sigma_a,
    sigma_c,
    N,
    n=2000,
    *,
    spread=0.0,
    tau_max=400.0,
    seed=None,
    step=None,
    t_max=None,
    rtol=1e-6,
    atol=1e-12,
):
    """Integrate one repon and ``N`` others, each with its own coordinate, for Eq. (13) of [1]_.

    Scalar decoder ``a`` (``m = d = 1``), ``b = y = 0``; the lone repon sits at
    ``N D/(N+1)``, the others at ``-D/(N+1)`` (centroid 0) with ``D = 2c``,
    ``c ~ N(0, sigma_c^2)``, ``a ~ N(0, sigma_a^2)``.  ``spread > 0`` jitters the
    cluster members by ``spread * sigma_c * N(0, 1)`` (then the cluster is no
    longer a single point).  The loss is the sum of Eq. (6)'s per-repon terms.
    Each sample runs on its own clock (as in :func:`simulate_matrix_flow`) up to
    ``tau_max``.  With ``step`` set, discrete gradient descent replaces the flow:
    ``ceil(t_max / step)`` iterations of ``a -= step eta_A dl/da`` (same for ``b``),
    ``x_j -= step eta_x dl/dx_j``, ``t_max`` defaulting to
    ``300 / (eta_x sigma_a^2 + eta_A sigma_c^2)``.
    Collision: the lone repon's distance to the cluster mean shrinks by more
    than ``|a|``.

    Returns
    -------
    MonteCarloResult
        Theory is Eq. (13); ``extra['eq12']`` is Eq. (12) for comparison.
    """
    _check_common(eta_x, eta_A, sigma_a, sigma_c, n, N)
    if spread < 0:
        raise ValueError(f"spread must be >= 0, got {spread}")
    rng = np.random.default_rng(seed)
    a0, c0 = sample_initial_conditions(n, sigma_a, sigma_c, seed=rng)
    D = 2 * c0
    x = np.empty((n, N + 1))
    x[:, 0] = N * D / (N + 1)
    x[:, 1:] = (-D / (N + 1))[:, None] + spread * sigma_c * rng.standard_normal((n, N))
    if step is not None:
        if not np.isfinite(step) or step <= 0:
            raise ValueError(f"step must be positive, got {step!r}")
        if t_max is None:
            t_max = 300.0 / (eta_x * sigma_a**2 + eta_A * sigma_c**2)
        a, b, xs = a0.copy(), np.zeros(n), x.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(int(np.ceil(t_max / step))):
                res = a[:, None] * xs + b[:, None]
                a, b, xs = (
                    a - step * eta_A * (res * xs).sum(axis=1),
                    b - step * eta_A * res.sum(axis=1),
                    xs - step * eta_x * a[:, None] * res,
                )
        bad = ~np.isfinite(a) | ~np.isfinite(xs).all(axis=1)
        aT = np.where(bad, 0.0, a)
        xT = np.where(bad[:, None], np.inf, xs)
        extra = dict(diverged=int(bad.sum()))
        return _cluster_result(eta_x, eta_A, sigma_a, sigma_c, N, x, xT, a0, aT, extra)

    # per-sample clock t = tau / lam, lam bounding the sample's rates (the end state is clock-independent)
    lam = eta_x * a0**2 + eta_A * ((x**2).sum(axis=1) + N + 1)

    def rhs(_tau, z):
        a = z[:n]
        b = z[n : 2 * n]
        xs = z[2 * n :].reshape(n, N + 1)
        res = a[:, None] * xs + b[:, None]
        da = -eta_A * (res * xs).sum(axis=1) / lam
        db = -eta_A * res.sum(axis=1) / lam
        dx = -eta_x * (a / lam)[:, None] * res
        return np.concatenate([da, db, dx.ravel()])

    sol = solve_ivp(
        rhs, (0.0, tau_max), np.concatenate([a0, np.zeros(n), x.ravel()]), method="RK45", rtol=rtol, atol=atol
    )
    if not sol.success:  # pragma: no cover
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    aT = sol.y[:n, -1]
    xT = sol.y[2 * n :, -1].reshape(n, N + 1)
    return _cluster_result(eta_x, eta_A, sigma_a, sigma_c, N, x, xT, a0, aT, dict(nfev=int(sol.nfev)))


def _cluster_result(eta_x, eta_A, sigma_a, sigma_c, N, x, xT, a0, aT, extra):
    sep0 = np.abs(x[:, 0] - x[:, 1:].mean(axis=1))
    with np.errstate(invalid="ignore"):
        sepT = np.abs(xT[:, 0] - xT[:, 1:].mean(axis=1))
    sepT = np.where(np.isfinite(sepT), sepT, np.inf)
    collided, undecided = classify_collision(sep0, sepT, a0, aT)
    theory = float(representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c, N=N))
    eq12 = float(representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c))
    return MonteCarloResult(
        float(collided.mean()), theory, len(a0), int(undecided.sum()), dict(eq12=eq12, **extra)
    )


def simulate_pair_flow(
    eta_x, eta_A, sigma_a, sigma_c, n=4000, *, y=1.0, tau_max=2000.0, seed=None, rtol=1e-8, atol=1e-13
):
    """Integrate the full gradient flow Eq. (7) of the pair loss Eq. (6) with the paper's ``b(0) = 0``.

    Scalar decoder (``m = d = 1``): state ``(A, b, x1, x2)`` with ``A = a2 ~ N(0, sigma_a^2)``,
    ``x1 = -x2 = c ~ N(0, sigma_c^2)`` (so ``x1 + x2 = 0`` at ``t = 0``), ``b = 0``, target
    ``y``.  For ``y != 0`` the centroid moves and the term :math:`-2\\eta_A e s^T` dropped by
    Eq. (8) acts, so the collided fraction can differ from Eq. (12).  Per-sample
    clocks as in :func:`simulate_matrix_flow`.

    Returns
    -------
    MonteCarloResult
        ``extra``: ``agree_C`` (fraction whose outcome equals the sign of the
        initial :math:`C`), ``final_centroid_median`` (median ``|s(oo)|``).
    """
    _check_common(eta_x, eta_A, sigma_a, sigma_c, n)
    if not np.isfinite(y):
        raise ValueError(f"y must be finite, got {y!r}")
    a0, c0 = sample_initial_conditions(n, sigma_a, sigma_c, seed=seed)
    lam = eta_x * a0**2 + eta_A * (2 * c0**2 + 2) + eta_x * abs(y) + 1.0

    def rhs(_tau, z):
        A, b, x1, x2 = z.reshape(4, n)
        r1 = A * x1 + b - y
        r2 = A * x2 + b - y
        return np.concatenate(
            [-eta_A * (r1 * x1 + r2 * x2), -eta_A * (r1 + r2), -eta_x * A * r1, -eta_x * A * r2]
        ) / np.tile(lam, 4)

    z0 = np.concatenate([a0, np.zeros(n), c0, -c0])
    sol = solve_ivp(rhs, (0.0, tau_max), z0, method="RK45", rtol=rtol, atol=atol)
    if not sol.success:  # pragma: no cover
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    AT, _bT, x1T, x2T = sol.y[:, -1].reshape(4, n)
    collided, undecided = classify_collision(c0, (x1T - x2T) / 2, a0, AT)
    C0 = a0**2 / (2 * eta_A) - c0**2 / eta_x
    theory = float(representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c))
    return MonteCarloResult(
        float(collided.mean()),
        theory,
        n,
        int(undecided.sum()),
        dict(
            agree_C=float(((C0 > 0) == collided).mean()),
            final_centroid_median=float(np.median(np.abs(x1T + x2T) / 2)),
            nfev=int(sol.nfev),
        ),
    )


def matrix_collision_check(eta_x, eta_A, sigma_a, sigma_c, n=100_000, *, m=2, d=2, seed=None):
    """Monte Carlo of the exact collision rule of Eq. (8) against the derived F-family probability.

    Draws ``n`` i.i.d. Gaussian ``(A0, r0)`` (``A0``: ``m x d``, entries :math:`N(0,\\sigma_a^2)`;
    ``r0``: entries :math:`N(0,\\sigma_c^2)`) and counts :math:`M_0 \\succ 0`
    (:func:`matrix_collision_rules`), which is the outcome of Eq. (8) run by run.

    Returns
    -------
    MonteCarloResult
        ``fraction`` = collided fraction, ``theory`` =
        :func:`~effective_theory.dynamics.matrix_collision.matrix_collision_probability`,
        ``stderr`` the binomial SE at ``theory``; ``extra``: ``eq12`` (Eq. 12), ``wedge_bound``
        (Cauchy-Schwarz bound), ``eq12_is_upper_bound`` (theory <= Eq. 12), ``eq12_z`` (how many SE the
        measured fraction lies above Eq. 12; a bound test fails when it exceeds the tolerance).

    Examples
    --------
    >>> res = matrix_collision_check(2.0, 1.0, 1.0, 1.0, n=20000, m=2, d=2, seed=0)
    >>> round(res.theory, 4), abs(res.z) < 4
    (0.2929, True)
    """
    out = matrix_collision_rules(eta_x, eta_A, sigma_a, sigma_c, n=n, m=m, d=d, init="iid", seed=seed)
    res = MonteCarloResult(out["exact"], out["general"], n)
    eq12 = out["eq12"]
    return MonteCarloResult(
        out["exact"],
        out["general"],
        n,
        extra=dict(
            eq12=eq12,
            wedge_bound=out["wedge_bound"],
            naive=out["naive"],
            eq12_is_upper_bound=bool(out["general"] <= eq12 + 1e-12),
            eq12_z=float((out["exact"] - eq12) / out["stderr"]),
            stderr=res.stderr,
            m=m,
            d=d,
        ),
    )


def simulate_full_pair_flow(
    eta_x,
    eta_A,
    sigma_a,
    sigma_c,
    n=1000,
    *,
    m=2,
    d=2,
    y=1.0,
    tau_max=20000.0,
    seed=None,
    rtol=1e-8,
    atol=1e-12,
):
    """Integrate the exact gradient flow Eq. (7) of the whole loss Eq. (6) from Appendix C's start.

    State ``(A, b, x1, x2)`` with ``A0`` (``m x d``) i.i.d. :math:`N(0, \\sigma_a^2)`,
    ``x1 = -x2 = r0`` (so ``s(0) = 0``) with ``r0`` i.i.d. :math:`N(0, \\sigma_c^2)`, ``b(0) = 0``
    and target ``y e_1``.  The centroid moves (for ``y != 0``), so Eq. (8) does not hold, but
    :math:`M_{\\rm full}` is conserved and every run with :math:`M_0 \\succ 0` must collide
    (:func:`~effective_theory.dynamics.conservation.derive_full_conserved_matrix`): the collided
    fraction is bounded below by ``theory`` = :math:`P(M_0 \\succ 0)`, the F-family probability.
    Per-sample clocks as in :func:`simulate_matrix_flow`.

    Returns
    -------
    MonteCarloResult
        ``theory`` = the lower bound; ``extra``: ``exact_fraction`` (fraction of these initial
        conditions with :math:`M_0 \\succ 0`), ``bound_violations`` (decided runs with
        :math:`M_0 \\succ 0` that did not collide; 0 if the bound holds run by run),
        ``undecided_bound_runs`` (runs with :math:`M_0 \\succ 0` not yet decided at ``tau_max``),
        ``M_full_drift`` (largest entry-wise
        :math:`|M_{\\rm full}(T) - M_{\\rm full}(0)|` relative to :math:`|M_0|`), ``eq12``.

    Examples
    --------
    >>> res = simulate_full_pair_flow(2.0, 1.0, 1.0, 1.0, n=40, m=1, d=1, seed=0)
    >>> res.extra["bound_violations"]
    0
    """
    # imported here: the conservation module imports sympy, 0.22 s (measured), which the scalar
    # simulations of this module do not need
    from effective_theory.dynamics.conservation import full_conserved_matrix, matrix_flow_collides

    _check_common(eta_x, eta_A, sigma_a, sigma_c, n)
    _check_matrix_args(m, d, 0.0)
    if not np.isfinite(y):
        raise ValueError(f"y must be finite, got {y!r}")
    rng = np.random.default_rng(seed)
    A0 = sigma_a * rng.standard_normal((n, m, d))
    r0 = sigma_c * rng.standard_normal((n, d))
    yv = np.zeros(m)
    yv[0] = y
    lam = (
        eta_x * np.einsum("nij,nij->n", A0, A0)
        + 2 * eta_A * (np.einsum("ni,ni->n", r0, r0) + 1)
        + eta_x * abs(y)
        + 1.0
    )
    k = m * d + m + 2 * d

    def rhs(_tau, z):
        z = z.reshape(n, k)
        A = z[:, : m * d].reshape(n, m, d)
        b = z[:, m * d : m * d + m]
        x1 = z[:, m * d + m : m * d + m + d]
        x2 = z[:, m * d + m + d :]
        e1 = np.einsum("nij,nj->ni", A, x1) + b - yv  # residuals A x_i + b - y
        e2 = np.einsum("nij,nj->ni", A, x2) + b - yv
        dA = -eta_A * (e1[:, :, None] * x1[:, None, :] + e2[:, :, None] * x2[:, None, :])
        db = -eta_A * (e1 + e2)
        dx1 = -eta_x * np.einsum("nij,ni->nj", A, e1)
        dx2 = -eta_x * np.einsum("nij,ni->nj", A, e2)
        return (np.concatenate([dA.reshape(n, m * d), db, dx1, dx2], axis=1) / lam[:, None]).ravel()

    z0 = np.concatenate([A0.reshape(n, m * d), np.zeros((n, m)), r0, -r0], axis=1).ravel()
    sol = solve_ivp(rhs, (0.0, tau_max), z0, method="RK45", rtol=rtol, atol=atol)
    if not sol.success:  # pragma: no cover
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    zT = sol.y[:, -1].reshape(n, k)
    AT = zT[:, : m * d].reshape(n, m, d)
    x1T, x2T = zT[:, m * d + m : m * d + m + d], zT[:, m * d + m + d :]
    rT, sT = (x1T - x2T) / 2, (x1T + x2T) / 2
    sep0, sepT = np.linalg.norm(r0, axis=1), np.linalg.norm(rT, axis=1)
    amp0 = np.linalg.norm(np.einsum("nij,nj->ni", A0, r0), axis=1) / sep0
    rhatT = np.where(sepT[:, None] > 0, rT / np.where(sepT > 0, sepT, 1.0)[:, None], r0 / sep0[:, None])
    ampT = np.linalg.norm(np.einsum("nij,nj->ni", AT, rhatT), axis=1)
    collided, undecided = classify_collision(sep0, sepT, amp0, ampT)
    exact = matrix_flow_collides(A0, r0, eta_x, eta_A)
    M0 = full_conserved_matrix(A0, r0, np.zeros_like(r0), eta_x, eta_A)
    MT = full_conserved_matrix(AT, rT, sT, eta_x, eta_A)
    drift = float((np.abs(MT - M0).max(axis=(1, 2)) / np.abs(M0).max(axis=(1, 2))).max())
    theory = float(matrix_collision_probability(eta_x, eta_A, sigma_a, sigma_c, m, d))
    return MonteCarloResult(
        float(collided.mean()),
        theory,
        n,
        int(undecided.sum()),
        dict(
            exact_fraction=float(exact.mean()),
            bound_violations=int((exact & ~collided & ~undecided).sum()),
            undecided_bound_runs=int((exact & ~collided & undecided).sum()),
            M_full_drift=drift,
            eq12=float(representation_learning_probability(eta_x, eta_A, sigma_a, sigma_c)),
            final_centroid_median=float(np.median(np.linalg.norm(sT, axis=1))),
            nfev=int(sol.nfev),
        ),
    )
