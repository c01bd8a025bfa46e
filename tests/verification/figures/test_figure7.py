"""Figure 7 front-end: ``geneft figure 7`` writes PNG + CSV, bad input is rejected, same seed same data.

No physics is asserted here (the budgets are far too small): the prediction is checked in
``verification/tests/`` (``test_goldilocks.py``, ``test_predictions.py``).
"""

import csv

import pytest

from verification.cli import main
from verification.figures.figure7 import Figure7Settings, goldilocks_data


def _rows(path):
    with open(path) as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize(
    ("extra", "csv_rows"),
    [
        (["--depths", "0", "1", "--seeds", "2", "--steps", "20"], 2),
        (["--depths", "0", "1", "--seeds", "3", "--steps", "20", "--chunk-size", "2"], 2),
    ],
)
def test_cli_writes_png_and_csv(tmp_path, capsys, extra, csv_rows):
    assert main(["figure", "7", "--out", str(tmp_path), *extra]) == 0
    assert (tmp_path / "figure7.png").stat().st_size > 1000
    assert len(_rows(tmp_path / "figure7.csv")) == 1 + csv_rows
    assert "wrote" in capsys.readouterr().out


def test_cli_rejects_bad_input(capsys):
    assert main(["figure", "7", "--depths", "-1"]) == 2
    assert capsys.readouterr().err.startswith("geneft: error:")


def test_goldilocks_data_validates_before_training():
    with pytest.raises(ValueError, match="distinct"):
        goldilocks_data(Figure7Settings(depths=[1, 1], seeds=1, steps=1))


def test_same_seed_same_numbers():
    settings = Figure7Settings(depths=[1], seeds=2, steps=30, seed=3)
    assert goldilocks_data(settings) == goldilocks_data(settings)


def test_row_names_the_best_depth_by_mean_and_the_deciding_depth():
    """The row's best depth is the intermediate depth with the highest mean; the depth with the smallest p,
    which decides the test, is named apart (here depth 1: lower mean, far less spread)."""
    import numpy as np

    from verification.figures.figure7 import best_interior_depth, evaluate, goldilocks_verdict

    ends = [0.50, 0.52, 0.48, 0.51, 0.49, 0.50]
    steady = [0.80, 0.81, 0.79, 0.80, 0.81, 0.79]  # depth 1
    spread = [0.99, 0.60, 0.98, 0.70, 0.97, 0.86]  # depth 2: mean 0.85
    test = [ends, steady, spread, ends]
    data = {"depths": [0, 1, 2, 8], "test_acc": test, "test_mean": [float(np.mean(t)) for t in test]}
    assert best_interior_depth(data) == (2, pytest.approx(0.85))
    deciding, verdict = goldilocks_verdict(data)
    assert deciding == 1 and verdict.verdict == "holds"
    ((_, row),) = evaluate(data)
    assert row["measured"].startswith(
        "best depth 2 (highest mean test accuracy among the intermediate depths, 0.850); "
        "deciding depth 1 (smallest p) vs depths 0 and 8: smaller difference "
    )
