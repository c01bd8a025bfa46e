"""Verdicts a referee signs: one-sided, equivalence (TOST) and exact binomial tests, conjunctions, Holm.

Part of :mod:`verification.statistics` (see its docstring for the model and the verdict rules).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
.. [2] S. Holm, "A simple sequentially rejective multiple test procedure", Scand. J. Statist.
   6, 65 (1979).
.. [3] D. J. Schuirmann, "A comparison of the two one-sided tests procedure and the power
   approach for assessing the equivalence of average bioavailability", J. Pharmacokinet.
   Biopharm. 15, 657 (1987).
.. [5] J. P. Shaffer, "Control of directional errors with stagewise multiple test procedures",
   Ann. Statist. 8, 1342 (1980).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import optimize, stats

from verification.statistics.estimates import Estimate, clopper_pearson

__all__ = [
    "VERDICTS",
    "CriticalMargin",
    "Verdict",
    "check_alpha",
    "one_sided_verdict",
    "equivalence_verdict",
    "binomial_bound_verdict",
    "all_of",
    "union_over_looks",
    "deciding_part",
    "holm",
    "holm_adjust",
]


VERDICTS = ("holds", "fails", "inconclusive")


# =========================================================================== critical margins


@dataclass(frozen=True)
class CriticalMargin:
    """The margins at which a row's verdict changes, everything else about its test kept.

    A row's margin (an equivalence region's half-width, a one-sided bound's slack in the claim's
    favour, an exact comparison's tolerance) is a choice; this says how much the verdict depends on
    it.  Statistical rows are computed from their unadjusted intervals (the ``1 - 2 alpha``
    interval of each part, at ``alpha / m`` for the "fails" side of a conjunction of ``m`` parts,
    as its within-row Bonferroni correction asks), i.e. before the report's Holm adjustment, which
    can only turn a decided row inconclusive.

    Attributes
    ----------
    holds_at_or_above : float or None
        The row holds for every margin at least this large (None: at no margin).
    fails_below : float or None
        The row fails for every margin below this (``inf``: at every margin; None: at none).
    name : str
        What the margin is: ``"margin"`` (equivalence, TOST), ``"slack"`` (one-sided bound) or
        ``"tolerance"`` (exact comparison).
    basis : str
        ``"interval"`` (statistical row) or ``"exact"`` (deterministic comparison).
    level : float or None
        The interval's level (``1 - 2 alpha``) of a statistical row.
    relative : bool
        The margins are relative errors (printed as percentages).

    Examples
    --------
    >>> CriticalMargin(0.61, 0.12, level=0.9).text()
    'holds for margins >= 0.61, fails below 0.12 (from the unadjusted 90% interval, before Holm)'
    >>> CriticalMargin(0.0574, 0.0574, name="tolerance", basis="exact", relative=True).text()
    'holds for tolerances >= 5.7%, fails below 5.7% (exact computation)'
    """

    holds_at_or_above: float | None
    fails_below: float | None
    name: str = "margin"
    basis: str = "interval"
    level: float | None = None
    relative: bool = False

    def _show(self, x: float) -> str:
        return f"{100 * x:.1f}%" if self.relative else f"{x:.3g}"

    def text(self) -> str:
        """The row's margin sentence, e.g. "holds for margins >= 0.61, fails below 0.12 (...)"."""
        h, f, name = self.holds_at_or_above, self.fails_below, self.name
        hold = f"holds for {name}s >= {self._show(h)}" if h is not None else f"holds at no {name}"
        if f is None:
            fail = f"fails at no {name}"
        elif math.isinf(f):
            fail = f"fails at every {name}"
        else:
            fail = f"fails below {self._show(f)}"
        if self.basis == "exact":
            basis = "exact computation"
        else:
            level = "" if self.level is None else f" {100 * self.level:g}%"
            basis = f"from the unadjusted{level} interval, before Holm"
        return f"{hold}, {fail} ({basis})"

    def to_dict(self) -> dict:
        """JSON-ready (an infinite ``fails_below`` is written ``"inf"``)."""
        f = self.fails_below
        return {
            "holds_at_or_above": self.holds_at_or_above,
            "fails_below": "inf" if f is not None and math.isinf(f) else f,
            "name": self.name,
            "basis": self.basis,
            "level": self.level,
            "relative": self.relative,
        }

    @classmethod
    def from_dict(cls, d: dict) -> CriticalMargin:
        f = d["fails_below"]
        return cls(
            d["holds_at_or_above"],
            math.inf if f == "inf" else f,
            name=d.get("name", "margin"),
            basis=d.get("basis", "interval"),
            level=d.get("level"),
            relative=d.get("relative", False),
        )


