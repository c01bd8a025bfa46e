"""Fused elementwise kernels of one ensemble training step, on the CPU (numba) and in torch.

:class:`verification.training._Group` keeps every activation feature-major, ``(K, width, B)``
for ``K`` models and ``B`` pairs, so each hidden layer is one batched product
``Wt (out, in) @ h (in, B)`` whose long axis (the pairs) is contiguous, and everything else in a
step is one pass over memory per layer:

* ``embed_input`` -- gather the two embeddings of every pair and combine them (``concat``,
  ``diff``, ``sqdiff``) into ``h_0``;
* ``tanh_bias_`` -- ``h = tanh(z + b)`` in place on a product's output;
* ``tanh_backward`` -- ``dL/dz = dL/dh * (1 - h**2)``; ``readout_backward`` does the same for
  the last hidden layer, whose ``dL/dh`` is the outer product of the read-out weights and
  ``dL/dlogit`` (``outer`` is that product alone, for a model without hidden layers);
* ``embed_grad`` -- scatter ``dL/dh_0`` back onto the embedding rows (``scatter_plan`` prepares
  once per batch what the scatter needs: the index lists, or one-hot matrices for torch);
* ``adam_update_``, ``sgd_update_`` -- the optimizer as one pass over the flat buffers.

Two kernel sets share these signatures: :func:`numba_kernels` (compiled loops, used on the CPU,
called on numpy views of the tensors; defined in :mod:`verification._numba_step_kernels`) and
:data:`TORCH` (torch operations, used on other devices and testable on the CPU); each set's
``view`` turns a tensor into what its kernels take.  Every
numba kernel runs without ``fastmath``, so each element's arithmetic is the same IEEE operations
in the vectorised body and in a scalar remainder loop, and the bias gradients are left to the
caller (torch's sum along a contiguous row of a fixed length): a model's numbers depend on its
own data only, never on its position, batch size or companions.

tanh on the CPU is a rational approximation (Eigen's ``generic_fast_tanh_float``, a 13/6
minimax form): a few ulp from the correctly rounded value, and about ten times faster than
torch's vectorised tanh here, which is what a step's elementwise time was spent on.
"""

from __future__ import annotations

import functools
import threading
from types import SimpleNamespace

import torch

from verification._kernel_constants import BETA1, BETA2, EPS

__all__ = ["MODE_CODES", "TORCH", "numba_kernels"]

#: integer codes of the input modes, for the compiled kernels
MODE_CODES = {"concat": 0, "diff": 1, "sqdiff": 2}


def _torch_kernels():
    def gather_pairs(E, ii, jj):
        d = E.shape[-1]
        x1 = torch.gather(E, 1, ii.unsqueeze(-1).expand(-1, -1, d)).transpose(1, 2)
        x2 = torch.gather(E, 1, jj.unsqueeze(-1).expand(-1, -1, d)).transpose(1, 2)
        return x1, x2

    def embed_input(E, ii, jj, mode, out):
        x1, x2 = gather_pairs(E, ii, jj)
        if mode == 0:
            d = E.shape[-1]
            out[:, :d].copy_(x1)
            out[:, d:].copy_(x2)
        elif mode == 1:
            torch.sub(x1, x2, out=out)
        else:
            torch.sub(x1, x2, out=out).square_()

    def tanh_bias_(z, b):
        z.add_(b.unsqueeze(-1)).tanh_()

    def tanh_backward(ga, h, out):
        torch.mul(ga, 1 - h * h, out=out)

    def readout_backward(w, gz, h, out):
        torch.mul(w.unsqueeze(-1) * gz.unsqueeze(1), 1 - h * h, out=out)

    def outer(w, gz, out):
        torch.mul(w.unsqueeze(-1), gz.unsqueeze(1), out=out)

    def scatter_plan(ii, jj, n):
        # one-hot matrices (K, n, 2P): the scatter is one product, deterministic on every device
        # (a scatter_add_ is not on CUDA); built once per batch, not per step
        K, P = ii.shape
        onehot = torch.zeros(K, n, 2 * P, device=ii.device)
        onehot.scatter_(1, torch.cat([ii, jj], 1).unsqueeze(1), 1.0)
        return ii, jj, onehot

    def embed_grad(ga, E, plan, mode, gE):
        ii, jj, onehot = plan
        d = E.shape[-1]
        if mode == 0:
            g1, g2 = ga[:, :d], ga[:, d:]
        elif mode == 1:
            g1, g2 = ga, -ga
        else:
            x1, x2 = gather_pairs(E, ii, jj)
            g1 = ga * 2 * (x1 - x2)
            g2 = -g1
        torch.bmm(onehot, torch.cat([g1, g2], 2).transpose(1, 2), out=gE)

    def adam_update_(theta, grad, m, v, lr, wd, bc1, sqrt_bc2, has_wd):
        if has_wd:  # decoupled weight decay (AdamW)
            theta.mul_(1 - lr * wd)
        m.lerp_(grad, 1 - BETA1)
        v.mul_(BETA2).addcmul_(grad, grad, value=1 - BETA2)
        # bc1, sqrt_bc2: numbers, or 0-dim tensors (a captured CUDA graph reads them each replay)
        denom = (v.sqrt() / sqrt_bc2).add_(EPS)
        theta.addcdiv_(m * lr / bc1, denom, value=-1.0)

    def sgd_update_(theta, grad, lr, wd, has_wd):
        if has_wd:
            grad.addcmul_(wd, theta)
        theta.addcmul_(lr, grad, value=-1.0)

    return SimpleNamespace(
        name="torch",
        view=lambda t: t,
        embed_input=embed_input,
        tanh_bias_=tanh_bias_,
        tanh_backward=tanh_backward,
        readout_backward=readout_backward,
        outer=outer,
        scatter_plan=scatter_plan,
        embed_grad=embed_grad,
        adam_update_=adam_update_,
        sgd_update_=sgd_update_,
    )


TORCH = _torch_kernels()


_BUILD_LOCK = threading.Lock()


def numba_kernels():
    """The compiled CPU kernels (numba is imported, and each kernel compiled, on first use).

    Built once, under a lock: the first calls of sweeps trained side by side wait for one build.
    """
    with _BUILD_LOCK:
        return _numba_kernels_once()


@functools.cache
def _numba_kernels_once():
    # a module of its own, imported here: it takes 0.19 s to import after verification.training
    # (measured; numba), which a run on the GPU never needs, and module-level kernels keep stable
    # keys in numba's on-disk cache (verification/_numba_step_kernels.py)
    from verification import _numba_step_kernels

    return _numba_step_kernels.kernels()
