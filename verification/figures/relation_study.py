"""One relation through theory and experiment: the predicted and the measured critical fraction.

``geneft study RELATION`` (any relation :func:`effective_theory.relation_spec` reads: a name, a
catalogue entry, a graph file) puts a user's relation through the statics of [1]_:

* **prediction** (:func:`effective_theory.relation_statics`): the description length
  ``b = log2(n!/|Aut G|)``, Eq. (4)'s ``p_c`` (a fraction ``alpha`` of the ``n^2`` pairs
  inferable) and ``p_ub``, where Eq. (5)'s bound on the accuracy over all pairs reaches ``alpha``;
* **measurement**: Table III's network (concatenation, three hidden tanh layers of width 50,
  ``d = 2``, Adam at ``1e-3``) trained on a random fraction ``p`` of the pairs, as in Figure 3;
  a run *reaches* ``alpha`` when its accuracy over all ``n^2`` pairs (training and test together,
  Figure 3's measure) exceeds ``alpha`` (Table IV's "reached": ``> alpha``) within the step
  budget.  The measured critical fraction is the ``p`` at which a run reaches ``alpha`` with
  probability 1/2: the boundary of a probit model in ``log10 p`` fitted to every run by maximum
  likelihood, with its 95 % profile-likelihood interval (:func:`verification.statistics.fit_column`,
  the model of Figures 5 and 8's columns).  The same is fitted to the held-out accuracy (the test
  pairs alone).

A third measure is fitted to the same runs: the accuracy over all pairs read as an inferable
fraction, ``(f_acc - q) / (1 - q)`` with ``q = max(p_*, 1 - p_*)`` the accuracy Eq. (5) credits
to guessing (:func:`reach_level`), whose critical fraction is the measured counterpart of Eq. (4)'s
``p_c`` (defined where the inferable fraction is ``alpha``) also for a relation whose majority
label alone is right more often than ``alpha``.

The fractions are chosen round by round where the boundary is uncertain: the rules of a phase
diagram's column (:func:`verification.designs.adaptive_columns.column_next_points`: bisection of
the profile interval, a step outward while all runs agree), starting from ``initial_points``
fractions spread evenly in ``log10 p`` over the allowed range, ``seeds`` runs each, until the
interval is narrower than ``precision`` decades, ``max_rounds`` rounds or ``max_runs`` runs.  The
model seeds are those of :func:`~verification.figures._common.model_seeds` (the same seed at
every fraction: initialisation and split).  The defaults train a few dozen runs of Figure 3's
quick budget: minutes at ``n = 30`` on one core.  :func:`search_critical_fractions` runs the
same search for several relations (and sizes) side by side, their runs of a round trained together:
the universality study (:mod:`verification.figures.universality_statics`) is built on it.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass

import numpy as np

from effective_theory import relation_label, relation_size, relation_spec, relation_statics
from effective_theory._checks import check_int
from verification.designs.adaptive_columns import ColumnDesign, column_next_points
from verification.designs.grid import train_grid
from verification.figures._common import model_seeds
from verification.runtime.context import RunContext
from verification.statistics import fit_column
from verification.train_config import Schedule, TrainConfig

__all__ = [
    "StudySettings",
    "MEASURES",
    "guess_accuracy",
    "reach_level",
    "search_critical_fractions",
    "relation_study",
    "format_study",
]

#: interval level of the measured critical fractions
LEVEL = 0.95
#: the largest training fraction tried (a test set of 5 % of the pairs is left)
MAX_FRACTION = 0.95


@dataclass(frozen=True)
class StudySettings:
    """How :func:`relation_study` measures (defaults: minutes at ``n = 30`` on one core).

    Parameters
    ----------
    n : int
        Elements of a relation given by a rule (a relation with a size of its own keeps it).
    alpha : float
        Accuracy level, in ``(0, 1)`` (the paper's 0.9).
    steps : int
        Step budget of a run (Figure 3's quick tier: 3000); a run stops once its training and
        test accuracies both exceed ``alpha``.
    seeds : int
        Runs added at a fraction each time it is chosen.
    initial_points : int
        Fractions of the first round.
    precision : float
        Stop when the 95 % interval of ``log10`` of the critical fraction is narrower than this.
    resolution : float
        Fractions are ``10**-k`` with ``k`` a multiple of this (decades).
    max_rounds, max_runs : int
        Budget: at most this many rounds and runs.
    seed : int
        Experiment seed (:func:`~verification.figures._common.model_seeds`).

    Raises
    ------
    TypeError, ValueError
        For a setting of the wrong type or out of range, naming it.

    Examples
    --------
    >>> StudySettings(seeds=2).seeds
    2
    >>> StudySettings(alpha=1.0)
    Traceback (most recent call last):
    ...
    ValueError: alpha must lie in (0, 1), got 1.0
    """

    n: int = 30
    alpha: float = 0.9
    steps: int = 3000
    seeds: int = 3
    initial_points: int = 4
    precision: float = 0.2
    resolution: float = 0.025
    max_rounds: int = 6
    max_runs: int = 48
    seed: int = 0

    def __post_init__(self):
        for name, minimum in (
            ("n", 3),
            ("steps", 1),
            ("seeds", 1),
            ("initial_points", 2),
            ("max_rounds", 1),
            ("max_runs", 1),
            ("seed", 0),
        ):
            object.__setattr__(self, name, check_int(getattr(self, name), name, minimum=minimum))
        for name in ("alpha", "precision", "resolution"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise TypeError(f"{name} must be a finite real number, got {value!r}")
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must lie in (0, 1), got {self.alpha}")
        for name in ("precision", "resolution"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)}")
        if self.max_runs < self.seeds * self.initial_points:
            raise ValueError(
                f"max_runs ({self.max_runs}) must allow the first round's seeds x initial_points = "
                f"{self.seeds * self.initial_points} runs"
            )


def _y_range(n: int) -> tuple[float, float]:
    """The allowed ``y = -log10(fraction)``: from :data:`MAX_FRACTION` down to four pairs."""
    return (-math.log10(MAX_FRACTION), -math.log10(max(4.0 / n**2, 1e-4)))


def _fit(y, reached, what: str, precision: float) -> dict:
    """The critical fraction of ``reached`` against ``y = -log10 p`` and its interval: the model
    the design searched with (transition width at least ``precision / 4`` decades).  A side the
    runs do not bound (all or none reached ``alpha``) is an infinite end: ``censored`` says which."""
    reached = np.asarray(reached, dtype=bool)
    fit = fit_column(y, reached, width_bounds=(precision / 4, None))
    y0 = fit.value(0.0)
    lo, hi = fit.interval(0.0, LEVEL)
    censored = "above" if not math.isfinite(lo) else "below" if not math.isfinite(hi) else None
    return {
        "what": what,
        "fraction": 10.0**-y0,
        "interval": [10.0**-hi if math.isfinite(hi) else 0.0, 10.0**-lo if math.isfinite(lo) else math.inf],
        "log10_width": hi - lo,
        "censored": censored,
        "reached": int(reached.sum()),
        "runs": int(reached.size),
    }


#: what a run must exceed ``alpha`` in, for its critical fraction: ``{measure: words}``
MEASURES = {
    "full": "accuracy over all pairs",
    "test": "held-out accuracy",
    "inferable": "inferable fraction (accuracy over all pairs corrected for guessing)",
}


def guess_accuracy(statics) -> float:
    """``q = max(p_*, 1 - p_*)``: the accuracy Eq. (5) credits to guessing a pair not inferred
    (``statics`` a :class:`~effective_theory.RelationStatics` or its dict)."""
    ps = statics["p_star"] if isinstance(statics, dict) else statics.p_star
    return max(float(ps), 1.0 - float(ps))


def reach_level(measure: str, alpha: float, q: float) -> float:
    """The accuracy a run must exceed for ``measure`` to exceed ``alpha``.

    ``"full"`` and ``"test"``: ``alpha`` itself.  ``"inferable"``: Eq. (5) reads an accuracy
    ``f_acc = q + (1 - q) f`` over all pairs as an inferable fraction ``f = (f_acc - q) / (1 - q)``
    (``q`` from :func:`guess_accuracy`), which exceeds ``alpha`` when ``f_acc > q + alpha (1 - q)``:
    the measured counterpart of Eq. (4)'s ``p_c``, defined where ``f = alpha``, for a relation whose
    majority label alone is right more often than ``alpha`` too.

    Examples
    --------
    >>> reach_level("full", 0.9, 2 / 3), round(reach_level("inferable", 0.9, 2 / 3), 4)
    (0.9, 0.9667)
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    return float(alpha) if measure != "inferable" else float(q + alpha * (1.0 - q))


class _Search:
    """The search of one relation at one size: its statics, design, runs and next fractions."""

    def __init__(self, relation, n, settings: StudySettings, measure: str):
        self.spec = relation_spec(relation, name="relations")
        own = relation_size(self.spec)
        self.n = (settings.n if n is None else n) if own is None else own
        self.statics = relation_statics(self.spec, None if own is not None else self.n, alpha=settings.alpha)
        self.q = guess_accuracy(self.statics)
        self.level = reach_level(measure, settings.alpha, self.q)
        self.y_range = _y_range(self.n)
        self.design = ColumnDesign(
            y_range=self.y_range,
            seeds=settings.seeds,
            initial_points=settings.initial_points,
            precision=settings.precision,
            resolution=settings.resolution,
            max_rounds=settings.max_rounds,
            max_runs=settings.max_runs,
        )
        self.measure = measure
        self.todo, self.used, self.rounds, self.finished = self.design.initial_rows(), {}, [], None
        self.runs = {"fraction": [], "y": [], "full_acc": [], "test_acc": [], "steps_run": []}

    def next_points(self, seeds: int) -> list[tuple[float, int]]:
        """This round's ``(y, first replicate)`` within the budget (none: the search is over)."""
        fit_in = int(self.design.runs_left(len(self.runs["y"])) // seeds)
        if fit_in < 1:
            self.finished = "budget exhausted"
            return []
        points = []
        for y in self.todo[:fit_in]:
            points.append((y, self.used.get(y, 0)))
            self.used[y] = self.used.get(y, 0) + seeds
        return points

    def configs(self, y: float, start: int, settings: StudySettings) -> list[TrainConfig]:
        """The runs at ``y = -log10(fraction)``: replicates ``start .. start + seeds - 1``."""
        return [
            TrainConfig(relation=self.spec, n=self.n, train_fraction=10.0**-y, seed=m, split_seed=m)
            for m in model_seeds(settings.seed, settings.seeds, start=start)
        ]

    def add(self, points, results, settings: StudySettings) -> None:
        """Record a round's runs and choose the next fractions (or why the search is over)."""
        for (y, _), res in zip(points, results):
            self.runs["fraction"] += [10.0**-y] * len(res)
            self.runs["y"] += [y] * len(res)
            self.runs["full_acc"] += res.full_acc.astype(float).tolist()
            self.runs["test_acc"] += res.test_acc.astype(float).tolist()
            self.runs["steps_run"] += res.steps_run.astype(int).tolist()
        self.rounds.append({"fractions": [10.0**-y for y, _ in points], "runs": sum(len(x) for x in results)})
        acc = self.runs["test_acc" if self.measure == "test" else "full_acc"]
        why, self.todo = column_next_points(
            self.runs["y"],
            [a > self.level for a in acc],
            y_range=self.y_range,
            precision=settings.precision,
            resolution=settings.resolution,
            edge_runs=3 * settings.seeds,
        )
        self.finished = why

    def result(self, settings: StudySettings) -> dict:
        alpha, precision, runs = settings.alpha, settings.precision, self.runs
        inferable = reach_level("inferable", alpha, self.q)
        measured = {
            "full": _fit(runs["y"], [a > alpha for a in runs["full_acc"]], MEASURES["full"], precision),
            "test": _fit(runs["y"], [a > alpha for a in runs["test_acc"]], MEASURES["test"], precision),
            "inferable": _fit(
                runs["y"], [a > inferable for a in runs["full_acc"]], MEASURES["inferable"], precision
            ),
        }
        full, statics = measured["full"], self.statics
        ratio = {
            name: {
                "value": full["fraction"] / predicted,
                "interval": [v / predicted for v in full["interval"]],
            }
            for name, predicted in (("p_ub", statics.p_ub), ("p_c", statics.p_c))
            if predicted > 0
        }
        return {
            "relation": relation_label(self.spec),
            "spec": self.spec,
            "n": self.n,
            "settings": asdict(settings),
            "statics": statics.to_dict(),
            "q": self.q,
            "search": self.measure,
            "measured": measured,
            "ratio": ratio,
            "runs": {k: v for k, v in runs.items() if k != "y"},
            "rounds": self.rounds,
            "model_steps": int(sum(runs["steps_run"])),
            "finished": self.finished or "budget exhausted",
        }


def _is_sized(item) -> bool:
    """Whether ``item`` is a pair ``(relation, n)`` (not a relation given as a tuple of rows)."""
    return (
        isinstance(item, tuple)
        and len(item) == 2
        and (item[1] is None or (isinstance(item[1], numbers.Integral) and not isinstance(item[1], bool)))
    )


def search_critical_fractions(
    relations, settings: StudySettings | None = None, run: RunContext | None = None, *, measure="full"
) -> list[dict]:
    """The critical training fraction of several relations, searched side by side.

    Each relation's fractions are chosen round by round as :func:`relation_study` chooses them;
    the rounds of all relations go together, and the runs of a round train in one call of the
    trainer (:func:`~verification.designs.grid.train_grid`) per accuracy level that stops a run
    early (:func:`reach_level`: one call when every relation has the same), so relations of one
    size share batched ensembles, and with a cache in ``run`` a finished round's chunks are kept
    and an interrupted search resumes.  A run stops early once its training and held-out
    accuracies both exceed its relation's level, which settles that its measure exceeds
    ``alpha``.

    Parameters
    ----------
    relations : sequence
        Each a relation (anything :func:`effective_theory.relation_spec` reads) or a pair
        ``(relation, n)``: a relation given by a rule is built at ``n`` (default
        ``settings.n``); one with a size of its own keeps it.
    settings : StudySettings, optional
        The search's rules and budget, per relation.
    run : RunContext, optional
    measure : {"full", "test", "inferable"}
        Whose critical fraction the search locates (:data:`MEASURES`); all three are fitted to
        the same runs.

    Returns
    -------
    list of dict
        Per relation, in the order given, :func:`relation_study`'s result plus ``n``, ``q``
        (:func:`guess_accuracy`), ``search`` (``measure``) and ``measured["inferable"]``.
    """
    settings = StudySettings() if settings is None else settings
    run = RunContext() if run is None else run
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    pairs = [r if _is_sized(r) else (r, None) for r in relations]
    searches = [_Search(rel, n, settings, measure) for rel, n in pairs]
    for r in range(settings.max_rounds):
        todo = [(s, s.next_points(settings.seeds)) for s in searches if s.finished is None]
        todo = [(s, points) for s, points in todo if points]
        if not todo:
            break
        levels = sorted({s.level for s, _ in todo})
        trained, searcher = {}, {k: s for k, (s, _) in enumerate(todo)}
        for level in levels:
            batch = [
                (k, y, start) for k, (s, points) in enumerate(todo) if s.level == level for y, start in points
            ]

            def configs_at(point, searcher=searcher):
                k, y, start = point
                return searcher[k].configs(y, start, settings)

            schedule = Schedule(steps=settings.steps, eval_every=50, threshold=level, early_stop=True)
            part = "" if len(levels) == 1 else f", accuracy level {level:.4g}"
            results = train_grid(batch, configs_at, schedule, run, desc=f"study round {r + 1}{part}")
            for (k, _, _), res in zip(batch, results):
                trained.setdefault(k, []).append(res)
        for k, (s, points) in enumerate(todo):
            s.add(points, trained[k], settings)
    return [s.result(settings) for s in searches]


def relation_study(relation, settings: StudySettings | None = None, run: RunContext | None = None) -> dict:
    """Predicted against measured critical training fraction of one relation.

    Parameters
    ----------
    relation : str, Relation, array_like, networkx graph or path
        Any relation :func:`effective_theory.relation_spec` reads.
    settings : StudySettings, optional
    run : RunContext, optional
        Where the runs train (default: one batched ensemble per round on the CPU).

    Returns
    -------
    dict
        ``relation`` (its label), ``spec``, ``settings``, ``statics``
        (:class:`~effective_theory.RelationStatics` as a dict), ``measured`` (``full``: accuracy
        over all pairs, ``test``: held-out accuracy, ``inferable``: the accuracy over all pairs
        read as an inferable fraction, :func:`reach_level`; each ``fraction``, ``interval``,
        ``log10_width``, ``reached``, ``runs``), ``ratio`` (measured over predicted ``p_ub`` and
        ``p_c``, with intervals), ``runs`` (``fraction``, ``full_acc``, ``test_acc``,
        ``steps_run`` of each), ``rounds``, ``model_steps`` and ``finished`` (why the search
        stopped); the fractions are searched for the accuracy over all pairs
        (:func:`search_critical_fractions`).
    """
    return search_critical_fractions([relation], settings, run, measure="full")[0]


def _interval(lo: float, hi: float) -> str:
    return f"[{lo:.3g}, {hi:.3g}]" if math.isfinite(hi) else f"[{lo:.3g}, beyond {MAX_FRACTION:g}]"


def format_study(result: dict) -> str:
    """The study as the lines ``geneft study`` prints."""
    st, s = result["statics"], result["settings"]
    alpha = st["alpha"]
    lines = [
        f"relation {result['relation']}: n = {st['n']}, {st['pairs']} related pairs of {st['n'] ** 2}",
        f"statics: b = log2(n!/|Aut G|) = {st['bits']:.2f} bits, |Aut G| = {st['aut']}, "
        f"p_* = {st['p_star']:.3g}",
        f"predicted: Eq. (4) p_c = {st['p_c']:.3g} (a fraction {alpha:g} of the pairs inferable); "
        f"Eq. (5) f_UB reaches accuracy {alpha:g} at p_ub = {st['p_ub']:.3g}",
        f"experiment: Table III network, {s['steps']} steps, {s['seeds']} seeds per fraction, "
        f"{len(result['runs']['fraction'])} runs in {len(result['rounds'])} rounds "
        f"({result['model_steps']} model-steps; stopped: {result['finished']})",
    ]
    for key in ("full", "test"):
        m = result["measured"][key]
        lo, hi = m["interval"]
        where = {
            "above": f"above the fractions tried: p > {lo:.3g}",
            "below": f"below the fractions tried: p < {hi:.3g}",
            None: f"at p = {m['fraction']:.3g} {_interval(lo, hi)}",
        }[m.get("censored")]
        lines.append(
            f"measured: {m['what']} > {alpha:g} {where} ({LEVEL:.0%} interval; {m['reached']} of "
            f"{m['runs']} runs reached it)"
        )
    for name, r in result["ratio"].items():
        lines.append(f"measured / {name}: {r['value']:.3g} {_interval(*r['interval'])}")
    if st["p_ub"] == 0:
        lines.append(
            f"note: the majority label alone is right for more than {alpha:g} of the pairs (p_* = "
            f"{st['p_star']:.3g}): accuracy cannot tell generalization from guessing here"
        )
    return "\n".join(lines)
