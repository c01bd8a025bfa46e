"""``geneft``: one table of commands, each listed by ``--help`` and dispatched by its name."""

import pytest

from verification.cli import COMMANDS, main


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
