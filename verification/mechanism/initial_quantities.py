"""The inputs of Eq. (12) and of its matrix generalization, measured on a network at initialisation.

The repon theory (Section IV of [1]_) predicts the probability that a same-class pair collides
from four numbers: the learning rates ``eta_x`` of the repons and ``eta_A`` of the (locally
linear) decoder ``D(x) ~ A x + b``, and the widths ``sigma_a`` of the entries of ``A`` and
``sigma_c`` of the components of the half separation ``r = (x_1 - x_2)/2``,

.. math::

    K = \\frac{\\sigma_a}{\\sigma_c}\\sqrt{\\frac{\\eta_x}{2\\eta_A}}, \\qquad
    P_{12} = \\frac{2}{\\pi}\\arctan K \\;\\text{(Eq. (12))}, \\qquad
    P_{m,d} = F_{d,\\,m-d+1}\\Big(K^2\\frac{m-d+1}{d}\\Big)

(the second for ``A`` of shape ``m x d`` with i.i.d. entries,
:func:`effective_theory.matrix_collision_probability`; ``m = d = 1`` is Eq. (12)).
:func:`initial_quantities` measures them on one network (a
:class:`~verification.train_config.TrainConfig`) at initialisation:

* ``A`` is the decoder's Jacobian with respect to an element's embedding: for each training pair
  ``p = (i, j)`` the rows ``dz_p/dE_i`` and ``dz_p/dE_j`` of the logit ``z_p``; ``sigma_a`` is
  the root-mean-square entry over all training pairs and both slots.  The logit is the output
  because the binary cross-entropy's curvature ``sigma'(z)`` multiplies both flows of Eq. (8)
  alike and so leaves the conserved quantity, and the collision criterion, unchanged.
* ``sigma_c`` is the root-mean-square component of ``r_0 = (E_a - E_b)/2`` over the same-class
  pairs (:func:`~verification.mechanism.repon_geometry.indistinguishable_classes`).
* ``(m, d)``: ``d`` is the embedding dimension; ``m``, the number of outputs an element's
  embedding feeds, is the mean number of training pairs an element appears in (the rows of its
  Jacobian).  The rows share one decoder, so they are not the i.i.d. rows the F formula assumes:
  that is part of what the comparison tests.
* ``eta_x`` and ``eta_A`` are *effective* learning rates, measured over the first
  ``steps`` (:data:`INITIAL_STEPS`) updates of the run's own optimizer (the plain training loop,
  :func:`~verification.reference_loop.train_reference`):

  .. math::

      \\eta^{\\mathrm{eff}}_Q = \\frac{\\mathrm{RMS}(Q_k - Q_0)/k}{\\mathrm{RMS}(\\partial L/\\partial Q)|_0},

  the root-mean-square displacement per step of a quantity ``Q`` divided by the root-mean-square
  gradient of the training loss ``L`` with respect to it at initialisation.  For ``eta_x``,
  ``Q`` is the embedding matrix.  For ``eta_A``, ``Q`` is the decoder's Jacobian ``A`` (averaged
  over the training pairs, one ``1 x 2d`` row for the two slots) and ``dL/dA`` the gradient of the
  loss of the linearized decoder ``z_p = A [E_i, E_j] + b``, ``sum_p (dL/dz_p) [E_i, E_j]``: the
  force Eq. (7) applies to ``A``.  For plain gradient descent on a linear decoder both equal the
  nominal rates (``eta_enc``, ``eta_dec``) up to the change of the gradient over ``k`` steps; for
  a deep decoder ``eta_A`` also carries how fast the Jacobian moves per parameter step; for Adam
  both carry its per-parameter normalisation (a step of about ``eta`` per coordinate whatever the
  gradient), which is why Adam's effective ratio differs from the nominal one.  The decoder's
  parameter-level rate (``Q`` = all decoder weights and biases) is reported too
  (``eta_dec_eff``).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import contextlib

import numpy as np
import torch

from effective_theory import (
    matrix_collision_probability,
    relation_by_name,
    representation_learning_probability,
)
from verification.mechanism.repon_geometry import indistinguishable_classes, same_class_pairs
from verification.model import AutoEncoder, init_parameters
from verification.reference_loop import train_reference
from verification.train_config import split_pairs

__all__ = ["INITIAL_STEPS", "initial_quantities", "initial_widths", "predicted_collision"]

#: updates over which the effective learning rates are measured: one, so that for plain gradient
#: descent they are the nominal rates exactly and for Adam ``eta / RMS(gradient)`` (its first step moves
#: every coordinate by ``eta``)
INITIAL_STEPS = 1


@contextlib.contextmanager
def _one_thread():
    """torch on one CPU thread inside the block: the measurements are small (one network, a few
    hundred pairs), where more threads only contend (measured: 0.86 s a network with two threads on
    a busy 2-core host, 0.045 s with one)."""
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def _rms(x) -> float:
    return float(np.sqrt(np.mean(np.square(np.asarray(x, dtype=float)))))


def _jacobian(config, params):
    """Per training pair, the logit's gradient with respect to both embeddings, ``(P, 2d)``, the
    decoder inputs ``[E_i, E_j]`` ``(P, 2d)``, the logits ``(P,)`` and the targets."""
    n = config.n
    tensors = {k: torch.as_tensor(np.asarray(v), dtype=torch.float32) for k, v in params.items()}
    net = AutoEncoder(config.model, n, tensors)
    train, _ = split_pairs(config)
    i, j = torch.as_tensor(train // n), torch.as_tensor(train % n)
    emb = net.embedding.detach()
    e1 = emb[i].clone().requires_grad_(True)
    e2 = emb[j].clone().requires_grad_(True)
    mode = config.model.mode
    h = torch.cat([e1, e2], dim=-1) if mode == "concat" else (e1 - e2 if mode == "diff" else (e1 - e2) ** 2)
    z = net.decoder(h).squeeze(-1)
    z.sum().backward()  # each logit depends on its own pair only: the rows are the Jacobians
    J = torch.cat([e1.grad, e2.grad], dim=1).numpy().astype(float)
    X = torch.cat([e1, e2], dim=1).detach().numpy().astype(float)
    y = relation_by_name(config.relation, n).matrix.reshape(-1)[train].astype(float)
    return J, X, z.detach().numpy().astype(float), y, train


def _loss_gradients(config, params):
    """Gradients of the mean binary cross-entropy at ``params`` (numpy, parameter layout)."""
    n = config.n
    tensors = {k: torch.as_tensor(np.asarray(v), dtype=torch.float32) for k, v in params.items()}
    net = AutoEncoder(config.model, n, tensors)
    train, _ = split_pairs(config)
    t = torch.as_tensor(train)
    y = torch.as_tensor(relation_by_name(config.relation, n).matrix.reshape(-1)[train], dtype=torch.float32)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(net(t // n, t % n), y)
    loss.backward()
    g_dec = np.concatenate([p.grad.numpy().ravel() for p in net.decoder.parameters()])
    return net.embedding.grad.numpy().astype(float), g_dec.astype(float)


def _initial_params(config) -> dict:
    return {
        k: v.numpy()
        for k, v in init_parameters(
            config.model,
            config.n,
            seed=config.seed,
            init_enc=config.init_enc,
            init_dec=config.init_dec,
            init=config.init,
        ).items()
    }


def _widths(config, p0, J0) -> tuple[float, float]:
    labels = indistinguishable_classes(relation_by_name(config.relation, config.n))
    a, b = same_class_pairs(labels)
    sigma_c = _rms((p0["E"][a] - p0["E"][b]) / 2) if len(a) else float("nan")
    return _rms(J0), sigma_c


def initial_widths(config) -> dict:
    """``sigma_a`` and ``sigma_c`` of Eq. (12), measured on one network at initialisation.

    The one estimator of the two widths in the toolkit (the Figure 6 bound with measured widths and
    :func:`initial_quantities` both use it); see the module docstring for the definitions:
    ``sigma_a`` is the root-mean-square entry of the decoder's Jacobian with respect to both
    embeddings of every training pair, ``sigma_c`` the root-mean-square component of the half
    separation ``r_0 = (E_a - E_b)/2`` over the same-class pairs (``nan`` when a relation has
    none; the ratio is ``nan`` then, or when ``sigma_c`` is 0).  Costs one forward and backward
    pass; trains nothing.

    Parameters
    ----------
    config : TrainConfig
        The run (relation, initialisation, seed, split).

    Returns
    -------
    dict
        ``sigma_a``, ``sigma_c`` and their ratio ``sigma_ratio``.

    Examples
    --------
    >>> from verification.train_config import TrainConfig
    >>> w = initial_widths(TrainConfig(n=12, seed=1))
    >>> w["sigma_ratio"] == w["sigma_a"] / w["sigma_c"] and w["sigma_a"] > 0
    True
    """
    config.validate()
    p0 = _initial_params(config)
    with _one_thread():
        J0, *_ = _jacobian(config, p0)
    sigma_a, sigma_c = _widths(config, p0, J0)
    ratio = sigma_a / sigma_c if sigma_c > 0 else float("nan")  # nan > 0 is False
    return {"sigma_a": sigma_a, "sigma_c": sigma_c, "sigma_ratio": ratio}


def initial_quantities(config, *, steps: int = INITIAL_STEPS) -> dict:
    """``eta_x``, ``eta_A``, ``sigma_a``, ``sigma_c``, ``(m, d)`` of one network at initialisation.

    See the module docstring for the definitions.

    Parameters
    ----------
    config : TrainConfig
        The run (relation, initialisation, optimizer, learning rates, seed, split).
    steps : int
        Updates over which the effective learning rates are measured.

    Returns
    -------
    dict
        ``eta_x``, ``eta_A`` (effective), ``eta_dec_eff`` (the decoder parameters' effective
        rate), ``eta_enc``, ``eta_dec`` (nominal), ``sigma_a``, ``sigma_c``, ``m`` (float, mean rows
        per element), ``d``, ``K`` and the predictions ``p_eq12`` and ``p_matrix`` of
        :func:`predicted_collision`.

    Examples
    --------
    Plain gradient descent on a linear decoder: the effective rates are the nominal ones.

    >>> from verification.model import ModelConfig
    >>> from verification.train_config import TrainConfig
    >>> cfg = TrainConfig(n=12, optimizer="sgd", eta_enc=0.02, eta_dec=0.01, model=ModelConfig(depth=0))
    >>> q = initial_quantities(cfg, steps=1)
    >>> round(q["eta_x"], 4), round(q["eta_A"], 4), round(q["eta_dec_eff"], 4)
    (0.02, 0.01, 0.01)
    """
    config.validate()
    with _one_thread():
        return _initial_quantities(config, int(steps))


def _initial_quantities(config, steps: int) -> dict:
    n = config.n
    p0 = _initial_params(config)
    pk = train_reference(config, steps=steps, num_threads=1)["params"]
    gE, g_dec = _loss_gradients(config, p0)

    # every decoder weight and bias (the order does not matter for an RMS)
    d_dec = np.concatenate([(np.asarray(pk[k]) - p0[k]).ravel() for k in p0 if k != "E"])
    eta_x = _rms(np.asarray(pk["E"]) - p0["E"]) / steps / _rms(gE)
    eta_dec_eff = _rms(d_dec) / steps / _rms(g_dec)

    J0, X0, z0, y, train = _jacobian(config, p0)
    Jk, *_ = _jacobian(config, pk)
    # dL/dz of the mean BCE, and the force on the linearized decoder's A
    gz = (1.0 / (1.0 + np.exp(-z0)) - y) / len(y)
    G = gz @ X0
    eta_A = _rms(Jk.mean(0) - J0.mean(0)) / steps / _rms(G)

    sigma_a, sigma_c = _widths(config, p0, J0)
    counts = np.zeros(n)
    i, j = train // n, train % n
    np.add.at(counts, i, 1)
    np.add.at(counts, j[j != i], 1)
    m = float(counts.mean())
    d = int(config.model.embed_dim)
    out = {
        "eta_enc": config.eta_enc,
        "eta_dec": config.eta_dec,
        "eta_x": eta_x,
        "eta_A": eta_A,
        "eta_dec_eff": eta_dec_eff,
        "sigma_a": sigma_a,
        "sigma_c": sigma_c,
        "m": m,
        "d": d,
    }
    out.update(predicted_collision(eta_x, eta_A, sigma_a, sigma_c, m=m, d=d))
    return out


def predicted_collision(eta_x, eta_A, sigma_a, sigma_c, *, m, d) -> dict:
    """The collision probabilities Eq. (12) and the F formula give for measured inputs.

    ``m`` is rounded to the nearest integer for the F formula.

    Returns
    -------
    dict
        ``K``, ``p_eq12`` (Eq. (12), the ``m = d = 1`` member) and ``p_matrix``
        (:func:`effective_theory.matrix_collision_probability` at ``(round(m), d)``).

    Examples
    --------
    >>> p = predicted_collision(2.0, 1.0, 1.0, 1.0, m=1, d=1)    # K = 1: arctan(1) = pi/4
    >>> p["K"], round(p["p_eq12"], 6), round(p["p_matrix"], 6)
    (1.0, 0.5, 0.5)
    """
    vals = [float(v) for v in (eta_x, eta_A, sigma_a, sigma_c)]
    if not all(np.isfinite(v) and v > 0 for v in vals):
        nan = float("nan")
        return {"K": nan, "p_eq12": nan, "p_matrix": nan}
    ex, eA, sa, sc = vals
    K = sa / sc * np.sqrt(ex / (2 * eA))
    return {
        "K": float(K),
        "p_eq12": float(representation_learning_probability(ex, eA, sa, sc)),
        "p_matrix": float(matrix_collision_probability(ex, eA, sa, sc, max(int(round(m)), 1), int(d))),
    }
