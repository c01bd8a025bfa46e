"""The ``geneft`` command line.

* ``geneft bits FILE | --relation NAME --n N`` -- description length of a graph
  (:mod:`verification.bits_command`);
* ``geneft figure`` lists the paper's results; ``geneft figure N`` computes, draws and checks one
  of them with the settings of the registry (:data:`verification.figures.registry.FIGURES`), any of
  which an option overrides (``--steps 1000``, ``--relations mod3,greater``); its verdicts are
  Holm-adjusted among the figure's own rows, and a line above them says so;
* ``geneft reproduce`` does it for all of them and writes the report (:mod:`verification.reproduce`);
  both read the archive of trained runs under the result cache (:mod:`verification.archive`);
* ``geneft archive add CACHE_DIR`` adds a cache's training chunks to the archive, ``geneft
  archive list`` says what it holds, and ``geneft verify-archive --sample K`` retrains a seeded
  sample of archived runs and compares (:mod:`verification.archive_command`);
* ``geneft relations`` lists the catalogue of relations with their statics, and ``geneft study
  RELATION`` puts one relation through theory and experiment (:mod:`verification.relations_command`).

The commands are one table, :data:`COMMANDS` (name -> help, parser builder, handler); the
options several of them share are built in :mod:`verification.cli_options`.  Front-ends are
imported only when their command is used, so ``geneft bits`` imports neither torch nor sympy.
Bad input (unknown figure, unreadable file, impossible parameter, a device that is not there)
prints one line ``geneft: error: ...`` to stderr and exits with status 2, no traceback.  Lists
are given the same way everywhere: comma-separated, space-separated, or both.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import select
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from effective_theory import __version__
from verification.cli_options import add_run_options, executor_from_args, list_of
from verification.runtime.context import RunContext

__all__ = ["main", "UsageError", "Command", "COMMANDS", "EXIT_CLOSED_PIPE", "EXTRA_OF", "verdict_header"]


class UsageError(Exception):
    """A user error that the CLI reports in one line with exit status 2."""


class Command(NamedTuple):
    """One ``geneft`` command: its one-line help, the builder of its parser, and its handler."""

    help: str
    #: builds the command's argument parser (``geneft figure``'s takes the figure)
    parser: Callable[..., argparse.ArgumentParser]
    #: runs the command on the arguments after its name; returns the exit status
    run: Callable[[list[str]], int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports errors in one line (no usage dump) and exits 2."""

    def error(self, message):  # noqa: D401 - argparse API
        print(f"geneft: error: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(2)


# --------------------------------------------------------------------------- shared options


def _run_options(args):
    # imported here: verification.reproduce takes 0.65 s to import after verification.cli
    # (measured; scipy.stats, through the report's statistics), which `geneft bits`, `geneft
    # --help` and `geneft figure` (the list) do not need
    from verification.reproduce import check_device

    if args.seed < 0:  # (a figure without the option has seed 0, device None, chunk_size None)
        raise UsageError(f"--seed must be a non-negative integer, got {args.seed}")
    if args.chunk_size is not None and args.chunk_size < 1:
        raise UsageError(f"--chunk-size must be a positive integer, got {args.chunk_size}")
    check_device(args.device)
    if args.no_archive and (args.archive is not None or args.archive_only):
        raise UsageError("--no-archive cannot go with --archive or --archive-only")
    progress = sys.stderr.isatty() if args.progress is None else args.progress
    return progress


def _archive_layer(args):
    """The archive layer of the result cache the options ask for, or ``None`` (``--no-archive``)."""
    from verification.archive.layer import DEFAULT_ARCHIVE, ArchiveLayer  # stdlib only until used

    if args.no_archive:
        return None
    root = Path(args.archive) if args.archive is not None else DEFAULT_ARCHIVE
    if args.archive is not None and not root.is_dir():
        raise UsageError(f"--archive {args.archive}: no such folder")
    return ArchiveLayer(root, missing="error" if args.archive_only else "train")


# --------------------------------------------------------------------------- geneft figure


def _registry():
    """:mod:`verification.figures.registry`, imported on first use: it takes over a second to import
    (scipy.stats, through the verdicts; measured), which ``geneft bits`` does not need."""
    return importlib.import_module("verification.figures.registry")


def get_figure(name):
    """:func:`verification.figures.registry.get_figure`, the registry imported on first use."""
    return _registry().get_figure(name)


def _figure_list() -> str:
    lines = ["The paper's results (geneft figure N [--quick | --full] [options]):", ""]
    lines += [f"  {f.number:7s} {f.title}" for f in _registry().FIGURES.values()]
    lines += ["", "geneft figure N --help lists N's settings; geneft reproduce runs them all."]
    return "\n".join(lines)


#: how a settings docstring says a list is kept, which the command line need not repeat
_STORED_AS = re.compile(r",? ?\(?stored as a tuple\)?")


def _figure_parser(fig) -> argparse.ArgumentParser:
    p = _Parser(
        prog=f"geneft figure {fig.number}",
        description=f"{fig.title} ({fig.source}).",
        epilog="List options take comma- or space-separated values.",
    )
    quick, full = fig.tiers["quick"], fig.tiers["full"]
    # only the options the figure uses: where networks train for a figure that trains any
    add_run_options(
        p, default_out=".", trains=fig.trains, seed="seed" in quick, progress=fig.reports_progress
    )
    g = p.add_argument_group("settings (default: the tier's; see geneft reproduce)")
    described = fig.setting_descriptions()
    for key, value in [*quick.items(), *fig.options.items()]:
        if key == "seed" or isinstance(value, Mapping) or value is None:
            continue  # structured settings are changed in the registry, not on the command line
        flag = "--" + key.replace("_", "-")
        tiers = f"quick {_show(value)}; full {_show(full.get(key, value))}"
        words = _STORED_AS.sub("", described.get(key, ""))
        shown = (f"{words} ({tiers})" if words else tiers).replace("%", "%%")
        if isinstance(value, tuple):
            kind = type(value[0]) if value else str
            g.add_argument(
                flag,
                dest=f"set_{key}",
                type=list_of(kind),
                nargs="+",
                default=None,
                metavar=kind.__name__.upper(),
                help=shown,
            )
        else:
            g.add_argument(
                flag,
                dest=f"set_{key}",
                type=type(value),
                default=None,
                metavar=type(value).__name__.upper(),
                help=shown,
            )
    return p


#: the settings that name relations: a graph file among them is read here, so that the settings
#: (the figure's cache key) hold its content, not its path
_RELATION_SETTINGS = ("relations", "relation")


def _read_relations(overrides: dict) -> None:
    """Replace, in place, every relation of a relation setting by its spec (a file by its content
    key, labelled with its stem): :func:`effective_theory.relation_spec`."""
    # imported here: the relation readers bring the automorphism engines (0.3 s), which only a
    # command that names a relation needs
    from effective_theory.statics.relation_input import relation_spec

    def spec(value, flag):
        try:
            return relation_spec(value, name=flag)
        except (TypeError, ValueError) as exc:
            msg = str(exc).splitlines()[0]
            if str(value) not in msg:  # say which of the relations it is
                msg = msg.replace(flag, f"{flag} {value}", 1)
            raise UsageError(msg) from None

    for key in _RELATION_SETTINGS:
        if key in overrides:
            value, flag = overrides[key], "--" + key
            overrides[key] = [spec(v, flag) for v in value] if isinstance(value, list) else spec(value, flag)


def verdict_header(checks) -> str:
    """The line above ``geneft figure N``'s verdicts: the family its p-values are adjusted in.

    Examples
    --------
    >>> verdict_header([])
    'verdicts: no statistical rows (no p-values to adjust)'
    """
    k = sum(1 for c in checks if c.statistics)
    if not k:
        return "verdicts: no statistical rows (no p-values to adjust)"
    family = (
        "this figure's one p-value, unadjusted (its only statistical row)"
        if k == 1
        else f"p-values Holm-adjusted among this figure's {k} statistical rows"
    )
    return (
        f"verdicts: {family}; `geneft reproduce` adjusts across the report's rows, where a verdict "
        "decided here can be inconclusive"
    )


def _show(value) -> str:
    if isinstance(value, tuple):
        if len(value) <= 6:
            return ",".join(str(v) for v in value)
        return f"{value[0]}..{value[-1]} ({len(value)} values)"
    return str(value)


def _run_figure(fig, args) -> int:
    # imported here: verification.reproduce takes 0.65 s to import after verification.cli
    # (measured; scipy.stats), and the result cache 87 ms (numpy, tqdm), which only a command that
    # computes a figure needs
    from verification.report import adjust
    from verification.reproduce import default_cache, run_figure
    from verification.runtime.result_cache import ResultCache

    progress = _run_options(args)
    overrides = {}
    for key in [*fig.tiers["quick"], *fig.options]:
        value = getattr(args, f"set_{key}", None)
        if value is not None:
            overrides[key] = [v for part in value for v in part] if isinstance(value, list) else value
    _read_relations(overrides)
    cache = ResultCache(
        default_cache(args.out), fresh=args.fresh, layer=_archive_layer(args), strict=args.strict_cache
    )
    with executor_from_args(args) as ex:
        local = getattr(args, "executor", "local") == "local"
        run = RunContext(
            device=args.device,
            executor=None if local else ex,
            cache=cache,
            chunk_size=args.chunk_size,
            progress=progress,
        )
        task = run_figure(fig, args.out, tier=args.tier, seed=args.seed, overrides=overrides, run=run)
    checks = adjust(task.checks)  # the figure's own rows, one family
    print(verdict_header(checks))
    for c in checks:
        s = c.statistics
        p = f" (p {s['p_raw']:.2g} raw, {s['p_adjusted']:.2g} adjusted)" if s else ""
        print(f"{c.verdict:12s} {c.prediction}: {c.measured}{p}")
    print("wrote " + ", ".join(str(p) for p in [*task.figures, *task.data_files]))
    return 0


# --------------------------------------------------------------------------- geneft reproduce


def _reproduce_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="geneft reproduce", description=COMMANDS["reproduce"].help)
    add_run_options(p, default_out="geneft-results")
    p.add_argument("--only", default=None, help=f"comma-separated tasks: {','.join(_registry().FIGURES)}")
    return p


