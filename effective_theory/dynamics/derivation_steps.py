"""Containers for the step-by-step symbolic derivations of Section IV / Appendix C of [1]_.

A :class:`DerivationStep` records one equation ``lhs = rhs`` produced by sympy,
the assumptions it uses and whether it holds exactly.  When a step is the
paper's approximation, ``lhs`` is the exact expression, ``rhs`` the paper's, and
:attr:`DerivationStep.residual` is the dropped term.

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT" (2025).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

__all__ = ["DerivationStep", "Derivation", "simplify_residual"]


def simplify_residual(lhs, rhs):
    """Return ``simplify(lhs - rhs)`` (elementwise for matrices).

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> simplify_residual(sp.sin(x)**2 + sp.cos(x)**2, 1)
    0
    """
    diff = sp.Matrix(lhs) - sp.Matrix(rhs) if isinstance(lhs, sp.MatrixBase) else lhs - rhs
    if isinstance(diff, sp.MatrixBase):
        return diff.applyfunc(lambda e: sp.simplify(sp.expand(e)))
    return sp.simplify(diff)


def _is_zero(expr) -> bool:
    if isinstance(expr, sp.MatrixBase):
        return all(e == 0 for e in expr)
    return expr == 0


@dataclass(frozen=True)
class DerivationStep:
    """One equation of a derivation: ``lhs = rhs`` under ``assumptions``.

    Parameters
    ----------
    label : str
        Short name, e.g. ``"C1: dA/dt"``.
    description : str
        What the step shows and which equation of [1]_ it is.
    lhs, rhs : sympy expression or Matrix
        The two sides.  For an approximation step ``lhs`` is exact and
        ``rhs`` is the paper's expression.
    assumptions : tuple of str
        Assumptions the step uses (empty when it is an identity).
    expect_exact : bool
        Whether the step is claimed to hold exactly (``residual == 0``).
    """

    label: str
    description: str
    lhs: object
    rhs: object
    assumptions: tuple = ()
    expect_exact: bool = True
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def residual(self):
        """``simplify(lhs - rhs)``: zero for an exact step, the dropped term otherwise."""
        if "residual" not in self._cache:
            self._cache["residual"] = simplify_residual(self.lhs, self.rhs)
        return self._cache["residual"]

    @property
    def holds(self) -> bool:
        """True when ``lhs - rhs`` simplifies to exactly zero."""
        return _is_zero(self.residual)

    def pretty(self) -> str:
        """Multi-line unicode rendering (sympy pretty print) of the step."""
        eq = sp.pretty(sp.Eq(self.lhs, self.rhs, evaluate=False), use_unicode=True, wrap_line=False)
        out = [f"[{self.label}] {self.description}", eq]
        if self.assumptions:
            out.append("  assumptions: " + "; ".join(self.assumptions))
        if not self.holds:
            out.append("  dropped term (lhs - rhs):")
            out.append(sp.pretty(self.residual, use_unicode=True, wrap_line=False))
        return "\n".join(out)

    def latex(self) -> str:
        """LaTeX of ``lhs = rhs`` (plus the dropped term when not exact)."""
        s = sp.latex(self.lhs) + " = " + sp.latex(self.rhs)
        if not self.holds:
            s += r" \quad\text{(dropped: }" + sp.latex(self.residual) + r"\text{)}"
        return s


@dataclass(frozen=True)
class Derivation:
    """An ordered sequence of :class:`DerivationStep` with the symbols used.

    ``derivation[label]`` returns the step with that label.
    """

    title: str
    steps: tuple
    symbols: dict

    def __getitem__(self, label: str) -> DerivationStep:
        for step in self.steps:
            if step.label == label:
                return step
        raise KeyError(f"no step labelled {label!r}; labels: {[s.label for s in self.steps]}")

    @property
    def labels(self) -> list:
        return [s.label for s in self.steps]

    def report(self, latex: bool = False) -> str:
        """Text of every step (pretty print, and LaTeX when ``latex``)."""
        lines = [self.title, "=" * len(self.title)]
        for step in self.steps:
            lines.append(step.pretty())
            if latex:
                lines.append("  LaTeX: " + step.latex())
            status = "exact" if step.holds else "NOT exact (see dropped term)"
            lines.append(f"  check simplify(lhs - rhs) == 0: {status}")
            lines.append("")
        return "\n".join(lines)
