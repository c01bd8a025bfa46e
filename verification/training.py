"""Batched training of many independent autoencoders at once (Section II, Table III of [1]_).

:func:`train_ensemble` trains ``K`` models, each with its own hyperparameters (:class:`TrainConfig`:
relation, split, learning rates and weight decays of encoder and decoder, init scales, seed,
optimizer), as one batched computation.  Models with the same architecture and optimizer form a
group whose parameters are stacked along a leading model axis; the forward and backward passes
are written out by hand, feature-major (activations ``(K, width, pairs)``, so every batched
product ``torch.bmm`` runs along the long pair axis), with the elementwise work of each layer
fused into one pass (:mod:`verification._step_kernels`: compiled loops on the CPU, torch
operations elsewhere), and the optimizer is one fused, batched Adam(W)/SGD pass over a flat
parameter buffer with a per-parameter learning rate and weight decay.  For the tiny MLPs of the
paper this is several times faster than autograd plus ``torch.optim`` on one model at a time
(see ``benchmarks/bench_training.py``); :func:`train_reference` is that plain loop, kept as the
reference the batched trainer is tested against.  On the CPU, tanh is a rational approximation
a few ulp from the correctly rounded value (see :mod:`verification._step_kernels`).

Training is full batch on the training pairs with the mean binary cross-entropy

.. math::

    L = -\\frac{1}{|T|} \\sum_{(i, j) \\in T} \\left[R_{ij} \\log \\sigma(z_{ij})
        + (1 - R_{ij}) \\log (1 - \\sigma(z_{ij}))\\right].

Optimizers: ``"adam"`` is Adam with decoupled weight decay (AdamW, ``betas=(0.9, 0.999)``,
``eps=1e-8``; with zero weight decay, the paper's default, it is plain Adam); ``"sgd"`` is plain
gradient descent with L2 weight decay added to the gradient -- the discrete-time version of the
gradient flow, Eq. (7), that the repon theory describes.  Encoder (embeddings) and decoder have
separate learning rates (``eta_enc``, ``eta_dec``) and weight decays (``wd_enc``, ``wd_dec``).

Every model's arithmetic is independent of its position in the batch and of the batch's size
and companions, so one config gives bit-identical results alone, in any chunk of a sweep, and on
any executor (on the same machine and device).  On the CPU three kernel effects broke that
before: torch's vectorised elementwise kernels compute the last ``numel % 16`` elements of a
tensor by a scalar path that rounds differently (so only the batch's last model was hit); small
batched products round differently when a weight is a transposed view or when a model's output
does not start at an aligned address; and a batched matrix-vector product (``(B, w) @ (w, 1)``)
rounds differently for different batch sizes.  Hence every per-model axis (training pairs, test
pairs, the flat parameter buffer) is padded to a multiple of :data:`PAD` elements with
zero-weight entries, every model's slab of every parameter starts at a 64-byte boundary,
transposed weights are made contiguous before a batched product, the read-out is a row times a
matrix, the compiled elementwise kernels run without fast-math (the same IEEE operations on
every element), and models whose padded training-set sizes differ are batched separately (so
the length of every sum over pairs is a property of the model).  Tested bit for bit in
``tests/verification/test_training.py``.

Accuracies are evaluated every ``eval_every`` steps: the train accuracy from the training
forward pass itself, the test accuracy from one extra forward pass over the test pairs.  A step
count ``s`` means "after ``s`` parameter updates"; ``steps_to_train`` is the first evaluated
``s`` with train accuracy ``> threshold``, so it is resolved to ``eval_every`` steps.  A model is
settled once both its train and test accuracy have been reached (its Table IV phase can no longer
change); with ``early_stop=True`` settled models leave the batch.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np
import torch

from effective_theory._checks import check_int
from effective_theory.statics.relation_input import relation_matrix
from verification import _step_kernels
from verification.model import init_parameters, parameter_shapes
from verification.phases import classify_phase
from verification.reference_loop import train_reference
from verification.runtime.interrupt import check_stop, clear_stop, request_stop
from verification.runtime.progress import progress
from verification.train_config import (
    ADAM_BETAS,
    ADAM_EPS,
    OPTIMIZERS,
    Schedule,
    TrainConfig,
    resolve_device,
    split_pairs,
)

__all__ = [
    "OPTIMIZERS",
    "TrainConfig",
    "Schedule",
    "EnsembleResult",
    "train_ensemble",
    "train_reference",
    "split_pairs",
    "group_key",
    "resolve_device",
]

(_BETA1, _BETA2), _EPS = ADAM_BETAS, ADAM_EPS
#: per-model axes are padded to a multiple of this many elements (no scalar tails in the
#: vectorised elementwise kernels: 64 float32 covers two AVX-512 vectors, unrolled twice)
PAD = 64
#: each model's slab of each parameter is padded to a multiple of this many floats (64 bytes)
SLAB = 16


def _round_up(x: int, m: int = PAD) -> int:
    return -(-int(x) // m) * m


@dataclass
class EnsembleResult:
    """Outcome of :func:`train_ensemble`, one entry per config (in the order given).

    Attributes
    ----------
    configs : list of TrainConfig
    steps_to_train, steps_to_test : ndarray of int, shape (K,)
        First evaluated step with train (test) accuracy ``> threshold``; -1 if never.
    train_acc, test_acc, full_acc : ndarray of float, shape (K,)
        Final accuracies on the training pairs, the test pairs (NaN if there are none) and all
        ``n**2`` pairs.
    steps_run : ndarray of int, shape (K,)
        Steps actually run (smaller than the budget for early-stopped, settled models).
    embeddings : ndarray (K, n, d), or list of (n, d) arrays when n or d differ
        Final embeddings.
    phases : list of str
        :func:`~verification.phases.classify_phase` with ``budget=steps`` and the given gap.
    final_loss : ndarray of float, shape (K,)
        Training loss at the last evaluation.
    params : list of dict
        Final parameters of each model (numpy, :func:`~verification.model.parameter_shapes` layout).
    snapshot_steps, snapshots : list of ndarray, or None
        With ``snapshot_every``: per model, the steps ``0, k, 2k, ...`` and its last step, and its
        embeddings after that many updates, shape ``(S, n, d)``.
    """

    configs: list
    steps_to_train: np.ndarray
    steps_to_test: np.ndarray
    train_acc: np.ndarray
    test_acc: np.ndarray
    full_acc: np.ndarray
    steps_run: np.ndarray
    embeddings: object
    phases: list
    final_loss: np.ndarray = None
    params: list = field(default=None, repr=False)
    snapshot_steps: list = field(default=None, repr=False)
    snapshots: list = field(default=None, repr=False)

    def __len__(self):
        return len(self.configs)


# --------------------------------------------------------------------------------------------
# one batch of models: parameters, data and the batched step


def _kernels_for(device):
    """The fused elementwise kernels of a step: compiled loops on the CPU, torch elsewhere."""
    return _step_kernels.numba_kernels() if device.type == "cpu" else _step_kernels.TORCH


class _Pairs:
    """Padded pair lists of K models: row indices ``i``, column indices ``j``, targets ``y`` and
    per-pair weights ``w`` (zero on padding), each ``(K, P)`` with ``P`` a multiple of PAD."""

    def __init__(self, flat, y_full, w, n):
        self.flat, self.w = flat, w
        self.i, self.j = flat // n, flat % n
        self.y = torch.gather(y_full, 1, flat)

    @property
    def size(self):
        return self.flat.shape[1]


class _Group:
    """K models of one architecture and optimizer, parameters stacked in one flat buffer.

    The flat buffer is parameter-major: block ``p`` holds ``K`` slabs of ``size_p`` values, each
    slab padded with zeros to a multiple of :data:`SLAB` floats (64 bytes), so every model's
    parameter starts at an aligned address (small batched products write rounding that depends
    on the output's alignment); the optimizer is one pass over the buffer.  Inside the batch a
    layer's weight is held as ``Wt`` of shape ``(fan_out, fan_in)`` (``nn.Linear``'s layout, the
    transpose of :func:`~verification.model.parameter_shapes`) and activations are feature-major,
    ``(K, width, pairs)``: every product then runs along the long, contiguous pair axis.
    """

    def __init__(self, configs, members, device):
        cfg0 = configs[members[0]]
        self.arch = cfg0.model
        self.n = cfg0.n
        self.optimizer = cfg0.optimizer
        self.device = device
        self.kernels = _kernels_for(device)
        self.mode = _step_kernels.MODE_CODES[self.arch.mode]
        self.members = np.asarray(members)  # global indices, current order
        self.shapes = parameter_shapes(self.arch, self.n)
        self.sizes = [math.prod(s) for _, s in self.shapes]
        self.slabs = [_round_up(size, SLAB) for size in self.sizes]
        self._stack_parameters([configs[m] for m in members])
        self._stack_pairs([configs[m] for m in members])
        self._derive()

    # --- construction
    def _stack_parameters(self, cfgs):
        K = len(cfgs)
        inits = [
            init_parameters(
                self.arch, self.n, seed=c.seed, init_enc=c.init_enc, init_dec=c.init_dec, init=c.init
            )
            for c in cfgs
        ]
        blocks, lr, wd = [], [], []
        for (name, _shape), size in zip(self.shapes, self.sizes):
            # W is stored transposed, (fan_out, fan_in)
            stack = [p[name].t() if name.startswith("W") else p[name] for p in inits]
            blocks.append(torch.stack([x.reshape(-1) for x in stack]))
            is_enc = name == "E"
            lr.append(
                torch.tensor([c.eta_enc if is_enc else c.eta_dec for c in cfgs], dtype=torch.float32)[
                    :, None
                ].expand(K, size)
            )
            wd.append(
                torch.tensor([c.wd_enc if is_enc else c.wd_dec for c in cfgs], dtype=torch.float32)[
                    :, None
                ].expand(K, size)
            )
        self.theta = self._flat(blocks)
        self.lr = self._flat(lr)
        self.wd = self._flat(wd)
        self.has_wd = bool((self.wd > 0).any())
        self.m = torch.zeros_like(self.theta)
        self.v = torch.zeros_like(self.theta)
        self.grad = torch.zeros_like(self.theta)
        self.t_device = torch.zeros((), dtype=torch.float64, device=self.device)

    def _stack_pairs(self, cfgs):
        """Padded index lists of training and test pairs, targets and loss weights."""
        n, K = self.n, len(cfgs)
        n_train = [c.num_train_pairs for c in cfgs]
        n_test = [n * n - t for t in n_train]
        B, Q = _round_up(max(n_train)), _round_up(max(max(n_test), 1))
        tr_idx = np.zeros((K, B), dtype=np.int64)
        te_idx = np.zeros((K, Q), dtype=np.int64)
        tr_w = np.zeros((K, B), dtype=np.float32)
        te_mask = np.zeros((K, Q), dtype=np.float32)
        y_full = np.zeros((K, n * n), dtype=np.float32)
        for r, c in enumerate(cfgs):
            tr, te = split_pairs(c)
            tr_idx[r, : len(tr)] = tr
            te_idx[r, : len(te)] = te
            tr_w[r, : len(tr)] = 1.0 / len(tr)
            te_mask[r, : len(te)] = 1.0
            y_full[r] = relation_matrix(c.relation, n).reshape(-1)
        t = lambda a: torch.as_tensor(a, device=self.device)  # noqa: E731
        self.y_full = t(y_full)
        self.tr_flat, self.te_flat = t(tr_idx), t(te_idx)
        self.tr_w, self.te_mask = t(tr_w), t(te_mask)
        self.n_train = t(np.asarray(n_train, dtype=np.float32))
        self.n_test = t(np.asarray(n_test, dtype=np.float32))

    # --- layout helpers
    def _flat(self, blocks):
        """One flat buffer of ``(K, size)`` blocks: each slab zero-padded to its SLAB multiple, the
        whole to a multiple of PAD."""
        parts = []
        for b, slab in zip(blocks, self.slabs):
            b = b.reshape(b.shape[0], -1)
            parts.append(torch.nn.functional.pad(b, (0, slab - b.shape[1])).reshape(-1))
        flat = torch.cat(parts)
        pad = _round_up(flat.numel()) - flat.numel()
        if pad:
            flat = torch.cat([flat, flat.new_zeros(pad)])
        return flat.to(self.device).contiguous()

    def _views(self, buf):
        """``E`` (K, n, d), ``Wt`` per layer (K, fan_out, fan_in) and ``b`` per layer (K, fan_out)."""
        K = len(self.members)
        out, off = {}, 0
        for (name, shape), size, slab in zip(self.shapes, self.sizes, self.slabs):
            if name.startswith("W"):
                shape = shape[::-1]
            elif name.startswith("b"):
                shape = shape[1:]
            out[name] = buf[off : off + K * slab].view(K, slab)[:, :size].view(K, *shape)
            off += K * slab
        return out

    def _derive(self):
        """Views of the parameters and gradients, the pair lists, the activation buffers, and the
        kernels' views of all of them (numpy arrays for the compiled CPU kernels)."""
        depth, view = self.arch.depth, self.kernels.view
        P, G = self._views(self.theta), self._views(self.grad)
        self.E, self.gE = P["E"], G["E"]
        self.Wt = [P[f"W{layer}"] for layer in range(depth + 1)]
        self.b = [P[f"b{layer}"] for layer in range(depth + 1)]
        self.gWt = [G[f"W{layer}"] for layer in range(depth + 1)]
        self.gb = [G[f"b{layer}"] for layer in range(depth + 1)]
        self.train = _Pairs(self.tr_flat, self.y_full, self.tr_w, self.n)
        self.test = _Pairs(self.te_flat, self.y_full, self.te_mask, self.n)
        self.acts = self._activations(self.train.size)
        K, B, w = len(self.members), self.train.size, self.arch.width
        self.back = [torch.empty(K, w, B, device=self.device) for _ in range(2 if depth else 0)]
        self.g_input = torch.empty(K, self.arch.input_dim, B, device=self.device)
        self.kv = SimpleNamespace(
            E=view(self.E),
            gE=view(self.gE),
            b=[view(b) for b in self.b[:depth]],
            w_out=view(self.Wt[depth][:, 0, :]),
            acts=[view(a) for a in self.acts],
            back=[view(a) for a in self.back],
            g_input=view(self.g_input),
            train_i=view(self.train.i),
            train_j=view(self.train.j),
            scatter=self.kernels.scatter_plan(view(self.train.i), view(self.train.j), self.n),
            opt=[view(x) for x in (self.theta, self.grad, self.m, self.v, self.lr, self.wd)],
        )

    def _activations(self, num_pairs):
        """Buffers ``h_0 (K, input_dim, P)`` and ``h_l (K, width, P)`` for ``P`` pairs."""
        K, depth = len(self.members), self.arch.depth
        dims = [self.arch.input_dim] + [self.arch.width] * depth
        return [torch.empty(K, d, num_pairs, device=self.device) for d in dims]

    def keep(self, rows):
        """Drop all models but ``rows`` (local indices) from the batch."""
        rows_t = torch.as_tensor(rows, device=self.device, dtype=torch.long)
        K = len(self.members)

        def sel(buf):
            parts, off = [], 0
            for slab in self.slabs:
                parts.append(buf[off : off + K * slab].view(K, slab).index_select(0, rows_t))
                off += K * slab
            return self._flat(parts)

        self.theta, self.m, self.v = sel(self.theta), sel(self.m), sel(self.v)
        self.lr, self.wd, self.grad = sel(self.lr), sel(self.wd), sel(self.grad)
        for name in ("tr_flat", "te_flat", "tr_w", "te_mask", "y_full", "n_train", "n_test"):
            setattr(self, name, getattr(self, name).index_select(0, rows_t))
        self.members = self.members[np.asarray(rows)]
        self._derive()

    # --- one step
    def logits(self, pairs, acts, kv_acts=None, kv_pairs=None):
        """Logits (K, P) of ``pairs``, leaving the activations ``h_0 .. h_L`` in ``acts``
        (``kv_acts``, ``kv_pairs``: the kernels' views of them, when already made)."""
        kern, kv, depth = self.kernels, self.kv, self.arch.depth
        kv_acts = kv_acts or [kern.view(a) for a in acts]
        ii, jj = kv_pairs or (kern.view(pairs.i), kern.view(pairs.j))
        kern.embed_input(kv.E, ii, jj, self.mode, kv_acts[0])
        for layer in range(depth):
            torch.bmm(self.Wt[layer], acts[layer], out=acts[layer + 1])
            kern.tanh_bias_(kv_acts[layer + 1], kv.b[layer])
        return torch.bmm(self.Wt[depth], acts[depth]).squeeze(1) + self.b[depth]

    def gradient(self, evaluate):
        """Fill ``self.grad`` with the full-batch gradient; when ``evaluate``, also return
        (train_acc, test_acc, loss) of the current parameters, else None."""
        kern, kv, depth, acts, pairs = self.kernels, self.kv, self.arch.depth, self.acts, self.train
        z = self.logits(pairs, acts, kv.acts, (kv.train_i, kv.train_j))
        # dL/dz of the mean binary cross-entropy, zero on padding
        gz = (torch.sigmoid(z) - pairs.y) * pairs.w
        stats = self._train_stats(z) if evaluate else None

        # the read-out layer, then each hidden layer, back to dL/dh_0
        torch.bmm(gz.unsqueeze(1), acts[depth].transpose(1, 2), out=self.gWt[depth])
        torch.sum(gz, 1, keepdim=True, out=self.gb[depth])
        if depth == 0:
            kern.outer(kv.w_out, kern.view(gz), kv.g_input)
        else:
            cur = 0  # self.back[cur] holds dL/dz of the layer being differentiated
            kern.readout_backward(kv.w_out, kern.view(gz), kv.acts[depth], kv.back[cur])
            for layer in range(depth - 1, -1, -1):
                gpre = self.back[cur]
                torch.sum(gpre, -1, out=self.gb[layer])
                torch.bmm(gpre, acts[layer].transpose(1, 2), out=self.gWt[layer])
                # a contiguous transpose: the strided view rounds differently at different offsets
                W = self.Wt[layer].transpose(1, 2).contiguous()
                if layer == 0:
                    torch.bmm(W, gpre, out=self.g_input)
                else:
                    torch.bmm(W, gpre, out=self.back[1 - cur])
                    cur = 1 - cur
                    kern.tanh_backward(kv.back[cur], kv.acts[layer], kv.back[cur])
        kern.embed_grad(kv.g_input, kv.E, kv.scatter, self.mode, kv.gE)
        return stats

    def _train_stats(self, z):
        pairs = self.train
        correct = ((z > 0).float() == pairs.y).float()
        train_acc = (correct * pairs.w).sum(1)
        loss = (torch.nn.functional.softplus(z) - pairs.y * z).mul(pairs.w).sum(1)
        return train_acc, self.test_accuracy(), loss

    def update(self, t):
        """Apply the ``t``-th (1-based) optimizer step with the gradient in ``self.grad``."""
        self.set_step(t)
        self.apply_update()

    def set_step(self, t):
        """Make ``t`` the step :meth:`apply_update` applies (on the device for torch kernels, so
        that a captured CUDA graph of :meth:`apply_update` reads it at every replay)."""
        if self.kernels.name == "numba":
            self.t = t
        else:
            self.t_device.fill_(t)

    def apply_update(self):
        theta, grad, m, v, lr, wd = self.kv.opt
        if self.optimizer == "sgd":
            self.kernels.sgd_update_(theta, grad, lr, wd, self.has_wd)
            return
        # Adam's bias corrections 1 - beta1^t and sqrt(1 - beta2^t), in double precision
        if self.kernels.name == "numba":
            bc1, sqrt_bc2 = 1 - _BETA1**self.t, math.sqrt(1 - _BETA2**self.t)
        else:
            bc1 = (1 - _BETA1**self.t_device).float()
            sqrt_bc2 = (1 - _BETA2**self.t_device).sqrt().float()
        self.kernels.adam_update_(theta, grad, m, v, lr, wd, bc1, sqrt_bc2, self.has_wd)

    def test_accuracy(self):
        pairs = self.test
        z = self.logits(pairs, self._activations(pairs.size))
        correct = ((z > 0).float() == pairs.y).float() * pairs.w
        acc = correct.sum(1) / self.n_test.clamp(min=1)
        return torch.where(self.n_test > 0, acc, torch.full_like(acc, float("nan")))

    def final_stats(self):
        """Per model: train acc, test acc, full acc, loss, and the parameters (numpy)."""
        n = self.n
        K = len(self.members)
        nn_pad = _round_up(n * n)
        # padding repeats pairs (with weight 0); masked below
        flat = (torch.arange(nn_pad, device=self.device) % (n * n)).expand(K, -1).contiguous()
        everything = _Pairs(flat, self.y_full, None, n)
        z = self.logits(everything, self._activations(nn_pad))[:, : n * n]
        correct = ((z > 0).float() == self.y_full).float()
        full = correct.mean(1)
        train_mask = torch.zeros_like(correct).scatter_add_(1, self.tr_flat, self.tr_w)  # padding adds 0
        train = (correct * train_mask).sum(1)
        loss = ((torch.nn.functional.softplus(z) - self.y_full * z) * train_mask).sum(1)
        test = (full * n * n - train * self.n_train) / self.n_test.clamp(min=1)
        test = torch.where(self.n_test > 0, test, torch.full_like(test, float("nan")))
        stats = (train, test, full, loss)
        return (*(x.cpu().numpy() for x in stats), self.params())

    def params(self):
        """Each model's parameters as numpy arrays in :func:`parameter_shapes` layout."""
        P = self._views(self.theta)
        out = []
        for r in range(len(self.members)):
            p = {}
            for name, shape in self.shapes:
                x = P[name][r]
                x = x.t() if name.startswith("W") else x
                p[name] = x.detach().cpu().numpy().reshape(shape).copy()
            out.append(p)
        return out


