"""Substitute the ansatz Eq. 9 into Eq. 8 and derive Eq. 10, with its exactness conditions.

Run: python examples/repon_ansatz_derivation.py [--latex FILE]
"""

from derivation_cli import parser, write_latex

import effective_theory as et


def main(argv=None):
    args = parser(__doc__).parse_args([] if argv is None else argv)
    print(et.derive_repon_ansatz(2).report(latex=True))
    print("Conclusion: Eq. 9 solves Eq. 8 exactly iff r0 is an eigenvector of A0^T A0; Eq. 10 then holds for")
    print("(|A r_hat|, |r|) without any normalisation, and |r0| = 1 is a symmetry only with rescaled rates.")
    write_latex(args.latex, et.derive_repon_ansatz(2))
    return 0


if __name__ == "__main__":
    import sys

    # any stdout encoding: a character it cannot encode is written as its escape (\u23a1)
    sys.stdout.reconfigure(errors="backslashreplace")
    sys.exit(main(sys.argv[1:]))
