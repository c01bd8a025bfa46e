"""Statistics of the verdicts: phase boundaries by maximum likelihood, tests a referee signs.

Three pieces, none of which imports torch (numpy and scipy only):

1. **Phase boundaries** (Figures 5 and 8 of [1]_).  In a phase diagram over
   ``x`` (``log10 eta_enc`` in Figure 5, ``log10 wd_dec`` in Figure 8) and ``y = log10 eta_dec``
   every run is one Bernoulli trial, generalized or not.  The boundary model is

   .. math::

      P(\\text{generalize} \\mid x, y) = F\\!\\left(d\\,\\frac{y_0(x) - y}{s}\\right),
      \\qquad y_0(x) = a + b\\,x,

   with ``F`` the normal (probit) or logistic cdf, ``d = +1`` when the low-``y`` side generalizes
   (Figure 5: a slow decoder generalizes) and ``s > 0`` the width of the transition in decades
   (shared by all columns, or one per column).  Eq. (12) of [1]_ predicts ``b = 1`` in Figure 5
   (the boundary is the constant ratio ``eta_dec / eta_enc = 10**a``, "<~ 10" in the text) and
   ``b = 0`` in Figure 8.  All trials of all columns enter one likelihood, so a column that
   generalizes everywhere (or nowhere) is not dropped: it bounds the line from one side, as a
   censored observation does.  Intervals are profile-likelihood intervals
   (:func:`fit_boundary`, :meth:`BoundaryFit.interval`); :func:`fit_column` is the same model
   for one column alone.

2. **Verdicts** (:class:`Verdict`).  Each claim of the paper is tested in the direction its
   words have: one-sided (``<=``, ``>=``) or an equivalence with a margin declared up front
   (``==``, TOST).  A row *holds* when the test of "the claim is false" rejects, *fails* when the
   test of "the claim is true" rejects, and is *inconclusive* otherwise, reporting the smallest
   deviation the experiment could have detected.  :func:`holm_adjust` applies Holm's step-down
   adjustment across a report's rows.

3. **Sequential designs** for adaptive experiments: :func:`propose_column_points` (bisection on
   the profile likelihood of a column's boundary, stopping when its interval is narrower than a
   requested precision), :func:`sprt_binomial` (Wald's sequential probability ratio test for a
   probability against a bound, Figure 6, with Ville's-inequality thresholds that are valid at any
   stopping time, so rounds of seeds of any size may be added) and, for means over rounds of
   seeds (Figure 3), a group-sequential test with Lan-DeMets alpha spending
   (:func:`group_sequential_bounds`, :func:`group_sequential_verdict`).

Separation.  When the seeds of a column split perfectly at the boundary (the usual case with one
or two seeds per point) the maximum-likelihood width is ``s -> 0`` and the line is only known to
lie in the gap between the last generalizing and first memorizing grid point.  The width is
therefore bounded below, ``s >= s_min``; the default ``s_min`` is half the smallest spacing of
the ``y`` values in the data (the transition cannot be resolved more finely than the points
sampled).  With this bound the intervals of perfectly separated data are somewhat wider than the
gap, and the coverage of 95 % intervals on synthetic diagrams with a known boundary is nominal
(``tests/verification/test_statistics.py``).  The intercept and the line's end points are kept
inside a box ``margin`` decades beyond the sampled ``y`` range; an interval end that reaches the
box is reported as infinite (the data do not bound it: censoring).

References
----------
.. [1] D. D. Baek, Z. Liu, M. Tegmark, "GenEFT: Understanding Statics and Dynamics of Model
   Generalization via Physics-Inspired Effective Theory" (2025).
.. [2] S. Holm, "A simple sequentially rejective multiple test procedure", Scand. J. Statist.
   6, 65 (1979).
.. [3] D. J. Schuirmann, "A comparison of the two one-sided tests procedure and the power
   approach for assessing the equivalence of average bioavailability", J. Pharmacokinet.
   Biopharm. 15, 657 (1987).
.. [4] A. Wald, "Sequential tests of statistical hypotheses", Ann. Math. Statist. 16, 117 (1945).
.. [5] J. P. Shaffer, "Control of directional errors with stagewise multiple test procedures",
   Ann. Statist. 8, 1342 (1980).
.. [6] K. K. G. Lan, D. L. DeMets, "Discrete sequential boundaries for clinical trials",
   Biometrika 70, 659 (1983).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import optimize, special, stats

__all__ = [
    "BoundaryFit",
    "fit_boundary",
    "fit_column",
    "Estimate",
    "normal_estimate",
    "t_estimate",
    "welch_estimate",
    "difference_estimate",
    "clopper_pearson",
    "Verdict",
    "one_sided_verdict",
    "equivalence_verdict",
    "binomial_bound_verdict",
    "all_of",
    "holm",
    "holm_adjust",
    "propose_column_points",
    "propose_next",
    "SPRTResult",
    "sprt_binomial",
    "group_sequential_bounds",
    "group_sequential_verdict",
]

VERDICTS = ("holds", "fails", "inconclusive")


# =========================================================================== boundary model


def _log_link(z, link):
    """``log F(z)`` and its derivative for the probit or logistic link."""
    if link == "probit":
        lf = special.log_ndtr(z)
        return lf, np.exp(-0.5 * z * z - lf) / math.sqrt(2.0 * math.pi)
    if link == "logit":
        return -np.logaddexp(0.0, -z), special.expit(-z)
    raise ValueError(f"link must be 'probit' or 'logit', got {link!r}")


def _newton_box(f, x0, bounds, *, maxiter=100, tol=1e-9):
    """Minimise a smooth ``f`` (returning value and gradient) in a box; small dimensions only.

    Damped Newton steps with a finite-difference Hessian of the analytic gradient on the free
    variables (those not held at a bound by their gradient), projected onto the box, with
    backtracking.  Much cheaper than a general-purpose optimiser for the 1-4 parameters of the
    boundary model, whose profiles are evaluated thousands of times by the coverage tests.
    """
    lo = np.array([b[0] for b in bounds], dtype=float)
    hi = np.array([b[1] for b in bounds], dtype=float)
    x = np.clip(np.asarray(x0, dtype=float), lo, hi)
    fx, g = f(x)
    lam = 1e-6
    for _ in range(maxiter):
        free = ~(((x <= lo) & (g > 0)) | ((x >= hi) & (g < 0)))
        if not free.any() or np.max(np.abs(g[free])) < tol:
            break
        idx = np.flatnonzero(free)
        eps = 1e-6
        H = np.empty((idx.size, idx.size))
        for a, j in enumerate(idx):
            xp = x.copy()
            # difference towards the interior so that the Hessian stays inside the box
            hstep = eps if xp[j] + eps <= hi[j] else -eps
            xp[j] += hstep
            H[:, a] = (f(xp)[1][idx] - g[idx]) / hstep
        H = 0.5 * (H + H.T)
        improved = False
        for _ in range(30):
            Hd = H + lam * (np.abs(np.diag(H)).max() + 1.0) * np.eye(idx.size)
            try:
                step = -np.linalg.solve(Hd, g[idx])
                if not np.all(np.isfinite(step)):
                    raise np.linalg.LinAlgError
            except np.linalg.LinAlgError:
                lam = max(10 * lam, 1e-3)
                continue
            xn = x.copy()
            xn[idx] = np.clip(x[idx] + step, lo[idx], hi[idx])
            fn, gn = f(xn)
            if fn <= fx - 1e-4 * abs(float(g[idx] @ (xn[idx] - x[idx]))) or fn < fx - 1e-12:
                improved = True
                break
            lam = max(10 * lam, 1e-4)
        if not improved:
            break
        dx = np.max(np.abs(xn - x))
        df_ = fx - fn
        x, fx, g = xn, fn, gn
        lam = max(lam / 10, 1e-8)
        if dx < 1e-10 or df_ < 1e-12 * max(1.0, abs(fx)):
            break
    return optimize.OptimizeResult(x=x, fun=float(fx), jac=g)


class _Model:
    """Bernoulli likelihood of the boundary model on aggregated trials (private).

    The line is parametrised by ``beta``: its values at the outer columns ``(y_L, y_R)`` (two
    parameters), or ``y_L`` alone when the slope is fixed or there is one column; ``y0_c = W beta +
    o``.  ``log s`` is one parameter (shared) or one per column.
    """

    def __init__(self, x, y, g, *, direction, link, s_min, s_max, margin, slope, scale):
        x = np.asarray(x, dtype=float).reshape(-1)
        y = np.asarray(y, dtype=float).reshape(-1)
        g = np.asarray(g).reshape(-1)
        if not (x.shape == y.shape == g.shape) or x.size == 0:
            raise ValueError(
                f"x, y and generalized need equal, non-zero lengths: {x.size}, {y.size}, {g.size}"
            )
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise ValueError("x and y must be finite")
        if direction not in ("below", "above"):
            raise ValueError(f"direction must be 'below' or 'above', got {direction!r}")
        if scale not in ("shared", "per_column"):
            raise ValueError(f"scale must be 'shared' or 'per_column', got {scale!r}")
        _log_link(np.zeros(1), link)
        g = g.astype(bool)
        self.link, self.direction, self.scale = link, direction, scale
        self.d = 1.0 if direction == "below" else -1.0
        self.xs = np.unique(x)
        keys = np.stack([x, y], axis=1)
        uniq, inv = np.unique(keys, axis=0, return_inverse=True)
        inv = inv.reshape(-1)
        self.n = np.bincount(inv, minlength=len(uniq)).astype(float)
        self.k = np.bincount(inv, weights=g.astype(float), minlength=len(uniq))
        self.px, self.py = uniq[:, 0], uniq[:, 1]
        self.col = np.searchsorted(self.xs, self.px)
        self.runs, self.generalized = int(x.size), int(g.sum())
        ys = np.unique(y)
        self.h = float(np.diff(ys).min()) if ys.size > 1 else 1.0
        self.s_min = float(s_min) if s_min is not None else 0.5 * self.h
        span = float(ys[-1] - ys[0])
        self.s_max = float(s_max) if s_max is not None else 10.0 * max(span, self.h)
        if not 0 < self.s_min < self.s_max:
            raise ValueError(f"need 0 < s_min < s_max, got {self.s_min}, {self.s_max}")
        m = float(margin) if margin is not None else max(span, 4 * self.h, 1.0)
        self.lo, self.hi = float(ys[0] - m), float(ys[-1] + m)
        C = self.xs.size
        self.slope_fixed = slope
        xl = self.xs[0]
        if slope is None and C >= 2:
            dx = self.xs[-1] - xl
            self.W = np.stack([(self.xs[-1] - self.xs) / dx, (self.xs - xl) / dx], axis=1)
            self.o = np.zeros(C)
        else:
            self.W = np.ones((C, 1))
            self.o = (float(slope) if slope is not None else 0.0) * (self.xs - xl)
        self.p = self.W.shape[1]
        self.n_s = C if scale == "per_column" else 1
        self.sidx = self.col if scale == "per_column" else np.zeros(self.col.size, dtype=int)

    # -- linear functionals of the line: psi = v . beta + v0
    def functional(self, quantity):
        """``(v, v0)`` of ``quantity``: "slope", "intercept" (y0 at x = 0) or a float x."""
        xl = self.xs[0]
        if quantity == "slope":
            if self.slope_fixed is not None:
                raise ValueError("the slope is fixed in this fit")
            if self.p < 2:
                raise ValueError("a slope needs at least two columns")
            dx = self.xs[-1] - xl
            return np.array([-1.0 / dx, 1.0 / dx]), 0.0
        x0 = 0.0 if quantity == "intercept" else float(quantity)
        if self.p == 2:
            dx = self.xs[-1] - xl
            return np.array([(self.xs[-1] - x0) / dx, (x0 - xl) / dx]), 0.0
        b = float(self.slope_fixed) if self.slope_fixed is not None else 0.0
        if self.slope_fixed is None and x0 != xl and quantity != "intercept":
            raise ValueError("one column: the boundary is only defined at its x")
        if self.slope_fixed is None and quantity == "intercept" and xl != 0.0:
            raise ValueError("one column and no fixed slope: use the column's x, not the intercept")
        return np.array([1.0]), b * (x0 - xl)

    def nll(self, beta, logs):
        """Negative log-likelihood and its gradients in ``beta`` and ``logs``."""
        y0 = self.W @ beta + self.o
        s = np.exp(logs[self.sidx])
        u = self.d * (y0[self.col] - self.py) / s
        lp, dp = _log_link(u, self.link)
        lm, dm = _log_link(-u, self.link)
        ll = float(np.sum(self.k * lp + (self.n - self.k) * lm))
        du = self.k * dp - (self.n - self.k) * dm  # d ll / d u per point
        gy0 = np.bincount(self.col, weights=du * self.d / s, minlength=self.xs.size)
        gbeta = self.W.T @ gy0
        glogs = np.bincount(self.sidx, weights=-du * u, minlength=self.n_s)
        return -ll, -gbeta, -glogs

    def _solve(self, B0, M, t_bounds, starts, *, stop_early=False):
        """Minimise over ``t`` (beta = B0 + M t) and ``log s``; best of the given starts."""
        k = M.shape[1]
        ls_lo, ls_hi = math.log(self.s_min), math.log(self.s_max)

        def f(phi):
            beta = B0 + M @ phi[:k]
            v, gb, gs = self.nll(beta, phi[k:])
            return v, np.concatenate([M.T @ gb, gs])

        bounds = list(t_bounds) + [(ls_lo, ls_hi)] * self.n_s
        best = None
        for st in starts:
            r = _newton_box(f, st, bounds)
            if best is None or r.fun < best.fun:
                best = r
            if stop_early and np.all(best.x[k:] < ls_hi - 1e-6):
                break  # not stalled at the widest transition: further starts are not needed
        return best

    def mle(self):
        # crude starts: each column's boundary at the mean y of its generalizing/others frontier
        y0c = []
        for c in range(self.xs.size):
            sel = self.col == c
            frac = self.k[sel] / self.n[sel]
            yy = self.py[sel]
            gen = yy[frac >= 0.5]
            non = yy[frac < 0.5]
            if gen.size and non.size:
                y0c.append(0.5 * (gen.max() + non.min()) if self.d > 0 else 0.5 * (gen.min() + non.max()))
            elif gen.size:
                y0c.append(yy.max() + self.h if self.d > 0 else yy.min() - self.h)
            else:
                y0c.append(yy.min() - self.h if self.d > 0 else yy.max() + self.h)
        y0c = np.array(y0c) - self.o
        beta0, *_ = np.linalg.lstsq(self.W, y0c, rcond=None)
        box = [(self.lo, self.hi)] * self.p
        starts = []
        for s0 in (max(self.h, self.s_min), 3 * max(self.h, self.s_min)):
            starts.append(np.concatenate([beta0, np.full(self.n_s, math.log(s0))]))
        mid = 0.5 * (self.lo + self.hi)
        starts.append(np.concatenate([np.full(self.p, mid), np.full(self.n_s, math.log(3 * self.h))]))
        r = self._solve(np.zeros(self.p), np.eye(self.p), box, starts)
        return r.x[: self.p], r.x[self.p :], float(r.fun)

    def psi_range(self, v, v0):
        corners = np.array(np.meshgrid(*[[self.lo, self.hi]] * self.p)).reshape(self.p, -1).T
        vals = corners @ v + v0
        return float(vals.min()), float(vals.max())

    def profile(self, v, v0, psi, start_beta, start_logs, alt_logs=None):
        """Minimum negative log-likelihood subject to ``v . beta + v0 = psi`` (inf if infeasible).

        Started from ``start_*`` (warm start) and, if given, also from ``alt_logs`` (the MLE's
        widths): far out in the width the likelihood is flat and a warm start can stall there.
        """
        vv = float(v @ v)
        log_starts = [start_logs] if alt_logs is None else [start_logs, alt_logs]
        bstar = v * (psi - v0) / vv
        if self.p == 1:
            if not self.lo - 1e-9 <= bstar[0] <= self.hi + 1e-9:
                return math.inf, None
            M = np.zeros((1, 0))
            r = self._solve(bstar, M, [], log_starts, stop_early=True)
            return float(r.fun), (bstar, r.x)
        nvec = np.array([-v[1], v[0]]) / math.sqrt(vv)
        tlo, thi = -math.inf, math.inf
        for j in range(2):
            if abs(nvec[j]) < 1e-14:
                if not self.lo - 1e-9 <= bstar[j] <= self.hi + 1e-9:
                    return math.inf, None
                continue
            a, b = sorted(((self.lo - bstar[j]) / nvec[j], (self.hi - bstar[j]) / nvec[j]))
            tlo, thi = max(tlo, a), min(thi, b)
        if tlo > thi + 1e-12:
            return math.inf, None
        t0 = float(np.clip((start_beta - bstar) @ nvec, tlo, thi))
        starts = [np.concatenate([[t0], ls]) for ls in log_starts]
        r = self._solve(bstar, nvec[:, None], [(tlo, thi)], starts, stop_early=True)
        return float(r.fun), (bstar + nvec * r.x[0], r.x[1:])


@dataclass(frozen=True)
class BoundaryFit:
    """Maximum-likelihood phase boundary ``y0(x) = intercept + slope x`` (see :func:`fit_boundary`).

    Attributes
    ----------
    slope, intercept : float
        The line (``slope`` is the fixed value when the fit was made with one).
    width : tuple of float
        Transition width(s) ``s`` in decades (one, or one per column).
    columns : list of dict
        Per column: ``x``, ``runs``, ``generalized``, ``y0`` (the line at ``x``), ``censored``
        (None, ``"all_generalize"`` or ``"none_generalize"``).
    loglik : float
        Maximised log-likelihood.
    link, direction, scale, s_min, runs
        The model's settings and the number of trials.
    """

    slope: float
    intercept: float
    width: tuple
    columns: list
    loglik: float
    link: str
    direction: str
    scale: str
    s_min: float
    runs: int
    _model: _Model = field(repr=False, compare=False)
    _beta: np.ndarray = field(repr=False, compare=False)
    _logs: np.ndarray = field(repr=False, compare=False)

    def value(self, quantity) -> float:
        """Point estimate of ``"slope"``, ``"intercept"`` or ``y0`` at a float ``x``."""
        if quantity == "slope" and self._model.slope_fixed is not None:
            return float(self._model.slope_fixed)
        v, v0 = self._model.functional(quantity)
        return float(v @ self._beta + v0)

    def deviance(self, quantity, value) -> float:
        """Profile deviance ``2 (l_max - l_p(value))`` of ``quantity`` at ``value`` (>= 0)."""
        v, v0 = self._model.functional(quantity)
        f, _ = self._model.profile(v, v0, float(value), self._beta, self._logs, self._logs)
        return max(0.0, 2.0 * (f + self.loglik)) if math.isfinite(f) else math.inf

    def signed_root(self, quantity, value) -> float:
        """``sign(estimate - value) sqrt(deviance)``: approximately N(0, 1) at the true value."""
        est = self.value(quantity)
        return math.copysign(math.sqrt(self.deviance(quantity, value)), est - float(value))

    def interval(self, quantity, level=0.95) -> tuple[float, float]:
        """Two-sided profile-likelihood interval ``{psi : deviance(psi) <= chi2_1(level)}``.

        An end that the data do not bound (the profile stays below the threshold up to the box
        ``margin`` decades beyond the sampled range) is ``-inf`` / ``inf``.
        """
        if not 0 < level < 1:
            raise ValueError(f"level must lie in (0, 1), got {level}")
        m = self._model
        v, v0 = m.functional(quantity)
        crit = float(stats.chi2.ppf(level, 1))
        est = float(v @ self._beta + v0)
        pmin, pmax = m.psi_range(v, v0)
        warm = {"beta": self._beta, "logs": self._logs}

        def excess(psi):
            f, arg = m.profile(v, v0, psi, warm["beta"], warm["logs"], self._logs)
            if arg is not None:
                warm["beta"], warm["logs"] = arg
            return (2.0 * (f + self.loglik) if math.isfinite(f) else math.inf) - crit

        ends = []
        for side, far in ((-1.0, pmin), (1.0, pmax)):
            warm["beta"], warm["logs"] = self._beta, self._logs
            if side * (far - est) <= 1e-9 * max(1.0, abs(far)):
                ends.append(side * math.inf)  # the estimate sits on the box: unbounded there
                continue
            # step out from the estimate until the threshold is crossed (keeps warm starts close)
            step = side * max(m.h, 1e-3)
            if quantity == "slope":
                step /= max(m.xs[-1] - m.xs[0], 1e-12)
            inner, outer = est, est + step
            while True:
                if side * (outer - far) >= 0:
                    outer = far
                    if excess(far - side * 1e-9 * max(1.0, abs(far))) < 0:
                        ends.append(side * math.inf)
                        break
                elif excess(outer) < 0:
                    inner, outer = outer, est + 2.0 * (outer - est)
                    continue
                a, b = sorted((inner, outer))
                try:
                    ends.append(float(optimize.brentq(excess, a, b, xtol=1e-6)))
                except ValueError:  # profile not monotone between the brackets: keep the outer end
                    ends.append(float(outer))
                break
        return (min(ends), max(ends))

    def estimate(self, quantity, *, level=0.95) -> Estimate:
        """:class:`Estimate` of ``quantity`` whose tests are signed-root likelihood-ratio tests."""
        est = self.value(quantity)
        lo, hi = self.interval(quantity, level)
        z = float(stats.norm.ppf(0.5 + level / 2))
        se_lo = (est - lo) / z if math.isfinite(lo) else math.inf
        se_hi = (hi - est) / z if math.isfinite(hi) else math.inf

        def p_greater(value):
            # H0: psi <= value; large signed root (estimate far above value) rejects
            return float(stats.norm.sf(self.signed_root(quantity, value)))

        return Estimate(
            value=est,
            se=0.5 * (se_lo + se_hi),
            se_lower=se_lo,
            se_upper=se_hi,
            df=math.inf,
            test="profile likelihood ratio",
            _p_greater=p_greater,
            _interval=lambda lev: self.interval(quantity, lev),
        )

    def to_dict(self) -> dict:
        """JSON-serialisable summary (estimates and 95 % intervals of the line)."""
        out = {
            "slope": self.slope,
            "intercept": self.intercept,
            "width": list(self.width),
            "columns": self.columns,
            "loglik": self.loglik,
            "link": self.link,
            "direction": self.direction,
            "scale": self.scale,
            "s_min": self.s_min,
            "runs": self.runs,
        }
        if self._model.slope_fixed is None and self._model.p == 2:
            out["slope_interval"] = list(self.interval("slope"))
        out["column_intervals"] = [list(self.interval(c["x"])) for c in self.columns]
        return out


def fit_boundary(
    x,
    y,
    generalized,
    *,
    direction="below",
    link="probit",
    slope=None,
    scale="shared",
    s_min=None,
    s_max=None,
    margin=None,
) -> BoundaryFit:
    """Fit the boundary line of a phase diagram to every run by maximum likelihood.

    .. math::

       \\log L(a, b, s) = \\sum_{\\text{runs } i} \\log F\\!\\left(\\pm\\, d\\,
       \\frac{a + b x_i - y_i}{s}\\right),

    ``+`` for a run that generalized, ``-`` otherwise (``F`` symmetric), ``d = +1`` for
    ``direction="below"``.  Censored columns (all or no runs generalize) contribute their
    trials like any other and so bound the line.  Figure 5 of [1]_: ``x = log10 eta_enc``,
    ``y = log10 eta_dec``, Eq. (12) predicts ``slope = 1`` and ``10**intercept`` is the critical
    ratio ``eta_dec / eta_enc`` (fit with ``slope=1`` to estimate it under the paper's line);
    Figure 8: ``x = log10 wd_dec``, predicted ``slope = 0``.

    Parameters
    ----------
    x, y : array_like
        Coordinates of the runs (one entry per run; seeds repeat a point).
    generalized : array_like of bool
        Outcome of each run (generalization or grokking, Appendix B).
    direction : {"below", "above"}
        Side of the boundary on which runs generalize (Figure 5: "below", low decoder rates).
    link : {"probit", "logit"}
    slope : float, optional
        Fix the slope (e.g. 1 for the constant-ratio line) and fit the intercept only.
    scale : {"shared", "per_column"}
        One transition width ``s`` for the diagram, or one per column.
    s_min, s_max : float, optional
        Bounds on ``s`` (decades); default ``s_min`` is half the smallest ``y`` spacing (the
        separation rule of the module docstring), ``s_max`` ten times the ``y`` span.
    margin : float, optional
        The line's end points are kept within ``margin`` decades of the sampled ``y`` range
        (default: the span, at least four grid steps and one decade).

    Returns
    -------
    BoundaryFit

    Examples
    --------
    A boundary ``y0 = x + 1`` sampled exactly (every run on the right side): the line is
    recovered within the grid step, and the slope's interval contains 1.

    >>> import numpy as np
    >>> xs, ys = np.meshgrid(np.arange(-4, -1.9, 0.5), np.arange(-4, 0.01, 0.25))
    >>> fit = fit_boundary(xs.ravel(), ys.ravel(), ys.ravel() < xs.ravel() + 1.0)
    >>> abs(fit.slope - 1) < 0.25, abs(fit.intercept - 1) < 0.5
    (True, True)
    >>> lo, hi = fit.interval("slope"); bool(lo < 1 < hi)
    True
    """
    model = _Model(
        x,
        y,
        generalized,
        direction=direction,
        link=link,
        s_min=s_min,
        s_max=s_max,
        margin=margin,
        slope=slope,
        scale=scale,
    )
    beta, logs, f = model.mle()
    y0 = model.W @ beta + model.o
    if slope is not None:
        b = float(slope)
    elif model.p == 2:
        b = float((beta[1] - beta[0]) / (model.xs[-1] - model.xs[0]))
    else:
        b = float("nan")
    a = float(y0[0] - b * model.xs[0]) if math.isfinite(b) else float("nan")
    cols = []
    for c, xc in enumerate(model.xs):
        sel = model.col == c
        n, k = int(model.n[sel].sum()), int(model.k[sel].sum())
        cens = "all_generalize" if k == n else ("none_generalize" if k == 0 else None)
        cols.append({"x": float(xc), "runs": n, "generalized": k, "y0": float(y0[c]), "censored": cens})
    return BoundaryFit(
        slope=b,
        intercept=a,
        width=tuple(float(v) for v in np.exp(logs)),
        columns=cols,
        loglik=-f,
        link=link,
        direction=direction,
        scale=scale,
        s_min=model.s_min,
        runs=model.runs,
        _model=model,
        _beta=beta,
        _logs=logs,
    )


def fit_column(y, generalized, *, x=0.0, **kwargs) -> BoundaryFit:
    """The boundary model for one column alone: ``P(generalize | y) = F(d (y0 - y) / s)``.

    Keyword arguments are those of :func:`fit_boundary` (``direction``, ``link``, ``s_min``,
    ...).  ``fit.value(x)`` is the column's boundary ``y0`` and ``fit.interval(x)`` its
    profile-likelihood interval; a censored column gets a one-sided interval (one end infinite).

    Examples
    --------
    >>> fit = fit_column([0, 1, 2, 3], [True, True, True, True])   # all generalize: y0 > 3
    >>> lo, hi = fit.interval(0.0); bool(0 < lo < 3), hi
    (True, inf)
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    return fit_boundary(np.full(y.size, float(x)), y, generalized, **kwargs)


# =========================================================================== estimates


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


def _check_alpha(alpha):
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must lie in (0, 0.5), got {alpha}")


def _detectable(est: Estimate, alpha, power, side):
    se = est.se_upper if side > 0 else est.se_lower
    if not math.isfinite(se):
        return math.inf
    return (est.quantile(1 - alpha) + est.quantile(power)) * se


def _make(claim, direction, test, est, interval, target, margin, p_hold, p_fail, alpha, detectable):
    p_hold, p_fail = float(min(max(p_hold, 0.0), 1.0)), float(min(max(p_fail, 0.0), 1.0))
    p_raw = min(p_hold, p_fail)
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
    >>> v = one_sided_verdict("d > 0", normal_estimate(0.3, 0.1), bound=0.0, direction=">=")
    >>> v.verdict, round(v.p_hold, 5)
    ('holds', 0.00135)
    >>> one_sided_verdict("d > 0", normal_estimate(0.1, 0.1), bound=0.0, direction=">=").verdict
    'inconclusive'
    """
    _check_alpha(alpha)
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
    return _make(claim, direction, est.test, est.value, interval, bound, margin, p_hold, p_fail, alpha, det)


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
    >>> equivalence_verdict("slope 1", normal_estimate(1.05, 0.1), target=1, margin=0.25).verdict
    'holds'
    >>> equivalence_verdict("slope 1", normal_estimate(1.9, 0.1), target=1, margin=0.25).verdict
    'fails'
    >>> equivalence_verdict("slope 1", normal_estimate(1.1, 0.3), target=1, margin=0.25).verdict
    'inconclusive'
    """
    _check_alpha(alpha)
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
    return _make(claim, "==", test, est.value, interval, target, margin, p_hold, p_fail, alpha, det)


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
    _check_alpha(alpha)
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
    return _make(claim, direction, test, k / n, interval, bound, margin, p_hold, p_fail, alpha, det)


def _solve_p(f, start, *, upward=True):
    """Root of a monotone ``f`` on ``[start, 1]`` (upward) or ``[0, start]``; inf if none."""
    a, b = (start, 1.0) if upward else (0.0, start)
    fa, fb = f(a), f(b)
    if fa * fb > 0:
        return math.inf if upward else -math.inf
    return float(optimize.brentq(f, a, b, xtol=1e-6))


def all_of(claim, verdicts: Sequence[Verdict]) -> Verdict:
    """Conjunction of several claims ("the bound holds at every grid point").

    **holds** when every part holds (intersection-union test: ``p_hold = max`` of the parts, no
    adjustment needed); **fails** when some part fails after a Bonferroni correction within the
    row (``p_fail = min(1, m min p_fail)``).  Estimate, interval and target are those of the part
    with the strongest evidence against the claim.
    """
    vs = list(verdicts)
    if not vs:
        raise ValueError("all_of needs at least one verdict")
    alphas = {v.alpha for v in vs}
    if len(alphas) != 1:
        raise ValueError(f"parts have different alpha: {sorted(alphas)}")
    alpha = alphas.pop()
    p_hold = max(v.p_hold for v in vs)
    worst = min(vs, key=lambda v: v.p_fail)
    p_fail = min(1.0, len(vs) * worst.p_fail)
    dirs = {v.direction for v in vs}
    test = f"all of {len(vs)}: {worst.test}" if len(vs) > 1 else worst.test
    return _make(
        claim,
        dirs.pop() if len(dirs) == 1 else "mixed",
        test,
        worst.estimate,
        worst.interval,
        worst.target,
        worst.margin,
        p_hold,
        p_fail,
        alpha,
        max(v.detectable for v in vs),
    )


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


def holm_adjust(verdicts: Sequence[Verdict]) -> list[Verdict]:
    """Holm-adjust the rows of a report and re-decide each verdict at its ``alpha``.

    Each row enters with ``p_raw = min(p_hold, p_fail)``: the row is tested in the direction its
    data point to, and a rejection after adjustment decides it (Holm with directional decisions,
    which controls the directional familywise error for independent rows [5]_).  Rows whose
    adjusted p exceeds ``alpha`` become inconclusive.
    """
    vs = list(verdicts)
    if not vs:
        return []
    adj = holm([v.p_raw for v in vs])
    out = []
    for v, pa in zip(vs, adj):
        if pa <= v.alpha:
            verdict = "holds" if v.p_hold <= v.p_fail else "fails"
        else:
            verdict = "inconclusive"
        out.append(replace(v, p_adjusted=float(pa), verdict=verdict))
    return out


# =========================================================================== sequential designs


def propose_column_points(
    y,
    generalized,
    *,
    precision,
    n_points=1,
    step=None,
    resolution=None,
    level=0.95,
    **kwargs,
) -> dict:
    """Next ``y`` values to run in one phase-diagram column (bisection on the profile likelihood).

    The column's boundary ``y0`` is fitted with :func:`fit_column` (keyword arguments go there:
    ``direction``, ``link``, ``s_min``; give a fixed ``s_min`` such as ``precision / 4`` so that
    the separation rule does not shrink with the sampled spacing).  Then:

    * **done** when the ``level`` interval of ``y0`` is narrower than ``precision``;
    * if an end is unbounded (censored column: the boundary lies beyond the sampled range), the
      next point steps out past the extreme sampled ``y`` by ``max(step, span of sampled y)``
      (doubling the bracket each round);
    * otherwise ``n_points`` points spread evenly over the interval (one point: the estimate,
      centre of the interval, which for perfectly separated seeds is the midpoint of the gap:
      bisection).

    Points are rounded to multiples of ``resolution`` (so that repeated proposals hit the same
    runs of a result cache) and points already sampled are kept (more seeds there).

    Returns
    -------
    dict
        ``y0``, ``interval``, ``width``, ``done`` and ``next`` (list of ``y``; empty when done).

    Examples
    --------
    Three seeds at each of five points, split between 0.5 and 0.75: the next point bisects the gap.

    >>> y = [0.0, 0.25, 0.5, 0.75, 1.0] * 3
    >>> r = propose_column_points(y, [v < 0.6 for v in y], precision=0.1, s_min=0.02, resolution=0.005)
    >>> r["done"], r["next"]
    (False, [0.625])
    """
    y = np.asarray(y, dtype=float).ravel()
    if not precision > 0:
        raise ValueError(f"precision must be > 0, got {precision}")
    fit = fit_column(y, generalized, **kwargs)
    y0 = fit.value(0.0)
    lo, hi = fit.interval(0.0, level)
    width = hi - lo
    out = {"y0": y0, "interval": (lo, hi), "width": width, "done": bool(width < precision), "next": []}
    if out["done"]:
        return out
    ys = np.unique(y)
    span = float(ys[-1] - ys[0]) if ys.size > 1 else 0.0
    stride = max(float(step) if step is not None else precision, span)
    if not math.isfinite(hi) and not math.isfinite(lo):
        pts = [float(ys[0] - stride), float(ys[-1] + stride)]
    elif not math.isfinite(hi):
        pts = [float(ys[-1] + stride)]
    elif not math.isfinite(lo):
        pts = [float(ys[0] - stride)]
    elif n_points == 1:
        pts = [0.5 * (lo + hi)]
    else:
        pts = list(np.linspace(lo, hi, n_points + 2)[1:-1])
    if resolution is not None:
        pts = [round(p / resolution) * resolution for p in pts]
    out["next"] = [float(p) for p in dict.fromkeys(pts)]
    return out


def propose_next(x, y, generalized, *, precision, **kwargs) -> list[dict]:
    """:func:`propose_column_points` for every column of a phase diagram (one dict per ``x``).

    Each dict also holds ``x``.  The experiment is finished when every column is ``done``; a
    round runs the proposed points of all columns (and relations) as one batch.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    g = np.asarray(generalized, dtype=bool).ravel()
    out = []
    for xc in np.unique(x):
        sel = x == xc
        r = propose_column_points(y[sel], g[sel], precision=precision, **kwargs)
        r["x"] = float(xc)
        out.append(r)
    return out


@dataclass(frozen=True)
class SPRTResult:
    """State of Wald's sequential probability ratio test after the data so far.

    ``decision`` is ``"reject"`` (``P > p0``: the bound is violated), ``"accept"`` (``P < p1``),
    ``"continue"`` or, once ``max_n`` trials are spent without crossing, ``"inconclusive"``.
    """

    decision: str
    llr: float
    lower: float
    upper: float
    k: int
    n: int

    @property
    def verdict(self) -> str:
        """The claim ``P <= p0``: "fails" on reject, "holds" on accept, else "inconclusive"."""
        return {"reject": "fails", "accept": "holds"}.get(self.decision, "inconclusive")


def sprt_binomial(k, n, *, p0, p1, alpha=0.05, beta=0.2, max_n=None) -> SPRTResult:
    """Wald's SPRT [4]_ of ``H0: P <= p0`` against ``H1: P >= p1`` (``p1 > p0``) after ``k`` of ``n``.

    .. math::

       \\Lambda = k \\log\\frac{p_1}{p_0} + (n - k) \\log\\frac{1 - p_1}{1 - p_0},
       \\quad \\text{reject if } \\Lambda \\ge \\log\\frac{1}{\\alpha},
       \\quad \\text{accept if } \\Lambda \\le \\log\\beta.

    The likelihood ratio is a nonnegative martingale under ``p0``, so by Ville's inequality the
    probability of ever rejecting is at most ``alpha`` (and of ever accepting under ``p1`` at most
    ``beta``) whatever the stopping rule: call it after every round of seeds, rounds of any size.
    The ratio is monotone in ``P``, so the bounds hold for every ``P <= p0`` (``P >= p1``).
    Figure 6: ``p0`` the Eq. (12) bound, ``p1 = p0 + margin``.  Truncation at ``max_n`` only
    lowers both error rates.

    Examples
    --------
    >>> sprt_binomial(12, 12, p0=0.392, p1=0.6).decision
    'reject'
    >>> sprt_binomial(0, 12, p0=0.392, p1=0.6).decision
    'accept'
    """
    k, n = int(k), int(n)
    if not 0 < p0 < p1 < 1:
        raise ValueError(f"need 0 < p0 < p1 < 1, got {p0}, {p1}")
    _check_alpha(alpha)
    if not 0 < beta < 1:
        raise ValueError(f"beta must lie in (0, 1), got {beta}")
    if n < 0 or not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    llr = k * math.log(p1 / p0) + (n - k) * math.log((1 - p1) / (1 - p0))
    upper, lower = math.log(1 / alpha), math.log(beta)
    if llr >= upper:
        d = "reject"
    elif llr <= lower:
        d = "accept"
    elif max_n is not None and n >= max_n:
        d = "inconclusive"
    else:
        d = "continue"
    return SPRTResult(d, llr, lower, upper, k, n)


def _spending(t, alpha, kind):
    if kind == "obrien-fleming":
        return 2.0 * stats.norm.sf(stats.norm.isf(alpha / 2) / np.sqrt(t))
    if kind == "pocock":
        return alpha * np.log1p((math.e - 1.0) * t)
    raise ValueError(f"spending must be 'obrien-fleming' or 'pocock', got {kind!r}")


def group_sequential_bounds(looks, *, alpha=0.025, spending="obrien-fleming", step=0.02) -> np.ndarray:
    """One-sided z boundaries of a group-sequential test with ``looks`` equally spaced analyses.

    Lan-DeMets alpha spending [6]_: the type I error spent by information fraction ``t`` is
    ``2 - 2 Phi(z_{alpha/2} / sqrt t)`` (O'Brien-Fleming type) or ``alpha log(1 + (e - 1) t)``
    (Pocock type).  The boundary ``c_k`` of look ``k`` solves
    ``P(Z_j < c_j, j < k; Z_k >= c_k) = alpha(k / K) - alpha((k - 1) / K)`` for the standardised
    partial sums ``Z_k = S_k / sqrt k`` of i.i.d. normal increments, by recursive numerical
    integration of the continuation density on a grid of spacing ``step``.

    Examples
    --------
    >>> float(group_sequential_bounds(1, alpha=0.025)[0]) == float(stats.norm.isf(0.025))
    True
    >>> [round(float(c), 2) for c in group_sequential_bounds(5, alpha=0.025)]
    [4.88, 3.36, 2.68, 2.29, 2.03]
    """
    return np.array(_gs_bounds(int(looks), float(alpha), spending, float(step)))


@functools.lru_cache(maxsize=64)
def _gs_bounds(looks, alpha, spending, step):
    """The boundaries of :func:`group_sequential_bounds` (cached: they depend on the design only)."""
    K = int(looks)
    if K < 1:
        raise ValueError(f"looks must be >= 1, got {looks}")
    _check_alpha(alpha)
    t = np.arange(1, K + 1) / K
    spent = np.diff(np.concatenate([[0.0], _spending(t, alpha, spending)]))
    spent[-1] = alpha - float(np.sum(spent[:-1]))  # both spending functions reach alpha at t = 1
    grid = np.arange(-10.0 * math.sqrt(K), 10.0 * math.sqrt(K) + step, step)
    bounds = [float(stats.norm.isf(spent[0]))]
    dens = stats.norm.pdf(grid) * (grid < bounds[0]) * step  # mass of S_1 on the continuation region
    kernel = None
    for k in range(2, K + 1):

        def tail(b, dens=dens):
            return float(dens @ stats.norm.sf(b - grid))

        b = optimize.brentq(lambda b, tail=tail, target=spent[k - 1]: tail(b) - target, -50.0, 50.0)
        bounds.append(b / math.sqrt(k))
        if k < K:
            if kernel is None:
                kernel = stats.norm.pdf(grid[:, None] - grid[None, :]) * step
            dens = (kernel @ dens) * (grid < b)
    return tuple(bounds)


def group_sequential_verdict(
    claim,
    est: Estimate,
    *,
    look,
    looks,
    bound,
    direction=">=",
    margin=0.0,
    alpha=0.05,
    spending="obrien-fleming",
) -> str:
    """Decision after look ``look`` of ``looks`` on a one-sided claim about a mean (Figure 3).

    Both directions are monitored with the boundaries of :func:`group_sequential_bounds` at
    ``alpha`` each: **holds** when the z statistic of "the claim is false" (see
    :func:`one_sided_verdict`) crosses the boundary, **fails** when that of "the claim is true"
    does, ``"continue"`` before the last look otherwise, and **inconclusive** after it.  A t
    statistic enters through its p-value (``z = Phi^-1(1 - p)``), exact for the normal reference
    and a close approximation for a t with the degrees of freedom of several seeds.
    """
    if not 1 <= look <= looks:
        raise ValueError(f"need 1 <= look <= looks, got {look}, {looks}")
    v = one_sided_verdict(claim, est, bound=bound, direction=direction, margin=margin, alpha=alpha)
    c = float(group_sequential_bounds(looks, alpha=alpha, spending=spending)[look - 1])
    z_hold, z_fail = -special.ndtri(max(v.p_hold, 1e-300)), -special.ndtri(max(v.p_fail, 1e-300))
    if z_hold >= c:
        return "holds"
    if z_fail >= c:
        return "fails"
    return "inconclusive" if look == looks else "continue"
