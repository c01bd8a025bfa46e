"""Benchmark: the batched ensemble trainer against the machine's float32 peak and a plain loop.

Workload: the Table III architecture (d = 2, three tanh layers of width 50,
concat), relation mod 3 on n = 30 elements, 675 training pairs, Adam, full-batch steps.  One
model step is one forward + backward + optimizer update of one model: about 21.3 MFLOP
(:data:`FLOP_PER_MODEL_STEP`, counting the real pairs only, not the padding).

Timed in the same process, interleaved over several rounds (the best round of each is kept, so
background load on a shared machine biases all alike):

* peak: ``torch.mm`` on 2048 x 2048 float32, on one core and on all cores (the better of one
  product with all intra-op threads and one single-threaded product per core in concurrent
  Python threads, the way the trainer uses the cores);
* baseline: :func:`verification.train_reference` -- ``torch.nn`` autograd + ``torch.optim.AdamW``,
  one model at a time, with one thread and with torch's default threads;
* ensemble: :func:`verification.train_ensemble` with ``K`` models (default 100, a 10 x 10 grid of
  learning rates), early stopping off so every model runs every step, default batching.  A round
  is one call of 300 steps (evaluations every 10 included), so the per-call set-up (building each
  batch's parameters and pair lists, about 2-3 ms a model, printed on its own line) weighs a few
  per cent, as in the figures' runs of 10^3-10^5 steps; 30-step rounds spent a fifth of their time
  on it;
* products alone: the matrix products of a step, exactly as the trainer calls them (batches of 8,
  one per core), with every elementwise kernel, the optimizer and Python's bookkeeping left out.
  Their rate over the peak is the ceiling on ``fraction of peak`` that this BLAS sets at these
  shapes (50-wide layers) even if everything else in a step were free.

``fraction of peak`` is the ensemble's useful FLOP rate over the all-core matmul peak measured in
the same run: the figure that travels between machines; ``products alone`` prints its ceiling.
``--diagram`` also trains a real 10 x 10 phase diagram (Figure 5's grid of learning rates, 10^4
steps, early stopping on) and prints its time beside the peak.

Usage::

    python benchmarks/bench_training.py [--K 100] [--rounds 3] [--diagram]

The last line reads ``speedup: <ratio>x`` (ensemble over the best plain loop, wall clock).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from verification import Schedule, TrainConfig, train_ensemble, train_reference  # noqa: E402

#: 675 pairs x 3 products per layer (forward, weight gradient, input gradient) x 2 FLOP per
#: multiply-add x (4 x 50 + 50 x 50 + 50 x 50 + 50 x 1) weights
FLOP_PER_MODEL_STEP = 6 * 675 * (4 * 50 + 50 * 50 * 2 + 50)
#: side of the square matrices of the peak measurement
PEAK_N = 2048


def _timed(fn):
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def matmul_peak(cores, repeats=3):
    """Best float32 ``torch.mm`` rate (FLOP/s) on ``cores`` cores.

    For ``cores > 1`` the better of one product with ``cores`` intra-op threads and ``cores``
    concurrent single-threaded products (one per Python thread; torch releases the GIL).
    """
    old = torch.get_num_threads()
    a, b = torch.randn(PEAK_N, PEAK_N), torch.randn(PEAK_N, PEAK_N)
    flop = 2 * PEAK_N**3
    try:
        torch.set_num_threads(cores)
        torch.mm(a, b)
        best = max(flop / _timed(lambda: torch.mm(a, b))[0] for _ in range(repeats))
        if cores > 1:
            torch.set_num_threads(1)
            outs = [torch.empty(PEAK_N, PEAK_N) for _ in range(cores)]

            def concurrent():
                threads = [threading.Thread(target=torch.mm, args=(a, b), kwargs={"out": o}) for o in outs]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()

            concurrent()
            best = max(best, *(cores * flop / _timed(concurrent)[0] for _ in range(repeats)))
    finally:
        torch.set_num_threads(old)
    return best


def products_alone(base, cores, steps=200, batch=8):
    """Model-steps/s of a step's matrix products alone: ``cores`` batches of ``batch`` models, one
    single-threaded batch per Python thread, each running the products of ``steps`` steps as
    :meth:`verification.training._Group.gradient` calls them (forward, read-out, weight and input
    gradients, the transposed copies of the weights), nothing else."""
    from verification.training import _Group

    cfgs = [base.replace(seed=s) for s in range(batch)]
    groups = [_Group(cfgs, list(range(batch)), torch.device("cpu")) for _ in range(cores)]
    gen = torch.Generator().manual_seed(0)
    for g in groups:  # ordinary values in the (uninitialised) activation buffers, no denormals
        for buf in (*g.acts, *g.back):
            buf.copy_(torch.randn(buf.shape, generator=gen))

    def products(g):
        torch.set_num_threads(1)
        depth, acts = g.arch.depth, g.acts
        gz = torch.zeros(batch, acts[0].shape[-1])
        for _ in range(steps):
            for layer in range(depth):
                torch.bmm(g.Wt[layer], acts[layer], out=acts[layer + 1])
            torch.bmm(g.Wt[depth], acts[depth])
            torch.bmm(gz.unsqueeze(1), acts[depth].transpose(1, 2), out=g.gWt[depth])
            for layer in range(depth - 1, -1, -1):
                torch.bmm(g.back[0], acts[layer].transpose(1, 2), out=g.gWt[layer])
                W = g.Wt[layer].transpose(1, 2).contiguous()
                torch.bmm(W, g.back[0], out=g.g_input if layer == 0 else g.back[1])

    products(groups[0])  # warm-up
    threads = [threading.Thread(target=products, args=(g,)) for g in groups]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return cores * batch * steps / (time.perf_counter() - wall)


def phase_diagram_configs(base):
    """A 10 x 10 grid of (eta_enc, eta_dec) as in Figure 5 (1e-4..1e-2 by 1e-4..1e-1)."""
    return [
        base.replace(eta_enc=float(10.0**a), eta_dec=float(10.0**b))
        for a in np.linspace(-4, -2, 10)
        for b in np.linspace(-4, -1, 10)
    ]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--K", type=int, default=100, help="models per ensemble (default 100)")
    p.add_argument("--rounds", type=int, default=3, help="interleaved timing rounds (default 3)")
    p.add_argument("--ref-steps", type=int, default=100, help="baseline steps per round")
    p.add_argument("--ens-steps", type=int, default=300, help="ensemble steps per round")
    p.add_argument("--diagram", action="store_true", help="train a 10 x 10 phase diagram at 10^4 steps")
    args = p.parse_args(argv)
    cores = os.cpu_count() or 1
    default_threads = torch.get_num_threads()
    print(
        f"torch {torch.__version__}, {cores} cpus, torch threads {default_threads}, "
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

    def ens_run(steps=args.ens_steps):
        train_ensemble(grid, Schedule(steps=steps, early_stop=False), device="cpu")

    # warm-up (allocations, kernel compilation, first-call overheads)
    train_reference(base, steps=5)
    train_ensemble(grid[:2], Schedule(steps=2, early_stop=False), device="cpu")

    ref_threads = sorted({1, default_threads})
    ref_rates = {t: [] for t in ref_threads}
    ens_rates, peaks1, peaks, prod_rates, setups = [], [], [], [], []
    for r in range(args.rounds):
        peaks1.append(matmul_peak(1))
        peaks.append(matmul_peak(cores))
        line = f"round {r}: peak {peaks1[-1] / 1e9:5.1f} / {peaks[-1] / 1e9:5.1f} GFLOP/s (1/{cores} cores);"
        for t in ref_threads:
            w, c = _timed(lambda t=t, r=r: ref_run(r, t))
            ref_rates[t].append((args.ref_steps / w, args.ref_steps / c))
            line += f" plain loop ({t} thr) {ref_rates[t][-1][0]:5.0f}/s;"
        w, c = _timed(ens_run)
        ens_rates.append((args.K * args.ens_steps / w, args.K * args.ens_steps / c))
        setups.append(_timed(lambda: ens_run(1))[0])
        prod_rates.append(products_alone(base, cores))
        print(
            line + f" ensemble K={args.K} {ens_rates[-1][0]:5.0f}/s (cpu {ens_rates[-1][1]:5.0f});"
            f" products alone {prod_rates[-1]:5.0f}/s"
        )
    # everything gets its best round: the peak too, so the fraction errs low
    peak1, peak = max(peaks1), max(peaks)
    ref_w = max(x[0] for t in ref_threads for x in ref_rates[t])
    ref_c = max(x[1] for t in ref_threads for x in ref_rates[t])
    ens_w, ens_c = max(x[0] for x in ens_rates), max(x[1] for x in ens_rates)
    gflop = ens_w * FLOP_PER_MODEL_STEP / 1e9
    print(
        f"float32 matmul peak    : {peak1 / 1e9:6.1f} GFLOP/s on 1 core, {peak / 1e9:6.1f} GFLOP/s on "
        f"{cores} cores (torch.mm {PEAK_N} x {PEAK_N})"
    )
    print(f"plain one-model loop   : {ref_w:8.0f} model-steps/s wall, {ref_c:8.0f} per cpu-second")
    print(
        f"ensemble (K={args.K})      : {ens_w:8.0f} model-steps/s wall, {ens_c:8.0f} per cpu-second, "
        f"{gflop:.1f} GFLOP/s ({FLOP_PER_MODEL_STEP / 1e6:.1f} MFLOP per model-step)"
    )
    print(f"ratio per cpu-second   : {ens_c / ref_c:.2f}x")
    print(
        f"set-up of one call     : {min(setups):.2f} s for {args.K} models (a 1-step call; included "
        f"above, {min(setups) / (args.K * args.ens_steps / ens_w):.1%} of a {args.ens_steps}-step round)"
    )
    prod = max(prod_rates)
    print(
        f"products alone         : {prod:8.0f} model-steps/s, {prod * FLOP_PER_MODEL_STEP / peak:.3f} of the "
        f"peak (the ceiling of fraction of peak with free elementwise work); the ensemble spends "
        f"{1 - ens_w / prod:.0%} of its time outside them"
    )

    diagram_steps = 10_000
    est = 100 * diagram_steps / ens_w
    print(
        f"10 x 10 phase diagram at 10^4 steps: {est:.0f} s ({est / 60:.1f} min) extrapolated without "
        f"early stopping; plain loop: {100 * diagram_steps / ref_w / 60:.1f} min"
    )
    if args.diagram:
        diagram = phase_diagram_configs(base)
        w, c = _timed(
            lambda: train_ensemble(diagram, Schedule(steps=diagram_steps), device="cpu", progress=True)
        )
        print(
            f"10 x 10 phase diagram at 10^4 steps, measured: {w:.0f} s wall, {c:.0f} s cpu "
            f"(early stopping on; machine peak {peak / 1e9:.1f} GFLOP/s on {cores} cores)"
        )
    print(f"fraction of peak: {gflop * 1e9 / peak:.3f}")
    print(f"speedup: {ens_w / ref_w:.2f}x")


if __name__ == "__main__":
    main()
