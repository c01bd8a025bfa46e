"""The README's example runs, and its two set-up commands are what CI runs."""

import doctest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_doctest():
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 4 and result.failed == 0


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = [line for line in readme.splitlines() if line.startswith("python3 -m venv .venv")]
    assert len(commands) == 2, "the README keeps exactly two set-up commands"
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci
    assert "geneft reproduce" in commands[0]
