"""Run every dynamics example script (examples/*.py owned by the dynamics work) and check its output."""

import importlib.util
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
}
# keyword arguments that keep each example within seconds in the test run
QUICK = {"repon_numerical_checks.py": dict(n=100)}


@pytest.mark.parametrize("name", sorted(DYNAMICS_EXAMPLES))
def test_example_runs(name, capsys):
    spec = importlib.util.spec_from_file_location(f"example_{name[:-3]}", EXAMPLES / name)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(**QUICK.get(name, {})) == 0
    out = capsys.readouterr().out
    for needle in DYNAMICS_EXAMPLES[name]:
        assert needle in out, needle
    assert "NOT exact" not in out or "dropped term" in out  # every inexact step shows its dropped term
