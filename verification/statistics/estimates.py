"""Point estimates with the tests and intervals that go with them (normal, t, Welch, exact binomial).

Part of :mod:`verification.statistics` (see its docstring for the model and the verdict rules).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import special, stats

__all__ = [
    "Estimate",
    "normal_estimate",
    "t_estimate",
    "welch_estimate",
    "difference_estimate",
    "draws_estimate",
    "residual_sd_estimate",
    "clopper_pearson",
]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with the tests and intervals that go with it.

    ``p_greater(v)`` is the one-sided p-value of ``H0: theta <= v`` (small when the estimate lies
    far above ``v``), ``p_less(v)`` that of ``H0: theta >= v``; ``interval(level)`` the two-sided
    interval.  ``se_lower`` / ``se_upper`` are the standard errors below / above the estimate
    (equal for a symmetric interval); ``df`` the degrees of freedom of a t reference (``inf``:
    normal).
    """

    value: float
    se: float
    se_lower: float
    se_upper: float
    df: float
    test: str
    _p_greater: Callable | None = field(default=None, repr=False, compare=False)
    _interval: Callable | None = field(default=None, repr=False, compare=False)

    def _sf(self, z):
        return float(special.ndtr(-z)) if not math.isfinite(self.df) else float(special.stdtr(self.df, -z))

    def _ppf(self, q):
        return float(special.ndtri(q)) if not math.isfinite(self.df) else float(special.stdtrit(self.df, q))

    def p_greater(self, v) -> float:
        if self._p_greater is not None:
            return self._p_greater(v)
        se = self.se_lower if self.value >= v else self.se_upper
        if se == 0:
            return 0.0 if self.value > v else 1.0
        return self._sf((self.value - v) / se)

    def p_less(self, v) -> float:
        return 1.0 - self.p_greater(v)

    def interval(self, level=0.95) -> tuple[float, float]:
        if self._interval is not None:
            return tuple(self._interval(level))
        q = self._ppf(0.5 + level / 2)
        return (self.value - q * self.se_lower, self.value + q * self.se_upper)

    def quantile(self, prob) -> float:
        """Quantile of the reference distribution (normal or t with ``df``)."""
        return self._ppf(prob)


def normal_estimate(value, se, *, test="z test") -> Estimate:
    """Estimate with a normal sampling distribution of standard error ``se``.

    >>> e = normal_estimate(1.0, 0.5); [round(v, 3) for v in e.interval(0.95)]
    [0.02, 1.98]
    """
    se = float(se)
    if not se >= 0:
        raise ValueError(f"se must be >= 0, got {se}")
    return Estimate(float(value), se, se, se, math.inf, test)


def t_estimate(values=None, *, mean=None, se=None, df=None) -> Estimate:
    """Mean of a small sample with a Student t reference (``n - 1`` degrees of freedom).

    Either the sample ``values`` or ``mean``, ``se`` and ``df``.

    >>> e = t_estimate([1.0, 2.0, 3.0])
    >>> e.value, e.df, round(e.interval(0.95)[1], 4)       # 2 + t_{0.975, 2} / sqrt(3)
    (2.0, 2.0, 4.4841)
    """
    if values is not None:
        a = np.asarray(values, dtype=float).ravel()
        if a.size < 2:
            raise ValueError("a t interval needs at least two values")
        mean, se, df = float(a.mean()), float(a.std(ddof=1) / math.sqrt(a.size)), float(a.size - 1)
    if mean is None or se is None or df is None:
        raise ValueError("give values, or mean, se and df")
    if not df > 0:
        raise ValueError(f"df must be > 0, got {df}")
    return Estimate(float(mean), float(se), float(se), float(se), float(df), f"t test ({df:g} df)")


def welch_estimate(a, b) -> Estimate:
    """Difference of means ``mean(a) - mean(b)`` with Welch's t (Welch-Satterthwaite df).

    >>> e = welch_estimate([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]); e.value, e.df
    (0.0, 4.0)
    """
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    if a.size < 2 or b.size < 2:
        raise ValueError("Welch's test needs at least two values per group")
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se > 0:
        df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    else:
        df = float(a.size + b.size - 2)
    e = t_estimate(mean=float(a.mean() - b.mean()), se=se, df=float(df))
    return replace(e, test=f"Welch t test ({df:.1f} df)")


def difference_estimate(a: Estimate, b: Estimate) -> Estimate:
    """``a - b`` of two independent estimates, normal approximation.

    The standard errors combine in quadrature, side by side (the lower error of ``a - b`` from
    ``a``'s lower and ``b``'s upper error); use it for e.g. the critical ratios of two relations.
    """
    lo = math.hypot(a.se_lower, b.se_upper)
    hi = math.hypot(a.se_upper, b.se_lower)
    return Estimate(a.value - b.value, 0.5 * (lo + hi), lo, hi, math.inf, "difference (normal approx.)")


