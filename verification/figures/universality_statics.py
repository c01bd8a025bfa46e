"""The statics across relations: does the critical training fraction depend on a relation only through b?

Eq. (4) of [1]_ gives the training fraction at which a fraction ``alpha`` of the ``N = n^2`` pairs
of a relation is inferable, ``p_c = log2(1 - alpha) / (N log2(1 - 1/b))``, "where the only
dependence on the properties of the relation is through its description length b".  The paper
shows it on four relations at ``n = 30``; this study puts every relation of the catalogue
(:data:`effective_theory.statics.relation_catalogue.CATALOGUE`) through the same experiment and
tests the claim across them.

Measurement.  For each relation the Table III network is trained on random fractions ``p`` of the
pairs, the fractions chosen round by round where the critical fraction is uncertain
(:func:`verification.figures.relation_study.search_critical_fractions`, the rules of ``geneft
study``); all relations' runs of a round train together, through the result cache when the run
context has one, so the full tier resumes where it stopped.  The critical fraction is where a run
reaches the level with probability 1/2, a probit boundary in ``log10 p`` fitted to every run, with
its 95 % profile-likelihood interval.  The level the search locates and the rows test is the
*inferable fraction*: the accuracy over all pairs ``f_acc`` read through Eq. (5),
``(f_acc - q) / (1 - q) > alpha`` with ``q = max(p_*, 1 - p_*)`` the accuracy Eq. (5) credits to
guessing (:func:`~verification.figures.relation_study.reach_level`): Eq. (4)'s ``p_c`` is defined
where the inferable fraction is ``alpha``, and the raw accuracy cannot be compared across
relations whose majority label alone is right for more or less than ``alpha`` of the pairs (an
assumption of the toolkit: the paper states Eq. (4) for the inferable fraction and shows the
accuracy against Eq. (5)).  The raw accuracy over all pairs and the held-out accuracy are fitted
to the same runs and reported beside it.

Rows (:func:`evaluate`; margins declared in this module before any of its runs):

* ``slope``: across the relations at the study's ``n``, the least-squares slope of
  ``log10(measured)`` on ``log10 p_c`` is 1 within :data:`SLOPE_MARGIN` (TOST, t interval from the
  residuals);
* ``scatter``: the root-mean-square residual about that line is below :data:`SCATTER_MAX` decades
  (one-sided, chi-square interval): the relations' critical fractions lie, in the RMS, within a
  factor 1.5 of one line;
* ``beats-baselines``: b predicts the critical fraction better than the simple measures of a
  relation's size (:data:`BASELINES`: ``n^2 H(density)``, the number of related pairs, and ``log2``
  of the count of its Table II class where Table II counts it exactly): for each, the mean squared
  ``log10`` residual of a one-parameter fit ``measured = c X / n^2`` exceeds that of
  ``measured = c p_c``, a one-sided paired bootstrap over relations, every baseline at once;
* ``size-law``: for the size-law relations at several ``n``, ``log10(measured)`` against
  ``log10 p_c(n)`` has slope 1 within :data:`SLOPE_MARGIN` (least squares with one intercept per
  relation, t interval).

A relation whose critical fraction the runs do not bound (every run reached the level, or none) is
left out of the rows, and each row says how many were.

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace

import numpy as np

from effective_theory import (
    log2_factorial,
    log2_stirling2,
    relation_kind,
    relation_label,
    relation_matrix,
    relation_size,
    relation_spec,
)
from effective_theory._checks import check_int
from verification.figures._common import place_labels, write_csv
from verification.figures.relation_study import MEASURES, StudySettings, search_critical_fractions
from verification.runtime.context import RunContext
from verification.statistics import (
    all_of,
    draws_estimate,
    equivalence_verdict,
    one_sided_verdict,
    residual_sd_estimate,
    t_estimate,
)
from verification.verdicts import ALPHA, Claim, row

__all__ = [
    "StaticsUniversalitySettings",
    "SLOPE_MARGIN",
    "SCATTER_MAX",
    "BASELINES",
    "BOOTSTRAP_DRAWS",
    "statics_universality_data",
    "relation_baselines",
    "study_table",
    "slope_estimates",
    "baseline_differences",
    "size_law_estimate",
    "claims",
    "evaluate",
    "tables",
    "plot",
]

#: the ``slope`` and ``size-law`` rows' equivalence margin on the slope of ``log10(measured)`` on
#: ``log10 p_c``: over the decade of ``p_c`` the catalogue spans at ``n = 30``, a slope 0.25 away
#: from 1 moves the prediction by less than a factor 1.8.  Declared before any run of this study.
SLOPE_MARGIN = 0.25

#: the ``scatter`` row's bound on the RMS residual about the fitted line, in decades: the
#: relations' critical fractions lie, in the RMS, within a factor 1.5 of one line.  Declared before
#: any run of this study.
SCATTER_MAX = math.log10(1.5)

#: the simple measures of a relation b is compared with (``beats-baselines``), by name: the bits of
#: a random matrix of the relation's density, the related pairs, and ``log2`` of the count of the
#: relation's Table II class (equivalences with its number of classes, ``log2 S(n, k)``; all strict
#: total orders, ``log2 n!``; all complete bipartite relations, ``log2(2^(n-1) - 1)``), defined only
#: for those classes.  Declared before any run of this study.
BASELINES = {
    "entropy": "n^2 H(density)",
    "pairs": "related pairs",
    "class": "log2 (Table II class count)",
}

#: bootstrap resamples of the relations in the baseline row
BOOTSTRAP_DRAWS = 2000

CLAIMS = {
    "slope": "log critical fraction against log p_c across relations has slope 1 (Eq. 4)",
    "scatter": "the critical fraction depends on the relation only through b: scatter about one line "
    "within a factor 1.5",
    "beats-baselines": "b predicts the critical fraction better than n^2 H(density), the related pairs and "
    "log2 of the class count",
    "size-law": "the critical fraction scales with n as Eq. 4's p_c(n) (slope 1)",
}


@dataclass(frozen=True)
class StaticsUniversalitySettings:
    """Settings of the statics universality study; the defaults are a small test.

    The tiers are declared in :data:`verification.figures.registry.FIGURES` (``"univ-statics"``).

    Parameters
    ----------
    relations : sequence of str
        Relations (catalogue names, or anything :func:`effective_theory.relation_spec` reads), at
        ``n`` when given by a rule, at their own size otherwise.
    size_relations : sequence of str
        Relations given by a rule, measured at every size of ``sizes`` for the size law (empty: no
        size law).
    sizes : sequence of int
        Sizes of the size law (at least two when ``size_relations`` is given); a relation of
        ``relations`` at ``n`` is not trained twice.
    n : int
        Size of the relations given by a rule.
    alpha : float
        Level of the inferable fraction (the paper's 0.9).
    steps : int
        Step budget of a run; a run stops once its training and held-out accuracies both exceed
        its relation's level.
    seeds : int
        Runs added at a fraction each time the search chooses it.
    initial_points : int
        Fractions of each search's first round, spread evenly in ``log10`` over ``[4/n^2, 0.95]``.
    precision : float
        A search stops when the 95 % interval of ``log10`` of its critical fraction is narrower.
    resolution : float
        Fractions are ``10**-k`` with ``k`` a multiple of this (decades).
    max_rounds : int
        At most this many rounds of each search.
    max_runs : int
        At most this many runs of each search (a relation at one size).
    dense_runs_per_relation : int
        Runs of the dense design the cost is compared with, per relation and size.
    seed : int
        Experiment seed (model seeds, and the bootstrap of the rows).

    Raises
    ------
    TypeError, ValueError
        For a setting of the wrong type or out of range, naming it.
    """

    relations: tuple = ("bipartite", "mod3", "greater")
    size_relations: tuple = ()
    sizes: tuple = ()
    n: int = 30
    alpha: float = 0.9
    steps: int = 3000
    seeds: int = 2
    initial_points: int = 3
    precision: float = 0.3
    resolution: float = 0.025
    max_rounds: int = 4
    max_runs: int = 14
    dense_runs_per_relation: int = 200
    seed: int = 0

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        for name in ("relations", "size_relations"):
            value = getattr(self, name)
            value = (value,) if isinstance(value, str) else tuple(value)
            put(name, tuple(relation_spec(r, name=name) for r in value))
        if not self.relations:
            raise ValueError("relations must not be empty")
        for name in ("relations", "size_relations"):
            labels = [relation_label(r) for r in getattr(self, name)]
            if len(set(labels)) < len(labels):
                raise ValueError(f"{name} must have distinct names, got {', '.join(labels)}")
        put("n", check_int(self.n, "n", minimum=3))
        put("sizes", tuple(check_int(m, "sizes", minimum=3) for m in self.sizes))
        for r in self.size_relations:
            if relation_size(r) is not None:
                raise ValueError(
                    f"size_relations must be given by a rule (built at any n), but {relation_label(r)} "
                    f"has n = {relation_size(r)} elements of its own"
                )
            for m in self.sizes:
                relation_matrix(r, m, name="size_relations")
        if self.size_relations and len(set(self.sizes)) < 2:
            raise ValueError(f"sizes must hold at least two sizes for the size law, got {list(self.sizes)}")
        for r in self.relations:
            if relation_size(r) is None:
                relation_matrix(r, self.n, name="relations")
        put(
            "dense_runs_per_relation",
            check_int(self.dense_runs_per_relation, "dense_runs_per_relation", minimum=1),
        )
        self.search_settings()  # checks the search's settings

    def search_settings(self) -> StudySettings:
        """The settings of each relation's search."""
        return StudySettings(
            n=self.n,
            alpha=self.alpha,
            steps=self.steps,
            seeds=self.seeds,
            initial_points=self.initial_points,
            precision=self.precision,
            resolution=self.resolution,
            max_rounds=self.max_rounds,
            max_runs=self.max_runs,
            seed=self.seed,
        )


# --------------------------------------------------------------------------- baselines


def _entropy_bits(pairs: int, n: int) -> float:
    rho = pairs / n**2
    h = 0.0 if rho in (0.0, 1.0) else -(rho * math.log2(rho) + (1 - rho) * math.log2(1 - rho))
    return n**2 * h


def relation_baselines(relation, n: int | None = None) -> dict:
    """The simple measures b is compared with (:data:`BASELINES`), in bits or pairs.

    Returns ``{"entropy": n^2 H(density), "pairs": related pairs, "class": log2 of the Table II
    class count or None}``.

    Examples
    --------
    >>> base = relation_baselines("mod3", 30)
    >>> base["pairs"], round(base["entropy"], 1), round(base["class"], 2)  # log2 S(30, 3)
    (300, 826.5, 44.96)
    >>> relation_baselines("divides", 30)["class"] is None
    True
    """
    a = relation_matrix(relation, n)
    size, pairs = int(a.shape[0]), int(a.sum())
    kind = relation_kind(relation, n)
    if kind == "equivalence":
        classes = len({row.tobytes() for row in np.asarray(a, dtype=bool)})
        class_bits = log2_stirling2(size, classes)
    elif kind == "total_order":
        class_bits = log2_factorial(size)
    elif kind == "bipartite":
        class_bits = log2_stirling2(size, 2)  # 2^(n-1) - 1 ways to split n elements into two sides
    else:
        class_bits = None
    return {"entropy": _entropy_bits(pairs, size), "pairs": pairs, "class": class_bits}


# --------------------------------------------------------------------------- data


def _entry(result: dict) -> dict:
    """A relation's search result as stored: without its settings (the study's), with baselines."""
    out = {k: v for k, v in result.items() if k != "settings"}
    own = relation_size(result["spec"])
    out["baselines"] = relation_baselines(result["spec"], None if own is not None else result["n"])
    return out


def statics_universality_data(
    settings: StaticsUniversalitySettings | None = None, run: RunContext | None = None
) -> dict:
    """Every relation's critical fractions, searched side by side; pure, JSON-ready.

    Parameters
    ----------
    settings : StaticsUniversalitySettings, optional
    run : RunContext, optional
        Device, executor, cache, chunk size, progress.

    Returns
    -------
    dict
        ``params`` (the settings), ``relations`` (per relation at ``n``: the search's result,
        :func:`~verification.figures.relation_study.search_critical_fractions`, with its
        ``baselines``), ``sizes`` (the same for the size law's other sizes) and ``cost`` (runs and
        model-steps against the dense design's).
    """
    s = StaticsUniversalitySettings() if settings is None else settings
    main = [(r, s.n) for r in s.relations]
    extra = [(r, m) for r in s.size_relations for m in s.sizes if not (m == s.n and r in s.relations)]
    results = search_critical_fractions(main + extra, s.search_settings(), run, measure="inferable")
    entries = [_entry(r) for r in results]
    runs = sum(len(e["runs"]["fraction"]) for e in entries)
    dense = len(entries) * s.dense_runs_per_relation
    params = {
        "relations": list(s.relations),
        "size_relations": list(s.size_relations),
        "sizes": list(s.sizes),
        "n": s.n,
        "alpha": s.alpha,
        "steps": s.steps,
        "seeds": s.seeds,
        "initial_points": s.initial_points,
        "precision": s.precision,
        "resolution": s.resolution,
        "max_rounds": s.max_rounds,
        "max_runs": s.max_runs,
        "dense_runs_per_relation": s.dense_runs_per_relation,
        "seed": s.seed,
    }
    return {
        "params": params,
        "relations": entries[: len(main)],
        "sizes": entries[len(main) :],
        "cost": {
            "runs": runs,
            "model_steps": int(sum(e["model_steps"] for e in entries)),
            "dense_runs": dense,
            "dense_model_steps_bound": dense * s.steps,
        },
    }


# --------------------------------------------------------------------------- analysis


def study_table(entries, measure: str = "inferable") -> list[dict]:
    """One row per entry (a relation at one size): what the rows and the plots read.

    Each row: ``relation``, ``n``, ``p_c``, ``bits``, ``baselines``, and for ``measure``
    ``fraction``, ``interval`` and ``bounded`` (the runs bound the critical fraction on both
    sides), with ``y = log10 fraction`` and ``x = log10 p_c``.
    """
    rows = []
    for e in entries:
        m = e["measured"][measure]
        st = e["statics"]
        lo, hi = m["interval"]
        bounded = m.get("censored") is None and 0 < lo and math.isfinite(hi)
        rows.append(
            {
                "relation": e["relation"],
                "n": int(e["n"]),
                "p_c": float(st["p_c"]),
                "bits": float(st["bits"]),
                "baselines": e.get("baselines", {}),
                "fraction": float(m["fraction"]),
                "interval": [float(lo), float(hi)],
                "bounded": bool(bounded),
                "x": math.log10(st["p_c"]),
                "y": math.log10(m["fraction"]) if m["fraction"] > 0 else -math.inf,
            }
        )
    return rows


def _ols(x, y) -> tuple[float, float, float]:
    """Slope, intercept and RMS residual (``k - 2`` degrees of freedom) of ``y`` on ``x``."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    xc = x - x.mean()
    slope = float(xc @ (y - y.mean()) / (xc @ xc))
    intercept = float(y.mean() - slope * x.mean())
    resid = y - intercept - slope * x
    rms = float(math.sqrt(resid @ resid / max(x.size - 2, 1)))
    return slope, intercept, rms


def _resamples(k: int, draws: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, k, size=(draws, k))


def slope_estimates(x, y):
    """The least-squares slope of ``y`` on ``x`` and the RMS residual about the line.

    Returns ``(slope, rms)`` as :class:`~verification.statistics.Estimate`: the slope with its t
    interval (``k - 2`` degrees of freedom for ``k`` points), the RMS residual (on ``k - 2``
    degrees of freedom) with its chi-square interval
    (:func:`~verification.statistics.residual_sd_estimate`): normal residuals, whose spread holds
    both the relations' differences and each point's measurement error.

    Examples
    --------
    >>> x = np.log10([0.04, 0.07, 0.1, 0.14, 0.27])
    >>> slope, rms = slope_estimates(x, x + 0.3)
    >>> round(slope.value, 6), round(rms.value, 6), [round(v, 6) for v in slope.interval(0.9)]
    (1.0, 0.0, [1.0, 1.0])
    """
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.size < 3 or np.ptp(x) == 0:
        raise ValueError("a slope needs at least three points with two different x")
    slope, _, rms = _ols(x, y)
    df = x.size - 2
    sxx = float(((x - x.mean()) ** 2).sum())
    est = t_estimate(mean=slope, se=rms / math.sqrt(sxx), df=float(df))
    return replace(est, test=f"least squares over {x.size} relations, t ({df} df)"), residual_sd_estimate(
        rms**2 * df, df
    )


def _mse_one_parameter(y, z) -> float:
    """Mean squared residual of ``y = c + z`` with ``c`` fitted (the mean of ``y - z``)."""
    d = np.asarray(y, float) - np.asarray(z, float)
    return float(np.mean((d - d.mean()) ** 2))


def baseline_differences(table, *, draws: int = BOOTSTRAP_DRAWS, seed: int = 0) -> dict:
    """Per baseline, the mean squared ``log10`` residual of its one-parameter fit less b's.

    For baseline values ``X`` the fit is ``log10 measured = c + log10(X / n^2)``, for b
    ``log10 measured = c + log10 p_c`` (Eq. 4), each with its own ``c``, on the rows of ``table``
    (:func:`study_table`, bounded rows) where the baseline is defined; the difference (positive:
    b predicts better) is bootstrapped over those relations, both fits refitted on each resample
    (paired).  A baseline defined for fewer than three relations is left out.

    Returns
    -------
    dict
        ``{name: (Estimate, relations used)}``.

    Examples
    --------
    >>> rows = [{"y": math.log10(p), "x": math.log10(p), "n": 30, "baselines": {"pairs": k}}
    ...         for p, k in ((0.05, 400), (0.1, 100), (0.2, 300), (0.3, 50))]
    >>> est, used = baseline_differences(rows, draws=200)["pairs"]
    >>> used, est.value > 0, est.interval(0.9)[0] >= 0
    (4, True, True)
    """
    rows = list(table)
    names = sorted({k for r in rows for k in r["baselines"]}, key=list(BASELINES).index)
    out = {}
    for name in names:
        keep = [r for r in rows if r["baselines"].get(name) is not None and r["baselines"][name] > 0]
        if len(keep) < 3:
            continue
        y = np.array([r["y"] for r in keep])
        z_b = np.array([r["x"] for r in keep])
        z_k = np.array([math.log10(r["baselines"][name] / r["n"] ** 2) for r in keep])
        value = _mse_one_parameter(y, z_k) - _mse_one_parameter(y, z_b)
        sims = [
            _mse_one_parameter(y[i], z_k[i]) - _mse_one_parameter(y[i], z_b[i])
            for i in _resamples(len(keep), draws, seed)
        ]
        test = f"paired bootstrap over {len(keep)} relations ({draws} resamples)"
        out[name] = (draws_estimate(value, sims, test=test), len(keep))
    return out


def size_law_estimate(table):
    """The common slope of ``y`` on ``x`` with one intercept per relation, and its t estimate.

    Least squares on the bounded rows of relations measured at two or more sizes; the standard
    error from the residuals, with ``points - relations - 1`` degrees of freedom.  Returns
    ``(Estimate, points, relations)``, or ``None`` when there are no residual degrees of freedom.

    Examples
    --------
    >>> rows = [{"relation": r, "x": x, "y": 2 * x + c} for r, c in (("a", 0.1), ("b", -0.3))
    ...         for x in (-1.0, -1.3, -1.7)]
    >>> est, points, rels = size_law_estimate(rows)
    >>> round(est.value, 6), points, rels
    (2.0, 6, 2)
    """
    groups: dict = {}
    for r in table:
        groups.setdefault(r["relation"], []).append((r["x"], r["y"]))
    groups = {k: np.array(v, float) for k, v in groups.items() if len({x for x, _ in v}) >= 2}
    points = sum(len(v) for v in groups.values())
    df = points - len(groups) - 1
    if df < 1:
        return None
    sxx = sum(float(((v[:, 0] - v[:, 0].mean()) ** 2).sum()) for v in groups.values())
    sxy = sum(float(((v[:, 0] - v[:, 0].mean()) * (v[:, 1] - v[:, 1].mean())).sum()) for v in groups.values())
    slope = sxy / sxx
    ssr = sum(
        float((((v[:, 1] - v[:, 1].mean()) - slope * (v[:, 0] - v[:, 0].mean())) ** 2).sum())
        for v in groups.values()
    )
    se = math.sqrt(ssr / df / sxx)
    return t_estimate(mean=slope, se=se, df=float(df)), points, len(groups)


# --------------------------------------------------------------------------- claims and rows


def _key_claim(name: str) -> Claim:
    return Claim(f"univ-statics.{name}", CLAIMS[name])


def claims(settings) -> list[Claim]:
    """The predictions :func:`evaluate` checks at these settings: the slope, scatter and baseline
    rows across ``relations`` (three or more), the size law with ``size_relations``."""
    out = []
    if len(settings["relations"]) >= 3:
        out += [_key_claim(k) for k in ("slope", "scatter", "beats-baselines")]
    if settings.get("size_relations") and len(set(settings.get("sizes", ()))) >= 2:
        out.append(_key_claim("size-law"))
    return out


def _size_law_rows(data) -> list[dict]:
    """:func:`study_table` rows of the size law: its relations at every size measured."""
    rels = {relation_label(r) for r in data["params"].get("size_relations", [])}
    sizes = set(data["params"].get("sizes", []))
    entries = [e for e in data["relations"] + data["sizes"] if e["relation"] in rels and e["n"] in sizes]
    return study_table(entries)


def _left_out(table) -> str:
    out = [f"{r['relation']} (n = {r['n']})" for r in table if not r["bounded"]]
    return f"; {len(out)} left out, unbounded: {', '.join(out)}" if out else ""


def evaluate(data) -> list[tuple[str, dict]]:
    """The rows: slope 1 and the scatter across relations, b against the baselines, the size law.

    Every row reads the inferable fraction's critical fraction of the relations whose runs bound
    it on both sides (:func:`study_table`); the baseline row's bootstrap is seeded by the study's seed.
    """
    seed = int(data["params"].get("seed", 0))
    rows = []
    table = study_table(data["relations"])
    used = [r for r in table if r["bounded"]]
    note = _left_out(table)
    if len(data["params"]["relations"]) >= 3 and len(used) >= 3 and len({r["x"] for r in used}) >= 2:
        x, y = [r["x"] for r in used], [r["y"] for r in used]
        slope, rms = slope_estimates(x, y)
        v = equivalence_verdict(CLAIMS["slope"], slope, target=1.0, margin=SLOPE_MARGIN, alpha=ALPHA)
        r = row(v, theory="slope 1", tolerance=f"± {SLOPE_MARGIN} (TOST; declared before the runs)")
        r["measured"] += f"; {len(used)} relations{note}"
        rows.append((CLAIMS["slope"], r))
        v = one_sided_verdict(CLAIMS["scatter"], rms, bound=SCATTER_MAX, direction="<=", alpha=ALPHA)
        r = row(
            v,
            theory=f"RMS residual of log10 <= {SCATTER_MAX:.3g} (a factor 1.5)",
            tolerance="one-sided (declared before the runs)",
        )
        r["measured"] += f"; {len(used)} relations{note}"
        rows.append((CLAIMS["scatter"], r))
        diffs = baseline_differences(used, seed=seed)
        if diffs:
            parts = [
                one_sided_verdict(
                    f"b vs {BASELINES[name]} ({k} relations)", est, bound=0.0, direction=">=", alpha=ALPHA
                )
                for name, (est, k) in diffs.items()
            ]
            v = all_of(CLAIMS["beats-baselines"], parts)
            r = row(
                v,
                theory="mean squared log10 residual of each baseline's one-parameter fit exceeds b's (> 0)",
                tolerance="one-sided, every baseline (declared before the runs)",
            )
            text = ", ".join(f"{BASELINES[n]} {e.value:+.3g}" for n, (e, _) in diffs.items())
            r["measured"] += f"; each baseline's excess: {text}"
            rows.append((CLAIMS["beats-baselines"], r))
    if claims(data["params"]) and any(c.id.endswith("size-law") for c in claims(data["params"])):
        size_table = _size_law_rows(data)
        found = size_law_estimate([r for r in size_table if r["bounded"]])
        if found is not None:
            est, points, rels = found
            v = equivalence_verdict(CLAIMS["size-law"], est, target=1.0, margin=SLOPE_MARGIN, alpha=ALPHA)
            r = row(
                v,
                theory="slope 1 on log10 p_c(n)",
                tolerance=f"± {SLOPE_MARGIN} (TOST; declared before the runs)",
            )
            r["measured"] += f"; {points} points of {rels} relations{_left_out(size_table)}"
            rows.append((CLAIMS["size-law"], r))
    return rows


# --------------------------------------------------------------------------- report and plots


def _interval_text(lo: float, hi: float) -> str:
    if not math.isfinite(hi):
        return f"[{lo:.3g}, beyond the range]"
    if lo <= 0:
        return f"[below the range, {hi:.3g}]"
    return f"[{lo:.3g}, {hi:.3g}]"


def tables(data) -> list[tuple[str, list[str], list[list]]]:
    """The per-relation results: statics, the three measured critical fractions, the runs."""
    header = [
        "relation",
        "n",
        "b (bits)",
        "p_c (Eq. 4)",
        "inferable fraction > alpha at (95% CI)",
        "measured / p_c",
        "accuracy > alpha at",
        "held-out > alpha at",
        "runs",
    ]
    out = []
    for title, entries in (
        ("Critical training fractions, relations at n = {n}", data["relations"]),
        ("Critical training fractions of the size law", data["sizes"]),
    ):
        if not entries:
            continue
        rows = []
        for e in entries:
            st, m = e["statics"], e["measured"]
            inf = m["inferable"]
            rows.append(
                [
                    e["relation"],
                    e["n"],
                    f"{st['bits']:.1f}",
                    f"{st['p_c']:.3g}",
                    f"{inf['fraction']:.3g} {_interval_text(*inf['interval'])}",
                    f"{inf['fraction'] / st['p_c']:.3g}" if inf.get("censored") is None else "unbounded",
                    f"{m['full']['fraction']:.3g}" if m["full"].get("censored") is None else "unbounded",
                    f"{m['test']['fraction']:.3g}" if m["test"].get("censored") is None else "unbounded",
                    len(e["runs"]["fraction"]),
                ]
            )
        out.append((title.format(n=data["params"]["n"]), header, rows))
    return out


_CSV_HEADER = [
    "relation",
    "n",
    "pairs",
    "p_star",
    "q",
    "bits",
    "aut",
    "p_c",
    "p_ub",
    "entropy_bits",
    "class_bits",
    *(f"{m}_{k}" for m in MEASURES for k in ("fraction", "lo", "hi", "censored", "reached")),
    "runs",
    "model_steps",
    "finished",
]


def _csv_rows(entries):
    for e in entries:
        st, base = e["statics"], e["baselines"]
        row_ = [e["relation"], e["n"], st["pairs"], st["p_star"], e["q"], st["bits"], st["aut"], st["p_c"]]
        row_ += [st["p_ub"], base["entropy"], "" if base["class"] is None else base["class"]]
        for m in MEASURES:
            fit = e["measured"][m]
            row_ += [fit["fraction"], *fit["interval"], fit.get("censored") or "", fit["reached"]]
        row_ += [len(e["runs"]["fraction"]), e["model_steps"], e["finished"]]
        yield row_


_RUN_COLUMNS = ("fraction", "full_acc", "test_acc", "steps_run")


def _runs_rows(entries):
    for e in entries:
        r = e["runs"]
        for k in range(len(r["fraction"])):
            yield [e["relation"], e["n"], *(r[c][k] for c in _RUN_COLUMNS)]


def _log_ticks(ax) -> None:
    """Tick labels of log10 axes as the fractions themselves."""
    from matplotlib.ticker import FuncFormatter

    fmt = FuncFormatter(lambda v, _: f"{10**v:.2g}")
    ax.xaxis.set_major_formatter(fmt)
    ax.yaxis.set_major_formatter(fmt)


def _draw_points(ax, table, *, color="k", marker="o", lim=None):
    """Each row's measured fraction against ``p_c``, with its interval (a triangle at the finite end
    of an unbounded one); returns the label items and the error bars' boxes for place_labels."""
    items, bars = [], []
    for r in table:
        lo, hi = r["interval"]
        ylo = math.log10(lo) if lo > 0 else lim[0]
        yhi = min(math.log10(hi), lim[1]) if math.isfinite(hi) else lim[1]
        if r["bounded"]:
            y = r["y"]
            ax.errorbar(r["x"], y, yerr=[[y - ylo], [yhi - y]], fmt=marker, color=color, ms=4, capsize=2)
        else:
            y = ylo if not math.isfinite(hi) else yhi
            ax.plot([r["x"], r["x"]], [ylo, yhi], "-", color=color, lw=0.8, alpha=0.6)
            ax.plot(r["x"], y, "^" if not math.isfinite(hi) else "v", color=color, ms=5)
        bars.append((r["x"], ylo, r["x"], yhi))
        items.append((r["x"], y, r["relation"]))
    return items, bars


