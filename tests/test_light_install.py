"""The base install carries the theory and nothing more; the extras carry the rest.

``setup.cfg``'s ``install_requires`` must provide every third-party package that
``effective_theory`` imports, and none of the training, plotting and cluster packages; each of
those is a named extra (``train``, ``plot``, ``ray``), ``test`` carries ``train`` and ``plot``
(the suite imports both), ``all`` carries every extra, and the README's two set-up commands and
``.ci/run`` install an extra that carries them.  Using the theory imports no training or
plotting package (checked in a fresh interpreter).
"""

import ast
import configparser
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the distributions whose import name differs from the distribution's name (none today)
DISTRIBUTION_OF = {}
#: what only the verification layer needs, with the extra that carries it
VERIFICATION_ONLY = {"torch": "train", "matplotlib": "plot", "ray": "ray"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower()


def _config():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    base = {_name(r) for r in cfg["options"]["install_requires"].split("\n") if r.strip()}
    extras = {
        key: {_name(r) for r in value.split("\n") if r.strip()}
        for key, value in cfg["options.extras_require"].items()
    }
    return base, extras


def _third_party_imports(package: str) -> set[str]:
    """Top-level names of the non-standard-library modules that ``package``'s files import."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {
        DISTRIBUTION_OF.get(m, m).lower()
        for m in found
        if m not in sys.stdlib_module_names and m not in ("effective_theory", "verification", "__future__")
    }


def test_the_base_install_is_what_the_theory_imports():
    base, _ = _config()
    theory = _third_party_imports("effective_theory")
    assert theory <= base, f"the theory imports {sorted(theory - base)}, which the base install leaves out"
    assert {"numpy", "scipy", "sympy", "networkx", "pynauty"} <= base
    assert not base & {*VERIFICATION_ONLY, "tqdm", "pytest"}, (
        "the base install carries no training, plot or test tools"
    )


def test_the_extras_are_consistent():
    base, extras = _config()
    assert {"train", "plot", "ray", "test", "docs", "all"} <= set(extras)
    for module, extra in VERIFICATION_ONLY.items():
        assert module in extras[extra], (module, extra)
    verification = _third_party_imports("verification")
    provided = base.union(*extras.values())
    assert verification <= provided, f"nothing installs {sorted(verification - provided)}"
    assert extras["train"] | extras["plot"] <= extras["test"], "the test suite trains and plots"
    assert {"pytest", "hypothesis"} <= extras["test"]
    others = set().union(*(v for k, v in extras.items() if k != "all"))
    assert others <= extras["all"]
    # every requirement is pinned, torch at the version the results were produced with
    pins = {
        _name(line): line.strip()
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert pins.get("torch") == "torch==2.13.0"
    assert provided <= set(pins), f"constraints.txt does not pin {sorted(provided - set(pins))}"


def test_the_setup_commands_install_what_the_tests_need():
    """The README's two commands and CI install an extra that carries training and plotting."""
    _, extras = _config()
    readme = (ROOT / "README.md").read_text()
    commands = [line for line in readme.splitlines() if line.startswith("python3 -m venv .venv")]
    commands.append((ROOT / ".ci" / "run").read_text())
    for command in commands:
        chosen = re.search(r'-e "?\.\[([a-z,]+)\]', command)
        assert chosen, command
        installed = set().union(*(extras[e] for e in chosen.group(1).split(",")))
        assert extras["train"] | extras["plot"] <= installed, command


@pytest.mark.parametrize(
    "use",
    [
        "import effective_theory",
        "import effective_theory as et; import networkx as nx; et.description_length(nx.petersen_graph())",
        "import effective_theory as et; et.description_length(et.equal_mod(12, 3))",
        "import effective_theory as et; et.description_length([(0, 1), (1, 2), (2, 3), (3, 0), (0, 4)])",
    ],
)
def test_the_theory_imports_no_training_or_plotting_package(use):
    """...nor numba, which only the accuracy bounds and the samplers need (its import takes a
    quarter of a second)."""
    heavy = ("torch", "matplotlib", "tqdm", "ray", "numba")
    code = f"{use}\nimport sys\nprint(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
