"""Eq. 12: integrate the Gaussian over the collision wedge with sympy and get the arctan formula.

Run: python examples/arctan_integral.py [--latex FILE]
"""

import numpy as np
from derivation_cli import parser, write_latex

import effective_theory as et


def main(argv=None):
    args = parser(__doc__).parse_args([] if argv is None else argv)
    print(et.derive_wedge_probability().report(latex=True))
    print("Eq. 12 numerically (sigma_a = sigma_c = 1):")
    for ratio in (0.1, 0.5, 1.0, 2.0, 10.0):
        p = et.representation_learning_probability(ratio, 1.0, 1.0, 1.0)
        print(f"  eta_x/eta_A = {ratio:5.1f}: p_r = {p:.4f}")
    res = et.simulate_reduced_flow(2.0, 1.0, 1.0, 1.0, n=2000, seed=0)
    print(
        f"Monte Carlo of Eq. 10 (n = {res.n}): {res.fraction:.4f} vs Eq. 12 {res.theory:.4f} "
        f"(z = {res.z:+.2f}, SE = {res.stderr:.4f}); signed-domain reading would give "
        f"{0.5 + np.arctan(1.0) / np.pi:.4f}"
    )
    write_latex(args.latex, et.derive_wedge_probability())
    return 0


if __name__ == "__main__":
    import sys

    # any stdout encoding: a character it cannot encode is written as its escape (\u23a1)
    sys.stdout.reconfigure(errors="backslashreplace")
    sys.exit(main(sys.argv[1:]))
