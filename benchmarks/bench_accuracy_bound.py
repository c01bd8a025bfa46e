"""Benchmark: Figure 2 accuracy bounds, the paper's method vs plain Python, and the exact method.

Prints, in one run:

1. the time of the full Figure 2 computation (4 relations x 20 training fractions x
   20 training draws, n = 30) for each method: the paper's method with random
   topological sorts (1000 orderings per draw for greater-than), the paper's method
   with uniform orderings (greater-than only) and the exact Bayes-optimal bound;
2. the time of a plain-Python implementation of the paper's method on a subset
   (every relation at 4 fractions x 2 draws) against the toolkit's numba version on
   the same subset, and the speed-up.

Speed floors it is judged against on a 2-core machine: the paper's method < 60 s for the whole
figure and >= 50x plain Python; the exact method < 5 minutes.  numba compilation is timed
separately (warm-up).
Timings on a shared machine are inflated by contention; the ratio is measured in one process.

Usage: ``python benchmarks/bench_accuracy_bound.py [--draws 20] [--quick]``
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # run from a checkout

from effective_theory import accuracy_upper_bound, random_train_mask  # noqa: E402
from effective_theory.statics.relations import equivalence_classes, relation_by_name  # noqa: E402
from verification.figures.figure2 import (  # noqa: E402
    DEFAULT_FRACTIONS,
    DEFAULT_RELATIONS,
    Figure2Settings,  # noqa: E402
    figure2_data,  # noqa: E402
    relation_kind,
)

# ----------------------------------------------------------------------------- plain Python baseline


def _plain_equivalence_paper(R, mask, labels, k):
    """Appendix D for equivalence relations, pure Python (union-find closure, candidate classes)."""
    n = len(R)
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    obs = [(i, j) for i in range(n) for j in range(n) if mask[i][j]]
    for i, j in obs:
        if R[i][j]:
            parent[find(i)] = find(j)
    root = [find(x) for x in range(n)]
    conflict = set()
    for i, j in obs:
        if not R[i][j]:
            conflict.add((root[i], root[j]))
            conflict.add((root[j], root[i]))
    val = [[-1] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if root[i] == root[j]:
                val[i][j] = 1
            elif (root[i], root[j]) in conflict:
                val[i][j] = 0
    pos = []
    for i in range(n):
        eq = [j for j in range(n) if j != i and val[i][j] == 1]
        if eq:
            pos.append({labels[eq[0]]})
        else:
            pos.append(set(range(k)) - {labels[j] for j in range(n) if val[i][j] == 0})
    total = 0.0
    for i in range(n):
        for j in range(n):
            if val[i][j] >= 0:
                total += 1
            else:
                p = len(pos[i] & pos[j]) / (len(pos[i]) * len(pos[j]))
                total += max(p, 1 - p)
    return total / (n * n)


def _plain_total_order_paper(R, mask, n_orderings, seed):
    """Appendix D for total orders, pure Python: transitive closure and random topological sorts."""
    rng = random.Random(seed)
    n = len(R)
    before = [[False] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if mask[i][j] and i != j:
                if R[i][j]:
                    before[i][j] = True
                else:
                    before[j][i] = True
    for k in range(n):
        for i in range(n):
            if before[i][k]:
                bk = before[k]
                bi = before[i]
                for j in range(n):
                    if bk[j]:
                        bi[j] = True
    counts = [[0] * n for _ in range(n)]
    npred = [sum(before[i][j] for i in range(n)) for j in range(n)]
    for _ in range(n_orderings):
        cnt = list(npred)
        avail = [v for v in range(n) if cnt[v] == 0]
        position = [0] * n
        for t in range(n):
            v = avail.pop(rng.randrange(len(avail)))
            position[v] = t
            for w in range(n):
                if before[v][w]:
                    cnt[w] -= 1
                    if cnt[w] == 0:
                        avail.append(w)
        for i in range(n):
            for j in range(n):
                if position[i] < position[j]:
                    counts[i][j] += 1
    total = 0.0
    for i in range(n):
        for j in range(n):
            if i == j or before[i][j] or before[j][i]:
                total += 1
            else:
                p = counts[i][j] / n_orderings
                total += max(p, 1 - p)
    return total / (n * n)


def plain_paper_bound(name, n, mask, n_orderings, seed):
    R = relation_by_name(name, n).matrix
    kind = relation_kind(name)
    Rl, ml = R.tolist(), mask.tolist()
    if kind == "total_order":
        return _plain_total_order_paper(Rl, ml, n_orderings, seed)
    E = R if kind == "equivalence" else ~R
    if kind == "bipartite":
        np.fill_diagonal(E, True)
    classes = equivalence_classes(E)
    labels = [0] * n
    for c, members in enumerate(classes):
        for x in members:
            labels[x] = c
    b = _plain_equivalence_paper(E.tolist(), ml, labels, len(classes))
    return b


# ----------------------------------------------------------------------------- main


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--draws", type=int, default=20)
    ap.add_argument("--orderings", type=int, default=1000)
    ap.add_argument("--quick", action="store_true", help="5 fractions, 4 draws (smoke run)")
    args = ap.parse_args(argv)
    n = 30
    fractions = DEFAULT_FRACTIONS[::4] if args.quick else DEFAULT_FRACTIONS
    draws = 4 if args.quick else args.draws

    t0 = time.perf_counter()
    # compile / load the numba cache
    figure2_data(Figure2Settings(n=8, fractions=(0.1,), draws=1, n_orderings=10))
    print(f"warm-up (numba compile or cache load): {time.perf_counter() - t0:.1f} s")

    print(
        f"\nFull Figure 2: {len(DEFAULT_RELATIONS)} relations x {len(fractions)} fractions x {draws} draws,"
        f" n = {n}, {args.orderings} orderings per draw (greater-than)"
    )
    results = {}
    for curve in ("paper", "paper-uniform", "exact"):
        t = time.perf_counter()
        data = figure2_data(
            Figure2Settings(
                n=n, fractions=fractions, draws=draws, n_orderings=args.orderings, curves=(curve,), seed=0
            )
        )
        dt = time.perf_counter() - t
        results[curve] = (dt, data)
        used = {
            name: e["curves"][curve]["methods_used"]
            for name, e in data["relations"].items()
            if curve in e["curves"]
        }
        print(f"  {curve:14s} {dt:8.1f} s   methods used: {used}")

    # plain Python vs numba, paper method, same subset (every fraction, 2 draws); the toolkit side
    # is repeated REPEATS times (its total is only tens of milliseconds) and the mean is used
    sub_fr = fractions
    sub_draws = 2
    repeats = 5
    t_plain = t_fast = c_plain = c_fast = 0.0
    diff_eq, diff_gt = [], []
    for name in DEFAULT_RELATIONS:
        kind = relation_kind(name)
        R = relation_by_name(name, n)
        for f in sub_fr:
            for d in range(sub_draws):
                mask = random_train_mask(n, f, seed=1000 + d)
                t, c = time.perf_counter(), time.process_time()
                bp = plain_paper_bound(name, n, mask, args.orderings, seed=d)
                t_plain += time.perf_counter() - t
                c_plain += time.process_time() - c
                t, c = time.perf_counter(), time.process_time()
                for _ in range(repeats):
                    bf = accuracy_upper_bound(
                        R, mask, kind=kind, method="paper", n_orderings=args.orderings, seed=d
                    )
                t_fast += (time.perf_counter() - t) / repeats
                c_fast += (time.process_time() - c) / repeats
                if kind == "total_order":
                    diff_gt.append(abs(bp - bf.bound) / bf.stderr)
                else:
                    diff_eq.append(abs(bp - bf.bound))
    n_sub = len(DEFAULT_RELATIONS) * len(sub_fr) * sub_draws
    speedup = t_plain / t_fast
    print(f"\nPaper method on a subset ({n_sub} draws: 4 relations x {len(sub_fr)} fractions x {sub_draws}):")
    print(
        f"  wall time: plain Python {t_plain:8.2f} s   numba toolkit {t_fast:8.3f} s"
        f"   speed-up {speedup:6.1f}x"
    )
    print(
        f"  CPU time:  plain Python {c_plain:8.2f} s   numba toolkit {c_fast:8.3f} s"
        f"   speed-up {c_plain / c_fast:6.1f}x"
    )
    print(
        f"  max |plain - toolkit|: equivalence/bipartite {max(diff_eq):.1e} (same recipe),"
        f" greater-than {max(diff_gt):.2f} standard errors (different random streams)"
    )
    full_plain = t_plain / n_sub * len(DEFAULT_RELATIONS) * len(fractions) * draws
    print(
        f"  plain Python extrapolated to the full figure: {full_plain:.0f} s"
        f" ({full_plain / results['paper'][0]:.0f}x the toolkit's measured full-figure time)"
    )

    tp = results["paper"][0]
    te = results["exact"][0]
    print("\nFloors:")
    print(f"  paper method full figure < 60 s:   {tp:.1f} s  -> {'PASS' if tp < 60 else 'FAIL'}")
    verdict = "PASS" if speedup >= 50 else "FAIL"
    print(f"  paper method >= 50x plain Python:  {speedup:.1f}x (wall) -> {verdict}")
    print(f"  exact method full figure < 300 s:  {te:.1f} s  -> {'PASS' if te < 300 else 'FAIL'}")

    print("\nMean bound per relation (averaged over fractions), paper vs exact:")
    for name in DEFAULT_RELATIONS:
        pm = np.mean(results["paper"][1]["relations"][name]["curves"]["paper"]["mean"])
        em = np.mean(results["exact"][1]["relations"][name]["curves"]["exact"]["mean"])
        print(f"  {name:10s} paper {pm:.4f}   exact {em:.4f}")


if __name__ == "__main__":
    main()