@dataclass(frozen=True)
class _MarginModel:
    """How a verdict's p-values move with its margin ``m`` (for :class:`CriticalMargin`).

    ``hold_at(a)`` is the smallest ``m`` with ``p_hold(m) <= a`` (``p_hold`` falls as ``m`` grows).
    ``kind="equivalence"``: ``fail_at(a)`` is the largest ``m`` with ``p_fail(m) <= a`` (a wider
    region is harder to exclude).  ``kind="slack"``: the slack is on the holding side only, so
    ``p_fail`` does not depend on it.
    """

    kind: str
    hold_at: Callable[[float], float]
    fail_at: Callable[[float], float] | None = None


def _ends(est: Estimate, known: dict):
    """``a -> (lo, hi)``: the ``1 - 2a`` interval of ``est`` (``known`` holds intervals computed already)."""

    def ends(a: float):
        if a <= 0:
            return (-math.inf, math.inf)
        level = 1 - 2 * a
        if level not in known:
            known[level] = tuple(est.interval(level))
        return known[level]

    return ends


def _equivalence_model(est: Estimate, target: float, known: dict) -> _MarginModel:
    # holds: the interval inside [t - m, t + m]; fails: the interval outside it
    ends = _ends(est, known)

    def hold_at(a):
        lo, hi = ends(a)
        return max(target - lo, hi - target)

    def fail_at(a):
        lo, hi = ends(a)
        return max(lo - target, target - hi)

    return _MarginModel("equivalence", hold_at, fail_at)


def _slack_model(est: Estimate, bound: float, direction: str, known: dict) -> _MarginModel:
    # holds: the interval's end on the claim's side within bound + slack (bound - slack for ">=")
    ends = _ends(est, known)
    if direction == "<=":
        return _MarginModel("slack", lambda a: ends(a)[1] - bound)
    return _MarginModel("slack", lambda a: bound - ends(a)[0])


def _critical_margin(model: _MarginModel | None, alpha: float, p_fail: float) -> CriticalMargin | None:
    """The :class:`CriticalMargin` of a verdict decided at ``alpha`` by :func:`_decide`.

    Equivalence: the hold and fail regions are disjoint (an interval inside the region is not
    outside it), so the row holds for ``m >= hold_at(alpha)`` and fails for ``m <= fail_at(alpha)``.
    Slack: ``p_fail`` is fixed; the row holds when ``p_hold <= min(alpha, p_fail)``, and with
    ``p_fail <= alpha`` it fails for every smaller slack.
    """
    if model is None:
        return None
    if model.kind == "equivalence":
        h, f = model.hold_at(alpha), model.fail_at(alpha)
        fails = f if f > 0 else None
        name = "margin"
    else:
        h = model.hold_at(min(alpha, p_fail))
        fails = (h if h > 0 else None) if p_fail <= alpha else None
        name = "slack"
    level = 1 - 2 * alpha
    return CriticalMargin(float(max(h, 0.0)) if math.isfinite(h) else None, fails, name=name, level=level)


