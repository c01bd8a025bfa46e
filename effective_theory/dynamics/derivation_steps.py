"""Containers for the step-by-step symbolic derivations of Section IV / Appendix C of [1]_.

A :class:`DerivationStep` records one equation ``lhs = rhs`` produced by sympy,
the assumptions it uses and whether it holds exactly.  The two sides are kept as
they are *before* simplification: a time derivative is an unevaluated
``sympy.Derivative``, an integral an unevaluated ``sympy.Integral``, a
substitution an unevaluated ``sympy.Subs``, so that a step reads like a line of
a derivation (``d/dt (a^2/2 - c^2) = a (-c^2 a) - 2 c (-a^2 c / 2) = 0``), never
``0 = 0``.  Optional ``chain`` entries are intermediate forms printed between
``lhs`` and ``rhs``, and ``where`` lists the substitutions (``symbol -> value``)
that the step uses; :attr:`DerivationStep.residual` applies them, evaluates
(``doit``) and simplifies.  When a step is the paper's approximation, ``lhs`` is
the exact expression, ``rhs`` the paper's, and the residual is the dropped term.

A :class:`Derivation` renders as text (:meth:`Derivation.report`), as LaTeX in a
notebook (``_repr_latex_``) and as a complete LaTeX document
(:meth:`Derivation.latex_document`, :func:`latex_document`).

References
----------
.. [1] A. Baek, Z. Liu, M. Tegmark, "GenEFT" (2025).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

__all__ = ["DerivationStep", "Derivation", "simplify_residual", "latex_document"]


def _doit(expr):
    if isinstance(expr, sp.MatrixExpr) and not isinstance(expr, sp.MatrixBase):
        expr = expr.doit()
        if not isinstance(expr, sp.MatrixBase) and not expr.atoms(sp.MatrixSymbol):
            expr = expr.as_explicit()  # e.g. a scalar times an explicit matrix
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(lambda e: e.doit() if isinstance(e, sp.Basic) else e)
    return expr.doit() if isinstance(expr, sp.Basic) else expr


def _scalar(expr):
    """A 1 x 1 matrix (what a matrix-notation scalar such as ``r^T r`` evaluates to) as its entry."""
    if isinstance(expr, sp.MatrixBase) and expr.shape == (1, 1):
        return expr[0, 0]
    return expr


def simplify_residual(lhs, rhs):
    """Return ``simplify(lhs - rhs)`` after evaluating unevaluated objects (elementwise for matrices).

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> simplify_residual(sp.sin(x)**2 + sp.cos(x)**2, 1)
    0
    >>> simplify_residual(sp.Derivative(x**2, x), 2 * x)
    0
    """
    lhs, rhs = _doit(lhs), _doit(rhs)
    if isinstance(lhs, sp.MatrixBase) != isinstance(rhs, sp.MatrixBase):  # r^T r (1 x 1) against a scalar
        lhs, rhs = _scalar(lhs), _scalar(rhs)
    diff = sp.Matrix(lhs) - sp.Matrix(rhs) if isinstance(lhs, sp.MatrixBase) else lhs - rhs
    if isinstance(diff, sp.MatrixBase):
        return diff.applyfunc(lambda e: sp.simplify(sp.expand(e)))
    return sp.simplify(diff)


def _is_zero(expr) -> bool:
    if isinstance(expr, sp.MatrixBase):
        return all(e == 0 for e in expr)
    return expr == 0


def _substitute(expr, where):
    """Apply the ``where`` substitutions in order, evaluating after each (so ``Derivative(l, x)``
    with ``l -> loss`` is differentiated before a later change of variables)."""
    for old, new in where:
        if isinstance(old, sp.MatrixBase):
            pairs = list(zip(old, new, strict=True))
        else:
            pairs = [(old, new)]
        if isinstance(old, sp.Derivative):  # a flow such as da/dt = f: differentiate first, then insert it
            expr = _doit(expr)
        expr = _doit(expr.subs(pairs))
    return _doit(expr)


def _where_pairs(where):
    for old, new in where:
        if isinstance(old, sp.MatrixBase) and old.shape == (1, 1):
            yield old[0, 0], new[0, 0]
        elif isinstance(old, sp.MatrixBase) and old.shape[1] == 1:
            yield old.T, new.T  # vectors print as rows
        else:
            yield old, new


@dataclass(frozen=True)
class DerivationStep:
    """One equation of a derivation: ``lhs = chain... = rhs`` under ``assumptions``.

    Parameters
    ----------
    label : str
        Short name, e.g. ``"C1: dA/dt"``.
    description : str
        What the step shows and which equation of [1]_ it is.
    lhs, rhs : sympy expression or Matrix
        The two sides, unsimplified (``Derivative``, ``Integral``, ``Subs`` left
        unevaluated).  For an approximation step ``lhs`` is exact and ``rhs`` is
        the paper's expression.
    assumptions : tuple of str
        Assumptions the step uses (empty when it is an identity).
    expect_exact : bool
        Whether the step is claimed to hold exactly (``residual == 0``).
    chain : tuple
        Intermediate forms shown between ``lhs`` and ``rhs`` (each equal to ``lhs``,
        see :attr:`chain_holds`).
    where : tuple of (old, new)
        Substitutions the step uses, printed with it and applied, in order, before
        the two sides are compared (``old`` a symbol, a function value such as
        ``a(t)``, or a Matrix of them).
    """

    label: str
    description: str
    lhs: object
    rhs: object
    assumptions: tuple = ()
    expect_exact: bool = True
    chain: tuple = ()
    where: tuple = ()
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def evaluate(self, expr):
        """``expr`` with the step's ``where`` substitutions applied and every unevaluated object evaluated."""
        return _substitute(expr, self.where)

    @property
    def residual(self):
        """``simplify(lhs - rhs)`` after substitution: zero for an exact step, the dropped term otherwise."""
        if "residual" not in self._cache:
            self._cache["residual"] = simplify_residual(self.evaluate(self.lhs), self.evaluate(self.rhs))
        return self._cache["residual"]

    @property
    def holds(self) -> bool:
        """True when ``lhs - rhs`` simplifies to exactly zero."""
        return _is_zero(self.residual)

    @property
    def chain_holds(self) -> bool:
        """True when every intermediate form of ``chain`` equals ``lhs``."""
        lhs = self.evaluate(self.lhs)
        return all(_is_zero(simplify_residual(lhs, self.evaluate(c))) for c in self.chain)

    @property
    def sides(self) -> tuple:
        """``(lhs, *chain, rhs)``: the expressions printed, joined by ``=``."""
        return (self.lhs, *self.chain, self.rhs)

    def pretty(self) -> str:
        """Multi-line unicode rendering (sympy pretty print) of the step."""
        out = [f"[{self.label}] {self.description}"]
        for k, side in enumerate(self.sides):
            block = sp.pretty(side, use_unicode=True, wrap_line=False).split("\n")
            prefix = "  " if k == 0 else "= "
            out += [(prefix if j == len(block) // 2 else "  ") + line for j, line in enumerate(block)]
        for k, (old, new) in enumerate(_where_pairs(self.where)):
            eq = sp.pretty(sp.Eq(old, new, evaluate=False), use_unicode=True, wrap_line=False)
            out.append(("  where " if k == 0 else "    and ") + eq.replace("\n", "\n        "))
        if self.assumptions:
            out.append("  assumptions: " + "; ".join(self.assumptions))
        if not self.holds:
            out.append("  dropped term (lhs - rhs):")
            out.append(sp.pretty(self.residual, use_unicode=True, wrap_line=False))
        return "\n".join(out)

    def latex(self) -> str:
        """LaTeX of ``lhs = chain = rhs`` (plus the substitutions, and the dropped term when not exact)."""
        s = " = ".join(sp.latex(side) for side in self.sides)
        if self.where:
            s += r",\quad\text{where }" + r",\ ".join(
                sp.latex(old) + " = " + sp.latex(new) for old, new in _where_pairs(self.where)
            )
        if not self.holds:
            s += r" \quad\text{(dropped: }" + sp.latex(self.residual) + r"\text{)}"
        return s

    def _latex_block(self) -> str:
        """The step as a LaTeX paragraph: description, the equation chain in ``align*``, substitutions."""
        desc = _tex_text(self.description)
        lines = [r"\paragraph{" + _tex_text(self.label) + "} " + desc]
        body = [sp.latex(self.lhs)]
        body += ["&= " + sp.latex(side) for side in self.sides[1:]]
        lines.append(r"\begin{align*}" + body[0] + " " + r" \\ ".join(body[1:]) + r"\end{align*}")
        for old, new in _where_pairs(self.where):
            lines.append(r"\noindent where $" + sp.latex(old) + " = " + sp.latex(new) + r"$\par")
        if self.assumptions:
            lines.append(r"\noindent Assumptions: " + _tex_text("; ".join(self.assumptions)) + r"\par")
        verdict = "exact" if self.holds else "not exact; dropped term:"
        check = r"\noindent Check $\mathrm{simplify}(\mathrm{lhs} - \mathrm{rhs}) = 0$: "
        lines.append(check + verdict + r"\par")
        if not self.holds:
            lines.append(r"\begin{align*}" + sp.latex(self.residual) + r"\end{align*}")
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        return "$$" + self.latex() + "$$"


_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


def _tex_text(s: str) -> str:
    """Escape plain text for LaTeX; non-ASCII characters are spelled out (the document is ASCII)."""
    s = "".join(_TEX_SPECIAL.get(ch, ch) for ch in s)
    return s.encode("ascii", "replace").decode("ascii")


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

    def latex_section(self) -> str:
        """The derivation as a LaTeX ``\\section`` (one paragraph per step)."""
        head = r"\section*{" + _tex_text(self.title) + "}"
        return "\n\n".join([head] + [s._latex_block() for s in self.steps])

    def latex_document(self) -> str:
        """A complete LaTeX document (``article``, ``amsmath``) of the derivation (:func:`latex_document`)."""
        return latex_document(self)

    def _repr_latex_(self) -> str:
        rows = [
            r"\text{" + step.label.replace("_", r"\_") + r"}: & \quad " + step.latex() for step in self.steps
        ]
        return r"$$\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}$$"


def latex_document(*derivations: Derivation, title: str | None = None) -> str:
    """One LaTeX document holding ``derivations`` (one section each); compiles with ``pdflatex``.

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> D = Derivation("demo", (DerivationStep("d/dx", "power rule", sp.Derivative(x**2, x), 2 * x),), {})
    >>> doc = latex_document(D)
    >>> doc.startswith(r"\\documentclass") and doc.rstrip().endswith(r"\\end{document}")
    True
    """
    title = title or (derivations[0].title if len(derivations) == 1 else "Derivations")
    head = [
        r"\documentclass[10pt]{article}",
        r"\usepackage{amsmath,amssymb}",
        r"\setlength{\textwidth}{17cm}\setlength{\oddsidemargin}{-0.5cm}",
        r"\allowdisplaybreaks",
        r"\title{" + _tex_text(title) + "}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
    ]
    return "\n".join(head + [D.latex_section() for D in derivations] + [r"\end{document}", ""])
