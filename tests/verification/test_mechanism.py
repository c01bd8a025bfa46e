"""The repon mechanism measured in networks: geometry, initial quantities, snapshots, init, SGD.

Invariants checked on constructed embeddings with known answers (collided / not collided pairs,
collision steps, order violations); the chance rate of the collision criterion against its closed
form by Monte Carlo; the ``init="normal"`` option's mean and standard deviation; embedding
snapshots equal the embeddings of shorter runs bit for bit and leave the default path's numbers
unchanged; the effective learning rates of plain gradient descent are the nominal ones; the batched
trainer matches the reference loop for SGD with both inits; and a tiny end-to-end Figure 6b run.
"""

import math

import numpy as np
import pytest

from effective_theory import equal_mod, greater_than
from verification.mechanism.initial_quantities import initial_quantities, initial_widths, predicted_collision
from verification.mechanism.repon_geometry import (
    COLLISION_FRACTION,
    chance_collision_probability,
    class_distances,
    collided_pairs,
    collision_fraction,
    collision_steps,
    indistinguishable_classes,
    order_violations,
    repon_geometry,
    same_class_pairs,
)
from verification.model import ModelConfig, init_parameters
from verification.runs import chunk_configs, train_runs
from verification.runtime.context import RunContext
from verification.runtime.result_cache import ResultCache
from verification.train_config import Schedule, TrainConfig
from verification.training import train_ensemble, train_reference

#: float32 agreement of the batched trainer and the reference loop (as in test_training.py)
ATOL = RTOL = 1e-4
#: Monte Carlo draws for the chance-collision check; 4 binomial SE at p = 0.0069 is 0.0013
DRAWS = 20_000


