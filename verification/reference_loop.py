"""The plain one-model PyTorch training loop: the reference the ensemble trainer is checked against.

:func:`train_reference` trains one :class:`~verification.train_config.TrainConfig` with
``torch.nn`` and ``torch.optim`` as a reader of the paper would write it (Table III, full batch).
``tests/verification/test_training.py`` compares :func:`verification.training.train_ensemble`
with it, and ``benchmarks/bench_training.py`` measures the speed-up over it.
"""

from __future__ import annotations

import torch

from effective_theory.statics.relation_input import relation_matrix
from verification.model import AutoEncoder, init_parameters
from verification.train_config import ADAM_BETAS, ADAM_EPS, TrainConfig, resolve_device, split_pairs

__all__ = ["train_reference"]


def train_reference(config: TrainConfig, *, steps=1_000, device="cpu", num_threads=None):
    """Train one model with ``torch.nn`` autograd and ``torch.optim`` (no batching, no tricks).

    Same initialisation, split, loss and optimizer semantics as :func:`train_ensemble` (Adam(W)
    with decoupled decoder/encoder weight decay, or SGD with L2 weight decay), so the two agree
    to float32 rounding; it is the reference in the tests and the baseline of the benchmark.

    ``num_threads`` sets torch's CPU threads for the run (default: leave torch's setting).

    Returns
    -------
    dict
        ``params`` (numpy arrays in :func:`~verification.model.parameter_shapes` layout),
        ``train_acc``, ``test_acc`` and ``full_acc`` after ``steps`` updates.
    """
    config.validate()
    if num_threads is not None:
        old_threads = torch.get_num_threads()
        torch.set_num_threads(int(num_threads))
        try:
            return train_reference(config, steps=steps, device=device)
        finally:
            torch.set_num_threads(old_threads)
    dev = resolve_device(device)
    n = config.n
    net = AutoEncoder(
        config.model,
        n,
        init_parameters(
            config.model,
            n,
            seed=config.seed,
            init_enc=config.init_enc,
            init_dec=config.init_dec,
            init=config.init,
        ),
    ).to(dev)
    tr, te = split_pairs(config)
    y = torch.tensor(relation_matrix(config.relation, n).reshape(-1), dtype=torch.float32, device=dev)
    tr_t = torch.as_tensor(tr, device=dev)
    i, j, y_tr = tr_t // n, tr_t % n, y[tr_t]
    groups = [
        {"params": [net.embedding], "lr": config.eta_enc, "weight_decay": config.wd_enc},
        {"params": list(net.decoder.parameters()), "lr": config.eta_dec, "weight_decay": config.wd_dec},
    ]
    if config.optimizer == "adam":
        opt = torch.optim.AdamW(groups, betas=ADAM_BETAS, eps=ADAM_EPS, foreach=False)
    else:
        opt = torch.optim.SGD(groups, foreach=False)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    for _ in range(steps):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(i, j), y_tr)
        loss.backward()
        opt.step()
    with torch.no_grad():
        ii = torch.arange(n * n, device=dev)
        correct = ((net(ii // n, ii % n) > 0).float() == y).float()
        te_t = torch.as_tensor(te, device=dev)
        out = {
            "train_acc": float(correct[tr_t].mean()),
            "test_acc": float(correct[te_t].mean()) if len(te) else float("nan"),
            "full_acc": float(correct.mean()),
        }
        p = {"E": net.embedding.detach().cpu().numpy()}
        for layer, lin in enumerate(m for m in net.decoder if isinstance(m, torch.nn.Linear)):
            p[f"W{layer}"] = lin.weight.detach().t().cpu().numpy()
            p[f"b{layer}"] = lin.bias.detach().reshape(1, -1).cpu().numpy()
        out["params"] = p
    return out
