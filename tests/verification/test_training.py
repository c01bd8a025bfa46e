"""Unit tests of the model, the batched ensemble trainer and the phase classification.

Invariants checked: result shapes; same seed, same numbers (bit-for-bit on CPU); bad
hyperparameters raise ValueError before any training; the batched trainer equals an independent
autograd + ``torch.optim`` implementation (:func:`~verification.train_reference`) to float32
rounding (``ATOL``/``RTOL`` below: a few hundred float32 Adam steps accumulate rounding of order
1e-6 relative per step; 1e-4 leaves two orders of magnitude of margin yet catches any wrong
gradient, which shows up at 1e-2 within ten steps); a model's numbers are bit-identical alone,
in any position of any batch, with any companions and any chunking; early stopping never changes
the recorded steps or phases; and Table IV's edge cases.
"""

import dataclasses

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import verification
import verification.training as training
from verification import (
    PHASES,
    ModelConfig,
    Schedule,
    TrainConfig,
    classify_phase,
    train_ensemble,
    train_reference,
)

ATOL = 1e-4
RTOL = 1e-4

#: a mix of everything a model may vary in, kept small (n = 10) so each run takes milliseconds
VARIED = [
    TrainConfig(n=10, seed=0),
    TrainConfig(n=10, seed=1, relation="greater", eta_enc=3e-3, eta_dec=1e-2, wd_dec=0.5, wd_enc=0.1),
    TrainConfig(n=10, seed=2, relation="bipartite", train_fraction=0.5, init_enc=0.3, init_dec=2.0),
    TrainConfig(n=10, seed=3, split_seed=7, model=ModelConfig(mode="diff", depth=1, width=8)),
    TrainConfig(n=10, seed=4, model=ModelConfig(mode="sqdiff", depth=2, width=8, embed_dim=3)),
    TrainConfig(n=10, seed=5, model=ModelConfig(depth=0)),
    TrainConfig(n=10, seed=6, optimizer="sgd", eta_enc=0.3, eta_dec=0.1, wd_dec=0.01),
    TrainConfig(n=10, seed=7, optimizer="sgd", eta_enc=0.1, eta_dec=0.3, model=ModelConfig(mode="sqdiff")),
]


def _params_close(a, b):
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_allclose(a[k], b[k], atol=ATOL, rtol=RTOL, err_msg=k)


def test_result_shapes_and_ranges():
    res = train_ensemble(VARIED[:3], Schedule(steps=12, eval_every=4), device="cpu")
    assert len(res) == 3
    for name in ("steps_to_train", "steps_to_test", "train_acc", "test_acc", "full_acc", "steps_run"):
        assert getattr(res, name).shape == (3,), name
    assert res.embeddings.shape == (3, 10, 2)
    assert set(res.phases) <= set(PHASES)
    assert np.all((res.full_acc >= 0) & (res.full_acc <= 1))
    # full accuracy is the pair-weighted mean of train and test accuracy
    for k, cfg in enumerate(res.configs):
        t = cfg.num_train_pairs
        expected = (t * res.train_acc[k] + (100 - t) * res.test_acc[k]) / 100
        assert res.full_acc[k] == pytest.approx(expected, abs=1e-6)
    assert all(s % 4 == 0 or s == 12 for s in res.steps_to_train if s >= 0)


def test_embeddings_list_when_shapes_differ():
    res = train_ensemble([VARIED[0], VARIED[4]], Schedule(steps=3), device="cpu")
    assert isinstance(res.embeddings, list)
    assert [e.shape for e in res.embeddings] == [(10, 2), (10, 3)]


def test_same_seed_same_numbers():
    a = train_ensemble(VARIED, Schedule(steps=30), device="cpu")
    b = train_ensemble(VARIED, Schedule(steps=30), device="cpu")
    np.testing.assert_array_equal(a.embeddings[0], b.embeddings[0])
    for k in range(len(VARIED)):
        for name in a.params[k]:
            np.testing.assert_array_equal(a.params[k][name], b.params[k][name])
    np.testing.assert_array_equal(a.full_acc, b.full_acc)
    c = train_ensemble([VARIED[0].replace(seed=99)], Schedule(steps=30), device="cpu")
    assert not np.array_equal(a.params[0]["E"], c.params[0]["E"])