def _all_of_model(models, m: int) -> _MarginModel | None:
    """The model of a conjunction of ``m`` parts: holds when every part does, fails (Bonferroni
    within the row) when some part does at ``alpha / m``."""
    if not models or any(x is None for x in models) or len({x.kind for x in models}) != 1:
        return None
    models = list(models)

    def hold_at(a):
        return max(x.hold_at(a) for x in models)

    if models[0].kind == "slack":
        return _MarginModel("slack", hold_at)
    return _MarginModel("equivalence", hold_at, lambda a: max(x.fail_at(a / m) for x in models))


# =========================================================================== verdicts


@dataclass(frozen=True)
class Verdict:
    """One statistical row of the report.

    Attributes
    ----------
    claim : str
        What the paper says, in words.
    direction : str
        ``"<="``, ``">="`` (one-sided) or ``"=="`` (equivalence within ``margin``).
    test : str
        The test (e.g. "TOST, profile likelihood ratio").
    estimate : float
    interval : tuple of float
        The ``1 - 2 alpha`` two-sided interval (the one whose position decides a one-sided or
        TOST test at ``alpha``).
    target : float
        The claim's value (bound or centre of the equivalence region).
    margin : float
        Tolerance declared up front (half-width of the equivalence region; slack of a bound).
    p_hold, p_fail : float
        p-values of "the claim is false" and "the claim is true"; rejecting the first is
        evidence for the claim (**holds**), the second against it (**fails**).
    p_raw, p_adjusted : float
        ``min(p_hold, p_fail)`` and its multiplicity-adjusted value (Holm, :func:`holm_adjust`;
        equal to ``p_raw`` before adjustment).
    alpha : float
    verdict : str
        ``"holds"``, ``"fails"`` or ``"inconclusive"``.
    detectable : float
        Smallest deviation from ``target`` (beyond the margin) that the experiment detects with 80 %
        power at ``alpha`` (``inf`` when unbounded).
    critical_margin : CriticalMargin or None
        The margins at which the verdict (before Holm) would change; for a claim with a margin
        (an equivalence, or a one-sided bound with a slack), None otherwise.
    """

    claim: str
    direction: str
    test: str
    estimate: float
    interval: tuple
    target: float
    margin: float
    p_hold: float
    p_fail: float
    p_raw: float
    p_adjusted: float
    alpha: float
    verdict: str
    detectable: float
    critical_margin: CriticalMargin | None = None
    _margin_model: _MarginModel | None = field(default=None, repr=False, compare=False)

    def text(self, fmt=".3g") -> str:
        """Short human text: estimate, interval, claim, test, p values, verdict."""
        lo, hi = self.interval
        claim = {
            "<=": f"<= {self.target:{fmt}}",
            ">=": f">= {self.target:{fmt}}",
            "==": f"= {self.target:{fmt}} ± {self.margin:{fmt}}",
        }[self.direction]
        if self.direction != "==" and self.margin:
            claim += f" (slack {self.margin:{fmt}})"
        level = 100 * (1 - 2 * self.alpha)
        s = (
            f"{self.estimate:{fmt}} [{lo:{fmt}}, {hi:{fmt}}] ({level:g}% CI); claim {claim}; {self.test}; "
            f"p(claim false) = {self.p_hold:.2g}, p(claim true) = {self.p_fail:.2g}, "
            f"adjusted {self.p_adjusted:.2g}: {self.verdict}"
        )
        if self.verdict == "inconclusive":
            s += f"; detectable deviation {self.detectable:{fmt}}"
        return s

    def to_dict(self) -> dict:
        return {
            "claim": self.claim,
            "direction": self.direction,
            "test": self.test,
            "estimate": self.estimate,
            "interval": list(self.interval),
            "target": self.target,
            "margin": self.margin,
            "p_hold": self.p_hold,
            "p_fail": self.p_fail,
            "p_raw": self.p_raw,
            "p_adjusted": self.p_adjusted,
            "alpha": self.alpha,
            "verdict": self.verdict,
            "detectable": self.detectable,
        }


