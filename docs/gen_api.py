"""Write docs/api/<package>.<module>.md for every public module (run from the worktree root)."""
import pathlib
import sys

SKIP = {"cli", "bits_command"}  # CLI internals (tests/test_docs.py: CLI_MODULES)
root = pathlib.Path(".")
pages = {"effective_theory": [], "verification": []}
for pkg in pages:
    for f in sorted((root / pkg).glob("*.py")):
        if f.stem.startswith("_") or f.stem in SKIP:
            continue
        pages[pkg].append(f.stem)
api = root / "docs" / "api"
api.mkdir(exist_ok=True)
for pkg, mods in pages.items():
    for m in mods:
        full = f"{pkg}.{m}"
        (api / f"{full}.md").write_text(
            f"# `{full}`\n\n```{{eval-rst}}\n.. automodule:: {full}\n   :members:\n```\n", encoding="utf-8")
idx = ["# Python API", "",
       "One page per public module.  The names re-exported by `effective_theory` (and `verification`)",
       "are listed in each package's `__all__`; {doc}`../equations` says which function computes",
       "which equation of the paper.", ""]
titles = {"effective_theory": "The theory: `effective_theory`",
          "verification": "The experiments: `verification`"}
for pkg, mods in pages.items():
    if not mods:
        continue
    idx += [f"## {titles[pkg]}", "", "```{toctree}", ":maxdepth: 1", ""]
    idx += [f"{pkg}.{m}" for m in mods]
    idx += ["```", ""]
(api / "index.md").write_text("\n".join(idx), encoding="utf-8")
print(pages, file=sys.stderr)
