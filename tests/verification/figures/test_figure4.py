"""Figure 4: ``geneft figure 4`` (which calls :func:`figure4`) writes the PNG; bad input is rejected."""

import pytest

from verification import cli
from verification.figures.figure4 import figure4


def test_figure4_cli_writes_png(tmp_path, capsys):
    argv = ["figure", "4", "--out", str(tmp_path), "--n", "200", "--eta-x", "2", "--eta-A", "0.5"]
    assert cli.main(argv) == 0
    path = tmp_path / "figure4.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 1000
    out = capsys.readouterr().out
    assert "figure4.png" in out and "Eq. 12: P(collision) of the reduced flow" in out


@pytest.mark.parametrize("bad", [["--eta-x", "-1"], ["--eta-A", "0"], ["--n", "many"], ["--eta-x", "1,2"]])
def test_figure4_cli_bad_input(tmp_path, capsys, bad):
    assert cli.main(["figure", "4", "--out", str(tmp_path), *bad]) == 2
    assert "geneft: error:" in capsys.readouterr().err


def test_figure4_function_rejects_bad_rates(tmp_path):
    with pytest.raises(ValueError, match="eta_A"):
        figure4(tmp_path, eta_A=-1.0)
