"""Write docs/api/<module>.md for every public module, subpackages included (run from the repo root).

A module is public when no part of its dotted name starts with ``_``; a package gets a page of its
own (its docstring lists its modules).  CLI front-ends are left out (``tests/test_docs.py``:
``CLI_MODULES``).  Run ``python docs/gen_api.py`` after adding, moving or removing a module;
``tests/test_docs.py`` fails when the pages are out of date.
"""

import pathlib
import sys

#: CLI internals
SKIP = {
    "verification.cli",
    "verification.cli_options",
    "verification.bits_command",
    "verification.archive_command",
    "verification.relations_command",
}
TITLES = {
    "effective_theory": "The theory: `effective_theory`",
    "verification": "The experiments: `verification`",
}


def public_modules(root: pathlib.Path, pkg: str) -> list[str]:
    """Dotted names of the public modules and subpackages of ``pkg`` (sorted, tests excluded)."""
    names = []
    for f in sorted((root / pkg).rglob("*.py")):
        if f.parent.name == "tests":
            continue
        rel = f.relative_to(root).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(p.startswith("_") for p in parts) or "tests" in parts:
            continue
        name = ".".join(parts)
        if name != pkg and name not in SKIP:
            names.append(name)
    return sorted(names)


def is_package(root: pathlib.Path, name: str) -> bool:
    """True when ``name`` is a package (a folder with ``__init__.py``)."""
    return (root / name.replace(".", "/") / "__init__.py").exists()


def main(root=pathlib.Path(".")) -> dict:
    pages = {pkg: public_modules(root, pkg) for pkg in TITLES}
    api = root / "docs" / "api"
    api.mkdir(exist_ok=True)
    for old in api.glob("*.md"):
        if old.name != "index.md":
            old.unlink()
    for mods in pages.values():
        for full in mods:
            # a package's page is its docstring (the list of its modules); a module's lists its members
            members = "   :no-members:\n" if is_package(root, full) else "   :members:\n"
            (api / f"{full}.md").write_text(
                f"# `{full}`\n\n```{{eval-rst}}\n.. automodule:: {full}\n{members}```\n", encoding="utf-8"
            )
    idx = [
        "# Python API",
        "",
        "One page per public module.  The names re-exported by `effective_theory` (and `verification`)",
        "are listed in each package's `__all__`; {doc}`../equations` says which function computes",
        "which equation of the paper.",
        "",
    ]
    for pkg, mods in pages.items():
        idx += [f"## {TITLES[pkg]}", "", "```{toctree}", ":maxdepth: 1", ""]
        idx += mods
        idx += ["```", ""]
    (api / "index.md").write_text("\n".join(idx), encoding="utf-8")
    return pages


if __name__ == "__main__":
    print(main(), file=sys.stderr)
