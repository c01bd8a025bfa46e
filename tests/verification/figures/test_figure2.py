"""Figure 2 data, plot and CLI front-end on a small configuration."""

import json

import numpy as np
import pytest

from effective_theory.statics.balls_in_buckets import f_upper_bound
from effective_theory.statics.class_description_length import relation_class_bits
from verification.cli import main
from verification.figures.figure2 import Figure2Settings, figure2_data, plot_figure2

SMALL = dict(
    n=10,
    relations=("mod5", "greater", "bipartite"),
    fractions=(0.0, 0.1, 1.0),
    draws=2,
    n_orderings=50,
)


@pytest.fixture(scope="module")
def data():
    return figure2_data(Figure2Settings(seed=3, **SMALL))


def test_data_is_json_and_deterministic(data):
    assert json.loads(json.dumps(data)) == data
    assert figure2_data(Figure2Settings(seed=3, **SMALL)) == data
    assert figure2_data(Figure2Settings(seed=4, **SMALL)) != data


def test_data_limits_and_eq5(data):
    for name, e in data["relations"].items():
        b = relation_class_bits(name, 10)
        assert np.isclose(e["b"], b) and np.isclose(e["b_over_N"], b / 100)
        assert np.allclose(e["eq5"], [f_upper_bound(f * 100, b, e["p_star"]) for f in data["fractions"]])
        for cv in e["curves"].values():
            assert cv["mean"][-1] == 1.0  # fraction 1: everything observed
            assert all(0.5 <= v <= 1.0 for v in cv["mean"])
        expected = {"paper", "paper-uniform", "exact"} if name == "greater" else {"paper", "exact"}
        assert set(e["curves"]) == expected


def test_plot_writes_png_and_csv(data, tmp_path):
    png, path_csv = plot_figure2(data, tmp_path)
    with open(png, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    with open(path_csv) as fh:
        lines = fh.read().splitlines()
    assert lines[0].startswith("relation,curve,fraction") and len(lines) == 1 + 3 * (2 + 3 + 2)


def test_cli(tmp_path, capsys):
    args = [
        "figure",
        "2",
        "--out",
        str(tmp_path),
        "--n",
        "6",
        "--draws",
        "1",
        "--fractions",
        "0.2",
        "--n-orderings",
        "20",
        "--relations",
        "mod3,greater",
    ]
    assert main(args) == 0
    assert (tmp_path / "figure2.png").exists() and (tmp_path / "figure2.json").exists()
    assert main(["figure", "2", "--out", str(tmp_path), "--fractions", "1.5"]) == 2
    assert "training fraction must be in [0, 1]" in capsys.readouterr().err
