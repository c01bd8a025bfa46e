"""The phase-diagram designs of Figures 5 and 8: the dense grid and the sequential (adaptive) one."""

import csv

import numpy as np
import pytest

from verification.designs.adaptive_columns import ColumnDesign
from verification.figures.figure5 import Figure5Settings
from verification.figures.figure8 import Figure8Settings
from verification.figures.phase_diagram import (
    PhasePlane,
    _column_boundaries,
    _write_csv,
    adaptive_diagram,
    analyze_boundary,
    boundary_runs,
    grid_diagram,
)
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
