"""Smoke tests of the Figure 3, 6 and 7 front-ends: tiny runs write PNG + CSV, bad input is rejected.

No physics is asserted here (the budgets are far too small); the predictions are tested in
test_inductive_gap.py, test_generalization_probability.py and test_goldilocks.py.
"""

import csv

import pytest

from verification.cli import main
from verification.figures.figure3 import Figure3Settings, accuracy_curves, crossing_fraction
from verification.figures.figure6 import generalization_counts
from verification.figures.figure7 import goldilocks_data


def _rows(path):
    with open(path) as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize(
    ("number", "extra", "csv_rows"),
    [
        (
            "3",
            ["--relations", "mod3", "--fractions", "0.2", "0.5", "--seeds", "2", "--steps", "20", "--n", "9"],
            4,
        ),
        ("6", ["--ratios", "1", "10", "--seeds", "2", "--steps", "20"], 2),
        ("7", ["--depths", "0", "1", "--seeds", "2", "--steps", "20"], 2),
        ("7", ["--depths", "0", "1", "--seeds", "3", "--steps", "20", "--chunk-size", "2"], 2),
        ("6", ["--ratios", "1", "10", "--seeds", "2", "--steps", "20", "--chunk-size", "3"], 2),
    ],
)
def test_cli_writes_png_and_csv(tmp_path, capsys, number, extra, csv_rows):
    assert main(["figure", number, "--out", str(tmp_path), *extra]) == 0
    assert (tmp_path / f"figure{number}.png").stat().st_size > 1000
    rows = _rows(tmp_path / f"figure{number}.csv")
    assert len(rows) == 1 + csv_rows
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["figure", "7", "--depths", "-1"],
        ["figure", "3", "--fractions", "0"],
        ["figure", "6", "--ratios", "-1"],
        ["figure", "6", "--steps", "0"],
        ["figure", "3", "--chunk-size", "0"],
    ],
)
def test_cli_rejects_bad_input(argv, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("geneft: error:")


def test_data_functions_validate_before_training():
    with pytest.raises(ValueError, match="strictly increasing"):
        accuracy_curves("mod3", settings=Figure3Settings(fractions=[0.5, 0.2], seeds=1, steps=1))
    with pytest.raises(ValueError, match="mode"):
        accuracy_curves("mod3", [{"mode": "sum"}], Figure3Settings(fractions=[0.5], seeds=1, steps=1))
    with pytest.raises(ValueError, match="eta_dec"):
        generalization_counts([(1e-3, -1.0, 1.0)], seeds=1, steps=1)
    with pytest.raises(ValueError, match="distinct"):
        goldilocks_data(depths=[1, 1], seeds=1, steps=1)


def test_figure3_settings_check_each_field_before_training():
    with pytest.raises(ValueError, match="relations"):
        Figure3Settings(relations=[])
    with pytest.raises(ValueError, match="alpha"):
        Figure3Settings(alpha=1.0)
    with pytest.raises(ValueError, match="design"):
        Figure3Settings(design="adaptive")
    with pytest.raises(ValueError, match="seed cap"):
        Figure3Settings(design="sequential", sequential={"schedule": [2, 4], "precision": 0.1, "rows": 1})
    with pytest.raises(TypeError, match="sequential"):
        Figure3Settings(design="sequential", seeds=4, sequential={"schedule": [2, 4]})
    with pytest.raises(ValueError, match="two seeds"):
        Figure3Settings(
            design="sequential", seeds=4, sequential={"schedule": [1, 4], "precision": 0.1, "rows": 1}
        )
    assert Figure3Settings(sequential={"anything": 1}).sequential == {"anything": 1}  # dense: not used


def test_same_seed_same_numbers():
    kw = {"depths": [1], "seeds": 2, "steps": 30, "n": 9, "width": 4, "seed": 3}
    assert goldilocks_data(**kw) == goldilocks_data(**kw)


def test_crossing_fraction_interpolates_and_validates():
    assert crossing_fraction([0.1, 0.3], [0.8, 1.0], 0.9) == pytest.approx(0.2)
    assert crossing_fraction([0.1, 0.3], [0.95, 1.0], 0.9) == 0.1
    with pytest.raises(ValueError):
        crossing_fraction([0.3, 0.1], [0.5, 0.6], 0.9)