def _run_reproduce(args) -> int:
    # imported here: verification.reproduce takes 0.65 s to import after verification.cli
    # (measured; scipy.stats), which only `geneft reproduce` and `geneft figure N` need
    from verification.reproduce import default_cache, run_reproduce, task_names

    progress = _run_options(args)
    only = [s.strip() for s in args.only.split(",") if s.strip()] if args.only else None
    local = getattr(args, "executor", "local") == "local"
    if args.tier == "full" and args.device == "cpu" and local:
        print(
            "note: the full tier on a CPU takes hours per figure (docs/reproducing.md); finished "
            f"chunks are kept in {default_cache(args.out)}, so an interrupted run resumes",
            file=sys.stderr,
            flush=True,
        )
    with executor_from_args(args) as ex:
        run = RunContext(
            device=args.device, executor=None if local else ex, chunk_size=args.chunk_size, progress=progress
        )
        outputs = run_reproduce(
            args.out,
            scale=args.tier,
            only=only,
            seed=args.seed,
            fresh=args.fresh,
            strict_cache=args.strict_cache,
            run=run,
            archive=_archive_layer(args),
            log=sys.stdout,
        )
    n_checks = sum(len(o.checks) for o in outputs.values())
    where = Path(args.out) / "report.md"
    print(f"wrote {where}, report.html and report.json ({len(outputs)} tasks, {n_checks} checks)")
    missing = [name for name in task_names(only) if name not in outputs]
    if missing:  # --archive-only: the report lists why; the exit status says it is incomplete
        print(
            f"geneft: {len(missing)} task(s) not in the archive, not rebuilt: {', '.join(missing)} "
            f"(listed in {where})",
            file=sys.stderr,
        )
        return 1
    return 0


