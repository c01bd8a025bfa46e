"""Benchmark: the batched ensemble trainer versus a plain one-model PyTorch loop.

Workload (issue 5): the Table III architecture (d = 2, three tanh layers of width 50, concat),
relation mod 3 on n = 30 elements, 675 training pairs, Adam, full-batch steps.  One model step
is one forward + backward + optimizer update of one model: about 21 MFLOP.

* baseline: :func:`verification.train_reference` -- ``torch.nn`` autograd + ``torch.optim.AdamW``,
  one model at a time;
* ensemble: :func:`verification.train_ensemble` with ``K`` models in one batch (hand-written
  batched forward/backward with ``baddbmm``/``bmm``, fused batched Adam), early stopping off so
  every model runs every step.

Both are timed in the same process, interleaved over several rounds, and the best round of each
is kept, so background load on a shared machine biases both alike; wall-clock and CPU-time rates
are both printed.  It also times a 10 x 10 phase diagram (K = 100 models) per step and
extrapolates to 10^4 steps (an upper bound: early stopping only shortens it; ``--diagram`` runs
it for real).

Usage::

    python benchmarks/bench_training.py [--K 100] [--rounds 3] [--threads N] [--diagram]

The last line reads ``speedup: <ratio>x`` (ensemble over baseline, wall clock, best rounds).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from verification import TrainConfig, train_ensemble, train_reference  # noqa: E402

#: roughly 3 x 2 x 675 x 5250 multiply-adds: forward, two backward matmuls per layer
FLOP_PER_MODEL_STEP = 6 * 675 * (4 * 50 + 50 * 50 * 2 + 50)


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--K", type=int, default=100, help="models per ensemble (default 100)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved timing rounds (default 3)")
    p.add_argument("--ref-steps", type=int, default=100, help="baseline steps per round")
    p.add_argument("--ens-steps", type=int, default=30, help="ensemble steps per round")
    p.add_argument("--threads", type=int, default=1, help="threads of the ensemble trainer (default 1)")
    p.add_argument("--diagram", action="store_true", help="run the 10 x 10 diagram at 10^4 steps")
    args = p.parse_args(argv)
    default_threads = torch.get_num_threads()
    print(
        f"torch {torch.__version__}, {os.cpu_count()} cpus, torch threads {default_threads}, "
        f"load average {os.getloadavg()[0]:.1f} (a loaded machine inflates timings; compare ratios)"
    )

    base = TrainConfig(relation="mod3", n=30, train_fraction=0.75)
    assert base.num_train_pairs == 675
    # a 10 x 10 grid of learning rates (1e-4 .. 1e-2), as in a phase diagram
    grid = [
        base.replace(
            seed=s, eta_enc=10 ** (-4 + 2 * (s % 10) / 9), eta_dec=10 ** (-4 + 2 * (s // 10 % 10) / 9)
        )
        for s in range(args.K)
    ]

    def ref_run(seed, threads):
        train_reference(base.replace(seed=seed), steps=args.ref_steps, num_threads=threads)

    def ens_run():
        train_ensemble(grid, steps=args.ens_steps, device="cpu", early_stop=False, num_threads=args.threads)

    # warm-up (allocations, first-call overheads)
    train_reference(base, steps=5)
    train_ensemble(grid, steps=2, device="cpu", early_stop=False)

    ref_threads = sorted({1, default_threads})
    ref_rates = {t: [] for t in ref_threads}
    ens_rates = []
    for r in range(args.rounds):
        line = f"round {r}:"
        for t in ref_threads:
            w, c = _timed(lambda t=t, r=r: ref_run(r, t))
            ref_rates[t].append((args.ref_steps / w, args.ref_steps / c))
            line += f" plain loop ({t} thr) {ref_rates[t][-1][0]:6.0f}/s (cpu {ref_rates[t][-1][1]:6.0f});"
        w, c = _timed(ens_run)
        ens_rates.append((args.K * args.ens_steps / w, args.K * args.ens_steps / c))
        print(line + f" ensemble K={args.K} {ens_rates[-1][0]:6.0f}/s (cpu {ens_rates[-1][1]:6.0f})")
    # the baseline gets its best thread count and its best round
    ref_w = max(x[0] for t in ref_threads for x in ref_rates[t])
    ref_c = max(x[1] for t in ref_threads for x in ref_rates[t])
    ens_w, ens_c = max(x[0] for x in ens_rates), max(x[1] for x in ens_rates)
    print(f"plain one-model loop : {ref_w:8.0f} model-steps/s wall, {ref_c:8.0f} per cpu-second")
    print(
        f"ensemble (K={args.K})    : {ens_w:8.0f} model-steps/s wall, {ens_c:8.0f} per cpu-second "
        f"({ens_c * FLOP_PER_MODEL_STEP / 1e9:.1f} GFLOP per cpu-second)"
    )
    print(f"ratio per cpu-second : {ens_c / ref_c:.2f}x")

    diagram_steps = 10_000
    sec_per_model_step = 1.0 / ens_w
    if args.K != 100:
        k100 = [base.replace(seed=s) for s in range(100)]
        w, _ = _timed(lambda: train_ensemble(k100, steps=args.ens_steps, device="cpu", early_stop=False))
        sec_per_model_step = w / (100 * args.ens_steps)
    est = sec_per_model_step * 100 * diagram_steps
    print(
        f"10 x 10 phase diagram at 10^4 steps: {est:.0f} s ({est / 60:.1f} min) extrapolated, "
        f"an upper bound (no early stopping); plain loop: {100 * diagram_steps / ref_w / 60:.1f} min"
    )
    if args.diagram:
        diagram = [
            base.replace(eta_enc=10.0**a, eta_dec=10.0**b)
            for a in np.linspace(-4, -2, 10)
            for b in np.linspace(-4, -1, 10)
        ]
        w, c = _timed(lambda: train_ensemble(diagram, steps=diagram_steps, device="cpu", progress=True))
        print(f"10 x 10 phase diagram at 10^4 steps, measured: {w:.0f} s wall, {c:.0f} s cpu")
    print(f"speedup: {ens_w / ref_w:.2f}x")


if __name__ == "__main__":
    main()
