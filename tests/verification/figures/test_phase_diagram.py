"""The phase-diagram designs of Figures 5 and 8: the dense grid and the sequential (adaptive) one."""

import csv
from pathlib import Path

import numpy as np
import pytest

from verification.designs.adaptive_columns import ColumnDesign
from verification.figures import figure5
from verification.figures.figure5 import Figure5Settings
from verification.figures.figure8 import Figure8Settings
from verification.figures.phase_diagram import (
    PhasePlane,
    _column_boundaries,
    _write_csv,
    adaptive_diagram,
    analyze_boundary,
    boundary_runs,
    data_from_csv,
    grid_diagram,
)
from verification.figures.registry import FIGURES
from verification.phases import classify_phase
from verification.train_config import Schedule

TINY = Schedule(steps=200, eval_every=10)
N = 9


def plane(xs, ys, **kw):
    """A Figure 5 plane of mod 3 (columns ``log_eta_enc``) on ``N`` elements."""
    return PhasePlane(["mod3"], "log_eta_enc", "eta_enc", xs, ys, n=kw.pop("n", N), **kw)


@pytest.fixture(scope="module")
def adaptive():
    design = ColumnDesign(y_range=(-4.0, -1.0), seeds=2, precision=0.5, max_rounds=3, max_runs=20)
    return adaptive_diagram(plane([-3.0, -2.5], [-4.0, -1.0], seeds=2), design, TINY)


def test_adaptive_design_respects_its_budget_and_range(adaptive):
    d = adaptive
    assert len(d["phase"]) <= 20 and len(d["phase"]) % 2 == 0
    assert sum(r["runs"] for r in d["rounds"]) == len(d["phase"])
    assert d["model_steps"] == sum(d["steps_run"]) <= len(d["phase"]) * TINY.steps
    assert all(-4.0 - 1e-9 <= y <= -1.0 + 1e-9 for y in d["log_eta_dec"])
    assert all(abs(y / 0.125 - round(y / 0.125)) < 1e-9 for y in d["log_eta_dec"])  # on the resolution grid
    assert set(d["columns_done"]) == {"mod3 -3", "mod3 -2.5"}


def test_adaptive_runs_are_the_runs_of_the_same_configs_on_a_grid(adaptive):
    """A point of the adaptive design is trained exactly as the same point of a dense grid (same seeds)."""
    d = adaptive
    x, y = d["log_eta_enc"][0], d["log_eta_dec"][0]
    grid = grid_diagram(plane([x], [y], seeds=2), TINY)
    first = [k for k in range(len(d["phase"])) if d["log_eta_enc"][k] == x and d["log_eta_dec"][k] == y][:2]
    assert [d["test_acc"][k] for k in first] == grid["test_acc"]
    assert [d["phase"][k] for k in first] == grid["phase"]


def test_boundary_summary_of_an_adaptive_design(adaptive):
    b = analyze_boundary(adaptive, "mod3")
    xs, _, _ = boundary_runs(adaptive, "mod3", x_key="log_eta_enc")
    assert sum(c["runs"] for c in b["columns"]) == xs.size
    assert np.isfinite(b["log_ratio"]) or b["columns"]


def test_quarter_budget_phases_never_generalize_more():
    """At a quarter of the budget a run has reached at most what it reached at the full budget."""
    for s_train in (-1, 10, 300, 2000):
        for s_test in (-1, 10, 700, 3000):
            full = classify_phase(s_train, s_test, budget=4000, gap=1000)
            quarter = classify_phase(s_train, s_test, budget=1000, gap=1000)
            if quarter in ("generalization", "grokking"):
                assert full in ("generalization", "grokking")


def test_bad_design_arguments():
    with pytest.raises(ValueError, match="y_range must be increasing"):
        ColumnDesign(y_range=(-1.0, -4.0))
    with pytest.raises(ValueError, match="design"):
        Figure5Settings(design="dense")
    with pytest.raises(ValueError, match="seeds"):
        Figure8Settings(seeds=0)
    with pytest.raises(TypeError, match="adaptive"):
        Figure5Settings(adaptive={"max_round": 3})
    with pytest.raises(ValueError, match="log_eta_dec must span a range"):  # no range to search
        Figure5Settings(log_eta_dec=[-2.0], design="adaptive")
    with pytest.raises(ValueError, match="adaptive: precision"):
        Figure8Settings(adaptive={"precision": 0.0}, design="adaptive")
    with pytest.raises(ValueError, match="log_eta_enc"):
        Figure5Settings(log_eta_enc=[])
    with pytest.raises(ValueError, match="optimizer must be one of"):
        Figure5Settings(optimizer="rmsprop")
    with pytest.raises(ValueError, match="ratio_at must lie within log_eta_enc's range"):
        Figure5Settings(ratio_at=0.0)  # the quick columns are 1e-4 .. 10^-2.5
    with pytest.raises(TypeError, match="ratio_at must be a number"):
        Figure5Settings(ratio_at="-3")