def _decide(p_hold, p_fail, alpha) -> str:
    if p_hold <= alpha and p_hold <= p_fail:
        return "holds"
    if p_fail <= alpha:
        return "fails"
    return "inconclusive"


def check_alpha(alpha):
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must lie in (0, 0.5), got {alpha}")


def _detectable(est: Estimate, alpha, power, side):
    se = est.se_upper if side > 0 else est.se_lower
    if not math.isfinite(se):
        return math.inf
    return (est.quantile(1 - alpha) + est.quantile(power)) * se


def _make(claim, direction, test, est, target, margin, p, alpha, detectable, model=None):
    """A :class:`Verdict` decided at ``alpha`` from ``p = (p_hold, p_fail)`` (clipped to [0, 1]),
    ``est = (estimate, interval)``; ``model`` says how the p-values move with the margin (its
    critical margin is kept for a claim that has a margin)."""
    est, interval = est
    p_hold, p_fail = (float(min(max(x, 0.0), 1.0)) for x in p)
    p_raw = min(p_hold, p_fail)
    has_margin = direction == "==" or float(margin) > 0
    return Verdict(
        claim=claim,
        direction=direction,
        test=test,
        estimate=float(est),
        interval=(float(interval[0]), float(interval[1])),
        target=float(target),
        margin=float(margin),
        p_hold=p_hold,
        p_fail=p_fail,
        p_raw=p_raw,
        p_adjusted=p_raw,
        alpha=float(alpha),
        verdict=_decide(p_hold, p_fail, alpha),
        detectable=float(detectable),
        critical_margin=_critical_margin(model, alpha, p_fail) if has_margin else None,
        _margin_model=model,
    )


def one_sided_verdict(
    claim, est: Estimate, *, bound, direction="<=", margin=0.0, alpha=0.05, power=0.8
) -> Verdict:
    """One-sided claim ``theta <= bound`` (or ``>=``), with a slack ``margin`` in its favour.

    For ``direction="<="`` ("eta_dec / eta_enc <~ 10", Sec. IV of [1]_: ``log10 r* <= 1``):

    * **holds** if ``H0: theta >= bound + margin`` is rejected at ``alpha`` (the upper end of the
      ``1 - 2 alpha`` interval lies below ``bound + margin``);
    * **fails** if ``H0: theta <= bound`` is rejected (the lower end lies above ``bound``);
    * else **inconclusive**; ``detectable`` is the excess over ``bound`` detected with ``power``.

    ``direction=">="`` mirrors this (e.g. "the inductive-bias decoder beats the default": the
    difference ``>= 0``).

    Examples
    --------
    >>> from verification.statistics import normal_estimate
    >>> v = one_sided_verdict("d > 0", normal_estimate(0.3, 0.1), bound=0.0, direction=">=")
    >>> v.verdict, round(v.p_hold, 5)
    ('holds', 0.00135)
    >>> one_sided_verdict("d > 0", normal_estimate(0.1, 0.1), bound=0.0, direction=">=").verdict
    'inconclusive'
    """
    check_alpha(alpha)
    bound, margin = float(bound), float(margin)
    if margin < 0:
        raise ValueError(f"margin must be >= 0, got {margin}")
    if direction == "<=":
        p_hold = est.p_less(bound + margin)
        p_fail = est.p_greater(bound)
        det = _detectable(est, alpha, power, -1)
    elif direction == ">=":
        p_hold = est.p_greater(bound - margin)
        p_fail = est.p_less(bound)
        det = _detectable(est, alpha, power, +1)
    else:
        raise ValueError(f"direction must be '<=' or '>=', got {direction!r}")
    interval = est.interval(1 - 2 * alpha)
    model = _slack_model(est, bound, direction, {1 - 2 * alpha: tuple(interval)})
    return _make(
        claim, direction, est.test, (est.value, interval), bound, margin, (p_hold, p_fail), alpha, det, model
    )


