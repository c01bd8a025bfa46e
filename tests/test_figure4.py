"""Figure 4: the PNG is written by the function and by ``geneft figure 4``; bad input is rejected."""

import pytest

from effective_theory import cli
from effective_theory.figure4 import figure4


def test_figure4_function(tmp_path):
    path = figure4(tmp_path, eta_x=2.0, eta_A=0.5, dpi=50)
    assert path.name == "figure4.png" and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_figure4_cli(tmp_path, capsys):
    assert cli.main(["figure", "4", "--out", str(tmp_path), "--dpi", "40"]) == 0
    assert (tmp_path / "figure4.png").stat().st_size > 1000
    assert "figure4.png" in capsys.readouterr().out


@pytest.mark.parametrize("bad", [["--eta-x", "-1"], ["--eta-A", "0"], ["--extent", "-2"]])
def test_figure4_cli_bad_input(tmp_path, capsys, bad):
    assert cli.main(["figure", "4", "--out", str(tmp_path), *bad]) == 2
    assert "geneft: error:" in capsys.readouterr().err
