"""The compiled CPU kernels of :mod:`verification._step_kernels` (numba), imported on first use.

Every kernel is a module-level function, so numba's on-disk cache (``cache=True``) keys it by
its own code alone.  (Defined inside a function, as they were before, a kernel that calls
:func:`tanh32` closed over that dispatcher, whose hash differs from process to process: each
process compiled ``tanh_bias_`` again and added one more entry to the cache.)  The arithmetic is
unchanged: see :mod:`verification._step_kernels` for what each kernel computes and why none uses
``fastmath``.  The constants both kernel sets use are in :mod:`verification._kernel_constants`;
this module imports nothing else of the trainer, and only :func:`verification._step_kernels.numba_kernels`
imports it.
"""

from __future__ import annotations

from types import SimpleNamespace

import numba
import numpy as np

from verification._kernel_constants import (
    A1,
    A3,
    A5,
    A7,
    A9,
    A11,
    A13,
    B0,
    B2,
    B4,
    B6,
    BETA1,
    BETA2,
    EPS,
    ONE,
    TANH_CLAMP,
    TWO,
    f32,
)

__all__ = ["kernels", "tanh32"]

# error_model="numpy": no Python ZeroDivisionError checks, which keep loops from vectorising
_jit = numba.njit(nogil=True, cache=True, error_model="numpy")


@numba.njit(inline="always", error_model="numpy")
def tanh32(x):
    x = min(x, TANH_CLAMP)
    x = max(x, -TANH_CLAMP)
    x2 = x * x
    p = x2 * A13 + A11
    p = x2 * p + A9
    p = x2 * p + A7
    p = x2 * p + A5
    p = x2 * p + A3
    p = x2 * p + A1
    q = x2 * B6 + B4
    q = x2 * q + B2
    q = x2 * q + B0
    return x * p / q


@_jit
def _embed_input(E, ii, jj, mode, out):
    K, B = ii.shape
    d = E.shape[2]
    for k in range(K):
        for b in range(B):
            i, j = ii[k, b], jj[k, b]
            for c in range(d):
                if mode == 0:
                    out[k, c, b] = E[k, i, c]
                    out[k, d + c, b] = E[k, j, c]
                elif mode == 1:
                    out[k, c, b] = E[k, i, c] - E[k, j, c]
                else:
                    diff = E[k, i, c] - E[k, j, c]
                    out[k, c, b] = diff * diff


@_jit
def _tanh_bias(z, b):
    K, W, B = z.shape
    for k in range(K):
        for o in range(W):
            bias = b[k, o]
            row = z[k, o]
            for p in range(B):
                row[p] = tanh32(row[p] + bias)


@_jit
def _tanh_backward(ga, h, out):
    K, W, B = ga.shape
    for k in range(K):
        for o in range(W):
            g, y, r = ga[k, o], h[k, o], out[k, o]
            for p in range(B):
                r[p] = g[p] * (ONE - y[p] * y[p])


@_jit
def _readout_backward(w, gz, h, out):
    K, W, B = h.shape
    for k in range(K):
        gk = gz[k]
        for o in range(W):
            wo = w[k, o]
            y, r = h[k, o], out[k, o]
            for p in range(B):
                r[p] = (wo * gk[p]) * (ONE - y[p] * y[p])


@_jit
def _outer(w, gz, out):
    K, W, B = out.shape
    for k in range(K):
        for o in range(W):
            wo = w[k, o]
            for p in range(B):
                out[k, o, p] = wo * gz[k, p]


@_jit
def _embed_grad(ga, E, ii, jj, mode, gE):
    K, B = ii.shape
    d = E.shape[2]
    for k in range(K):
        gE[k] = 0
        for b in range(B):
            i, j = ii[k, b], jj[k, b]
            for c in range(d):
                if mode == 0:
                    gE[k, i, c] += ga[k, c, b]
                    gE[k, j, c] += ga[k, d + c, b]
                elif mode == 1:
                    gE[k, i, c] += ga[k, c, b]
                    gE[k, j, c] -= ga[k, c, b]
                else:
                    g = ga[k, c, b] * TWO * (E[k, i, c] - E[k, j, c])
                    gE[k, i, c] += g
                    gE[k, j, c] -= g


@_jit
def _adam(theta, grad, m, v, lr, wd, bc1, sqrt_bc2, has_wd):
    b2, eps, bc1, sqrt_bc2 = f32(BETA2), f32(EPS), f32(bc1), f32(sqrt_bc2)
    one_m_b1, one_m_b2 = f32(1 - BETA1), f32(1 - BETA2)
    for i in range(theta.shape[0]):
        g = grad[i]
        x = theta[i]
        if has_wd:  # decoupled weight decay (AdamW)
            x = x * (ONE - lr[i] * wd[i])
        mi = m[i] + one_m_b1 * (g - m[i])
        vi = b2 * v[i] + one_m_b2 * (g * g)
        m[i] = mi
        v[i] = vi
        theta[i] = x - (lr[i] * mi / bc1) / (np.sqrt(vi) / sqrt_bc2 + eps)


@_jit
def _sgd(theta, grad, lr, wd, has_wd):
    for i in range(theta.shape[0]):
        g = grad[i]
        if has_wd:
            g = g + wd[i] * theta[i]
        theta[i] = theta[i] - lr[i] * g


def kernels() -> SimpleNamespace:
    """The kernel set (:func:`verification._step_kernels.numba_kernels` builds it once)."""
    return SimpleNamespace(
        name="numba",
        view=lambda t: t.detach().numpy(),
        embed_input=_embed_input,
        tanh_bias_=_tanh_bias,
        tanh_backward=_tanh_backward,
        readout_backward=_readout_backward,
        outer=_outer,
        scatter_plan=lambda ii, jj, n: (ii, jj),
        embed_grad=lambda ga, E, plan, mode, gE: _embed_grad(ga, E, plan[0], plan[1], mode, gE),
        adam_update_=_adam,
        sgd_update_=_sgd,
    )