def _clusters(labels, *, spread, seed=0):
    """Embeddings at three well separated centres, each element within ``spread`` of its centre."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    return centres[np.asarray(labels)] + spread * rng.standard_normal((len(labels), 2))


def test_classes_of_the_relations():
    assert indistinguishable_classes(equal_mod(9, 3)).tolist() == [0, 1, 2] * 3
    labels = indistinguishable_classes(greater_than(6))
    assert sorted(labels.tolist()) == list(range(6))
    a, b = same_class_pairs(indistinguishable_classes(equal_mod(30, 3)))
    assert len(a) == 3 * 45 and (a < b).all()


def test_collapsed_classes_have_collided_and_spread_ones_not():
    labels = [0, 1, 2] * 50
    assert collision_fraction(_clusters(labels, spread=1e-3), labels) == 1.0
    # spread 3: |E_a - E_b|^2 / 18 ~ chi^2_2, threshold ~1.2, so about 4% of the pairs by chance
    assert collision_fraction(_clusters(labels, spread=3.0), labels) < 0.1
    d = class_distances(_clusters(labels, spread=1e-3), labels)
    assert d["within"].max() < 0.01 < 5 < d["between"].min()


def test_collision_criterion_is_relative_to_the_between_class_scale():
    """Scaling all embeddings changes no collision; the threshold sits at f x median."""
    labels = [0, 1, 0, 1]
    f = COLLISION_FRACTION
    E = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 0.0], [1.0, 0.0]])
    med = np.median(class_distances(E, labels)["between"])
    E[2, 0], E[3, 0] = 0.99 * f * med, 1.0 + 1.01 * f * med
    assert collided_pairs(E, labels).tolist() == [True, False]
    assert collided_pairs(1e3 * E, labels).tolist() == [True, False]


def test_collision_steps_count_the_last_arrival():
    labels = [0, 1, 0, 1]
    apart = [[0, 0], [1, 0], [0.5, 0], [1.5, 0]]
    met = [[0, 0], [1, 0], [0.0, 0], [1.0, 0]]
    snaps = [apart, met, apart, met, met]  # both pairs meet at 10, part at 20, meet again at 30
    assert collision_steps(snaps, [0, 10, 20, 30, 40], labels).tolist() == [30, 30]
    assert collision_steps(snaps[:3], [0, 10, 20], labels).tolist() == [-1, -1]
    assert collision_steps([met], [5], labels).tolist() == [5, 5]


def test_chance_collisions_of_gaussian_embeddings():
    """The closed form 1 - 2^(-f^2) (d = 2) against Monte Carlo pairs of N(0, I) embeddings."""
    p = chance_collision_probability(2)
    assert p == pytest.approx(1 - 2 ** (-(COLLISION_FRACTION**2)), rel=1e-12)
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((2, DRAWS, 2))
    dist = np.linalg.norm(x - y, axis=1)
    measured = np.mean(dist < COLLISION_FRACTION * np.median(dist))
    assert abs(measured - p) < 4 * math.sqrt(p * (1 - p) / DRAWS)


def test_order_violations():
    rank = np.arange(8)
    line = np.stack([rank * 1.0, 0.01 * (-1) ** rank], axis=1)
    assert order_violations(line, rank) == 0.0
    assert order_violations(line[::-1], rank) == 0.0  # the direction's sign is free
    swapped = line.copy()
    swapped[[0, 1]] = swapped[[1, 0]]
    assert order_violations(swapped, rank) == pytest.approx(1 / 28)
    rng = np.random.default_rng(0)
    assert 0.3 < order_violations(rng.standard_normal((200, 2)), np.arange(200)) <= 0.5


def test_repon_geometry_of_a_total_order_has_no_collision_entries():
    E = np.stack([np.arange(5.0), np.zeros(5)], axis=1)
    g = repon_geometry([E, E], [0, 10], greater_than(5))
    assert g["order_violations"] == [0.0, 0.0] and "collision_fraction" not in g


@pytest.mark.parametrize("scale", [1.0, 2.5])
def test_normal_init_statistics(scale):
    """init="normal": decoder weights and biases i.i.d. N(0, scale^2); the embeddings are unchanged."""
    model = ModelConfig(width=200)
    p = init_parameters(model, 30, seed=4, init_dec=scale, init="normal")
    u = init_parameters(model, 30, seed=4, init_dec=scale)
    w = np.concatenate([p[k].numpy().ravel() for k in p if k != "E"])
    # 4 standard errors of the mean and of the standard deviation of ~41,000 draws
    se = scale / math.sqrt(w.size)
    assert abs(w.mean()) < 4 * se
    assert abs(w.std() - scale) < 4 * se / math.sqrt(2)
    assert np.array_equal(p["E"].numpy(), u["E"].numpy())
    with pytest.raises(ValueError, match="init"):
        init_parameters(model, 30, seed=0, init="xavier")
    with pytest.raises(ValueError, match="init"):
        TrainConfig(init="xavier")


@pytest.mark.parametrize(
    "init, rates, steps",
    # the saturated N(0, 1) decoder amplifies float32 rounding chaotically at large steps (at
    # (2.0, 0.3) the two agree to 3e-6 after one step and differ by O(1) after 30): small steps
    [("uniform", (2.0, 0.3), 30), ("normal", (0.2, 0.03), 5)],
)
def test_sgd_batched_trainer_matches_the_reference_loop(init, rates, steps):
    cfg = TrainConfig(n=10, seed=3, optimizer="sgd", eta_enc=rates[0], eta_dec=rates[1], init=init)
    ref = train_reference(cfg, steps=steps, num_threads=1)
    res = train_ensemble([cfg], Schedule(steps=steps, early_stop=False), device="cpu")
    for k in ref["params"]:
        np.testing.assert_allclose(res.params[0][k], ref["params"][k], atol=ATOL, rtol=RTOL, err_msg=k)


def test_snapshots_are_the_embeddings_of_shorter_runs():
    cfgs = [
        TrainConfig(n=8, seed=s, eta_enc=1e-2, eta_dec=1e-2, optimizer=o)
        for s, o in ((0, "adam"), (1, "sgd"))
    ]
    res = train_ensemble(
        cfgs, Schedule(steps=45, eval_every=5, snapshot_every=20, early_stop=False), device="cpu"
    )
    plain = train_ensemble(cfgs, Schedule(steps=45, eval_every=5, early_stop=False), device="cpu")
    assert plain.snapshots is None
    for k in range(2):
        assert res.snapshot_steps[k].tolist() == [0, 20, 40, 45]
        np.testing.assert_array_equal(res.snapshots[k][-1], plain.params[k]["E"])  # no change to training
        short = train_ensemble([cfgs[k]], Schedule(steps=20, eval_every=5, early_stop=False), device="cpu")
        np.testing.assert_array_equal(res.snapshots[k][1], short.params[0]["E"])
    with pytest.raises(ValueError, match="multiple of eval_every"):
        train_ensemble(cfgs, Schedule(steps=10, eval_every=4, snapshot_every=6), device="cpu")


def test_snapshots_through_the_cached_runs(tmp_path):
    cfgs = [TrainConfig(n=6, seed=s, eta_enc=1e-2) for s in (0, 1)]
    chunks, _ = chunk_configs(cfgs, Schedule(steps=10), chunk_size=2)
    assert "snapshot_every" not in chunks[0] and "init" not in chunks[0]["configs"][0]  # old keys kept
    schedule = Schedule(steps=30, early_stop=False, snapshot_every=10)
    direct = train_runs(cfgs, schedule, RunContext(device="cpu"))
    cached = train_runs(cfgs, schedule, RunContext(device="cpu", cache=ResultCache(tmp_path), chunk_size=2))
    for k in range(2):
        assert direct.snapshot_steps[k].tolist() == cached.snapshot_steps[k].tolist() == [0, 10, 20, 30]
        np.testing.assert_array_equal(direct.snapshots[k], cached.snapshots[k])


def test_effective_rates_of_gradient_descent_are_nominal():
    """SGD with a linear decoder: the measured eta_x, eta_A are eta_enc, eta_dec (float32 rounding)."""
    cfg = TrainConfig(n=12, seed=2, optimizer="sgd", eta_enc=0.5, eta_dec=0.05, model=ModelConfig(depth=0))
    q = initial_quantities(cfg)
    assert q["eta_x"] == pytest.approx(0.5, rel=1e-4)
    assert q["eta_A"] == pytest.approx(0.05, rel=1e-4)
    assert q["eta_dec_eff"] == pytest.approx(0.05, rel=1e-4)
    assert q["d"] == 2 and 10 < q["m"] < 24  # 0.75 of the 2 n - 1 pairs an element is in
    p = predicted_collision(q["eta_x"], q["eta_A"], q["sigma_a"], q["sigma_c"], m=q["m"], d=q["d"])
    assert p["p_eq12"] == pytest.approx(q["p_eq12"]) and 0 <= p["p_matrix"] <= 1


def test_initial_widths_of_a_linear_decoder_are_closed_form():
    """Depth 0, concat: every pair's Jacobian row is the weight row ``W0``, so ``sigma_a = RMS(W0)``;
    ``sigma_c`` is the RMS of ``(E_a - E_b)/2`` over the mod-3 classes.  Figure 6 uses the same numbers."""
    from verification.figures.figure6 import initial_sigma_ratio

    cfg = TrainConfig(n=12, seed=4, model=ModelConfig(depth=0), init_dec=0.7, init_enc=1.3)
    p = init_parameters(cfg.model, cfg.n, seed=cfg.seed, init_enc=cfg.init_enc, init_dec=cfg.init_dec)
    w = initial_widths(cfg)
    W0 = p["W0"].numpy().astype(float)
    assert w["sigma_a"] == pytest.approx(float(np.sqrt(np.mean(W0**2))), rel=1e-6)
    E = p["E"].numpy().astype(float)
    a, b = same_class_pairs(indistinguishable_classes(equal_mod(12, 3)))
    assert w["sigma_c"] == pytest.approx(float(np.sqrt(np.mean(((E[a] - E[b]) / 2) ** 2))), rel=1e-6)
    assert initial_sigma_ratio(cfg) == w["sigma_ratio"] == w["sigma_a"] / w["sigma_c"]
    q = initial_quantities(cfg)
    assert (q["sigma_a"], q["sigma_c"]) == (w["sigma_a"], w["sigma_c"])


def test_adam_effective_rate_is_eta_over_rms_gradient():
    """Adam's first step moves each coordinate by eta: eta_x = eta_enc / RMS(dL/dE) (nonzero gradients)."""
    cfg = TrainConfig(n=12, seed=2, eta_enc=1e-3, eta_dec=1e-3)
    q = initial_quantities(cfg)
    assert q["eta_x"] > 100 * cfg.eta_enc  # the embedding gradient is tiny at initialisation


