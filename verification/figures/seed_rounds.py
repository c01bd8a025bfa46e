"""Seeds in rounds: the sequential design of the full tiers of Figures 3 and 6 (issue 15).

A *point* of a design (Figure 6: a ``(ratio, init scale)`` cell of Eq. (12) of [1]_; Figure 3: a
``(relation, decoder, fraction)`` accuracy) gets its seeds in rounds: each round brings every
point that is still open up to its next *look*, the next entry of ``schedule`` (the last entry is
the seed cap, the dense design's seed count), all of them trained in one batched call of
:func:`verification.sweeps.train_points`, through the result cache when one is given.  After each
round the figure's ``update`` decides which points stop (their verdict decided by a sequential
test at a look, their interval narrower than the declared precision); a point at the cap stops
too.  The rounds are deterministic functions of the finished rounds' results, so an interrupted
design resumes at its last finished round's chunks and a finished round is never recomputed.

Budget.  Before a round the design knows only how many runs it may still start: ``max_runs``
minus the runs so far, and ``(max_model_steps - model-steps so far) // steps``, since a run that
never settles (memorization, confusion) uses its whole budget of ``steps``.  A round that would
pass either is trimmed, one seed at a time to the open point with the fewest looks, then whose
runs have been cheapest so far, then with the fewest seeds, so neither limit is ever exceeded even
if every run of the round runs to the end; the points it left short of their look complete it in
the next round (the runs that did stop early leave room for them).  Which points a trimmed round
serves depends on the data, but not where the looks are, and the sequential tests are valid at
any stopping time.  The looks stay the schedule's sample sizes whatever the budget did, so a point
has at most
``len(schedule)`` of them, the number the sequential tests spend their alpha over
(:func:`verification.statistics.sequential_binomial_verdict`): when the budget ends a point
between two looks, its seeds so far are its last look.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math

from verification.figures._common import check_positive_int
from verification.sweeps import train_points

__all__ = ["check_schedule", "row_levels", "seed_rounds"]

#: what ``train_points`` returns per run, kept per point in seed order
_FIELDS = ("phase", "steps_to_train", "steps_to_test", "train_acc", "test_acc", "full_acc", "steps_run")


def check_schedule(schedule) -> list[int]:
    """``schedule`` as strictly increasing positive seed counts (the last is the seed cap).

    Examples
    --------
    >>> check_schedule((10, 20, 30))
    [10, 20, 30]
    """
    out = [check_positive_int(s, "schedule entry") for s in schedule]
    if not out or any(b <= a for a, b in zip(out, out[1:])):
        raise ValueError(f"schedule must be strictly increasing seed counts, got {list(schedule)}")
    return out


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
    rows = check_positive_int(rows, "rows")
    parts = check_positive_int(parts, "parts")
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


def _spent(runs, max_runs, model_steps, max_model_steps) -> str:
    """What a round's progress bar says of the design's budget used before it (the whole figure's
    progress, next to the round's own bar and ETA)."""
    if max_model_steps is not None:
        return f" ({model_steps / max_model_steps:.0%} of the model-step cap used)"
    if max_runs is not None:
        return f" ({runs} of at most {max_runs} runs)"
    return ""


def _next_look(n: int, schedule) -> int:
    return next(t for t in schedule if t > n)


def seed_rounds(
    points,
    make_configs,
    update,
    *,
    schedule,
    steps,
    max_runs=None,
    max_model_steps=None,
    max_rounds=None,
    eval_every=10,
    gap=1_000,
    early_stop=True,
    device=None,
    progress=False,
    executor=None,
    cache=None,
    chunk_size=None,
    desc="round",
) -> dict:
    """Run a seeds-in-rounds design (module docstring); return each point's runs and the rounds.

    Parameters
    ----------
    points : sequence
        The design points (hashable keys, in the order in which a trimmed round serves them).
    make_configs : callable
        ``make_configs(point, indices)``: the :class:`~verification.training.TrainConfig` of the
        point's seeds number ``indices`` (a range: ``0, 1, ...`` over the rounds).
    update : callable
        ``update(state)``, called after each round with ``state`` holding ``results`` (per point:
        lists of ``phase``, ``test_acc``, ... in seed order), ``looks`` (per point: the schedule's
        seed counts it has reached) and ``open`` (the points still open); returns
        ``{point: reason}`` for the open points that stop now.  Its tests should read a point's
        seeds up to its last look only.
    schedule : sequence of int
        The looks: seed counts at which a point's tests are read; the last entry is the seed cap.
    steps : int
        Step budget of each run.
    max_runs, max_model_steps : int, optional
        Never more runs, nor more model-steps (counting every run of a round at its whole budget
        before it is trained).
    max_rounds : int, optional
        Most rounds (default twice the number of looks: room for rounds the budget trimmed).
    eval_every, gap, early_stop, device, progress, executor, cache, chunk_size :
        As in :func:`verification.sweeps.train_points`.

    Returns
    -------
    dict
        ``results``, ``looks`` and ``stopped`` (the reason: the ``update``'s, ``"cap"``, or
        ``"budget"`` when the limits or ``max_rounds`` ended the design first): lists in the order
        of ``points``;
        ``rounds`` (per round: ``runs``, ``model_steps``, ``open_points`` before it); ``runs`` and
        ``model_steps`` (trained).

    Examples
    --------
    >>> from verification.training import TrainConfig
    >>> def configs(p, idx):
    ...     return [TrainConfig(n=6, eta_dec=10.0**p, seed=i) for i in idx]
    >>> d = seed_rounds([-3, -2], configs, lambda s: {}, schedule=[1, 2], steps=20)
    >>> [len(r["phase"]) for r in d["results"]], d["stopped"], [r["runs"] for r in d["rounds"]]
    ([2, 2], ['cap', 'cap'], [2, 2])
    """
    points = list(points)
    if not points or len(set(points)) != len(points):
        raise ValueError("points must be a non-empty sequence of distinct keys")
    schedule = check_schedule(schedule)
    steps = check_positive_int(steps, "steps")
    for value, name in (
        (max_runs, "max_runs"),
        (max_model_steps, "max_model_steps"),
        (max_rounds, "max_rounds"),
    ):
        if value is not None:
            check_positive_int(value, name)
    max_rounds = 2 * len(schedule) if max_rounds is None else max_rounds
    results = {p: {f: [] for f in _FIELDS} for p in points}
    looks = {p: [] for p in points}
    stopped: dict = {}
    rounds, runs, model_steps = [], 0, 0
    for r in range(max_rounds):
        open_points = [p for p in points if p not in stopped]
        if not open_points:
            break
        allowed = math.inf
        if max_runs is not None:
            allowed = min(allowed, max_runs - runs)
        if max_model_steps is not None:
            allowed = min(allowed, (max_model_steps - model_steps) // steps)
        request = {
            p: _next_look(len(results[p]["phase"]), schedule) - len(results[p]["phase"]) for p in open_points
        }
        have = {p: len(results[p]["phase"]) for p in open_points}
        cost = {p: sum(results[p]["steps_run"]) / have[p] if have[p] else steps for p in open_points}
        looked = {p: len(looks[p]) for p in open_points}
        alloc = {p: a for p, a in _allocate(request, allowed, have, cost, looked).items() if a > 0}
        if not alloc:
            break
        batch = []
        for p, a in alloc.items():
            n = len(results[p]["phase"])
            batch.append(list(make_configs(p, range(n, n + a))))
        trained = train_points(
            batch,
            steps=steps,
            eval_every=eval_every,
            gap=gap,
            early_stop=early_stop,
            device=device,
            progress=progress,
            executor=executor,
            cache=cache,
            chunk_size=chunk_size,
            desc=f"{desc} {r + 1}{_spent(runs, max_runs, model_steps, max_model_steps)}",
        )
        spent = 0
        for p, out in zip(alloc, trained):
            for f in _FIELDS:
                results[p][f] += out[f]
            if len(results[p]["phase"]) in schedule:
                looks[p].append(len(results[p]["phase"]))
            spent += int(sum(out["steps_run"]))
        n_runs = sum(alloc.values())
        runs += n_runs
        model_steps += spent
        rounds.append({"runs": n_runs, "model_steps": spent, "open_points": len(open_points)})
        state = {"results": results, "looks": looks, "open": open_points}
        for p, why in update(state).items():
            if p in open_points:
                stopped[p] = str(why)
        for p in open_points:
            if p not in stopped and len(results[p]["phase"]) >= schedule[-1]:
                stopped[p] = "cap"
    for p in points:
        stopped.setdefault(p, "budget")
        n = len(results[p]["phase"])
        if n > (looks[p][-1] if looks[p] else 0):
            looks[p].append(n)  # ended between two looks: the seeds so far are its last look
    return {
        "results": [results[p] for p in points],
        "looks": [looks[p] for p in points],
        "stopped": [stopped[p] for p in points],
        "rounds": rounds,
        "runs": runs,
        "model_steps": model_steps,
    }
