"""The documentation: the equation-to-code map is true, public names are documented, Sphinx builds.

* ``docs/equations.md`` lists fully qualified names; each must import (or, when marked
  ``(pending: branch)``, must really be missing), must live in a module of its row, and, for
  rows labelled by an equation number (1-13, C1-C3), must cite that equation in its docstring.
* Every function and class in ``effective_theory.__all__`` and ``verification.__all__`` has a
  docstring.
* ``sphinx-build -W --keep-going -b html docs OUT`` succeeds: any warning fails the build.
"""

import importlib
import importlib.util
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EQUATIONS_MD = DOCS / "equations.md"

#: labels of rows that must be cited in docstrings: "Eq. 5", "Eq. C1"
EQUATION_LABEL = re.compile(r"^Eq\.\s*(C?\d+)$")
#: a fully qualified name in backticks, optionally followed by "(pending: branch)"
NAME = re.compile(r"`([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)`(\s*\(pending:[^)]*\))?")

# An equation reference: "5", "(5)", "C1", "(C1)".
_REF = r"\(?\s*(C?\d+)\s*\)?"
# Separators inside one "Eq."/"Eqs." mention; a range is "-", "–", "—" or "to".
_SEP = r"\s*(?:-|–|—|\bto\b|/|,|\band\b|\bor\b)\s*(?:Eqs?\.?\s*)?"
EQ_MENTION = re.compile(r"\bEqs?\.?\s*(" + _REF + r"(?:" + _SEP + _REF + r")*)")
RANGE_SEP = re.compile(r"^\s*(?:-|–|—|to)\s*")


def _key(ref: str) -> tuple[str, int]:
    return ("C", int(ref[1:])) if ref.startswith("C") else ("", int(ref))


def cited_equations(text: str) -> set[str]:
    """Equation labels cited in ``text`` ("Eq. (5)", "Eqs. 9-10", "Eq. (7)/(C1)", "Eqs. (1)-(5)")."""
    cited: set[str] = set()
    for match in EQ_MENTION.finditer(text):
        chain = match.group(1)
        refs = list(re.finditer(_REF, chain))
        for k, ref in enumerate(refs):
            label = ref.group(1)
            cited.add(label)
            if k == 0:
                continue
            between = chain[refs[k - 1].end() : ref.start()]
            prev = refs[k - 1].group(1)
            (p0, a), (p1, b) = _key(prev), _key(label)
            if RANGE_SEP.match(between) and p0 == p1 and a < b:
                cited.update(f"{p0}{i}" for i in range(a + 1, b))
    return cited


def test_cited_equations_parser():
    assert cited_equations("Eq. (5) of [1]_") == {"5"}
    assert cited_equations("see Eq. 5.") == {"5"}
    assert cited_equations("Eqs. (1)-(5) of [1]_") == {"1", "2", "3", "4", "5"}
    assert cited_equations("Eqs. 9-10") == {"9", "10"}
    assert cited_equations("Eq. (C1)") == {"C1"}
    assert cited_equations("Eqs. (C1)-(C3)") == {"C1", "C2", "C3"}
    assert cited_equations("Derive Eq. (7)/(C1), (C2) and (C3)/Eq. (8)") == {"7", "C1", "C2", "C3", "8"}
    assert cited_equations("Eqs. (12)-(13) and Eq. (6)") == {"12", "13", "6"}
    assert cited_equations("Eq.(12)") == {"12"}
    assert cited_equations("Eq. (3) and Table II") == {"3"}
    assert cited_equations("Equation 5, Figure 5, Section 5") == set()
    assert "4" not in cited_equations("Eqs. 3 and 5")