# --------------------------------------------------------------------------- geneft bits


def _bits_command():
    """:mod:`verification.bits_command`, by importlib (``from verification import`` would look the
    name up among the lazy package's modules first, and import torch)."""
    return importlib.import_module("verification.bits_command")


def _bits_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="geneft bits", description=COMMANDS["bits"].help)
    _bits_command().add_arguments(p)
    return p


def _bits(rest: list[str]) -> int:
    return int(_bits_command().run(_bits_parser().parse_args(rest)) or 0)


def _figure(rest: list[str]) -> int:
    """``geneft figure`` lists the results; ``geneft figure N [options]`` runs one."""
    if not rest or rest[0] in ("-h", "--help"):
        print(_figure_list())
        return 0
    try:
        fig = get_figure(rest[0])
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return _run_figure(fig, _figure_parser(fig).parse_args(rest[1:]))


def _reproduce(rest: list[str]) -> int:
    return _run_reproduce(_reproduce_parser().parse_args(rest))


# --------------------------------------------------------------------------- the archive of runs


def _archive_command():
    """:mod:`verification.archive_command`, by importlib (as :func:`_bits_command`)."""
    return importlib.import_module("verification.archive_command")


#: the actions of ``geneft archive``: help, description, and the names of the functions of
#: :mod:`verification.archive_command` that declare the action's arguments and run it
_ARCHIVE_ACTIONS = {
    "add": (
        "append every training chunk of a result cache to the archive (each run once)",
        "Append every training chunk of a result cache to the archive (each run once).",
        "add_parser_arguments",
        "run_add",
    ),
    "migrate": (
        "convert archive files to the current record format (content hashes added), in place",
        "Convert archive files to the current record format in place: each record is checked and "
        "written again with its content hash, every value kept.",
        "migrate_parser_arguments",
        "run_migrate",
    ),
    "list": (
        "what the archive holds: each file's runs, steps, phases, code commits, dates and hosts",
        "What the archive holds: one paragraph per file with its runs, step budgets, phases, the "
        "code commits and data versions that trained them, the dates and the hosts.",
        "list_parser_arguments",
        "run_list",
    ),
}


