"""Figure 4: ``geneft figure 4`` (:func:`figure4`) writes the PNG and the CSV; bad input is rejected."""

import pytest

from verification import cli
from verification.figures.figure4 import figure4


def test_figure4_cli_writes_png(tmp_path, capsys):
    argv = ["figure", "4", "--out", str(tmp_path), "--n", "200", "--eta-x", "2", "--eta-A", "0.5"]
    assert cli.main(argv) == 0
    path = tmp_path / "figure4.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 1000
    out = capsys.readouterr().out
    assert "figure4.png" in out and "figure4.csv" in out and "Eq. 12: P(collision) of the reduced flow" in out


def test_figure4_writes_its_checks_as_csv(tmp_path):
    """``figure4.csv``: one row per Monte Carlo check, with its claim id, as docs/cli.md promises."""
    import csv

    from verification.figures.figure4 import (
        CHECKS,
        CLAIM_IDS,
        CSV_HEADER,
        Figure4Settings,
        figure4_data,
        plot,
    )

    paths = plot(figure4_data(Figure4Settings(n=100)), tmp_path)
    assert paths == [str(tmp_path / "figure4.png"), str(tmp_path / "figure4.csv")]
    with open(tmp_path / "figure4.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == CSV_HEADER and len(rows) == len(CHECKS)
    assert [r["claim_id"] for r in rows] == list(CLAIM_IDS) and rows[0]["runs"] == "100"
    assert all(0 <= float(r["fraction"]) <= 1 and 0 < float(r["theory"]) < 1 for r in rows)


@pytest.mark.parametrize("bad", [["--eta-x", "-1"], ["--eta-A", "0"], ["--n", "many"], ["--eta-x", "1,2"]])
def test_figure4_cli_bad_input(tmp_path, capsys, bad):
    assert cli.main(["figure", "4", "--out", str(tmp_path), *bad]) == 2
    assert "geneft: error:" in capsys.readouterr().err


def test_figure4_function_rejects_bad_rates(tmp_path):
    with pytest.raises(ValueError, match="eta_A"):
        figure4(tmp_path, eta_A=-1.0)
