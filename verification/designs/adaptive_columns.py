"""A generalization boundary located column by column, the rows chosen where it is uncertain.

The design of a phase diagram's full tier (Figures 5 and 8 of [1]_): in each *column* (a relation
and an encoder learning rate, or a decoder weight decay) the boundary ``y0`` -- the row (log10 of
the decoder learning rate) where a run generalizes with probability 1/2, Table IV's
generalization and grokking on one side, memorization on the other, confusion left out -- is
located round by round.  Each column starts with ``initial_points`` rows spread over ``y_range``,
``seeds`` runs each.  After every round each column's boundary is fitted
(:func:`verification.statistics.propose_column_points`: a probit fit of the column, bisection of
its profile-likelihood interval, a step outward while the column is censored) and
:func:`column_next_points` gives the column's next rows, or why it is finished: its 95 % interval
is narrower than ``precision`` decades, or the part of the interval inside ``y_range`` is (the
boundary lies at or beyond an end of the range: a censored column, kept as the bound it is).
All rows of all open columns train as one batch per round (:func:`~verification.designs.grid.train_grid`),
through the result cache when the :class:`~verification.runtime.context.RunContext` has one, so a
finished round is not recomputed and the rounds cost a few batched ensembles instead of a dense
grid.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from effective_theory._checks import check_int
from verification.designs.grid import train_grid
from verification.phases import is_generalizing
from verification.runs import RunResults
from verification.runtime.context import RunContext
from verification.statistics import propose_column_points
from verification.train_config import Schedule, TrainConfig

__all__ = ["ColumnDesign", "ColumnRuns", "column_next_points", "adaptive_columns"]


def _positive(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}")
    if not value > 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return float(value)


@dataclass(frozen=True)
class ColumnDesign:
    """The rules of :func:`adaptive_columns`: where each column starts, when it stops, the budget.

    Parameters
    ----------
    y_range : (float, float)
        Allowed rows (log10), increasing.
    seeds : int
        Runs added at a row each time it is chosen.
    initial_points : int
        Rows of a column's first round, evenly spread over ``y_range`` (rounded to ``resolution``).
    precision : float
        A column is finished when the 95 % interval of its boundary is narrower than this.
    resolution : float
        New rows are rounded to multiples of it (so repeated proposals reuse a row's runs).
    max_rounds : int
        At most this many rounds, the first included.
    max_runs : int or None
        At most this many runs in all: a round that would pass it trains only the rows that fit
        (in column order), so the design never costs more than ``max_runs`` runs of the schedule's
        steps.

    Raises
    ------
    TypeError, ValueError
        For a field of the wrong type or out of range, naming the field.

    Examples
    --------
    >>> ColumnDesign(y_range=(-5.0, -2.0), initial_points=3).initial_rows()
    [-5.0, -3.5, -2.0]
    >>> ColumnDesign(y_range=(-1.0, -4.0))
    Traceback (most recent call last):
    ...
    ValueError: y_range must be increasing, got (-1.0, -4.0)
    """

    y_range: tuple[float, float]
    seeds: int = 2
    initial_points: int = 4
    precision: float = 0.5
    resolution: float = 0.125
    max_rounds: int = 5
    max_runs: int | None = None

    def __post_init__(self):
        lo, hi = (float(v) for v in self.y_range)
        if not lo < hi:
            raise ValueError(f"y_range must be increasing, got {self.y_range!r}")
        object.__setattr__(self, "y_range", (lo, hi))
        for name in ("seeds", "initial_points", "max_rounds"):
            object.__setattr__(self, name, check_int(getattr(self, name), name, minimum=1))
        for name in ("precision", "resolution"):
            object.__setattr__(self, name, _positive(getattr(self, name), name))
        if self.max_runs is not None:
            object.__setattr__(self, "max_runs", check_int(self.max_runs, "max_runs", minimum=0))

    def initial_rows(self) -> list[float]:
        """The rows of every column's first round."""
        lo, hi = self.y_range
        steps = max(self.initial_points - 1, 1)
        return [
            round((lo + (hi - lo) * i / steps) / self.resolution) * self.resolution
            for i in range(self.initial_points)
        ]

    def runs_left(self, runs: int) -> float:
        """How many runs may still start after ``runs`` (``inf`` without ``max_runs``)."""
        return math.inf if self.max_runs is None else self.max_runs - runs


@dataclass
class ColumnRuns:
    """What :func:`adaptive_columns` trained.

    Attributes
    ----------
    points : list of (column, float)
        Every trained ``(column, row)`` in training order (a row chosen again appears again).
    results : list of RunResults
        The ``seeds`` runs of each entry of ``points``.
    rounds : list of dict
        Per round: ``runs``, ``model_steps`` (steps actually trained) and ``open_columns``.
    finished : dict
        Why each column stopped: ``"precise"``, ``"beyond the range"``, ``"at the stability
        limit"`` (generalizing up to a row where every run diverged into confusion: see
        :func:`column_next_points`), ``"confusion only"`` (no run left the confusion phase)
        or ``"budget exhausted"`` (``max_rounds`` or ``max_runs``).
    """

    points: list = field(default_factory=list)
    results: list[RunResults] = field(default_factory=list)
    rounds: list[dict] = field(default_factory=list)
    finished: dict = field(default_factory=dict)

    @property
    def runs(self) -> int:
        """Runs trained so far."""
        return sum(len(r) for r in self.results)


def column_next_points(y, generalized, *, y_range, precision, resolution, edge_runs=None, unstable=()):
    """The next rows of one column of the design, or why the column is finished.

    The column's boundary ``y0`` (where ``P(generalize) = 1/2``) is fitted by
    :func:`verification.statistics.propose_column_points` (probit maximum likelihood, profile
    interval at 95 %).  Then:

    * ``"precise"``: the interval is narrower than ``precision``;
    * otherwise the proposed points that lie in ``y_range`` (bisection of the interval, or a step
      outward while the column is censored);
    * if every proposal lies outside ``y_range`` (the interval reaches past an end of the range,
      e.g. a column whose runs at the range's end are split), the range is searched *inside*:
      the midpoint of the part of the interval within the range, plus more seeds at the range's
      end on the interval's unbounded side while that end has fewer than ``edge_runs`` runs.
      Only when that part is narrower than ``precision`` is the column finished, ``"beyond the
      range"`` (its boundary lies within ``precision`` of the end, or past it: a censored column,
      which enters the boundary fit as the bound it is).  A column whose seeds split at the
      range's end is therefore never closed before the range inside it has been sampled.
    * A row in ``unstable`` (every run there ended in confusion: an optimizer that diverges at
      large rates, or nothing learnt at tiny ones) beyond the column's sampled rows ends the
      range on its side.  While the boundary lies past the last sampled row towards it, the next
      point bisects the gap between them (a step outward from the sampled rows alone would crawl,
      the unstable row's runs being left out of the fit); when the gap is narrower than
      ``precision`` the column is finished, ``"at the stability limit"``: it is censored there,
      and enters the fit as the bound it is.

    Parameters
    ----------
    y, generalized : sequences
        The column's non-confusion runs: row (log10) and whether the run generalized.
    y_range : (float, float)
        Allowed rows.
    precision, resolution : float
        Stopping width of the interval, and the grid new points are rounded to.
    edge_runs : int, optional
        Runs at the range's end beyond which no more seeds are put there (default: no more).
    unstable : sequence of float
        Rows of the column where every run so far ended in confusion.

    Returns
    -------
    (str or None, list of float)
        Why the column is finished (``None`` while open) and its next points.

    Examples
    --------
    Seeds split at the lower end, memorization at the upper end: search inside the range.

    >>> column_next_points([-5, -5, -2, -2], [True, False, False, False], y_range=(-5, -2),
    ...                    precision=0.5, resolution=0.125, edge_runs=6)
    (None, [-3.5, -5.0])

    Every run generalizes, and the range's top row diverged: bisect towards it.

    >>> column_next_points([-5, -5], [True, True], y_range=(-5, 0), precision=0.5,
    ...                    resolution=0.125, unstable=[0.0])
    (None, [-2.5])
    """
    lo, hi = (float(v) for v in y_range)
    yv = [float(v) for v in y]
    below = [float(u) for u in unstable if float(u) < min(yv)]
    above = [float(u) for u in unstable if float(u) > max(yv)]
    prop = propose_column_points(
        yv,
        list(generalized),
        precision=precision,
        resolution=resolution,
        width_bounds=(precision / 4, None),
        step=2 * resolution,
    )
    if prop["done"]:
        return "precise", []
    a_int, b_int = prop["interval"]
    towards = []  # the sides on which the boundary lies past the sampled rows, towards an unstable row
    if not math.isfinite(b_int) and above:
        towards.append((max(yv), min(above)))
    if not math.isfinite(a_int) and below:
        towards.append((min(yv), max(below)))
    if towards:
        gaps = [(last, end) for last, end in towards if abs(end - last) >= precision]
        if not gaps:
            return "at the stability limit", []
        points = [round(0.5 * (last + end) / resolution) * resolution for last, end in gaps]
        return None, [float(p) for p in dict.fromkeys(points)]
    inside = [p for p in prop["next"] if lo - 1e-9 <= p <= hi + 1e-9]
    if inside:
        return None, inside
    a, b = max(a_int, lo), min(b_int, hi)
    if not b - a >= precision:
        return "beyond the range", []
    points = [round(0.5 * (a + b) / resolution) * resolution]
    for end, open_side in ((lo, not math.isfinite(a_int)), (hi, not math.isfinite(b_int))):
        runs = sum(abs(v - end) < 1e-9 for v in yv)
        if open_side and edge_runs is not None and runs < edge_runs:
            points.append(end)
    return None, [float(p) for p in dict.fromkeys(points)]


def _rows_trained(points) -> dict:
    """``{column: set of rows}`` of the trained ``(column, row)`` points."""
    rows: dict = {}
    for column, y in points:
        rows.setdefault(column, set()).add(y)
    return rows


def _round_points(todo: dict, design: ColumnDesign, runs: int) -> list[tuple]:
    """The ``(column, row)`` points of the next round, cut to the runs the budget still allows."""
    points = [(column, y) for column, rows in todo.items() for y in rows]
    left = design.runs_left(runs)
    return points if left == math.inf else points[: int(left) // design.seeds]


def _next_rows(todo: dict, seen: dict, unstable: dict, design: ColumnDesign, finished: dict) -> dict:
    """Each open column's next rows; the columns that finish are entered in ``finished``.
    ``unstable`` holds each column's rows where every run ended in confusion."""
    nxt = {}
    for column in todo:
        y, generalized = seen[column]
        if not y:
            finished[column] = "confusion only"
            continue
        why, rows = column_next_points(
            y,
            generalized,
            y_range=design.y_range,
            precision=design.precision,
            resolution=design.resolution,
            edge_runs=3 * design.seeds,
            unstable=sorted(unstable.get(column, ())),
        )
        if why is None:
            nxt[column] = rows
        else:
            finished[column] = why
    return nxt


def adaptive_columns(
    columns: Sequence[Hashable],
    configs_at: Callable[[Hashable, float, range], Sequence[TrainConfig]],
    design: ColumnDesign,
    schedule: Schedule | None = None,
    run: RunContext | None = None,
) -> ColumnRuns:
    """Locate the generalization boundary of every column, choosing its rows round by round.

    Parameters
    ----------
    columns : sequence
        The columns, in the order their rows are trained (and cut by ``max_runs``).
    configs_at : callable
        ``configs_at(column, y, replicates)``: the runs at row ``y`` of ``column``, one per
        replicate of ``replicates`` (a range: ``0 .. seeds - 1`` the first time the row is chosen,
        ``seeds .. 2 seeds - 1`` the second, ...), e.g. one model seed each.
    design : ColumnDesign
        Starting rows, stopping rules and budget.
    schedule : Schedule, optional
        Budget, evaluation and Table IV classification of every run.
    run : RunContext, optional
        Device, executor, cache, chunk size, progress (:func:`verification.runs.train_runs`).

    Returns
    -------
    ColumnRuns
    """
    out = ColumnRuns()
    replicates: dict = {}  # (column, row) -> replicates trained there so far
    seen = {column: ([], []) for column in columns}  # rows and outcomes of each column's runs
    todo = {column: design.initial_rows() for column in columns}
    for r in range(design.max_rounds):
        if not todo or design.runs_left(out.runs) < design.seeds:
            break
        batch = []
        for column, y in _round_points(todo, design, out.runs):
            k = replicates.get((column, y), 0)
            replicates[(column, y)] = k + design.seeds
            batch.append((column, y, range(k, k + design.seeds)))
        limit = "" if design.max_runs is None else f", at most {design.max_runs}"
        results = train_grid(
            batch,
            lambda point: configs_at(*point),
            schedule,
            run,
            desc=f"round {r + 1} (of at most {design.max_rounds}; {out.runs} runs before it{limit})",
        )
        out.points += [(column, y) for column, y, _ in batch]
        out.results += results
        out.rounds.append(
            {
                "runs": sum(len(res) for res in results),
                "model_steps": int(sum(int(res.steps_run.sum()) for res in results)),
                "open_columns": len(todo),
            }
        )
        for (column, y, _), res in zip(batch, results):
            for phase in res.phases:
                if phase != "confusion":
                    seen[column][0].append(y)
                    seen[column][1].append(is_generalizing(phase))
        unstable = {
            column: {y for y in rows if y not in seen[column][0]}
            for column, rows in _rows_trained(out.points).items()
        }
        todo = _next_rows(todo, seen, unstable, design, out.finished)
    out.finished.update((column, "budget exhausted") for column in todo)
    return out
