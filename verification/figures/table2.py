"""Table II of [1]_: description lengths of relation classes, and the paper's relations checked.

:func:`table2_data` evaluates Table II at ``n`` (the paper's expression beside the exact
``log2`` class count where one exists) and, for each of the paper's relations, compares the
class count ``log2(n!/|Aut|)`` of its closed form (:func:`effective_theory.relation_class_bits`)
with the automorphism-group count of the relation's graph
(:func:`effective_theory.description_length`).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass

from effective_theory._checks import check_int
from effective_theory.statics.class_description_length import relation_class_bits, table_ii
from effective_theory.statics.graph_description_length import description_length
from effective_theory.statics.relations import relation_by_name
from verification.runtime.context import RunContext
from verification.verdicts import Claim

__all__ = ["Table2Settings", "table2_data", "plot", "tables", "claims", "evaluate", "RELATIVE_TOLERANCE"]


@dataclass(frozen=True)
class Table2Settings:
    """Settings of :func:`table2_data`.

    Parameters
    ----------
    n : int
        Number of elements (30 in [1]_), at least 1.
    relations : sequence of str
        Relations whose ``b`` is computed both from its closed form and from ``|Aut G|``.
    seed : int
        Unused (nothing here is random); every figure's settings carry a seed.
    """

    n: int = 30
    relations: tuple = ("mod3", "mod5", "greater", "bipartite")
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "n", check_int(self.n, "n", minimum=1))
        object.__setattr__(self, "relations", tuple(self.relations))


def table2_data(settings: Table2Settings | None = None, run: RunContext | None = None) -> dict:
    """Table II rows at ``settings.n`` and, per relation, ``b`` from its closed form and from
    ``|Aut G|`` (Sec. III of [1]_).  ``run`` is accepted for the common figure interface."""
    settings = Table2Settings() if settings is None else settings
    n, relations = settings.n, settings.relations
    rows = [
        {"relation": r.relation, "formula": r.formula, "paper_bits": r.paper_bits, "exact_bits": r.exact_bits}
        for r in table_ii(n)
    ]
    bits = {
        name: {
            "closed_form": float(relation_class_bits(name, n)),
            "automorphisms": float(description_length(relation_by_name(name, n))),
        }
        for name in relations
    }
    return {"n": int(n), "rows": rows, "relations": bits}


def plot(data: dict, out_dir=".") -> list[str]:
    """Write ``table2.csv`` (relation, the paper's formula and bits, the exact bits)."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "table2.csv")
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["relation", "paper_formula", "paper_bits", "exact_bits"])
        for r in data["rows"]:
            exact = r["exact_bits"]
            w.writerow(
                [
                    r["relation"],
                    r["formula"],
                    f"{r['paper_bits']:.6g}",
                    "" if exact is None else f"{exact:.6g}",
                ]
            )
    return [path]


def tables(data: dict) -> list[tuple[str, list[str], list[list]]]:
    """Table II as the report shows it: relation class, the paper's expression and bits, the exact bits."""
    rows = [
        [
            r["relation"],
            r["formula"],
            f"{r['paper_bits']:.2f}",
            "" if r["exact_bits"] is None else f"{r['exact_bits']:.2f}",
        ]
        for r in data["rows"]
    ]
    rels = [
        [name, f"{b['closed_form']:.4f}", f"{b['automorphisms']:.4f}"]
        for name, b in data["relations"].items()
    ]
    return [
        (
            f"Table II at n = {data['n']} (bits)",
            ["relation class", "paper's expression", "paper", "exact"],
            rows,
        ),
        (
            f"The paper's relations at n = {data['n']}: b from the class count and from |Aut G| (bits)",
            ["relation", "log2 C (closed form)", "log2(n!/|Aut G|)"],
            rels,
        ),
    ]


#: Table II's expressions are approximations; one that is within this relative error of the
#: exact count at the paper's n counts as agreeing (declared before the data)
RELATIVE_TOLERANCE = 0.10


def claims(settings) -> list[Claim]:
    """The predictions :func:`evaluate` checks at these settings (one per approximate expression),
    identified by the relation class (``table2.total-order``)."""
    n = settings["n"]
    return [
        Claim(
            "table2." + re.sub(r"[^a-z0-9]+", "-", r.relation.lower()).strip("-"),
            f"Table II: {r.formula} approximates the bits of the {r.relation} class (n = {n})",
        )
        for r in table_ii(n)
        if r.exact_bits is not None and abs(r.paper_bits - r.exact_bits) >= 1e-9
    ]


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows: each of Table II's approximate expressions against the exact class count.

    Rows whose expression is exact (``n^2``, ``n(n+1)/2``, ...) are left out: they cannot fail.
    (That ``log2(n!/|Aut G|)`` of each relation's graph equals its closed form is a check of this
    toolkit, not of the paper: ``tests/statics``.)
    """
    rows = []
    n = data["n"]
    for r in data["rows"]:
        exact, paper = r["exact_bits"], r["paper_bits"]
        if exact is None or abs(paper - exact) < 1e-9:
            continue
        rel = (paper - exact) / exact
        ok = abs(rel) <= RELATIVE_TOLERANCE
        rows.append(
            (
                f"Table II: {r['formula']} approximates the bits of the {r['relation']} class (n = {n})",
                {
                    "theory": f"{paper:.2f} bits ({r['formula']})",
                    "measured": f"exact log2 C = {exact:.2f} bits ({100 * rel:+.1f}%)",
                    "tolerance": f"relative error <= {RELATIVE_TOLERANCE:.0%} (exact computation)",
                    "verdict": "holds" if ok else "fails",
                    "command": f"geneft figure table2 --n {n}",
                },
            )
        )
    return rows
