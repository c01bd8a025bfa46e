"""The dense grid: every point of a product of axes, each with all its runs, trained in one batch.

A figure names its axes (relations, learning rates, weight decays, ...) and a function that gives
the :class:`~verification.train_config.TrainConfig` of each run at a point (one per seed);
:func:`train_grid` trains all of them through :func:`verification.runs.train_runs` -- one batched
ensemble, or cached chunks through an executor, as the :class:`~verification.runtime.context.RunContext`
says -- and hands back each point's :class:`~verification.runs.RunResults`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Sequence

from verification.runs import RunResults, train_runs
from verification.runtime.context import RunContext
from verification.train_config import Schedule, TrainConfig

__all__ = ["grid_points", "train_grid"]


def grid_points(*axes: Sequence) -> list[tuple]:
    """Every point of the grid ``axes[0] x axes[1] x ...``, the last axis varying fastest.

    Examples
    --------
    >>> grid_points(["mod3", "greater"], [-3.0, -2.0])
    [('mod3', -3.0), ('mod3', -2.0), ('greater', -3.0), ('greater', -2.0)]
    """
    return list(itertools.product(*axes))


def train_grid(
    points: Sequence[Hashable],
    configs_at: Callable[[Hashable], Sequence[TrainConfig]],
    schedule: Schedule | None = None,
    run: RunContext | None = None,
    *,
    desc: str = "grid",
) -> list[RunResults]:
    """Train the runs ``configs_at(point)`` of every point in one call; each point's results.

    Parameters
    ----------
    points : sequence
        The design's points, e.g. from :func:`grid_points`.
    configs_at : callable
        ``configs_at(point)`` is the list of the point's runs (one config per seed).
    schedule : Schedule, optional
        Budget, evaluation and Table IV classification of every run.
    run : RunContext, optional
        Device, executor, cache, chunk size, progress (:func:`verification.runs.train_runs`).
    desc : str
        Label of the progress report.

    Returns
    -------
    list of RunResults
        One per point, in the order of ``points``, its runs in the order ``configs_at`` gave them.

    Examples
    --------
    Two seeds at each of two encoder learning rates:

    >>> def configs_at(point):
    ...     (log_eta_enc,) = point
    ...     return [TrainConfig(n=6, eta_enc=10.0**log_eta_enc, seed=s) for s in (0, 1)]
    >>> runs = train_grid(grid_points([-3.0, -2.0]), configs_at, Schedule(steps=20))
    >>> [len(r) for r in runs], runs[1].configs[0].eta_enc == 10.0**-2
    ([2, 2], True)
    """
    groups = [list(configs_at(point)) for point in points]
    results = train_runs([cfg for group in groups for cfg in group], schedule, run, desc=desc)
    return results.split([len(group) for group in groups])
