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