def plot(data, out_dir) -> list[str]:
    """Measured against predicted critical fraction (PNG, every relation labelled; the size law
    beside it when measured) and the per-relation results and runs (CSV); return the paths."""
    # imported here: matplotlib's import cost, which the data and the checks do not need
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(out_dir, exist_ok=True)
    table = study_table(data["relations"])
    size_table = _size_law_rows(data) if data["params"].get("size_relations") else []
    panels = 2 if size_table else 1
    fig, axes = plt.subplots(1, panels, figsize=(6.4 * panels, 6.0), squeeze=False)
    ax = axes[0][0]
    everything = table + size_table
    values = [r["x"] for r in everything] + [r["y"] for r in everything if r["bounded"]]
    values += [math.log10(b) for r in everything for b in r["interval"] if 0 < b < math.inf]
    # a fraction is at most 1: the axes end just above it (an interval reaching past it is cut)
    lim = (min(values) - 0.15, min(max(values) + 0.15, math.log10(1.25)))
    for a in axes[0]:
        a.plot(lim, lim, "k--", lw=1, label="Eq. (4): measured = p_c")
        a.set_xlim(lim)
        a.set_ylim(lim)
    used = [r for r in table if r["bounded"]]
    if len(used) >= 3 and len({r["x"] for r in used}) >= 2:
        slope, intercept, _ = _ols([r["x"] for r in used], [r["y"] for r in used])
        ax.plot(lim, [intercept + slope * v for v in lim], "-", color="tab:blue", lw=1.2,
                label=f"least squares: slope {slope:.2f}")  # fmt: skip
    items, bars = _draw_points(ax, table, lim=lim)
    ax.set_xlabel("predicted p_c (Eq. 4)")
    ax.set_ylabel(r"measured: inferable fraction > $\alpha$ (95% CI)")
    p = data["params"]
    ax.set_title(f"(a) relations at n = {p['n']} (own size where fixed), alpha = {p['alpha']:g}", fontsize=9)
    _log_ticks(ax)
    ax.legend(fontsize=7, loc="upper left", frameon=False)
    labels = [(ax, items, bars)]
    if size_table:
        ax = axes[0][1]
        colors = matplotlib.colormaps["tab10"]
        items, bars = [], []
        for k, rel in enumerate(dict.fromkeys(r["relation"] for r in size_table)):
            mine = sorted((r for r in size_table if r["relation"] == rel), key=lambda r: r["n"])
            it, br = _draw_points(ax, mine, color=colors(k % 10), lim=lim)
            ax.plot([r["x"] for r in mine if r["bounded"]], [r["y"] for r in mine if r["bounded"]], "-",
                    color=colors(k % 10), lw=1, label=rel)  # fmt: skip
            items += [(x, y, f"n={r['n']}") for (x, y, _), r in zip(it, mine)]
            bars += br
        ax.set_xlabel("predicted p_c(n) (Eq. 4)")
        ax.set_ylabel(r"measured: inferable fraction > $\alpha$ (95% CI)")
        ax.set_title("(b) the size law: each relation at several n", fontsize=9)
        _log_ticks(ax)
        ax.legend(fontsize=7, loc="upper left", frameon=False)
        labels.append((ax, items, bars))
    fig.tight_layout()
    for ax, items, bars in labels:  # after the layout: the axes' size in points is final
        place_labels(ax, items, fontsize=6, bars=bars)
    png = os.path.join(out_dir, "universality_statics.png")
    fig.savefig(png, dpi=130)
    plt.close(fig)
    entries = data["relations"] + data["sizes"]
    results = write_csv(os.path.join(out_dir, "universality_statics.csv"), _CSV_HEADER, _csv_rows(entries))
    runs = write_csv(
        os.path.join(out_dir, "universality_statics_runs.csv"),
        ["relation", "n", *_RUN_COLUMNS],
        _runs_rows(entries),
    )
    return [png, results, runs]
