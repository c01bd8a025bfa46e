"""The dependency rule of the layout: ``effective_theory`` <- ``verification``, one way, layer by layer.

Every module of both packages is parsed (its source, never imported) and every import is collected:
top-level and function-level ``import`` / ``from ... import`` statements (relative ones resolved),
``importlib.import_module("...")`` calls with a literal name, and string literals naming a module of
the project (the figure registry refers to modules by name).  The rules:

1. ``effective_theory`` is the theory alone: it imports nothing from ``verification`` and none of
   :data:`FORBIDDEN_IN_THEORY` (no training, plotting, command line, cache or executor).
2. Inside ``verification`` a module imports only modules of its own layer or of a lower one
   (:data:`LAYERS`: runtime <- training and statistics <- figures <- report and CLI).
3. A private name (``_x``) is never imported from another module, and a private module
   (``pkg._m``, whose names are its package's shared helpers) only from inside ``pkg``; the
   project's shared internals (:data:`SHARED_PRIVATE`) may be used by both packages.

``geneft bits`` stays fast because of rule 1 and the lazy package namespaces
(:mod:`effective_theory._lazy`); :func:`test_bits_command_imports_no_heavy_package` checks it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("effective_theory", "verification")

#: top-level packages the theory must not import
FORBIDDEN_IN_THEORY = ("verification", "torch", "argparse", "matplotlib", "ray")

#: layers of ``verification`` (module-name prefixes), lowest first; a module may import its own
#: layer and lower ones.  ``verification`` itself (its lazy ``__init__``) sits on top.
LAYERS = (
    ("verification.runtime",),
    (
        "verification.model",
        "verification._step_kernels",
        "verification._numba_step_kernels",
        "verification.train_config",
        "verification.reference_loop",
        "verification.training",
        "verification.phases",
        "verification.sweeps",
        "verification.statistics",
        "verification.verdicts",
        "verification.mechanism",
    ),
    ("verification.figures", "verification.tiers"),
    (
        "verification.report",
        "verification.reproduce",
        "verification.cli",
        "verification.cli_options",
        "verification.bits_command",
    ),
)

#: packages of ``verification`` that must not import a command-line library (the CLI layer's job)
NO_COMMAND_LINE = ("verification.runtime",)

#: private modules that every module of the project may use (shared internals, written once)
SHARED_PRIVATE = ("effective_theory._lazy", "effective_theory._checks")


@dataclass(frozen=True)
class Import:
    """One import found in a module: the importer, the imported module, an imported name, the line."""

    importer: str
    module: str
    name: str | None
    line: int


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def package_of(module: str, path: Path) -> str:
    """The package a module belongs to (a package's ``__init__`` belongs to the package itself)."""
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def project_modules(root: Path = ROOT) -> dict[str, Path]:
    """Module name -> path for every module of the packages (their test folders excluded)."""
    out = {}
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            if "tests" in path.relative_to(root).parts:
                continue
            out[module_name(path, root)] = path
    return out


def _resolve(importer_pkg: str, level: int, module: str | None) -> str:
    base = importer_pkg.split(".")
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def imports_of(module: str, path: Path, known: set[str]) -> list[Import]:
    """Every import of ``module`` (see the module docstring for what counts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    pkg = package_of(module, path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(module, a.name, None, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(pkg, node.level, node.module) if node.level else node.module
            for a in node.names:
                sub = f"{target}.{a.name}"
                if sub in known:  # "from pkg import module"
                    found.append(Import(module, sub, None, node.lineno))
                else:
                    found.append(Import(module, target, a.name, node.lineno))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append(Import(module, node.args[0].value, None, node.lineno))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # "pkg.module" or "pkg.module:function" naming a project module (a registry entry)
            name = node.value.split(":")[0]
            if name in known and name != module and " " not in node.value:
                found.append(Import(module, name, None, node.lineno))
    return found


def all_imports(root: Path = ROOT) -> list[Import]:
    mods = project_modules(root)
    known = set(mods)
    return [imp for m, p in mods.items() for imp in imports_of(m, p, known)]


def _layer(module: str) -> int | None:
    for k, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return k
    return None


def upward_imports(root: Path = ROOT) -> list[str]:
    """Imports that break rules 1 and 2, as ``importer:line -> module`` lines."""
    bad = []
    for imp in all_imports(root):
        top = imp.module.split(".")[0]
        where = f"{imp.importer}:{imp.line} -> {imp.module}"
        if imp.importer.split(".")[0] == "effective_theory":
            if top in FORBIDDEN_IN_THEORY:
                bad.append(where)
            continue
        if top != "verification" or imp.importer == "verification":
            continue
        a, b = _layer(imp.importer), _layer(imp.module)
        if a is None or b is None:
            if imp.module != "verification":
                bad.append(where + " (module in no layer: add it to LAYERS)")
            continue
        if b > a:
            bad.append(where)
    return list(dict.fromkeys(bad))


def private_crossings(root: Path = ROOT) -> list[str]:
    """Imports that break rule 3, as ``importer:line -> module.name`` lines."""
    bad = []
    for imp in all_imports(root):
        if imp.module.split(".")[0] not in PACKAGES:
            continue
        parts = imp.module.split(".")
        for k, part in enumerate(parts):
            if part.startswith("_") and not part.startswith("__"):
                owner = ".".join(parts[:k])
                private = ".".join(parts[: k + 1])
                inside = imp.importer == owner or imp.importer.startswith(owner + ".")
                if not inside and private not in SHARED_PRIVATE:
                    bad.append(f"{imp.importer}:{imp.line} -> {imp.module} (private module)")
                break
        if imp.name and imp.name.startswith("_") and not imp.name.startswith("__"):
            bad.append(f"{imp.importer}:{imp.line} -> {imp.module}.{imp.name}")
    return list(dict.fromkeys(bad))


def test_theory_and_layers_import_one_way():
    assert upward_imports() == []


def test_runtime_knows_no_command_line():
    """The executors and the cache take Python arguments; their argparse options live in the CLI."""
    bad = [
        f"{imp.importer}:{imp.line} -> {imp.module}"
        for imp in all_imports()
        if imp.importer.startswith(NO_COMMAND_LINE) and imp.module.split(".")[0] == "argparse"
    ]
    assert bad == []


def test_no_private_name_crosses_a_module_boundary():
    assert private_crossings() == []


def test_every_verification_module_has_a_layer():
    unplaced = [m for m in project_modules() if m.startswith("verification.") and _layer(m) is None]
    assert unplaced == []


@pytest.mark.parametrize(
    "source, rule",
    [
        ("import torch\n", upward_imports),
        ("from verification.training import train_ensemble\n", upward_imports),
        ("import importlib\nimportlib.import_module('verification.cli')\n", upward_imports),
        ("from effective_theory.statics.automorphisms import _secret\n", private_crossings),
    ],
)
def test_the_checks_catch_a_violation(tmp_path, source, rule):
    """A theory module with one forbidden import makes the check fail (the rule can fail)."""
    for pkg in PACKAGES:
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    for sub in ("statics", "statics/automorphisms"):
        (tmp_path / "effective_theory" / sub).mkdir()
        (tmp_path / "effective_theory" / sub / "__init__.py").write_text("")
    (tmp_path / "verification" / "training.py").write_text("")
    (tmp_path / "verification" / "cli.py").write_text("")
    (tmp_path / "effective_theory" / "bad.py").write_text(source)
    assert rule(tmp_path)
    (tmp_path / "effective_theory" / "bad.py").write_text("import numpy\n")
    assert not rule(tmp_path)


def test_bits_command_imports_no_heavy_package():
    """``geneft bits`` on a small graph imports neither torch nor sympy nor matplotlib nor numba."""
    code = (
        "import sys\n"
        "from verification.cli import main\n"
        "assert main(['bits', '--relation', 'mod3', '--n', '30']) == 0\n"
        "heavy = sorted(m for m in ('torch', 'sympy', 'matplotlib', 'numba') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "HEAVY []" in proc.stdout, proc.stdout
