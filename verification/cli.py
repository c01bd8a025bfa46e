"""The ``geneft`` command line.

Sub-commands are thin front-ends to library modules.  Each front-end module
exposes ``add_arguments(parser)`` and ``run(args) -> int | None`` and is
imported only when its command is used, so ``geneft bits`` never imports
torch.

Bad input (unknown figure, unreadable file, impossible parameter) prints one
line ``geneft: error: ...`` to stderr and exits with status 2, no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main", "UsageError", "COMMANDS", "FIGURES"]


class UsageError(Exception):
    """A user error that the CLI reports in one line with exit status 2."""


#: command name -> (front-end module, help)
COMMANDS = {
    "bits": ("verification.bits_command", "description length b = log2(n!/|Aut G|) of a graph"),
    "reproduce": ("verification.reproduce", "regenerate the paper's figures and a report"),
}

#: figure number -> front-end module (each has add_arguments/run)
FIGURES = {
    "2": "verification.figures.figure2",
    "3": "verification.figures.figure3",
    "4": "verification.figures.figure4",
    "5": "verification.figures.figure5",
    "6": "verification.figures.figure6",
    "7": "verification.figures.figure7",
    "8": "verification.figures.figure8",
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line (no usage dump) and exits 2."""

    def error(self, message):  # noqa: D401 - argparse API
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _load(module_name: str):
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            raise UsageError(f"{module_name} is not available in this version of geneft") from exc
        raise


def _build_parser(argv):
    from effective_theory import __version__

    top = _Parser(
        prog="geneft",
        description="GenEFT toolkit: statics and dynamics of generalization (Baek, Liu, Tegmark 2025).",
    )
    top.add_argument("--version", action="version", version=f"geneft {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (_mod, help_) in COMMANDS.items():
        sub.add_parser(name, help=help_, add_help=False)
    sub.add_parser("figure", help="regenerate one figure of the paper (geneft figure N)", add_help=False)

    if not argv or argv[0] not in (*COMMANDS, "figure"):
        return top, None

    cmd = argv[0]
    if cmd == "figure":
        fig_parser = _Parser(prog="geneft figure", description="Regenerate one figure of the paper.")
        fig_parser.add_argument("number", choices=sorted(FIGURES), help="figure number")
        if len(argv) < 2 or argv[1] in ("-h", "--help"):
            return fig_parser, None
        number = argv[1]
        if number not in FIGURES:
            raise UsageError(f"unknown figure {number!r}; choose one of {', '.join(sorted(FIGURES))}")
        module = _load(FIGURES[number])
        p = _Parser(prog=f"geneft figure {number}", description=(module.__doc__ or "").split("\n")[0])
        p.add_argument("--out", default=".", help="output directory (default: current directory)")
        module.add_arguments(p)
        return p, module
    module = _load(COMMANDS[cmd][0])
    p = _Parser(prog=f"geneft {cmd}", description=COMMANDS[cmd][1])
    module.add_arguments(p)
    return p, module


def main(argv=None) -> int:
    """Entry point of the ``geneft`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        parser, module = _build_parser(argv)
        if module is None:
            args = parser.parse_args(argv)  # prints help / errors
            parser.print_help()
            return 0 if argv else 2
        rest = argv[2:] if argv[0] == "figure" else argv[1:]
        args = parser.parse_args(rest)
        status = module.run(args)
        return int(status or 0)
    except UsageError as exc:
        print(f"geneft: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OSError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"geneft: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("geneft: interrupted (finished results are kept)", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
