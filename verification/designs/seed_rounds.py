"""Seeds in rounds: a sequential design that adds seeds to each point until its claims are decided.

A *point* of a design (Figure 6: a ``(ratio, init scale)`` cell of Eq. (12) of [1]_; Figure 3: a
``(relation, decoder, fraction)`` accuracy) gets its seeds in rounds: each round brings every
point that is still open up to its next *look*, the next entry of :attr:`RoundsPlan.looks` (the
last entry is the seed cap, the dense design's seed count), all of them trained in one call of
:func:`verification.runs.train_runs`, through the result cache when the run context has one.
After each round the caller's ``update`` decides which points stop (their verdict decided by a
sequential test at a look, their interval narrower than a declared precision); a point at the
cap stops too.  The rounds are deterministic functions of the finished rounds' results, so an
interrupted design resumes at its last finished round's chunks and a finished round is never
recomputed.

Budget.  Before a round the design knows only how many runs it may still start:
``max_runs`` minus the runs so far, and ``(max_model_steps - model-steps so far) // steps``,
since a run that never settles (memorization, confusion) uses its whole budget of ``steps``.  A
round that would pass either is trimmed, one seed at a time to the open point with the fewest
looks, then whose runs have been cheapest so far, then with the fewest seeds, so neither limit is
ever exceeded even if every run of the round runs to the end; the points it left short of their
look complete it in the next round (the runs that did stop early leave room for them).  Which
points a trimmed round serves depends on the data, but not where the looks are, and the
sequential tests are valid at any stopping time.  The looks stay the plan's sample sizes whatever
the budget did, so a point has at most ``len(looks)`` of them, the number the sequential tests
spend their alpha over (:func:`verification.statistics.sequential_binomial_verdict`): when the
budget ends a point between two looks, its seeds so far are its last look.

API
---
``RoundsPlan(looks, max_runs=None, max_model_steps=None, max_rounds=None)``
    Frozen: the looks (strictly increasing seed counts, stored as a tuple; ``looks[-1]`` is the
    cap, :attr:`RoundsPlan.cap`) and the budget; ``max_rounds`` defaults to ``2 * len(looks)``
    (:attr:`RoundsPlan.round_limit`).
``seed_rounds(points, make_configs, update, plan, schedule, run=None, *, desc="round") -> RoundsResult``
    ``make_configs(point, indices)`` gives the :class:`~verification.train_config.TrainConfig`
    of the point's seeds number ``indices`` (a ``range``: ``0, 1, ...`` over the rounds);
    ``update(state)`` gets a :class:`RoundsState` after each round and returns
    ``{point: reason}`` for the open points that stop now; ``schedule`` is the
    :class:`~verification.train_config.Schedule` of every run (its ``steps`` is the budget's
    worst case per run); ``run`` the :class:`~verification.runtime.context.RunContext`.
``RoundsState``
    ``results`` (point -> :class:`~verification.runs.RunResults` of its runs so far, in seed
    order), ``looks`` (point -> the seed counts of its looks so far), ``open_points`` (the points
    that were open in this round).
``RoundsResult``
    ``results`` (one :class:`~verification.runs.RunResults` per point, in the order of
    ``points``), ``looks``, ``stopped`` (the ``update``'s reason, ``"cap"``, or ``"budget"``
    when the limits or ``round_limit`` ended the design first), ``rounds`` (per round, JSON-ready:
    ``runs``, ``model_steps``, ``open_points`` before it), ``runs`` and ``model_steps`` (trained).
``row_levels(alpha, *, rows, parts=1) -> (alpha_hold, alpha_fail)``
    The levels at which one part of a Holm-adjusted report row may stop its point.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

import numpy as np

from effective_theory._checks import check_int
from verification.runs import RunResults, train_runs
from verification.runtime.context import RunContext
from verification.train_config import Schedule

__all__ = ["RoundsPlan", "RoundsResult", "RoundsState", "row_levels", "seed_rounds"]


@dataclass(frozen=True)
class RoundsPlan:
    """When a seeds-in-rounds design looks at its points, and how much it may train.

    Parameters
    ----------
    looks : sequence of int
        Strictly increasing seed counts at which a point's tests are read; the last is the seed
        cap (the dense design's seed count).  Stored as a tuple.
    max_runs, max_model_steps : int, optional
        Never more runs, nor more model-steps (every run of a round counted at its whole budget
        before it is trained).
    max_rounds : int, optional
        Most rounds (default twice the number of looks: room for rounds the budget trimmed).

    Raises
    ------
    TypeError, ValueError
        For looks that are not strictly increasing positive integers, or a limit that is not a
        positive integer.

    Examples
    --------
    >>> plan = RoundsPlan([5, 10, 20], max_runs=100)
    >>> plan.looks, plan.cap, plan.round_limit
    ((5, 10, 20), 20, 6)
    >>> RoundsPlan([5, 5])
    Traceback (most recent call last):
    ...
    ValueError: looks must be strictly increasing seed counts, got [5, 5]
    """

    looks: tuple
    max_runs: int | None = None
    max_model_steps: int | None = None
    max_rounds: int | None = None

    def __post_init__(self):
        looks = [check_int(s, "each look", minimum=1) for s in self.looks]
        if not looks or any(b <= a for a, b in zip(looks, looks[1:])):
            raise ValueError(f"looks must be strictly increasing seed counts, got {list(self.looks)}")
        object.__setattr__(self, "looks", tuple(looks))
        for name in ("max_runs", "max_model_steps", "max_rounds"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, check_int(value, name, minimum=1))

    @property
    def cap(self) -> int:
        """The seed cap: the last look."""
        return self.looks[-1]

    @property
    def round_limit(self) -> int:
        """Most rounds: ``max_rounds``, or twice the number of looks."""
        return 2 * len(self.looks) if self.max_rounds is None else self.max_rounds


@dataclass(frozen=True)
class RoundsState:
    """What a design's ``update`` sees after a round.

    Attributes
    ----------
    results : mapping
        Point -> :class:`~verification.runs.RunResults` of its runs so far, in seed order.
    looks : mapping
        Point -> the seed counts of its looks so far (its tests should read its seeds up to the
        last one only).
    open_points : list
        The points that were open in this round, in the order of the design's points.
    """

    results: Mapping
    looks: Mapping
    open_points: list


@dataclass(frozen=True)
class RoundsResult:
    """A finished seeds-in-rounds design (lists in the order of its points).

    Attributes
    ----------
    results : list of RunResults
        Each point's runs, in seed order.
    looks : list of list of int
        Each point's looks; the last is its seeds when the budget ended it between two looks.
    stopped : list of str
        Why each point stopped: the ``update``'s reason, ``"cap"`` or ``"budget"``.
    rounds : list of dict
        Per round: ``runs``, ``model_steps`` (trained) and ``open_points`` (before it).
    runs, model_steps : int
        Trained in all.
    """

    results: list
    looks: list
    stopped: list
    rounds: list
    runs: int
    model_steps: int


def row_levels(alpha: float, *, rows: int, parts: int = 1) -> tuple[float, float]:
    """Levels ``(alpha_hold, alpha_fail)`` at which one part of a report row may stop its design.

    The report Holm-adjusts its ``rows`` statistical rows together; a row whose p-value is at most
    ``alpha / rows`` is decided whatever the others are (Holm's first step), so stopping there is
    conservative.  A row that is the conjunction of ``parts`` parts
    (:func:`verification.statistics.all_of`) holds when every part holds (no further adjustment)
    and fails when one part fails after a Bonferroni factor ``parts``.

    Examples
    --------
    >>> row_levels(0.05, rows=10, parts=5)
    (0.005, 0.001)
    """
    rows = check_int(rows, "rows", minimum=1)
    parts = check_int(parts, "parts", minimum=1)
    return alpha / rows, alpha / (rows * parts)


def _allocate(request: dict, allowed: float, have: dict, cost: dict, looked: dict) -> dict:
    """Seeds for each point: its request, or (over budget) one seed at a time to the point with the
    fewest looks so far, then whose runs have been cheapest (mostly stopped early), then with the
    fewest seeds (ties in the points' order).  Every point reaches a look before any goes further;
    cheap points then finish their looks, and the runs that stop early leave the next round room
    for the rest; points of equal cost stay level."""
    if sum(request.values()) <= allowed:
        return dict(request)
    alloc = dict.fromkeys(request, 0)
    order = list(request)
    for _ in range(int(allowed)):
        wanting = [p for p in order if alloc[p] < request[p]]
        if not wanting:
            break
        p = min(wanting, key=lambda q: (looked[q], cost[q], have[q] + alloc[q], order.index(q)))
        alloc[p] += 1
    return alloc


def _no_runs() -> RunResults:
    """The results of a point before its first round."""
    ints = {f: np.zeros(0, dtype=np.int64) for f in ("steps_to_train", "steps_to_test", "steps_run")}
    floats = {f: np.zeros(0) for f in ("train_acc", "test_acc", "full_acc", "final_loss")}
    return RunResults(configs=[], phases=[], **ints, **floats)


def _joined(before: RunResults, new: RunResults) -> RunResults:
    """A point's runs so far followed by a round's."""
    if not len(before):
        return new
    out = {}
    for f in fields(RunResults):
        a, b = getattr(before, f.name), getattr(new, f.name)
        if a is None or b is None:
            out[f.name] = None
        elif isinstance(a, np.ndarray):
            out[f.name] = np.concatenate([a, b])
        else:
            out[f.name] = list(a) + list(b)
    return RunResults(**out)


class _Ledger:
    """The design's running state: each point's runs and looks, why points stopped, the budget
    spent."""

    def __init__(self, points: list, plan: RoundsPlan, steps: int):
        self.points, self.plan, self.steps = points, plan, steps
        self.results = {p: _no_runs() for p in points}
        self.looks: dict = {p: [] for p in points}
        self.stopped: dict = {}
        self.rounds: list = []
        self.runs = self.model_steps = 0

    def open_points(self) -> list:
        return [p for p in self.points if p not in self.stopped]

    def allowed(self) -> float:
        """Runs the next round may start without passing a limit, every run at its whole budget."""
        allowed = math.inf
        if self.plan.max_runs is not None:
            allowed = min(allowed, self.plan.max_runs - self.runs)
        if self.plan.max_model_steps is not None:
            allowed = min(allowed, (self.plan.max_model_steps - self.model_steps) // self.steps)
        return allowed

    def allocation(self, open_points: list) -> dict:
        """Seeds per open point this round (points that get none left out)."""
        have = {p: len(self.results[p]) for p in open_points}
        request = {p: next(t for t in self.plan.looks if t > have[p]) - have[p] for p in open_points}
        cost = {
            p: int(self.results[p].steps_run.sum()) / have[p] if have[p] else self.steps for p in open_points
        }
        looked = {p: len(self.looks[p]) for p in open_points}
        alloc = _allocate(request, self.allowed(), have, cost, looked)
        return {p: a for p, a in alloc.items() if a > 0}

    def spent(self) -> str:
        """What a round's progress bar says of the budget used before it."""
        if self.plan.max_model_steps is not None:
            return f" ({self.model_steps / self.plan.max_model_steps:.0%} of the model-step cap used)"
        if self.plan.max_runs is not None:
            return f" ({self.runs} of at most {self.plan.max_runs} runs)"
        return ""

    def record(self, alloc: dict, parts: list, open_points: list) -> None:
        """Add a round's runs, and the looks they reached."""
        spent = 0
        for p, part in zip(alloc, parts):
            self.results[p] = _joined(self.results[p], part)
            if len(self.results[p]) in self.plan.looks:
                self.looks[p].append(len(self.results[p]))
            spent += int(part.steps_run.sum())
        n_runs = sum(alloc.values())
        self.runs += n_runs
        self.model_steps += spent
        self.rounds.append({"runs": n_runs, "model_steps": spent, "open_points": len(open_points)})

    def stop(self, decided: Mapping, open_points: list) -> None:
        """Close the points the update decided, and those at the cap."""
        for p, why in decided.items():
            if p in open_points:
                self.stopped[p] = str(why)
        for p in open_points:
            if p not in self.stopped and len(self.results[p]) >= self.plan.cap:
                self.stopped[p] = "cap"

    def result(self) -> RoundsResult:
        for p in self.points:
            self.stopped.setdefault(p, "budget")
            n = len(self.results[p])
            if n > (self.looks[p][-1] if self.looks[p] else 0):
                self.looks[p].append(n)  # ended between two looks: the seeds so far are its last look
        return RoundsResult(
            results=[self.results[p] for p in self.points],
            looks=[self.looks[p] for p in self.points],
            stopped=[self.stopped[p] for p in self.points],
            rounds=self.rounds,
            runs=self.runs,
            model_steps=self.model_steps,
        )


def seed_rounds(
    points,
    make_configs: Callable,
    update: Callable,
    plan: RoundsPlan,
    schedule: Schedule,
    run: RunContext | None = None,
    *,
    desc: str = "round",
) -> RoundsResult:
    """Run a seeds-in-rounds design (module docstring); return each point's runs and the rounds.

    Parameters
    ----------
    points : sequence of hashable
        The design points (distinct keys, in the order in which a trimmed round serves them).
    make_configs : callable
        ``make_configs(point, indices)``: the :class:`~verification.train_config.TrainConfig` of
        the point's seeds number ``indices`` (a range: ``0, 1, ...`` over the rounds).
    update : callable
        ``update(state)``, called after each round with a :class:`RoundsState`; returns
        ``{point: reason}`` for the open points that stop now.  Its tests should read a point's
        seeds up to its last look only.
    plan : RoundsPlan
        The looks and the budget.
    schedule : Schedule
        How every run trains; ``schedule.steps`` is a run's worst-case cost in the budget.
    run : RunContext, optional
        Device, executor, cache, chunk size, progress of :func:`verification.runs.train_runs`.
    desc : str
        Label of each round's progress report.

    Returns
    -------
    RoundsResult

    Examples
    --------
    >>> from verification.train_config import TrainConfig
    >>> def configs(p, idx):
    ...     return [TrainConfig(n=6, eta_dec=10.0**p, seed=i) for i in idx]
    >>> d = seed_rounds([-3, -2], configs, lambda s: {}, RoundsPlan([1, 2]), Schedule(steps=20))
    >>> [len(r) for r in d.results], d.stopped, [r["runs"] for r in d.rounds]
    ([2, 2], ['cap', 'cap'], [2, 2])
    """
    points = list(points)
    if not points or len(set(points)) != len(points):
        raise ValueError("points must be a non-empty sequence of distinct keys")
    if not isinstance(plan, RoundsPlan):
        raise TypeError(f"plan must be a RoundsPlan, got {type(plan).__name__}")
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a Schedule, got {type(schedule).__name__}")
    steps = check_int(schedule.steps, "schedule.steps", minimum=1)
    ledger = _Ledger(points, plan, steps)
    for r in range(plan.round_limit):
        open_points = ledger.open_points()
        if not open_points:
            break
        alloc = ledger.allocation(open_points)
        if not alloc:
            break
        batch = []
        for p, a in alloc.items():
            n = len(ledger.results[p])
            batch.append(list(make_configs(p, range(n, n + a))))
        trained = train_runs(
            [cfg for configs in batch for cfg in configs],
            schedule,
            run,
            desc=f"{desc} {r + 1}{ledger.spent()}",
        )
        ledger.record(alloc, trained.split([len(c) for c in batch]), open_points)
        state = RoundsState(results=ledger.results, looks=ledger.looks, open_points=open_points)
        ledger.stop(update(state), open_points)
    return ledger.result()