@pytest.mark.parametrize(
    "cfg", VARIED, ids=lambda c: f"{c.optimizer}-{c.model.mode}-d{c.model.depth}-s{c.seed}"
)
def test_matches_autograd_reference(cfg):
    """Hand-written batched backward + fused Adam(W)/SGD == autograd + torch.optim."""
    steps = 40
    ref = train_reference(cfg, steps=steps, num_threads=1)
    res = train_ensemble([cfg], Schedule(steps=steps, early_stop=False), device="cpu")
    _params_close(res.params[0], ref["params"])
    assert res.full_acc[0] == pytest.approx(ref["full_acc"], abs=2 / 100)


def _assert_same_run(a, i, b, j):
    """Model ``i`` of result ``a`` and model ``j`` of ``b`` are bit-identical."""
    for name in a.params[i]:
        np.testing.assert_array_equal(a.params[i][name], b.params[j][name], err_msg=name)
    for f in ("steps_to_train", "steps_to_test", "steps_run", "train_acc", "test_acc", "full_acc"):
        np.testing.assert_array_equal(getattr(a, f)[i], getattr(b, f)[j], err_msg=f)
    np.testing.assert_array_equal(a.final_loss[i], b.final_loss[j])
    assert a.phases[i] == b.phases[j]


def test_ensemble_equals_one_by_one():
    steps = 150
    together = train_ensemble(VARIED, Schedule(steps=steps, early_stop=False), device="cpu")
    for k, cfg in enumerate(VARIED):
        alone = train_ensemble([cfg], Schedule(steps=steps, early_stop=False), device="cpu")
        _assert_same_run(together, k, alone, 0)


@pytest.mark.parametrize(
    "model", [ModelConfig(), ModelConfig(depth=1, width=7, embed_dim=3), ModelConfig(mode="sqdiff", depth=0)]
)
def test_result_independent_of_position_batch_size_and_companions(model):
    """Table III at n = 30 and an odd-sized decoder: every vectorised kernel sees the same layout.

    Eleven configs with mixed relations, training fractions, learning rates, weight decays and
    optimizers, trained as one batch, rotated by five, in chunks of three, with early stopping,
    and the first three alone: every model's numbers agree bit for bit.
    """
    cfgs = [
        TrainConfig(
            relation=("mod3", "greater", "bipartite")[s % 3],
            train_fraction=(0.75, 0.3, 0.74)[s % 3],
            eta_enc=1e-3,
            eta_dec=10 ** (-3 + 0.3 * s),
            wd_dec=0.01 * (s % 2),
            optimizer=("adam", "sgd")[s % 2 if s < 8 else 0],
            seed=s,
            model=model,
        )
        for s in range(11)
    ]
    steps = 120
    whole = train_ensemble(cfgs, Schedule(steps=steps, early_stop=False), device="cpu", chunk_size=11)
    rotated = train_ensemble(
        cfgs[5:] + cfgs[:5], Schedule(steps=steps, early_stop=False), device="cpu", chunk_size=3
    )
    for k in range(11):
        _assert_same_run(whole, k, rotated, (k - 5) % 11)
    for k in range(3):
        _assert_same_run(
            whole, k, train_ensemble([cfgs[k]], Schedule(steps=steps, early_stop=False), device="cpu"), 0
        )
    stopped = train_ensemble(cfgs, Schedule(steps=steps, early_stop=True), device="cpu")
    np.testing.assert_array_equal(stopped.steps_to_train, whole.steps_to_train)
    np.testing.assert_array_equal(stopped.steps_to_test, whole.steps_to_test)


