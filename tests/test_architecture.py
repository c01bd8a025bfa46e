"""The dependency rule of the layout: every module in a layer, imports only downward, no circle.

Every module of ``effective_theory`` and ``verification`` is parsed (its source, never imported)
and every import is collected: ``import`` / ``from ... import`` statements anywhere in the module,
function bodies included (relative ones resolved); ``importlib.import_module("...")`` calls with a
literal name; string literals naming a module of the project (the figure registry refers to
modules by name); and the modules a lazy package namespace re-exports
(``attach(__name__, ("relations", ...))``, :mod:`effective_theory._lazy`), on which the namespace
depends.  ``from pkg import name`` depends on the module ``pkg.name`` when there is one, otherwise
on ``pkg`` itself.  The rules:

1. Every module belongs to exactly one layer of :data:`LAYERS`, and every module a layer lists
   exists.
2. A module imports only modules of its own layer or of a lower one (:data:`LAYERS` is lowest
   first), so ``effective_theory`` never imports ``verification``; and ``effective_theory``
   imports none of :data:`FORBIDDEN_IN_THEORY` (no training, plotting, command line or cluster).
3. No import cycle: the import graph of the modules has no strongly connected component of more
   than one module (a cycle inside one layer is as much a knot as one across layers).
4. Every import of a project module names a module that exists.
5. A private name (``_x``) is never imported from another module, and a private module
   (``pkg._m``, whose names are its package's shared helpers) only from inside ``pkg``; the
   project's shared internals (:data:`SHARED_PRIVATE`) may be used by both packages.

``geneft bits`` stays fast because of rule 2 and the lazy package namespaces;
:func:`test_bits_command_imports_no_heavy_package` checks it.  The checks are shown to fail on
small synthetic packages (``test_the_checks_catch_*``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("effective_theory", "verification")

#: top-level packages the theory must not import
FORBIDDEN_IN_THEORY = ("verification", "torch", "argparse", "matplotlib", "ray")

#: The layers, lowest first: layer name -> its modules.  ``"pkg.*"`` is the package ``pkg`` and
#: every module under it; any other entry is one module (a package's ``__init__`` is its lazy
#: namespace, which sits above the modules it re-exports).  A module may import its own layer and
#: lower ones.
LAYERS: dict[str, tuple[str, ...]] = {
    # shared internals of both packages: argument checks, lazy namespaces, hashing, random draws
    "theory_helpers": (
        "effective_theory._checks",
        "effective_theory._hashing",
        "effective_theory._lazy",
        "effective_theory._random",
    ),
    # the theory: statics (relations, description lengths, bounds) and dynamics (repons); neither
    # imports the other
    "theory": ("effective_theory.statics.*", "effective_theory.dynamics.*"),
    # the public namespace of the theory, re-exporting both
    "theory_namespace": ("effective_theory",),
    # where experiments run and where their results are kept
    "runtime": ("verification.runtime.*",),
    # estimators, tests a referee signs, and every report row's claim, test and margin
    "statistics": ("verification.statistics.*", "verification.verdicts"),
    # the experiment's definitions: the autoencoder, a run's hyperparameters, Table IV's phases
    "model": ("verification.model", "verification.train_config", "verification.phases"),
    # the fused elementwise kernels of one training step (torch, numba) and their constants
    "step_kernels": (
        "verification._kernel_constants",
        "verification._numba_step_kernels",
        "verification._step_kernels",
    ),
    # the batched ensemble trainer and the plain one-model loop it is checked against
    "trainers": ("verification.reference_loop", "verification.training"),
    # the one way runs are trained: batched, or in cached chunks on any executor
    "runs": ("verification.runs",),
    # the archive of trained runs: its format, the read-only layer of the result cache it gives,
    # adding a cache's runs to it, and retraining a sample to check it
    "archive": ("verification.archive.*",),
    # the repon mechanism measured inside trained networks
    "mechanism": ("verification.mechanism.*",),
    # experiment designs any figure can use: a grid, adaptive columns, seeds in rounds
    "designs": ("verification.designs.*",),
    # what several figures share: common helpers, the phase diagrams of Figures 5 and 8
    "figure_designs": (
        "verification.figures._common",
        "verification.figures.phase_diagram",
    ),
    # one module per result of the paper
    "figures": (
        "verification.figures.table2",
        "verification.figures.figure2",
        "verification.figures.figure3",
        "verification.figures.figure4",
        "verification.figures.figure5",
        "verification.figures.figure6",
        "verification.figures.figure6b",
        "verification.figures.figure7",
        "verification.figures.figure8",
        "verification.figures.relation_study",
        "verification.figures.universality_statics",
        "verification.figures.universality_dynamics",
    ),
    # the one registry of the results (and the namespace re-exporting it)
    "figure_registry": ("verification.figures.registry", "verification.figures"),
    # the report of verdicts and ``geneft reproduce``
    "report": ("verification.report", "verification.reproduce"),
    # the ``geneft`` command and the front-ends of its ``bits`` and archive subcommands
    "commands": (
        "verification.cli_options",
        "verification.bits_command",
        "verification.archive_command",
        "verification.relations_command",
        "verification.cli",
    ),
    # the public namespace of the verification package
    "verification_namespace": ("verification",),
}

#: private modules that every module of the project may use (shared internals, written once)
SHARED_PRIVATE = ("effective_theory._lazy", "effective_theory._checks")


@dataclass(frozen=True)
class Import:
    """One import found in a module: the importer, the imported module, an imported name, the line."""

    importer: str
    module: str
    name: str | None
    line: int


# --------------------------------------------------------------------------- reading the imports


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def package_of(module: str, path: Path) -> str:
    """The package a module belongs to (a package's ``__init__`` belongs to the package itself)."""
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def project_modules(root: Path = ROOT, packages=PACKAGES) -> dict[str, Path]:
    """Module name -> path for every module of the packages (their test folders excluded)."""
    out = {}
    for pkg in packages:
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


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def imports_of(module: str, path: Path, known: set[str]) -> list[Import]:
    """Every import of ``module`` (see the module docstring for what counts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    pkg = package_of(module, path)
    found = []
    for node in ast.walk(tree):  # every node: imports inside functions count
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
        elif isinstance(node, ast.Call):
            func = getattr(node.func, "attr", getattr(node.func, "id", None))
            if func == "import_module" and node.args and _literal(node.args[0]):
                found.append(Import(module, _literal(node.args[0]), None, node.lineno))
            elif (
                func == "attach"
                and len(node.args) == 2
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "__name__"
                and isinstance(node.args[1], ast.Tuple | ast.List)
            ):
                # a lazy namespace: the package depends on every module it re-exports
                found += [
                    Import(module, f"{module}.{_literal(e)}", None, node.lineno)
                    for e in node.args[1].elts
                    if _literal(e)
                ]
        elif _literal(node) is not None:
            # "pkg.module" or "pkg.module:function" naming a project module (a registry entry)
            name = node.value.split(":")[0]
            if name in known and name != module and " " not in node.value:
                found.append(Import(module, name, None, node.lineno))
    return found


def all_imports(root: Path = ROOT, packages=PACKAGES) -> list[Import]:
    mods = project_modules(root, packages)
    known = set(mods)
    return [imp for m, p in mods.items() for imp in imports_of(m, p, known)]


def import_graph(imports: list[Import], known: set[str]) -> nx.DiGraph:
    """The modules and their imports among themselves; each edge keeps the line of its first import."""
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for imp in imports:
        if (
            imp.module in known
            and imp.module != imp.importer
            and not graph.has_edge(imp.importer, imp.module)
        ):
            graph.add_edge(imp.importer, imp.module, line=imp.line)
    return graph


def _where(graph: nx.DiGraph, a: str, b: str) -> str:
    return f"{a}:{graph.edges[a, b]['line']} -> {b}"


# --------------------------------------------------------------------------- the rules


def _matches(entry: str, module: str) -> bool:
    if entry.endswith(".*"):
        pkg = entry[:-2]
        return module == pkg or module.startswith(pkg + ".")
    return module == entry


def layer_index(layers: dict[str, tuple[str, ...]], modules) -> dict[str, int]:
    """Module -> the position of its layer (lowest 0), for the modules with exactly one layer."""
    out = {}
    for m in modules:
        hits = {k for k, entries in enumerate(layers.values()) for e in entries if _matches(e, m)}
        if len(hits) == 1:
            out[m] = hits.pop()
    return out


def layer_problems(layers: dict[str, tuple[str, ...]], modules) -> list[str]:
    """Rule 1: modules in no layer or in several, and layer entries that name no module."""
    bad = []
    for m in sorted(modules):
        names = [name for name, entries in layers.items() for e in entries if _matches(e, m)]
        if len(names) != 1:
            bad.append(f"{m} is in {len(names)} layers {names}: it must be in exactly one")
    for name, entries in layers.items():
        bad += [
            f"layer {name}: {e} names no module" for e in entries if not any(_matches(e, m) for m in modules)
        ]
    return bad


def upward_imports(graph: nx.DiGraph, layers: dict[str, tuple[str, ...]]) -> list[str]:
    """Rule 2: imports of a module in a higher layer, as ``importer:line -> module`` lines."""
    index, names = layer_index(layers, graph.nodes), list(layers)
    return sorted(
        f"{_where(graph, a, b)} ({names[index[a]]} imports {names[index[b]]})"
        for a, b in graph.edges
        if a in index and b in index and index[b] > index[a]
    )


def forbidden_in_theory(imports: list[Import]) -> list[str]:
    """Rule 2's third-party part: imports of :data:`FORBIDDEN_IN_THEORY` by the theory."""
    return sorted(
        {
            f"{imp.importer}:{imp.line} -> {imp.module}"
            for imp in imports
            if imp.importer.split(".")[0] == "effective_theory"
            and imp.module.split(".")[0] in FORBIDDEN_IN_THEORY
        }
    )


def import_cycles(graph: nx.DiGraph) -> list[list[str]]:
    """Rule 3: the strongly connected components of more than one module, each as its edges."""
    knots = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    return sorted(sorted(_where(graph, a, b) for a, b in graph.subgraph(c).edges) for c in knots)


def missing_modules(imports: list[Import], known: set[str], packages=PACKAGES) -> list[str]:
    """Rule 4: imports of a module of the packages that does not exist."""
    return sorted(
        {
            f"{imp.importer}:{imp.line} -> {imp.module}"
            for imp in imports
            if imp.module.split(".")[0] in packages and imp.module not in known
        }
    )


def private_crossings(imports: list[Import]) -> list[str]:
    """Rule 5, as ``importer:line -> module.name`` lines."""
    bad = []
    for imp in imports:
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


# --------------------------------------------------------------------------- the project


#: packages that take Python arguments only: their command-line options live in the CLI
NO_COMMAND_LINE = ("verification.runtime",)


def test_runtime_knows_no_command_line(project):
    """The executors and the cache take Python arguments; their argparse options live in the CLI."""
    _, imports, _ = project
    bad = [
        f"{imp.importer}:{imp.line} -> {imp.module}"
        for imp in imports
        if imp.importer.startswith(NO_COMMAND_LINE) and imp.module.split(".")[0] == "argparse"
    ]
    assert bad == []


@pytest.fixture(scope="module")
def project():
    mods = project_modules()
    imports = all_imports()
    return set(mods), imports, import_graph(imports, set(mods))


def test_every_module_is_in_exactly_one_layer(project):
    modules, _, _ = project
    assert layer_problems(LAYERS, modules) == []


def test_no_import_goes_up_a_layer(project):
    _, imports, graph = project
    assert upward_imports(graph, LAYERS) == []
    assert forbidden_in_theory(imports) == []


def test_no_import_cycle(project):
    _, _, graph = project
    assert import_cycles(graph) == []


def test_every_project_import_names_a_module(project):
    modules, imports, _ = project
    assert missing_modules(imports, modules) == []


def test_no_private_name_crosses_a_module_boundary(project):
    _, imports, _ = project
    assert private_crossings(imports) == []


def test_the_graph_sees_imports_in_function_bodies_and_lazy_namespaces(project):
    """Edges the checks rely on: a deferred import, a literal import_module, a lazy re-export."""
    _, _, graph = project
    assert graph.has_edge("verification._step_kernels", "verification._numba_step_kernels")  # in a function
    assert graph.has_edge("verification.cli", "verification.bits_command")  # importlib.import_module
    assert graph.has_edge("verification.statistics", "verification.statistics.boundary")  # attach(...)
    assert graph.has_edge("verification.figures.registry", "verification.figures.figure5")  # a string


# --------------------------------------------------------------------------- the checks can fail


def _tree(root: Path, files: dict[str, str]) -> tuple[set[str], list[Import], nx.DiGraph]:
    """Write the package ``pkg`` (``{"a": source}`` -> ``pkg/a.py``) and read its imports."""
    (root / "pkg").mkdir(exist_ok=True)
    for name, source in {"__init__": "", **files}.items():
        (root / "pkg" / f"{name}.py").write_text(source)
    mods = project_modules(root, ("pkg",))
    imports = all_imports(root, ("pkg",))
    return set(mods), imports, import_graph(imports, set(mods))


SYNTHETIC_LAYERS = {"low": ("pkg.a",), "high": ("pkg.b", "pkg")}


@pytest.mark.parametrize(
    "a_source",
    [
        "import pkg.b\n",
        "from pkg import b\n",
        "from . import b\n",
        "def f():\n    from pkg.b import g\n    return g\n",  # hidden in a function body
        "import importlib\nM = importlib.import_module('pkg.b')\n",
        "WHERE = 'pkg.b:g'\n",  # a registry entry
    ],
)
def test_the_checks_catch_an_upward_import_and_a_cycle(tmp_path, a_source):
    """``pkg.b`` imports ``pkg.a``; ``pkg.a`` importing ``pkg.b`` back is upward and a cycle."""
    b_source = "from pkg.a import f0\n\n\ndef g():\n    return f0\n"
    modules, _, graph = _tree(tmp_path, {"a": "def f0():\n    pass\n", "b": b_source})
    assert layer_problems(SYNTHETIC_LAYERS, modules) == []
    assert upward_imports(graph, SYNTHETIC_LAYERS) == [] and import_cycles(graph) == []  # the control

    _, _, graph = _tree(tmp_path, {"a": a_source})
    up = upward_imports(graph, SYNTHETIC_LAYERS)
    assert len(up) == 1 and up[0].startswith("pkg.a:") and "-> pkg.b (low imports high)" in up[0]
    assert [sorted(s.split(":")[0] for s in c) for c in import_cycles(graph)] == [["pkg.a", "pkg.b"]]


def test_the_cycle_check_catches_a_cycle_inside_one_layer(tmp_path):
    """Three modules of one layer in a circle (one import deferred): no upward import, one cycle."""
    files = {"a": "import pkg.b\n", "b": "from pkg import c\n", "c": "def f():\n    import pkg.a\n"}
    _, _, graph = _tree(tmp_path, files)
    assert upward_imports(graph, {"all": ("pkg.*",)}) == []
    assert import_cycles(graph) == [["pkg.a:1 -> pkg.b", "pkg.b:1 -> pkg.c", "pkg.c:2 -> pkg.a"]]


def test_the_cycle_check_catches_a_module_importing_its_lazy_namespace(tmp_path):
    """A lazy namespace depends on the modules it re-exports; one of them importing it is a cycle."""
    init = "from effective_theory._lazy import attach\n__getattr__, __dir__ = attach(__name__, ('a',))\n"
    _, _, graph = _tree(tmp_path, {"__init__": init, "a": "def f():\n    from pkg import something\n"})
    assert import_cycles(graph) == [["pkg.a:2 -> pkg", "pkg:2 -> pkg.a"]]


def test_the_layer_check_catches_an_unplaced_module_and_a_stale_entry(tmp_path):
    modules, _, _ = _tree(tmp_path, {"a": "", "b": "", "c": ""})
    problems = layer_problems({**SYNTHETIC_LAYERS, "gone": ("pkg.tiers",), "twice": ("pkg.*",)}, modules)
    assert "layer gone: pkg.tiers names no module" in problems
    assert any(p.startswith("pkg.a is in 2 layers") for p in problems)
    assert layer_problems(SYNTHETIC_LAYERS, modules) == ["pkg.c is in 0 layers []: it must be in exactly one"]


def test_the_missing_module_check_catches_an_import_of_nothing(tmp_path):
    modules, imports, _ = _tree(tmp_path, {"a": "def f():\n    from pkg.tiers import x\n"})
    assert missing_modules(imports, modules, ("pkg",)) == ["pkg.a:2 -> pkg.tiers"]


@pytest.mark.parametrize(
    "source, rule",
    [
        ("import torch\n", forbidden_in_theory),
        ("def f():\n    import matplotlib.pyplot\n", forbidden_in_theory),
        ("from effective_theory.statics.automorphisms import _secret\n", private_crossings),
        ("from verification._step_kernels import TORCH\n", private_crossings),
    ],
)
def test_the_checks_catch_a_theory_violation(tmp_path, source, rule):
    """A theory module with one forbidden import makes the check fail (the rule can fail)."""
    for pkg in PACKAGES:
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("")
    (tmp_path / "effective_theory" / "bad.py").write_text(source)
    assert rule(all_imports(tmp_path))
    (tmp_path / "effective_theory" / "bad.py").write_text("import numpy\n")
    assert not rule(all_imports(tmp_path))


@pytest.mark.parametrize(
    "args", [["--relation", "mod3", "--n", "30"], ["effective_theory/data/karate.edgelist"]]
)
def test_bits_command_imports_no_heavy_package(args):
    """``geneft bits`` on a small graph imports neither torch nor sympy nor matplotlib nor numba nor
    scipy.stats (nor, for a small file, networkx or scipy): a cold start stays short."""
    heavy = ["torch", "sympy", "matplotlib", "numba", "scipy.stats"]
    if args[0].endswith(".edgelist"):
        heavy += ["networkx", "scipy"]
    code = (
        "import sys\n"
        "from verification.cli import main\n"
        f"assert main({['bits', *args]!r}) == 0\n"
        f"heavy = sorted(m for m in {heavy!r} if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "HEAVY []" in proc.stdout, proc.stdout
