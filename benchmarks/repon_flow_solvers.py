"""Benchmark: closed-form solutions of the repon flows versus scipy integration (same process, ratios).

* Eq. 10: ``reduced_flow_solution`` (closed form) vs ``solve_ivp`` on the batch of n samples.
* Eq. 8: ``matrix_flow_solution`` (closed form via the conserved matrix M) vs ``solve_ivp``.
* Monte Carlo of Eq. 12: ``simulate_reduced_flow`` (log variables, t_max = 1e7 scale) vs the
  closed-form phase rule ``collides`` on the same initial conditions.

Prints the wall-clock times and their ratios, and the largest disagreement.
Run: python benchmarks/repon_flow_solvers.py [--n 10000]
"""

import argparse
import time

import numpy as np
from scipy.integrate import solve_ivp

import effective_theory as et


def _timed(fn, repeat=3):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=10_000)
    n = p.parse_args(argv).n
    eta_x, eta_A, t_end = 2.0, 1.0, 5.0
    a0, c0 = et.sample_initial_conditions(n, 1.0, 1.0, seed=0)

    def ivp():
        def rhs(_t, z):
            a, c = z[:n], z[n:]
            return np.concatenate([-2 * eta_A * c**2 * a, -eta_x * a**2 * c])

        return solve_ivp(rhs, (0, t_end), np.concatenate([a0, c0]), rtol=1e-10, atol=1e-12).y[:, -1]

    t_ivp, y = _timed(ivp, 1)
    t_cf, (a, c) = _timed(lambda: et.reduced_flow_solution(a0, c0, t_end, eta_x, eta_A))
    err = max(np.abs(a - y[:n]).max(), np.abs(c - y[n:]).max())
    print(
        f"Eq. 10, n = {n}: solve_ivp {t_ivp:.3f} s, closed form {t_cf:.5f} s, ratio {t_ivp / t_cf:.0f}x, "
        f"max |diff| {err:.1e}"
    )

    m = d = 2
    nm = min(n, 2000)
    rng = np.random.default_rng(1)
    A0, r0 = rng.standard_normal((nm, m, d)), rng.standard_normal((nm, d))

    def ivp_matrix():
        def rhs(_t, z):
            A = z[: nm * m * d].reshape(nm, m, d)
            r = z[nm * m * d :].reshape(nm, d)
            Ar = np.einsum("nij,nj->ni", A, r)
            return np.concatenate(
                [
                    (-2 * eta_A * Ar[:, :, None] * r[:, None, :]).ravel(),
                    (-eta_x * np.einsum("nij,ni->nj", A, Ar)).ravel(),
                ]
            )

        z0 = np.concatenate([A0.ravel(), r0.ravel()])
        return solve_ivp(rhs, (0, t_end), z0, rtol=1e-10, atol=1e-12).y[nm * m * d :, -1].reshape(nm, d)

    t_ivp, r_ivp = _timed(ivp_matrix, 1)
    t_cf, r_cf = _timed(lambda: et.matrix_flow_solution(A0, r0, t_end, eta_x, eta_A))
    print(
        f"Eq. 8, n = {nm}, m = d = 2: solve_ivp {t_ivp:.3f} s, closed form {t_cf:.5f} s, "
        f"ratio {t_ivp / t_cf:.0f}x, max |diff| {np.abs(r_ivp - r_cf).max():.1e}"
    )

    t_mc, res = _timed(lambda: et.simulate_reduced_flow(eta_x, eta_A, 1.0, 1.0, n=n, seed=2), 1)
    a0, c0 = et.sample_initial_conditions(n, 1.0, 1.0, seed=2)
    t_rule, pred = _timed(lambda: et.collides(a0, c0, eta_x, eta_A))
    same = np.array_equal(pred, res.extra["collided"])
    print(
        f"Eq. 12 Monte Carlo, n = {n}: integrated {t_mc:.3f} s, phase rule {t_rule:.5f} s, ratio "
        f"{t_mc / t_rule:.0f}x, identical verdicts: {same}"
    )
    return 0


if __name__ == "__main__":
    main()
