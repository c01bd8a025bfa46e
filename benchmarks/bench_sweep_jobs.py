"""Benchmark: a chunked sweep with its chunks one at a time against side by side on the cores.

Workload: a Figure 6-like sweep (relation mod 3, n = 30, the Table III model, Adam,
``eta_enc = 1e-3`` and ``eta_dec = ratio * eta_enc`` for ratios 0.1 to 10, several seeds each),
early stopping on, cut into chunks of 16 configs as the full tiers cut them.  A chunk trains as
two batches of 8 on the two cores; when the models of one batch settle early, that core idles
until the other batch ends.  :class:`~verification.runtime.executor.LocalExecutor` with
``jobs`` = the number of cores runs chunks side by side instead, and the trainer runs at most one
batch per core across them, so a core that finishes takes a waiting batch of another chunk.

Both designs run in the same process, interleaved over ``--rounds`` (the best round of each
is kept), and give bit-identical results (checked here).  The last line reads
``speedup: <ratio>x`` (side by side over one at a time, in model-steps per second).

Usage::

    python benchmarks/bench_sweep_jobs.py [--chunks 4] [--steps 4000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from verification import TrainConfig  # noqa: E402
from verification.runs import train_runs  # noqa: E402
from verification.runtime import LocalExecutor, default_jobs  # noqa: E402
from verification.runtime.context import RunContext  # noqa: E402
from verification.training import Schedule  # noqa: E402

CHUNK = 16


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--chunks", type=int, default=4, help="chunks of 16 configs (default 4)")
    p.add_argument("--steps", type=int, default=4000, help="step budget of each run (default 4000)")
    p.add_argument("--rounds", type=int, default=2, help="interleaved timing rounds (default 2)")
    args = p.parse_args(argv)
    if args.chunks < 1 or args.steps < 1 or args.rounds < 1:
        p.error("--chunks, --steps and --rounds must be positive")

    ratios = np.logspace(-1, 1, 8)
    base = TrainConfig(relation="mod3", n=30, train_fraction=0.75, eta_enc=1e-3)
    grid = [
        base.replace(eta_dec=float(1e-3 * ratios[k % len(ratios)]), seed=k)
        for k in range(args.chunks * CHUNK)
    ]
    jobs = default_jobs("cpu")
    print(
        f"{len(grid)} runs in {args.chunks} chunks of {CHUNK}, {args.steps} steps, {jobs} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    train_runs(grid[:2], Schedule(steps=5), RunContext(chunk_size=CHUNK, executor=LocalExecutor()))  # warm-up

    best = {}
    results = {}
    for _ in range(args.rounds):
        designs = (("one chunk at a time", LocalExecutor()), (f"jobs={jobs}", LocalExecutor(jobs=jobs)))
        for label, ex in designs:
            t = time.perf_counter()
            res = train_runs(grid, Schedule(steps=args.steps), RunContext(chunk_size=CHUNK, executor=ex))
            wall = time.perf_counter() - t
            best[label] = min(best.get(label, np.inf), wall)
            results[label] = res
    a, b = results.values()
    for f in ("steps_to_train", "steps_to_test", "full_acc", "final_loss"):
        np.testing.assert_array_equal(getattr(a, f), getattr(b, f), err_msg=f)
    model_steps = int(a.steps_run.sum())
    print(
        f"model-steps {model_steps:,} ({model_steps / (len(grid) * args.steps):.0%} of the budget: "
        "early stopping)"
    )
    rates = {}
    for label, wall in best.items():
        rates[label] = model_steps / wall
        print(f"{label:>20}: {wall:7.1f} s, {rates[label]:8.0f} model-steps/s")
    one, side = rates.values()
    print(f"speedup: {side / one:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