def equivalence_verdict(claim, est: Estimate, *, target, margin, alpha=0.05, power=0.8) -> Verdict:
    """Null claim ``theta = target`` within ``±margin`` declared up front (TOST, [3]_).

    * **holds** when both one-sided tests reject (``p_hold = max`` of the two p-values): the
      ``1 - 2 alpha`` interval lies inside ``[target - margin, target + margin]``;
    * **fails** when "theta lies in the region" is rejected: ``p_fail`` is the smaller of the
      one-sided p-values at the two ends of the region (the interval excludes the whole region);
    * else **inconclusive**; ``detectable`` is the deviation beyond the margin detected with
      ``power``.

    Use it for "slope 1 ± 0.25" (Figure 5), "no dependence on weight decay: slope 0 ± margin"
    (Figure 8) and, on differences, "the same critical ratio for all relations within half a
    decade" (:func:`difference_estimate`, :func:`all_of`).

    Examples
    --------
    >>> from verification.statistics import normal_estimate
    >>> equivalence_verdict("slope 1", normal_estimate(1.05, 0.1), target=1, margin=0.25).verdict
    'holds'
    >>> equivalence_verdict("slope 1", normal_estimate(1.9, 0.1), target=1, margin=0.25).verdict
    'fails'
    >>> equivalence_verdict("slope 1", normal_estimate(1.1, 0.3), target=1, margin=0.25).verdict
    'inconclusive'
    """
    check_alpha(alpha)
    target, margin = float(target), float(margin)
    if not margin > 0:
        raise ValueError(f"an equivalence margin must be > 0, got {margin}")
    lo, hi = target - margin, target + margin
    p_hold = max(est.p_greater(lo), est.p_less(hi))
    p_fail = min(est.p_greater(hi), est.p_less(lo))
    side = 1 if est.value >= target else -1
    det = _detectable(est, alpha, power, side)
    interval = est.interval(1 - 2 * alpha)
    test = f"TOST, {est.test}"
    model = _equivalence_model(est, target, {1 - 2 * alpha: tuple(interval)})
    return _make(
        claim, "==", test, (est.value, interval), target, margin, (p_hold, p_fail), alpha, det, model
    )


def binomial_bound_verdict(
    claim, k, n, *, bound, direction="<=", margin=0.0, alpha=0.05, power=0.8
) -> Verdict:
    """Exact binomial test of a probability against a bound (Figure 6: ``P(generalize) <= Eq. 12``).

    For ``direction="<="``: **fails** if ``H0: P <= bound`` is rejected by the exact one-sided
    binomial test (``p_fail = P(X >= k | bound)``), **holds** if ``H0: P >= bound + margin`` is
    rejected (``p_hold = P(X <= k | bound + margin)``: the one-sided Clopper-Pearson upper limit
    lies below ``bound + margin``).  ``detectable`` is the smallest excess ``P - bound`` that the
    exact test detects with ``power``.

    Examples
    --------
    >>> v = binomial_bound_verdict("P <= 0.39", 12, 12, bound=0.392)
    >>> v.verdict, v.p_fail == 0.392 ** 12
    ('fails', True)
    """
    check_alpha(alpha)
    k, n, bound, margin = int(k), int(n), float(bound), float(margin)
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    if not 0 <= bound <= 1:
        raise ValueError(f"bound must lie in [0, 1], got {bound}")
    binom = stats.binom
    if direction == "<=":
        p_fail = float(binom.sf(k - 1, n, bound))
        top = min(bound + margin, 1.0)
        p_hold = float(binom.cdf(k, n, top)) if top < 1 else 1.0
        # critical count of the exact test at bound, and the P with the requested power
        kc = int(binom.isf(alpha, n, bound)) + 1
        det = _solve_p(lambda p: binom.sf(kc - 1, n, p) - power, bound) - bound
    elif direction == ">=":
        p_fail = float(binom.cdf(k, n, bound))
        bot = max(bound - margin, 0.0)
        p_hold = float(binom.sf(k - 1, n, bot)) if bot > 0 else 1.0
        kc = int(binom.ppf(alpha, n, bound)) - 1
        det = bound - _solve_p(lambda p: power - binom.cdf(kc, n, p), bound, upward=False)
    else:
        raise ValueError(f"direction must be '<=' or '>=', got {direction!r}")
    interval = clopper_pearson(k, n, 1 - 2 * alpha)
    test = f"exact binomial ({k}/{n})"
    model = _binomial_model(k, n, bound, direction)
    return _make(
        claim, direction, test, (k / n, interval), bound, margin, (p_hold, p_fail), alpha, det, model
    )


