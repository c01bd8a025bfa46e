"""``geneft``: one table of commands, each listed by ``--help`` and dispatched by its name."""

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from verification import cli
from verification.cli import COMMANDS, EXIT_CLOSED_PIPE, main
from verification.figures.registry import FIGURES

ROOT = Path(__file__).parents[2]
FIGURES_BY_NUMBER = {f.number: f for f in FIGURES.values()}


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


@pytest.fixture
def two_row_figure(monkeypatch):
    """A figure whose two statistical rows each hold alone (p 0.04 < 0.05) but not after Holm."""
    import dataclasses
    import types

    from verification.figures.registry import Figure
    from verification.verdicts import Claim

    mod = types.ModuleType("fake_two_row_figure")

    @dataclasses.dataclass(frozen=True)
    class Settings:
        k: int
        seed: int = 0

    stats = {"p_hold": 0.04, "p_fail": 0.9, "alpha": 0.05, "p_raw": 0.04, "p_adjusted": 0.04}
    mod.Settings = Settings
    mod.data = lambda settings, run: {"k": settings.k}
    mod.plot = lambda data, out: []
    mod.claims = lambda settings: [Claim("fake.a", "claim a"), Claim("fake.b", "claim b")]
    mod.evaluate = lambda data: [
        (
            name,
            {"theory": "> 0", "measured": "0.1", "tolerance": "t", "verdict": "holds", "statistics": stats},
        )
        for name in ("claim a", "claim b")
    ]
    monkeypatch.setitem(sys.modules, mod.__name__, mod)
    fig = Figure(
        key="fake",
        number="fake",
        title="a fake figure",
        source="test",
        module=mod.__name__,
        data="data",
        settings_type="Settings",
        tiers={"quick": {"k": 1}, "full": {"k": 2}},
    )
    monkeypatch.setattr(cli, "get_figure", lambda name: fig)
    return fig


def test_figure_verdicts_say_they_are_adjusted_among_the_figures_rows(two_row_figure, tmp_path, capsys):
    """``geneft figure N`` Holm-adjusts its own rows together and says so above them."""
    assert main(["figure", "fake", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("verdicts: p-values Holm-adjusted among this figure's 2 statistical rows;")
    assert "`geneft reproduce` adjusts across the report" in lines[0]
    assert lines[1].startswith("inconclusive claim a") and lines[2].startswith("inconclusive claim b")
    assert "(p 0.04 raw, 0.08 adjusted)" in lines[1]


def test_verdict_header_names_the_family():
    from verification.report import Check

    row = Check("c", "s", "t", "m", "tol", "holds", "cmd", statistics={"p_raw": 0.01})
    assert "one p-value, unadjusted" in cli.verdict_header([row])
    assert cli.verdict_header([dataclasses.replace(row, statistics=None)]).endswith("(no p-values to adjust)")


def _options(parser) -> set[str]:
    return {opt for action in parser._actions for opt in action.option_strings}


@pytest.mark.parametrize("number", [f.number for f in FIGURES.values()])
def test_figure_help_shows_the_options_the_figure_uses_each_described(number):
    """``geneft figure N --help``: where networks train only for a figure that trains; progress only
    for one that reports it; every setting with its description and its quick and full values."""
    fig = FIGURES_BY_NUMBER[number]
    parser = COMMANDS["figure"].parser(fig)
    training = {"--device", "--chunk-size", "--executor", "--jobs", "--ray-address", "--ray-gpus-per-task"}
    assert training <= _options(parser) if fig.trains else not training & _options(parser)
    assert ("--progress" in _options(parser)) == fig.reports_progress
    settings = next(g for g in parser._action_groups if g.title.startswith("settings"))
    for action in settings._group_actions:
        words, tiers = action.help.rsplit(" (quick ", 1)
        assert len(words) > 5 and "stored as a tuple" not in words and "]_" not in words, action.dest
        assert "; full " in tiers, action.dest


def test_figure4_help_lists_no_training_options(capsys):
    assert main(["figure", "4", "--help"]) == 0
    out = capsys.readouterr().out
    assert (
        "--device" not in out and "--executor" not in out and "--ray" not in out and "--progress" not in out
    )
    assert "Monte Carlo runs of each check" in out  # --n, described


@pytest.mark.parametrize(
    "module, extra", [("torch", "train"), ("matplotlib.pyplot", "plot"), ("tqdm.auto", "train")]
)
def test_a_missing_extra_is_named_in_one_line(monkeypatch, capsys, module, extra):
    """A command that needs a package the base install leaves out names the extra to install."""

    def needs(rest):
        raise ModuleNotFoundError(f"No module named {module!r}", name=module)

    monkeypatch.setitem(cli.COMMANDS, "needy", cli.Command("needs an extra", None, needs))
    assert main(["needy"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"geneft[{extra}]" in err and module in err
    monkeypatch.setitem(
        cli.COMMANDS, "broken", cli.Command("a bug", None, lambda rest: __import__("no_such_module_at_all"))
    )
    with pytest.raises(ModuleNotFoundError):
        main(["broken"])
