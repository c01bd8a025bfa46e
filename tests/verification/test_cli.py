"""``geneft``: one table of commands, each listed by ``--help`` and dispatched by its name."""

import subprocess
import sys
from pathlib import Path

import pytest

from verification import cli
from verification.cli import COMMANDS, EXIT_CLOSED_PIPE, main

ROOT = Path(__file__).parents[2]


def test_every_command_is_listed_with_its_help(capsys):
    assert main(["--help"]) == 0
    out = "".join(capsys.readouterr().out.split())  # argparse wraps the help lines
    for name, command in COMMANDS.items():
        assert name in out and "".join(command.help.split()) in out, name


@pytest.mark.parametrize("name", ["bits", "reproduce"])
def test_command_parsers_carry_the_name_and_help(name):
    parser = COMMANDS[name].parser()
    assert parser.prog == f"geneft {name}" and parser.description == COMMANDS[name].help


def test_figure_parser_takes_the_figure():
    from verification.figures.registry import get_figure

    assert COMMANDS["figure"].parser(get_figure("4")).prog == "geneft figure 4"


def test_unknown_command_and_bad_option_are_one_line_exit_2(capsys):
    assert main(["nosuch"]) == 2
    assert main(["bits", "--nosuch"]) == 2
    err = capsys.readouterr().err
    assert err.count("geneft: error:") == 2 and "Traceback" not in err


@pytest.mark.parametrize("argv", [["figure"], ["bits", "--relation", "mod3", "--n", "12"]])
def test_closed_pipe_ends_quietly_with_status_141(argv):
    """``geneft figure | head -2``: the reader has gone before geneft writes; no error, status 141
    (128 + SIGPIPE, as a shell reports for a Unix tool the signal stopped)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "verification.cli", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    proc.stdout.close()  # the reader exits at once, long before the interpreter has started
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == EXIT_CLOSED_PIPE == 141
    assert err.decode() == ""


def test_broken_pipe_elsewhere_is_an_error(capsys, monkeypatch, tmp_path):
    """A broken pipe that is not stdout's (a worker's) is reported, not taken for ``| head``."""

    def broken(argv):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "_dispatch", broken)
    with open(tmp_path / "stdout", "w") as out:  # an open stdout with a file descriptor
        monkeypatch.setattr(sys, "stdout", out)
        assert main(["figure"]) == 2
    assert capsys.readouterr().err.startswith("geneft: error: [Errno 32] Broken pipe")
