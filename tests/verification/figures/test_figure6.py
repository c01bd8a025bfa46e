"""Figure 6 front-end: ``geneft figure 6`` writes PNG + CSV, bad input is rejected before training.

No physics is asserted here (the budgets are far too small): the prediction is checked in
``verification/tests/`` (``test_generalization_probability.py``, ``test_predictions.py``); the
seeds-in-rounds design of :func:`~verification.figures.figure6.figure6_data` is tested in
``test_seed_rounds.py``.
"""

import csv

import pytest

from verification.cli import main
from verification.figures.figure6 import Figure6Settings, generalization_counts


def _rows(path):
    with open(path) as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize(
    ("extra", "csv_rows"),
    [
        (["--ratios", "1", "10", "--seeds", "2", "--steps", "20"], 2),
        (["--ratios", "1", "10", "--seeds", "2", "--steps", "20", "--chunk-size", "3"], 2),
    ],
)
def test_cli_writes_png_and_csv(tmp_path, capsys, extra, csv_rows):
    assert main(["figure", "6", "--out", str(tmp_path), *extra]) == 0
    assert (tmp_path / "figure6.png").stat().st_size > 1000
    assert len(_rows(tmp_path / "figure6.csv")) == 1 + csv_rows
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--ratios", "-1"], ["--steps", "0"]])
def test_cli_rejects_bad_input(argv, capsys):
    assert main(["figure", "6", *argv]) == 2
    assert capsys.readouterr().err.startswith("geneft: error:")


def test_generalization_counts_validate_before_training():
    with pytest.raises(ValueError, match="eta_dec"):
        generalization_counts([(1e-3, -1.0, 1.0)], Figure6Settings(seeds=1, steps=1))