def _binomial_model(k: int, n: int, bound: float, direction: str) -> _MarginModel:
    # the exact test's p_hold at slack s is at most a when bound + s reaches the one-sided
    # Clopper-Pearson limit at a, short of 1 (">=": bound - s down to the lower limit, above 0)
    def hold_at(a):
        if a <= 0:
            return math.inf
        lo, hi = clopper_pearson(k, n, 1 - 2 * a)
        if direction == "<=":
            return hi - bound if hi < 1 else math.inf
        return bound - lo if lo > 0 else math.inf

    return _MarginModel("slack", hold_at)


def _solve_p(f, start, *, upward=True):
    """Root of a monotone ``f`` on ``[start, 1]`` (upward) or ``[0, start]``; inf if none."""
    a, b = (start, 1.0) if upward else (0.0, start)
    fa, fb = f(a), f(b)
    if fa * fb > 0:
        return math.inf if upward else -math.inf
    return float(optimize.brentq(f, a, b, xtol=1e-6))


def deciding_part(verdicts: Sequence[Verdict]) -> int:
    """Index of the part whose estimate and interval :func:`all_of` shows for these parts.

    The part with the strongest evidence against the claim when the conjunction is nearer to
    failing than to holding (``m min p_fail < max p_hold``), otherwise the part with the weakest
    evidence for it; ties go to the first such part.  Rows that name the part (a fraction, a pair
    of relations) read it from here.
    """
    vs = list(verdicts)
    if not vs:
        raise ValueError("deciding_part needs at least one verdict")
    worst = min(range(len(vs)), key=lambda i: vs[i].p_fail)
    if min(1.0, len(vs) * vs[worst].p_fail) < max(v.p_hold for v in vs):
        return worst
    return max(range(len(vs)), key=lambda i: vs[i].p_hold)


def all_of(claim, verdicts: Sequence[Verdict]) -> Verdict:
    """Conjunction of several claims ("the bound holds at every grid point").

    **holds** when every part holds (intersection-union test: ``p_hold = max`` of the parts, no
    adjustment needed); **fails** when some part fails after a Bonferroni correction within the
    row (``p_fail = min(1, m min p_fail)``).  Estimate, interval and target are those of the part
    that decides the row's lean: the part with the strongest evidence against the claim when the
    row is nearer to failing than to holding (``m min p_fail < max p_hold``), otherwise the part
    with the weakest evidence for it (the one that keeps the row from holding).  Showing the
    part nearest to failing for a row that is merely undecided would print a decisive-looking
    interval beside an inconclusive verdict.
    """
    vs = list(verdicts)
    if not vs:
        raise ValueError("all_of needs at least one verdict")
    alphas = {v.alpha for v in vs}
    if len(alphas) != 1:
        raise ValueError(f"parts have different alpha: {sorted(alphas)}")
    alpha = alphas.pop()
    p_hold = max(v.p_hold for v in vs)
    p_fail = min(1.0, len(vs) * min(v.p_fail for v in vs))
    shown = vs[deciding_part(vs)]
    dirs = {v.direction for v in vs}
    test = f"all of {len(vs)}: {shown.test}" if len(vs) > 1 else shown.test
    return _make(
        claim,
        dirs.pop() if len(dirs) == 1 else "mixed",
        test,
        (shown.estimate, shown.interval),
        shown.target,
        shown.margin,
        (p_hold, p_fail),
        alpha,
        max(v.detectable for v in vs),
        _all_of_model([v._margin_model for v in vs], len(vs)),
    )