def group_key(cfg: TrainConfig) -> tuple:
    """The key of the batch a config is trained in by :func:`train_ensemble`.

    Models with equal keys share one batched computation: the same number of elements, the same
    architecture and optimizer, and the same padded number of training pairs (the pair axis, and
    so the length of every sum over it, is shared).  Callers that chunk a sweep themselves (for
    example :mod:`verification.sweeps`) group by this key so a chunk is one batch.

    Examples
    --------
    >>> group_key(TrainConfig(seed=0)) == group_key(TrainConfig(seed=1, eta_dec=1e-2))
    True
    >>> group_key(TrainConfig()) == group_key(TrainConfig(optimizer="sgd"))
    False
    """
    return (cfg.n, cfg.model, cfg.optimizer, _round_up(cfg.num_train_pairs))


def train_ensemble(
    configs,
    schedule: Schedule | None = None,
    *,
    device=None,
    progress=False,
    num_threads=None,
    chunk_size=None,
    workers=None,
) -> EnsembleResult:
    """Train every config as one batched computation (grouped by architecture).

    Parameters
    ----------
    configs : sequence of TrainConfig
        One entry per model; any mix of relations, splits, learning rates, weight decays, init
        scales, seeds.  Models with equal ``(n, model, optimizer)`` are batched together.
    schedule : Schedule, optional
        Step budget, evaluation period, Table IV threshold and gap, early stopping and embedding
        snapshots (:class:`~verification.train_config.Schedule`; default ``Schedule()``).
        Early-stopped models leave their batch once both accuracies have been reached.
    device : str or torch.device, optional
        Default: CUDA when available, else CPU.  Computation is float32.
    progress : bool
        Report progress over the steps on stderr: a bar on a terminal, a line with the elapsed
        time and an ETA at most every :data:`PROGRESS_EVERY` seconds in a log.
    num_threads : int, optional
        CPU threads while training (torch's setting is restored afterwards).  Default 1: the
        per-model matrices are small, so intra-op threads gain at most the core count on an idle
        machine but cost several times that in synchronisation on a loaded one, and one thread
        makes the float32 results independent of the machine's core count.
    chunk_size : int, optional
        Most models in one batched computation; larger groups are cut into near-equal batches
        (on CPU their number a multiple of ``workers``, so the cores finish together).  Default:
        8 on CPU, where a batch's activations stay in the cache, 4096 on CUDA.
    workers : int, optional
        Batches trained concurrently in Python threads (torch kernels and the compiled CPU
        kernels release the GIL); each batch is single-threaded, so the results do not depend on
        ``workers``.  On the CPU each batch trains while it holds one of the process's slots, one
        per core, so calls running side by side (the chunks of a sweep on a
        :class:`~verification.runtime.executor.LocalExecutor` with ``jobs``) never train more
        batches at once than there are cores.  Default: the number of cores up to 2 on CPU; on
        CUDA 8 (batches in flight together, each on its own stream, its steps between evaluations
        replayed as a CUDA graph).

    Returns
    -------
    EnsembleResult
        With ``schedule.snapshot_every``, ``snapshot_steps`` and ``snapshots`` too.

    Raises
    ------
    ValueError, TypeError
        For an empty or invalid config list or bad options -- before any training.

    Examples
    --------
    >>> cfgs = [TrainConfig(n=8, eta_enc=1e-2, eta_dec=1e-2, seed=s) for s in range(2)]
    >>> res = train_ensemble(cfgs, Schedule(steps=20), device="cpu")
    >>> res.embeddings.shape, res.steps_run.tolist()
    ((2, 8, 2), [20, 20])
    """
    configs = _checked_configs(configs)
    schedule = Schedule() if schedule is None else schedule
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a Schedule, got {type(schedule).__name__}")
    dev = resolve_device(device)
    chunk_size, workers, num_threads = _parallel_settings(dev, chunk_size, workers, num_threads)
    batches = _batches(configs, chunk_size, workers if dev.type == "cpu" else 1)
    outcomes = _Outcomes(
        len(configs), schedule.steps, schedule.threshold, snapshots=schedule.snapshot_every is not None
    )
    _kernels_for(dev)  # built once here, before any worker thread asks for it
    with _progress_bar(progress, schedule.steps * len(batches)) as bar, _torch_threads(num_threads):
        jobs = [
            functools.partial(_train_batch, configs, m, dev, schedule, outcomes, bar, num_threads)
            for m in batches
        ]
        _run_concurrently(jobs, workers)
    return outcomes.result(configs, gap=schedule.gap)