def draws_estimate(value, draws, *, test: str) -> Estimate:
    """An estimate whose tests and intervals are those of the ``draws`` of its sampling
    distribution (bootstrap replicates, posterior draws): percentile intervals, and
    ``p_greater(v)`` the share of draws at or below ``v`` (``(1 + #{draws <= v}) / (B + 2)``, never
    0 or 1 with ``B`` draws).

    >>> e = draws_estimate(0.5, np.linspace(0.0, 1.0, 101), test="bootstrap (101)")
    >>> [round(v, 2) for v in e.interval(0.9)], round(e.p_greater(0.0), 4)
    ([0.05, 0.95], 0.0194)
    """
    sims = np.sort(np.asarray(draws, dtype=float).ravel())
    if sims.size < 2:
        raise ValueError(f"draws must hold at least two values, got {sims.size}")
    B = sims.size

    def p_greater(v):  # H0: theta <= v; small when the draws lie above v (and p_less = 1 - it)
        return float((1 + np.searchsorted(sims, v, side="right")) / (B + 2))

    def interval(level):
        q = np.quantile(sims, [0.5 - level / 2, 0.5 + level / 2])
        return float(q[0]), float(q[1])

    se = float(np.std(sims, ddof=1))
    return Estimate(
        value=float(value),
        se=se,
        se_lower=se,
        se_upper=se,
        df=math.inf,
        test=test,
        _p_greater=p_greater,
        _interval=interval,
    )


def residual_sd_estimate(ssr, df) -> Estimate:
    """The standard deviation ``sigma`` of normal residuals from their sum of squares ``ssr`` on
    ``df`` degrees of freedom: ``ssr / sigma^2`` is chi-square with ``df`` degrees of freedom.

    ``p_greater(v)`` (``H0: sigma <= v``) is ``P(chi2_df >= ssr / v^2)``; the interval is the
    chi-square one, ``[sqrt(ssr / chi2_{(1+level)/2}), sqrt(ssr / chi2_{(1-level)/2})]``.

    >>> e = residual_sd_estimate(ssr=4.0, df=4)
    >>> e.value, [round(v, 3) for v in e.interval(0.9)]
    (1.0, [0.649, 2.372])
    """
    ssr, df = float(ssr), float(df)
    if not ssr >= 0:
        raise ValueError(f"ssr must be >= 0, got {ssr}")
    if not df > 0:
        raise ValueError(f"df must be > 0, got {df}")

    def p_greater(v):
        if v <= 0:
            return 0.0 if ssr > 0 else 1.0
        return float(stats.chi2.sf(ssr / v**2, df))

    def interval(level):
        lo_q, hi_q = stats.chi2.ppf([0.5 + level / 2, 0.5 - level / 2], df)
        return math.sqrt(ssr / lo_q), (math.sqrt(ssr / hi_q) if hi_q > 0 else math.inf)

    value = math.sqrt(ssr / df)
    se = value / math.sqrt(2 * df)
    return Estimate(
        value=value,
        se=se,
        se_lower=se,
        se_upper=se,
        df=df,
        test=f"chi-square ({df:g} df)",
        _p_greater=p_greater,
        _interval=interval,
    )


def clopper_pearson(k, n, level=0.95, *, alternative="two-sided") -> tuple[float, float]:
    """Exact (Clopper-Pearson) interval for a binomial probability from ``k`` successes in ``n``.

    ``alternative="less"`` gives the one-sided ``(0, upper]`` interval, ``"greater"``
    ``[lower, 1)``, each at confidence ``level``.

    >>> round(clopper_pearson(0, 10, 0.95, alternative="less")[1], 12) == round(1 - 0.05 ** (1 / 10), 12)
    True
    """
    k, n = int(k), int(n)
    if n <= 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n and n > 0, got k={k}, n={n}")
    if alternative == "two-sided":
        a = (1 - level) / 2
        lo = 0.0 if k == 0 else float(stats.beta.ppf(a, k, n - k + 1))
        hi = 1.0 if k == n else float(stats.beta.ppf(1 - a, k + 1, n - k))
        return lo, hi
    a = 1 - level
    if alternative == "less":
        return 0.0, (1.0 if k == n else float(stats.beta.ppf(1 - a, k + 1, n - k)))
    if alternative == "greater":
        return (0.0 if k == 0 else float(stats.beta.ppf(a, k, n - k + 1))), 1.0
    raise ValueError(f"alternative must be 'two-sided', 'less' or 'greater', got {alternative!r}")
