"""Figure 3 front-end: ``geneft figure 3`` writes PNG + CSV, bad input is rejected, the crossing.

No physics is asserted here (the budgets are far too small): the predictions are checked in
``verification/tests/`` (``test_inductive_gap.py``, ``test_predictions.py``); the seeds-in-rounds
design of :func:`~verification.figures.figure3.figure3_data` is tested in ``test_seed_rounds.py``.
"""

import csv

import pytest

from verification.cli import main
from verification.figures.figure3 import Figure3Settings, accuracy_curves, crossing_fraction


def _rows(path):
    with open(path) as fh:
        return list(csv.reader(fh))


@pytest.mark.parametrize(
    ("extra", "csv_rows"),
    [(["--relations", "mod3", "--fractions", "0.2", "0.5", "--seeds", "2", "--steps", "20", "--n", "9"], 4)],
)
def test_cli_writes_png_and_csv(tmp_path, capsys, extra, csv_rows):
    assert main(["figure", "3", "--out", str(tmp_path), *extra]) == 0
    assert (tmp_path / "figure3.png").stat().st_size > 1000
    assert len(_rows(tmp_path / "figure3.csv")) == 1 + csv_rows
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--fractions", "0"], ["--chunk-size", "0"]])
def test_cli_rejects_bad_input(argv, capsys):
    assert main(["figure", "3", *argv]) == 2
    assert capsys.readouterr().err.startswith("geneft: error:")


def test_fractions_above_the_low_range_are_refused_before_training(tmp_path, capsys, monkeypatch):
    """``geneft figure 3 --fractions 0.3 0.5``: the advantage row needs a fraction <= 0.2; one line,
    exit 2, and nothing trained or written."""
    import verification.figures.figure3 as figure3

    def no_training(*args, **kwargs):
        raise AssertionError("trained before the settings were checked")

    monkeypatch.setattr(figure3, "_dense_curves", no_training)
    assert main(["figure", "3", "--out", str(tmp_path), "--fractions", "0.3", "0.5"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("geneft: error: fractions must include one <= 0.2") and err.count("\n") == 1
    assert not (tmp_path / "figure3.csv").exists()


def test_accuracy_curves_validate_before_training():
    with pytest.raises(ValueError, match="strictly increasing"):
        accuracy_curves("mod3", settings=Figure3Settings(fractions=[0.5, 0.2], seeds=1, steps=1))
    with pytest.raises(ValueError, match="mode"):
        accuracy_curves("mod3", [{"mode": "sum"}], Figure3Settings(fractions=[0.5], seeds=1, steps=1))


def test_crossing_fraction_interpolates_and_validates():
    assert crossing_fraction([0.1, 0.3], [0.8, 1.0], 0.9) == pytest.approx(0.2)
    assert crossing_fraction([0.1, 0.3], [0.95, 1.0], 0.9) == 0.1
    with pytest.raises(ValueError):
        crossing_fraction([0.3, 0.1], [0.5, 0.6], 0.9)


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


def test_bound_parts_compare_with_the_bound_asked_for():
    """``bound="eq5"`` compares every run with Eq. (5)'s f_UB at its fraction, ``"exact"`` with the
    exact bound of its own training set."""
    from verification.figures.figure3 import bound_parts

    panel = {
        "n": 10,
        "fractions": [0.1, 0.5],
        "f_ub": [0.5, 0.9],
        "exact_f_ub": [[0.6, 0.6, 0.6], [1.0, 1.0, 1.0]],
        "variants": [{"label": "v", "full_acc": [[0.55, 0.56, 0.57], [0.95, 0.96, 0.97]]}],
    }
    exact = bound_parts(panel)
    eq5 = bound_parts(panel, bound="eq5")
    assert [round(p.estimate, 6) for p in exact] == [-0.04, -0.04]
    assert [round(p.estimate, 6) for p in eq5] == [0.06, 0.06]
    assert all(p.verdict == "holds" for p in exact) and all(p.verdict == "fails" for p in eq5)
    with pytest.raises(ValueError, match="bound must be"):
        bound_parts(panel, bound="paper")
