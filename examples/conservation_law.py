"""The conserved quantity Eq. 11, its fixed points and phase rule, the conserved matrices of Eqs. 8 and 6.

Run: python examples/conservation_law.py [--latex FILE]
"""

import numpy as np
from derivation_cli import parser, write_latex

import effective_theory as et


def main(argv=None):
    args = parser(__doc__).parse_args([] if argv is None else argv)
    print(et.derive_conserved_quantity().report(latex=True))
    print("sympy.solve of da2/dt = dc/dt = 0:", et.reduced_flow_fixed_points())
    print()
    print(et.derive_conserved_matrix(2).report(latex=True))
    print(et.derive_full_conserved_matrix(2).report(latex=True))
    # numbers: a trajectory of Eq. 10 and its end point
    a0, c0, eta_x, eta_A = 1.2, 0.6, 1.0, 1.0
    print(f"start (a2, c) = ({a0}, {c0}), C = {et.conserved_quantity(a0, c0, eta_x, eta_A):.6f}")
    for t in (0.0, 1.0, 10.0, 100.0):
        a, c = et.reduced_flow_solution(a0, c0, t, eta_x, eta_A)
        print(
            f"  t = {t:6.1f}: a2 = {a:.6f}, c = {c:.3e}, C = {et.conserved_quantity(a, c, eta_x, eta_A):.6f}"
        )
    print("  predicted end point (a2*, c*) =", tuple(float(v) for v in et.fixed_point(a0, c0, eta_x, eta_A)))
    A0 = np.array([[1.0, 1.0], [0.0, 1.0]])
    r0 = np.array([0.6, 0.0])
    print("matrix flow: A0 = [[1, 1], [0, 1]], r0 = (0.6, 0) is not an eigenvector of A0^T A0;")
    print("  Eq. 11 with a2 = |A0 r_hat| says collide:", bool(et.collides(1.0, 0.6, 1.0, 1.0)))
    print("  exact rule M0 > 0 says collide:         ", bool(et.matrix_flow_collides(A0, r0, 1.0, 1.0)))
    print(
        "  |r(t)| from the closed form at t = 1e3:  ",
        float(np.linalg.norm(et.matrix_flow_solution(A0, r0, 1e3, 1, 1))),
    )
    write_latex(
        args.latex,
        et.derive_conserved_quantity(),
        et.derive_conserved_matrix(2),
        et.derive_full_conserved_matrix(2),
        title="Conserved quantities of the repon flows (Eqs. 8, 10, 11; Eq. 6)",
    )
    return 0


if __name__ == "__main__":
    import sys

    # any stdout encoding: a character it cannot encode is written as its escape (\u23a1)
    sys.stdout.reconfigure(errors="backslashreplace")
    sys.exit(main(sys.argv[1:]))
