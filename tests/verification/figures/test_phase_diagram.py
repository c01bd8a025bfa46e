"""The phase-diagram designs of Figures 5 and 8: the dense grid and the sequential (adaptive) one."""

import numpy as np
import pytest

from verification.figures.phase_diagram import (
    adaptive_phase_diagram,
    analyze_boundary,
    boundary_runs,
    column_next_points,
    grid_phase_diagram,
)
from verification.phases import classify_phase

TINY = {"steps": 200, "n": 9, "eval_every": 10}


@pytest.fixture(scope="module")
def adaptive():
    return adaptive_phase_diagram(
        ["mod3"],
        x_axis=("log_eta_enc", "eta_enc", [-3.0, -2.5]),
        y_axis=("log_eta_dec", "eta_dec"),
        y_range=(-4.0, -1.0),
        seeds=2,
        precision=0.5,
        max_rounds=3,
        max_runs=20,
        **TINY,
    )


def test_adaptive_design_respects_its_budget_and_range(adaptive):
    d = adaptive
    assert len(d["phase"]) <= 20 and len(d["phase"]) % 2 == 0
    assert sum(r["runs"] for r in d["rounds"]) == len(d["phase"])
    assert d["model_steps"] == sum(d["steps_run"]) <= len(d["phase"]) * TINY["steps"]
    assert all(-4.0 - 1e-9 <= y <= -1.0 + 1e-9 for y in d["log_eta_dec"])
    assert all(abs(y / 0.125 - round(y / 0.125)) < 1e-9 for y in d["log_eta_dec"])  # on the resolution grid
    assert set(d["columns_done"]) == {"mod3 -3", "mod3 -2.5"}


def test_adaptive_runs_are_the_runs_of_the_same_configs_on_a_grid(adaptive):
    """A point of the adaptive design is trained exactly as the same point of a dense grid (same seeds)."""
    d = adaptive
    x, y = d["log_eta_enc"][0], d["log_eta_dec"][0]
    grid = grid_phase_diagram(
        ["mod3"], axes=[("log_eta_enc", "eta_enc", [x]), ("log_eta_dec", "eta_dec", [y])], seeds=2, **TINY
    )
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
    with pytest.raises(ValueError, match="increasing"):
        adaptive_phase_diagram(
            ["mod3"],
            x_axis=("log_eta_enc", "eta_enc", [-3.0]),
            y_axis=("log_eta_dec", "eta_dec"),
            y_range=(-1.0, -4.0),
            **TINY,
        )


def test_column_split_at_the_range_end_is_searched_inside_the_range():
    """Seeds split at the lower end and memorization at the upper end: the column stays open, the
    next points are the middle of the range and more seeds at the split end (not a point past the
    end, which would close the column after one round)."""
    why, pts = column_next_points(
        [-5, -5, -2, -2],
        [True, False, False, False],
        y_range=(-5, -2),
        precision=0.5,
        resolution=0.125,
        edge_runs=6,
    )
    assert why is None and pts == [-3.5, -5.0]
    # the end has its edge_runs: only the inside point
    why, pts = column_next_points(
        [-5] * 6 + [-2, -2],
        [True, False] * 3 + [False, False],
        y_range=(-5, -2),
        precision=0.5,
        resolution=0.125,
        edge_runs=6,
    )
    assert why is None and -5 < pts[0] < -2 and -5.0 not in pts


def test_column_entirely_on_one_side_is_censored():
    why, pts = column_next_points(
        [-5, -5, -2, -2], [True] * 4, y_range=(-5, -2), precision=0.5, resolution=0.125, edge_runs=6
    )
    assert (why, pts) == ("beyond the range", [])
    why, pts = column_next_points(
        [-5, -5, -2, -2], [False] * 4, y_range=(-5, -2), precision=0.5, resolution=0.125, edge_runs=6
    )
    assert (why, pts) == ("beyond the range", [])


def test_separated_column_is_bisected_and_finishes_precise():
    y = [-5.0, -5.0, -2.0, -2.0]
    g = [True, True, False, False]
    for _ in range(12):
        why, pts = column_next_points(y, g, y_range=(-5, -2), precision=0.5, resolution=0.125)
        if why is not None:
            break
        assert all(-5 <= p <= -2 for p in pts)
        for p in pts:  # a sharp boundary at -3.6
            y += [p, p]
            g += [p < -3.6, p < -3.6]
    assert why == "precise"


def test_adaptive_csv_has_one_row_per_run(adaptive, tmp_path):
    """The CSV of an adaptive design lists every run (its per-round ``rounds`` list must not truncate it)."""
    import csv

    from verification.figures.phase_diagram import _write_csv

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
    from verification.figures.phase_diagram import _column_boundaries

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
    """Experiment seeds 0 and 1 train disjoint model seeds, in both designs: with seeds
    ``seed, seed + 1, ...`` (before session 9) seed 1's first run at a point was seed 0's second,
    so a "second seed" replicate repeated half of the first one's runs.  Seed 0 keeps 0, 1, ..."""
    axes = [("log_eta_enc", "eta_enc", [-3.0]), ("log_eta_dec", "eta_dec", [-2.0])]
    tiny = {"steps": 20, "n": 6, "eval_every": 10}
    grid0 = grid_phase_diagram(["mod3"], axes=axes, seeds=3, seed=0, **tiny)
    grid1 = grid_phase_diagram(["mod3"], axes=axes, seeds=3, seed=1, **tiny)
    assert grid0["seed"] == [0, 1, 2]
    assert grid1["seed"] == [1_000_000, 1_000_001, 1_000_002]
    assert grid0["test_acc"] != grid1["test_acc"]

    def adaptive(seed):
        return adaptive_phase_diagram(
            ["mod3"],
            x_axis=("log_eta_enc", "eta_enc", [-3.0]),
            y_axis=("log_eta_dec", "eta_dec"),
            y_range=(-4.0, -1.0),
            seeds=2,
            max_rounds=3,
            max_runs=12,
            seed=seed,
            **tiny,
        )

    runs0, runs1 = adaptive(0), adaptive(1)
    keys0 = {(y, s) for y, s in zip(runs0["log_eta_dec"], runs0["seed"])}
    keys1 = {(y, s) for y, s in zip(runs1["log_eta_dec"], runs1["seed"])}
    assert len(keys0) == len(runs0["seed"]) and len(keys1) == len(runs1["seed"])  # no run twice
    assert not {s for _, s in keys0} & {s for _, s in keys1}
    assert min(runs0["seed"]) == 0 and max(runs0["seed"]) < 1_000_000 <= min(runs1["seed"])
