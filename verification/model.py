"""The paper's autoencoder: learnable embeddings and an MLP decoder (Section II, Table III of [1]_).

Each element ``x_i`` of the relation has a learnable embedding :math:`E_i \\in \\mathbb{R}^d`.
For a pair ``(i, j)`` the decoder reads the combined input

.. math::

    h_0 = [E_i, E_j] \\;(\\text{concat}), \\quad E_i - E_j \\;(\\text{diff}), \\quad
    (E_i - E_j)^{\\odot 2} \\;(\\text{sqdiff}),

applies ``depth`` hidden layers ``h_l = tanh(h_{l-1} W_l + b_l)`` of width ``width`` and a
linear read-out ``z = h_L w + b``; the predicted probability that ``R(x_i, x_j) = 1`` is
``sigmoid(z)`` and the loss is the binary cross-entropy.  ``depth = 0`` is a linear read-out of
``h_0`` (logistic regression on the combined embeddings).

Initialisation: embeddings ``init_enc * N(0, 1)``; decoder weights and biases ``init_dec`` times
PyTorch's ``nn.Linear`` default ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` (``init="uniform"``, the
default, which every table of the report uses unless it says otherwise), or ``init_dec * N(0, 1)``
(``init="normal"``: "drawn from a standard normal distribution scaled by the initialization
factor", the caption of Figure 6 of [1]_; used by Figure 6b).  The draws come from one
``torch.Generator`` seeded per model, in a fixed order (embeddings, then each layer's weight and
bias), so a model's initial parameters depend on its seed only -- never on which ensemble it is
trained in.

This module holds the architecture (:class:`ModelConfig`), the parameter shapes, the seeded
initialisation and a plain ``torch.nn`` implementation (:class:`AutoEncoder`) that serves as the
reference for the hand-written batched trainer in :mod:`verification.training`.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from effective_theory._checks import check_int

__all__ = ["MODES", "INITS", "ModelConfig", "AutoEncoder", "parameter_shapes", "init_parameters"]

#: ways to combine the two embeddings into the decoder input
MODES = ("concat", "diff", "sqdiff")

#: decoder initialisations: nn.Linear's uniform default (scaled), or a scaled standard normal
INITS = ("uniform", "normal")


@dataclass(frozen=True)
class ModelConfig:
    """Architecture of the autoencoder (Section II; defaults from Table III of [1]_).

    Parameters
    ----------
    embed_dim : int
        Embedding dimension ``d`` (Table III: 2).
    depth : int
        Number of hidden tanh layers of the decoder (Table III: 3); 0 gives a linear read-out.
    width : int
        Width of the hidden layers (Table III: 50).
    mode : {"concat", "diff", "sqdiff"}
        How the two embeddings are combined: ``[E1, E2]``, ``E1 - E2`` or ``(E1 - E2)**2``.

    Raises
    ------
    ValueError
        On construction, for ``depth < 0``, ``embed_dim < 1``, ``width < 1`` or an unknown mode.

    Examples
    --------
    >>> cfg = ModelConfig()
    >>> cfg.input_dim, cfg.num_decoder_parameters
    (4, 5401)
    >>> ModelConfig(depth=0, mode="diff").num_decoder_parameters   # logistic regression on E1 - E2
    3
    """

    embed_dim: int = 2
    depth: int = 3
    width: int = 50
    mode: str = "concat"

    def __post_init__(self):
        self.validate()

    def validate(self) -> None:
        """Raise ValueError/TypeError for an impossible architecture."""
        check_int(self.embed_dim, "embed_dim", minimum=1)
        check_int(self.depth, "depth", minimum=0)
        check_int(self.width, "width", minimum=1)
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}; choose one of {', '.join(MODES)}")

    @property
    def input_dim(self) -> int:
        """Dimension of the decoder input ``h_0``."""
        return 2 * self.embed_dim if self.mode == "concat" else self.embed_dim

    @property
    def layer_dims(self) -> list[tuple[int, int]]:
        """``(fan_in, fan_out)`` of every decoder layer, read-out last."""
        dims = [self.input_dim] + [self.width] * self.depth + [1]
        return list(zip(dims[:-1], dims[1:]))

    @property
    def num_decoder_parameters(self) -> int:
        """Number of decoder weights and biases."""
        return sum(i * o + o for i, o in self.layer_dims)


def parameter_shapes(model: ModelConfig, n: int) -> list[tuple[str, tuple[int, ...]]]:
    """Names and shapes of one model's parameters, in initialisation order.

    ``E`` is ``(n, d)``; layer ``l`` has ``W{l}`` of shape ``(fan_in, fan_out)`` (input times
    weight convention, the transpose of ``nn.Linear.weight``) and ``b{l}`` of shape
    ``(1, fan_out)``.  The read-out is the last layer.

    Examples
    --------
    >>> [name for name, _ in parameter_shapes(ModelConfig(depth=1), 30)]
    ['E', 'W0', 'b0', 'W1', 'b1']
    """
    shapes = [("E", (n, model.embed_dim))]
    for layer, (fan_in, fan_out) in enumerate(model.layer_dims):
        shapes.append((f"W{layer}", (fan_in, fan_out)))
        shapes.append((f"b{layer}", (1, fan_out)))
    return shapes


def init_parameters(
    model: ModelConfig,
    n: int,
    *,
    seed: int,
    init_enc: float = 1.0,
    init_dec: float = 1.0,
    init: str = "uniform",
) -> dict[str, torch.Tensor]:
    """Seeded initial parameters of one model (float32, CPU).

    Embeddings are ``init_enc * N(0, 1)``.  Each decoder layer's weight and bias are, with
    ``init="uniform"`` (the default), ``init_dec`` times ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``
    (PyTorch's ``nn.Linear`` default), and with ``init="normal"`` ``init_dec * N(0, 1)`` (the
    caption of Figure 6 of [1]_: standard normal times the initialisation scale, no fan-in
    factor).  The draws are in the same order for both, so the embeddings do not depend on
    ``init``.

    Examples
    --------
    >>> a = init_parameters(ModelConfig(), 30, seed=3)
    >>> b = init_parameters(ModelConfig(), 30, seed=3, init_dec=2.0)
    >>> bool(torch.equal(a["E"], b["E"])) and bool(torch.allclose(2 * a["W1"], b["W1"]))
    True
    >>> bool(a["W0"].abs().max() <= 1 / 4 ** 0.5)   # fan_in = 2 d = 4
    True
    >>> c = init_parameters(ModelConfig(), 30, seed=3, init="normal", init_dec=2.0)
    >>> bool(torch.equal(a["E"], c["E"])), round(float(c["W1"].std()), 1)   # std = init_dec
    (True, 2.0)
    """
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {', '.join(INITS)}")
    g = torch.Generator().manual_seed(int(seed))
    params = {"E": init_enc * torch.randn(n, model.embed_dim, generator=g)}
    for layer, (fan_in, fan_out) in enumerate(model.layer_dims):
        # drawn in nn.Linear's (out, in) order, stored transposed
        if init == "normal":
            w = torch.randn(fan_out, fan_in, generator=g) * init_dec
            b = torch.randn(fan_out, generator=g) * init_dec
        else:
            bound = init_dec / math.sqrt(fan_in)
            w = (torch.rand(fan_out, fan_in, generator=g) * 2 - 1) * bound
            b = (torch.rand(fan_out, generator=g) * 2 - 1) * bound
        params[f"W{layer}"] = w.t().contiguous()
        params[f"b{layer}"] = b.reshape(1, fan_out)
    return params


class AutoEncoder(nn.Module):
    """Plain ``torch.nn`` version of the model: the reference for the batched trainer.

    Parameters
    ----------
    model : ModelConfig
    n : int
        Number of elements (embeddings).
    params : dict, optional
        Initial parameters from :func:`init_parameters`; default: drawn with ``seed=0``.

    Examples
    --------
    >>> net = AutoEncoder(ModelConfig(), 30)
    >>> i = torch.tensor([0, 1]); j = torch.tensor([2, 3])
    >>> tuple(net(i, j).shape)          # one logit per pair
    (2,)
    """

    def __init__(self, model: ModelConfig, n: int, params: dict | None = None):
        super().__init__()
        if params is None:
            params = init_parameters(model, n, seed=0)
        self.config = model
        self.embedding = nn.Parameter(params["E"].clone())
        layers = []
        for layer, (fan_in, fan_out) in enumerate(model.layer_dims):
            lin = nn.Linear(fan_in, fan_out)
            with torch.no_grad():
                lin.weight.copy_(params[f"W{layer}"].t())
                lin.bias.copy_(params[f"b{layer}"].reshape(-1))
            layers.append(lin)
            if layer < model.depth:
                layers.append(nn.Tanh())
        self.decoder = nn.Sequential(*layers)

    def forward(self, i: torch.Tensor, j: torch.Tensor) -> torch.Tensor:
        """Logits ``z`` of ``P(R(x_i, x_j) = 1) = sigmoid(z)`` for index tensors ``i``, ``j``."""
        e1, e2 = self.embedding[i], self.embedding[j]
        if self.config.mode == "concat":
            h = torch.cat([e1, e2], dim=-1)
        elif self.config.mode == "diff":
            h = e1 - e2
        else:
            h = (e1 - e2) ** 2
        return self.decoder(h).squeeze(-1)
