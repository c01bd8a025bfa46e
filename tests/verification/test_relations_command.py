"""``geneft relations`` and ``geneft study``: the catalogue's table and JSON, one relation's
prediction against its measurement, and one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from effective_theory.statics.relation_catalogue import CATALOGUE, catalogue_row
from effective_theory.statics.relation_input import relation_statics
from verification.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_relations_table_lists_the_catalogue(capsys):
    assert main(["relations"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["name", "family", "n", "pairs"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert list(rows) == list(CATALOGUE)
    assert sum(r[2] == "30" for r in rows.values()) >= 20
    karate = catalogue_row("karate")
    assert rows["karate"][5:8] == [f"{karate.bits:.2f}", karate.aut, f"{karate.p_c:.4f}"]


def test_relations_json_is_the_catalogue_rows(capsys):
    assert main(["relations", "Divides", "karate", "--n", "45", "--alpha", "0.8", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        catalogue_row("divides", 45, alpha=0.8).to_dict(),
        catalogue_row("karate", alpha=0.8).to_dict(),
    ]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["relations", "nope"], "no relation 'nope' in the catalogue"),
        (["relations", "--n", "2"], "--n must be >= 3"),
        (["relations", "--alpha", "1"], "must lie in (0, 1)"),
        (["study", "nope"], "'nope' is no relation"),
        (["study", "mod3", "--seeds", "0"], "--seeds must be >= 1, got 0"),
        (["study", "mod3", "--max-runs", "2"], "--max-runs (2) must allow"),
    ],
)
def test_bad_input_is_one_line_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("geneft: error:") and message in err


def test_study_prints_prediction_and_measurement(capsys, tmp_path):
    argv = ["study", "mod3", "--n", "8", "--steps", "300", "--seeds", "2", "--max-runs", "12", "--json"]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["statics"] == relation_statics("mod3", 8).to_dict()
    runs = result["runs"]
    assert 8 <= len(runs["fraction"]) <= 12 and len(runs["fraction"]) % 2 == 0
    assert all(0 < f <= 0.95 for f in runs["fraction"])
    for key in ("full", "test"):
        m = result["measured"][key]
        assert m["runs"] == len(runs["fraction"])
        assert m["reached"] == sum(a > 0.9 for a in runs[f"{key}_acc"])
        lo, hi = m["interval"]
        assert lo <= m["fraction"] <= hi
    assert result["ratio"]["p_c"]["value"] == pytest.approx(
        result["measured"]["full"]["fraction"] / result["statics"]["p_c"]
    )
    # same seed, same runs; the text form names the prediction and the measurement
    assert main(argv[:-1]) == 0
    text = capsys.readouterr().out
    assert "Eq. (4) p_c" in text and "measured: accuracy over all pairs > 0.9" in text
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["runs"] == runs


def test_relations_command_imports_no_heavy_package():
    code = (
        "import sys\n"
        "from verification.cli import main\n"
        "assert main(['relations', 'karate']) == 0\n"
        "heavy = sorted(m for m in ('torch', 'sympy', 'matplotlib') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "HEAVY []" in proc.stdout, proc.stdout
