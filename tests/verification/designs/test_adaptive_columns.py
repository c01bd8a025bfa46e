"""The generic designs of verification.designs: the dense grid and the adaptive columns."""

from types import SimpleNamespace

import numpy as np
import pytest

from verification.designs.adaptive_columns import ColumnDesign, adaptive_columns, column_next_points
from verification.designs.grid import grid_points, train_grid
from verification.runs import train_runs
from verification.train_config import Schedule, TrainConfig

TINY = Schedule(steps=20, eval_every=10)


def configs_at(point):
    """Two seeds of a 6-element mod 3 run at ``(log10 eta_enc, log10 eta_dec)``."""
    x, y = point
    return [TrainConfig(n=6, eta_enc=10.0**x, eta_dec=10.0**y, seed=s) for s in (0, 1)]


def test_grid_gives_each_point_its_runs_as_one_batch_would():
    points = grid_points([-3.0, -2.0], [-2.0, -1.0])
    per_point = train_grid(points, configs_at, TINY)
    flat = train_runs([c for p in points for c in configs_at(p)], TINY)
    assert [len(r) for r in per_point] == [2] * 4
    assert [r.configs for r in per_point] == [configs_at(p) for p in points]
    assert np.array_equal(np.concatenate([r.test_acc for r in per_point]), flat.test_acc)
    assert sum((r.phases for r in per_point), []) == flat.phases


def test_column_design_checks_its_fields():
    with pytest.raises(ValueError, match="y_range must be increasing"):
        ColumnDesign(y_range=(-2.0, -2.0))
    with pytest.raises(ValueError, match="seeds"):
        ColumnDesign(y_range=(-4.0, -1.0), seeds=0)
    with pytest.raises(ValueError, match="precision"):
        ColumnDesign(y_range=(-4.0, -1.0), precision=0)
    with pytest.raises(TypeError, match="max_runs"):
        ColumnDesign(y_range=(-4.0, -1.0), max_runs=2.5)
    rows = ColumnDesign(y_range=(-4.0, -1.0), initial_points=4).initial_rows()
    assert rows == [-4.0, -3.0, -2.0, -1.0]


def test_adaptive_columns_never_pass_max_runs_and_number_replicates():
    """A round that would pass ``max_runs`` trains only the rows that fit; a row chosen again gets
    the next replicates (new seeds), never the same runs twice."""
    asked = []

    def at(column, y, replicates):
        asked.append((column, y, replicates))
        return [TrainConfig(n=6, eta_enc=10.0**column, eta_dec=10.0**y, seed=s) for s in replicates]

    design = ColumnDesign(y_range=(-4.0, -1.0), seeds=2, initial_points=3, max_rounds=3, max_runs=10)
    out = adaptive_columns([-3.0, -2.0], at, design, TINY)
    assert out.runs == sum(r["runs"] for r in out.rounds) == 10
    # the first round's 6 rows need 12 runs: the first 5 in column order fit, and nothing is left
    assert out.points == [(-3.0, -4.0), (-3.0, -2.5), (-3.0, -1.0), (-2.0, -4.0), (-2.0, -2.5)]
    assert len(out.rounds) == 1 and out.rounds[0]["open_columns"] == 2
    assert [len(r) for r in out.results] == [2] * len(out.points)
    seen = {}
    for column, y, replicates in asked:
        assert replicates.start == seen.get((column, y), 0) and len(replicates) == 2
        seen[(column, y)] = replicates.stop
    assert set(out.finished) == {-3.0, -2.0}


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


def test_a_column_bounded_by_an_unstable_row_is_bisected_towards_it():
    """Every run generalizes up to the range's top row, where every run diverged (confusion, left
    out of the fit): the next row halves the gap to it, not a step outward from the sampled rows,
    until the gap is narrower than the precision."""
    y, g, unstable = [-5.0, -5.0], [True, True], [0.0]
    seen = []
    for _ in range(12):
        why, pts = column_next_points(
            y, g, y_range=(-5, 0), precision=0.5, resolution=0.125, unstable=unstable
        )
        if why is not None:
            break
        seen += pts
        for p in pts:  # stable and generalizing below -0.3, diverging above
            if p > -0.3:
                unstable.append(p)
            else:
                y += [p, p]
                g += [True, True]
    assert seen[:3] == [-2.5, -1.25, -0.625]
    assert why == "at the stability limit" and 0 < min(unstable) - max(y) < 0.5


def test_a_boundary_found_below_an_unstable_row_is_bisected_as_usual():
    """Once a row memorizes, the unstable row above no longer bounds the search: bisection."""
    why, pts = column_next_points(
        [-5.0, -5.0, -2.5, -2.5],
        [True, True, False, False],
        y_range=(-5, 0),
        precision=0.5,
        resolution=0.125,
        unstable=[0.0],
    )
    assert why is None and len(pts) == 1 and -5 < pts[0] < -2.5
    # and below the sampled rows, a row where nothing trains ends the range on that side
    why, pts = column_next_points(
        [-3.0, -3.0], [False, False], y_range=(-5, 0), precision=0.5, resolution=0.125, unstable=[-5.0]
    )
    assert (why, pts) == (None, [-4.0])


def test_unstable_rows_between_sampled_rows_change_nothing():
    args = dict(y_range=(-5, -2), precision=0.5, resolution=0.125, edge_runs=6)
    y, g = [-5, -5, -2, -2], [True, True, False, False]
    assert column_next_points(y, g, unstable=[-3.5], **args) == column_next_points(y, g, **args)
    y, g = [-5, -5, -2, -2], [True] * 4
    assert column_next_points(y, g, unstable=[-3.0], **args) == ("beyond the range", [])


class _Result(SimpleNamespace):
    """The phases and steps of one point's runs, as train_grid returns them."""

    def __len__(self):
        return len(self.phases)


def test_the_design_bisects_towards_a_diverging_top_row(monkeypatch):
    """adaptive_columns passes each column's all-confusion rows to the rule above."""
    import verification.designs.adaptive_columns as ac

    def fake_grid(batch, configs_at, schedule, run, desc=""):
        return [
            _Result(
                phases=["confusion"] * len(reps) if y > -0.3 else ["generalization"] * len(reps),
                steps_run=np.zeros(len(reps), dtype=int),
            )
            for _, y, reps in batch
        ]

    monkeypatch.setattr(ac, "train_grid", fake_grid)
    design = ColumnDesign(
        y_range=(-5.0, 0.0), seeds=2, initial_points=2, precision=0.5, resolution=0.125, max_rounds=6
    )
    out = adaptive_columns(["c"], lambda column, y, reps: [], design)
    assert [y for _, y in out.points] == [-5.0, 0.0, -2.5, -1.25, -0.625, -0.25]
    assert out.finished == {"c": "at the stability limit"}
