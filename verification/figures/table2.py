"""Table II of [1]_: description lengths of relation classes, and the paper's relations checked.

:func:`table2_data` evaluates Table II at ``n`` (the paper's expression beside the exact
``log2`` class count of each reading of the row, :func:`effective_theory.table_ii`, the most
natural reading first) and, for each of the paper's relations, compares the class count
``log2(n!/|Aut|)`` of its closed form (:func:`effective_theory.relation_class_bits`) with the
automorphism-group count of the relation's graph (:func:`effective_theory.description_length`).
For the tree row it also puts ``n log2 <d>`` beside ``log2(n!/|Aut T|)`` for a few rooted tree
shapes, each at its own average depth (:func:`effective_theory.bits_rooted_tree`): the
expression names a class, not a shape, and shapes of one average depth differ by tens of bits.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import csv
import math
import os
import re
from dataclasses import dataclass

import networkx as nx

from effective_theory._checks import check_int
from effective_theory.statics.class_description_length import relation_class_bits, table_ii
from effective_theory.statics.graph_description_length import description_length
from effective_theory.statics.relations import relation_by_name
from effective_theory.statics.tree_description_length import bits_rooted_tree, tree_mean_depth
from verification.runtime.context import RunContext
from verification.runtime.durable_write import durable_open
from verification.statistics import CriticalMargin
from verification.verdicts import AFTER_DATA, Claim

__all__ = [
    "Table2Settings",
    "table2_data",
    "tree_shapes",
    "plot",
    "tables",
    "claims",
    "evaluate",
    "RELATIVE_TOLERANCE",
]


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
        {
            "relation": r.relation,
            "formula": r.formula,
            "paper_bits": r.paper_bits,
            "exact_bits": r.exact_bits,
            "readings": [{"label": x.label, "bits": x.bits} for x in r.readings],
        }
        for r in table_ii(n)
    ]
    bits = {
        name: {
            "closed_form": float(relation_class_bits(name, n)),
            "automorphisms": float(description_length(relation_by_name(name, n))),
        }
        for name in relations
    }
    return {"n": int(n), "rows": rows, "relations": bits, "tree_shapes": tree_shapes(n)}


def tree_shapes(n: int) -> list[dict]:
    """Rooted tree shapes on ``n`` nodes: average depth ``<d>``, Table II's ``n log2 <d>`` at that
    depth, and the shape's own description length ``log2(n!/|Aut T|)``.

    A path rooted at an end (a total order: ``n log2 <d>`` is then the paper's ``n log2(n/2)``),
    the complete binary and ternary trees filled level by level, and a star rooted at its centre.
    """
    shapes = [
        ("path, rooted at an end", nx.path_graph(n)),
        ("complete binary tree", nx.full_rary_tree(2, n)),
        ("complete ternary tree", nx.full_rary_tree(3, n)),
        ("star, rooted at its centre", nx.star_graph(n - 1)),
    ]
    out = []
    for name, T in shapes:
        d = tree_mean_depth(T, 0)
        out.append(
            {
                "shape": name,
                "mean_depth": d,
                "paper_bits": n * math.log2(d) if d > 0 else None,
                "bits": bits_rooted_tree(T, 0),
            }
        )
    return out


def _readings_text(r: dict, *, skip_first: bool = False) -> str:
    """``"label: 44.96 bits (+5.7%); ..."``: each reading's exact count and the paper's relative error."""
    paper = r["paper_bits"]
    shown = r["readings"][1:] if skip_first else r["readings"]
    return "; ".join(
        f"{x['label']}: {x['bits']:.2f} bits ({100 * (paper - x['bits']) / x['bits']:+.1f}%)" for x in shown
    )


def plot(data: dict, out_dir=".") -> list[str]:
    """Write ``table2.csv`` (relation, the paper's formula and bits, the exact bits of the most
    natural reading, every reading) and ``table2-trees.csv`` (the tree shapes)."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "table2.csv")
    with durable_open(path, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["relation", "paper_formula", "paper_bits", "exact_bits", "readings"])
        for r in data["rows"]:
            exact = r["exact_bits"]
            w.writerow(
                [
                    r["relation"],
                    r["formula"],
                    f"{r['paper_bits']:.6g}",
                    "" if exact is None else f"{exact:.6g}",
                    "; ".join(f"{x['label']}: {x['bits']:.6g}" for x in r["readings"]),
                ]
            )
    trees = os.path.join(out_dir, "table2-trees.csv")
    with durable_open(trees, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["shape", "mean_depth", "n_log2_mean_depth", "log2_n!_over_aut"])
        for t in data["tree_shapes"]:
            paper = "" if t["paper_bits"] is None else f"{t['paper_bits']:.6g}"
            w.writerow([t["shape"], f"{t['mean_depth']:.6g}", paper, f"{t['bits']:.6g}"])
    return [path, trees]


def tables(data: dict) -> list[tuple[str, list[str], list[list]]]:
    """Table II as the report shows it: relation class, the paper's expression and bits, the exact
    bits of the most natural reading and the other readings; the tree shapes; the paper's relations."""
    rows = [
        [
            r["relation"],
            r["formula"],
            f"{r['paper_bits']:.2f}",
            "" if r["exact_bits"] is None else f"{r['exact_bits']:.2f} ({r['readings'][0]['label']})",
            _readings_text(r, skip_first=True),
        ]
        for r in data["rows"]
    ]
    shapes = [
        [
            t["shape"],
            f"{t['mean_depth']:.3f}",
            "" if t["paper_bits"] is None else f"{t['paper_bits']:.2f}",
            f"{t['bits']:.2f}",
            "" if t["paper_bits"] is None else f"{100 * (t['paper_bits'] - t['bits']) / t['bits']:+.1f}%",
        ]
        for t in data["tree_shapes"]
    ]
    rels = [
        [name, f"{b['closed_form']:.4f}", f"{b['automorphisms']:.4f}"]
        for name, b in data["relations"].items()
    ]
    return [
        (
            f"Table II at n = {data['n']} (bits)",
            [
                "relation class",
                "paper's expression",
                "paper",
                "exact (most natural reading)",
                "other readings",
            ],
            rows,
        ),
        (
            f"Rooted tree shapes at n = {data['n']}: n log2 <d> at each shape's own <d> against "
            "log2(n!/|Aut T|) (bits)",
            ["shape", "<d>", "n log2 <d>", "log2(n!/|Aut T|)", "relative error"],
            shapes,
        ),
        (
            f"The paper's relations at n = {data['n']}: b from the class count and from |Aut G| (bits)",
            ["relation", "log2 C (closed form)", "log2(n!/|Aut G|)"],
            rels,
        ),
    ]


#: Table II's expressions are approximations; one that is within this relative error of the
#: exact count of the row's most natural reading at the paper's n counts as agreeing (set after
#: the data, which the rows say)
RELATIVE_TOLERANCE = 0.10


def _claim_id(relation: str) -> str:
    return "table2." + re.sub(r"[^a-z0-9]+", "-", relation.lower()).strip("-")


def claims(settings) -> list[Claim]:
    """The predictions :func:`evaluate` checks at these settings (one per approximate expression),
    identified by the relation class (``table2.total-order``, ``table2.equivalence-3-classes``)."""
    n = settings["n"]
    return [
        Claim(
            _claim_id(r.relation),
            f"Table II: {r.formula} approximates the bits of the {r.relation} class (n = {n})",
        )
        for r in table_ii(n)
        if r.exact_bits is not None and abs(r.paper_bits - r.exact_bits) >= 1e-9
    ]


def evaluate(data) -> list[tuple[str, dict]]:
    """Report rows: each of Table II's approximate expressions against the exact class count of the
    row's most natural reading (:func:`effective_theory.table_ii`), the other readings' counts and
    relative errors beside it.

    Rows whose expression is exact (``n^2``, ``n(n+1)/2``, ...) are left out: they cannot fail.
    (That ``log2(n!/|Aut G|)`` of each relation's graph equals its closed form is a check of this
    toolkit, not of the paper: ``tests/statics``.)  Each row's critical tolerance is its
    ``|relative error|``: it holds at that tolerance and above, fails below.
    """
    rows = []
    n = data["n"]
    for r in data["rows"]:
        exact, paper = r["exact_bits"], r["paper_bits"]
        if exact is None or abs(paper - exact) < 1e-9:
            continue
        rel = (paper - exact) / exact
        ok = abs(rel) <= RELATIVE_TOLERANCE
        critical = CriticalMargin(abs(rel), abs(rel), name="tolerance", basis="exact", relative=True)
        rows.append(
            (
                f"Table II: {r['formula']} approximates the bits of the {r['relation']} class (n = {n})",
                {
                    "theory": f"{paper:.2f} bits ({r['formula']})",
                    "measured": f"exact log2 C, {_readings_text(r)}",
                    "tolerance": f"relative error <= {RELATIVE_TOLERANCE:.0%} for the first reading "
                    f"({AFTER_DATA})",
                    "verdict": "holds" if ok else "fails",
                    "critical_margin": critical.to_dict(),
                    "command": f"geneft figure table2 --n {n}",
                },
            )
        )
    return rows
