"""Options that several ``geneft`` commands share, and the executor they ask for.

* :func:`add_run_options` -- tier, seed, output folder, cache and progress of ``geneft figure N`` and
  ``geneft reproduce``, and, where networks train, the device, the archive of trained runs, the
  chunk size and the executor options;
* :func:`add_executor_arguments` and :func:`executor_from_args` -- ``--executor {local,ray}``,
  ``--jobs`` and the Ray options, turned into an :class:`~verification.runtime.executor.Executor`;
* :func:`list_of` -- the ``type`` of a list option (``--relations mod3,greater``).

The command line's side of :mod:`verification.runtime`: the executors know nothing of argparse.
"""

from __future__ import annotations

import argparse

from verification.runtime.executor import EXECUTORS, Executor, LocalExecutor, default_jobs, get_executor

__all__ = ["list_of", "add_run_options", "add_executor_arguments", "executor_from_args"]


def list_of(kind):
    """argparse ``type`` for one token of a list option: ``"a,b"`` -> ``[a, b]``."""

    def parse(text: str):
        items = [t for t in text.split(",") if t.strip()]
        try:
            return [kind(t.strip()) for t in items]
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a list of {kind.__name__}: {text!r}") from None

    parse.__name__ = f"list of {kind.__name__}"
    return parse


def add_run_options(
    p: argparse.ArgumentParser,
    *,
    default_out: str,
    trains: bool = True,
    seed: bool = True,
    progress: bool = True,
) -> None:
    """Options of a command that runs experiments: tier, output and cache; ``seed`` and
    ``progress`` where they apply; with ``trains``, where the networks train (device, chunk
    size, executor and its Ray options).

    ``geneft figure N`` asks only for what figure N uses: ``trains`` from the registry's
    :attr:`~verification.figures.registry.Figure.trains`, ``seed`` when its settings have one,
    ``progress`` from :attr:`~verification.figures.registry.Figure.reports_progress`.  An
    option left out has the value that changes nothing (seed 0, no device, no progress).
    """
    tier = p.add_mutually_exclusive_group()
    tier.add_argument(
        "--quick",
        dest="tier",
        action="store_const",
        const="quick",
        help="reduced grids and budgets: minutes on 2 CPU cores (default)",
    )
    tier.add_argument(
        "--full",
        dest="tier",
        action="store_const",
        const="full",
        help="the paper's scale (10^5 steps, fine grids; a GPU is recommended)"
        if trains
        else "the paper's scale (larger samples and grids)",
    )
    p.set_defaults(tier="quick")
    if seed:
        p.add_argument("--seed", type=int, default=0, help="added to the tier's experiment seed (default 0)")
    if trains:
        p.add_argument(
            "--device", choices=("cpu", "cuda"), default="cpu", help="where networks train (default cpu)"
        )
    p.add_argument("--out", default=default_out, help=f"output folder (default: {default_out})")
    p.add_argument(
        "--fresh",
        action="store_true",
        help="ignore cached and archived results (recompute)"
        if trains
        else "ignore cached results (recompute)",
    )
    p.add_argument(
        "--strict-cache",
        action="store_true",
        help="an invalid cache entry (edited, swapped or malformed) is an error naming the file, "
        "not a warning and recomputation",
    )
    if progress:
        _add_progress(p)
    else:
        p.set_defaults(progress=False)
    if not seed:
        p.set_defaults(seed=0)
    if not trains:  # nothing trains: no device, no chunks, the local executor, no archive of runs
        p.set_defaults(device=None, chunk_size=None, executor="local")
        p.set_defaults(archive=None, no_archive=True, archive_only=False)
        return
    g = p.add_argument_group("archive (trained runs shipped with the code; see docs/reproducing.md)")
    g.add_argument(
        "--archive",
        default=None,
        metavar="DIR",
        help="archive of runs: a training chunk missing from the cache is rebuilt from it when every "
        "run of it is archived under the same configuration (default: the repository's archive/)",
    )
    g.add_argument("--no-archive", action="store_true", help="train what the cache lacks; read no archive")
    g.add_argument(
        "--archive-only",
        action="store_true",
        help="train nothing: a training chunk neither cached nor archived is an error that names it",
    )
    p.add_argument(
        "--chunk-size",
        type=int,
        default=None,
        help="configs per chunk of a sweep (default: one batched ensemble; 16 at the full "
        "tier on a CPU, so that finished chunks are kept)",
    )
    add_executor_arguments(p)


