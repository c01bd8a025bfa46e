"""Eq. 13: one repon facing a cluster of N others, from the equations of motion.

Run: python examples/multi_repon_formula.py [--latex FILE]
"""

from derivation_cli import parser, write_latex

import effective_theory as et


def main(argv=None):
    args = parser(__doc__).parse_args([] if argv is None else argv)
    print(et.derive_multi_repon_flow(1).report(latex=True))
    print(
        "cluster members move together (N = 3, separate symbols):",
        all(v == et.cluster_stays_clustered(3)[0] for v in et.cluster_stays_clustered(3)),
    )
    print("Eq. 13 (eta_x = eta_A, sigma_a = sigma_c):")
    for N in (1, 2, 3, 5, 10, 100):
        print(f"  N = {N:3d}: p_r = {et.representation_learning_probability(1.0, 1.0, 1.0, 1.0, N=N):.4f}")
    res = et.simulate_reduced_flow(1.0, 1.0, 1.0, 1.0, n=2000, N=5, seed=0)
    print(
        f"Monte Carlo, reduced N = 5 flow: {res.fraction:.4f} vs Eq. 13 {res.theory:.4f} (z = {res.z:+.2f})"
    )
    write_latex(args.latex, et.derive_multi_repon_flow(1))
    return 0


if __name__ == "__main__":
    import sys

    # any stdout encoding: a character it cannot encode is written as its escape (\u23a1)
    sys.stdout.reconfigure(errors="backslashreplace")
    sys.exit(main(sys.argv[1:]))