def parse_equation_table(path: Path = EQUATIONS_MD) -> list[dict]:
    """Rows of the markdown table: label, names (with a pending flag) and modules."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] == "label" or set(cells[0]) <= set("-: "):
            continue
        label, _quantity, functions, module = cells
        names = [(m.group(1), bool(m.group(2))) for m in NAME.finditer(functions)]
        modules = [m.group(1) for m in NAME.finditer(module)]
        rows.append({"label": label, "names": names, "modules": modules})
    return rows


def resolve(dotted: str):
    """The object named ``a.b.c``.

    Attributes first, because a re-export shadows a submodule of the same name
    (``effective_theory.representation_learning_probability`` is the function); if that fails,
    the longest importable module prefix, then attributes
    (``effective_theory.statics.graph_description_length.description_length``).
    """
    parts = dotted.split(".")
    try:
        obj = importlib.import_module(parts[0])
        for attr in parts[1:]:
            obj = getattr(obj, attr)
        return obj
    except AttributeError:
        pass
    for k in range(len(parts), 1, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ModuleNotFoundError:
            continue
        for attr in parts[k:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(f"no module or attribute {dotted}")


def test_resolve_prefers_the_reexported_function():
    assert inspect.isfunction(resolve("effective_theory.representation_learning_probability"))
    assert inspect.ismodule(resolve("effective_theory.statics.balls_in_buckets"))
    with pytest.raises(ImportError):
        resolve("effective_theory.no_such_module.f")
    with pytest.raises(AttributeError):
        resolve("effective_theory.statics.balls_in_buckets.no_such_function")


ROWS = parse_equation_table()


def test_equation_table_covers_the_paper():
    labels = {row["label"] for row in ROWS}
    wanted = {f"Eq. {i}" for i in range(1, 14)} | {"Eq. C1", "Eq. C2", "Eq. C3"}
    wanted |= {"Table I", "Table II", "Table IV", "Appendix D"} | {f"Fig. {i}" for i in range(2, 9)}
    assert wanted <= labels, sorted(wanted - labels)
    assert all(row["names"] and row["modules"] for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row["label"] for row in ROWS])
def test_equation_table_modules(row):
    """A module of a row imports, unless every name of the row that lives in it is pending."""
    for module in row["modules"]:
        inside = [pending for name, pending in row["names"] if name.startswith(module + ".")]
        if inside and all(inside):
            with pytest.raises(ImportError):
                importlib.import_module(module)
        else:
            assert inspect.ismodule(importlib.import_module(module))


@pytest.mark.parametrize("row", ROWS, ids=[row["label"] for row in ROWS])
def test_equation_table_names(row):
    for name, pending in row["names"]:
        if pending:
            # strict: a pending name that now imports must lose its marker
            with pytest.raises((ImportError, AttributeError)):
                resolve(name)
            continue
        obj = resolve(name)
        defined_in = getattr(obj, "__module__", None)
        assert defined_in in row["modules"], f"{name} is defined in {defined_in}, not in {row['modules']}"
        match = EQUATION_LABEL.match(row["label"])
        if match:
            doc = inspect.getdoc(obj) or ""
            assert match.group(1) in cited_equations(doc), (
                f"the docstring of {name} does not cite {row['label']} (cites {sorted(cited_equations(doc))})"
            )


def public_objects():
    out = []
    for package in ("effective_theory", "verification"):
        module = importlib.import_module(package)
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                out.append((f"{package}.{name}", obj))
    return out


def test_public_names_have_docstrings():
    objects = public_objects()
    assert objects
    missing = [name for name, obj in objects if not (obj.__doc__ or "").strip()]
    assert not missing, missing


@pytest.fixture(scope="module")
def sphinx_build(tmp_path_factory):
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_parser")
    pytest.importorskip("numpydoc")
    out = tmp_path_factory.mktemp("html")
    doctrees = tmp_path_factory.mktemp("doctrees")
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-W",
        "--keep-going",
        "-q",
        "-b",
        "html",
        "-d",
        str(doctrees),
        str(DOCS),
        str(out),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    return proc, out


def test_sphinx_build_has_no_warnings(sphinx_build):
    proc, out = sphinx_build
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-8000:]
    assert "WARNING" not in proc.stderr, proc.stderr[-8000:]
    assert (out / "equations.html").exists()


def test_every_doc_page_is_in_the_toctree(sphinx_build):
    """Every page built (so every page that exists) is reachable, and every API page documents code."""
    _proc, out = sphinx_build  # --keep-going writes every page even when a warning fails the build
    pages = {
        p.relative_to(DOCS).with_suffix("").as_posix() for p in DOCS.rglob("*.md") if "_build" not in p.parts
    }
    built = {p.relative_to(out).with_suffix("").as_posix() for p in out.rglob("*.html")}
    assert pages <= built, sorted(pages - built)
    for page in (DOCS / "api").glob("*.md"):
        if page.stem == "index":
            continue
        if ":no-members:" in page.read_text(encoding="utf-8"):
            continue  # a package's page: its docstring lists its modules
        html = (out / "api" / f"{page.stem}.html").read_text(encoding="utf-8")
        assert 'class="sig-name descname"' in html, f"api/{page.stem} documents nothing"


def _gen_api():
    spec = importlib.util.spec_from_file_location("gen_api", DOCS / "gen_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_public_module_has_an_api_page():
    """``docs/api/<module>.md`` exists for each public module and subpackage (``python docs/gen_api.py``)."""
    gen_api = _gen_api()
    modules = {m for pkg in gen_api.TITLES for m in gen_api.public_modules(ROOT, pkg)}
    assert not modules & gen_api.SKIP
    assert {"effective_theory.statics.relations", "verification.runtime.result_cache"} <= modules
    pages = {p.stem for p in (DOCS / "api").glob("*.md")} - {"index"}
    assert modules == pages, {"missing": sorted(modules - pages), "stale": sorted(pages - modules)}
    index = (DOCS / "api" / "index.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^((?:effective_theory|verification)(?:\.\w+)+)$", index, re.MULTILINE))
    assert listed == pages


def test_findings_name_every_claim_by_its_id():
    """docs/findings.md names every claim the registry declares, by the id the report and the tests use,
    and names no claim that does not exist."""
    from verification.figures.registry import FIGURES

    declared = {
        claim.id
        for fig in FIGURES.values()
        for tier in ("quick", "full")
        for claim in fig.claim_list(fig.settings(tier))
    }
    text = (ROOT / "docs" / "findings.md").read_text()
    named = set(re.findall(r"`((?:table2|fig\w+|univ-\w+)\.[a-z0-9_.-]+)`", text))
    assert declared - named == set()
    assert named - declared == set()


def test_results_tables_are_generated_from_the_committed_report():
    """docs/results.md's quick table and the README's quick counts are what docs/gen_results.py
    writes from docs/img/report-quick.json (so no verdict or number is typed by hand)."""
    spec = importlib.util.spec_from_file_location("gen_results", ROOT / "docs" / "gen_results.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for path, text in gen.rendered().items():
        assert path.read_text() == text, f"{path.name} is stale: run python docs/gen_results.py"