def test_early_stop_keeps_steps_and_phases():
    cfgs = [TrainConfig(n=12, eta_enc=3e-2, eta_dec=3e-2, seed=s) for s in range(4)]
    cfgs += [TrainConfig(n=12, eta_enc=1e-4, eta_dec=1e-4, seed=9)]  # never settles in the budget
    steps = 400
    stop = train_ensemble(cfgs, Schedule(steps=steps, eval_every=10, early_stop=True), device="cpu")
    full = train_ensemble(cfgs, Schedule(steps=steps, eval_every=10, early_stop=False), device="cpu")
    np.testing.assert_array_equal(stop.steps_to_train, full.steps_to_train)
    np.testing.assert_array_equal(stop.steps_to_test, full.steps_to_test)
    assert stop.phases == full.phases
    settled = (stop.steps_to_train >= 0) & (stop.steps_to_test >= 0)
    assert settled.sum() >= 2, "the fast configs should settle within 400 steps"
    assert np.all(stop.steps_run[settled] == np.maximum(stop.steps_to_train, stop.steps_to_test)[settled])
    assert np.all(stop.steps_run[~settled] == steps)
    # an early-stopped model reports the state at steps_run: rerun it for exactly that many steps
    k = int(np.flatnonzero(settled)[0])
    again = train_ensemble([cfgs[k]], Schedule(steps=int(stop.steps_run[k]), early_stop=False), device="cpu")
    _params_close(stop.params[k], again.params[0])


def test_full_training_fraction_has_nan_test_accuracy():
    res = train_ensemble([TrainConfig(n=6, train_fraction=1.0)], Schedule(steps=5), device="cpu")
    assert np.isnan(res.test_acc[0]) and res.steps_to_test[0] == -1
    assert res.full_acc[0] == pytest.approx(res.train_acc[0])


# --- bad input: ValueError before any training

BAD = [
    dict(eta_enc=-1e-3),
    dict(eta_dec=0.0),
    dict(wd_dec=-0.1),
    dict(train_fraction=0.0),
    dict(train_fraction=1.5),
    dict(n=1),
    dict(optimizer="rmsprop"),
    dict(relation="mod"),
    dict(init_enc=float("nan")),
]


@pytest.mark.parametrize("bad", BAD, ids=lambda d: next(iter(d)))
def test_bad_hyperparameters_raise_value_error(bad):
    with pytest.raises(ValueError, match=next(iter(bad)) if "relation" not in bad else "relation"):
        TrainConfig(**bad)