def _archive_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="geneft archive", description=COMMANDS["archive"].help)
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    for action, (help_, description, arguments, _) in _ARCHIVE_ACTIONS.items():
        getattr(_archive_command(), arguments)(sub.add_parser(action, help=help_, description=description))
    return p


def _archive(rest: list[str]) -> int:
    args = _archive_parser().parse_args(rest)
    return getattr(_archive_command(), _ARCHIVE_ACTIONS[args.action][3])(args)


def _verify_archive_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="geneft verify-archive", description=COMMANDS["verify-archive"].help)
    _archive_command().verify_parser_arguments(p)
    return p


def _verify_archive(rest: list[str]) -> int:
    return _archive_command().run_verify(_verify_archive_parser().parse_args(rest))


# --------------------------------------------------------------------------- relations


def _relations_command():
    """:mod:`verification.relations_command`, by importlib (as :func:`_bits_command`)."""
    return importlib.import_module("verification.relations_command")


def _relations_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="geneft relations", description=COMMANDS["relations"].help)
    _relations_command().add_relations_arguments(p)
    return p


def _relations(rest: list[str]) -> int:
    return _relations_command().run_relations(_relations_parser().parse_args(rest))


def _study_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="geneft study", description=COMMANDS["study"].help)
    _relations_command().add_study_arguments(p)
    return p


def _study(rest: list[str]) -> int:
    return _relations_command().run_study(_study_parser().parse_args(rest))