def test_figure6b_end_to_end(tmp_path):
    from verification.figures.figure6b import (
        Figure6bSettings,
        claims,
        cost,
        evaluate,
        figure6b_data,
        plot,
        tables,
        theorem1_table,
        threshold_scan,
    )

    settings = dict(
        ratios=[1.0], optimizers=["sgd", "adam"], inits=["uniform"], seeds=2, steps=40, snapshot_every=20
    )
    data = figure6b_data(Figure6bSettings(**settings), RunContext(device="cpu"))
    assert [len(p["runs"]) for p in data["points"]] == [2, 2]
    assert cost(data) == {"runs": 4, "model_steps": 160, "dense_runs": 4, "dense_model_steps_bound": 160}
    run = data["points"][0]["runs"][0]
    assert run["collision_history"][0] <= 0.2 and 0 <= run["collision_fraction"] <= 1
    assert data["points"][0]["snapshot_steps"] == [0, 20, 40]
    rows = evaluate(data)
    assert [c for c, _ in rows] == [claim.text for claim in claims(settings)]
    assert all(r["verdict"] in ("holds", "fails", "inconclusive") for _, r in rows)
    t = theorem1_table(data)
    assert t["runs"] == 4 and sum(map(sum, t["table"])) == 4
    fractions = run["collision_fraction_by_threshold"]
    assert fractions["0.1"] == run["collision_fraction"]  # the scan's f = 0.1 is the rows' criterion
    values = [fractions[k] for k in ("0.02", "0.05", "0.1", "0.2", "0.3", "0.5")]
    assert values == sorted(values)  # a larger threshold collides at least the same pairs
    scan = threshold_scan(data)
    at = scan["thresholds"].index(0.1)
    for (_, r), cells in zip(rows, scan["rows"].values()):  # the scan at f = 0.1 is each row alone
        assert cells[at][0] == r["verdict"]
        assert cells[at][1] == pytest.approx(r["statistics"]["estimate"])
    assert scan["theorem1"][at] == (t["agree"], t["runs"])
    [(title, header, trows)] = tables(data)
    assert "f = 0.1" in header and len(trows) == len(scan["rows"]) + 1
    png, csv = plot(data, str(tmp_path))
    with open(png, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n" and csv.endswith(".csv")


def test_figure6_initialisation_and_optimizer_options():
    """Figure 6's paper arm: the N(0, 1) decoder and plain gradient descent reach the
    configs, and the measured sigma_a/sigma_c (hence the measured bound) follows the initialisation."""
    from verification.figures import figure6

    kw = dict(ratios=[1.0], seeds=2, steps=20, eta_enc=0.1)
    uniform = figure6.figure6_data(figure6.Figure6Settings(**kw))
    normal = figure6.figure6_data(figure6.Figure6Settings(**kw, init="normal", optimizer="sgd"))
    assert (normal["init"], normal["optimizer"]) == ("normal", "sgd")
    # the N(0, 1) decoder has a far larger input Jacobian than nn.Linear's U(+-1/sqrt(fan_in))
    assert normal["points"][0]["bound_measured"] > 5 * uniform["points"][0]["bound_measured"]
    with pytest.raises(ValueError, match="init"):
        figure6.Figure6Settings(**kw, init="orthogonal")
    with pytest.raises(ValueError, match="optimizer"):
        figure6.Figure6Settings(**kw, optimizer="lbfgs")


def test_figure6b_labels_of_crowded_points_do_not_overlap():
    """Six points stacked at one x (Figure 6b's cluster at prediction 1): each label takes a free
    slot beside its point, so no two label boxes overlap, none covers another point and none
    spills past the axes (the stack sits 0.03 inside the right edge, too close for a label)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from verification.figures.figure6b import _place_labels

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.03, 1.03)
    items = [(1.0, 0.03 + 0.015 * k, f"{r:g}") for k, r in enumerate([0.03, 0.1, 0.3, 1, 3, 10])]
    _place_labels(ax, items, fontsize=7)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # the text's own box: an annotation's window extent would include its leader line
    boxes = [Text.get_window_extent(t, renderer) for t in ax.texts]
    assert len(boxes) == len(items)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    points = ax.transData.transform([(x, y) for x, y, _ in items])
    for box in boxes:
        assert not any(box.contains(px, py) for px, py in points)
    frame = ax.get_window_extent(renderer)
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, (box, frame)
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, (box, frame)
    # the old fixed offset put every label of this stack on top of its neighbours
    plt.close(fig)