def _add_progress(p) -> None:
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress on stderr: a bar on a terminal, one plain line per chunk (with elapsed time "
        "and ETA) in a log (default: when stderr is a terminal)",
    )


def add_executor_arguments(parser) -> None:
    """Add ``--executor {local,ray}``, ``--ray-address`` and the Ray task options to a CLI parser.

    For the front-ends of ``geneft reproduce`` and ``geneft figure N``; turn the parsed
    arguments into an executor with :func:`executor_from_args`.

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_executor_arguments(p)
    >>> a = p.parse_args(["--executor", "ray", "--ray-address", "auto", "--ray-gpus-per-task", "1"])
    >>> a.executor, a.ray_address, a.ray_gpus_per_task, a.ray_max_retries
    ('ray', 'auto', 1.0, 3)
    """
    g = parser.add_argument_group("executor (where the sweeps run)")
    g.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="'local': in-process (default); 'ray': one Ray task per chunk of the sweep "
        '(needs pip install "geneft[ray]")',
    )
    g.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="local executor: chunks trained at once, one core each (default: every core with "
        "--device cpu, 1 with cuda)",
    )
    g.add_argument(
        "--ray-address",
        default=None,
        metavar="ADDR",
        help="Ray cluster to use: 'auto', 'ray://HOST:10001' or 'HOST:6379' "
        "(default: start a local Ray instance)",
    )
    g.add_argument(
        "--ray-cpus-per-task",
        type=float,
        default=1.0,
        metavar="N",
        help="CPU cores reserved per chunk (default 1)",
    )
    g.add_argument(
        "--ray-gpus-per-task",
        type=float,
        default=0.0,
        metavar="N",
        help="GPUs reserved per chunk (default 0; use with --device cuda)",
    )
    g.add_argument(
        "--ray-max-retries",
        type=int,
        default=3,
        metavar="N",
        help="retries of a chunk whose worker died (default 3)",
    )


def executor_from_args(args) -> Executor:
    """The executor asked for by the options of :func:`add_executor_arguments`.

    Raises
    ------
    ValueError
        For Ray options without ``--executor ray``, or bad values.
    MissingDependencyError
        For ``--executor ray`` without Ray installed (a ValueError: the CLI prints one line).

    Examples
    --------
    >>> import argparse
    >>> p = argparse.ArgumentParser()
    >>> add_executor_arguments(p)
    >>> executor_from_args(p.parse_args(["--jobs", "1"]))
    LocalExecutor()
    >>> executor_from_args(p.parse_args(["--jobs", "2"]))
    LocalExecutor(jobs=2)
    >>> executor_from_args(p.parse_args(["--ray-address", "auto"]))
    Traceback (most recent call last):
    ...
    ValueError: --ray-address needs --executor ray
    """
    name = getattr(args, "executor", "local") or "local"
    address = getattr(args, "ray_address", None)
    if name == "local":
        if address is not None:
            raise ValueError("--ray-address needs --executor ray")
        if getattr(args, "ray_gpus_per_task", 0):
            raise ValueError("--ray-gpus-per-task needs --executor ray")
        jobs = getattr(args, "jobs", None)
        if jobs is None:
            return LocalExecutor(jobs=default_jobs(getattr(args, "device", None) or "cpu"))
        if jobs < 1:  # an int from argparse; LocalExecutor checks the rest
            raise ValueError(f"--jobs must be a positive integer, got {jobs!r}")
        return LocalExecutor(jobs=jobs)
    if getattr(args, "jobs", None) is not None:
        raise ValueError("--jobs applies to the local executor (a Ray task per chunk runs them all)")
    return get_executor(
        name,
        address=address,
        num_cpus_per_task=getattr(args, "ray_cpus_per_task", 1.0),
        num_gpus_per_task=getattr(args, "ray_gpus_per_task", 0.0),
        max_retries=getattr(args, "ray_max_retries", 3),
    )