def union_over_looks(verdict: Verdict, looks: Sequence[Verdict], max_looks: int) -> Verdict:
    """``verdict`` of a sequential design, with the critical margin of its union-bound p-values.

    The design's ``p_hold(m) = min(1, K min_j p_hold_j(m))`` over the one-sided ``looks`` (each
    look's verdict at the same bound and slack, ``K = max_looks``) is at most ``a`` when some look's
    is at most ``a / K``; its ``p_fail`` does not depend on the slack.  The critical slack is
    recomputed from ``verdict``'s ``p_fail`` and ``alpha``
    (:func:`verification.statistics.sequential_mean_verdict`).
    """
    models = [v._margin_model for v in looks]
    model = None
    if models and all(x is not None and x.kind == "slack" for x in models):
        K = int(max_looks)
        model = _MarginModel("slack", lambda a: min(x.hold_at(a / K) for x in models))
    has_margin = verdict.direction == "==" or verdict.margin > 0
    critical = _critical_margin(model, verdict.alpha, verdict.p_fail) if has_margin else None
    return replace(verdict, critical_margin=critical, _margin_model=model)


def holm(pvalues) -> np.ndarray:
    """Holm's step-down adjusted p-values [2]_ (reject the ``i``-th hypothesis iff ``p_adj <= alpha``).

    .. math::

       \\tilde p_{(j)} = \\max_{i \\le j} \\min\\bigl(1, (m - i + 1)\\, p_{(i)}\\bigr)

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03, 0.005]).tolist()
    [0.03, 0.06, 0.06, 0.02]
    """
    p = np.asarray(pvalues, dtype=float).ravel()
    if np.any((p < 0) | (p > 1) | np.isnan(p)):
        raise ValueError("p-values must lie in [0, 1]")
    m = p.size
    order = np.argsort(p, kind="stable")
    adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adj
    return out


def holm_adjust(p_hold, p_fail, alpha, *, forced_inconclusive=None) -> tuple[np.ndarray, list[str]]:
    """Holm-adjust the rows of a report and re-decide each verdict at its ``alpha``.

    Each row enters with ``p_raw = min(p_hold, p_fail)``: the row is tested in the direction its
    data point to, and a rejection after adjustment decides it (Holm with directional decisions,
    which controls the directional familywise error for independent rows [5]_).  Rows whose
    adjusted p exceeds ``alpha``, and rows marked in ``forced_inconclusive``, are inconclusive.

    Parameters
    ----------
    p_hold, p_fail : sequence of float
        Per row, the p-values of "the claim is false" and "the claim is true".
    alpha : float or sequence of float
        Per-row level.
    forced_inconclusive : sequence of bool, optional
        Rows that stay inconclusive whatever their p-values (e.g. an unconverged budget).

    Returns
    -------
    p_adjusted : ndarray
    verdicts : list of str

    Examples
    --------
    >>> p, v = holm_adjust([0.01, 0.2, 0.5], [0.9, 0.8, 0.004], 0.05)
    >>> p.tolist(), v
    ([0.02, 0.2, 0.012], ['holds', 'inconclusive', 'fails'])
    """
    p_hold = np.asarray(p_hold, dtype=float)
    p_fail = np.asarray(p_fail, dtype=float)
    alpha = np.broadcast_to(np.asarray(alpha, dtype=float), p_hold.shape)
    forced = (
        np.zeros(p_hold.shape, bool) if forced_inconclusive is None else np.asarray(forced_inconclusive, bool)
    )
    adjusted = holm(np.minimum(p_hold, p_fail))
    verdicts = [
        "inconclusive" if f or pa > a else ("holds" if ph <= pf else "fails")
        for ph, pf, pa, a, f in zip(p_hold, p_fail, adjusted, alpha, forced)
    ]
    return adjusted, verdicts
