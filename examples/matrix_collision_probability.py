"""Collision probability of the full matrix flow Eq. 8 from i.i.d. Gaussian A0, r0: derived, then simulated.

Derives P = F_{d, m-d+1}(K^2 (m-d+1)/d) with sympy (K the arctan argument of Eq. 12), checks it
against the exact collision rule M0 > 0 by Monte Carlo for several (m, d) (4-SE tolerance), says
where Eq. 12 is an upper bound, and checks the lower bound P(collision) >= P(M0 > 0) of the whole
loss Eq. 6 (centroid and decoder bias moving, Appendix C's b(0) = 0, target y = 1) by integration.

Run: python examples/matrix_collision_probability.py [--n N] [--latex FILE]
"""

import argparse
from pathlib import Path

import effective_theory as et

SHAPES = ((1, 1), (2, 2), (3, 3), (2, 1), (3, 2), (4, 2), (5, 3), (1, 3))  # (m, d)


def main(argv=None, *, n=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000, help="Monte Carlo samples per (m, d) (default 100000)")
    p.add_argument("--latex", metavar="FILE", help="also write the derivation as one LaTeX document to FILE")
    args = p.parse_args([] if argv is None else argv)
    n = args.n if n is None else n
    D = et.derive_matrix_collision_probability(2)
    print(D.report(latex=True))
    ex, eA, sa, sc = 2.0, 1.0, 1.0, 1.0
    print(f"eta_x = {ex}, eta_A = {eA}, sigma_a = {sa}, sigma_c = {sc} (K = 1; Eq. 12 = 0.5)")
    print(
        f"  {'m':>2} {'d':>2}  {'theory':>7}  {'M0 > 0':>7}  {'SE':>6}  {'z':>6}  {'Eq. 12 bound?':>13}  "
        f"{'K*':>7}  Cauchy-Schwarz bound"
    )
    for m, d in SHAPES:
        res = et.matrix_collision_check(ex, eA, sa, sc, n=n, m=m, d=d, seed=0)
        cmp = et.matrix_collision_vs_eq12(ex, eA, sa, sc, m, d)
        print(
            f"  {m:2d} {d:2d}  {res.theory:7.4f}  {res.fraction:7.4f}  {res.stderr:6.4f}  {res.z:+6.2f}  "
            f"{str(cmp.eq12_is_upper_bound):>13}  {cmp.crossover_K:7.3f}  {cmp.wedge_bound:.4f}"
        )
    print("Eq. 12 versus the general formula over K (m = 3, d = 2: crossover at K* = 1):")
    for K in (0.25, 0.5, 1.0, 2.0, 4.0):
        cmp = et.matrix_collision_vs_eq12(2.0 * K**2, 1.0, 1.0, 1.0, 3, 2)
        print(
            f"  K = {K:4.2f}: general {cmp.general:.4f}, Eq. 12 {cmp.eq12:.4f}, bound {cmp.eq12_is_upper_bound}"
        )
    print("Lower bound from M_full (whole loss Eq. 6, b(0) = 0, y = 1), integrated:")
    for m, d in ((1, 1), (2, 2)):
        res = et.simulate_full_pair_flow(ex, eA, sa, sc, n=min(n, 1000), m=m, d=d, y=1.0, seed=1)
        print(
            f"  m = d = {m}: collided {res.fraction:.4f} >= P(M0 > 0) = {res.theory:.4f} "
            f"(SE {res.stderr:.4f}, z = {res.z:+.2f}); runs with M0 > 0 that stayed apart: "
            f"{res.extra['bound_violations']} (undecided {res.extra['undecided_bound_runs']}); "
            f"M_full drift {res.extra['M_full_drift']:.1e}"
        )
    if args.latex:
        Path(args.latex).write_text(et.latex_document(D, et.derive_full_conserved_matrix(2)))
        print(f"wrote {args.latex}")
    return 0


if __name__ == "__main__":
    import sys

    # any stdout encoding: a character it cannot encode is written as its escape (\u23a1)
    sys.stdout.reconfigure(errors="backslashreplace")
    sys.exit(main(sys.argv[1:]))
