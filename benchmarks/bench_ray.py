"""Overhead of the Ray executor against the in-process executor on the same small phase diagram.

Runs, in one process, the same sweep (a grid of tiny autoencoders, cut into batched chunks):

1. in-process (:class:`~effective_theory.LocalExecutor`; ``train_ensemble`` uses one torch
   thread, as does each Ray task with ``num_cpus_per_task=1``);
2. on a local Ray instance with ``--workers`` CPUs: the start of Ray, the first sweep (cold
   workers import torch), and the same sweep again (warm workers);
3. a no-op chunk function through both executors: the fixed cost per Ray task.

and prints the times and the ratios Ray / in-process.  Results of both paths are checked to be
identical.  Takes well under 2 minutes.  On a machine shared with other jobs every time is
inflated by contention; compare the ratios, and rerun for their spread.

    python benchmarks/bench_ray.py [--configs 8] [--steps 300] [--chunk-size 2] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _noop(chunk):
    return chunk


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--configs", type=int, default=8, help="grid points (default 8)")
    p.add_argument("--steps", type=int, default=300, help="training steps per config (default 300)")
    p.add_argument("--chunk-size", type=int, default=2, help="configs per chunk / Ray task (default 2)")
    p.add_argument("--workers", type=int, default=2, help="CPUs of the local Ray instance (default 2)")
    p.add_argument("--noop-tasks", type=int, default=40, help="no-op chunks for the per-task cost")
    args = p.parse_args(argv)

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    import numpy as np

    from verification.runs import train_runs
    from verification.runtime import LocalExecutor, RayExecutor
    from verification.runtime.context import RunContext
    from verification.training import Schedule, TrainConfig

    rates = np.logspace(-3, -0.5, args.configs)
    grid = [
        TrainConfig(relation="mod3", n=9, eta_enc=float(r), eta_dec=1e-2, seed=k) for k, r in enumerate(rates)
    ]
    schedule = Schedule(steps=args.steps, gap=100)
    n_chunks = -(-args.configs // args.chunk_size)
    print(
        f"sweep: {args.configs} configs (n=9, {args.steps} steps), {n_chunks} chunks of <= "
        f"{args.chunk_size}; Ray: {args.workers} workers x 1 CPU; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )

    t = time.perf_counter()
    local = train_runs(grid, schedule, RunContext(executor=LocalExecutor(), chunk_size=args.chunk_size))
    t_local = time.perf_counter() - t
    t = time.perf_counter()
    LocalExecutor().map(_noop, list(range(args.noop_tasks)))
    t_local_noop = time.perf_counter() - t

    ex = RayExecutor(
        num_cpus_per_task=1,
        max_retries=1,
        init_kwargs={"num_cpus": args.workers, "object_store_memory": 80 * 2**20, "logging_level": "ERROR"},
    )
    try:
        t = time.perf_counter()
        ex.start()
        t_start = time.perf_counter() - t
        t = time.perf_counter()
        cold = train_runs(grid, schedule, RunContext(executor=ex, chunk_size=args.chunk_size))
        t_cold = time.perf_counter() - t
        t = time.perf_counter()
        warm = train_runs(grid, schedule, RunContext(executor=ex, chunk_size=args.chunk_size))
        t_warm = time.perf_counter() - t
        t = time.perf_counter()
        ex.map(_noop, list(range(args.noop_tasks)))
        t_noop = time.perf_counter() - t
    finally:
        ex.close()

    same = all(
        np.array_equal(getattr(local, f), getattr(r, f), equal_nan=True) and local.phases == r.phases
        for r in (cold, warm)
        for f in ("steps_to_train", "steps_to_test", "full_acc", "final_loss")
    )
    rows = [
        ("in-process sweep", t_local, 1.0),
        ("Ray start (ray.init, local instance)", t_start, None),
        ("Ray sweep, cold workers", t_cold, t_cold / t_local),
        ("Ray sweep, warm workers", t_warm, t_warm / t_local),
        ("Ray start + cold sweep", t_start + t_cold, (t_start + t_cold) / t_local),
    ]
    print(f"{'path':40s} {'seconds':>9s} {'/ in-process':>13s}")
    for name, sec, ratio in rows:
        print(f"{name:40s} {sec:9.2f} {'' if ratio is None else f'{ratio:12.2f}x':>13s}")
    per_task = (t_noop - t_local_noop) / args.noop_tasks
    print(
        f"no-op chunks: {args.noop_tasks} in {t_noop:.2f} s on Ray vs {t_local_noop * 1e3:.2f} ms "
        f"in-process: {per_task * 1e3:.1f} ms fixed cost per Ray task"
    )
    print(f"results identical to the in-process run: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