def test_settings_store_tuples():
    s = Figure8Settings(relations=["mod3", "greater"], log_wd_dec=[-1, 0], log_eta_enc=-5)
    assert s.relations == ("mod3", "greater") and s.log_wd_dec == (-1.0, 0.0) and s.log_eta_enc == -5.0
    assert Figure5Settings(adaptive={"max_rounds": 2}, design="adaptive").adaptive == {"max_rounds": 2}


def test_adaptive_csv_has_one_row_per_run(adaptive, tmp_path):
    """The CSV of an adaptive design lists every run (its per-round ``rounds`` list must not truncate it)."""
    path = tmp_path / "d.csv"
    _write_csv(adaptive, path)
    with open(path) as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(adaptive["phase"]) > len(adaptive["rounds"])
    assert "rounds" not in rows[0]


def test_per_column_boundaries_of_the_plot_see_a_threshold():
    """The plot's per-column boundaries are fitted to each column alone: on a synthetic threshold
    diagram (boundary at -3 for x <= -1, every run generalizing at x = 0) they sit at -3 within the
    grid step, and the censored column's interval is one-sided."""
    xs, ys = np.meshgrid([-3.0, -2.0, -1.0, 0.0], np.arange(-5.0, -0.99, 0.25))
    x, y = np.repeat(xs.ravel(), 2), np.repeat(ys.ravel(), 2)
    gen = (y < -3.0) | (x == 0.0)
    diagram = {
        "relation": ["r"] * x.size,
        "log_wd_dec": x.tolist(),
        "log_eta_dec": y.tolist(),
        "phase": ["generalization" if g else "memorization" for g in gen],
    }
    cols = _column_boundaries(diagram, "r", x_key="log_wd_dec", y_key="log_eta_dec", level=0.9)
    assert [c[0] for c in cols] == [-3.0, -2.0, -1.0, 0.0]
    for _, lo, hi, y0 in cols[:3]:
        assert lo <= y0 <= hi and abs(y0 + 3.0) <= 0.25 and hi - lo <= 0.5
    _, lo, hi, _ = cols[3]
    assert hi == np.inf and lo >= -1.5  # all generalize: the boundary is above the sampled range


def test_experiment_seeds_share_no_run():
    """Experiment seeds 0 and 1 train disjoint model seeds, in both designs: seed ``s`` owns the
    model seeds ``s * 10**6 ..``, so a "second seed" replicate shares no run with the first one.
    Seed 0 keeps 0, 1, ..."""
    tiny = Schedule(steps=20, eval_every=10)
    grid0 = grid_diagram(plane([-3.0], [-2.0], seeds=3, seed=0, n=6), tiny)
    grid1 = grid_diagram(plane([-3.0], [-2.0], seeds=3, seed=1, n=6), tiny)
    assert grid0["seed"] == [0, 1, 2]
    assert grid1["seed"] == [1_000_000, 1_000_001, 1_000_002]
    assert grid0["test_acc"] != grid1["test_acc"]

    def adaptive(seed):
        design = ColumnDesign(y_range=(-4.0, -1.0), seeds=2, max_rounds=3, max_runs=12)
        return adaptive_diagram(plane([-3.0], [-4.0, -1.0], seeds=2, seed=seed, n=6), design, tiny)

    runs0, runs1 = adaptive(0), adaptive(1)
    keys0 = {(y, s) for y, s in zip(runs0["log_eta_dec"], runs0["seed"])}
    keys1 = {(y, s) for y, s in zip(runs1["log_eta_dec"], runs1["seed"])}
    assert len(keys0) == len(runs0["seed"]) and len(keys1) == len(runs1["seed"])  # no run twice
    assert not {s for _, s in keys0} & {s for _, s in keys1}
    assert min(runs0["seed"]) == 0 and max(runs0["seed"]) < 1_000_000 <= min(runs1["seed"])


def _curved_diagram(steps=4000):
    """A Figure 5 diagram of two relations whose boundary bends (local slope 0.5 to 1.5), one run a
    point, the runs' first-reached steps consistent with their phases (some generalize late)."""
    xs, ys = np.meshgrid([-4.0, -3.5, -3.0, -2.5], np.arange(-4.5, -0.99, 0.25))
    x, y = xs.ravel(), ys.ravel()
    d = {
        k: []
        for k in (
            "relation",
            "log_eta_enc",
            "log_eta_dec",
            "seed",
            "phase",
            "steps_to_train",
            "steps_to_test",
            "train_acc",
            "test_acc",
            "steps_run",
        )
    }
    for rel, shift in (("mod3", 0.0), ("greater", 0.3)):
        y0 = -1.5 + shift + (x + 3.25) + 0.67 * (x + 3.25) ** 2
        for k, (xv, yv) in enumerate(zip(x, y)):
            gen = yv < y0[k]
            s_test = (200 if k % 3 else 1800) if gen else -1
            d["relation"].append(rel)
            d["log_eta_enc"].append(float(xv))
            d["log_eta_dec"].append(float(yv))
            d["seed"].append(0)
            d["phase"].append(classify_phase(100, s_test, budget=steps, gap=1000))
            d["steps_to_train"].append(100)
            d["steps_to_test"].append(s_test)
            d["train_acc"].append(1.0)
            d["test_acc"].append(0.95 if gen else 0.6)
            d["steps_run"].append(s_test if gen else steps)
    d.update(steps=steps, gap=1000, model_steps=sum(d["steps_run"]))
    settings = {**Figure5Settings().__dict__, "relations": ["mod3", "greater"], "steps": steps}
    settings["log_eta_enc"], settings["log_eta_dec"] = [-4.0, -3.5, -3.0, -2.5], list(np.unique(y))
    return d, settings


