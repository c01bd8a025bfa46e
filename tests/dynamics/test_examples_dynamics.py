"""Run every dynamics example script (examples/*.py owned by the dynamics work) and check its output."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DYNAMICS_EXAMPLES = {
    "repon_flow_derivation.py": ["C3: dr/dt", "Eq. 8 drops -2 eta_A e s^T: True", "\\eta_{x}"],
    "repon_ansatz_derivation.py": ["eigenvector case", "rescaling symmetry"],
    "conservation_law.py": ["Eq. 11: dC/dt", "dM/dt", "exact rule M0 > 0 says collide:          False"],
    "arctan_integral.py": ["polar", "cartesian", "Monte Carlo of Eq. 10"],
    "multi_repon_formula.py": ["Eq. 13", "cluster members move together (N = 3, separate symbols): True"],
    "repon_numerical_checks.py": ["Eq. 10 (reduced flow)", "exact rule M0 > 0", "N = 5, cluster spread 0.3"],
    "matrix_collision_probability.py": [
        "rank-one criterion",
        "Cauchy-Schwarz bound",
        "Lower bound from M_full",
    ],
}
# keyword arguments that keep each example within seconds in the test run
QUICK = {"repon_numerical_checks.py": dict(n=100), "matrix_collision_probability.py": dict(n=200)}


def _load(name):
    if str(EXAMPLES) not in sys.path:  # the examples import their shared derivation_cli, as scripts do
        sys.path.insert(0, str(EXAMPLES))
    spec = importlib.util.spec_from_file_location(f"example_{name[:-3]}", EXAMPLES / name)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize("name", sorted(DYNAMICS_EXAMPLES))
def test_example_runs(name, capsys):
    mod = _load(name)
    assert mod.main(**QUICK.get(name, {})) == 0
    out = capsys.readouterr().out
    for needle in DYNAMICS_EXAMPLES[name]:
        assert needle in out, needle
    assert "NOT exact" not in out or "dropped term" in out  # every inexact step shows its dropped term


@pytest.mark.parametrize("name", sorted(DYNAMICS_EXAMPLES))
def test_example_help(name, capsys):
    with pytest.raises(SystemExit) as exc:
        _load(name).main(["--help"])
    assert exc.value.code == 0
    assert "usage:" in capsys.readouterr().out


def _check_latex(path: Path, tmp_path: Path):
    """Compile with pdflatex when one is installed, otherwise check the document's structure."""
    doc = path.read_text()
    assert doc.startswith(r"\documentclass") and doc.rstrip().endswith(r"\end{document}")
    assert doc.count(r"\begin{align*}") == doc.count(r"\end{align*}") > 0
    assert doc.count("{") == doc.count("}")
    doc.encode("ascii")  # pdflatex without inputenc: ASCII only
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed: structure checked only")
    out = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", path.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout[-2000:]
    assert (tmp_path / path.with_suffix(".pdf").name).stat().st_size > 0


@pytest.mark.parametrize(
    "name",
    [
        "repon_flow_derivation.py",
        "conservation_law.py",
        pytest.param("arctan_integral.py", marks=pytest.mark.slow),
        pytest.param("multi_repon_formula.py", marks=pytest.mark.slow),
        pytest.param("repon_ansatz_derivation.py", marks=pytest.mark.slow),
    ],
)
def test_example_latex_document_compiles(name, tmp_path, capsys):
    tex = tmp_path / (name[:-3] + ".tex")
    assert _load(name).main(["--latex", str(tex)]) == 0
    assert f"wrote {tex}" in capsys.readouterr().out
    _check_latex(tex, tmp_path)


def test_every_example_script_writes_to_any_stdout_encoding():
    """Run as a script, each example escapes what its stdout cannot encode instead of raising."""
    for path in sorted(EXAMPLES.glob("*.py")):
        text = path.read_text()
        if '__name__ == "__main__"' in text:
            assert 'sys.stdout.reconfigure(errors="backslashreplace")' in text, path.name


def test_example_runs_with_an_ascii_stdout():
    """``PYTHONIOENCODING=ascii python examples/repon_ansatz_derivation.py``: sympy's box characters
    come out as escapes, exit status 0."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    out = subprocess.run(
        [sys.executable, str(EXAMPLES / "repon_ansatz_derivation.py")],
        capture_output=True,
        text=True,
        encoding="ascii",
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "UnicodeEncodeError" not in out.stderr and "eigenvector case" in out.stdout
    assert "\\u23a1" in out.stdout  # a matrix bracket, escaped
