"""Numerical checks of the repon theory against Eqs. 12-13, printed as a table.

Eq. 10 and the full matrix flow Eq. 8 (inside and outside the ansatz regime),
the full pair flow with the paper's b(0) = 0, discrete gradient descent on
Eq. 6 as the step shrinks, and one repon against N explicit others (Eq. 13).
Fractions are printed with the Monte Carlo z-score (fraction - theory)/SE.

Run: python examples/repon_numerical_checks.py [--n 10000]
"""

import argparse

import effective_theory as et


def _row(label, res):
    print(
        f"  {label:46s} {res.fraction:.4f}  theory {res.theory:.4f}  z = {res.z:+6.2f}  "
        f"(n = {res.n}, undecided {res.n_undecided})"
    )


def main(argv=None, *, n=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=2000, help="initial conditions per check (default 2000)")
    args = p.parse_args([] if argv is None else argv)
    n = args.n if n is None else n
    ex, eA, sa, sc = 2.0, 1.0, 1.0, 1.0
    print(
        f"eta_x = {ex}, eta_A = {eA}, sigma_a = {sa}, sigma_c = {sc}; Eq. 12 = "
        f"{et.representation_learning_probability(ex, eA, sa, sc):.4f}"
    )
    print("Eq. 10 (reduced flow):")
    _row("solve_ivp in log variables", et.simulate_reduced_flow(ex, eA, sa, sc, n=n, seed=1))
    print("Eq. 8 (matrix flow, m = d = 2), integrated:")
    for init, pert in (("ansatz", 0.0), ("ansatz", 0.3), ("iid", 0.0)):
        res = et.simulate_matrix_flow(ex, eA, sa, sc, n=min(n, 2000), init=init, perturbation=pert, seed=2)
        _row(f"{init}, perturbation {pert}", res)
        print(
            f"      agrees with M0 > 0: {res.extra['agree_exact']:.4f}; with Eq. 11 rule: "
            f"{res.extra['agree_naive']:.4f}"
        )
    print("Eq. 8, exact rule M0 > 0 (no integration, 10 n samples):")
    for init, pert, m, d in (
        ("ansatz", 0.0, 3, 3),
        ("ansatz", 0.1, 2, 2),
        ("ansatz", 0.3, 2, 2),
        ("ansatz", 1.0, 2, 2),
        ("iid", 0.0, 1, 1),
        ("iid", 0.0, 2, 2),
        ("iid", 0.0, 3, 3),
        ("iid", 0.0, 1, 3),
    ):
        out = et.matrix_collision_rules(
            ex, eA, sa, sc, n=10 * n, m=m, d=d, init=init, perturbation=pert, seed=3
        )
        print(
            f"  {init:6s} pert {pert:3.1f} m={m} d={d}: exact {out['exact']:.4f}  Eq. 11 rule {out['naive']:.4f}"
            f"  Eq. 12 {out['eq12']:.4f}  (SE {out['stderr']:.4f})"
        )
    print("Full pair flow Eq. 7 with b(0) = 0 (Appendix C), target y:")
    for y in (0.0, 0.5, 1.0, 2.0):
        res = et.simulate_pair_flow(ex, eA, sa, sc, n=min(n, 4000), y=y, seed=4)
        _row(f"y = {y}", res)
    print("Discrete gradient descent on Eq. 6 (step in units of 1/eta):")
    for y in (0.0, 1.0):
        for step in (0.5, 0.2, 0.1, 0.05, 0.02):
            res = et.simulate_pair_gradient_descent(ex, eA, sa, sc, n=n, step=step, y=y, seed=5)
            _row(f"y = {y}, step {step}", res)
            print(
                f"      diverged {res.extra['diverged']}, agrees with sign C0: {res.extra['agree_C']:.4f}, "
                f"median max |e s|/|A r^2| = {res.extra['max_dropped_ratio']:.3g}"
            )
    print("One repon and N explicit others (Eq. 13; eta_x = eta_A):")
    for N in (1, 2, 3, 5):
        for spread in (0.0, 0.3):
            res = et.simulate_cluster_flow(1.0, 1.0, sa, sc, N, n=min(n, 2000), spread=spread, seed=6)
            _row(f"N = {N}, cluster spread {spread} (Eq. 12 {res.extra['eq12']:.4f})", res)
    print("One repon and N = 3 others, discrete gradient descent:")
    for step in (0.5, 0.2, 0.1, 0.05):
        res = et.simulate_cluster_flow(1.0, 1.0, sa, sc, 3, n=n, step=step, seed=7)
        _row(f"step {step} (diverged {res.extra['diverged']})", res)
    return 0


if __name__ == "__main__":
    import sys

    # any stdout encoding: a character it cannot encode is written as its escape (\u23a1)
    sys.stdout.reconfigure(errors="backslashreplace")
    main(sys.argv[1:])