@pytest.mark.parametrize(
    "bad",
    [dict(depth=-1), dict(mode="product"), dict(width=0), dict(embed_dim=0)],
    ids=lambda d: next(iter(d)),
)
def test_bad_architecture_raises_value_error(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        ModelConfig(**bad)


@pytest.mark.parametrize("bad", BAD, ids=lambda d: next(iter(d)))
def test_train_ensemble_validates_before_training(bad, monkeypatch):
    """A config corrupted after construction is rejected before any model is built."""
    cfg = TrainConfig(n=6)
    for key, value in bad.items():
        object.__setattr__(cfg, key, value)

    def no_training(*args, **kwargs):
        raise AssertionError("training started despite a bad config")

    monkeypatch.setattr(training, "_Group", no_training)
    with pytest.raises(ValueError):
        train_ensemble([TrainConfig(n=6), cfg], Schedule(steps=10))


def test_train_ensemble_bad_options():
    with pytest.raises(ValueError, match="empty"):
        train_ensemble([], Schedule(steps=10))
    with pytest.raises(ValueError, match="eval_every"):
        train_ensemble([TrainConfig(n=6)], Schedule(steps=10, eval_every=0))
    with pytest.raises(ValueError, match="steps"):
        train_ensemble([TrainConfig(n=6)], Schedule(steps=-1))
    with pytest.raises(TypeError, match="TrainConfig"):
        train_ensemble([dataclasses.asdict(TrainConfig(n=6))], Schedule(steps=1))


# --- Table IV phases and their edge cases


@pytest.mark.parametrize(
    ("s_train", "s_test", "phase"),
    [
        (100, 150, "generalization"),
        (100, 1099, "generalization"),  # gap 999 < 10^3
        (100, 1100, "grokking"),  # gap exactly 10^3: Table IV needs < 10^3
        (100, 5000, "grokking"),
        (100, 50, "generalization"),  # test before train: negative gap
        (100, -1, "memorization"),
        (-1, -1, "confusion"),
        (-1, 200, "confusion"),  # test reached, train not: the train column decides
        (100_000, 100_000, "generalization"),  # reaching exactly at the budget counts
        (100_001, -1, "confusion"),  # after the budget: not reached
        (500, 100_001, "memorization"),
    ],
)
def test_classify_phase_table_iv(s_train, s_test, phase):
    assert classify_phase(s_train, s_test, budget=10**5, gap=10**3) == phase


def test_classify_phase_bad_input():
    with pytest.raises(ValueError):
        classify_phase(-2, 5)
    with pytest.raises(TypeError):
        classify_phase(1.5, 5)
    with pytest.raises(ValueError):
        classify_phase(1, 5, budget=0)


@given(st.integers(-1, 3000), st.integers(-1, 3000), st.integers(1, 3000), st.integers(0, 3000))
def test_classify_phase_invariants(s_train, s_test, budget, gap):
    phase = classify_phase(s_train, s_test, budget=budget, gap=gap)
    assert phase in PHASES
    train_ok, test_ok = 0 <= s_train <= budget, 0 <= s_test <= budget
    assert (phase == "confusion") == (not train_ok)
    assert (phase in ("generalization", "grokking")) == (train_ok and test_ok)
    # a longer budget never un-reaches an accuracy: generalizing stays generalizing
    if verification.is_generalizing(phase):
        assert verification.is_generalizing(classify_phase(s_train, s_test, budget=budget + 1000, gap=gap))


def test_final_accuracies_match_the_returned_parameters():
    """Train/test accuracy and the loss recomputed from the returned parameters with ``torch.nn``
    equal the reported ones (the padded training slots point at pair 0 with weight 0 and must not
    mask pair 0 when it is a training pair)."""
    import torch

    from effective_theory.statics.relations import relation_by_name
    from verification.model import AutoEncoder

    cfgs = [TrainConfig(n=10, seed=s, train_fraction=f) for s, f in ((0, 0.5), (1, 0.3), (2, 0.9))]
    res = train_ensemble(cfgs, Schedule(steps=50, early_stop=False), device="cpu")
    for k, cfg in enumerate(cfgs):
        tr, te = training.split_pairs(cfg)
        net = AutoEncoder(cfg.model, cfg.n, {name: torch.as_tensor(v) for name, v in res.params[k].items()})
        ii = torch.arange(cfg.n * cfg.n)
        y = relation_by_name(cfg.relation, cfg.n).matrix.reshape(-1).astype(bool)
        with torch.no_grad():
            z = net(ii // cfg.n, ii % cfg.n)
        correct = (z > 0).numpy() == y
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z[tr], torch.as_tensor(y[tr]).float())
        assert res.train_acc[k] == pytest.approx(correct[tr].mean(), abs=1e-6)
        assert res.test_acc[k] == pytest.approx(correct[te].mean(), abs=1e-6)
        assert res.final_loss[k] == pytest.approx(float(loss), rel=1e-5)
    assert any(0 in training.split_pairs(c)[0] for c in cfgs)  # pair 0 is a training pair somewhere


def test_chunk_size_and_workers_do_not_change_results():
    cfgs = [TrainConfig(n=10, seed=s, eta_enc=10.0 ** (-3 + s / 4)) for s in range(5)]
    a = train_ensemble(cfgs, Schedule(steps=60, early_stop=False), device="cpu", chunk_size=2)
    b = train_ensemble(cfgs, Schedule(steps=60, early_stop=False), device="cpu", chunk_size=5)
    for k in range(len(cfgs)):
        _assert_same_run(a, k, b, k)
    # batches in parallel threads give bit-identical results
    c = train_ensemble(cfgs, Schedule(steps=60), device="cpu", chunk_size=2, workers=1)
    d = train_ensemble(cfgs, Schedule(steps=60), device="cpu", chunk_size=2, workers=2)
    for k in range(len(cfgs)):
        for name in c.params[k]:
            np.testing.assert_array_equal(c.params[k][name], d.params[k][name])
    np.testing.assert_array_equal(c.steps_run, d.steps_run)
    with pytest.raises(ValueError, match="workers"):
        train_ensemble(cfgs, Schedule(steps=1), workers=0)
    with pytest.raises(ValueError, match="chunk_size"):
        train_ensemble(cfgs, Schedule(steps=1), chunk_size=0)


# --- the two kernel sets of a step: compiled CPU loops and torch operations (other devices)


@pytest.fixture
def torch_kernels(monkeypatch):
    """Train with the torch kernels (the CUDA code path) on the CPU."""
    from verification import _step_kernels

    monkeypatch.setattr(training, "_kernels_for", lambda device: _step_kernels.TORCH)


@pytest.mark.parametrize(
    "cfg", [VARIED[k] for k in (0, 1, 3, 4, 5, 6)], ids=lambda c: f"{c.model.mode}-s{c.seed}"
)
def test_torch_kernels_match_autograd_reference(cfg, torch_kernels):
    ref = train_reference(cfg, steps=40, num_threads=1)
    res = train_ensemble([cfg], Schedule(steps=40, early_stop=False), device="cpu")
    _params_close(res.params[0], ref["params"])


def test_torch_kernels_independent_of_batch(torch_kernels):
    cfgs = VARIED[:3] + [VARIED[0].replace(seed=s) for s in range(10, 14)]
    whole = train_ensemble(cfgs, Schedule(steps=40, early_stop=False), device="cpu", chunk_size=7)
    for k in (0, 4):
        alone = train_ensemble([cfgs[k]], Schedule(steps=40, early_stop=False), device="cpu")
        _assert_same_run(whole, k, alone, 0)


@pytest.mark.parametrize("mode", ["concat", "diff", "sqdiff"])
def test_numba_and_torch_kernels_agree(mode):
    """Each compiled kernel equals its torch twin (tanh: the rational form is within a few ulp)."""
    import torch

    from verification import _step_kernels

    code = _step_kernels.MODE_CODES[mode]
    g = torch.Generator().manual_seed(0)
    K, n, d, W, B = 3, 7, 2, 5, 64
    in_dim = 2 * d if mode == "concat" else d
    E = torch.randn(K, n, d, generator=g)
    ii, jj = torch.randint(0, n, (K, B), generator=g), torch.randint(0, n, (K, B), generator=g)
    z, b = 4 * torch.randn(K, W, B, generator=g), torch.randn(K, W, generator=g)
    h = torch.tanh(torch.randn(K, W, B, generator=g))
    ga, gz = torch.randn(K, W, B, generator=g), torch.randn(K, B, generator=g)
    w, g_in = torch.randn(K, W, generator=g), torch.randn(K, in_dim, B, generator=g)
    theta, grad, m, v = (torch.randn(256, generator=g) for _ in range(4))
    lr, wd, v = torch.full((256,), 1e-2), torch.full((256,), 0.1), v.abs()
    bc = (1 - 0.9**3, (1 - 0.999**3) ** 0.5)  # Adam's bias corrections at step 3

    # name: (tolerance, call(kernels, view, *outputs), the outputs' initial values)
    cases = {
        "embed_input": (0, lambda k, V, o: k.embed_input(V(E), V(ii), V(jj), code, V(o)), [g_in]),
        "tanh_bias_": (2e-6, lambda k, V, o: k.tanh_bias_(V(o), V(b)), [z]),
        "tanh_backward": (1e-6, lambda k, V, o: k.tanh_backward(V(ga), V(h), V(o)), [ga]),
        "readout_backward": (1e-6, lambda k, V, o: k.readout_backward(V(w), V(gz), V(h), V(o)), [ga]),
        "outer": (0, lambda k, V, o: k.outer(V(w), V(gz), V(o)), [ga]),
        "embed_grad": (
            1e-5,
            lambda k, V, o: k.embed_grad(V(g_in), V(E), k.scatter_plan(V(ii), V(jj), n), code, V(o)),
            [E],
        ),
        "adam_update_": (
            1e-5,
            lambda k, V, t, m_, v_: k.adam_update_(V(t), V(grad), V(m_), V(v_), V(lr), V(wd), *bc, True),
            [theta, m, v],
        ),
        "sgd_update_": (
            1e-5,
            lambda k, V, t: k.sgd_update_(V(t), V(grad.clone()), V(lr), V(wd), True),
            [theta],
        ),
    }
    for name, (tol, call, initial) in cases.items():
        results = []
        for kern in (_step_kernels.numba_kernels(), _step_kernels.TORCH):
            outs = [x.clone() for x in initial]
            call(kern, kern.view, *outs)
            results.append(outs)
        for x, y in zip(*results):
            torch.testing.assert_close(x, y, rtol=tol, atol=tol, msg=name)


def test_compiled_kernels_are_cached_by_their_code_alone():
    """numba keys a cached kernel by its code and the values it closes over; a kernel closing over
    a dispatcher (tanh32, when the kernels were defined inside a function) got a new key in every
    process, so it was compiled again each time and the on-disk cache grew by one entry a process.
    Every compiled kernel is module-level, with nothing to close over, and cached on disk."""
    from verification import _numba_step_kernels, _step_kernels

    kern = _step_kernels.numba_kernels()
    compiled = [v for v in vars(kern).values() if hasattr(v, "py_func")]
    compiled += [_numba_step_kernels._embed_grad]  # reached through a lambda
    assert len(compiled) >= 8
    for dispatcher in compiled:
        assert dispatcher.py_func.__closure__ is None, dispatcher.py_func.__qualname__
        assert "<locals>" not in dispatcher.py_func.__qualname__
        assert dispatcher._cache.__class__.__name__ == "FunctionCache", dispatcher.py_func.__qualname__


@pytest.mark.parametrize("kernels", ["numba", "torch"])
def test_replayed_steps_equal_eager_steps(kernels, monkeypatch):
    """The CUDA-graph control flow (steps between evaluations captured once, the step number
    read from the device, a new capture after early stopping shrinks the batch), run on the CPU
    by a stand-in that replays by calling, gives the eager trainer's numbers bit for bit."""
    from verification import _step_kernels

    if kernels == "torch":
        monkeypatch.setattr(training, "_kernels_for", lambda device: _step_kernels.TORCH)
    cfgs = [TrainConfig(n=12, eta_enc=3e-2, eta_dec=3e-2, seed=s) for s in range(3)] + [VARIED[6], VARIED[1]]
    runs = {}
    for mode in ("eager", "replay"):
        monkeypatch.setattr(training, "_GRAPHS", mode)
        runs[mode] = train_ensemble(cfgs, Schedule(steps=300, eval_every=7, early_stop=True), device="cpu")
    assert (runs["eager"].steps_run < 300).any(), "some model should stop early (a new capture)"
    for k in range(len(cfgs)):
        _assert_same_run(runs["eager"], k, runs["replay"], k)


def test_cpu_batches_of_concurrent_calls_never_outnumber_the_cores(monkeypatch):
    """Chunks trained side by side share the cores: at most one batch per core runs at a time."""
    import threading
    import time

    active, peak, lock = [0], [0], threading.Lock()
    real = training._run_schedule

    def counting(*args):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.2)  # room for another batch to start, if it may
        try:
            real(*args)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(training, "_run_schedule", counting)
    grid = [TrainConfig(relation="mod3", n=6, eta_enc=1e-2, eta_dec=1e-2, seed=s) for s in range(6)]
    alone = train_ensemble(grid, Schedule(steps=20), device="cpu")

    def peak_with(slots):
        monkeypatch.setattr(training, "_CPU_SLOTS", threading.BoundedSemaphore(slots))
        peak[0] = 0
        out = []

        def call():
            out.append(train_ensemble(grid, Schedule(steps=20), device="cpu", chunk_size=2, workers=3))

        calls = [threading.Thread(target=call) for _ in range(2)]
        for t in calls:
            t.start()
        for t in calls:
            t.join()
        for res in out:
            np.testing.assert_array_equal(res.full_acc, alone.full_acc)
        return peak[0]

    assert peak_with(1) == 1  # one slot: one batch at a time across both calls and their workers
    assert peak_with(2) == 2
    assert peak_with(8) > 2  # the control: without the limit the six batches overlap
