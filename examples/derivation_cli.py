"""Command-line plumbing shared by the derivation examples: ``--help`` and ``--latex FILE``.

Not an example itself: ``from derivation_cli import parser, write_latex`` in the scripts of this
folder (run as ``python examples/NAME.py``, the folder is on the import path).
"""

import argparse
from pathlib import Path

import effective_theory as et


def parser(doc: str) -> argparse.ArgumentParser:
    """The options of a derivation example; ``doc`` is its module docstring (first line: description)."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--latex", metavar="FILE", help="also write the derivation as one LaTeX document to FILE")
    return p


def write_latex(path, *derivations, title=None) -> None:
    """Write ``derivations`` as one LaTeX document to ``path`` (nothing when ``path`` is None)."""
    if path:
        Path(path).write_text(et.latex_document(*derivations, title=title))
        print(f"wrote {path}")