def test_data_from_csv_gives_the_checks_of_the_data(tmp_path):
    """The runs' CSV (as the plot writes it) rebuilds what the checks read: the same rows."""
    diagram, settings = _curved_diagram()
    path = tmp_path / "figure5.csv"
    _write_csv(diagram, path)
    data = data_from_csv(path, settings)
    assert data["diagram"] == diagram and "adaptive" not in data["params"]
    full = {"params": {k: v for k, v in settings.items() if k != "adaptive"}, "diagram": diagram}
    assert figure5.evaluate(data) == figure5.evaluate(full)


def test_committed_full_tier_runs_are_complete():
    """docs/img's full-tier CSVs hold every run of Figures 5 and 8 (the counts the findings state)."""

    for key, path, runs, model_steps in (
        ("fig5", "docs/img/figure5-full.csv", 258, 14_878_050),
        ("fig8", "docs/img/figure8-full.csv", 130, 9_152_700),
    ):
        d = data_from_csv(path, FIGURES[key].settings("full"))["diagram"]
        assert len(d["phase"]) == runs and d["model_steps"] == model_steps and d["steps"] == 100_000


def test_figure5_rows_read_the_curved_boundary_where_declared():
    """Slope 1 is tested at a quarter of the encoder range, r* at eta_enc = 1e-3, on the curve."""
    diagram, settings = _curved_diagram()
    rows = dict(figure5.evaluate({"params": settings, "diagram": diagram}))
    slope = rows[figure5.SLOPE_CLAIM.format(rel="mod3")]
    assert "at log10 eta_enc = -3.625" in slope["theory"]
    assert "local slope along log10 eta_enc" in slope["measured"] and "curvature" in slope["measured"]
    est = slope["statistics"]["estimate"]  # the true local slope there is 1 + 2 0.67 (-0.375) = 0.5
    assert abs(est - 0.5) < 0.5
    ratio = rows[figure5.RATIO_CLAIM.format(rel="mod3")]
    assert "eta_enc = 10^-3" in ratio["theory"]
    truth = -1.5 + 0.25 + 0.67 * 0.25**2 + 3.0  # y0(-3) + 3
    assert abs(ratio["statistics"]["estimate"] - truth) < 0.3
    assert figure5.SAME_CLAIM in rows
    moved = dict(figure5.evaluate({"params": {**settings, "ratio_at": -3.5}, "diagram": diagram}))
    ratio = moved[figure5.RATIO_CLAIM.format(rel="mod3")]
    assert "eta_enc = 10^-3.5" in ratio["theory"]
    truth = -1.5 - 0.25 + 0.67 * 0.25**2 + 3.5  # y0(-3.5) + 3.5 of the same curve
    assert abs(ratio["statistics"]["estimate"] - truth) < 0.3


def test_gradient_descent_arm_trains_with_plain_gradient_descent():
    """Figure 5's gradient-descent arm runs every point with optimizer "sgd", Adam's arm with "adam"
    (the default TrainConfig, so its runs keep their cache keys)."""
    from verification.figures.phase_diagram import PhasePlane
    from verification.train_config import TrainConfig

    gd = FIGURES["fig5-gd"].settings("quick")
    assert gd["optimizer"] == "sgd" and gd["log_eta_enc"][0] <= gd["ratio_at"] <= gd["log_eta_enc"][-1]
    assert FIGURES["fig5"].settings("quick")["optimizer"] == "adam"
    plane = PhasePlane(["mod3"], "log_eta_enc", "eta_enc", [-3.0], [-2.0], fixed={"optimizer": "adam"})
    [cfg] = plane.configs("mod3", -3.0, -2.0)
    assert cfg == TrainConfig(relation="mod3", n=30, seed=cfg.seed, eta_enc=1e-3, eta_dec=1e-2)


def test_plot_draws_the_curved_fit(tmp_path):
    """The plot draws the curve from the data's summary, or fits it when cached data lack one."""
    diagram, settings = _curved_diagram()
    boundary = {r: analyze_boundary(diagram, r) for r in ("mod3", "greater")}
    curve = boundary["mod3"]["curve"]
    assert len(curve["band"]) == 13 and [s[0] for s in curve["local_slopes"]] == [-4.0, -3.25, -2.5]
    data = {"params": settings, "diagram": diagram, "boundary": boundary}
    png, _ = figure5.plot(data, tmp_path / "new")
    old = {r: {k: v for k, v in b.items() if k != "curve"} for r, b in boundary.items()}
    png_old, _ = figure5.plot({**data, "boundary": old}, tmp_path / "old")
    assert Path(png).read_bytes() == Path(png_old).read_bytes()
