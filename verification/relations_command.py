"""``geneft relations`` (the catalogue of relations) and ``geneft study RELATION`` (one relation
through theory and experiment).

Examples::

    geneft relations                      # name, family, n, pairs, b, |Aut G|, p_c of every entry
    geneft relations karate divides --n 60 --json
    geneft study karate                   # predicted against measured critical fraction
    geneft study my_graph.edgelist --seeds 4 --json

``geneft relations`` prints, per catalogue entry (:mod:`effective_theory.statics.relation_catalogue`),
its family, size, related pairs, description length ``b = log2(n!/|Aut G|)``, ``|Aut G|``, Eq.
(4)'s critical training fraction ``p_c`` at ``--alpha`` and its description; ``--json`` writes one
JSON object per entry and line.  ``geneft study`` runs
:func:`~verification.figures.relation_study.relation_study` and prints
:func:`~verification.figures.relation_study.format_study` (``--json``: the whole result as one
JSON object).  Bad input is one line ``geneft: error: ...`` and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_relations_arguments", "run_relations", "add_study_arguments", "run_study"]


def _alpha(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must lie in (0, 1), got {text}")
    return value


def add_relations_arguments(p: argparse.ArgumentParser) -> None:
    """Register the options of ``geneft relations``."""
    p.add_argument("names", nargs="*", metavar="NAME", help="catalogue entries to show (default: all)")
    p.add_argument(
        "--n",
        type=int,
        default=None,
        help="size of the entries built by a rule (default 30); the others keep their own",
    )
    p.add_argument("--alpha", type=_alpha, default=0.9, help="accuracy level of p_c, Eq. (4) (default 0.9)")
    p.add_argument("--json", action="store_true", help="one JSON object per entry and line")


def run_relations(args) -> int:
    """``geneft relations``: the catalogue as a table or JSON lines; returns the exit status."""
    # imported here: the catalogue brings the automorphism engines, which `geneft --help` does not need
    from effective_theory.statics.relation_catalogue import CATALOGUE, catalogue_entry, catalogue_row

    if args.n is not None and args.n < 3:
        raise ValueError(f"--n must be >= 3, got {args.n}")
    names = [catalogue_entry(name).name for name in args.names] or list(CATALOGUE)
    rows = [
        catalogue_row(name, args.n if CATALOGUE[name].n is None else None, alpha=args.alpha) for name in names
    ]
    if args.json:
        for r in rows:
            print(json.dumps(r.to_dict()))
        return 0
    head = ("name", "family", "n", "pairs", "b (bits)", "|Aut G|", f"p_c({args.alpha:g})", "description")
    body = [
        (r.name, r.family, str(r.n), str(r.pairs), f"{r.bits:.2f}", r.aut, f"{r.p_c:.4f}", r.description)
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head) - 1)]
    right = {2, 3, 4, 5, 6}
    for row in [head, *body]:
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        print("  ".join([*cells, row[-1]]))
    return 0


def add_study_arguments(p: argparse.ArgumentParser) -> None:
    """Register the options of ``geneft study``."""
    p.add_argument(
        "relation",
        metavar="RELATION",
        help="a name of Table I (mod3, greater, bipartite), a catalogue name (geneft relations) or a "
        "graph file (read as geneft bits reads it)",
    )
    p.add_argument("--n", type=int, default=30, help="size of a relation given by a rule (default 30)")
    p.add_argument("--alpha", type=_alpha, default=0.9, help="accuracy level (default 0.9)")
    p.add_argument("--steps", type=int, default=3000, help="step budget of a run (default 3000)")
    p.add_argument("--seeds", type=int, default=3, help="runs added at a fraction when chosen (default 3)")
    p.add_argument("--max-runs", type=int, default=48, help="most runs in all (default 48)")
    p.add_argument("--max-rounds", type=int, default=6, help="most rounds (default 6)")
    p.add_argument(
        "--precision",
        type=float,
        default=0.2,
        help="stop when the 95%% interval of log10 of the critical fraction is narrower (default 0.2)",
    )
    p.add_argument("--seed", type=int, default=0, help="experiment seed (default 0)")
    p.add_argument(
        "--device", choices=("cpu", "cuda"), default="cpu", help="where networks train (default cpu)"
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress on stderr (default: when stderr is a terminal)",
    )
    p.add_argument("--json", action="store_true", help="the whole result as one JSON object")


def run_study(args) -> int:
    """``geneft study RELATION``: the statics prediction and the measured critical fraction."""
    # imported here: the study trains networks (torch, 1.1 s to import), which the parser does not need
    from verification.figures.relation_study import StudySettings, format_study, relation_study
    from verification.reproduce import check_device
    from verification.runtime.context import RunContext

    flags = {"n": "--n", "steps": "--steps", "seeds": "--seeds", "max_runs": "--max-runs"}
    flags.update({"max_rounds": "--max-rounds", "precision": "--precision", "seed": "--seed"})
    check_device(args.device)
    try:
        settings = StudySettings(
            n=args.n,
            alpha=args.alpha,
            steps=args.steps,
            seeds=args.seeds,
            max_runs=args.max_runs,
            max_rounds=args.max_rounds,
            precision=args.precision,
            seed=args.seed,
        )
    except (TypeError, ValueError) as exc:
        msg = str(exc).splitlines()[0]
        for name, flag in sorted(flags.items(), key=lambda kv: -len(kv[0])):
            if msg.startswith(name + " ") or msg.startswith(name + " ("):
                msg = flag + msg[len(name) :]
                break
        raise ValueError(msg) from None
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    result = relation_study(args.relation, settings, RunContext(device=args.device, progress=progress))
    print(json.dumps(result) if args.json else format_study(result))
    return 0