# --------------------------------------------------------------------------------------------
# the steps of train_ensemble


def _checked_configs(configs) -> list:
    """``configs`` as a list, each a valid TrainConfig (ValueError/TypeError otherwise)."""
    configs = list(configs)
    if not configs:
        raise ValueError("configs is empty: give at least one TrainConfig")
    for k, cfg in enumerate(configs):
        if not isinstance(cfg, TrainConfig):
            raise TypeError(f"configs[{k}] must be a TrainConfig, got {type(cfg).__name__}")
        cfg.validate()
    return configs


def _parallel_settings(dev, chunk_size, workers, num_threads) -> tuple[int, int, int]:
    """``(chunk_size, workers, num_threads)`` with the device's defaults filled in."""
    if chunk_size is None:
        chunk_size = 8 if dev.type == "cpu" else 4096
    if workers is None:
        # CPU: one single-threaded batch per core; CUDA: up to 8 batches in flight, one stream each
        workers = min(2, _CPU_COUNT) if dev.type == "cpu" else 8
    if num_threads is None:
        num_threads = 1
    return (
        check_int(chunk_size, "chunk_size", minimum=1),
        check_int(workers, "workers", minimum=1),
        check_int(num_threads, "num_threads", minimum=1),
    )


def _batches(configs, chunk_size, workers=1) -> list[list[int]]:
    """Indices of the models of each batch, largest batches first.

    Each :func:`group_key` group is cut into near-equal batches of at most ``chunk_size`` models,
    their number rounded up to a multiple of ``workers`` (when the group has enough models) so
    that concurrent workers finish together.  Which batch a model lands in never changes its
    numbers.
    """
    groups: dict = {}
    for k, cfg in enumerate(configs):
        groups.setdefault(group_key(cfg), []).append(k)
    batches = []
    for members in groups.values():
        count = -(-len(members) // chunk_size)
        count = min(len(members), -(-count // workers) * workers)
        size, extra = divmod(len(members), count)
        start = 0
        for b in range(count):
            stop = start + size + (b < extra)
            batches.append(members[start:stop])
            start = stop
    return sorted(batches, key=len, reverse=True)


class _Outcomes:
    """What :func:`train_ensemble` returns, filled in per model as its batch trains.

    Batches running in different threads write disjoint models (rows), so no lock is needed.
    """

    def __init__(self, K, steps, threshold, *, snapshots=False):
        self.steps, self.threshold = steps, threshold
        # per model: [(step, embeddings)], when snapshots are recorded
        self.snaps = [[] for _ in range(K)] if snapshots else None
        self.s_train = np.full(K, -1, dtype=np.int64)
        self.s_test = np.full(K, -1, dtype=np.int64)
        self.steps_run = np.full(K, steps, dtype=np.int64)
        self.train_acc = np.full(K, np.nan)
        self.test_acc = np.full(K, np.nan)
        self.full_acc = np.full(K, np.nan)
        self.final_loss = np.full(K, np.nan)
        self.params = [None] * K

    def note_reached(self, members, train_acc, test_acc, s) -> np.ndarray:
        """Record the first evaluated step ``s`` at which each accuracy exceeds the threshold;
        return the mask of settled models (both reached) among ``members``."""
        hit_tr = (train_acc > self.threshold) & (self.s_train[members] < 0)
        hit_te = (test_acc > self.threshold) & (self.s_test[members] < 0)  # NaN (no test pairs) never hits
        self.s_train[members[hit_tr]] = s
        self.s_test[members[hit_te]] = s
        return (self.s_train[members] >= 0) & (self.s_test[members] >= 0)

    def snapshot(self, members, E, s, rows=None) -> None:
        """Record the embeddings ``E`` (K, n, d) of local ``rows`` (default all) after ``s`` updates."""
        E = E.detach().cpu().numpy()
        for r in range(len(members)) if rows is None else rows:
            snaps = self.snaps[int(members[r])]
            if not snaps or snaps[-1][0] != s:
                snaps.append((s, E[r].copy()))

    def record_final(self, members, final, rows, steps_run) -> None:
        """Store the final statistics ``final`` (from :meth:`_Group.final_stats`) of local ``rows``."""
        tr, te, fu, lo, ps = final
        for r in rows:
            k = int(members[r])
            self.train_acc[k], self.test_acc[k], self.full_acc[k], self.final_loss[k] = (
                tr[r],
                te[r],
                fu[r],
                lo[r],
            )
            self.params[k] = ps[r]
            self.steps_run[k] = steps_run
            if self.snaps is not None and (not self.snaps[k] or self.snaps[k][-1][0] != steps_run):
                self.snaps[k].append((steps_run, ps[r]["E"].copy()))

    def result(self, configs, *, gap) -> EnsembleResult:
        embeddings = [p["E"] for p in self.params]
        if len({e.shape for e in embeddings}) == 1:
            embeddings = np.stack(embeddings)
        snap_steps = snaps = None
        if self.snaps is not None:
            snap_steps = [np.asarray([s for s, _ in x], dtype=np.int64) for x in self.snaps]
            snaps = [np.stack([e for _, e in x]) for x in self.snaps]
        budget = max(self.steps, 1)
        phases = [
            classify_phase(int(a), int(b), budget=budget, gap=gap) for a, b in zip(self.s_train, self.s_test)
        ]
        return EnsembleResult(
            configs=configs,
            steps_to_train=self.s_train,
            steps_to_test=self.s_test,
            train_acc=self.train_acc,
            test_acc=self.test_acc,
            full_acc=self.full_acc,
            steps_run=self.steps_run,
            embeddings=embeddings,
            phases=phases,
            final_loss=self.final_loss,
            params=self.params,
            snapshot_steps=snap_steps,
            snapshots=snaps,
        )


_CPU_COUNT = os.cpu_count() or 1
#: one slot per core: a CPU batch trains while it holds one, whichever train_ensemble call (chunks
#: of a sweep trained side by side) it belongs to, so the process never runs more single-threaded
#: batches than cores and a core freed by a batch that settled early goes to a waiting one
_CPU_SLOTS = threading.BoundedSemaphore(_CPU_COUNT)


@torch.no_grad()  # grad mode is per thread: set in the thread that trains
def _train_batch(configs, members, device, schedule, outcomes, bar, num_threads=1) -> None:
    """Train the models ``members`` of ``configs`` as one batch (on its own CUDA stream on a GPU;
    on the CPU holding one of the process's :data:`_CPU_SLOTS`).

    torch's intra-op thread count is set again here, in the thread that trains: a thread other than
    the one that called ``torch.set_num_threads`` starts with the default (every core), so two
    worker threads would each run their products on all cores -- twice as many threads as cores,
    spinning on each other (same numbers, measured slower).
    """
    if device.type == "cpu":
        torch.set_num_threads(num_threads)
    with _CPU_SLOTS if device.type == "cpu" else contextlib.nullcontext():
        group = _Group(configs, members, device)
        runner = _StepRunner(group)
        with runner.stream_context():
            _run_schedule(group, runner, schedule, outcomes, bar)


def _run_schedule(group, runner, schedule, outcomes, bar) -> None:
    """``schedule.steps`` updates of ``group``, evaluating every ``eval_every`` steps.

    At an evaluation the gradient pass also yields the accuracies of the current parameters;
    with early stopping, models settled there are recorded as they are (after ``s`` updates) and
    leave the batch before the update.  Models left at the end are evaluated after the last
    update.  The steps between evaluations are ``runner``'s (CUDA graphs on a GPU).
    """
    steps = schedule.steps
    for s in range(steps):
        check_stop()  # Ctrl-C in the main thread: stop within a step (verification.runtime.interrupt)
        if s % schedule.eval_every:
            runner.step(s + 1)
            bar.update(1)
            continue
        if schedule.snapshot_every is not None and s % schedule.snapshot_every == 0:
            outcomes.snapshot(group.members, group.E, s)
        stats = group.gradient(True)
        train_acc, test_acc, _loss = (x.cpu().numpy() for x in stats)
        settled = outcomes.note_reached(group.members, train_acc, test_acc, s)
        if schedule.early_stop and settled.any():
            outcomes.record_final(group.members, group.final_stats(), np.flatnonzero(settled), s)
            if settled.all():
                bar.update(steps - s)
                return
            group.keep(np.flatnonzero(~settled))
            runner.reset()
        group.update(s + 1)
        bar.update(1)
    final = group.final_stats()
    outcomes.note_reached(group.members, final[0], final[1], steps)
    outcomes.record_final(group.members, final, range(len(group.members)), steps)


class _StepRunner:
    """A training step between evaluations: gradient and update of ``group``.

    On CUDA the step is captured once as a CUDA graph and replayed (one launch instead of some
    forty small kernels per step; captured again after the batch shrinks), on a stream of its
    own so that concurrent batches overlap.  Elsewhere it runs eagerly.  :data:`_GRAPHS` forces
    the choice (``"replay"``: a CPU stand-in that records the step and replays it by calling it,
    the same control flow as the CUDA graph, for tests).
    """

    def __init__(self, group):
        self.group = group
        mode = _GRAPHS if _GRAPHS is not None else ("cuda" if group.device.type == "cuda" else "eager")
        self.mode = mode
        self.stream = torch.cuda.Stream(group.device) if group.device.type == "cuda" else None
        self.graph = None

    def stream_context(self):
        """The batch's own CUDA stream as the current one (a no-op off CUDA)."""
        return torch.cuda.stream(self.stream) if self.stream is not None else contextlib.nullcontext()

    def reset(self):
        """Forget the captured step (the group's buffers changed)."""
        self.graph = None

    def _body(self):
        self.group.gradient(False)
        self.group.apply_update()

    def step(self, t):
        group = self.group
        if self.mode == "eager":
            group.gradient(False)
            group.update(t)
            return
        group.set_step(t)
        if self.graph is None:
            self.graph = self._capture()
        self.graph.replay()

    def _capture(self):
        if self.mode == "replay":
            return SimpleNamespace(replay=self._body)
        g = self.group
        # one warm-up run on the capture stream (cuBLAS workspaces, allocator), then undo it
        saved = [x.clone() for x in (g.theta, g.m, g.v)]
        self._body()
        for x, y in zip((g.theta, g.m, g.v), saved):
            x.copy_(y)
        graph = torch.cuda.CUDAGraph()
        # captures one at a time; other batches' threads may go on launching meanwhile
        with _CAPTURE_LOCK, torch.cuda.graph(graph, stream=self.stream, capture_error_mode="thread_local"):
            self._body()
        return graph


#: how :class:`_StepRunner` runs a step: None (CUDA graphs on CUDA, eager elsewhere), "cuda",
#: "replay" (the graphs' control flow on any device, for tests) or "eager"
_GRAPHS = None
_CAPTURE_LOCK = threading.Lock()


class _NoBar:
    def update(self, n=1):
        pass


#: seconds between the progress lines of training in a log (a bar on a terminal redraws freely)
PROGRESS_EVERY = 60.0


@contextlib.contextmanager
def _progress_bar(show, total):
    """Progress over the training steps on stderr when ``show`` (a bar on a terminal, a line at
    most every :data:`PROGRESS_EVERY` seconds in a log), else a bar that ignores updates."""
    if not show:
        yield _NoBar()
        return
    bar = progress(total, desc="training", unit="step", every=PROGRESS_EVERY)
    try:
        yield bar
    finally:
        bar.close()


_THREADS_LOCK = threading.Lock()
_THREADS_STATE = {"users": 0, "restore": None}


@contextlib.contextmanager
def _torch_threads(num_threads):
    """torch's intra-op CPU threads set to ``num_threads`` inside the block, restored after.

    torch reports one process-wide value, so concurrent blocks (chunks of a sweep trained side by
    side on the threads of a :class:`~verification.runtime.executor.LocalExecutor`) share it: the
    first to enter saves the old value and the last to leave restores it.  (The products of a
    thread that did not call ``torch.set_num_threads`` still use every core, so each batch sets
    it again in its own thread: :func:`_train_batch`.)
    """
    with _THREADS_LOCK:
        if _THREADS_STATE["users"] == 0:
            _THREADS_STATE["restore"] = torch.get_num_threads()
        _THREADS_STATE["users"] += 1
        torch.set_num_threads(num_threads)
    try:
        yield
    finally:
        with _THREADS_LOCK:
            _THREADS_STATE["users"] -= 1
            if _THREADS_STATE["users"] == 0:
                torch.set_num_threads(_THREADS_STATE["restore"])


def _run_concurrently(jobs, workers) -> None:
    """Run the callables ``jobs`` on ``workers`` Python threads (in order on one).

    torch releases the GIL inside its kernels, so batches run in parallel on the cores, each
    single-threaded: results do not depend on the number of workers.  On Ctrl-C (or an error in
    a batch) the queued batches are cancelled; on Ctrl-C the running ones are asked to stop too
    (:func:`~verification.runtime.interrupt.request_stop`), so the call returns within a step.
    """
    if workers == 1 or len(jobs) == 1:
        for job in jobs:
            job()
        return
    pool = ThreadPoolExecutor(max_workers=min(workers, len(jobs)))
    try:
        for future in [pool.submit(job) for job in jobs]:
            future.result()
    except KeyboardInterrupt:
        mine = request_stop()
        pool.shutdown(wait=True, cancel_futures=True)
        if mine:
            clear_stop()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