#: the commands, in the order ``geneft --help`` lists them
COMMANDS: dict[str, Command] = {
    "bits": Command("description length b = log2(n!/|Aut G|) of a graph or relation", _bits_parser, _bits),
    "figure": Command(
        "compute, draw and check one result of the paper (geneft figure lists them)", _figure_parser, _figure
    ),
    "reproduce": Command(
        "regenerate every result of the paper and the theory-versus-experiment report",
        _reproduce_parser,
        _reproduce,
    ),
    "archive": Command(
        "the archive of trained runs: 'geneft archive add CACHE_DIR' adds a result cache's runs, "
        "'geneft archive list' says what it holds, 'geneft archive migrate FILE' converts a file to "
        "the current format",
        _archive_parser,
        _archive,
    ),
    "verify-archive": Command(
        "retrain a seeded sample of archived runs and compare them with their records",
        _verify_archive_parser,
        _verify_archive,
    ),
    "relations": Command(
        "the catalogue of relations of known structure, with b, |Aut G| and Eq. (4)'s p_c",
        _relations_parser,
        _relations,
    ),
    "study": Command(
        "one relation (a name or a graph file): predicted against measured critical training fraction",
        _study_parser,
        _study,
    ),
}


# --------------------------------------------------------------------------- entry point


def _top_parser():
    top = _Parser(
        prog="geneft",
        description="GenEFT toolkit: statics and dynamics of generalization (Baek, Liu, Tegmark 2025).",
    )
    top.add_argument("--version", action="version", version=f"geneft {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, command in COMMANDS.items():
        sub.add_parser(name, help=command.help, add_help=False)
    return top


def _dispatch(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        top = _top_parser()
        top.parse_args(argv)  # --help, --version, or an error (exit 2)
        top.print_help()
        return 2
    return COMMANDS[argv[0]].run(argv[1:])


#: the extra of setup.cfg that installs each package the base install leaves out
EXTRA_OF = {"torch": "train", "tqdm": "train", "matplotlib": "plot", "ray": "ray"}

#: exit status when the reader of stdout has gone (``geneft figure | head -2``): 128 + SIGPIPE, what a
#: shell reports for a C tool that the signal stopped, so that ``set -o pipefail`` sees the same
EXIT_CLOSED_PIPE = 141


def _stdout_closed() -> bool:
    """Whether stdout's reader has gone (a pipe whose read end is closed polls as an error); a
    broken pipe of a worker's or of Ray's leaves stdout open, and is reported as an error."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # no poll (Windows), or a stdout without an fd
        return True


def _quiet_closed_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush at exit raises no second
    ``BrokenPipeError`` (the recipe of the Python documentation's ``signal`` notes)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # a replaced stdout (a test's capture) has no fd
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _run(argv: list[str]) -> int:
    try:
        return _dispatch(argv)
    except SystemExit as exc:  # argparse: --help (0) or a one-line usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    except UsageError as exc:
        print(f"geneft: error: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:
        extra = EXTRA_OF.get((exc.name or "").split(".")[0])
        if extra is None:
            raise
        print(
            f"geneft: error: this command needs {exc.name}, which the base install leaves out: "
            f"pip install 'geneft[{extra}]' (in a checkout: pip install -e '.[{extra}]')",
            file=sys.stderr,
        )
        return 2
    except BrokenPipeError:
        if _stdout_closed():
            raise
        print("geneft: error: [Errno 32] Broken pipe (not stdout's)", file=sys.stderr)
        return 2
    except (ValueError, TypeError, OSError) as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"geneft: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("geneft: interrupted (finished results are kept)", file=sys.stderr)
        return 130


def main(argv=None) -> int:
    """Entry point of the ``geneft`` console script; returns the exit status.

    A closed stdout (the reader of a pipe has exited: ``geneft figure | head -2``) ends the
    command quietly with status :data:`EXIT_CLOSED_PIPE`, as it ends a Unix tool.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        status = _run(argv)
        sys.stdout.flush()  # a closed pipe raises here, not at the interpreter's exit
        return status
    except BrokenPipeError:
        _quiet_closed_stdout()
        return EXIT_CLOSED_PIPE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
